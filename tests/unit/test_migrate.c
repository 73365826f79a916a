/*
 * test_migrate.c: numbered schema migrations (src/migrate.c) on fresh
 * databases, once for each backend (a pass).
 *
 * The SQLite pass runs in a temporary directory.  The MariaDB pass runs
 * when OMS_MARIADB_SOCKET names the unix socket of a MariaDB server
 * where root may log in without a password; its databases are called
 * oms_unit_<pid>_<name>, made with CREATE DATABASE on an administrator
 * connection and dropped at the end.  Without the variable the pass is
 * one skipped test point, so the skip shows.
 *
 * Everything outside the backend blocks goes through the store API, so
 * the same tests run on both; what holds for one backend only (what a
 * migration that fails half-way leaves behind) sits in its block.
 * Every test point's name starts with the backend of its pass.
 * Negative cases say "bad".
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "migrate.h"
#include "oms.h"
#include "stmts.h"
#include "store.h"
#include "../tap.h"

/* A backend's part of the tests. */
struct backend {
	const char *name; /* as the store names it: "sqlite" */
	/* Get ready for a pass: 1 to run it, 0 to skip it (why is in
	 * *skip) or -1 when it cannot run. */
	int (*setup)(const char **skip);
	/* Remove everything the pass made; safe to call twice. */
	void (*teardown)(void);
	/* Configure the store for the database called name. */
	void (*conf)(struct oms_conf_store *, const char *name);
	/* Make database name exist for an open with OMS_STORE_CREATE, as
	 * the backend's administrator would; 1 on success. */
	int (*create)(const char *name);
	/* The migration table of this backend's dialect. */
	const struct oms_migration *(*migrations)(void);
	/* A migration that fails half-way, and the way back. */
	void (*failing)(void);
};

static const struct backend *be; /* the backend of the running pass */

/*
 * Every test point names the backend of its pass: ok() (and is_int(),
 * which expands to it) goes through pass_ok(), which calls tap.h's ok()
 * (the parenthesised name is not the macro).
 */
static void __attribute__((format(printf, 2, 3)))
pass_ok(int cond, const char *fmt, ...)
{
	char name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	(ok)(cond, "%s: %s", be != NULL ? be->name : "-", name);
}
#define ok(...) pass_ok(__VA_ARGS__)

static struct oms_store *open_db(const char *, int);
static int has_schema(struct oms_store *);

#ifdef OMS_HAVE_SQLITE
/* ---- backend: sqlite ------------------------------------------------ */

static char dir[256]; /* the pass's temporary directory */

/* Make the temporary directory the databases live in. */
static int
sq_setup(const char **skip)
{
	const char *tmp = getenv("TMPDIR");

	(void)skip;
	snprintf(dir, sizeof(dir), "%s/oms-test-migrate.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("# mkdtemp %s failed\n", dir);
		dir[0] = '\0';
		return -1;
	}
	return 1;
}

/* Remove the temporary directory and what is in it. */
static void
sq_teardown(void)
{
	DIR *d;
	struct dirent *e;
	char p[600];

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
	dir[0] = '\0';
}

/* Configure a database called name in the temporary directory. */
static void
sq_conf(struct oms_conf_store *cs, const char *name)
{
	memset(cs, 0, sizeof(*cs));
	cs->backend = OMS_BACKEND_SQLITE;
	snprintf(cs->path, sizeof(cs->path), "%s/%s.db", dir, name);
	cs->busy_timeout_ms = 2000;
}

/* Nothing to do: OMS_STORE_CREATE makes the file. */
static int
sq_create(const char *name)
{
	(void)name;
	return 1;
}

/* The SQLite dialect's migrations. */
static const struct oms_migration *
sq_migrations(void)
{
	return oms_migrations_sqlite;
}

/* DDL is transactional, so a migration that fails half-way leaves
 * nothing behind. */
static void
sq_failing(void)
{
	struct oms_store *st = open_db("failing", OMS_STORE_CREATE);
	int applied = -1;

	/* A table in the way of the migration's last CREATE TABLE, after
	 * the others have run in the same transaction. */
	ok(oms_store_exec_script(st, "CREATE TABLE assets (x INTEGER);\n") ==
	    OMS_OK, "failing: a table in the way is created");
	ok(oms_migrate(st, &applied) != OMS_OK, "failing migration bad");
	is_int(applied, 0, "failing: nothing counted as applied");
	is_int(oms_migrate_current(st), 0, "failing: no version recorded");
	ok(!has_schema(st), "failing: the tables created before the "
	    "failure are gone");
	oms_store_close(&st);
}

static const struct backend sqlite_backend = {
	"sqlite",
	sq_setup,
	sq_teardown,
	sq_conf,
	sq_create,
	sq_migrations,
	sq_failing,
};

/* ---- end of backend: sqlite ----------------------------------------- */
#endif /* OMS_HAVE_SQLITE */

#ifdef OMS_HAVE_MARIADB
/* ---- backend: mariadb ----------------------------------------------- */
#include <mysql.h>

/* A variable that must stay unset: the store reads no password. */
#define MD_NO_PASSWORD "OMS_UNIT_TEST_NO_PASSWORD"

static const char *md_socket; /* OMS_MARIADB_SOCKET */
static MYSQL *md_admin;       /* root, no default database */
static char md_made[8][64];   /* the databases made by this pass */
static int md_nmade;          /* how many */

/* The server's name of the pass's database called name. */
static void
md_dbname(char *buf, size_t sz, const char *name)
{
	snprintf(buf, sz, "oms_unit_%ld_%s", (long)getpid(), name);
}

/* Run one statement on the administrator connection, its text from fmt
 * (our own database names only); 1 on success. */
static int __attribute__((format(printf, 1, 2)))
md_exec(const char *fmt, ...)
{
	char sql[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (md_admin == NULL || mysql_real_query(md_admin, sql,
	    (unsigned long)strlen(sql)) != 0) {
		printf("# %s: %s\n", sql,
		    md_admin ? mysql_error(md_admin) : "no connection");
		return 0;
	}
	return 1;
}

/* Drop the databases of the pass and close the connection; registered
 * with atexit() too, so a bail-out leaves nothing behind. */
static void
md_teardown(void)
{
	if (md_admin == NULL)
		return;
	for (int i = 0; i < md_nmade; i++)
		md_exec("DROP DATABASE IF EXISTS `%s`", md_made[i]);
	md_nmade = 0;
	mysql_close(md_admin);
	md_admin = NULL;
	mysql_library_end();
}

/* Connect as administrator when OMS_MARIADB_SOCKET is set. */
static int
md_setup(const char **skip)
{
	md_socket = getenv("OMS_MARIADB_SOCKET");
	if (md_socket == NULL || *md_socket == '\0') {
		*skip = "OMS_MARIADB_SOCKET not set";
		return 0;
	}
	unsetenv(MD_NO_PASSWORD);
	if ((md_admin = mysql_init(NULL)) == NULL)
		return -1;
	if (mysql_real_connect(md_admin, NULL, "root", NULL, NULL, 0,
	    md_socket, 0) == NULL) {
		printf("# mysql_real_connect(%s): %s\n", md_socket,
		    mysql_error(md_admin));
		mysql_close(md_admin);
		md_admin = NULL;
		mysql_library_end();
		return -1;
	}
	/* Never hang on a metadata lock when dropping at exit. */
	if (!md_exec("SET SESSION lock_wait_timeout = 10")) {
		md_teardown();
		return -1;
	}
	atexit(md_teardown);
	return 1;
}

/* Root on the socket, database oms_unit_<pid>_<name>, no password. */
static void
md_conf(struct oms_conf_store *cs, const char *name)
{
	memset(cs, 0, sizeof(*cs));
	cs->backend = OMS_BACKEND_MARIADB;
	snprintf(cs->socket, sizeof(cs->socket), "%s", md_socket);
	snprintf(cs->user, sizeof(cs->user), "root");
	snprintf(cs->password_env, sizeof(cs->password_env), "%s",
	    MD_NO_PASSWORD);
	md_dbname(cs->database, sizeof(cs->database), name);
	cs->busy_timeout_ms = 2000;
	cs->connect_timeout = 5;
	cs->read_timeout = 30;
	cs->write_timeout = 30;
	cs->tls = OMS_TLS_OFF;
}

/* CREATE DATABASE, once a pass; a database of a dead process with our
 * pid is dropped first.  1 on success. */
static int
md_create(const char *name)
{
	char db[64];

	md_dbname(db, sizeof(db), name);
	for (int i = 0; i < md_nmade; i++)
		if (strcmp(md_made[i], db) == 0)
			return 1;
	if (md_nmade == (int)OMS_NELEM(md_made) ||
	    !md_exec("DROP DATABASE IF EXISTS `%s`", db) ||
	    !md_exec("CREATE DATABASE `%s` CHARACTER SET utf8mb4", db))
		return 0;
	snprintf(md_made[md_nmade++], sizeof(md_made[0]), "%s", db);
	return 1;
}

/* The MariaDB dialect's migrations. */
static const struct oms_migration *
md_migrations(void)
{
	return oms_migrations_mariadb;
}

/*
 * MariaDB commits DDL implicitly, so a migration that fails half-way
 * keeps the tables it made before the failure, and records nothing.
 * The documented recovery: repair by hand, then migrate again, which
 * works because the migration's statements can be re-run (IF NOT
 * EXISTS).  Here a products table of the wrong shape makes the
 * foreign key of assets, late in the script, fail.
 */
static void
md_failing(void)
{
	struct oms_store *st = open_db("failing", OMS_STORE_CREATE);
	int latest = oms_migrate_latest(st), applied = -1;

	ok(oms_store_exec_script(st, "CREATE TABLE products"
	    " (id INT PRIMARY KEY) ENGINE=InnoDB;\n") == OMS_OK,
	    "failing: a products table of the wrong shape is in the way");
	ok(oms_migrate(st, &applied) != OMS_OK, "failing migration bad");
	is_int(applied, 0, "failing: nothing counted as applied");
	is_int(oms_migrate_current(st), 0, "failing: no version recorded");
	ok(has_schema(st), "failing: the tables made before the failure "
	    "stay (DDL commits)");
	ok(oms_store_exec_script(st, "DROP TABLE products;\n") == OMS_OK,
	    "failing: the table in the way is removed by hand");
	applied = -1;
	ok(oms_migrate(st, &applied) == OMS_OK && applied == latest,
	    "failing: migrating again completes the migration");
	is_int(oms_migrate_current(st), latest,
	    "failing: and records the latest version");
	ok(has_schema(st), "failing: the inventory tables answer");
	oms_store_close(&st);
}

static const struct backend mariadb_backend = {
	"mariadb",
	md_setup,
	md_teardown,
	md_conf,
	md_create,
	md_migrations,
	md_failing,
};

/* ---- end of backend: mariadb ---------------------------------------- */
#endif /* OMS_HAVE_MARIADB */

/* Open the database called name, maybe creating it; bails out. */
static struct oms_store *
open_db(const char *name, int flags)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;

	be->conf(&cs, name);
	if (((flags & OMS_STORE_CREATE) && !be->create(name)) ||
	    oms_store_open(&cs, flags, &oms_stmt_table, &st) != OMS_OK) {
		printf("Bail out! %s: cannot open database %s\n", be->name,
		    name);
		exit(1);
	}
	return st;
}

/* 1 when the inventory tables answer a query. */
static int
has_schema(struct oms_store *st)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_COUNT);
	int64_t n = -1;

	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	return oms_query_end(q) == OMS_OK && n == 0;
}

static void
test_table(void)
{
	const struct oms_migration *m = be->migrations();
	int n = 0, good = 1;

	for (; m->name != NULL; m++) {
		char prefix[8];

		snprintf(prefix, sizeof(prefix), "%04d_", m->version);
		if (m->version != ++n || strncmp(m->name, prefix, 5) != 0 ||
		    m->sql == NULL || m->sql[0] == '\0')
			good = 0;
	}
	ok(n >= 1, "the migration table is not empty");
	ok(good, "versions count from 1 without gaps and name their files");
}

static void
test_fresh(void)
{
	struct oms_store *st = open_db("fresh", OMS_STORE_CREATE);
	struct oms_query *q;
	int latest = oms_migrate_latest(st), applied = -1, v, want = 1;
	int listed = 1;

	ok(latest >= 1, "latest is at least 1");
	is_int(oms_migrate_current(st), 0, "fresh database: current is 0");
	ok(!has_schema(st), "fresh database: no inventory tables yet");
	ok(oms_migrate(st, &applied) == OMS_OK, "fresh database: migrate ok");
	is_int(applied, latest, "fresh database: applied == latest");
	is_int(oms_migrate_current(st), latest, "after migrate: current == latest");
	ok(has_schema(st), "after migrate: the inventory tables answer");

	q = oms_query(st, OMS_STMT_MIGRATIONS_LIST);
	while (oms_query_row(q))
		if ((v = (int)oms_query_col_int(q, 0)) != want++)
			listed = 0;
	ok(oms_query_end(q) == OMS_OK && listed && want == latest + 1,
	    "every version is recorded once, in order");

	applied = -1;
	ok(oms_migrate(st, &applied) == OMS_OK && applied == 0,
	    "second run applies 0");
	oms_store_close(&st);
	ok(st == NULL, "close clears the pointer");

	st = open_db("fresh", 0);
	applied = -1;
	ok(oms_migrate_current(st) == latest &&
	    oms_migrate(st, &applied) == OMS_OK && applied == 0,
	    "a new connection sees the recorded version and applies 0");
	oms_store_close(&st);
}

static void
test_newer(void)
{
	struct oms_store *st = open_db("newer", OMS_STORE_CREATE);
	struct oms_query *q;
	int latest = oms_migrate_latest(st), applied = -1;

	ok(oms_migrate(st, &applied) == OMS_OK, "newer: migrate ok");
	q = oms_query(st, OMS_STMT_MIGRATIONS_ADD);
	oms_query_int(q, latest + 1);
	oms_query_text(q, "9999_from_the_future");
	oms_query_text(q, "2030-01-01T00:00:00Z");
	ok(oms_query_exec(q) == OMS_OK, "newer: record a version above latest");
	is_int(oms_migrate_current(st), latest + 1, "newer: current reads it");
	applied = -1;
	is_int(oms_migrate(st, &applied), OMS_ERR_CONFIG,
	    "database newer than the program bad: OMS_ERR_CONFIG");
	is_int(applied, 0, "newer: nothing applied");
	oms_store_close(&st);
}

int
main(void)
{
	static const struct backend *const backends[] = {
#ifdef OMS_HAVE_SQLITE
		&sqlite_backend,
#endif
#ifdef OMS_HAVE_MARIADB
		&mariadb_backend,
#endif
	};

	oms_log_set_level(OMS_LOG_ERR);
#ifndef OMS_HAVE_SQLITE
	(ok)(1, "sqlite # SKIP the SQLite backend is not built");
#endif
	for (size_t i = 0; i < OMS_NELEM(backends); i++) {
		const char *skip = "";
		int r;

		be = backends[i];
		if ((r = be->setup(&skip)) == 0)
			(ok)(1, "%s # SKIP %s", be->name, skip);
		else if (r < 0)
			ok(0, "set-up of the pass bad: it cannot run");
		else {
			test_table();
			test_fresh();
			test_newer();
			be->failing();
			be->teardown();
		}
	}
#ifndef OMS_HAVE_MARIADB
	(ok)(1, "mariadb # SKIP the MariaDB backend is not built");
#endif
	return tap_done();
}

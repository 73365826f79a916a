/*
 * backend.c: the backends of the unit-test harness (backend.h): where
 * each pass keeps its databases, how the store is configured for them,
 * and a connection of the harness's own for a test's own SQL.  Nothing
 * here prints test points; diagnostics start with '#'.
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oms.h"
#include "../tap.h"
#include "backend.h"

const struct tb_backend *tb_be;

#ifdef OMS_HAVE_SQLITE
/* ---- backend: sqlite ------------------------------------------------ */
#include <sqlite3.h>

static char sq_dir[256]; /* the pass's temporary directory */

/* Make the temporary directory the databases live in. */
static int
sq_setup(const char **skip)
{
	const char *tmp = getenv("TMPDIR");

	(void)skip;
	snprintf(sq_dir, sizeof(sq_dir), "%s/oms-unit.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(sq_dir) == NULL) {
		printf("# mkdtemp %s failed\n", sq_dir);
		sq_dir[0] = '\0';
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

	if (sq_dir[0] == '\0' || (d = opendir(sq_dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", sq_dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(sq_dir);
	sq_dir[0] = '\0';
}

/* Configure the database called name in the temporary directory. */
static void
sq_conf(struct oms_conf_store *cs, const char *name)
{
	memset(cs, 0, sizeof(*cs));
	cs->backend = OMS_BACKEND_SQLITE;
	snprintf(cs->path, sizeof(cs->path), "%s/%s.db", sq_dir, name);
	cs->busy_timeout_ms = 2000;
}

/* Nothing to do: OMS_STORE_CREATE makes the file.  Always 1. */
static int
sq_create(const char *name)
{
	(void)name;
	return 1;
}

/* Open database name with a busy timeout; NULL with a diagnostic. */
static sqlite3 *
sq_connect(const char *name)
{
	struct oms_conf_store cs;
	sqlite3 *db = NULL;

	sq_conf(&cs, name);
	if (sqlite3_open_v2(cs.path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		printf("# sqlite3_open_v2(%s): %s\n", cs.path,
		    db ? sqlite3_errmsg(db) : "no memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	return db;
}

/* One statement of the test's own on database name; 1 on success. */
static int
sq_exec(const char *name, const char *sql)
{
	sqlite3 *db = sq_connect(name);
	char *msg = NULL;
	int r;

	if (db == NULL)
		return 0;
	if ((r = sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK) == 0)
		printf("# %s: %s\n", sql, msg ? msg : "?");
	sqlite3_free(msg);
	sqlite3_close(db);
	return r;
}

/* Column 0 of the first row of sql on database name; -1 on failure. */
static int64_t
sq_value(const char *name, const char *sql)
{
	sqlite3 *db = sq_connect(name);
	sqlite3_stmt *s = NULL;
	int64_t v = -1;

	if (db == NULL)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		printf("# %s: %s\n", sql, sqlite3_errmsg(db));
	else if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static const struct tb_backend sqlite_backend = {
	"sqlite", OMS_BACKEND_SQLITE, sq_setup, sq_teardown, sq_conf,
	sq_create, sq_exec, sq_value,
};
#endif /* OMS_HAVE_SQLITE */

#ifdef OMS_HAVE_MARIADB
/* ---- backend: mariadb ----------------------------------------------- */

/* A variable that must stay unset: the store reads no password. */
#define MD_NO_PASSWORD "OMS_UNIT_TEST_NO_PASSWORD"

static const char *md_socket; /* OMS_MARIADB_SOCKET */
static MYSQL *md_admin;       /* root, no default database: DDL */
static char md_made[16][64];  /* the databases made by this pass */
static int md_nmade;          /* how many */
static long md_pid;           /* the test's pid, in database names */

/* Described in backend.h: the server's name of database name. */
void
tb_md_dbname(char *buf, size_t sz, const char *name)
{
	/* The pid of the test, not of a child it forked. */
	snprintf(buf, sz, "oms_unit_%ld_%s", md_pid, name);
}

/* Described in backend.h: a root connection on database db. */
MYSQL *
tb_md_connect(const char *db)
{
	MYSQL *m = mysql_init(NULL);

	if (m == NULL)
		return NULL;
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(m, NULL, "root", NULL, db, 0, md_socket,
	    0) == NULL) {
		printf("# mysql_real_connect(%s, %s): %s\n", md_socket,
		    db ? db : "-", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	/* The harness's own sessions commit each statement, whatever the
	 * server's default (a test may turn it off globally). */
	mysql_autocommit(m, 1);
	return m;
}

/* Run one statement on m; 1 on success, 0 with a diagnostic. */
static int
md_run(MYSQL *m, const char *sql)
{
	if (m == NULL || mysql_real_query(m, sql,
	    (unsigned long)strlen(sql)) != 0) {
		printf("# %s: %s\n", sql, m ? mysql_error(m) : "no connection");
		return 0;
	}
	return 1;
}

/* Drop the databases of the pass and close the connection; registered
 * with atexit() too, so a bail-out leaves nothing behind. */
static void
md_teardown(void)
{
	char sql[160];

	if (md_admin == NULL)
		return;
	for (int i = 0; i < md_nmade; i++) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS `%.64s`",
		    md_made[i]);
		md_run(md_admin, sql);
	}
	md_nmade = 0;
	mysql_close(md_admin);
	md_admin = NULL;
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
	md_pid = (long)getpid();
	if ((md_admin = tb_md_connect(NULL)) == NULL)
		return -1;
	/* Never hang on a metadata lock when dropping at exit. */
	if (!md_run(md_admin, "SET SESSION lock_wait_timeout = 10")) {
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
	{
		size_t n = strlen(md_socket);

		if (n >= sizeof(cs->socket))
			n = sizeof(cs->socket) - 1;
		memcpy(cs->socket, md_socket, n);
		cs->socket[n] = '\0';
	}
	snprintf(cs->user, sizeof(cs->user), "root");
	snprintf(cs->password_env, sizeof(cs->password_env), "%s",
	    MD_NO_PASSWORD);
	tb_md_dbname(cs->database, sizeof(cs->database), name);
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
	char db[64], sql[160];

	tb_md_dbname(db, sizeof(db), name);
	for (int i = 0; i < md_nmade; i++)
		if (strcmp(md_made[i], db) == 0)
			return 1;
	if (md_nmade == (int)OMS_NELEM(md_made))
		return 0;
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS `%.64s`", db);
	if (!md_run(md_admin, sql))
		return 0;
	snprintf(sql, sizeof(sql), "CREATE DATABASE `%.64s` CHARACTER SET "
	    "utf8mb4", db);
	if (!md_run(md_admin, sql))
		return 0;
	snprintf(md_made[md_nmade++], sizeof(md_made[0]), "%s", db);
	return 1;
}

/* One statement of the test's own on database name; 1 on success. */
static int
md_exec(const char *name, const char *sql)
{
	char db[64];
	MYSQL *m;
	int r;

	tb_md_dbname(db, sizeof(db), name);
	if ((m = tb_md_connect(db)) == NULL)
		return 0;
	r = md_run(m, sql);
	mysql_close(m);
	return r;
}

/* Column 0 of the first row of sql on database name; -1 on failure. */
static int64_t
md_value(const char *name, const char *sql)
{
	char db[64];
	MYSQL *m;
	MYSQL_RES *res;
	MYSQL_ROW row;
	int64_t v = -1;

	tb_md_dbname(db, sizeof(db), name);
	if ((m = tb_md_connect(db)) == NULL)
		return -1;
	if (md_run(m, sql) && (res = mysql_store_result(m)) != NULL) {
		if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
			v = strtoll(row[0], NULL, 10);
		mysql_free_result(res);
	}
	mysql_close(m);
	return v;
}

static const struct tb_backend mariadb_backend = {
	"mariadb", OMS_BACKEND_MARIADB, md_setup, md_teardown, md_conf,
	md_create, md_exec, md_value,
};
#endif /* OMS_HAVE_MARIADB */

const struct tb_backend *const tb_backends[] = {
#ifdef OMS_HAVE_SQLITE
	&sqlite_backend,
#endif
#ifdef OMS_HAVE_MARIADB
	&mariadb_backend,
#endif
};
const int tb_nbackends = (int)OMS_NELEM(tb_backends);

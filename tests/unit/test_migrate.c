/*
 * test_migrate.c: numbered schema migrations (src/store/migrate.c) on fresh
 * databases, once for each backend (a pass).
 *
 * The passes come from the shared harness (backend.h: SQLite in a
 * temporary directory, MariaDB when OMS_MARIADB_SOCKET is set).
 *
 * Everything outside the dialect blocks goes through the store API, so
 * the same tests run on both; what holds for one dialect only (its
 * migrations, what a migration that fails half-way leaves behind) sits
 * in its block.
 * Every test point's name starts with the backend of its pass.
 * Negative cases say "bad".
 */
#include "config.h"

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
#include "backend.h"

/* The dialect's part of the tests, beside the shared harness's
 * backend (backend.h). */
struct dialect {
	enum oms_backend kind; /* the backend it belongs to */
	/* The migration table of this backend's dialect. */
	const struct oms_migration *(*migrations)(void);
	/* A migration that fails half-way, and the way back. */
	void (*failing)(void);
};

static struct oms_store *open_db(const char *, int);
static int has_schema(struct oms_store *);
static const struct dialect *dialect(void);

#ifdef OMS_HAVE_SQLITE
/* ---- backend: sqlite ------------------------------------------------ */

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

static const struct dialect sqlite_dialect = {
	OMS_BACKEND_SQLITE,
	sq_migrations,
	sq_failing,
};

/* ---- end of backend: sqlite ----------------------------------------- */
#endif /* OMS_HAVE_SQLITE */

#ifdef OMS_HAVE_MARIADB
/* ---- backend: mariadb ----------------------------------------------- */

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

static const struct dialect mariadb_dialect = {
	OMS_BACKEND_MARIADB,
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

	tb_be->conf(&cs, name);
	if (((flags & OMS_STORE_CREATE) && !tb_be->create(name)) ||
	    oms_store_open(&cs, flags, &oms_stmt_table, &st) != OMS_OK) {
		printf("Bail out! %s: cannot open database %s\n", tb_be->name,
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
	const struct oms_migration *m = dialect()->migrations();
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

/* The dialect of the running pass. */
static const struct dialect *
dialect(void)
{
	static const struct dialect *const all[] = {
#ifdef OMS_HAVE_SQLITE
		&sqlite_dialect,
#endif
#ifdef OMS_HAVE_MARIADB
		&mariadb_dialect,
#endif
	};

	for (size_t i = 0; i < OMS_NELEM(all); i++)
		if (all[i]->kind == tb_be->kind)
			return all[i];
	printf("Bail out! no dialect for %s\n", tb_be->name);
	exit(1);
}

/* One pass. */
static void
pass(void)
{
	test_table();
	test_fresh();
	test_newer();
	dialect()->failing();
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	tb_run(pass);
	return tap_done();
}

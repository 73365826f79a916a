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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "date.h"
#include "history.h"
#include "inventory.h"
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

/* Column 0 of the harness's own query on database name (printf-style);
 * -1 on failure. */
static int64_t __attribute__((format(printf, 2, 3)))
val(const char *name, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return tb_be->value(name, sql);
}

/*
 * A database left at version 5 (before the catalog and asset history)
 * with assets in every situation, migrated to the latest version: each
 * asset gets its first state (a removed one a second, open, removed
 * state), a tag 'A' + its id on eight digits, unique and stable, and
 * each product's old monthly_cents becomes its first price.
 */
static void
test_upgrade(void)
{
	static const char *const data[] = {
		"INSERT INTO customers (id, code, name, address, city, region,"
		" postcode, country, created_at) VALUES (1, 'C1', 'Old Co',"
		" 'a', 'b', 'c', 'd', 'US', '2024-01-01T00:00:00Z')",
		"INSERT INTO sites (id, customer_id, code, name, address, city,"
		" region, postcode, country) VALUES (1, 1, 'S1', 'Old site',"
		" 'a', 'b', 'c', 'd', 'US')",
		"INSERT INTO cost_centres (id, customer_id, code, name)"
		" VALUES (1, 1, 'CC1', 'Old cc')",
		"INSERT INTO products (id, code, name, asset_type, monthly_cents)"
		" VALUES (1, 'L1', 'Line', 'line', 2500)",
		"INSERT INTO products (id, code, name, asset_type, monthly_cents)"
		" VALUES (2, 'S1', 'Set', 'set', 0)",
		/* 1 active, 2 removed, 3 pending (planned), 4 suspended,
		 * 12345 active with a five-digit id. */
		"INSERT INTO assets (id, site_id, cost_centre_id, product_id,"
		" status, ports, phone_number, installed_on) VALUES"
		" (1, 1, 1, 1, 'active', 2, '+15550001', '2025-03-01')",
		"INSERT INTO assets (id, site_id, cost_centre_id, product_id,"
		" status, ports, phone_number, installed_on, removed_on) VALUES"
		" (2, 1, 1, 1, 'removed', 1, '+15550002', '2025-01-15',"
		" '2025-06-01')",
		"INSERT INTO assets (id, site_id, cost_centre_id, product_id,"
		" status, ports, serial, installed_on) VALUES"
		" (3, 1, 1, 2, 'pending', 1, 'SN3', '2030-09-01')",
		"INSERT INTO assets (id, site_id, cost_centre_id, product_id,"
		" status, ports, installed_on) VALUES"
		" (4, 1, 1, 2, 'suspended', 4, '2024-12-01')",
		"INSERT INTO assets (id, site_id, cost_centre_id, product_id,"
		" status, ports, installed_on) VALUES"
		" (12345, 1, 1, 1, 'active', 1, '2024-12-01')",
	};
	const char *db = "upgrade";
	struct oms_store *st = open_db(db, OMS_STORE_CREATE);
	const struct oms_migration *m = dialect()->migrations();
	struct oms_arena *a = oms_arena_new();
	struct oms_query *q;
	int latest = oms_migrate_latest(st), applied = -1, good = 1;

	/* Version 5 by hand: the scripts and their records. */
	if (oms_query_exec(oms_query(st, OMS_STMT_MIGRATIONS_CREATE)) != OMS_OK)
		good = 0;
	for (; good && m->name != NULL && m->version <= 5; m++) {
		if (oms_store_exec_script(st, m->sql) != OMS_OK) {
			good = 0;
			break;
		}
		q = oms_query(st, OMS_STMT_MIGRATIONS_ADD);
		oms_query_int(q, m->version);
		oms_query_text(q, m->name);
		oms_query_text(q, "2025-01-01T00:00:00Z");
		if (oms_query_exec(q) != OMS_OK)
			good = 0;
	}
	ok(good && oms_migrate_current(st) == 5, "upgrade: a database at version 5");
	for (size_t i = 0; i < OMS_NELEM(data); i++)
		if (!tb_be->exec(db, data[i]))
			good = 0;
	ok(good, "upgrade: version 5 holds assets active, removed, pending,"
	    " suspended");
	ok(oms_migrate(st, &applied) == OMS_OK && applied == latest - 5 &&
	    oms_migrate_current(st) == latest, "upgrade: migrated to %d", latest);

	is_int(val(db, "SELECT COUNT(*) FROM asset_states"), 6,
	    "upgrade: six states for five assets");
	is_int(val(db, "SELECT COUNT(*) FROM asset_states s JOIN assets a"
	    " ON a.id = s.asset_id WHERE s.seq = 1 AND s.valid_from ="
	    " a.installed_on AND s.site_id = a.site_id AND s.cost_centre_id ="
	    " a.cost_centre_id AND s.product_id = a.product_id AND s.ports ="
	    " a.ports AND (s.phone_number = a.phone_number OR (s.phone_number"
	    " IS NULL AND a.phone_number IS NULL)) AND (s.serial = a.serial OR"
	    " (s.serial IS NULL AND a.serial IS NULL))"), 5,
	    "upgrade: every asset's first state copies it from installation");
	is_int(val(db, "SELECT COUNT(*) FROM asset_states WHERE seq = 1 AND"
	    " valid_to IS NULL AND ((asset_id = 1 AND status = 'active') OR"
	    " (asset_id = 3 AND status = 'pending') OR (asset_id = 4 AND"
	    " status = 'suspended') OR (asset_id = 12345 AND"
	    " status = 'active'))"), 4,
	    "upgrade: active, pending and suspended: one open state, their status");
	is_int(val(db, "SELECT COUNT(*) FROM asset_states WHERE asset_id = 2"
	    " AND ((seq = 1 AND valid_to = '2025-06-01' AND status = 'active')"
	    " OR (seq = 2 AND valid_from = '2025-06-01' AND valid_to IS NULL"
	    " AND status = 'removed' AND ports = 1 AND"
	    " phone_number = '+15550002'))"), 2,
	    "upgrade: removed: in service to its removal, then an open removed state");
	{
		static const int64_t ids[] = {1, 2, 3, 4, 12345};
		int valid = 1;

		for (size_t i = 0; i < OMS_NELEM(ids); i++) {
			struct oms_asset_state *v;
			size_t n = 0;

			if (oms_history_list(st, a, ids[i], &v, &n) != OMS_OK ||
			    n < 1 || !oms_history_valid(v, n))
				valid = 0;
		}
		ok(valid, "upgrade: every history is well formed");
	}
	{
		struct oms_asset_state x;
		int32_t d;

		oms_date_parse("2025-05-31", &d);
		ok(oms_history_at(st, a, 2, d, &x) == OMS_OK &&
		    x.status == OMS_STATUS_ACTIVE,
		    "upgrade: the removed asset is active on its last day");
		ok(oms_history_at(st, a, 2, d + 1, &x) == OMS_OK &&
		    x.status == OMS_STATUS_REMOVED,
		    "upgrade: and removed on its removal day");
	}
	is_int(val(db, "SELECT COUNT(*) FROM assets WHERE"
	    " (id = 1 AND tag = 'A00000001') OR (id = 2 AND tag = 'A00000002')"
	    " OR (id = 3 AND tag = 'A00000003') OR (id = 4 AND"
	    " tag = 'A00000004') OR (id = 12345 AND tag = 'A00012345')"), 5,
	    "upgrade: tags are A and the id on eight digits");
	is_int(val(db, "SELECT COUNT(DISTINCT tag) FROM assets"), 5,
	    "upgrade: tags are unique");
	is_int(val(db, "SELECT COUNT(*) FROM assets WHERE parent_id IS NULL"), 5,
	    "upgrade: no asset has a parent");
	is_int(val(db, "SELECT COUNT(*) FROM product_prices WHERE"
	    " valid_from = '2000-01-01' AND ((product_id = 1 AND"
	    " monthly_cents = 2500) OR (product_id = 2 AND"
	    " monthly_cents = 0))"), 2,
	    "upgrade: each product's monthly_cents is its first price");
	is_int(val(db, "SELECT COUNT(*) FROM product_prices"), 2,
	    "upgrade: and no other price");
	is_int(val(db, "SELECT COUNT(*) FROM products WHERE charge = 'flat'"
	    " AND usage_unit = ''"), 2, "upgrade: products are flat, no usage");

	/* Stable: migrating again changes nothing; a new asset's tag
	 * skips the tags the migration gave. */
	applied = -1;
	ok(oms_migrate(st, &applied) == OMS_OK && applied == 0,
	    "upgrade: a second migrate applies nothing");
	{
		struct oms_asset_state s;
		const char *why = NULL;
		int64_t id = 0;

		memset(&s, 0, sizeof(s));
		s.site = 1;
		s.cost_centre = 1;
		s.product = 1;
		s.ports = 1;
		s.status = OMS_STATUS_ACTIVE;
		oms_date_parse("2026-01-01", &s.valid_from);
		ok(oms_store_begin(st) == OMS_OK &&
		    oms_history_install(st, NULL, 0, &s, &id, &why) == OMS_OK &&
		    oms_store_commit(st) == OMS_OK,
		    "upgrade: a new asset is installed");
		/* Past the highest id (12345): the migrated tags are by id. */
		is_int(val(db, "SELECT COUNT(*) FROM assets WHERE id = %lld AND"
		    " tag = 'A00012346'", (long long)id), 1,
		    "upgrade: its generated tag is past every migrated one (A00012346)");
	}
	is_int(val(db, "SELECT COUNT(*) FROM assets WHERE"
	    " (id = 1 AND tag = 'A00000001') OR (id = 12345 AND"
	    " tag = 'A00012345')"), 2, "upgrade: the old tags did not change");
	oms_arena_free(&a);
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
	test_upgrade();
	dialect()->failing();
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	tb_run(pass);
	return tap_done();
}

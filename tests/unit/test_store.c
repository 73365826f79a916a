/*
 * test_store.c: store conformance (src/store/store.c over a backend in
 * backends/) and the inventory reads (src/domain/inventory.c) on demo data.
 *
 * Sections: the backend blocks (the only code that knows which backend
 * runs: configuration, reference queries, backend-only checks), one for
 * SQLite and one for MariaDB, each filling a struct backend; open and
 * close; the error latch; values; constraints; transactions; statement
 * reuse; scripts; inventory reads on seeded data (counts against
 * reference queries and a C oracle, sorting, paging, LIKE); main, which
 * runs every test once for each backend (a pass).
 *
 * The passes come from the shared harness (backend.h: SQLite always,
 * MariaDB when OMS_MARIADB_SOCKET is set, each database made and
 * removed by the harness); this file adds each backend's reference
 * queries and the checks that hold for one backend only.
 *
 * Everything outside the backend blocks goes through the store API and
 * the be_* wrappers only.  Every test point's name starts with the
 * backend of its pass.  Negative cases say "bad".
 */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "conf.h"
#include "field.h"
#include "auth.h"
#include "inventory.h"
#include "migrate.h"
#include "oms.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"
#include "users.h"
#include "../tap.h"
#include "backend.h"

/*
 * A backend's part of the tests.  Reference queries are written for the
 * backend and run on a connection of their own, independently of
 * src/stmt.c; types says what follows the SQL: 'i' an int64_t, 's' a
 * string.
 */
struct backend {
	enum oms_backend kind; /* the harness's backend it belongs to */
	/* Open or close the reference connection on database name. */
	int (*ref_open)(const char *name);
	void (*ref_close)(void);
	/* Column col of the one row of a reference query, or -1. */
	int64_t (*ref)(int col, const char *sql, const char *types, va_list);
	/* Assets of site with text as a case-sensitive substring of an
	 * identifier. */
	int64_t (*ref_text)(int64_t site, const char *text);
	/* The checks that hold for this backend only. */
	void (*specific)(void);
};

static const struct backend *be; /* the backend of the running pass */

/*
 * The wrappers the tests call, each passing on to the method of the
 * same name of the pass's backend (see struct backend for what each
 * does and returns).
 */
static void
be_conf(struct oms_conf_store *cs, const char *name)
{
	tb_be->conf(cs, name);
}

static const char *
be_name(void)
{
	return tb_be->name;
}

static int
be_create(const char *name)
{
	return tb_be->create(name);
}

static int
be_ref_open(const char *name)
{
	return be->ref_open(name);
}

static void
be_ref_close(void)
{
	be->ref_close();
}

static int64_t
be_ref(int col, const char *sql, const char *types, ...)
{
	va_list ap;
	int64_t v;

	va_start(ap, types);
	v = be->ref(col, sql, types, ap);
	va_end(ap);
	return v;
}

static int64_t
be_ref_text(int64_t site, const char *text)
{
	return be->ref_text(site, text);
}

static void
be_specific(void)
{
	be->specific();
}

/* Reference counts, written independently of src/stmt.c, in the SQL
 * both backends speak. */
#define REF_SITE_TOTAL \
	"SELECT COUNT(*), COALESCE(SUM(ports), 0) FROM assets WHERE site_id = ?"
#define REF_SITE_TYPE \
	"SELECT COUNT(*), COALESCE(SUM(a.ports), 0) FROM assets a" \
	" JOIN products p ON p.id = a.product_id" \
	" WHERE a.site_id = ? AND p.asset_type = ?"
#define REF_SITE_STATUS \
	"SELECT COUNT(*) FROM assets WHERE site_id = ? AND status = ?"
#define REF_SITE_CC \
	"SELECT COUNT(*) FROM assets WHERE site_id = ? AND cost_centre_id = ?"
#define REF_SITE_LIVE \
	"SELECT COUNT(*), COALESCE(SUM(ports), 0) FROM assets" \
	" WHERE site_id = ? AND status <> 'removed'"
#define REF_CUSTOMER_LIVE \
	"SELECT COUNT(*), COALESCE(SUM(a.ports), 0) FROM assets a" \
	" JOIN sites s ON s.id = a.site_id" \
	" WHERE s.customer_id = ? AND a.status <> 'removed'"

/* The test helpers, defined after the backend blocks, which use them
 * for their own checks. */
static enum oms_err add_customer(struct oms_store *, const char *,
    const char *, int64_t *);
static enum oms_err add_site(struct oms_store *, int64_t, const char *,
    int64_t *);
static enum oms_err add_cc(struct oms_store *, int64_t, const char *,
    int64_t *);
static enum oms_err add_product(struct oms_store *, const char *,
    const char *, int64_t *);
static enum oms_err add_asset(struct oms_store *, int64_t, int64_t, int64_t,
    const char *, const char *, const char *, const char *, const char *);
static int64_t customer_count(struct oms_store *);

#ifdef OMS_HAVE_SQLITE
/* ======================================================================
 * ---- backend: sqlite ----
 * ====================================================================== */
#include <sqlite3.h>

static sqlite3 *ref_db;   /* reference connection, read-only */
static sqlite3 *captured; /* the newest connection SQLite opened */

/* Configure the database called name (the harness's place). */
static void
sq_conf(struct oms_conf_store *cs, const char *name)
{
	tb_be->conf(cs, name);
}

/* Open the reference connection on database name; 1 on success. */
static int
sq_ref_open(const char *name)
{
	struct oms_conf_store cs;

	sq_conf(&cs, name);
	return sqlite3_open_v2(cs.path, &ref_db, SQLITE_OPEN_READONLY,
	    NULL) == SQLITE_OK;
}

/* Close the reference connection and release the library. */
static void
sq_ref_close(void)
{
	sqlite3_close(ref_db);
	ref_db = NULL;
	sqlite3_shutdown();
}

/* A reference query on the reference connection (struct backend). */
static int64_t
sq_ref(int col, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(ref_db, sql, -1, &s, NULL) != SQLITE_OK) {
		printf("# reference query: %s\n", sqlite3_errmsg(ref_db));
		return -1;
	}
	for (int i = 0; types[i] != '\0'; i++)
		if (types[i] == 'i')
			sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
		else
			sqlite3_bind_text(s, i + 1, va_arg(ap, const char *), -1,
			    SQLITE_TRANSIENT);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, col);
	sqlite3_finalize(s);
	return v;
}

/* Calls sq_ref with its arguments. */
static int64_t
sq_ref_args(int col, const char *sql, const char *types, ...)
{
	va_list ap;
	int64_t v;

	va_start(ap, types);
	v = sq_ref(col, sql, types, ap);
	va_end(ap);
	return v;
}

/* Count of assets at site with text as a case-sensitive substring of
 * an identifier (instr, not LIKE). */
static int64_t
sq_ref_text(int64_t site, const char *text)
{
	return sq_ref_args(0, "SELECT COUNT(*) FROM assets WHERE site_id = ?1"
	    " AND (instr(phone_number, ?2) > 0 OR instr(extension, ?2) > 0 OR"
	    " instr(mailbox, ?2) > 0 OR instr(serial, ?2) > 0)", "is",
	    site, text);
}

/* Record the handle of every connection opened while installed. */
static int
capture(sqlite3 *db, const char **msg, const struct sqlite3_api_routines *api)
{
	(void)msg;
	(void)api;
	captured = db;
	return SQLITE_OK;
}

/* An integer PRAGMA on db, or -1. */
static int64_t
pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* 1 when a text PRAGMA on db gives want. */
static int
pragma_is(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *s;
	int r = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		r = strcmp((const char *)sqlite3_column_text(s, 0), want) == 0;
	sqlite3_finalize(s);
	return r;
}

/* What only SQLite promises: the settings of every connection. */
static void
sq_specific(void)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL, *st2 = NULL;
	sqlite3 *h;
	struct stat sb;
	char wal[sizeof(cs.path) + 8];
	FILE *f;
	int applied = 0;

	/* Opening without CREATE must not leave a file behind. */
	sq_conf(&cs, "never");
	(void)oms_store_open(&cs, 0, &oms_stmt_table, &st);
	ok(st == NULL && stat(cs.path, &sb) != 0,
	    "open without CREATE of a missing file bad, and no file is "
	    "created");

	/* Each connection's settings, read on the store's own handle. */
	sq_conf(&cs, "main");
	cs.busy_timeout_ms = 1234;
	captured = NULL;
	sqlite3_auto_extension((void (*)(void))capture);
	(void)oms_store_open(&cs, OMS_STORE_CREATE, &oms_stmt_table, &st);
	sqlite3_cancel_auto_extension((void (*)(void))capture);
	h = captured;
	ok(st != NULL && h != NULL && oms_migrate(st, &applied) == OMS_OK,
	    "the store's connection handle is captured");
	if (st == NULL || h == NULL) {
		oms_store_close(&st);
		return;
	}
	is_int(pragma_int(h, "PRAGMA foreign_keys"), 1,
	    "foreign_keys is on for the connection");
	is_int(pragma_int(h, "PRAGMA synchronous"), 2,
	    "synchronous is FULL (2)");
	ok(pragma_is(h, "PRAGMA journal_mode", "wal"), "journal_mode is wal");
	is_int(pragma_int(h, "PRAGMA busy_timeout"), 1234,
	    "busy_timeout is the configured one");

	/* WAL is a property of the file: a write makes the -wal file. */
	ok(add_customer(st, "WALCHECK", "WAL check", NULL) == OMS_OK,
	    "a write for the WAL check");
	snprintf(wal, sizeof(wal), "%s-wal", cs.path);
	ok(stat(wal, &sb) == 0, "the -wal file exists after a write");

	/* A second writer without a timeout meets BEGIN IMMEDIATE's lock. */
	cs.busy_timeout_ms = 0;
	ok(oms_store_open(&cs, 0, &oms_stmt_table, &st2) == OMS_OK, "a second connection");
	ok(oms_store_begin(st) == OMS_OK, "first connection begins");
	is_int(oms_store_begin(st2), OMS_ERR_BUSY,
	    "second writer bad: OMS_ERR_BUSY, not a hard failure");
	oms_store_rollback(st);
	ok(oms_store_begin(st2) == OMS_OK, "second writer begins once the "
	    "first is done");
	oms_store_rollback(st2);
	oms_store_close(&st2);
	oms_store_close(&st);

	/* A file that is not a database fails cleanly. */
	sq_conf(&cs, "garbage");
	if ((f = fopen(cs.path, "w")) != NULL) {
		for (int i = 0; i < 200; i++)
			fputs("this is not an SQLite database\n", f);
		fclose(f);
	}
	ok(oms_store_open(&cs, OMS_STORE_CREATE, &oms_stmt_table, &st) != OMS_OK && st == NULL,
	    "a file that is not a database bad: error, no store");
}

static const struct backend sqlite_backend = {
	OMS_BACKEND_SQLITE,
	sq_ref_open,
	sq_ref_close,
	sq_ref,
	sq_ref_text,
	sq_specific,
};

/* ======================================================================
 * ---- end of backend: sqlite ----
 * ====================================================================== */
#endif /* OMS_HAVE_SQLITE */

#ifdef OMS_HAVE_MARIADB
/* ======================================================================
 * ---- backend: mariadb ----
 * ====================================================================== */
#include <mysql.h>

static MYSQL *md_admin;       /* root, no default database: KILL */
static MYSQL *md_refdb;       /* reference connection on one database */

/* The server's name of the pass's database, a root connection: the
 * harness's. */
#define md_dbname tb_md_dbname
#define md_connect tb_md_connect
#define md_conf(cs, name) tb_be->conf((cs), (name))
#define md_create(name) tb_be->create(name)

/* Run one statement without a result, its text from fmt (our own
 * database names and server ids only); 1 on success. */
static int __attribute__((format(printf, 2, 3)))
md_exec(MYSQL *m, const char *fmt, ...)
{
	char sql[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (m == NULL || mysql_real_query(m, sql,
	    (unsigned long)strlen(sql)) != 0) {
		printf("# %s: %s\n", sql, m ? mysql_error(m) : "no connection");
		return 0;
	}
	return 1;
}

/*
 * Column col of the first row of a prepared query on m, as an integer;
 * -1 on any failure or for NULL.  Parameters as for struct backend's
 * ref (at most 8); every column is fetched as text.
 */
static int64_t
md_vint(MYSQL *m, int col, const char *sql, const char *types, va_list ap)
{
	MYSQL_BIND pb[8], rb[8];
	long long iv[8];
	unsigned long plen[8], rlen[8];
	char rbuf[8][64];
	my_bool rnull[8];
	MYSQL_STMT *s;
	unsigned n = 0;
	int64_t v = -1;

	if (m == NULL || (s = mysql_stmt_init(m)) == NULL)
		return -1;
	if (mysql_stmt_prepare(s, sql, (unsigned long)strlen(sql)) != 0)
		goto err;
	memset(pb, 0, sizeof(pb));
	for (n = 0; types[n] != '\0' && n < 8; n++)
		if (types[n] == 'i') {
			iv[n] = (long long)va_arg(ap, int64_t);
			pb[n].buffer_type = MYSQL_TYPE_LONGLONG;
			pb[n].buffer = &iv[n];
		} else {
			char *t = (char *)va_arg(ap, const char *);

			plen[n] = (unsigned long)strlen(t);
			pb[n].buffer_type = MYSQL_TYPE_STRING;
			pb[n].buffer = t;
			pb[n].buffer_length = plen[n];
			pb[n].length = &plen[n];
		}
	if (n > 0 && mysql_stmt_bind_param(s, pb) != 0)
		goto err;
	if (mysql_stmt_execute(s) != 0)
		goto err;
	if ((n = mysql_stmt_field_count(s)) == 0 || n > 8 ||
	    col >= (int)n) {
		printf("# reference query: %u columns\n", n);
		goto out;
	}
	memset(rb, 0, sizeof(rb));
	for (unsigned i = 0; i < n; i++) {
		rb[i].buffer_type = MYSQL_TYPE_STRING;
		rb[i].buffer = rbuf[i];
		rb[i].buffer_length = sizeof(rbuf[i]);
		rb[i].length = &rlen[i];
		rb[i].is_null = &rnull[i];
	}
	if (mysql_stmt_bind_result(s, rb) != 0)
		goto err;
	switch (mysql_stmt_fetch(s)) {
	case 0:
		if (!rnull[col])
			v = strtoll(rbuf[col], NULL, 10);
		break;
	case MYSQL_NO_DATA:
		break;
	default:
		goto err;
	}
	goto out;
err:
	printf("# reference query: %s\n", mysql_stmt_error(s));
out:
	mysql_stmt_close(s);
	return v;
}

/* md_vint with its arguments. */
static int64_t
md_int(MYSQL *m, int col, const char *sql, const char *types, ...)
{
	va_list ap;
	int64_t v;

	va_start(ap, types);
	v = md_vint(m, col, sql, types, ap);
	va_end(ap);
	return v;
}

/* Open the reference connection on database name; 1 on success. */
static int
md_ref_open(const char *name)
{
	char db[64];

	md_dbname(db, sizeof(db), name);
	if (md_refdb != NULL)
		mysql_close(md_refdb);
	return (md_refdb = md_connect(db)) != NULL;
}

/* Close the reference connection; harmless when none is open. */
static void
md_ref_close(void)
{
	if (md_refdb != NULL)
		mysql_close(md_refdb);
	md_refdb = NULL;
}

/* A reference query on the reference connection (struct backend). */
static int64_t
md_ref(int col, const char *sql, const char *types, va_list ap)
{
	return md_vint(md_refdb, col, sql, types, ap);
}

/* As sq_ref_text: a byte-wise substring, whatever the collation. */
static int64_t
md_ref_text(int64_t site, const char *text)
{
	return md_int(md_refdb, 0, "SELECT COUNT(*) FROM assets"
	    " WHERE site_id = ? AND ("
	    "INSTR(CAST(phone_number AS BINARY), CAST(? AS BINARY)) > 0 OR"
	    " INSTR(CAST(extension AS BINARY), CAST(? AS BINARY)) > 0 OR"
	    " INSTR(CAST(mailbox AS BINARY), CAST(? AS BINARY)) > 0 OR"
	    " INSTR(CAST(serial AS BINARY), CAST(? AS BINARY)) > 0)",
	    "issss", site, text, text, text, text);
}

/* The settings of a store's session, as the session itself reports
 * them; -1 where unknown. */
struct md_session {
	int64_t id;        /* CONNECTION_ID() */
	int64_t strict;    /* 1 when sql_mode has STRICT_ALL_TABLES */
	int64_t lock_wait; /* innodb_lock_wait_timeout, seconds */
	int64_t fk;        /* foreign_key_checks */
	int64_t utf8mb4;   /* 1 when the client character set is utf8mb4 */
};

/*
 * Read st's own session: there is no statement for it in the table, so
 * the session writes its settings into a table through the store, and
 * the reference connection (open on st's database) reads them.  Only
 * outside a transaction (CREATE TABLE commits).  1 on success.
 */
static int
md_session(struct oms_store *st, struct md_session *s)
{
	static const char *const q[] = {
		"SELECT id FROM oms_probe",
		"SELECT FIND_IN_SET('STRICT_ALL_TABLES', sql_mode) > 0"
		" FROM oms_probe",
		"SELECT lock_wait FROM oms_probe",
		"SELECT fk FROM oms_probe",
		"SELECT cs = 'utf8mb4' FROM oms_probe",
	};
	int64_t *v[] = {&s->id, &s->strict, &s->lock_wait, &s->fk,
	    &s->utf8mb4};

	for (size_t i = 0; i < OMS_NELEM(v); i++)
		*v[i] = -1;
	if (oms_store_exec_script(st, "CREATE TABLE oms_probe AS SELECT"
	    " CONNECTION_ID() AS id, @@SESSION.sql_mode AS sql_mode,"
	    " @@SESSION.innodb_lock_wait_timeout AS lock_wait,"
	    " @@SESSION.foreign_key_checks AS fk,"
	    " @@SESSION.character_set_client AS cs;\n") != OMS_OK)
		return 0;
	for (size_t i = 0; i < OMS_NELEM(v); i++)
		*v[i] = md_int(md_refdb, 0, q[i], "");
	return oms_store_exec_script(st, "DROP TABLE oms_probe;\n") == OMS_OK;
}

/* What only MariaDB promises: how the backend connects, the session
 * settings, the schema's engine and character set, lock waits and a
 * lost connection. */
static void
md_specific(void)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL, *st2 = NULL;
	struct md_session s, s2;
	struct oms_query *q;
	char db[64], code[40];
	int64_t n, cust = 0, site = 0, cc = 0, prod = 0, victim;
	int applied = 0;

	if ((md_admin = md_connect(NULL)) == NULL) {
		ok(0, "an administrator connection");
		return;
	}
	/* The backend never creates a database: the administrator does. */
	md_conf(&cs, "never");
	ok(oms_store_open(&cs, OMS_STORE_CREATE, &oms_stmt_table, &st) == OMS_ERR_CONFIG &&
	    st == NULL, "open with CREATE of a missing database bad: "
	    "OMS_ERR_CONFIG, no store");
	is_int(md_int(md_admin, 0, "SELECT COUNT(*) FROM"
	    " information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", "s",
	    cs.database), 0, "and no database is created");

	/* A server that does not answer is an outage, not bad settings. */
	snprintf(cs.socket, sizeof(cs.socket), "/nonexistent/oms-unit.sock");
	ok(oms_store_open(&cs, 0, &oms_stmt_table, &st) == OMS_ERR_UNAVAILABLE && st == NULL,
	    "open on a socket nobody listens on bad: OMS_ERR_UNAVAILABLE");

	/* A store on its own database, busy timeout 1 s. */
	md_conf(&cs, "main");
	md_dbname(db, sizeof(db), "main");
	cs.busy_timeout_ms = 1000;
	ok(md_create("main") && oms_store_open(&cs, 0, &oms_stmt_table, &st) == OMS_OK &&
	    oms_migrate(st, &applied) == OMS_OK && md_ref_open("main"),
	    "a migrated store and a reference connection");
	if (st == NULL || md_refdb == NULL) {
		oms_store_close(&st);
		md_ref_close();
		mysql_close(md_admin);
		md_admin = NULL;
		return;
	}

	/* The schema. */
	is_int(md_int(md_admin, 0, "SELECT COUNT(*) FROM"
	    " information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME"
	    " IN ('customers', 'sites', 'cost_centres', 'products', 'assets',"
	    " 'oms_migrations')", "s", db), 6,
	    "the inventory tables and oms_migrations exist");
	is_int(md_int(md_admin, 0, "SELECT COUNT(*) FROM"
	    " information_schema.TABLES WHERE TABLE_SCHEMA = ? AND"
	    " (ENGINE IS NULL OR ENGINE <> 'InnoDB' OR TABLE_COLLATION IS NULL"
	    " OR TABLE_COLLATION NOT LIKE 'utf8mb4!_%' ESCAPE '!')", "s", db),
	    0, "every table is InnoDB with a utf8mb4 collation");
	is_int(md_int(md_admin, 0, "SELECT COUNT(*) FROM"
	    " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND"
	    " CHARACTER_SET_NAME <> 'utf8mb4'", "s", db), 0,
	    "every text column is utf8mb4");

	/* The session. */
	ok(md_session(st, &s), "the store's session reports its settings");
	is_int(s.strict, 1, "the session's sql_mode has STRICT_ALL_TABLES");
	is_int(s.lock_wait, 1, "innodb_lock_wait_timeout is busy_timeout_ms "
	    "in seconds (1000 ms: 1)");
	is_int(s.fk, 1, "foreign_key_checks is on");
	is_int(s.utf8mb4, 1, "the client character set is utf8mb4");
	memset(code, 'X', 33);
	code[33] = '\0';
	n = customer_count(st);
	ok(add_customer(st, code, "Too long", NULL) != OMS_OK &&
	    customer_count(st) == n, "strict: a code longer than its column "
	    "bad: refused, not truncated");

	/* Foreign keys. */
	ok(add_customer(st, "FK", "Foreign keys", &cust) == OMS_OK &&
	    add_site(st, cust, "S", &site) == OMS_OK &&
	    add_cc(st, cust, "CC", &cc) == OMS_OK &&
	    add_product(st, "P-FK", "line", &prod) == OMS_OK,
	    "a customer with a site and cost centre, and a product");
	is_int(add_asset(st, site + 1000, cc, prod, "active", NULL, NULL,
	    "2024-01-01", NULL), OMS_ERR_CONSTRAINT,
	    "foreign keys: an asset at a missing site bad: OMS_ERR_CONSTRAINT");
	ok(add_asset(st, site, cc, prod, "active", NULL, NULL, "2024-01-01",
	    NULL) == OMS_OK && md_int(md_refdb, 0,
	    "SELECT COUNT(*) FROM assets", "") == 1,
	    "foreign keys: the same asset at its real site is taken");

	/* A lock wait ends in OMS_ERR_BUSY; the waiter rolls its unit
	 * back (only the statement was). */
	ok(oms_store_open(&cs, 0, &oms_stmt_table, &st2) == OMS_OK, "a second connection");
	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "HELD", "Held", NULL) == OMS_OK,
	    "lock: the first connection holds a new row in a transaction");
	ok(st2 != NULL && oms_store_begin(st2) == OMS_OK,
	    "lock: the second connection begins");
	is_int(st2 ? add_customer(st2, "HELD", "Waiting", NULL) : OMS_OK,
	    OMS_ERR_BUSY, "lock: a write waiting on the held row bad: "
	    "OMS_ERR_BUSY after innodb_lock_wait_timeout");
	if (st2 != NULL)
		oms_store_rollback(st2);
	oms_store_rollback(st);
	ok(st2 != NULL && oms_store_begin(st2) == OMS_OK &&
	    add_customer(st2, "HELD", "Second", NULL) == OMS_OK &&
	    oms_store_commit(st2) == OMS_OK, "lock: the second connection's "
	    "unit succeeds once the row is free");
	oms_store_close(&st2);

	/* A session killed inside a unit of work fails the whole unit;
	 * the next unit runs on a fresh session.  Only the store's session
	 * is on the database while its id is looked up. */
	md_ref_close();
	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "LOST", "Lost", NULL) == OMS_OK,
	    "lost: a unit of work begins and writes");
	/* Sessions just closed leave the process list a moment later. */
	for (int i = 0; i < 100; i++) {
		n = md_int(md_admin, 0, "SELECT COUNT(*) FROM"
		    " information_schema.PROCESSLIST WHERE DB = ?", "s", db);
		if (n == 1)
			break;
		usleep(20000);
	}
	victim = md_int(md_admin, 0, "SELECT MIN(ID) FROM"
	    " information_schema.PROCESSLIST WHERE DB = ?", "s", db);
	ok(n == 1 && victim == s.id,
	    "lost: the store's session is the one on its database");
	ok(md_exec(md_admin, "KILL CONNECTION %lld", (long long)victim),
	    "lost: a second connection kills it");
	is_int(add_customer(st, "LOST2", "Lost too", NULL),
	    OMS_ERR_UNAVAILABLE, "lost: the next statement of the unit bad: "
	    "OMS_ERR_UNAVAILABLE");
	q = oms_query(st, OMS_STMT_CUSTOMER_COUNT);
	while (oms_query_row(q))
		;
	is_int(oms_query_end(q), OMS_ERR_UNAVAILABLE, "lost: a further "
	    "statement bad: not run in autocommit on a new session");
	is_int(oms_store_commit(st), OMS_ERR_UNAVAILABLE,
	    "lost: commit bad: OMS_ERR_UNAVAILABLE");
	ok(md_ref_open("main") && md_int(md_refdb, 0, "SELECT COUNT(*) FROM"
	    " customers WHERE code IN ('LOST', 'LOST2')", "") == 0,
	    "lost: nothing of the unit is visible");
	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "AFTER", "After", NULL) == OMS_OK &&
	    oms_store_commit(st) == OMS_OK,
	    "lost: the next unit of work succeeds (reconnect)");
	ok(md_int(md_refdb, 0, "SELECT COUNT(*) FROM customers"
	    " WHERE code = 'AFTER'", "") == 1 && md_int(md_refdb, 0,
	    "SELECT COUNT(*) FROM customers WHERE code IN ('LOST', 'LOST2')",
	    "") == 0, "lost: it is visible, and the lost unit still is not");
	ok(md_session(st, &s2) && s2.id != s.id && s2.strict == 1 &&
	    s2.lock_wait == 1 && s2.fk == 1 && s2.utf8mb4 == 1,
	    "lost: the new session is set up like the first");
	md_ref_close();
	oms_store_close(&st);
	mysql_close(md_admin);
	md_admin = NULL;
}

static const struct backend mariadb_backend = {
	OMS_BACKEND_MARIADB,
	md_ref_open,
	md_ref_close,
	md_ref,
	md_ref_text,
	md_specific,
};

/* ======================================================================
 * ---- end of backend: mariadb ----
 * ====================================================================== */
#endif /* OMS_HAVE_MARIADB */

/* Open the database called name, maybe creating it; bails out. */
static struct oms_store *
open_db(const char *name, int flags)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;

	be_conf(&cs, name);
	if (((flags & OMS_STORE_CREATE) && !be_create(name)) ||
	    oms_store_open(&cs, flags, &oms_stmt_table, &st) != OMS_OK) {
		printf("Bail out! %s: cannot open database %s\n", be_name(),
		    name);
		exit(1);
	}
	return st;
}

static enum oms_err
add_customer(struct oms_store *st, const char *code, const char *name,
    int64_t *id)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
	enum oms_err e;

	oms_query_text(q, code);
	oms_query_text(q, name);
	oms_query_text(q, "1 Main St");
	oms_query_text(q, "Springfield");
	oms_query_text(q, "IL");
	oms_query_text(q, "62701");
	oms_query_text(q, "US");
	oms_query_text(q, "USD");
	oms_query_text(q, "2026-01-01T00:00:00Z");
	e = oms_query_exec(q);
	if (e == OMS_OK && id != NULL)
		*id = oms_store_last_id(st);
	return e;
}

/* The scope parameters of the customer list: everything. */
static void
bind_all_scope(struct oms_query *q)
{
	for (int i = 0; i < 6; i++)
		oms_query_int(q, 0);
}

static int64_t
customer_count(struct oms_store *st)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_COUNT);
	int64_t n = -1;

	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	if (oms_query_end(q) != OMS_OK)
		return -1;
	return n;
}

/* The name of customer id, copied into buf; "" when none. */
static const char *
customer_name(struct oms_store *st, int64_t id, char *buf, size_t sz)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	const char *s;

	buf[0] = '\0';
	oms_query_int(q, id);
	oms_query_int(q, 0); /* scope: all customers */
	oms_query_int(q, 0);
	if (oms_query_row(q) && (s = oms_query_col_text(q, 2)) != NULL)
		snprintf(buf, sz, "%s", s);
	(void)oms_query_end(q);
	return buf;
}

static enum oms_err
add_site(struct oms_store *st, int64_t customer, const char *code,
    int64_t *id)
{
	struct oms_query *q = oms_query(st, OMS_STMT_SITE_ADD);
	enum oms_err e;

	oms_query_int(q, customer);
	oms_query_text(q, code);
	oms_query_text(q, "Test site");
	oms_query_text(q, "2 Oak Ave");
	oms_query_text(q, "Springfield");
	oms_query_text(q, "IL");
	oms_query_text(q, "62702");
	oms_query_text(q, "US");
	e = oms_query_exec(q);
	if (e == OMS_OK && id != NULL)
		*id = oms_store_last_id(st);
	return e;
}

static enum oms_err
add_cc(struct oms_store *st, int64_t customer, const char *code, int64_t *id)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CC_ADD);
	enum oms_err e;

	oms_query_int(q, customer);
	oms_query_text(q, code);
	oms_query_text(q, "Test cost centre");
	e = oms_query_exec(q);
	if (e == OMS_OK && id != NULL)
		*id = oms_store_last_id(st);
	return e;
}

static enum oms_err
add_product(struct oms_store *st, const char *code, const char *type,
    int64_t *id)
{
	struct oms_query *q = oms_query(st, OMS_STMT_PRODUCT_ADD);
	enum oms_err e;

	oms_query_text(q, code);
	oms_query_text(q, "Test product");
	oms_query_text(q, type);
	oms_query_text(q, "flat");
	oms_query_int(q, 0);
	oms_query_int(q, 1000);
	e = oms_query_exec(q);
	if (e == OMS_OK && id != NULL)
		*id = oms_store_last_id(st);
	return e;
}

/* One asset; NULL strings bind SQL NULL (number, serial, removed). */
static enum oms_err
add_asset(struct oms_store *st, int64_t site, int64_t cc, int64_t product,
    const char *status, const char *number, const char *serial,
    const char *installed, const char *removed)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ASSET_ADD);
	static int tags;
	char tag[16];

	oms_query_int(q, site);
	oms_query_int(q, cc);
	oms_query_int(q, product);
	oms_query_text(q, status);
	oms_query_int(q, 1);
	oms_query_text(q, number);
	oms_query_null(q);
	oms_query_text(q, NULL);
	oms_query_text(q, serial);
	oms_query_text(q, installed);
	oms_query_text(q, removed);
	snprintf(tag, sizeof(tag), "T%d", ++tags);
	oms_query_text(q, tag);
	return oms_query_exec(q);
}

/* ---- open, latch, values, constraints, transactions, reuse ---- */

static void
test_open(void)
{
	struct oms_conf_store cs;
	struct oms_store *st = (struct oms_store *)&cs;

	be_conf(&cs, "missing");
	ok(oms_store_open(&cs, 0, &oms_stmt_table, &st) != OMS_OK && st == NULL,
	    "open without CREATE of a missing database bad: error, *st NULL");
	oms_store_close(&st);
	oms_store_close(NULL);
	ok(st == NULL, "close of NULL is harmless");
	ok(be_create("missing") &&
	    oms_store_open(&cs, OMS_STORE_CREATE, &oms_stmt_table, &st) == OMS_OK && st != NULL,
	    "open with CREATE makes the database (or opens the one the "
	    "administrator made)");
	is_str(oms_store_backend(st), be_name(), "the store names its backend");
	ok(oms_store_ping(st) == OMS_OK, "ping answers");
	oms_store_close(&st);
	ok(st == NULL, "close clears the pointer");
	ok(oms_store_open(&cs, 0, &oms_stmt_table, &st) == OMS_OK,
	    "open without CREATE of an existing database");
	oms_store_close(&st);
}

static void
test_latch(struct oms_store *st)
{
	struct oms_query *q;
	int applied = 0;
	int64_t id = 0;
	char name[64];

	/* Before migrating there are no tables: prepare fails. */
	q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	ok(q != NULL, "latch: oms_query never returns NULL, even when "
	    "prepare fails");
	oms_query_int(q, 1);
	oms_query_int(q, 0); /* scope: all customers */
	oms_query_int(q, 0);
	oms_query_text(q, "ignored");
	ok(oms_query_row(q) == 0, "latch: no row after a failed prepare");
	is_int(oms_query_end(q), OMS_ERR_STORE,
	    "latch: prepare error bad: oms_query_end returns it");

	ok(oms_migrate(st, &applied) == OMS_OK && applied >= 1,
	    "migrate the test database");
	q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	oms_query_int(q, 1);
	oms_query_int(q, 0); /* scope: all customers */
	oms_query_int(q, 0);
	ok(oms_query_row(q) == 0 && oms_query_end(q) == OMS_OK,
	    "latch: the same statement prepares once the table exists");

	ok(add_customer(st, "LATCH", "Latch Ltd", &id) == OMS_OK,
	    "latch: a customer to look up");
	/* One parameter too many: the bind fails, later binds are ignored
	 * and the statement is not run although its real parameter was
	 * bound and names a customer. */
	q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	oms_query_int(q, id);
	oms_query_int(q, 0); /* scope: all customers */
	oms_query_int(q, 0);
	oms_query_int(q, 99);
	oms_query_text(q, "later");
	oms_query_null(q);
	ok(oms_query_row(q) == 0, "latch: a failed bind stops the step");
	is_int(oms_query_end(q), OMS_ERR_STORE,
	    "latch: bind error bad: oms_query_end returns it");
	is_str(customer_name(st, id, name, sizeof(name)), "Latch Ltd",
	    "latch: the statement works again after end");

	/* A step error is latched: further steps do nothing. */
	q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
	oms_query_text(q, "LATCH");
	for (int i = 0; i < 8; i++)
		oms_query_text(q, "x");
	ok(oms_query_row(q) == 0 && oms_query_row(q) == 0,
	    "latch: no rows after a failed step");
	is_int(oms_query_end(q), OMS_ERR_CONSTRAINT,
	    "latch: step error bad: the first error is returned");
	ok(oms_query_end(oms_query(st, OMS_STMT_PING)) == OMS_OK,
	    "latch: a started and ended statement without a step is fine");
}

static void
test_values(struct oms_store *st, struct oms_arena *a)
{
	static const char uni[] = "\xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80 \xce\xa9";
	static const char nasty[] = "O'Brien \"& Sons\"; DROP TABLE x; -- "
	    "100% \\ _";
	int64_t c1 = 0, c2 = 0, site = 0, cc = 0, prod = 0;
	char name[256];
	struct oms_asset_query aq;
	struct oms_asset_page pg;
	int found_null = 0, found_full = 0;

	ok(add_customer(st, "UNI", uni, &c1) == OMS_OK && c1 > 0,
	    "values: insert Unicode text");
	is_str(customer_name(st, c1, name, sizeof(name)), uni,
	    "values: Unicode text round trip, byte for byte");
	ok(add_customer(st, "NASTY", nasty, &c2) == OMS_OK,
	    "values: insert text with quotes, ';', '--', '%%', '\\'");
	is_str(customer_name(st, c2, name, sizeof(name)), nasty,
	    "values: such text round trips unchanged");
	ok(c2 > c1, "values: last insert id grows");
	is_int(customer_count(st), 3, "values: three customers so far");
	ok(add_customer(st, "EMPTY", "", &c1) == OMS_OK &&
	    strcmp(customer_name(st, c1, name, sizeof(name)), "") == 0,
	    "values: the empty string stays empty");
	{
		struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_GET);
		int isnull = 0;

		oms_query_int(q, c1);
		oms_query_int(q, 0); /* scope: all customers */
		oms_query_int(q, 0);
		if (oms_query_row(q))
			isnull = oms_query_col_text(q, 2) == NULL;
		(void)oms_query_end(q);
		ok(!isnull, "values: the empty string is not read as NULL");
	}

	/* last_id: the id read back for the code is the one reported. */
	{
		struct oms_customer *v;
		size_t n;
		int64_t got = -1;

		ok(add_customer(st, "LASTID", "Last Id Co", &c1) == OMS_OK,
		    "values: insert for last_id");
		if (oms_customer_list(st, a, &oms_scope_all, &v, &n) == OMS_OK)
			for (size_t i = 0; i < n; i++)
				if (strcmp(v[i].code, "LASTID") == 0)
					got = v[i].id;
		is_int(got, c1, "values: last_id is the id of the new row");
	}

	/* NULL round trip through an asset's nullable columns. */
	ok(add_site(st, c2, "S1", &site) == OMS_OK &&
	    add_cc(st, c2, "CC1", &cc) == OMS_OK &&
	    add_product(st, "P-NULL", "line", &prod) == OMS_OK,
	    "values: a site, cost centre and product");
	ok(add_asset(st, site, cc, prod, "active", NULL, NULL, "2024-01-01",
	    NULL) == OMS_OK, "values: an asset with NULL identifiers");
	ok(add_asset(st, site, cc, prod, "removed", "+15550100", "SER-1",
	    "2024-01-01", "2024-02-01") == OMS_OK,
	    "values: an asset with every identifier");
	memset(&aq, 0, sizeof(aq));
	aq.site = site;
	aq.type = aq.status = -1;
	aq.limit = 10;
	ok(oms_asset_search(st, a, &oms_scope_all, &aq, &pg) == OMS_OK && pg.n == 2,
	    "values: both assets read back");
	for (size_t i = 0; i < pg.n; i++) {
		const struct oms_asset *r = &pg.rows[i];

		if (r->number == NULL && r->extension == NULL &&
		    r->mailbox == NULL && r->serial == NULL &&
		    r->removed == NULL && r->status == OMS_STATUS_ACTIVE)
			found_null = 1;
		if (r->number && strcmp(r->number, "+15550100") == 0 &&
		    r->serial && strcmp(r->serial, "SER-1") == 0 &&
		    r->removed && strcmp(r->removed, "2024-02-01") == 0 &&
		    strcmp(r->installed, "2024-01-01") == 0 &&
		    r->status == OMS_STATUS_REMOVED && r->type == OMS_ASSET_LINE)
			found_full = 1;
	}
	ok(found_null, "values: NULL round trip (text NULL and null bind)");
	ok(found_full, "values: text and status round trip");
}

static void
test_constraints(struct oms_store *st)
{
	int64_t before = customer_count(st), c = 0, site = 0, cc = 0,
	    prod = 0;
	struct oms_query *q;

	ok(add_customer(st, "DUP", "First", &c) == OMS_OK,
	    "constraint: first of a code");
	is_int(add_customer(st, "DUP", "Second", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: unique code violation bad: OMS_ERR_CONSTRAINT");
	is_int(customer_count(st), before + 1,
	    "constraint: the refused row is not there");
	ok(add_customer(st, "DUP2", "Second", NULL) == OMS_OK,
	    "constraint: the statement works after a violation");

	ok(add_site(st, c, "S", &site) == OMS_OK &&
	    add_cc(st, c, "CC", &cc) == OMS_OK &&
	    add_product(st, "P-C", "set", &prod) == OMS_OK,
	    "constraint: a site, cost centre and product");
	is_int(add_asset(st, 999999, cc, prod, "active", NULL, NULL,
	    "2024-01-01", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: asset at a missing site bad (foreign key)");
	is_int(add_asset(st, site, 999999, prod, "active", NULL, NULL,
	    "2024-01-01", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: asset with a missing cost centre bad (foreign key)");
	is_int(add_site(st, 999999, "S", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: site of a missing customer bad (foreign key)");
	is_int(add_asset(st, site, cc, prod, "bogus", NULL, NULL, "2024-01-01",
	    NULL), OMS_ERR_CONSTRAINT, "constraint: unknown status bad (check)");
	is_int(add_asset(st, site, cc, prod, "removed", NULL, NULL,
	    "2024-05-01", "2024-04-01"), OMS_ERR_CONSTRAINT,
	    "constraint: removal before installation bad (check)");
	is_int(add_product(st, "P-BAD", "fax", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: unknown asset type bad (check)");
	is_int(add_product(st, "P-C", "set", NULL), OMS_ERR_CONSTRAINT,
	    "constraint: duplicate product code bad (unique)");
	is_int(add_asset(st, site, cc, prod, "active", NULL, NULL, NULL, NULL),
	    OMS_ERR_CONSTRAINT, "constraint: NULL installation date bad "
	    "(not null)");
	is_int(add_customer(st, "NONAME", NULL, NULL), OMS_ERR_CONSTRAINT,
	    "constraint: NULL customer name bad (not null)");
	q = oms_query(st, OMS_STMT_ASSET_COUNT);
	oms_query_int(q, site);
	for (int i = 0; i < 11; i++)
		oms_query_null(q);
	ok(oms_query_row(q) && oms_query_col_int(q, 0) == 0 &&
	    oms_query_end(q) == OMS_OK,
	    "constraint: none of the refused assets is there");
}

static void
test_tx(struct oms_store *st)
{
	struct oms_store *other = open_db("unit", 0);
	int64_t n = customer_count(st);

	ok(oms_store_begin(st) == OMS_OK, "tx: begin");
	ok(add_customer(st, "TX1", "Committed", NULL) == OMS_OK,
	    "tx: insert in a transaction");
	is_int(customer_count(st), n + 1, "tx: the writer sees its insert");
	is_int(customer_count(other), n,
	    "tx: another connection does not see it before commit");
	ok(oms_store_commit(st) == OMS_OK, "tx: commit");
	is_int(customer_count(other), n + 1,
	    "tx: another connection sees it after commit");

	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "TX2", "Rolled back", NULL) == OMS_OK,
	    "tx: insert in a second transaction");
	oms_store_rollback(st);
	is_int(customer_count(st), n + 1, "tx: rollback discards the insert");
	is_int(customer_count(other), n + 1,
	    "tx: rollback: nothing reached the other connection");

	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "TX3", "Before failure", NULL) == OMS_OK &&
	    add_customer(st, "TX1", "Duplicate", NULL) == OMS_ERR_CONSTRAINT,
	    "tx: a failure after a good insert");
	oms_store_rollback(st);
	is_int(customer_count(st), n + 1,
	    "tx: rollback after a failure discards the good insert too");

	oms_store_rollback(st);
	ok(oms_store_ping(st) == OMS_OK,
	    "tx: rollback without a transaction is harmless");
	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "TX4", "Again", NULL) == OMS_OK &&
	    oms_store_commit(st) == OMS_OK && customer_count(other) == n + 2,
	    "tx: the connection is usable for new transactions");
	oms_store_close(&other);
}

static void
test_reuse(struct oms_store *st)
{
	char n1[64], n2[64], n3[64];
	int64_t a = 0, b = 0, first = -1, again = -1, rows1 = 0, rows2 = 0;
	struct oms_query *q;
	int same = 1;

	ok(add_customer(st, "RA", "Reuse A", &a) == OMS_OK &&
	    add_customer(st, "RB", "Reuse B", &b) == OMS_OK,
	    "reuse: two customers");
	customer_name(st, a, n1, sizeof(n1));
	customer_name(st, b, n2, sizeof(n2));
	customer_name(st, a, n3, sizeof(n3));
	ok(strcmp(n1, "Reuse A") == 0 && strcmp(n2, "Reuse B") == 0 &&
	    strcmp(n3, "Reuse A") == 0,
	    "reuse: one statement run three times with new parameters");

	/* Ended before its last row, a statement starts over next time. */
	q = oms_query(st, OMS_STMT_CUSTOMER_LIST);
	bind_all_scope(q);
	if (oms_query_row(q))
		first = oms_query_col_int(q, 0);
	ok(oms_query_end(q) == OMS_OK, "reuse: end after the first row");
	q = oms_query(st, OMS_STMT_CUSTOMER_LIST);
	bind_all_scope(q);
	while (oms_query_row(q)) {
		if (rows1++ == 0)
			again = oms_query_col_int(q, 0);
	}
	ok(oms_query_end(q) == OMS_OK && first == again && rows1 > 1,
	    "reuse: the next run starts from the first row");
	q = oms_query(st, OMS_STMT_CUSTOMER_LIST);
	bind_all_scope(q);
	while (oms_query_row(q))
		rows2++;
	ok(oms_query_end(q) == OMS_OK && rows1 == rows2,
	    "reuse: running to the end twice gives the same rows");
	for (int i = 0; i < 500 && same; i++)
		if (strcmp(customer_name(st, i % 2 ? a : b, n1, sizeof(n1)),
		    i % 2 ? "Reuse A" : "Reuse B") != 0)
			same = 0;
	ok(same, "reuse: 500 runs of one statement stay right");
	for (int i = 0; i < 3; i++) {
		q = oms_query(st, OMS_STMT_PING);
		if (!oms_query_row(q) || oms_query_col_int(q, 0) != 1)
			same = 0;
		if (oms_query_end(q) != OMS_OK)
			same = 0;
	}
	ok(same, "reuse: the ping statement gives 1 each time");
}

static void
test_script(struct oms_store *st)
{
	struct oms_store *fresh = open_db("script", OMS_STORE_CREATE);

	ok(oms_store_exec_script(fresh,
	    "-- a comment\n"
	    "\n"
	    "CREATE TABLE t1 (a VARCHAR(20));\n"
	    "   \n"
	    "-- a comment; with a semicolon;\n"
	    "INSERT INTO t1 (a) VALUES ('x;y');\n"
	    "INSERT INTO t1 (a)\n VALUES ('z');") == OMS_OK,
	    "script: comments, blank lines, ';' inside a line, no final ';'");
	ok(oms_store_exec_script(fresh,
	    "INSERT INTO t1 (a) VALUES ('ok');\n"
	    "INSERT INTO nowhere (a) VALUES ('bad');\n") != OMS_OK,
	    "script: a failing statement bad: the error is returned");
	ok(oms_store_exec_script(fresh, "") == OMS_OK &&
	    oms_store_exec_script(fresh, "-- only a comment\n") == OMS_OK,
	    "script: empty and comment-only scripts do nothing");
	/* A space after the ';' hides the line end the splitter looks
	 * for: both statements reach prepare as one text and the second
	 * must not be dropped without an error. */
	{
		enum oms_err e = oms_store_exec_script(fresh,
		    "CREATE TABLE t2 (a INTEGER); \n"
		    "CREATE TABLE t3 (a INTEGER);\n");

		ok(e != OMS_OK || oms_store_exec_script(fresh,
		    "INSERT INTO t3 (a) VALUES (1);\n") == OMS_OK, "%s",
		    "script: a statement after '; ' at a line end is run or "
		    "refused, never dropped");
	}
	oms_store_close(&fresh);
	(void)st;
}

/* ---- inventory reads on seeded data ---- */

struct site_info {
	int64_t id, customer;
};

/* The sort key of row r for sort s compared with that of row t:
 * NULL sorts first, as in SQLite and MariaDB. */
static int
key_cmp(enum oms_asset_sort s, const struct oms_asset *r,
    const struct oms_asset *t)
{
	const char *x = NULL, *y = NULL;

	switch (s) {
	case OMS_SORT_NUMBER:
		x = r->number, y = t->number;
		break;
	case OMS_SORT_EXTENSION:
		x = r->extension, y = t->extension;
		break;
	case OMS_SORT_MAILBOX:
		x = r->mailbox, y = t->mailbox;
		break;
	case OMS_SORT_SERIAL:
		x = r->serial, y = t->serial;
		break;
	case OMS_SORT_TYPE:
		x = oms_asset_type_names[r->type];
		y = oms_asset_type_names[t->type];
		break;
	case OMS_SORT_STATUS:
		x = oms_asset_status_names[r->status];
		y = oms_asset_status_names[t->status];
		break;
	case OMS_SORT_CC:
		x = r->cc, y = t->cc;
		break;
	case OMS_SORT_PORTS:
		return (r->ports > t->ports) - (r->ports < t->ports);
	case OMS_SORT_INSTALLED:
		x = r->installed, y = t->installed;
		break;
	case OMS_SORT_PRODUCT:
		x = r->product, y = t->product;
		break;
	case OMS_SORT_TAG:
		x = r->tag, y = t->tag;
		break;
	default:
		return 0;
	}
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

/* 1 when s is a substring of one of r's identifiers. */
static int
text_match(const struct oms_asset *r, const char *s)
{
	return (r->number && strstr(r->number, s)) ||
	    (r->extension && strstr(r->extension, s)) ||
	    (r->mailbox && strstr(r->mailbox, s)) ||
	    (r->serial && strstr(r->serial, s));
}

/* A query for every asset of site. */
static struct oms_asset_query
all_of(int64_t site)
{
	struct oms_asset_query q;

	memset(&q, 0, sizeof(q));
	q.site = site;
	q.type = q.status = -1;
	q.limit = 100000;
	return q;
}

/* Search; the result total, or -1 on failure. */
static int64_t
total(struct oms_store *st, struct oms_arena *a,
    const struct oms_asset_query *q, struct oms_asset_page *pg)
{
	struct oms_asset_page tmp;

	if (pg == NULL)
		pg = &tmp;
	if (oms_asset_search(st, a, &oms_scope_all, q, pg) != OMS_OK)
		return -1;
	return pg->total;
}

static void
test_seed(struct oms_store *st, struct oms_arena *a, struct site_info *sites,
    size_t *nsites)
{
	struct oms_seed_opts o = {2, 3, 40, 42};
	struct oms_seed_stats s, s2;
	struct oms_customer *cv, cu;
	struct oms_site *sv, site;
	size_t n, ns;
	int good = 1, ordered = 1;

	ok(oms_seed_demo(st, &o, &s) == OMS_OK, "seed: 2 customers, 3 sites "
	    "each, 40 assets a site");
	ok(s.customers == 2 && s.sites == 6 && s.assets == 240 &&
	    s.products == 10 && s.cost_centres >= 10,
	    "seed: the statistics add up");
	is_int(oms_seed_demo(st, &o, &s2), OMS_ERR_CONSTRAINT,
	    "seed: a second seed bad: refused");
	ok(s2.customers == 0 && customer_count(st) == 2,
	    "seed: the refused seed added nothing");

	ok(oms_customer_list(st, a, &oms_scope_all, &cv, &n) == OMS_OK && n == 2,
	    "customers: two listed");
	if (n != 2)
		return;
	for (size_t i = 0; i < n; i++) {
		if (be_ref(0, REF_CUSTOMER_LIVE, "i", cv[i].id) != cv[i].assets ||
		    be_ref(1, REF_CUSTOMER_LIVE, "i", cv[i].id) != cv[i].ports ||
		    cv[i].sites != 3)
			good = 0;
		if (i > 0 && strcmp(cv[i - 1].name, cv[i].name) > 0)
			ordered = 0;
	}
	ok(good, "customers: sites, live assets and ports match the reference");
	ok(ordered, "customers: ordered by name");
	ok(oms_customer_get(st, a, &oms_scope_all, cv[0].id, &cu) == OMS_OK &&
	    cu.id == cv[0].id && strcmp(cu.name, cv[0].name) == 0 &&
	    strcmp(cu.code, cv[0].code) == 0, "customers: get by id");
	is_int(oms_customer_get(st, a, &oms_scope_all, 999999, &cu), OMS_ERR_NOTFOUND,
	    "customers: get of a missing id bad: NOTFOUND");

	*nsites = 0;
	good = ordered = 1;
	for (size_t i = 0; i < n; i++) {
		if (oms_site_list(st, a, &oms_scope_all, cv[i].id, &sv, &ns) != OMS_OK ||
		    ns != 3) {
			good = 0;
			continue;
		}
		for (size_t k = 0; k < ns && *nsites < 6; k++) {
			sites[(*nsites)++] = (struct site_info){sv[k].id,
			    cv[i].id};
			if (be_ref(0, REF_SITE_LIVE, "i", sv[k].id) !=
			    sv[k].assets ||
			    be_ref(1, REF_SITE_LIVE, "i", sv[k].id) !=
			    sv[k].ports)
				good = 0;
			if (k > 0 && strcmp(sv[k - 1].code, sv[k].code) >= 0)
				ordered = 0;
		}
	}
	ok(good && *nsites == 6, "sites: three a customer, live assets and "
	    "ports match the reference");
	ok(ordered, "sites: ordered by code");
	ok(oms_site_get(st, a, &oms_scope_all, sites[4].id, &site) == OMS_OK &&
	    site.id == sites[4].id && site.customer.id == sites[4].customer &&
	    site.customer.name != NULL && site.code != NULL,
	    "sites: get by id with its customer");
	is_int(oms_site_get(st, a, &oms_scope_all, 999999, &site), OMS_ERR_NOTFOUND,
	    "sites: get of a missing id bad: NOTFOUND");
	ok(oms_site_list(st, a, &oms_scope_all, 999999, &sv, &ns) == OMS_OK && ns == 0,
	    "sites: list of a missing customer is empty");
}

static void
test_filters(struct oms_store *st, struct oms_arena *a,
    const struct site_info *sites, size_t nsites)
{
	int tot = 1, typ = 1, sta = 1, ccs = 1, txt = 1, comb = 1, rows = 1;
	int ports = 1;

	for (size_t si = 0; si < nsites; si++) {
		int64_t site = sites[si].id;
		struct oms_asset_query q = all_of(site);
		struct oms_asset_page all, pg;
		struct oms_cost_centre *cv;
		size_t ncc;

		if (total(st, a, &q, &all) != be_ref(0, REF_SITE_TOTAL, "i",
		    site) || all.ports != be_ref(1, REF_SITE_TOTAL, "i", site) ||
		    (int64_t)all.n != all.total || all.total != 40) {
			printf("#   site %lld: total %lld\n", (long long)site,
			    (long long)all.total);
			tot = 0;
			continue;
		}
		for (int t = 0; t < OMS_ASSET__MAX; t++) {
			int64_t want = 0, wports = 0;

			for (size_t i = 0; i < all.n; i++)
				if ((int)all.rows[i].type == t) {
					want++;
					wports += all.rows[i].ports;
				}
			q = all_of(site);
			q.type = t;
			if (total(st, a, &q, &pg) != want || want !=
			    be_ref(0, REF_SITE_TYPE, "is", site,
			    oms_asset_type_names[t]))
				typ = 0;
			if (pg.ports != wports || wports != be_ref(1,
			    REF_SITE_TYPE, "is", site, oms_asset_type_names[t]))
				ports = 0;
			for (size_t i = 0; i < pg.n; i++)
				if ((int)pg.rows[i].type != t)
					rows = 0;
		}
		for (int s = 0; s < OMS_STATUS__MAX; s++) {
			int64_t want = 0;

			for (size_t i = 0; i < all.n; i++)
				if ((int)all.rows[i].status == s)
					want++;
			q = all_of(site);
			q.status = s;
			if (total(st, a, &q, &pg) != want || want !=
			    be_ref(0, REF_SITE_STATUS, "is", site,
			    oms_asset_status_names[s]))
				sta = 0;
			for (size_t i = 0; i < pg.n; i++)
				if ((int)pg.rows[i].status != s)
					rows = 0;
		}
		if (oms_cost_centre_list(st, a, &oms_scope_all, sites[si].customer, &cv,
		    &ncc) != OMS_OK || ncc < 5) {
			ccs = 0;
			continue;
		}
		for (size_t c = 0; c < ncc; c++) {
			int64_t want = 0;

			for (size_t i = 0; i < all.n; i++)
				if (strcmp(all.rows[i].cc, cv[c].code) == 0)
					want++;
			q = all_of(site);
			q.cc = cv[c].id;
			if (total(st, a, &q, &pg) != want || want !=
			    be_ref(0, REF_SITE_CC, "ii", site, cv[c].id))
				ccs = 0;
		}
		/* Combined: lines, active, in the first cost centre. */
		{
			int64_t want = 0;

			for (size_t i = 0; i < all.n; i++)
				if (all.rows[i].type == OMS_ASSET_LINE &&
				    all.rows[i].status == OMS_STATUS_ACTIVE &&
				    strcmp(all.rows[i].cc, cv[0].code) == 0)
					want++;
			q = all_of(site);
			q.type = OMS_ASSET_LINE;
			q.status = OMS_STATUS_ACTIVE;
			q.cc = cv[0].id;
			if (total(st, a, &q, NULL) != want)
				comb = 0;
		}
		/* Text: pieces of real identifiers, and one of nothing. */
		for (size_t i = 0; i < all.n; i += 7) {
			const struct oms_asset *r = &all.rows[i];
			const char *src = r->serial ? r->serial : r->number ?
			    r->number : r->extension;
			char piece[8];
			const char *texts[4];

			snprintf(piece, sizeof(piece), "%.4s",
			    src + (strlen(src) > 6 ? 3 : 0));
			texts[0] = piece;
			texts[1] = src;
			texts[2] = "20";
			texts[3] = "QQQQ";
			for (size_t k = 0; k < OMS_NELEM(texts); k++) {
				int64_t want = 0;

				for (size_t j = 0; j < all.n; j++)
					want += text_match(&all.rows[j],
					    texts[k]);
				q = all_of(site);
				q.text = texts[k];
				if (total(st, a, &q, &pg) != want || want !=
				    be_ref_text(site, texts[k])) {
					printf("#   site %lld text '%s': got "
					    "%lld, want %lld\n", (long long)site,
					    texts[k], (long long)pg.total,
					    (long long)want);
					txt = 0;
				}
				for (size_t j = 0; j < pg.n; j++)
					if (!text_match(&pg.rows[j], texts[k]))
						rows = 0;
			}
		}
	}
	ok(tot, "search: unfiltered totals and ports match the reference");
	ok(typ, "search: type filter matches reference and oracle counts");
	ok(ports, "search: ports summed under a filter match");
	ok(sta, "search: status filter matches reference and oracle counts");
	ok(ccs, "search: cost centre filter matches reference and oracle");
	ok(comb, "search: combined type, status and cost centre filters");
	ok(txt, "search: free text is a substring search on identifiers");
	ok(rows, "search: every row returned satisfies the filter");
}

/* The search total of site under scope sc, or -1 on failure. */
static int64_t
scoped_total(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t site)
{
	struct oms_asset_query q = all_of(site);
	struct oms_asset_page pg;

	if (oms_asset_search(st, a, sc, &q, &pg) != OMS_OK)
		return -1;
	return (int64_t)pg.n == pg.total ? pg.total : -1;
}

/*
 * Scope applied by the domain: a customer scope sees its own customer,
 * sites, cost centres and assets only; a scope limited to some sites
 * only those sites; another customer's ids give nothing, as ids that
 * do not exist.  sites[0..2] belong to one customer, sites[3..5] to
 * the other (test_seed), 40 assets each.
 */
static void
test_scope(struct oms_store *st, struct oms_arena *a,
    const struct site_info *sites)
{
	struct oms_actor tester = {0, "test", "local"};
	struct oms_user_input in;
	struct oms_scope mine = {sites[0].customer, 0}, limited;
	struct oms_customer *cv, cu;
	struct oms_site *sv, site;
	struct oms_cost_centre *ccv;
	struct oms_user u;
	size_t n, nall = 0;
	int64_t uid = 0, other = sites[3].customer;
	const char *why = NULL;

	ok(oms_customer_list(st, a, &mine, &cv, &n) == OMS_OK && n == 1 &&
	    cv[0].id == mine.customer && cv[0].sites == 3 &&
	    cv[0].assets == be_ref(0, REF_CUSTOMER_LIVE, "i", mine.customer),
	    "scope: a customer lists only itself, with its own counts");
	ok(oms_customer_names(st, a, &mine, &cv, &n) == OMS_OK && n == 1 &&
	    cv[0].id == mine.customer, "scope: customer names: only its own");
	ok(oms_customer_names(st, a, &oms_scope_all, &cv, &n) == OMS_OK &&
	    n == 2, "scope: customer names: all for the whole system");
	is_int(oms_customer_get(st, a, &mine, other, &cu), OMS_ERR_NOTFOUND,
	    "scope: get of another customer bad: NOTFOUND");
	ok(oms_site_list(st, a, &mine, mine.customer, &sv, &n) == OMS_OK &&
	    n == 3, "scope: a customer lists its three sites");
	ok(oms_site_list(st, a, &mine, other, &sv, &n) == OMS_OK && n == 0,
	    "scope: sites of another customer bad: none listed");
	is_int(oms_site_get(st, a, &mine, sites[3].id, &site),
	    OMS_ERR_NOTFOUND, "scope: get of another customer's site bad: "
	    "NOTFOUND");
	if (oms_cost_centre_list(st, a, &oms_scope_all, mine.customer, &ccv,
	    &nall) != OMS_OK)
		nall = 0;
	ok(nall >= 5 && oms_cost_centre_list(st, a, &mine, mine.customer,
	    &ccv, &n) == OMS_OK && n == nall,
	    "scope: a customer lists all its cost centres");
	ok(oms_cost_centre_list(st, a, &mine, other, &ccv, &n) == OMS_OK &&
	    n == 0, "scope: cost centres of another customer bad: none");
	is_int(scoped_total(st, a, &mine, sites[1].id), 40,
	    "scope: a customer searches its own site");
	is_int(scoped_total(st, a, &mine, sites[4].id), 0,
	    "scope: search of another customer's site bad: nothing");

	memset(&in, 0, sizeof(in));
	in.login = "limited";
	in.display_name = "Limited User";
	in.email = "limited@example.com";
	in.role = OMS_ROLE_CUSTOMER;
	in.organisation = "Customer";
	in.customer = sites[0].customer;
	in.sites = &sites[0].id;
	in.nsites = 1;
	in.password = "a fine long password";
	ok(oms_user_create(st, a, &tester, &in, &uid, &why) == OMS_OK &&
	    oms_user_get(st, a, uid, &u) == OMS_OK && u.limited,
	    "scope: a customer user limited to one site");
	oms_scope_of(&u, &limited);
	ok(limited.customer == sites[0].customer && limited.site_user == uid,
	    "scope: the user's scope names its customer and its sites");
	ok(oms_customer_list(st, a, &limited, &cv, &n) == OMS_OK && n == 1 &&
	    cv[0].sites == 1 && cv[0].assets == be_ref(0, REF_SITE_LIVE, "i",
	    sites[0].id), "scope: limited: the customer counts one site");
	ok(oms_site_list(st, a, &limited, limited.customer, &sv, &n) ==
	    OMS_OK && n == 1 && sv[0].id == sites[0].id,
	    "scope: limited: lists only its site");
	ok(oms_site_get(st, a, &limited, sites[0].id, &site) == OMS_OK,
	    "scope: limited: gets its site");
	is_int(oms_site_get(st, a, &limited, sites[1].id, &site),
	    OMS_ERR_NOTFOUND, "scope: limited: get of a sibling site bad");
	is_int(scoped_total(st, a, &limited, sites[0].id), 40,
	    "scope: limited: searches its site");
	is_int(scoped_total(st, a, &limited, sites[2].id), 0,
	    "scope: limited: search of a sibling site bad: nothing");
	is_int(scoped_total(st, a, &limited, sites[5].id), 0,
	    "scope: limited: search of another customer's site bad: nothing");
	ok(oms_site_list(st, a, &limited, other, &sv, &n) == OMS_OK && n == 0,
	    "scope: limited: sites of another customer bad: none");
	ok(oms_cost_centre_list(st, a, &limited, limited.customer, &ccv,
	    &n) == OMS_OK && n == nall, "scope: limited: cost centres belong "
	    "to the customer, all listed");
	ok(oms_cost_centre_list(st, a, &limited, other, &ccv, &n) ==
	    OMS_OK && n == 0, "scope: limited: another customer's cost "
	    "centres bad: none");
	is_int(scoped_total(st, a, &oms_scope_all, sites[4].id), 40,
	    "scope: the whole system searches every site");
}

static void
test_like(struct oms_store *st, struct oms_arena *a,
    const struct site_info *site)
{
	struct oms_cost_centre *cv;
	size_t ncc;
	int64_t prod = 0;
	struct oms_asset_query q = all_of(site->id);
	struct oms_asset_page pg;

	ok(oms_cost_centre_list(st, a, &oms_scope_all, site->customer, &cv, &ncc) == OMS_OK &&
	    add_product(st, "P-LIKE", "set", &prod) == OMS_OK &&
	    add_asset(st, site->id, cv[0].id, prod, "active", NULL, "A%B_C",
	    "2024-03-01", NULL) == OMS_OK &&
	    add_asset(st, site->id, cv[0].id, prod, "active", NULL, "X!Y",
	    "2024-03-01", NULL) == OMS_OK &&
	    add_asset(st, site->id, cv[0].id, prod, "active", NULL, "AxBxC",
	    "2024-03-01", NULL) == OMS_OK,
	    "like: assets with serials 'A%%B_C', 'X!Y' and 'AxBxC'");
	q.text = "%B_";
	ok(total(st, a, &q, &pg) == 1 && pg.n == 1 &&
	    strcmp(pg.rows[0].serial, "A%B_C") == 0,
	    "like: '%%B_' finds only 'A%%B_C' ('%%' and '_' are literal)");
	q.text = "%";
	ok(total(st, a, &q, &pg) == 1, "like: '%%' alone finds only it");
	q.text = "_";
	ok(total(st, a, &q, &pg) == 1, "like: '_' alone finds only it");
	q.text = "A_B";
	ok(total(st, a, &q, &pg) == 0,
	    "like: 'A_B' does not match 'A%%B' or 'AxB'");
	q.text = "B%C";
	ok(total(st, a, &q, &pg) == 0, "like: 'B%%C' does not match 'B_C'");
	q.text = "!";
	ok(total(st, a, &q, &pg) == 1 && pg.n == 1 &&
	    strcmp(pg.rows[0].serial, "X!Y") == 0,
	    "like: the escape character '!' is literal too");
	q.text = "!%";
	ok(total(st, a, &q, &pg) == 0, "like: '!%%' does not act as an escape");
	q.text = "xBx";
	ok(total(st, a, &q, &pg) == 1, "like: a middle substring matches");
	q.text = "AxB";
	ok(total(st, a, &q, &pg) == 1, "like: a prefix matches");
	q.text = "BxC";
	ok(total(st, a, &q, &pg) == 1, "like: a suffix matches");
	q.text = "AxBxC";
	ok(total(st, a, &q, &pg) == 1, "like: the whole value matches");
	q.text = "AxBxCx";
	ok(total(st, a, &q, &pg) == 0, "like: a longer text does not match");
	q.text = "";
	ok(total(st, a, &q, &pg) == 43, "like: empty text is no filter");
}

static void
test_sort(struct oms_store *st, struct oms_arena *a, int64_t site)
{
	for (int s = 0; s < OMS_SORT__MAX; s++)
		for (int desc = 0; desc <= 1; desc++) {
			struct oms_asset_query q = all_of(site);
			struct oms_asset_page pg;
			int good = 1;

			q.sort = (enum oms_asset_sort)s;
			q.desc = desc;
			if (total(st, a, &q, &pg) < 40 ||
			    (int64_t)pg.n != pg.total)
				good = 0;
			for (size_t i = 1; good && i < pg.n; i++) {
				const struct oms_asset *p = &pg.rows[i - 1],
				    *r = &pg.rows[i];
				int c = key_cmp(q.sort, p, r);

				if (desc ? !(c > 0 || (c == 0 && p->id > r->id)) :
				    !(c < 0 || (c == 0 && p->id < r->id))) {
					printf("#   rows %zu and %zu out of "
					    "order\n", i - 1, i);
					good = 0;
				}
			}
			ok(good, "sort: %s %s is ordered, ties by id",
			    oms_keys[OMS_KEY_SORT].choices[s],
			    desc ? "desc" : "asc");
		}
}

static void
test_paging(struct oms_store *st, struct oms_arena *a, int64_t site)
{
	struct oms_asset_query q = all_of(site);
	struct oms_asset_page all, pg;
	int64_t seen = 0;
	int good = 1, totals = 1, last = 0;

	q.sort = OMS_SORT_SERIAL;
	q.desc = 1;
	if (total(st, a, &q, &all) < 40) {
		ok(0, "paging: the full list");
		return;
	}
	for (int64_t off = 0; off < all.total; off += 7) {
		q.limit = 7;
		q.offset = off;
		if (total(st, a, &q, &pg) != all.total)
			totals = 0;
		for (size_t i = 0; i < pg.n; i++)
			if (seen >= all.total ||
			    pg.rows[i].id != all.rows[seen++].id)
				good = 0;
		last = (int)pg.n;
	}
	ok(good && seen == all.total,
	    "paging: pages of 7 partition the sorted list, no overlap or gap");
	ok(totals, "paging: every page reports the full total");
	is_int(last, (all.total - 1) % 7 + 1, "paging: the last page is short");
	q.offset = all.total;
	ok(total(st, a, &q, &pg) == all.total && pg.n == 0,
	    "paging: offset at the end gives no rows and the total");
	q.offset = 0;
	q.limit = 0;
	ok(total(st, a, &q, &pg) == all.total && pg.n == 0 &&
	    pg.ports == all.ports, "paging: limit 0 gives counts only");
	q.limit = -1;
	is_int(oms_asset_search(st, a, &oms_scope_all, &q, &pg), OMS_ERR_INVAL,
	    "paging: negative limit bad");
	q.limit = 5;
	q.offset = -1;
	is_int(oms_asset_search(st, a, &oms_scope_all, &q, &pg), OMS_ERR_INVAL,
	    "paging: negative offset bad");
	q.offset = 0;
	q.sort = OMS_SORT__MAX;
	is_int(oms_asset_search(st, a, &oms_scope_all, &q, &pg), OMS_ERR_INVAL,
	    "search: unknown sort key bad");
}

static void
test_empty_site(struct oms_store *st, struct oms_arena *a,
    const struct site_info *si)
{
	int64_t site = 0;
	struct oms_asset_query q;
	struct oms_asset_page pg;

	ok(add_site(st, si->customer, "BR-EMPTY", &site) == OMS_OK,
	    "empty: a site without assets");
	q = all_of(site);
	ok(oms_asset_search(st, a, &oms_scope_all, &q, &pg) == OMS_OK && pg.total == 0 &&
	    pg.n == 0 && pg.ports == 0 && pg.rows == NULL,
	    "empty: no rows, zero total and ports");
	q = all_of(999999);
	ok(oms_asset_search(st, a, &oms_scope_all, &q, &pg) == OMS_OK && pg.total == 0,
	    "empty: a missing site has no assets");
}

/* Every test, on the backend of the pass; arena a is reset after. */
static void
run_pass(struct oms_arena *a)
{
	struct oms_store *st;
	struct site_info sites[8];
	size_t nsites = 0;
	int applied = 0;

	test_open();
	be_specific();

	st = open_db("unit", OMS_STORE_CREATE);
	test_latch(st);
	test_values(st, a);
	test_constraints(st);
	test_tx(st);
	test_reuse(st);
	test_script(st);
	oms_store_close(&st);
	oms_arena_reset(a);

	st = open_db("demo", OMS_STORE_CREATE);
	if (oms_migrate(st, &applied) != OMS_OK || !be_ref_open("demo")) {
		printf("Bail out! %s: cannot prepare the demo database\n",
		    be_name());
		exit(1);
	}
	test_seed(st, a, sites, &nsites);
	if (nsites == 6) {
		test_filters(st, a, sites, nsites);
		test_scope(st, a, sites);
		test_like(st, a, &sites[1]);
		test_sort(st, a, sites[1].id);
		test_paging(st, a, sites[2].id);
		test_empty_site(st, a, &sites[0]);
	}
	be_ref_close();
	oms_store_close(&st);
	oms_arena_reset(a);
}

static struct oms_arena *pass_arena; /* the arena of every pass */

/* One pass: this file's part of the harness's backend, then every test. */
static void
pass(void)
{
	static const struct backend *const backends[] = {
#ifdef OMS_HAVE_SQLITE
		&sqlite_backend,
#endif
#ifdef OMS_HAVE_MARIADB
		&mariadb_backend,
#endif
	};

	be = NULL;
	for (size_t i = 0; i < OMS_NELEM(backends); i++)
		if (backends[i]->kind == tb_be->kind)
			be = backends[i];
	if (be == NULL) {
		ok(0, "this test knows the backend");
		return;
	}
	run_pass(pass_arena);
	be = NULL;
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	if ((pass_arena = oms_arena_new()) == NULL) {
		printf("Bail out! set-up failed\n");
		return 1;
	}
	tb_run(pass);
	oms_arena_free(&pass_arena);
	return tap_done();
}

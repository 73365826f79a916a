/*
 * backend.h: the harness that runs a unit test's body once for each
 * enabled store backend (a pass), shared by the store, migration, auth
 * and transaction tests.
 *
 *	static void pass(void) { st = tb_open("x", OMS_STORE_CREATE); ... }
 *	int main(void) { tb_run(pass); return tap_done(); }
 *
 * The SQLite pass always runs, in a temporary directory.  The MariaDB
 * pass runs when OMS_MARIADB_SOCKET names the unix socket of a MariaDB
 * server where root may log in without a password; each of its
 * databases is called oms_unit_<pid>_<name>, made with CREATE DATABASE
 * on an administrator connection and dropped at the end.  Without the
 * variable the pass is one skipped test point, so the skip shows; a
 * backend not built in is one skipped point too.
 *
 * Include it after tap.h: it redefines ok() so that every test point's
 * name starts with the backend of its pass ("sqlite: ...").  Everything
 * outside a test's own backend blocks goes through the store API and
 * these functions.
 */
#ifndef OMS_TEST_BACKEND_H
#define OMS_TEST_BACKEND_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "stmts.h"
#include "store.h"

/* One backend's part of the harness. */
struct tb_backend {
	const char *name;      /* as the store names it: "sqlite" */
	enum oms_backend kind; /* OMS_BACKEND_SQLITE */
	/* Get ready for a pass: 1 to run it, 0 to skip it (why is in
	 * *skip) or -1 when it cannot run (a failed test point is out). */
	int (*setup)(const char **skip);
	/* Remove everything the pass made; safe to call twice. */
	void (*teardown)(void);
	/* Configure the store for the database called name. */
	void (*conf)(struct oms_conf_store *, const char *name);
	/* Make database name exist for an open with OMS_STORE_CREATE, as
	 * the backend's administrator would; 1 on success. */
	int (*create)(const char *name);
	/* Run one statement of the test's own SQL (to tamper with data or
	 * set the scene) on database name, through a connection of the
	 * harness outside the store, and close it; 1 on success. */
	int (*exec)(const char *name, const char *sql);
	/* Column 0 of the first row of the test's own query on database
	 * name, as an integer; -1 on failure or for NULL. */
	int64_t (*value)(const char *name, const char *sql);
};

/* The backend of the running pass, NULL between passes. */
extern const struct tb_backend *tb_be;
/* The backends built in, SQLite first; tb_nbackends of them. */
extern const struct tb_backend *const tb_backends[];
extern const int tb_nbackends;

#ifdef OMS_HAVE_MARIADB
#include <mysql.h>
/* The MariaDB pass's server: the server's name of database name, and
 * a root connection on database db (NULL for none), NULL with a
 * diagnostic on failure (free with mysql_close()). */
void tb_md_dbname(char *buf, size_t sz, const char *name);
MYSQL *tb_md_connect(const char *db);
#endif

/*
 * The parts that print test points live here, static, so that they
 * share the test program's counters in tap.h.
 */

/* ok() that names the pass's backend, outside a pass just the name
 * (tap.h's ok() underneath: the parenthesised name is not the macro). */
static void __attribute__((format(printf, 2, 3), unused))
tb_ok(int cond, const char *fmt, ...)
{
	char name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (tb_be != NULL)
		(ok)(cond, "%s: %s", tb_be->name, name);
	else
		(ok)(cond, "%s", name);
}
#define ok(...) tb_ok(__VA_ARGS__)

/* Run pass() once for every enabled backend, between its setup and its
 * teardown; a skipped or unbuilt backend is one skipped test point. */
static void __attribute__((unused))
tb_run(void (*pass)(void))
{
#ifndef OMS_HAVE_SQLITE
	(ok)(1, "sqlite # SKIP the SQLite backend is not built");
#endif
	for (int i = 0; i < tb_nbackends; i++) {
		const char *skip = "";
		int r;

		tb_be = tb_backends[i];
		if ((r = tb_be->setup(&skip)) == 0)
			(ok)(1, "%s # SKIP %s", tb_be->name, skip);
		else if (r < 0)
			ok(0, "set-up of the pass bad: it cannot run");
		else {
			pass();
			tb_be->teardown();
		}
	}
	tb_be = NULL;
#ifndef OMS_HAVE_MARIADB
	(ok)(1, "mariadb # SKIP the MariaDB backend is not built");
#endif
}

/* Create (when flags has OMS_STORE_CREATE) and open database name of
 * the pass with the program's statement table; NULL with a failed test
 * point when that fails.  Close with oms_store_close(). */
static __attribute__((unused)) struct oms_store *
tb_open(const char *name, int flags)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;

	tb_be->conf(&cs, name);
	if (((flags & OMS_STORE_CREATE) && !tb_be->create(name)) ||
	    oms_store_open(&cs, flags, &oms_stmt_table, &st) != OMS_OK) {
		ok(0, "open database %s", name);
		return NULL;
	}
	return st;
}

#endif /* OMS_TEST_BACKEND_H */

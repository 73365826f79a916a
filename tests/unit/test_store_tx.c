/*
 * test_store_tx.c: the store's transactions and results beyond the
 * conformance suite (test_store.c), once for each backend (backend.h):
 * read snapshots that do not block writers, the count of changed rows,
 * the failure latch of a unit of work, iteration over many rows in
 * batches, explicit autocommit on MariaDB sessions, the per-process
 * retry jitter, the statement table a connection is opened with, the
 * NULL rule of column copies, and that omsctl copy knows every table of
 * the schema.
 *
 * When OMS_UNIT_PRIVATE_SERVER=1 (tests/mariadb/store-tx.sh, which
 * starts a server of its own) the MariaDB pass also turns the server's
 * global autocommit off, to show that the store's sessions do not
 * inherit it.  Negative cases say "bad".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "copy.h"
#include "migrate.h"
#include "oms.h"
#include "stmts.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

/* A fresh migrated database called name of the pass, or NULL. */
static struct oms_store *
fresh(const char *name)
{
	struct oms_store *st = tb_open(name, OMS_STORE_CREATE);
	int applied;

	if (st != NULL && oms_migrate(st, &applied) != OMS_OK) {
		ok(0, "migrate %s", name);
		oms_store_close(&st);
	}
	return st;
}

/* Insert a customer with code and name; the statement's error. */
static enum oms_err
add_customer(struct oms_store *st, const char *code, const char *name)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_ADD);

	oms_query_text(q, code);
	oms_query_text(q, name);
	oms_query_text(q, "1 Main St");
	oms_query_text(q, "Springfield");
	oms_query_text(q, "IL");
	oms_query_text(q, "62701");
	oms_query_text(q, "US");
	oms_query_text(q, "USD");
	oms_query_text(q, "2026-01-01T00:00:00Z");
	return oms_query_exec(q);
}

/* The number of customers seen by st, or -1. */
static int64_t
customers(struct oms_store *st)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_COUNT);
	int64_t n = -1;

	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	return oms_query_end(q) == OMS_OK ? n : -1;
}

/* A unit adding the customer whose code is arg. */
static enum oms_err
add_unit(struct oms_store *st, void *arg)
{
	return add_customer(st, arg, "Added in a unit");
}

/* A read unit storing the number of customers in *arg. */
static enum oms_err
count_unit(struct oms_store *st, void *arg)
{
	*(int64_t *)arg = customers(st);
	return OMS_OK;
}

/* A read-only snapshot takes no write lock and sees one state. */
static void
test_snapshot(void)
{
	struct oms_store *r = fresh("snap"), *w = tb_open("snap", 0);
	int64_t before;

	if (r == NULL || w == NULL)
		goto out;
	ok(add_customer(w, "S1", "One") == OMS_OK, "snapshot: a customer");
	ok(oms_store_begin_read(r) == OMS_OK, "snapshot: begin a read");
	before = customers(r);
	is_int(before, 1, "snapshot: the reader counts 1");
	ok(oms_store_unit(w, add_unit, "S2") == OMS_OK,
	    "snapshot: a writer commits while the snapshot is open");
	is_int(customers(w), 2, "snapshot: the writer sees its commit");
	is_int(customers(r), before, "snapshot: the snapshot does not see "
	    "the writer's commit");
	oms_store_rollback(r);
	is_int(customers(r), 2, "snapshot: after it ends the commit shows");
	ok(oms_store_read(r, count_unit, &before) == OMS_OK && before == 2,
	    "snapshot: a read unit counts 2");
	ok(oms_store_begin_read(r) == OMS_OK &&
	    add_customer(r, "S3", "Three") != OMS_OK,
	    "snapshot: a write inside a read snapshot bad: refused");
	oms_store_rollback(r);
	is_int(customers(w), 2, "snapshot: and nothing was written");
out:
	oms_store_close(&w);
	oms_store_close(&r);
}

/* Rows changed by each kind of statement. */
static void
test_changes(void)
{
	struct oms_store *st = fresh("changes");
	struct oms_query *q;

	if (st == NULL)
		return;
	ok(add_customer(st, "C1", "One") == OMS_OK, "changes: an insert");
	q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
	is_int(oms_query_changes(q), 0, "changes: 0 once a statement starts");
	oms_query_end(q);
	ok(add_customer(st, "C2", "Two") == OMS_OK, "changes: a second insert");
	q = oms_query(st, OMS_STMT_COUNTER_ADD);
	oms_query_text(q, "x");
	ok(oms_query_exec(q) == OMS_OK && oms_query_changes(q) == 1,
	    "changes: an insert changed 1 row");
	q = oms_query(st, OMS_STMT_COUNTER_ADD);
	oms_query_text(q, "y");
	oms_query_exec(q);
	q = oms_query(st, OMS_STMT_COUNTER_SET);
	oms_query_int(q, 2);
	oms_query_text(q, "x");
	ok(oms_query_exec(q) == OMS_OK && oms_query_changes(q) == 1,
	    "changes: an update to the value a row has counts it (matched)");
	q = oms_query(st, OMS_STMT_COUNTER_SET);
	oms_query_int(q, 7);
	oms_query_text(q, "nope");
	ok(oms_query_exec(q) == OMS_OK && oms_query_changes(q) == 0,
	    "changes: an update of no row changed 0");
	q = oms_query(st, OMS_STMT_COUNTER_GET);
	oms_query_text(q, "x");
	ok(oms_query_exec(q) == OMS_OK && oms_query_changes(q) == 0,
	    "changes: a query changed 0");
	q = oms_query(st, OMS_STMT_COPY_CUSTOMERS_DELETE);
	ok(oms_query_exec(q) == OMS_OK && oms_query_changes(q) == 2,
	    "changes: a delete of two rows changed 2");
	ok(add_customer(st, "C1", "Again") == OMS_OK &&
	    add_customer(st, "C1", "Dup") == OMS_ERR_CONSTRAINT,
	    "changes: a duplicate bad");
	q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
	oms_query_end(q);
	is_int(oms_query_changes(q), 0, "changes: a failed insert changed 0");
	oms_store_close(&st);
}

struct latch_arg {
	int ignore;   /* ignore the failure (else return it) */
	int ran;      /* times the function ran */
};

/* A unit with a good insert and a duplicate, whose failure it ignores
 * (returning OMS_OK) or returns. */
static enum oms_err
latch_unit(struct oms_store *st, void *arg)
{
	struct latch_arg *a = arg;
	enum oms_err e;

	a->ran++;
	if ((e = add_customer(st, "L2", "Good")) != OMS_OK)
		return e;
	e = add_customer(st, "L1", "Duplicate");
	return a->ignore ? OMS_OK : e;
}

/* A unit whose function ignores a failed statement does not commit. */
static void
test_latch(void)
{
	struct oms_store *st = fresh("latch");
	struct latch_arg a = {1, 0};

	if (st == NULL)
		return;
	ok(add_customer(st, "L1", "First") == OMS_OK, "latch: a customer");
	is_int(oms_store_unit(st, latch_unit, &a), OMS_ERR_CONSTRAINT,
	    "latch: a unit ignoring a failed statement bad: the failure is "
	    "returned");
	is_int(a.ran, 1, "latch: a constraint failure is not retried");
	is_int(customers(st), 1, "latch: nothing of that unit was committed");
	a.ignore = 0;
	is_int(oms_store_unit(st, latch_unit, &a), OMS_ERR_CONSTRAINT,
	    "latch: a unit returning the failure bad, as before");
	ok(oms_store_begin(st) == OMS_OK &&
	    add_customer(st, "L1", "Dup") == OMS_ERR_CONSTRAINT,
	    "latch: a failure inside begin/commit");
	is_int(oms_store_commit(st), OMS_ERR_CONSTRAINT,
	    "latch: the commit after it bad: refused");
	ok(oms_store_unit(st, add_unit, "L3") == OMS_OK && customers(st) == 2,
	    "latch: the next unit starts clean and commits");
	oms_store_close(&st);
}

#define ITER_ROWS 3000
#define EURO "\xe2\x82\xac" /* three bytes of UTF-8 */

/* Every row of a big result, in batches, with other statements between
 * the fetches and values longer than a first buffer. */
static enum oms_err
iter_fill(struct oms_store *st, void *arg)
{
	char code[32], name[800];
	enum oms_err e;

	(void)arg;
	for (int i = 0; i < ITER_ROWS; i++) {
		int len = 1 + (i * 37) % 200;

		snprintf(code, sizeof(code), "I%05d", i);
		for (int k = 0; k < len; k++)
			memcpy(name + 3 * k, EURO, 3);
		name[3 * len] = '\0';
		if ((e = add_customer(st, code, name)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Iteration in batches. */
static void
test_iter(void)
{
	struct oms_store *st = fresh("iter");
	struct oms_query *q;
	int64_t n = 0, between = -1;
	int good = 1;

	if (st == NULL)
		return;
	ok(oms_store_unit(st, iter_fill, NULL) == OMS_OK,
	    "iter: %d customers with names of 3 to 600 bytes", ITER_ROWS);
	q = oms_query_iter(st, OMS_STMT_COPY_CUSTOMERS_SELECT);
	while (oms_query_row(q)) {
		const char *name = oms_query_col_text(q, 2);
		int len = 3 * (1 + (int)(n * 37) % 200);

		if (name == NULL || (int)strlen(name) != len ||
		    memcmp(name + len - 3, EURO, 3) != 0 ||
		    oms_query_col_int(q, 0) < 1)
			good = 0;
		if (n == ITER_ROWS / 2)
			between = customers(st);
		n++;
	}
	ok(oms_query_end(q) == OMS_OK, "iter: the iteration ends without error");
	is_int(n, ITER_ROWS, "iter: every row came");
	ok(good, "iter: every value whole, in key order");
	is_int(between, ITER_ROWS, "iter: another statement runs on the "
	    "connection in the middle of an iteration");
	q = oms_query_iter(st, OMS_STMT_COPY_CUSTOMERS_SELECT);
	ok(oms_query_row(q) && oms_query_row(q), "iter: two rows, then stop");
	ok(oms_query_end(q) == OMS_OK, "iter: ending early is fine");
	n = 0;
	q = oms_query(st, OMS_STMT_COPY_CUSTOMERS_SELECT);
	while (oms_query_row(q))
		n++;
	ok(oms_query_end(q) == OMS_OK && n == ITER_ROWS,
	    "iter: the same statement runs buffered again afterwards");
	ok(oms_store_begin_read(st) == OMS_OK, "iter: inside a snapshot");
	n = 0;
	q = oms_query_iter(st, OMS_STMT_COPY_CUSTOMERS_SELECT);
	while (oms_query_row(q))
		n++;
	ok(oms_query_end(q) == OMS_OK && n == ITER_ROWS,
	    "iter: a snapshot iterates too");
	oms_store_rollback(st);
	oms_store_close(&st);
}

/* The store's own statements and one of the test's: a table of its own. */
#define TEST_STMTS(X)                                                      \
	X(T_AUTOCOMMIT, "SELECT @@autocommit", "SELECT 1", NULL)           \
	X(T_VALUES, "SELECT NULL, '', 'x'", NULL, NULL)

enum { OMS_STMT__T = OMS_STMT_STORE__MAX - 1, TEST_STMTS(OMS_STMT_ENUM) };
static const struct oms_stmtdef tdefs[] = {
	OMS_STMTS_STORE(OMS_STMT_DEF)
	TEST_STMTS(OMS_STMT_DEF)
};
static const struct oms_stmt_table ttable = {tdefs, OMS_NELEM(tdefs)};

/* A table of the test's own; one that lacks the store's statements is
 * refused. */
static void
test_table(void)
{
	static const struct oms_stmtdef bad[] = {
		TEST_STMTS(OMS_STMT_DEF)
	};
	static const struct oms_stmt_table badt = {bad, OMS_NELEM(bad)};
	struct oms_conf_store cs;
	struct oms_store *st = NULL;

	tb_be->conf(&cs, "table");
	ok(tb_be->create("table") &&
	    oms_store_open(&cs, OMS_STORE_CREATE, &badt, &st) ==
	    OMS_ERR_CONFIG && st == NULL,
	    "table: one not opening with the store's statements bad");
	ok(oms_store_open(&cs, OMS_STORE_CREATE, &ttable, &st) == OMS_OK,
	    "table: a table of a test's own opens");
	ok(oms_query_exec(oms_query(st, OMS_STMT_PING)) == OMS_OK,
	    "table: the store's statements run from it");
	oms_store_close(&st);
}

/* The one NULL rule of column copies. */
static void
test_coldup(void)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;
	struct oms_arena *a = oms_arena_new();
	struct oms_query *q;
	const char *v[3] = {"?", NULL, NULL};

	tb_be->conf(&cs, "table");
	if (a == NULL || oms_store_open(&cs, 0, &ttable, &st) != OMS_OK) {
		ok(0, "coldup: set-up");
		oms_arena_free(&a);
		return;
	}
	q = oms_query(st, OMS_STMT_T_VALUES);
	if (oms_query_row(q))
		for (int i = 0; i < 3; i++)
			v[i] = oms_query_col_dup(q, i, a);
	ok(oms_query_end(q) == OMS_OK, "coldup: a row of NULL, '' and 'x'");
	ok(v[0] == NULL, "coldup: SQL NULL gives NULL");
	is_str(v[1], "", "coldup: '' gives '', not NULL");
	is_str(v[2], "x", "coldup: text gives a copy of it");
	oms_store_close(&st);
	oms_arena_free(&a);
}

/* The autocommit of st's session as it reports it, or -1. */
static int64_t
autocommit_of(struct oms_store *st)
{
	struct oms_query *q = oms_query(st, OMS_STMT_T_AUTOCOMMIT);
	int64_t v = -1;

	if (oms_query_row(q))
		v = oms_query_col_int(q, 0);
	oms_query_end(q);
	return v;
}

/* MariaDB sessions are set to autocommit explicitly. */
static void
test_autocommit(void)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;
	int private = getenv("OMS_UNIT_PRIVATE_SERVER") != NULL &&
	    strcmp(getenv("OMS_UNIT_PRIVATE_SERVER"), "1") == 0;
	struct oms_query *q;
	int64_t v = -1;
	int applied;

	if (tb_be->kind != OMS_BACKEND_MARIADB)
		return;
	if (private)
		ok(tb_be->exec("table", "SET GLOBAL autocommit = 0") &&
		    tb_be->value("table", "SELECT @@GLOBAL.autocommit") == 0,
		    "autocommit: the private server's default is off");
	tb_be->conf(&cs, "table");
	ok(oms_store_open(&cs, 0, &ttable, &st) == OMS_OK &&
	    oms_migrate(st, &applied) == OMS_OK, "autocommit: a session");
	if (private)
		tb_be->exec("table", "SET GLOBAL autocommit = 1");
	is_int(autocommit_of(st), 1, "autocommit: the session says 1");
	q = oms_query(st, OMS_STMT_COUNTER_ADD);
	oms_query_text(q, "ac");
	ok(oms_query_exec(q) == OMS_OK, "autocommit: a write outside a unit");
	is_int(tb_be->value("table", "SELECT next_value FROM oms_counters"
	    " WHERE name = 'ac'"), 2,
	    "autocommit: another session sees it at once");
	ok(tb_be->exec("table", "UPDATE oms_counters SET next_value = 5"
	    " WHERE name = 'ac'"), "autocommit: another session changes it");
	q = oms_query(st, OMS_STMT_COUNTER_GET);
	oms_query_text(q, "ac");
	if (oms_query_row(q))
		v = oms_query_col_int(q, 0);
	oms_query_end(q);
	is_int(v, 5, "autocommit: a read outside a unit sees the change "
	    "(no old snapshot held)");
	oms_store_close(&st);
}

/* Forked processes draw different retry jitter. */
static void
test_jitter(void)
{
	long got[2][4];
	int same = 1, fine = 1;

	for (int c = 0; c < 2; c++) {
		int fd[2];
		pid_t pid;
		int status;

		if (pipe(fd) != 0 || (pid = fork()) < 0) {
			ok(0, "jitter: fork");
			return;
		}
		if (pid == 0) {
			struct oms_conf_store cs;
			struct oms_store *st = NULL;
			long v[4] = {0};

			close(fd[0]);
			tb_be->conf(&cs, "table");
			if (oms_store_open(&cs, 0, &ttable, &st) == OMS_OK)
				for (int i = 0; i < 4; i++)
					v[i] = oms_store_backoff_us(st, 1);
			oms_store_close(&st);
			if (write(fd[1], v, sizeof(v)) != (ssize_t)sizeof(v))
				_exit(1);
			_exit(0); /* not exit(): the parent's atexit drops */
		}
		close(fd[1]);
		if (read(fd[0], got[c], sizeof(got[c])) !=
		    (ssize_t)sizeof(got[c]))
			fine = 0;
		close(fd[0]);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			fine = 0;
	}
	for (int i = 0; i < 4; i++) {
		if (got[0][i] != got[1][i])
			same = 0;
		if (got[0][i] < 5000 || got[0][i] >= 25000)
			fine = 0;
	}
	ok(fine, "jitter: two forked processes drew 4 pauses each, "
	    "5 to 25 ms at attempt 1");
	ok(!same, "jitter: their sequences differ");
}

#define COPIED_NAME(X, n, t, cols, ph, key, types) t,
#define EMPTIED_NAME(X, n, t) t,

/* 1 when table t is copied, emptied, or the migrations' own record. */
static int
copy_knows(const char *t)
{
	static const char *const known[] = {
		OMS_COPY_TABLES(COPIED_NAME, _)
		OMS_COPY_EMPTIED(EMPTIED_NAME, _)
		"oms_migrations",
	};

	for (size_t i = 0; i < OMS_NELEM(known); i++)
		if (strcmp(known[i], t) == 0)
			return 1;
	return 0;
}

/* Every table of the schema, after every migration, is in the copy's
 * lists (src/store/stmt.h): a table added without it would be lost by
 * omsctl copy. */
static void
test_copy_tables(void)
{
	struct oms_store *st = fresh("copytables");
	struct oms_query *q;
	char missing[512] = "";
	int n = 0;

	if (st == NULL)
		return;
	q = oms_query(st, OMS_STMT_TABLES);
	while (oms_query_row(q)) {
		const char *t = oms_query_col_text(q, 0);

		n++;
		if (t != NULL && !copy_knows(t) &&
		    strlen(missing) + strlen(t) + 2 < sizeof(missing)) {
			strcat(missing, " ");
			strcat(missing, t);
		}
	}
	ok(oms_query_end(q) == OMS_OK && n >= OMS_COPY_NTABLES,
	    "copy tables: the schema lists %d tables", n);
	ok(missing[0] == '\0', "copy tables: every one is copied or emptied "
	    "by omsctl copy (missing:%s)", missing[0] ? missing : " none");
	ok(!copy_knows("no_such_table"), "copy tables: an unknown table bad: "
	    "not known");
	oms_store_close(&st);
}

/* One pass. */
static void
pass(void)
{
	test_snapshot();
	test_changes();
	test_latch();
	test_iter();
	test_table();
	test_coldup();
	test_copy_tables();
	test_autocommit();
	test_jitter();
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	tb_run(pass);
	return tap_done();
}

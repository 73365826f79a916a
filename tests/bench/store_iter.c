/*
 * store_iter.c: the program behind tests/bench/store-iter.sh.  Fills a
 * table of its own with N rows, or reads every row of it back through
 * the store, buffered (oms_query: the whole result in the client on
 * MariaDB, as every query before oms_query_iter) or in batches
 * (oms_query_iter), and prints the rows read and the process's peak
 * resident set (getrusage), one line:
 *
 *	store_iter sqlite PATH fill N | read buffered|iter
 *	store_iter mariadb SOCKET DATABASE fill N | read buffered|iter
 *
 * Its statements are a table of its own (the store's list, then the
 * benchmark's), as any program may open a connection with.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "conf.h"
#include "oms.h"
#include "stmt.h"
#include "store.h"

/* A hundred bytes of text a row. */
#define V100 "0123456789012345678901234567890123456789" \
	"0123456789012345678901234567890123456789" "01234567890123456789"

#define DIGITS "SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2" \
	" UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5"        \
	" UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8"        \
	" UNION ALL SELECT 9"

#define BENCH_STMTS(X)                                                     \
	X(BENCH_CREATE, "CREATE TABLE IF NOT EXISTS bench_rows ("          \
	    " id INTEGER NOT NULL PRIMARY KEY, v VARCHAR(100) NOT NULL)",  \
	    NULL, NULL)                                                    \
	X(BENCH_CLEAR, "DELETE FROM bench_rows", NULL, NULL)               \
	/* Ids 1 to ? (at most 10^6) from six digits: MariaDB stops a   \
	 * recursive CTE after 1,000 steps. */                           \
	X(BENCH_FILL, "INSERT INTO bench_rows (id, v)"                     \
	    " SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n"         \
	    " + 10000 * e.n + 100000 * f.n, '" V100 "' FROM"               \
	    " (" DIGITS ") a, (" DIGITS ") b, (" DIGITS ") c,"             \
	    " (" DIGITS ") d, (" DIGITS ") e, (" DIGITS ") f"              \
	    " WHERE 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n"          \
	    " + 10000 * e.n + 100000 * f.n <= ?", NULL, NULL)              \
	X(BENCH_ALL, "SELECT id, v FROM bench_rows ORDER BY id", NULL, NULL)

enum { OMS_STMT__BENCH = OMS_STMT_STORE__MAX - 1, BENCH_STMTS(OMS_STMT_ENUM) };
static const struct oms_stmtdef defs[] = {
	OMS_STMTS_STORE(OMS_STMT_DEF)
	BENCH_STMTS(OMS_STMT_DEF)
};
static const struct oms_stmt_table table = {defs, OMS_NELEM(defs)};

/* The fill, as one unit: arg points to the number of rows. */
static enum oms_err
fill(struct oms_store *st, void *arg)
{
	struct oms_query *q;
	enum oms_err e;

	if ((e = oms_query_exec(oms_query(st, OMS_STMT_BENCH_CLEAR))) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BENCH_FILL);
	oms_query_int(q, *(int64_t *)arg);
	return oms_query_exec(q);
}

/* Usage, on stderr; returns 2. */
static int
usage(void)
{
	fprintf(stderr, "usage: store_iter sqlite PATH | mariadb SOCKET DB"
	    " fill N | read buffered|iter\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct oms_conf_store cs;
	struct oms_store *st = NULL;
	struct rusage ru;
	int i = 1, rc = 1;
	int64_t n = 0;

	memset(&cs, 0, sizeof(cs));
	cs.busy_timeout_ms = 5000;
	if (argc >= 5 && strcmp(argv[1], "sqlite") == 0) {
		cs.backend = OMS_BACKEND_SQLITE;
		snprintf(cs.path, sizeof(cs.path), "%s", argv[2]);
		i = 3;
	} else if (argc >= 6 && strcmp(argv[1], "mariadb") == 0) {
		cs.backend = OMS_BACKEND_MARIADB;
		snprintf(cs.socket, sizeof(cs.socket), "%s", argv[2]);
		snprintf(cs.database, sizeof(cs.database), "%s", argv[3]);
		snprintf(cs.user, sizeof(cs.user), "root");
		snprintf(cs.password_env, sizeof(cs.password_env),
		    "OMS_BENCH_NO_PASSWORD");
		cs.connect_timeout = 5;
		cs.read_timeout = 600;
		cs.write_timeout = 600;
		i = 4;
	} else
		return usage();
	if (oms_store_open(&cs, OMS_STORE_CREATE, &table, &st) != OMS_OK ||
	    oms_query_exec(oms_query(st, OMS_STMT_BENCH_CREATE)) != OMS_OK)
		goto out;
	if (strcmp(argv[i], "fill") == 0) {
		n = strtoll(argv[i + 1], NULL, 10);
		if (oms_store_unit(st, fill, &n) != OMS_OK)
			goto out;
	} else if (strcmp(argv[i], "read") == 0) {
		int iter = strcmp(argv[i + 1], "iter") == 0;
		struct oms_query *q = iter ?
		    oms_query_iter(st, OMS_STMT_BENCH_ALL) :
		    oms_query(st, OMS_STMT_BENCH_ALL);
		size_t bytes = 0;

		while (oms_query_row(q)) {
			const char *v = oms_query_col_text(q, 1);

			bytes += v ? strlen(v) : 0;
			n++;
		}
		if (oms_query_end(q) != OMS_OK || bytes != (size_t)n * 100)
			goto out;
	} else {
		rc = usage();
		goto out;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%lld rows, peak RSS %ld KiB\n", (long long)n, ru.ru_maxrss);
	rc = 0;
out:
	oms_store_close(&st);
	return rc;
}

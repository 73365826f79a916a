/*
 * test_numbers.c: gapless number series under concurrency, on each
 * backend.  Several processes, each with a connection of its own (as
 * several omsd hosts have), draw numbers from one series at the same
 * time inside units of work; together they must get 1..N exactly once
 * each (unique, no gaps), and the series must end at N + 1 (no update
 * lost).  A unit that rolls back gives its number back.
 *
 * The MariaDB pass runs when OMS_MARIADB_SOCKET names a server's
 * socket (./check starts one); it makes and drops a database of its own.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef OMS_HAVE_MARIADB
#include <mysql.h>
#endif

#include "conf.h"
#include "migrate.h"
#include "oms.h"
#include "stmts.h"
#include "store.h"
#include "../tap.h"

#define PROCS 4
#define DRAWS 60

static const char *backend_name;

/* Draw one number of "orders" into *(int64_t *)arg. */
static enum oms_err
draw(struct oms_store *st, void *arg)
{
	return oms_store_next_number(st, "orders", arg);
}

/* Draw one number and fail: the unit must roll back. */
static enum oms_err
draw_and_fail(struct oms_store *st, void *arg)
{
	enum oms_err e = oms_store_next_number(st, "orders", arg);

	return e == OMS_OK ? OMS_ERR_INVAL : e;
}

/* Child: open a connection, draw DRAWS numbers, write them to fd. */
static void __attribute__((noreturn))
child(const struct oms_conf_store *k, int fd)
{
	struct oms_store *st;
	int64_t v;

	if (oms_store_open(k, 0, &oms_stmt_table, &st) != OMS_OK)
		_exit(3);
	for (int i = 0; i < DRAWS; i++) {
		if (oms_store_unit(st, draw, &v) != OMS_OK)
			_exit(4);
		if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(5);
	}
	oms_store_close(&st);
	_exit(0);
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The whole test against the store configured by k (migrated). */
static void
run(const struct oms_conf_store *k)
{
	int p[2], status, clean = 1;
	pid_t pids[PROCS];
	int64_t got[PROCS * DRAWS + 8], v, back;
	size_t n = 0;
	ssize_t r;
	struct oms_store *st;
	int gapless = 1;
	enum oms_err e;

	if (pipe(p) != 0) {
		ok(0, "%s: pipe", backend_name);
		return;
	}
	fflush(stdout);
	for (int i = 0; i < PROCS; i++)
		if ((pids[i] = fork()) == 0) {
			close(p[0]);
			child(k, p[1]);
		}
	close(p[1]);
	while (n < OMS_NELEM(got) &&
	    (r = read(p[0], &got[n], sizeof(got[0]))) == (ssize_t)sizeof(got[0]))
		n++;
	close(p[0]);
	for (int i = 0; i < PROCS; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			clean = 0;
			printf("#   process %d ended with status %d\n", i, status);
		}
	}
	ok(clean, "%s: %d processes each drew %d numbers without an error",
	    backend_name, PROCS, DRAWS);
	is_int(n, PROCS * DRAWS, "%s: every number drawn was reported",
	    backend_name);
	qsort(got, n, sizeof(got[0]), cmp64);
	for (size_t i = 0; i < n; i++)
		if (got[i] != (int64_t)i + 1) {
			printf("#   position %zu holds %lld\n", i, (long long)got[i]);
			gapless = 0;
			break;
		}
	ok(gapless, "%s: together they got 1..%d, each exactly once",
	    backend_name, PROCS * DRAWS);

	if (oms_store_open(k, 0, &oms_stmt_table, &st) != OMS_OK) {
		ok(0, "%s: reopen", backend_name);
		return;
	}
	back = v = 0;
	e = oms_store_unit(st, draw_and_fail, &back);
	ok(e == OMS_ERR_INVAL && back == PROCS * DRAWS + 1,
	    "%s: a failing unit drew %lld and rolled back", backend_name,
	    (long long)back);
	e = oms_store_unit(st, draw, &v);
	ok(e == OMS_OK && v == back,
	    "%s: the rolled-back number is given out again (%lld)",
	    backend_name, (long long)v);
	e = oms_store_unit(st, draw, &v);
	ok(e == OMS_OK && v == back + 1,
	    "%s: and the series goes on from there", backend_name);
	oms_store_close(&st);
}

/* Fresh store of k's backend: create (SQLite) and migrate. */
static int
prepare(const struct oms_conf_store *k)
{
	struct oms_store *st;
	int applied;
	enum oms_err e;

	if (oms_store_open(k, OMS_STORE_CREATE, &oms_stmt_table, &st) != OMS_OK)
		return 0;
	e = oms_migrate(st, &applied);
	oms_store_close(&st);
	return e == OMS_OK;
}

#ifdef OMS_HAVE_MARIADB
/* Run sql as root on the server at sock; 1 on success. */
static int
admin(const char *sock, const char *sql)
{
	MYSQL *m = mysql_init(NULL);
	int good;

	if (m == NULL)
		return 0;
	good = mysql_real_connect(m, NULL, "root", NULL, NULL, 0, sock, 0) &&
	    mysql_query(m, sql) == 0;
	if (!good)
		printf("#   %s: %s\n", sql, mysql_error(m));
	mysql_close(m);
	return good;
}
#endif

int
main(void)
{
	struct oms_conf c;
	char dir[] = "/tmp/oms-test-numbers.XXXXXX";
	const char *sock = getenv("OMS_MARIADB_SOCKET");

	oms_log_set_level(OMS_LOG_ERR);
	srandom((unsigned)getpid());

#ifdef OMS_HAVE_SQLITE
	backend_name = "sqlite";
	oms_conf_defaults(&c);
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	c.store.backend = OMS_BACKEND_SQLITE;
	snprintf(c.store.path, sizeof(c.store.path), "%s/oms.db", dir);
	c.store.retries = 20;
	ok(prepare(&c.store), "sqlite: a fresh database");
	run(&c.store);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
#endif
#ifdef OMS_HAVE_MARIADB
	backend_name = "mariadb";
	if (sock == NULL || *sock == '\0') {
		printf("ok %d - mariadb # SKIP OMS_MARIADB_SOCKET not set\n",
		    ++tap_n);
	} else {
		char db[64], sql[128];

		oms_conf_defaults(&c);
		snprintf(db, sizeof(db), "oms_numbers_%ld", (long)getpid());
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s CHARACTER SET "
		    "utf8mb4", db);
		c.store.backend = OMS_BACKEND_MARIADB;
		snprintf(c.store.socket, sizeof(c.store.socket), "%s", sock);
		snprintf(c.store.database, sizeof(c.store.database), "%s", db);
		snprintf(c.store.user, sizeof(c.store.user), "root");
		snprintf(c.store.password_env, sizeof(c.store.password_env),
		    "OMS_TEST_NO_PASSWORD");
		c.store.retries = 20;
		c.store.busy_timeout_ms = 2000;
		ok(admin(sock, sql) && prepare(&c.store),
		    "mariadb: a fresh database");
		run(&c.store);
		snprintf(sql, sizeof(sql), "DROP DATABASE %s", db);
		admin(sock, sql);
	}
#else
	(void)sock;
#endif
	return tap_done();
}

/*
 * test_lease.c: database-wide job leases (src/domain/lease.c) on each
 * backend: acquire, a second holder refused, renewal, takeover of an
 * expired lease, fencing (the old holder's fenced unit is refused after
 * a takeover and commits nothing), release, a released lease taken at
 * once; and the sessions sweep that the sessions job runs under it.
 * Two holders use two connections, as two hosts do.
 *
 * The MariaDB pass runs when OMS_MARIADB_SOCKET names a server's
 * socket; it makes and drops a database of its own.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef OMS_HAVE_MARIADB
#include <mysql.h>
#endif

#include "conf.h"
#include "lease.h"
#include "migrate.h"
#include "oms.h"
#include "stmts.h"
#include "store.h"
#include "sweep.h"
#include "../tap.h"

static const char *backend_name;

/* Unit: draw one number of the series "fenced" into *(int64_t *)arg. */
static enum oms_err
draw(struct oms_store *st, void *arg)
{
	return oms_store_next_number(st, "fenced", arg);
}

/*
 * Try to acquire l on st until it succeeds or wait_ms pass (polling
 * every 20 ms: the condition is the database's clock passing the
 * other holder's expiry).  Returns the last result.
 */
static enum oms_err
acquire_within(struct oms_store *st, struct oms_lease *l, int64_t wait_ms)
{
	int64_t end = oms_now_us() + wait_ms * 1000;
	struct timespec ts = {0, 20000000};
	enum oms_err e;

	while ((e = oms_lease_acquire(st, l)) == OMS_ERR_DENIED &&
	    oms_now_us() < end)
		nanosleep(&ts, NULL);
	return e;
}

/* The lease tests against the migrated store configured by k. */
static void
run(const struct oms_conf_store *k)
{
	struct oms_store *a = NULL, *b = NULL;
	struct oms_lease la, lb, lc, bad;
	int64_t v = 0, v2 = 0, epoch_a;
	enum oms_err e;

	if (oms_store_open(k, 0, &oms_stmt_table, &a) != OMS_OK ||
	    oms_store_open(k, 0, &oms_stmt_table, &b) != OMS_OK) {
		ok(0, "%s: two connections", backend_name);
		oms_store_close(&a);
		oms_store_close(&b);
		return;
	}
	ok(oms_lease_init(&bad, "", 1000) == OMS_ERR_INVAL &&
	    oms_lease_init(&bad, "x", 0) == OMS_ERR_INVAL,
	    "%s: bad lease arguments are refused", backend_name);
	/* A is host A; B is host B: a long lease first. */
	oms_lease_init(&la, "test", 60000);
	oms_lease_init(&lb, "test", 60000);
	ok(strcmp(la.holder, lb.holder) != 0,
	    "%s: two holders have different names (%s)", backend_name,
	    la.holder);
	e = oms_lease_acquire(a, &la);
	ok(e == OMS_OK && la.epoch == 1 && oms_lease_held(&la),
	    "%s: A acquires a new lease at epoch 1", backend_name);
	e = oms_lease_acquire(b, &lb);
	ok(e == OMS_ERR_DENIED && lb.epoch == 0 && !oms_lease_held(&lb),
	    "%s: bad: B is refused while A holds it", backend_name);
	is_str(lb.other, la.holder, "%s: the refusal names A as the holder",
	    backend_name);
	ok(lb.other_ms > 0 && lb.other_ms <= 60000,
	    "%s: and says how long A's lease lasts (%lld ms)", backend_name,
	    (long long)lb.other_ms);
	ok(oms_lease_unit(b, &lb, draw, &v) == OMS_ERR_DENIED,
	    "%s: bad: B's fenced unit is refused without the lease",
	    backend_name);
	e = oms_lease_renew(a, &la);
	ok(e == OMS_OK && la.epoch == 1, "%s: A renews its lease",
	    backend_name);
	e = oms_lease_acquire(a, &la);
	ok(e == OMS_OK && la.epoch == 1,
	    "%s: A acquiring again keeps epoch 1", backend_name);
	e = oms_lease_unit(a, &la, draw, &v);
	ok(e == OMS_OK && v == 1, "%s: A's fenced unit commits (drew %lld)",
	    backend_name, (long long)v);

	/* A released lease is taken at once. */
	ok(oms_lease_release(a, &la) == OMS_OK && la.epoch == 0,
	    "%s: A releases the lease", backend_name);
	e = oms_lease_acquire(b, &lb);
	ok(e == OMS_OK && lb.epoch == 2,
	    "%s: B takes the released lease at once, epoch 2", backend_name);
	ok(oms_lease_renew(a, &la) == OMS_ERR_DENIED,
	    "%s: bad: A cannot renew a lease it released", backend_name);
	ok(oms_lease_release(b, &lb) == OMS_OK, "%s: B releases it",
	    backend_name);

	/* Expiry: A holds a short lease and stops renewing (a host that
	 * stalls); B takes it over once it runs out. */
	oms_lease_init(&la, "test", 1500);
	e = oms_lease_acquire(a, &la);
	epoch_a = la.epoch;
	ok(e == OMS_OK && epoch_a == 3, "%s: A takes a 1.5 s lease, epoch 3",
	    backend_name);
	ok(oms_lease_acquire(b, &lb) == OMS_ERR_DENIED,
	    "%s: bad: B is refused before it runs out", backend_name);
	e = acquire_within(b, &lb, 10000);
	ok(e == OMS_OK && lb.epoch == epoch_a + 1,
	    "%s: B takes over the expired lease, epoch %lld", backend_name,
	    (long long)lb.epoch);

	/* Fencing: A wakes up and tries to work under its old epoch. */
	la.local_until = INT64_MAX; /* A believes it still holds it */
	v = 0;
	e = oms_lease_unit(a, &la, draw, &v);
	ok(e == OMS_ERR_DENIED && la.epoch == 0,
	    "%s: bad: A's fenced unit is refused after the takeover",
	    backend_name);
	e = oms_lease_unit(b, &lb, draw, &v2);
	is_int(v2, 2, "%s: A's refused unit committed nothing: B draws 2",
	    backend_name);
	la.epoch = epoch_a; /* A tries its stale epoch once more */
	ok(oms_lease_renew(a, &la) == OMS_ERR_DENIED && la.epoch == 0,
	    "%s: bad: A cannot renew after the takeover", backend_name);
	la.epoch = epoch_a;
	ok(oms_lease_release(a, &la) == OMS_OK,
	    "%s: A's release of a lost lease is harmless", backend_name);
	ok(oms_lease_acquire(a, &la) == OMS_ERR_DENIED,
	    "%s: bad: and B still holds it", backend_name);
	/* Renewal pushes the expiry on, by the database's clock. */
	{
		struct timespec ts = {0, 50000000};
		int64_t before = lb.expires_at;

		nanosleep(&ts, NULL);
		e = oms_lease_renew(b, &lb);
		ok(e == OMS_OK && lb.epoch == epoch_a + 1 &&
		    lb.expires_at > before, "%s: B's renewal moves its "
		    "expiry on by %lld ms", backend_name,
		    (long long)(lb.expires_at - before));
	}

	/* Another job's lease is independent. */
	oms_lease_init(&lc, "other", 60000);
	ok(oms_lease_acquire(a, &lc) == OMS_OK && lc.epoch == 1,
	    "%s: a lease of another job is independent", backend_name);
	oms_lease_release(a, &lc);
	oms_lease_release(b, &lb);
	oms_store_close(&a);
	oms_store_close(&b);
}

/* Unit: insert a session of user 1 seen at *(int64_t *)arg. */
static enum oms_err
add_session(struct oms_store *st, void *arg)
{
	static int n;
	int64_t at = *(int64_t *)arg;
	struct oms_query *q;
	char id[65];

	snprintf(id, sizeof(id), "%064d", ++n);
	q = oms_query(st, OMS_STMT_SESSION_ADD);
	oms_query_text(q, id);
	oms_query_int(q, 1);
	oms_query_text(q, "0123456789012345678901234567890123456789012");
	oms_query_int(q, at);
	oms_query_int(q, at);
	oms_query_text(q, "127.0.0.1");
	return oms_query_exec(q);
}

/* Unit: create user 1 for the sessions. */
static enum oms_err
add_user(struct oms_store *st, void *arg)
{
	struct oms_query *q = oms_query(st, OMS_STMT_USER_ADD);

	(void)arg;
	oms_query_text(q, "sweeper");
	oms_query_text(q, "Sweeper");
	oms_query_text(q, "s@example.com");
	oms_query_text(q, "admin");
	oms_query_text(q, "Operator");
	oms_query_null(q);
	oms_query_text(q, "x");
	oms_query_text(q, "2024-01-01T00:00:00Z");
	oms_query_text(q, "2024-01-01T00:00:00Z");
	oms_query_int(q, 0);
	return oms_query_exec(q);
}

/* The sessions sweep, fenced by a lease, deletes exactly the expired. */
static void
sweep(const struct oms_conf_store *k)
{
	struct oms_auth_conf auth = {3600, 43200, 5, 20, 900};
	struct oms_store *st = NULL;
	struct oms_lease l;
	int64_t now = (int64_t)time(NULL), old = now - 7200, fresh = now - 10;
	struct oms_sweep sw = {&auth, now, 0};
	enum oms_err e;

	if (oms_store_open(k, 0, &oms_stmt_table, &st) != OMS_OK) {
		ok(0, "%s: sweep: open", backend_name);
		return;
	}
	e = oms_store_unit(st, add_user, NULL);
	if (e == OMS_OK)
		e = oms_store_unit(st, add_session, &old);
	if (e == OMS_OK)
		e = oms_store_unit(st, add_session, &old);
	if (e == OMS_OK)
		e = oms_store_unit(st, add_session, &fresh);
	ok(e == OMS_OK, "%s: sweep: a user, two expired sessions, one fresh",
	    backend_name);
	oms_lease_init(&l, "sessions", 60000);
	ok(oms_lease_acquire(st, &l) == OMS_OK, "%s: sweep: lease taken",
	    backend_name);
	e = oms_lease_unit(st, &l, oms_sweep_sessions, &sw);
	ok(e == OMS_OK && sw.deleted == 2,
	    "%s: sweep: deletes the 2 expired sessions (%lld)", backend_name,
	    (long long)sw.deleted);
	e = oms_lease_unit(st, &l, oms_sweep_sessions, &sw);
	ok(e == OMS_OK && sw.deleted == 0,
	    "%s: sweep: a second sweep finds none; the fresh one stays",
	    backend_name);
	oms_lease_release(st, &l);
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
	char dir[] = "/tmp/oms-test-lease.XXXXXX";
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
	ok(prepare(&c.store), "sqlite: a fresh database");
	run(&c.store);
	sweep(&c.store);
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
		snprintf(db, sizeof(db), "oms_lease_%ld", (long)getpid());
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s CHARACTER SET "
		    "utf8mb4", db);
		c.store.backend = OMS_BACKEND_MARIADB;
		snprintf(c.store.socket, sizeof(c.store.socket), "%s", sock);
		snprintf(c.store.database, sizeof(c.store.database), "%s", db);
		snprintf(c.store.user, sizeof(c.store.user), "root");
		snprintf(c.store.password_env, sizeof(c.store.password_env),
		    "OMS_TEST_NO_PASSWORD");
		c.store.busy_timeout_ms = 2000;
		ok(admin(sock, sql) && prepare(&c.store),
		    "mariadb: a fresh database");
		run(&c.store);
		sweep(&c.store);
		snprintf(sql, sizeof(sql), "DROP DATABASE %s", db);
		admin(sock, sql);
	}
#else
	(void)sock;
#endif
	return tap_done();
}

/*
 * store.c: the one home of calls into a storage backend.  Statements
 * are prepared on first use and kept for the life of the connection;
 * errors are logged here, naming the statement.
 *
 * Sections, in order: the statement table check and the backend of a
 * configuration (table_ok, ops_for); retry jitter seeded per process
 * (seed_jitter, oms_store_backoff_us); open and close; transactions
 * (begin, oms_store_begin, oms_store_begin_read, oms_store_read,
 * commit with its failure latch, rollback); units of work and gapless
 * numbers (oms_store_unit, oms_store_next_number); ping, last id,
 * scripts; the latching query API (oms_query .. oms_query_exec, with
 * oms_query_rows, the list-fetch loop, and oms_query_iter, rows in
 * batches).
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "store.h"

#define MAX_COLS 32

struct oms_query {
	struct oms_store *st;          /* owner */
	int id;                        /* which statement (its index) */
	struct oms_backend_stmt *h;    /* prepared handle, NULL until used */
	int nbind;                     /* parameters bound so far */
	int busy;                      /* started and not yet ended */
	enum oms_err err;              /* first error since start */
	int64_t changes;               /* rows the last run changed */
};

struct oms_store {
	const struct oms_store_ops *ops;      /* the backend */
	struct oms_backend_conn *conn;        /* its connection */
	int in_tx;                            /* a transaction is open */
	int read_only;                        /* it is a read snapshot */
	enum oms_err tx_err;                  /* first failure inside it */
	int retries;                          /* unit retries on BUSY */
	unsigned short jitter[3];             /* this process's nrand48 state */
	const struct oms_stmt_table *table;   /* the statements (borrowed) */
	struct oms_query *q;                  /* one per statement */
};

/* The store's own statements, to check that a table starts with them. */
static const struct oms_stmtdef own[OMS_STMT_STORE__MAX] = {
	OMS_STMTS_STORE(OMS_STMT_DEF)
};

/*
 * 1 when table opens with the store's own statements, in order, so that
 * enum oms_store_stmt indexes it; 0 (logged) otherwise.
 */
static int
table_ok(const struct oms_stmt_table *t)
{
	if (t == NULL || t->defs == NULL || t->n < OMS_STMT_STORE__MAX) {
		oms_error("store: the statement table is missing or short");
		return 0;
	}
	for (size_t i = 0; i < OMS_STMT_STORE__MAX; i++)
		if (strcmp(t->defs[i].name, own[i].name) != 0 ||
		    strcmp(t->defs[i].sql, own[i].sql) != 0) {
			oms_error("store: statement %zu of the table is %s, "
			    "not the store's %s", i, t->defs[i].name,
			    own[i].name);
			return 0;
		}
	return 1;
}

/* The ops of a backend, or NULL when it was not built. */
static const struct oms_store_ops *
ops_for(enum oms_backend b)
{
	switch (b) {
#ifdef OMS_HAVE_SQLITE
	case OMS_BACKEND_SQLITE:
		return &oms_sqlite_ops;
#endif
#ifdef OMS_HAVE_MARIADB
	case OMS_BACKEND_MARIADB:
		return &oms_mariadb_ops;
#endif
	default:
		return NULL;
	}
}

/*
 * Seed the retry jitter of this connection.  Connections are opened
 * after fork, so every worker draws its own sequence: from the kernel's
 * random source, or, should that fail, from the pid and the clock.
 * Units of workers that deadlocked together then back off by different
 * amounts instead of colliding again in step.
 */
static void
seed_jitter(struct oms_store *st)
{
	struct timespec ts;
	uint64_t x;

	if (getrandom(st->jitter, sizeof(st->jitter), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(st->jitter))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	x = (uint64_t)getpid() * UINT64_C(0x9E3779B97F4A7C15) ^
	    (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32);
	st->jitter[0] = (unsigned short)x;
	st->jitter[1] = (unsigned short)(x >> 16);
	st->jitter[2] = (unsigned short)(x >> 32);
}

/* Described in store.h: the pause before retry attempt, with this
 * connection's jitter. */
long
oms_store_backoff_us(struct oms_store *st, int attempt)
{
	return (nrand48(st->jitter) % 20000 + 5000) * (long)attempt;
}

/*
 * Open a connection of the configured backend with the statements of
 * table (borrowed for the connection's life).  Returns OMS_OK with *stp
 * set, or an error with *stp NULL; the caller closes with
 * oms_store_close().
 */
enum oms_err
oms_store_open(const struct oms_conf_store *c, int flags,
    const struct oms_stmt_table *table, struct oms_store **stp)
{
	struct oms_store *st;
	const struct oms_store_ops *ops = ops_for(c->backend);
	enum oms_err e;

	*stp = NULL;
	if (ops == NULL) {
		oms_error("store: backend '%s' is not built into this program",
		    (unsigned)c->backend < OMS_BACKEND__MAX ?
		    oms_backend_names[c->backend] : "?");
		return OMS_ERR_CONFIG;
	}
	if (ops->version < OMS_STORE_OPS_VERSION) {
		oms_error("store: backend '%s' has interface version %d, need %d",
		    ops->name, ops->version, OMS_STORE_OPS_VERSION);
		return OMS_ERR_CONFIG;
	}
	if (!table_ok(table))
		return OMS_ERR_CONFIG;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return OMS_ERR_NOMEM;
	st->ops = ops;
	st->retries = c->retries;
	st->table = table;
	seed_jitter(st);
	if ((st->q = calloc(table->n, sizeof(*st->q))) == NULL) {
		free(st);
		return OMS_ERR_NOMEM;
	}
	for (size_t i = 0; i < table->n; i++) {
		st->q[i].st = st;
		st->q[i].id = (int)i;
	}
	if ((e = ops->open(c, flags, &st->conn)) != OMS_OK) {
		oms_store_close(&st);
		return e;
	}
	*stp = st;
	return OMS_OK;
}

/* Described in store.h: finalize every statement, close, clear *stp. */
void
oms_store_close(struct oms_store **stp)
{
	struct oms_store *st;

	if (stp == NULL || (st = *stp) == NULL)
		return;
	for (size_t i = 0; st->q != NULL && i < st->table->n; i++)
		if (st->q[i].h != NULL)
			st->ops->finalize(st->q[i].h);
	if (st->conn != NULL)
		st->ops->close(st->conn);
	free(st->q);
	free(st);
	*stp = NULL;
}

/* Described in store.h: the backend's name (static). */
const char *
oms_store_backend(const struct oms_store *st)
{
	return st->ops->name;
}

/*
 * Begin a transaction for writing (read_only 0) or a read snapshot
 * (read_only 1).  Returns OMS_OK or the backend's error.
 */
static enum oms_err
begin(struct oms_store *st, int read_only)
{
	enum oms_err e;

	assert(!st->in_tx);
	e = read_only ? st->ops->begin_read(st->conn) :
	    st->ops->begin(st->conn);
	if (e != OMS_OK) {
		oms_error("store: begin%s: %s", read_only ? " (read)" : "",
		    st->ops->errmsg(st->conn));
		return e;
	}
	st->in_tx = 1;
	st->read_only = read_only;
	st->tx_err = OMS_OK;
	return OMS_OK;
}

/* Described in store.h: begin a write transaction. */
enum oms_err
oms_store_begin(struct oms_store *st)
{
	return begin(st, 0);
}

/* Described in store.h: begin a read-only snapshot. */
enum oms_err
oms_store_begin_read(struct oms_store *st)
{
	return begin(st, 1);
}

/* Described in store.h: run fn in a read snapshot and end it. */
enum oms_err
oms_store_read(struct oms_store *st, oms_unit_fn fn, void *arg)
{
	enum oms_err e;

	if ((e = oms_store_begin_read(st)) != OMS_OK)
		return e;
	e = fn(st, arg);
	if (e == OMS_OK && st->tx_err != OMS_OK)
		e = st->tx_err;
	oms_store_rollback(st);
	return e;
}

/* Described in store.h: commit, or refuse when a statement failed. */
enum oms_err
oms_store_commit(struct oms_store *st)
{
	enum oms_err e;

	assert(st->in_tx);
	/* A statement of the unit failed and the unit went on regardless:
	 * what it wrote is incomplete, so nothing of it is kept. */
	if (st->tx_err != OMS_OK) {
		e = st->tx_err;
		oms_error("store: commit refused: a statement of the unit "
		    "failed (%s)", oms_strerror(e));
		oms_store_rollback(st);
		return e;
	}
	if ((e = st->ops->commit(st->conn)) != OMS_OK) {
		oms_error("store: commit: %s", st->ops->errmsg(st->conn));
		oms_store_rollback(st);
		return e;
	}
	st->in_tx = 0;
	return OMS_OK;
}

/* Described in store.h: roll back when a transaction is open. */
void
oms_store_rollback(struct oms_store *st)
{
	if (!st->in_tx)
		return;
	if (st->ops->rollback(st->conn) != OMS_OK)
		oms_error("store: rollback: %s", st->ops->errmsg(st->conn));
	st->in_tx = 0;
	st->read_only = 0;
	st->tx_err = OMS_OK;
}

/* Described in store.h: run fn as a unit of work, retried on BUSY. */
enum oms_err
oms_store_unit(struct oms_store *st, oms_unit_fn fn, void *arg)
{
	enum oms_err e;
	int attempt = 0;

	for (;;) {
		if ((e = oms_store_begin(st)) == OMS_OK &&
		    (e = fn(st, arg)) == OMS_OK &&
		    (e = oms_store_commit(st)) == OMS_OK)
			return OMS_OK;
		oms_store_rollback(st);
		if (e != OMS_ERR_BUSY || attempt++ >= st->retries)
			return e;
		/* Back off a little, more each time, with jitter so that
		 * two units that deadlocked do not collide again. */
		{
			long us = oms_store_backoff_us(st, attempt);
			struct timespec ts = {us / 1000000, us % 1000000 * 1000L};

			nanosleep(&ts, NULL);
		}
		oms_warn("store: unit of work rolled back (lock wait or "
		    "deadlock); attempt %d of %d", attempt + 1,
		    st->retries + 1);
	}
}

/* Described in store.h: draw the next number of a gapless series. */
enum oms_err
oms_store_next_number(struct oms_store *st, const char *name, int64_t *value)
{
	struct oms_query *q;
	int64_t next = 0;
	int found = 0;
	enum oms_err e;

	assert(st->in_tx && !st->read_only &&
	    "numbers are drawn inside a unit of work");
	q = oms_query(st, OMS_STMT_COUNTER_LOCK);
	oms_query_text(q, name);
	if (oms_query_row(q)) {
		found = 1;
		next = oms_query_col_int(q, 0);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found) {
		/* The first number of a new series.  Two units starting the
		 * same series at once collide on the key: the loser is
		 * retried as if it had waited for a lock. */
		q = oms_query(st, OMS_STMT_COUNTER_ADD);
		oms_query_text(q, name);
		e = oms_query_exec(q);
		if (e == OMS_ERR_CONSTRAINT)
			return OMS_ERR_BUSY;
		if (e != OMS_OK)
			return e;
		*value = 1;
		return OMS_OK;
	}
	q = oms_query(st, OMS_STMT_COUNTER_SET);
	oms_query_int(q, next + 1);
	oms_query_text(q, name);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	*value = next;
	return OMS_OK;
}

/* Described in store.h: the backend's liveness check. */
enum oms_err
oms_store_ping(struct oms_store *st)
{
	return st->ops->ping(st->conn);
}

/* Described in store.h: the id of the last row inserted. */
int64_t
oms_store_last_id(struct oms_store *st)
{
	return st->ops->last_id(st->conn);
}

/* Described in store.h: run a script of statements (migrations). */
enum oms_err
oms_store_exec_script(struct oms_store *st, const char *sql)
{
	const char *p = sql;
	enum oms_err e = OMS_OK;

	while (*p != '\0' && e == OMS_OK) {
		const char *end = p;
		struct oms_backend_stmt *h = NULL;
		size_t len;
		char *one;
		int row;

		/* A statement ends with ';' at the end of a line. */
		for (; *end != '\0'; end++) {
			const char *t = end + 1;

			if (*end != ';')
				continue;
			while (*t == ' ' || *t == '\t')
				t++;
			if (*t == '\n' || *t == '\0' || *t == '\r')
				break;
		}
		len = (size_t)(end - p);
		if ((one = malloc(len + 1)) == NULL)
			return OMS_ERR_NOMEM;
		memcpy(one, p, len);
		one[len] = '\0';
		p = *end ? end + 1 : end;
		/* Skip blank and comment-only pieces. */
		{
			const char *s = one;
			int empty = 1;

			while (*s) {
				if (s[0] == '-' && s[1] == '-') {
					while (*s && *s != '\n')
						s++;
				} else if (*s == ' ' || *s == '\n' ||
				    *s == '\t' || *s == '\r')
					s++;
				else {
					empty = 0;
					break;
				}
			}
			if (empty) {
				free(one);
				continue;
			}
		}
		if ((e = st->ops->prepare(st->conn, one, &h)) == OMS_OK) {
			while ((e = st->ops->step(h, &row)) == OMS_OK && row)
				;
		}
		if (e != OMS_OK)
			oms_error("store: script statement failed: %s: %.200s",
			    st->ops->errmsg(st->conn), one);
		if (h != NULL)
			st->ops->finalize(h);
		free(one);
	}
	return e;
}

/* Latch e as the query's error if it is the first; log it. */
static void
qfail(struct oms_query *q, enum oms_err e, const char *what)
{
	if (q->err != OMS_OK)
		return;
	q->err = e;
	/* Latched in the transaction too: a unit whose function ignores
	 * the failure must not commit (oms_store_commit). */
	if (q->st->in_tx && q->st->tx_err == OMS_OK)
		q->st->tx_err = e;
	oms_error("store: %s %s: %s", what, q->st->table->defs[q->id].name,
	    q->st->ops->errmsg(q->st->conn));
}

/* Described in store.h: start statement id, preparing it on first use. */
struct oms_query *
oms_query(struct oms_store *st, int id)
{
	struct oms_query *q;

	assert(id >= 0 && (size_t)id < st->table->n);
	q = &st->q[id];
	assert(!q->busy && "statement started twice without oms_query_end");
	q->busy = 1;
	q->nbind = 0;
	q->err = OMS_OK;
	q->changes = 0;
	if (q->h == NULL) {
		const struct oms_stmtdef *d = &st->table->defs[id];
		const char *sql = d->sql;
		enum oms_err e;

		if (st->ops->backend == OMS_BACKEND_SQLITE && d->sqlite)
			sql = d->sqlite;
		else if (st->ops->backend == OMS_BACKEND_MARIADB && d->mariadb)
			sql = d->mariadb;
		if ((e = st->ops->prepare(st->conn, sql, &q->h)) != OMS_OK) {
			q->h = NULL;
			qfail(q, e, "prepare");
		}
	}
	return q;
}

/* Described in store.h: bind the next parameter to an integer. */
void
oms_query_int(struct oms_query *q, int64_t v)
{
	enum oms_err e;

	q->nbind++;
	if (q->err == OMS_OK &&
	    (e = q->st->ops->bind_int(q->h, q->nbind, v)) != OMS_OK)
		qfail(q, e, "bind");
}

/* Described in store.h: bind the next parameter to text (NULL: NULL). */
void
oms_query_text(struct oms_query *q, const char *s)
{
	enum oms_err e;

	q->nbind++;
	if (q->err != OMS_OK)
		return;
	e = s == NULL ? q->st->ops->bind_null(q->h, q->nbind) :
	    q->st->ops->bind_text(q->h, q->nbind, s, strlen(s));
	if (e != OMS_OK)
		qfail(q, e, "bind");
}

/* Described in store.h: bind the next parameter to n bytes. */
void
oms_query_blob(struct oms_query *q, const void *v, size_t n)
{
	enum oms_err e;

	q->nbind++;
	if (q->err != OMS_OK)
		return;
	if (v == NULL)
		e = q->st->ops->bind_null(q->h, q->nbind);
	else if (q->st->ops->bind_blob != NULL)
		e = q->st->ops->bind_blob(q->h, q->nbind, v, n);
	else
		e = q->st->ops->bind_text(q->h, q->nbind, v, n);
	if (e != OMS_OK)
		qfail(q, e, "bind");
}

/* Described in store.h: bind the next parameter to text the caller
 * keeps (NULL: NULL), by the backend's bind_text_ref when it has one. */
void
oms_query_text_ref(struct oms_query *q, const char *s)
{
	enum oms_err e;

	q->nbind++;
	if (q->err != OMS_OK)
		return;
	if (s == NULL)
		e = q->st->ops->bind_null(q->h, q->nbind);
	else if (q->st->ops->bind_text_ref != NULL)
		e = q->st->ops->bind_text_ref(q->h, q->nbind, s, strlen(s));
	else
		e = q->st->ops->bind_text(q->h, q->nbind, s, strlen(s));
	if (e != OMS_OK)
		qfail(q, e, "bind");
}

/* Described in store.h: bind the next parameter to NULL. */
void
oms_query_null(struct oms_query *q)
{
	enum oms_err e;

	q->nbind++;
	if (q->err == OMS_OK &&
	    (e = q->st->ops->bind_null(q->h, q->nbind)) != OMS_OK)
		qfail(q, e, "bind");
}

/* Described in store.h: step; 1 when a row is ready. */
int
oms_query_row(struct oms_query *q)
{
	enum oms_err e;
	int row = 0;

	if (q->err != OMS_OK)
		return 0;
	if ((e = q->st->ops->step(q->h, &row)) != OMS_OK) {
		qfail(q, e, "step");
		return 0;
	}
	return row;
}

/* Described in store.h: column col of the row as an integer. */
int64_t
oms_query_col_int(struct oms_query *q, int col)
{
	return q->st->ops->column_int(q->h, col);
}

/* Described in store.h: column col as text, NULL for SQL NULL. */
const char *
oms_query_col_text(struct oms_query *q, int col)
{
	size_t len;

	if (q->st->ops->column_null(q->h, col))
		return NULL;
	return q->st->ops->column_text(q->h, col, &len);
}

/* Described in store.h: column col's bytes and their count. */
const char *
oms_query_col_blob(struct oms_query *q, int col, size_t *len)
{
	*len = 0;
	if (q->st->ops->column_null(q->h, col))
		return NULL;
	return q->st->ops->column_text(q->h, col, len);
}

/* Latch OMS_ERR_NOMEM in q (and its transaction) and log it once. */
static void
qnomem(struct oms_query *q)
{
	if (q->err != OMS_OK)
		return;
	q->err = OMS_ERR_NOMEM;
	if (q->st->in_tx && q->st->tx_err == OMS_OK)
		q->st->tx_err = OMS_ERR_NOMEM;
	oms_error("store: out of memory copying the rows of %s",
	    q->st->table->defs[q->id].name);
}

/* Described in store.h: column col copied into the arena. */
const char *
oms_query_col_dup(struct oms_query *q, int col, struct oms_arena *a)
{
	const char *s;
	size_t len;
	char *c;

	/* The length the backend already knows: no strlen a column. */
	if (q->st->ops->column_null(q->h, col) ||
	    (s = q->st->ops->column_text(q->h, col, &len)) == NULL)
		return NULL;
	if ((c = oms_arena_strndup(a, s, len)) == NULL)
		qnomem(q);
	return c;
}

/* Described in store.h: the list-fetch loop into an arena array. */
enum oms_err
oms_query_rows(struct oms_query *q, struct oms_arena *a, size_t sz,
    void **out, size_t *n, oms_row_fn fn)
{
	unsigned char *v = NULL;
	size_t cap = 0;

	*n = 0;
	while (oms_query_row(q)) {
		if (*n == cap) {
			unsigned char *nv;

			cap = cap ? cap * 2 : 32;
			if ((nv = oms_arena_alloc(a, cap * sz)) == NULL) {
				qnomem(q);
				break;
			}
			if (*n > 0)
				memcpy(nv, v, *n * sz);
			v = nv;
		}
		memset(v + *n * sz, 0, sz);
		fn(q, a, v + *n * sz);
		(*n)++;
	}
	*out = v;
	return oms_query_end(q);
}

/* Described in store.h: start a query whose rows come in batches. */
struct oms_query *
oms_query_iter(struct oms_store *st, int id)
{
	struct oms_query *q = oms_query(st, id);
	enum oms_err e;

	if (q->err == OMS_OK &&
	    (e = st->ops->stream(q->h, OMS_STORE_ITER_BATCH)) != OMS_OK)
		qfail(q, e, "stream");
	return q;
}

/* Described in store.h: rows the last run changed. */
int64_t
oms_query_changes(const struct oms_query *q)
{
	return q->changes;
}

/* Described in store.h: reset and return the first error; capture
 * the changed-row count first. */
enum oms_err
oms_query_end(struct oms_query *q)
{
	enum oms_err e;

	assert(q->busy);
	q->busy = 0;
	if (q->h != NULL && q->err == OMS_OK)
		q->changes = q->st->ops->changes(q->h);
	if (q->h != NULL && (e = q->st->ops->reset(q->h)) != OMS_OK &&
	    q->err == OMS_OK)
		qfail(q, e, "reset");
	return q->err;
}

/* Described in store.h: step to the end and end. */
enum oms_err
oms_query_exec(struct oms_query *q)
{
	while (oms_query_row(q))
		;
	return oms_query_end(q);
}

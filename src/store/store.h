/*
 * store.h: the storage driver interface and the wrappers callers use.
 *
 * A backend is one file under backends/ exporting one const struct
 * oms_store_ops.  The interface is thin, in the manner of Dovecot's
 * lib-sql: open, close, begin, commit, rollback, prepare, bind, step,
 * column, reset, finalize, last insert id, error message.  Methods are
 * only ever appended, and `version` says how many there are.
 *
 * Callers never touch the ops.  They go through struct oms_store (one
 * connection, opened after fork) and struct oms_query, a prepared
 * statement from the statement table the connection was opened with
 * (stmt.h: the store's own list first, then each domain module's,
 * gathered by the domain layer into enum oms_stmt and oms_stmt_table),
 * prepared once per connection and reused.  The store indexes that table
 * by number and never names a domain statement.  A query latches its
 * first error:
 *
 *	q = oms_query(st, OMS_STMT_SITE_GET);
 *	oms_query_int(q, id);
 *	while (oms_query_row(q))
 *		... oms_query_col_int(q, 0) ...
 *	e = oms_query_end(q);
 *
 * oms_query_end() resets the statement and returns the first error of
 * the whole sequence (binding, stepping), so one check covers it.
 */
#ifndef OMS_STORE_H
#define OMS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "oms.h"
#include "stmt.h"

struct oms_arena;
struct oms_backend_conn; /* defined by each backend */
struct oms_backend_stmt; /* defined by each backend */

/* 1: the first methods; 2: begin_read, changes, stream. */
#define OMS_STORE_OPS_VERSION 2

/* Flags for open. */
#define OMS_STORE_CREATE 0x1 /* create the database when missing */

struct oms_store_ops {
	int version;      /* OMS_STORE_OPS_VERSION when built */
	const char *name; /* "sqlite" */
	enum oms_backend backend;
	/* Open a connection.  *conn is set even on failure when there is
	 * something to close, so close is always safe. */
	enum oms_err (*open)(const struct oms_conf_store *, int flags,
	    struct oms_backend_conn **conn);
	void (*close)(struct oms_backend_conn *);
	enum oms_err (*begin)(struct oms_backend_conn *);
	enum oms_err (*commit)(struct oms_backend_conn *);
	enum oms_err (*rollback)(struct oms_backend_conn *);
	enum oms_err (*prepare)(struct oms_backend_conn *, const char *sql,
	    struct oms_backend_stmt **);
	/* Parameters count from 1. */
	enum oms_err (*bind_int)(struct oms_backend_stmt *, int, int64_t);
	enum oms_err (*bind_text)(struct oms_backend_stmt *, int,
	    const char *, size_t);
	enum oms_err (*bind_null)(struct oms_backend_stmt *, int);
	/* *row = 1 when a row is ready, 0 when done. */
	enum oms_err (*step)(struct oms_backend_stmt *, int *row);
	/* Columns count from 0; valid until the next step or reset. */
	int (*column_null)(struct oms_backend_stmt *, int);
	int64_t (*column_int)(struct oms_backend_stmt *, int);
	const char *(*column_text)(struct oms_backend_stmt *, int, size_t *);
	/* Make the statement ready to run again and clear its bindings. */
	enum oms_err (*reset)(struct oms_backend_stmt *);
	void (*finalize)(struct oms_backend_stmt *);
	int64_t (*last_id)(struct oms_backend_conn *);
	const char *(*errmsg)(struct oms_backend_conn *);
	/* Cheap liveness check. */
	enum oms_err (*ping)(struct oms_backend_conn *);
	/* Version 2. */
	/* Begin a read-only transaction that sees one snapshot of the
	 * database and takes no write lock; ended by commit or rollback. */
	enum oms_err (*begin_read)(struct oms_backend_conn *);
	/* Rows the statement's last run inserted, updated or deleted (rows
	 * matched, on every backend), 0 for a query; valid until reset. */
	int64_t (*changes)(struct oms_backend_stmt *);
	/* Fetch the rows of the next run in batches of about `rows` rather
	 * than whole, so that memory stays bounded however many there
	 * are; the next reset returns to the default. */
	enum oms_err (*stream)(struct oms_backend_stmt *, int rows);
	/* Optional (NULL: bind_text is used).  Parameter i is v[0..n),
	 * not copied: the caller keeps it unchanged until the statement's
	 * next reset. */
	enum oms_err (*bind_text_ref)(struct oms_backend_stmt *, int,
	    const char *, size_t);
	/* Parameter i is a copy of the n bytes at v, any byte (a PDF), as
	 * the database's binary type; NULL: bind_text serves (it keeps
	 * every byte by its length). */
	enum oms_err (*bind_blob)(struct oms_backend_stmt *, int,
	    const void *, size_t);
};

#ifdef OMS_HAVE_SQLITE
extern const struct oms_store_ops oms_sqlite_ops;
#endif
#ifdef OMS_HAVE_MARIADB
extern const struct oms_store_ops oms_mariadb_ops;
#endif

struct oms_store;
struct oms_query;

/*
 * Open the configured backend; *st is NULL on failure.  Its statements
 * come from table, which the connection borrows for its life (the
 * program's oms_stmt_table, static): the store's own list must open it
 * (OMS_ERR_CONFIG otherwise).
 */
enum oms_err oms_store_open(const struct oms_conf_store *, int flags,
    const struct oms_stmt_table *table, struct oms_store **st);
/* Finalize every statement and close; accepts NULL, clears *st. */
void oms_store_close(struct oms_store **st);
const char *oms_store_backend(const struct oms_store *);

enum oms_err oms_store_begin(struct oms_store *);
/*
 * Begin a read-only snapshot transaction: every statement until the end
 * sees the database as it was at the begin, and writers are not blocked
 * (SQLite: a deferred BEGIN pinned to a WAL snapshot at once; MariaDB:
 * START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT at REPEATABLE
 * READ).  End it with oms_store_rollback() (or oms_store_commit()).
 * Nothing may be written inside it: MariaDB refuses, and on SQLite the
 * write would have to wait for the write lock.
 */
enum oms_err oms_store_begin_read(struct oms_store *);
/* Commit.  Refused (rolled back, the statement's error returned) when a
 * statement failed inside the transaction: see oms_store_unit(). */
enum oms_err oms_store_commit(struct oms_store *);
/* Roll back if a transaction is open; safe to call when none is. */
void oms_store_rollback(struct oms_store *);
enum oms_err oms_store_ping(struct oms_store *);

/*
 * A unit of work: fn runs inside a transaction, which commits when fn
 * returns OMS_OK and rolls back otherwise.  When a lock wait times out
 * or a deadlock is detected (OMS_ERR_BUSY from any step) the whole unit
 * is rolled back and run again, up to the store's `retries` times (a
 * lock-wait timeout in MariaDB undoes only the statement, so resuming
 * the transaction would be wrong).  fn must therefore have no effect
 * outside the store: messages to other systems go through the outbox.
 */
typedef enum oms_err (*oms_unit_fn)(struct oms_store *, void *arg);
/*
 * Every failed statement inside the unit is latched in it: if fn
 * ignores one and returns OMS_OK, the unit does not commit but rolls
 * back and returns that statement's error (OMS_ERR_BUSY retries as
 * above).  A unit that handles a failure (a duplicate key reported to
 * the user) returns an error of its own anyway.
 */
enum oms_err oms_store_unit(struct oms_store *, oms_unit_fn fn, void *arg);
/* The pause in microseconds before retry `attempt` (from 1) of a unit:
 * growing with attempt, with jitter drawn from a sequence seeded per
 * connection at open (so per process, after fork). */
long oms_store_backoff_us(struct oms_store *, int attempt);
/*
 * Run fn inside a read snapshot and end it.  Returns fn's error, or the
 * first failed statement's when fn returned OMS_OK regardless.  Not
 * retried: a snapshot read waits for no lock.
 */
enum oms_err oms_store_read(struct oms_store *, oms_unit_fn fn, void *arg);

/*
 * Draw the next number of a gapless series (invoice numbers, order
 * numbers), inside a unit of work: the series row stays locked until
 * the unit ends, so concurrent units on any host get unique, gapless
 * numbers, and a unit that rolls back gives its number back.
 */
enum oms_err oms_store_next_number(struct oms_store *, const char *series,
    int64_t *value);
int64_t oms_store_last_id(struct oms_store *);
/* Run a script of statements, each ending with ';' at the end of a
 * line (no triggers or procedures).  Used by migrations. */
enum oms_err oms_store_exec_script(struct oms_store *, const char *sql);

/* Start a query from the statement table: stmt is an enum oms_stmt
 * (or, in the store, enum oms_store_stmt) value.  Never NULL: a failure
 * to prepare is latched and reported by oms_query_end(). */
struct oms_query *oms_query(struct oms_store *, int stmt);
/* Bind the next parameter. */
void oms_query_int(struct oms_query *, int64_t);
void oms_query_text(struct oms_query *, const char *); /* NULL binds NULL */
/* As oms_query_text, but the text may be bound without a copy: the
 * caller keeps it unchanged until the query is executed or ended (a
 * bulk write's hot path). */
void oms_query_text_ref(struct oms_query *, const char *);
void oms_query_null(struct oms_query *);
/* Bind the next parameter to the n bytes at v, which may hold any byte
 * (a PDF); NULL binds NULL. */
void oms_query_blob(struct oms_query *, const void *v, size_t n);
/* Step: 1 when a row is ready, 0 when done or failed. */
int oms_query_row(struct oms_query *);
int64_t oms_query_col_int(struct oms_query *, int col);
/* Column text, NULL for SQL NULL; valid until the next row. */
const char *oms_query_col_text(struct oms_query *, int col);
/* Column bytes and their count in *len (any byte, NUL included); NULL
 * (and *len 0) for SQL NULL; valid until the next row. */
const char *oms_query_col_blob(struct oms_query *, int col, size_t *len);
/*
 * Column text copied into arena a, valid as long as the arena.  The one
 * NULL rule of OMS: SQL NULL gives NULL (and "" gives ""), so a value
 * that may be absent is absent, not empty.  Out of memory gives NULL too
 * and latches OMS_ERR_NOMEM in the query, so the one check of
 * oms_query_end() covers every copy.
 */
const char *oms_query_col_dup(struct oms_query *, int col, struct oms_arena *a);
/* Fill one element (zeroed before) from the current row. */
typedef void (*oms_row_fn)(struct oms_query *, struct oms_arena *, void *elem);
/*
 * The list-fetch loop: run q to its end (its parameters bound), one
 * element of elem_size bytes a row, filled by fn, in an array allocated
 * in arena a; *out is the array (NULL when no rows), *n the rows.
 * Returns oms_query_end()'s error: OMS_ERR_NOMEM when the array or a
 * copy could not grow (*n then counts the rows filled so far).
 */
enum oms_err oms_query_rows(struct oms_query *, struct oms_arena *a,
    size_t elem_size, void **out, size_t *n, oms_row_fn fn);
/* Reset for reuse and return the first error seen. */
enum oms_err oms_query_end(struct oms_query *);
/*
 * Start a query whose rows are many (a whole table for omsctl copy, the
 * audit chain): rows are fetched in batches of OMS_STORE_ITER_BATCH, so
 * memory stays bounded for a million rows (MariaDB otherwise holds a
 * whole result in the client).  Otherwise as oms_query().  On MariaDB
 * the rows come from a server-side read-only cursor, so other statements
 * may run on the connection while it is open.
 */
#define OMS_STORE_ITER_BATCH 1000
struct oms_query *oms_query_iter(struct oms_store *, int stmt);
/* Rows the statement's last run inserted, updated or deleted (rows
 * matched, on both backends: an UPDATE that sets the value a row already
 * has counts); 0 for a query or after a failure.  Valid after
 * oms_query_end() or oms_query_exec() until the statement starts again. */
int64_t oms_query_changes(const struct oms_query *);
/* Convenience: run a statement that returns no rows. */
enum oms_err oms_query_exec(struct oms_query *);

#endif /* OMS_STORE_H */

/*
 * sqlite.c: the SQLite backend of the store driver.
 *
 * Every connection runs in WAL mode with synchronous=FULL (a committed
 * transaction survives power loss), foreign keys on, and a busy
 * timeout.  Connections are opened after fork, one per process.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

struct oms_backend_conn {
	sqlite3 *db;  /* the connection */
	int read_tx;  /* inside a read snapshot: query_only is on */
};

struct oms_backend_stmt {
	sqlite3_stmt *s; /* the prepared statement */
	sqlite3 *db;     /* its connection, for messages */
	int64_t changes; /* rows the last run changed */
};

/* Map an SQLite result code to an OMS error. */
static enum oms_err
map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
		return OMS_OK;
	case SQLITE_NOMEM:
		return OMS_ERR_NOMEM;
	case SQLITE_CONSTRAINT:
		return OMS_ERR_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return OMS_ERR_BUSY;
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
		return OMS_ERR_IO;
	default:
		return OMS_ERR_STORE;
	}
}

/* Run one statement that needs no parameters; log on failure. */
static enum oms_err
exec1(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		oms_error("sqlite3_exec(%s): %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
	}
	return map(rc);
}

/* Switch to WAL and check that it took (it cannot on some file
 * systems, and an in-memory database stays "memory"). */
static enum oms_err
wal(sqlite3 *db)
{
	sqlite3_stmt *s;
	int ok;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &s,
	    NULL) != SQLITE_OK) {
		oms_error("sqlite: journal_mode: %s", sqlite3_errmsg(db));
		return OMS_ERR_STORE;
	}
	ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
	    strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
	sqlite3_finalize(s);
	if (!ok) {
		oms_error("sqlite: the database could not be put in WAL mode");
		return OMS_ERR_STORE;
	}
	return OMS_OK;
}

/* ops->open: open the file (create it with OMS_STORE_CREATE), set WAL,
 * synchronous=FULL, foreign keys and the busy timeout; *cp set even on
 * failure, for close.  OMS_OK or the error. */
static enum oms_err
s_open(const struct oms_conf_store *c, int flags, struct oms_backend_conn **cp)
{
	struct oms_backend_conn *conn;
	int rc, of = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	enum oms_err e;
	sqlite3_stmt *s;

	*cp = NULL;
	if ((conn = calloc(1, sizeof(*conn))) == NULL)
		return OMS_ERR_NOMEM;
	*cp = conn;
	if (flags & OMS_STORE_CREATE)
		of |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(c->path, &conn->db, of, NULL);
	if (rc != SQLITE_OK) {
		oms_error("sqlite3_open_v2(%s): %s", c->path,
		    conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc));
		return map(rc) == OMS_ERR_STORE ? OMS_ERR_IO : map(rc);
	}
	sqlite3_extended_result_codes(conn->db, 1);
	sqlite3_busy_timeout(conn->db, c->busy_timeout_ms);
	if ((e = wal(conn->db)) != OMS_OK ||
	    (e = exec1(conn->db, "PRAGMA synchronous=FULL")) != OMS_OK ||
	    (e = exec1(conn->db, "PRAGMA foreign_keys=ON")) != OMS_OK)
		return e;
	/* Foreign keys silently stay off inside a transaction or in a
	 * build without them: check that they took. */
	if (sqlite3_prepare_v2(conn->db, "PRAGMA foreign_keys", -1, &s,
	    NULL) != SQLITE_OK)
		return OMS_ERR_STORE;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || sqlite3_column_int(s, 0) != 1) {
		sqlite3_finalize(s);
		oms_error("sqlite: foreign keys could not be enabled");
		return OMS_ERR_STORE;
	}
	sqlite3_finalize(s);
	return OMS_OK;
}

/* ops->close: close and free; accepts NULL. */
static void
s_close(struct oms_backend_conn *c)
{
	if (c == NULL)
		return;
	if (c->db != NULL && sqlite3_close(c->db) != SQLITE_OK)
		oms_error("sqlite3_close: %s", sqlite3_errmsg(c->db));
	free(c);
}

static enum oms_err s_end(struct oms_backend_conn *, const char *);

/* ops->begin: BEGIN IMMEDIATE.  OMS_OK, or OMS_ERR_BUSY after the busy
 * timeout. */
static enum oms_err
s_begin(struct oms_backend_conn *c)
{
	/* IMMEDIATE takes the write lock now, so a unit of work never
	 * fails half-way on a lock upgrade. */
	return exec1(c->db, "BEGIN IMMEDIATE");
}

/*
 * A read snapshot: a deferred BEGIN takes no lock, and the first read
 * pins the WAL snapshot that every later read of the transaction sees
 * while writers go on committing.  The read of the schema page pins it
 * now, at the begin, rather than at whatever statement comes first.
 * query_only refuses writes until the end, as MariaDB's READ ONLY does
 * (a write would otherwise take the write lock).  Returns OMS_OK or the
 * error of a statement.
 */
static enum oms_err
s_begin_read(struct oms_backend_conn *c)
{
	enum oms_err e;

	if ((e = exec1(c->db, "PRAGMA query_only = ON")) != OMS_OK)
		return e;
	if ((e = exec1(c->db, "BEGIN DEFERRED")) != OMS_OK) {
		exec1(c->db, "PRAGMA query_only = OFF");
		return e;
	}
	c->read_tx = 1;
	if ((e = exec1(c->db, "SELECT 1 FROM sqlite_schema LIMIT 1")) != OMS_OK)
		s_end(c, "ROLLBACK");
	return e;
}

/* COMMIT or ROLLBACK (sql), and writes allowed again after a read
 * snapshot.  Returns the error of the statement. */
static enum oms_err
s_end(struct oms_backend_conn *c, const char *sql)
{
	enum oms_err e = exec1(c->db, sql);

	if (c->read_tx) {
		c->read_tx = 0;
		if (exec1(c->db, "PRAGMA query_only = OFF") != OMS_OK &&
		    e == OMS_OK)
			e = OMS_ERR_STORE;
	}
	return e;
}

/* Commit; the error of COMMIT. */
static enum oms_err
s_commit(struct oms_backend_conn *c)
{
	return s_end(c, "COMMIT");
}

/* Roll back; the error of ROLLBACK. */
static enum oms_err
s_rollback(struct oms_backend_conn *c)
{
	return s_end(c, "ROLLBACK");
}

/* 1 when s holds only white space and SQL comments. */
static int
blank(const char *s)
{
	while (*s != '\0') {
		if (s[0] == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				s++;
		} else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++;
		else
			return 0;
	}
	return 1;
}

/* ops->prepare: compile one statement (anything after it refused);
 * *sp NULL on failure.  Freed by s_finalize. */
static enum oms_err
s_prepare(struct oms_backend_conn *c, const char *sql,
    struct oms_backend_stmt **sp)
{
	struct oms_backend_stmt *st;
	const char *tail = NULL;
	int rc;

	*sp = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return OMS_ERR_NOMEM;
	st->db = c->db;
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &st->s, &tail);
	if (rc != SQLITE_OK) {
		oms_error("sqlite3_prepare_v3: %s", sqlite3_errmsg(c->db));
		free(st);
		return map(rc);
	}
	/* One statement only: anything after it would be ignored. */
	if (tail != NULL && !blank(tail)) {
		oms_error("sqlite3_prepare_v3: text after the statement: %.60s",
		    tail);
		sqlite3_finalize(st->s);
		free(st);
		return OMS_ERR_STORE;
	}
	*sp = st;
	return OMS_OK;
}

/* ops->bind_int: parameter i (from 1) is v. */
static enum oms_err
s_bind_int(struct oms_backend_stmt *s, int i, int64_t v)
{
	return map(sqlite3_bind_int64(s->s, i, v));
}

/* ops->bind_text: parameter i is a copy of v[0..n). */
static enum oms_err
s_bind_text(struct oms_backend_stmt *s, int i, const char *v, size_t n)
{
	return map(sqlite3_bind_text64(s->s, i, v, n, SQLITE_TRANSIENT,
	    SQLITE_UTF8));
}

/* ops->bind_text_ref: parameter i is v[0..n), not copied (the caller
 * keeps it until the next reset). */
static enum oms_err
s_bind_text_ref(struct oms_backend_stmt *s, int i, const char *v, size_t n)
{
	return map(sqlite3_bind_text64(s->s, i, v, n, SQLITE_STATIC,
	    SQLITE_UTF8));
}

/* ops->bind_blob: parameter i is a BLOB copy of v[0..n) (a TEXT with
 * a NUL byte in it would be cut there by length(), the shell's .dump
 * and others). */
static enum oms_err
s_bind_blob(struct oms_backend_stmt *s, int i, const void *v, size_t n)
{
	return map(sqlite3_bind_blob64(s->s, i, v, n, SQLITE_TRANSIENT));
}

/* ops->bind_null: parameter i is NULL. */
static enum oms_err
s_bind_null(struct oms_backend_stmt *s, int i)
{
	return map(sqlite3_bind_null(s->s, i));
}

/* ops->step: one step; *row 1 for a row.  Counts the changed rows when
 * a write completes. */
static enum oms_err
s_step(struct oms_backend_stmt *s, int *row)
{
	int rc = sqlite3_step(s->s);

	/* sqlite3_changes() is the connection's last write: count it for
	 * this statement only when this statement wrote. */
	if (rc == SQLITE_DONE)
		s->changes = sqlite3_stmt_readonly(s->s) ? 0 :
		    sqlite3_changes64(s->db);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return OMS_OK;
	return map(rc);
}

/* ops->column_null: 1 when column i of the row is NULL. */
static int
s_column_null(struct oms_backend_stmt *s, int i)
{
	return sqlite3_column_type(s->s, i) == SQLITE_NULL;
}

/* ops->column_int: column i as an integer. */
static int64_t
s_column_int(struct oms_backend_stmt *s, int i)
{
	return sqlite3_column_int64(s->s, i);
}

/* ops->column_text: column i as text, valid until the next step. */
static const char *
s_column_text(struct oms_backend_stmt *s, int i, size_t *len)
{
	const char *t = (const char *)sqlite3_column_text(s->s, i);

	*len = (size_t)sqlite3_column_bytes(s->s, i);
	return t;
}

/* ops->reset: ready to run again, bindings and count cleared. */
static enum oms_err
s_reset(struct oms_backend_stmt *s)
{
	/* sqlite3_reset repeats the last step's error: that was already
	 * reported, so only clear the bindings here. */
	sqlite3_reset(s->s);
	s->changes = 0;
	return map(sqlite3_clear_bindings(s->s));
}

/* ops->finalize: free the statement; accepts NULL. */
static void
s_finalize(struct oms_backend_stmt *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->s);
	free(s);
}

/* ops->last_id: the rowid of the last insert on the connection. */
static int64_t
s_last_id(struct oms_backend_conn *c)
{
	return sqlite3_last_insert_rowid(c->db);
}

/* ops->errmsg: the connection's last error message. */
static const char *
s_errmsg(struct oms_backend_conn *c)
{
	return c && c->db ? sqlite3_errmsg(c->db) : "no connection";
}

/* ops->ping: read the first page, so an unreadable file shows. */
static enum oms_err
s_ping(struct oms_backend_conn *c)
{
	/* Read the first page, so an unreadable file shows. */
	return exec1(c->db, "SELECT 1 FROM sqlite_schema LIMIT 1");
}

/* Rows the statement's last run changed (see s_step). */
static int64_t
s_changes(struct oms_backend_stmt *s)
{
	return s->changes;
}

/* Nothing to do: SQLite steps through a result one row at a time and
 * never holds it whole.  Always OMS_OK. */
static enum oms_err
s_stream(struct oms_backend_stmt *s, int rows)
{
	(void)s;
	(void)rows;
	return OMS_OK;
}

const struct oms_store_ops oms_sqlite_ops = {
	OMS_STORE_OPS_VERSION,
	"sqlite",
	OMS_BACKEND_SQLITE,
	s_open,
	s_close,
	s_begin,
	s_commit,
	s_rollback,
	s_prepare,
	s_bind_int,
	s_bind_text,
	s_bind_null,
	s_step,
	s_column_null,
	s_column_int,
	s_column_text,
	s_reset,
	s_finalize,
	s_last_id,
	s_errmsg,
	s_ping,
	s_begin_read,
	s_changes,
	s_stream,
	s_bind_text_ref,
	s_bind_blob,
};

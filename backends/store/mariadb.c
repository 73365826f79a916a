/*
 * mariadb.c: the MariaDB backend of the store driver, over MariaDB
 * Connector/C prepared statements.
 *
 * Sections, in order: errors (fail, sfail); connecting and noticing a
 * session closed while idle (connect_db, idle_session_closed, ensure);
 * the ops: open, close, transactions (m_begin, m_begin_read, m_commit,
 * m_rollback), statements (prepare_now, m_prepare, binds, execute with
 * its cursor, m_step, columns, m_reset, m_finalize), and the rest
 * (m_last_id, m_errmsg, m_ping, m_changes, m_stream); the ops struct.
 *
 * Connections.  Connector/C's automatic reconnect stays off: after it
 * refuses to reconnect inside a transaction it clears its state, and
 * the next statement would run in autocommit on a fresh session.  Here
 * a lost connection marks the connection broken and fails the unit of
 * work (OMS_ERR_UNAVAILABLE); the next unit that starts outside a
 * transaction reconnects, and statements prepared on the old session
 * prepare themselves again on first use.  A session the server closed
 * while it sat idle (a server restart, a KILL, wait_timeout) is noticed
 * before the next use outside a transaction, without a round trip: its
 * socket reads end-of-file or the server's parting error packet.  So
 * the first statement after a restart, whatever it is (a prepare, a
 * read, an autocommit write such as a session touch or a logout), runs
 * on a fresh session instead of failing.  Read and write timeouts are
 * always set (they default to none).
 *
 * Results.  Every column is fetched as text; integer columns are
 * converted on request.  Results are usually small (a page of a query),
 * so by default they are buffered whole with mysql_stmt_store_result()
 * and the column buffers sized from the result's maximum lengths.  A
 * statement asked to stream (oms_query_iter: a whole table for copy,
 * the audit chain) is executed with a server-side read-only cursor that
 * hands over a batch of rows a fetch, so the client holds one batch,
 * not the result, and other statements may run meanwhile; its column
 * buffers grow when a fetch reports a value truncated.  (An unbuffered
 * result without a cursor would be cheaper for the server but would
 * block every other statement on the connection until it is read to the
 * end.)
 *
 * Sessions.  Each session is set explicitly to autocommit (a server
 * configured with autocommit=0 would otherwise leave every read outside
 * a unit of work in a transaction that never ends, seeing an old
 * snapshot for ever), REPEATABLE READ for read snapshots, strict SQL
 * mode, and the configured lock wait.  Changed-row counts are rows
 * matched (CLIENT_FOUND_ROWS), as SQLite counts them.
 *
 * Errors.  A duplicate key, a foreign key, a CHECK or NOT NULL violation
 * is OMS_ERR_CONSTRAINT; a lock-wait timeout or a deadlock OMS_ERR_BUSY
 * (the store rolls the whole unit back and may retry it); a lost or
 * refused connection OMS_ERR_UNAVAILABLE.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "store.h"

struct oms_backend_conn {
	MYSQL *m;                     /* the session, NULL while down */
	struct oms_conf_store conf;   /* how to connect again */
	char password[512];           /* kept for reconnecting; never logged */
	unsigned gen;                 /* bumped at every (re)connect */
	int broken;                   /* lost: reconnect before next use */
	int in_tx;                    /* inside START TRANSACTION */
	int64_t last_id;              /* last AUTO_INCREMENT value */
	char errmsg[512];             /* last error, for logs */
};

struct param {
	int type;            /* 0 null, 1 int, 2 text */
	long long i;         /* the integer */
	char *text;          /* the text (owned) */
	unsigned long len;   /* its length */
	my_bool is_null;     /* for NULL */
};

struct oms_backend_stmt {
	struct oms_backend_conn *c; /* its connection */
	char *sql;                  /* text, to prepare again */
	MYSQL_STMT *s;              /* handle, NULL until prepared */
	unsigned gen;               /* connection generation of s */
	unsigned nparams;           /* placeholders */
	struct param *pv;           /* their values */
	MYSQL_BIND *pb;             /* their binds */
	unsigned ncols;             /* result columns */
	MYSQL_BIND *cb;             /* column binds */
	char **cbuf;                /* column buffers */
	unsigned long *ccap;        /* their sizes */
	unsigned long *clen;        /* lengths fetched */
	my_bool *cnull;             /* NULL flags fetched */
	int executed;               /* the result is open */
	int stream;                 /* rows a fetch with a cursor, or 0 */
	int64_t changes;            /* rows the last run changed */
};

/* Remember the session's last error; returns the OMS code for it. */
static enum oms_err
fail(struct oms_backend_conn *c, unsigned no, const char *what, const char *msg)
{
	enum oms_err e;

	snprintf(c->errmsg, sizeof(c->errmsg), "%s: %u %s", what, no, msg);
	switch (no) {
	case ER_DUP_ENTRY:
	case ER_NO_REFERENCED_ROW_2:
	case ER_ROW_IS_REFERENCED_2:
	case ER_BAD_NULL_ERROR:
	case ER_CONSTRAINT_FAILED:
		e = OMS_ERR_CONSTRAINT;
		break;
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_LOCK_DEADLOCK:
		e = OMS_ERR_BUSY;
		break;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_SERVER_LOST_EXTENDED:
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
		c->broken = 1;
		e = OMS_ERR_UNAVAILABLE;
		break;
	default:
		e = OMS_ERR_STORE;
		break;
	}
	return e;
}

/* The error of a statement handle. */
static enum oms_err
sfail(struct oms_backend_stmt *s, const char *what)
{
	return fail(s->c, mysql_stmt_errno(s->s), what, mysql_stmt_error(s->s));
}

/* Run one statement without results on the session. */
static enum oms_err
query(struct oms_backend_conn *c, const char *sql)
{
	if (mysql_real_query(c->m, sql, (unsigned long)strlen(sql)) != 0)
		return fail(c, mysql_errno(c->m), sql, mysql_error(c->m));
	return OMS_OK;
}

/* (Re)connect; on success the generation moves on. */
static enum oms_err
connect_db(struct oms_backend_conn *c)
{
	const struct oms_conf_store *k = &c->conf;
	unsigned int ct = (unsigned)k->connect_timeout;
	unsigned int rt = (unsigned)k->read_timeout;
	unsigned int wt = (unsigned)k->write_timeout;
	my_bool no = 0, yes = 1;
	enum oms_err e;

	if (c->m != NULL)
		mysql_close(c->m);
	if ((c->m = mysql_init(NULL)) == NULL)
		return OMS_ERR_NOMEM;
	mysql_options(c->m, MYSQL_OPT_RECONNECT, &no);
	mysql_options(c->m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	mysql_options(c->m, MYSQL_OPT_READ_TIMEOUT, &rt);
	mysql_options(c->m, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	mysql_options(c->m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (k->tls != OMS_TLS_OFF) {
		mysql_options(c->m, MYSQL_OPT_SSL_ENFORCE, &yes);
		if (k->tls_ca[0])
			mysql_options(c->m, MYSQL_OPT_SSL_CA, k->tls_ca);
		if (k->tls_cert[0])
			mysql_options(c->m, MYSQL_OPT_SSL_CERT, k->tls_cert);
		if (k->tls_key[0])
			mysql_options(c->m, MYSQL_OPT_SSL_KEY, k->tls_key);
		mysql_options(c->m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
		    k->tls == OMS_TLS_VERIFY ? &yes : &no);
	}
	if (mysql_real_connect(c->m, k->socket[0] ? NULL : k->host, k->user,
	    c->password[0] ? c->password : NULL, k->database,
	    k->socket[0] ? 0 : (unsigned)k->port,
	    k->socket[0] ? k->socket : NULL, CLIENT_FOUND_ROWS) == NULL) {
		e = fail(c, mysql_errno(c->m), "mysql_real_connect",
		    mysql_error(c->m));
		mysql_close(c->m);
		c->m = NULL;
		c->broken = 1;
		/* Refused credentials or a missing database are not
		 * outages: say so plainly. */
		return e == OMS_ERR_UNAVAILABLE ? e : OMS_ERR_CONFIG;
	}
	/* tls = on or verify: a session in plain text is refused, even
	 * where the connector would fall back to one. */
	if (k->tls != OMS_TLS_OFF && mysql_get_ssl_cipher(c->m) == NULL) {
		snprintf(c->errmsg, sizeof(c->errmsg), "mysql_real_connect: "
		    "the server did not agree to TLS");
		mysql_close(c->m);
		c->m = NULL;
		c->broken = 1;
		return OMS_ERR_CONFIG;
	}
	/* Autocommit outside units of work, whatever the server's default. */
	if (mysql_autocommit(c->m, 1) != 0)
		return fail(c, mysql_errno(c->m), "mysql_autocommit",
		    mysql_error(c->m));
	/* Strict: a bad value is an error, never a silent truncation. */
	if ((e = query(c, "SET SESSION sql_mode = 'STRICT_ALL_TABLES,"
	    "NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,NO_BACKSLASH_ESCAPES'")) != OMS_OK)
		return e;
	/* The lock wait, bound as a parameter like every other value. */
	{
		MYSQL_STMT *ps = mysql_stmt_init(c->m);
		MYSQL_BIND b;
		long long wait = k->busy_timeout_ms < 1000 ? 1 :
		    k->busy_timeout_ms / 1000;
		static const char set[] =
		    "SET SESSION innodb_lock_wait_timeout = ?";

		memset(&b, 0, sizeof(b));
		b.buffer_type = MYSQL_TYPE_LONGLONG;
		b.buffer = &wait;
		if (ps == NULL ||
		    mysql_stmt_prepare(ps, set, sizeof(set) - 1) != 0 ||
		    mysql_stmt_bind_param(ps, &b) != 0 ||
		    mysql_stmt_execute(ps) != 0) {
			e = ps ? fail(c, mysql_stmt_errno(ps), set,
			    mysql_stmt_error(ps)) : OMS_ERR_NOMEM;
			if (ps)
				mysql_stmt_close(ps);
			return e;
		}
		mysql_stmt_close(ps);
	}
	c->broken = 0;
	c->in_tx = 0;
	c->gen++;
	return OMS_OK;
}

/*
 * 1 when the server has closed the idle session c->m: between commands
 * (every result is buffered whole) nothing may be readable on its
 * socket, so end-of-file, a hang-up or the error packet a server sends
 * as it shuts down or kills the session all mean the session is gone.
 * 0 when it looks alive or cannot be checked.  One poll(2), no round
 * trip to the server.
 */
static int
idle_session_closed(struct oms_backend_conn *c)
{
	struct pollfd p;

	memset(&p, 0, sizeof(p));
	p.fd = (int)mysql_get_socket(c->m);
	if (p.fd < 0)
		return 0;
	p.events = POLLIN | POLLRDHUP;
	if (poll(&p, 1, 0) <= 0)
		return 0;
	return (p.revents & (POLLIN | POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

/*
 * Make sure there is a usable session: reconnect when there is none, it
 * was marked broken, or (outside a transaction) the server closed it
 * while it was idle.  Inside a transaction a lost session is never
 * replaced: the unit fails with OMS_ERR_UNAVAILABLE.  Returns OMS_OK or
 * the error of connect_db().
 */
static enum oms_err
ensure(struct oms_backend_conn *c)
{
	if (c->m != NULL && !c->broken) {
		if (c->in_tx || !idle_session_closed(c))
			return OMS_OK;
		snprintf(c->errmsg, sizeof(c->errmsg),
		    "the server closed the idle session");
		c->broken = 1;
	}
	if (c->in_tx) {
		snprintf(c->errmsg, sizeof(c->errmsg),
		    "the connection was lost inside a transaction");
		return OMS_ERR_UNAVAILABLE;
	}
	return connect_db(c);
}

/* ops->open: read the password and connect (*cp set even on failure,
 * for close).  OMS_ERR_CONFIG for refused settings, _UNAVAILABLE when no
 * server answers. */
static enum oms_err
m_open(const struct oms_conf_store *k, int flags, struct oms_backend_conn **cp)
{
	struct oms_backend_conn *c;
	char err[512];
	enum oms_err e;

	(void)flags; /* the database is created by the administrator */
	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return OMS_ERR_NOMEM;
	*cp = c;
	c->conf = *k;
	if ((e = oms_conf_password(k, c->password, sizeof(c->password), err,
	    sizeof(err))) != OMS_OK) {
		snprintf(c->errmsg, sizeof(c->errmsg), "%s", err);
		oms_error("mariadb: %s", err);
		return e;
	}
	if ((e = connect_db(c)) != OMS_OK)
		oms_error("mariadb: cannot connect to %s as %s: %s",
		    k->socket[0] ? k->socket : k->host, k->user, c->errmsg);
	return e;
}

/* ops->close: close the session, wipe the password, free; accepts NULL. */
static void
m_close(struct oms_backend_conn *c)
{
	if (c == NULL)
		return;
	if (c->m != NULL)
		mysql_close(c->m);
	memset(c->password, 0, sizeof(c->password));
	free(c);
}

/* ops->begin: START TRANSACTION, replacing a session lost while idle
 * once.  OMS_OK or the statement's error. */
static enum oms_err
m_begin(struct oms_backend_conn *c)
{
	enum oms_err e;

	if ((e = ensure(c)) != OMS_OK)
		return e;
	/* Nothing of the unit has run yet, so a session lost while idle
	 * (wait_timeout, a server restart) is replaced here, once. */
	if ((e = query(c, "START TRANSACTION")) == OMS_ERR_UNAVAILABLE &&
	    (e = connect_db(c)) == OMS_OK)
		e = query(c, "START TRANSACTION");
	if (e != OMS_OK)
		return e;
	c->in_tx = 1;
	return OMS_OK;
}

/*
 * A read snapshot: REPEATABLE READ for this transaction (whatever the
 * session's level), read only, with the snapshot taken at once rather
 * than at the first read.  A session lost while idle is replaced once,
 * as in m_begin.  Returns OMS_OK or the error of the statement.
 */
static enum oms_err
m_begin_read(struct oms_backend_conn *c)
{
	static const char *const sql[] = {
		"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
		"START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT",
	};
	enum oms_err e;

	if ((e = ensure(c)) != OMS_OK)
		return e;
	if ((e = query(c, sql[0])) == OMS_ERR_UNAVAILABLE &&
	    (e = connect_db(c)) == OMS_OK)
		e = query(c, sql[0]);
	if (e != OMS_OK || (e = query(c, sql[1])) != OMS_OK)
		return e;
	c->in_tx = 1;
	return OMS_OK;
}

/* ops->commit: COMMIT; OMS_ERR_UNAVAILABLE on a lost session. */
static enum oms_err
m_commit(struct oms_backend_conn *c)
{
	enum oms_err e = OMS_OK;

	if (c->broken || c->m == NULL)
		e = OMS_ERR_UNAVAILABLE;
	else if (mysql_commit(c->m) != 0)
		e = fail(c, mysql_errno(c->m), "COMMIT", mysql_error(c->m));
	if (e == OMS_OK)
		c->in_tx = 0;
	return e;
}

/* ops->rollback: ROLLBACK (a lost session has rolled back already). */
static enum oms_err
m_rollback(struct oms_backend_conn *c)
{
	enum oms_err e = OMS_OK;

	/* On a lost session the server has rolled back already. */
	if (!c->broken && c->m != NULL && mysql_rollback(c->m) != 0)
		e = fail(c, mysql_errno(c->m), "ROLLBACK", mysql_error(c->m));
	c->in_tx = 0;
	return e;
}

/* Prepare s->sql on the current session. */
static enum oms_err
prepare_now(struct oms_backend_stmt *s)
{
	struct oms_backend_conn *c = s->c;
	MYSQL_RES *meta;
	my_bool yes = 1;
	unsigned n;

	if (s->s != NULL)
		mysql_stmt_close(s->s);
	if ((s->s = mysql_stmt_init(c->m)) == NULL)
		return fail(c, mysql_errno(c->m), "mysql_stmt_init",
		    mysql_error(c->m));
	if (mysql_stmt_prepare(s->s, s->sql, (unsigned long)strlen(s->sql)) != 0)
		return sfail(s, "mysql_stmt_prepare");
	mysql_stmt_attr_set(s->s, STMT_ATTR_UPDATE_MAX_LENGTH, &yes);
	n = (unsigned)mysql_stmt_param_count(s->s);
	if (s->pv == NULL && n > 0) {
		s->nparams = n;
		if ((s->pv = calloc(n, sizeof(*s->pv))) == NULL ||
		    (s->pb = calloc(n, sizeof(*s->pb))) == NULL)
			return OMS_ERR_NOMEM;
	}
	if ((meta = mysql_stmt_result_metadata(s->s)) != NULL) {
		n = mysql_num_fields(meta);
		mysql_free_result(meta);
		if (s->cb == NULL && n > 0) {
			s->ncols = n;
			if ((s->cb = calloc(n, sizeof(*s->cb))) == NULL ||
			    (s->cbuf = calloc(n, sizeof(*s->cbuf))) == NULL ||
			    (s->ccap = calloc(n, sizeof(*s->ccap))) == NULL ||
			    (s->clen = calloc(n, sizeof(*s->clen))) == NULL ||
			    (s->cnull = calloc(n, sizeof(*s->cnull))) == NULL)
				return OMS_ERR_NOMEM;
		}
	}
	s->gen = c->gen;
	return OMS_OK;
}

static void m_finalize(struct oms_backend_stmt *);

/* ops->prepare: a statement handle for sql, prepared now and again on
 * every new session; *sp NULL on failure.  Freed by m_finalize. */
static enum oms_err
m_prepare(struct oms_backend_conn *c, const char *sql,
    struct oms_backend_stmt **sp)
{
	struct oms_backend_stmt *s;
	enum oms_err e;

	*sp = NULL;
	if ((e = ensure(c)) != OMS_OK)
		return e;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->sql = strdup(sql)) == NULL) {
		free(s);
		return OMS_ERR_NOMEM;
	}
	s->c = c;
	/* Preparing changes nothing on the server: on a session lost
	 * outside a transaction it is safe to prepare again on a fresh
	 * one, once (the server may go between the check in ensure() and
	 * the prepare). */
	if ((e = prepare_now(s)) == OMS_ERR_UNAVAILABLE && !c->in_tx &&
	    (e = connect_db(c)) == OMS_OK)
		e = prepare_now(s);
	if (e != OMS_OK) {
		m_finalize(s);
		return e;
	}
	*sp = s;
	return OMS_OK;
}

/* The parameter slot i (from 1), or NULL when out of range. */
static struct param *
slot(struct oms_backend_stmt *s, int i)
{
	struct param *p;

	if (i < 1 || (unsigned)i > s->nparams) {
		snprintf(s->c->errmsg, sizeof(s->c->errmsg),
		    "parameter %d out of range (%u)", i, s->nparams);
		return NULL;
	}
	p = &s->pv[i - 1];
	free(p->text);
	p->text = NULL;
	return p;
}

/* ops->bind_int: parameter i (from 1) is v; OMS_ERR_STORE out of range. */
static enum oms_err
m_bind_int(struct oms_backend_stmt *s, int i, int64_t v)
{
	struct param *p = slot(s, i);

	if (p == NULL)
		return OMS_ERR_STORE;
	p->type = 1;
	p->i = v;
	return OMS_OK;
}

/* ops->bind_text: parameter i is a copy of v[0..n); OMS_ERR_NOMEM or
 * OMS_ERR_STORE on failure. */
static enum oms_err
m_bind_text(struct oms_backend_stmt *s, int i, const char *v, size_t n)
{
	struct param *p = slot(s, i);

	if (p == NULL)
		return OMS_ERR_STORE;
	if ((p->text = malloc(n + 1)) == NULL)
		return OMS_ERR_NOMEM;
	memcpy(p->text, v, n);
	p->text[n] = '\0';
	p->len = (unsigned long)n;
	p->type = 2;
	return OMS_OK;
}

/* ops->bind_null: parameter i is NULL; OMS_ERR_STORE out of range. */
static enum oms_err
m_bind_null(struct oms_backend_stmt *s, int i)
{
	struct param *p = slot(s, i);

	if (p == NULL)
		return OMS_ERR_STORE;
	p->type = 0;
	return OMS_OK;
}

/* Ask for a read-only cursor on the next execution of a streamed
 * statement that has a result, for none otherwise.  OMS_OK or the
 * connector's error. */
static enum oms_err
set_cursor(struct oms_backend_stmt *s)
{
	unsigned long cursor = s->stream > 0 && s->ncols > 0 ?
	    CURSOR_TYPE_READ_ONLY : CURSOR_TYPE_NO_CURSOR;
	unsigned long prefetch = s->stream > 0 ? (unsigned long)s->stream : 1;

	if (mysql_stmt_attr_set(s->s, STMT_ATTR_CURSOR_TYPE, &cursor) ||
	    mysql_stmt_attr_set(s->s, STMT_ATTR_PREFETCH_ROWS, &prefetch))
		return sfail(s, "mysql_stmt_attr_set");
	return OMS_OK;
}

/* Execute with the bound values; buffer the result unless streamed. */
static enum oms_err
execute(struct oms_backend_stmt *s)
{
	struct oms_backend_conn *c = s->c;
	MYSQL_RES *meta;
	enum oms_err e;

	if ((e = ensure(c)) != OMS_OK)
		return e;
	if (s->gen != c->gen && (e = prepare_now(s)) != OMS_OK)
		return e;
	for (unsigned i = 0; i < s->nparams; i++) {
		struct param *p = &s->pv[i];
		MYSQL_BIND *b = &s->pb[i];

		memset(b, 0, sizeof(*b));
		p->is_null = p->type == 0;
		b->is_null = &p->is_null;
		if (p->type == 1) {
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->i;
		} else if (p->type == 2) {
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = p->text;
			b->buffer_length = p->len;
			b->length = &p->len;
		} else
			b->buffer_type = MYSQL_TYPE_NULL;
	}
	if (s->nparams > 0 && mysql_stmt_bind_param(s->s, s->pb) != 0)
		return sfail(s, "mysql_stmt_bind_param");
	if ((e = set_cursor(s)) != OMS_OK)
		return e;
	if (mysql_stmt_execute(s->s) != 0) {
		e = sfail(s, "mysql_stmt_execute");
		/* A read outside a transaction on a session lost while idle
		 * (wait_timeout, a server restart) is safe to run again on a
		 * fresh session, once.  A write is not: its outcome is
		 * unknown. */
		if (e != OMS_ERR_UNAVAILABLE || c->in_tx ||
		    strncmp(s->sql, "SELECT", 6) != 0 ||
		    connect_db(c) != OMS_OK || prepare_now(s) != OMS_OK)
			return e;
		if ((e = set_cursor(s)) != OMS_OK)
			return e;
		if ((s->nparams > 0 && mysql_stmt_bind_param(s->s, s->pb) != 0) ||
		    mysql_stmt_execute(s->s) != 0)
			return sfail(s, "mysql_stmt_execute");
	}
	c->last_id = (int64_t)mysql_stmt_insert_id(s->s) ?
	    (int64_t)mysql_stmt_insert_id(s->s) : c->last_id;
	s->executed = 1;
	if (s->ncols == 0) {
		s->changes = (int64_t)mysql_stmt_affected_rows(s->s);
		return OMS_OK;
	}
	/* With a cursor the rows stay on the server; max_length is then
	 * unknown and the buffers grow on truncation (m_step). */
	if (s->stream == 0 && mysql_stmt_store_result(s->s) != 0)
		return sfail(s, "mysql_stmt_store_result");
	if ((meta = mysql_stmt_result_metadata(s->s)) == NULL)
		return sfail(s, "mysql_stmt_result_metadata");
	for (unsigned i = 0; i < s->ncols; i++) {
		MYSQL_FIELD *f = mysql_fetch_field_direct(meta, i);
		unsigned long want = f->max_length + 1;
		MYSQL_BIND *b = &s->cb[i];

		if (want < 32)
			want = 32;
		if (s->stream > 0 && want < 256)
			want = 256;
		if (s->ccap[i] < want) {
			char *nb = realloc(s->cbuf[i], want);

			if (nb == NULL) {
				mysql_free_result(meta);
				return OMS_ERR_NOMEM;
			}
			s->cbuf[i] = nb;
			s->ccap[i] = want;
		}
		memset(b, 0, sizeof(*b));
		b->buffer_type = MYSQL_TYPE_STRING;
		b->buffer = s->cbuf[i];
		b->buffer_length = s->ccap[i];
		b->length = &s->clen[i];
		b->is_null = &s->cnull[i];
	}
	mysql_free_result(meta);
	if (mysql_stmt_bind_result(s->s, s->cb) != 0)
		return sfail(s, "mysql_stmt_bind_result");
	return OMS_OK;
}

/*
 * After a fetch that reported truncation: grow the buffer of every
 * column whose value did not fit, fetch that column again into it, and
 * bind the grown buffers for the next rows.  Returns OMS_OK,
 * OMS_ERR_NOMEM or the fetch's error.
 */
static enum oms_err
refetch(struct oms_backend_stmt *s)
{
	int grown = 0;

	for (unsigned i = 0; i < s->ncols; i++) {
		MYSQL_BIND *b = &s->cb[i];
		char *nb;

		if (s->cnull[i] || s->clen[i] < s->ccap[i])
			continue;
		if ((nb = realloc(s->cbuf[i], s->clen[i] + 1)) == NULL)
			return OMS_ERR_NOMEM;
		s->cbuf[i] = nb;
		s->ccap[i] = s->clen[i] + 1;
		b->buffer = nb;
		b->buffer_length = s->ccap[i];
		if (mysql_stmt_fetch_column(s->s, b, i, 0) != 0)
			return sfail(s, "mysql_stmt_fetch_column");
		grown = 1;
	}
	if (grown && mysql_stmt_bind_result(s->s, s->cb) != 0)
		return sfail(s, "mysql_stmt_bind_result");
	return OMS_OK;
}

/* ops->step: execute on the first step, then fetch a row (*row 1) or
 * the end (*row 0).  OMS_OK or the error. */
static enum oms_err
m_step(struct oms_backend_stmt *s, int *row)
{
	enum oms_err e;
	int r;

	*row = 0;
	if (!s->executed && (e = execute(s)) != OMS_OK)
		return e;
	if (s->ncols == 0)
		return OMS_OK;
	r = mysql_stmt_fetch(s->s);
	if (r == MYSQL_NO_DATA)
		return OMS_OK;
	if (r != 0 && r != MYSQL_DATA_TRUNCATED)
		return sfail(s, "mysql_stmt_fetch");
	if (r == MYSQL_DATA_TRUNCATED && (e = refetch(s)) != OMS_OK)
		return e;
	for (unsigned i = 0; i < s->ncols; i++)
		s->cbuf[i][s->clen[i] < s->ccap[i] ? s->clen[i] : s->ccap[i] - 1] = '\0';
	*row = 1;
	return OMS_OK;
}

/* ops->column_null: 1 when column i of the row is NULL (or absent). */
static int
m_column_null(struct oms_backend_stmt *s, int i)
{
	return (unsigned)i >= s->ncols || s->cnull[i];
}

/* ops->column_int: column i as an integer, 0 for NULL. */
static int64_t
m_column_int(struct oms_backend_stmt *s, int i)
{
	if ((unsigned)i >= s->ncols || s->cnull[i])
		return 0;
	return strtoll(s->cbuf[i], NULL, 10);
}

/* ops->column_text: column i as text in the statement's buffer, valid
 * until the next fetch; NULL for NULL. */
static const char *
m_column_text(struct oms_backend_stmt *s, int i, size_t *len)
{
	if ((unsigned)i >= s->ncols || s->cnull[i]) {
		*len = 0;
		return NULL;
	}
	*len = s->clen[i];
	return s->cbuf[i];
}

/* ops->reset: free the result (closing a cursor), clear parameters and
 * the stream request.  Always OMS_OK. */
static enum oms_err
m_reset(struct oms_backend_stmt *s)
{
	/* Freeing the buffered result is enough to execute again; no
	 * round trip to the server. */
	if (s->executed && s->s != NULL)
		mysql_stmt_free_result(s->s);
	s->executed = 0;
	s->stream = 0;
	s->changes = 0;
	for (unsigned i = 0; i < s->nparams; i++) {
		free(s->pv[i].text);
		s->pv[i].text = NULL;
		s->pv[i].type = 0;
	}
	return OMS_OK;
}

/* ops->finalize: close the handle and free everything; accepts NULL. */
static void
m_finalize(struct oms_backend_stmt *s)
{
	if (s == NULL)
		return;
	m_reset(s);
	if (s->s != NULL)
		mysql_stmt_close(s->s);
	for (unsigned i = 0; i < s->ncols; i++)
		free(s->cbuf[i]);
	free(s->cbuf);
	free(s->ccap);
	free(s->clen);
	free(s->cnull);
	free(s->cb);
	free(s->pv);
	free(s->pb);
	free(s->sql);
	free(s);
}

/* ops->last_id: the last AUTO_INCREMENT value of the session. */
static int64_t
m_last_id(struct oms_backend_conn *c)
{
	return c->last_id;
}

/* ops->errmsg: the connection's last error (static buffer). */
static const char *
m_errmsg(struct oms_backend_conn *c)
{
	return c ? c->errmsg : "no connection";
}

/* ops->ping: mysql_ping, replacing a session lost while idle once. */
static enum oms_err
m_ping(struct oms_backend_conn *c)
{
	enum oms_err e;

	if ((e = ensure(c)) != OMS_OK)
		return e;
	if (mysql_ping(c->m) != 0 &&
	    (e = fail(c, mysql_errno(c->m), "mysql_ping",
	    mysql_error(c->m))) != OMS_OK) {
		/* A session lost while idle: try a fresh one, once. */
		if (e != OMS_ERR_UNAVAILABLE || c->in_tx ||
		    (e = connect_db(c)) != OMS_OK)
			return e;
		if (mysql_ping(c->m) != 0)
			return fail(c, mysql_errno(c->m), "mysql_ping",
			    mysql_error(c->m));
	}
	return OMS_OK;
}

/* Rows the statement's last run changed (rows matched). */
static int64_t
m_changes(struct oms_backend_stmt *s)
{
	return s->changes;
}

/* Fetch the next run's rows through a cursor, `rows` at a time (see
 * Results above).  Always OMS_OK. */
static enum oms_err
m_stream(struct oms_backend_stmt *s, int rows)
{
	s->stream = rows > 0 ? rows : 0;
	return OMS_OK;
}

const struct oms_store_ops oms_mariadb_ops = {
	OMS_STORE_OPS_VERSION,
	"mariadb",
	OMS_BACKEND_MARIADB,
	m_open,
	m_close,
	m_begin,
	m_commit,
	m_rollback,
	m_prepare,
	m_bind_int,
	m_bind_text,
	m_bind_null,
	m_step,
	m_column_null,
	m_column_int,
	m_column_text,
	m_reset,
	m_finalize,
	m_last_id,
	m_errmsg,
	m_ping,
	m_begin_read,
	m_changes,
	m_stream,
	NULL, /* bind_text_ref: none, every text is copied (bind_text) */
	NULL, /* bind_blob: bind_text keeps every byte, into LONGBLOB */
};

/*
 * delivery.c: the outbox's delivery states (delivery.h): claims, the
 * per-asset order, the end of an attempt with its side effects.
 *
 * Sections: times and back-off; compare-and-set; taking back claims;
 * claiming; ending an attempt; what is left.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "delivery.h"
#include "stmts.h"
#include "store.h"

/* ------------------------------------------------------------------
 * Times and back-off
 */

/* Described in delivery.h. */
const char *
oms_delivery_time(int64_t us, char *buf, size_t sz)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)((us / 1000) % 1000));
	return buf;
}

/* Described in delivery.h. */
int64_t
oms_delivery_backoff_ms(int base_s, int max_s, int64_t attempts,
    uint32_t rnd)
{
	int64_t max_ms = (int64_t)(max_s > 0 ? max_s : 1) * 1000;
	int64_t d = (int64_t)(base_s > 0 ? base_s : 1) * 1000;

	/* Doubling stops at the cap, so nothing overflows. */
	for (int64_t i = 1; i < attempts && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	/* Jitter: d * (0.8 + 0.4 * rnd / 2^32), in integers. */
	d = d * 8 / 10 + (int64_t)(((unsigned __int128)(uint64_t)d * 4 / 10 *
	    rnd) >> 32);
	if (d > max_ms)
		d = max_ms;
	return d < 1 ? 1 : d;
}

/* Described in delivery.h. */
int64_t
oms_delivery_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Now with milliseconds into buf (32 bytes). */
static const char *
now_ms(char *buf, size_t sz)
{
	return oms_delivery_time(oms_delivery_clock_us(), buf, sz);
}

/* ------------------------------------------------------------------
 * Compare-and-set
 */

/* One value bound to a compare-and-set: text t, or integer i. */
struct arg {
	const char *t;  /* the text (NULL binds NULL unless is_int) */
	int64_t i;      /* the integer, when is_int */
	int is_int;
};

/* A compare-and-set statement and its values (cas()). */
struct cas {
	int stmt;              /* enum oms_stmt */
	const struct arg *v;   /* its values, in order */
	int n;
	int64_t changes;       /* out: rows changed */
};

/* Run one compare-and-set (oms_unit_fn): bind, execute, count. */
static enum oms_err
cas_unit(struct oms_store *st, void *p)
{
	struct cas *c = p;
	struct oms_query *q = oms_query(st, c->stmt);
	enum oms_err e;

	for (int i = 0; i < c->n; i++)
		if (c->v[i].is_int)
			oms_query_int(q, c->v[i].i);
		else
			oms_query_text(q, c->v[i].t);
	e = oms_query_exec(q);
	c->changes = e == OMS_OK ? oms_query_changes(q) : 0;
	return e;
}

/*
 * Statement stmt with values v[0..n-1] as a unit of work of its own,
 * so that SQLite takes the write lock first (BEGIN IMMEDIATE: a
 * statement that read first could not upgrade a stale snapshot) and a
 * busy database is retried.  Returns 1 when it changed exactly one row,
 * 0 when none (another was first), -1 on failure (*e says why).
 */
static int
cas(struct oms_store *st, int stmt, const struct arg *v, int n,
    enum oms_err *e)
{
	struct cas c = {stmt, v, n, 0};

	*e = oms_store_unit(st, cas_unit, &c);
	if (*e != OMS_OK)
		return -1;
	return c.changes == 1;
}

/* ------------------------------------------------------------------
 * Taking back claims
 */

/* A claim past its time, as read. */
struct expired {
	int64_t id;
	const char *message_id, *kind, *by, *until;
};

/* Fill an expired claim from a row of DELIVERY_EXPIRED (oms_row_fn). */
static void
expired_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct expired *x = elem;

	x->id = oms_query_col_int(q, 0);
	x->message_id = oms_query_col_dup(q, 1, a);
	x->kind = oms_query_col_dup(q, 2, a);
	x->by = oms_query_col_dup(q, 3, a);
	x->until = oms_query_col_dup(q, 4, a);
}

/* Described in delivery.h. */
enum oms_err
oms_delivery_expire(struct oms_store *st, struct oms_arena *a,
    const char *system, size_t *n)
{
	struct expired *x = NULL;
	struct oms_query *q;
	size_t nx = 0, done = 0;
	char now[32];
	enum oms_err e;

	if (n != NULL)
		*n = 0;
	now_ms(now, sizeof(now));
	q = oms_query(st, OMS_STMT_DELIVERY_EXPIRED);
	oms_query_text(q, system);
	oms_query_text(q, now);
	if ((e = oms_query_rows(q, a, sizeof(*x), (void **)&x, &nx,
	    expired_row)) != OMS_OK)
		return e;
	for (size_t i = 0; i < nx; i++) {
		const char *why = oms_arena_printf(a, "the claim of %s ran "
		    "out at %s: the outcome is unknown; the peer is asked",
		    x[i].by != NULL ? x[i].by : "?", x[i].until);
		const struct arg v[] = {{now, 0, 0}, {why, 0, 0}, {now, 0, 0},
		    {NULL, x[i].id, 1}, {x[i].until, 0, 0}};
		int r = cas(st, OMS_STMT_DELIVERY_TAKE_BACK, v, 5, &e);

		if (r < 0 && e == OMS_ERR_BUSY)
			continue; /* the next round takes it back */
		if (r < 0)
			return e;
		if (r == 1) {
			done++;
			oms_info("exchange %s: %s %s: sending -> unknown (%s)",
			    system, x[i].message_id, x[i].kind, why);
		}
	}
	if (n != NULL)
		*n = done;
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * Claiming
 */

/* A due row as read, before the claim. */
struct due {
	int64_t id;
	const char *state;
	int64_t attempts;
	const char *next;
};

/* Fill a due row from DELIVERY_DUE (oms_row_fn). */
static void
due_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct due *d = elem;

	d->id = oms_query_col_int(q, 0);
	d->state = oms_query_col_dup(q, 1, a);
	d->attempts = oms_query_col_int(q, 2);
	d->next = oms_query_col_dup(q, 3, a);
}

/*
 * Read claimed row id (ours, by who) into *m, strings in a.  OMS_OK;
 * OMS_ERR_NOTFOUND when it is not ours (any more); the store's error.
 */
static enum oms_err
read_claimed(struct oms_store *st, struct oms_arena *a, int64_t id,
    const char *who, struct oms_delivery_msg *m)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DELIVERY_GET);
	int found = 0;
	enum oms_err e;

	oms_query_int(q, id);
	oms_query_text(q, who);
	if (oms_query_row(q)) {
		const char *until;

		found = 1;
		m->id = oms_query_col_int(q, 0);
		m->message_id = oms_query_col_dup(q, 1, a);
		m->system = oms_query_col_dup(q, 2, a);
		m->kind = oms_query_col_dup(q, 3, a);
		m->seq_key = oms_query_col_dup(q, 4, a);
		m->seq = oms_query_col_int(q, 5);
		m->asset_id = oms_query_col_int(q, 6);
		m->asset_tag = oms_query_col_dup(q, 7, a);
		m->order_id = oms_query_col_int(q, 8);
		m->order_ref = oms_query_col_dup(q, 9, a);
		m->attempts = oms_query_col_int(q, 10);
		until = oms_query_col_text(q, 11);
		snprintf(m->claim_until, sizeof(m->claim_until), "%s",
		    until != NULL ? until : "");
		m->body = oms_query_col_dup(q, 12, a);
		m->invoice_id = oms_query_col_int(q, 13);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found && (m->message_id == NULL || m->body == NULL))
		return OMS_ERR_NOMEM;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Described in delivery.h. */
enum oms_err
oms_delivery_claim(struct oms_store *st, struct oms_arena *a,
    const char *system, const char *who, int64_t claim_ms, size_t max,
    struct oms_delivery_msg **out, size_t *n)
{
	struct oms_delivery_msg *m;
	struct due *d = NULL;
	struct oms_query *q;
	size_t nd = 0, got = 0;
	char now[32], sec[32], until[32];
	int64_t t = oms_delivery_clock_us();
	enum oms_err e;

	*out = NULL;
	*n = 0;
	oms_delivery_time(t, now, sizeof(now));
	/* The same instant in whole seconds, as outbox.c writes it. */
	snprintf(sec, sizeof(sec), "%.19sZ", now);
	oms_delivery_time(t + claim_ms * 1000, until, sizeof(until));
	q = oms_query(st, OMS_STMT_DELIVERY_DUE);
	oms_query_text(q, system);
	oms_query_text(q, now);
	oms_query_text(q, sec);
	oms_query_int(q, (int64_t)max);
	if ((e = oms_query_rows(q, a, sizeof(*d), (void **)&d, &nd,
	    due_row)) != OMS_OK)
		return e;
	if (nd == 0)
		return OMS_OK;
	if ((m = oms_arena_alloc(a, nd * sizeof(*m))) == NULL)
		return OMS_ERR_NOMEM;
	for (size_t i = 0; i < nd; i++) {
		const struct arg v[] = {{who, 0, 0}, {until, 0, 0}, {now, 0, 0},
		    {NULL, d[i].id, 1}, {d[i].state, 0, 0},
		    {NULL, d[i].attempts, 1}, {d[i].next, 0, 0}};
		int r = cas(st, OMS_STMT_DELIVERY_CLAIM, v, 7, &e);

		/* Busy past the store's retries: not claimed; the next
		 * round may take it. */
		if (r < 0 && e == OMS_ERR_BUSY)
			continue;
		if (r < 0)
			return e;
		if (r == 0)
			continue; /* another dispatcher was first */
		memset(&m[got], 0, sizeof(m[got]));
		e = read_claimed(st, a, d[i].id, who, &m[got]);
		if (e == OMS_ERR_NOTFOUND)
			continue; /* taken back already: not ours */
		if (e != OMS_OK)
			return e;
		m[got].ask = strcmp(d[i].state, "unknown") == 0;
		got++;
	}
	*out = got > 0 ? m : NULL;
	*n = got;
	return OMS_OK;
}

/* Described in delivery.h. */
enum oms_err
oms_delivery_renew(struct oms_store *st, struct oms_delivery_msg *m,
    const char *who, int64_t claim_ms)
{
	char until[32], now[32];
	int64_t t = oms_delivery_clock_us();
	enum oms_err e;
	int r;

	oms_delivery_time(t, now, sizeof(now));
	oms_delivery_time(t + claim_ms * 1000, until, sizeof(until));
	{
		const struct arg v[] = {{until, 0, 0}, {now, 0, 0},
		    {NULL, m->id, 1}, {who, 0, 0}, {m->claim_until, 0, 0}};

		if ((r = cas(st, OMS_STMT_DELIVERY_RENEW, v, 5, &e)) < 0)
			return e;
	}
	if (r == 0)
		return OMS_ERR_CONFLICT;
	snprintf(m->claim_until, sizeof(m->claim_until), "%s", until);
	return OMS_OK;
}

/* Described in delivery.h. */
enum oms_err
oms_delivery_release(struct oms_store *st, const struct oms_delivery_msg *m,
    const char *who)
{
	char now[32];
	const struct arg v[] = {{m->ask ? "unknown" : "pending", 0, 0},
	    {now_ms(now, sizeof(now)), 0, 0}, {NULL, m->id, 1}, {who, 0, 0},
	    {m->claim_until, 0, 0}};
	enum oms_err e;
	int r = cas(st, OMS_STMT_DELIVERY_RELEASE, v, 5, &e);

	if (r < 0)
		return e;
	return r == 1 ? OMS_OK : OMS_ERR_CONFLICT;
}

/* ------------------------------------------------------------------
 * Ending an attempt
 */

/* The arguments of end_unit(). */
struct end_unit {
	struct oms_arena *a;
	const struct oms_delivery_msg *m;
	const char *who;
	const struct oms_delivery_end *end;
	const char *note; /* out: a side effect that could not be made */
};

/* Whether the query stmt with one integer parameter v has a row. */
static int
has_row(struct oms_store *st, int stmt, int64_t v, enum oms_err *e)
{
	struct oms_query *q = oms_query(st, stmt);
	int found;

	oms_query_int(q, v);
	found = oms_query_row(q);
	*e = oms_query_end(q);
	return found;
}

/* Bind v, or NULL for 0. */
static void
int_or_null(struct oms_query *q, int64_t v)
{
	if (v > 0)
		oms_query_int(q, v);
	else
		oms_query_null(q);
}

/*
 * The vendor order of m's order line, status placed with the vendor's
 * reference ref, unless one is recorded already.  OMS_OK (also when the
 * line cannot be found: u->note says so) or the store's error.
 */
static enum oms_err
vendor_order(struct oms_store *st, struct end_unit *u, const char *ref,
    const char *now)
{
	const struct oms_delivery_msg *m = u->m;
	struct oms_query *q = oms_query(st, OMS_STMT_DELIVERY_LINE);
	int64_t line = 0, asset = 0;
	enum oms_err e;

	oms_query_int(q, m->order_id);
	oms_query_int(q, u->end->line_no);
	if (oms_query_row(q)) {
		line = oms_query_col_int(q, 0);
		asset = oms_query_col_int(q, 1);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (line == 0) {
		u->note = "no order line to record the vendor's reference on";
		return OMS_OK;
	}
	if (has_row(st, OMS_STMT_DELIVERY_VENDOR_HAS, line, &e) || e != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_DELIVERY_VENDOR_ADD);
	oms_query_int(q, line);
	oms_query_int(q, m->order_id);
	int_or_null(q, asset > 0 ? asset : m->asset_id);
	oms_query_text(q, ref);
	oms_query_text(q, m->message_id);
	oms_query_text(q, now);
	return oms_query_exec(q);
}

/*
 * The side effects of delivering m (see oms_delivery_end).  OMS_OK or
 * the store's error.
 */
static enum oms_err
side_effects(struct oms_store *st, struct end_unit *u, const char *now)
{
	const struct oms_delivery_msg *m = u->m;
	const char *ref = u->end->reference;
	struct oms_query *q;
	enum oms_err e;

	if (ref != NULL && *ref == '\0')
		ref = NULL;
	if (strcmp(m->kind, "PlaceOrder") == 0 ||
	    strcmp(m->kind, "ChangeOrder") == 0 ||
	    strcmp(m->kind, "DisconnectOrder") == 0) {
		if (ref == NULL || m->order_id == 0)
			return OMS_OK;
		return vendor_order(st, u, ref, now);
	}
	if (strcmp(m->kind, "BookLease") == 0) {
		if (ref == NULL)
			return OMS_OK;
		if (m->asset_id == 0) {
			u->note = "no asset to record the lease number on";
			return OMS_OK;
		}
		if (has_row(st, OMS_STMT_DELIVERY_LEASE_HAS, m->asset_id, &e) ||
		    e != OMS_OK)
			return e;
		q = oms_query(st, OMS_STMT_DELIVERY_LEASE_ADD);
		oms_query_int(q, m->asset_id);
		oms_query_text(q, ref);
		oms_query_text(q, m->message_id);
		oms_query_text(q, now);
		oms_query_text(q, now);
		return oms_query_exec(q);
	}
	if (strcmp(m->kind, "ReturnAsset") == 0 && m->asset_id > 0) {
		q = oms_query(st, OMS_STMT_DELIVERY_LEASE_RETURN);
		oms_query_text(q, m->message_id);
		oms_query_text(q, now);
		oms_query_int(q, m->asset_id);
		return oms_query_exec(q);
	}
	return OMS_OK;
}

/* End an attempt (oms_unit_fn): see oms_delivery_end(). */
static enum oms_err
end_unit(struct oms_store *st, void *arg)
{
	static const char *const states[OMS_DELIVERY__MAX] = {
		"delivered", /* OMS_DELIVERY_DELIVERED */
		"pending",   /* OMS_DELIVERY_PENDING */
		"unknown",   /* OMS_DELIVERY_UNKNOWN */
		"dead",      /* OMS_DELIVERY_DEAD */
	};
	struct end_unit *u = arg;
	const struct oms_delivery_end *end = u->end;
	const struct oms_delivery_msg *m = u->m;
	struct oms_query *q;
	char now[32];
	enum oms_err e;

	u->note = NULL;
	now_ms(now, sizeof(now));
	if (end->to == OMS_DELIVERY_DELIVERED) {
		q = oms_query(st, OMS_STMT_DELIVERY_DELIVERED);
		oms_query_text(q, now);
		oms_query_text(q, end->reply);
	} else {
		q = oms_query(st, OMS_STMT_DELIVERY_SET);
		oms_query_text(q, states[end->to]);
		oms_query_text(q, end->to == OMS_DELIVERY_DEAD ||
		    end->next_at == NULL ? now : end->next_at);
		oms_query_text(q, end->error);
	}
	oms_query_text(q, now);
	oms_query_int(q, m->id);
	oms_query_text(q, u->who);
	oms_query_text(q, m->claim_until);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1)
		return OMS_ERR_CONFLICT;
	if (end->to == OMS_DELIVERY_DELIVERED)
		return end->no_effects ? OMS_OK : side_effects(st, u, now);
	if (end->to == OMS_DELIVERY_DEAD) {
		const char *why = oms_arena_printf(u->a, "waiting: the earlier "
		    "message %s (%s, seq %lld) is dead", m->message_id, m->kind,
		    (long long)m->seq);

		if (why == NULL)
			return OMS_ERR_NOMEM;
		q = oms_query(st, OMS_STMT_DELIVERY_BLOCKED);
		oms_query_text(q, why);
		oms_query_text(q, now);
		oms_query_text(q, m->system);
		oms_query_text(q, m->seq_key);
		oms_query_int(q, m->seq);
		return oms_query_exec(q);
	}
	return OMS_OK;
}

/* Described in delivery.h. */
enum oms_err
oms_delivery_end(struct oms_store *st, struct oms_arena *a,
    const struct oms_delivery_msg *m, const char *who,
    const struct oms_delivery_end *end)
{
	struct end_unit u = {a, m, who, end, NULL};
	enum oms_err e;

	e = oms_store_unit(st, end_unit, &u);
	if (e == OMS_OK && u.note != NULL)
		oms_warn("exchange %s: %s %s: delivered, but %s", m->system,
		    m->message_id, m->kind, u.note);
	return e;
}

/* ------------------------------------------------------------------
 * What is left
 */

/* Described in delivery.h. */
enum oms_err
oms_delivery_open(struct oms_store *st, struct oms_arena *a,
    const char *system, int64_t *open, int64_t *sending,
    const char **next_due)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DELIVERY_OPEN);

	*open = *sending = 0;
	*next_due = NULL;
	oms_query_text(q, system);
	oms_query_text(q, system);
	if (oms_query_row(q)) {
		*open = oms_query_col_int(q, 0);
		*sending = oms_query_col_int(q, 1);
		*next_due = oms_query_col_dup(q, 2, a);
	}
	return oms_query_end(q);
}

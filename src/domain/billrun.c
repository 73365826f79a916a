/*
 * billrun.c: billing runs queued from the billing page and run by
 * omsd's billing job; payments and adjustments entered by finance.
 * See billrun.h.
 *
 * Map: helpers; the check and the queue; reading runs; the job's
 * steps; payments and adjustments (validation, recording, lists).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "billrun.h"
#include "date.h"
#include "money.h"
#include "store.h"
#include "stmts.h"

/* ------------------------------------------------------------ helpers */

/* id as decimal text in buf (at least 24 bytes); buf. */
static const char *
id_text(int64_t id, char *buf)
{
	snprintf(buf, 24, "%lld", (long long)id);
	return buf;
}

/* A row of OMS_SQL_BILLRUN_COLS into *r (oms_row_fn). */
static void
run_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_billrun *r = elem;
	const char *s;

	r->id = oms_query_col_int(q, 0);
	s = oms_query_col_text(q, 1);
	snprintf(r->period, sizeof(r->period), "%s", s ? s : "");
	s = oms_query_col_text(q, 2);
	if (s == NULL || oms_date_parse(s, &r->business_day) != OMS_OK)
		r->business_day = 0;
	r->requested_by = oms_query_col_dup(q, 3, a);
	r->requested_at = oms_query_col_dup(q, 4, a);
	r->state = oms_query_col_dup(q, 5, a);
	r->done = oms_query_col_int(q, 6);
	r->total = oms_query_col_int(q, 7);
	r->invoices = oms_query_col_int(q, 8);
	r->message = oms_query_col_dup(q, 9, a);
	r->finished_at = oms_query_col_dup(q, 10, a);
}

/* ------------------------------------------------ the check and queue */

/* See billrun.h. */
enum oms_err
oms_billrun_check(struct oms_store *st, const char *period, int32_t today,
    const char **why)
{
	struct oms_period p, lp;
	struct oms_query *q;
	char last[8] = "", lstate[16] = "", state[16] = "";
	enum oms_err e;

	if (period == NULL || strlen(period) != 7 ||
	    oms_period_parse(period, &p) != OMS_OK) {
		*why = "The period must be a month, YYYY-MM.";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_BILLRUN_PERIOD_GET);
	oms_query_text(q, period);
	if (oms_query_row(q))
		snprintf(state, sizeof(state), "%s",
		    oms_query_col_text(q, 0) ? oms_query_col_text(q, 0) : "");
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (strcmp(state, "issued") == 0) {
		*why = "That period is issued already.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_BILLRUN_PERIOD_LAST);
	if (oms_query_row(q)) {
		snprintf(last, sizeof(last), "%s", oms_query_col_text(q, 0) ?
		    oms_query_col_text(q, 0) : "");
		snprintf(lstate, sizeof(lstate), "%s", oms_query_col_text(q, 1) ?
		    oms_query_col_text(q, 1) : "");
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (state[0] == '\0' && last[0] != '\0') {
		if (strcmp(lstate, "issuing") == 0) {
			*why = "Another period is half issued: issue it first.";
			return OMS_ERR_CONFLICT;
		}
		if (strcmp(period, last) < 0) {
			*why = "That period is before the last one issued: "
			    "periods are issued in order.";
			return OMS_ERR_CONFLICT;
		}
		if (oms_period_parse(last, &lp) == OMS_OK && lp.end != p.first) {
			*why = "Periods are issued in order, none skipped: "
			    "issue the one after the last issued first.";
			return OMS_ERR_CONFLICT;
		}
	}
	if (p.end > today) {
		*why = "That period has not ended: a period is issued once its "
		    "last day is before the business date.";
		return OMS_ERR_CONFLICT;
	}
	return OMS_OK;
}

struct queue_unit {
	const struct oms_actor *who;
	const char *period;
	int32_t today;
	int64_t id;       /* out */
	const char *why;  /* out */
};

/* The unit of oms_billrun_queue: refuse a second active run or a
 * period that cannot be issued, insert, audit.  OMS_OK or as there. */
static enum oms_err
queue_unit(struct oms_store *st, void *arg)
{
	struct queue_unit *u = arg;
	struct oms_query *q;
	char now[32], day[11], buf[24];
	int active;
	enum oms_err e;

	q = oms_query(st, OMS_STMT_BILLRUN_ACTIVE);
	active = oms_query_row(q);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (active) {
		u->why = "A billing run is queued or running already: wait for "
		    "it to end.";
		return OMS_ERR_CONFLICT;
	}
	if ((e = oms_billrun_check(st, u->period, u->today, &u->why)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BILLRUN_ADD);
	oms_query_text(q, u->period);
	oms_query_text(q, oms_date_format(u->today, day));
	oms_query_text(q, u->who->login);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	u->id = oms_store_last_id(st);
	{
		struct oms_arena *a = oms_arena_new();
		char *after;

		if (a == NULL)
			return OMS_ERR_NOMEM;
		after = oms_audit_kv(a, "period", u->period, "business_day",
		    day, "state", "queued", NULL);
		e = after == NULL ? OMS_ERR_NOMEM : oms_audit_append(st, u->who,
		    "billing_run", id_text(u->id, buf), "queue", NULL, after);
		oms_arena_free(&a);
	}
	return e;
}

/* See billrun.h. */
enum oms_err
oms_billrun_queue(struct oms_store *st, const struct oms_actor *who,
    const char *period, int32_t today, int64_t *id, const char **why)
{
	struct queue_unit u = {who, period, today, 0, NULL};
	enum oms_err e;

	e = oms_store_unit(st, queue_unit, &u);
	*id = u.id;
	*why = u.why;
	return e;
}

/* ------------------------------------------------------- reading runs */

/* See billrun.h. */
enum oms_err
oms_billrun_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_billrun *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILLRUN_GET);
	int found;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	if ((found = oms_query_row(q)))
		run_row(q, a, out);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* See billrun.h. */
enum oms_err
oms_billrun_recent(struct oms_store *st, struct oms_arena *a, size_t limit,
    struct oms_billrun **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILLRUN_RECENT);

	oms_query_int(q, (int64_t)limit);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n, run_row);
}

/* ------------------------------------------------------ the job steps */

/* See billrun.h. */
enum oms_err
oms_billrun_next(struct oms_store *st, void *arg)
{
	struct oms_billrun_step *s = arg;
	struct oms_billrun r;
	struct oms_arena *a;
	struct oms_query *q;
	enum oms_err e;

	s->found = 0;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	memset(&r, 0, sizeof(r));
	q = oms_query(st, OMS_STMT_BILLRUN_NEXT);
	if (oms_query_row(q)) {
		run_row(q, a, &r);
		s->found = 1;
	}
	e = oms_query_end(q);
	oms_arena_free(&a);
	if (e != OMS_OK || !s->found)
		return e;
	s->id = r.id;
	memcpy(s->period, r.period, sizeof(s->period));
	s->business_day = r.business_day;
	q = oms_query(st, OMS_STMT_BILLRUN_START);
	oms_query_int(q, s->id);
	return oms_query_exec(q);
}

/* See billrun.h. */
enum oms_err
oms_billrun_progress(struct oms_store *st, void *arg)
{
	const struct oms_billrun_step *s = arg;
	struct oms_query *q = oms_query(st, OMS_STMT_BILLRUN_PROGRESS);

	oms_query_int(q, s->done);
	oms_query_int(q, s->total);
	oms_query_int(q, s->id);
	return oms_query_exec(q);
}

/* See billrun.h. */
enum oms_err
oms_billrun_end(struct oms_store *st, void *arg)
{
	const struct oms_billrun_step *s = arg;
	struct oms_query *q = oms_query(st, OMS_STMT_BILLRUN_END);
	char now[32], msg[401];

	oms_query_text(q, s->ok ? "done" : "failed");
	oms_query_int(q, s->invoices);
	if (s->ok || s->message == NULL)
		oms_query_null(q);
	else {
		snprintf(msg, sizeof(msg), "%s", s->message);
		oms_query_text(q, msg);
	}
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_int(q, s->id);
	return oms_query_exec(q);
}

/* ------------------------------------------ payments and adjustments */

/*
 * The last day invoiced for customer (0: none): the end of the last
 * period issued, once the customer has a first period (BILLING.md
 * "Corrections of issued periods").  OMS_ERR_NOTFOUND for no such
 * customer.
 */
static enum oms_err
invoiced_through(struct oms_store *st, int64_t customer, int32_t *through)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILLRUN_CUSTOMER);
	struct oms_period p;
	int found, billed = 0;
	char last[8] = "";
	enum oms_err e;

	*through = 0;
	oms_query_int(q, customer);
	if ((found = oms_query_row(q)))
		billed = oms_query_col_text(q, 0) != NULL;
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found)
		return OMS_ERR_NOTFOUND;
	if (!billed)
		return OMS_OK;
	q = oms_query(st, OMS_STMT_BILLRUN_ISSUED_LAST);
	if (oms_query_row(q) && oms_query_col_text(q, 0) != NULL)
		snprintf(last, sizeof(last), "%s", oms_query_col_text(q, 0));
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (last[0] != '\0' && oms_period_parse(last, &p) == OMS_OK)
		*through = p.end - 1;
	return OMS_OK;
}

/*
 * Check the date of an entry for customer: well formed, not after the
 * business date, and within the back-dating limit when it falls in an
 * invoiced period.  OMS_OK with *day; OMS_ERR_INVAL with *why (in a);
 * OMS_ERR_NOTFOUND for no such customer; store errors.
 */
static enum oms_err
entry_date(struct oms_store *st, struct oms_arena *a,
    const struct oms_entry_ctx *x, int64_t customer, const char *text,
    int32_t *day, const char **why)
{
	int32_t through;
	char d[11];
	enum oms_err e;

	if (text == NULL || strlen(text) != 10 ||
	    oms_date_parse(text, day) != OMS_OK) {
		*why = "The date must be a date (YYYY-MM-DD).";
		return OMS_ERR_INVAL;
	}
	if (*day > x->today) {
		*why = oms_arena_printf(a, "The date %s is after the business "
		    "date %s.", text, oms_date_format(x->today, d));
		return OMS_ERR_INVAL;
	}
	if ((e = invoiced_through(st, customer, &through)) != OMS_OK)
		return e;
	if (*day <= through && *day < x->today - x->backdate_days) {
		*why = oms_arena_printf(a, "The date %s is in a period already "
		    "invoiced and more than %d days before the business date "
		    "%s.", text, x->backdate_days, oms_date_format(x->today, d));
		return OMS_ERR_INVAL;
	}
	return OMS_OK;
}

/*
 * Parse an amount of the forms: at most 2 decimals, as BILLING.md's
 * files ("12.50", "-3.00"; no thousands separators).  OMS_OK with
 * *cents, or OMS_ERR_INVAL with *why.
 */
static enum oms_err
entry_amount(const char *text, int64_t *cents, const char **why)
{
	if (text == NULL || text[0] == '\0') {
		*why = "The amount is required.";
		return OMS_ERR_INVAL;
	}
	if (strchr(text, ',') != NULL || oms_money_parse(text, cents) != OMS_OK) {
		*why = "The amount must be a number with at most 2 decimals, "
		    "e.g. 12.50.";
		return OMS_ERR_INVAL;
	}
	return OMS_OK;
}

/* 1 when text is absent or only blanks. */
static int
blank(const char *text)
{
	return text == NULL || text[strspn(text, " \t\r\n")] == '\0';
}

struct entry_unit {
	const struct oms_entry_ctx *x;
	const struct oms_payment_in *p;    /* one of these two */
	const struct oms_adjustment_in *j;
	struct oms_arena *a;
	int64_t id;
	const char *why;
};

/*
 * 1 when reference is used in payments (adjust 0) or adjustments
 * (adjust 1); -1 on a store error (latched in the unit).
 */
static int
ref_used(struct oms_store *st, const char *ref, int adjust)
{
	struct oms_query *q = oms_query(st, adjust ?
	    OMS_STMT_BILLRUN_REF_USED_A : OMS_STMT_BILLRUN_REF_USED_P);
	int used;

	oms_query_text(q, ref);
	used = oms_query_row(q);
	return oms_query_end(q) != OMS_OK ? -1 : used;
}

/*
 * A reference of the form PREFIX-N for an entry without one, from the
 * gapless series named series.  In a; NULL with *e set on failure.
 */
static const char *
make_ref(struct oms_store *st, struct oms_arena *a, const char *series,
    const char *prefix, int adjust, enum oms_err *e)
{
	for (int i = 0; i < 100; i++) {
		int64_t n;
		const char *ref;
		int used;

		if ((*e = oms_store_next_number(st, series, &n)) != OMS_OK)
			return NULL;
		if ((ref = oms_arena_printf(a, "%s-%lld", prefix,
		    (long long)n)) == NULL) {
			*e = OMS_ERR_NOMEM;
			return NULL;
		}
		if ((used = ref_used(st, ref, adjust)) < 0) {
			*e = OMS_ERR_STORE;
			return NULL;
		}
		if (!used)
			return ref;
	}
	*e = OMS_ERR_CONFLICT;
	return NULL;
}

/* The unit of oms_payment_add.  OMS_OK or as there. */
static enum oms_err
payment_unit(struct oms_store *st, void *arg)
{
	struct entry_unit *u = arg;
	const struct oms_payment_in *in = u->p;
	struct oms_query *q;
	const char *ref = in->reference;
	char now[32], buf[24], amt[32];
	int64_t cents;
	int32_t day;
	enum oms_err e;
	char *after;

	if ((e = entry_amount(in->amount, &cents, &u->why)) != OMS_OK)
		return e;
	if (cents <= 0) {
		u->why = "A payment must be positive (a refund is an "
		    "adjustment).";
		return OMS_ERR_INVAL;
	}
	if ((e = entry_date(st, u->a, u->x, in->customer, in->date, &day,
	    &u->why)) != OMS_OK)
		return e;
	if (blank(in->method)) {
		u->why = "The method of payment is required (cheque, "
		    "transfer, ...).";
		return OMS_ERR_INVAL;
	}
	if (blank(ref)) {
		if ((ref = make_ref(st, u->a, "payment-web", "PAY-WEB", 0,
		    &e)) == NULL)
			return e;
	} else {
		int used = ref_used(st, ref, 0);

		if (used < 0)
			return OMS_ERR_STORE;
		if (used) {
			u->why = oms_arena_printf(u->a, "The reference %s is "
			    "used by another payment.", ref);
			return OMS_ERR_CONFLICT;
		}
	}
	q = oms_query(st, OMS_STMT_BILLRUN_PAYMENT_ADD);
	oms_query_text(q, ref);
	oms_query_int(q, in->customer);
	oms_query_text(q, in->date);
	oms_query_int(q, cents);
	oms_query_text(q, in->method);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_text(q, u->x->who->login);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	u->id = oms_store_last_id(st);
	after = oms_audit_kv(u->a, "reference", ref, "customer",
	    id_text(in->customer, buf), "date", in->date, "amount",
	    oms_money_format(cents, amt, sizeof(amt)), "method", in->method,
	    NULL);
	if (after == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->x->who, "payment", id_text(u->id, buf),
	    "create", NULL, after);
}

/* See billrun.h. */
enum oms_err
oms_payment_add(struct oms_store *st, const struct oms_entry_ctx *x,
    const struct oms_payment_in *in, int64_t *id, const char **why)
{
	struct entry_unit u;
	enum oms_err e;

	memset(&u, 0, sizeof(u));
	u.x = x;
	u.p = in;
	u.a = x->arena;
	e = oms_store_unit(st, payment_unit, &u);
	*id = u.id;
	*why = u.why;
	return e;
}

/*
 * Check that the row id of statement stmt (a site or cost centre)
 * belongs to customer.  1 when it does, 0 when not (or none), -1 on a
 * store error.
 */
static int
owned(struct oms_store *st, int stmt, int64_t id, int64_t customer)
{
	struct oms_query *q = oms_query(st, stmt);
	int ok = 0;

	oms_query_int(q, id);
	if (oms_query_row(q))
		ok = oms_query_col_int(q, 0) == customer;
	return oms_query_end(q) != OMS_OK ? -1 : ok;
}

/* The unit of oms_adjustment_add.  OMS_OK or as there. */
static enum oms_err
adjustment_unit(struct oms_store *st, void *arg)
{
	struct entry_unit *u = arg;
	const struct oms_adjustment_in *in = u->j;
	struct oms_query *q;
	const char *ref;
	char now[32], buf[24], amt[32], sb[24], cb[24];
	int64_t cents;
	int32_t day;
	int ok;
	enum oms_err e;
	char *after;

	if ((e = entry_amount(in->amount, &cents, &u->why)) != OMS_OK)
		return e;
	if (cents == 0) {
		u->why = "An adjustment of 0.00 changes nothing.";
		return OMS_ERR_INVAL;
	}
	if ((e = entry_date(st, u->a, u->x, in->customer, in->date, &day,
	    &u->why)) != OMS_OK)
		return e;
	if (blank(in->description)) {
		u->why = "The description is required: it is printed on the "
		    "invoice.";
		return OMS_ERR_INVAL;
	}
	if (blank(in->reason)) {
		u->why = "The reason is required.";
		return OMS_ERR_INVAL;
	}
	if (in->site > 0) {
		if ((ok = owned(st, OMS_STMT_BILLRUN_SITE_OF, in->site,
		    in->customer)) < 0)
			return OMS_ERR_STORE;
		if (!ok) {
			u->why = "The site is not one of the customer's.";
			return OMS_ERR_INVAL;
		}
	}
	if (in->cost_centre > 0) {
		if ((ok = owned(st, OMS_STMT_BILLRUN_CC_OF, in->cost_centre,
		    in->customer)) < 0)
			return OMS_ERR_STORE;
		if (!ok) {
			u->why = "The cost centre is not one of the "
			    "customer's.";
			return OMS_ERR_INVAL;
		}
	}
	if ((ref = make_ref(st, u->a, "adjustment-web", "ADJ-WEB", 1, &e)) ==
	    NULL)
		return e;
	q = oms_query(st, OMS_STMT_BILLRUN_ADJUSTMENT_ADD);
	oms_query_text(q, ref);
	oms_query_int(q, in->customer);
	oms_query_text(q, in->date);
	oms_query_int(q, cents);
	oms_query_text(q, in->description);
	oms_query_int(q, in->taxable ? 1 : 0);
	if (in->site > 0)
		oms_query_int(q, in->site);
	else
		oms_query_null(q);
	if (in->cost_centre > 0)
		oms_query_int(q, in->cost_centre);
	else
		oms_query_null(q);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_text(q, u->x->who->login);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	u->id = oms_store_last_id(st);
	after = oms_audit_kv(u->a, "reference", ref, "customer",
	    id_text(in->customer, buf), "date", in->date, "amount",
	    oms_money_format(cents, amt, sizeof(amt)), "description",
	    in->description, "taxable", in->taxable ? "yes" : "no", "site",
	    in->site > 0 ? id_text(in->site, sb) : NULL, "cost_centre",
	    in->cost_centre > 0 ? id_text(in->cost_centre, cb) : NULL,
	    "reason", in->reason, NULL);
	if (after == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->x->who, "adjustment",
	    id_text(u->id, buf), "create", NULL, after);
}

/* See billrun.h. */
enum oms_err
oms_adjustment_add(struct oms_store *st, const struct oms_entry_ctx *x,
    const struct oms_adjustment_in *in, int64_t *id, const char **why)
{
	struct entry_unit u;
	enum oms_err e;

	memset(&u, 0, sizeof(u));
	u.x = x;
	u.j = in;
	u.a = x->arena;
	e = oms_store_unit(st, adjustment_unit, &u);
	*id = u.id;
	*why = u.why;
	return e;
}

/* A row of OMS_SQL_PAYMENT_COLS (oms_row_fn). */
static void
payment_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_payment *p = elem;

	p->id = oms_query_col_int(q, 0);
	p->reference = oms_query_col_dup(q, 1, a);
	p->customer = oms_query_col_int(q, 2);
	p->customer_code = oms_query_col_dup(q, 3, a);
	p->customer_name = oms_query_col_dup(q, 4, a);
	p->paid_on = oms_query_col_dup(q, 5, a);
	p->amount = oms_query_col_int(q, 6);
	p->method = oms_query_col_dup(q, 7, a);
	p->invoice = oms_query_col_int(q, 8);
	p->created_at = oms_query_col_dup(q, 9, a);
	p->created_by = oms_query_col_dup(q, 10, a);
}

/* A row of OMS_SQL_ADJUSTMENT_COLS (oms_row_fn). */
static void
adjustment_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_adjustment *j = elem;

	j->id = oms_query_col_int(q, 0);
	j->reference = oms_query_col_dup(q, 1, a);
	j->customer = oms_query_col_int(q, 2);
	j->customer_code = oms_query_col_dup(q, 3, a);
	j->customer_name = oms_query_col_dup(q, 4, a);
	j->dated_on = oms_query_col_dup(q, 5, a);
	j->amount = oms_query_col_int(q, 6);
	j->description = oms_query_col_dup(q, 7, a);
	j->taxable = (int)oms_query_col_int(q, 8);
	j->site_code = oms_query_col_dup(q, 9, a);
	j->cc_code = oms_query_col_dup(q, 10, a);
	j->created_at = oms_query_col_dup(q, 11, a);
	j->created_by = oms_query_col_dup(q, 12, a);
}

/* The count of statement stmt for customer (0: all) into *total. */
static enum oms_err
count_of(struct oms_store *st, int stmt, int64_t customer, int64_t *total)
{
	struct oms_query *q = oms_query(st, stmt);

	oms_query_int(q, customer);
	oms_query_int(q, customer);
	*total = oms_query_row(q) ? oms_query_col_int(q, 0) : 0;
	return oms_query_end(q);
}

/* See billrun.h. */
enum oms_err
oms_payment_list(struct oms_store *st, struct oms_arena *a, int64_t customer,
    int64_t limit, int64_t offset, struct oms_payment **out, size_t *n,
    int64_t *total)
{
	struct oms_query *q;
	enum oms_err e;

	if ((e = count_of(st, OMS_STMT_BILLRUN_PAYMENTS_COUNT, customer,
	    total)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BILLRUN_PAYMENTS);
	oms_query_int(q, customer);
	oms_query_int(q, customer);
	oms_query_int(q, limit);
	oms_query_int(q, offset);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    payment_row);
}

/* See billrun.h. */
enum oms_err
oms_adjustment_list(struct oms_store *st, struct oms_arena *a,
    int64_t customer, int64_t limit, int64_t offset,
    struct oms_adjustment **out, size_t *n, int64_t *total)
{
	struct oms_query *q;
	enum oms_err e;

	if ((e = count_of(st, OMS_STMT_BILLRUN_ADJUSTMENTS_COUNT, customer,
	    total)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BILLRUN_ADJUSTMENTS);
	oms_query_int(q, customer);
	oms_query_int(q, customer);
	oms_query_int(q, limit);
	oms_query_int(q, offset);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    adjustment_row);
}

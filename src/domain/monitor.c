/*
 * monitor.c: the integration page's reads of the outbox and the
 * reconciliation of a billing period (monitor.h, which gives the
 * definitions).  Every read is one set-based statement of
 * monitor_stmt.h; the reconciliation's rows are streamed.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "date.h"
#include "monitor.h"
#include "outbox.h"
#include "stmts.h"
#include "store.h"

const char *const oms_recon_kind_names[OMS_RECON__MAX] = {
	"no-lease",             /* OMS_RECON_NO_LEASE */
	"lease-not-in-service", /* OMS_RECON_LEASE_NOT_IN_SERVICE */
	"billed-no-order",      /* OMS_RECON_BILLED_NO_ORDER */
	"lease-amount",         /* OMS_RECON_LEASE_AMOUNT */
	"not-billed",           /* OMS_RECON_NOT_BILLED */
	"installed-no-asset",   /* OMS_RECON_INSTALLED_NO_ASSET */
};

const char *const oms_recon_kind_labels[OMS_RECON__MAX] = {
	"Installed asset with no lease",             /* OMS_RECON_NO_LEASE */
	"Lease for an asset not in service",         /* OMS_RECON_LEASE_NOT_IN_SERVICE */
	"Billed asset with no vendor order",         /* OMS_RECON_BILLED_NO_ORDER */
	"Lease amount differs from the billing",     /* OMS_RECON_LEASE_AMOUNT */
	"Asset in service not billed",               /* OMS_RECON_NOT_BILLED */
	"Vendor installed, no asset in service",     /* OMS_RECON_INSTALLED_NO_ASSET */
};

/* Column col as an integer, or dflt when it is NULL. */
static int64_t
col_int_or(struct oms_query *q, int col, int64_t dflt)
{
	return oms_query_col_text(q, col) == NULL ? dflt :
	    oms_query_col_int(q, col);
}

/* Fill count elem from a row of MONITOR_COUNTS (oms_row_fn). */
static void
row_count(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_monitor_count *c = elem;

	c->system = oms_query_col_dup(q, 0, a);
	c->state = oms_query_col_dup(q, 1, a);
	c->n = oms_query_col_int(q, 2);
}

/* Fill oldest elem from a row of MONITOR_OLDEST (oms_row_fn). */
static void
row_oldest(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_monitor_oldest *o = elem;

	o->system = oms_query_col_dup(q, 0, a);
	o->created_at = oms_query_col_dup(q, 1, a);
	o->id = oms_query_col_int(q, 2);
}

/* Described in monitor.h. */
enum oms_err
oms_monitor_counts(struct oms_store *st, struct oms_arena *a,
    const char *system, struct oms_monitor_count **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_MONITOR_COUNTS);

	oms_query_text(q, system);
	oms_query_text(q, system);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n, row_count);
}

/* Described in monitor.h. */
enum oms_err
oms_monitor_oldest(struct oms_store *st, struct oms_arena *a,
    const char *system, struct oms_monitor_oldest **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_MONITOR_OLDEST);

	oms_query_text(q, system);
	oms_query_text(q, system);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n, row_oldest);
}

/* Described in monitor.h. */
enum oms_err
oms_monitor_list(struct oms_store *st, struct oms_arena *a,
    const char *state, const char *system, int64_t offset, int64_t limit,
    struct oms_outbox_msg **out, size_t *n, int64_t *total)
{
	struct oms_query *q = oms_query(st, OMS_STMT_MONITOR_LIST_COUNT);
	enum oms_err e;

	*out = NULL;
	*n = 0;
	*total = 0;
	oms_query_text(q, state);
	oms_query_text(q, system);
	oms_query_text(q, system);
	if (oms_query_row(q))
		*total = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_MONITOR_LIST);
	oms_query_text(q, state);
	oms_query_text(q, system);
	oms_query_text(q, system);
	oms_query_int(q, limit);
	oms_query_int(q, offset);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    oms_outbox_msg_row);
}

/* Described in monitor.h. */
enum oms_err
oms_monitor_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_monitor_msg *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_MONITOR_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		found = 1;
		oms_outbox_msg_row(q, a, &out->m);
		out->m.body = oms_query_col_dup(q, 16, a);
		out->claimed_by = oms_query_col_dup(q, 17, a);
		out->claim_until = oms_query_col_dup(q, 18, a);
		out->delivered_at = oms_query_col_dup(q, 19, a);
		out->reply = oms_query_col_dup(q, 20, a);
		out->invoice_id = col_int_or(q, 21, 0);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* A reconciliation under way (oms_store_read's argument). */
struct recon {
	char first[11], end[11], last[11]; /* YYYY-MM-DD */
	const char *period;
	struct oms_recon_totals *t;
	oms_recon_fn fn;
	void *arg;
	enum oms_err fn_err;   /* fn's error, when it stopped the report */
};

/* Bind the parameters of OMS_SQL_RECON_CTES for r to q. */
static void
bind_ctes(struct oms_query *q, const struct recon *r)
{
	oms_query_text(q, r->end);
	oms_query_text(q, r->first);
	oms_query_text(q, r->last);
	oms_query_text(q, r->last);
	oms_query_text(q, r->period);
	oms_query_text(q, r->period);
}

/* Read the totals and stream the mismatches of r (oms_unit_fn, inside
 * the read snapshot).  OMS_OK, fn's error (also in r->fn_err) or the
 * store's. */
static enum oms_err
recon_read(struct oms_store *st, void *arg)
{
	struct recon *r = arg;
	struct oms_recon_totals *t = r->t;
	struct oms_query *q = oms_query(st, OMS_STMT_RECON_TOTALS);
	enum oms_err e;

	bind_ctes(q, r);
	if (oms_query_row(q)) {
		t->in_service = oms_query_col_int(q, 0);
		t->billed = oms_query_col_int(q, 1);
		t->leases = oms_query_col_int(q, 2);
		t->vendor_orders = oms_query_col_int(q, 3);
		t->monthly = oms_query_col_int(q, 4);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query_iter(st, OMS_STMT_RECON_ROWS);
	bind_ctes(q, r);
	oms_query_text(q, r->last);
	oms_query_text(q, r->period);
	oms_query_text(q, r->first);
	oms_query_text(q, r->last);
	while (r->fn_err == OMS_OK && oms_query_row(q)) {
		struct oms_recon_row row;
		int64_t k = oms_query_col_int(q, 0);

		if (k < 1 || k > OMS_RECON__MAX)
			continue;
		memset(&row, 0, sizeof(row));
		row.kind = (enum oms_recon_kind)(k - 1);
		row.asset_id = col_int_or(q, 1, 0);
		row.asset_tag = oms_query_col_text(q, 2);
		row.customer = oms_query_col_text(q, 3);
		row.order_id = col_int_or(q, 4, 0);
		row.order_ref = oms_query_col_text(q, 5);
		row.invoice_id = col_int_or(q, 6, 0);
		row.invoice_number = col_int_or(q, 7, 0);
		row.lease_number = oms_query_col_text(q, 8);
		row.lease_cents = col_int_or(q, 9, -1);
		row.billed_cents = col_int_or(q, 10, -1);
		row.vendor_ref = oms_query_col_text(q, 11);
		row.vendor_status = oms_query_col_text(q, 12);
		t->mismatches[row.kind]++;
		r->fn_err = r->fn(r->arg, &row);
	}
	e = oms_query_end(q);
	return r->fn_err != OMS_OK ? r->fn_err : e;
}

/* Described in monitor.h. */
enum oms_err
oms_reconcile(struct oms_store *st, const char *period,
    struct oms_recon_totals *t, oms_recon_fn fn, void *arg)
{
	struct oms_period p;
	struct recon r;

	memset(t, 0, sizeof(*t));
	if (period == NULL || oms_period_parse(period, &p) != OMS_OK)
		return OMS_ERR_INVAL;
	memset(&r, 0, sizeof(r));
	oms_date_format(p.first, r.first);
	oms_date_format(p.end, r.end);
	oms_date_format(p.end - 1, r.last);
	r.period = period;
	r.t = t;
	r.fn = fn;
	r.arg = arg;
	return oms_store_read(st, recon_read, &r);
}

/*
 * statement.c: a customer's account statement (statement.h): rows
 * read by statement_stmt.h and oms_invoice_list, merged by date, with
 * the running balance and totals computed here.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "statement.h"
#include "stmts.h"
#include "store.h"

const char *const oms_entry_kind_names[OMS_ENTRY__MAX] = {
	"payment",    /* OMS_ENTRY_PAYMENT */
	"adjustment", /* OMS_ENTRY_ADJUSTMENT */
	"invoice",    /* OMS_ENTRY_INVOICE */
};

/*
 * Make room in *v (an arena array of *cap elements of sz bytes) for
 * element n.  0, or -1 when out of memory (*v unchanged).  The arena
 * frees it.
 */
static int
grow(struct oms_arena *a, void **v, size_t *cap, size_t n, size_t sz)
{
	void *nv;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	if ((nv = oms_arena_alloc(a, want * sz)) == NULL)
		return -1;
	if (n > 0)
		memcpy(nv, *v, n * sz);
	*v = nv;
	*cap = want;
	return 0;
}

/* The day of text column col, 0 when NULL or not a date. */
static int32_t
col_day(struct oms_query *q, int col)
{
	const char *s = oms_query_col_text(q, col);
	int32_t d = 0;

	if (s == NULL || oms_date_parse(s, &d) != OMS_OK)
		return 0;
	return d;
}

/*
 * qsort order of entries: by date, then kind (payments, adjustments,
 * invoices), then id.  Returns <0, 0, >0.
 */
static int
entry_cmp(const void *x, const void *y)
{
	const struct oms_statement_entry *a = x, *b = y;

	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* See statement.h. */
enum oms_err
oms_statement_get(struct oms_store *st, struct oms_arena *a, int64_t customer,
    int64_t scope, struct oms_statement *out)
{
	struct oms_invoice_head *h;
	struct oms_query *q;
	size_t nh, cap = 0;
	int64_t bal = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	out->customer = customer;
	if (scope > 0 && customer != scope)
		return OMS_ERR_NOTFOUND;
	if ((e = oms_invoice_list(st, a, customer, NULL, scope, &h, &nh)) !=
	    OMS_OK)
		return e;
	for (size_t i = 0; i < nh; i++) {
		struct oms_statement_entry *x;

		if (grow(a, (void **)&out->entries, &cap, out->n,
		    sizeof(*x)) < 0)
			return OMS_ERR_NOMEM;
		x = &out->entries[out->n++];
		memset(x, 0, sizeof(*x));
		x->kind = OMS_ENTRY_INVOICE;
		x->id = h[i].id;
		x->date = h[i].invoice_date;
		x->ref = "";
		x->text = oms_arena_strdup(a, h[i].period);
		x->amount = h[i].current;
		x->change = h[i].current;
		x->invoice = h[i].id;
		x->number = h[i].number;
		x->total_due = h[i].total_due;
		out->ninvoices++;
		out->charges += h[i].current;
	}

	q = oms_query(st, OMS_STMT_STATEMENT_PAYMENTS);
	oms_query_int(q, customer);
	while (oms_query_row(q)) {
		struct oms_statement_entry *x;

		if (grow(a, (void **)&out->entries, &cap, out->n,
		    sizeof(*x)) < 0)
			break;
		x = &out->entries[out->n++];
		memset(x, 0, sizeof(*x));
		x->kind = OMS_ENTRY_PAYMENT;
		x->id = oms_query_col_int(q, 0);
		x->ref = oms_query_col_dup(q, 1, a);
		x->date = col_day(q, 2);
		x->amount = oms_query_col_int(q, 3);
		x->text = oms_query_col_dup(q, 4, a);
		x->invoice = oms_query_col_int(q, 5);
		x->number = oms_query_col_int(q, 6);
		x->change = -x->amount;
		out->npayments++;
		out->paid += x->amount;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;

	q = oms_query(st, OMS_STMT_STATEMENT_ADJUSTMENTS);
	oms_query_int(q, customer);
	while (oms_query_row(q)) {
		struct oms_statement_entry *x;

		if (grow(a, (void **)&out->entries, &cap, out->n,
		    sizeof(*x)) < 0)
			break;
		x = &out->entries[out->n++];
		memset(x, 0, sizeof(*x));
		x->kind = OMS_ENTRY_ADJUSTMENT;
		x->id = oms_query_col_int(q, 0);
		x->ref = oms_query_col_dup(q, 1, a);
		x->date = col_day(q, 2);
		x->amount = oms_query_col_int(q, 3);
		x->text = oms_query_col_dup(q, 4, a);
		x->taxable = oms_query_col_int(q, 5) != 0;
		x->invoice = oms_query_col_int(q, 6);
		x->number = oms_query_col_int(q, 7);
		out->nadjustments++;
		out->adjusted += x->amount;
		if (x->invoice == 0)
			out->unbilled += x->amount;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (out->n != out->ninvoices + out->npayments + out->nadjustments)
		return OMS_ERR_NOMEM;

	if (out->n > 1)
		qsort(out->entries, out->n, sizeof(*out->entries), entry_cmp);
	for (size_t i = 0; i < out->n; i++) {
		bal += out->entries[i].change;
		out->entries[i].balance = bal;
	}
	out->balance = bal;

	/* The latest invoice (oms_invoice_list: newest period first). */
	if (nh > 0) {
		if ((e = oms_invoice_get(st, a, h[0].id, scope,
		    &out->latest)) != OMS_OK)
			return e;
		out->has_latest = 1;
	}
	return OMS_OK;
}

/* See statement.h. */
enum oms_err
oms_invoice_order_links(struct oms_store *st, struct oms_arena *a,
    int64_t invoice, struct oms_order_link **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_STATEMENT_ORDER_LINKS);
	size_t cap = 0;
	int nomem = 0;
	enum oms_err e;

	*out = NULL;
	*n = 0;
	oms_query_int(q, invoice);
	while (oms_query_row(q)) {
		if (grow(a, (void **)out, &cap, *n, sizeof(**out)) < 0) {
			nomem = 1;
			break;
		}
		(*out)[*n].order_line = oms_query_col_int(q, 0);
		(*out)[(*n)++].order = oms_query_col_int(q, 1);
	}
	e = oms_query_end(q);
	return e != OMS_OK ? e : nomem ? OMS_ERR_NOMEM : OMS_OK;
}

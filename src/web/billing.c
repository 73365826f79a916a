/*
 * billing.c: the finance pages of billing (issue 9, items 2 and 3):
 * the billing page (the next period to issue, the periods issued, the
 * preview of a period with per-customer totals, changes and warnings,
 * and the Issue button), the page of a run queued from it (state and
 * progress, refreshing itself while the run goes on), and the entry
 * and lists of payments and adjustments.
 *
 * Rules live in the domain: rating in src/domain/billing.c, runs,
 * payments and adjustments in src/domain/billrun.c.  These handlers
 * read the fields, call it and present what it answers.  A refused
 * value shows the form again with the domain's sentence (400, 409); a
 * change that went through answers 303.  Amounts go into documents as
 * integer cents, every total computed in C; the stylesheets format.
 *
 * Map: helpers; the billing page and the issue (oms_h_billing,
 * oms_h_billing_issue, oms_h_billing_run); payments (oms_h_payments,
 * oms_h_payment_new, oms_h_payment_create); adjustments (the same).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "billing.h"
#include "billrun.h"
#include "date.h"
#include "handlers.h"
#include "inventory.h"
#include "store.h"

#define ENTRIES_PER 50
#define RUNS_SHOWN 10
#define OPEN_INVOICES_SHOWN 24

/* ------------------------------------------------------------ helpers */

/* The text of field k, or NULL when absent. */
static const char *
ftext(const struct oms_req *req, enum oms_key k)
{
	return req->fields.f[k].present ? req->fields.f[k].s : NULL;
}

/* The status of a refused domain call: 400, 404, 409, 403; 0 other. */
static int
status_of(enum oms_err e)
{
	switch (e) {
	case OMS_ERR_INVAL: return 400;
	case OMS_ERR_NOTFOUND: return 404;
	case OMS_ERR_CONFLICT: return 409;
	case OMS_ERR_DENIED: return 403;
	default: return 0;
	}
}

/* The business date as YYYY-MM-DD in the arena. */
static const char *
today_text(struct oms_arena *a)
{
	char d[11];

	return oms_arena_strdup(a, oms_date_format(oms_date_today(), d));
}

/*
 * <customers> options of every customer in scope under parent, the one
 * with id selected marked.  OMS_OK or the error of the read.
 */
static enum oms_err
customer_options(struct oms_req *req, xmlNodePtr parent, int64_t selected)
{
	struct oms_customer *cs;
	size_t n;
	xmlNodePtr g;
	char buf[24];
	enum oms_err e;

	if ((e = oms_customer_names(req->st, req->arena, &req->scope, &cs,
	    &n)) != OMS_OK)
		return e;
	g = oms_node(parent, "customers");
	for (size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%lld", (long long)cs[i].id);
		oms_option(g, buf, oms_arena_printf(req->arena, "%s %s",
		    cs[i].code, cs[i].name), cs[i].id == selected);
	}
	return OMS_OK;
}

/* <customer id code name/> under parent for customer id in scope.
 * OMS_ERR_NOTFOUND when there is none. */
static enum oms_err
customer_node(struct oms_req *req, xmlNodePtr parent, int64_t id)
{
	struct oms_customer cu;
	xmlNodePtr n;
	enum oms_err e;

	if ((e = oms_customer_get(req->st, req->arena, &req->scope, id, &cu)) !=
	    OMS_OK)
		return e;
	n = oms_node(parent, "customer");
	oms_attr_int(n, "id", cu.id);
	oms_attr(n, "code", cu.code);
	oms_attr(n, "name", cu.name);
	return OMS_OK;
}

/* <pager> with prev/next links to base?customer=..&page=N. */
static void
pager(struct oms_arena *a, xmlNodePtr root, const char *base,
    int64_t customer, int64_t page, int64_t pages)
{
	xmlNodePtr n = oms_node(root, "pager"), l;
	const char *c = customer > 0 ? oms_arena_printf(a, "customer=%lld&",
	    (long long)customer) : "";

	if (page > 1) {
		l = oms_node(n, "link");
		oms_attr(l, "rel", "prev");
		oms_attr_int(l, "page", page - 1);
		oms_attr(l, "href", oms_arena_printf(a, "%s?%spage=%lld", base,
		    c, (long long)(page - 1)));
	}
	if (page < pages) {
		l = oms_node(n, "link");
		oms_attr(l, "rel", "next");
		oms_attr_int(l, "page", page + 1);
		oms_attr(l, "href", oms_arena_printf(a, "%s?%spage=%lld", base,
		    c, (long long)(page + 1)));
	}
}

/* ------------------------------------------- the billing page, runs */

/* <run .../> of r under parent. */
static void
run_node(struct oms_arena *a, xmlNodePtr parent, const struct oms_billrun *r)
{
	xmlNodePtr n = oms_node(parent, "run");
	char d[11];

	oms_attr_int(n, "id", r->id);
	oms_attr(n, "href", oms_arena_printf(a, "/billing/runs/%lld",
	    (long long)r->id));
	oms_attr(n, "period", r->period);
	oms_attr(n, "business-day", r->business_day ?
	    oms_arena_strdup(a, oms_date_format(r->business_day, d)) : NULL);
	oms_attr(n, "requested-by", r->requested_by);
	oms_attr(n, "requested-at", r->requested_at);
	oms_attr(n, "state", r->state);
	oms_attr_int(n, "done", r->done);
	oms_attr_int(n, "total", r->total);
	oms_attr_int(n, "invoices", r->invoices);
	oms_attr(n, "finished-at", r->finished_at);
	if (r->message != NULL)
		oms_node_text(n, "message", r->message);
}

/*
 * The billing page for period (NULL: the next to issue), with message
 * (or NULL) as an alert; keeps resp->status when set.  The preview
 * keeps per-customer totals only (oms_bill_preview), so 5,000
 * customers make one page of 5,000 rows.
 */
static void
billing_page(struct oms_req *req, struct oms_resp *resp, const char *period,
    const char *message)
{
	struct oms_arena *a = req->arena;
	struct oms_period_state *ps;
	struct oms_billrun *runs;
	struct oms_bill_preview pv;
	struct oms_bill_opts o;
	size_t nps, nruns;
	const char *issue_why = NULL, *preview_why = NULL;
	char next[8];
	int status = resp->status;
	int64_t news = 0, changed = 0;
	xmlNodePtr root, crumbs, n, list;
	enum oms_err e, pe;

	if ((e = oms_bill_next_period(req->st, next)) != OMS_OK ||
	    (e = oms_bill_periods(req->st, a, &ps, &nps)) != OMS_OK ||
	    (e = oms_billrun_recent(req->st, a, RUNS_SHOWN, &runs, &nruns)) !=
	    OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if (period == NULL)
		period = oms_arena_strdup(a, next);
	memset(&o, 0, sizeof(o));
	o.currency = req->conf->currency;
	o.backdate_days = req->conf->backdate_days;
	memset(&pv, 0, sizeof(pv));
	pe = oms_bill_preview(req->st, a, period, &o, &pv, &preview_why);
	if (pe != OMS_OK && status_of(pe) == 0) {
		oms_fail(resp, pe, NULL);
		return;
	}
	e = oms_billrun_check(req->st, period, oms_date_today(), &issue_why);
	if (e != OMS_OK && status_of(e) == 0) {
		oms_fail(resp, e, NULL);
		return;
	}

	if ((root = oms_page(req, resp, "billing", "Billing", &crumbs)) == NULL)
		return;
	/* A status set by the caller (409 for a refused issue) stands;
	 * else a refused preview answers with its own. */
	if (pe != OMS_OK && (status == 0 || status == 200))
		status = status_of(pe);
	if (status != 0)
		resp->status = status;
	oms_crumb(crumbs, NULL, "Billing");
	if (message != NULL)
		oms_node_text(root, "message", message);
	n = oms_node(root, "business-date");
	oms_attr(n, "date", today_text(a));
	n = oms_node(root, "next");
	oms_attr(n, "period", next);
	oms_attr(n, "href", oms_arena_printf(a, "/billing?period=%s", next));

	list = oms_node(root, "periods");
	for (size_t i = 0; i < nps; i++) {
		xmlNodePtr p = oms_node(list, "period");

		oms_attr(p, "period", ps[i].period);
		oms_attr(p, "state", ps[i].state);
		oms_attr(p, "business-day", ps[i].business_day);
		oms_attr_int(p, "invoices", ps[i].invoices);
	}
	list = oms_node(root, "runs");
	for (size_t i = 0; i < nruns; i++)
		run_node(a, list, &runs[i]);

	/* The form to preview another period. */
	n = oms_node(root, "filter");
	oms_attr(n, "action", "/billing");
	oms_attr(n, "period", period);

	n = oms_node(root, "issue");
	oms_attr(n, "period", period);
	if (e == OMS_OK && pe == OMS_OK && !pv.issued)
		oms_attr(n, "action", "/billing/issue");
	else
		oms_node_text(n, "why", issue_why ? issue_why : preview_why);

	n = oms_node(root, "preview");
	oms_attr(n, "period", pe == OMS_OK ? pv.period : period);
	if (pe != OMS_OK) {
		oms_attr(n, "state", "refused");
		oms_node_text(n, "why", preview_why ? preview_why :
		    "The period cannot be previewed.");
		return;
	}
	oms_attr(n, "state", pv.issued ? "issued" : "preview");
	oms_attr(n, "xml", oms_arena_printf(a, "/billing?period=%s&format=xml",
	    pv.period));
	list = oms_node(n, "invoices");
	for (size_t i = 0; i < pv.n; i++) {
		const struct oms_invoice *v = &pv.invoices[i];
		xmlNodePtr x = oms_node(list, "invoice");

		oms_attr(x, "customer-code", v->customer_code);
		oms_attr(x, "customer-name", v->customer_name);
		oms_attr_int(x, "customer", v->customer);
		oms_attr_int(x, "subtotal", v->subtotal);
		oms_attr_int(x, "tax", v->tax);
		oms_attr_int(x, "current", v->current);
		oms_attr_int(x, "previous", v->previous);
		oms_attr_int(x, "payments", v->payments);
		oms_attr_int(x, "total-due", v->total_due);
		if (v->previous_current < 0) {
			oms_attr(x, "change", "new");
			news++;
		} else {
			oms_attr_int(x, "previous-current", v->previous_current);
			oms_attr_int(x, "change", v->current -
			    v->previous_current);
			if (v->current != v->previous_current)
				changed++;
		}
	}
	oms_attr_int(list, "count", (int64_t)pv.n);
	oms_attr_int(list, "new", news);
	oms_attr_int(list, "changed", changed);
	oms_attr_int(list, "subtotal", pv.subtotal);
	oms_attr_int(list, "tax", pv.tax);
	oms_attr_int(list, "current", pv.current);
	oms_attr_int(list, "total-due", pv.total_due);
	list = oms_node(n, "warnings");
	oms_attr_int(list, "count", (int64_t)pv.nwarnings);
	for (size_t i = 0; i < pv.nwarnings; i++) {
		xmlNodePtr w = oms_node_text(list, "warning", pv.warnings[i].text);

		oms_attr(w, "customer-code", pv.warnings[i].customer_code);
	}
}

/*
 * GET /billing[?period=YYYY-MM]: the next period to issue, the periods
 * issued, the recent runs and the preview of the period chosen (the
 * next by default).  A malformed or refused period answers 400 with
 * the page and why.
 */
void
oms_h_billing(struct oms_req *req, struct oms_resp *resp)
{
	billing_page(req, resp, ftext(req, OMS_KEY_PERIOD), NULL);
}

/*
 * POST /billing/issue: queue a run of the period at the business date
 * for the user and 303 to its page; 409 with the billing page and why
 * when a run is queued or running or the period cannot be issued now,
 * 400 for a malformed period.
 */
void
oms_h_billing_issue(struct oms_req *req, struct oms_resp *resp)
{
	const char *period = ftext(req, OMS_KEY_PERIOD), *why = NULL;
	int64_t id = 0;
	enum oms_err e;

	if (period == NULL) {
		resp->status = 400;
		billing_page(req, resp, NULL, "Choose the period to issue.");
		return;
	}
	e = oms_billrun_queue(req->st, &req->actor, period, oms_date_today(),
	    &id, &why);
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena,
		    "/billing/runs/%lld", (long long)id);
		return;
	}
	if (status_of(e) == 0) {
		oms_fail(resp, e, NULL);
		return;
	}
	resp->status = status_of(e);
	resp->message = why;
	/* A malformed period cannot be previewed: show the next one. */
	billing_page(req, resp, e == OMS_ERR_INVAL ? NULL : period,
	    why ? why : "The run was refused.");
}

/*
 * GET /billing/runs/{id}: a run's state and progress; while it is
 * queued or running the page refreshes itself every 2 seconds.  404
 * for no such run.
 */
void
oms_h_billing_run(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_billrun r;
	xmlNodePtr root, crumbs, n;
	enum oms_err e;

	if ((e = oms_billrun_get(req->st, req->arena, req->ids[0], &r)) !=
	    OMS_OK) {
		oms_fail(resp, e, "There is no such billing run.");
		return;
	}
	if ((root = oms_page(req, resp, "billing-run", oms_arena_printf(
	    req->arena, "Billing run %lld: %s", (long long)r.id, r.period),
	    &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/billing", "Billing");
	oms_crumb(crumbs, NULL, oms_arena_printf(req->arena, "Run %lld",
	    (long long)r.id));
	run_node(req->arena, root, &r);
	if (r.state != NULL && (strcmp(r.state, "queued") == 0 ||
	    strcmp(r.state, "running") == 0)) {
		n = oms_node(root, "refresh");
		oms_attr_int(n, "seconds", 2);
	}
	/* Percent done, computed here (stylesheets do no arithmetic on
	 * what the page reports). */
	n = oms_node(root, "progress");
	oms_attr_int(n, "percent", r.total > 0 ? r.done * 100 / r.total :
	    r.state && strcmp(r.state, "done") == 0 ? 100 : 0);
}

/* ------------------------------------------------------------ payments */

/*
 * GET /payments[?customer=ID&page=N]: payments newest first, 50 a page,
 * of one customer or all; XML too.
 */
void
oms_h_payments(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_arena *a = req->arena;
	struct oms_payment *v;
	size_t n;
	int64_t total, pages, cust, page, sum = 0;
	xmlNodePtr root, crumbs, flt, list, r;
	enum oms_err e;

	cust = f[OMS_KEY_CUSTOMER].present ? f[OMS_KEY_CUSTOMER].i : 0;
	page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	if ((e = oms_payment_list(req->st, a, cust, ENTRIES_PER,
	    (page - 1) * ENTRIES_PER, &v, &n, &total)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	pages = total == 0 ? 1 : (total + ENTRIES_PER - 1) / ENTRIES_PER;
	if ((root = oms_page(req, resp, "payments", "Payments", &crumbs)) ==
	    NULL)
		return;
	oms_crumb(crumbs, "/billing", "Billing");
	oms_crumb(crumbs, NULL, "Payments");
	flt = oms_node(root, "filter");
	oms_attr(flt, "action", "/payments");
	if ((e = customer_options(req, flt, cust)) != OMS_OK) {
		resp->doc = NULL;
		oms_fail(resp, e, NULL);
		return;
	}
	oms_attr(oms_node(root, "links"), "new", cust > 0 ?
	    oms_arena_printf(a, "/payments/new?customer=%lld",
	    (long long)cust) : "/payments/new");
	r = oms_node(root, "result");
	oms_attr_int(r, "payments", total);
	oms_attr_int(r, "page", page);
	oms_attr_int(r, "pages", pages);
	oms_attr_int(r, "first", n ? (page - 1) * ENTRIES_PER + 1 : 0);
	oms_attr_int(r, "last", (page - 1) * ENTRIES_PER + (int64_t)n);
	list = oms_node(root, "payments");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr x = oms_node(list, "payment");

		oms_attr_int(x, "id", v[i].id);
		oms_attr(x, "reference", v[i].reference);
		oms_attr_int(x, "customer", v[i].customer);
		oms_attr(x, "customer-code", v[i].customer_code);
		oms_attr(x, "customer-name", v[i].customer_name);
		oms_attr(x, "date", v[i].paid_on);
		oms_attr_int(x, "amount", v[i].amount);
		oms_attr(x, "method", v[i].method);
		if (v[i].invoice > 0)
			oms_attr_int(x, "invoice", v[i].invoice);
		oms_attr(x, "created-by", v[i].created_by);
		sum += v[i].amount;
	}
	oms_attr_int(list, "count", (int64_t)n);
	oms_attr_int(list, "amount", sum);
	pager(a, root, "/payments", cust, page, pages);
}

/*
 * The payment form, for customer cust (0: the picker only), with the
 * values typed (in, or NULL) and message (or NULL); keeps
 * resp->status.  The customer's issued invoices are listed with their
 * total due.
 */
static void
payment_form(struct oms_req *req, struct oms_resp *resp, int64_t cust,
    const struct oms_payment_in *in, const char *message)
{
	struct oms_arena *a = req->arena;
	int status = resp->status;
	xmlNodePtr root, crumbs, form;
	enum oms_err e;

	if ((root = oms_page(req, resp, "payment-new", "New payment",
	    &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/billing", "Billing");
	oms_crumb(crumbs, "/payments", "Payments");
	oms_crumb(crumbs, NULL, "New payment");
	form = oms_node(root, "form");
	oms_attr(form, "action", "/payments/new");
	oms_attr(form, "date", in && in->date ? in->date : today_text(a));
	oms_attr(form, "amount", in ? in->amount : NULL);
	oms_attr(form, "method", in ? in->method : NULL);
	oms_attr(form, "reference", in ? in->reference : NULL);
	if (message != NULL)
		oms_node_text(form, "message", message);
	if ((e = customer_options(req, form, cust)) != OMS_OK)
		goto fail;
	if (cust > 0) {
		struct oms_invoice_head *h;
		size_t n;
		xmlNodePtr list;

		if ((e = customer_node(req, form, cust)) != OMS_OK ||
		    (e = oms_invoice_list(req->st, a, cust, NULL, 0, &h, &n)) !=
		    OMS_OK)
			goto fail;
		list = oms_node(form, "invoices");
		oms_attr_int(list, "count", (int64_t)n);
		for (size_t i = 0; i < n && i < OPEN_INVOICES_SHOWN; i++) {
			xmlNodePtr x = oms_node(list, "invoice");
			char d[11];

			oms_attr_int(x, "id", h[i].id);
			oms_attr_int(x, "number", h[i].number);
			oms_attr(x, "period", h[i].period);
			oms_attr(x, "date", oms_arena_strdup(a,
			    oms_date_format(h[i].invoice_date, d)));
			oms_attr(x, "due", oms_arena_strdup(a,
			    oms_date_format(h[i].due_date, d)));
			oms_attr_int(x, "current", h[i].current);
			oms_attr_int(x, "payments", h[i].payments);
			oms_attr_int(x, "total-due", h[i].total_due);
		}
	}
	return;
fail:
	resp->doc = NULL;
	oms_fail(resp, e, "There is no such customer.");
}

/* GET /payments/new[?customer=ID]: the payment form. */
void
oms_h_payment_new(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;

	payment_form(req, resp, f[OMS_KEY_CUSTOMER].present ?
	    f[OMS_KEY_CUSTOMER].i : 0, NULL, NULL);
}

/* The context of an entry: the actor, the business date, the
 * back-dating limit, the request's arena. */
static void
entry_ctx(struct oms_req *req, struct oms_entry_ctx *x)
{
	x->who = &req->actor;
	x->today = oms_date_today();
	x->backdate_days = req->conf->backdate_days;
	x->arena = req->arena;
}

/*
 * POST /payments/new: record the payment and 303 to the customer's
 * payments; a refused value shows the form again with why (400, 409;
 * 404 for a customer outside the scope).
 */
void
oms_h_payment_create(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_payment_in in;
	struct oms_entry_ctx x;
	struct oms_customer cu;
	const char *why = NULL;
	int64_t id;
	enum oms_err e;

	memset(&in, 0, sizeof(in));
	in.reference = ftext(req, OMS_KEY_REFERENCE);
	in.date = ftext(req, OMS_KEY_DATE);
	in.amount = ftext(req, OMS_KEY_AMOUNT);
	in.method = ftext(req, OMS_KEY_METHOD);
	if (!f[OMS_KEY_CUSTOMER].present) {
		resp->status = 400;
		payment_form(req, resp, 0, &in, "Choose the customer.");
		return;
	}
	in.customer = f[OMS_KEY_CUSTOMER].i;
	if ((e = oms_customer_get(req->st, req->arena, &req->scope,
	    in.customer, &cu)) != OMS_OK) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	entry_ctx(req, &x);
	e = oms_payment_add(req->st, &x, &in, &id, &why);
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena,
		    "/payments?customer=%lld", (long long)in.customer);
		return;
	}
	if (status_of(e) == 0 || why == NULL) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	resp->status = status_of(e);
	resp->message = why;
	payment_form(req, resp, in.customer, &in, why);
}

/* --------------------------------------------------------- adjustments */

/*
 * GET /adjustments[?customer=ID&page=N]: adjustments and credits newest
 * first, 50 a page, of one customer or all; XML too.
 */
void
oms_h_adjustments(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_arena *a = req->arena;
	struct oms_adjustment *v;
	size_t n;
	int64_t total, pages, cust, page, sum = 0;
	xmlNodePtr root, crumbs, flt, list, r;
	enum oms_err e;

	cust = f[OMS_KEY_CUSTOMER].present ? f[OMS_KEY_CUSTOMER].i : 0;
	page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	if ((e = oms_adjustment_list(req->st, a, cust, ENTRIES_PER,
	    (page - 1) * ENTRIES_PER, &v, &n, &total)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	pages = total == 0 ? 1 : (total + ENTRIES_PER - 1) / ENTRIES_PER;
	if ((root = oms_page(req, resp, "adjustments", "Adjustments",
	    &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/billing", "Billing");
	oms_crumb(crumbs, NULL, "Adjustments");
	flt = oms_node(root, "filter");
	oms_attr(flt, "action", "/adjustments");
	if ((e = customer_options(req, flt, cust)) != OMS_OK) {
		resp->doc = NULL;
		oms_fail(resp, e, NULL);
		return;
	}
	oms_attr(oms_node(root, "links"), "new", cust > 0 ?
	    oms_arena_printf(a, "/adjustments/new?customer=%lld",
	    (long long)cust) : "/adjustments/new");
	r = oms_node(root, "result");
	oms_attr_int(r, "adjustments", total);
	oms_attr_int(r, "page", page);
	oms_attr_int(r, "pages", pages);
	oms_attr_int(r, "first", n ? (page - 1) * ENTRIES_PER + 1 : 0);
	oms_attr_int(r, "last", (page - 1) * ENTRIES_PER + (int64_t)n);
	list = oms_node(root, "adjustments");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr x = oms_node(list, "adjustment");

		oms_attr_int(x, "id", v[i].id);
		oms_attr(x, "reference", v[i].reference);
		oms_attr_int(x, "customer", v[i].customer);
		oms_attr(x, "customer-code", v[i].customer_code);
		oms_attr(x, "customer-name", v[i].customer_name);
		oms_attr(x, "date", v[i].dated_on);
		oms_attr_int(x, "amount", v[i].amount);
		oms_attr(x, "description", v[i].description);
		oms_attr(x, "taxable", v[i].taxable ? "yes" : "no");
		oms_attr(x, "site-code", v[i].site_code);
		oms_attr(x, "cc-code", v[i].cc_code);
		oms_attr(x, "created-by", v[i].created_by);
		sum += v[i].amount;
	}
	oms_attr_int(list, "count", (int64_t)n);
	oms_attr_int(list, "amount", sum);
	pager(a, root, "/adjustments", cust, page, pages);
}

/*
 * The adjustment form, for customer cust (0: the picker only; else its
 * sites and cost centres to choose from), with the values typed (in,
 * or NULL) and message (or NULL); keeps resp->status.
 */
static void
adjustment_form(struct oms_req *req, struct oms_resp *resp, int64_t cust,
    const struct oms_adjustment_in *in, const char *message)
{
	struct oms_arena *a = req->arena;
	int status = resp->status;
	xmlNodePtr root, crumbs, form, g;
	char buf[24];
	enum oms_err e;

	if ((root = oms_page(req, resp, "adjustment-new",
	    "New adjustment or credit", &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/billing", "Billing");
	oms_crumb(crumbs, "/adjustments", "Adjustments");
	oms_crumb(crumbs, NULL, "New adjustment");
	form = oms_node(root, "form");
	oms_attr(form, "action", "/adjustments/new");
	oms_attr(form, "date", in && in->date ? in->date : today_text(a));
	oms_attr(form, "amount", in ? in->amount : NULL);
	oms_attr(form, "taxable", in == NULL || in->taxable ? "yes" : "no");
	oms_node_text(form, "description", in ? in->description : NULL);
	oms_node_text(form, "reason", in ? in->reason : NULL);
	if (message != NULL)
		oms_node_text(form, "message", message);
	if ((e = customer_options(req, form, cust)) != OMS_OK)
		goto fail;
	if (cust > 0) {
		struct oms_site *ss;
		struct oms_cost_centre *cc;
		size_t ns, nc;

		if ((e = customer_node(req, form, cust)) != OMS_OK ||
		    (e = oms_site_list(req->st, a, &req->scope, cust, &ss,
		    &ns)) != OMS_OK ||
		    (e = oms_cost_centre_list(req->st, a, &req->scope, cust,
		    &cc, &nc)) != OMS_OK)
			goto fail;
		g = oms_node(form, "sites");
		for (size_t i = 0; i < ns; i++) {
			snprintf(buf, sizeof(buf), "%lld", (long long)ss[i].id);
			oms_option(g, buf, oms_arena_printf(a, "%s %s",
			    ss[i].code, ss[i].name), in && in->site == ss[i].id);
		}
		g = oms_node(form, "costcentres");
		for (size_t i = 0; i < nc; i++) {
			snprintf(buf, sizeof(buf), "%lld", (long long)cc[i].id);
			oms_option(g, buf, oms_arena_printf(a, "%s %s",
			    cc[i].code, cc[i].name),
			    in && in->cost_centre == cc[i].id);
		}
	}
	return;
fail:
	resp->doc = NULL;
	oms_fail(resp, e, "There is no such customer.");
}

/* GET /adjustments/new[?customer=ID]: the adjustment form. */
void
oms_h_adjustment_new(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;

	adjustment_form(req, resp, f[OMS_KEY_CUSTOMER].present ?
	    f[OMS_KEY_CUSTOMER].i : 0, NULL, NULL);
}

/*
 * POST /adjustments/new: record the adjustment or credit and 303 to the
 * customer's adjustments; a refused value shows the form again with
 * why (400, 409; 404 for a customer outside the scope).
 */
void
oms_h_adjustment_create(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_adjustment_in in;
	struct oms_entry_ctx x;
	struct oms_customer cu;
	const char *why = NULL;
	int64_t id;
	enum oms_err e;

	memset(&in, 0, sizeof(in));
	in.date = ftext(req, OMS_KEY_DATE);
	in.amount = ftext(req, OMS_KEY_AMOUNT);
	in.description = ftext(req, OMS_KEY_DESCRIPTION);
	in.reason = ftext(req, OMS_KEY_REASON);
	in.taxable = f[OMS_KEY_TAXABLE].present && f[OMS_KEY_TAXABLE].i == 1;
	in.site = f[OMS_KEY_SITE].present ? f[OMS_KEY_SITE].i : 0;
	in.cost_centre = f[OMS_KEY_CC].present ? f[OMS_KEY_CC].i : 0;
	if (!f[OMS_KEY_CUSTOMER].present) {
		resp->status = 400;
		adjustment_form(req, resp, 0, &in, "Choose the customer.");
		return;
	}
	in.customer = f[OMS_KEY_CUSTOMER].i;
	if ((e = oms_customer_get(req->st, req->arena, &req->scope,
	    in.customer, &cu)) != OMS_OK) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	entry_ctx(req, &x);
	e = oms_adjustment_add(req->st, &x, &in, &id, &why);
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena,
		    "/adjustments?customer=%lld", (long long)in.customer);
		return;
	}
	if (status_of(e) == 0 || why == NULL) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	resp->status = status_of(e);
	resp->message = why;
	adjustment_form(req, resp, in.customer, &in, why);
}

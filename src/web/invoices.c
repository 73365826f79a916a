/*
 * invoices.c: the read side of billing (issue 9, items 4 and 5): the
 * list of issued invoices, the Summary Invoice (page, print, XML), the
 * Billing Report (page, print, CSV, XML) and a customer's account
 * statement.
 *
 * The invoice and the report go into the page through oms_invoice_xml
 * and oms_report_xml (billxml.h), so that a page's <invoice> or
 * <report> is element for element what `omsctl bill export` writes;
 * what the page adds (links, the paper size of the print layout) sits
 * beside it.  Every amount is integer cents computed by the domain
 * (billing.c, statement.c); the stylesheets format.
 *
 * Who sees what (DESIGN.md "Who may do what"): the route permission
 * OMS_PERM_INVOICES is held by the operator admin, finance and customer
 * users, not the Vendor (its row names no invoices).  A customer user
 * sees its own customer's invoices only: another customer's answers
 * 404, as a missing one does.  A customer user limited to some sites
 * sees none (an invoice covers every site of its customer, so showing
 * it would show the sites outside the user's scope): 404 and an empty
 * list.  The document shapes are in docs/views.md.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "billdocs.h"
#include "billing.h"
#include "billxml.h"
#include "date.h"
#include "distpage.h"
#include "documents.h"
#include "handlers.h"
#include "inventory.h"
#include "statement.h"
#include "store.h"
#include "strbuf.h"

#define INVOICES_PER 50
static const char no_invoice[] = "There is no such invoice.";

/*
 * The customer scope of the billing reads for the request's user in
 * *scope: 0 for staff (every customer), the user's customer for a
 * customer user, -1 (nothing) for a customer user limited to some
 * sites.  OMS_OK or the error of reading the principal.
 */
static enum oms_err
bill_scope(struct oms_req *req, struct oms_principal *p, int64_t *scope)
{
	enum oms_err e;

	if ((e = oms_req_principal(req, p)) != OMS_OK)
		return e;
	if (p->scope.customer < 0 || p->scope.site_user != 0)
		*scope = -1;
	else
		*scope = p->scope.customer;
	return OMS_OK;
}

/*
 * Read issued invoice req->ids[0] in the user's scope into *inv: whole
 * (its lines, taxes and the rest) when full, else its heading only
 * (oms_doc_invoice_head).  1 when read; 0 with resp set (404 for one
 * that does not exist or is out of scope, 5xx).
 */
static int
load_invoice(struct oms_req *req, struct oms_resp *resp,
    struct oms_invoice *inv, int full)
{
	struct oms_principal p;
	int64_t scope;
	enum oms_err e;

	if ((e = bill_scope(req, &p, &scope)) == OMS_OK) {
		if (scope < 0)
			e = OMS_ERR_NOTFOUND;
		else if (full)
			e = oms_invoice_get(req->st, req->arena, req->ids[0],
			    scope, inv);
		else
			e = oms_doc_invoice_head(req->st, req->arena,
			    req->ids[0], scope, inv);
	}
	if (e != OMS_OK) {
		oms_fail(resp, e, no_invoice);
		return 0;
	}
	return 1;
}

/*
 * Answer with stored document kind of invoice inv (the caller has
 * read it in the user's scope) as a whole body: 1 when it is there
 * (resp set), 0 when it is not made yet (resp untouched), -1 on an
 * error (resp set).  filename: the name a PDF is shown under, or NULL.
 */
static int
stored_body(struct oms_req *req, struct oms_resp *resp,
    const struct oms_invoice *inv, enum oms_doc_kind kind,
    const char *filename)
{
	const char *body;
	size_t len;
	enum oms_err e = oms_doc_get(req->st, req->arena, inv->id, kind,
	    &body, &len);

	if (e == OMS_ERR_NOTFOUND)
		return 0;
	if (e != OMS_OK) {
		oms_fail(resp, e, NULL);
		return -1;
	}
	resp->body = body;
	resp->body_len = len;
	resp->media = oms_doc_media[kind];
	resp->filename = filename;
	resp->inline_file = filename != NULL;
	return 1;
}

/* ------------------------------------------------------------------
 * The list
 */

/* The filters of the list, for links. */
struct list_state {
	int64_t customer;   /* 0: any */
	const char *period; /* NULL: any */
};

/* The URL of the list for s at page (1: left out).  Arena. */
static const char *
list_url(struct oms_arena *a, const struct list_state *s, int64_t page)
{
	struct oms_sb b;
	char sep = '?';

	oms_sb_init(&b, a);
	oms_sb_puts(&b, "/invoices");
	if (s->customer > 0) {
		oms_sb_add(&b, &sep, 1);
		oms_sb_puts(&b, "customer=");
		oms_sb_int(&b, s->customer);
		sep = '&';
	}
	if (s->period != NULL) {
		oms_sb_add(&b, &sep, 1);
		oms_sb_puts(&b, "period=");
		oms_sb_puts(&b, s->period);
		sep = '&';
	}
	if (page > 1) {
		oms_sb_add(&b, &sep, 1);
		oms_sb_puts(&b, "page=");
		oms_sb_int(&b, page);
	}
	return oms_sb_done(&b, NULL);
}

/* <NAME href/> under pager for page. */
static void
pager_link(struct oms_arena *a, xmlNodePtr pager, const char *name,
    const struct list_state *s, int64_t page)
{
	xmlNodePtr n = oms_node(pager, name);

	oms_attr(n, "href", list_url(a, s, page));
	oms_attr_int(n, "page", page);
}

/*
 * GET /invoices: the issued invoices in scope, newest period first,
 * filtered by customer (staff only) and period; 50 a page.  A period
 * that is not YYYY-MM answers 400 with the page and a message.
 */
void
oms_h_invoices(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_arena *a = req->arena;
	struct oms_principal p;
	struct oms_invoice_head *h = NULL;
	struct oms_customer *cs = NULL;
	struct oms_period per;
	struct list_state s;
	size_t nh = 0, ncs = 0;
	const char *bad = NULL;
	int64_t scope, page, pages, first, last;
	xmlNodePtr root, crumbs, n, g;
	enum oms_err e;
	char buf[32];

	if ((e = bill_scope(req, &p, &scope)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	s.customer = scope == 0 && f[OMS_KEY_CUSTOMER].present ?
	    f[OMS_KEY_CUSTOMER].i : 0;
	s.period = f[OMS_KEY_PERIOD].present ? f[OMS_KEY_PERIOD].s : NULL;
	page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	if (s.period != NULL && oms_period_parse(s.period, &per) != OMS_OK) {
		bad = "The period must be a month, YYYY-MM.";
		s.period = NULL;
	}
	if (bad == NULL && (e = oms_invoice_list(req->st, a, s.customer,
	    s.period, scope, &h, &nh)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if (scope == 0 && (e = oms_customer_names(req->st, a, &req->scope,
	    &cs, &ncs)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	pages = nh == 0 ? 1 : ((int64_t)nh + INVOICES_PER - 1) / INVOICES_PER;
	if (page > pages)
		page = pages;
	first = (page - 1) * INVOICES_PER;
	last = first + INVOICES_PER < (int64_t)nh ? first + INVOICES_PER :
	    (int64_t)nh;

	if ((root = oms_page(req, resp, "invoices", "Invoices", &crumbs)) ==
	    NULL)
		return;
	if (bad != NULL)
		resp->status = 400;
	oms_crumb(crumbs, NULL, "Invoices");
	n = oms_node(root, "filter");
	oms_attr(n, "action", "/invoices");
	oms_attr(n, "period", s.period);
	if (bad != NULL)
		oms_node_text(n, "message", bad);
	if (scope == 0) {
		g = oms_node(n, "customers");
		for (size_t i = 0; i < ncs; i++) {
			snprintf(buf, sizeof(buf), "%lld", (long long)cs[i].id);
			oms_option(g, buf, oms_arena_printf(a, "%s %s",
			    cs[i].code, cs[i].name), s.customer == cs[i].id);
		}
	}
	n = oms_node(root, "result");
	oms_attr_int(n, "invoices", (int64_t)nh);
	oms_attr_int(n, "page", page);
	oms_attr_int(n, "pages", pages);
	oms_attr_int(n, "first", nh ? first + 1 : 0);
	oms_attr_int(n, "last", last);
	n = oms_node(root, "pager");
	if (page > 1) {
		pager_link(a, n, "first", &s, 1);
		pager_link(a, n, "prev", &s, page - 1);
	}
	if (page < pages) {
		pager_link(a, n, "next", &s, page + 1);
		pager_link(a, n, "last", &s, pages);
	}
	n = oms_node(root, "invoices");
	for (int64_t i = first; i < last; i++) {
		const struct oms_invoice_head *x = &h[i];
		xmlNodePtr r = oms_node(n, "invoice");
		char d1[11], d2[11];

		oms_attr_int(r, "id", x->id);
		oms_attr_int(r, "number", x->number);
		oms_attr(r, "href", oms_arena_printf(a, "/invoices/%lld",
		    (long long)x->id));
		oms_attr(r, "report", oms_arena_printf(a,
		    "/invoices/%lld/report", (long long)x->id));
		oms_attr_int(r, "customer", x->customer);
		oms_attr(r, "customer-code", x->customer_code);
		oms_attr(r, "customer-name", x->customer_name);
		oms_attr(r, "period", x->period);
		oms_attr(r, "invoice-date", oms_date_format(x->invoice_date, d1));
		oms_attr(r, "due-date", oms_date_format(x->due_date, d2));
		oms_attr_int(r, "current", x->current);
		oms_attr_int(r, "payments", x->payments);
		oms_attr_int(r, "total-due", x->total_due);
	}
}

/* ------------------------------------------------------------------
 * The invoice and the report
 */

/*
 * Serve invoice or report page kind (OMS_DOC_INVOICE_HTML or
 * OMS_DOC_REPORT_HTML) of an issued invoice from its stored documents
 * when the billing job has stored them: the printable page whole
 * (the route's print stylesheet: /print, ?format=print), the page
 * (its page stylesheet) as a small document with <stored/>
 * whose body the pipeline splices in.  1 when answered (resp set, or
 * an error in resp); 0 to render live (not stored yet, or a format
 * the stored documents do not hold: XML, CSV).  *inv gets the
 * invoice's heading.
 */
static int
serve_stored(struct oms_req *req, struct oms_resp *resp,
    enum oms_doc_kind kind, struct oms_invoice *inv)
{
	struct oms_arena *a = req->arena;
	enum oms_doc_kind print = kind == OMS_DOC_INVOICE_HTML ?
	    OMS_DOC_INVOICE_PRINT : OMS_DOC_REPORT_PRINT;
	unsigned have;
	const char *body;
	size_t len;
	xmlNodePtr root, crumbs;
	enum oms_err e;
	int r;

	enum oms_sheet sheet = req->route->sheets[req->format];
	int want_print = sheet == OMS_SHEET_INVOICE_PRINT ||
	    sheet == OMS_SHEET_REPORT_PRINT;

	if (!want_print && sheet != OMS_SHEET_INVOICE &&
	    sheet != OMS_SHEET_REPORT)
		return 0;
	if (!load_invoice(req, resp, inv, 0))
		return 1;
	if (want_print)
		return stored_body(req, resp, inv, print, NULL) != 0;
	if ((e = oms_doc_kinds(req->st, inv->id, &have)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return 1;
	}
	if (!(have & (1u << kind)))
		return 0;
	e = oms_doc_get(req->st, a, inv->id, kind, &body, &len);
	if (e == OMS_ERR_NOTFOUND)
		return 0;
	if (e != OMS_OK) {
		oms_fail(resp, e, NULL);
		return 1;
	}
	if (kind == OMS_DOC_INVOICE_HTML)
		r = (root = oms_page(req, resp, "invoice", oms_arena_printf(a,
		    "Invoice %lld", (long long)inv->number), &crumbs)) != NULL;
	else
		r = (root = oms_page(req, resp, "report", oms_arena_printf(a,
		    "Billing Report %s %s", inv->customer_code, inv->period),
		    &crumbs)) != NULL;
	if (!r)
		return 1;
	oms_crumb(crumbs, "/invoices", "Invoices");
	if (kind == OMS_DOC_INVOICE_HTML) {
		oms_crumb(crumbs, oms_arena_printf(a,
		    "/invoices?customer=%lld", (long long)inv->customer),
		    inv->customer_name);
		oms_crumb(crumbs, NULL, oms_arena_printf(a,
		    "Invoice %lld (%s)", (long long)inv->number, inv->period));
	} else {
		oms_crumb(crumbs, oms_arena_printf(a, "/invoices/%lld",
		    (long long)inv->id), oms_arena_printf(a,
		    "Invoice %lld (%s)", (long long)inv->number, inv->period));
		oms_crumb(crumbs, NULL, "Billing Report");
	}
	oms_billdocs_links(a, root, inv, have, NULL);
	/* The delivery status: the live page's, never the stored body's. */
	if (kind == OMS_DOC_INVOICE_HTML && (e = oms_distpage_invoice(req,
	    root, inv->id, inv->customer)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return 1;
	}
	oms_node(root, "stored");
	resp->splice = body;
	resp->splice_len = len;
	return 1;
}

/*
 * GET /invoices/{id} (and /print, ?format=print|xml): the Summary
 * Invoice.  Once the billing job has stored its documents, the page
 * and the print layout are the stored ones (serve_stored); until then,
 * and always for XML: <links/>, <orders/> (the order behind each
 * one-time line, for its link) and <invoice> as oms_invoice_xml writes
 * it.  404 out of scope.
 */
void
oms_h_invoice(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	struct oms_invoice inv;
	unsigned have;
	xmlNodePtr root, crumbs;
	enum oms_err e;

	if (serve_stored(req, resp, OMS_DOC_INVOICE_HTML, &inv))
		return;
	if (!load_invoice(req, resp, &inv, 1))
		return;
	if ((e = oms_doc_kinds(req->st, inv.id, &have)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "invoice", oms_arena_printf(a,
	    "Invoice %lld", (long long)inv.number), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/invoices", "Invoices");
	oms_crumb(crumbs, oms_arena_printf(a, "/invoices?customer=%lld",
	    (long long)inv.customer), inv.customer_name);
	oms_crumb(crumbs, NULL, oms_arena_printf(a, "Invoice %lld (%s)",
	    (long long)inv.number, inv.period));
	oms_billdocs_links(a, root, &inv, have, NULL);
	if (req->format == OMS_FORMAT_HTML && (e = oms_distpage_invoice(req,
	    root, inv.id, inv.customer)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((e = oms_billdocs_orders(req->st, a, root, inv.id)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	oms_invoice_xml(root, &inv);
}

/*
 * GET /invoices/{id}/report (?format=csv|print|xml) and
 * /invoices/{id}/report.csv: the Billing Report of the invoice, stored
 * or live as for the invoice: <links/> and <report> as oms_report_xml
 * writes it.  404 out of scope.
 */
void
oms_h_invoice_report(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	struct oms_invoice inv;
	unsigned have;
	xmlNodePtr root, crumbs;
	enum oms_err e;

	if (serve_stored(req, resp, OMS_DOC_REPORT_HTML, &inv))
		return;
	if (!load_invoice(req, resp, &inv, 1))
		return;
	if ((e = oms_doc_kinds(req->st, inv.id, &have)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "report", oms_arena_printf(a,
	    "Billing Report %s %s", inv.customer_code, inv.period),
	    &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/invoices", "Invoices");
	oms_crumb(crumbs, oms_arena_printf(a, "/invoices/%lld",
	    (long long)inv.id), oms_arena_printf(a, "Invoice %lld (%s)",
	    (long long)inv.number, inv.period));
	oms_crumb(crumbs, NULL, "Billing Report");
	resp->filename = oms_arena_printf(a, "%s-%s-report.csv",
	    inv.customer_code, inv.period);
	oms_billdocs_links(a, root, &inv, have, NULL);
	oms_report_xml(root, &inv);
}

/*
 * GET /invoices/{id}/invoice.pdf and /invoices/{id}/report.pdf: the
 * stored PDF, shown in the browser as CUSTOMER-YYYY-MM-invoice.pdf (or
 * -report.pdf).  404 out of scope, and 404 with what to expect while
 * the billing job has not made it yet.
 */
static void
serve_pdf(struct oms_req *req, struct oms_resp *resp, enum oms_doc_kind kind)
{
	struct oms_invoice inv;
	int r;

	if (!load_invoice(req, resp, &inv, 0))
		return;
	r = stored_body(req, resp, &inv, kind, oms_arena_printf(req->arena,
	    "%s-%s-%s.pdf", inv.customer_code, inv.period,
	    kind == OMS_DOC_INVOICE_PDF ? "invoice" : "report"));
	if (r == 0) {
		int64_t lines = 0;
		int64_t max = req->conf->pdf_max_lines;

		if (max > 0 && oms_doc_lines(req->st, inv.id, &lines) ==
		    OMS_OK && lines > max)
			oms_fail(resp, OMS_ERR_NOTFOUND, oms_arena_printf(
			    req->arena, "Invoice %lld has %lld lines, more than "
			    "are made into a PDF (%lld): print it from its "
			    "printable page instead.", (long long)inv.number,
			    (long long)lines, (long long)max));
		else
			oms_fail(resp, OMS_ERR_NOTFOUND, oms_arena_printf(
			    req->arena, "The PDF of invoice %lld is not made "
			    "yet: the billing job makes it shortly after the "
			    "period is issued. The printable page is there "
			    "meanwhile.", (long long)inv.number));
	}
}

/* GET /invoices/{id}/invoice.pdf: see serve_pdf. */
void
oms_h_invoice_pdf(struct oms_req *req, struct oms_resp *resp)
{
	serve_pdf(req, resp, OMS_DOC_INVOICE_PDF);
}

/* GET /invoices/{id}/report.pdf: see serve_pdf. */
void
oms_h_report_pdf(struct oms_req *req, struct oms_resp *resp)
{
	serve_pdf(req, resp, OMS_DOC_REPORT_PDF);
}

/* ------------------------------------------------------------------
 * The statement
 */

/*
 * GET /customers/{id}/statement: the account statement of a customer
 * in scope: <customer/>, <statement> with its entries and totals
 * (statement.h), and <latest> holding the latest invoice's <invoice>
 * (its outstanding invoices and aging).  404 out of scope.
 */
void
oms_h_statement(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	struct oms_principal p;
	struct oms_customer cu;
	struct oms_statement sm;
	int64_t scope;
	xmlNodePtr root, crumbs, c, n;
	enum oms_err e;

	if ((e = bill_scope(req, &p, &scope)) != OMS_OK ||
	    (e = scope < 0 ? OMS_ERR_NOTFOUND : OMS_OK) != OMS_OK ||
	    (e = oms_customer_get(req->st, a, &req->scope, req->ids[0],
	    &cu)) != OMS_OK ||
	    (e = oms_may(req, OMS_ACTION_READ, &(struct oms_object){
	    OMS_OBJECT_CUSTOMER, cu.id, cu.id, 0})) != OMS_OK ||
	    (e = oms_statement_get(req->st, a, cu.id, scope, &sm)) != OMS_OK) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	if ((root = oms_page(req, resp, "statement", oms_arena_printf(a,
	    "%s: account statement", cu.name), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/customers", "Customers");
	oms_crumb(crumbs, oms_arena_printf(a, "/customers/%lld",
	    (long long)cu.id), cu.name);
	oms_crumb(crumbs, NULL, "Account statement");
	c = oms_node(root, "customer");
	oms_attr_int(c, "id", cu.id);
	oms_attr(c, "code", cu.code);
	oms_attr(c, "name", cu.name);
	oms_attr(c, "href", oms_arena_printf(a, "/customers/%lld",
	    (long long)cu.id));
	oms_attr(c, "invoices", oms_arena_printf(a, "/invoices?customer=%lld",
	    (long long)cu.id));

	n = oms_node(root, "statement");
	oms_attr_int(n, "entries", (int64_t)sm.n);
	oms_attr_int(n, "invoices", (int64_t)sm.ninvoices);
	oms_attr_int(n, "payments", (int64_t)sm.npayments);
	oms_attr_int(n, "adjustments", (int64_t)sm.nadjustments);
	oms_attr_int(n, "charges", sm.charges);
	oms_attr_int(n, "paid", sm.paid);
	oms_attr_int(n, "adjusted", sm.adjusted);
	oms_attr_int(n, "unbilled", sm.unbilled);
	oms_attr_int(n, "balance", sm.balance);
	for (size_t i = 0; i < sm.n; i++) {
		const struct oms_statement_entry *x = &sm.entries[i];
		xmlNodePtr r = oms_node(n, "entry");
		char d[11];

		oms_attr(r, "kind", oms_entry_kind_names[x->kind]);
		oms_attr_int(r, "id", x->id);
		oms_attr(r, "date", oms_date_format(x->date, d));
		if (x->ref[0] != '\0')
			oms_attr(r, "ref", x->ref);
		oms_attr(r, "text", x->text);
		oms_attr_int(r, "amount", x->amount);
		oms_attr_int(r, "change", x->change);
		oms_attr_int(r, "balance", x->balance);
		if (x->invoice > 0) {
			oms_attr_int(r, "invoice", x->invoice);
			oms_attr_int(r, "number", x->number);
			oms_attr(r, "href", oms_arena_printf(a,
			    "/invoices/%lld", (long long)x->invoice));
		}
		if (x->kind == OMS_ENTRY_INVOICE)
			oms_attr_int(r, "total-due", x->total_due);
		if (x->kind == OMS_ENTRY_ADJUSTMENT)
			oms_attr(r, "taxable", x->taxable ? "yes" : "no");
	}
	if (sm.has_latest) {
		n = oms_node(root, "latest");
		oms_attr(n, "href", oms_arena_printf(a, "/invoices/%lld",
		    (long long)sm.latest.id));
		oms_invoice_xml(n, &sm.latest);
	}
}

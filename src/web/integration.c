/*
 * integration.c: the integration pages (issue 10, item 6).
 *
 *   GET  /integration                      messages by system and state,
 *        the oldest waiting of each system, the dead ones with their
 *        reasons (paged), the unknown ones; ?system= narrows to one
 *        system; as CSV, every dead and unknown message
 *   GET  /integration/messages/{id}        one message: its body and the
 *        peer's reply pretty-printed, attempts, last error, timestamps,
 *        and a Resend button for a dead or delivered one
 *   POST /integration/messages/{id}/resend back to pending (audited)
 *   GET  /integration/reconcile?period=P   the reconciliation report
 *        (src/domain/monitor.h gives its definitions), also as CSV
 *
 * Who sees what.  The operator's administrators see every system and
 * resend.  Vendor and finance staff see the messages of their own
 * organisation's system only ("vendor", "finance"): the outbox holds
 * what OMS tells their systems, which they need to see when a message
 * is stuck, and nothing of the other organisation's.  A message of
 * another system answers 404, as one that does not exist.  Resending
 * stays the operator's (403 for staff): it changes what the exchange
 * does for every party.  The reconciliation report (permission
 * "reconcile") is the operator's and finance's: it compares leases
 * with billing.  The document shapes are in docs/views.md.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "auth.h"
#include "date.h"
#include "handlers.h"
#include "http.h"
#include "monitor.h"
#include "outbox.h"
#include "view.h"
#include "xmlin.h"

#define DEAD_PER 50          /* dead messages a page */
#define UNKNOWN_MAX 200      /* unknown messages listed on the page */
#define CSV_MAX 100000       /* messages or mismatches in one CSV */
#define RECON_PAGE_MAX 5000  /* mismatches on the HTML/XML page */

/* The text of field k, or NULL when absent. */
static const char *
ftext(const struct oms_req *req, enum oms_key k)
{
	return req->fields.f[k].present ? req->fields.f[k].s : NULL;
}

/*
 * The one system the request's user may see, or NULL for all (the
 * operator); "" for a role that sees none (never reached: the route's
 * permission keeps such roles out).
 */
static const char *
own_system(const struct oms_req *req)
{
	if (req->sess == NULL)
		return "";
	switch (req->sess->user.role) {
	case OMS_ROLE_ADMIN:
		return NULL;
	case OMS_ROLE_VENDOR:
		return "vendor";
	case OMS_ROLE_FINANCE:
		return "finance";
	default:
		return "";
	}
}

/* 1 when the user may resend (the operator's administrators). */
static int
may_resend(const struct oms_req *req)
{
	return req->sess != NULL && req->sess->user.role == OMS_ROLE_ADMIN;
}

/*
 * Seconds from UTC time iso ("YYYY-MM-DDTHH:MM:SS...") to now (unix
 * seconds), or -1 when iso is not such a time.  Never negative for a
 * time in the future: 0.
 */
static int64_t
age_of(const char *iso, int64_t now)
{
	int y, mo, d, h, mi, s;
	int64_t t;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d,
	    &h, &mi, &s) != 6 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	t = (int64_t)oms_date_from_ymd(y, mo, d) * 86400 + h * 3600 +
	    mi * 60 + s;
	return now > t ? now - t : 0;
}

/* "3 d 4 h", "2 h 5 min", "40 s": an age for people, in arena a. */
static const char *
age_text(struct oms_arena *a, int64_t secs)
{
	if (secs >= 86400)
		return oms_arena_printf(a, "%lld d %lld h",
		    (long long)(secs / 86400), (long long)(secs % 86400 / 3600));
	if (secs >= 3600)
		return oms_arena_printf(a, "%lld h %lld min",
		    (long long)(secs / 3600), (long long)(secs % 3600 / 60));
	if (secs >= 60)
		return oms_arena_printf(a, "%lld min", (long long)(secs / 60));
	return oms_arena_printf(a, "%lld s", (long long)secs);
}

/* Add <message .../> for m (no body) to parent; returns the node. */
static xmlNodePtr
msg_node(struct oms_arena *a, xmlNodePtr parent, const struct oms_outbox_msg *m)
{
	xmlNodePtr x = oms_node(parent, "message");

	oms_attr_int(x, "id", m->id);
	oms_attr(x, "href", oms_arena_printf(a, "/integration/messages/%lld",
	    (long long)m->id));
	oms_attr(x, "message-id", m->message_id);
	oms_attr(x, "system", m->system);
	oms_attr(x, "kind", m->kind);
	oms_attr(x, "seq-key", m->seq_key);
	oms_attr_int(x, "seq", m->seq);
	oms_attr(x, "state", oms_outbox_state_names[m->state]);
	oms_attr_int(x, "attempts", m->attempts);
	oms_attr(x, "next-attempt", m->next_attempt_at);
	oms_attr(x, "created", m->created_at);
	oms_attr(x, "updated", m->updated_at);
	if (m->asset_id > 0) {
		oms_attr_int(x, "asset-id", m->asset_id);
		oms_attr(x, "asset-href", oms_arena_printf(a, "/assets/%lld",
		    (long long)m->asset_id));
	}
	oms_attr(x, "asset", m->asset_tag);
	if (m->order_id > 0) {
		oms_attr_int(x, "order-id", m->order_id);
		oms_attr(x, "order-href", oms_arena_printf(a, "/orders/%lld",
		    (long long)m->order_id));
	}
	oms_attr(x, "order", m->order_ref);
	if (m->last_error != NULL)
		oms_node_text(x, "error", m->last_error);
	return x;
}

/*
 * <list state="S" total page pages>: the messages in state S (system:
 * NULL all), limit from offset.  OMS_OK or the store's error.
 */
static enum oms_err
state_list(struct oms_req *req, xmlNodePtr root, const char *state,
    const char *system, int64_t offset, int64_t limit, int64_t *total)
{
	struct oms_outbox_msg *m;
	size_t n;
	xmlNodePtr list;
	enum oms_err e;

	if ((e = oms_monitor_list(req->st, req->arena, state, system, offset,
	    limit, &m, &n, total)) != OMS_OK)
		return e;
	list = oms_node(root, "list");
	oms_attr(list, "state", state);
	oms_attr_int(list, "total", *total);
	oms_attr_int(list, "shown", (int64_t)n);
	for (size_t i = 0; i < n; i++)
		msg_node(req->arena, list, &m[i]);
	return OMS_OK;
}

/*
 * GET /integration[?system=S][&page=N]: the integration page.  The
 * counts table has one row a system (every state, zeros included, and
 * the total); the oldest waiting message of each system with its age;
 * the dead messages, DEAD_PER a page, oldest first; the unknown ones
 * (UNKNOWN_MAX at most).  As CSV: every dead and unknown message (up
 * to CSV_MAX).  500/503 when a read fails.
 */
void
oms_h_integration(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	const char *own = own_system(req), *system = ftext(req, OMS_KEY_SYSTEM);
	int csv = req->format == OMS_FORMAT_CSV;
	int64_t page = req->fields.f[OMS_KEY_PAGE].present ?
	    req->fields.f[OMS_KEY_PAGE].i : 1, dead = 0, unknown = 0, pages;
	struct oms_monitor_count *c;
	struct oms_monitor_oldest *o;
	size_t nc, no;
	xmlNodePtr root, crumbs, n, sys = NULL;
	enum oms_err e;

	if (system != NULL && system[0] == '\0')
		system = NULL;
	if (own != NULL)
		system = own;
	if ((e = oms_monitor_counts(req->st, a, system, &c, &nc)) != OMS_OK ||
	    (e = oms_monitor_oldest(req->st, a, system, &o, &no)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "integration", "Integration",
	    &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, NULL, "Integration");
	n = oms_node(root, "filter");
	oms_attr(n, "action", "/integration");
	oms_attr(n, "system", system);
	oms_attr(n, "fixed", own != NULL ? "yes" : NULL);
	oms_attr(n, "csv", oms_arena_printf(a, "/integration?format=csv%s%s",
	    system ? "&system=" : "", system ? system : ""));
	oms_attr(n, "xml", oms_arena_printf(a, "/integration?format=xml%s%s",
	    system ? "&system=" : "", system ? system : ""));
	if (req->sess != NULL &&
	    oms_role_may((int)req->sess->user.role, OMS_PERM_RECONCILE))
		oms_attr(n, "reconcile", "/integration/reconcile");

	/* Counts: one <system> a system (rows come sorted by system),
	 * every state given, zeros included, and the system's total. */
	n = oms_node(root, "counts");
	for (size_t i = 0; i < nc; i++) {
		if (i == 0 || strcmp(c[i - 1].system, c[i].system) != 0) {
			int64_t total = 0;

			for (size_t j = i; j < nc &&
			    strcmp(c[j].system, c[i].system) == 0; j++)
				total += c[j].n;
			sys = oms_node(n, "system");
			oms_attr(sys, "name", c[i].system);
			oms_attr(sys, "href", oms_arena_printf(a,
			    "/integration?system=%s", c[i].system));
			for (int s = 0; s < OMS_OUTBOX__MAX; s++) {
				int64_t k = 0;

				for (size_t j = i; j < nc &&
				    strcmp(c[j].system, c[i].system) == 0; j++)
					if (strcmp(c[j].state,
					    oms_outbox_state_names[s]) == 0)
						k = c[j].n;
				oms_attr_int(sys, oms_outbox_state_names[s], k);
			}
			oms_attr_int(sys, "total", total);
		}
	}

	/* The oldest waiting of each system, with its age. */
	n = oms_node(root, "oldest");
	for (size_t i = 0; i < no; i++) {
		xmlNodePtr x = oms_node(n, "waiting");
		int64_t age = age_of(o[i].created_at, req->now);

		oms_attr(x, "system", o[i].system);
		oms_attr_int(x, "id", o[i].id);
		oms_attr(x, "href", oms_arena_printf(a,
		    "/integration/messages/%lld", (long long)o[i].id));
		oms_attr(x, "created", o[i].created_at);
		if (age >= 0) {
			oms_attr_int(x, "age-seconds", age);
			oms_attr(x, "age", age_text(a, age));
		}
	}

	if ((e = state_list(req, root, "dead", system,
	    csv ? 0 : (page - 1) * DEAD_PER, csv ? CSV_MAX : DEAD_PER,
	    &dead)) != OMS_OK ||
	    (e = state_list(req, root, "unknown", system, 0,
	    csv ? CSV_MAX : UNKNOWN_MAX, &unknown)) != OMS_OK) {
		oms_doc_fail(resp->doc);
		oms_fail(resp, e, NULL);
		return;
	}
	pages = dead > 0 ? (dead + DEAD_PER - 1) / DEAD_PER : 1;
	n = oms_node(root, "result");
	oms_attr_int(n, "dead", dead);
	oms_attr_int(n, "unknown", unknown);
	oms_attr_int(n, "page", page);
	oms_attr_int(n, "pages", pages);
	if (!csv && pages > 1) {
		const char *base = oms_arena_printf(a, "/integration?%s%s%s",
		    system ? "system=" : "", system ? system : "",
		    system ? "&" : "");
		xmlNodePtr p = oms_node(root, "pager"), l;

		if (page > 1) {
			l = oms_node(p, "link");
			oms_attr(l, "rel", "prev");
			oms_attr(l, "href", oms_arena_printf(a, "%spage=%lld",
			    base, (long long)(page - 1)));
		}
		if (page < pages) {
			l = oms_node(p, "link");
			oms_attr(l, "rel", "next");
			oms_attr(l, "href", oms_arena_printf(a, "%spage=%lld",
			    base, (long long)(page + 1)));
		}
	}
	if (csv)
		resp->filename = "integration.csv";
}

/*
 * XML text pretty-printed (indented) for reading, in arena a.  It is
 * first read as untrusted input (oms_xml_read: no DOCTYPE, no network,
 * size and depth bounded: a peer's reply went into it), then, known
 * safe, parsed again without blank text and serialized with
 * indentation.  The text as it is when it does not parse; NULL for
 * NULL.
 */
static const char *
pretty(struct oms_arena *a, const char *text)
{
	xmlDocPtr doc = NULL;
	xmlChar *buf = NULL;
	const char *out;
	char err[200];
	size_t len;
	int n = 0;

	if (text == NULL)
		return NULL;
	len = strlen(text);
	if (oms_xml_read(text, len, NULL, &doc, err, sizeof(err)) != OMS_OK)
		return text;
	xmlFreeDoc(doc);
	if ((doc = xmlReadMemory(text, (int)len, NULL, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING)) == NULL)
		return text;
	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (buf == NULL)
		return text;
	out = oms_arena_strdup(a, (const char *)buf);
	xmlFree(buf);
	return out != NULL ? out : text;
}

/*
 * The message page of message id for the request's user, with alert
 * (or NULL) shown above it.  404 for a message of another system or
 * none; 500/503 when the read fails.
 */
static void
message_page(struct oms_req *req, struct oms_resp *resp, int64_t id,
    const char *alert)
{
	struct oms_arena *a = req->arena;
	const char *own = own_system(req);
	struct oms_monitor_msg d;
	xmlNodePtr root, crumbs, x;
	enum oms_err e;

	e = oms_monitor_get(req->st, a, id, &d);
	if (e == OMS_OK && own != NULL && strcmp(own, d.m.system) != 0)
		e = OMS_ERR_NOTFOUND;
	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such message.");
		return;
	}
	if ((root = oms_page(req, resp, "integration-message",
	    oms_arena_printf(a, "Message %lld: %s to %s", (long long)d.m.id,
	    d.m.kind, d.m.system), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/integration", "Integration");
	oms_crumb(crumbs, NULL, oms_arena_printf(a, "Message %lld",
	    (long long)d.m.id));
	if (alert != NULL)
		oms_node_text(root, "alert", alert);
	x = msg_node(a, root, &d.m);
	oms_attr(x, "claimed-by", d.claimed_by);
	oms_attr(x, "claim-until", d.claim_until);
	oms_attr(x, "delivered", d.delivered_at);
	if (d.invoice_id > 0) {
		oms_attr_int(x, "invoice-id", d.invoice_id);
		oms_attr(x, "invoice-href", oms_arena_printf(a, "/invoices/%lld",
		    (long long)d.invoice_id));
	}
	oms_node_text(x, "body", pretty(a, d.m.body));
	if (d.reply != NULL)
		oms_node_text(x, "reply", pretty(a, d.reply));
	if (may_resend(req) && (d.m.state == OMS_OUTBOX_DEAD ||
	    d.m.state == OMS_OUTBOX_DELIVERED)) {
		xmlNodePtr f = oms_node(root, "resend");

		oms_attr(f, "action", oms_arena_printf(a,
		    "/integration/messages/%lld/resend", (long long)d.m.id));
	}
}

/* GET /integration/messages/{id}: one message (message_page). */
void
oms_h_integration_message(struct oms_req *req, struct oms_resp *resp)
{
	message_page(req, resp, req->ids[0], NULL);
}

/*
 * POST /integration/messages/{id}/resend: a dead or delivered message
 * back to pending, audited (oms_outbox_resend), then 303 to its page.
 * 404 for no such message (or one of another system); 403 for staff
 * other than the operator's administrators; 409 with the page and why
 * for a message pending, sending or unknown.
 */
void
oms_h_integration_resend(struct oms_req *req, struct oms_resp *resp)
{
	const char *own = own_system(req), *why = NULL;
	struct oms_monitor_msg d;
	enum oms_err e;

	e = oms_monitor_get(req->st, req->arena, req->ids[0], &d);
	if (e == OMS_OK && own != NULL && strcmp(own, d.m.system) != 0)
		e = OMS_ERR_NOTFOUND;
	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such message.");
		return;
	}
	if (!may_resend(req)) {
		oms_fail(resp, OMS_ERR_DENIED, "Only the operator's "
		    "administrators resend messages.");
		return;
	}
	e = oms_outbox_resend(req->st, req->arena, &req->actor, req->ids[0],
	    &why);
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena,
		    "/integration/messages/%lld", (long long)req->ids[0]);
		return;
	}
	if (e == OMS_ERR_CONFLICT) {
		resp->status = 409;
		message_page(req, resp, req->ids[0], why);
		return;
	}
	oms_fail(resp, e, "There is no such message.");
}

/* The reconciliation page being built (oms_recon_fn's argument). */
struct recon_doc {
	struct oms_arena *a;
	xmlNodePtr list;     /* <mismatches> */
	int64_t n, max;      /* rows added, and the most to add */
};

/* Add one mismatch to the page (oms_recon_fn): <mismatch> with its
 * links; past d->max only counted.  OMS_OK. */
static enum oms_err
recon_row(void *arg, const struct oms_recon_row *r)
{
	struct recon_doc *d = arg;
	xmlNodePtr x;

	if (d->n >= d->max)
		return OMS_OK;
	d->n++;
	x = oms_node(d->list, "mismatch");
	oms_attr(x, "kind", oms_recon_kind_names[r->kind]);
	oms_attr(x, "label", oms_recon_kind_labels[r->kind]);
	if (r->asset_id > 0) {
		oms_attr_int(x, "asset-id", r->asset_id);
		oms_attr(x, "asset-href", oms_arena_printf(d->a, "/assets/%lld",
		    (long long)r->asset_id));
	}
	oms_attr(x, "asset", r->asset_tag);
	oms_attr(x, "customer", r->customer);
	if (r->order_id > 0) {
		oms_attr_int(x, "order-id", r->order_id);
		oms_attr(x, "order-href", oms_arena_printf(d->a, "/orders/%lld",
		    (long long)r->order_id));
	}
	oms_attr(x, "order", r->order_ref);
	oms_attr(x, "vendor-ref", r->vendor_ref);
	oms_attr(x, "vendor-status", r->vendor_status);
	if (r->invoice_id > 0) {
		oms_attr_int(x, "invoice-id", r->invoice_id);
		oms_attr_int(x, "invoice", r->invoice_number);
		oms_attr(x, "invoice-href", oms_arena_printf(d->a,
		    "/invoices/%lld", (long long)r->invoice_id));
	}
	oms_attr(x, "lease", r->lease_number);
	if (r->lease_cents >= 0)
		oms_attr_int(x, "lease-monthly", r->lease_cents);
	if (r->billed_cents >= 0)
		oms_attr_int(x, "billed-monthly", r->billed_cents);
	return OMS_OK;
}

/*
 * GET /integration/reconcile[?period=YYYY-MM]: the reconciliation
 * report of a period (the last month by the business date when none
 * is given): totals, the count of each kind, and each mismatch with
 * links to its asset, order and invoice (RECON_PAGE_MAX on the page,
 * CSV_MAX in the CSV; omsctl reconcile streams any number).  400 for a
 * malformed period; 500/503 when a read fails.
 */
void
oms_h_reconcile(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	const char *period = ftext(req, OMS_KEY_PERIOD);
	struct oms_recon_totals t;
	struct oms_period p;
	struct recon_doc d;
	xmlNodePtr root, crumbs, n;
	int64_t total = 0;
	enum oms_err e;
	int y, m, dd;

	if (period == NULL || period[0] == '\0') {
		oms_date_to_ymd(oms_date_today(), &y, &m, &dd);
		if (--m == 0) {
			m = 12;
			y--;
		}
		period = oms_arena_printf(a, "%04d-%02d", y, m);
	}
	if (period == NULL || oms_period_parse(period, &p) != OMS_OK) {
		oms_fail(resp, OMS_ERR_INVAL, "The period must be a month, "
		    "written YYYY-MM (2028-01).");
		return;
	}
	if ((root = oms_page(req, resp, "reconcile", oms_arena_printf(a,
	    "Reconciliation %s", period), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/integration", "Integration");
	oms_crumb(crumbs, NULL, oms_arena_printf(a, "Reconciliation %s",
	    period));
	n = oms_node(root, "filter");
	oms_attr(n, "action", "/integration/reconcile");
	oms_attr(n, "period", period);
	oms_attr(n, "csv", oms_arena_printf(a,
	    "/integration/reconcile?period=%s&format=csv", period));
	oms_attr(n, "xml", oms_arena_printf(a,
	    "/integration/reconcile?period=%s&format=xml", period));
	d.a = a;
	d.list = oms_node(root, "mismatches");
	d.n = 0;
	d.max = req->format == OMS_FORMAT_CSV ? CSV_MAX : RECON_PAGE_MAX;
	if ((e = oms_reconcile(req->st, period, &t, recon_row, &d)) != OMS_OK) {
		oms_doc_fail(resp->doc);
		oms_fail(resp, e, NULL);
		return;
	}
	for (int k = 0; k < OMS_RECON__MAX; k++)
		total += t.mismatches[k];
	oms_attr_int(d.list, "count", total);
	oms_attr_int(d.list, "shown", d.n);
	n = oms_node(root, "totals");
	oms_attr(n, "period", period);
	oms_attr_int(n, "in-service", t.in_service);
	oms_attr_int(n, "billed", t.billed);
	oms_attr_int(n, "leases", t.leases);
	oms_attr_int(n, "vendor-orders", t.vendor_orders);
	for (int k = 0; k < OMS_RECON__MAX; k++) {
		xmlNodePtr x = oms_node(n, "kind");

		oms_attr(x, "name", oms_recon_kind_names[k]);
		oms_attr(x, "label", oms_recon_kind_labels[k]);
		oms_attr_int(x, "count", t.mismatches[k]);
	}
	if (req->format == OMS_FORMAT_CSV)
		resp->filename = oms_arena_printf(a, "reconcile-%s.csv", period);
}

/*
 * orders.c: the pages of MAC orders (issue 8): the list with its
 * filters and CSV export, the new-order form, the order page with
 * exactly the workflow buttons the user may press, and the forms that
 * change an order (transitions, lines of a draft, the vendor's
 * identifiers, comments).
 *
 * Every rule lives in the domain (src/domain/orders.c, workflow.c):
 * these handlers read the request's fields, call it, and present what
 * it answers.  A refused change answers with the domain's sentence in
 * the page (403, 409 or 400), never a 500; a change that went through
 * answers 303 back to the order.  Money goes into the documents as
 * integer cents, totals computed by the domain; the stylesheets
 * format.  The document shapes are in docs/views.md.
 *
 * Map: context and helpers; the list (oms_h_orders); the new-order
 * form and its creation (oms_h_order_new, oms_h_order_create); the
 * order page (order_page, oms_h_order); the changes (act, lines,
 * fill, comments).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "catalog.h"
#include "date.h"
#include "handlers.h"
#include "inventory.h"
#include "money.h"
#include "orders.h"
#include "store.h"
#include "strbuf.h"
#include "workflow.h"

#define ORDERS_PER 50
#define ORDERS_CSV_MAX 100000
#define ORDER_ASSETS_MAX 2000
static const char no_order[] = "There is no such order.";

/* ------------------------------------------------------------------
 * Context and helpers
 */

/*
 * Fill ctx for the request's user: its principal in *p (which ctx
 * points at, so p must outlive ctx), the approver flag of its session,
 * the business date.  OMS_OK or the error reading the principal.
 */
static enum oms_err
order_ctx(struct oms_req *req, struct oms_principal *p,
    struct oms_order_ctx *ctx)
{
	enum oms_err e;

	memset(ctx, 0, sizeof(*ctx));
	if ((e = oms_req_principal(req, p)) != OMS_OK)
		return e;
	ctx->arena = req->arena;
	ctx->actor = &req->actor;
	ctx->who = p;
	ctx->approver = req->sess != NULL && req->sess->user.approver;
	ctx->today = oms_date_today();
	/* How far back a completion may be dated: [billing]
	 * backdate_days of oms.conf (92 by default). */
	ctx->backdate_days = req->conf->backdate_days;
	return OMS_OK;
}

/* The status a refused domain call answers with (oms_fail's). */
static int
status_of(enum oms_err e)
{
	switch (e) {
	case OMS_ERR_NOTFOUND: return 404;
	case OMS_ERR_DENIED: return 403;
	case OMS_ERR_CONFLICT: return 409;
	case OMS_ERR_INVAL: return 400;
	default: return 0;
	}
}

/* An id as decimal text in the arena (NULL when out of memory). */
static const char *
id_text(struct oms_arena *a, int64_t id)
{
	return oms_arena_printf(a, "%lld", (long long)id);
}

/* today as YYYY-MM-DD in the arena. */
static const char *
today_text(struct oms_arena *a)
{
	char buf[16];

	return oms_arena_strdup(a, oms_date_format(oms_date_today(), buf));
}

/* The text of a field, or NULL when absent. */
static const char *
ftext(const struct oms_field *f)
{
	return f->present ? f->s : NULL;
}

/*
 * One line of an order from the request's line fields (action, asset,
 * parent, product, cc, site when with_site, ports, identifiers, tag,
 * fee, reason).  OMS_OK; OMS_ERR_INVAL with *why for an unknown action
 * or a fee that is not an amount.  Strings are the fields' (arena).
 */
static enum oms_err
line_of_fields(struct oms_req *req, int with_site, struct oms_order_line *l,
    const char **why)
{
	const struct oms_field *f = req->fields.f;
	int act;

	memset(l, 0, sizeof(*l));
	l->fee_override = -1;
	l->ports = -1;
	act = f[OMS_KEY_ACTION].present ? oms_mac_lookup(f[OMS_KEY_ACTION].s) : -1;
	if (act < 0) {
		*why = "Choose an action: add, move, change, disconnect or add-on.";
		return OMS_ERR_INVAL;
	}
	l->action = (enum oms_mac)act;
	l->asset = f[OMS_KEY_ASSET].present ? f[OMS_KEY_ASSET].i : 0;
	l->parent = f[OMS_KEY_PARENT].present ? f[OMS_KEY_PARENT].i : 0;
	/* The form has one asset choice: for an add-on it is the parent. */
	if (l->action == OMS_MAC_ADDON && l->parent == 0)
		l->parent = l->asset;
	l->asset_tag = ftext(&f[OMS_KEY_TAG]);
	l->site = with_site && f[OMS_KEY_SITE].present ? f[OMS_KEY_SITE].i : 0;
	l->cost_centre = f[OMS_KEY_CC].present ? f[OMS_KEY_CC].i : 0;
	l->product = f[OMS_KEY_PRODUCT].present ? f[OMS_KEY_PRODUCT].i : 0;
	if (f[OMS_KEY_PORTS].present)
		l->ports = f[OMS_KEY_PORTS].i;
	l->number = ftext(&f[OMS_KEY_NUMBER]);
	l->extension = ftext(&f[OMS_KEY_EXTENSION]);
	l->mailbox = ftext(&f[OMS_KEY_MAILBOX]);
	l->serial = ftext(&f[OMS_KEY_SERIAL]);
	if (f[OMS_KEY_FEE].present) {
		int64_t c;

		if (oms_money_parse(f[OMS_KEY_FEE].s, &c) != OMS_OK || c < 0) {
			*why = "The fee override must be an amount such as 12.50.";
			return OMS_ERR_INVAL;
		}
		l->fee_override = c;
	}
	l->override_reason = ftext(&f[OMS_KEY_REASON]);
	return OMS_OK;
}

/*
 * Add the choices of a line form to parent: actions, the assets of
 * site in service (none when site is 0), products, the customer's
 * cost centres and sites, with the values of cur (NULL: none chosen)
 * selected; and whether the user may override a fee.  OMS_OK or the
 * error of a read.
 */
static enum oms_err
line_choices(struct oms_req *req, const struct oms_principal *p,
    xmlNodePtr parent, int64_t customer, int64_t site,
    const struct oms_order_line *cur)
{
	struct oms_arena *a = req->arena;
	struct oms_product *pr;
	struct oms_cost_centre *ccs;
	struct oms_site *sites;
	size_t npr, nccs, nsites;
	xmlNodePtr g;
	enum oms_err e;

	if ((e = oms_product_list(req->st, a, oms_date_today(), &pr, &npr)) != OMS_OK ||
	    (e = oms_cost_centre_list(req->st, a, &req->scope, customer, &ccs,
	    &nccs)) != OMS_OK ||
	    (e = oms_site_list(req->st, a, &req->scope, customer, &sites,
	    &nsites)) != OMS_OK)
		return e;
	oms_attr(parent, "override", p->role == OMS_ROLE_ADMIN ||
	    p->role == OMS_ROLE_VENDOR ? "yes" : "no");
	g = oms_node(parent, "actions");
	for (int i = 0; i < OMS_MAC__MAX; i++)
		oms_option(g, oms_mac_names[i], oms_mac_labels[i],
		    cur != NULL && (int)cur->action == i);
	g = oms_node(parent, "assets");
	if (site > 0) {
		struct oms_asset_query q;
		struct oms_asset_page res;

		memset(&q, 0, sizeof(q));
		q.site = site;
		q.type = -1;
		q.status = OMS_STATUS_ACTIVE;
		q.sort = OMS_SORT_NUMBER;
		q.limit = ORDER_ASSETS_MAX;
		if ((e = oms_asset_search(req->st, a, &req->scope, &q, &res)) != OMS_OK)
			return e;
		for (size_t i = 0; i < res.n; i++) {
			const struct oms_asset *r = &res.rows[i];
			const char *id = r->number ? r->number : r->serial ?
			    r->serial : r->mailbox ? r->mailbox : r->extension;

			oms_option(g, id_text(a, r->id), oms_arena_printf(a,
			    "%s · %s (%s)", id ? id : "—", r->product,
			    oms_asset_type_labels[r->type]), cur != NULL &&
			    (cur->asset == r->id || cur->parent == r->id));
		}
	}
	g = oms_node(parent, "products");
	for (size_t i = 0; i < npr; i++)
		oms_option(g, id_text(a, pr[i].id), oms_arena_printf(a, "%s %s",
		    pr[i].code, pr[i].name), cur != NULL &&
		    cur->product == pr[i].id);
	g = oms_node(parent, "costcentres");
	for (size_t i = 0; i < nccs; i++)
		oms_option(g, id_text(a, ccs[i].id), oms_arena_printf(a, "%s %s",
		    ccs[i].code, ccs[i].name), cur != NULL &&
		    cur->cost_centre == ccs[i].id);
	g = oms_node(parent, "sites");
	for (size_t i = 0; i < nsites; i++)
		oms_option(g, id_text(a, sites[i].id), oms_arena_printf(a,
		    "%s %s", sites[i].code, sites[i].name), cur != NULL &&
		    cur->site == sites[i].id);
	/* What was typed, for a form shown again. */
	if (cur != NULL) {
		xmlNodePtr v = oms_node(parent, "value");

		if (cur->ports >= 0)
			oms_attr_int(v, "ports", cur->ports);
		oms_attr(v, "number", cur->number);
		oms_attr(v, "extension", cur->extension);
		oms_attr(v, "mailbox", cur->mailbox);
		oms_attr(v, "serial", cur->serial);
		oms_attr(v, "tag", cur->asset_tag);
		if (cur->fee_override >= 0)
			oms_attr_int(v, "fee", cur->fee_override);
		oms_attr(v, "reason", cur->override_reason);
	}
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * The list
 */

/* The filters of the list, for links. */
struct list_state {
	int state, action;        /* -1: any */
	int64_t customer, site;   /* 0: any */
	const char *from, *to;    /* NULL: none */
	int64_t page;
};

/* The URL of the list for s; format non-NULL adds it.  Arena; NULL
 * when out of memory. */
static const char *
list_url(struct oms_arena *a, const struct list_state *s, int64_t page,
    const char *format)
{
	struct oms_sb b;
	char sep = '?';

	oms_sb_init(&b, a);
	oms_sb_puts(&b, "/orders");
#define KEY(k) do {                                                       \
		oms_sb_add(&b, &sep, 1);                                  \
		oms_sb_puts(&b, k "=");                                   \
		sep = '&';                                                \
	} while (0)
	if (s->state >= 0) {
		KEY("state");
		oms_sb_puts(&b, oms_order_state_names[s->state]);
	}
	if (s->customer > 0) {
		KEY("customer");
		oms_sb_int(&b, s->customer);
	}
	if (s->site > 0) {
		KEY("site");
		oms_sb_int(&b, s->site);
	}
	if (s->action >= 0) {
		KEY("action");
		oms_sb_puts(&b, oms_mac_names[s->action]);
	}
	if (s->from != NULL) {
		KEY("from");
		oms_sb_puts(&b, s->from);
	}
	if (s->to != NULL) {
		KEY("to");
		oms_sb_puts(&b, s->to);
	}
	if (page > 1) {
		KEY("page");
		oms_sb_int(&b, page);
	}
	if (format != NULL) {
		KEY("format");
		oms_sb_puts(&b, format);
	}
#undef KEY
	return oms_sb_done(&b, NULL);
}

/* One order of the list as <order .../> under list. */
static void
list_row(struct oms_arena *a, xmlNodePtr list, const struct oms_order *o)
{
	xmlNodePtr x = oms_node(list, "order");

	oms_attr_int(x, "id", o->id);
	oms_attr(x, "ref", o->ref);
	oms_attr(x, "href", oms_arena_printf(a, "/orders/%lld", (long long)o->id));
	oms_attr(x, "customer-code", o->customer_code);
	oms_attr(x, "customer-name", o->customer_name);
	oms_attr(x, "site-code", o->site_code);
	oms_attr(x, "site-name", o->site_name);
	oms_attr(x, "requester", o->requester);
	oms_attr(x, "requested", o->requested_on);
	oms_attr(x, "state", oms_order_state_names[o->state]);
	oms_attr(x, "state-label", oms_order_state_labels[o->state]);
	oms_attr(x, "scheduled", o->scheduled_on);
	oms_attr(x, "completed", o->completed_on);
	oms_attr_int(x, "version", o->version);
	oms_attr_int(x, "fee", o->fee_total);
	oms_attr_int(x, "mrc-before", o->mrc_before);
	oms_attr_int(x, "mrc-after", o->mrc_after);
	oms_attr_int(x, "mrc-change", o->mrc_change);
}

/*
 * GET /orders: the orders in scope, filtered by state, customer (staff),
 * site, action of a line and requested dates; 50 a page; CSV and XML.
 * A filter that is not valid answers 400 with the page and a message.
 */
void
oms_h_orders(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_arena *a = req->arena;
	struct oms_principal p;
	struct oms_order_filter flt;
	struct oms_order_page res;
	struct list_state s;
	struct oms_customer *cs = NULL;
	size_t ncs = 0;
	int csv = req->format == OMS_FORMAT_CSV;
	const char *bad = NULL;
	int32_t d;
	int64_t pages, cust;
	xmlNodePtr root, crumbs, n, g;
	enum oms_err e;

	if ((e = oms_req_principal(req, &p)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	s.state = f[OMS_KEY_STATE].present ? (int)f[OMS_KEY_STATE].i : -1;
	s.customer = p.role != OMS_ROLE_CUSTOMER && f[OMS_KEY_CUSTOMER].present ?
	    f[OMS_KEY_CUSTOMER].i : 0;
	s.site = f[OMS_KEY_SITE].present ? f[OMS_KEY_SITE].i : 0;
	s.action = -1;
	s.from = ftext(&f[OMS_KEY_FROM]);
	s.to = ftext(&f[OMS_KEY_TO]);
	s.page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	if (f[OMS_KEY_ACTION].present &&
	    (s.action = oms_mac_lookup(f[OMS_KEY_ACTION].s)) < 0)
		bad = "The action must be one of add, move, change, disconnect "
		    "or addon.";
	if (bad == NULL && s.from != NULL && oms_date_parse(s.from, &d) != OMS_OK)
		bad = "The 'from' date must be a date (YYYY-MM-DD).";
	if (bad == NULL && s.to != NULL && oms_date_parse(s.to, &d) != OMS_OK)
		bad = "The 'to' date must be a date (YYYY-MM-DD).";
	if (bad != NULL && csv) {
		oms_fail(resp, OMS_ERR_INVAL, bad);
		return;
	}

	memset(&flt, 0, sizeof(flt));
	memset(&res, 0, sizeof(res));
	flt.state = s.state;
	flt.customer = s.customer;
	flt.site = s.site;
	flt.action = s.action;
	flt.from = s.from;
	flt.to = s.to;
	flt.limit = csv ? ORDERS_CSV_MAX : ORDERS_PER;
	flt.offset = csv ? 0 : (s.page - 1) * ORDERS_PER;
	if (bad == NULL &&
	    (e = oms_order_list(req->st, a, &p, &flt, &res)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if (csv && res.total > ORDERS_CSV_MAX) {
		resp->status = 400;
		resp->message = oms_arena_printf(a, "%lld orders match; an export "
		    "holds at most %d. Narrow the filters.",
		    (long long)res.total, ORDERS_CSV_MAX);
		return;
	}
	pages = res.total == 0 ? 1 : (res.total + ORDERS_PER - 1) / ORDERS_PER;
	if (!csv && bad == NULL && s.page > pages) {
		s.page = pages;
		flt.offset = (s.page - 1) * ORDERS_PER;
		if ((e = oms_order_list(req->st, a, &p, &flt, &res)) != OMS_OK) {
			oms_fail(resp, e, NULL);
			return;
		}
	}
	if (!csv && (e = oms_customer_names(req->st, a, &req->scope, &cs,
	    &ncs)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}

	if ((root = oms_page(req, resp, "orders", "Orders", &crumbs)) == NULL)
		return;
	if (bad != NULL)
		resp->status = 400;
	oms_crumb(crumbs, NULL, "Orders");
	if (csv)
		resp->filename = "orders.csv";
	if (!csv) {
		char buf[32];

		n = oms_node(root, "filter");
		oms_attr(n, "action", "/orders");
		oms_attr(n, "from", s.from);
		oms_attr(n, "to", s.to);
		if (bad != NULL)
			oms_node_text(n, "message", bad);
		g = oms_node(n, "states");
		for (int i = 0; i < OMS_ORDER__MAX; i++)
			oms_option(g, oms_order_state_names[i],
			    oms_order_state_labels[i], s.state == i);
		g = oms_node(n, "actions");
		for (int i = 0; i < OMS_MAC__MAX; i++)
			oms_option(g, oms_mac_names[i], oms_mac_labels[i],
			    s.action == i);
		if (p.role != OMS_ROLE_CUSTOMER) {
			g = oms_node(n, "customers");
			for (size_t i = 0; i < ncs; i++) {
				snprintf(buf, sizeof(buf), "%lld", (long long)cs[i].id);
				oms_option(g, buf, oms_arena_printf(a, "%s %s",
				    cs[i].code, cs[i].name), s.customer == cs[i].id);
			}
		}
		/* Sites to choose from once the customer is known. */
		cust = p.role == OMS_ROLE_CUSTOMER ? p.scope.customer : s.customer;
		g = oms_node(n, "sites");
		if (cust > 0) {
			struct oms_site *sites;
			size_t nsites;

			if ((e = oms_site_list(req->st, a, &req->scope, cust,
			    &sites, &nsites)) != OMS_OK) {
				oms_fail(resp, e, NULL);
				return;
			}
			for (size_t i = 0; i < nsites; i++) {
				snprintf(buf, sizeof(buf), "%lld",
				    (long long)sites[i].id);
				oms_option(g, buf, oms_arena_printf(a, "%s %s",
				    sites[i].code, sites[i].name),
				    s.site == sites[i].id);
			}
		} else if (s.site > 0)
			oms_option(g, id_text(a, s.site), id_text(a, s.site), 1);

		n = oms_node(root, "result");
		oms_attr_int(n, "orders", res.total);
		oms_attr_int(n, "page", s.page);
		oms_attr_int(n, "pages", pages);
		oms_attr_int(n, "first", res.n ? flt.offset + 1 : 0);
		oms_attr_int(n, "last", flt.offset + (int64_t)res.n);
		n = oms_node(root, "pager");
		if (bad == NULL && s.page > 1) {
			g = oms_node(n, "link");
			oms_attr(g, "rel", "prev");
			oms_attr_int(g, "page", s.page - 1);
			oms_attr(g, "href", list_url(a, &s, s.page - 1, NULL));
		}
		if (bad == NULL && s.page < pages) {
			g = oms_node(n, "link");
			oms_attr(g, "rel", "next");
			oms_attr_int(g, "page", s.page + 1);
			oms_attr(g, "href", list_url(a, &s, s.page + 1, NULL));
		}
		n = oms_node(root, "export");
		oms_attr(n, "href", list_url(a, &s, 1, "csv"));
		oms_attr(n, "xml", list_url(a, &s, s.page, "xml"));
		n = oms_node(root, "links");
		/* The new-order link for whom the workflow lets write a
		 * draft (not finance, which reads). */
		{
			struct oms_order_facts draft;
			const char *why;

			memset(&draft, 0, sizeof(draft));
			draft.state = OMS_ORDER_DRAFT;
			draft.customer = p.role == OMS_ROLE_CUSTOMER ?
			    p.scope.customer : 1;
			draft.site = p.nsites > 0 ? p.sites[0] : 0;
			if (oms_workflow_may(&p, 0, &draft, OMS_VERB_EDIT, &why))
				oms_attr(n, "new", "/orders/new");
		}
	}
	n = oms_node(root, "orders");
	for (size_t i = 0; i < res.n; i++)
		list_row(a, n, &res.rows[i]);
}

/* ------------------------------------------------------------------
 * The new-order form
 */

/*
 * The site picker of /orders/new: each customer in scope with its
 * sites in scope, each linking to the form for that site.  message
 * (or NULL) says why the picker is shown again.
 */
static void
site_picker(struct oms_req *req, struct oms_resp *resp, const char *message)
{
	struct oms_arena *a = req->arena;
	struct oms_customer *cs;
	size_t ncs;
	int status = resp->status;
	xmlNodePtr root, crumbs, picker;
	enum oms_err e;

	if ((e = oms_customer_names(req->st, a, &req->scope, &cs, &ncs)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "order-new", "New order", &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/orders", "Orders");
	oms_crumb(crumbs, NULL, "New order");
	picker = oms_node(root, "picker");
	if (message != NULL)
		oms_node_text(picker, "message", message);
	for (size_t i = 0; i < ncs; i++) {
		struct oms_site *sites;
		size_t nsites;
		xmlNodePtr c;

		if ((e = oms_site_list(req->st, a, &req->scope, cs[i].id, &sites,
		    &nsites)) != OMS_OK) {
			resp->doc = NULL;
			oms_fail(resp, e, NULL);
			return;
		}
		c = oms_node(picker, "customer");
		oms_attr_int(c, "id", cs[i].id);
		oms_attr(c, "code", cs[i].code);
		oms_attr(c, "name", cs[i].name);
		for (size_t k = 0; k < nsites; k++) {
			xmlNodePtr x = oms_node(c, "site");

			oms_attr_int(x, "id", sites[k].id);
			oms_attr(x, "code", sites[k].code);
			oms_attr(x, "name", sites[k].name);
			oms_attr(x, "href", oms_arena_printf(a,
			    "/orders/new?site=%lld", (long long)sites[k].id));
		}
	}
}

/*
 * Read the site of the request (field "site") in scope into *site.
 * OMS_OK; OMS_ERR_NOTFOUND for one outside the scope or the policy.
 */
static enum oms_err
site_of(struct oms_req *req, int64_t id, struct oms_site *site)
{
	enum oms_err e;

	if ((e = oms_site_get(req->st, req->arena, &req->scope, id, site)) != OMS_OK)
		return e;
	return oms_may(req, OMS_ACTION_READ, &(struct oms_object){
	    OMS_OBJECT_SITE, site->id, site->customer.id, site->id});
}

/*
 * The new-order form for site: requested date (what was typed, or
 * today), notes, the first line (cur: what was typed, or NULL), and
 * message (or NULL) saying why it was refused.  resp->status is kept.
 */
static void
new_form(struct oms_req *req, struct oms_resp *resp,
    const struct oms_site *site, const char *requested, const char *notes,
    const struct oms_order_line *cur, const char *message)
{
	struct oms_arena *a = req->arena;
	struct oms_principal p;
	int status = resp->status;
	xmlNodePtr root, crumbs, form, n;
	enum oms_err e;

	if ((e = oms_req_principal(req, &p)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "order-new", oms_arena_printf(a,
	    "New order for %s %s", site->code, site->name), &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/orders", "Orders");
	oms_crumb(crumbs, oms_arena_printf(a, "/sites/%lld/assets",
	    (long long)site->id), oms_arena_printf(a, "%s %s", site->code,
	    site->name));
	oms_crumb(crumbs, NULL, "New order");
	form = oms_node(root, "form");
	oms_attr(form, "action", "/orders");
	oms_attr(form, "requested", requested ? requested : today_text(a));
	oms_node_text(form, "notes", notes);
	if (message != NULL)
		oms_node_text(form, "message", message);
	n = oms_node(form, "customer");
	oms_attr_int(n, "id", site->customer.id);
	oms_attr(n, "code", site->customer.code);
	oms_attr(n, "name", site->customer.name);
	n = oms_node(form, "site");
	oms_attr_int(n, "id", site->id);
	oms_attr(n, "code", site->code);
	oms_attr(n, "name", site->name);
	n = oms_node(form, "line");
	if ((e = line_choices(req, &p, n, site->customer.id, site->id, cur)) != OMS_OK) {
		resp->doc = NULL;
		oms_fail(resp, e, NULL);
	}
}

/*
 * GET /orders/new[?site=ID]: the form of a new order for a site in
 * scope (404 for another), or the site picker without a site.
 */
void
oms_h_order_new(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_site site;
	enum oms_err e;

	if (!f[OMS_KEY_SITE].present) {
		site_picker(req, resp, NULL);
		return;
	}
	if ((e = site_of(req, f[OMS_KEY_SITE].i, &site)) != OMS_OK) {
		oms_fail(resp, e, "There is no such site.");
		return;
	}
	new_form(req, resp, &site, NULL, NULL, NULL, NULL);
}

/*
 * POST /orders: record a draft for the form's site with its first line
 * and 303 to it; a refused value shows the form again with the
 * domain's sentence (400; 403 or 409 when the domain says so).
 */
void
oms_h_order_create(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order in;
	struct oms_order_line line;
	struct oms_site site;
	const char *why = NULL;
	int64_t id = 0;
	enum oms_err e;

	if (!f[OMS_KEY_SITE].present) {
		resp->status = 400;
		site_picker(req, resp, "Choose the site of the order.");
		return;
	}
	if ((e = site_of(req, f[OMS_KEY_SITE].i, &site)) != OMS_OK) {
		oms_fail(resp, e, "There is no such site.");
		return;
	}
	if ((e = order_ctx(req, &p, &ctx)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.customer = site.customer.id;
	in.site = site.id;
	in.requested_on = f[OMS_KEY_REQUESTED].present ?
	    f[OMS_KEY_REQUESTED].s : today_text(req->arena);
	in.notes = ftext(&f[OMS_KEY_NOTES]);
	e = line_of_fields(req, 0, &line, &why);
	if (e == OMS_OK) {
		in.lines = &line;
		in.nlines = 1;
		e = oms_order_create(req->st, &ctx, &in, &id, &why);
	}
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena, "/orders/%lld",
		    (long long)id);
		return;
	}
	if (status_of(e) == 0 || (e == OMS_ERR_NOTFOUND && why == NULL)) {
		oms_fail(resp, e, "There is no such site.");
		return;
	}
	resp->status = status_of(e);
	new_form(req, resp, &site, in.requested_on, in.notes, &line,
	    why ? why : "The order was refused.");
}

/* ------------------------------------------------------------------
 * The order page
 */

/*
 * 1 when the context's user may enter identifiers on o now: the role
 * that may complete it (oms_order_fill's rule), on an approved or
 * scheduled order.
 */
static int
may_fill(const struct oms_order_ctx *ctx, const struct oms_order *o)
{
	struct oms_order_facts f;
	const char *why;

	if (o->state != OMS_ORDER_APPROVED && o->state != OMS_ORDER_SCHEDULED)
		return 0;
	memset(&f, 0, sizeof(f));
	f.state = o->state;
	f.held_from = o->held_from;
	f.approval_required = o->approval_required;
	f.customer = o->customer;
	f.site = o->site;
	return oms_workflow_may(ctx->who, ctx->approver, &f, OMS_VERB_COMPLETE,
	    &why);
}

/* One line of o as <line .../> under list; may: the verbs bits; fill:
 * 1 when the user may enter its identifiers. */
static void
line_node(struct oms_arena *a, xmlNodePtr list, const struct oms_order *o,
    const struct oms_order_line *l, unsigned may, int fill)
{
	xmlNodePtr x = oms_node(list, "line");

	oms_attr_int(x, "no", l->line_no);
	oms_attr(x, "action", oms_mac_names[l->action]);
	oms_attr(x, "action-label", oms_mac_labels[l->action]);
	if (l->asset > 0) {
		oms_attr_int(x, "asset", l->asset);
		oms_attr(x, "asset-href", oms_arena_printf(a, "/assets/%lld",
		    (long long)l->asset));
	}
	oms_attr(x, "tag", l->tag);
	if (l->parent > 0) {
		oms_attr_int(x, "parent", l->parent);
		oms_attr(x, "parent-href", oms_arena_printf(a, "/assets/%lld",
		    (long long)l->parent));
	}
	oms_attr(x, "parent-tag", l->parent_tag);
	oms_attr(x, "site-code", l->site_code);
	oms_attr(x, "cc-code", l->cc_code);
	oms_attr(x, "product-code", l->product_code);
	oms_attr(x, "product-name", l->product_name);
	if (l->ports >= 0)
		oms_attr_int(x, "ports", l->ports);
	oms_attr(x, "number", l->number);
	oms_attr(x, "extension", l->extension);
	oms_attr(x, "mailbox", l->mailbox);
	oms_attr(x, "serial", l->serial);
	if (l->fee_priced)
		oms_attr_int(x, "fee", l->fee_cents);
	if (l->fee_override >= 0) {
		oms_attr_int(x, "override", l->fee_override);
		oms_attr(x, "reason", l->override_reason);
	}
	oms_attr_int(x, "fee-due", l->fee_due);
	oms_attr_int(x, "mrc-before", l->mrc_before);
	oms_attr_int(x, "mrc-after", l->mrc_after);
	oms_attr_int(x, "mrc-change", l->mrc_after - l->mrc_before);
	if ((may & (1u << OMS_VERB_EDIT)) && o->state == OMS_ORDER_DRAFT)
		oms_attr(x, "remove", oms_arena_printf(a,
		    "/orders/%lld/lines/%d/delete", (long long)o->id, l->line_no));
	if (fill)
		oms_attr(x, "fill", oms_arena_printf(a, "/orders/%lld/lines/%d",
		    (long long)o->id, l->line_no));
}

/*
 * The order page of order id as the request's user sees it, with
 * message (or NULL) and the status already in resp kept (a refused
 * change shows the order as it now is, with why).  cur (or NULL): the
 * line the add-line form showed, to show again.  404 for an order
 * outside the scope.
 */
static void
order_page(struct oms_req *req, struct oms_resp *resp, int64_t id,
    const char *message, const struct oms_order_line *cur)
{
	struct oms_arena *a = req->arena;
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o;
	unsigned may;
	int status = resp->status, fill;
	xmlNodePtr root, crumbs, x, n, g;
	enum oms_err e;

	if ((e = order_ctx(req, &p, &ctx)) != OMS_OK ||
	    (e = oms_order_get(req->st, a, &p, id, &o)) != OMS_OK) {
		oms_fail(resp, e, no_order);
		return;
	}
	may = oms_order_verbs(&ctx, &o);
	if ((root = oms_page(req, resp, "order", oms_arena_printf(a,
	    "Order %s", o.ref), &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/orders", "Orders");
	oms_crumb(crumbs, NULL, o.ref);
	x = oms_node(root, "order");
	oms_attr_int(x, "id", o.id);
	oms_attr(x, "ref", o.ref);
	oms_attr(x, "href", oms_arena_printf(a, "/orders/%lld", (long long)o.id));
	oms_attr_int(x, "customer", o.customer);
	oms_attr(x, "customer-code", o.customer_code);
	oms_attr(x, "customer-name", o.customer_name);
	if (o.site > 0) {
		oms_attr_int(x, "site", o.site);
		oms_attr(x, "site-href", oms_arena_printf(a, "/sites/%lld/assets",
		    (long long)o.site));
	}
	oms_attr(x, "site-code", o.site_code);
	oms_attr(x, "site-name", o.site_name);
	oms_attr(x, "requester", o.requester);
	oms_attr(x, "requested", o.requested_on);
	oms_attr(x, "state", oms_order_state_names[o.state]);
	oms_attr(x, "state-label", oms_order_state_labels[o.state]);
	if (o.state == OMS_ORDER_HELD && o.held_from < OMS_ORDER__MAX)
		oms_attr(x, "held-from", oms_order_state_names[o.held_from]);
	oms_attr_int(x, "version", o.version);
	oms_attr(x, "scheduled", o.scheduled_on);
	oms_attr(x, "completed", o.completed_on);
	oms_attr(x, "created", o.created_at);
	oms_attr(x, "updated", o.updated_at);
	oms_attr(x, "approval", o.approval_required ? "yes" : "no");
	oms_attr(x, "today", today_text(a));
	oms_node_text(x, "notes", o.notes);
	if (message != NULL)
		oms_node_text(x, "message", message);

	n = oms_node(x, "lines");
	oms_attr_int(n, "count", (int64_t)o.nlines);
	fill = may_fill(&ctx, &o);
	for (size_t i = 0; i < o.nlines; i++)
		line_node(a, n, &o, &o.lines[i], may, fill);
	n = oms_node(x, "totals");
	oms_attr_int(n, "fee", o.fee_total);
	oms_attr_int(n, "mrc-before", o.mrc_before);
	oms_attr_int(n, "mrc-after", o.mrc_after);
	oms_attr_int(n, "mrc-change", o.mrc_change);

	/* Exactly the buttons the user may press. */
	n = oms_node(x, "verbs");
	oms_attr(n, "action", oms_arena_printf(a, "/orders/%lld/act",
	    (long long)o.id));
	for (int v = 0; v < OMS_VERB__MAX; v++) {
		if (v == OMS_VERB_EDIT || v == OMS_VERB_COMMENT ||
		    !(may & (1u << v)))
			continue;
		g = oms_node(n, "verb");
		oms_attr(g, "name", oms_verb_names[v]);
		oms_attr(g, "label", oms_verb_labels[v]);
		if (v == OMS_VERB_SCHEDULE)
			oms_attr(g, "date", o.scheduled_on ? o.scheduled_on :
			    today_text(a));
		else if (v == OMS_VERB_COMPLETE)
			oms_attr(g, "date", today_text(a));
	}
	if (may & (1u << OMS_VERB_COMMENT))
		oms_attr(x, "comment", oms_arena_printf(a, "/orders/%lld/comments",
		    (long long)o.id));

	n = oms_node(x, "history");
	for (size_t i = 0; i < o.ntransitions; i++) {
		const struct oms_order_transition *t = &o.transitions[i];
		int fs = t->from_state ? oms_order_state_lookup(t->from_state) : -1;
		int ts = oms_order_state_lookup(t->to_state);

		g = oms_node_text(n, "transition", t->comment);
		oms_attr(g, "at", t->at);
		oms_attr(g, "login", t->login);
		if (fs >= 0) {
			oms_attr(g, "from", t->from_state);
			oms_attr(g, "from-label", oms_order_state_labels[fs]);
		}
		oms_attr(g, "to", t->to_state);
		oms_attr(g, "to-label", ts >= 0 ? oms_order_state_labels[ts] :
		    t->to_state);
	}
	n = oms_node(x, "comments");
	for (size_t i = 0; i < o.ncomments; i++) {
		g = oms_node_text(n, "comment", o.comments[i].body);
		oms_attr(g, "at", o.comments[i].at);
		oms_attr(g, "login", o.comments[i].login);
	}

	/* A draft the user may edit: the add-line form. */
	if ((may & (1u << OMS_VERB_EDIT)) && o.state == OMS_ORDER_DRAFT) {
		int64_t site = o.site > 0 ? o.site : o.nlines ? o.lines[0].site : 0;

		n = oms_node(x, "lineform");
		oms_attr(n, "action", oms_arena_printf(a, "/orders/%lld/lines",
		    (long long)o.id));
		if ((e = line_choices(req, &p, n, o.customer, site, cur)) != OMS_OK) {
			resp->doc = NULL;
			oms_fail(resp, e, NULL);
		}
	}
}

/* GET /orders/{id}: the order page (404 outside the scope). */
void
oms_h_order(struct oms_req *req, struct oms_resp *resp)
{
	order_page(req, resp, req->ids[0], NULL, NULL);
}

/* ------------------------------------------------------------------
 * Changes
 */

/*
 * Read order id for a change in *o with the request's context (p, ctx:
 * the caller's).  1 when it is in scope; else 0 with resp set (404,
 * 5xx).  A change to an order out of scope must answer as a missing
 * one before anything else is looked at.
 */
static int
load_for_change(struct oms_req *req, struct oms_resp *resp,
    struct oms_principal *p, struct oms_order_ctx *ctx, struct oms_order *o)
{
	enum oms_err e;

	if ((e = order_ctx(req, p, ctx)) != OMS_OK ||
	    (e = oms_order_get(req->st, req->arena, p, req->ids[0], o)) != OMS_OK) {
		oms_fail(resp, e, no_order);
		return 0;
	}
	return 1;
}

/*
 * Answer a change: 303 back to the order when e is OMS_OK; the order
 * page with why and the status of e (403, 409, 400) when refused; 404
 * or 5xx otherwise.  cur: the line to show again in the add-line form.
 */
static void
changed(struct oms_req *req, struct oms_resp *resp, enum oms_err e,
    const char *why, const struct oms_order_line *cur)
{
	int status = status_of(e);

	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena, "/orders/%lld",
		    (long long)req->ids[0]);
		return;
	}
	if (status == 0 || status == 404) {
		oms_fail(resp, e, no_order);
		return;
	}
	resp->status = status;
	order_page(req, resp, req->ids[0], why ? why : "The change was refused.",
	    cur);
}

/* The version field, or 0 with *why when missing. */
static int64_t
version_of(struct oms_req *req, const char **why)
{
	const struct oms_field *f = &req->fields.f[OMS_KEY_VERSION];

	if (!f->present) {
		*why = "The form did not say which version of the order it "
		    "showed: reload the order and try again.";
		return 0;
	}
	return f->i;
}

/*
 * POST /orders/{id}/act: take the verb (with its date and an optional
 * comment) on the order at the version the form showed.
 */
void
oms_h_order_act(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o;
	struct oms_order_act args;
	const char *why = NULL;
	int64_t version;
	enum oms_err e;

	if (!load_for_change(req, resp, &p, &ctx, &o))
		return;
	if (!f[OMS_KEY_VERB].present || f[OMS_KEY_VERB].i == OMS_VERB_EDIT) {
		changed(req, resp, OMS_ERR_INVAL, "Choose what to do with the "
		    "order.", NULL);
		return;
	}
	if ((version = version_of(req, &why)) == 0) {
		changed(req, resp, OMS_ERR_INVAL, why, NULL);
		return;
	}
	memset(&args, 0, sizeof(args));
	args.date = ftext(&f[OMS_KEY_DATE]);
	args.comment = ftext(&f[OMS_KEY_COMMENT]);
	e = oms_order_act(req->st, &ctx, o.id, version,
	    (enum oms_verb)f[OMS_KEY_VERB].i, &args, &why);
	changed(req, resp, e, why, NULL);
}

/*
 * POST /orders/{id}/lines: add a line to a draft.  The domain edits a
 * draft as a whole, so the order is read, the line appended to its
 * lines, and the whole saved at the version the form showed.
 */
void
oms_h_order_line_add(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o, in;
	struct oms_order_line line, *lines;
	const char *why = NULL;
	int64_t version;
	enum oms_err e;

	if (!load_for_change(req, resp, &p, &ctx, &o))
		return;
	if ((e = line_of_fields(req, 1, &line, &why)) != OMS_OK) {
		changed(req, resp, e, why, &line);
		return;
	}
	if ((version = version_of(req, &why)) == 0) {
		changed(req, resp, OMS_ERR_INVAL, why, &line);
		return;
	}
	if ((lines = oms_arena_alloc(req->arena, (o.nlines + 1) *
	    sizeof(*lines))) == NULL) {
		oms_fail(resp, OMS_ERR_NOMEM, NULL);
		return;
	}
	if (o.nlines > 0)
		memcpy(lines, o.lines, o.nlines * sizeof(*lines));
	lines[o.nlines] = line;
	in = o;
	in.lines = lines;
	in.nlines = o.nlines + 1;
	e = oms_order_edit(req->st, &ctx, o.id, version, &in, &why);
	changed(req, resp, e, why, &line);
}

/*
 * POST /orders/{id}/lines/{n}/delete: remove line n of a draft (the
 * others are numbered again from 1), at the version the form showed.
 */
void
oms_h_order_line_delete(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o, in;
	struct oms_order_line *lines;
	const char *why = NULL;
	int64_t version;
	size_t k = 0;
	int found = 0;
	enum oms_err e;

	if (!load_for_change(req, resp, &p, &ctx, &o))
		return;
	if ((version = version_of(req, &why)) == 0) {
		changed(req, resp, OMS_ERR_INVAL, why, NULL);
		return;
	}
	if ((lines = oms_arena_alloc(req->arena, (o.nlines + 1) *
	    sizeof(*lines))) == NULL) {
		oms_fail(resp, OMS_ERR_NOMEM, NULL);
		return;
	}
	for (size_t i = 0; i < o.nlines; i++) {
		if (o.lines[i].line_no == req->ids[1]) {
			found = 1;
			continue;
		}
		lines[k++] = o.lines[i];
	}
	if (!found) {
		changed(req, resp, OMS_ERR_INVAL, "This order has no such line.",
		    NULL);
		return;
	}
	in = o;
	in.lines = lines;
	in.nlines = k;
	e = oms_order_edit(req->st, &ctx, o.id, version, &in, &why);
	changed(req, resp, e, why, NULL);
}

/*
 * POST /orders/{id}/lines/{n}: the vendor's identifiers of line n
 * (number, extension, mailbox, serial) on an approved or scheduled
 * order, at the version the form showed.
 */
void
oms_h_order_fill(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o;
	struct oms_order_line ids;
	const char *why = NULL;
	int64_t version;
	enum oms_err e;

	if (!load_for_change(req, resp, &p, &ctx, &o))
		return;
	if ((version = version_of(req, &why)) == 0) {
		changed(req, resp, OMS_ERR_INVAL, why, NULL);
		return;
	}
	if (req->ids[1] > 500) {
		changed(req, resp, OMS_ERR_INVAL, "This order has no such line.",
		    NULL);
		return;
	}
	memset(&ids, 0, sizeof(ids));
	ids.number = ftext(&f[OMS_KEY_NUMBER]);
	ids.extension = ftext(&f[OMS_KEY_EXTENSION]);
	ids.mailbox = ftext(&f[OMS_KEY_MAILBOX]);
	ids.serial = ftext(&f[OMS_KEY_SERIAL]);
	e = oms_order_fill(req->st, &ctx, o.id, version, (int)req->ids[1], &ids,
	    &why);
	changed(req, resp, e, why, NULL);
}

/* POST /orders/{id}/comments: add a comment (any state). */
void
oms_h_order_comment(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_principal p;
	struct oms_order_ctx ctx;
	struct oms_order o;
	const char *why = NULL;
	enum oms_err e;

	if (!load_for_change(req, resp, &p, &ctx, &o))
		return;
	e = oms_order_comment(req->st, &ctx, o.id,
	    ftext(&req->fields.f[OMS_KEY_COMMENT]), &why);
	changed(req, resp, e, why, NULL);
}

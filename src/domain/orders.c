/*
 * orders.c: MAC orders (orders.h): recording and pricing lines, the
 * workflow's transitions as units of work, and completion into the
 * asset history with its domain events.
 *
 * Sections:
 *   names and small helpers
 *   reading orders (get, list, of an asset)
 *   checking and pricing a line
 *   create and edit (drafts)
 *   completion: applying each line to the inventory
 *   transitions and comments
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "history.h"
#include "inventory.h"
#include "orders.h"
#include "outbox.h"
#include "stmts.h"
#include "store.h"
#include "workflow.h"

/* ------------------------------------------------------------------
 * Names and small helpers
 */

/* Why a change at an old version is refused (409). */
static const char stale[] = "Someone changed this order since you opened "
    "it: reload it and try again.";

/* Bind v, or NULL when v <= 0 (an optional id). */
static void
bind_id(struct oms_query *q, int64_t v)
{
	if (v > 0)
		oms_query_int(q, v);
	else
		oms_query_null(q);
}

/* An empty string is no value: NULL. */
static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* ------------------------------------------------------------------
 * Reading orders
 */

/* An order from a row of OMS_SQL_ORDER_SELECT (oms_row_fn). */
static void
order_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_order *o = elem;
	int s = oms_order_state_lookup(oms_query_col_text(q, 11));
	int h = oms_order_state_lookup(oms_query_col_text(q, 12));

	o->id = oms_query_col_int(q, 0);
	o->ref = oms_query_col_dup(q, 1, a);
	o->customer = oms_query_col_int(q, 2);
	o->customer_code = oms_query_col_dup(q, 3, a);
	o->customer_name = oms_query_col_dup(q, 4, a);
	o->site = oms_query_col_int(q, 5);
	o->site_code = oms_query_col_dup(q, 6, a);
	o->site_name = oms_query_col_dup(q, 7, a);
	o->requester_id = oms_query_col_int(q, 8);
	o->requester = oms_query_col_dup(q, 9, a);
	o->requested_on = oms_query_col_dup(q, 10, a);
	o->state = s < 0 ? OMS_ORDER_DRAFT : (enum oms_order_state)s;
	o->held_from = h < 0 ? OMS_ORDER__MAX : (enum oms_order_state)h;
	o->version = oms_query_col_int(q, 13);
	o->notes = oms_query_col_dup(q, 14, a);
	o->scheduled_on = oms_query_col_dup(q, 15, a);
	o->completed_on = oms_query_col_dup(q, 16, a);
	o->created_at = oms_query_col_dup(q, 17, a);
	o->updated_at = oms_query_col_dup(q, 18, a);
	o->approval_required = oms_query_col_int(q, 19) != 0;
}

/* A line from a row of OMS_SQL_LINE_SELECT (oms_row_fn). */
static void
line_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_order_line *l = elem;
	int act = oms_mac_lookup(oms_query_col_text(q, 2));

	l->id = oms_query_col_int(q, 0);
	l->line_no = (int)oms_query_col_int(q, 1);
	l->action = act < 0 ? OMS_MAC_ADD : (enum oms_mac)act;
	l->asset = oms_query_col_int(q, 3);
	l->parent = oms_query_col_int(q, 4);
	l->asset_tag = oms_query_col_dup(q, 5, a);
	l->site = oms_query_col_int(q, 6);
	l->cost_centre = oms_query_col_int(q, 7);
	l->product = oms_query_col_int(q, 8);
	l->ports = oms_query_col_text(q, 9) ? oms_query_col_int(q, 9) : -1;
	l->number = oms_query_col_dup(q, 10, a);
	l->extension = oms_query_col_dup(q, 11, a);
	l->mailbox = oms_query_col_dup(q, 12, a);
	l->serial = oms_query_col_dup(q, 13, a);
	l->fee_cents = oms_query_col_int(q, 14);
	l->fee_priced = oms_query_col_int(q, 15) != 0;
	l->fee_override = oms_query_col_text(q, 16) ? oms_query_col_int(q, 16) : -1;
	l->override_reason = oms_query_col_dup(q, 17, a);
	l->mrc_before = oms_query_col_int(q, 18);
	l->mrc_after = oms_query_col_int(q, 19);
	l->tag = oms_query_col_dup(q, 20, a);
	l->parent_tag = oms_query_col_dup(q, 21, a);
	l->site_code = oms_query_col_dup(q, 22, a);
	l->cc_code = oms_query_col_dup(q, 23, a);
	l->product_code = oms_query_col_dup(q, 24, a);
	l->product_name = oms_query_col_dup(q, 25, a);
	l->fee_due = l->fee_override >= 0 ? l->fee_override :
	    l->fee_priced ? l->fee_cents : 0;
	if (l->tag == NULL)
		l->tag = l->asset_tag;
}

/* A transition from its row (oms_row_fn). */
static void
transition_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_order_transition *t = elem;

	t->at = oms_query_col_dup(q, 0, a);
	t->login = oms_query_col_dup(q, 1, a);
	t->from_state = oms_query_col_dup(q, 2, a);
	t->to_state = oms_query_col_dup(q, 3, a);
	t->comment = oms_query_col_dup(q, 4, a);
}

/* A comment from its row (oms_row_fn). */
static void
comment_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_order_comment *c = elem;

	c->at = oms_query_col_dup(q, 0, a);
	c->login = oms_query_col_dup(q, 1, a);
	c->body = oms_query_col_dup(q, 2, a);
}

/* The workflow's facts of order o. */
static void
facts_of(const struct oms_order *o, struct oms_order_facts *f)
{
	f->state = o->state;
	f->held_from = o->held_from;
	f->approval_required = o->approval_required;
	f->customer = o->customer;
	f->site = o->site;
}

/* The order row alone (lock: for update), without the visibility
 * check.  OMS_ERR_NOTFOUND when there is none. */
static enum oms_err
load(struct oms_store *st, struct oms_arena *a, int64_t id, int lock,
    struct oms_order *o)
{
	struct oms_query *q = oms_query(st, lock ? OMS_STMT_ORDER_GET_LOCK :
	    OMS_STMT_ORDER_GET);
	int found = 0;
	enum oms_err e;

	memset(o, 0, sizeof(*o));
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		order_row(q, a, o);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* The lines of o, priced as stored, and its totals. */
static enum oms_err
load_lines(struct oms_store *st, struct oms_arena *a, struct oms_order *o)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_LINES);
	void *v = NULL;
	enum oms_err e;

	oms_query_int(q, o->id);
	if ((e = oms_query_rows(q, a, sizeof(*o->lines), &v, &o->nlines,
	    line_row)) != OMS_OK)
		return e;
	o->lines = v;
	o->fee_total = o->mrc_before = o->mrc_after = 0;
	for (size_t i = 0; i < o->nlines; i++) {
		o->fee_total += o->lines[i].fee_due;
		o->mrc_before += o->lines[i].mrc_before;
		o->mrc_after += o->lines[i].mrc_after;
	}
	o->mrc_change = o->mrc_after - o->mrc_before;
	return OMS_OK;
}

/* Described in orders.h. */
enum oms_err
oms_order_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_principal *p, int64_t id, struct oms_order *out)
{
	struct oms_order_facts f;
	struct oms_query *q;
	void *v;
	enum oms_err e;

	if ((e = load(st, a, id, 0, out)) != OMS_OK)
		return e;
	facts_of(out, &f);
	if (!oms_workflow_visible(p, &f))
		return OMS_ERR_NOTFOUND;
	if ((e = load_lines(st, a, out)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_ORDER_TRANSITIONS);
	oms_query_int(q, id);
	v = NULL;
	if ((e = oms_query_rows(q, a, sizeof(*out->transitions), &v,
	    &out->ntransitions, transition_row)) != OMS_OK)
		return e;
	out->transitions = v;
	q = oms_query(st, OMS_STMT_ORDER_COMMENTS);
	oms_query_int(q, id);
	v = NULL;
	if ((e = oms_query_rows(q, a, sizeof(*out->comments), &v,
	    &out->ncomments, comment_row)) != OMS_OK)
		return e;
	out->comments = v;
	return OMS_OK;
}

/* Bind the filters and scope of OMS_SQL_ORDER_WHERE. */
static void
bind_filter(struct oms_query *q, const struct oms_order_filter *f,
    const struct oms_principal *p)
{
	const char *state = (unsigned)f->state < OMS_ORDER__MAX ?
	    oms_order_state_names[f->state] : NULL;
	const char *action = (unsigned)f->action < OMS_MAC__MAX ?
	    oms_mac_names[f->action] : NULL;
	int64_t sc = p->role == OMS_ROLE_CUSTOMER ? p->scope.customer : 0;
	int64_t su = p->role == OMS_ROLE_CUSTOMER ? p->scope.site_user : 0;

	/* A customer user without a customer sees nothing. */
	if (p->role == OMS_ROLE_CUSTOMER && sc <= 0)
		sc = -1;
	oms_query_text(q, state);
	oms_query_text(q, state);
	oms_query_int(q, f->customer);
	oms_query_int(q, f->customer);
	oms_query_int(q, f->site);
	oms_query_int(q, f->site);
	oms_query_text(q, action);
	oms_query_text(q, action);
	oms_query_text(q, f->from);
	oms_query_text(q, f->from);
	oms_query_text(q, f->to);
	oms_query_text(q, f->to);
	oms_query_int(q, sc);
	oms_query_int(q, sc);
	oms_query_int(q, su);
	oms_query_int(q, su);
}

/* Described in orders.h. */
enum oms_err
oms_order_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_principal *p, const struct oms_order_filter *f,
    struct oms_order_page *out)
{
	struct oms_query *q;
	void *v = NULL;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if (p == NULL || (unsigned)p->role >= OMS_ROLE__MAX || f->limit < 0 ||
	    f->offset < 0)
		return OMS_ERR_INVAL;
	q = oms_query(st, OMS_STMT_ORDER_COUNT);
	bind_filter(q, f, p);
	if (oms_query_row(q))
		out->total = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_ORDER_PAGE);
	bind_filter(q, f, p);
	oms_query_int(q, f->limit);
	oms_query_int(q, f->offset);
	if ((e = oms_query_rows(q, a, sizeof(*out->rows), &v, &out->n,
	    order_row)) != OMS_OK)
		return e;
	out->rows = v;
	for (size_t i = 0; i < out->n; i++) {
		struct oms_order *o = &out->rows[i];

		q = oms_query(st, OMS_STMT_ORDER_TOTALS);
		oms_query_int(q, o->id);
		if (oms_query_row(q)) {
			o->fee_total = oms_query_col_int(q, 0);
			o->mrc_before = oms_query_col_int(q, 1);
			o->mrc_after = oms_query_col_int(q, 2);
			o->mrc_change = o->mrc_after - o->mrc_before;
		}
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Described in orders.h. */
enum oms_err
oms_order_of_asset(struct oms_store *st, struct oms_arena *a,
    const struct oms_principal *p, int64_t asset, struct oms_order **out,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_OF_ASSET);
	struct oms_order *all;
	void *v = NULL;
	size_t k = 0;
	enum oms_err e;

	oms_query_int(q, asset);
	oms_query_int(q, asset);
	if ((e = oms_query_rows(q, a, sizeof(**out), &v, n, order_row)) != OMS_OK)
		return e;
	all = v;
	for (size_t i = 0; i < *n; i++) {
		struct oms_order_facts f;

		facts_of(&all[i], &f);
		if (oms_workflow_visible(p, &f))
			all[k++] = all[i];
	}
	*n = k;
	*out = k ? all : NULL;
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * Checking and pricing a line
 */

/* What a line needs to know of an asset. */
struct asset_info {
	int64_t id;
	int64_t customer;
	int64_t site;
	int64_t cost_centre;
	int64_t product;
	int64_t ports;
	int status;            /* enum oms_asset_status */
	const char *number, *extension, *mailbox, *serial;
	int64_t parent;
	int addon;             /* 1: its product is an add-on */
	int removed;           /* 1: it has a removal date */
	const char *tag;
};

/* Read asset id.  OMS_ERR_NOTFOUND when there is none. */
static enum oms_err
asset_info(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct asset_info *ai)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_ASSET);
	int found = 0;
	enum oms_err e;

	memset(ai, 0, sizeof(*ai));
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		int s = oms_name_index(oms_asset_status_names, OMS_STATUS__MAX,
		    oms_query_col_text(q, 6));
		const char *type = oms_query_col_text(q, 12);

		found = 1;
		ai->id = oms_query_col_int(q, 0);
		ai->customer = oms_query_col_int(q, 1);
		ai->site = oms_query_col_int(q, 2);
		ai->cost_centre = oms_query_col_int(q, 3);
		ai->product = oms_query_col_int(q, 4);
		ai->ports = oms_query_col_int(q, 5);
		ai->status = s < 0 ? OMS_STATUS_ACTIVE : s;
		ai->number = oms_query_col_dup(q, 7, a);
		ai->extension = oms_query_col_dup(q, 8, a);
		ai->mailbox = oms_query_col_dup(q, 9, a);
		ai->serial = oms_query_col_dup(q, 10, a);
		ai->parent = oms_query_col_int(q, 11);
		ai->addon = type != NULL && strcmp(type, "addon") == 0;
		ai->removed = oms_query_col_text(q, 13) != NULL;
		ai->tag = oms_query_col_dup(q, 14, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* The customer a site (stmt ORDER_SITE_CUSTOMER) or cost centre
 * (ORDER_CC_CUSTOMER) belongs to; 0 when there is none. */
static int64_t
owner(struct oms_store *st, int stmt, int64_t id, enum oms_err *e)
{
	struct oms_query *q = oms_query(st, stmt);
	int64_t c = 0;

	oms_query_int(q, id);
	if (oms_query_row(q))
		c = oms_query_col_int(q, 0);
	*e = oms_query_end(q);
	return c;
}

/* 1 when principal p may name site (a user limited to some sites only
 * those). */
static int
site_in_scope(const struct oms_principal *p, int64_t site)
{
	if (p->role != OMS_ROLE_CUSTOMER || p->scope.site_user == 0)
		return 1;
	for (size_t i = 0; i < p->nsites; i++)
		if (p->sites[i] == site)
			return 1;
	return 0;
}

/* The monthly recurring charge of product with ports for customer on
 * day `on`: 0 when no price is in effect. */
static enum oms_err
recurring(struct oms_store *st, struct oms_arena *a, int64_t customer,
    int64_t product, int64_t ports, int32_t on, int64_t *cents)
{
	struct oms_product pr;
	int64_t monthly;
	int contract;
	enum oms_err e;

	*cents = 0;
	if ((e = oms_product_lookup(st, a, product, &pr)) != OMS_OK)
		return e;
	e = oms_price_monthly(st, customer, product, on, &monthly, &contract);
	if (e == OMS_ERR_NOTFOUND)
		return OMS_OK;
	if (e != OMS_OK)
		return e;
	return oms_price_recurring(pr.charge, monthly, ports < 0 ? 0 : ports,
	    cents);
}

/* The monthly recurring charge of asset ai and, with addons, of its
 * add-ons in service, on day `on`. */
static enum oms_err
asset_recurring(struct oms_store *st, struct oms_arena *a,
    const struct asset_info *ai, int addons, int32_t on, int64_t *cents)
{
	struct oms_query *q;
	int64_t ids[256];
	size_t n = 0;
	enum oms_err e;

	if ((e = recurring(st, a, ai->customer, ai->product, ai->ports, on,
	    cents)) != OMS_OK || !addons)
		return e;
	q = oms_query(st, OMS_STMT_ORDER_ADDONS);
	oms_query_int(q, ai->id);
	while (oms_query_row(q))
		if (n < OMS_NELEM(ids))
			ids[n++] = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		struct asset_info ad;
		int64_t c;

		if ((e = asset_info(st, a, ids[i], &ad)) != OMS_OK ||
		    (e = recurring(st, a, ad.customer, ad.product, ad.ports, on,
		    &c)) != OMS_OK)
			return e;
		*cents += c;
	}
	return OMS_OK;
}

/* Set why to message m (made in the arena; NULL when out of memory:
 * a fixed one) and return code. */
static enum oms_err
refuse_msg(const char **why, enum oms_err code, const char *m)
{
	*why = m ? m : "This order line was refused.";
	return code;
}

/* refuse(arena, why, code, format with one %s, its argument). */
#define refuse(a, why, code, fmt, arg)                                      \
	refuse_msg((why), (code), oms_arena_printf((a), fmt, (arg)))

/*
 * Check line l of an order of customer for principal p and fill in
 * what it leaves to the asset (site, product, ports of an add, the
 * asset's product for a move); then price it at day `on` (fees and
 * monthly charges).  OMS_OK; OMS_ERR_INVAL, OMS_ERR_CONFLICT or
 * OMS_ERR_DENIED with *why; a store error.
 */
static enum oms_err
check_line(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t customer, int64_t order_site, int32_t on,
    struct oms_order_line *l, const char **why)
{
	struct oms_arena *a = ctx->arena;
	const struct oms_principal *p = ctx->who;
	char no[16];
	struct asset_info ai;
	struct oms_product pr;
	int64_t fee_product = 0;
	enum oms_err e = OMS_OK;

	snprintf(no, sizeof(no), "%d", l->line_no);
	memset(&ai, 0, sizeof(ai));
	if ((unsigned)l->action >= OMS_MAC__MAX)
		return refuse(a, why, OMS_ERR_INVAL, "Line %s: unknown action.", no);
	if (l->fee_override >= 0) {
		if (p->role != OMS_ROLE_ADMIN && p->role != OMS_ROLE_VENDOR)
			return refuse(a, why, OMS_ERR_DENIED, "Line %s: only the "
			    "vendor or an administrator may override a fee.", no);
		if (nonempty(l->override_reason) == NULL)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: a fee "
			    "override needs a reason.", no);
	} else
		l->override_reason = NULL;
	/* The asset acted on (or the parent of an add-on). */
	if (l->action != OMS_MAC_ADD) {
		int64_t id = l->action == OMS_MAC_ADDON ? l->parent : l->asset;

		if (id <= 0)
			return refuse(a, why, OMS_ERR_INVAL, l->action ==
			    OMS_MAC_ADDON ? "Line %s: an add-on needs its "
			    "parent asset." : "Line %s: choose the asset.", no);
		e = asset_info(st, a, id, &ai);
		if (e == OMS_ERR_NOTFOUND || (e == OMS_OK &&
		    (ai.customer != customer || !site_in_scope(p, ai.site))))
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: there is "
			    "no such asset of this customer.", no);
		if (e != OMS_OK)
			return e;
		if (ai.removed)
			return refuse(a, why, OMS_ERR_CONFLICT, "Line %s: the "
			    "asset is removed: it cannot change any more.", no);
	}
	switch (l->action) {
	case OMS_MAC_ADD:
	case OMS_MAC_ADDON:
		if (l->action == OMS_MAC_ADD) {
			/* e stays OMS_OK unless owner() ran and failed. */
			e = OMS_OK;
			if (l->site <= 0)
				l->site = order_site;
			if (l->site <= 0 || owner(st, OMS_STMT_ORDER_SITE_CUSTOMER,
			    l->site, &e) != customer || !site_in_scope(p, l->site))
				return e != OMS_OK ? e : refuse(a, why,
				    OMS_ERR_INVAL, "Line %s: choose a site of "
				    "this customer.", no);
			if (l->cost_centre <= 0 || owner(st,
			    OMS_STMT_ORDER_CC_CUSTOMER, l->cost_centre, &e) !=
			    customer)
				return e != OMS_OK ? e : refuse(a, why,
				    OMS_ERR_INVAL, "Line %s: choose a cost centre "
				    "of this customer.", no);
		} else {
			if (ai.addon)
				return refuse(a, why, OMS_ERR_INVAL, "Line %s: "
				    "an add-on cannot have add-ons.", no);
			l->site = ai.site;
			l->cost_centre = ai.cost_centre;
		}
		if (l->product <= 0)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: choose a "
			    "product.", no);
		e = oms_product_lookup(st, a, l->product, &pr);
		if (e == OMS_ERR_NOTFOUND)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: there is "
			    "no such product.", no);
		if (e != OMS_OK)
			return e;
		if ((pr.type == OMS_PRODUCT_TYPE_ADDON) !=
		    (l->action == OMS_MAC_ADDON))
			return refuse(a, why, OMS_ERR_INVAL, l->action ==
			    OMS_MAC_ADDON ? "Line %s: an add-on line needs an "
			    "add-on product." : "Line %s: an add-on product is "
			    "ordered with an add-on line.", no);
		if (l->ports < 0)
			l->ports = pr.min_ports > 1 ? pr.min_ports : 1;
		if (l->ports < pr.min_ports || l->ports > pr.max_ports) {
			const char *m = oms_arena_printf(a, "Line %d: %s takes "
			    "%lld to %lld ports.", l->line_no, pr.code,
			    (long long)pr.min_ports, (long long)pr.max_ports);

			*why = m ? m : "Ports out of range.";
			return OMS_ERR_INVAL;
		}
		fee_product = l->product;
		l->mrc_before = 0;
		if ((e = recurring(st, a, customer, l->product, l->ports, on,
		    &l->mrc_after)) != OMS_OK)
			return e;
		break;
	case OMS_MAC_MOVE:
		e = OMS_OK;
		if (ai.addon)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: an add-on "
			    "moves with its parent, not on its own.", no);
		if (l->site > 0 && (owner(st, OMS_STMT_ORDER_SITE_CUSTOMER,
		    l->site, &e) != customer || !site_in_scope(p, l->site)))
			return e != OMS_OK ? e : refuse(a, why, OMS_ERR_INVAL,
			    "Line %s: an asset moves only to a site of its own "
			    "customer.", no);
		if (l->cost_centre > 0 && owner(st, OMS_STMT_ORDER_CC_CUSTOMER,
		    l->cost_centre, &e) != customer)
			return e != OMS_OK ? e : refuse(a, why, OMS_ERR_INVAL,
			    "Line %s: an asset moves only to a cost centre of "
			    "its own customer.", no);
		if ((l->site <= 0 || l->site == ai.site) &&
		    (l->cost_centre <= 0 || l->cost_centre == ai.cost_centre))
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: a move "
			    "needs another site or cost centre.", no);
		fee_product = ai.product;
		if ((e = asset_recurring(st, a, &ai, 1, on, &l->mrc_before)) != OMS_OK)
			return e;
		l->mrc_after = l->mrc_before;
		break;
	case OMS_MAC_CHANGE: {
		int64_t product = l->product > 0 ? l->product : ai.product;
		int64_t ports = l->ports >= 0 ? l->ports : ai.ports;
		struct oms_product old;

		e = oms_product_lookup(st, a, product, &pr);
		if (e == OMS_ERR_NOTFOUND)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: there is "
			    "no such product.", no);
		if (e != OMS_OK ||
		    (e = oms_product_lookup(st, a, ai.product, &old)) != OMS_OK)
			return e;
		if (pr.type != old.type)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: a change "
			    "keeps the kind of asset (a line stays a line).", no);
		if (ports < pr.min_ports || ports > pr.max_ports)
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: the product "
			    "does not take that many ports.", no);
		if (l->product <= 0 && l->ports < 0 && !nonempty(l->number) &&
		    !nonempty(l->extension) && !nonempty(l->mailbox) &&
		    !nonempty(l->serial))
			return refuse(a, why, OMS_ERR_INVAL, "Line %s: a change "
			    "needs a new product, ports or identifier.", no);
		fee_product = product;
		if ((e = asset_recurring(st, a, &ai, 0, on, &l->mrc_before)) != OMS_OK ||
		    (e = recurring(st, a, customer, product, ports, on,
		    &l->mrc_after)) != OMS_OK)
			return e;
		break;
	}
	case OMS_MAC_DISCONNECT:
		fee_product = ai.product;
		if ((e = asset_recurring(st, a, &ai, 1, on, &l->mrc_before)) != OMS_OK)
			return e;
		l->mrc_after = 0;
		break;
	default:
		break;
	}
	e = oms_price_fee(st, l->action, fee_product, on, &l->fee_cents);
	if (e == OMS_ERR_NOTFOUND) {
		l->fee_cents = 0;
		l->fee_priced = 0;
	} else if (e != OMS_OK)
		return e;
	else
		l->fee_priced = 1;
	l->fee_due = l->fee_override >= 0 ? l->fee_override :
	    l->fee_priced ? l->fee_cents : 0;
	return OMS_OK;
}

/* Insert line l of order id. */
static enum oms_err
insert_line(struct oms_store *st, int64_t id, const struct oms_order_line *l)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_LINE_INSERT);

	oms_query_int(q, id);
	oms_query_int(q, l->line_no);
	oms_query_text(q, oms_mac_names[l->action]);
	bind_id(q, l->action == OMS_MAC_ADD || l->action == OMS_MAC_ADDON ?
	    0 : l->asset);
	bind_id(q, l->action == OMS_MAC_ADDON ? l->parent : 0);
	oms_query_text(q, l->action == OMS_MAC_ADD || l->action ==
	    OMS_MAC_ADDON ? nonempty(l->asset_tag) : NULL);
	bind_id(q, l->site);
	bind_id(q, l->cost_centre);
	bind_id(q, l->product);
	if (l->ports >= 0)
		oms_query_int(q, l->ports);
	else
		oms_query_null(q);
	oms_query_text(q, nonempty(l->number));
	oms_query_text(q, nonempty(l->extension));
	oms_query_text(q, nonempty(l->mailbox));
	oms_query_text(q, nonempty(l->serial));
	oms_query_int(q, l->fee_cents);
	oms_query_int(q, l->fee_priced);
	if (l->fee_override >= 0)
		oms_query_int(q, l->fee_override);
	else
		oms_query_null(q);
	oms_query_text(q, l->fee_override >= 0 ? l->override_reason : NULL);
	oms_query_int(q, l->mrc_before);
	oms_query_int(q, l->mrc_after);
	return oms_query_exec(q);
}

/* Check, price and insert the lines of in as the lines of order id. */
static enum oms_err
put_lines(struct oms_store *st, const struct oms_order_ctx *ctx, int64_t id,
    int64_t customer, const struct oms_order *in, int32_t on, const char **why)
{
	enum oms_err e;

	if (in->nlines == 0) {
		*why = "An order needs at least one line.";
		return OMS_ERR_INVAL;
	}
	if (in->nlines > 500) {
		*why = "An order has at most 500 lines.";
		return OMS_ERR_INVAL;
	}
	for (size_t i = 0; i < in->nlines; i++) {
		struct oms_order_line l = in->lines[i];

		l.line_no = (int)i + 1;
		if ((e = check_line(st, ctx, customer, in->site, on, &l, why)) != OMS_OK ||
		    (e = insert_line(st, id, &l)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Record a transition of order id (from NULL for the creation) and its
 * audit record. */
static enum oms_err
record(struct oms_store *st, const struct oms_order_ctx *ctx, int64_t id,
    const char *ref, const char *verb, const char *from, const char *to,
    const char *comment)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_TRANSITION_ADD);
	char now[32];
	const char *before, *after;
	enum oms_err e;

	oms_now_iso(now, sizeof(now));
	oms_query_int(q, id);
	oms_query_text(q, now);
	bind_id(q, ctx->actor->user_id);
	oms_query_text(q, ctx->actor->login);
	oms_query_text(q, from);
	oms_query_text(q, to);
	oms_query_text(q, nonempty(comment));
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	before = from ? oms_audit_kv(ctx->arena, "state", from, NULL) : NULL;
	after = oms_audit_kv(ctx->arena, "state", to, "comment",
	    nonempty(comment), NULL);
	if ((from && before == NULL) || after == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, ctx->actor, "order", ref, verb, before, after);
}

/* ------------------------------------------------------------------
 * Create and edit
 */

/* 1 when ref has the form of OMS's own series (ORD and digits). */
static int
series_ref(const char *ref)
{
	if (strncmp(ref, "ORD", 3) != 0 || ref[3] == '\0')
		return 0;
	for (const char *p = ref + 3; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/* Described in orders.h. */
enum oms_err
oms_order_create_in(struct oms_store *st, const struct oms_order_ctx *ctx,
    const struct oms_order *in, int64_t *id, const char **why)
{
	struct oms_order_facts f;
	struct oms_query *q;
	char now[32], refbuf[32];
	const char *ref = in->ref;
	int32_t on;
	int approval;
	enum oms_err e;

	*id = 0;
	*why = NULL;
	if (in->requested_on == NULL ||
	    oms_date_parse(in->requested_on, &on) != OMS_OK) {
		*why = "The requested date must be a date (YYYY-MM-DD).";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_ORDER_CUSTOMER);
	oms_query_int(q, in->customer);
	approval = -1;
	if (oms_query_row(q))
		approval = oms_query_col_int(q, 0) != 0;
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	memset(&f, 0, sizeof(f));
	f.state = OMS_ORDER_DRAFT;
	f.customer = in->customer;
	f.site = in->site;
	f.approval_required = approval > 0;
	if (approval < 0 || !oms_workflow_visible(ctx->who, &f)) {
		*why = "There is no such customer.";
		return OMS_ERR_INVAL;
	}
	if (!oms_workflow_may(ctx->who, ctx->approver, &f, OMS_VERB_EDIT, why))
		return OMS_ERR_DENIED;
	if (in->site > 0 && owner(st, OMS_STMT_ORDER_SITE_CUSTOMER, in->site,
	    &e) != in->customer) {
		if (e != OMS_OK)
			return e;
		*why = "The site is not one of this customer's.";
		return OMS_ERR_INVAL;
	}
	if (ref != NULL) {
		int64_t n = 0;

		if (*ref == '\0' || strlen(ref) > 32 || series_ref(ref)) {
			*why = "An order reference is 1 to 32 characters and not "
			    "of the form ORD followed by digits (OMS's own "
			    "series).";
			return OMS_ERR_INVAL;
		}
		q = oms_query(st, OMS_STMT_ORDER_REF_USED);
		oms_query_text(q, ref);
		if (oms_query_row(q))
			n = oms_query_col_int(q, 0);
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		if (n > 0) {
			*why = "That order reference is taken.";
			return OMS_ERR_CONFLICT;
		}
	} else {
		int64_t n;

		if ((e = oms_store_next_number(st, "order_ref", &n)) != OMS_OK)
			return e;
		snprintf(refbuf, sizeof(refbuf), "ORD%06lld", (long long)n);
		ref = refbuf;
	}
	oms_now_iso(now, sizeof(now));
	q = oms_query(st, OMS_STMT_ORDER_INSERT);
	oms_query_text(q, ref);
	oms_query_int(q, in->customer);
	bind_id(q, in->site);
	bind_id(q, ctx->actor->user_id);
	oms_query_text(q, ctx->actor->login);
	oms_query_text(q, in->requested_on);
	oms_query_text(q, in->notes ? in->notes : "");
	oms_query_text(q, now);
	oms_query_text(q, now);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	*id = oms_store_last_id(st);
	if ((e = put_lines(st, ctx, *id, in->customer, in, on, why)) != OMS_OK)
		return e;
	return record(st, ctx, *id, ref, "create", NULL, "draft", NULL);
}

struct create_unit {
	const struct oms_order_ctx *ctx;
	const struct oms_order *in;
	int64_t *id;
	const char **why;
};

/* oms_order_create_in as a unit (oms_unit_fn). */
static enum oms_err
create_unit(struct oms_store *st, void *arg)
{
	struct create_unit *u = arg;

	return oms_order_create_in(st, u->ctx, u->in, u->id, u->why);
}

/* Described in orders.h. */
enum oms_err
oms_order_create(struct oms_store *st, const struct oms_order_ctx *ctx,
    const struct oms_order *in, int64_t *id, const char **why)
{
	struct create_unit u = {ctx, in, id, why};

	*why = NULL;
	return oms_store_unit(st, create_unit, &u);
}

struct edit_unit {
	const struct oms_order_ctx *ctx;
	int64_t id, version;
	const struct oms_order *in;
	const char **why;
};

/* Replace a draft's fields and lines (oms_unit_fn). */
static enum oms_err
edit_unit(struct oms_store *st, void *arg)
{
	struct edit_unit *u = arg;
	const struct oms_order_ctx *ctx = u->ctx;
	struct oms_order o;
	struct oms_order_facts f;
	enum oms_order_state next;
	struct oms_query *q;
	char now[32];
	int32_t on;
	enum oms_err e;

	if ((e = load(st, ctx->arena, u->id, 1, &o)) != OMS_OK)
		return e;
	facts_of(&o, &f);
	if (!oms_workflow_visible(ctx->who, &f))
		return OMS_ERR_NOTFOUND;
	if (!oms_workflow_may(ctx->who, ctx->approver, &f, OMS_VERB_EDIT, u->why))
		return OMS_ERR_DENIED;
	if ((e = oms_workflow_next(&f, OMS_VERB_EDIT, &next, u->why)) != OMS_OK)
		return e;
	if (o.version != u->version) {
		*u->why = stale;
		return OMS_ERR_CONFLICT;
	}
	if (u->in->requested_on == NULL ||
	    oms_date_parse(u->in->requested_on, &on) != OMS_OK) {
		*u->why = "The requested date must be a date (YYYY-MM-DD).";
		return OMS_ERR_INVAL;
	}
	if (u->in->site > 0 && owner(st, OMS_STMT_ORDER_SITE_CUSTOMER,
	    u->in->site, &e) != o.customer) {
		if (e != OMS_OK)
			return e;
		*u->why = "The site is not one of this customer's.";
		return OMS_ERR_INVAL;
	}
	oms_now_iso(now, sizeof(now));
	q = oms_query(st, OMS_STMT_ORDER_SET_DRAFT);
	oms_query_text(q, u->in->requested_on);
	oms_query_text(q, u->in->notes ? u->in->notes : "");
	bind_id(q, u->in->site);
	oms_query_text(q, now);
	oms_query_int(q, u->id);
	oms_query_int(q, u->version);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1) {
		*u->why = stale;
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_ORDER_LINES_DELETE);
	oms_query_int(q, u->id);
	if ((e = oms_query_exec(q)) != OMS_OK ||
	    (e = put_lines(st, ctx, u->id, o.customer, u->in, on, u->why)) != OMS_OK)
		return e;
	return record(st, ctx, u->id, o.ref, "edit", "draft", "draft", NULL);
}

/* Described in orders.h. */
enum oms_err
oms_order_edit(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t id, int64_t version, const struct oms_order *in, const char **why)
{
	struct edit_unit u = {ctx, id, version, in, why};

	*why = NULL;
	return oms_store_unit(st, edit_unit, &u);
}

/* ------------------------------------------------------------------
 * Completion: applying each line to the inventory
 */

/* Append s to b (an arena string) with XML's five escapes. */
static void
xml_attr(struct oms_arena *a, char **b, const char *name, const char *v)
{
	size_t n = strlen(*b), add = 0;
	char *o, *p;

	if (v == NULL)
		return;
	for (const char *s = v; *s; s++)
		add += *s == '&' ? 5 : *s == '<' || *s == '>' ? 4 :
		    *s == '"' ? 6 : 1;
	if ((o = oms_arena_alloc(a, n + strlen(name) + add + 5)) == NULL) {
		*b = NULL;
		return;
	}
	memcpy(o, *b, n);
	p = o + n;
	p += sprintf(p, " %s=\"", name);
	for (const char *s = v; *s; s++) {
		const char *r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
		    *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;

		if (r) {
			memcpy(p, r, strlen(r));
			p += strlen(r);
		} else
			*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	*b = o;
}

/* Write the domain event kind for asset on day d: a snapshot of the
 * asset as canonical XML (docs/storage.md). */
static enum oms_err
event(struct oms_store *st, const struct oms_order_ctx *ctx, const char *kind,
    int64_t asset, int64_t order, int64_t line, int32_t d, const char *ref)
{
	struct oms_arena *a = ctx->arena;
	struct oms_asset_state s;
	struct asset_info ai;
	struct oms_query *q;
	char day[11], ports[24], now[32], *x;
	enum oms_err e;

	if ((e = asset_info(st, a, asset, &ai)) != OMS_OK ||
	    (e = oms_history_at(st, a, asset, d, &s)) != OMS_OK)
		return e == OMS_ERR_NOTFOUND ? OMS_ERR_STORE : e;
	oms_date_format(d, day);
	snprintf(ports, sizeof(ports), "%lld", (long long)s.ports);
	x = oms_arena_strdup(a, "<asset");
	xml_attr(a, &x, "event", kind);
	xml_attr(a, &x, "tag", ai.tag);
	xml_attr(a, &x, "order", ref);
	xml_attr(a, &x, "effective", day);
	xml_attr(a, &x, "site", s.site_code);
	xml_attr(a, &x, "cost-centre", s.cc_code);
	xml_attr(a, &x, "product", s.product_code);
	xml_attr(a, &x, "ports", ports);
	xml_attr(a, &x, "status", oms_asset_status_names[s.status]);
	xml_attr(a, &x, "number", s.number);
	xml_attr(a, &x, "extension", s.extension);
	xml_attr(a, &x, "mailbox", s.mailbox);
	xml_attr(a, &x, "serial", s.serial);
	if (ai.parent > 0) {
		struct asset_info pa;

		if ((e = asset_info(st, a, ai.parent, &pa)) != OMS_OK)
			return e;
		xml_attr(a, &x, "parent", pa.tag);
	}
	if (x == NULL || (x = oms_arena_printf(a, "%s/>", x)) == NULL)
		return OMS_ERR_NOMEM;
	q = oms_query(st, OMS_STMT_ORDER_EVENT_ADD);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_text(q, kind);
	oms_query_int(q, asset);
	oms_query_int(q, order);
	oms_query_int(q, line);
	oms_query_text(q, day);
	oms_query_text(q, x);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	/* The legacy exchange's message, in this unit of work. */
	return oms_outbox_event(st, a, kind, asset, line, day);
}

/* 1 when number is in service on another asset than asset on day d. */
static enum oms_err
number_free(struct oms_store *st, struct oms_arena *a, const char *number,
    int64_t asset, int32_t d, const char **why)
{
	struct oms_query *q;
	char day[11];
	int64_t n = 0;
	enum oms_err e;

	if (nonempty(number) == NULL)
		return OMS_OK;
	q = oms_query(st, OMS_STMT_ORDER_NUMBER_USED);
	oms_date_format(d, day);
	oms_query_text(q, number);
	oms_query_int(q, asset);
	oms_query_text(q, day);
	oms_query_text(q, day);
	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (n > 0)
		return refuse(a, why, OMS_ERR_CONFLICT, "The telephone number %s "
		    "is in service on another asset on that date.", number);
	return OMS_OK;
}

/* The state of asset ai now (its latest), as the base of a new one. */
static void
state_of(const struct asset_info *ai, struct oms_asset_state *s)
{
	memset(s, 0, sizeof(*s));
	s->asset = ai->id;
	s->site = ai->site;
	s->cost_centre = ai->cost_centre;
	s->product = ai->product;
	s->ports = ai->ports;
	s->status = ai->status;
	s->number = ai->number;
	s->extension = ai->extension;
	s->mailbox = ai->mailbox;
	s->serial = ai->serial;
}

/* Take identifier v when given (non-empty), else keep *dst. */
static void
take(const char **dst, const char *v)
{
	if (nonempty(v) != NULL)
		*dst = v;
}

/* The add-ons of asset id in service, in ids[] (at most max). */
static enum oms_err
addons_of(struct oms_store *st, int64_t id, int64_t *ids, size_t max,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ORDER_ADDONS);

	*n = 0;
	oms_query_int(q, id);
	while (oms_query_row(q))
		if (*n < max)
			ids[(*n)++] = oms_query_col_int(q, 0);
	return oms_query_end(q);
}

/*
 * Apply line l of order o to the inventory on day d, with the
 * identifiers the vendor entered (given, or NULL), and record what it
 * did: the line's asset and fee at d, the domain events.
 */
static enum oms_err
apply_line(struct oms_store *st, const struct oms_order_ctx *ctx,
    const struct oms_order *o, struct oms_order_line *l,
    const struct oms_order_line *given, int32_t d, const char **why)
{
	struct oms_arena *a = ctx->arena;
	struct oms_asset_state s;
	struct asset_info ai;
	struct oms_product pr;
	struct oms_query *q;
	int64_t asset = l->asset, fee_product = l->product, addons[256];
	size_t nadd = 0;
	const char *kind = NULL;
	char no[16];
	enum oms_err e;

	snprintf(no, sizeof(no), "%d", l->line_no);
	if (given != NULL) {
		take(&l->number, given->number);
		take(&l->extension, given->extension);
		take(&l->mailbox, given->mailbox);
		take(&l->serial, given->serial);
	}
	memset(&ai, 0, sizeof(ai));
	if (l->action != OMS_MAC_ADD) {
		int64_t id = l->action == OMS_MAC_ADDON ? l->parent : l->asset;

		if ((e = asset_info(st, a, id, &ai)) != OMS_OK)
			return e == OMS_ERR_NOTFOUND ? refuse(a, why,
			    OMS_ERR_CONFLICT, "Line %s: the asset is gone.", no) : e;
		if (ai.removed)
			return refuse(a, why, OMS_ERR_CONFLICT, "Line %s: the "
			    "asset is removed: it cannot change any more.", no);
	}
	switch (l->action) {
	case OMS_MAC_ADD:
	case OMS_MAC_ADDON:
		if (l->action == OMS_MAC_ADDON) {
			/* The parent must be in service that day; the add-on
			 * sits at its site and cost centre. */
			struct oms_asset_state ps;

			e = oms_history_at(st, a, ai.id, d, &ps);
			if (e == OMS_ERR_NOTFOUND || (e == OMS_OK &&
			    ps.status == OMS_STATUS_REMOVED))
				return refuse(a, why, OMS_ERR_CONFLICT, "Line %s: "
				    "the parent asset is not in service on that "
				    "date.", no);
			if (e != OMS_OK)
				return e;
			l->site = ps.site;
			l->cost_centre = ps.cost_centre;
		}
		if ((e = oms_product_lookup(st, a, l->product, &pr)) != OMS_OK)
			return e;
		if (l->ports < pr.min_ports || l->ports > pr.max_ports)
			return refuse(a, why, OMS_ERR_CONFLICT, "Line %s: the "
			    "product does not take that many ports.", no);
		if ((e = number_free(st, a, l->number, 0, d, why)) != OMS_OK)
			return e;
		memset(&s, 0, sizeof(s));
		s.site = l->site;
		s.cost_centre = l->cost_centre;
		s.product = l->product;
		s.ports = l->ports;
		s.status = OMS_STATUS_ACTIVE;
		s.number = nonempty(l->number);
		s.extension = nonempty(l->extension);
		s.mailbox = nonempty(l->mailbox);
		s.serial = nonempty(l->serial);
		s.valid_from = d;
		s.order_line = l->id;
		if ((e = oms_history_install(st, nonempty(l->asset_tag),
		    l->action == OMS_MAC_ADDON ? ai.id : 0, &s, &asset,
		    why)) != OMS_OK)
			return e;
		kind = l->action == OMS_MAC_ADD ? "asset_installed" :
		    "addon_added";
		break;
	case OMS_MAC_MOVE:
		state_of(&ai, &s);
		if (l->site > 0)
			s.site = l->site;
		if (l->cost_centre > 0)
			s.cost_centre = l->cost_centre;
		s.valid_from = d;
		s.order_line = l->id;
		if ((e = addons_of(st, ai.id, addons, OMS_NELEM(addons), &nadd)) != OMS_OK ||
		    (e = oms_history_append(st, &s, why)) != OMS_OK)
			return e;
		/* Its add-ons go with it. */
		for (size_t i = 0; i < nadd; i++) {
			struct asset_info ad;
			struct oms_asset_state as;

			if ((e = asset_info(st, a, addons[i], &ad)) != OMS_OK)
				return e;
			state_of(&ad, &as);
			as.site = s.site;
			as.cost_centre = s.cost_centre;
			as.valid_from = d;
			as.order_line = l->id;
			if ((e = oms_history_append(st, &as, why)) != OMS_OK ||
			    (e = event(st, ctx, "asset_moved", ad.id, o->id,
			    l->id, d, o->ref)) != OMS_OK)
				return e;
		}
		fee_product = ai.product;
		kind = "asset_moved";
		break;
	case OMS_MAC_CHANGE:
		state_of(&ai, &s);
		if (l->product > 0)
			s.product = l->product;
		if (l->ports >= 0)
			s.ports = l->ports;
		take(&s.number, l->number);
		take(&s.extension, l->extension);
		take(&s.mailbox, l->mailbox);
		take(&s.serial, l->serial);
		if ((e = oms_product_lookup(st, a, s.product, &pr)) != OMS_OK)
			return e;
		if (s.ports < pr.min_ports || s.ports > pr.max_ports)
			return refuse(a, why, OMS_ERR_CONFLICT, "Line %s: the "
			    "product does not take that many ports.", no);
		if ((e = number_free(st, a, s.number, ai.id, d, why)) != OMS_OK)
			return e;
		s.valid_from = d;
		s.order_line = l->id;
		if ((e = oms_history_append(st, &s, why)) != OMS_OK)
			return e;
		fee_product = s.product;
		kind = "asset_changed";
		break;
	case OMS_MAC_DISCONNECT:
		/* Its add-ons are removed with it, the same day. */
		if ((e = addons_of(st, ai.id, addons, OMS_NELEM(addons), &nadd)) != OMS_OK)
			return e;
		for (size_t i = 0; i < nadd; i++) {
			struct asset_info ad;
			struct oms_asset_state as;

			if ((e = asset_info(st, a, addons[i], &ad)) != OMS_OK)
				return e;
			state_of(&ad, &as);
			as.status = OMS_STATUS_REMOVED;
			as.valid_from = d;
			as.order_line = l->id;
			if ((e = oms_history_append(st, &as, why)) != OMS_OK ||
			    (e = event(st, ctx, "asset_removed", ad.id, o->id,
			    l->id, d, o->ref)) != OMS_OK)
				return e;
		}
		state_of(&ai, &s);
		s.status = OMS_STATUS_REMOVED;
		s.valid_from = d;
		s.order_line = l->id;
		if ((e = oms_history_append(st, &s, why)) != OMS_OK)
			return e;
		fee_product = ai.product;
		kind = "asset_removed";
		break;
	default:
		return OMS_ERR_INVAL;
	}
	/* The fee billing charges: the one in effect on completion. */
	e = oms_price_fee(st, l->action, fee_product, d, &l->fee_cents);
	l->fee_priced = e == OMS_OK;
	if (e == OMS_ERR_NOTFOUND)
		l->fee_cents = 0;
	else if (e != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_ORDER_LINE_DONE);
	oms_query_int(q, asset);
	oms_query_int(q, l->fee_cents);
	oms_query_int(q, l->fee_priced);
	oms_query_text(q, nonempty(l->number));
	oms_query_text(q, nonempty(l->extension));
	oms_query_text(q, nonempty(l->mailbox));
	oms_query_text(q, nonempty(l->serial));
	oms_query_int(q, l->id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	return event(st, ctx, kind, asset, o->id, l->id, d, o->ref);
}

/* Complete order o on day d: every line, in order, or none. */
static enum oms_err
complete(struct oms_store *st, const struct oms_order_ctx *ctx,
    struct oms_order *o, int32_t d, const struct oms_order_act *args,
    const char **why)
{
	enum oms_err e;

	if ((e = load_lines(st, ctx->arena, o)) != OMS_OK)
		return e;
	for (size_t i = 0; i < o->nlines; i++) {
		const struct oms_order_line *given = NULL;

		for (size_t k = 0; args != NULL && k < args->nlines; k++)
			if (args->lines[k].line_no == o->lines[i].line_no)
				given = &args->lines[k];
		if ((e = apply_line(st, ctx, o, &o->lines[i], given, d, why)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * Transitions and comments
 */

struct comment_unit {
	const struct oms_order_ctx *ctx;
	int64_t id;
	const char *body;
	const char **why;
};

/* Add a comment (oms_unit_fn). */
static enum oms_err
comment_unit(struct oms_store *st, void *arg)
{
	struct comment_unit *u = arg;
	const struct oms_order_ctx *ctx = u->ctx;
	struct oms_order o;
	struct oms_order_facts f;
	struct oms_query *q;
	char now[32];
	const char *after;
	enum oms_err e;

	if ((e = load(st, ctx->arena, u->id, 0, &o)) != OMS_OK)
		return e;
	facts_of(&o, &f);
	if (!oms_workflow_visible(ctx->who, &f))
		return OMS_ERR_NOTFOUND;
	if (!oms_workflow_may(ctx->who, ctx->approver, &f, OMS_VERB_COMMENT,
	    u->why))
		return OMS_ERR_DENIED;
	if (nonempty(u->body) == NULL || strlen(u->body) > 4000) {
		*u->why = "A comment is 1 to 4,000 characters.";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_ORDER_COMMENT_ADD);
	oms_query_int(q, u->id);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	bind_id(q, ctx->actor->user_id);
	oms_query_text(q, ctx->actor->login);
	oms_query_text(q, u->body);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if ((after = oms_audit_kv(ctx->arena, "comment", u->body, NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, ctx->actor, "order", o.ref, "comment",
	    NULL, after);
}

/* Described in orders.h. */
enum oms_err
oms_order_act_in(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t id, int64_t version, enum oms_verb verb,
    const struct oms_order_act *args, const char **why)
{
	struct oms_order o;
	struct oms_order_facts f;
	enum oms_order_state next;
	struct oms_query *q;
	const char *scheduled, *completed = NULL, *held = NULL;
	char now[32], day[11];
	int32_t d = 0;
	enum oms_err e;

	*why = NULL;
	if (verb == OMS_VERB_EDIT || (unsigned)verb >= OMS_VERB__MAX) {
		*why = "There is no such action.";
		return OMS_ERR_INVAL;
	}
	if ((e = load(st, ctx->arena, id, 1, &o)) != OMS_OK)
		return e;
	facts_of(&o, &f);
	if (!oms_workflow_visible(ctx->who, &f))
		return OMS_ERR_NOTFOUND;
	if (!oms_workflow_may(ctx->who, ctx->approver, &f, verb, why))
		return OMS_ERR_DENIED;
	if ((e = oms_workflow_next(&f, verb, &next, why)) != OMS_OK)
		return e;
	if (verb == OMS_VERB_COMMENT) {
		struct comment_unit u = {ctx, id, args ? args->comment : NULL,
		    why};

		return comment_unit(st, &u);
	}
	if (o.version != version) {
		*why = stale;
		return OMS_ERR_CONFLICT;
	}
	scheduled = o.scheduled_on;
	if (verb == OMS_VERB_SCHEDULE || verb == OMS_VERB_COMPLETE) {
		if (args == NULL || args->date == NULL ||
		    oms_date_parse(args->date, &d) != OMS_OK) {
			*why = verb == OMS_VERB_SCHEDULE ? "Give the date the "
			    "work is scheduled for (YYYY-MM-DD)." : "Give the "
			    "completion date (YYYY-MM-DD).";
			return OMS_ERR_INVAL;
		}
		oms_date_format(d, day);
	}
	if (verb == OMS_VERB_SCHEDULE)
		scheduled = day;
	if (verb == OMS_VERB_COMPLETE) {
		if (d > ctx->today) {
			*why = "An order cannot be completed on a date after today.";
			return OMS_ERR_INVAL;
		}
		if (d < ctx->today - ctx->backdate_days) {
			*why = oms_arena_printf(ctx->arena, "A completion may be "
			    "back-dated at most %d days.", ctx->backdate_days);
			return OMS_ERR_INVAL;
		}
		completed = day;
		if ((e = complete(st, ctx, &o, d, args, why)) != OMS_OK)
			return e;
	}
	if (verb == OMS_VERB_HOLD)
		held = oms_order_state_names[o.state];
	q = oms_query(st, OMS_STMT_ORDER_SET_STATE);
	oms_query_text(q, oms_order_state_names[next]);
	oms_query_text(q, held);
	oms_query_text(q, scheduled);
	oms_query_text(q, completed);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_int(q, id);
	oms_query_int(q, version);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1) {
		*why = stale;
		return OMS_ERR_CONFLICT;
	}
	/* Approved for the vendor: its order messages, in this unit. */
	if (verb == OMS_VERB_APPROVE && next == OMS_ORDER_APPROVED &&
	    (e = oms_outbox_order_approved(st, ctx->arena, id)) != OMS_OK)
		return e;
	return record(st, ctx, id, o.ref, oms_verb_names[verb],
	    oms_order_state_names[o.state], oms_order_state_names[next],
	    args ? args->comment : NULL);
}

struct act_unit {
	const struct oms_order_ctx *ctx;
	int64_t id, version;
	enum oms_verb verb;
	const struct oms_order_act *args;
	const char **why;
};

/* oms_order_act_in as a unit (oms_unit_fn). */
static enum oms_err
act_unit(struct oms_store *st, void *arg)
{
	struct act_unit *u = arg;

	*u->why = NULL;
	return oms_order_act_in(st, u->ctx, u->id, u->version, u->verb, u->args,
	    u->why);
}

/* Described in orders.h. */
enum oms_err
oms_order_act(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t id, int64_t version, enum oms_verb verb,
    const struct oms_order_act *args, const char **why)
{
	struct act_unit u = {ctx, id, version, verb, args, why};

	*why = NULL;
	return oms_store_unit(st, act_unit, &u);
}

/* Described in orders.h. */
enum oms_err
oms_order_comment(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t id, const char *body, const char **why)
{
	struct comment_unit u = {ctx, id, body, why};

	*why = NULL;
	return oms_store_unit(st, comment_unit, &u);
}

struct fill_unit {
	const struct oms_order_ctx *ctx;
	int64_t id, version;
	int line_no;
	const struct oms_order_line *ids;
	const char **why;
};

/* Enter a line's identifiers (oms_unit_fn). */
static enum oms_err
fill_unit(struct oms_store *st, void *arg)
{
	struct fill_unit *u = arg;
	const struct oms_order_ctx *ctx = u->ctx;
	struct oms_order o;
	struct oms_order_facts f;
	struct oms_query *q;
	char now[32], no[16];
	const char *after;
	enum oms_err e;

	if ((e = load(st, ctx->arena, u->id, 1, &o)) != OMS_OK)
		return e;
	facts_of(&o, &f);
	if (!oms_workflow_visible(ctx->who, &f))
		return OMS_ERR_NOTFOUND;
	if (!oms_workflow_may(ctx->who, ctx->approver, &f, OMS_VERB_COMPLETE,
	    u->why))
		return OMS_ERR_DENIED;
	if (o.state != OMS_ORDER_APPROVED && o.state != OMS_ORDER_SCHEDULED) {
		*u->why = "Identifiers are entered once the order is approved "
		    "and until it is completed.";
		return OMS_ERR_CONFLICT;
	}
	if (o.version != u->version) {
		*u->why = stale;
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_ORDER_LINE_FILL);
	oms_query_text(q, nonempty(u->ids->number));
	oms_query_text(q, nonempty(u->ids->extension));
	oms_query_text(q, nonempty(u->ids->mailbox));
	oms_query_text(q, nonempty(u->ids->serial));
	oms_query_int(q, u->id);
	oms_query_int(q, u->line_no);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1) {
		*u->why = "This order has no such line.";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_ORDER_BUMP);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_int(q, u->id);
	oms_query_int(q, u->version);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1) {
		*u->why = stale;
		return OMS_ERR_CONFLICT;
	}
	snprintf(no, sizeof(no), "%d", u->line_no);
	if ((after = oms_audit_kv(ctx->arena, "line", no, "number",
	    nonempty(u->ids->number), "extension", nonempty(u->ids->extension),
	    "mailbox", nonempty(u->ids->mailbox), "serial",
	    nonempty(u->ids->serial), NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, ctx->actor, "order", o.ref, "fill", NULL,
	    after);
}

/* Described in orders.h. */
enum oms_err
oms_order_fill(struct oms_store *st, const struct oms_order_ctx *ctx,
    int64_t id, int64_t version, int line_no,
    const struct oms_order_line *ids, const char **why)
{
	struct fill_unit u = {ctx, id, version, line_no, ids, why};

	*why = NULL;
	return oms_store_unit(st, fill_unit, &u);
}

/* Described in orders.h. */
unsigned
oms_order_verbs(const struct oms_order_ctx *ctx, const struct oms_order *o)
{
	struct oms_order_facts f;
	unsigned bits = 0;

	facts_of(o, &f);
	for (int v = 0; v < OMS_VERB__MAX; v++) {
		enum oms_order_state next;
		const char *why;

		if (oms_workflow_may(ctx->who, ctx->approver, &f,
		    (enum oms_verb)v, &why) &&
		    oms_workflow_next(&f, (enum oms_verb)v, &next, &why) == OMS_OK)
			bits |= 1u << v;
	}
	return bits;
}

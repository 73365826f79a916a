/*
 * test_orders.c: MAC orders (src/domain/orders.c) on each backend:
 * pricing (fee precedence, override, monthly change with catalog and
 * contract prices on the requested date), the workflow through the
 * store for every role x state x verb (refusals change nothing), the
 * customer's own approval, concurrent completion, completion's
 * atomicity, history and add-ons through completion, domain events and
 * the back-dating limit.
 *
 * The data: oms_seed_demo's catalog and two customers of two sites,
 * plus the fees, contract price and add-on product set up below; the
 * business date is fixed at 2026-11-16.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "history.h"
#include "migrate.h"
#include "orders.h"
#include "seed.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

static struct oms_store *st;
static struct oms_arena *arena;
static const char *dbname = "orders";

/* Customer, sites, cost centres and assets the tests act on. */
static int64_t c1, c2, s1, s1b, s2, cc1, cc1b, cc2;
static int64_t pots, sip, addon_p;
static int32_t today;

static const struct oms_actor actor = {0, "tester", "local"};
static struct oms_principal admin_p, vendor_p, finance_p, cust_p;

/* The context of principal p (approver for customer approvers). */
static struct oms_order_ctx
ctx_of(const struct oms_principal *p, int approver)
{
	struct oms_order_ctx c;

	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.actor = &actor;
	c.who = p;
	c.approver = approver;
	c.today = today;
	c.backdate_days = 92;
	return c;
}

/* Column 0 of the test's own query, as an integer (-1 on failure). */
static int64_t
val(const char *sql)
{
	return tb_be->value(dbname, sql);
}

/* The same with one integer put in with %lld (a macro, so that the
 * compiler checks each format). */
#define valf(fmt, x) __extension__ ({                                     \
	char sql_[512];                                                   \
	snprintf(sql_, sizeof(sql_), fmt, (long long)(x));                \
	val(sql_);                                                        \
})

/* The catalog the tests price with (oms_unit_fn). */
static enum oms_err
setup_catalog(struct oms_store *s, void *arg)
{
	struct oms_fee f;
	struct oms_contract_price cp;
	struct oms_product ad;
	const char *why;
	int added;
	enum oms_err e;

	(void)arg;
	memset(&f, 0, sizeof(f));
	f.action = OMS_MAC_ADD;
	f.valid_from = "2020-01-01";
	f.amount_cents = 5000;
	if ((e = oms_fee_add(s, &actor, &f, &added)) != OMS_OK)
		return e;
	f.product = pots;
	f.valid_from = "2026-06-01";
	f.amount_cents = 7500;
	if ((e = oms_fee_add(s, &actor, &f, &added)) != OMS_OK)
		return e;
	f.product = 0;
	f.action = OMS_MAC_DISCONNECT;
	f.valid_from = "2020-01-01";
	f.amount_cents = 2500;
	if ((e = oms_fee_add(s, &actor, &f, &added)) != OMS_OK)
		return e;
	memset(&cp, 0, sizeof(cp));
	cp.customer = c1;
	cp.product = pots;
	cp.valid_from = "2026-01-01";
	cp.valid_to = "2027-01-01";
	cp.monthly_cents = 2000;
	if ((e = oms_contract_price_add(s, &actor, &cp, &added, &why)) != OMS_OK)
		return e;
	memset(&ad, 0, sizeof(ad));
	ad.code = "AD-VM2E";
	ad.name = "Voicemail to e-mail";
	ad.type = OMS_PRODUCT_TYPE_ADDON;
	ad.charge = OMS_CHARGE_FLAT;
	ad.usage_unit = "";
	ad.min_ports = 0;
	ad.max_ports = 0;
	if ((e = oms_product_put(s, &actor, &ad, &addon_p, &why)) != OMS_OK)
		return e;
	return oms_price_add(s, &actor, addon_p, "2019-01-01", 300, &added);
}

/* A line adding a POTS line at site s1, cost centre cc1. */
static struct oms_order_line
add_line(int64_t product, int64_t ports)
{
	struct oms_order_line l;

	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADD;
	l.site = s1;
	l.cost_centre = cc1;
	l.product = product;
	l.ports = ports;
	l.fee_override = -1;
	return l;
}

/* Create an order of customer c at site s with lines; its id or 0. */
static int64_t
create(const struct oms_principal *p, int64_t c, int64_t s,
    const char *requested, struct oms_order_line *lines, size_t n,
    enum oms_err *e, const char **why)
{
	struct oms_order_ctx ctx = ctx_of(p, 0);
	struct oms_order in;
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.customer = c;
	in.site = s;
	in.requested_on = requested;
	in.notes = "test";
	in.lines = lines;
	in.nlines = n;
	*e = oms_order_create(st, &ctx, &in, &id, why);
	return id;
}

/* The order id as admin sees it (lines priced). */
static int
get(int64_t id, struct oms_order *o)
{
	return oms_order_get(st, arena, &admin_p, id, o) == OMS_OK;
}

/* Take verb on id as p at its current version with date (or NULL). */
static enum oms_err
act(const struct oms_principal *p, int approver, int64_t id,
    enum oms_verb v, const char *date, const char **why)
{
	struct oms_order_ctx ctx = ctx_of(p, approver);
	struct oms_order_act args;
	struct oms_order o;

	if (!get(id, &o))
		return OMS_ERR_NOTFOUND;
	memset(&args, 0, sizeof(args));
	args.date = date;
	args.comment = v == OMS_VERB_COMMENT ? "a comment" : NULL;
	return oms_order_act(st, &ctx, id, o.version, v, &args, why);
}

static void
test_pricing(void)
{
	struct oms_order_line l[2];
	struct oms_order o;
	const char *why = NULL;
	enum oms_err e;
	int64_t id;

	/* Requested before the product's own fee: the any-product fee. */
	l[0] = add_line(pots, 1);
	id = create(&admin_p, c1, s1, "2026-05-15", l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.nlines == 1 &&
	    o.lines[0].fee_cents == 5000 && o.lines[0].fee_priced,
	    "pricing: before the product's own fee, the any-product fee (50.00)");
	ok(o.lines[0].mrc_before == 0 && o.lines[0].mrc_after == 2000 &&
	    o.mrc_change == 2000,
	    "pricing: the contract price of customer 1 is the monthly after (20.00)");
	ok(o.ref != NULL && strncmp(o.ref, "ORD", 3) == 0 && o.state == OMS_ORDER_DRAFT,
	    "create: a draft with a reference of the series (%s)", o.ref ? o.ref : "-");
	/* On and after the product's fee: that fee. */
	id = create(&admin_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.lines[0].fee_cents == 7500,
	    "pricing: from its date the product's own fee wins (75.00)");
	/* Customer 2 has no contract price: the catalog's. */
	l[0].site = s2;
	l[0].cost_centre = cc2;
	id = create(&admin_p, c2, s2, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.lines[0].mrc_after == 3495,
	    "pricing: without a contract, the catalog price (34.95)");
	/* Per-port ports multiply nothing for a flat product. */
	l[0] = add_line(sip, 10);
	id = create(&admin_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.lines[0].mrc_after == 18900,
	    "pricing: a per-port product is its rate times its ports (18.90 x 10)");
	/* Overrides. */
	l[0] = add_line(pots, 1);
	l[0].fee_override = 0;
	l[0].override_reason = "goodwill";
	create(&cust_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_DENIED && why != NULL,
	    "override bad: a customer user may not override a fee (403)");
	l[0].override_reason = NULL;
	create(&vendor_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_INVAL && why != NULL,
	    "override bad: an override without a reason is refused");
	l[0].override_reason = "goodwill";
	id = create(&vendor_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.lines[0].fee_due == 0 &&
	    o.lines[0].fee_cents == 7500 && o.fee_total == 0,
	    "override: the vendor waives the fee with a reason (due 0, catalog 75.00 kept)");
	/* Two lines: totals in C. */
	l[0] = add_line(pots, 1);
	l[1] = add_line(pots, 1);
	id = create(&admin_p, c1, s1, "2026-06-01", l, 2, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.fee_total == 15000 &&
	    o.mrc_after == 4000 && o.mrc_change == 4000,
	    "totals: two lines sum to 150.00 one-time and +40.00 a month");
	/* Bad lines. */
	l[0] = add_line(pots, 5);
	create(&admin_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_INVAL && why != NULL && strstr(why, "ports"),
	    "bad: ports outside the product's limits (%s)", why ? why : "-");
	l[0] = add_line(pots, 1);
	l[0].site = s2;
	create(&admin_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_INVAL, "bad: a site of another customer");
	l[0] = add_line(addon_p, 0);
	create(&admin_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_INVAL, "bad: an add-on product on an add line");
	create(&finance_p, c1, s1, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_DENIED, "bad: finance does not create orders");
	create(&cust_p, c2, s2, "2026-06-01", l, 1, &e, &why);
	ok(e == OMS_ERR_INVAL, "bad: a customer user orders for its own customer only");
}

/* Bring a new one-line order of customer c1 to state s as admin. */
static int64_t
order_in(enum oms_order_state s)
{
	struct oms_order_line l = add_line(pots, 1);
	const char *why;
	enum oms_err e;
	int64_t id = create(&admin_p, c1, s1, "2026-11-01", &l, 1, &e, &why);
	static const enum oms_verb path[] = {OMS_VERB_SUBMIT, OMS_VERB_APPROVE,
	    OMS_VERB_SCHEDULE, OMS_VERB_COMPLETE};
	char day[11];

	oms_date_format(today, day);
	if (e != OMS_OK)
		return 0;
	switch (s) {
	case OMS_ORDER_DRAFT:
		return id;
	case OMS_ORDER_SUBMITTED:
	case OMS_ORDER_APPROVED:
	case OMS_ORDER_SCHEDULED:
	case OMS_ORDER_COMPLETED: {
		int n = s == OMS_ORDER_SUBMITTED ? 1 : s == OMS_ORDER_APPROVED ?
		    2 : s == OMS_ORDER_SCHEDULED ? 3 : 4;

		for (int i = 0; i < n; i++)
			if (act(&admin_p, 0, id, path[i], day, &why) != OMS_OK)
				return 0;
		return id;
	}
	case OMS_ORDER_REJECTED:
		return act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why) == OMS_OK &&
		    act(&admin_p, 0, id, OMS_VERB_REJECT, NULL, &why) == OMS_OK ?
		    id : 0;
	case OMS_ORDER_CANCELLED:
		return act(&admin_p, 0, id, OMS_VERB_CANCEL, NULL, &why) == OMS_OK ?
		    id : 0;
	case OMS_ORDER_HELD:
		return act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why) == OMS_OK &&
		    act(&admin_p, 0, id, OMS_VERB_HOLD, NULL, &why) == OMS_OK ?
		    id : 0;
	case OMS_ORDER_AWAITING_APPROVAL:
	default:
		return 0;
	}
}

static void
test_table(void)
{
	static const struct {
		const struct oms_principal *p;
		int approver;
		const char *name;
	} roles[] = {
		{&admin_p, 0, "admin"}, {&vendor_p, 0, "vendor"},
		{&finance_p, 0, "finance"}, {&cust_p, 0, "customer"},
		{&cust_p, 1, "approver"},
	};
	int good = 1, unchanged = 1, cases = 0, changed_ok = 1;
	char day[11];

	oms_date_format(today, day);
	for (size_t r = 0; r < OMS_NELEM(roles); r++)
		for (int s = 0; s < OMS_ORDER__MAX; s++) {
			if (s == OMS_ORDER_AWAITING_APPROVAL)
				continue; /* customer 1 approves nothing: below */
			for (int v = 0; v < OMS_VERB__MAX; v++) {
				int64_t id = order_in((enum oms_order_state)s);
				struct oms_order before, after;
				struct oms_order_facts f;
				enum oms_order_state next;
				const char *why = NULL, *w2;
				enum oms_err want, got;

				if (v == OMS_VERB_EDIT)
					continue; /* oms_order_edit: below */
				if (id == 0 || !get(id, &before)) {
					good = 0;
					diag("cannot bring an order to %s",
					    oms_order_state_names[s]);
					continue;
				}
				cases++;
				f.state = before.state;
				f.held_from = before.held_from;
				f.approval_required = 0;
				f.customer = c1;
				f.site = s1;
				want = !oms_workflow_may(roles[r].p, roles[r].approver,
				    &f, (enum oms_verb)v, &w2) ? OMS_ERR_DENIED :
				    oms_workflow_next(&f, (enum oms_verb)v, &next,
				    &w2) != OMS_OK ? OMS_ERR_CONFLICT : OMS_OK;
				got = act(roles[r].p, roles[r].approver, id,
				    (enum oms_verb)v, day, &why);
				if (got != want) {
					good = 0;
					diag("%s %s in %s: got %d want %d (%s)",
					    roles[r].name, oms_verb_names[v],
					    oms_order_state_names[s], got, want,
					    why ? why : "");
				}
				if (!get(id, &after))
					continue;
				if (got != OMS_OK && (after.version != before.version ||
				    after.state != before.state ||
				    after.ntransitions != before.ntransitions ||
				    after.ncomments != before.ncomments))
					unchanged = 0;
				if (got == OMS_OK && v != OMS_VERB_COMMENT &&
				    (after.version != before.version + 1 ||
				    after.ntransitions != before.ntransitions + 1))
					changed_ok = 0;
			}
		}
	ok(good && cases > 300, "table: %d cases of role x state x verb through "
	    "the store give the workflow's answer (OK, 403, 409)", cases);
	ok(unchanged, "table bad: every refusal leaves the order as it was "
	    "(state, version, transitions, comments)");
	ok(changed_ok, "table: every transition taken adds one to the version "
	    "and one transition record");
}

static void
test_approval(void)
{
	struct oms_order_line l = add_line(pots, 1);
	struct oms_order o;
	const char *why;
	enum oms_err e;
	int64_t id;
	struct oms_principal c2p = cust_p;

	c2p.scope.customer = c2;
	l.site = s2;
	l.cost_centre = cc2;
	/* Customer 2 is the highest id (the derived table lets MariaDB
	 * read the table it updates). */
	tb_be->exec(dbname, "UPDATE customers SET approval_required = 1"
	    " WHERE id = (SELECT m FROM (SELECT MAX(id) AS m FROM customers) x)");
	ok(valf("SELECT approval_required FROM customers WHERE id = %lld", c2) == 1,
	    "approval: customer 2 approves its own orders");
	id = create(&c2p, c2, s2, "2026-11-01", &l, 1, &e, &why);
	ok(e == OMS_OK && act(&c2p, 0, id, OMS_VERB_SUBMIT, NULL, &why) == OMS_OK &&
	    get(id, &o) && o.state == OMS_ORDER_AWAITING_APPROVAL,
	    "approval: submitted, it awaits the customer's approval");
	ok(act(&vendor_p, 0, id, OMS_VERB_APPROVE, NULL, &why) == OMS_ERR_DENIED,
	    "approval bad: the vendor does not approve for the customer");
	ok(act(&c2p, 0, id, OMS_VERB_APPROVE, NULL, &why) == OMS_ERR_DENIED,
	    "approval bad: a customer user who is not an approver may not");
	ok(act(&cust_p, 1, id, OMS_VERB_APPROVE, NULL, &why) == OMS_ERR_NOTFOUND,
	    "approval bad: another customer's approver does not even see it");
	ok(act(&c2p, 1, id, OMS_VERB_APPROVE, NULL, &why) == OMS_OK &&
	    get(id, &o) && o.state == OMS_ORDER_SUBMITTED,
	    "approval: the customer's approver passes it to the vendor");
	ok(act(&vendor_p, 0, id, OMS_VERB_APPROVE, NULL, &why) == OMS_OK &&
	    get(id, &o) && o.state == OMS_ORDER_APPROVED && o.ntransitions == 4,
	    "approval: the vendor approves; four transitions recorded");
}

static void
test_concurrent(void)
{
	int64_t id = order_in(OMS_ORDER_SCHEDULED);
	struct oms_store *st2 = tb_open(dbname, 0);
	struct oms_order o;
	struct oms_order_ctx ctx = ctx_of(&vendor_p, 0);
	struct oms_order_act args;
	const char *why1, *why2;
	char day[11];
	int64_t assets = val("SELECT COUNT(*) FROM assets");
	enum oms_err e1, e2;

	oms_date_format(today, day);
	memset(&args, 0, sizeof(args));
	args.date = day;
	if (st2 == NULL || !get(id, &o)) {
		ok(0, "concurrent: set up");
		return;
	}
	e1 = oms_order_act(st, &ctx, id, o.version, OMS_VERB_COMPLETE, &args, &why1);
	e2 = oms_order_act(st2, &ctx, id, o.version, OMS_VERB_COMPLETE, &args, &why2);
	ok(e1 == OMS_OK && e2 == OMS_ERR_CONFLICT && why2 != NULL,
	    "concurrent: of two completions at one version one wins, the "
	    "other gets 409 (%s)", why2 ? why2 : "-");
	ok(val("SELECT COUNT(*) FROM assets") == assets + 1,
	    "concurrent: the order's one new asset exists once");
	oms_store_close(&st2);
}

static void
test_atomic(void)
{
	struct oms_order_line l[3];
	struct oms_order_act args;
	struct oms_order o;
	struct oms_order_ctx ctx = ctx_of(&vendor_p, 0);
	const char *why;
	enum oms_err e;
	char day[11];
	int64_t id, assets, states, events;
	const char *used = NULL;

	oms_date_format(today, day);
	/* A number in service on another asset. */
	used = oms_arena_strdup(arena, "+15550100001");
	tb_be->exec(dbname, "UPDATE asset_states SET phone_number = '+15550100001'"
	    " WHERE asset_id = (SELECT MIN(id) FROM assets WHERE removed_on IS NULL)"
	    " AND valid_to IS NULL");
	l[0] = add_line(pots, 1);
	l[1] = add_line(pots, 1);
	l[2] = add_line(pots, 1);
	l[2].number = used;
	id = create(&admin_p, c1, s1, "2026-11-01", l, 3, &e, &why);
	act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_SCHEDULE, day, &why);
	assets = val("SELECT COUNT(*) FROM assets");
	states = val("SELECT COUNT(*) FROM asset_states");
	events = val("SELECT COUNT(*) FROM domain_events");
	get(id, &o);
	memset(&args, 0, sizeof(args));
	args.date = day;
	e = oms_order_act(st, &ctx, id, o.version, OMS_VERB_COMPLETE, &args, &why);
	ok(e == OMS_ERR_CONFLICT && why != NULL && strstr(why, "+15550100001"),
	    "atomic bad: the third line's number is in service elsewhere (%s)",
	    why ? why : "-");
	ok(val("SELECT COUNT(*) FROM assets") == assets &&
	    val("SELECT COUNT(*) FROM asset_states") == states &&
	    val("SELECT COUNT(*) FROM domain_events") == events &&
	    get(id, &o) && o.state == OMS_ORDER_SCHEDULED,
	    "atomic: the two good lines left nothing behind; still scheduled");
}

static void
test_history_addons(void)
{
	struct oms_order_line l;
	struct oms_order o;
	struct oms_asset_state *sv;
	size_t n;
	const char *why;
	enum oms_err e;
	int64_t id, asset, addon;
	int32_t d0 = today - 20, d1 = today - 10, d2 = today - 5;
	char a0[11], a1[11], a2[11], dd[11];

	oms_date_format(d0, a0);
	oms_date_format(d1, a1);
	oms_date_format(d2, a2);
	/* Install on d0. */
	l = add_line(pots, 1);
	l.number = "+15559990001";
	id = create(&admin_p, c1, s1, a0, &l, 1, &e, &why);
	act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_SCHEDULE, a0, &why);
	e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, a0, &why);
	memset(&o, 0, sizeof(o));
	if (e == OMS_OK)
		get(id, &o);
	ok(e == OMS_OK && o.nlines == 1 && o.lines[0].asset > 0 &&
	    o.lines[0].tag, "install: completion made asset %s (%s)",
	    o.nlines && o.lines[0].tag ? o.lines[0].tag : "-", why ? why : "ok");
	if (o.nlines != 1)
		return;
	asset = o.lines[0].asset;
	/* An add-on on d0. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADDON;
	l.parent = asset;
	l.product = addon_p;
	l.ports = 0;
	l.fee_override = -1;
	id = create(&admin_p, c1, s1, a0, &l, 1, &e, &why);
	act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_SCHEDULE, a0, &why);
	e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, a0, &why);
	memset(&o, 0, sizeof(o));
	ok(e == OMS_OK && get(id, &o) && o.nlines == 1, "addon: completed (%s)",
	    why ? why : "ok");
	if (o.nlines != 1)
		return;
	addon = o.lines[0].asset;
	ok(valf("SELECT parent_id FROM assets WHERE id = %lld", addon) == asset,
	    "addon: the add-on's parent is the asset");
	/* Move to s1b on d1, back to s1 on d2. */
	for (int k = 0; k < 2; k++) {
		memset(&l, 0, sizeof(l));
		l.action = OMS_MAC_MOVE;
		l.asset = asset;
		l.site = k == 0 ? s1b : s1;
		l.cost_centre = k == 0 ? cc1b : cc1;
		l.fee_override = -1;
		id = create(&admin_p, c1, s1, k == 0 ? a1 : a2, &l, 1, &e, &why);
		act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
		act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
		act(&admin_p, 0, id, OMS_VERB_SCHEDULE, k == 0 ? a1 : a2, &why);
		e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, k == 0 ? a1 : a2, &why);
		ok(e == OMS_OK, "move %d: completed (%s)", k + 1, why ? why : "ok");
	}
	n = 0;
	e = oms_history_list(st, arena, asset, &sv, &n);
	ok(e == OMS_OK && n == 3 && sv[0].site == s1 && sv[1].site == s1b &&
	    sv[2].site == s1 && sv[0].valid_to == d1 && sv[1].valid_to == d2 &&
	    sv[2].valid_to == 0 && oms_history_valid(sv, n),
	    "history: A -> B -> A gives three states meeting on the move dates");
	ok(n == 3 && sv[1].order_ref != NULL, "history: each move's state names its order");
	n = 0;
	e = oms_history_list(st, arena, addon, &sv, &n);
	ok(e == OMS_OK && n == 3 && sv[1].site == s1b && sv[1].cost_centre == cc1b,
	    "addon: the add-on moved with its parent");
	/* A move dated before the latest change is refused. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_MOVE;
	l.asset = asset;
	l.site = s1b;
	l.fee_override = -1;
	id = create(&admin_p, c1, s1, a1, &l, 1, &e, &why);
	act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_SCHEDULE, a1, &why);
	e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, a1, &why);
	ok(e == OMS_ERR_CONFLICT, "history bad: a completion dated before the "
	    "asset's latest change is refused (%s)", why ? why : "-");
	/* Disconnect: the add-on goes too. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_DISCONNECT;
	l.asset = asset;
	l.fee_override = -1;
	oms_date_format(today, dd);
	id = create(&admin_p, c1, s1, dd, &l, 1, &e, &why);
	ok(e == OMS_OK && get(id, &o) && o.lines[0].fee_cents == 2500 &&
	    o.lines[0].mrc_before == 2000 + 300 && o.lines[0].mrc_after == 0,
	    "disconnect: priced 25.00, the monthly of the asset and its add-on goes");
	act(&admin_p, 0, id, OMS_VERB_SUBMIT, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_APPROVE, NULL, &why);
	act(&admin_p, 0, id, OMS_VERB_SCHEDULE, dd, &why);
	e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, dd, &why);
	ok(e == OMS_OK && valf("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " removed_on IS NOT NULL AND status = 'removed'", asset) == 1 &&
	    valf("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " removed_on IS NOT NULL", addon) == 1,
	    "disconnect: the asset and its add-on are removed the same day");
	ok(valf("SELECT COUNT(*) FROM domain_events WHERE asset_id = %lld", asset) == 4 &&
	    valf("SELECT COUNT(*) FROM domain_events WHERE asset_id = %lld"
	    " AND kind = 'asset_removed'", addon) == 1 &&
	    val("SELECT COUNT(*) FROM domain_events WHERE kind = 'addon_added'") >= 1,
	    "events: installed, moved twice and removed for the asset; the "
	    "add-on's own added and removed");
	ok(valf("SELECT COUNT(*) FROM domain_events WHERE asset_id = %lld AND"
	    " payload LIKE '%%tag=\"A%%'", asset) == 4,
	    "events: each carries the asset's tag in its payload");
	/* Nothing changes a removed asset. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_CHANGE;
	l.asset = asset;
	l.ports = 1;
	l.serial = "X";
	l.fee_override = -1;
	create(&admin_p, c1, s1, dd, &l, 1, &e, &why);
	ok(e == OMS_ERR_CONFLICT, "bad: no order changes a removed asset");
}

static void
test_dates(void)
{
	int64_t id = order_in(OMS_ORDER_SCHEDULED);
	const char *why;
	char d[11];
	enum oms_err e;

	oms_date_format(today + 1, d);
	ok(act(&vendor_p, 0, id, OMS_VERB_COMPLETE, d, &why) == OMS_ERR_INVAL,
	    "dates bad: no completion after the business date");
	oms_date_format(today - 93, d);
	e = act(&vendor_p, 0, id, OMS_VERB_COMPLETE, d, &why);
	ok(e == OMS_ERR_INVAL && why && strstr(why, "92"),
	    "dates bad: no completion more than 92 days back (%s)", why ? why : "-");
	ok(act(&vendor_p, 0, id, OMS_VERB_COMPLETE, "2026-13-01", &why) == OMS_ERR_INVAL,
	    "dates bad: a completion date that is no date");
}

/* One backend's pass. */
static void
pass(void)
{
	struct oms_seed_opts so = {2, 2, 4, 7, 0};
	struct oms_seed_stats ss;
	int applied;

	st = tb_open(dbname, OMS_STORE_CREATE);
	if (st == NULL)
		return;
	if (oms_migrate(st, &applied) != OMS_OK ||
	    oms_seed_demo(st, &so, &ss) != OMS_OK) {
		ok(0, "set up: migrate and seed");
		oms_store_close(&st);
		return;
	}
	c1 = val("SELECT MIN(id) FROM customers");
	c2 = val("SELECT MAX(id) FROM customers");
	s1 = valf("SELECT MIN(id) FROM sites WHERE customer_id = %lld", c1);
	s1b = valf("SELECT MAX(id) FROM sites WHERE customer_id = %lld", c1);
	s2 = valf("SELECT MIN(id) FROM sites WHERE customer_id = %lld", c2);
	cc1 = valf("SELECT MIN(id) FROM cost_centres WHERE customer_id = %lld", c1);
	cc1b = valf("SELECT MAX(id) FROM cost_centres WHERE customer_id = %lld", c1);
	cc2 = valf("SELECT MIN(id) FROM cost_centres WHERE customer_id = %lld", c2);
	pots = val("SELECT id FROM products WHERE code = 'LN-POTS'");
	sip = val("SELECT id FROM products WHERE code = 'LN-SIP10'");
	memset(&admin_p, 0, sizeof(admin_p));
	admin_p.role = OMS_ROLE_ADMIN;
	vendor_p = admin_p;
	vendor_p.role = OMS_ROLE_VENDOR;
	finance_p = admin_p;
	finance_p.role = OMS_ROLE_FINANCE;
	cust_p = admin_p;
	cust_p.role = OMS_ROLE_CUSTOMER;
	cust_p.scope.customer = c1;
	ok(oms_store_unit(st, setup_catalog, NULL) == OMS_OK && addon_p > 0,
	    "set up: fees, a contract price and an add-on product");
	test_pricing();
	test_table();
	test_approval();
	test_concurrent();
	test_atomic();
	test_history_addons();
	test_dates();
	oms_arena_reset(arena);
	oms_store_close(&st);
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	today = oms_date_from_ymd(2026, 11, 16);
	arena = oms_arena_new();
	tb_run(pass);
	oms_arena_free(&arena);
	return tap_done();
}

/*
 * seed_activity.c: a year of activity for the demonstration database
 * (omsctl seed-demo --activity), made through the same domain
 * functions the pages and the importer use, so the demo shows what
 * they make: a price history for every product, add-on products, fees
 * per MAC action, usage prices, a customer's contract prices, tax
 * rates, completed orders over the past year that gave assets their
 * histories (installs, add-ons, moves including an A -> B -> A within a
 * month, changes, disconnects), and open orders in every state.
 *
 * Everything is dated relative to the business date, so the demo looks
 * current whenever it is made.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "orders.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"
#include "workflow.h"

/* Who made the demo, for the audit log. */
static const struct oms_actor seeder = {0, "seed-demo", "local"};

/* What the activity works with. */
struct act {
	struct oms_store *st;
	struct oms_arena *a;
	struct oms_order_ctx ctx;      /* the operator, as admin */
	struct oms_principal admin;
	int32_t today;
	int64_t cust[3];               /* the first customers */
	int64_t sites[3][3];           /* their first sites */
	int64_t ccs[3][3];             /* their first cost centres */
	struct oms_seed_stats *stats;
};

/* Up to n ids of a one-column query bound with id (or nothing when id
 * is 0) into out; zeros for the missing. */
static enum oms_err
ids(struct oms_store *st, int stmt, int64_t id, int64_t *out, size_t n)
{
	struct oms_query *q = oms_query(st, stmt);
	size_t k = 0;

	memset(out, 0, n * sizeof(*out));
	if (id > 0)
		oms_query_int(q, id);
	while (oms_query_row(q))
		if (k < n)
			out[k++] = oms_query_col_int(q, 0);
	return oms_query_end(q);
}

/* The id of the product with code, or 0. */
static int64_t
product(struct act *x, const char *code)
{
	struct oms_product p;

	if (oms_product_get(x->st, x->a, 0, code, &p) != OMS_OK)
		return 0;
	return p.id;
}

/* Day d as text in the arena. */
static const char *
day(struct act *x, int32_t d)
{
	char b[11];

	return oms_arena_strdup(x->a, oms_date_format(d, b));
}

/* The first day of the month m months before the business date's. */
static int32_t
month_start(struct act *x, int m)
{
	int y, mo, d;

	oms_date_to_ymd(x->today, &y, &mo, &d);
	mo -= m;
	while (mo < 1) {
		mo += 12;
		y--;
	}
	return oms_date_from_ymd(y, mo, 1);
}

/* The catalog's history and extras. */
static enum oms_err
catalog(struct act *x)
{
	static const struct {
		const char *code, *name;
		enum oms_charge charge;
		int64_t monthly, min, max;
	} addons[] = {
		{"AD-VM2E", "Voicemail to e-mail", OMS_CHARGE_FLAT, 300, 0, 0},
		{"AD-CFWD", "Call forwarding", OMS_CHARGE_FLAT, 150, 0, 0},
		{"AD-HUNT", "Hunt group membership", OMS_CHARGE_PER_PORT, 75, 1, 30},
	};
	static const struct {
		enum oms_mac action;
		const char *product; /* NULL: any */
		int64_t cents;
		int months_ago;      /* from: -1 the start of 2020 */
	} fees[] = {
		{OMS_MAC_ADD, NULL, 4500, -1},
		{OMS_MAC_ADD, "LN-PRI", 25000, -1},
		{OMS_MAC_MOVE, NULL, 3500, -1},
		{OMS_MAC_MOVE, NULL, 3900, 5},
		{OMS_MAC_CHANGE, NULL, 1500, -1},
		{OMS_MAC_DISCONNECT, NULL, 2000, -1},
		{OMS_MAC_ADDON, NULL, 500, -1},
	};
	static const char *const regions[] = {"IL", "OH", "WI", "ID", "NY",
	    "VA", "AZ", "NE", "NC", "WA", "IA", "TN", "CA", "OK", "KS", "MI",
	    "NV", "GA", "RI", "VT", "NM", "MT", "ME", "SC", "AR", "SD", "ND",
	    "AK", "HI", "WY", "DE", "CT", "LA", "MS", "AL", "OR", "UT", "KY",
	    "PA"};
	int64_t pids[32];
	const char *why;
	int added;
	enum oms_err e;

	/* A price rise eight months ago on everything: +4 %, to 5 cents. */
	if ((e = ids(x->st, OMS_STMT_SEED_PRODUCTS, 0, pids, OMS_NELEM(pids))) != OMS_OK)
		return e;
	for (size_t i = 0; i < OMS_NELEM(pids) && pids[i] > 0; i++) {
		struct oms_price *pv;
		size_t n;

		if ((e = oms_price_list(x->st, x->a, pids[i], &pv, &n)) != OMS_OK)
			return e;
		if (n == 0)
			continue;
		if ((e = oms_price_add(x->st, &seeder, pids[i],
		    day(x, month_start(x, 8)),
		    (pv[0].monthly_cents * 104 / 100 + 4) / 5 * 5, &added)) != OMS_OK)
			return e;
	}
	for (size_t i = 0; i < OMS_NELEM(addons); i++) {
		struct oms_product p;
		int64_t id;

		memset(&p, 0, sizeof(p));
		p.code = addons[i].code;
		p.name = addons[i].name;
		p.type = OMS_PRODUCT_TYPE_ADDON;
		p.charge = addons[i].charge;
		p.usage_unit = "";
		p.min_ports = addons[i].min;
		p.max_ports = addons[i].max;
		if ((e = oms_product_put(x->st, &seeder, &p, &id, &why)) != OMS_OK ||
		    (e = oms_price_add(x->st, &seeder, id, "2019-01-01",
		    addons[i].monthly, &added)) != OMS_OK)
			return e;
		x->stats->products++;
	}
	for (size_t i = 0; i < OMS_NELEM(fees); i++) {
		struct oms_fee f;

		memset(&f, 0, sizeof(f));
		f.action = fees[i].action;
		f.product = fees[i].product ? product(x, fees[i].product) : 0;
		f.valid_from = fees[i].months_ago < 0 ? "2020-01-01" :
		    day(x, month_start(x, fees[i].months_ago));
		f.amount_cents = fees[i].cents;
		if ((e = oms_fee_add(x->st, &seeder, &f, &added)) != OMS_OK)
			return e;
	}
	{
		struct oms_usage_price u;
		struct oms_usage_tier pots[] = {{0, 35000}, {1000, 30000}};
		struct oms_usage_tier sip[] = {{0, 20000}};

		memset(&u, 0, sizeof(u));
		u.product = product(x, "LN-POTS");
		u.valid_from = "2024-01-01";
		u.unit = "minute";
		u.included = 500;
		u.tiers = pots;
		u.ntiers = OMS_NELEM(pots);
		if ((e = oms_usage_price_add(x->st, &seeder, &u, &added, &why)) != OMS_OK)
			return e;
		u.product = product(x, "LN-SIP10");
		u.included = 5000;
		u.tiers = sip;
		u.ntiers = OMS_NELEM(sip);
		if ((e = oms_usage_price_add(x->st, &seeder, &u, &added, &why)) != OMS_OK)
			return e;
	}
	{
		struct oms_contract_price cp;

		memset(&cp, 0, sizeof(cp));
		cp.customer = x->cust[0];
		cp.product = product(x, "LN-POTS");
		cp.valid_from = day(x, month_start(x, 10));
		cp.valid_to = day(x, month_start(x, -2));
		cp.monthly_cents = 2995;
		if ((e = oms_contract_price_add(x->st, &seeder, &cp, &added, &why)) != OMS_OK)
			return e;
		cp.product = product(x, "ST-IP6");
		cp.valid_from = "2026-01-01";
		cp.valid_to = NULL;
		cp.monthly_cents = 1100;
		if ((e = oms_contract_price_add(x->st, &seeder, &cp, &added, &why)) != OMS_OK)
			return e;
	}
	for (size_t i = 0; i < OMS_NELEM(regions); i++) {
		struct oms_tax_rate t;

		memset(&t, 0, sizeof(t));
		t.jurisdiction = oms_arena_printf(x->a, "US-%s", regions[i]);
		t.tax = "SALES";
		t.valid_from = "2020-01-01";
		t.rate_ppm = 40000 + (int64_t)(i % 7) * 2500;
		if ((e = oms_tax_rate_add(x->st, &seeder, &t, &added)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/*
 * One order of customer ci at site si with the n lines l, requested a
 * week before day d, taken through the verbs that lead to state `to`
 * (scheduled and completed on d).  OMS_OK; a refusal is an error here
 * (the demo is made so that every order applies).
 */
static enum oms_err
order(struct act *x, int ci, int si, struct oms_order_line *l, size_t n,
    int32_t d, enum oms_order_state to)
{
	static const struct {
		enum oms_order_state to;
		enum oms_verb verbs[4];
		size_t n;
	} plans[] = {
		{OMS_ORDER_DRAFT, {OMS_VERB_SUBMIT}, 0},
		{OMS_ORDER_SUBMITTED, {OMS_VERB_SUBMIT}, 1},
		{OMS_ORDER_AWAITING_APPROVAL, {OMS_VERB_SUBMIT}, 1},
		{OMS_ORDER_APPROVED, {OMS_VERB_SUBMIT, OMS_VERB_APPROVE}, 2},
		{OMS_ORDER_SCHEDULED, {OMS_VERB_SUBMIT, OMS_VERB_APPROVE,
		    OMS_VERB_SCHEDULE}, 3},
		{OMS_ORDER_COMPLETED, {OMS_VERB_SUBMIT, OMS_VERB_APPROVE,
		    OMS_VERB_SCHEDULE, OMS_VERB_COMPLETE}, 4},
		{OMS_ORDER_HELD, {OMS_VERB_SUBMIT, OMS_VERB_APPROVE,
		    OMS_VERB_HOLD}, 3},
		{OMS_ORDER_REJECTED, {OMS_VERB_SUBMIT, OMS_VERB_REJECT}, 2},
		{OMS_ORDER_CANCELLED, {OMS_VERB_SUBMIT, OMS_VERB_APPROVE,
		    OMS_VERB_CANCEL}, 3},
	};
	struct oms_order in;
	const char *why = NULL;
	int64_t id, version = 1;
	size_t p;
	enum oms_err e;

	for (p = 0; p < OMS_NELEM(plans) && plans[p].to != to; p++)
		;
	if (p == OMS_NELEM(plans))
		return OMS_ERR_INVAL;
	memset(&in, 0, sizeof(in));
	in.customer = x->cust[ci];
	in.site = x->sites[ci][si];
	in.requested_on = day(x, d - 7);
	in.notes = "Entered for the demonstration.";
	in.lines = l;
	in.nlines = n;
	if ((e = oms_order_create_in(x->st, &x->ctx, &in, &id, &why)) != OMS_OK)
		goto refused;
	x->stats->orders++;
	for (size_t k = 0; k < plans[p].n; k++) {
		enum oms_verb v = plans[p].verbs[k];
		struct oms_order_act args;

		memset(&args, 0, sizeof(args));
		args.date = day(x, d);
		args.comment = v == OMS_VERB_HOLD ? "Waiting for the site's "
		    "cabling work." : v == OMS_VERB_REJECT ? "Not at this "
		    "site: please order through the regional office." :
		    v == OMS_VERB_CANCEL ? "Plans changed." : NULL;
		if ((e = oms_order_act_in(x->st, &x->ctx, id, version, v, &args,
		    &why)) != OMS_OK)
			goto refused;
		version++;
	}
	return OMS_OK;
refused:
	oms_error("seed-demo: an order of the demo was refused: %s",
	    why ? why : oms_strerror(e));
	return e == OMS_OK ? OMS_ERR_STORE : e;
}

/* An asset at site si of customer ci, of product code, in service
 * since before day d and untouched so far; 0 when there is none. */
static int64_t
pick(struct act *x, int ci, int si, const char *code, int32_t d)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_SEED_PICK);
	int64_t id = 0;

	oms_query_int(q, x->sites[ci][si]);
	oms_query_text(q, code);
	oms_query_text(q, day(x, d));
	if (oms_query_row(q))
		id = oms_query_col_int(q, 0);
	return oms_query_end(q) == OMS_OK ? id : 0;
}

/* A line with nothing set but its action (fee override: none). */
static struct oms_order_line
line(enum oms_mac action)
{
	struct oms_order_line l;

	memset(&l, 0, sizeof(l));
	l.action = action;
	l.ports = -1;
	l.fee_override = -1;
	return l;
}

/* The completed orders of the past year, then the open ones. */
static enum oms_err
orders(struct act *x)
{
	struct oms_order_line l[3];
	int64_t pots = product(x, "LN-POTS"), did = product(x, "LN-DID");
	int64_t ip6 = product(x, "ST-IP6"), vm2e = product(x, "AD-VM2E");
	int64_t hunt = product(x, "AD-HUNT"), sip = product(x, "LN-SIP10");
	int64_t a;
	enum oms_err e;

	/* Installs, eleven and ten months ago. */
	for (int m = 11; m >= 10; m--) {
		l[0] = line(OMS_MAC_ADD);
		l[0].product = pots;
		l[0].cost_centre = x->ccs[0][0];
		l[0].ports = 1;
		l[0].number = oms_arena_printf(x->a, "+1217555%04d", 100 + m);
		l[1] = line(OMS_MAC_ADD);
		l[1].product = ip6;
		l[1].cost_centre = x->ccs[0][0];
		l[1].ports = 1;
		l[1].extension = oms_arena_printf(x->a, "%d", 7100 + m);
		l[1].serial = oms_arena_printf(x->a, "PLC9%07d", m);
		if ((e = order(x, 0, 0, l, 2, month_start(x, m) + 3,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
	}
	/* An add-on on a line, nine months ago. */
	if ((a = pick(x, 0, 0, "LN-POTS", month_start(x, 9))) > 0) {
		l[0] = line(OMS_MAC_ADDON);
		l[0].parent = a;
		l[0].product = vm2e;
		l[0].ports = 0;
		if ((e = order(x, 0, 0, l, 1, month_start(x, 9) + 10,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
		/* ... and the line it sits on moves seven months ago. */
		l[0] = line(OMS_MAC_MOVE);
		l[0].asset = a;
		l[0].site = x->sites[0][1];
		l[0].cost_centre = x->ccs[0][1];
		if ((e = order(x, 0, 0, l, 1, month_start(x, 7) + 4,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
	}
	/* A -> B -> A within one month, five months ago. */
	if ((a = pick(x, 0, 0, "ST-IP6", month_start(x, 5))) > 0) {
		l[0] = line(OMS_MAC_MOVE);
		l[0].asset = a;
		l[0].site = x->sites[0][1];
		if ((e = order(x, 0, 0, l, 1, month_start(x, 5) + 6,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
		l[0].site = x->sites[0][0];
		if ((e = order(x, 0, 1, l, 1, month_start(x, 5) + 20,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
	}
	/* Changes: a line to a DID, a trunk's channels, four and three
	 * months ago. */
	if ((a = pick(x, 0, 0, "LN-POTS", month_start(x, 4))) > 0) {
		l[0] = line(OMS_MAC_CHANGE);
		l[0].asset = a;
		l[0].product = did;
		if ((e = order(x, 0, 0, l, 1, month_start(x, 4) + 12,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
	}
	for (int si = 0; si < 3; si++)
		if ((a = pick(x, 0, si, "LN-SIP10", month_start(x, 3))) > 0) {
			l[0] = line(OMS_MAC_CHANGE);
			l[0].asset = a;
			l[0].ports = 24;
			if ((e = order(x, 0, si, l, 1, month_start(x, 3) + 2,
			    OMS_ORDER_COMPLETED)) != OMS_OK)
				return e;
			l[0] = line(OMS_MAC_ADDON);
			l[0].parent = a;
			l[0].product = hunt;
			l[0].ports = 8;
			if ((e = order(x, 0, si, l, 1, month_start(x, 2) + 2,
			    OMS_ORDER_COMPLETED)) != OMS_OK)
				return e;
			break;
		}
	/* A disconnect last month. */
	if ((a = pick(x, 0, 0, "ST-IP6", month_start(x, 1))) > 0) {
		l[0] = line(OMS_MAC_DISCONNECT);
		l[0].asset = a;
		if ((e = order(x, 0, 0, l, 1, month_start(x, 1) + 15,
		    OMS_ORDER_COMPLETED)) != OMS_OK)
			return e;
	}
	/* Open orders, one in every state but completed. */
	{
		static const enum oms_order_state open[] = {OMS_ORDER_DRAFT,
		    OMS_ORDER_SUBMITTED, OMS_ORDER_APPROVED,
		    OMS_ORDER_SCHEDULED, OMS_ORDER_HELD, OMS_ORDER_REJECTED,
		    OMS_ORDER_CANCELLED};

		for (size_t i = 0; i < OMS_NELEM(open); i++) {
			l[0] = line(OMS_MAC_ADD);
			l[0].product = i % 2 ? ip6 : pots;
			l[0].cost_centre = x->ccs[0][i % 2];
			l[0].ports = 1;
			l[1] = line(OMS_MAC_ADD);
			l[1].product = sip;
			l[1].cost_centre = x->ccs[0][0];
			l[1].ports = 8;
			if ((e = order(x, 0, (int)(i % 2), l, i % 3 ? 1 : 2,
			    x->today + 14, open[i])) != OMS_OK)
				return e;
		}
	}
	/* The second customer approves its own orders: one awaits it. */
	if (x->cust[1] > 0 && x->sites[1][0] > 0) {
		struct oms_query *q = oms_query(x->st, OMS_STMT_SEED_APPROVAL);

		oms_query_int(q, x->cust[1]);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		l[0] = line(OMS_MAC_ADD);
		l[0].product = pots;
		l[0].cost_centre = x->ccs[1][0];
		l[0].ports = 1;
		if ((e = order(x, 1, 0, l, 1, x->today + 10,
		    OMS_ORDER_AWAITING_APPROVAL)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Described in seed.h. */
enum oms_err
oms_seed_activity(struct oms_store *st, uint64_t seed,
    struct oms_seed_stats *stats)
{
	struct act x;
	enum oms_err e;

	(void)seed;
	memset(&x, 0, sizeof(x));
	if ((x.a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	x.st = st;
	x.stats = stats;
	x.today = oms_date_today();
	x.admin.role = OMS_ROLE_ADMIN;
	x.ctx.arena = x.a;
	x.ctx.actor = &seeder;
	x.ctx.who = &x.admin;
	x.ctx.today = x.today;
	/* Work done in the field over the past year: the demo is made in
	 * one go, so its back-dating reaches a year. */
	x.ctx.backdate_days = 400;
	if ((e = ids(st, OMS_STMT_SEED_CUSTOMERS, 0, x.cust, 3)) != OMS_OK)
		goto out;
	for (int i = 0; i < 3; i++)
		if (x.cust[i] > 0 &&
		    ((e = ids(st, OMS_STMT_SEED_SITES_OF, x.cust[i], x.sites[i], 3)) != OMS_OK ||
		    (e = ids(st, OMS_STMT_SEED_CCS_OF, x.cust[i], x.ccs[i], 3)) != OMS_OK))
			goto out;
	for (int i = 0; i < 3; i++)
		for (int k = 1; k < 3; k++) {
			if (x.sites[i][k] == 0)
				x.sites[i][k] = x.sites[i][0];
			if (x.ccs[i][k] == 0)
				x.ccs[i][k] = x.ccs[i][0];
		}
	if ((e = catalog(&x)) == OMS_OK && x.sites[0][0] > 0)
		e = orders(&x);
out:
	oms_arena_free(&x.a);
	return e;
}

/*
 * catalog.c: the catalog pages.  GET /catalog lists the products with
 * the price in effect today (for a customer user, its contract price
 * when one is in effect, marked as such); GET /catalog/{id} shows one
 * product with its price history, usage prices, the fees that apply and
 * the contract prices the user may see.  Vendor and admin users get
 * forms: a new product (POST /catalog, which also updates the product
 * of a known code), and from a date a price, a fee, a contract price or
 * a usage price (POST /catalog/{id}/...).
 *
 * Every write goes through src/domain/catalog.c in one unit of work
 * with its audit record.  A refused input shows the page again with
 * what is wrong (400); rewriting a price that exists is a conflict
 * (409, the page again with why); success is 303 to the product.
 * Which price, fee or contract is in effect today is decided here and
 * marked in the document, so the stylesheets only format.
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
#include "store.h"

/* The forms of the product page, as named in its document. */
enum form {
	FORM_NONE,
	FORM_PRODUCT,  /* POST /catalog */
	FORM_PRICE,    /* POST /catalog/{id}/prices */
	FORM_FEE,      /* POST /catalog/{id}/fees */
	FORM_CONTRACT, /* POST /catalog/{id}/contracts */
	FORM_USAGE,    /* POST /catalog/{id}/usage */
	FORM__MAX
};

static const char *const form_names[FORM__MAX] = {
	"",         /* FORM_NONE */
	"product",  /* FORM_PRODUCT */
	"price",    /* FORM_PRICE */
	"fee",      /* FORM_FEE */
	"contract", /* FORM_CONTRACT */
	"usage",    /* FORM_USAGE */
};

/* 1 when the request's user may change the catalog. */
static int
may_edit(const struct oms_req *req)
{
	return req->sess != NULL &&
	    oms_role_may((int)req->sess->user.role, OMS_PERM_CATALOG_EDIT);
}

/* The text of field k, or NULL when absent. */
static const char *
ftext(const struct oms_req *req, enum oms_key k)
{
	const struct oms_field *f = &req->fields.f[k];

	return f->present ? f->s : NULL;
}

/* Today, the business date, as "YYYY-MM-DD" into buf (11 bytes). */
static const char *
today(char *buf)
{
	return oms_date_format(oms_date_today(), buf);
}

/* Add the options of a product's asset types and charges to n, sel_type
 * and sel_charge selected (-1: none). */
static void
type_charge_options(xmlNodePtr n, int sel_type, int sel_charge)
{
	static const char *const type_labels[4] = {
		"Line", "Set", "Mailbox", "Add-on",
	};
	xmlNodePtr g = oms_node(n, "types");

	for (int i = 0; i <= OMS_PRODUCT_TYPE_ADDON; i++)
		oms_option(g, oms_product_type_names[i], type_labels[i],
		    i == sel_type);
	g = oms_node(n, "charges");
	for (int i = 0; i < OMS_CHARGE__MAX; i++)
		oms_option(g, oms_charge_names[i], oms_charge_labels[i],
		    i == sel_charge);
}

/* Echo the typed fields of the form just refused as attributes of a
 * <form name> element of parent, so that the page shows them again. */
static void
echo_form(struct oms_req *req, xmlNodePtr parent, enum form which)
{
	static const enum oms_key keys[] = {
		OMS_KEY_CODE, OMS_KEY_NAME, OMS_KEY_ASSET_TYPE, OMS_KEY_CHARGE,
		OMS_KEY_UNIT, OMS_KEY_MIN_PORTS, OMS_KEY_MAX_PORTS,
		OMS_KEY_VALID_FROM, OMS_KEY_VALID_TO, OMS_KEY_MONTHLY,
		OMS_KEY_AMOUNT, OMS_KEY_PRODUCT_CODE, OMS_KEY_INCLUDED, OMS_KEY_TIERS,
		OMS_KEY_CUSTOMER_CODE, OMS_KEY_CUSTOMER, OMS_KEY_ACTION,
	};
	xmlNodePtr n;

	if (which == FORM_NONE)
		return;
	n = oms_node(parent, "form");
	oms_attr(n, "name", form_names[which]);
	for (size_t i = 0; i < OMS_NELEM(keys); i++) {
		const struct oms_field *f = &req->fields.f[keys[i]];

		if (!f->present)
			continue;
		if (oms_keys[keys[i]].valid == OMS_VALID_INT)
			oms_attr_int(n, oms_keys[keys[i]].name, f->i);
		else
			oms_attr(n, oms_keys[keys[i]].name, f->s);
	}
}

/*
 * The catalog list: every product with today's price; for a customer
 * user the contract price in effect instead, when there is one.  which
 * and message: the refused new-product form, or FORM_NONE and NULL.
 */
static void
catalog_page(struct oms_req *req, struct oms_resp *resp, enum form which,
    const char *message)
{
	struct oms_product *v;
	size_t n;
	int status = resp->status, customer = req->scope.customer != 0;
	int edit = may_edit(req);
	xmlNodePtr root, crumbs, list;
	char d[11];
	enum oms_err e;

	if ((e = oms_product_list(req->st, req->arena, oms_date_today(), &v,
	    &n)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "catalog", "Catalog", &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, NULL, "Catalog");
	list = oms_node(root, "catalog");
	oms_attr(list, "date", today(d));
	oms_attr(list, "edit", edit ? "yes" : "no");
	oms_attr(list, "customer", customer ? "yes" : "no");
	oms_attr_int(list, "count", (int64_t)n);
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr p = oms_node(list, "product");
		int64_t cents = v[i].monthly_cents;
		int contract = 0;

		if (customer) {
			e = oms_price_monthly(req->st, req->scope.customer,
			    v[i].id, oms_date_today(), &cents, &contract);
			if (e == OMS_ERR_NOTFOUND)
				cents = -1;
			else if (e != OMS_OK) {
				oms_fail(resp, e, NULL);
				resp->doc = NULL;
				return;
			}
		}
		oms_attr_int(p, "id", v[i].id);
		oms_attr(p, "code", v[i].code);
		oms_attr(p, "name", v[i].name);
		oms_attr(p, "type", oms_product_type_names[v[i].type]);
		oms_attr(p, "charge", oms_charge_names[v[i].charge]);
		oms_attr(p, "unit", v[i].usage_unit);
		if (cents >= 0)
			oms_attr_int(p, "monthly-cents", cents);
		if (contract)
			oms_attr(p, "contract", "yes");
		if (!customer)
			oms_attr_int(p, "assets", v[i].assets);
		oms_attr(p, "href", oms_arena_printf(req->arena,
		    "/catalog/%lld", (long long)v[i].id));
	}
	if (edit) {
		xmlNodePtr f = oms_node(root, "new-product");
		const struct oms_field *ft = &req->fields.f[OMS_KEY_ASSET_TYPE];
		const struct oms_field *fc = &req->fields.f[OMS_KEY_CHARGE];

		oms_attr(f, "action", "/catalog");
		type_charge_options(f, ft->present ? (int)ft->i : -1,
		    fc->present ? (int)fc->i : OMS_CHARGE_FLAT);
		echo_form(req, f, which);
		if (message != NULL)
			oms_node_text(f, "message", message);
	}
}

/*
 * GET /catalog: the products and the price in effect today.
 */
void
oms_h_catalog(struct oms_req *req, struct oms_resp *resp)
{
	catalog_page(req, resp, FORM_NONE, NULL);
}

/* Mark with applies="yes" the fees in effect today: for each action,
 * the product's own fee in effect, else the any-product one (v is
 * newest first). */
static void
fee_nodes(xmlNodePtr parent, const struct oms_fee *v, size_t n,
    const char *day)
{
	size_t applies[OMS_MAC__MAX];

	for (int a = 0; a < OMS_MAC__MAX; a++) {
		applies[a] = n;
		for (int own = 1; own >= 0 && applies[a] == n; own--)
			for (size_t i = 0; i < n; i++)
				if ((int)v[i].action == a &&
				    (v[i].product != 0) == own &&
				    strcmp(v[i].valid_from, day) <= 0) {
					applies[a] = i;
					break;
				}
	}
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr f = oms_node(parent, "fee");

		oms_attr_int(f, "id", v[i].id);
		oms_attr(f, "action", oms_mac_names[v[i].action]);
		oms_attr(f, "action-label", oms_mac_labels[v[i].action]);
		if (v[i].product_code != NULL)
			oms_attr(f, "product", v[i].product_code);
		else
			oms_attr(f, "any", "yes");
		oms_attr(f, "valid-from", v[i].valid_from);
		oms_attr_int(f, "amount-cents", v[i].amount_cents);
		if (applies[v[i].action] == i)
			oms_attr(f, "applies", "yes");
	}
}

/* The contract prices, each customer's one in effect today marked
 * current="yes" (v is by customer, newest first). */
static void
contract_nodes(xmlNodePtr parent, const struct oms_contract_price *v,
    size_t n, const char *day)
{
	int64_t marked = 0;

	for (size_t i = 0; i < n; i++) {
		xmlNodePtr c = oms_node(parent, "contract");

		oms_attr_int(c, "id", v[i].id);
		oms_attr_int(c, "customer-id", v[i].customer);
		oms_attr(c, "customer", v[i].customer_code);
		oms_attr(c, "valid-from", v[i].valid_from);
		if (v[i].valid_to != NULL)
			oms_attr(c, "valid-to", v[i].valid_to);
		oms_attr_int(c, "monthly-cents", v[i].monthly_cents);
		if (marked != v[i].customer &&
		    strcmp(v[i].valid_from, day) <= 0 &&
		    (v[i].valid_to == NULL || strcmp(v[i].valid_to, day) > 0)) {
			oms_attr(c, "current", "yes");
			marked = v[i].customer;
		}
	}
}

/*
 * The product page of product id: which and message are the refused
 * form and why (FORM_NONE and NULL for none), the status (400, 409)
 * already in resp.
 */
static void
product_page(struct oms_req *req, struct oms_resp *resp, int64_t id,
    enum form which, const char *message)
{
	struct oms_product p;
	struct oms_price *pv;
	struct oms_usage_price *uv;
	struct oms_fee *fv;
	struct oms_contract_price *cv;
	struct oms_customer *cs = NULL;
	size_t np, nu, nf, nc, ncs = 0;
	int status = resp->status, customer = req->scope.customer != 0;
	int edit = may_edit(req), marked = 0;
	xmlNodePtr root, crumbs, x, g;
	char d[11], buf[24];
	enum oms_err e;

	today(d);
	if ((e = oms_product_get(req->st, req->arena, id, NULL, &p)) != OMS_OK) {
		oms_fail(resp, e, "There is no such product.");
		return;
	}
	if ((e = oms_price_list(req->st, req->arena, id, &pv, &np)) != OMS_OK ||
	    (e = oms_usage_price_list(req->st, req->arena, id, &uv, &nu)) !=
	    OMS_OK ||
	    (e = oms_fee_list(req->st, req->arena, id, &fv, &nf)) != OMS_OK ||
	    (e = oms_contract_price_list(req->st, req->arena, &req->scope, 0,
	    id, &cv, &nc)) != OMS_OK ||
	    (edit && (e = oms_customer_names(req->st, req->arena, &req->scope,
	    &cs, &ncs)) != OMS_OK)) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "product", oms_arena_printf(
	    req->arena, "Product %s", p.code), &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/catalog", "Catalog");
	oms_crumb(crumbs, NULL, p.code);
	x = oms_node(root, "product");
	oms_attr_int(x, "id", p.id);
	oms_attr(x, "code", p.code);
	oms_attr(x, "name", p.name);
	oms_attr(x, "type", oms_product_type_names[p.type]);
	oms_attr(x, "charge", oms_charge_names[p.charge]);
	oms_attr(x, "charge-label", oms_charge_labels[p.charge]);
	oms_attr(x, "unit", p.usage_unit);
	oms_attr_int(x, "min-ports", p.min_ports);
	oms_attr_int(x, "max-ports", p.max_ports);
	if (!customer)
		oms_attr_int(x, "assets", p.assets);
	oms_attr(x, "date", d);
	oms_attr(x, "edit", edit ? "yes" : "no");
	oms_attr(x, "action", oms_arena_printf(req->arena, "/catalog/%lld",
	    (long long)p.id));
	if (customer) {
		int64_t cents;
		int contract = 0;

		e = oms_price_monthly(req->st, req->scope.customer, p.id,
		    oms_date_today(), &cents, &contract);
		if (e == OMS_OK) {
			oms_attr_int(x, "your-cents", cents);
			oms_attr(x, "your-contract", contract ? "yes" : "no");
		} else if (e != OMS_ERR_NOTFOUND) {
			oms_fail(resp, e, NULL);
			resp->doc = NULL;
			return;
		}
	}
	if (message != NULL) {
		g = oms_node_text(x, "message", message);
		oms_attr(g, "form", form_names[which]);
	}
	g = oms_node(x, "prices");
	for (size_t i = 0; i < np; i++) {
		xmlNodePtr r = oms_node(g, "price");

		oms_attr(r, "valid-from", pv[i].valid_from);
		oms_attr_int(r, "monthly-cents", pv[i].monthly_cents);
		if (!marked && strcmp(pv[i].valid_from, d) <= 0) {
			oms_attr(r, "current", "yes");
			marked = 1;
		}
	}
	g = oms_node(x, "usage-prices");
	marked = 0;
	for (size_t i = 0; i < nu; i++) {
		xmlNodePtr r = oms_node(g, "usage");

		oms_attr(r, "valid-from", uv[i].valid_from);
		oms_attr(r, "unit", uv[i].unit);
		oms_attr_int(r, "included", uv[i].included);
		oms_attr(r, "tiers", oms_usage_tiers_format(req->arena,
		    uv[i].tiers, uv[i].ntiers));
		if (!marked && strcmp(uv[i].valid_from, d) <= 0) {
			oms_attr(r, "current", "yes");
			marked = 1;
		}
		for (size_t k = 0; k < uv[i].ntiers; k++) {
			xmlNodePtr t = oms_node(r, "tier");

			oms_attr_int(t, "from", uv[i].tiers[k].from_units);
			oms_attr_int(t, "rate-micros", uv[i].tiers[k].rate_micros);
		}
	}
	fee_nodes(oms_node(x, "fees"), fv, nf, d);
	contract_nodes(oms_node(x, "contracts"), cv, nc, d);
	if (!edit)
		return;
	g = oms_node(x, "actions");
	for (int a = 0; a < OMS_MAC__MAX; a++)
		oms_option(g, oms_mac_names[a], oms_mac_labels[a],
		    which == FORM_FEE && ftext(req, OMS_KEY_ACTION) != NULL &&
		    strcmp(ftext(req, OMS_KEY_ACTION), oms_mac_names[a]) == 0);
	g = oms_node(x, "customers");
	for (size_t i = 0; i < ncs; i++) {
		snprintf(buf, sizeof(buf), "%lld", (long long)cs[i].id);
		oms_option(g, buf, oms_arena_printf(req->arena, "%s %s",
		    cs[i].code, cs[i].name), which == FORM_CONTRACT &&
		    req->fields.f[OMS_KEY_CUSTOMER].present &&
		    req->fields.f[OMS_KEY_CUSTOMER].i == cs[i].id);
	}
	echo_form(req, x, which);
}

/*
 * GET /catalog/{id}: one product with its price history, usage prices,
 * the fees that apply and the contract prices in the user's scope.
 */
void
oms_h_product(struct oms_req *req, struct oms_resp *resp)
{
	product_page(req, resp, req->ids[0], FORM_NONE, NULL);
}

/* ------------------------------------------------------------ writes */

/* One write of a catalog form, run by write_unit in a unit of work. */
struct write {
	enum form form;                      /* which write */
	const struct oms_actor *who;         /* for the audit log */
	struct oms_product product;          /* FORM_PRODUCT */
	int64_t product_id;                  /* the product written to */
	const char *valid_from;              /* FORM_PRICE */
	int64_t cents;                       /* FORM_PRICE */
	struct oms_fee fee;                  /* FORM_FEE */
	struct oms_contract_price contract;  /* FORM_CONTRACT */
	struct oms_usage_price usage;        /* FORM_USAGE */
	int added;                           /* 1 when a row was added */
	const char *why;                     /* why refused, or NULL */
};

/* The unit of work of one write (oms_unit_fn): the domain's error. */
static enum oms_err
write_unit(struct oms_store *st, void *arg)
{
	struct write *w = arg;

	w->why = NULL;
	switch (w->form) {
	case FORM_PRODUCT:
		return oms_product_put(st, w->who, &w->product, &w->product_id,
		    &w->why);
	case FORM_PRICE:
		return oms_price_add(st, w->who, w->product_id, w->valid_from,
		    w->cents, &w->added);
	case FORM_FEE:
		return oms_fee_add(st, w->who, &w->fee, &w->added);
	case FORM_CONTRACT:
		return oms_contract_price_add(st, w->who, &w->contract,
		    &w->added, &w->why);
	case FORM_USAGE:
		return oms_usage_price_add(st, w->who, &w->usage, &w->added,
		    &w->why);
	default:
		return OMS_ERR_INVAL;
	}
}

/*
 * Parse money field k into *cents: 1 when it is a non-negative amount
 * with at most two decimals; else 0 with *why set.
 */
static int
money_field(struct oms_req *req, enum oms_key k, const char *what,
    int64_t *cents, const char **why)
{
	const char *s = ftext(req, k);

	if (s == NULL || oms_money_parse(s, cents) != OMS_OK || *cents < 0) {
		*why = oms_arena_printf(req->arena, "Give the %s as an amount "
		    "of 0 or more with at most two decimals, like 12.50.", what);
		return 0;
	}
	return 1;
}

/* 1 when date field k holds a valid YYYY-MM-DD date; else 0, *why set. */
static int
date_field(struct oms_req *req, enum oms_key k, const char *what,
    const char **why)
{
	const char *s = ftext(req, k);
	int32_t d;

	if (s == NULL || oms_date_parse(s, &d) != OMS_OK) {
		*why = oms_arena_printf(req->arena, "Give %s as a date, "
		    "YYYY-MM-DD.", what);
		return 0;
	}
	return 1;
}

/*
 * Run write w in a unit of work and answer: 303 to the product on
 * success (added or the same again), the page again with why on a
 * refusal (400) or a conflict (409), or an error status.  invalid: the
 * message for an OMS_ERR_INVAL the domain gave no why for.
 */
static void
run_write(struct oms_req *req, struct oms_resp *resp, struct write *w,
    const char *invalid)
{
	enum oms_err e;

	w->who = &req->actor;
	e = oms_store_unit(req->st, write_unit, w);
	if (e == OMS_OK) {
		resp->status = 303;
		resp->location = oms_arena_printf(req->arena, "/catalog/%lld",
		    (long long)w->product_id);
		return;
	}
	if (e == OMS_ERR_INVAL || e == OMS_ERR_CONFLICT) {
		const char *why = w->why;

		if (why == NULL)
			why = e == OMS_ERR_CONFLICT ? "There is another price "
			    "from that date already: a price is never "
			    "rewritten; add a new one from a later date." :
			    invalid;
		resp->status = e == OMS_ERR_CONFLICT ? 409 : 400;
		if (w->form == FORM_PRODUCT)
			catalog_page(req, resp, w->form, why);
		else
			product_page(req, resp, w->product_id, w->form, why);
		return;
	}
	oms_fail(resp, e, "There is no such product.");
}

/* Show the refused form w->form again with why, 400. */
static void
refuse(struct oms_req *req, struct oms_resp *resp, struct write *w,
    const char *why)
{
	resp->status = 400;
	if (w->form == FORM_PRODUCT)
		catalog_page(req, resp, w->form, why);
	else
		product_page(req, resp, w->product_id, w->form, why);
}

/*
 * Start a write to the product of the route: 1 when it exists (with
 * its record in *p), else 0 with resp set (404 or an error status).
 */
static int
route_product(struct oms_req *req, struct oms_resp *resp, struct write *w,
    enum form form, struct oms_product *p)
{
	enum oms_err e;

	memset(w, 0, sizeof(*w));
	w->form = form;
	w->product_id = req->ids[0];
	if ((e = oms_product_get(req->st, req->arena, req->ids[0], NULL, p)) !=
	    OMS_OK) {
		oms_fail(resp, e, "There is no such product.");
		return 0;
	}
	return 1;
}

/*
 * POST /catalog: a new product, or new name, usage unit and port limits
 * (and, while it has no assets, type and charge) for the product of a
 * known code.
 */
void
oms_h_product_put(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct write w;

	memset(&w, 0, sizeof(w));
	w.form = FORM_PRODUCT;
	if (!f[OMS_KEY_CODE].present || !f[OMS_KEY_NAME].present ||
	    !f[OMS_KEY_ASSET_TYPE].present || !f[OMS_KEY_CHARGE].present) {
		refuse(req, resp, &w, "Give the product's code, name, asset "
		    "type and charge.");
		return;
	}
	w.product.code = f[OMS_KEY_CODE].s;
	w.product.name = f[OMS_KEY_NAME].s;
	w.product.type = (int)f[OMS_KEY_ASSET_TYPE].i;
	w.product.charge = (enum oms_charge)f[OMS_KEY_CHARGE].i;
	w.product.usage_unit = f[OMS_KEY_UNIT].present ? f[OMS_KEY_UNIT].s : "";
	w.product.min_ports = f[OMS_KEY_MIN_PORTS].present ?
	    f[OMS_KEY_MIN_PORTS].i : 0;
	w.product.max_ports = f[OMS_KEY_MAX_PORTS].present ?
	    f[OMS_KEY_MAX_PORTS].i : 1000;
	run_write(req, resp, &w, "The product was refused.");
}

/*
 * POST /catalog/{id}/prices: a monthly price from a date.
 */
void
oms_h_product_price(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_product p;
	struct write w;
	const char *why = NULL;

	if (!route_product(req, resp, &w, FORM_PRICE, &p))
		return;
	if (!date_field(req, OMS_KEY_VALID_FROM, "the first day of the price",
	    &why) || !money_field(req, OMS_KEY_MONTHLY, "monthly price",
	    &w.cents, &why)) {
		refuse(req, resp, &w, why);
		return;
	}
	w.valid_from = ftext(req, OMS_KEY_VALID_FROM);
	run_write(req, resp, &w, "Give a date, YYYY-MM-DD, and an amount of "
	    "0 or more.");
}

/*
 * POST /catalog/{id}/fees: a one-time fee of a MAC action from a date,
 * for this product (product = its code) or for any product (none).
 */
void
oms_h_product_fee(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_product p;
	struct write w;
	const char *why = NULL, *pc;
	int action;

	if (!route_product(req, resp, &w, FORM_FEE, &p))
		return;
	action = oms_mac_lookup(ftext(req, OMS_KEY_ACTION));
	pc = ftext(req, OMS_KEY_PRODUCT_CODE);
	if (action < 0)
		why = "Choose the action the fee is for: add, move, change, "
		    "disconnect or addon.";
	else if (pc != NULL && strcmp(pc, p.code) != 0)
		why = "A fee is for this product or for any product.";
	else if (date_field(req, OMS_KEY_VALID_FROM, "the first day of the "
	    "fee", &why))
		money_field(req, OMS_KEY_AMOUNT, "fee", &w.fee.amount_cents,
		    &why);
	if (why != NULL) {
		refuse(req, resp, &w, why);
		return;
	}
	w.fee.action = (enum oms_mac)action;
	w.fee.product = pc != NULL ? p.id : 0;
	w.fee.valid_from = ftext(req, OMS_KEY_VALID_FROM);
	run_write(req, resp, &w, "Give a date, YYYY-MM-DD, and an amount of "
	    "0 or more.");
}

/*
 * POST /catalog/{id}/contracts: a customer's contract price (customer
 * by id or by code), valid from a date and optionally to one
 * (excluded).
 */
void
oms_h_product_contract(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_product p;
	struct write w;
	const char *why = NULL;

	if (!route_product(req, resp, &w, FORM_CONTRACT, &p))
		return;
	/* Each check runs only while the ones before passed (why NULL). */
	if (!f[OMS_KEY_CUSTOMER].present && !f[OMS_KEY_CUSTOMER_CODE].present)
		why = "Choose the customer, or give its code.";
	if (why == NULL)
		date_field(req, OMS_KEY_VALID_FROM, "the first day of the "
		    "contract price", &why);
	if (why == NULL && f[OMS_KEY_VALID_TO].present)
		date_field(req, OMS_KEY_VALID_TO, "the day the contract price "
		    "ends (or nothing)", &why);
	if (why == NULL)
		money_field(req, OMS_KEY_MONTHLY, "monthly price",
		    &w.contract.monthly_cents, &why);
	if (why != NULL) {
		refuse(req, resp, &w, why);
		return;
	}
	w.contract.customer = f[OMS_KEY_CUSTOMER].present ?
	    f[OMS_KEY_CUSTOMER].i : 0;
	w.contract.customer_code = ftext(req, OMS_KEY_CUSTOMER_CODE);
	w.contract.product = p.id;
	w.contract.valid_from = ftext(req, OMS_KEY_VALID_FROM);
	w.contract.valid_to = ftext(req, OMS_KEY_VALID_TO);
	run_write(req, resp, &w, "The contract price was refused.");
}

/*
 * POST /catalog/{id}/usage: a usage price from a date: unit (the
 * product's usage unit when none is given), units included a month and
 * the tiers.
 */
void
oms_h_product_usage(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_product p;
	struct write w;
	const char *why = NULL;
	enum oms_err e;

	if (!route_product(req, resp, &w, FORM_USAGE, &p))
		return;
	if (!date_field(req, OMS_KEY_VALID_FROM, "the first day of the usage "
	    "price", &why)) {
		refuse(req, resp, &w, why);
		return;
	}
	e = oms_usage_tiers_parse(req->arena, ftext(req, OMS_KEY_TIERS),
	    &w.usage.tiers, &w.usage.ntiers, &why);
	if (e == OMS_ERR_INVAL) {
		refuse(req, resp, &w, why);
		return;
	}
	if (e != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	w.usage.product = p.id;
	w.usage.valid_from = ftext(req, OMS_KEY_VALID_FROM);
	w.usage.unit = f[OMS_KEY_UNIT].present ? f[OMS_KEY_UNIT].s :
	    p.usage_unit;
	w.usage.included = f[OMS_KEY_INCLUDED].present ?
	    f[OMS_KEY_INCLUDED].i : 0;
	run_write(req, resp, &w, "The usage price was refused.");
}

/*
 * catalog.c: products, effective-dated prices, usage prices with their
 * tiers, one-time fees, contract prices and tax rates (catalog.h), and
 * the price lookups of ../BILLING.md.
 *
 * Sections: name tables; small helpers; reads; price lookups; usage
 * tiers (parse and format); writes.
 *
 * Writes are facts with dates: a key (a product and a date, say) is
 * written once.  The same key with the same values again changes
 * nothing (an import run twice); with other values it is a conflict,
 * never an update, so that the history of prices stays as it was
 * billed.  Only a product's own row is updated in place (its name,
 * usage unit and port limits; its type and charge until it has
 * assets).  Each write runs inside the caller's unit of work and
 * appends its audit record there.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "inventory.h"
#include "money.h"
#include "stmts.h"
#include "store.h"

/* ------------------------------------------------------ name tables */

const char *const oms_mac_names[OMS_MAC__MAX] = {
	"add",        /* OMS_MAC_ADD */
	"move",       /* OMS_MAC_MOVE */
	"change",     /* OMS_MAC_CHANGE */
	"disconnect", /* OMS_MAC_DISCONNECT */
	"addon",      /* OMS_MAC_ADDON */
};

const char *const oms_mac_labels[OMS_MAC__MAX] = {
	"Add",        /* OMS_MAC_ADD */
	"Move",       /* OMS_MAC_MOVE */
	"Change",     /* OMS_MAC_CHANGE */
	"Disconnect", /* OMS_MAC_DISCONNECT */
	"Add-on",     /* OMS_MAC_ADDON */
};

const char *const oms_charge_names[OMS_CHARGE__MAX] = {
	"flat",     /* OMS_CHARGE_FLAT */
	"per_port", /* OMS_CHARGE_PER_PORT */
};

const char *const oms_charge_labels[OMS_CHARGE__MAX] = {
	"Flat, a month per asset", /* OMS_CHARGE_FLAT */
	"A month per port",        /* OMS_CHARGE_PER_PORT */
};

const char *const oms_product_type_names[4] = {
	"line",    /* OMS_ASSET_LINE */
	"set",     /* OMS_ASSET_SET */
	"mailbox", /* OMS_ASSET_MAILBOX */
	"addon",   /* OMS_PRODUCT_TYPE_ADDON */
};

_Static_assert(OMS_ASSET__MAX == OMS_PRODUCT_TYPE_ADDON,
    "product types are the asset types and then addon");

/* ---------------------------------------------------------- helpers */

/* Described in catalog.h. */
int
oms_mac_lookup(const char *name)
{
	return oms_name_index(oms_mac_names, OMS_MAC__MAX, name);
}

/* Described in catalog.h. */
int
oms_charge_lookup(const char *name)
{
	return oms_name_index(oms_charge_names, OMS_CHARGE__MAX, name);
}

/* Described in catalog.h. */
int
oms_product_type_lookup(const char *name)
{
	return oms_name_index(oms_product_type_names, 4, name);
}

/* 1 when s is a valid "YYYY-MM-DD" date. */
static int
is_date(const char *s)
{
	int32_t d;

	return s != NULL && oms_date_parse(s, &d) == OMS_OK;
}

/* 1 when s is 1 to max bytes of printable ASCII without spaces: the
 * shape of a code (product code, jurisdiction, tax code, unit). */
static int
is_code(const char *s, size_t max)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

/* Two texts alike, NULL alike only to NULL. */
static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* An id as decimal text in buf (24 bytes); returns buf. */
static const char *
id_text(int64_t id, char *buf)
{
	snprintf(buf, 24, "%lld", (long long)id);
	return buf;
}

/* An integer as decimal text in the arena, or NULL out of memory. */
static const char *
int_text(struct oms_arena *a, int64_t v)
{
	return oms_arena_printf(a, "%lld", (long long)v);
}

/*
 * Append the audit record of a created row: entity, its id and after
 * (the canonical text built by the caller in a; NULL when that failed
 * for want of memory, which fails the unit: OMS_ERR_NOMEM).
 */
static enum oms_err
audit_create(struct oms_store *st, const struct oms_actor *who,
    const char *entity, int64_t id, const char *after)
{
	char buf[24];

	if (after == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, who, entity, id_text(id, buf), "create",
	    NULL, after);
}

/* ------------------------------------------------------------ reads */

/* A product from a row of OMS_SQL_PRODUCT_SELECT (oms_row_fn). */
static void
product_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_product *p = elem;
	int t = oms_product_type_lookup(oms_query_col_text(q, 3));
	int c = oms_charge_lookup(oms_query_col_text(q, 4));

	p->id = oms_query_col_int(q, 0);
	p->code = oms_query_col_dup(q, 1, a);
	p->name = oms_query_col_dup(q, 2, a);
	p->type = t < 0 ? 0 : t;
	p->charge = c < 0 ? OMS_CHARGE_FLAT : (enum oms_charge)c;
	p->usage_unit = oms_query_col_dup(q, 5, a);
	p->min_ports = oms_query_col_int(q, 6);
	p->max_ports = oms_query_col_int(q, 7);
	p->monthly_cents = oms_query_col_text(q, 8) == NULL ? -1 :
	    oms_query_col_int(q, 8);
	p->assets = oms_query_col_int(q, 9);
}

/* Described in catalog.h. */
enum oms_err
oms_product_list(struct oms_store *st, struct oms_arena *a, int32_t on,
    struct oms_product **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_PRODUCT_LIST);
	void *v = NULL;
	char d[11];
	enum oms_err e;

	oms_query_text(q, oms_date_format(on, d));
	e = oms_query_rows(q, a, sizeof(**out), &v, n, product_row);
	*out = v;
	return e;
}

static enum oms_err product_get(struct oms_store *, struct oms_arena *,
    int64_t, const char *, int, struct oms_product *);

/* Described in catalog.h. */
enum oms_err
oms_product_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    const char *code, struct oms_product *out)
{
	return product_get(st, a, id, code, 0, out);
}

/* Described in catalog.h. */
enum oms_err
oms_product_lookup(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_product *out)
{
	return product_get(st, a, id, NULL, 1, out);
}

/* A product by id (or code when id is 0) into out; lite: without the
 * count of its assets (out->assets -1).  monthly_cents is the catalog
 * price of the business date (-1 when none).  OMS_ERR_NOTFOUND when
 * there is none. */
static enum oms_err
product_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    const char *code, int lite, struct oms_product *out)
{
	struct oms_query *q;
	char d[11];
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if (id == 0 && code == NULL)
		return OMS_ERR_NOTFOUND;
	q = oms_query(st, id ? (lite ? OMS_STMT_CAT_PRODUCT_LITE_BY_ID :
	    OMS_STMT_CAT_PRODUCT_BY_ID) : OMS_STMT_CAT_PRODUCT_BY_CODE);
	oms_query_text(q, oms_date_format(oms_date_today(), d));
	if (id)
		oms_query_int(q, id);
	else
		oms_query_text(q, code);
	if (oms_query_row(q)) {
		product_row(q, a, out);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found && (out->code == NULL || out->name == NULL))
		return OMS_ERR_NOMEM;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* A price from a row of CAT_PRICE_LIST (oms_row_fn). */
static void
price_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_price *p = elem;

	p->id = oms_query_col_int(q, 0);
	p->product = oms_query_col_int(q, 1);
	p->valid_from = oms_query_col_dup(q, 2, a);
	p->monthly_cents = oms_query_col_int(q, 3);
}

/* Described in catalog.h. */
enum oms_err
oms_price_list(struct oms_store *st, struct oms_arena *a, int64_t product,
    struct oms_price **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_PRICE_LIST);
	void *v = NULL;
	enum oms_err e;

	oms_query_int(q, product);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, price_row);
	*out = v;
	return e;
}

/* A usage price, without its tiers, from a row of OMS_SQL_USAGE_SELECT
 * (oms_row_fn). */
static void
usage_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_usage_price *u = elem;

	u->id = oms_query_col_int(q, 0);
	u->product = oms_query_col_int(q, 1);
	u->valid_from = oms_query_col_dup(q, 2, a);
	u->unit = oms_query_col_dup(q, 3, a);
	u->included = oms_query_col_int(q, 4);
	u->tiers = NULL;
	u->ntiers = 0;
}

/* A tier from a row of CAT_TIER_LIST (oms_row_fn). */
static void
tier_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_usage_tier *t = elem;

	(void)a;
	t->from_units = oms_query_col_int(q, 0);
	t->rate_micros = oms_query_col_int(q, 1);
}

/* Read the tiers of usage price u (its id set) into the arena. */
static enum oms_err
load_tiers(struct oms_store *st, struct oms_arena *a,
    struct oms_usage_price *u)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_TIER_LIST);
	void *v = NULL;
	enum oms_err e;

	oms_query_int(q, u->id);
	e = oms_query_rows(q, a, sizeof(*u->tiers), &v, &u->ntiers, tier_row);
	u->tiers = v;
	return e;
}

/* Described in catalog.h. */
enum oms_err
oms_usage_price_list(struct oms_store *st, struct oms_arena *a,
    int64_t product, struct oms_usage_price **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_USAGE_LIST);
	void *v = NULL;
	enum oms_err e;

	oms_query_int(q, product);
	if ((e = oms_query_rows(q, a, sizeof(**out), &v, n, usage_row)) !=
	    OMS_OK)
		return e;
	*out = v;
	for (size_t i = 0; i < *n; i++)
		if ((e = load_tiers(st, a, &(*out)[i])) != OMS_OK)
			return e;
	return OMS_OK;
}

/* A fee from a row of OMS_SQL_FEE_SELECT (oms_row_fn). */
static void
fee_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_fee *f = elem;
	int act = oms_mac_lookup(oms_query_col_text(q, 1));

	f->id = oms_query_col_int(q, 0);
	f->action = act < 0 ? OMS_MAC_ADD : (enum oms_mac)act;
	f->product = oms_query_col_int(q, 2);
	f->product_code = oms_query_col_dup(q, 3, a);
	f->valid_from = oms_query_col_dup(q, 4, a);
	f->amount_cents = oms_query_col_int(q, 5);
}

/* Described in catalog.h. */
enum oms_err
oms_fee_list(struct oms_store *st, struct oms_arena *a, int64_t product,
    struct oms_fee **out, size_t *n)
{
	struct oms_query *q = oms_query(st, product ?
	    OMS_STMT_CAT_FEE_LIST_PRODUCT : OMS_STMT_CAT_FEE_LIST_ALL);
	void *v = NULL;
	enum oms_err e;

	if (product)
		oms_query_int(q, product);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, fee_row);
	*out = v;
	return e;
}

/* A contract price from a row of OMS_SQL_CONTRACT_SELECT (oms_row_fn). */
static void
contract_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_contract_price *c = elem;

	c->id = oms_query_col_int(q, 0);
	c->customer = oms_query_col_int(q, 1);
	c->customer_code = oms_query_col_dup(q, 2, a);
	c->product = oms_query_col_int(q, 3);
	c->product_code = oms_query_col_dup(q, 4, a);
	c->valid_from = oms_query_col_dup(q, 5, a);
	c->valid_to = oms_query_col_dup(q, 6, a);
	c->monthly_cents = oms_query_col_int(q, 7);
}

/* Described in catalog.h.  A customer scope sees its own customer's
 * only: asking for another customer gives none. */
enum oms_err
oms_contract_price_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *scope, int64_t customer, int64_t product,
    struct oms_contract_price **out, size_t *n)
{
	struct oms_query *q;
	void *v = NULL;
	enum oms_err e;

	*out = NULL;
	*n = 0;
	if (scope->customer != 0) {
		if (customer != 0 && customer != scope->customer)
			return OMS_OK;
		customer = scope->customer;
	}
	q = oms_query(st, OMS_STMT_CAT_CONTRACT_LIST);
	oms_query_int(q, customer);
	oms_query_int(q, customer);
	oms_query_int(q, product);
	oms_query_int(q, product);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, contract_row);
	*out = v;
	return e;
}

/* A tax rate from a row of CAT_TAX_LIST (oms_row_fn). */
static void
tax_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_tax_rate *t = elem;

	t->id = oms_query_col_int(q, 0);
	t->jurisdiction = oms_query_col_dup(q, 1, a);
	t->tax = oms_query_col_dup(q, 2, a);
	t->valid_from = oms_query_col_dup(q, 3, a);
	t->rate_ppm = oms_query_col_int(q, 4);
}

/* Described in catalog.h. */
enum oms_err
oms_tax_rate_list(struct oms_store *st, struct oms_arena *a,
    struct oms_tax_rate **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_TAX_LIST);
	void *v = NULL;
	enum oms_err e;

	e = oms_query_rows(q, a, sizeof(**out), &v, n, tax_row);
	*out = v;
	return e;
}

/* ---------------------------------------------------- price lookups */

/*
 * Run q (its parameters bound) for one integer in column 0: OMS_OK
 * with *v, OMS_ERR_NOTFOUND for no row, or the query's error.
 */
static enum oms_err
one_int(struct oms_query *q, int64_t *v)
{
	int found = 0;
	enum oms_err e;

	if (oms_query_row(q)) {
		*v = oms_query_col_int(q, 0);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Described in catalog.h. */
enum oms_err
oms_price_monthly(struct oms_store *st, int64_t customer, int64_t product,
    int32_t on, int64_t *cents, int *contract)
{
	struct oms_query *q;
	char d[11];
	enum oms_err e;

	*contract = 0;
	oms_date_format(on, d);
	if (customer > 0) {
		q = oms_query(st, OMS_STMT_CAT_CONTRACT_AT);
		oms_query_int(q, customer);
		oms_query_int(q, product);
		oms_query_text(q, d);
		oms_query_text(q, d);
		if ((e = one_int(q, cents)) != OMS_ERR_NOTFOUND) {
			*contract = e == OMS_OK;
			return e;
		}
	}
	q = oms_query(st, OMS_STMT_CAT_PRICE_AT);
	oms_query_int(q, product);
	oms_query_text(q, d);
	return one_int(q, cents);
}

/* Described in catalog.h. */
enum oms_err
oms_price_fee(struct oms_store *st, enum oms_mac action, int64_t product,
    int32_t on, int64_t *cents)
{
	struct oms_query *q;
	char d[11];
	enum oms_err e;

	if ((unsigned)action >= OMS_MAC__MAX)
		return OMS_ERR_INVAL;
	oms_date_format(on, d);
	if (product > 0) {
		q = oms_query(st, OMS_STMT_CAT_FEE_AT);
		oms_query_text(q, oms_mac_names[action]);
		oms_query_int(q, product);
		oms_query_text(q, d);
		if ((e = one_int(q, cents)) != OMS_ERR_NOTFOUND)
			return e;
	}
	q = oms_query(st, OMS_STMT_CAT_FEE_AT_ANY);
	oms_query_text(q, oms_mac_names[action]);
	oms_query_text(q, d);
	return one_int(q, cents);
}

/* Described in catalog.h. */
enum oms_err
oms_price_usage(struct oms_store *st, struct oms_arena *a, int64_t product,
    int32_t on, struct oms_usage_price *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_USAGE_AT);
	char d[11];
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, product);
	oms_query_text(q, oms_date_format(on, d));
	if (oms_query_row(q)) {
		usage_row(q, a, out);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found)
		return OMS_ERR_NOTFOUND;
	return load_tiers(st, a, out);
}

/* Described in catalog.h. */
enum oms_err
oms_price_recurring(enum oms_charge charge, int64_t monthly, int64_t ports,
    int64_t *cents)
{
	int64_t v;

	*cents = 0;
	if (monthly < 0 || ports < 0 || (unsigned)charge >= OMS_CHARGE__MAX)
		return OMS_ERR_INVAL;
	if (charge == OMS_CHARGE_FLAT)
		v = monthly;
	else if (__builtin_mul_overflow(monthly, ports, &v))
		return OMS_ERR_INVAL;
	if (v > OMS_MONEY_MAX)
		return OMS_ERR_INVAL;
	*cents = v;
	return OMS_OK;
}

/* ------------------------------------------------------ usage tiers */

#define TIER_FROM_MAX INT64_C(1000000000000000) /* 10^15 units */
#define TIER_RATE_INT_DIGITS 9                  /* < 10^9 a unit */

/*
 * Parse the digits of s up to the first character not a digit into
 * *v; *end gets that character.  0 when there is no digit or more than
 * maxdigits.
 */
static int
digits(const char *s, int maxdigits, int64_t *v, const char **end)
{
	int n = 0;

	*v = 0;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n == maxdigits)
			return 0;
		*v = *v * 10 + (*s - '0');
	}
	*end = s;
	return n > 0;
}

/* Described in catalog.h.  Each tier is FROM:RATE, FROM an integer,
 * RATE a decimal with up to six decimals; tiers are separated by ';',
 * with no spaces and no empty tier. */
enum oms_err
oms_usage_tiers_parse(struct oms_arena *a, const char *s,
    struct oms_usage_tier **out, size_t *n, const char **why)
{
	struct oms_usage_tier *t;
	size_t cap = 1;

	*out = NULL;
	*n = 0;
	*why = NULL;
	if (s == NULL || *s == '\0') {
		*why = "Give at least one tier, as from:rate (0:0.0350).";
		return OMS_ERR_INVAL;
	}
	for (const char *p = s; *p; p++)
		cap += *p == ';';
	if (cap > 100) {
		*why = "At most 100 tiers.";
		return OMS_ERR_INVAL;
	}
	if ((t = oms_arena_alloc(a, cap * sizeof(*t))) == NULL)
		return OMS_ERR_NOMEM;
	for (size_t i = 0; i < cap; i++) {
		int64_t from, whole, frac = 0;
		int nfrac = 0;
		const char *p = s;

		if (!digits(p, 15, &from, &p) || *p != ':' ||
		    !digits(p + 1, TIER_RATE_INT_DIGITS, &whole, &p)) {
			*why = "Each tier is from:rate, for example 1000:0.0300.";
			return OMS_ERR_INVAL;
		}
		if (*p == '.') {
			for (p++; *p >= '0' && *p <= '9'; p++, nfrac++) {
				if (nfrac == 6) {
					*why = "A rate has at most six decimals.";
					return OMS_ERR_INVAL;
				}
				frac = frac * 10 + (*p - '0');
			}
			if (nfrac == 0) {
				*why = "Each tier is from:rate, for example "
				    "1000:0.0300.";
				return OMS_ERR_INVAL;
			}
		}
		for (int k = nfrac; k < 6; k++)
			frac *= 10;
		if (*p != (i + 1 < cap ? ';' : '\0')) {
			*why = "Each tier is from:rate, for example 1000:0.0300; "
			    "tiers are separated by ';'.";
			return OMS_ERR_INVAL;
		}
		if (from > TIER_FROM_MAX) {
			*why = "A tier starts at too many units.";
			return OMS_ERR_INVAL;
		}
		if (i == 0 && from != 0) {
			*why = "The first tier starts from 0 units.";
			return OMS_ERR_INVAL;
		}
		if (i > 0 && from <= t[i - 1].from_units) {
			*why = "Tiers start at strictly ascending units.";
			return OMS_ERR_INVAL;
		}
		t[i].from_units = from;
		t[i].rate_micros = whole * 1000000 + frac;
		s = p + 1;
	}
	*out = t;
	*n = cap;
	return OMS_OK;
}

/* Described in catalog.h.  NULL when out of memory. */
const char *
oms_usage_tiers_format(struct oms_arena *a, const struct oms_usage_tier *t,
    size_t n)
{
	/* 16 digits, ':', 10 digits, '.', 6 decimals, ';' a tier. */
	size_t cap = n * 40 + 1, len = 0;
	char *out = oms_arena_alloc(a, cap);

	if (out == NULL)
		return NULL;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char frac[8];
		int nd = 6;

		snprintf(frac, sizeof(frac), "%06lld",
		    (long long)(t[i].rate_micros % 1000000));
		while (nd > 1 && frac[nd - 1] == '0')
			nd--;
		frac[nd] = '\0';
		len += (size_t)snprintf(out + len, cap - len, "%s%lld:%lld.%s",
		    i ? ";" : "", (long long)t[i].from_units,
		    (long long)(t[i].rate_micros / 1000000), frac);
	}
	return out;
}

/* ----------------------------------------------------------- writes */

/* How many assets or asset states name product id: *used. */
static enum oms_err
product_used(struct oms_store *st, int64_t id, int64_t *used)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CAT_PRODUCT_USED);

	oms_query_int(q, id);
	oms_query_int(q, id);
	return one_int(q, used);
}

/* The canonical text of a product for the audit log, in the arena
 * (NULL when out of memory). */
static char *
describe_product(struct oms_arena *a, const struct oms_product *p)
{
	return oms_audit_kv(a, "code", p->code, "name", p->name,
	    "asset_type", oms_product_type_names[p->type], "charge",
	    oms_charge_names[p->charge], "usage_unit", p->usage_unit,
	    "min_ports", int_text(a, p->min_ports), "max_ports",
	    int_text(a, p->max_ports), (const char *)NULL);
}

/* Check a product's fields; *why says what is wrong.  1 when fine. */
static int
product_ok(const struct oms_product *p, const char **why)
{
	size_t nn = p->name != NULL ? strlen(p->name) : 0;

	if (!is_code(p->code, 32))
		*why = "A product code is 1 to 32 characters without spaces.";
	else if (nn == 0 || nn > 200)
		*why = "A product name is 1 to 200 characters.";
	else if (p->type < 0 || p->type > OMS_PRODUCT_TYPE_ADDON)
		*why = "The asset type is line, set, mailbox or addon.";
	else if ((unsigned)p->charge >= OMS_CHARGE__MAX)
		*why = "The charge is flat or per_port.";
	else if (p->usage_unit != NULL && *p->usage_unit != '\0' &&
	    !is_code(p->usage_unit, 16))
		*why = "A usage unit is up to 16 characters without spaces.";
	else if (p->min_ports < 0 || p->max_ports < p->min_ports ||
	    p->max_ports > 1000000)
		*why = "Port limits: 0 <= minimum <= maximum <= 1000000.";
	else
		return 1;
	return 0;
}

/* The work of oms_product_put, with a (the caller's arena) for the
 * audit text. */
static enum oms_err
product_put(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, const struct oms_product *in, int64_t *id,
    const char **why)
{
	struct oms_product cur, p = *in;
	struct oms_query *q;
	char buf[24];
	enum oms_err e;

	if (p.usage_unit == NULL)
		p.usage_unit = "";
	if (!product_ok(&p, why))
		return OMS_ERR_INVAL;
	e = oms_product_get(st, a, 0, p.code, &cur);
	if (e == OMS_ERR_NOTFOUND) {
		q = oms_query(st, OMS_STMT_CAT_PRODUCT_ADD);
		oms_query_text(q, p.code);
		oms_query_text(q, p.name);
		oms_query_text(q, oms_product_type_names[p.type]);
		oms_query_text(q, oms_charge_names[p.charge]);
		oms_query_text(q, p.usage_unit);
		oms_query_int(q, p.min_ports);
		oms_query_int(q, p.max_ports);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		*id = oms_store_last_id(st);
		return audit_create(st, who, "product", *id,
		    describe_product(a, &p));
	}
	if (e != OMS_OK)
		return e;
	*id = cur.id;
	if (same_text(cur.name, p.name) && cur.type == p.type &&
	    cur.charge == p.charge && same_text(cur.usage_unit, p.usage_unit) &&
	    cur.min_ports == p.min_ports && cur.max_ports == p.max_ports)
		return OMS_OK;
	if (cur.type != p.type || cur.charge != p.charge) {
		int64_t used = 0;

		if ((e = product_used(st, cur.id, &used)) != OMS_OK)
			return e;
		if (used > 0) {
			*why = "The asset type and charge of a product do not "
			    "change once it has assets.";
			return OMS_ERR_CONFLICT;
		}
	}
	q = oms_query(st, OMS_STMT_CAT_PRODUCT_UPDATE);
	oms_query_text(q, p.name);
	oms_query_text(q, oms_product_type_names[p.type]);
	oms_query_text(q, oms_charge_names[p.charge]);
	oms_query_text(q, p.usage_unit);
	oms_query_int(q, p.min_ports);
	oms_query_int(q, p.max_ports);
	oms_query_int(q, cur.id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	{
		const char *before = describe_product(a, &cur);
		const char *after = describe_product(a, &p);

		if (before == NULL || after == NULL)
			return OMS_ERR_NOMEM;
		return oms_audit_append(st, who, "product", id_text(cur.id, buf),
		    "update", before, after);
	}
}

/* Described in catalog.h.  No change (the same values again) is OMS_OK
 * with no audit record. */
enum oms_err
oms_product_put(struct oms_store *st, const struct oms_actor *who,
    const struct oms_product *in, int64_t *id, const char **why)
{
	struct oms_arena *a = oms_arena_new();
	enum oms_err e;

	*id = 0;
	*why = NULL;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	e = product_put(st, a, who, in, id, why);
	oms_arena_free(&a);
	return e;
}

/* OMS_OK when product id exists, OMS_ERR_NOTFOUND when not. */
static enum oms_err
product_exists(struct oms_store *st, struct oms_arena *a, int64_t id)
{
	struct oms_product p;

	if (id <= 0)
		return OMS_ERR_NOTFOUND;
	return oms_product_get(st, a, id, NULL, &p);
}

/* Described in catalog.h.  OMS_ERR_INVAL for a malformed date or a
 * negative amount, OMS_ERR_NOTFOUND for an unknown product. */
enum oms_err
oms_price_add(struct oms_store *st, const struct oms_actor *who,
    int64_t product, const char *valid_from, int64_t monthly_cents,
    int *added)
{
	struct oms_arena *a;
	struct oms_query *q;
	int64_t cur;
	enum oms_err e;

	*added = 0;
	if (!is_date(valid_from) || monthly_cents < 0 ||
	    monthly_cents > OMS_MONEY_MAX)
		return OMS_ERR_INVAL;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	if ((e = product_exists(st, a, product)) != OMS_OK)
		goto out;
	q = oms_query(st, OMS_STMT_CAT_PRICE_FIND);
	oms_query_int(q, product);
	oms_query_text(q, valid_from);
	if ((e = one_int(q, &cur)) == OMS_OK) {
		e = cur == monthly_cents ? OMS_OK : OMS_ERR_CONFLICT;
		goto out;
	}
	if (e != OMS_ERR_NOTFOUND)
		goto out;
	q = oms_query(st, OMS_STMT_CAT_PRICE_ADD);
	oms_query_int(q, product);
	oms_query_text(q, valid_from);
	oms_query_int(q, monthly_cents);
	if ((e = oms_query_exec(q)) != OMS_OK)
		goto out;
	e = audit_create(st, who, "product_price", oms_store_last_id(st),
	    oms_audit_kv(a, "product", int_text(a, product), "valid_from",
	    valid_from, "monthly_cents", int_text(a, monthly_cents),
	    (const char *)NULL));
	*added = e == OMS_OK;
out:
	oms_arena_free(&a);
	return e;
}

/* 1 when the tiers of x and y are the same. */
static int
same_tiers(const struct oms_usage_price *x, const struct oms_usage_price *y)
{
	if (x->ntiers != y->ntiers)
		return 0;
	for (size_t i = 0; i < x->ntiers; i++)
		if (x->tiers[i].from_units != y->tiers[i].from_units ||
		    x->tiers[i].rate_micros != y->tiers[i].rate_micros)
			return 0;
	return 1;
}

/* The work of oms_usage_price_add in arena a. */
static enum oms_err
usage_add(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, const struct oms_usage_price *u, int *added,
    const char **why)
{
	struct oms_usage_price cur;
	struct oms_query *q;
	int64_t id;
	int found = 0;
	enum oms_err e;

	if (!is_date(u->valid_from)) {
		*why = "Give the date the usage price is valid from, as "
		    "YYYY-MM-DD.";
		return OMS_ERR_INVAL;
	}
	if (!is_code(u->unit, 16)) {
		*why = "A usage unit is 1 to 16 characters without spaces.";
		return OMS_ERR_INVAL;
	}
	if (u->included < 0 || u->included > TIER_FROM_MAX) {
		*why = "The included quantity is 0 or more.";
		return OMS_ERR_INVAL;
	}
	if (u->ntiers == 0 || u->tiers == NULL || u->tiers[0].from_units != 0) {
		*why = "The first tier starts from 0 units.";
		return OMS_ERR_INVAL;
	}
	for (size_t i = 0; i < u->ntiers; i++)
		if (u->tiers[i].rate_micros < 0 || (i > 0 &&
		    u->tiers[i].from_units <= u->tiers[i - 1].from_units)) {
			*why = "Tiers start at strictly ascending units, at "
			    "rates of 0 or more.";
			return OMS_ERR_INVAL;
		}
	if ((e = product_exists(st, a, u->product)) != OMS_OK) {
		if (e == OMS_ERR_NOTFOUND)
			*why = "There is no such product.";
		return e;
	}
	q = oms_query(st, OMS_STMT_CAT_USAGE_FIND);
	oms_query_int(q, u->product);
	oms_query_text(q, u->valid_from);
	if (oms_query_row(q)) {
		usage_row(q, a, &cur);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found) {
		if ((e = load_tiers(st, a, &cur)) != OMS_OK)
			return e;
		if (same_text(cur.unit, u->unit) && cur.included == u->included &&
		    same_tiers(&cur, u))
			return OMS_OK;
		*why = "This product has another usage price from that date; "
		    "a price is never rewritten.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_CAT_USAGE_ADD);
	oms_query_int(q, u->product);
	oms_query_text(q, u->valid_from);
	oms_query_text(q, u->unit);
	oms_query_int(q, u->included);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	id = oms_store_last_id(st);
	for (size_t i = 0; i < u->ntiers; i++) {
		q = oms_query(st, OMS_STMT_CAT_TIER_ADD);
		oms_query_int(q, id);
		oms_query_int(q, u->tiers[i].from_units);
		oms_query_int(q, u->tiers[i].rate_micros);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	e = audit_create(st, who, "usage_price", id, oms_audit_kv(a,
	    "product", int_text(a, u->product), "valid_from", u->valid_from,
	    "unit", u->unit, "included", int_text(a, u->included), "tiers",
	    oms_usage_tiers_format(a, u->tiers, u->ntiers),
	    (const char *)NULL));
	*added = e == OMS_OK;
	return e;
}

/* Described in catalog.h.  OMS_ERR_NOTFOUND (with *why) for an unknown
 * product. */
enum oms_err
oms_usage_price_add(struct oms_store *st, const struct oms_actor *who,
    const struct oms_usage_price *u, int *added, const char **why)
{
	struct oms_arena *a = oms_arena_new();
	enum oms_err e;

	*added = 0;
	*why = NULL;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	e = usage_add(st, a, who, u, added, why);
	oms_arena_free(&a);
	return e;
}

/* Described in catalog.h.  The product is f->product, or the product
 * of code f->product_code when that is 0 (NULL or "": any product).
 * OMS_ERR_INVAL for a bad action, date or amount; OMS_ERR_NOTFOUND for
 * an unknown product. */
enum oms_err
oms_fee_add(struct oms_store *st, const struct oms_actor *who,
    const struct oms_fee *f, int *added)
{
	struct oms_arena *a;
	struct oms_query *q;
	struct oms_product p;
	int64_t product = f->product, cur;
	enum oms_err e;

	*added = 0;
	if ((unsigned)f->action >= OMS_MAC__MAX || !is_date(f->valid_from) ||
	    f->amount_cents < 0 || f->amount_cents > OMS_MONEY_MAX ||
	    product < 0)
		return OMS_ERR_INVAL;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	if (product > 0)
		e = product_exists(st, a, product);
	else if (f->product_code != NULL && *f->product_code != '\0') {
		e = oms_product_get(st, a, 0, f->product_code, &p);
		product = p.id;
	} else
		e = OMS_OK;
	if (e != OMS_OK)
		goto out;
	q = oms_query(st, OMS_STMT_CAT_FEE_FIND);
	oms_query_text(q, oms_mac_names[f->action]);
	oms_query_int(q, product);
	oms_query_text(q, f->valid_from);
	if ((e = one_int(q, &cur)) == OMS_OK) {
		e = cur == f->amount_cents ? OMS_OK : OMS_ERR_CONFLICT;
		goto out;
	}
	if (e != OMS_ERR_NOTFOUND)
		goto out;
	q = oms_query(st, OMS_STMT_CAT_FEE_ADD);
	oms_query_text(q, oms_mac_names[f->action]);
	if (product > 0)
		oms_query_int(q, product);
	else
		oms_query_null(q);
	oms_query_text(q, f->valid_from);
	oms_query_int(q, f->amount_cents);
	if ((e = oms_query_exec(q)) != OMS_OK)
		goto out;
	e = audit_create(st, who, "fee", oms_store_last_id(st),
	    oms_audit_kv(a, "action", oms_mac_names[f->action], "product",
	    product > 0 ? int_text(a, product) : "any", "valid_from",
	    f->valid_from, "amount_cents", int_text(a, f->amount_cents),
	    (const char *)NULL));
	*added = e == OMS_OK;
out:
	oms_arena_free(&a);
	return e;
}

/*
 * The id of the customer c->customer, or when that is 0 of code
 * c->customer_code: OMS_OK with *id, OMS_ERR_NOTFOUND when neither
 * names one.
 */
static enum oms_err
contract_customer(struct oms_store *st, const struct oms_contract_price *c,
    int64_t *id)
{
	struct oms_query *q;

	if (c->customer <= 0 && (c->customer_code == NULL ||
	    *c->customer_code == '\0'))
		return OMS_ERR_NOTFOUND;
	q = oms_query(st, OMS_STMT_CAT_CUSTOMER_ID);
	oms_query_int(q, c->customer > 0 ? c->customer : 0);
	oms_query_text(q, c->customer > 0 ? NULL : c->customer_code);
	return one_int(q, id);
}

/* The work of oms_contract_price_add in arena a. */
static enum oms_err
contract_add(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, const struct oms_contract_price *c,
    int *added, const char **why)
{
	struct oms_query *q;
	int64_t customer = 0, cur_cents = 0;
	const char *cur_to = NULL;
	int found = 0;
	enum oms_err e;

	if (!is_date(c->valid_from)) {
		*why = "Give the date the contract price is valid from, as "
		    "YYYY-MM-DD.";
		return OMS_ERR_INVAL;
	}
	if (c->valid_to != NULL && (!is_date(c->valid_to) ||
	    strcmp(c->valid_to, c->valid_from) <= 0)) {
		*why = "A contract price is valid to a date after its start "
		    "(YYYY-MM-DD), or open.";
		return OMS_ERR_INVAL;
	}
	if (c->monthly_cents < 0 || c->monthly_cents > OMS_MONEY_MAX) {
		*why = "A monthly amount is 0 or more.";
		return OMS_ERR_INVAL;
	}
	if ((e = contract_customer(st, c, &customer)) != OMS_OK) {
		if (e == OMS_ERR_NOTFOUND) {
			*why = "There is no such customer.";
			e = OMS_ERR_INVAL;
		}
		return e;
	}
	if ((e = product_exists(st, a, c->product)) != OMS_OK) {
		if (e == OMS_ERR_NOTFOUND)
			*why = "There is no such product.";
		return e;
	}
	q = oms_query(st, OMS_STMT_CAT_CONTRACT_FIND);
	oms_query_int(q, customer);
	oms_query_int(q, c->product);
	oms_query_text(q, c->valid_from);
	if (oms_query_row(q)) {
		found = 1;
		cur_to = oms_query_col_dup(q, 0, a);
		cur_cents = oms_query_col_int(q, 1);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found) {
		if (same_text(cur_to, c->valid_to) &&
		    cur_cents == c->monthly_cents)
			return OMS_OK;
		*why = "This customer has another contract price for this "
		    "product from that date; a price is never rewritten.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_CAT_CONTRACT_ADD);
	oms_query_int(q, customer);
	oms_query_int(q, c->product);
	oms_query_text(q, c->valid_from);
	oms_query_text(q, c->valid_to);
	oms_query_int(q, c->monthly_cents);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	e = audit_create(st, who, "contract_price", oms_store_last_id(st),
	    oms_audit_kv(a, "customer", int_text(a, customer), "product",
	    int_text(a, c->product), "valid_from", c->valid_from, "valid_to",
	    c->valid_to, "monthly_cents", int_text(a, c->monthly_cents),
	    (const char *)NULL));
	*added = e == OMS_OK;
	return e;
}

/* Described in catalog.h.  The customer is c->customer, or the one of
 * code c->customer_code when that is 0; an unknown customer is
 * OMS_ERR_INVAL with *why, an unknown product OMS_ERR_NOTFOUND. */
enum oms_err
oms_contract_price_add(struct oms_store *st, const struct oms_actor *who,
    const struct oms_contract_price *c, int *added, const char **why)
{
	struct oms_arena *a = oms_arena_new();
	enum oms_err e;

	*added = 0;
	*why = NULL;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	e = contract_add(st, a, who, c, added, why);
	oms_arena_free(&a);
	return e;
}

/* 1 when s is a jurisdiction: two capital letters, '-', then 1 to 3
 * capital letters or digits ("CA-ON", "US-NY"). */
static int
is_jurisdiction(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n < 4 || n > 6 || s[2] != '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		int up = s[i] >= 'A' && s[i] <= 'Z';
		int dig = s[i] >= '0' && s[i] <= '9';

		if (i == 2)
			continue;
		if (i < 2 ? !up : !(up || dig))
			return 0;
	}
	return 1;
}

/* Described in catalog.h.  OMS_ERR_INVAL for a malformed jurisdiction,
 * tax code, date or a rate outside 0 to 100 %. */
enum oms_err
oms_tax_rate_add(struct oms_store *st, const struct oms_actor *who,
    const struct oms_tax_rate *t, int *added)
{
	struct oms_arena *a;
	struct oms_query *q;
	int64_t cur;
	enum oms_err e;

	*added = 0;
	if (!is_jurisdiction(t->jurisdiction) || !is_code(t->tax, 16) ||
	    !is_date(t->valid_from) || t->rate_ppm < 0 ||
	    t->rate_ppm > 1000000)
		return OMS_ERR_INVAL;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	q = oms_query(st, OMS_STMT_CAT_TAX_FIND);
	oms_query_text(q, t->jurisdiction);
	oms_query_text(q, t->tax);
	oms_query_text(q, t->valid_from);
	if ((e = one_int(q, &cur)) == OMS_OK) {
		e = cur == t->rate_ppm ? OMS_OK : OMS_ERR_CONFLICT;
		goto out;
	}
	if (e != OMS_ERR_NOTFOUND)
		goto out;
	q = oms_query(st, OMS_STMT_CAT_TAX_ADD);
	oms_query_text(q, t->jurisdiction);
	oms_query_text(q, t->tax);
	oms_query_text(q, t->valid_from);
	oms_query_int(q, t->rate_ppm);
	if ((e = oms_query_exec(q)) != OMS_OK)
		goto out;
	e = audit_create(st, who, "tax_rate", oms_store_last_id(st),
	    oms_audit_kv(a, "jurisdiction", t->jurisdiction, "tax", t->tax,
	    "valid_from", t->valid_from, "rate_ppm", int_text(a, t->rate_ppm),
	    (const char *)NULL));
	*added = e == OMS_OK;
out:
	oms_arena_free(&a);
	return e;
}

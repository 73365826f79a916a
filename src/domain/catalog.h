/*
 * catalog.h: products and their effective-dated prices (monthly, usage,
 * one-time fees per MAC action), customer contract prices and tax
 * rates, as ../BILLING.md defines them, and the price lookups the
 * orders and billing modules rate with.
 *
 * Every price is a row valid from a date (included); a change is a new
 * row from a later date, nothing is rewritten, so the whole history
 * stays visible.  Dates are days (src/core/date.h) or YYYY-MM-DD text;
 * money is integer cents, usage rates integer millionths of the
 * currency a unit, tax rates integer parts per million.
 *
 * Writers (vendor and admin pages, the importer) check their input and
 * write the audit record, inside the caller's unit of work (a page
 * wraps one write in oms_store_unit; the importer a whole file), so a
 * refused row leaves nothing half-written.  Readers take the caller's
 * scope where it matters: a customer user sees the contract prices of
 * its own customer only.  Results live in the caller's arena.
 */
#ifndef OMS_CATALOG_H
#define OMS_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_scope;
struct oms_store;

/* The MAC actions of orders and of one-time fees (named "mac" to keep
 * apart from the policy's enum oms_action, read and manage). */
enum oms_mac {
	OMS_MAC_ADD,        /* a new asset */
	OMS_MAC_MOVE,       /* another site and/or cost centre */
	OMS_MAC_CHANGE,     /* product, ports, identifiers */
	OMS_MAC_DISCONNECT, /* removal (its add-ons go with it) */
	OMS_MAC_ADDON,      /* a new add-on asset on a parent */
	OMS_MAC__MAX
};
extern const char *const oms_mac_names[OMS_MAC__MAX];
extern const char *const oms_mac_labels[OMS_MAC__MAX];

/* How a product's monthly amount applies. */
enum oms_charge {
	OMS_CHARGE_FLAT,     /* a month per asset */
	OMS_CHARGE_PER_PORT, /* a month per port */
	OMS_CHARGE__MAX
};
extern const char *const oms_charge_names[OMS_CHARGE__MAX];
extern const char *const oms_charge_labels[OMS_CHARGE__MAX];

/* Asset types of products: enum oms_asset_type (inventory.h) plus
 * "addon", which only products have names for here. */
#define OMS_PRODUCT_TYPE_ADDON 3
extern const char *const oms_product_type_names[4];

struct oms_product {
	int64_t id;
	const char *code;       /* unique, the import key */
	const char *name;
	int type;               /* enum oms_asset_type, or OMS_PRODUCT_TYPE_ADDON */
	enum oms_charge charge;
	const char *usage_unit; /* "" for none */
	int64_t min_ports;      /* ports an asset of it may have */
	int64_t max_ports;
	int64_t monthly_cents;  /* catalog price on the date asked (lists), -1: none */
	int64_t assets;         /* assets of it not removed (lists) */
};

struct oms_price {
	int64_t id;
	int64_t product;         /* product id */
	const char *valid_from;  /* YYYY-MM-DD */
	int64_t monthly_cents;
};

struct oms_usage_tier {
	int64_t from_units;  /* the first tier from 0 */
	int64_t rate_micros; /* millionths of the currency a unit */
};

struct oms_usage_price {
	int64_t id;
	int64_t product;
	const char *valid_from;
	const char *unit;            /* minute, message, GB */
	int64_t included;            /* units included a month, per asset */
	struct oms_usage_tier *tiers; /* ascending from_units, tiers[0].from_units == 0 */
	size_t ntiers;
};

struct oms_fee {
	int64_t id;
	enum oms_mac action;
	int64_t product;         /* 0: any product */
	const char *product_code; /* NULL for any */
	const char *valid_from;
	int64_t amount_cents;
};

struct oms_contract_price {
	int64_t id;
	int64_t customer;
	const char *customer_code;
	int64_t product;
	const char *product_code;
	const char *valid_from;
	const char *valid_to;    /* excluded; NULL: open */
	int64_t monthly_cents;
};

struct oms_tax_rate {
	int64_t id;
	const char *jurisdiction; /* country-region, e.g. CA-ON */
	const char *tax;          /* GST, HST, PST, QST, ... */
	const char *valid_from;
	int64_t rate_ppm;         /* 9.975 % = 99,750 */
};

/* ---- Reads (any logged-in role; contract prices by scope) ---- */

/* Every product with its catalog price on day `on` (-1 when none). */
enum oms_err oms_product_list(struct oms_store *, struct oms_arena *,
    int32_t on, struct oms_product **out, size_t *n);
/* OMS_ERR_NOTFOUND when there is none.  By id, or by code when id is 0. */
enum oms_err oms_product_get(struct oms_store *, struct oms_arena *,
    int64_t id, const char *code, struct oms_product *out);
/* As oms_product_get by id, without counting its assets (assets -1):
 * for pricing, where the count would cost a scan of them. */
enum oms_err oms_product_lookup(struct oms_store *, struct oms_arena *,
    int64_t id, struct oms_product *out);
/* A product's price history, usage prices and fees, newest first. */
enum oms_err oms_price_list(struct oms_store *, struct oms_arena *,
    int64_t product, struct oms_price **out, size_t *n);
enum oms_err oms_usage_price_list(struct oms_store *, struct oms_arena *,
    int64_t product, struct oms_usage_price **out, size_t *n);
/* product 0: every fee; else that product's and the any-product ones. */
enum oms_err oms_fee_list(struct oms_store *, struct oms_arena *,
    int64_t product, struct oms_fee **out, size_t *n);
/* The contract prices in scope; customer and product 0 for any. */
enum oms_err oms_contract_price_list(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t customer, int64_t product,
    struct oms_contract_price **out, size_t *n);
enum oms_err oms_tax_rate_list(struct oms_store *, struct oms_arena *,
    struct oms_tax_rate **out, size_t *n);

/* ---- Price lookups (BILLING.md), inside or outside a unit ---- */

/*
 * The monthly amount of product for customer on day `on`: the contract
 * price in effect (valid_from <= on < valid_to; of several, the latest
 * valid_from), else the catalog price in effect (latest valid_from <=
 * on).  OMS_OK with *cents and *contract (1 when a contract price);
 * OMS_ERR_NOTFOUND when neither is in effect.
 */
enum oms_err oms_price_monthly(struct oms_store *, int64_t customer,
    int64_t product, int32_t on, int64_t *cents, int *contract);
/*
 * The one-time fee of action for product on day `on`: the product's
 * fee in effect, else the any-product fee in effect.  OMS_ERR_NOTFOUND
 * when there is none.
 */
enum oms_err oms_price_fee(struct oms_store *, enum oms_mac,
    int64_t product, int32_t on, int64_t *cents);
/* The usage price of product in effect on day `on`, tiers included. */
enum oms_err oms_price_usage(struct oms_store *, struct oms_arena *,
    int64_t product, int32_t on, struct oms_usage_price *out);
/* The monthly recurring charge of an asset: monthly, times ports for a
 * per_port product.  OMS_ERR_INVAL on overflow. */
enum oms_err oms_price_recurring(enum oms_charge, int64_t monthly,
    int64_t ports, int64_t *cents);

/* ---- Writes (vendor and admin), inside the caller's unit of work ---- */

/*
 * Add a product, or update the name, usage unit and port limits of the
 * one with that code (type and charge never change once it has assets:
 * OMS_ERR_CONFLICT).  *id gets its id.  OMS_ERR_INVAL with *why for bad
 * input.
 */
enum oms_err oms_product_put(struct oms_store *, const struct oms_actor *,
    const struct oms_product *, int64_t *id, const char **why);
/* Add a price from a date.  The same date and amount again: OMS_OK,
 * nothing changed (*added 0); another amount on a date already priced:
 * OMS_ERR_CONFLICT (a price is never rewritten). */
enum oms_err oms_price_add(struct oms_store *, const struct oms_actor *,
    int64_t product, const char *valid_from, int64_t monthly_cents,
    int *added);
enum oms_err oms_usage_price_add(struct oms_store *, const struct oms_actor *,
    const struct oms_usage_price *, int *added, const char **why);
enum oms_err oms_fee_add(struct oms_store *, const struct oms_actor *,
    const struct oms_fee *, int *added);
enum oms_err oms_contract_price_add(struct oms_store *,
    const struct oms_actor *, const struct oms_contract_price *, int *added,
    const char **why);
enum oms_err oms_tax_rate_add(struct oms_store *, const struct oms_actor *,
    const struct oms_tax_rate *, int *added);

/* Parse "0:0.0350;1000:0.0300" into ascending tiers (the first from 0).
 * OMS_ERR_INVAL with *why for a malformed list. */
enum oms_err oms_usage_tiers_parse(struct oms_arena *, const char *,
    struct oms_usage_tier **out, size_t *n, const char **why);
/* The inverse, in the arena: "0:0.035;1000:0.03" (rates with up to six
 * decimals, trailing zeros dropped but one). */
const char *oms_usage_tiers_format(struct oms_arena *,
    const struct oms_usage_tier *, size_t n);

/* Index of name in the table, or -1: the boundary's name lookups. */
int oms_mac_lookup(const char *name);
int oms_charge_lookup(const char *name);
int oms_product_type_lookup(const char *name);

#endif /* OMS_CATALOG_H */

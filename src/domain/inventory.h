/*
 * inventory.h: customers, sites, cost centres and assets: the reads
 * behind the inventory pages.  Results live in the caller's arena.
 */
#ifndef OMS_INVENTORY_H
#define OMS_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_scope;
struct oms_store;

enum oms_asset_type {
	OMS_ASSET_LINE,    /* a telephone line */
	OMS_ASSET_SET,     /* a telephone set */
	OMS_ASSET_MAILBOX, /* a voice mailbox */
	OMS_ASSET__MAX
};

enum oms_asset_status {
	OMS_STATUS_PENDING,   /* ordered, not yet installed */
	OMS_STATUS_ACTIVE,    /* in service */
	OMS_STATUS_SUSPENDED, /* temporarily out of service */
	OMS_STATUS_REMOVED,   /* disconnected; kept for history */
	OMS_STATUS__MAX
};

/* Names as stored and as used in URLs; labels for people. */
extern const char *const oms_asset_type_names[OMS_ASSET__MAX];
extern const char *const oms_asset_type_labels[OMS_ASSET__MAX];
extern const char *const oms_asset_status_names[OMS_STATUS__MAX];
extern const char *const oms_asset_status_labels[OMS_STATUS__MAX];

struct oms_customer {
	int64_t id;         /* key */
	const char *code;   /* short unique code */
	const char *name;   /* legal name */
	int64_t sites;      /* number of sites */
	int64_t assets;     /* assets not removed */
	int64_t ports;      /* their ports */
};

struct oms_site {
	int64_t id;               /* key */
	const char *code;         /* unique within the customer */
	const char *name;         /* branch name */
	const char *address;      /* street address */
	const char *city;
	const char *region;
	const char *postcode;
	const char *country;      /* ISO 3166 alpha-2 */
	int64_t assets;           /* assets not removed (lists only) */
	int64_t ports;            /* their ports (lists only) */
	struct oms_customer customer; /* id, code, name (get only) */
};

struct oms_cost_centre {
	int64_t id;       /* key */
	const char *code; /* unique within the customer */
	const char *name;
};

struct oms_asset {
	int64_t id;
	enum oms_asset_type type;
	enum oms_asset_status status;
	const char *number;    /* telephone number, or NULL */
	const char *extension; /* or NULL */
	const char *mailbox;   /* or NULL */
	const char *serial;    /* or NULL */
	const char *product;   /* catalog product name */
	const char *cc;        /* cost centre code */
	int64_t ports;
	const char *installed; /* YYYY-MM-DD */
	const char *removed;   /* YYYY-MM-DD or NULL */
	const char *tag;       /* the asset's unique tag */
	int addon;             /* 1: its product is an add-on ("addon",
	                          which enum oms_asset_type does not name;
	                          type then reads OMS_ASSET_LINE) */
};

/* Sort keys of the asset query, in the order of the "sort" field. */
enum oms_asset_sort {
	OMS_SORT_NUMBER,
	OMS_SORT_EXTENSION,
	OMS_SORT_MAILBOX,
	OMS_SORT_SERIAL,
	OMS_SORT_TYPE,
	OMS_SORT_STATUS,
	OMS_SORT_CC,
	OMS_SORT_PORTS,
	OMS_SORT_INSTALLED,
	OMS_SORT_PRODUCT,
	OMS_SORT_TAG,
	OMS_SORT__MAX
};

struct oms_asset_query {
	int64_t site;      /* the site */
	int type;          /* enum oms_asset_type, or -1 for any */
	int status;        /* enum oms_asset_status, or -1 for any */
	int64_t cc;        /* cost centre id, or 0 for any */
	const char *text;  /* substring of an identifier, or NULL */
	enum oms_asset_sort sort;
	int desc;          /* 1 for descending */
	int64_t limit;     /* rows wanted */
	int64_t offset;    /* rows skipped */
	int32_t asof;      /* 0: today, from the assets rows; else the day
	                      (date.h) whose states are wanted */
};

struct oms_asset_page {
	struct oms_asset *rows; /* in the arena */
	size_t n;               /* rows returned */
	int64_t total;          /* assets matched in all */
	int64_t ports;          /* their ports in all */
};

/*
 * Every read takes the caller's scope (auth.h): what lies outside it is
 * left out of lists and counts, and a get answers OMS_ERR_NOTFOUND for
 * it exactly as for an object that does not exist.
 */
enum oms_err oms_customer_list(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, struct oms_customer **out, size_t *n);
/* Every customer's id, code and name only (no counts): for choices in
 * forms, where the counts would cost a pass over every asset.  A scope
 * limited to some sites still names its whole customer. */
enum oms_err oms_customer_names(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, struct oms_customer **out, size_t *n);
/* OMS_ERR_NOTFOUND when there is no such customer in scope. */
enum oms_err oms_customer_get(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t id, struct oms_customer *out);
enum oms_err oms_site_list(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t customer, struct oms_site **out,
    size_t *n);
/* OMS_ERR_NOTFOUND when there is no such site in scope. */
enum oms_err oms_site_get(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t id, struct oms_site *out);
/* Cost centres belong to a customer, not a site: a scope limited to
 * some sites sees every cost centre of its customer. */
enum oms_err oms_cost_centre_list(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t customer,
    struct oms_cost_centre **out, size_t *n);
/* The matched count and ports, and one page of rows.  A site outside
 * the scope matches nothing (total 0), as a site that does not exist.
 * With asof set, the assets and their site, cost centre, product,
 * ports, status and identifiers are those of the state in effect on
 * that day (history.h); without, today's, from the assets rows. */
enum oms_err oms_asset_search(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, const struct oms_asset_query *,
    struct oms_asset_page *out);

/* One asset as its page shows it: the row of the site asset query
 * (type reads as a line for an add-on: see type_name) and where it
 * sits.  Strings in the caller's arena. */
struct oms_asset_detail {
	struct oms_asset a;         /* id, status, identifiers, product name,
	                               cost centre code, ports, dates, tag */
	const char *type_name;      /* the product's asset type as stored:
	                               line, set, mailbox or addon */
	const char *product_code;
	const char *cc_name;        /* the cost centre's name */
	int64_t site;               /* site id */
	const char *site_code, *site_name;
	int64_t customer;           /* customer id */
	const char *customer_code, *customer_name;
	int64_t parent;             /* the parent asset, 0 for none */
	const char *parent_tag;     /* or NULL */
};

/* One asset in scope into *out.  OMS_ERR_NOTFOUND when it does not
 * exist or lies outside the scope (another customer's, a site the
 * scope does not list); OMS_OK or the store's error. */
enum oms_err oms_asset_get(struct oms_store *, struct oms_arena *,
    const struct oms_scope *, int64_t id, struct oms_asset_detail *out);
/* The add-ons of asset parent (assets whose parent it is), by id, in
 * the arena; the caller has checked the parent is in scope (add-ons
 * sit at their parent's site). */
enum oms_err oms_asset_addons(struct oms_store *, struct oms_arena *,
    int64_t parent, struct oms_asset **out, size_t *n);

/*
 * Whether the customer with code approves its own orders before the
 * vendor sees them (workflow.h's awaiting_approval), set by an operator
 * in its own unit of work with an audit record.  OMS_OK (also when it
 * was so already: nothing is written then); OMS_ERR_NOTFOUND for an
 * unknown code; or a store error.
 */
enum oms_err oms_customer_set_approval(struct oms_store *,
    const struct oms_actor *, const char *code, int required);

#endif /* OMS_INVENTORY_H */

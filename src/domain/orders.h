/*
 * orders.h: MAC orders (moves, adds, changes, disconnects, add-ons):
 * recording and pricing their lines, moving them through the workflow
 * (workflow.h), and completing them into the inventory's history
 * (history.h), with the domain events the legacy exchange will send.
 *
 * Pricing (../BILLING.md): each line is priced when saved, at the
 * prices in effect on the order's requested date: its one-time fee
 * (the product's fee for the action, else the any-product fee; an
 * override with a reason, by the vendor or the admin, wins) and its
 * monthly recurring charge before and after (contract prices first).
 * Completion prices the fees again at the completion date, which is
 * what billing charges.  Every total is computed here, in C.
 *
 * Every change is one unit of work with an audit record; a change that
 * fails leaves nothing changed.  Transitions carry the version the user
 * saw: another change in between answers OMS_ERR_CONFLICT, so two
 * people completing one order at once complete it once.
 *
 * Errors, with *why a sentence for the user: OMS_ERR_NOTFOUND (no such
 * order in the principal's scope: answer as missing), OMS_ERR_DENIED
 * (the role may not: 403), OMS_ERR_CONFLICT (the state, the version or
 * the inventory forbids it: 409), OMS_ERR_INVAL (malformed input: 400).
 */
#ifndef OMS_ORDERS_H
#define OMS_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "oms.h"
#include "policy.h"
#include "workflow.h"

struct oms_actor;
struct oms_arena;
struct oms_store;

/*
 * One line.  On input, what the action needs (others are ignored):
 *   add:        site (0: the order's), cost_centre, product, ports,
 *               identifiers, asset_tag (NULL: given at completion)
 *   move:       asset, site and/or cost_centre (0: unchanged)
 *   change:     asset, product (0), ports (-1), identifiers (NULL):
 *               what is left at 0, -1 or NULL is unchanged
 *   disconnect: asset
 *   addon:      parent, product (an add-on product), ports,
 *               identifiers, asset_tag
 * and fee_override (-1: none) with override_reason.
 */
struct oms_order_line {
	int64_t id;
	int line_no;              /* 1, 2, ... */
	enum oms_mac action;
	int64_t asset;            /* acted on; or made (add, addon, once completed) */
	int64_t parent;           /* addon: the parent asset */
	const char *asset_tag;    /* add, addon: the tag asked for, or NULL */
	int64_t site;             /* 0: unchanged / the order's */
	int64_t cost_centre;      /* 0: unchanged */
	int64_t product;          /* 0: unchanged */
	int64_t ports;            /* -1: unchanged */
	const char *number;       /* NULL: unchanged */
	const char *extension;
	const char *mailbox;
	const char *serial;
	int64_t fee_override;     /* cents, or -1 for none */
	const char *override_reason;
	/* Priced (output): */
	int64_t fee_cents;        /* catalog fee in effect */
	int fee_priced;           /* 1 when a fee was in effect */
	int64_t fee_due;          /* what is charged: the override, else the fee (0 when none) */
	int64_t mrc_before;       /* monthly recurring charge before, cents */
	int64_t mrc_after;        /* and after */
	/* For display (output): */
	const char *tag;          /* the asset's tag (acted on or made) */
	const char *parent_tag;
	const char *site_code;
	const char *cc_code;
	const char *product_code;
	const char *product_name;
};

struct oms_order_transition {
	const char *at;         /* UTC, ISO 8601 */
	const char *login;
	const char *from_state; /* NULL for the creation */
	const char *to_state;
	const char *comment;    /* or NULL */
};

struct oms_order_comment {
	const char *at;
	const char *login;
	const char *body;
};

struct oms_order {
	int64_t id;
	const char *ref;          /* from the gapless series ORD000001, or imported */
	int64_t customer;
	const char *customer_code;
	const char *customer_name;
	int64_t site;             /* 0 when the lines span sites */
	const char *site_code;
	const char *site_name;
	int64_t requester_id;     /* 0 for omsctl */
	const char *requester;    /* login */
	const char *requested_on; /* YYYY-MM-DD */
	enum oms_order_state state;
	enum oms_order_state held_from;
	int64_t version;          /* 1, then +1 a change */
	const char *notes;
	const char *scheduled_on; /* or NULL */
	const char *completed_on; /* or NULL */
	const char *created_at;
	const char *updated_at;
	int approval_required;    /* the customer's setting */
	struct oms_order_line *lines;
	size_t nlines;
	struct oms_order_transition *transitions; /* oldest first (get only) */
	size_t ntransitions;
	struct oms_order_comment *comments;       /* oldest first (get only) */
	size_t ncomments;
	/* Totals, in C (get, list): */
	int64_t fee_total;        /* sum of fee_due */
	int64_t mrc_before;       /* sum of the lines' mrc_before */
	int64_t mrc_after;
	int64_t mrc_change;       /* mrc_after - mrc_before */
};

/* Who acts, and the dates that bound what they may do. */
struct oms_order_ctx {
	struct oms_arena *arena;         /* reads and *why messages live here */
	const struct oms_actor *actor;   /* for the audit log */
	const struct oms_principal *who; /* role and scope */
	int approver;                    /* a customer user who approves */
	int32_t today;                   /* the business date */
	int backdate_days;               /* completion at most this far back */
};

struct oms_order_filter {
	int state;              /* enum oms_order_state, or -1 */
	int64_t customer;       /* 0: any (in scope) */
	int64_t site;           /* 0: any */
	int action;             /* enum oms_mac of any line, or -1 */
	const char *from;       /* requested on or after, or NULL */
	const char *to;         /* requested on or before, or NULL */
	int64_t limit;
	int64_t offset;
};

struct oms_order_page {
	struct oms_order *rows; /* without lines, transitions or comments */
	size_t n;
	int64_t total;          /* matched in all */
};

/* What a transition carries besides the verb. */
struct oms_order_act {
	const char *date;       /* schedule: the date; complete: the completion date */
	const char *comment;    /* optional, kept with the transition */
	/* complete: identifiers entered per line (by line_no), NULL: as ordered */
	const struct oms_order_line *lines;
	size_t nlines;
};

enum oms_err oms_order_list(struct oms_store *, struct oms_arena *,
    const struct oms_principal *, const struct oms_order_filter *,
    struct oms_order_page *out);
/* The order with its lines (priced), transitions and comments. */
enum oms_err oms_order_get(struct oms_store *, struct oms_arena *,
    const struct oms_principal *, int64_t id, struct oms_order *out);
/* The orders that made or changed an asset (for the asset page). */
enum oms_err oms_order_of_asset(struct oms_store *, struct oms_arena *,
    const struct oms_principal *, int64_t asset, struct oms_order **out,
    size_t *n);

/*
 * Record a draft from in (customer, site, requested_on, notes, lines;
 * in->ref NULL draws the next reference), priced; *id gets its id.
 * Own unit of work.
 */
enum oms_err oms_order_create(struct oms_store *, const struct oms_order_ctx *,
    const struct oms_order *in, int64_t *id, const char **why);
/* Replace a draft's requested date, notes and lines (EDIT). */
enum oms_err oms_order_edit(struct oms_store *, const struct oms_order_ctx *,
    int64_t id, int64_t version, const struct oms_order *in,
    const char **why);
/* Take verb (not EDIT) on the order the caller saw at version. */
enum oms_err oms_order_act(struct oms_store *, const struct oms_order_ctx *,
    int64_t id, int64_t version, enum oms_verb,
    const struct oms_order_act *args, const char **why);
/*
 * Enter the identifiers of line line_no (number, extension, mailbox,
 * serial of ids; NULL or empty: unchanged) on an approved or scheduled
 * order: the vendor's fulfilment details, which completion installs.
 * Vendor and admin only; the version goes up by one.
 */
enum oms_err oms_order_fill(struct oms_store *, const struct oms_order_ctx *,
    int64_t id, int64_t version, int line_no,
    const struct oms_order_line *ids, const char **why);
/* Add a comment (any state; the order's version is unchanged). */
enum oms_err oms_order_comment(struct oms_store *, const struct oms_order_ctx *,
    int64_t id, const char *body, const char **why);

/* The same, inside the caller's unit of work (the importer records,
 * approves and completes an order row in one go). */
enum oms_err oms_order_create_in(struct oms_store *,
    const struct oms_order_ctx *, const struct oms_order *in, int64_t *id,
    const char **why);
enum oms_err oms_order_act_in(struct oms_store *, const struct oms_order_ctx *,
    int64_t id, int64_t version, enum oms_verb,
    const struct oms_order_act *args, const char **why);

/* The verbs p may take on o now (state and role both allow): a bit per
 * enum oms_verb, for the page's buttons. */
unsigned oms_order_verbs(const struct oms_order_ctx *, const struct oms_order *o);

#endif /* OMS_ORDERS_H */

/*
 * monitor.h: watching the legacy exchange (issue 10, item 6): the
 * outbox by system and state, the oldest message still waiting, the
 * messages of one state, one message with everything the dispatcher
 * recorded; and the reconciliation of a billing period: assets in
 * service against vendor orders, booked leases and billed lines.
 *
 * The reconciliation's definitions (docs/user-guide.md,
 * "Reconciliation", says the same to its readers).  For period P (a
 * calendar month):
 *   in service during P: a non-empty state of the asset (asset_states)
 *     other than removed (active, suspended or pending: what billing
 *     bills, BILLING.md "in service") overlaps P; in service at the
 *     end of P: on its last day;
 *   billed for P: recurring or usage invoice lines of the asset with
 *     billed_period P (the period's invoice and corrections of it);
 *   billed monthly amount: rate x quantity of the asset's recurring
 *     line for P (not a correction) with the latest last day, i.e. the
 *     full-month charge in force at the end of its time in service in
 *     P, before proration; for a lease, the sum of that of its asset
 *     and of the add-ons it covers (the asset's add-ons billed for P
 *     that have no lease of their own: an add-on amends its parent's
 *     lease);
 *   vendor order of an asset: the order line that made it (add or
 *     addon) has a vendor_orders row (not rejected) or a delivered
 *     PlaceOrder.  Assets made by no order line (imported) have no
 *     vendor order to compare and are not reported for lacking one.
 * The kinds of mismatch:
 *   no-lease: in service during P, with no lease (booked or returned)
 *     of its own nor, for an add-on, of its parent;
 *   lease-not-in-service: a booked lease that began by the end of P
 *     (starts_on, else its booking day) for an asset not in service at
 *     the end of P (removed, or not installed);
 *   billed-no-order: billed for P, made by an order line that has no
 *     vendor order;
 *   lease-amount: a booked lease with a monthly amount, whose asset is
 *     billed for P, and the amounts differ;
 *   not-billed: in service during P, its customer invoiced for P, with
 *     no recurring line of its own for P;
 *   installed-no-asset: the vendor says installed on a day of P, and
 *     its asset is unknown or not in service during P.
 */
#ifndef OMS_MONITOR_H
#define OMS_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"
#include "outbox.h"

struct oms_arena;
struct oms_store;

/* How many messages of one system are in one state. */
struct oms_monitor_count {
	const char *system;
	const char *state;
	int64_t n;
};

/* The oldest message of a system still waiting (pending, sending or
 * unknown). */
struct oms_monitor_oldest {
	const char *system;
	const char *created_at; /* UTC, ISO 8601 */
	int64_t id;             /* the message (outbox row) */
};

/* One message and what the dispatcher recorded of it. */
struct oms_monitor_msg {
	struct oms_outbox_msg m;   /* body included */
	const char *claimed_by;    /* or NULL */
	const char *claim_until;   /* or NULL */
	const char *delivered_at;  /* or NULL */
	const char *reply;         /* the canonical Ack, or NULL */
	int64_t invoice_id;        /* 0 for none */
};

/*
 * Counts by system and state (system NULL: every system), sorted by
 * system then state; *out (NULL when none) and *n in arena a.  OMS_OK
 * or the store's error.
 */
enum oms_err oms_monitor_counts(struct oms_store *, struct oms_arena *a,
    const char *system, struct oms_monitor_count **out, size_t *n);

/* The oldest waiting message of each system (system NULL: all), sorted
 * by system; in arena a.  OMS_OK or the store's error. */
enum oms_err oms_monitor_oldest(struct oms_store *, struct oms_arena *a,
    const char *system, struct oms_monitor_oldest **out, size_t *n);

/*
 * The messages in state (system NULL: every system), oldest first,
 * limit of them from offset, bodies left out, in arena a; *total the
 * count of all of them.  OMS_OK or the store's error.
 */
enum oms_err oms_monitor_list(struct oms_store *, struct oms_arena *a,
    const char *state, const char *system, int64_t offset, int64_t limit,
    struct oms_outbox_msg **out, size_t *n, int64_t *total);

/* Message id (the row's id), in arena a.  OMS_OK, OMS_ERR_NOTFOUND or
 * the store's error. */
enum oms_err oms_monitor_get(struct oms_store *, struct oms_arena *a,
    int64_t id, struct oms_monitor_msg *out);

enum oms_recon_kind {
	OMS_RECON_NO_LEASE,           /* in service, no lease */
	OMS_RECON_LEASE_NOT_IN_SERVICE, /* booked lease, asset not in service */
	OMS_RECON_BILLED_NO_ORDER,    /* billed, no vendor order */
	OMS_RECON_LEASE_AMOUNT,       /* lease amount differs from billing */
	OMS_RECON_NOT_BILLED,         /* in service, not billed */
	OMS_RECON_INSTALLED_NO_ASSET, /* vendor installed, no asset in service */
	OMS_RECON__MAX
};
/* "no-lease", ...: the kinds as the report writes them. */
extern const char *const oms_recon_kind_names[OMS_RECON__MAX];
/* "Installed asset with no lease", ...: for people. */
extern const char *const oms_recon_kind_labels[OMS_RECON__MAX];

/* One mismatch.  Strings are borrowed: valid during the callback only. */
struct oms_recon_row {
	enum oms_recon_kind kind;
	int64_t asset_id;         /* 0 when unknown */
	const char *asset_tag;    /* or NULL */
	const char *customer;     /* the asset's customer's code, or NULL */
	int64_t order_id;         /* the order that made the asset (the
	                           * vendor order's, installed-no-asset), 0 */
	const char *order_ref;    /* or NULL */
	int64_t invoice_id;       /* the invoice billing it for P, or 0 */
	int64_t invoice_number;   /* or 0 */
	const char *lease_number; /* or NULL */
	int64_t lease_cents;      /* the lease's monthly amount, -1 none */
	int64_t billed_cents;     /* the billed monthly amount, -1 none */
	const char *vendor_ref;   /* the vendor's reference, or NULL */
	const char *vendor_status; /* or NULL */
};

/* What was compared for the period. */
struct oms_recon_totals {
	int64_t in_service;    /* assets in service during it */
	int64_t billed;        /* assets billed for it */
	int64_t leases;        /* leases booked (now) */
	int64_t vendor_orders; /* vendor orders of assets in service */
	int64_t monthly;       /* assets with a billed monthly amount */
	int64_t mismatches[OMS_RECON__MAX]; /* rows of each kind */
};

/* Called for each mismatch, in kind then asset order; a return other
 * than OMS_OK stops the report with that error. */
typedef enum oms_err (*oms_recon_fn)(void *arg, const struct oms_recon_row *);

/*
 * Reconcile period ("YYYY-MM"): the totals into *t, then each mismatch
 * to fn, streamed (rows fetched in batches: memory stays bounded for
 * any number of them), all inside one read snapshot.  t->mismatches
 * counts what was passed to fn.  OMS_OK; OMS_ERR_INVAL for a malformed
 * period; fn's error; or the store's.
 */
enum oms_err oms_reconcile(struct oms_store *, const char *period,
    struct oms_recon_totals *t, oms_recon_fn fn, void *arg);

#endif /* OMS_MONITOR_H */

/*
 * history.h: the effective-dated states of an asset (../BILLING.md,
 * "Asset history").
 *
 * A state holds the asset's site, cost centre, product, ports, status
 * and identifiers, valid from a day (included) to a day (excluded; 0
 * for open).  The states of an asset are ordered by seq; each starts
 * where the one before ends, so they never overlap and leave no gap
 * from installation on.  Two changes completed on one day leave the
 * first state of that day empty (valid_from == valid_to): it stays in
 * the history, and the day takes the last one.  History is extended,
 * never rebuilt: a change dated before the start of the asset's latest
 * state is refused.
 *
 * The assets row always mirrors the latest state (and installed_on,
 * removed_on), so the site asset query for today reads one row an
 * asset; a query as of another day reads the states.
 */
#ifndef OMS_HISTORY_H
#define OMS_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_arena;
struct oms_store;

struct oms_asset_state {
	int64_t id;
	int64_t asset;           /* the asset's id */
	int64_t seq;             /* 1, 2, ... in the asset's order */
	int32_t valid_from;      /* day, included */
	int32_t valid_to;        /* day, excluded; 0: open */
	int64_t site;            /* site id */
	int64_t cost_centre;     /* cost centre id */
	int64_t product;         /* product id */
	int64_t ports;
	int status;              /* enum oms_asset_status */
	const char *number;      /* telephone number, or NULL */
	const char *extension;
	const char *mailbox;
	const char *serial;
	int64_t order_line;      /* the order line that made it, or 0 */
	/* Filled by oms_history_list for display: */
	const char *site_code;
	const char *cc_code;
	const char *product_code;
	const char *order_ref;   /* or NULL */
	int64_t order_id;        /* that order's id, or 0 */
};

/*
 * The states of asset, in seq order, in the arena.  OMS_OK (n may be 0
 * for an asset without history); a store error.
 */
enum oms_err oms_history_list(struct oms_store *, struct oms_arena *,
    int64_t asset, struct oms_asset_state **out, size_t *n);

/*
 * The state of asset in effect on day `on` (the last state with
 * valid_from <= on < valid_to); OMS_ERR_NOTFOUND when the asset was not
 * installed yet.
 */
enum oms_err oms_history_at(struct oms_store *, struct oms_arena *,
    int64_t asset, int32_t on, struct oms_asset_state *out);

/*
 * Install a new asset, inside the caller's unit of work: its assets row
 * (installed on first->valid_from, with tag, or the next free tag of the
 * series A00000001 when tag is NULL, and parent, 0 for none) and its
 * first state, first (asset and seq are set here).  *id gets the new
 * asset's id.  OMS_ERR_CONFLICT with *why when the tag is taken.
 */
enum oms_err oms_history_install(struct oms_store *, const char *tag,
    int64_t parent, struct oms_asset_state *first, int64_t *id,
    const char **why);

/*
 * End the asset's open state on next->valid_from and start next there
 * (its seq is given here), inside the caller's unit of work; the assets
 * row is brought to next.  OMS_ERR_CONFLICT, with *why, when next
 * starts before the open state does (history is extended, never
 * rebuilt), or when the asset has no open state (removed).
 */
enum oms_err oms_history_append(struct oms_store *,
    struct oms_asset_state *next, const char **why);

/*
 * 1 when the states are well formed: seq 1..n, each valid_from equal to
 * the valid_to before it, valid_from <= valid_to, only the last open.
 * For the tests and the importer's checks.
 */
int oms_history_valid(const struct oms_asset_state *, size_t n);

#endif /* OMS_HISTORY_H */

/*
 * outbox.h: the transactional outbox of the legacy exchange (DESIGN.md,
 * "Legacy exchange"; docs/integration-guide.md, "Outbound messages").
 *
 * A business change and the messages it causes to other systems are
 * written in one unit of work: the order workflow (orders.c) calls
 * oms_outbox_order_approved() when an order is approved and
 * oms_outbox_event() for each domain event of a completion, inside its
 * own unit, so a unit that rolls back leaves no message and a committed
 * one always has its messages.  Each message is a row of the outbox
 * table with a canonical XML body (namespace OMS_OUTBOX_NS, one XSD a
 * kind under docs/exchange/), our unique message id, and its place in
 * the per-asset order (seq_key, seq) that the dispatcher keeps.
 *
 * The messages:
 *   vendor  PlaceOrder       an add or add-on line of an approved order
 *   vendor  ChangeOrder      a move or change line of an approved order
 *   vendor  DisconnectOrder  a disconnect line of an approved order
 *   finance BookLease        an asset installed (add completed)
 *   finance AmendLease       an add-on added, a port or product change,
 *                            a move (the lease's site)
 *   finance ReturnAsset      an asset removed (disconnect; its add-ons
 *                            each get one too)
 *
 * Delivery (the dispatcher, later) moves a row from pending through
 * sending to delivered, or to unknown or dead; an operator sends a dead
 * or delivered message again with oms_outbox_resend().
 */
#ifndef OMS_OUTBOX_H
#define OMS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_store;

/* The namespace of the canonical messages. */
#define OMS_OUTBOX_NS "urn:oms:exchange:1"

enum oms_outbox_state {
	OMS_OUTBOX_PENDING,   /* waiting for its next attempt */
	OMS_OUTBOX_SENDING,   /* claimed by a dispatcher */
	OMS_OUTBOX_UNKNOWN,   /* timed out after sending: ask the peer */
	OMS_OUTBOX_DELIVERED, /* the peer took it */
	OMS_OUTBOX_DEAD,      /* gave up; last_error says why */
	OMS_OUTBOX__MAX
};
extern const char *const oms_outbox_state_names[OMS_OUTBOX__MAX];

enum oms_outbox_kind {
	OMS_OUTBOX_PLACE_ORDER,
	OMS_OUTBOX_CHANGE_ORDER,
	OMS_OUTBOX_DISCONNECT_ORDER,
	OMS_OUTBOX_BOOK_LEASE,
	OMS_OUTBOX_AMEND_LEASE,
	OMS_OUTBOX_RETURN_ASSET,
	OMS_OUTBOX_KIND__MAX
};
/* "PlaceOrder", ...: the root element of the body and its XSD's name. */
extern const char *const oms_outbox_kind_names[OMS_OUTBOX_KIND__MAX];
/* "vendor" or "finance": the system each kind goes to. */
extern const char *const oms_outbox_kind_systems[OMS_OUTBOX_KIND__MAX];

/* One message (strings in the caller's arena). */
struct oms_outbox_msg {
	int64_t id;
	const char *message_id;      /* ours, unique: "oms-" and a UUID */
	const char *system;          /* "vendor", "finance", ... */
	const char *kind;            /* "PlaceOrder", ... */
	const char *seq_key;         /* what the order is kept for */
	int64_t seq;                 /* 1, 2, ... within (system, seq_key) */
	int64_t asset_id;            /* 0 when no asset exists yet */
	const char *asset_tag;       /* or NULL */
	int64_t order_id;            /* 0 for none */
	const char *order_ref;       /* or NULL */
	enum oms_outbox_state state;
	int64_t attempts;
	const char *next_attempt_at; /* UTC, ISO 8601 */
	const char *last_error;      /* or NULL */
	const char *created_at;
	const char *updated_at;
	const char *body;            /* the canonical XML (get only; NULL in lists) */
};

/*
 * Inside the caller's unit of work: the vendor's messages of approved
 * order `order`, one a line in line order (PlaceOrder, ChangeOrder,
 * DisconnectOrder).  Strings are read into arena a.  OMS_OK, or the
 * store's error (the caller's unit then rolls back).
 */
enum oms_err oms_outbox_order_approved(struct oms_store *, struct oms_arena *a,
    int64_t order);

/*
 * Inside the caller's unit of work: the finance message of domain event
 * `event` (orders.c: "asset_installed", "addon_added", "asset_moved",
 * "asset_changed", "asset_removed") of order line `line` on asset
 * `asset`, effective on day `effective` (YYYY-MM-DD, the completion
 * date), written after the completion changed the inventory.  Events
 * that finance does not hear of (an add-on moved with its parent, a
 * change of identifiers only) write nothing.  OMS_OK or the store's
 * error.
 */
enum oms_err oms_outbox_event(struct oms_store *, struct oms_arena *a,
    const char *event, int64_t asset, int64_t line, const char *effective);

/*
 * The newest messages first, at most limit of them, in state (NULL: any)
 * to system (NULL: any); *out (NULL when none) and *n in arena a,
 * bodies left out.  OMS_OK or the store's error.
 */
enum oms_err oms_outbox_list(struct oms_store *, struct oms_arena *a,
    const char *state, const char *system, int64_t limit,
    struct oms_outbox_msg **out, size_t *n);

/* Message id (the row's id) with its body, in arena a.  OMS_OK,
 * OMS_ERR_NOTFOUND or the store's error. */
enum oms_err oms_outbox_get(struct oms_store *, struct oms_arena *a,
    int64_t id, struct oms_outbox_msg *out);

/*
 * Send message id again: a dead or delivered message goes back to
 * pending with no attempts, due now, audited (entity "outbox", its
 * message id) for actor.  Own unit of work.  OMS_OK; OMS_ERR_NOTFOUND;
 * OMS_ERR_CONFLICT with *why when it is pending, sending or unknown
 * (an unknown message is resolved by asking the peer, never by a blind
 * resend); or the store's error.
 */
enum oms_err oms_outbox_resend(struct oms_store *, struct oms_arena *a,
    const struct oms_actor *actor, int64_t id, const char **why);

/*
 * An oms_row_fn: fill the struct oms_outbox_msg at elem from a row that
 * starts with the columns of OMS_SQL_OUTBOX_COLS (outbox_stmt.h), in
 * that order; strings in arena a, body left alone.  For the outbox's
 * own lists and the integration page's (monitor.c).
 */
struct oms_query;
void oms_outbox_msg_row(struct oms_query *q, struct oms_arena *a, void *elem);

/* A new message id into buf (at least 41 bytes): "oms-" and a random
 * (version 4) UUID. */
void oms_outbox_new_id(char *buf, size_t sz);

/* Index of name in oms_outbox_state_names, or -1. */
int oms_outbox_state_lookup(const char *name);

#endif /* OMS_OUTBOX_H */

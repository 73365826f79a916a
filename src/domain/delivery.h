/*
 * delivery.h: the outbox's delivery states, as the dispatcher
 * (src/cmd/dispatch.c) moves them: claims that several dispatchers
 * share without ever taking one message twice, the per-asset order,
 * and the end of each attempt with its side effects (vendor orders,
 * asset leases) in the same unit of work.  docs/integration-guide.md,
 * "Delivery", tells the whole story; the adapters and mappings are the
 * dispatcher's business, not this module's.
 *
 * A claim is a compare-and-set: a row is read as due, then updated to
 * 'sending' only if it still is what was read (state, attempts,
 * next_attempt_at); an update that changed no row lost the race and the
 * row is left alone.  The claim carries the claimer (claimed_by,
 * "host:pid") and a deadline (claim_until); every later change of the
 * row checks both, so a dispatcher whose claim ran out and was taken
 * back changes nothing.  A 'sending' row past its claim_until becomes
 * 'unknown' (its request may have gone out), never 'pending'.
 *
 * Times are UTC ISO 8601 with milliseconds, "YYYY-MM-DDTHH:MM:SS.mmmZ",
 * by the local clock (the hosts keep NTP time; a claim's window has a
 * margin for skew).  Rows written by outbox.c carry whole seconds
 * ("...SSZ"), which the due test accepts too.
 */
#ifndef OMS_DELIVERY_H
#define OMS_DELIVERY_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_arena;
struct oms_store;

/* A message claimed by a dispatcher (strings in the claimer's arena). */
struct oms_delivery_msg {
	int64_t id;              /* outbox.id */
	const char *message_id;  /* ours */
	const char *system;
	const char *kind;        /* PlaceOrder, ... */
	const char *seq_key;
	int64_t seq;
	int64_t asset_id;        /* 0 for none */
	const char *asset_tag;   /* or NULL */
	int64_t order_id;        /* 0 for none */
	const char *order_ref;   /* or NULL */
	int64_t attempts;        /* exchanges so far, this one included */
	int ask;                 /* 1: it was unknown: ask, never send */
	int64_t invoice_id;      /* 0 for none */
	const char *body;        /* the canonical XML */
	char claim_until[32];    /* our claim's deadline (renewed) */
};

/* How an attempt ended (oms_delivery_end). */
enum oms_delivery_to {
	OMS_DELIVERY_DELIVERED, /* the peer took it: reply is the Ack */
	OMS_DELIVERY_PENDING,   /* send again at next_at (retry, notfound) */
	OMS_DELIVERY_UNKNOWN,   /* ask again at next_at */
	OMS_DELIVERY_DEAD,      /* given up: error says why */
	OMS_DELIVERY__MAX
};

/* The end of one attempt. */
struct oms_delivery_end {
	enum oms_delivery_to to;
	const char *next_at;    /* PENDING, UNKNOWN: when (ISO, ms) */
	const char *error;      /* last_error (NULL clears it); one line */
	const char *reply;      /* DELIVERED: the canonical Ack, or NULL */
	const char *reference;  /* DELIVERED: the Ack's reference, or NULL */
	int line_no;            /* the canonical body's order line, or 0 */
	int no_effects;         /* 1: deliver without the side effects */
};

/* The wall clock (UTC) in microseconds since 1970: the times of the
 * outbox.  (oms_now_us() is monotonic, for durations only.) */
int64_t oms_delivery_clock_us(void);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" of us microseconds since 1970 into buf (at
 * least 25 bytes); returns buf. */
const char *oms_delivery_time(int64_t us, char *buf, size_t sz);

/*
 * The wait before the next try after attempts exchanges:
 * min(max_s, base_s * 2^(attempts - 1)) seconds, times a jitter factor
 * drawn uniformly from [0.8, 1.2] (rnd: a uniform 32-bit draw), never
 * past max_s.  In milliseconds; at least 1.
 */
int64_t oms_delivery_backoff_ms(int base_s, int max_s, int64_t attempts,
    uint32_t rnd);

/*
 * Take back the claims of system whose claim_until has passed: each
 * such 'sending' row becomes 'unknown', due at once (asked, not sent),
 * with last_error naming the claimer.  *n (may be NULL) counts them.
 * Own units of work.  OMS_OK or the store's error.
 */
enum oms_err oms_delivery_expire(struct oms_store *, struct oms_arena *a,
    const char *system, size_t *n);

/*
 * Claim up to max due messages of system for who ("host:pid"), each
 * until claim_ms milliseconds from now, attempts counted: pending or
 * unknown rows whose next_attempt_at has come and all of whose earlier
 * messages (same system and seq_key, lower seq) are delivered.  Rows
 * another dispatcher claimed first are skipped.  *out (in arena a,
 * NULL when none) and *n.  OMS_OK or the store's error.
 */
enum oms_err oms_delivery_claim(struct oms_store *, struct oms_arena *a,
    const char *system, const char *who, int64_t claim_ms, size_t max,
    struct oms_delivery_msg **out, size_t *n);

/*
 * Move our claim of m on to claim_ms from now (before a send, so a
 * batch's last message does not outlive its claim).  OMS_OK;
 * OMS_ERR_CONFLICT when the claim is no longer ours (taken back: do
 * not send); or the store's error.
 */
enum oms_err oms_delivery_renew(struct oms_store *,
    struct oms_delivery_msg *m, const char *who, int64_t claim_ms);

/*
 * Give the claim of m back unused (the dispatcher stops before sending
 * it): its state before the claim again, the attempt not counted.
 * OMS_OK; OMS_ERR_CONFLICT when it was no longer ours; the store's
 * error.
 */
enum oms_err oms_delivery_release(struct oms_store *,
    const struct oms_delivery_msg *m, const char *who);

/*
 * End the attempt on m as end says, in one unit of work with its side
 * effects: delivered PlaceOrder/ChangeOrder/DisconnectOrder with a
 * reference records the vendor order of the line (status placed) if
 * none is recorded; delivered BookLease with a reference records the
 * asset's lease (booked) if none; delivered ReturnAsset marks the
 * asset's lease returned.  A message gone dead notes on the later
 * pending messages of its seq_key that they wait for it.  With
 * end->no_effects the delivery is recorded alone (the caller's
 * fallback when the side effects failed on a constraint).  OMS_OK;
 * OMS_ERR_CONFLICT when the claim is no longer ours (nothing changed);
 * or the store's error.
 */
enum oms_err oms_delivery_end(struct oms_store *, struct oms_arena *a,
    const struct oms_delivery_msg *m, const char *who,
    const struct oms_delivery_end *end);

/*
 * What is left to do for system (NULL: every system): *open the
 * messages pending, sending or unknown, *sending those claimed, and
 * *next_due the earliest next_attempt_at of the pending and unknown
 * ones in arena a (NULL when none).  OMS_OK or the store's error.
 */
enum oms_err oms_delivery_open(struct oms_store *, struct oms_arena *a,
    const char *system, int64_t *open, int64_t *sending,
    const char **next_due);

#endif /* OMS_DELIVERY_H */

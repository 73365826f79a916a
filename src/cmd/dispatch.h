/*
 * dispatch.h: the outbox dispatcher (docs/integration-guide.md,
 * "Delivery"): for each [exchange NAME] system of oms.conf, its adapter
 * (src/domain/exchange.h) and its mapping stylesheets; claims due
 * messages (src/domain/delivery.h), maps each canonical message with
 * request_xsl, sends it, maps the reply with reply_xsl into the
 * canonical Ack and ends the attempt: delivered, retried after a
 * back-off, unknown (asked later with the canonical Query, never sent
 * blind) or dead.  Where nobody can be asked (the mail adapter, or no
 * collect() and no request_xsl) an unknown outcome is dead at once:
 * the operator checks with the recipient and resends.
 *
 * Users: omsd's job kind "exchange" (job.c), which steps forever, and
 * `omsctl outbox drain`, which drains.  Several dispatchers, on one
 * host or many, share the outbox through the claims; none needs a
 * lease.
 */
#ifndef OMS_DISPATCH_H
#define OMS_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "exchange.h"
#include "oms.h"

struct oms_store;
struct oms_dispatch;

/* What a dispatcher did since it was opened: state changes it made. */
struct oms_dispatch_stats {
	int64_t delivered; /* -> delivered */
	int64_t retry;     /* -> pending (a retry, or notfound: resend) */
	int64_t unknown;   /* -> unknown (to be asked) */
	int64_t dead;      /* -> dead */
};

struct oms_dispatch_opts {
	const char *system;  /* only this [exchange] system; NULL: all */
	int skip_broken;     /* 1: a system that cannot be set up is logged
	                      * and left out (omsd); 0: it fails the open */
	const struct oms_adapter_ops *adapter; /* tests: this adapter for
	                      * every system, instead of the configured */
	const char *who;     /* the claimer's name; NULL: "host:pid" */
	int (*tick)(void *); /* or NULL: called between two messages; 0
	                      * stops the round (omsd asked to stop), the
	                      * claims not used given back */
	void *tick_arg;
};

/*
 * Set up a dispatcher over connection st (borrowed, open until close)
 * for the systems of c (borrowed too) that opts selects: open each
 * adapter, compile each mapping.  oms_views_init() is called.  *out
 * the caller's to oms_dispatch_close().  OMS_OK; OMS_ERR_CONFIG (no
 * such system, an adapter not built in, a stylesheet that does not
 * compile), OMS_ERR_IO or OMS_ERR_NOMEM with one line in err.
 */
enum oms_err oms_dispatch_open(const struct oms_conf *c,
    struct oms_store *st, const struct oms_dispatch_opts *opts,
    struct oms_dispatch **out, char *err, size_t errsz);

/*
 * One round: for each system, take back expired claims, claim up to its
 * batch of due messages and deliver them one by one.  *did: messages
 * handled (0: nothing was due).  OMS_OK (also when tick stopped it),
 * or the store's error (the round stopped; claims not ended run out and
 * are asked about).
 */
enum oms_err oms_dispatch_step(struct oms_dispatch *, size_t *did);

/*
 * Step until nothing is due or in flight for the dispatcher's systems,
 * or, with timeout_ms > 0, also wait for messages falling due before
 * timeout_ms have passed, and stop then.  *left: messages still
 * pending, sending or unknown at the end.  OMS_OK or the store's
 * error.
 */
enum oms_err oms_dispatch_drain(struct oms_dispatch *, int64_t timeout_ms,
    int64_t *left);

/* The counts so far; valid until close. */
const struct oms_dispatch_stats *oms_dispatch_stats(
    const struct oms_dispatch *);

/* Close the adapters, free the mappings; accepts NULL, clears *dp. */
void oms_dispatch_close(struct oms_dispatch **dp);

#endif /* OMS_DISPATCH_H */

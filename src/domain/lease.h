/*
 * lease.h: database-wide job leases, so that only one host runs a
 * given job at a time (docs/multi-host.md, "Jobs that must run once").
 *
 * A lease is a row of job_leases: the job's name, its holder (host,
 * process and a random token, unique to each struct oms_lease), an
 * epoch that grows by one each time the lease changes hands, and when
 * it expires by the database server's clock.  The life of a holder:
 *
 *	oms_lease_init(&l, "sessions", 30000);
 *	if (oms_lease_acquire(st, &l) == OMS_OK) {       // or DENIED
 *		while (work to do) {
 *			e = oms_lease_unit(st, &l, step, arg); // fenced
 *			if (e == OMS_ERR_DENIED) break;       // lost it
 *			if (oms_lease_renew(st, &l) != OMS_OK) break;
 *		}
 *		oms_lease_release(st, &l);
 *	}
 *
 * Fencing: a holder that stalled past its expiry may wake up after
 * another host took the lease over.  Every piece of work done under
 * the lease runs through oms_lease_unit(), which locks the lease row
 * and checks the epoch and holder in the same unit of work as the work
 * itself, so the old holder can commit nothing once the lease changed
 * hands.  Every function here runs its own unit of work except
 * oms_lease_check(), which runs inside the caller's.
 */
#ifndef OMS_LEASE_H
#define OMS_LEASE_H

#include <stdint.h>

#include "oms.h"
#include "store.h"

struct oms_lease {
	char name[64];       /* the job: the row's key */
	char holder[200];    /* "host:pid:token", ours alone */
	int64_t ttl_ms;      /* a take or renewal lasts this long */
	int64_t epoch;       /* the epoch we hold; 0 when we hold none */
	int64_t expires_at;  /* by the database clock (ms), as last set */
	int64_t local_until; /* oms_now_us() before which it surely holds */
	/* Filled when oms_lease_acquire() is refused: */
	char other[200];     /* the current holder */
	int64_t other_ms;    /* ms until its lease runs out */
};

/*
 * Make l a lease on job name lasting ttl_ms a take or renewal, with a
 * holder unique to this call (host name, pid and a random token).
 * Holds nothing yet.  Returns OMS_ERR_INVAL when the name is empty or
 * too long, or ttl_ms is not positive.
 */
enum oms_err oms_lease_init(struct oms_lease *l, const char *name,
    int64_t ttl_ms);

/*
 * Take the lease: insert its row, or take over a row that has expired
 * (compare-and-set on its epoch), in one unit of work.  A lease we hold
 * already is renewed.  Returns OMS_OK (l->epoch set), OMS_ERR_DENIED
 * when another holder's lease has not expired (l->other and
 * l->other_ms say whose and for how long), or a store error.
 */
enum oms_err oms_lease_acquire(struct oms_store *, struct oms_lease *l);

/*
 * Push the expiry ttl_ms past the database's now.  Returns OMS_OK,
 * OMS_ERR_DENIED when the lease changed hands (l->epoch is then 0: we
 * hold nothing and must stop at once), or a store error (we may still
 * hold it until l->local_until; see oms_lease_held()).
 */
enum oms_err oms_lease_renew(struct oms_store *, struct oms_lease *l);

/*
 * Give the lease up so another host may take it at once.  Returns
 * OMS_OK (also when we held nothing or had lost it) or a store error.
 * l->epoch is 0 afterwards either way.
 */
enum oms_err oms_lease_release(struct oms_store *, struct oms_lease *l);

/*
 * Inside a unit of work: lock the lease row and check that it still
 * names our holder and epoch.  Returns OMS_OK, OMS_ERR_DENIED when it
 * does not (the unit must then roll back), or a store error.
 */
enum oms_err oms_lease_check(struct oms_store *, const struct oms_lease *l);

/*
 * Run fn(st, arg) as a unit of work fenced by the lease: the unit
 * first calls oms_lease_check(), and fn runs only when it passes.
 * Returns fn's result, OMS_ERR_DENIED when the lease is no longer ours
 * (l->epoch is then 0; nothing was committed), or a store error.
 */
enum oms_err oms_lease_unit(struct oms_store *, struct oms_lease *l,
    oms_unit_fn fn, void *arg);

/*
 * 1 when we hold the lease as far as this host can tell without asking
 * the database: we took or renewed it and less than ttl_ms has passed
 * on the monotonic clock since the call that did it began.
 */
int oms_lease_held(const struct oms_lease *l);

/*
 * After oms_lease_acquire() was refused: when the holder it named
 * (l->other) is a process of this host that no longer exists (killed
 * outright), expire its lease now rather than when it runs out.
 * OMS_OK when it was broken (acquire again), OMS_ERR_NOTFOUND when the
 * holder may be alive (another host, or its pid in use), or a store
 * error.
 */
enum oms_err oms_lease_break_dead(struct oms_store *, const struct oms_lease *l);

#endif /* OMS_LEASE_H */

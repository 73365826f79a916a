/*
 * seed.h: realistic demonstration data, generated deterministically
 * from a seed so that tests and benchmarks can count on it.
 */
#ifndef OMS_SEED_H
#define OMS_SEED_H

#include <stdint.h>

#include "oms.h"

struct oms_store;

struct oms_seed_opts {
	int customers;      /* number of customers */
	int sites;          /* sites a customer; 0 = varied, 12 to 40 */
	int assets;         /* assets a site; 0 = varied, 150 to 300 */
	uint64_t seed;      /* PRNG seed */
	int activity;       /* 1: a year of activity too (seed_activity.c):
	                     * price history, add-ons, fees, usage and
	                     * contract prices, tax rates, completed orders
	                     * that made asset histories, and open orders in
	                     * every state */
};

struct oms_seed_stats {
	int64_t customers, sites, cost_centres, products, assets;
	int64_t orders;     /* with activity */
};

/* The activity of o->activity, inside the caller's unit of work, on a
 * database oms_seed_demo just filled: seed_activity.c. */
enum oms_err oms_seed_activity(struct oms_store *, uint64_t seed,
    struct oms_seed_stats *);

struct oms_bill_opts;

/* The demo's billing history: the `months` months before the month
 * before the business date's (that one is left to issue) issued in order (each at the first day of the next), with
 * usage and payments between them (seed_billing.c).  *invoices: how
 * many were issued.  Units of work of its own: call after the seed
 * committed. */
enum oms_err oms_seed_billing(struct oms_store *, const struct oms_bill_opts *,
    int months, long *invoices);

/*
 * Fill an empty database.  Refuses (OMS_ERR_CONSTRAINT) when customers
 * already exist.  All in one transaction: on failure nothing is left.
 */
enum oms_err oms_seed_demo(struct oms_store *, const struct oms_seed_opts *,
    struct oms_seed_stats *);

#endif /* OMS_SEED_H */

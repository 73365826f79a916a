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
};

struct oms_seed_stats {
	int64_t customers, sites, cost_centres, products, assets;
};

/*
 * Fill an empty database.  Refuses (OMS_ERR_CONSTRAINT) when customers
 * already exist.  All in one transaction: on failure nothing is left.
 */
enum oms_err oms_seed_demo(struct oms_store *, const struct oms_seed_opts *,
    struct oms_seed_stats *);

#endif /* OMS_SEED_H */

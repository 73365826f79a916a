/*
 * sweep.h: housekeeping that jobs run (src/cmd/job.c): deleting the
 * sessions past their idle or absolute timeout, which otherwise only
 * go when their owner comes back or someone logs in.
 */
#ifndef OMS_SWEEP_H
#define OMS_SWEEP_H

#include <stdint.h>

#include "conf.h"
#include "oms.h"
#include "store.h"

struct oms_sweep {
	const struct oms_auth_conf *auth; /* the timeouts */
	int64_t now;                      /* seconds since 1970 */
	int64_t deleted;                  /* out: sessions deleted */
};

/*
 * An oms_unit_fn (arg: struct oms_sweep): inside the caller's unit of
 * work, count and delete the sessions past their timeouts as of
 * sw->now; sets sw->deleted.  Returns OMS_OK or a store error.
 */
enum oms_err oms_sweep_sessions(struct oms_store *, void *arg);

#endif /* OMS_SWEEP_H */

/*
 * sweep.c: housekeeping units of work run by jobs (see sweep.h).
 */
#include "config.h"

#include "sweep.h"
#include "stmts.h"

/*
 * An oms_unit_fn (arg: struct oms_sweep): inside the caller's unit of
 * work, count the sessions past their idle or absolute timeout as of
 * sw->now, locking them, and delete exactly those; sw->deleted says
 * how many.  Returns OMS_OK or a store error.
 */
enum oms_err
oms_sweep_sessions(struct oms_store *st, void *arg)
{
	struct oms_sweep *sw = arg;
	int64_t idle = sw->now - sw->auth->idle_timeout;
	int64_t old = sw->now - sw->auth->absolute_timeout;
	struct oms_query *q;
	enum oms_err e;

	/* The count locks the rows it sees (FOR UPDATE on MariaDB), so
	 * the delete below removes exactly those. */
	sw->deleted = 0;
	q = oms_query(st, OMS_STMT_SESSION_EXPIRED_COUNT);
	oms_query_int(q, idle);
	oms_query_int(q, old);
	if (oms_query_row(q))
		sw->deleted = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK || sw->deleted == 0)
		return e;
	q = oms_query(st, OMS_STMT_SESSION_SWEEP);
	oms_query_int(q, idle);
	oms_query_int(q, old);
	return oms_query_exec(q);
}

/*
 * job.h: omsd's job processes.  Besides its request workers, the
 * master runs one process for each job kind named in [jobs] run of
 * oms.conf, with the same restart, reload and graceful stop as the
 * workers (src/cmd/omsd.c).
 *
 * A job process opens its own store connection, then takes the job's
 * database-wide lease (src/domain/lease.h): of all the hosts that run
 * the kind, only the lease holder works; the others wait to take the
 * lease over when it is released or runs out.  While holding it, the
 * process calls the kind's run function, a loop that does one short
 * step at a time through oms_job_unit() (a unit of work fenced by the
 * lease) and waits between steps with oms_job_wait() (which renews the
 * lease).  run returns when either says to stop: the process was asked
 * to stop (SIGTERM: the current step finishes first) or the lease was
 * lost, in which case the process goes back to waiting for it.
 *
 * A kind marked shared in oms_jobs[] (the exchange) takes no lease:
 * every host that runs it works at once, and its work is fenced by
 * claims on each row instead (src/domain/delivery.h); oms_job_wait()
 * then only waits, and oms_job_unit() runs a plain unit of work.
 *
 * A new kind: an enum constant, a line in oms_jobs[] (src/cmd/job.c)
 * with its name and run function, its keys in [jobs] (oms.conf(5)).
 */
#ifndef OMS_JOB_H
#define OMS_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "lease.h"
#include "oms.h"
#include "store.h"

enum oms_job_kind {
	OMS_JOB_SESSIONS, /* delete expired sessions */
	OMS_JOB_BILLING,  /* run the billing runs queued from the page */
	OMS_JOB_EXCHANGE, /* deliver the outbox (src/cmd/dispatch.h) */
	OMS_JOB__MAX
};

struct oms_job_ctx {
	const struct oms_conf *conf; /* the configuration it started with */
	struct oms_store *st;        /* its own connection */
	enum oms_job_kind kind;      /* what it runs */
	struct oms_lease lease;      /* the job's lease, named after the kind */
	int stopping;                /* 1 once asked to stop */
	int64_t renew_at;            /* oms_now_us() of the next renewal */
};

/* A kind's loop: do steps until oms_job_unit() or oms_job_wait() says
 * to stop, then return.  Returns OMS_OK or the error that ended it
 * (logged by the caller). */
typedef enum oms_err (*oms_job_fn)(struct oms_job_ctx *);

struct oms_job_def {
	const char *name; /* in [jobs] run, in logs, the lease's name */
	oms_job_fn run;   /* its loop */
	int shared;       /* 1: no lease: every host works at once, the
	                   * work's own claims keep them apart (exchange) */
};

/* The kinds, indexed by enum oms_job_kind. */
extern const struct oms_job_def oms_jobs[OMS_JOB__MAX];

/* Exit status of a job process that could not start (database or
 * schema): the same meaning as OMS_WORKER_EXIT_INIT. */
#define OMS_JOB_EXIT_INIT 3

/* The kind named name, or -1. */
int oms_job_lookup(const char *name);

/*
 * Parse a [jobs] run list ("sessions", "a, b") into want[kind] = 1 for
 * every kind named (others 0).  Returns OMS_OK, or OMS_ERR_CONFIG with
 * a message in err naming the unknown kind.
 */
enum oms_err oms_job_parse(const char *list, int want[OMS_JOB__MAX],
    char *err, size_t errsz);

/*
 * The body of a job process forked by the master: run kind until
 * SIGTERM (or SIGINT).  Writes one byte to ready_fd (when >= 0) once
 * its store is open and the schema current.  Never returns: exits 0 on
 * a clean stop, OMS_JOB_EXIT_INIT when it could not start.
 */
void oms_job_process(const struct oms_conf *, enum oms_job_kind,
    int ready_fd) __attribute__((noreturn));

/*
 * For run functions.  Wait ms milliseconds, renewing the lease when it
 * is due.  Returns 1 to go on with the next step, 0 to stop at once:
 * asked to stop, or the lease is lost (another holder took it, or it
 * could not be renewed before it ran out).
 */
int oms_job_wait(struct oms_job_ctx *, int64_t ms);

/*
 * For run functions: one step, fn(st, arg) as a unit of work fenced by
 * the lease (oms_lease_unit()).  Returns fn's result, OMS_ERR_DENIED
 * when the lease is lost (run must return), or a store error.
 */
enum oms_err oms_job_unit(struct oms_job_ctx *, oms_unit_fn fn, void *arg);

#endif /* OMS_JOB_H */

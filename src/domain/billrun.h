/*
 * billrun.h: billing runs asked for from the billing page and run by
 * omsd's billing job, and the payments and adjustments finance enters
 * by hand (BILLING.md, issue 9 items 2 and 3).
 *
 * A run is a row of billing_runs: queued by oms_billrun_queue() (one
 * at a time: refused while another is queued or running, and when the
 * period cannot be issued on the business date by the rules of
 * oms_bill_issue), then taken by the job (oms_billrun_next,
 * oms_billrun_start), which calls oms_bill_issue and reports progress
 * (oms_billrun_progress) and the end (oms_billrun_end), each its own
 * unit of work.  The rating itself is billing.h's.
 */
#ifndef OMS_BILLRUN_H
#define OMS_BILLRUN_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "oms.h"

struct oms_arena;
struct oms_store;

/* A billing run.  Strings live in the arena of the call that read it. */
struct oms_billrun {
	int64_t id;
	char period[8];            /* YYYY-MM */
	int32_t business_day;      /* the business date it runs at */
	const char *requested_by;  /* the login that asked */
	const char *requested_at;  /* ISO 8601 UTC */
	const char *state;         /* queued, running, done, failed */
	int64_t done, total;       /* customers looked at, of total */
	int64_t invoices;          /* invoices issued (done) */
	const char *message;       /* why it failed, or NULL */
	const char *finished_at;   /* ISO 8601 UTC, or NULL */
};

/*
 * Whether period ("YYYY-MM") can be issued on business date today by
 * the rules of oms_bill_issue: a month; not issued already; the one
 * after the last issued, or the half-issued one (any ended one when
 * none was issued yet); ended (its last day before today).  OMS_OK;
 * OMS_ERR_INVAL (malformed) or OMS_ERR_CONFLICT with *why (static
 * text); store errors.  Reads inside the caller's transaction if one
 * is open.
 */
enum oms_err oms_billrun_check(struct oms_store *, const char *period,
    int32_t today, const char **why);

/*
 * Queue a run of period at business date today for who, with an audit
 * record, in one unit of work; *id gets its id.  OMS_OK; OMS_ERR_CONFLICT
 * with *why when a run is queued or running, or the period cannot be
 * issued now (oms_billrun_check); OMS_ERR_INVAL with *why for a
 * malformed period; store errors.
 */
enum oms_err oms_billrun_queue(struct oms_store *, const struct oms_actor *who,
    const char *period, int32_t today, int64_t *id, const char **why);

/* Run id into *out (strings in a).  OMS_ERR_NOTFOUND when none. */
enum oms_err oms_billrun_get(struct oms_store *, struct oms_arena *a,
    int64_t id, struct oms_billrun *out);

/* The limit newest runs, newest first, in a. */
enum oms_err oms_billrun_recent(struct oms_store *, struct oms_arena *a,
    size_t limit, struct oms_billrun **out, size_t *n);

/* For the job, as units of work (oms_unit_fn, through oms_job_unit). */
struct oms_billrun_step {
	int64_t id;          /* the run */
	int found;           /* next: 1 when a run was found */
	char period[8];      /* next: its period */
	int32_t business_day; /* next: its business date */
	int64_t done, total; /* progress */
	int ok;              /* end: 1 done, 0 failed */
	int64_t invoices;    /* end: invoices issued */
	const char *message; /* end: why it failed (copied, cut at 400) */
};

/* Find the oldest run queued or running (one left by a holder that lost
 * the lease) and mark it running: arg is a struct oms_billrun_step,
 * found 0 when there is none.  OMS_OK or a store error. */
enum oms_err oms_billrun_next(struct oms_store *, void *arg);
/* Set done and total of run id (still running).  OMS_OK or a store
 * error. */
enum oms_err oms_billrun_progress(struct oms_store *, void *arg);
/* End run id: done with invoices, or failed with message.  OMS_OK or a
 * store error. */
enum oms_err oms_billrun_end(struct oms_store *, void *arg);

/* ------------------------------------------- payments and adjustments */

/* What the entry forms give.  Text as typed; checked by the calls. */
struct oms_payment_in {
	int64_t customer;
	const char *reference; /* NULL or "": one is made, PAY-WEB-N */
	const char *date;      /* YYYY-MM-DD */
	const char *amount;    /* "12.50": positive, at most 2 decimals */
	const char *method;    /* "cheque", "transfer", ... */
};

struct oms_adjustment_in {
	int64_t customer;
	const char *date;        /* YYYY-MM-DD */
	const char *amount;      /* signed, at most 2 decimals, not 0 */
	const char *description; /* required */
	int taxable;             /* 0 or 1 */
	int64_t site;            /* 0: none; else a site of the customer */
	int64_t cost_centre;     /* 0: none; else one of the customer's */
	const char *reason;      /* required: why (audited) */
};

/* The business rules the entries need: the business date and the
 * back-dating limit ([billing] backdate_days). */
struct oms_entry_ctx {
	const struct oms_actor *who;
	int32_t today;
	int backdate_days;
	struct oms_arena *arena;       /* where *why sentences are made */
};

/*
 * Record a payment (one unit of work, with an audit record); *id gets
 * its id.  OMS_OK; OMS_ERR_INVAL with *why (a sentence for the form):
 * an amount that is not positive or has more than 2 decimals, a date
 * that is malformed, after the business date or back-dated into an
 * invoiced period past backdate_days, a missing method; OMS_ERR_NOTFOUND
 * for an unknown customer; OMS_ERR_CONFLICT with *why for a reference
 * used already; store errors.
 */
enum oms_err oms_payment_add(struct oms_store *, const struct oms_entry_ctx *,
    const struct oms_payment_in *in, int64_t *id, const char **why);

/* Record an adjustment or credit (a negative amount), as
 * oms_payment_add; also OMS_ERR_INVAL for a zero amount, a missing
 * description or reason, a site or cost centre of another customer. */
enum oms_err oms_adjustment_add(struct oms_store *,
    const struct oms_entry_ctx *, const struct oms_adjustment_in *in,
    int64_t *id, const char **why);

struct oms_payment {
	int64_t id, customer;
	const char *reference, *customer_code, *customer_name, *paid_on;
	int64_t amount;          /* cents */
	const char *method;
	int64_t invoice;         /* the invoice that reported it, 0 none */
	const char *created_at, *created_by;
};

struct oms_adjustment {
	int64_t id, customer;
	const char *reference, *customer_code, *customer_name, *dated_on;
	int64_t amount;          /* cents, signed */
	const char *description;
	int taxable;
	const char *site_code, *cc_code; /* "" for none */
	const char *created_at, *created_by;
};

/* Payments of one customer (customer > 0) or all, newest first, limit
 * from offset; *total counts them all.  In a. */
enum oms_err oms_payment_list(struct oms_store *, struct oms_arena *a,
    int64_t customer, int64_t limit, int64_t offset,
    struct oms_payment **out, size_t *n, int64_t *total);
/* The same for adjustments. */
enum oms_err oms_adjustment_list(struct oms_store *, struct oms_arena *a,
    int64_t customer, int64_t limit, int64_t offset,
    struct oms_adjustment **out, size_t *n, int64_t *total);

#endif /* OMS_BILLRUN_H */

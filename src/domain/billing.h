/*
 * billing.h: monthly billing as ../shared/BILLING.md defines it, in C:
 * rating (recurring charges by segments of asset history, usage with
 * included quantity and graduated tiers, one-time MAC fees,
 * adjustments), corrections of issued periods, taxes, the Summary
 * Invoice with balance forward and aging, and the Billing Report.
 *
 * bill(C, P) is a pure function of the data as stored now
 * (oms_bill_preview computes it for every customer without writing);
 * oms_bill_issue stores it, one unit of work a customer in customer
 * code order, so that a crash anywhere leaves whole invoices only and a
 * re-run completes the period.  An issued invoice is never updated:
 * oms_invoice_get reads it back exactly as issued.
 *
 * Amounts are integer cents, unit rates micro-units, tax rates parts
 * per million; every rounding is round(n / d) half away from zero, once
 * a line (BILLING.md "Words").
 */
#ifndef OMS_BILLING_H
#define OMS_BILLING_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_arena;
struct oms_store;

enum oms_line_kind {
	OMS_LINE_RECURRING,
	OMS_LINE_USAGE,
	OMS_LINE_ONETIME,
	OMS_LINE_ADJUSTMENT,
	OMS_LINE__MAX
};

/* "recurring", "usage", "one-time", "adjustment" (BILLING.md, XML). */
extern const char *const oms_line_kind_names[OMS_LINE__MAX];

/* One invoice line.  Strings live in the arena of the call that made
 * it.  A correction (correction != 0) bills an earlier period
 * (billed_period) and has no dates. */
struct oms_invoice_line {
	enum oms_line_kind kind;
	char billed_period[8];    /* YYYY-MM */
	int correction;
	const char *ref;          /* asset tag, ORDER-REF/N, adjustment ref */
	int64_t asset;            /* ids behind it, 0 for none */
	int64_t order_line;
	int64_t adjustment;
	int64_t site;             /* 0: no site (an adjustment without one) */
	const char *site_code;    /* "" for none */
	int64_t cost_centre;
	const char *cc_code;      /* "" for none */
	int64_t product;
	const char *product_code; /* "" for none */
	const char *jurisdiction; /* country-region of the site or customer */
	int32_t from;             /* first day billed, 0 for a correction */
	int32_t to;               /* last day billed (included) */
	int days;                 /* days billed (recurring), 0 otherwise */
	int period_days;          /* D of the billed period */
	int64_t quantity;         /* 1, ports, or all usage units */
	int64_t billable;         /* usage units past the included ones */
	int64_t rate;             /* monthly cents, fee cents, or 0 */
	int64_t amount;           /* cents */
	int taxable;
	const char *description;  /* the formula, e.g. "12.50 x 3 ports x 17/30 days" */
};

struct oms_invoice_tax {
	const char *jurisdiction;
	const char *tax;
	int64_t base;     /* cents */
	int64_t rate_ppm;
	int64_t amount;   /* cents */
};

/* An earlier invoice with something left (BILLING.md "Charges
 * outstanding from previous months"). */
struct oms_outstanding {
	int64_t invoice;       /* its id */
	int64_t number;
	char period[8];
	int32_t due_date;
	int days_past_due;     /* this invoice's date - its due date */
	int64_t left;          /* cents */
};

/* The Billing Report's rows in order: for each site (by code) its rows
 * (one a cost centre, by code), then its sub-total; lines without a
 * site last, site_code "". */
struct oms_report_row {
	int subtotal;          /* 1: the site's sub-total row */
	const char *site_code;
	const char *site_name;
	const char *cc_code;   /* "" on a sub-total */
	const char *cc_name;
	int64_t ports;
	int64_t charge;        /* cents, before tax */
};

enum { OMS_AGING_NOT_DUE, OMS_AGING_30, OMS_AGING_60, OMS_AGING_90,
    OMS_AGING_OVER, OMS_AGING__MAX };

/* A Summary Invoice with its Billing Report, as previewed or issued. */
struct oms_invoice {
	int64_t id;                /* 0 in a preview */
	int64_t number;            /* 0 in a preview */
	int64_t customer;
	char period[8];
	int32_t invoice_date;
	int32_t due_date;
	int terms_days;
	const char *currency;
	const char *customer_code, *customer_name, *address, *city, *region,
	    *postcode, *country;
	struct oms_invoice_line *lines;
	size_t nlines;
	struct oms_invoice_tax *taxes;
	size_t ntaxes;
	struct oms_outstanding *outstanding;
	size_t noutstanding;
	struct oms_report_row *rows;
	size_t nrows;
	int64_t subtotal, tax, current, previous, payments, total_due;
	int64_t aging[OMS_AGING__MAX];
	int64_t report_ports;      /* all ports on the period's last day */
	int64_t previous_current;  /* the previous invoice's current charges
	                            * (preview: the difference), -1: none */
};

/* A preview warning. */
struct oms_bill_warning {
	const char *customer_code;
	const char *text;
};

/* Progress of a run over customers: done of total.  NULL for none. */
typedef void (*oms_bill_progress_fn)(void *arg, size_t done, size_t total);

/* What a run needs from the configuration. */
struct oms_bill_opts {
	const char *currency;      /* [billing] currency */
	int backdate_days;         /* [billing] backdate_days */
	oms_bill_progress_fn progress;
	void *progress_arg;
	/* Tests: stop (return OMS_ERR_STORE) after this many customer units
	 * have committed, as a crash would; 0: never. */
	long stop_after;
	/* Preview: warn when a customer's current charges differ from its
	 * previous invoice's by more than this percentage; 0: 25. */
	int change_warn_pct;
};

struct oms_bill_preview {
	char period[8];
	struct oms_invoice *invoices; /* in customer code order */
	size_t n;
	struct oms_bill_warning *warnings;
	size_t nwarnings;
	int64_t subtotal, tax, current, total_due; /* over all invoices */
	int issued;                   /* the period is issued already */
};

/*
 * Every invoice and report of period ("YYYY-MM") as issuing it now
 * would make them, without writing anything (numbers 0), with the
 * warnings of BILLING.md.  In arena a.  OMS_OK; OMS_ERR_INVAL with
 * *why for a malformed period or one already issued or before the
 * last issued; store errors.
 */
enum oms_err oms_bill_preview(struct oms_store *, struct oms_arena *a,
    const char *period, const struct oms_bill_opts *,
    struct oms_bill_preview *out, const char **why);

struct oms_bill_result {
	size_t invoices;   /* invoices issued by this call */
	size_t customers;  /* customers looked at */
	int already;       /* the period was issued before this call */
};

/*
 * Issue period: the periods are issued in order (the one after the last
 * issued, any for the first), once ended (its last day before the
 * business date); a period left half-issued by a crash is completed.
 * Issuing an issued period issues nothing (res->already).  The caller
 * holds the billing job lease (one run at a time).  OMS_OK;
 * OMS_ERR_INVAL or OMS_ERR_CONFLICT with *why; store errors.
 */
enum oms_err oms_bill_issue(struct oms_store *, const char *period,
    const struct oms_bill_opts *, struct oms_bill_result *res,
    const char **why);

/* An issued invoice by id, exactly as issued, with its report rows.
 * customer_scope > 0 limits to that customer (others: NOTFOUND). */
enum oms_err oms_invoice_get(struct oms_store *, struct oms_arena *,
    int64_t id, int64_t customer_scope, struct oms_invoice *out);

/* The invoice of customer code for period, as oms_invoice_get. */
enum oms_err oms_invoice_find(struct oms_store *, struct oms_arena *,
    const char *customer_code, const char *period, int64_t customer_scope,
    struct oms_invoice *out);

/* A list entry: an issued invoice's heading and totals. */
struct oms_invoice_head {
	int64_t id, number, customer;
	const char *customer_code, *customer_name;
	char period[8];
	int32_t invoice_date, due_date;
	int64_t current, payments, total_due;
};

/* Issued invoices, newest period first: of one customer (customer > 0)
 * or of one period (period != NULL) or all; customer_scope as above. */
enum oms_err oms_invoice_list(struct oms_store *, struct oms_arena *,
    int64_t customer, const char *period, int64_t customer_scope,
    struct oms_invoice_head **out, size_t *n);

/* The periods issued or being issued, newest first. */
struct oms_period_state {
	char period[8];
	const char *state;      /* "issuing", "issued" */
	const char *business_day;
	int64_t invoices;
};
enum oms_err oms_bill_periods(struct oms_store *, struct oms_arena *,
    struct oms_period_state **out, size_t *n);

/* The next period to issue on the business date: the one after the
 * last issued (or the one half issued), else the month before the
 * business date's.  Written into out[8]. */
enum oms_err oms_bill_next_period(struct oms_store *, char out[8]);

#endif /* OMS_BILLING_H */

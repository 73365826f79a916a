/*
 * statement.h: a customer's account statement (issue 9, item 4): its
 * issued invoices, its payments and its adjustments in date order with
 * a running balance, and the aging of its latest invoice.
 *
 * The balance moves by what the customer owes: an invoice adds its
 * current charges, a payment takes its amount off.  An adjustment is
 * listed on its date for the record but moves nothing by itself: it is
 * part of the current charges of the invoice that bills it (named
 * beside it), so counting it again would count it twice.  On one day
 * payments come before invoices, as a payment dated on an invoice's
 * date is reported on that invoice (BILLING.md "The Summary Invoice");
 * so after each invoice the balance is that invoice's total due unless
 * a payment was recorded after the invoice was issued.
 *
 * Every sum is computed here in C from rows; no SQL sums.
 */
#ifndef OMS_STATEMENT_H
#define OMS_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "billing.h"
#include "oms.h"

struct oms_arena;
struct oms_store;

enum oms_entry_kind {
	OMS_ENTRY_PAYMENT,     /* before invoices of the same day */
	OMS_ENTRY_ADJUSTMENT,
	OMS_ENTRY_INVOICE,
	OMS_ENTRY__MAX
};

/* "payment", "adjustment", "invoice" (the statement's XML). */
extern const char *const oms_entry_kind_names[OMS_ENTRY__MAX];

/* One entry of a statement.  Strings live in the arena of the call. */
struct oms_statement_entry {
	enum oms_entry_kind kind;
	int64_t id;            /* the payment's, adjustment's or invoice's */
	int32_t date;          /* paid on, dated on, invoice date */
	const char *ref;       /* payment or adjustment reference; "" for
	                        * an invoice (see number) */
	const char *text;      /* payment method, adjustment description,
	                        * invoice period */
	int64_t amount;        /* cents: invoice current charges, payment
	                        * amount (positive), adjustment amount */
	int64_t change;        /* cents the balance moved: +current,
	                        * -payment, 0 for an adjustment */
	int64_t balance;       /* the running balance after it, cents */
	int64_t invoice;       /* invoice id: itself, the one that reported
	                        * the payment or billed the adjustment; 0:
	                        * none yet */
	int64_t number;        /* that invoice's number, 0 for none */
	int64_t total_due;     /* an invoice's total due, else 0 */
	int taxable;           /* an adjustment: taxable */
};

struct oms_statement {
	int64_t customer;
	struct oms_statement_entry *entries; /* by date */
	size_t n;
	size_t ninvoices, npayments, nadjustments;
	int64_t charges;       /* sum of the invoices' current charges */
	int64_t paid;          /* sum of the payments */
	int64_t adjusted;      /* sum of the adjustments (all, billed or
	                        * not; informative) */
	int64_t unbilled;      /* sum of the adjustments no invoice billed */
	int64_t balance;       /* charges - paid: the balance now */
	int has_latest;        /* 1 when the customer has an invoice */
	struct oms_invoice latest; /* the latest invoice, with its
	                            * outstanding invoices and aging */
};

/*
 * The statement of customer (an id) in out, in arena a.
 * customer_scope > 0 limits to that customer (another: NOTFOUND, as
 * oms_invoice_get).  OMS_OK; OMS_ERR_NOTFOUND; OMS_ERR_NOMEM; store
 * errors.  The caller checks that the customer exists and may be seen.
 */
enum oms_err oms_statement_get(struct oms_store *, struct oms_arena *a,
    int64_t customer, int64_t customer_scope, struct oms_statement *out);

/* An order line billed by an invoice and the order it belongs to. */
struct oms_order_link {
	int64_t order_line;   /* order_lines id (a line's order_line_id) */
	int64_t order;        /* the order's id, for /orders/{id} */
};

/*
 * The orders behind the one-time lines of issued invoice id, in *out
 * (arena a), *n of them.  The caller has read the invoice in its
 * scope.  OMS_OK; OMS_ERR_NOMEM; store errors.
 */
enum oms_err oms_invoice_order_links(struct oms_store *, struct oms_arena *a,
    int64_t invoice, struct oms_order_link **out, size_t *n);

#endif /* OMS_STATEMENT_H */

/*
 * seed_billing.c: the demo's billing history (`omsctl seed-demo
 * --activity`): the past months but the last issued one after the other as an
 * operator would have, each at the first day of the month after it,
 * with usage on the lines that have a usage price and the customers'
 * payments in between: most pay their last invoice in full, one pays
 * half, one stops paying, so that the invoices show balances forward,
 * outstanding earlier invoices and every aging bucket that the months
 * reach.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "billing.h"
#include "date.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"

/* One month's usage and payments, before its issue. */
struct month_unit {
	const struct oms_period *p;
	struct oms_arena *a;
	long n;        /* usage records written */
};

/* oms_store_unit body: a usage record on the 10th and the 20th of the
 * month for every asset in service then whose product has a usage
 * price, and each customer's payment of its last invoice. */
static enum oms_err
month_unit(struct oms_store *st, void *arg)
{
	struct month_unit *u = arg;
	struct oms_query *q;
	enum oms_err e;
	int64_t *ids = NULL, *cust = NULL;
	size_t n = 0, cap = 0;

	u->n = 0;
	oms_arena_reset(u->a);
	for (int k = 0; k < 2; k++) {
		int32_t d = u->p->first + (k ? 19 : 9);
		char ds[11];

		oms_date_format(d, ds);
		n = 0;
		q = oms_query(st, OMS_STMT_SEED_USAGE_ASSETS);
		oms_query_text(q, ds);
		oms_query_text(q, ds);
		while (oms_query_row(q)) {
			if (n == cap) {
				size_t want = cap ? cap * 2 : 256;
				int64_t *ni = oms_arena_alloc(u->a, want * sizeof(*ni));
				int64_t *nc = oms_arena_alloc(u->a, want * sizeof(*nc));

				if (ni == NULL || nc == NULL)
					break;
				if (n) {
					memcpy(ni, ids, n * sizeof(*ni));
					memcpy(nc, cust, n * sizeof(*nc));
				}
				ids = ni;
				cust = nc;
				cap = want;
			}
			ids[n] = oms_query_col_int(q, 0);
			cust[n++] = oms_query_col_int(q, 1);
		}
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		for (size_t i = 0; i < n; i++) {
			char rid[48];

			snprintf(rid, sizeof(rid), "DEMO-%s-%lld", ds,
			    (long long)ids[i]);
			q = oms_query(st, OMS_STMT_SEED_USAGE_ADD);
			oms_query_text(q, rid);
			oms_query_int(q, ids[i]);
			oms_query_int(q, cust[i]);
			oms_query_text(q, ds);
			/* 300 to 1,490 minutes: some past the included. */
			oms_query_int(q, 300 + (ids[i] * 37 + d) % 120 * 10);
			if ((e = oms_query_exec(q)) != OMS_OK)
				return e;
			u->n++;
		}
	}
	return OMS_OK;
}

/* The payments of the customers' last invoices, dated the 15th of the
 * month p: customer index 0 pays in full, 1 half, 2 nothing after its
 * first two invoices, the others in full. */
struct pay_unit {
	const struct oms_period *p;
	struct oms_arena *a;
};

/* oms_store_unit body of struct pay_unit. */
static enum oms_err
pay_unit(struct oms_store *st, void *arg)
{
	struct pay_unit *u = arg;
	struct oms_query *q;
	int64_t cust[64];
	size_t nc = 0;
	enum oms_err e;
	char ds[11];

	oms_arena_reset(u->a);
	oms_date_format(u->p->first + 14, ds);
	q = oms_query(st, OMS_STMT_SEED_BILLED_CUSTOMERS);
	while (oms_query_row(q) && nc < 64)
		cust[nc++] = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	for (size_t i = 0; i < nc; i++) {
		struct oms_invoice_head *h;
		size_t n;
		int64_t amount;
		char ref[48];

		if ((e = oms_invoice_list(st, u->a, cust[i], NULL, 0, &h, &n)) !=
		    OMS_OK)
			return e;
		if (n == 0 || h[0].total_due <= 0)
			continue;
		amount = i == 1 ? h[0].total_due / 2 : h[0].total_due;
		if (i == 2 && n > 2)
			continue;
		if (amount <= 0)
			continue;
		snprintf(ref, sizeof(ref), "DEMO-PAY-%lld", (long long)h[0].number);
		q = oms_query(st, OMS_STMT_SEED_PAYMENT_ADD);
		oms_query_text(q, ref);
		oms_query_int(q, cust[i]);
		oms_query_text(q, ds);
		oms_query_int(q, amount);
		oms_query_text(q, i % 2 ? "cheque" : "transfer");
		oms_query_text(q, ds);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Described in seed.h. */
enum oms_err
oms_seed_billing(struct oms_store *st, const struct oms_bill_opts *o,
    int months, long *invoices)
{
	int32_t today = oms_date_today();
	int y, m, d;
	struct oms_arena *a = oms_arena_new();
	enum oms_err e = OMS_OK;

	*invoices = 0;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	oms_date_to_ymd(today, &y, &m, &d);
	(void)d;
	/* The month before the business date's is left for finance to
	 * issue from the billing page. */
	for (int k = months + 1; k >= 2 && e == OMS_OK; k--) {
		int yy = y, mm = m - k;
		char per[16];
		struct oms_period p;
		struct oms_bill_result res;
		const char *why = NULL;

		while (mm < 1) {
			mm += 12;
			yy--;
		}
		snprintf(per, sizeof(per), "%04d-%02d", yy % 10000, mm % 100);
		if (oms_period_parse(per, &p) != OMS_OK) {
			e = OMS_ERR_INVAL;
			break;
		}
		oms_date_set_today(p.end);
		{
			struct month_unit mu = {&p, a, 0};
			struct pay_unit pu = {&p, a};

			if ((e = oms_store_unit(st, month_unit, &mu)) != OMS_OK ||
			    (e = oms_store_unit(st, pay_unit, &pu)) != OMS_OK)
				break;
		}
		if ((e = oms_bill_issue(st, per, o, &res, &why)) != OMS_OK)
			break;
		*invoices += (long)res.invoices;
	}
	oms_date_set_today(today);
	oms_arena_free(&a);
	return e;
}

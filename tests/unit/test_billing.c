/*
 * test_billing.c: every rule of ../shared/BILLING.md as a unit test of
 * src/domain/billing.c, with the arithmetic beside each amount:
 * proration on install and removal days, months of 28, 29, 30 and 31
 * days, rounding half away from zero, per-port changes, A -> B -> A,
 * contract windows (overlap: the latest valid_from wins), days with no
 * price, usage with included quantity, graduated tiers and the usage
 * price of the period's first day, fee precedence and overrides (zero
 * waives), add-ons, adjustments and credits, taxes with two codes and a
 * negative base, due dates from the customer's terms, payments oldest
 * first, a later-dated payment waiting, aging buckets, overpayment,
 * corrections posted once and never twice, a tax rate change causing
 * none, invoice numbering, the Billing Report, and the runs' order.
 *
 * Two worlds, each its own database, built through the domain API
 * (oms_import of the CSV formats of BILLING.md, in memory):
 *
 *   "billa" is only previewed (nothing issued, so any period can be):
 *   one customer a month length, one asset installed on a chosen day.
 *   "billb" is a timeline: 2028-01 to 2028-06 issued in order at the
 *   business dates that follow them, eleven customers C01..C11, one
 *   a group of rules, with orders, usage, payments and adjustments
 *   imported on the dates they happen.
 *
 * Catalog (both worlds): LINE flat 20.00, PORT per port 12.50, VM
 * add-on 3.00, NOPR flat 10.00 from 2028-01-16 only; usage of LINE
 * 100 minutes included, 0:0.0350;1000:0.0345, then from 2028-02-15 none
 * included at 1.00; fees add any 50.00, add LINE 25.00, add PORT 40.00
 * from 2028-01-20, disconnect any 10.00, move any 7.50, change PORT
 * 15.00; taxes CA-ON HST 13 %, CA-QC GST 5 % and QST 9.975 %, CA-BC GST
 * 5 % and PST 7 %.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "billing.h"
#include "date.h"
#include "importer.h"
#include "migrate.h"
#include "oms.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

static struct oms_store *st;
static struct oms_arena *arena;
static const struct oms_actor actor = {0, "tester", "local"};
static struct oms_bill_opts bo;

/* No such line (or more than one). */
#define NOLINE INT64_MIN

/* The day number of "YYYY-MM-DD" (0 when it is no date). */
static int32_t
day(const char *s)
{
	int32_t d = 0;

	if (oms_date_parse(s, &d) != OMS_OK)
		return 0;
	return d;
}

/* Import csv as kind at business date today; a failed test point
 * naming each bad row when it is refused.  1 when imported. */
static int
imp(const char *today, enum oms_import_kind k, const char *csv)
{
	struct oms_import_opts o;
	struct oms_import_report rep;
	enum oms_err e;

	memset(&o, 0, sizeof(o));
	memset(&rep, 0, sizeof(rep));
	o.actor = &actor;
	o.today = day(today);
	o.backdate_days = 92;
	o.currency = "USD";
	e = oms_import(st, arena, k, csv, strlen(csv), &o, &rep);
	if (e != OMS_OK) {
		ok(0, "import %s at %s", oms_import_kind_names[k], today);
		for (size_t i = 0; i < rep.nproblems; i++)
			diag("line %lld, %s: %s", (long long)rep.problems[i].line,
			    rep.problems[i].column, rep.problems[i].reason);
		return 0;
	}
	return 1;
}

/* Issue period at business date today; the result in *res.  The error
 * and *why as oms_bill_issue's. */
static enum oms_err
issue(const char *today, const char *period, struct oms_bill_result *res,
    const char **why)
{
	enum oms_err e;

	*why = NULL;
	memset(res, 0, sizeof(*res));
	oms_date_set_today(day(today));
	e = oms_bill_issue(st, period, &bo, res, why);
	oms_date_set_today(0);
	return e;
}

/* Issue period at today, which must succeed (a test point). */
static void
issue_ok(const char *today, const char *period)
{
	struct oms_bill_result res;
	const char *why;
	enum oms_err e = issue(today, period, &res, &why);

	ok(e == OMS_OK && res.invoices > 0, "%s issues at %s (%zu invoices%s%s)",
	    period, today, res.invoices, why ? ": " : "", why ? why : "");
}

/* The issued invoice of customer code for period into *inv; 1 when
 * found (else a failed test point). */
static int
inv_of(const char *code, const char *period, struct oms_invoice *inv)
{
	enum oms_err e = oms_invoice_find(st, arena, code, period, 0, inv);

	if (e != OMS_OK) {
		memset(inv, 0, sizeof(*inv));
		ok(0, "invoice of %s for %s found", code, period);
		return 0;
	}
	return 1;
}

/* How many lines of inv are of kind (-1: any) and bill ref (NULL: any),
 * corrections (corr 1) or this period's (0). */
static int
nlines(const struct oms_invoice *inv, int kind, const char *ref, int corr)
{
	int n = 0;

	for (size_t i = 0; i < inv->nlines; i++) {
		const struct oms_invoice_line *l = &inv->lines[i];

		if ((kind < 0 || (int)l->kind == kind) &&
		    (ref == NULL || strcmp(l->ref, ref) == 0) &&
		    l->correction == corr)
			n++;
	}
	return n;
}

/* The one line of inv of kind billing ref from day from (NULL: any),
 * a correction (corr 1) or not; NULL when there is not exactly one. */
static const struct oms_invoice_line *
line_of(const struct oms_invoice *inv, int kind, const char *ref,
    const char *from, int corr)
{
	const struct oms_invoice_line *found = NULL;
	int n = 0;

	for (size_t i = 0; i < inv->nlines; i++) {
		const struct oms_invoice_line *l = &inv->lines[i];

		if ((int)l->kind == kind && strcmp(l->ref, ref) == 0 &&
		    l->correction == corr && (from == NULL ||
		    l->from == day(from))) {
			found = l;
			n++;
		}
	}
	return n == 1 ? found : NULL;
}

/* The amount of that line, or NOLINE. */
static int64_t
amt(const struct oms_invoice *inv, int kind, const char *ref,
    const char *from, int corr)
{
	const struct oms_invoice_line *l = line_of(inv, kind, ref, from, corr);

	return l ? l->amount : NOLINE;
}

/* The amount of the one correction of kind billing ref at site code
 * site, or NOLINE. */
static int64_t
corr_at(const struct oms_invoice *inv, int kind, const char *ref,
    const char *site)
{
	int64_t v = NOLINE;
	int n = 0;

	for (size_t i = 0; i < inv->nlines; i++) {
		const struct oms_invoice_line *l = &inv->lines[i];

		if ((int)l->kind == kind && strcmp(l->ref, ref) == 0 &&
		    l->correction && strcmp(l->site_code, site) == 0) {
			v = l->amount;
			n++;
		}
	}
	return n == 1 ? v : NOLINE;
}

/* The tax of inv for jurisdiction jur and code; its base in *base;
 * NOLINE when the invoice has no such tax. */
static int64_t
tax_of(const struct oms_invoice *inv, const char *jur, const char *code,
    int64_t *base)
{
	for (size_t i = 0; i < inv->ntaxes; i++)
		if (strcmp(inv->taxes[i].jurisdiction, jur) == 0 &&
		    strcmp(inv->taxes[i].tax, code) == 0) {
			if (base)
				*base = inv->taxes[i].base;
			return inv->taxes[i].amount;
		}
	return NOLINE;
}

/* The invoice of customer code in preview pv, or NULL. */
static const struct oms_invoice *
pv_of(const struct oms_bill_preview *pv, const char *code)
{
	for (size_t i = 0; i < pv->n; i++)
		if (strcmp(pv->invoices[i].customer_code, code) == 0)
			return &pv->invoices[i];
	return NULL;
}

/* The subtotal of customer code in the preview of period at today;
 * NOLINE when it has no invoice there.  Warnings in *pv. */
static int64_t
pv_subtotal(struct oms_bill_preview *pv, const char *today,
    const char *period, const char *code)
{
	const struct oms_invoice *i;
	const char *why = NULL;
	enum oms_err e;

	oms_date_set_today(day(today));
	e = oms_bill_preview(st, arena, period, &bo, pv, &why);
	oms_date_set_today(0);
	if (e != OMS_OK) {
		diag("preview %s: %s", period, why ? why : "error");
		return NOLINE;
	}
	i = pv_of(pv, code);
	return i ? i->subtotal : NOLINE;
}

/* Import csv as kind at today, which must be refused (no failed
 * point of its own): 1 when refused. */
static int
imp_refused(const char *today, enum oms_import_kind k, const char *csv)
{
	struct oms_import_opts o;
	struct oms_import_report rep;

	memset(&o, 0, sizeof(o));
	memset(&rep, 0, sizeof(rep));
	o.actor = &actor;
	o.today = day(today);
	o.backdate_days = 92;
	o.currency = "USD";
	return oms_import(st, arena, k, csv, strlen(csv), &o, &rep) ==
	    OMS_ERR_INVAL && rep.refused > 0 && !rep.imported;
}

/* Invoice numbers of period: sequential without gaps, from *next, in
 * customer code byte order; *next becomes the one after the last.  A
 * test point. */
static void
numbers(const char *period, int64_t *next)
{
	struct oms_invoice_head *h = NULL;
	size_t n = 0;
	int good;

	good = oms_invoice_list(st, arena, 0, period, 0, &h, &n) == OMS_OK &&
	    n > 0;
	for (size_t i = 0; good && i < n; i++) {
		size_t before = 0;

		/* its rank in code order gives its number */
		for (size_t j = 0; j < n; j++)
			if (strcmp(h[j].customer_code, h[i].customer_code) < 0)
				before++;
		if (h[i].number != *next + (int64_t)before)
			good = 0;
	}
	ok(good, "numbers of %s: %lld to %lld in customer code order, no gap",
	    period, (long long)*next, (long long)(*next + (int64_t)n - 1));
	*next += (int64_t)n;
}

/* The catalog of both worlds, at business date 2027-01-15. */
static int
catalog(void)
{
	const char *d = "2027-01-15";

	return imp(d, OMS_IMPORT_PRODUCTS,
	    "code,name,asset_type,charge,usage_unit\n"
	    "LINE,Line,line,flat,minute\n"
	    "PORT,Ports,set,per_port,\n"
	    "VM,Voicemail,addon,flat,\n"
	    "NOPR,Unpriced till mid-January,line,flat,\n"
	    "LINE2,Line without usage,line,flat,\n") &&
	    imp(d, OMS_IMPORT_PRICES,
	    "product,valid_from,monthly\n"
	    "LINE,2027-01-01,20.00\n"
	    "PORT,2027-01-01,12.50\n"
	    "VM,2027-01-01,3.00\n"
	    "NOPR,2028-01-16,10.00\n"
	    "LINE2,2027-01-01,30.00\n") &&
	    imp(d, OMS_IMPORT_USAGE_PRICES,
	    "product,valid_from,unit,included,tiers\n"
	    "LINE,2027-01-01,minute,100,0:0.0350;1000:0.0345\n"
	    "LINE,2028-02-15,minute,0,0:1.00\n") &&
	    imp(d, OMS_IMPORT_FEES,
	    "action,product,valid_from,amount\n"
	    "add,,2027-01-01,50.00\n"
	    "add,LINE,2027-01-01,25.00\n"
	    "add,PORT,2028-01-20,40.00\n"
	    "disconnect,,2027-01-01,10.00\n"
	    "move,,2027-01-01,7.50\n"
	    "change,PORT,2027-01-01,15.00\n"
	    "change,LINE2,2027-01-01,20.00\n") &&
	    imp(d, OMS_IMPORT_TAX_RATES,
	    "jurisdiction,tax,valid_from,rate\n"
	    "CA-ON,HST,2027-01-01,13\n"
	    "CA-QC,GST,2027-01-01,5\n"
	    "CA-QC,QST,2027-01-01,9.975\n"
	    "CA-BC,GST,2027-01-01,5\n"
	    "CA-BC,PST,2027-01-01,7\n");
}

/* Open database name, migrate it and import the catalog; 1 on
 * success. */
static int
world(const char *name)
{
	int applied;

	if ((st = tb_open(name, OMS_STORE_CREATE)) == NULL)
		return 0;
	if (oms_migrate(st, &applied) != OMS_OK || !catalog()) {
		ok(0, "set up %s: migrate and the catalog", name);
		oms_store_close(&st);
		return 0;
	}
	return 1;
}

/* ------------------------------------------------ world A: previews */

/* World A: month lengths, rounding, per-port proration, a suspended
 * asset, days with no price and a price of 0, by previews only. */
static void
world_a(void)
{
	struct oms_bill_preview pv;
	const struct oms_invoice *i;
	const char *d = "2027-01-15";
	int warned = 0;

	if (!world("billa"))
		return;
	ok(imp(d, OMS_IMPORT_CUSTOMERS,
	    "code,name,address,city,region,postcode,country,currency,terms_days\n"
	    "D28,Feb 2027,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "D29,Feb 2028,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "D30,Apr 2028,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "D31,Jan 2028,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "H28,Half,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "NP,No price,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "P30,Ports,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "Z0,Free by contract,1 A St,Ottawa,ON,K1A 0A1,CA,,\n") &&
	    imp(d, OMS_IMPORT_SITES,
	    "customer,code,name,address,city,region,postcode,country\n"
	    "D28,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "D29,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "D30,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "D31,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "H28,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "NP,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "P30,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "Z0,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n") &&
	    imp(d, OMS_IMPORT_COST_CENTRES,
	    "customer,code,name\n"
	    "D28,K,All\nD29,K,All\nD30,K,All\nD31,K,All\nH28,K,All\n"
	    "NP,K,All\nP30,K,All\nZ0,K,All\n") &&
	    imp(d, OMS_IMPORT_ASSETS,
	    "tag,customer,site,cost_centre,product,ports,phone_number,"
	    "extension,mailbox,serial,installed_on,parent_tag\n"
	    "A28,D28,S,K,LINE,1,,,,,2027-02-11,\n"
	    "A29,D29,S,K,LINE,1,,,,,2028-02-11,\n"
	    "A30,D30,S,K,LINE,1,,,,,2028-04-11,\n"
	    "A31,D31,S,K,LINE,1,,,,,2028-01-11,\n"
	    "H28A,H28,S,K,PORT,1,,,,,2027-02-22,\n"
	    "NPA,NP,S,K,NOPR,1,,,,,2028-01-01,\n"
	    "P30A,P30,S,K,PORT,3,,,,,2028-04-14,\n"
	    "Z0A,Z0,S,K,LINE,1,,,,,2028-01-01,\n") &&
	    imp(d, OMS_IMPORT_CONTRACT_PRICES,
	    "customer,product,valid_from,valid_to,monthly\n"
	    "Z0,LINE,2028-01-01,,0.00\n"),
	    "months: customers, sites and planned installations import");

	/* A30 suspended: no domain call suspends yet, so the test's own
	 * SQL sets the scene. */
	ok(tb_be->exec("billa", "UPDATE asset_states SET status = 'suspended'"
	    " WHERE asset_id = (SELECT id FROM assets WHERE tag = 'A30')") &&
	    tb_be->exec("billa", "UPDATE assets SET status = 'suspended'"
	    " WHERE tag = 'A30'"), "set up: A30 suspended");

	/* Installed on day 11 of each month: billed from that day. */
	/* 2027-02 (D = 28), days 11..28 = 18: round(2000 * 18 / 28) =
	 * round(1285.71) = 1286 */
	is_int(pv_subtotal(&pv, "2027-03-01", "2027-02", "D28"), 1286,
	    "28-day month: installed on the 11th, 2000 x 18/28 = 1286");
	ok(pv_of(&pv, "D29") == NULL && pv_of(&pv, "D31") == NULL,
	    "a customer without a line in the period has no invoice");
	/* H28: 1 port from 2027-02-22, days 22..28 = 7: 1250 * 1 * 7 / 28
	 * = 312.5, half away from zero: 313 (not 312) */
	i = pv_of(&pv, "H28");
	is_int(i ? i->subtotal : NOLINE, 313,
	    "rounding: 1250 x 1 port x 7/28 = 312.5 rounds half away from zero to 313");
	/* 2028-02 (D = 29), days 11..29 = 19: round(2000 * 19 / 29) =
	 * round(1310.34) = 1310 */
	is_int(pv_subtotal(&pv, "2028-03-01", "2028-02", "D29"), 1310,
	    "29-day month: installed on the 11th, 2000 x 19/29 = 1310");
	/* 2028-04 (D = 30), days 11..30 = 20: round(2000 * 20 / 30) =
	 * round(1333.33) = 1333 */
	is_int(pv_subtotal(&pv, "2028-05-01", "2028-04", "D30"), 1333,
	    "30-day month, a suspended asset billed like an active one: "
	    "installed on the 11th, 2000 x 20/30 = 1333");
	/* P30: 3 ports from 2028-04-14, days 14..30 = 17:
	 * 1250 * 3 * 17 / 30 = 63750 / 30 = 2125 */
	i = pv_of(&pv, "P30");
	is_int(i ? i->subtotal : NOLINE, 2125,
	    "per port: 1250 x 3 ports x 17/30 = 2125");
	/* The full months before: D28's asset in 2028-04 is 2000. */
	i = pv_of(&pv, "D28");
	is_int(i ? i->subtotal : NOLINE, 2000, "a whole month is the monthly amount");
	/* 2028-01 (D = 31), days 11..31 = 21: round(2000 * 21 / 31) =
	 * round(1354.84) = 1355; HST round(1355 * 0.13) = round(176.15)
	 * = 176 */
	is_int(pv_subtotal(&pv, "2028-02-01", "2028-01", "D31"), 1355,
	    "31-day month: installed on the 11th, 2000 x 21/31 = 1355");
	i = pv_of(&pv, "D31");
	is_int(i ? i->tax : NOLINE, 176, "preview tax: 1355 x 13 %% = 176.15 = 176");
	is_int(i ? i->current : NOLINE, 1531, "preview current charges 1355 + 176 = 1531");
	/* NOPR has a price from 2028-01-16 only: days 1..15 not billed,
	 * 16..31 = 16 days: round(1000 * 16 / 31) = round(516.13) = 516 */
	i = pv_of(&pv, "NP");
	is_int(i ? i->subtotal : NOLINE, 516,
	    "a day with no price is not billed: 1000 x 16/31 = 516");
	for (size_t k = 0; k < pv.nwarnings; k++)
		if (strcmp(pv.warnings[k].customer_code, "NP") == 0 &&
		    strstr(pv.warnings[k].text, "NPA") &&
		    strstr(pv.warnings[k].text, "15 days"))
			warned = 1;
	ok(warned, "the preview warns of asset NPA's 15 days with no price");
	/* A contract price of 0.00 is a price: a line of 0, an invoice
	 * (zero-amount lines count as lines), no warning. */
	i = pv_of(&pv, "Z0");
	warned = 0;
	for (size_t k = 0; k < pv.nwarnings; k++)
		if (strcmp(pv.warnings[k].customer_code, "Z0") == 0)
			warned = 1;
	ok(i && i->subtotal == 0 && i->current == 0 && !warned,
	    "a price of 0.00 by contract: an invoice of 0, no warning");
	oms_arena_reset(arena);
	oms_store_close(&st);
}

/* ------------------------------------------------ world B: timeline */

/* The customers, sites, cost centres, assets and contract prices of
 * the timeline, at business date 2027-12-01. */
static int
timeline_data(void)
{
	const char *d = "2027-12-01";

	return imp(d, OMS_IMPORT_CUSTOMERS,
	    "code,name,address,city,region,postcode,country,currency,terms_days\n"
	    "C01,Ports,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C02,Moves,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C03,Contract,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C04,Usage,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C05,Orders,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C06,Taxes,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C07,Payer,1 A St,Ottawa,ON,K1A 0A1,CA,,10\n"
	    "C08,Overpayer,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C09,Long terms,1 A St,Ottawa,ON,K1A 0A1,CA,,45\n"
	    "C10,Corrected,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C11,Rate change,9 B St,Victoria,BC,V8W 1A1,CA,,\n"
	    "C13,Payments only,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    "C14,Terms 31,1 A St,Ottawa,ON,K1A 0A1,CA,,31\n"
	    "a9,Lower case code,1 A St,Ottawa,ON,K1A 0A1,CA,,\n") &&
	    imp(d, OMS_IMPORT_SITES,
	    "customer,code,name,address,city,region,postcode,country\n"
	    "C01,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C02,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C02,T,Annex,2 A St,Ottawa,ON,K1A 0A2,CA\n"
	    "C03,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C03,T,Annex,2 A St,Ottawa,ON,K1A 0A2,CA\n"
	    "C04,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C05,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C06,Q,Montreal,2 Rue Principale,Montreal,QC,H2X 1Y4,CA\n"
	    "C07,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C08,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C09,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C10,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "C11,B,Victoria,9 B St,Victoria,BC,V8W 1A1,CA\n"
	    "C14,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n"
	    "a9,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n") &&
	    imp(d, OMS_IMPORT_COST_CENTRES,
	    "customer,code,name\n"
	    "C01,K,All\nC02,K,All\nC03,K,All\nC04,K,All\nC05,K,All\n"
	    "C06,K,All\nC07,K,All\nC08,K,All\nC09,K,All\nC10,K,All\n"
	    "C11,K,All\nC14,K,All\na9,K,All\n") &&
	    imp(d, OMS_IMPORT_ASSETS,
	    "tag,customer,site,cost_centre,product,ports,phone_number,"
	    "extension,mailbox,serial,installed_on,parent_tag\n"
	    "P1,C01,S,K,PORT,4,,,,,2027-12-01,\n"
	    "L2,C02,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L3,C03,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L4,C04,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L4Z,C04,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L4N,C04,S,K,LINE,1,,,,,2028-01-16,\n"
	    "L6,C06,Q,K,LINE,1,,,,,2027-12-01,\n"
	    "L7,C07,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L8,C08,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L9,C09,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L10,C10,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L11,C11,B,K,LINE,1,,,,,2027-12-01,\n"
	    "L14,C14,S,K,LINE,1,,,,,2027-12-01,\n"
	    "L99,a9,S,K,LINE,1,,,,,2027-12-01,\n") &&
	    imp(d, OMS_IMPORT_CONTRACT_PRICES,
	    "customer,product,valid_from,valid_to,monthly\n"
	    "C03,LINE,2028-01-01,2028-01-21,15.00\n"
	    "C03,LINE,2028-01-11,2028-01-16,18.00\n");
}

#define ORDERS_HEAD "order_ref,line,action,customer,asset_tag,site," \
	"cost_centre,product,ports,phone_number,extension,mailbox,serial," \
	"parent_tag,requested_on,completed_on,fee_override,reason\n"

/* January's facts, imported at 2028-02-01 before it is issued. */
static int
january_data(void)
{
	const char *d = "2028-02-01";

	return imp(d, OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O1,1,change,C01,P1,,,,6,,,,,,2028-01-02,2028-01-11,0.00,goodwill\n"
	    "O51,1,add,C05,L5A,S,K,LINE,1,,,,,,2028-01-02,2028-01-05,,\n"
	    "O52,1,add,C05,L5B,S,K,PORT,2,,,,,,2028-01-02,2028-01-10,,\n"
	    "O53,1,add,C05,L5C,S,K,LINE,1,,,,,,2028-01-02,2028-01-15,12.34,promo\n"
	    "O54,1,addon,C05,L5V,,,VM,1,,,,,L5C,2028-01-02,2028-01-16,,\n"
	    "O55,1,change,C05,L5A,,,,,,,,SN1,,2028-01-02,2028-01-20,,\n"
	    "O56,1,disconnect,C05,L5C,,,,,,,,,,2028-01-02,2028-01-25,0.00,waived\n"
	    "O21,1,addon,C02,L2V,,,VM,1,,,,,L2,2028-01-02,2028-01-20,,\n") &&
	    imp(d, OMS_IMPORT_USAGE,
	    "record_id,asset_tag,date,quantity\n"
	    "U1,L4,2028-01-12,600\n"
	    "U2,L4,2028-01-28,737\n"
	    "U3,L4Z,2028-01-20,40\n"
	    "U6,L10,2028-01-25,300\n"
	    "U7,L4N,2028-01-20,150\n") &&
	    imp(d, OMS_IMPORT_ADJUSTMENTS,
	    "reference,customer,date,amount,description,taxable,site,cost_centre\n"
	    "J1,C06,2028-01-15,-123.45,Credit,yes,Q,K\n"
	    "J2,C06,2028-01-20,-10.50,Credit at the billing address,yes,,\n"
	    "J3,C06,2028-01-21,5.00,Postage,no,,\n");
}

/* 2028-01 (D = 31). */
static void
check_january(void)
{
	struct oms_invoice inv;
	const struct oms_invoice_line *l;
	int64_t base = 0;

	/* Numbers: sequential from 1 in customer-code order. */
	if (inv_of("C01", "2028-01", &inv))
		is_int(inv.number, 1, "numbers: C01's January invoice is number 1");
	if (inv_of("C11", "2028-01", &inv))
		is_int(inv.number, 11, "numbers: C11's January invoice is number 11");
	/* Byte order: "a9" (0x61) after "C14" (0x43). */
	if (inv_of("a9", "2028-01", &inv))
		is_int(inv.number, 13, "numbers in byte order: a9 after C14, number 13");

	/* C01: PORT 4 ports, 6 from 2028-01-11 (per-port change). */
	if (inv_of("C01", "2028-01", &inv)) {
		/* 1..10: round(1250 * 4 * 10 / 31) = round(1612.90) = 1613 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "P1", "2028-01-01", 0), 1613,
		    "per port: 4 ports on days 1..10, 1250 x 4 x 10/31 = 1613");
		/* 11..31: round(1250 * 6 * 21 / 31) = round(5080.65) = 5081 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "P1", "2028-01-11", 0), 5081,
		    "per port: 6 ports on days 11..31, 1250 x 6 x 21/31 = 5081");
		l = line_of(&inv, OMS_LINE_RECURRING, "P1", "2028-01-11", 0);
		ok(l && l->quantity == 6 && l->days == 21 && l->period_days == 31 &&
		    l->to == day("2028-01-31"),
		    "the segment: quantity 6 ports, 21 of 31 days, to the 31st");
		/* The change fee for PORT is 15.00; the override 0.00 waives
		 * it: a line of 0. */
		is_int(amt(&inv, OMS_LINE_ONETIME, "O1/1", NULL, 0), 0,
		    "fee override 0.00 waives the 15.00 change fee: a line of 0");
		/* 1613 + 5081 + 0 = 6694; HST round(6694 * 0.13) =
		 * round(870.22) = 870 */
		is_int(inv.subtotal, 6694, "C01 subtotal 1613 + 5081 + 0 = 6694");
		is_int(inv.tax, 870, "C01 HST 6694 x 13 %% = 870.22 = 870");
		is_int(inv.current, 7564, "C01 current charges 6694 + 870 = 7564");
		/* Invoice date the period's last day, due + 30 (default):
		 * 2028-01-31 + 30 = 2028-03-01 (February has 29 days). */
		ok(inv.invoice_date == day("2028-01-31") &&
		    inv.due_date == day("2028-03-01") && inv.terms_days == 30,
		    "invoice date 2028-01-31, due 30 days later on 2028-03-01");
		/* Report: 6 ports at S/K on the last day. */
		ok(inv.report_ports == 6 && inv.nrows == 2 &&
		    inv.rows[0].ports == 6 && inv.rows[0].charge == 6694 &&
		    inv.rows[1].subtotal && inv.rows[1].charge == 6694,
		    "report: S/K with 6 ports and 66.94, and S's sub-total");
	}

	/* C02: add-on L2V on L2 from 01-20: days 20..31 = 12,
	 * round(300 * 12 / 31) = round(116.13) = 116; no addon fee. */
	if (inv_of("C02", "2028-01", &inv))
		ok(amt(&inv, OMS_LINE_RECURRING, "L2V", "2028-01-20", 0) == 116 &&
		    nlines(&inv, OMS_LINE_ONETIME, NULL, 0) == 0 &&
		    inv.subtotal == 2116,
		    "an add-on rated from its day: 300 x 12/31 = 116; 2000 + 116 = 2116");

	/* C03: contracts 15.00 [01-01, 01-21), 18.00 [01-11, 01-16). */
	if (inv_of("C03", "2028-01", &inv)) {
		/* 1..10 at 15.00: round(1500 * 10 / 31) = round(483.87) = 484 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L3", "2028-01-01", 0), 484,
		    "contract 15.00 on days 1..10: 1500 x 10/31 = 484");
		/* 11..15: overlap, the latest valid_from (18.00) wins:
		 * round(1800 * 5 / 31) = round(290.32) = 290 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L3", "2028-01-11", 0), 290,
		    "contract overlap: the latest valid_from wins, 1800 x 5/31 = 290");
		/* 16..20: 18.00 ended (valid_to excluded), 15.00 again:
		 * round(1500 * 5 / 31) = round(241.94) = 242 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L3", "2028-01-16", 0), 242,
		    "contract window ends: 15.00 again, 1500 x 5/31 = 242");
		/* 21..31: no contract, the catalog's 20.00:
		 * round(2000 * 11 / 31) = round(709.68) = 710 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L3", "2028-01-21", 0), 710,
		    "after the contract (valid_to excluded): catalog 2000 x 11/31 = 710");
		is_int(nlines(&inv, OMS_LINE_RECURRING, "L3", 0), 4,
		    "four segments for four prices");
	}

	/* C04: usage with included quantity and two tiers. */
	if (inv_of("C04", "2028-01", &inv)) {
		/* Q = 600 + 737 = 1337; billable 1337 - 100 = 1237;
		 * 1000 x 35000 + 237 x 34500 = 35000000 + 8176500 =
		 * 43176500 micro; round(43176500 / 10000) = round(4317.65) =
		 * 4318 */
		l = line_of(&inv, OMS_LINE_USAGE, "L4", NULL, 0);
		ok(l && l->quantity == 1337 && l->billable == 1237,
		    "usage: 1337 units, 1337 - 100 included = 1237 billable");
		is_int(l ? l->amount : NOLINE, 4318,
		    "usage tiers: 1000 x 0.0350 + 237 x 0.0345 = 43.1765 = 4318");
		/* L4Z: 40 units, all included: a line of 0. */
		l = line_of(&inv, OMS_LINE_USAGE, "L4Z", NULL, 0);
		ok(l && l->amount == 0 && l->quantity == 40 && l->billable == 0,
		    "usage within the included quantity: one line of 0");
		ok(l && l->from == day("2028-01-01") && l->to == day("2028-01-31"),
		    "a usage line covers the period");
		/* L4N installed 01-16 with 150 units: the 100 included are
		 * not prorated: 50 x 35000 = 1750000 micro = 175 */
		is_int(amt(&inv, OMS_LINE_USAGE, "L4N", NULL, 0), 175,
		    "included quantity not prorated: installed 01-16, 150 - 100 = 50 x 0.0350 = 175");
		/* days 16..31 = 16: round(2000 * 16 / 31) = round(1032.26) =
		 * 1032 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L4N", NULL, 0), 1032,
		    "installed 01-16: 2000 x 16/31 = 1032");
		/* 2000 + 4318 + 2000 + 0 + 1032 + 175 = 9525 */
		is_int(inv.subtotal, 9525,
		    "C04 subtotal 2000 + 4318 + 2000 + 0 + 1032 + 175 = 9525");
	}

	/* C05: adds, an add-on, a change, a disconnect. */
	if (inv_of("C05", "2028-01", &inv)) {
		/* L5A added 01-05: days 5..31 = 27, round(2000 * 27 / 31) =
		 * round(1741.94) = 1742 (a change of serial on 01-20 does not
		 * cut the segment) */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L5A", "2028-01-05", 0), 1742,
		    "install day billed: from 01-05, 2000 x 27/31 = 1742");
		is_int(nlines(&inv, OMS_LINE_RECURRING, "L5A", 0), 1,
		    "a change of serial only: still one segment");
		/* Add LINE: the LINE fee 25.00 wins over any-product 50.00. */
		is_int(amt(&inv, OMS_LINE_ONETIME, "O51/1", NULL, 0), 2500,
		    "fee precedence: the product's own add fee 25.00 over 50.00");
		/* L5B 2 ports from 01-10: 22 days, round(1250 * 2 * 22 / 31)
		 * = round(1774.19) = 1774 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L5B", NULL, 0), 1774,
		    "per port from the install day: 1250 x 2 x 22/31 = 1774");
		/* Add PORT on 01-10: PORT's own fee starts 01-20: 50.00. */
		is_int(amt(&inv, OMS_LINE_ONETIME, "O52/1", NULL, 0), 5000,
		    "fee effective-dated: PORT's own fee not yet in effect, any 50.00");
		is_int(amt(&inv, OMS_LINE_ONETIME, "O53/1", NULL, 0), 1234,
		    "fee override 12.34 replaces the 25.00 fee");
		/* L5C 01-15, removed 01-25: days 15..24 = 10,
		 * round(2000 * 10 / 31) = round(645.16) = 645 */
		l = line_of(&inv, OMS_LINE_RECURRING, "L5C", NULL, 0);
		ok(l && l->amount == 645 && l->to == day("2028-01-24"),
		    "removal day not billed: 15..24, 2000 x 10/31 = 645");
		/* Add-on L5V 01-16 to its parent's removal 01-25: days
		 * 16..24 = 9, round(300 * 9 / 31) = round(87.10) = 87 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L5V", NULL, 0), 87,
		    "add-on rated and removed with its parent: 300 x 9/31 = 87");
		is_int(nlines(&inv, OMS_LINE_ONETIME, "O54/1", 0), 0,
		    "no addon fee in effect, no override: no line");
		is_int(nlines(&inv, OMS_LINE_ONETIME, "O55/1", 0), 0,
		    "no change fee for LINE: no line");
		is_int(amt(&inv, OMS_LINE_ONETIME, "O56/1", NULL, 0), 0,
		    "disconnect with override 0.00: a line of 0");
		is_int(nlines(&inv, OMS_LINE_ONETIME, NULL, 0), 4,
		    "one-time lines: O51, O52, O53, O56 (the add-on's removal has no fee)");
		/* 1742 + 1774 + 645 + 87 + 2500 + 5000 + 1234 + 0 = 12982;
		 * HST round(12982 * 0.13) = round(1687.66) = 1688 */
		is_int(inv.subtotal, 12982, "C05 subtotal = 12982");
		is_int(inv.tax, 1688, "C05 HST 12982 x 13 %% = 1687.66 = 1688");
		/* Ports on 01-31: L5A 1 + L5B 2 (L5C, L5V removed) = 3 */
		ok(inv.report_ports == 3 && inv.nrows == 2 &&
		    inv.rows[0].ports == 3 && inv.rows[0].charge == 12982,
		    "report: 3 ports in service on the last day, charge 129.82");
	}

	/* C06: two tax codes, a negative base, billing-address taxes. */
	if (inv_of("C06", "2028-01", &inv)) {
		/* 2000 - 12345 - 1050 + 500 = -10895 */
		is_int(inv.subtotal, -10895,
		    "C06 subtotal 2000 - 123.45 - 10.50 + 5.00 = -10895");
		/* CA-ON (J2 has no site: the billing address): base -1050,
		 * HST round(-1050 * 0.13) = round(-136.5) = -137 */
		is_int(tax_of(&inv, "CA-ON", "HST", &base), -137,
		    "negative half: -1050 x 13 %% = -136.5 rounds away from zero to -137");
		is_int(base, -1050, "a line without a site is taxed at the customer's address");
		/* CA-QC: base 2000 - 12345 = -10345 (J3 not taxable);
		 * GST round(-10345 * 0.05) = round(-517.25) = -517 */
		is_int(tax_of(&inv, "CA-QC", "GST", &base), -517,
		    "negative base: GST -10345 x 5 %% = -517.25 = -517");
		is_int(base, -10345, "QC base 2000 - 12345 (the non-taxable 5.00 left out)");
		/* QST round(-10345 * 0.09975) = round(-1031.91) = -1032 */
		is_int(tax_of(&inv, "CA-QC", "QST", NULL), -1032,
		    "negative base: QST -10345 x 9.975 %% = -1031.91 = -1032");
		ok(inv.ntaxes == 3 && strcmp(inv.taxes[0].jurisdiction, "CA-ON") == 0 &&
		    strcmp(inv.taxes[1].tax, "GST") == 0 &&
		    strcmp(inv.taxes[2].tax, "QST") == 0,
		    "taxes by jurisdiction then code: CA-ON HST, CA-QC GST, QST");
		/* -10895 - 137 - 517 - 1032 = -12581 */
		is_int(inv.current, -12581, "C06 current charges -10895 - 1686 = -12581");
		is_int(inv.total_due, -12581, "first invoice: total due = current charges");
		/* Report: Q/K 2000 - 12345 = -10345 with 1 port, Q's
		 * sub-total, then the lines without a site: -1050 + 500 =
		 * -550, a row of their own with no sub-total. */
		ok(inv.nrows == 3 && strcmp(inv.rows[0].site_code, "Q") == 0 &&
		    inv.rows[0].charge == -10345 && inv.rows[0].ports == 1 &&
		    inv.rows[1].subtotal && inv.rows[1].charge == -10345 &&
		    inv.rows[2].site_code[0] == '\0' && !inv.rows[2].subtotal &&
		    inv.rows[2].charge == -550 && inv.rows[2].ports == 0,
		    "report: Q/K -103.45, its sub-total, then the lines without a site -5.50");
		ok(amt(&inv, OMS_LINE_ADJUSTMENT, "J3", NULL, 0) == 500 &&
		    line_of(&inv, OMS_LINE_ADJUSTMENT, "J3", NULL, 0)->taxable == 0,
		    "an adjustment says whether it is taxable");
	}

	/* Due dates by terms. */
	if (inv_of("C07", "2028-01", &inv))
		ok(inv.due_date == day("2028-02-10") && inv.current == 2260,
		    "terms 10: due 2028-02-10; 2000 + 260 HST = 2260");
	if (inv_of("C09", "2028-01", &inv))
		ok(inv.due_date == day("2028-03-16"),
		    "terms 45: 2028-01-31 + 45 = 2028-03-16");
	/* C13 has no line, no payment, no balance: no invoice. */
	ok(oms_invoice_find(st, arena, "C13", "2028-01", 0, &inv) ==
	    OMS_ERR_NOTFOUND, "no line, payment or balance: no invoice");
	/* C10: 2000 + usage (300 - 100) x 0.0350 = 700; HST
	 * round(2700 * 0.13) = 351 */
	if (inv_of("C10", "2028-01", &inv))
		ok(inv.subtotal == 2700 && inv.current == 3051,
		    "C10 January as issued: 2000 + 700 usage + 351 HST = 3051");
	/* C11 in CA-BC: GST 5 % = 100, PST 7 % = 140. */
	if (inv_of("C11", "2028-01", &inv))
		ok(tax_of(&inv, "CA-BC", "GST", NULL) == 100 &&
		    tax_of(&inv, "CA-BC", "PST", NULL) == 140,
		    "C11: GST 2000 x 5 %% = 100, PST 2000 x 7 %% = 140");
}

/* February's facts: back-dated changes into January, payments, moves,
 * usage, an add. */
static int
february_data(void)
{
	return imp("2028-02-05", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O10,1,disconnect,C10,L10,,,,,,,,,,2028-01-20,2028-01-21,,\n") &&
	    imp("2028-02-05", OMS_IMPORT_ADJUSTMENTS,
	    "reference,customer,date,amount,description,taxable,site,cost_centre\n"
	    "J10,C10,2028-01-20,10.00,Late charge,yes,S,K\n"
	    "J11,C10,2027-12-20,99.00,Before the first period,yes,S,K\n") &&
	    /* C12 exists from 2028-02-05, its asset from 2028-01-10. */
	    imp("2028-02-05", OMS_IMPORT_CUSTOMERS,
	    "code,name,address,city,region,postcode,country,currency,terms_days\n"
	    "C12,Late comer,1 A St,Ottawa,ON,K1A 0A1,CA,,\n"
	    /* C09 renamed, its terms now 20 days. */
	    "C09,Long terms renamed,1 A St,Ottawa,ON,K1A 0A1,CA,,20\n") &&
	    imp("2028-02-05", OMS_IMPORT_SITES,
	    "customer,code,name,address,city,region,postcode,country\n"
	    "C12,S,HQ,1 A St,Ottawa,ON,K1A 0A1,CA\n") &&
	    imp("2028-02-05", OMS_IMPORT_COST_CENTRES,
	    "customer,code,name\nC12,K,All\n") &&
	    imp("2028-02-05", OMS_IMPORT_ASSETS,
	    "tag,customer,site,cost_centre,product,ports,phone_number,"
	    "extension,mailbox,serial,installed_on,parent_tag\n"
	    "L12,C12,S,K,LINE,1,,,,,2028-01-10,\n") &&
	    imp("2028-02-05", OMS_IMPORT_TAX_RATES,
	    "jurisdiction,tax,valid_from,rate\n"
	    "CA-BC,PST,2028-01-01,8\n") &&
	    imp("2028-02-05", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O57,1,add,C05,L5D,S,K,PORT,1,,,,,,2028-02-01,2028-02-03,,\n"
	    "O58,1,addon,C05,L5W,,,VM,1,,,,,L5A,2028-02-01,2028-02-05,,\n") &&
	    /* Two changes of P1 completed the same day, in this order. */
	    imp("2028-02-15", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O1B,1,change,C01,P1,,,,8,,,,,,2028-02-15,2028-02-15,,\n") &&
	    imp("2028-02-15", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O1C,1,change,C01,P1,,,,2,,,,,,2028-02-15,2028-02-15,,\n") &&
	    imp("2028-02-15", OMS_IMPORT_PAYMENTS,
	    "reference,customer,date,amount,method\n"
	    "P7A,C07,2028-02-15,10.00,cheque\n"
	    "P8,C08,2028-02-10,50.00,cheque\n"
	    "P13,C13,2028-02-12,5.00,cheque\n") &&
	    /* C06: a taxable base of 0 at its billing address. */
	    imp("2028-02-15", OMS_IMPORT_ADJUSTMENTS,
	    "reference,customer,date,amount,description,taxable,site,cost_centre\n"
	    "J4,C06,2028-02-10,10.00,Charge,yes,,\n"
	    "J5,C06,2028-02-11,-10.00,Credit,yes,,\n") &&
	    imp("2028-02-20", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O2A,1,move,C02,L2,T,K,,,,,,,,2028-02-01,2028-02-10,,\n"
	    "O2B,1,move,C02,L2,S,K,,,,,,,,2028-02-01,2028-02-20,,\n") &&
	    imp("2028-02-20", OMS_IMPORT_USAGE,
	    "record_id,asset_tag,date,quantity\n"
	    "U4,L4,2028-02-20,150\n") &&
	    /* Dated after February's invoice date: waits for March. */
	    imp("2028-03-01", OMS_IMPORT_PAYMENTS,
	    "reference,customer,date,amount,method\n"
	    "P7B,C07,2028-03-01,30.00,cheque\n");
}

/* 2028-02 (D = 29). */
static void
check_february(void)
{
	struct oms_invoice inv;
	const struct oms_invoice_line *l;

	if (inv_of("C01", "2028-02", &inv))
		/* January: C01..C11, C14 and a9 (C12 and C13 had none) =
		 * 1..13 */
		is_int(inv.number, 14, "numbers: February continues at 14");

	/* C01: 6 ports, then 8 and 2 on 02-15 (same day, in order). */
	if (inv_of("C01", "2028-02", &inv)) {
		/* 1..14: round(1250 * 6 * 14 / 29) = round(3620.69) = 3621 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "P1", "2028-02-01", 0), 3621,
		    "6 ports on days 1..14: 1250 x 6 x 14/29 = 3621");
		/* 15..29: the later of the two changes: 2 ports,
		 * round(1250 * 2 * 15 / 29) = round(1293.10) = 1293 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "P1", "2028-02-15", 0), 1293,
		    "two changes the same day apply in order: 2 ports, 1250 x 2 x 15/29 = 1293");
		is_int(nlines(&inv, OMS_LINE_RECURRING, "P1", 0), 2,
		    "the 8 ports lasted no day: two segments");
		ok(amt(&inv, OMS_LINE_ONETIME, "O1B/1", NULL, 0) == 1500 &&
		    amt(&inv, OMS_LINE_ONETIME, "O1C/1", NULL, 0) == 1500,
		    "each change is charged PORT's change fee 15.00");
		/* 3621 + 1293 + 1500 + 1500 = 7914; HST round(1028.82) =
		 * 1029; 8943 */
		ok(inv.subtotal == 7914 && inv.current == 8943,
		    "C01 February: 7914 + 1029 HST = 8943");
	}

	/* C02: A (S) -> B (T) on 02-10 -> A (S) on 02-20. */
	if (inv_of("C02", "2028-02", &inv)) {
		/* 1..9 at S: round(2000 * 9 / 29) = round(620.69) = 621 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L2", "2028-02-01", 0), 621,
		    "A -> B -> A: days 1..9 at A, 2000 x 9/29 = 621");
		/* 10..19 at T: round(2000 * 10 / 29) = round(689.66) = 690 */
		l = line_of(&inv, OMS_LINE_RECURRING, "L2", "2028-02-10", 0);
		ok(l && l->amount == 690 && strcmp(l->site_code, "T") == 0,
		    "A -> B -> A: days 10..19 at B, 2000 x 10/29 = 690");
		/* 20..29 at S again: a third segment, 690 */
		l = line_of(&inv, OMS_LINE_RECURRING, "L2", "2028-02-20", 0);
		ok(l && l->amount == 690 && strcmp(l->site_code, "S") == 0,
		    "A -> B -> A: days 20..29 back at A, a third segment of 690");
		/* 621 + 690 + 690 = 2001: a cent more than the monthly */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L2", "2028-02-01", 0) +
		    amt(&inv, OMS_LINE_RECURRING, "L2", "2028-02-10", 0) +
		    amt(&inv, OMS_LINE_RECURRING, "L2", "2028-02-20", 0), 2001,
		    "each segment rounded alone: 621 + 690 + 690 = 2001, a cent over 2000");
		/* Move fees 7.50 each, at the site after the move. */
		l = line_of(&inv, OMS_LINE_ONETIME, "O2A/1", NULL, 0);
		ok(l && l->amount == 750 && strcmp(l->site_code, "T") == 0,
		    "move fee 7.50 at the site after the action (B)");
		/* The add-on L2V moves with its parent: 1..9 at S
		 * round(300 * 9 / 29) = round(93.10) = 93, 10..19 at T
		 * round(300 * 10 / 29) = round(103.45) = 103, 20..29 at S
		 * 103 */
		l = line_of(&inv, OMS_LINE_RECURRING, "L2V", "2028-02-10", 0);
		ok(l && l->amount == 103 && strcmp(l->site_code, "T") == 0 &&
		    amt(&inv, OMS_LINE_RECURRING, "L2V", "2028-02-01", 0) == 93 &&
		    amt(&inv, OMS_LINE_RECURRING, "L2V", "2028-02-20", 0) == 103,
		    "an add-on moves with its parent: 93 at A, 103 at B, 103 at A");
		/* Report: S/K 621 + 690 + 750 (O2B) + 93 + 103 = 2257, 2
		 * ports on the last day (L2 and L2V); T/K 690 + 750 + 103 =
		 * 1543, 0 ports. */
		ok(inv.nrows == 4 && strcmp(inv.rows[0].site_code, "S") == 0 &&
		    inv.rows[0].charge == 2257 && inv.rows[0].ports == 2 &&
		    inv.rows[1].subtotal && inv.rows[1].charge == 2257 &&
		    strcmp(inv.rows[2].site_code, "T") == 0 &&
		    inv.rows[2].charge == 1543 && inv.rows[2].ports == 0 &&
		    inv.rows[3].subtotal && inv.rows[3].charge == 1543,
		    "report: S 22.57 (2 ports), T 15.43 (0 ports), each with its sub-total");
		/* 2001 + 750 + 750 + 93 + 103 + 103 = 3800 */
		is_int(inv.subtotal, 3800, "C02 February subtotal 2001 + 1500 + 299 = 3800");
	}

	/* C04: the usage price of the period's first day. */
	if (inv_of("C04", "2028-02", &inv))
		/* The 2028-02-15 price does not apply: 150 - 100 = 50
		 * billable x 35000 = 1750000 micro = 175 */
		is_int(amt(&inv, OMS_LINE_USAGE, "L4", NULL, 0), 175,
		    "usage priced as on the period's first day: 50 x 0.0350 = 175");

	/* C05: PORT's own add fee 40.00 in effect from 01-20. */
	if (inv_of("C05", "2028-02", &inv)) {
		is_int(amt(&inv, OMS_LINE_ONETIME, "O57/1", NULL, 0), 4000,
		    "fee precedence: PORT's own add fee 40.00 over any 50.00");
		/* days 3..29 = 27: round(1250 * 27 / 29) = round(1163.79) =
		 * 1164 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L5D", NULL, 0), 1164,
		    "install on 02-03: 1250 x 1 port x 27/29 = 1164");
		/* Add-on from 02-05: 25 days, round(300 * 25 / 29) =
		 * round(258.62) = 259 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L5W", NULL, 0), 259,
		    "add-on from 02-05: 300 x 25/29 = 259");
		/* On 02-29: L5A 1 + L5B 2 + L5D 1 + add-on L5W 1 = 5 */
		is_int(inv.report_ports, 5,
		    "report ports on the last day, the add-on's included: 1 + 2 + 1 + 1 = 5");
	}

	/* C06: balance forward of a credit. */
	if (inv_of("C06", "2028-02", &inv)) {
		/* QST round(2000 * 0.09975) = round(199.5) = 200 */
		is_int(tax_of(&inv, "CA-QC", "QST", NULL), 200,
		    "positive half: 2000 x 9.975 %% = 199.5 = 200");
		/* current 2000 + 100 + 200 = 2300; -12581 + 2300 = -10281 */
		ok(inv.previous == -12581 && inv.current == 2300 &&
		    inv.total_due == -10281,
		    "credit carried: previous -12581 + current 2300 = -10281");
		is_int(inv.noutstanding, 0, "a credit invoice is never outstanding");
		/* J4 + J5 at the billing address: base 1000 - 1000 = 0 */
		ok(tax_of(&inv, "CA-ON", "HST", NULL) == 0 && inv.ntaxes == 3,
		    "a tax is listed even when it comes to zero (CA-ON base 0)");
	}

	/* C07: a payment, oldest first, a later one waiting. */
	if (inv_of("C07", "2028-02", &inv)) {
		/* previous 2260 - payments 1000 + current 2260 = 3520 */
		ok(inv.previous == 2260 && inv.payments == 1000 &&
		    inv.current == 2260 && inv.total_due == 3520,
		    "2260 - 1000 + 2260 = 3520; the payment dated 03-01 waits");
		/* Jan left 2260 - 1000 = 1260, due 02-10: 02-29 - 02-10 = 19
		 * days past due: 1-30 */
		ok(inv.noutstanding == 1 && inv.outstanding[0].left == 1260 &&
		    inv.outstanding[0].days_past_due == 19 &&
		    strcmp(inv.outstanding[0].period, "2028-01") == 0 &&
		    inv.aging[OMS_AGING_30] == 1260,
		    "January outstanding 12.60, 19 days past due, in 1-30");
		/* 1260 + 2260 = 3520 = total due */
		is_int(inv.noutstanding == 1 ? inv.outstanding[0].left +
		    inv.current : NOLINE, inv.total_due,
		    "amounts left + current charges = total due");
	}

	/* C08: overpayment. */
	if (inv_of("C08", "2028-02", &inv)) {
		/* 2260 - 5000 + 2260 = -480 */
		ok(inv.payments == 5000 && inv.total_due == -480,
		    "overpayment: 2260 - 5000 + 2260 = -480");
		ok(inv.noutstanding == 0 && inv.aging[OMS_AGING_NOT_DUE] == 0 &&
		    inv.aging[OMS_AGING_30] == 0,
		    "payments beyond the charges: nothing listed");
	}

	/* C09: terms 45, not yet due. */
	if (inv_of("C14", "2028-02", &inv))
		/* terms 31: January due 03-02; 02-29 - 03-02 = -2 */
		ok(inv.noutstanding == 1 && inv.outstanding[0].days_past_due == -2 &&
		    inv.outstanding[0].due_date == day("2028-03-02") &&
		    inv.aging[OMS_AGING_NOT_DUE] == 2260,
		    "terms 31: January due 03-02, -2 days: not yet due");
	if (inv_of("C09", "2028-02", &inv))
		/* due 03-16; 02-29 - 03-16 = -16: not yet due */
		ok(inv.noutstanding == 1 && inv.outstanding[0].days_past_due == -16 &&
		    inv.aging[OMS_AGING_NOT_DUE] == 2260 && inv.total_due == 4520,
		    "January not yet due (-16 days): 22.60 in the first bucket");

	/* C09 renamed, terms 20 from 02-05: January's invoice unchanged. */
	if (inv_of("C09", "2028-01", &inv))
		ok(strcmp(inv.customer_name, "Long terms") == 0 &&
		    inv.due_date == day("2028-03-16") && inv.terms_days == 45,
		    "an issued invoice keeps the name and terms of its issue");
	if (inv_of("C09", "2028-02", &inv))
		ok(strcmp(inv.customer_name, "Long terms renamed") == 0 &&
		    inv.due_date == day("2028-03-20") && inv.terms_days == 20,
		    "February takes the name and terms at its issue: 02-29 + 20 = 03-20");

	/* C12 exists from February: January is never billed. */
	if (inv_of("C12", "2028-02", &inv))
		ok(inv.nlines == 1 && amt(&inv, OMS_LINE_RECURRING, "L12", NULL,
		    0) == 2000 && inv.previous == 0,
		    "a customer's first invoice: its period only, no correction of January");
	/* C13: a payment only. */
	if (inv_of("C13", "2028-02", &inv))
		ok(inv.nlines == 0 && inv.payments == 500 && inv.current == 0 &&
		    inv.total_due == -500,
		    "an invoice for a payment alone: 0 - 500 + 0 = -500");

	/* C10: corrections of January. */
	if (inv_of("C10", "2028-01", &inv))
		ok(inv.current == 3051 && inv.nlines == 2,
		    "an issued invoice never changes: C10 January still 3051, 2 lines");
	if (inv_of("C10", "2028-02", &inv)) {
		is_int(nlines(&inv, -1, NULL, 0), 0,
		    "removed in January: no line of February's own");
		/* now 1..20: round(2000 * 20 / 31) = round(1290.32) = 1290;
		 * invoiced 2000: correction -710 */
		l = line_of(&inv, OMS_LINE_RECURRING, "L10", NULL, 1);
		ok(l && l->amount == -710 && strcmp(l->billed_period, "2028-01") == 0 &&
		    l->taxable,
		    "back-dated disconnect: a correction of 2028-01, 1290 - 2000 = -710");
		is_int(amt(&inv, OMS_LINE_ONETIME, "O10/1", NULL, 1), 1000,
		    "back-dated disconnect fee 10.00, a correction of January");
		is_int(amt(&inv, OMS_LINE_ADJUSTMENT, "J10", NULL, 1), 1000,
		    "back-dated adjustment 10.00, a correction of January");
		/* -710 + 1000 + 1000 = 1290; HST round(1290 * 0.13) =
		 * round(167.7) = 168 */
		ok(inv.subtotal == 1290 && inv.tax == 168 && inv.current == 1458,
		    "corrections taxed here: 1290 + 168 HST = 1458");
		/* Usage on 01-25 after the back-dated removal on 01-21 still
		 * counts: the asset has in-service days in January. */
		is_int(nlines(&inv, OMS_LINE_USAGE, "L10", 1), 0,
		    "usage left outside service still counts: no usage correction");
		/* J11 dated 2027-12-20: before the first period, never billed */
		is_int(nlines(&inv, -1, NULL, 1), 3,
		    "three corrections; an adjustment dated before the first period is never billed");
		/* 3051 + 1458 = 4509 */
		is_int(inv.total_due, 4509, "C10 total due 3051 + 1458 = 4509");
	}

	/* C11: a back-dated PST rate: no correction, this invoice's rate. */
	if (inv_of("C11", "2028-02", &inv)) {
		is_int(nlines(&inv, -1, NULL, 1), 0,
		    "a change of a tax rate never causes a correction");
		/* PST 2000 x 8 % = 160 */
		is_int(tax_of(&inv, "CA-BC", "PST", NULL), 160,
		    "the rate in effect on the invoice date: 2000 x 8 %% = 160");
	}
}

/* 2028-03 (D = 31) to 2028-06. */
static void
check_later(void)
{
	struct oms_invoice inv;
	const struct oms_invoice_line *l;

	if (inv_of("C04", "2028-03", &inv))
		/* March 1st: the 2028-02-15 price, 0 included, 1.00:
		 * 3 x 1000000 = 3000000 micro = 300 */
		is_int(amt(&inv, OMS_LINE_USAGE, "L4", NULL, 0), 300,
		    "a new usage price from the next period: 3 x 1.00 = 300");
	/* C03: L3 moved back-dated to T on 02-20, after February was
	 * issued (2000 at S).  Now: 1..19 at S round(2000 * 19 / 29) =
	 * round(1310.34) = 1310, 20..29 at T round(2000 * 10 / 29) =
	 * round(689.66) = 690. */
	if (inv_of("C03", "2028-03", &inv)) {
		is_int(corr_at(&inv, OMS_LINE_RECURRING, "L3", "S"), -690,
		    "correction by line key: L3 at S, 1310 - 2000 = -690");
		is_int(corr_at(&inv, OMS_LINE_RECURRING, "L3", "T"), 690,
		    "correction by line key: L3 at T, a new key, 690 - 0 = 690");
		is_int(corr_at(&inv, OMS_LINE_ONETIME, "O3M/1", "T"), 750,
		    "correction: the back-dated move's fee 7.50 at T");
		l = line_of(&inv, OMS_LINE_RECURRING, "L3", NULL, 0);
		ok(l && l->amount == 2000 && strcmp(l->site_code, "T") == 0,
		    "March's own line at T: 2000");
		/* 2000 - 690 + 690 + 750 = 2750; HST round(2750 * 0.13) =
		 * round(357.5) = 358 */
		ok(inv.subtotal == 2750 && inv.tax == 358,
		    "C03 March: 2000 - 690 + 690 + 750 = 2750, HST 357.5 = 358");
		/* Report: S/K -690 (0 ports), T/K 2000 + 690 + 750 = 3440
		 * (1 port) */
		ok(inv.nrows == 4 && inv.rows[0].charge == -690 &&
		    inv.rows[0].ports == 0 && inv.rows[2].charge == 3440 &&
		    inv.rows[2].ports == 1,
		    "report: S -6.90 with 0 ports, T 34.40 with 1 port");
	}
	/* C09: corrections of two issued periods. */
	if (inv_of("C09", "2028-03", &inv)) {
		int jan = 0, feb = 0;

		/* January now: 1..15 round(2000 * 15 / 31) = round(967.74) =
		 * 968, 16..31 round(1000 * 16 / 31) = round(516.13) = 516;
		 * 968 + 516 - 2000 = -516.  February: 1000 - 2000 = -1000. */
		for (size_t k = 0; k < inv.nlines; k++) {
			const struct oms_invoice_line *c = &inv.lines[k];

			if (!c->correction || strcmp(c->ref, "L9") != 0)
				continue;
			if (strcmp(c->billed_period, "2028-01") == 0 &&
			    c->amount == -516)
				jan++;
			if (strcmp(c->billed_period, "2028-02") == 0 &&
			    c->amount == -1000)
				feb++;
		}
		ok(jan == 1 && feb == 1 && nlines(&inv, -1, NULL, 1) == 2,
		    "a back-dated contract price: corrections of 2028-01 (-516) and 2028-02 (-1000)");
		/* 1000 - 516 - 1000 = -516; HST round(-67.08) = -67 */
		ok(inv.subtotal == -516 && inv.tax == -67,
		    "C09 March: 1000 - 516 - 1000 = -516, HST -67.08 = -67");
	}
	/* C11: LINE -> LINE2 on 03-10. */
	if (inv_of("C11", "2028-03", &inv)) {
		/* 1..9 LINE: round(2000 * 9 / 31) = round(580.65) = 581 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L11", "2028-03-01", 0), 581,
		    "product change: LINE on days 1..9, 2000 x 9/31 = 581");
		/* 10..31 LINE2: round(3000 * 22 / 31) = round(2129.03) =
		 * 2129 */
		is_int(amt(&inv, OMS_LINE_RECURRING, "L11", "2028-03-10", 0), 2129,
		    "product change: LINE2 on days 10..31, 3000 x 22/31 = 2129");
		/* The product after the change (LINE2) has a change fee of
		 * 20.00; LINE has none. */
		is_int(amt(&inv, OMS_LINE_ONETIME, "O11/1", NULL, 0), 2000,
		    "a change is charged the fee of the product after it (20.00)");
		is_int(nlines(&inv, OMS_LINE_USAGE, "L11", 0), 0,
		    "usage of a product with no usage price on its last day: not billed");
		/* 581 + 2129 + 2000 = 4710; GST round(235.5) = 236; PST
		 * round(4710 * 0.08) = round(376.8) = 377 */
		ok(inv.subtotal == 4710 && tax_of(&inv, "CA-BC", "GST", NULL) == 236 &&
		    tax_of(&inv, "CA-BC", "PST", NULL) == 377,
		    "C11 March: 4710, GST 235.5 = 236, PST 376.8 = 377");
	}
	/* C06: January's credit covers February: nothing outstanding. */
	if (inv_of("C06", "2028-03", &inv))
		/* -10281 + 2300 = -7981 */
		ok(inv.noutstanding == 0 && inv.total_due == -7981,
		    "earlier credits applied to earlier charges: -10281 + 2300 = -7981");
	/* C01, terms 30, never paid: the bucket limits. */
	if (inv_of("C01", "2028-03", &inv))
		/* Jan due 03-01: 30 days; Feb due 03-30: 1 day */
		ok(inv.noutstanding == 2 && inv.outstanding[0].days_past_due == 30 &&
		    inv.outstanding[1].days_past_due == 1 &&
		    inv.aging[OMS_AGING_30] == 7564 + 8943 && inv.current == 2825,
		    "aging: 30 days past due is in 1-30 (7564 + 8943)");
	if (inv_of("C01", "2028-04", &inv))
		/* Jan 60, Feb 31, Mar due 04-30: 0 */
		ok(inv.noutstanding == 3 && inv.outstanding[0].days_past_due == 60 &&
		    inv.outstanding[1].days_past_due == 31 &&
		    inv.outstanding[2].days_past_due == 0 &&
		    inv.aging[OMS_AGING_60] == 7564 + 8943 &&
		    inv.aging[OMS_AGING_NOT_DUE] == 2825,
		    "aging: 60 and 31 days in 31-60, 0 days not yet due");
	if (inv_of("C01", "2028-05", &inv))
		/* Jan 91, Feb 62, Mar 31, Apr due 05-30: 1 */
		ok(inv.aging[OMS_AGING_OVER] == 7564 && inv.aging[OMS_AGING_90] == 8943 &&
		    inv.aging[OMS_AGING_60] == 2825 && inv.aging[OMS_AGING_30] == 2825,
		    "aging: 91 days over 90, 62 in 61-90, 31 in 31-60, 1 in 1-30");
	if (inv_of("C14", "2028-05", &inv))
		/* Jan due 03-02: 90; Feb due 03-31: 61; Mar due 05-01: 30;
		 * Apr due 05-31: 0 */
		ok(inv.noutstanding == 4 && inv.outstanding[0].days_past_due == 90 &&
		    inv.outstanding[1].days_past_due == 61 &&
		    inv.aging[OMS_AGING_90] == 4520 && inv.aging[OMS_AGING_30] == 2260 &&
		    inv.aging[OMS_AGING_NOT_DUE] == 2260 && inv.total_due == 11300,
		    "aging: 90 and 61 days in 61-90, 30 in 1-30, 0 not yet due");
	if (inv_of("C07", "2028-03", &inv)) {
		/* 3520 - 3000 + 2260 = 2780 */
		ok(inv.payments == 3000 && inv.total_due == 2780,
		    "the waiting payment reported in March: 3520 - 3000 + 2260 = 2780");
		/* paid 4000: January 2260 paid, February 2260 - 1740 = 520,
		 * due 03-10, 21 days */
		ok(inv.noutstanding == 1 && strcmp(inv.outstanding[0].period,
		    "2028-02") == 0 && inv.outstanding[0].left == 520 &&
		    inv.outstanding[0].days_past_due == 21 &&
		    inv.aging[OMS_AGING_30] == 520,
		    "payments oldest first: January paid, February 5.20 left");
	}
	if (inv_of("C08", "2028-03", &inv))
		/* -480 + 2260 = 1780; 5000 covers January and February */
		ok(inv.previous == -480 && inv.total_due == 1780 &&
		    inv.noutstanding == 0,
		    "after an overpayment: -480 + 2260 = 1780, nothing outstanding");
	if (inv_of("C13", "2028-03", &inv))
		ok(inv.nlines == 0 && inv.previous == -500 && inv.payments == 0 &&
		    inv.total_due == -500,
		    "an invoice for a non-zero previous balance alone");
	if (inv_of("C10", "2028-03", &inv))
		ok(inv.nlines == 0 && inv.current == 0 && inv.total_due == 4509,
		    "corrections posted once: none again in March (balance 4509)");
	if (inv_of("C07", "2028-04", &inv))
		/* Feb 520: 04-30 - 03-10 = 51 (31-60); Mar 2260: 04-30 -
		 * 04-10 = 20 (1-30); 2780 + 2260 = 5040 */
		ok(inv.aging[OMS_AGING_60] == 520 && inv.aging[OMS_AGING_30] == 2260 &&
		    inv.total_due == 5040,
		    "aging on 04-30: 5.20 in 31-60, 22.60 in 1-30");
	if (inv_of("C07", "2028-05", &inv))
		/* Feb 05-31 - 03-10 = 82 (61-90); Mar 05-31 - 04-10 = 51;
		 * Apr 05-31 - 05-10 = 21 */
		ok(inv.aging[OMS_AGING_90] == 520 && inv.aging[OMS_AGING_60] == 2260 &&
		    inv.aging[OMS_AGING_30] == 2260 && inv.total_due == 7300,
		    "aging on 05-31: 61-90, 31-60 and 1-30");
	if (inv_of("C07", "2028-06", &inv)) {
		/* Feb 06-30 - 03-10 = 112 (over 90); Mar 81 (61-90); Apr
		 * 51; May 06-30 - 06-10 = 20 */
		ok(inv.aging[OMS_AGING_OVER] == 520 && inv.aging[OMS_AGING_90] == 2260 &&
		    inv.aging[OMS_AGING_60] == 2260 && inv.aging[OMS_AGING_30] == 2260 &&
		    inv.noutstanding == 4,
		    "aging on 06-30: over 90, 61-90, 31-60, 1-30");
		/* 520 + 3 x 2260 + 2260 = 9560 */
		is_int(inv.total_due, 9560, "C07 June total due 7300 + 2260 = 9560");
	}
}

/* World B: the timeline 2028-01 to 2028-06, issued in order, with the
 * runs' refusals, a stopped run and the numbering checked on the way. */
static void
world_b(void)
{
	struct oms_bill_result res;
	struct oms_bill_preview pv;
	const struct oms_invoice *pi;
	const char *why;
	enum oms_err e;

	if (!world("billb"))
		return;
	ok(timeline_data(), "timeline: customers, sites, assets and contracts import");
	ok(january_data(), "timeline: January's orders, usage and adjustments import");
	/* Runs: a period is issued once it has ended. */
	e = issue("2028-01-31", "2028-01", &res, &why);
	ok(e != OMS_OK && res.invoices == 0,
	    "bad: 2028-01 is not issued on its last day (%s)", why ? why : "-");
	issue_ok("2028-02-01", "2028-01");
	check_january();
	oms_arena_reset(arena);

	ok(february_data(), "timeline: February's facts import");
	e = issue("2028-04-01", "2028-03", &res, &why);
	ok(e == OMS_ERR_CONFLICT && res.invoices == 0,
	    "bad: 2028-03 is refused before 2028-02 (none skipped)");
	/* The preview is the issue to come. */
	pv_subtotal(&pv, "2028-03-01", "2028-02", "C10");
	pi = pv_of(&pv, "C10");
	ok(pi && pi->subtotal == 1290 && pi->current == 1458 && pi->number == 0,
	    "the preview shows C10's corrections before the issue (1458)");
	issue_ok("2028-03-01", "2028-02");
	check_february();
	oms_arena_reset(arena);
	/* A second issue of the same data posts nothing. */
	e = issue("2028-03-02", "2028-02", &res, &why);
	ok(e == OMS_OK && res.already && res.invoices == 0,
	    "issuing an issued period issues nothing");

	ok(imp("2028-03-05", OMS_IMPORT_USAGE,
	    "record_id,asset_tag,date,quantity\n"
	    "U5,L4,2028-03-05,3\n"
	    "U8,L11,2028-03-05,500\n") &&
	    /* Back-dated into February, issued: L3 moved to T on 02-20. */
	    imp("2028-03-05", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O3M,1,move,C03,L3,T,K,,,,,,,,2028-02-20,2028-02-20,,\n") &&
	    /* C09: 10.00 by contract from 2028-01-16, back-dated across
	     * two issued periods. */
	    imp("2028-03-05", OMS_IMPORT_CONTRACT_PRICES,
	    "customer,product,valid_from,valid_to,monthly\n"
	    "C09,LINE,2028-01-16,,10.00\n") &&
	    /* L11 changes product LINE -> LINE2 on 03-10. */
	    imp("2028-03-10", OMS_IMPORT_ORDERS, ORDERS_HEAD
	    "O11,1,change,C11,L11,,,LINE2,,,,,,,2028-03-10,2028-03-10,,\n"),
	    "March's facts import");
	{
		int warned = 0;

		pv_subtotal(&pv, "2028-04-01", "2028-03", "C11");
		for (size_t k = 0; k < pv.nwarnings; k++)
			if (strcmp(pv.warnings[k].customer_code, "C11") == 0 &&
			    strstr(pv.warnings[k].text, "L11") &&
			    strstr(pv.warnings[k].text, "LINE2"))
				warned = 1;
		ok(warned, "the preview warns: L11's product on its last day "
		    "(LINE2) has no usage price");
	}
	issue_ok("2028-04-01", "2028-03");
	/* Too far back, or after the business date: refused. */
	ok(imp_refused("2028-05-01", OMS_IMPORT_ADJUSTMENTS,
	    "reference,customer,date,amount,description,taxable,site,cost_centre\n"
	    "J90,C10,2028-01-20,1.00,Too old,yes,S,K\n"),
	    "bad: an adjustment 102 days back into an invoiced period (limit 92)");
	ok(imp_refused("2028-04-15", OMS_IMPORT_PAYMENTS,
	    "reference,customer,date,amount,method\n"
	    "P90,C07,2028-04-16,1.00,cheque\n"),
	    "bad: a payment dated after the business date");
	/* A run stopped after one customer's unit, as by a crash, then
	 * completed by a re-run: numbers still without gaps. */
	{
		struct oms_bill_opts o = bo;

		o.stop_after = 1;
		oms_date_set_today(day("2028-05-01"));
		e = oms_bill_issue(st, "2028-04", &o, &res, &why);
		oms_date_set_today(0);
		ok(e != OMS_OK, "a run of 2028-04 stopped after one unit");
	}
	e = issue("2028-05-01", "2028-04", &res, &why);
	ok(e == OMS_OK && !res.already, "the re-run completes 2028-04 (%zu more)",
	    res.invoices);
	e = issue("2028-05-01", "2028-04", &res, &why);
	ok(e == OMS_OK && res.already && res.invoices == 0,
	    "2028-04 is issued: a third run issues nothing");
	issue_ok("2028-06-01", "2028-05");
	issue_ok("2028-07-01", "2028-06");
	check_later();
	{
		int64_t next = 1;

		numbers("2028-01", &next);
		numbers("2028-02", &next);
		numbers("2028-03", &next);
		numbers("2028-04", &next);
		numbers("2028-05", &next);
		numbers("2028-06", &next);
	}
	oms_arena_reset(arena);
	oms_store_close(&st);
}

/* One backend's pass. */
static void
pass(void)
{
	world_a();
	world_b();
}

/* The options every run takes, then each backend's pass.  Exit 0 when
 * every point passed. */
int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	memset(&bo, 0, sizeof(bo));
	bo.currency = "USD";
	bo.backdate_days = 92;
	arena = oms_arena_new();
	tb_run(pass);
	oms_arena_free(&arena);
	return tap_done();
}

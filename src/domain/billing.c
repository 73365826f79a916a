/*
 * billing.c: rating, invoices, reports and billing runs (billing.h),
 * the rules of ../shared/BILLING.md.
 *
 * A run loads the catalog once (products, prices, usage prices with
 * tiers, fees, tax rates), then takes the customers one at a time in
 * code byte order, with an arena reset between customers so that
 * memory stays bounded by the largest customer, not by the database:
 *
 *   rate()      bill(C, P): the lines of one customer and period, from
 *               its asset states, usage, completed order lines and
 *               adjustments;
 *   corrections() the differences between bill(C, Q) now and what was
 *               invoiced for each issued period Q a change may have
 *               reached (dated at most backdate_days before the business
 *               date of the previous run);
 *   assemble()  taxes, balance forward, outstanding earlier invoices,
 *               aging and the Billing Report's rows.
 *
 * Every amount is computed here in integer arithmetic (the products of
 * proration in 128 bits), rounded once a line half away from zero.
 */
#include "config.h"

#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "billing.h"
#include "catalog.h"
#include "date.h"
#include "distribution.h"
#include "inventory.h"
#include "money.h"
#include "stmts.h"
#include "store.h"

const char *const oms_line_kind_names[OMS_LINE__MAX] = {
	"recurring", "usage", "one-time", "adjustment",
};

/* ------------------------------------------------------ the catalog */

struct price {
	int32_t from;
	int64_t cents;
};

struct uprice {
	int64_t id;
	int32_t from;
	const char *unit;
	int64_t included;
	struct oms_usage_tier *tiers;
	size_t ntiers;
};

struct prod {
	int64_t id;
	const char *code;
	int per_port;
	struct price *prices;  /* ascending from */
	size_t nprices;
	struct uprice *up;     /* ascending from */
	size_t nup;
};

struct fee {
	int action;            /* enum oms_mac */
	int64_t product;       /* 0: any */
	int32_t from;
	int64_t cents;
};

struct taxr {
	const char *jur;
	const char *tax;
	int32_t from;
	int64_t ppm;
};

/* What a run holds for its whole length (in its own arena). */
struct run {
	struct oms_store *st;
	struct oms_arena *ra;
	const struct oms_bill_opts *o;
	struct prod *prods;    /* ascending id */
	size_t nprods;
	struct fee *fees;      /* ascending action, product, from */
	size_t nfees;
	struct taxr *taxes;    /* ascending jurisdiction, tax, from */
	size_t ntaxes;
	/* Warnings of a preview (NULL: none kept), in wa. */
	struct oms_arena *wa;
	struct oms_bill_warning *warn;
	size_t nwarn, capwarn;
	int32_t horizon;       /* corrections reach periods ending after it */
};

/* ------------------------------------------------ a customer's data */

struct site {
	int64_t id;
	const char *code, *name, *jur;
};

struct cc {
	int64_t id;
	const char *code, *name;
};

struct contract {
	int64_t product;
	int32_t from, to;      /* to: 0 open */
	int64_t cents;
};

struct cust {
	int64_t id;
	const char *code, *name, *address, *city, *region, *postcode,
	    *country, *currency, *jur;
	const char *first_period; /* NULL: never billed yet */
	int terms;
	struct site *sites;
	size_t nsites;
	struct cc *ccs;
	size_t nccs;
	struct contract *contracts; /* ascending product, from */
	size_t ncontracts;
};

/* A growable vector of lines in an arena. */
struct lvec {
	struct oms_invoice_line *v;
	size_t n, cap;
};

/* The last in-service day of an asset in the period: where its usage
 * is billed.  Ascending asset id (the states come in that order). */
struct lastday {
	int64_t asset;
	int64_t site, cc, product;
	int32_t last;
};

/* Ports on the period's last day by site and cost centre. */
struct portsum {
	int64_t site, cc, ports;
};

struct rated {
	struct lvec lines;
	struct lastday *ld;
	size_t nld, capld;
	struct portsum *ps;
	size_t nps, capps;
};

/* Grow *v (elements of size sz, *cap of them) in arena a to hold one
 * more.  0, or -1 when out of memory. */
static int
grow(struct oms_arena *a, void **v, size_t *cap, size_t n, size_t sz)
{
	void *nv;
	size_t want;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 64;
	if ((nv = oms_arena_alloc(a, want * sz)) == NULL)
		return -1;
	if (n > 0)
		memcpy(nv, *v, n * sz);
	*v = nv;
	*cap = want;
	return 0;
}

/* A new zeroed line at the end of l, or NULL when out of memory. */
static struct oms_invoice_line *
new_line(struct oms_arena *a, struct lvec *l)
{
	struct oms_invoice_line *x;

	if (grow(a, (void **)&l->v, &l->cap, l->n, sizeof(*l->v)) < 0)
		return NULL;
	x = &l->v[l->n++];
	memset(x, 0, sizeof(*x));
	x->ref = x->site_code = x->cc_code = x->product_code = "";
	x->jurisdiction = x->description = "";
	return x;
}

/* A date column (0 when NULL or malformed). */
static int32_t
col_day(struct oms_query *q, int col)
{
	const char *s = oms_query_col_text(q, col);
	int32_t d = 0;

	if (s == NULL || oms_date_parse(s, &d) != OMS_OK)
		return 0;
	return d;
}

/* round(num / den), half away from zero, in 128 bits; OMS_ERR_INVAL
 * when the result does not fit in money. */
static enum oms_err
div_round(__int128 num, __int128 den, int64_t *out)
{
	__int128 an = num < 0 ? -num : num, q;

	if (den <= 0)
		return OMS_ERR_INVAL;
	q = (2 * an + den) / (2 * den);
	if (q > OMS_MONEY_MAX)
		return OMS_ERR_INVAL;
	*out = (int64_t)(num < 0 ? -q : q);
	return OMS_OK;
}

/* "YYYY-MM" of year y (0-9999) and month m (1-12) into out[8]. */
static void
ym_text(int y, int m, char out[8])
{
	y = y < 0 ? 0 : y % 10000;
	m = m < 1 ? 1 : m > 12 ? 12 : m;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
}

/* Day d as "YYYY-MM-DD" into out, as oms_date_format() writes it but
 * without printf (two a line written: a run's hot path).  Returns out. */
static const char *
day_text(int32_t d, char out[11])
{
	int y, m, dd;

	oms_date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999)
		return oms_date_format(d, out);
	ym_text(y, m, out);
	out[7] = '-';
	out[8] = (char)('0' + dd / 10);
	out[9] = (char)('0' + dd % 10);
	out[10] = '\0';
	return out;
}

/* A text being built in a fixed buffer without printf: the cat_*
 * functions append, truncating at the buffer's end. */
struct cat {
	char *b;
	size_t len, sz;
	struct oms_arena *a;   /* grow into it when full; NULL: truncate */
	int failed;            /* 1: growing ran out of memory */
};

/* Double t's buffer in its arena.  0, or -1 (t->failed set when out of
 * memory) when it cannot grow. */
static int
cat_grow(struct cat *t)
{
	char *nb;

	if (t->a == NULL)
		return -1;
	if ((nb = oms_arena_alloc(t->a, t->sz * 2)) == NULL) {
		t->failed = 1;
		return -1;
	}
	memcpy(nb, t->b, t->len + 1);
	t->b = nb;
	t->sz *= 2;
	return 0;
}

/* Append string s to t (NULL as printf's "(null)"). */
static void
cat_s(struct cat *t, const char *s)
{
	if (s == NULL)
		s = "(null)";
	while (*s != '\0') {
		if (t->len + 1 >= t->sz && cat_grow(t) != 0)
			break;
		t->b[t->len++] = *s++;
	}
	t->b[t->len] = '\0';
}

/* Append v in decimal (as printf's %lld) to t. */
static void
cat_i(struct cat *t, int64_t v)
{
	char d[24];
	size_t n = sizeof(d);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	d[--n] = '\0';
	do {
		d[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		d[--n] = '-';
	cat_s(t, d + n);
}

/* Append cents as oms_money_format() writes them ("-1,234.05") to t. */
static void
cat_money(struct cat *t, int64_t cents)
{
	char d[24], out[40];
	size_t n = sizeof(d), nd, o = 0;
	uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
	    (uint64_t)cents;

	d[--n] = '\0';
	do {
		d[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	while (sizeof(d) - 1 - n < 3)
		d[--n] = '0';
	nd = sizeof(d) - 1 - n;
	if (cents < 0)
		out[o++] = '-';
	for (size_t i = 0; i < nd - 2; i++) {
		if (i > 0 && (nd - 2 - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = d[n + i];
	}
	out[o++] = '.';
	out[o++] = d[n + nd - 2];
	out[o++] = d[n + nd - 1];
	out[o] = '\0';
	cat_s(t, out);
}

/* Append a rate in micro-units as "0.0350" (at least 4 decimals) to
 * t. */
static void
cat_rate(struct cat *t, int64_t micros)
{
	char frac[8];
	int64_t f = micros % 1000000;
	int n = 6;

	if (f < 0 || micros < 0) {
		/* Negative rates: printf's own rendering, kept as it was. */
		char b[48];

		snprintf(frac, sizeof(frac), "%06lld", (long long)f);
		while (n > 4 && frac[n - 1] == '0')
			frac[--n] = '\0';
		snprintf(b, sizeof(b), "%lld.%s", (long long)(micros / 1000000),
		    frac);
		cat_s(t, b);
		return;
	}
	for (int i = 5; i >= 0; i--, f /= 10)
		frac[i] = (char)('0' + f % 10);
	frac[6] = '\0';
	while (n > 4 && frac[n - 1] == '0')
		frac[--n] = '\0';
	cat_i(t, micros / 1000000);
	cat_s(t, ".");
	cat_s(t, frac);
}

/* "YYYY-MM" of period p into out[8]. */
static void
period_text(const struct oms_period *p, char out[8])
{
	ym_text(p->year, p->month, out);
}

/* The period after p. */
static void
period_next(const struct oms_period *p, struct oms_period *n)
{
	char t[8];
	struct oms_period x;

	ym_text(p->month == 12 ? p->year + 1 : p->year,
	    p->month == 12 ? 1 : p->month + 1, t);
	if (oms_period_parse(t, &x) == OMS_OK)
		*n = x;
}

/* Remember a preview warning (formatted); nothing when none are kept. */
static void __attribute__((format(printf, 3, 4)))
warn(struct run *r, const struct cust *c, const char *fmt, ...)
{
	va_list ap;
	char buf[400];

	if (r->wa == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (grow(r->wa, (void **)&r->warn, &r->capwarn, r->nwarn,
	    sizeof(*r->warn)) < 0)
		return;
	r->warn[r->nwarn].customer_code = oms_arena_strdup(r->wa, c->code);
	r->warn[r->nwarn].text = oms_arena_strdup(r->wa, buf);
	if (r->warn[r->nwarn].customer_code && r->warn[r->nwarn].text)
		r->nwarn++;
}

/* qsort/bsearch order of structs whose first member is an int64_t id. */
static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The element of id among the n elements of size sz at base, ascending
 * by their first member (an int64_t id), or NULL. */
static const void *
by_id(const void *base, size_t n, size_t sz, int64_t id)
{
	return n ? bsearch(&id, base, n, sz, cmp_id) : NULL;
}

_Static_assert(offsetof(struct prod, id) == 0, "by_id: id first");
_Static_assert(offsetof(struct site, id) == 0, "by_id: id first");
_Static_assert(offsetof(struct cc, id) == 0, "by_id: id first");
_Static_assert(offsetof(struct lastday, asset) == 0, "by_id: id first");

/* The product of id (binary search), or NULL. */
static const struct prod *
prod_of(const struct run *r, int64_t id)
{
	return by_id(r->prods, r->nprods, sizeof(*r->prods), id);
}

/* The monthly amount of product p for customer c on day d: the
 * contract price in effect (latest valid_from), else the catalog's;
 * -1 when neither is in effect. */
static int64_t
monthly_on(const struct cust *c, const struct prod *p, int32_t d)
{
	int64_t v = -1;

	for (size_t i = 0; i < c->ncontracts; i++) {
		const struct contract *k = &c->contracts[i];

		if (k->product == p->id && k->from <= d &&
		    (k->to == 0 || d < k->to))
			v = k->cents; /* ascending from: the last wins */
	}
	if (v >= 0)
		return v;
	for (size_t i = 0; i < p->nprices && p->prices[i].from <= d; i++)
		v = p->prices[i].cents;
	return v;
}

/* ------------------------------------------------- loading the run */

/* Load the catalog into r (r->ra).  OMS_OK or the store error. */
static enum oms_err
load_catalog(struct run *r)
{
	struct oms_query *q;
	enum oms_err e;
	size_t cap = 0, capf = 0, capt = 0;

	q = oms_query(r->st, OMS_STMT_BILL_PRODUCTS);
	while (oms_query_row(q)) {
		struct prod *p;
		const char *ch = oms_query_col_text(q, 3);

		if (grow(r->ra, (void **)&r->prods, &cap, r->nprods,
		    sizeof(*r->prods)) < 0)
			break;
		p = &r->prods[r->nprods++];
		memset(p, 0, sizeof(*p));
		p->id = oms_query_col_int(q, 0);
		p->code = oms_query_col_dup(q, 1, r->ra);
		p->per_port = ch != NULL && strcmp(ch, "per_port") == 0;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	/* Prices, ascending product then date: appended to each product. */
	q = oms_query(r->st, OMS_STMT_BILL_PRICES);
	{
		struct prod *cur = NULL;
		size_t pcap = 0;

		while (oms_query_row(q)) {
			int64_t pid = oms_query_col_int(q, 0);

			if (cur == NULL || cur->id != pid) {
				cur = (struct prod *)prod_of(r, pid);
				pcap = 0;
			}
			if (cur == NULL || grow(r->ra, (void **)&cur->prices,
			    &pcap, cur->nprices, sizeof(*cur->prices)) < 0)
				continue;
			cur->prices[cur->nprices].from = col_day(q, 1);
			cur->prices[cur->nprices++].cents =
			    oms_query_col_int(q, 2);
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_USAGE_PRICES);
	{
		struct prod *cur = NULL;
		size_t pcap = 0;

		while (oms_query_row(q)) {
			int64_t pid = oms_query_col_int(q, 1);
			struct uprice *u;

			if (cur == NULL || cur->id != pid) {
				cur = (struct prod *)prod_of(r, pid);
				pcap = 0;
			}
			if (cur == NULL || grow(r->ra, (void **)&cur->up,
			    &pcap, cur->nup, sizeof(*cur->up)) < 0)
				continue;
			u = &cur->up[cur->nup++];
			memset(u, 0, sizeof(*u));
			u->id = oms_query_col_int(q, 0);
			u->from = col_day(q, 2);
			u->unit = oms_query_col_dup(q, 3, r->ra);
			u->included = oms_query_col_int(q, 4);
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	/* Tiers, ascending usage price then from: matched by id. */
	q = oms_query(r->st, OMS_STMT_BILL_USAGE_TIERS);
	{
		struct uprice *cur = NULL;
		size_t tcap = 0;

		while (oms_query_row(q)) {
			int64_t uid = oms_query_col_int(q, 0);

			if (cur == NULL || cur->id != uid) {
				cur = NULL;
				tcap = 0;
				for (size_t i = 0; i < r->nprods && !cur; i++)
					for (size_t j = 0; j < r->prods[i].nup;
					    j++)
						if (r->prods[i].up[j].id == uid) {
							cur = &r->prods[i].up[j];
							break;
						}
			}
			if (cur == NULL || grow(r->ra, (void **)&cur->tiers,
			    &tcap, cur->ntiers, sizeof(*cur->tiers)) < 0)
				continue;
			cur->tiers[cur->ntiers].from_units =
			    oms_query_col_int(q, 1);
			cur->tiers[cur->ntiers++].rate_micros =
			    oms_query_col_int(q, 2);
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_FEES);
	while (oms_query_row(q)) {
		const char *act = oms_query_col_text(q, 0);
		int k = act ? oms_name_index(oms_mac_names, OMS_MAC__MAX, act) :
		    -1;

		if (k < 0 || grow(r->ra, (void **)&r->fees, &capf, r->nfees,
		    sizeof(*r->fees)) < 0)
			continue;
		r->fees[r->nfees].action = k;
		r->fees[r->nfees].product = oms_query_col_int(q, 1);
		r->fees[r->nfees].from = col_day(q, 2);
		r->fees[r->nfees++].cents = oms_query_col_int(q, 3);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_TAXES);
	while (oms_query_row(q)) {
		if (grow(r->ra, (void **)&r->taxes, &capt, r->ntaxes,
		    sizeof(*r->taxes)) < 0)
			continue;
		r->taxes[r->ntaxes].jur = oms_query_col_dup(q, 0, r->ra);
		r->taxes[r->ntaxes].tax = oms_query_col_dup(q, 1, r->ra);
		r->taxes[r->ntaxes].from = col_day(q, 2);
		r->taxes[r->ntaxes++].ppm = oms_query_col_int(q, 3);
	}
	return oms_query_end(q);
}

/* "CA-ON" of country and region into arena a. */
static const char *
jurisdiction(struct oms_arena *a, const char *country, const char *region)
{
	return oms_arena_printf(a, "%s-%s", country ? country : "",
	    region ? region : "");
}

/* Load customer id into c (arena a).  OMS_ERR_NOTFOUND when gone. */
static enum oms_err
load_customer(struct run *r, struct oms_arena *a, int64_t id,
    struct cust *c)
{
	struct oms_query *q;
	enum oms_err e;
	int found = 0;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	c->id = id;
	q = oms_query(r->st, OMS_STMT_BILL_CUSTOMER);
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		found = 1;
		c->code = oms_query_col_dup(q, 0, a);
		c->name = oms_query_col_dup(q, 1, a);
		c->address = oms_query_col_dup(q, 2, a);
		c->city = oms_query_col_dup(q, 3, a);
		c->region = oms_query_col_dup(q, 4, a);
		c->postcode = oms_query_col_dup(q, 5, a);
		c->country = oms_query_col_dup(q, 6, a);
		c->currency = oms_query_col_dup(q, 7, a);
		c->terms = (int)oms_query_col_int(q, 8);
		c->first_period = oms_query_col_dup(q, 9, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found || c->code == NULL)
		return OMS_ERR_NOTFOUND;
	c->jur = jurisdiction(a, c->country, c->region);
	q = oms_query(r->st, OMS_STMT_BILL_SITES);
	oms_query_int(q, id);
	while (oms_query_row(q)) {
		struct site *s;

		if (grow(a, (void **)&c->sites, &cap, c->nsites,
		    sizeof(*c->sites)) < 0)
			break;
		s = &c->sites[c->nsites++];
		s->id = oms_query_col_int(q, 0);
		s->code = oms_query_col_dup(q, 1, a);
		s->name = oms_query_col_dup(q, 2, a);
		s->jur = jurisdiction(a, oms_query_col_text(q, 3),
		    oms_query_col_text(q, 4));
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	cap = 0;
	q = oms_query(r->st, OMS_STMT_BILL_CCS);
	oms_query_int(q, id);
	while (oms_query_row(q)) {
		struct cc *k;

		if (grow(a, (void **)&c->ccs, &cap, c->nccs,
		    sizeof(*c->ccs)) < 0)
			break;
		k = &c->ccs[c->nccs++];
		k->id = oms_query_col_int(q, 0);
		k->code = oms_query_col_dup(q, 1, a);
		k->name = oms_query_col_dup(q, 2, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	cap = 0;
	q = oms_query(r->st, OMS_STMT_BILL_CONTRACTS);
	oms_query_int(q, id);
	while (oms_query_row(q)) {
		struct contract *k;

		if (grow(a, (void **)&c->contracts, &cap, c->ncontracts,
		    sizeof(*c->contracts)) < 0)
			break;
		k = &c->contracts[c->ncontracts++];
		k->product = oms_query_col_int(q, 0);
		k->from = col_day(q, 1);
		k->to = col_day(q, 2);
		k->cents = oms_query_col_int(q, 3);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (c->code == NULL || c->name == NULL || c->jur == NULL)
		return OMS_ERR_NOMEM;
	return OMS_OK;
}

/* The site of id among customer c's (ascending id), or NULL. */
static const struct site *
site_of(const struct cust *c, int64_t id)
{
	return by_id(c->sites, c->nsites, sizeof(*c->sites), id);
}

/* The cost centre of id among customer c's (ascending id), or NULL. */
static const struct cc *
cc_of(const struct cust *c, int64_t id)
{
	return by_id(c->ccs, c->nccs, sizeof(*c->ccs), id);
}

/* Set a line's site, cost centre, product and jurisdiction from ids. */
static void
place(const struct run *r, const struct cust *c, struct oms_invoice_line *l,
    int64_t site, int64_t cc, int64_t product)
{
	const struct site *s = site ? site_of(c, site) : NULL;
	const struct cc *k = cc ? cc_of(c, cc) : NULL;
	const struct prod *p = product ? prod_of(r, product) : NULL;

	l->site = s ? site : 0;
	l->site_code = s ? s->code : "";
	l->cost_centre = k ? cc : 0;
	l->cc_code = k ? k->code : "";
	l->product = p ? product : 0;
	l->product_code = p ? p->code : "";
	l->jurisdiction = s ? s->jur : c->jur;
}

/* ------------------------------------------------------------ rating */

/* One state of an asset, as the run reads it. */
struct st {
	int32_t from, to;      /* to: 0 open */
	int64_t site, cc, product, ports;
	int removed;
};

/* Sort helper for boundary days. */
static int
cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Add day d to the boundaries bd (n of them, cap) when inside (lo, hi). */
static int
bound(struct oms_arena *a, int32_t **bd, size_t *n, size_t *cap, int32_t d,
    int32_t lo, int32_t hi)
{
	if (d <= lo || d >= hi)
		return 0;
	if (grow(a, (void **)bd, cap, *n, sizeof(**bd)) < 0)
		return -1;
	(*bd)[(*n)++] = d;
	return 0;
}

/*
 * The recurring lines of one asset (tag, in service [inst, rem), rem 0:
 * none) over period p from its states s[0..ns-1], appended to out; its
 * last in-service day and ports on the period's last day recorded in
 * rt.  OMS_OK, OMS_ERR_NOMEM, or OMS_ERR_INVAL on an amount too large.
 */
static enum oms_err
rate_asset(struct run *r, const struct cust *c, struct oms_arena *a,
    const struct oms_period *p, int64_t asset, const char *tag,
    int32_t inst, int32_t rem, const struct st *s, size_t ns,
    struct rated *rt)
{
	int32_t lo = p->first > inst ? p->first : inst;
	int32_t hi = rem != 0 && rem < p->end ? rem : p->end;
	int32_t *bd = NULL;
	size_t nb = 0, capb = 0;
	int D = (int)(p->end - p->first);
	struct oms_invoice_line *open = NULL;
	int64_t okey[5] = {0, 0, 0, 0, 0};
	int64_t unpriced = 0;
	size_t first_line = rt->lines.n;
	enum oms_err e;

	if (lo >= hi)
		return OMS_OK;
	/* Boundaries: the window, every state, price and contract date. */
	if (grow(a, (void **)&bd, &capb, 0, sizeof(*bd)) < 0)
		return OMS_ERR_NOMEM;
	bd[nb++] = lo;
	for (size_t i = 0; i < ns; i++) {
		const struct prod *pr = prod_of(r, s[i].product);

		if (bound(a, &bd, &nb, &capb, s[i].from, lo, hi) < 0 ||
		    (s[i].to && bound(a, &bd, &nb, &capb, s[i].to, lo, hi) < 0))
			return OMS_ERR_NOMEM;
		for (size_t j = 0; pr && j < pr->nprices; j++)
			if (bound(a, &bd, &nb, &capb, pr->prices[j].from, lo,
			    hi) < 0)
				return OMS_ERR_NOMEM;
		for (size_t j = 0; j < c->ncontracts; j++)
			if (c->contracts[j].product == s[i].product &&
			    (bound(a, &bd, &nb, &capb, c->contracts[j].from,
			    lo, hi) < 0 || (c->contracts[j].to &&
			    bound(a, &bd, &nb, &capb, c->contracts[j].to, lo,
			    hi) < 0)))
				return OMS_ERR_NOMEM;
	}
	if (nb > 1)
		qsort(bd, nb, sizeof(*bd), cmp_day);
	for (size_t i = 0; i < nb; i++) {
		int32_t d0 = bd[i], d1;
		const struct st *cur = NULL;
		const struct prod *pr;
		int64_t m, qty, key[5];

		if (i > 0 && bd[i] == bd[i - 1])
			continue;
		d1 = hi;
		for (size_t j = i + 1; j < nb; j++)
			if (bd[j] != d0) {
				d1 = bd[j];
				break;
			}
		/* The state in effect on d0 (the last one starting on or
		 * before it: same-day orders apply in order). */
		for (size_t j = 0; j < ns; j++)
			if (s[j].from <= d0 && (s[j].to == 0 || d0 < s[j].to))
				cur = &s[j];
		if (cur == NULL || cur->removed ||
		    (pr = prod_of(r, cur->product)) == NULL) {
			open = NULL;
			continue;
		}
		m = monthly_on(c, pr, d0);
		if (m < 0) {
			unpriced += d1 - d0;
			open = NULL;
			continue;
		}
		qty = pr->per_port ? cur->ports : 1;
		key[0] = cur->site;
		key[1] = cur->cc;
		key[2] = cur->product;
		key[3] = m;
		key[4] = qty;
		if (open != NULL && open->to + 1 == d0 &&
		    memcmp(key, okey, sizeof(key)) == 0) {
			open->to = d1 - 1;
			open->days += (int)(d1 - d0);
			continue;
		}
		if ((open = new_line(a, &rt->lines)) == NULL)
			return OMS_ERR_NOMEM;
		memcpy(okey, key, sizeof(key));
		open->kind = OMS_LINE_RECURRING;
		open->ref = tag;
		open->asset = asset;
		place(r, c, open, cur->site, cur->cc, cur->product);
		open->from = d0;
		open->to = d1 - 1;
		open->days = (int)(d1 - d0);
		open->period_days = D;
		open->quantity = qty;
		open->rate = m;
		open->taxable = 1;
	}
	if (unpriced > 0)
		warn(r, c, "Asset %s: %lld days in service with no price in "
		    "effect; those days are not billed.", tag,
		    (long long)unpriced);
	/* Amounts and formulas of this asset's lines. */
	for (size_t i = first_line; i < rt->lines.n; i++) {
		struct oms_invoice_line *l = &rt->lines.v[i];
		char mb[128];

		if ((e = div_round((__int128)l->rate * l->quantity * l->days,
		    D, &l->amount)) != OMS_OK)
			return e;
		const struct prod *pr = prod_of(r, l->product);
		struct cat t = {mb, 0, sizeof(mb), NULL, 0};

		/* "<rate> x [<n> ports x ]<days>/<D> days" */
		cat_money(&t, l->rate);
		cat_s(&t, " \xc3\x97 ");
		if (pr != NULL && pr->per_port) {
			cat_i(&t, l->quantity);
			cat_s(&t, " ports \xc3\x97 ");
		}
		cat_i(&t, l->days);
		cat_s(&t, "/");
		cat_i(&t, D);
		cat_s(&t, " days");
		l->description = oms_arena_strndup(a, mb, t.len);
		if (l->description == NULL)
			return OMS_ERR_NOMEM;
	}
	/* The last in-service day: where usage is billed, and the report's
	 * ports when it is the period's last day. */
	{
		const struct st *cur = NULL;
		struct lastday *ld;

		for (size_t j = 0; j < ns; j++)
			if (s[j].from <= hi - 1 &&
			    (s[j].to == 0 || hi - 1 < s[j].to))
				cur = &s[j];
		if (cur == NULL || cur->removed)
			return OMS_OK;
		if (grow(a, (void **)&rt->ld, &rt->capld, rt->nld,
		    sizeof(*rt->ld)) < 0)
			return OMS_ERR_NOMEM;
		ld = &rt->ld[rt->nld++];
		ld->asset = asset;
		ld->site = cur->site;
		ld->cc = cur->cc;
		ld->product = cur->product;
		ld->last = hi - 1;
		if (hi == p->end) {
			size_t k;

			for (k = 0; k < rt->nps; k++)
				if (rt->ps[k].site == cur->site &&
				    rt->ps[k].cc == cur->cc)
					break;
			if (k == rt->nps) {
				if (grow(a, (void **)&rt->ps, &rt->capps,
				    rt->nps, sizeof(*rt->ps)) < 0)
					return OMS_ERR_NOMEM;
				rt->ps[k].site = cur->site;
				rt->ps[k].cc = cur->cc;
				rt->ps[k].ports = 0;
				rt->nps++;
			}
			rt->ps[k].ports += cur->ports;
		}
	}
	return OMS_OK;
}

/* The last-day record of asset (binary search in rt), or NULL. */
static const struct lastday *
lastday_of(const struct rated *rt, int64_t asset)
{
	return by_id(rt->ld, rt->nld, sizeof(*rt->ld), asset);
}

/* The usage line of one asset with q units in period p, appended to
 * rt->lines (none, with a warning, when it cannot be billed). */
static enum oms_err
rate_usage(struct run *r, const struct cust *c, struct oms_arena *a,
    const struct oms_period *p, int64_t asset, const char *tag, int64_t q,
    struct rated *rt)
{
	const struct lastday *ld = lastday_of(rt, asset);
	const struct prod *pr;
	const struct uprice *u = NULL;
	struct oms_invoice_line *l;
	int64_t billable;
	__int128 micro = 0;
	char *desc, db[256];
	struct cat t = {db, 0, sizeof(db), a, 0};
	enum oms_err e;

	if (ld == NULL) {
		warn(r, c, "Usage of asset %s: %lld units in a period it has no "
		    "day in service; not billed.", tag, (long long)q);
		return OMS_OK;
	}
	pr = prod_of(r, ld->product);
	for (size_t i = 0; pr && i < pr->nup && pr->up[i].from <= p->first;
	    i++)
		u = &pr->up[i];
	if (u == NULL || u->ntiers == 0) {
		warn(r, c, "Usage of asset %s: product %s has no usage price in "
		    "effect on the period's first day; not billed.", tag,
		    pr ? pr->code : "?");
		return OMS_OK;
	}
	billable = q > u->included ? q - u->included : 0;
	/* "<q> <unit> - <included> included = <billable>[: <n> x <rate>
	 * [+ <n> x <rate>...]]", built in db (longer: in the arena). */
	cat_i(&t, q);
	cat_s(&t, " ");
	cat_s(&t, u->unit);
	cat_s(&t, " - ");
	cat_i(&t, u->included);
	cat_s(&t, " included = ");
	cat_i(&t, billable);
	for (size_t i = 0; i < u->ntiers; i++) {
		int64_t f = u->tiers[i].from_units;
		int64_t to = i + 1 < u->ntiers ? u->tiers[i + 1].from_units :
		    INT64_MAX;
		int64_t n;

		if (billable <= f)
			break;
		n = (billable < to ? billable : to) - f;
		micro += (__int128)n * u->tiers[i].rate_micros;
		cat_s(&t, i == 0 ? ": " : " + ");
		cat_i(&t, n);
		cat_s(&t, " \xc3\x97 ");
		cat_rate(&t, u->tiers[i].rate_micros);
	}
	/* A text longer than db grew into the arena. */
	desc = t.failed ? NULL : oms_arena_strndup(a, t.b, t.len);
	if (desc == NULL || (l = new_line(a, &rt->lines)) == NULL)
		return OMS_ERR_NOMEM;
	l->kind = OMS_LINE_USAGE;
	l->ref = tag;
	l->asset = asset;
	place(r, c, l, ld->site, ld->cc, ld->product);
	l->from = p->first;
	l->to = p->end - 1;
	l->period_days = (int)(p->end - p->first);
	l->quantity = q;
	l->billable = billable;
	l->taxable = 1;
	l->description = desc;
	if ((e = div_round(micro, 10000, &l->amount)) != OMS_OK)
		return e;
	return OMS_OK;
}

/* The fee of action for product on day d (product-specific first),
 * or -1 when none is in effect. */
static int64_t
fee_on(const struct run *r, int action, int64_t product, int32_t d)
{
	int64_t own = -1, any = -1;

	for (size_t i = 0; i < r->nfees; i++) {
		const struct fee *f = &r->fees[i];

		if (f->action != action || f->from > d)
			continue;
		if (f->product == product)
			own = f->cents;
		else if (f->product == 0)
			any = f->cents;
	}
	return own >= 0 ? own : any;
}

/* A state row as BILL_STATES reads it: its asset's id, tag and
 * service days, its seq, the state. */
struct srow {
	int64_t asset, seq;
	const char *tag;
	int32_t inst, rem;
	struct st s;
};

/* qsort order of state rows: asset id, then seq (unique together). */
static int
cmp_srow(const void *pa, const void *pb)
{
	const struct srow *a = pa, *b = pb;

	if (a->asset != b->asset)
		return a->asset < b->asset ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * bill(C, P): every line of customer c for period p as the data stand
 * now, into rt (arena a).  Warnings go to r when it keeps them.
 */
static enum oms_err
rate(struct run *r, const struct cust *c, struct oms_arena *a,
    const struct oms_period *p, struct rated *rt)
{
	struct oms_query *q;
	char f[11], t[11];
	struct srow *sr = NULL;
	struct st *s = NULL;
	size_t nsr = 0, capsr = 0;
	enum oms_err e = OMS_OK, e2;

	memset(rt, 0, sizeof(*rt));
	day_text(p->first, f);
	day_text(p->end, t);
	/* The states, read whole (one customer's), then sorted by asset
	 * and seq and rated an asset at a time. */
	q = oms_query(r->st, OMS_STMT_BILL_STATES);
	oms_query_int(q, c->id);
	oms_query_text(q, t);
	oms_query_text(q, f);
	while (oms_query_row(q)) {
		const char *stt = oms_query_col_text(q, 10);
		struct srow *w;

		if (grow(a, (void **)&sr, &capsr, nsr, sizeof(*sr)) < 0) {
			e = OMS_ERR_NOMEM;
			continue;
		}
		w = &sr[nsr++];
		w->asset = oms_query_col_int(q, 0);
		w->seq = oms_query_col_int(q, 11);
		w->tag = oms_query_col_dup(q, 1, a);
		w->inst = col_day(q, 2);
		w->rem = col_day(q, 3);
		w->s.from = col_day(q, 4);
		w->s.to = col_day(q, 5);
		w->s.site = oms_query_col_int(q, 6);
		w->s.cc = oms_query_col_int(q, 7);
		w->s.product = oms_query_col_int(q, 8);
		w->s.ports = oms_query_col_int(q, 9);
		w->s.removed = stt != NULL && strcmp(stt, "removed") == 0;
		if (w->tag == NULL)
			e = OMS_ERR_NOMEM;
	}
	if ((e2 = oms_query_end(q)) != OMS_OK)
		return e2;
	if (e != OMS_OK)
		return e;
	if (nsr > 1)
		qsort(sr, nsr, sizeof(*sr), cmp_srow);
	if (nsr > 0 && (s = oms_arena_alloc(a, nsr * sizeof(*s))) == NULL)
		return OMS_ERR_NOMEM;
	for (size_t i = 0; i < nsr; i++)
		s[i] = sr[i].s;
	for (size_t i = 0, j; i < nsr && e == OMS_OK; i = j) {
		for (j = i + 1; j < nsr && sr[j].asset == sr[i].asset; j++)
			;
		e = rate_asset(r, c, a, p, sr[i].asset, sr[i].tag, sr[i].inst,
		    sr[i].rem, s + i, j - i, rt);
	}
	if (e != OMS_OK)
		return e;
	/* Usage: the records of each asset summed here, in C. */
	q = oms_query(r->st, OMS_STMT_BILL_USAGE);
	oms_query_int(q, c->id);
	oms_query_text(q, f);
	oms_query_text(q, t);
	{
		int64_t ua = 0, sum = 0;
		const char *utag = NULL;

		while (oms_query_row(q)) {
			int64_t id = oms_query_col_int(q, 0);

			if (id != ua) {
				if (ua != 0 && e == OMS_OK)
					e = rate_usage(r, c, a, p, ua, utag, sum,
					    rt);
				ua = id;
				sum = 0;
				utag = oms_query_col_dup(q, 2, a);
			}
			sum += oms_query_col_int(q, 1);
			if (sum > OMS_MONEY_MAX)
				e = OMS_ERR_INVAL;
		}
		if ((e2 = oms_query_end(q)) != OMS_OK)
			return e2;
		if (ua != 0 && e == OMS_OK)
			e = rate_usage(r, c, a, p, ua, utag, sum, rt);
	}
	if (e != OMS_OK)
		return e;
	/* One-time fees of the order lines completed in the period. */
	q = oms_query(r->st, OMS_STMT_BILL_ORDER_LINES);
	oms_query_int(q, c->id);
	oms_query_text(q, f);
	oms_query_text(q, t);
	while (oms_query_row(q)) {
		const char *act = oms_query_col_text(q, 3);
		int k = act ? oms_name_index(oms_mac_names, OMS_MAC__MAX, act) :
		    -1;
		int32_t d = col_day(q, 5);
		int64_t amount, product = oms_query_col_int(q, 9);
		struct oms_invoice_line *l;
		const char *ot = oms_query_col_text(q, 4);

		if (ot != NULL)
			amount = oms_query_col_int(q, 4);
		else if (k < 0 || (amount = fee_on(r, k, product, d)) < 0)
			continue; /* no fee in effect, no override: no line */
		if ((l = new_line(a, &rt->lines)) == NULL) {
			e = OMS_ERR_NOMEM;
			continue;
		}
		l->kind = OMS_LINE_ONETIME;
		l->ref = oms_arena_printf(a, "%s/%lld", oms_query_col_text(q, 1),
		    (long long)oms_query_col_int(q, 2));
		l->order_line = oms_query_col_int(q, 0);
		l->asset = oms_query_col_int(q, 10);
		place(r, c, l, oms_query_col_int(q, 7), oms_query_col_int(q, 8),
		    product);
		l->from = l->to = d;
		l->period_days = (int)(p->end - p->first);
		l->quantity = 1;
		l->rate = amount;
		l->amount = amount;
		l->taxable = 1;
		l->description = oms_arena_printf(a, "%s %s%s", act ? act : "",
		    oms_query_col_text(q, 6) ? oms_query_col_text(q, 6) : "",
		    ot != NULL ? " (fee overridden)" : "");
		if (l->ref == NULL || l->description == NULL)
			e = OMS_ERR_NOMEM;
	}
	if ((e2 = oms_query_end(q)) != OMS_OK)
		return e2;
	if (e != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_ADJUSTMENTS);
	oms_query_int(q, c->id);
	oms_query_text(q, f);
	oms_query_text(q, t);
	while (oms_query_row(q)) {
		struct oms_invoice_line *l;

		if ((l = new_line(a, &rt->lines)) == NULL) {
			e = OMS_ERR_NOMEM;
			continue;
		}
		l->kind = OMS_LINE_ADJUSTMENT;
		l->adjustment = oms_query_col_int(q, 0);
		l->ref = oms_query_col_dup(q, 1, a);
		place(r, c, l, oms_query_col_int(q, 6), oms_query_col_int(q, 7),
		    0);
		l->from = l->to = col_day(q, 2);
		l->period_days = (int)(p->end - p->first);
		l->quantity = 1;
		l->amount = oms_query_col_int(q, 3);
		l->rate = l->amount;
		l->taxable = oms_query_col_int(q, 5) != 0;
		l->description = oms_query_col_dup(q, 4, a);
		if (l->ref == NULL || l->description == NULL)
			e = OMS_ERR_NOMEM;
	}
	if ((e2 = oms_query_end(q)) != OMS_OK)
		return e2;
	if (e != OMS_OK)
		return e;
	for (size_t i = 0; i < rt->lines.n; i++)
		period_text(p, rt->lines.v[i].billed_period);
	return OMS_OK;
}

/* ------------------------------------------------------ corrections */

/* A line key's sum, for comparing bill(C, Q) with what was invoiced. */
struct ksum {
	const struct oms_invoice_line *like; /* a line of that key */
	int kind;
	const char *ref;
	int64_t site, cc, product;
	int64_t now, invoiced;
};

/* qsort order of line keys: kind, what it bills, site, cost centre,
 * product. */
static int
cmp_key(const void *pa, const void *pb)
{
	const struct ksum *a = pa, *b = pb;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->ref, b->ref)) != 0)
		return c;
	if (a->site != b->site)
		return a->site < b->site ? -1 : 1;
	if (a->cc != b->cc)
		return a->cc < b->cc ? -1 : 1;
	if (a->product != b->product)
		return a->product < b->product ? -1 : 1;
	return 0;
}

/*
 * The corrections of issued period q for customer c (now: bill(C, Q))
 * appended to out: one line a key whose sum differs from what was
 * invoiced for Q.
 */
static enum oms_err
correct(struct run *r, const struct cust *c, struct oms_arena *a,
    const struct oms_period *qp, struct lvec *out)
{
	struct rated now;
	struct ksum *k = NULL;
	size_t nk = 0, capk = 0, n;
	struct oms_query *q;
	char qt[8];
	enum oms_err e;
	struct oms_arena *wa = r->wa;

	r->wa = NULL; /* warnings are about the period previewed */
	e = rate(r, c, a, qp, &now);
	r->wa = wa;
	if (e != OMS_OK)
		return e;
	period_text(qp, qt);
	for (size_t i = 0; i < now.lines.n; i++) {
		const struct oms_invoice_line *l = &now.lines.v[i];

		if (grow(a, (void **)&k, &capk, nk, sizeof(*k)) < 0)
			return OMS_ERR_NOMEM;
		k[nk].like = l;
		k[nk].kind = l->kind;
		k[nk].ref = l->ref;
		k[nk].site = l->site;
		k[nk].cc = l->cost_centre;
		k[nk].product = l->product;
		k[nk].now = l->amount;
		k[nk++].invoiced = 0;
	}
	q = oms_query(r->st, OMS_STMT_BILL_INVOICED);
	oms_query_int(q, c->id);
	oms_query_text(q, qt);
	while (oms_query_row(q)) {
		const char *kn = oms_query_col_text(q, 0);
		struct oms_invoice_line *l;

		if (grow(a, (void **)&k, &capk, nk, sizeof(*k)) < 0 ||
		    (l = oms_arena_alloc(a, sizeof(*l))) == NULL) {
			e = OMS_ERR_NOMEM;
			continue;
		}
		memset(l, 0, sizeof(*l));
		l->kind = kn ? oms_name_index(oms_line_kind_names, OMS_LINE__MAX,
		    kn) : 0;
		if ((int)l->kind < 0)
			l->kind = OMS_LINE_ADJUSTMENT;
		l->ref = oms_query_col_dup(q, 1, a);
		l->site = oms_query_col_int(q, 2);
		l->cost_centre = oms_query_col_int(q, 3);
		l->product = oms_query_col_int(q, 4);
		l->taxable = oms_query_col_int(q, 6) != 0;
		l->site_code = oms_query_col_dup(q, 7, a);
		l->cc_code = oms_query_col_dup(q, 8, a);
		l->product_code = oms_query_col_dup(q, 9, a);
		l->jurisdiction = oms_query_col_dup(q, 10, a);
		l->asset = oms_query_col_int(q, 11);
		l->order_line = oms_query_col_int(q, 12);
		l->adjustment = oms_query_col_int(q, 13);
		if (l->ref == NULL) {
			e = OMS_ERR_NOMEM;
			continue;
		}
		k[nk].like = l;
		k[nk].kind = l->kind;
		k[nk].ref = l->ref;
		k[nk].site = l->site;
		k[nk].cc = l->cost_centre;
		k[nk].product = l->product;
		k[nk].now = 0;
		k[nk++].invoiced = oms_query_col_int(q, 5);
	}
	{
		enum oms_err e2 = oms_query_end(q);

		if (e2 != OMS_OK)
			return e2;
		if (e != OMS_OK)
			return e;
	}
	if (nk > 1)
		qsort(k, nk, sizeof(*k), cmp_key);
	for (size_t i = 0; i < nk; i = n) {
		int64_t now_sum = 0, inv = 0;
		const struct oms_invoice_line *like = NULL;
		struct oms_invoice_line *l;
		char mb[32];

		for (n = i; n < nk && cmp_key(&k[i], &k[n]) == 0; n++) {
			now_sum += k[n].now;
			inv += k[n].invoiced;
			/* Prefer a line of the bill now (current codes). */
			if (like == NULL || (k[n].now != 0 && like->from == 0))
				like = k[n].like;
		}
		if (now_sum == inv)
			continue;
		if ((l = new_line(a, out)) == NULL)
			return OMS_ERR_NOMEM;
		*l = *like;
		memcpy(l->billed_period, qt, sizeof(qt));
		l->correction = 1;
		l->from = l->to = 0;
		l->days = 0;
		l->period_days = (int)(qp->end - qp->first);
		l->quantity = 0;
		l->billable = 0;
		l->rate = 0;
		l->amount = now_sum - inv;
		oms_money_format(inv, mb, sizeof(mb));
		l->description = oms_arena_printf(a, "Correction of %s "
		    "(invoiced %s)", qt, mb);
		if (l->description == NULL)
			return OMS_ERR_NOMEM;
	}
	return OMS_OK;
}

/* ------------------------------------------------- the invoice whole */

struct earlier {
	int64_t id, number, current, total_due;
	char period[8];
	int32_t invoice_date, due_date;
};

/* qsort order of taxes: jurisdiction, then tax code (byte order). */
static int
cmp_tax(const void *pa, const void *pb)
{
	const struct oms_invoice_tax *a = pa, *b = pb;
	int c = strcmp(a->jurisdiction, b->jurisdiction);

	return c ? c : strcmp(a->tax, b->tax);
}

/* Report rows: sort by site code ("" last), then cost centre code. */
static int
cmp_row(const void *pa, const void *pb)
{
	const struct oms_report_row *a = pa, *b = pb;
	int c;

	if ((a->site_code[0] == '\0') != (b->site_code[0] == '\0'))
		return a->site_code[0] == '\0' ? 1 : -1;
	if ((c = strcmp(a->site_code, b->site_code)) != 0)
		return c;
	if (a->subtotal != b->subtotal)
		return a->subtotal ? 1 : -1;
	return strcmp(a->cc_code, b->cc_code);
}

/*
 * The invoice of customer c for period p (arena a) from its lines
 * (this period's, then corrections) and the ports on the last day:
 * taxes, balances, outstanding, aging and report rows.  *needed = 0
 * when BILLING.md issues no invoice (no line, no payment to report, no
 * previous balance).
 */
static enum oms_err
assemble(struct run *r, const struct cust *c, struct oms_arena *a,
    const struct oms_period *p, struct lvec *lines, const struct rated *rt,
    struct oms_invoice *inv, int *needed)
{
	struct oms_query *q;
	struct earlier *ea = NULL;
	size_t nea = 0, capea = 0, capt = 0, capo = 0, capr = 0;
	char pt[8], id_[11];
	int64_t reported = 0, pool;
	enum oms_err e;

	memset(inv, 0, sizeof(*inv));
	period_text(p, pt);
	memcpy(inv->period, pt, sizeof(pt));
	inv->customer = c->id;
	inv->invoice_date = p->end - 1;
	inv->terms_days = c->terms;
	inv->due_date = inv->invoice_date + c->terms;
	inv->currency = r->o->currency ? r->o->currency : c->currency;
	inv->customer_code = c->code;
	inv->customer_name = c->name;
	inv->address = c->address;
	inv->city = c->city;
	inv->region = c->region;
	inv->postcode = c->postcode;
	inv->country = c->country;
	inv->lines = lines->v;
	inv->nlines = lines->n;
	inv->previous_current = -1;
	day_text(inv->invoice_date, id_);
	for (size_t i = 0; i < lines->n; i++)
		if ((inv->subtotal += lines->v[i].amount) > OMS_MONEY_MAX ||
		    inv->subtotal < -OMS_MONEY_MAX)
			return OMS_ERR_INVAL;
	/* Taxes: for each jurisdiction with a taxable line, each tax of it
	 * in effect on the invoice date. */
	for (size_t i = 0; i < lines->n; i++) {
		const struct oms_invoice_line *l = &lines->v[i];
		int seen = 0;

		if (!l->taxable)
			continue;
		for (size_t j = 0; j < inv->ntaxes; j++)
			if (strcmp(inv->taxes[j].jurisdiction,
			    l->jurisdiction) == 0) {
				inv->taxes[j].base += l->amount;
				seen = 1;
			}
		if (seen)
			continue;
		for (size_t t = 0; t < r->ntaxes; t++) {
			const struct taxr *x = &r->taxes[t];
			struct oms_invoice_tax *tx;

			if (strcmp(x->jur, l->jurisdiction) != 0 ||
			    x->from > inv->invoice_date)
				continue;
			/* The latest from on or before the date wins. */
			if (t + 1 < r->ntaxes && strcmp(r->taxes[t + 1].jur,
			    x->jur) == 0 && strcmp(r->taxes[t + 1].tax,
			    x->tax) == 0 && r->taxes[t + 1].from <=
			    inv->invoice_date)
				continue;
			if (grow(a, (void **)&inv->taxes, &capt, inv->ntaxes,
			    sizeof(*inv->taxes)) < 0)
				return OMS_ERR_NOMEM;
			tx = &inv->taxes[inv->ntaxes++];
			tx->jurisdiction = l->jurisdiction;
			tx->tax = x->tax;
			tx->base = l->amount;
			tx->rate_ppm = x->ppm;
		}
	}
	if (inv->ntaxes > 1)
		qsort(inv->taxes, inv->ntaxes, sizeof(*inv->taxes), cmp_tax);
	for (size_t j = 0; j < inv->ntaxes; j++) {
		if ((e = div_round((__int128)inv->taxes[j].base *
		    inv->taxes[j].rate_ppm, 1000000,
		    &inv->taxes[j].amount)) != OMS_OK)
			return e;
		inv->tax += inv->taxes[j].amount;
	}
	inv->current = inv->subtotal + inv->tax;
	/* Earlier invoices, oldest first. */
	q = oms_query(r->st, OMS_STMT_BILL_INVOICES_OF);
	oms_query_int(q, c->id);
	while (oms_query_row(q)) {
		const char *per = oms_query_col_text(q, 2);

		if (per == NULL || strcmp(per, pt) >= 0)
			continue;
		if (grow(a, (void **)&ea, &capea, nea, sizeof(*ea)) < 0)
			break;
		ea[nea].id = oms_query_col_int(q, 0);
		ea[nea].number = oms_query_col_int(q, 1);
		snprintf(ea[nea].period, sizeof(ea[nea].period), "%s", per);
		ea[nea].invoice_date = col_day(q, 3);
		ea[nea].due_date = col_day(q, 4);
		ea[nea].current = oms_query_col_int(q, 5);
		ea[nea++].total_due = oms_query_col_int(q, 6);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (nea > 0) {
		inv->previous = ea[nea - 1].total_due;
		inv->previous_current = ea[nea - 1].current;
	}
	q = oms_query(r->st, OMS_STMT_BILL_PAYMENTS_NEW);
	oms_query_int(q, c->id);
	oms_query_text(q, id_);
	while (oms_query_row(q))
		inv->payments += oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_PAYMENTS_REPORTED);
	oms_query_int(q, c->id);
	while (oms_query_row(q))
		reported += oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	inv->total_due = inv->previous - inv->payments + inv->current;
	*needed = lines->n > 0 || inv->payments != 0 || inv->previous != 0;
	/* Outstanding: payments so far and earlier credits applied to the
	 * earlier invoices' positive current charges, oldest first. */
	pool = reported + inv->payments;
	for (size_t i = 0; i < nea; i++)
		if (ea[i].current < 0)
			pool -= ea[i].current;
	for (size_t i = 0; i < nea; i++) {
		int64_t left = ea[i].current, take;
		struct oms_outstanding *o;
		int days, b;

		if (left <= 0)
			continue;
		take = pool < left ? pool : left;
		left -= take;
		pool -= take;
		if (left <= 0)
			continue;
		if (grow(a, (void **)&inv->outstanding, &capo,
		    inv->noutstanding, sizeof(*inv->outstanding)) < 0)
			return OMS_ERR_NOMEM;
		o = &inv->outstanding[inv->noutstanding++];
		o->invoice = ea[i].id;
		o->number = ea[i].number;
		memcpy(o->period, ea[i].period, sizeof(o->period));
		o->due_date = ea[i].due_date;
		days = (int)(inv->invoice_date - ea[i].due_date);
		o->days_past_due = days;
		o->left = left;
		b = days <= 0 ? OMS_AGING_NOT_DUE : days <= 30 ? OMS_AGING_30 :
		    days <= 60 ? OMS_AGING_60 : days <= 90 ? OMS_AGING_90 :
		    OMS_AGING_OVER;
		inv->aging[b] += left;
	}
	/* The Billing Report: a row a site and cost centre with a line or
	 * ports; a sub-total a site. */
	{
		struct oms_report_row *rows = NULL;
		size_t nrows = 0;

		for (size_t i = 0; i < lines->n + rt->nps; i++) {
			int64_t site, cc, ports = 0, charge = 0;
			const struct site *s;
			const struct cc *k;
			size_t j;

			if (i < lines->n) {
				site = lines->v[i].site;
				cc = lines->v[i].cost_centre;
				charge = lines->v[i].amount;
			} else {
				site = rt->ps[i - lines->n].site;
				cc = rt->ps[i - lines->n].cc;
				ports = rt->ps[i - lines->n].ports;
			}
			/* A row needs a line or ports > 0. */
			if (i >= lines->n && ports == 0)
				continue;
			s = site ? site_of(c, site) : NULL;
			k = cc ? cc_of(c, cc) : NULL;
			for (j = 0; j < nrows; j++)
				if (strcmp(rows[j].site_code, s ? s->code : "")
				    == 0 && strcmp(rows[j].cc_code, k ? k->code :
				    "") == 0)
					break;
			if (j == nrows) {
				if (grow(a, (void **)&rows, &capr, nrows,
				    sizeof(*rows)) < 0)
					return OMS_ERR_NOMEM;
				memset(&rows[j], 0, sizeof(rows[j]));
				rows[j].site_code = s ? s->code : "";
				rows[j].site_name = s ? s->name : "";
				rows[j].cc_code = k ? k->code : "";
				rows[j].cc_name = k ? k->name : "";
				nrows++;
			}
			rows[j].ports += ports;
			rows[j].charge += charge;
			inv->report_ports += ports;
		}
		/* Sub-totals, one a site (lines without a site are no site:
		 * their rows have none). */
		for (size_t i = 0, n0 = nrows; i < n0; i++) {
			size_t j;

			if (rows[i].site_code[0] == '\0')
				continue;

			for (j = n0; j < nrows; j++)
				if (strcmp(rows[j].site_code,
				    rows[i].site_code) == 0)
					break;
			if (j == nrows) {
				if (grow(a, (void **)&rows, &capr, nrows,
				    sizeof(*rows)) < 0)
					return OMS_ERR_NOMEM;
				memset(&rows[j], 0, sizeof(rows[j]));
				rows[j].subtotal = 1;
				rows[j].site_code = rows[i].site_code;
				rows[j].site_name = rows[i].site_name;
				rows[j].cc_code = rows[j].cc_name = "";
				nrows++;
			}
			rows[j].ports += rows[i].ports;
			rows[j].charge += rows[i].charge;
		}
		if (nrows > 1)
			qsort(rows, nrows, sizeof(*rows), cmp_row);
		inv->rows = rows;
		inv->nrows = nrows;
	}
	return OMS_OK;
}

/*
 * The whole invoice of customer id for period p into inv (arena a):
 * bill(C, P), the corrections of issued periods a change may have
 * reached, then assemble().  *needed as assemble's.
 */
static enum oms_err
invoice_of(struct run *r, struct oms_arena *a, int64_t id,
    const struct oms_period *p, struct oms_invoice *inv, int *needed,
    struct cust *c)
{
	struct rated rt;
	struct lvec lines;
	enum oms_err e;

	if ((e = load_customer(r, a, id, c)) != OMS_OK)
		return e;
	if ((e = rate(r, c, a, p, &rt)) != OMS_OK)
		return e;
	lines = rt.lines;
	if (c->first_period != NULL) {
		struct oms_period qp;
		char qt[8];

		if (oms_period_parse(c->first_period, &qp) == OMS_OK)
			for (; qp.first < p->first; period_next(&qp, &qp)) {
				if (qp.end <= r->horizon)
					continue;
				period_text(&qp, qt);
				if ((e = correct(r, c, a, &qp, &lines)) != OMS_OK)
					return e;
				if (qp.month == 12 && qp.year >= 9999)
					break;
			}
	}
	return assemble(r, c, a, p, &lines, &rt, inv, needed);
}

/* ---------------------------------------------------------- the runs */

/*
 * Keep freed memory in the process during a run: a run resets its
 * arenas and SQLite frees its statement memory for every customer, and
 * with glibc's default trim threshold (128 KiB) each of those gave the
 * top of the heap back to the system and took it again (some 27 brk
 * calls a customer, each a TLB flush: a third of issue's time in the
 * kernel).  Process-wide, set once; what stays is bounded (8 MiB), not
 * a function of the data.  Nothing elsewhere than glibc.
 */
static void
keep_heap(void)
{
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
	static int done;

	if (!done) {
		mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
		mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
		done = 1;
	}
#endif
}

/* Begin run r (arena ra) for period text: parse into *p, check, load
 * the catalog, find the corrections' horizon.  *state: 0 none, 1
 * issuing, 2 issued. */
static enum oms_err
start(struct run *r, const char *period, struct oms_period *p, int *state,
    const char **why)
{
	struct oms_query *q;
	char last[8] = "", lstate[16] = "", pt[8];
	int32_t prev_bd = 0, today = oms_date_today();
	enum oms_err e;

	*state = 0;
	if (period == NULL || oms_period_parse(period, p) != OMS_OK) {
		*why = "The period must be a month, YYYY-MM.";
		return OMS_ERR_INVAL;
	}
	period_text(p, pt);
	q = oms_query(r->st, OMS_STMT_BILL_PERIOD_GET);
	oms_query_text(q, pt);
	if (oms_query_row(q)) {
		const char *s = oms_query_col_text(q, 0);

		*state = s && strcmp(s, "issued") == 0 ? 2 : 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	q = oms_query(r->st, OMS_STMT_BILL_PERIOD_LAST);
	if (oms_query_row(q)) {
		snprintf(last, sizeof(last), "%s", oms_query_col_text(q, 0) ?
		    oms_query_col_text(q, 0) : "");
		snprintf(lstate, sizeof(lstate), "%s", oms_query_col_text(q, 1) ?
		    oms_query_col_text(q, 1) : "");
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (*state == 0 && last[0] != '\0') {
		struct oms_period lp, np;

		if (strcmp(lstate, "issuing") == 0) {
			*why = "Another period is half issued: issue it first.";
			return OMS_ERR_CONFLICT;
		}
		if (oms_period_parse(last, &lp) == OMS_OK) {
			period_next(&lp, &np);
			if (strcmp(pt, last) < 0) {
				*why = "That period is before the last one "
				    "issued: periods are issued in order.";
				return OMS_ERR_CONFLICT;
			}
			if (np.first != p->first) {
				*why = "Periods are issued in order, none "
				    "skipped: issue the one after the last "
				    "issued first.";
				return OMS_ERR_CONFLICT;
			}
		}
	}
	(void)today;
	q = oms_query(r->st, OMS_STMT_BILL_PERIOD_PREV);
	oms_query_text(q, pt);
	if (oms_query_row(q))
		prev_bd = col_day(q, 1);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	r->horizon = prev_bd ? prev_bd - (r->o->backdate_days > 0 ?
	    r->o->backdate_days : 0) : INT32_MAX;
	return load_catalog(r);
}

/* See billing.h.  Runs in one read snapshot; customers in code order,
 * each in an arena reset after it, keeping only its heading and totals. */
enum oms_err
oms_bill_preview(struct oms_store *st, struct oms_arena *a,
    const char *period, const struct oms_bill_opts *o,
    struct oms_bill_preview *out, const char **why)
{
	struct run r;
	struct oms_period p;
	struct oms_query *q;
	int64_t *ids = NULL;
	size_t nids = 0, capids = 0, capinv = 0;
	int state;
	struct oms_arena *ca;
	enum oms_err e;
	char pt[8];

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	keep_heap();
	r.st = st;
	r.o = o;
	r.wa = a;
	if ((r.ra = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	if ((ca = oms_arena_new()) == NULL) {
		oms_arena_free(&r.ra);
		return OMS_ERR_NOMEM;
	}
	if ((e = oms_store_begin_read(st)) != OMS_OK)
		goto done;
	if ((e = start(&r, period, &p, &state, why)) != OMS_OK)
		goto rollback;
	period_text(&p, pt);
	memcpy(out->period, pt, sizeof(pt));
	if (state == 2) {
		out->issued = 1;
		goto rollback;
	}
	q = oms_query(st, OMS_STMT_BILL_CUSTOMERS_ALL);
	oms_query_text(q, pt);
	while (oms_query_row(q)) {
		if (grow(r.ra, (void **)&ids, &capids, nids, sizeof(*ids)) < 0)
			break;
		ids[nids++] = oms_query_col_int(q, 0);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		goto rollback;
	for (size_t i = 0; i < nids; i++) {
		struct oms_invoice inv;
		struct cust c;
		int needed = 0;

		oms_arena_reset(ca);
		e = invoice_of(&r, ca, ids[i], &p, &inv, &needed, &c);
		if (e == OMS_ERR_NOTFOUND)
			continue;
		if (e != OMS_OK)
			goto rollback;
		if (o->progress)
			o->progress(o->progress_arg, i + 1, nids);
		if (!needed)
			continue;
		if (inv.previous_current > 0) {
			int pct = o->change_warn_pct > 0 ? o->change_warn_pct : 25;
			__int128 diff = (__int128)inv.current - inv.previous_current;

			if (diff < 0)
				diff = -diff;
			if (diff * 100 > (__int128)inv.previous_current * pct) {
				char m1[32], m2[32];

				warn(&r, &c, "Current charges %s against %s on the "
				    "previous invoice: a change of more than %d%%.",
				    oms_money_format(inv.current, m1, sizeof(m1)),
				    oms_money_format(inv.previous_current, m2,
				    sizeof(m2)), pct);
			}
		}
		if (grow(a, (void **)&out->invoices, &capinv, out->n,
		    sizeof(*out->invoices)) < 0) {
			e = OMS_ERR_NOMEM;
			goto rollback;
		}
		/* Kept: the heading and totals (lines only when asked). */
		inv.customer_code = oms_arena_strdup(a, inv.customer_code);
		inv.customer_name = oms_arena_strdup(a, inv.customer_name);
		inv.address = inv.city = inv.region = inv.postcode =
		    inv.country = "";
		inv.currency = o->currency ? o->currency : "";
		inv.lines = NULL;
		inv.nlines = 0;
		inv.taxes = NULL;
		inv.ntaxes = 0;
		inv.outstanding = NULL;
		inv.noutstanding = 0;
		inv.rows = NULL;
		inv.nrows = 0;
		if (inv.customer_code == NULL || inv.customer_name == NULL) {
			e = OMS_ERR_NOMEM;
			goto rollback;
		}
		out->invoices[out->n++] = inv;
		out->subtotal += inv.subtotal;
		out->tax += inv.tax;
		out->current += inv.current;
		out->total_due += inv.total_due;
	}
	e = OMS_OK;
rollback:
	oms_store_rollback(st);
done:
	out->warnings = r.warn;
	out->nwarnings = r.nwarn;
	oms_arena_free(&ca);
	oms_arena_free(&r.ra);
	return e;
}

/* One customer's invoice for the issue: computed and written. */
struct cust_unit {
	struct run *r;
	struct oms_arena *a;
	const struct oms_period *p;
	int64_t id;
	int issued;  /* out: 1 when an invoice was written */
	size_t lines; /* out: the lines it wrote */
};

/* A unit of work of several customers (ids[0..n-1]), ended early once
 * it has written OMS_BILL_UNIT_LINES lines: fewer commits (each a
 * sync) without holding the write lock long.  Out: done, issued. */
#define OMS_BILL_UNIT_CUSTOMERS 64
#define OMS_BILL_UNIT_LINES 4000
struct batch_unit {
	struct run *r;
	struct oms_arena *a;
	const struct oms_period *p;
	const int64_t *ids;
	size_t n;
	size_t done;
	size_t issued;
};

/* The statement that writes the most of left rows (64, 16, 4 or 1 of
 * them; *n set) out of the four given, largest first. */
static enum oms_stmt
batch_of(size_t left, const enum oms_stmt s[4], size_t *n)
{
	static const size_t sizes[4] = {64, 16, 4, 1};

	for (int k = 0; k < 3; k++)
		if ((int)s[k] >= 0 && left >= sizes[k]) {
			*n = sizes[k];
			return s[k];
		}
	*n = 1;
	return s[3];
}

/* Write the lines of invoice id, batched.  Their texts are bound
 * without a copy (oms_query_text_ref): they stay in inv, and the dates
 * in days[], until each statement has run. */
static enum oms_err
write_lines(struct oms_store *st, int64_t id, const struct oms_invoice *inv)
{
	static const enum oms_stmt stm[4] = {OMS_STMT_BILL_LINES_ADD64,
	    OMS_STMT_BILL_LINES_ADD, OMS_STMT_BILL_LINES_ADD4,
	    OMS_STMT_BILL_LINE_ADD};
	char days[64][2][11];
	size_t i = 0;
	enum oms_err e;

	while (i < inv->nlines) {
		size_t n;
		struct oms_query *q = oms_query(st, batch_of(inv->nlines - i,
		    stm, &n));

		for (size_t k = 0; k < n; k++, i++) {
			const struct oms_invoice_line *l = &inv->lines[i];
			char *f = days[k][0], *t = days[k][1];

			oms_query_int(q, id);
			oms_query_int(q, (int64_t)i + 1);
			oms_query_text_ref(q, oms_line_kind_names[l->kind]);
			oms_query_text_ref(q, l->billed_period);
			oms_query_int(q, l->correction);
			oms_query_text_ref(q, l->ref);
			if (l->asset)
				oms_query_int(q, l->asset);
			else
				oms_query_null(q);
			if (l->order_line)
				oms_query_int(q, l->order_line);
			else
				oms_query_null(q);
			if (l->adjustment)
				oms_query_int(q, l->adjustment);
			else
				oms_query_null(q);
			if (l->site)
				oms_query_int(q, l->site);
			else
				oms_query_null(q);
			oms_query_text_ref(q, l->site_code);
			if (l->cost_centre)
				oms_query_int(q, l->cost_centre);
			else
				oms_query_null(q);
			oms_query_text_ref(q, l->cc_code);
			if (l->product)
				oms_query_int(q, l->product);
			else
				oms_query_null(q);
			oms_query_text_ref(q, l->product_code);
			oms_query_text_ref(q, l->jurisdiction);
			oms_query_text_ref(q, l->from ? day_text(l->from, f) :
			    NULL);
			oms_query_text_ref(q, l->from ? day_text(l->to, t) :
			    NULL);
			oms_query_int(q, l->days);
			oms_query_int(q, l->period_days);
			oms_query_int(q, l->quantity);
			oms_query_int(q, l->billable);
			oms_query_int(q, l->rate);
			oms_query_int(q, l->amount);
			oms_query_int(q, l->taxable);
			oms_query_text_ref(q, l->description);
		}
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* The unit of work of one customer: nothing when its invoice for the
 * period exists (a re-run), else computed and written whole. */
static enum oms_err
cust_unit(struct oms_store *st, void *arg)
{
	struct cust_unit *u = arg;
	struct oms_invoice inv;
	struct cust c;
	struct oms_query *q;
	char pt[8], d1[11], d2[11];
	int needed = 0, exists = 0;
	int64_t number, id;
	enum oms_err e;

	u->issued = 0;
	u->lines = 0;
	oms_arena_reset(u->a);
	period_text(u->p, pt);
	q = oms_query(st, OMS_STMT_BILL_INVOICE_EXISTS);
	oms_query_int(q, u->id);
	oms_query_text(q, pt);
	if (oms_query_row(q))
		exists = 1;
	if ((e = oms_query_end(q)) != OMS_OK || exists)
		return e;
	e = invoice_of(u->r, u->a, u->id, u->p, &inv, &needed, &c);
	if (e == OMS_ERR_NOTFOUND || (e == OMS_OK && !needed))
		return OMS_OK;
	if (e != OMS_OK)
		return e;
	if ((e = oms_store_next_number(st, "invoice", &number)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BILL_INVOICE_ADD);
	oms_query_int(q, number);
	oms_query_int(q, u->id);
	oms_query_text(q, pt);
	oms_query_text(q, day_text(inv.invoice_date, d1));
	oms_query_text(q, day_text(inv.due_date, d2));
	oms_query_int(q, inv.terms_days);
	oms_query_text(q, inv.currency);
	oms_query_text(q, inv.customer_code);
	oms_query_text(q, inv.customer_name);
	oms_query_text(q, inv.address);
	oms_query_text(q, inv.city);
	oms_query_text(q, inv.region);
	oms_query_text(q, inv.postcode);
	oms_query_text(q, inv.country);
	oms_query_int(q, inv.subtotal);
	oms_query_int(q, inv.tax);
	oms_query_int(q, inv.current);
	oms_query_int(q, inv.previous);
	oms_query_int(q, inv.payments);
	oms_query_int(q, inv.total_due);
	for (int b = 0; b < OMS_AGING__MAX; b++)
		oms_query_int(q, inv.aging[b]);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	id = oms_store_last_id(st);
	if ((e = write_lines(st, id, &inv)) != OMS_OK)
		return e;
	for (size_t i = 0; i < inv.ntaxes; i++) {
		q = oms_query(st, OMS_STMT_BILL_TAX_ADD);
		oms_query_int(q, id);
		oms_query_int(q, (int64_t)i + 1);
		oms_query_text(q, inv.taxes[i].jurisdiction);
		oms_query_text(q, inv.taxes[i].tax);
		oms_query_int(q, inv.taxes[i].base);
		oms_query_int(q, inv.taxes[i].rate_ppm);
		oms_query_int(q, inv.taxes[i].amount);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	for (size_t i = 0; i < inv.noutstanding; i++) {
		const struct oms_outstanding *o = &inv.outstanding[i];

		q = oms_query(st, OMS_STMT_BILL_OUT_ADD);
		oms_query_int(q, id);
		oms_query_int(q, (int64_t)i + 1);
		oms_query_int(q, o->invoice);
		oms_query_int(q, o->number);
		oms_query_text(q, o->period);
		oms_query_text(q, day_text(o->due_date, d2));
		oms_query_int(q, o->days_past_due);
		oms_query_int(q, o->left);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	for (size_t i = 0; i < inv.nrows;) {
		static const enum oms_stmt stm[4] = {(enum oms_stmt)-1,
		    OMS_STMT_BILL_ROWS_ADD16, OMS_STMT_BILL_ROWS_ADD4,
		    OMS_STMT_BILL_ROW_ADD};
		size_t n;

		q = oms_query(st, batch_of(inv.nrows - i, stm, &n));
		for (size_t k = 0; k < n; k++, i++) {
			const struct oms_report_row *w = &inv.rows[i];

			oms_query_int(q, id);
			oms_query_int(q, (int64_t)i + 1);
			oms_query_text_ref(q, w->subtotal ? "subtotal" : "row");
			oms_query_text_ref(q, w->site_code);
			oms_query_text_ref(q, w->site_name);
			oms_query_text_ref(q, w->cc_code);
			oms_query_text_ref(q, w->cc_name);
			oms_query_int(q, w->ports);
			oms_query_int(q, w->charge);
		}
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	q = oms_query(st, OMS_STMT_BILL_PAYMENTS_MARK);
	oms_query_int(q, id);
	oms_query_int(q, u->id);
	oms_query_text(q, day_text(inv.invoice_date, d1));
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	/* Its documents to the customer, exactly once: in this unit. */
	if ((e = oms_dist_invoice_issued(st, u->a, id)) != OMS_OK)
		return e;
	u->issued = 1;
	u->lines = inv.nlines;
	return OMS_OK;
}

/* oms_store_unit body of struct batch_unit: its customers one after
 * the other in one transaction (a retry starts it over). */
static enum oms_err
batch_unit(struct oms_store *st, void *arg)
{
	struct batch_unit *b = arg;
	size_t lines = 0;
	enum oms_err e;

	b->done = b->issued = 0;
	while (b->done < b->n && b->done < OMS_BILL_UNIT_CUSTOMERS &&
	    lines < OMS_BILL_UNIT_LINES) {
		struct cust_unit u = {b->r, b->a, b->p, b->ids[b->done], 0, 0};

		if ((e = cust_unit(st, &u)) != OMS_OK)
			return e;
		b->done++;
		b->issued += (size_t)u.issued;
		lines += u.lines + 1;
	}
	return OMS_OK;
}

/* Now as text for the run's records. */
static void
now_text(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The unit that opens the period: its row 'issuing' and every customer
 * not yet billed gets it as its first period. */
struct open_unit {
	const char *period;
	int32_t today;
};

/* oms_store_unit body of struct open_unit. */
static enum oms_err
open_unit(struct oms_store *st, void *arg)
{
	struct open_unit *u = arg;
	struct oms_query *q;
	char d[11], now[24];
	enum oms_err e;

	now_text(now);
	q = oms_query(st, OMS_STMT_BILL_PERIOD_ADD);
	oms_query_text(q, u->period);
	oms_query_text(q, oms_date_format(u->today, d));
	oms_query_text(q, now);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_BILL_FIRST_PERIOD);
	oms_query_text(q, u->period);
	return oms_query_exec(q);
}

/* The unit that closes it: 'issued' with its invoice count. */
static enum oms_err
close_unit(struct oms_store *st, void *arg)
{
	const char *period = arg;
	struct oms_query *q;
	char now[24];
	int64_t n = 0;
	enum oms_err e;

	q = oms_query(st, OMS_STMT_BILL_INVOICE_COUNT);
	oms_query_text(q, period);
	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	now_text(now);
	q = oms_query(st, OMS_STMT_BILL_PERIOD_DONE);
	oms_query_text(q, now);
	oms_query_int(q, n);
	oms_query_text(q, period);
	return oms_query_exec(q);
}

/* See billing.h: the period is opened in one unit, each customer's
 * invoice is one unit (skipped when it exists), then one unit closes it. */
enum oms_err
oms_bill_issue(struct oms_store *st, const char *period,
    const struct oms_bill_opts *o, struct oms_bill_result *res,
    const char **why)
{
	struct run r;
	struct oms_period p;
	struct oms_query *q;
	int64_t *ids = NULL;
	size_t nids = 0, capids = 0;
	int state;
	char pt[8];
	struct oms_arena *ca = NULL;
	enum oms_err e;
	long units = 0;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	keep_heap();
	r.st = st;
	r.o = o;
	if ((r.ra = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	if ((e = oms_store_begin_read(st)) != OMS_OK)
		goto out;
	e = start(&r, period, &p, &state, why);
	oms_store_rollback(st);
	if (e != OMS_OK)
		goto out;
	period_text(&p, pt);
	if (state == 2) {
		res->already = 1;
		goto out;
	}
	if (p.end > oms_date_today()) {
		*why = "That period has not ended: a period is issued once its "
		    "last day is before the business date.";
		e = OMS_ERR_CONFLICT;
		goto out;
	}
	if (state == 0) {
		struct open_unit ou = {pt, oms_date_today()};

		if ((e = oms_store_unit(st, open_unit, &ou)) != OMS_OK)
			goto out;
	}
	/* The customers, in code order: read once (their set is fixed once
	 * the period is open: each has a first period by now). */
	if ((e = oms_store_begin_read(st)) != OMS_OK)
		goto out;
	q = oms_query(st, OMS_STMT_BILL_CUSTOMERS);
	oms_query_text(q, pt);
	while (oms_query_row(q)) {
		if (grow(r.ra, (void **)&ids, &capids, nids, sizeof(*ids)) < 0)
			break;
		ids[nids++] = oms_query_col_int(q, 0);
	}
	e = oms_query_end(q);
	oms_store_rollback(st);
	if (e != OMS_OK)
		goto out;
	if ((ca = oms_arena_new()) == NULL) {
		e = OMS_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < nids;) {
		struct batch_unit b = {&r, ca, &p, ids + i, nids - i, 0, 0};

		if ((e = oms_store_unit(st, batch_unit, &b)) != OMS_OK) {
			if (e == OMS_ERR_INVAL)
				*why = "An amount is too large to bill.";
			goto out;
		}
		i += b.done;
		res->customers += b.done;
		res->invoices += b.issued;
		if (o->progress)
			o->progress(o->progress_arg, i, nids);
		if (o->stop_after > 0 && ++units >= o->stop_after) {
			e = OMS_ERR_STORE;
			goto out;
		}
	}
	e = oms_store_unit(st, close_unit, pt);
out:
	oms_arena_free(&ca);
	oms_arena_free(&r.ra);
	return e;
}

/* ------------------------------------------------ reading them back */

/* See billing.h: the invoice row, its lines, taxes, outstanding
 * earlier invoices and report rows, in arena a. */
enum oms_err
oms_invoice_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    int64_t scope, struct oms_invoice *inv)
{
	struct oms_query *q;
	enum oms_err e;
	int found = 0;
	size_t cap = 0;

	memset(inv, 0, sizeof(*inv));
	inv->previous_current = -1;
	q = oms_query(st, OMS_STMT_BILL_INVOICE_GET);
	oms_query_int(q, id);
	oms_query_int(q, scope);
	oms_query_int(q, scope);
	if (oms_query_row(q)) {
		const char *per = oms_query_col_text(q, 3);

		found = 1;
		inv->id = oms_query_col_int(q, 0);
		inv->number = oms_query_col_int(q, 1);
		inv->customer = oms_query_col_int(q, 2);
		snprintf(inv->period, sizeof(inv->period), "%s", per ? per : "");
		inv->invoice_date = col_day(q, 4);
		inv->due_date = col_day(q, 5);
		inv->terms_days = (int)oms_query_col_int(q, 6);
		inv->currency = oms_query_col_dup(q, 7, a);
		inv->customer_code = oms_query_col_dup(q, 8, a);
		inv->customer_name = oms_query_col_dup(q, 9, a);
		inv->address = oms_query_col_dup(q, 10, a);
		inv->city = oms_query_col_dup(q, 11, a);
		inv->region = oms_query_col_dup(q, 12, a);
		inv->postcode = oms_query_col_dup(q, 13, a);
		inv->country = oms_query_col_dup(q, 14, a);
		inv->subtotal = oms_query_col_int(q, 15);
		inv->tax = oms_query_col_int(q, 16);
		inv->current = oms_query_col_int(q, 17);
		inv->previous = oms_query_col_int(q, 18);
		inv->payments = oms_query_col_int(q, 19);
		inv->total_due = oms_query_col_int(q, 20);
		for (int b = 0; b < OMS_AGING__MAX; b++)
			inv->aging[b] = oms_query_col_int(q, 21 + b);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found)
		return OMS_ERR_NOTFOUND;
	q = oms_query(st, OMS_STMT_BILL_LINES_GET);
	oms_query_int(q, inv->id);
	while (oms_query_row(q)) {
		struct oms_invoice_line *l;
		const char *k = oms_query_col_text(q, 2);
		const char *bp = oms_query_col_text(q, 3);
		int kind = k ? oms_name_index(oms_line_kind_names, OMS_LINE__MAX,
		    k) : -1;

		if (grow(a, (void **)&inv->lines, &cap, inv->nlines,
		    sizeof(*inv->lines)) < 0) {
			e = OMS_ERR_NOMEM;
			break;
		}
		l = &inv->lines[inv->nlines++];
		memset(l, 0, sizeof(*l));
		l->kind = kind < 0 ? OMS_LINE_ADJUSTMENT : (enum oms_line_kind)kind;
		snprintf(l->billed_period, sizeof(l->billed_period), "%s",
		    bp ? bp : "");
		l->correction = oms_query_col_int(q, 4) != 0;
		l->ref = oms_query_col_dup(q, 5, a);
		l->asset = oms_query_col_int(q, 6);
		l->order_line = oms_query_col_int(q, 7);
		l->adjustment = oms_query_col_int(q, 8);
		l->site = oms_query_col_int(q, 9);
		l->site_code = oms_query_col_dup(q, 10, a);
		l->cost_centre = oms_query_col_int(q, 11);
		l->cc_code = oms_query_col_dup(q, 12, a);
		l->product = oms_query_col_int(q, 13);
		l->product_code = oms_query_col_dup(q, 14, a);
		l->jurisdiction = oms_query_col_dup(q, 15, a);
		l->from = col_day(q, 16);
		l->to = col_day(q, 17);
		l->days = (int)oms_query_col_int(q, 18);
		l->period_days = (int)oms_query_col_int(q, 19);
		l->quantity = oms_query_col_int(q, 20);
		l->billable = oms_query_col_int(q, 21);
		l->rate = oms_query_col_int(q, 22);
		l->amount = oms_query_col_int(q, 23);
		l->taxable = oms_query_col_int(q, 24) != 0;
		l->description = oms_query_col_dup(q, 25, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	cap = 0;
	q = oms_query(st, OMS_STMT_BILL_TAXES_GET);
	oms_query_int(q, inv->id);
	while (oms_query_row(q)) {
		struct oms_invoice_tax *t;

		if (grow(a, (void **)&inv->taxes, &cap, inv->ntaxes,
		    sizeof(*inv->taxes)) < 0)
			break;
		t = &inv->taxes[inv->ntaxes++];
		t->jurisdiction = oms_query_col_dup(q, 0, a);
		t->tax = oms_query_col_dup(q, 1, a);
		t->base = oms_query_col_int(q, 2);
		t->rate_ppm = oms_query_col_int(q, 3);
		t->amount = oms_query_col_int(q, 4);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	cap = 0;
	q = oms_query(st, OMS_STMT_BILL_OUT_GET);
	oms_query_int(q, inv->id);
	while (oms_query_row(q)) {
		struct oms_outstanding *o;
		const char *per = oms_query_col_text(q, 2);

		if (grow(a, (void **)&inv->outstanding, &cap, inv->noutstanding,
		    sizeof(*inv->outstanding)) < 0)
			break;
		o = &inv->outstanding[inv->noutstanding++];
		o->invoice = oms_query_col_int(q, 0);
		o->number = oms_query_col_int(q, 1);
		snprintf(o->period, sizeof(o->period), "%s", per ? per : "");
		o->due_date = col_day(q, 3);
		o->days_past_due = (int)oms_query_col_int(q, 4);
		o->left = oms_query_col_int(q, 5);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	cap = 0;
	q = oms_query(st, OMS_STMT_BILL_ROWS_GET);
	oms_query_int(q, inv->id);
	while (oms_query_row(q)) {
		struct oms_report_row *w;
		const char *k = oms_query_col_text(q, 0);

		if (grow(a, (void **)&inv->rows, &cap, inv->nrows,
		    sizeof(*inv->rows)) < 0)
			break;
		w = &inv->rows[inv->nrows++];
		w->subtotal = k != NULL && strcmp(k, "subtotal") == 0;
		w->site_code = oms_query_col_dup(q, 1, a);
		w->site_name = oms_query_col_dup(q, 2, a);
		w->cc_code = oms_query_col_dup(q, 3, a);
		w->cc_name = oms_query_col_dup(q, 4, a);
		w->ports = oms_query_col_int(q, 5);
		w->charge = oms_query_col_int(q, 6);
		if (!w->subtotal)
			inv->report_ports += w->ports;
	}
	return oms_query_end(q);
}

/* See billing.h. */
enum oms_err
oms_invoice_find(struct oms_store *st, struct oms_arena *a,
    const char *customer_code, const char *period, int64_t scope,
    struct oms_invoice *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILL_INVOICE_FIND);
	int64_t id = 0;
	enum oms_err e;

	oms_query_text(q, customer_code);
	oms_query_text(q, period);
	if (oms_query_row(q))
		id = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (id == 0)
		return OMS_ERR_NOTFOUND;
	return oms_invoice_get(st, a, id, scope, out);
}

/* See billing.h. */
enum oms_err
oms_invoice_list(struct oms_store *st, struct oms_arena *a, int64_t customer,
    const char *period, int64_t scope, struct oms_invoice_head **out,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILL_HEADS);
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	oms_query_int(q, customer);
	oms_query_int(q, customer);
	oms_query_text(q, period);
	oms_query_text(q, period);
	oms_query_int(q, scope);
	oms_query_int(q, scope);
	while (oms_query_row(q)) {
		struct oms_invoice_head *h;
		const char *per = oms_query_col_text(q, 5);

		if (grow(a, (void **)out, &cap, *n, sizeof(**out)) < 0)
			break;
		h = &(*out)[(*n)++];
		h->id = oms_query_col_int(q, 0);
		h->number = oms_query_col_int(q, 1);
		h->customer = oms_query_col_int(q, 2);
		h->customer_code = oms_query_col_dup(q, 3, a);
		h->customer_name = oms_query_col_dup(q, 4, a);
		snprintf(h->period, sizeof(h->period), "%s", per ? per : "");
		h->invoice_date = col_day(q, 6);
		h->due_date = col_day(q, 7);
		h->current = oms_query_col_int(q, 8);
		h->payments = oms_query_col_int(q, 9);
		h->total_due = oms_query_col_int(q, 10);
	}
	return oms_query_end(q);
}

/* See billing.h. */
enum oms_err
oms_bill_periods(struct oms_store *st, struct oms_arena *a,
    struct oms_period_state **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILL_PERIODS);
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	while (oms_query_row(q)) {
		struct oms_period_state *s;
		const char *per = oms_query_col_text(q, 0);

		if (grow(a, (void **)out, &cap, *n, sizeof(**out)) < 0)
			break;
		s = &(*out)[(*n)++];
		snprintf(s->period, sizeof(s->period), "%s", per ? per : "");
		s->state = oms_query_col_dup(q, 1, a);
		s->business_day = oms_query_col_dup(q, 2, a);
		s->invoices = oms_query_col_int(q, 3);
	}
	return oms_query_end(q);
}

/* See billing.h. */
enum oms_err
oms_bill_next_period(struct oms_store *st, char out[8])
{
	struct oms_query *q = oms_query(st, OMS_STMT_BILL_PERIOD_LAST);
	char last[8] = "", state[16] = "";
	struct oms_period p, n;
	int y, m, d;
	enum oms_err e;

	if (oms_query_row(q)) {
		snprintf(last, sizeof(last), "%s", oms_query_col_text(q, 0) ?
		    oms_query_col_text(q, 0) : "");
		snprintf(state, sizeof(state), "%s", oms_query_col_text(q, 1) ?
		    oms_query_col_text(q, 1) : "");
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (last[0] != '\0' && oms_period_parse(last, &p) == OMS_OK) {
		if (strcmp(state, "issuing") == 0) {
			memcpy(out, last, 8);
			return OMS_OK;
		}
		period_next(&p, &n);
		period_text(&n, out);
		return OMS_OK;
	}
	oms_date_to_ymd(oms_date_today(), &y, &m, &d);
	(void)d;
	ym_text(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, out);
	return OMS_OK;
}

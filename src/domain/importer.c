/*
 * importer.c: bulk import and export of CSV files (importer.h).
 *
 * Sections:
 *   1. the kinds and their columns
 *   2. per-file lookup caches (hash maps)
 *   3. the import loop: header, rows, problems, the unit of work
 *   4. field checks
 *   5. the kinds: customers, sites, cost-centres, assets
 *   5b. the catalog kinds: products, prices, usage-prices, fees,
 *       contract-prices, tax-rates
 *   5c. orders
 *   5d. usage, payments, adjustments
 *   6. export
 *
 * Speed.  A million-row asset file is the benchmark: each code is
 * looked up once per file and kept in a hash map (malloc'd, freed when
 * the file is done), statements are prepared once per connection by
 * the store and reused, and a row costs the asset's own statements
 * (whether its tag is known, oms_history_install()'s insert of the
 * asset and its first state).  A usage file (a million records a
 * month is ordinary) is written the same way: asset tags cached, clean
 * records written OMS_IMP_BATCH at a time, one audit record a batch.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "csv.h"
#include "date.h"
#include "history.h"
#include "importer.h"
#include "inventory.h"
#include "orders.h"
#include "policy.h"
#include "stmts.h"
#include "store.h"

/* ------------------------------------------------ 1. kinds, columns */

const char *const oms_import_kind_names[OMS_IMPORT__MAX] = {
	"products",        /* OMS_IMPORT_PRODUCTS */
	"customers",       /* OMS_IMPORT_CUSTOMERS */
	"sites",           /* OMS_IMPORT_SITES */
	"cost-centres",    /* OMS_IMPORT_COST_CENTRES */
	"prices",          /* OMS_IMPORT_PRICES */
	"usage-prices",    /* OMS_IMPORT_USAGE_PRICES */
	"fees",            /* OMS_IMPORT_FEES */
	"contract-prices", /* OMS_IMPORT_CONTRACT_PRICES */
	"tax-rates",       /* OMS_IMPORT_TAX_RATES */
	"assets",          /* OMS_IMPORT_ASSETS */
	"orders",          /* OMS_IMPORT_ORDERS */
	"usage",           /* OMS_IMPORT_USAGE */
	"payments",        /* OMS_IMPORT_PAYMENTS */
	"adjustments",     /* OMS_IMPORT_ADJUSTMENTS */
};

/* The columns of each kind, BILLING.md's table to the letter. */
static const char *const cols_products[] = {"code", "name", "asset_type",
    "charge", "usage_unit"};
static const char *const cols_customers[] = {"code", "name", "address",
    "city", "region", "postcode", "country", "currency", "terms_days"};
static const char *const cols_sites[] = {"customer", "code", "name",
    "address", "city", "region", "postcode", "country"};
static const char *const cols_ccs[] = {"customer", "code", "name"};
static const char *const cols_prices[] = {"product", "valid_from",
    "monthly"};
static const char *const cols_usage_prices[] = {"product", "valid_from",
    "unit", "included", "tiers"};
static const char *const cols_fees[] = {"action", "product", "valid_from",
    "amount"};
static const char *const cols_contract_prices[] = {"customer", "product",
    "valid_from", "valid_to", "monthly"};
static const char *const cols_tax_rates[] = {"jurisdiction", "tax",
    "valid_from", "rate"};
static const char *const cols_assets[] = {"tag", "customer", "site",
    "cost_centre", "product", "ports", "phone_number", "extension",
    "mailbox", "serial", "installed_on", "parent_tag"};
static const char *const cols_orders[] = {"order_ref", "line", "action",
    "customer", "asset_tag", "site", "cost_centre", "product", "ports",
    "phone_number", "extension", "mailbox", "serial", "parent_tag",
    "requested_on", "completed_on", "fee_override", "reason"};
static const char *const cols_usage[] = {"record_id", "asset_tag", "date",
    "quantity"};
static const char *const cols_payments[] = {"reference", "customer", "date",
    "amount", "method"};
static const char *const cols_adjustments[] = {"reference", "customer",
    "date", "amount", "description", "taxable", "site", "cost_centre"};

#define COLS(a, key) {a, OMS_NELEM(a), key}
/* Keys: the first columns up to and including valid_from; sites and
 * cost centres by customer and code; orders by order_ref and line. */
static const struct oms_import_columns columns[OMS_IMPORT__MAX] = {
	COLS(cols_products, 1),        /* OMS_IMPORT_PRODUCTS */
	COLS(cols_customers, 1),       /* OMS_IMPORT_CUSTOMERS */
	COLS(cols_sites, 2),           /* OMS_IMPORT_SITES */
	COLS(cols_ccs, 2),             /* OMS_IMPORT_COST_CENTRES */
	COLS(cols_prices, 2),          /* OMS_IMPORT_PRICES */
	COLS(cols_usage_prices, 2),    /* OMS_IMPORT_USAGE_PRICES */
	COLS(cols_fees, 3),            /* OMS_IMPORT_FEES */
	COLS(cols_contract_prices, 3), /* OMS_IMPORT_CONTRACT_PRICES */
	COLS(cols_tax_rates, 3),       /* OMS_IMPORT_TAX_RATES */
	COLS(cols_assets, 1),          /* OMS_IMPORT_ASSETS */
	COLS(cols_orders, 2),          /* OMS_IMPORT_ORDERS */
	COLS(cols_usage, 1),           /* OMS_IMPORT_USAGE */
	COLS(cols_payments, 1),        /* OMS_IMPORT_PAYMENTS */
	COLS(cols_adjustments, 1),     /* OMS_IMPORT_ADJUSTMENTS */
};

#define MAX_COLS 18 /* the widest kind: orders */

/* Described in importer.h. */
int
oms_import_kind_lookup(const char *s)
{
	for (int i = 0; s != NULL && i < OMS_IMPORT__MAX; i++)
		if (strcmp(s, oms_import_kind_names[i]) == 0)
			return i;
	return -1;
}

/* Described in importer.h. */
const struct oms_import_columns *
oms_import_columns(enum oms_import_kind k)
{
	return (unsigned)k < OMS_IMPORT__MAX ? &columns[k] : NULL;
}

/* ------------------------------------------------------ 2. caches */

/* One slot of a map: a key (arena memory) and its value. */
struct slot {
	const char *key; /* NULL: empty */
	size_t klen;
	uint64_t h;
	int64_t val;
};

/* An open-addressing hash map from byte strings to integers, its slots
 * malloc'd (map_free), its keys in the import's arena. */
struct map {
	struct slot *s;
	size_t cap; /* a power of two, or 0 */
	size_t n;
};

/* FNV-1a of k[0..n-1]. */
static uint64_t
hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h;
}

/* The slot of key k in m (empty when absent); m->cap must be > 0. */
static struct slot *
map_slot(struct map *m, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->s[i].key != NULL && !(m->s[i].h == h && m->s[i].klen == n &&
	    memcmp(m->s[i].key, k, n) == 0))
		i = (i + 1) & (m->cap - 1);
	return &m->s[i];
}

/* The value of key k, or NULL when absent.  Valid until the next put. */
static int64_t *
map_get(struct map *m, const char *k, size_t n)
{
	struct slot *s;

	if (m->cap == 0)
		return NULL;
	s = map_slot(m, k, n, hash(k, n));
	return s->key ? &s->val : NULL;
}

/* Set key k (copied into arena a) to val.  OMS_OK or OMS_ERR_NOMEM. */
static enum oms_err
map_put(struct map *m, struct oms_arena *a, const char *k, size_t n,
    int64_t val)
{
	uint64_t h = hash(k, n);
	struct slot *s;

	if ((m->n + 1) * 2 > m->cap) {
		struct map g = {NULL, m->cap ? m->cap * 2 : 1024, 0};

		if ((g.s = calloc(g.cap, sizeof(*g.s))) == NULL)
			return OMS_ERR_NOMEM;
		for (size_t i = 0; i < m->cap; i++)
			if (m->s[i].key != NULL) {
				*map_slot(&g, m->s[i].key, m->s[i].klen,
				    m->s[i].h) = m->s[i];
				g.n++;
			}
		free(m->s);
		*m = g;
	}
	s = map_slot(m, k, n, h);
	if (s->key == NULL) {
		if ((s->key = oms_arena_strndup(a, k, n)) == NULL)
			return OMS_ERR_NOMEM;
		s->klen = n;
		s->h = h;
		m->n++;
	}
	s->val = val;
	return OMS_OK;
}

/* Make room in empty map m for about n keys without growing (a hint:
 * nothing happens when out of memory or when m is not empty). */
static void
map_reserve(struct map *m, size_t n)
{
	size_t cap = 1024;

	if (m->cap != 0)
		return;
	while (cap < n * 2 && cap < ((size_t)1 << 24))
		cap *= 2;
	if ((m->s = calloc(cap, sizeof(*m->s))) != NULL)
		m->cap = cap;
}

/* Free m's slots (its keys are the arena's). */
static void
map_free(struct map *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}

/* What the asset checks need of a product. */
struct pinfo {
	int64_t id;
	int64_t min_ports, max_ports;
	int addon; /* its asset_type is addon */
};

/* What an add-on's checks need of a possible parent. */
struct ainfo {
	int64_t id;
	int64_t site, cc;
	int32_t installed, removed; /* removed 0: in service */
	int addon;                  /* an add-on itself */
	int64_t customer;           /* its site's customer (usage only) */
};

/* A good usage row, kept for a batch (its text in the batch arena). */
struct upend {
	int64_t line;          /* physical line of the row */
	const char *raw;       /* the row as it was */
	size_t rawlen;
	const char *v[4];      /* record_id, asset_tag, date, quantity */
	int64_t asset, customer, quantity;
	int32_t day;           /* the date */
};

/* A good asset row without a parent, kept for a batch. */
struct apend {
	int64_t line;               /* physical line of the row */
	const char *raw;            /* the row as it was (batch arena) */
	size_t rawlen;
	const char *v[12];          /* its values (batch arena) */
	struct oms_asset_state s;   /* its first state (asset: once written) */
};

/* One good row of an orders file, kept until the file is read. */
struct orow {
	int64_t line;        /* physical line of the row */
	const char *raw;     /* the row as it was (arena) */
	size_t rawlen;
	const char **v;      /* its values in column order (arena) */
	int line_no;         /* the line column */
	enum oms_mac action;
	int64_t site, cc;    /* 0: none given */
	int64_t product;     /* 0: none given */
	int64_t ports;       /* -1: none given */
	int64_t fee;         /* fee_override in cents, -1: none */
	int64_t next;        /* the next row of its order, -1: the last */
};

/* One order of an orders file: its rows, linked in file order. */
struct ogroup {
	int64_t first, last; /* indexes in orows */
	int64_t customer;    /* the customer's id */
	int32_t done;        /* completed_on, 0: none */
	size_t n;            /* rows */
};

/* ------------------------------- 3. the import loop and its problems */

struct ictx {
	struct oms_store *st;
	struct oms_arena *a;
	const struct oms_import_opts *o;
	struct oms_import_report *rep;
	enum oms_import_kind kind;
	const struct oms_import_columns *cols;
	const char *data;
	size_t len;
	struct oms_csv r;        /* the reader */
	const char **hdr;        /* the header's names (arena) */
	size_t nhdr;
	int at[MAX_COLS];        /* the record index of each column */
	const char *v[MAX_COLS]; /* this row's values, in column order */
	int bad;                 /* this row has a problem */
	size_t pcap;             /* room in rep->problems */
	enum oms_err e;          /* a hard failure (store, memory) */
	char now[24];            /* created_at of new rows */
	struct map customers;    /* code -> id */
	struct map sites;        /* "customer id\x1f code" -> id */
	struct map ccs;          /* likewise */
	struct map products;     /* code -> index in pv */
	struct map assets;       /* tag -> index in av */
	struct map seen;         /* this file's keys -> line */
	struct pinfo *pv;
	size_t pn, pcap2;
	struct ainfo *av;
	size_t an, acap;
	int custk;               /* the column naming the customer */
	struct map orders;       /* order_ref -> index in og */
	struct map badrefs;      /* order_refs with a bad row */
	struct apend *pend;      /* asset rows kept for a batch (malloc'd) */
	size_t npend;
	struct oms_arena *ba;    /* their values */
	struct orow *orows;      /* the orders file's good rows (malloc'd) */
	size_t on, ocap;
	struct ogroup *og;       /* its orders, in file order (malloc'd) */
	size_t ogn, ogcap;
	struct map invoiced;     /* customer id -> invoiced through + 1 */
	struct upend *upend;     /* usage rows kept for a batch (malloc'd) */
	size_t nupend;
};

/*
 * Report a problem of the current row (or header) in column col (""
 * for the whole row): one problem more, the row refused.  Kept in the
 * report while there is room; the reason is formatted into the arena.
 */
static void __attribute__((format(printf, 3, 4)))
problem(struct ictx *x, const char *col, const char *fmt, ...)
{
	struct oms_import_report *rep = x->rep;
	struct oms_import_problem *p;
	va_list ap;
	char buf[1024];

	rep->problems_total++;
	if (!x->bad) {
		x->bad = 1;
		rep->refused++;
	}
	if (rep->nproblems >= OMS_IMPORT_MAX_PROBLEMS)
		return;
	if (rep->nproblems == x->pcap) {
		size_t want = x->pcap ? x->pcap * 2 : 64;
		struct oms_import_problem *n = oms_arena_alloc(x->a,
		    want * sizeof(*n));

		if (n == NULL) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
		if (rep->nproblems > 0)
			memcpy(n, rep->problems, rep->nproblems * sizeof(*n));
		rep->problems = n;
		x->pcap = want;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	p = &rep->problems[rep->nproblems];
	p->line = x->r.line;
	p->column = col;
	p->reason = oms_arena_strdup(x->a, buf);
	p->row = oms_arena_strndup(x->a, x->r.raw, x->r.rawlen);
	p->rowlen = x->r.rawlen;
	if (p->reason == NULL || p->row == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	rep->nproblems++;
}

/* The name of column k of the kind. */
static const char *
cname(const struct ictx *x, int k)
{
	return x->cols->names[k];
}

/*
 * Read the header row into x->at: every column of the kind once, in
 * any order.  Returns 1 when it is good; 0 after reporting every
 * unknown, repeated and missing column (or an empty file).
 */
static int
header(struct ictx *x)
{
	int good = 1;

	for (size_t k = 0; k < MAX_COLS; k++)
		x->at[k] = -1;
	if (!oms_csv_next(&x->r)) {
		if (x->r.err != OMS_OK) {
			x->e = x->r.err;
			return 0;
		}
		x->r.line = 1;
		x->r.raw = "";
		problem(x, "", "The file is empty: it needs a header row "
		    "naming the columns of %s.", oms_import_kind_names[x->kind]);
		return 0;
	}
	if (x->r.why != NULL) {
		problem(x, "", "The header row is bad: %s.", x->r.why);
		return 0;
	}
	x->nhdr = x->r.nfields;
	if ((x->hdr = oms_arena_alloc(x->a, x->nhdr * sizeof(*x->hdr))) == NULL) {
		x->e = OMS_ERR_NOMEM;
		return 0;
	}
	for (size_t i = 0; i < x->nhdr; i++) {
		const char *h = x->r.fields[i];
		size_t k;

		if ((x->hdr[i] = oms_arena_strdup(x->a, h)) == NULL) {
			x->e = OMS_ERR_NOMEM;
			return 0;
		}
		for (k = 0; k < x->cols->n; k++)
			if (strcmp(h, x->cols->names[k]) == 0)
				break;
		if (k == x->cols->n) {
			problem(x, x->hdr[i], "Unknown column '%s': a %s file has "
			    "only the columns of BILLING.md.", h,
			    oms_import_kind_names[x->kind]);
			good = 0;
		} else if (x->at[k] >= 0) {
			problem(x, x->hdr[i], "The column '%s' is named twice.",
			    h);
			good = 0;
		} else
			x->at[k] = (int)i;
	}
	for (size_t k = 0; k < x->cols->n; k++)
		if (x->at[k] < 0) {
			problem(x, x->cols->names[k], "Missing column '%s'.",
			    x->cols->names[k]);
			good = 0;
		}
	return good;
}

/*
 * 1 when the key of the current row (its first nkey values) was not
 * seen before in this file, and remember it; 0 after reporting the
 * repeat.
 */
static int
first_in_file(struct ictx *x)
{
	char key[1024] = "";
	size_t n = 0;
	int64_t *line;

	/* Values are at most a few hundred bytes (text() checked them);
	 * a longer key is cut (memcpy, not snprintf: a million rows). */
	for (size_t k = 0; k < x->cols->nkey && n < sizeof(key) - 1; k++) {
		size_t l = strlen(x->v[k]);

		if (l > sizeof(key) - 2 - n)
			l = sizeof(key) - 2 - n;
		memcpy(key + n, x->v[k], l);
		n += l;
		key[n++] = '\x1f';
	}
	if ((line = map_get(&x->seen, key, n)) != NULL) {
		problem(x, cname(x, (int)x->cols->nkey - 1), "This %s appears "
		    "twice in this file (first on line %lld): one row a key.",
		    x->cols->nkey > 1 ? "key" : cname(x, 0), (long long)*line);
		return 0;
	}
	if (map_put(&x->seen, x->a, key, n, x->r.line) != OMS_OK)
		x->e = OMS_ERR_NOMEM;
	return 1;
}

static void imp_customer(struct ictx *);
static void imp_site(struct ictx *);
static void imp_cc(struct ictx *);
static void imp_asset(struct ictx *);
static void fin_assets(struct ictx *);
static void flush_assets(struct ictx *);
static void pend_asset(struct ictx *, const struct oms_asset_state *);
static void install_asset(struct ictx *, struct oms_asset_state *, int64_t,
    int);
static void imp_product(struct ictx *);
static void imp_price(struct ictx *);
static void imp_usage_price(struct ictx *);
static void imp_fee(struct ictx *);
static void imp_contract_price(struct ictx *);
static void imp_tax_rate(struct ictx *);
static void imp_order(struct ictx *);
static void fin_orders(struct ictx *);
static void imp_usage(struct ictx *);
static void fin_usage(struct ictx *);
static void imp_payment(struct ictx *);
static void imp_adjustment(struct ictx *);

/* The row function of each kind; NULL: not yet importable. */
static void (*const row_fns[OMS_IMPORT__MAX])(struct ictx *) = {
	[OMS_IMPORT_CUSTOMERS] = imp_customer,
	[OMS_IMPORT_SITES] = imp_site,
	[OMS_IMPORT_COST_CENTRES] = imp_cc,
	[OMS_IMPORT_ASSETS] = imp_asset,
	[OMS_IMPORT_PRODUCTS] = imp_product,
	[OMS_IMPORT_PRICES] = imp_price,
	[OMS_IMPORT_USAGE_PRICES] = imp_usage_price,
	[OMS_IMPORT_FEES] = imp_fee,
	[OMS_IMPORT_CONTRACT_PRICES] = imp_contract_price,
	[OMS_IMPORT_TAX_RATES] = imp_tax_rate,
	[OMS_IMPORT_ORDERS] = imp_order,
	[OMS_IMPORT_USAGE] = imp_usage,
	[OMS_IMPORT_PAYMENTS] = imp_payment,
	[OMS_IMPORT_ADJUSTMENTS] = imp_adjustment,
};

/* What a kind does after its last row (NULL: nothing): the orders
 * file records its orders once all their rows are read. */
static void (*const fin_fns[OMS_IMPORT__MAX])(struct ictx *) = {
	[OMS_IMPORT_ORDERS] = fin_orders,
	[OMS_IMPORT_ASSETS] = fin_assets,
	[OMS_IMPORT_USAGE] = fin_usage,
};

/* Described in importer.h. */
int
oms_import_ready(enum oms_import_kind k)
{
	return (unsigned)k < OMS_IMPORT__MAX && row_fns[k] != NULL;
}

/* Free what one attempt of the unit holds (maps, caches, reader). */
static void
release(struct ictx *x)
{
	map_free(&x->customers);
	map_free(&x->sites);
	map_free(&x->ccs);
	map_free(&x->products);
	map_free(&x->assets);
	map_free(&x->seen);
	map_free(&x->orders);
	map_free(&x->badrefs);
	map_free(&x->invoiced);
	free(x->upend);
	x->upend = NULL;
	x->nupend = 0;
	free(x->pend);
	x->pend = NULL;
	x->npend = 0;
	oms_arena_free(&x->ba);
	free(x->orows);
	free(x->og);
	x->orows = NULL;
	x->og = NULL;
	x->on = x->ocap = x->ogn = x->ogcap = 0;
	free(x->pv);
	free(x->av);
	x->pv = NULL;
	x->av = NULL;
	x->pn = x->pcap2 = x->an = x->acap = 0;
	oms_csv_free(&x->r);
}

/*
 * Put the problems of rep back into line order (stable) after a kind's
 * finishing step reported some at earlier lines: an insertion sort,
 * cheap for what is nearly sorted.
 */
static void
sort_problems(struct oms_import_report *rep)
{
	for (size_t i = 1; i < rep->nproblems; i++) {
		struct oms_import_problem p = rep->problems[i];
		size_t j = i;

		while (j > 0 && rep->problems[j - 1].line > p.line) {
			rep->problems[j] = rep->problems[j - 1];
			j--;
		}
		rep->problems[j] = p;
	}
}

/* The time now as YYYY-MM-DDTHH:MM:SSZ, for created_at. */
static void
now_text(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The unit of work of one file (oms_unit_fn): read the header, then
 * every row, each checked and (when good) written; OMS_ERR_INVAL when
 * any row was bad, so that the unit rolls back.  Runs again from the
 * start when the store retries the unit.
 */
static enum oms_err
import_unit(struct oms_store *st, void *arg)
{
	struct ictx *x = arg;
	struct oms_import_report *rep = x->rep;
	enum oms_err e;
	char *after;

	(void)st;
	release(x);
	memset(&rep->rows, 0, sizeof(*rep) - offsetof(struct oms_import_report,
	    rows));
	x->pcap = 0;
	x->e = OMS_OK;
	x->bad = 0;
	x->custk = x->kind == OMS_IMPORT_ORDERS ? 3 : 1;
	now_text(x->now);
	oms_csv_init(&x->r, x->data, x->len);
	/* A key a row: room for most at once (rows of 100 bytes or more). */
	map_reserve(&x->seen, x->len / 100);
	if (!header(x))
		goto out;
	while (x->e == OMS_OK && oms_csv_next(&x->r)) {
		rep->rows++;
		x->bad = 0;
		if (x->o->progress && rep->rows % OMS_IMPORT_PROGRESS == 0)
			x->o->progress(x->o->progress_arg, rep->rows);
		if (x->r.why != NULL) {
			problem(x, x->r.bad_field < x->nhdr ?
			    x->hdr[x->r.bad_field] : "", "%s", x->r.why);
			continue;
		}
		if (x->r.nfields != x->nhdr) {
			problem(x, "", "This row has %zu fields where the header "
			    "has %zu.", x->r.nfields, x->nhdr);
			continue;
		}
		for (size_t k = 0; k < x->cols->n; k++)
			x->v[k] = x->r.fields[x->at[k]];
		row_fns[x->kind](x);
	}
	if (x->e == OMS_OK && x->r.err != OMS_OK)
		x->e = x->r.err;
	if (x->e == OMS_OK && fin_fns[x->kind] != NULL) {
		fin_fns[x->kind](x);
		sort_problems(rep);
	}
out:
	e = x->e;
	if (e == OMS_OK && rep->problems_total > 0)
		e = OMS_ERR_INVAL;
	if (e == OMS_OK && rep->added + rep->updated > 0) {
		/* One record of the whole file beside the rows' own (none
		 * when nothing changed: importing again changes nothing). */
		after = oms_arena_printf(x->a, "rows: %lld\nadded: %lld\n"
		    "updated: %lld\nskipped: %lld", (long long)rep->rows,
		    (long long)rep->added, (long long)rep->updated,
		    (long long)rep->skipped);
		e = after == NULL ? OMS_ERR_NOMEM : oms_audit_append(x->st,
		    x->o->actor, "import", oms_import_kind_names[x->kind],
		    "import", NULL, after);
	}
	release(x);
	return e;
}

/* Described in importer.h. */
enum oms_err
oms_import(struct oms_store *st, struct oms_arena *a,
    enum oms_import_kind kind, const char *data, size_t len,
    const struct oms_import_opts *o, struct oms_import_report *rep)
{
	struct ictx x;
	enum oms_err e;

	memset(rep, 0, sizeof(*rep));
	rep->kind = kind;
	memset(&x, 0, sizeof(x));
	x.st = st;
	x.a = a;
	x.o = o;
	x.rep = rep;
	x.kind = kind;
	x.cols = oms_import_columns(kind);
	x.data = data;
	x.len = len;
	if (x.cols == NULL)
		return OMS_ERR_INVAL;
	if (!oms_import_ready(kind)) {
		x.r.line = 1;
		x.r.raw = "";
		problem(&x, "", "%s files are not yet importable: their module "
		    "is not in this version of OMS.", oms_import_kind_names[kind]);
		return x.e != OMS_OK ? x.e : OMS_ERR_INVAL;
	}
	e = oms_store_unit(st, import_unit, &x);
	release(&x);
	rep->imported = e == OMS_OK;
	return e;
}

/* ---------------------------------------------------- 4. field checks */

/* Characters of UTF-8 text s (valid, as the reader checked). */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Text checks. */
#define T_NEED 0x1 /* not empty */
#define T_CODE 0x2 /* a code: no space at either end */

/*
 * Check value k of the row as text of at most max characters, without
 * control characters.  Returns 1 when good, 0 after reporting.
 */
static int
text(struct ictx *x, int k, size_t max, int flags)
{
	const char *s = x->v[k];
	size_t n = strlen(s);

	if ((flags & T_NEED) && n == 0) {
		problem(x, cname(x, k), "The %s must not be empty.", cname(x, k));
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) {
			problem(x, cname(x, k), "The %s holds a control character "
			    "(a line break or tab, say).", cname(x, k));
			return 0;
		}
	if ((flags & T_CODE) && n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) {
		problem(x, cname(x, k), "The %s '%s' starts or ends with a space.",
		    cname(x, k), s);
		return 0;
	}
	if (chars(s) > max) {
		problem(x, cname(x, k), "The %s is longer than %zu characters.",
		    cname(x, k), max);
		return 0;
	}
	return 1;
}

/* Check value k as a whole number in [min, max] into *out (def when
 * empty and def >= 0).  1 when good, 0 after reporting. */
static int
whole(struct ictx *x, int k, int64_t min, int64_t max, int64_t def,
    int64_t *out)
{
	const char *s = x->v[k];
	int64_t v = 0;

	if (*s == '\0' && def >= 0) {
		*out = def;
		return 1;
	}
	if (*s == '\0' || strlen(s) > 12 || s[strspn(s, "0123456789")] != '\0') {
		problem(x, cname(x, k), "The %s '%s' is not a whole number.",
		    cname(x, k), s);
		return 0;
	}
	for (; *s; s++)
		v = v * 10 + (*s - '0');
	if (v < min || v > max) {
		problem(x, cname(x, k), "The %s %lld is outside %lld..%lld.",
		    cname(x, k), (long long)v, (long long)min, (long long)max);
		return 0;
	}
	*out = v;
	return 1;
}

/* Check value k as n capital letters (country, currency). */
static int
capitals(struct ictx *x, int k, size_t n, const char *what)
{
	const char *s = x->v[k];

	if (strlen(s) != n || strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != n) {
		problem(x, cname(x, k), "The %s '%s' is not %s (%zu capital "
		    "letters).", cname(x, k), s, what, n);
		return 0;
	}
	return 1;
}

/* Check value k as a date YYYY-MM-DD into *day. */
static int
date(struct ictx *x, int k, int32_t *day)
{
	if (oms_date_parse(x->v[k], day) != OMS_OK) {
		problem(x, cname(x, k), "The %s '%s' is not a date (YYYY-MM-DD).",
		    cname(x, k), x->v[k]);
		return 0;
	}
	return 1;
}

/*
 * The last day of the periods already invoiced for a customer (0:
 * none): the end of the last issued period since the customer's first
 * (customers.first_period; NULL: nothing invoiced yet).  Cached a
 * customer a file; a store failure is left in x->e (0 then).
 */
static int32_t
invoiced_through(struct ictx *x, int64_t customer)
{
	struct oms_period p;
	struct oms_query *q;
	const char *s;
	char key[24];
	int64_t *v, day = 0;
	size_t n = (size_t)snprintf(key, sizeof(key), "%lld",
	    (long long)customer);
	enum oms_err e;

	if ((v = map_get(&x->invoiced, key, n)) != NULL)
		return (int32_t)(*v - 1);
	q = oms_query(x->st, OMS_STMT_IMP_INVOICED);
	oms_query_int(q, customer);
	if (oms_query_row(q) && (s = oms_query_col_text(q, 0)) != NULL &&
	    oms_period_parse(s, &p) == OMS_OK)
		day = p.end - 1;
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	/* Stored plus one: a day number may be 0 or less. */
	if (map_put(&x->invoiced, x->a, key, n, day == 0 ? 1 : day + 1) !=
	    OMS_OK)
		x->e = OMS_ERR_NOMEM;
	return (int32_t)day;
}

/*
 * BILLING.md's back-dating limit on a row dated `day` of customer:
 * a change dated into an already invoiced period may be at most
 * backdate_days before the business date.  1 when allowed, 0 after
 * reporting in column k.
 */
static int
backdate_ok(struct ictx *x, int k, int64_t customer, int32_t day)
{
	int32_t limit = x->o->today - x->o->backdate_days;

	if (day <= invoiced_through(x, customer) && day < limit) {
		char d[11];

		problem(x, cname(x, k), "The %s %s is in a period already "
		    "invoiced and more than %d days before the business date "
		    "%s.", cname(x, k), x->v[k], x->o->backdate_days,
		    oms_date_format(x->o->today, d));
		return 0;
	}
	return 1;
}

/* ---------------------------------------------------- 5. the kinds */

/* The id of customer code (0 when unknown), cached. */
static int64_t
customer_id(struct ictx *x, const char *code)
{
	int64_t *v = map_get(&x->customers, code, strlen(code)), id = 0;
	struct oms_query *q;
	enum oms_err e;

	if (v != NULL)
		return *v;
	q = oms_query(x->st, OMS_STMT_IMP_CUSTOMER_GET);
	oms_query_text(q, code);
	if (oms_query_row(q))
		id = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		x->e = e;
	if (id > 0 && map_put(&x->customers, x->a, code, strlen(code), id) !=
	    OMS_OK)
		x->e = OMS_ERR_NOMEM;
	return id;
}

/* The customer of column k, reported when unknown; 0 then. */
static int64_t
need_customer(struct ictx *x, int k)
{
	int64_t id;

	if (x->v[k][0] == '\0') {
		problem(x, cname(x, k), "The customer must not be empty.");
		return 0;
	}
	if ((id = customer_id(x, x->v[k])) == 0)
		problem(x, cname(x, k), "Unknown customer '%s'.", x->v[k]);
	return id;
}

/* Append "key: value" lines for the columns of the row, for audit. */
static char *
describe(struct ictx *x)
{
	size_t cap = 64;
	char *s, *p;

	for (size_t k = 0; k < x->cols->n; k++)
		cap += strlen(cname(x, (int)k)) + strlen(x->v[k]) * 2 + 4;
	if ((s = oms_arena_alloc(x->a, cap)) == NULL)
		return NULL;
	p = s;
	for (size_t k = 0; k < x->cols->n; k++) {
		const char *v = x->v[k];

		p += sprintf(p, "%s%s: ", k ? "\n" : "", cname(x, (int)k));
		for (; *v; v++)
			*p++ = *v; /* no newlines: text() refused them */
	}
	*p = '\0';
	return s;
}

/* Audit the row's change of an entity (before NULL: created). */
static void
audit(struct ictx *x, const char *entity, int64_t id, const char *before)
{
	char idtext[24];
	const char *after = describe(x);
	enum oms_err e;

	if (after == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	snprintf(idtext, sizeof(idtext), "%lld", (long long)id);
	if ((e = oms_audit_append(x->st, x->o->actor, entity, idtext,
	    before ? "update" : "create", before, after)) != OMS_OK)
		x->e = e;
}

/*
 * Compare the row's values from column `from` on with the n text
 * columns of q's current row from `col` on; the name of the first
 * column that differs, or NULL when all are the same (SQL NULL counts
 * as empty).
 */
static const char *
differs(struct ictx *x, struct oms_query *q, int from, int col, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = oms_query_col_text(q, col + i);

		if (strcmp(s ? s : "", x->v[from + i]) != 0)
			return cname(x, from + i);
	}
	return NULL;
}

/* The "before" of an audit record from q's row: the kind's columns,
 * key columns from the row (they are the same), the others from q. */
static char *
before_of(struct ictx *x, struct oms_query *q, int from, int col, int n,
    const char *extra_name, const char *extra)
{
	const char *saved[MAX_COLS];
	char *s;

	memcpy(saved, x->v, sizeof(saved));
	for (int i = 0; i < n; i++) {
		const char *t = oms_query_col_text(q, col + i);

		x->v[from + i] = t ? oms_arena_strdup(x->a, t) : "";
		if (x->v[from + i] == NULL)
			x->v[from + i] = "";
	}
	if (extra_name != NULL)
		for (size_t k = 0; k < x->cols->n; k++)
			if (strcmp(cname(x, (int)k), extra_name) == 0)
				x->v[k] = extra;
	s = describe(x);
	memcpy(x->v, saved, sizeof(saved));
	return s;
}

enum {C_CODE, C_NAME, C_ADDRESS, C_CITY, C_REGION, C_POSTCODE, C_COUNTRY,
    C_CURRENCY, C_TERMS};

/* A customers row: added, updated (audited) or skipped. */
static void
imp_customer(struct ictx *x)
{
	const char *cur = x->v[C_CURRENCY][0] ? x->v[C_CURRENCY] :
	    x->o->currency;
	struct oms_query *q;
	int64_t terms = 30, id = 0, old_terms = 0;
	const char *diff = NULL;
	char *before = NULL, tbuf[24];
	enum oms_err e;

	text(x, C_CODE, 32, T_NEED | T_CODE);
	text(x, C_NAME, 200, T_NEED);
	text(x, C_ADDRESS, 200, 0);
	text(x, C_CITY, 100, 0);
	text(x, C_REGION, 100, 0);
	text(x, C_POSTCODE, 20, 0);
	capitals(x, C_COUNTRY, 2, "a country code (ISO 3166)");
	if (x->v[C_CURRENCY][0] && capitals(x, C_CURRENCY, 3,
	    "a currency code (ISO 4217)") && strcmp(cur, x->o->currency) != 0)
		problem(x, cname(x, C_CURRENCY), "The currency %s is not the "
		    "installation's (%s): OMS bills in one currency.", cur,
		    x->o->currency);
	whole(x, C_TERMS, 0, 3650, 30, &terms);
	if (x->bad || !first_in_file(x))
		return;
	x->v[C_CURRENCY] = cur;
	snprintf(tbuf, sizeof(tbuf), "%lld", (long long)terms);
	x->v[C_TERMS] = tbuf;
	q = oms_query(x->st, OMS_STMT_IMP_CUSTOMER_GET);
	oms_query_text(q, x->v[C_CODE]);
	if (oms_query_row(q)) {
		id = oms_query_col_int(q, 0);
		old_terms = oms_query_col_int(q, 8);
		diff = differs(x, q, C_NAME, 1, 7);
		if (diff == NULL && old_terms != terms)
			diff = cname(x, C_TERMS);
		if (diff != NULL) {
			char ot[24];

			snprintf(ot, sizeof(ot), "%lld", (long long)old_terms);
			before = before_of(x, q, C_NAME, 1, 7, "terms_days", ot);
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id > 0 && diff == NULL) {
		x->rep->skipped++;
		return;
	}
	q = oms_query(x->st, id > 0 ? OMS_STMT_IMP_CUSTOMER_SET :
	    OMS_STMT_IMP_CUSTOMER_ADD);
	if (id == 0)
		oms_query_text(q, x->v[C_CODE]);
	for (int k = C_NAME; k <= C_CURRENCY; k++)
		oms_query_text(q, x->v[k]);
	oms_query_int(q, terms);
	if (id > 0)
		oms_query_int(q, id);
	else
		oms_query_text(q, x->now);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id == 0) {
		id = oms_store_last_id(x->st);
		x->rep->added++;
		if (map_put(&x->customers, x->a, x->v[C_CODE],
		    strlen(x->v[C_CODE]), id) != OMS_OK)
			x->e = OMS_ERR_NOMEM;
	} else
		x->rep->updated++;
	audit(x, "customer", id, before);
}

enum {S_CUSTOMER, S_CODE, S_NAME, S_ADDRESS, S_CITY, S_REGION, S_POSTCODE,
    S_COUNTRY};

/* A sites row: added, updated (audited) or skipped. */
static void
imp_site(struct ictx *x)
{
	int64_t cust, id = 0;
	struct oms_query *q;
	const char *diff = NULL;
	char *before = NULL, key[128];
	enum oms_err e;

	cust = need_customer(x, S_CUSTOMER);
	text(x, S_CODE, 32, T_NEED | T_CODE);
	text(x, S_NAME, 200, T_NEED);
	text(x, S_ADDRESS, 200, 0);
	text(x, S_CITY, 100, 0);
	text(x, S_REGION, 100, 0);
	text(x, S_POSTCODE, 20, 0);
	capitals(x, S_COUNTRY, 2, "a country code (ISO 3166)");
	if (x->bad || !first_in_file(x))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_SITE_GET);
	oms_query_int(q, cust);
	oms_query_text(q, x->v[S_CODE]);
	if (oms_query_row(q)) {
		id = oms_query_col_int(q, 0);
		if ((diff = differs(x, q, S_NAME, 1, 6)) != NULL)
			before = before_of(x, q, S_NAME, 1, 6, NULL, NULL);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id > 0 && diff == NULL) {
		x->rep->skipped++;
		return;
	}
	q = oms_query(x->st, id > 0 ? OMS_STMT_IMP_SITE_SET :
	    OMS_STMT_IMP_SITE_ADD);
	if (id == 0) {
		oms_query_int(q, cust);
		oms_query_text(q, x->v[S_CODE]);
	}
	for (int k = S_NAME; k <= S_COUNTRY; k++)
		oms_query_text(q, x->v[k]);
	if (id > 0)
		oms_query_int(q, id);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id == 0) {
		id = oms_store_last_id(x->st);
		x->rep->added++;
		snprintf(key, sizeof(key), "%lld\x1f%s", (long long)cust,
		    x->v[S_CODE]);
		if (map_put(&x->sites, x->a, key, strlen(key), id) != OMS_OK)
			x->e = OMS_ERR_NOMEM;
	} else
		x->rep->updated++;
	audit(x, "site", id, before);
}

enum {K_CUSTOMER, K_CODE, K_NAME};

/* A cost-centres row: added, updated (audited) or skipped. */
static void
imp_cc(struct ictx *x)
{
	int64_t cust, id = 0;
	struct oms_query *q;
	const char *diff = NULL;
	char *before = NULL;
	enum oms_err e;

	cust = need_customer(x, K_CUSTOMER);
	text(x, K_CODE, 32, T_NEED | T_CODE);
	text(x, K_NAME, 200, T_NEED);
	if (x->bad || !first_in_file(x))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_CC_GET);
	oms_query_int(q, cust);
	oms_query_text(q, x->v[K_CODE]);
	if (oms_query_row(q)) {
		id = oms_query_col_int(q, 0);
		if ((diff = differs(x, q, K_NAME, 1, 1)) != NULL)
			before = before_of(x, q, K_NAME, 1, 1, NULL, NULL);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id > 0 && diff == NULL) {
		x->rep->skipped++;
		return;
	}
	q = oms_query(x->st, id > 0 ? OMS_STMT_IMP_CC_SET : OMS_STMT_IMP_CC_ADD);
	if (id == 0) {
		oms_query_int(q, cust);
		oms_query_text(q, x->v[K_CODE]);
	}
	oms_query_text(q, x->v[K_NAME]);
	if (id > 0)
		oms_query_int(q, id);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (id == 0) {
		id = oms_store_last_id(x->st);
		x->rep->added++;
	} else
		x->rep->updated++;
	audit(x, "cost_centre", id, before);
}

/*
 * The id of the site (stmt OMS_STMT_IMP_SITE_GET) or cost centre
 * (OMS_STMT_IMP_CC_GET) code of customer, cached in m; 0 when the
 * customer has none.
 */
static int64_t
part_id(struct ictx *x, struct map *m, int stmt, int64_t cust,
    const char *code)
{
	char key[128];
	int64_t *v, id = 0;
	struct oms_query *q;
	enum oms_err e;
	size_t n = (size_t)snprintf(key, sizeof(key), "%lld\x1f%s",
	    (long long)cust, code);

	if (n >= sizeof(key))
		return 0;
	if ((v = map_get(m, key, n)) != NULL)
		return *v;
	q = oms_query(x->st, stmt);
	oms_query_int(q, cust);
	oms_query_text(q, code);
	if (oms_query_row(q))
		id = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		x->e = e;
	if (id > 0 && map_put(m, x->a, key, n, id) != OMS_OK)
		x->e = OMS_ERR_NOMEM;
	return id;
}

/*
 * The site or cost centre of column k for customer cust (0: the
 * customer is unknown, and nothing more is said), reported when it is
 * not the customer's, naming whose it is.  0 then.
 */
static int64_t
need_part(struct ictx *x, int k, int64_t cust, int site)
{
	const char *code = x->v[k], *what = site ? "site" : "cost centre";
	struct oms_query *q;
	const char *owner = NULL;
	int64_t id;
	enum oms_err e;

	if (!text(x, k, 32, T_NEED) || cust == 0)
		return 0;
	id = part_id(x, site ? &x->sites : &x->ccs, site ?
	    OMS_STMT_IMP_SITE_GET : OMS_STMT_IMP_CC_GET, cust, code);
	if (id > 0 || x->e != OMS_OK)
		return id;
	q = oms_query(x->st, site ? OMS_STMT_IMP_SITE_OWNER :
	    OMS_STMT_IMP_CC_OWNER);
	oms_query_text(q, code);
	if (oms_query_row(q))
		owner = oms_query_col_dup(q, 0, x->a);
	if ((e = oms_query_end(q)) != OMS_OK)
		x->e = e;
	if (owner != NULL)
		problem(x, cname(x, k), "The %s '%s' is not one of customer "
		    "%s's: it belongs to customer %s.", what, code,
		    x->v[x->custk], owner);
	else
		problem(x, cname(x, k), "Unknown %s '%s' of customer %s.", what,
		    code, x->v[x->custk]);
	return 0;
}

/* The product of code (NULL when unknown), cached. */
static const struct pinfo *
product(struct ictx *x, const char *code)
{
	int64_t *v = map_get(&x->products, code, strlen(code));
	struct oms_query *q;
	struct pinfo p = {0, 0, 0, 0};
	enum oms_err e;

	if (v != NULL)
		return *v < 0 ? NULL : &x->pv[*v];
	q = oms_query(x->st, OMS_STMT_IMP_PRODUCT_GET);
	oms_query_text(q, code);
	if (oms_query_row(q)) {
		const char *t = oms_query_col_text(q, 1);

		p.id = oms_query_col_int(q, 0);
		p.addon = t != NULL && strcmp(t, "addon") == 0;
		p.min_ports = oms_query_col_int(q, 2);
		p.max_ports = oms_query_col_int(q, 3);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return NULL;
	}
	if (p.id > 0) {
		if (x->pn == x->pcap2) {
			size_t want = x->pcap2 ? x->pcap2 * 2 : 64;
			struct pinfo *n = realloc(x->pv, want * sizeof(*n));

			if (n == NULL) {
				x->e = OMS_ERR_NOMEM;
				return NULL;
			}
			x->pv = n;
			x->pcap2 = want;
		}
		x->pv[x->pn] = p;
	}
	if (map_put(&x->products, x->a, code, strlen(code), p.id > 0 ?
	    (int64_t)x->pn : -1) != OMS_OK) {
		x->e = OMS_ERR_NOMEM;
		return NULL;
	}
	return p.id > 0 ? &x->pv[x->pn++] : NULL;
}

/* Remember asset a under tag; its index, or -1 when out of memory. */
static int64_t
remember_asset(struct ictx *x, const char *tag, const struct ainfo *a)
{
	if (x->an == x->acap) {
		size_t want = x->acap ? x->acap * 2 : 1024;
		struct ainfo *n = realloc(x->av, want * sizeof(*n));

		if (n == NULL) {
			x->e = OMS_ERR_NOMEM;
			return -1;
		}
		x->av = n;
		x->acap = want;
	}
	x->av[x->an] = *a;
	if (map_put(&x->assets, x->a, tag, strlen(tag), (int64_t)x->an) !=
	    OMS_OK) {
		x->e = OMS_ERR_NOMEM;
		return -1;
	}
	return (int64_t)x->an++;
}

/* A day column of q (0 for NULL or malformed). */
static int32_t
day_of(struct oms_query *q, int col)
{
	const char *s = oms_query_col_text(q, col);
	int32_t d = 0;

	if (s == NULL || oms_date_parse(s, &d) != OMS_OK)
		return 0;
	return d;
}

/* A possible parent asset by tag (from this file or the database), or
 * NULL when there is none. */
static const struct ainfo *
parent_asset(struct ictx *x, const char *tag)
{
	int64_t *v = map_get(&x->assets, tag, strlen(tag)), i;
	struct oms_query *q;
	struct ainfo a;
	int found = 0;
	enum oms_err e;

	if (v != NULL)
		return &x->av[*v];
	memset(&a, 0, sizeof(a));
	q = oms_query(x->st, OMS_STMT_IMP_ASSET_GET);
	oms_query_text(q, tag);
	if (oms_query_row(q)) {
		const char *t = oms_query_col_text(q, 14);

		found = 1;
		a.id = oms_query_col_int(q, 0);
		a.site = oms_query_col_int(q, 12);
		a.cc = oms_query_col_int(q, 13);
		a.addon = (t != NULL && strcmp(t, "addon") == 0) ||
		    oms_query_col_int(q, 15) > 0;
		a.installed = day_of(q, 10);
		a.removed = day_of(q, 16);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return NULL;
	}
	if (!found || (i = remember_asset(x, tag, &a)) < 0)
		return NULL;
	return &x->av[i];
}

enum {A_TAG, A_CUSTOMER, A_SITE, A_CC, A_PRODUCT, A_PORTS, A_PHONE, A_EXT,
    A_MAILBOX, A_SERIAL, A_INSTALLED, A_PARENT};

/*
 * The row's tag is known already: skipped when the row says what the
 * asset's first state and installation say, else refused (assets
 * change through orders).  Returns 1 when the tag was known.
 */
static int
known_asset(struct ictx *x)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_ASSET_GET);
	const char *diff = NULL;
	int found = 0;
	enum oms_err e;

	oms_query_text(q, x->v[A_TAG]);
	if (oms_query_row(q)) {
		const char *pt = oms_query_col_text(q, 11);
		char ports[24];

		found = 1;
		snprintf(ports, sizeof(ports), "%lld",
		    (long long)oms_query_col_int(q, 5));
		if ((diff = differs(x, q, A_CUSTOMER, 1, 4)) == NULL &&
		    strcmp(ports, x->v[A_PORTS]) != 0)
			diff = cname(x, A_PORTS);
		if (diff == NULL)
			diff = differs(x, q, A_PHONE, 6, 5);
		if (diff == NULL && strcmp(pt ? pt : "", x->v[A_PARENT]) != 0)
			diff = cname(x, A_PARENT);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return 1;
	}
	if (!found)
		return 0;
	if (diff != NULL)
		problem(x, diff, "The asset %s exists with another %s: an asset "
		    "changes through orders, not by import.", x->v[A_TAG], diff);
	else
		x->rep->skipped++;
	return 1;
}

/*
 * An assets row: a new asset installed with its first state
 * (oms_history_install), or skipped when the same row was imported
 * before.
 */
static void
imp_asset(struct ictx *x)
{
	const char *const *v = x->v;
	struct oms_asset_state s;
	const struct pinfo *p = NULL;
	const struct ainfo *par = NULL;
	int64_t cust, ports = 0;
	int32_t day = 0;

	memset(&s, 0, sizeof(s));
	/* A parent may be in the batch: write it first. */
	if (v[A_PARENT][0] != '\0' && x->npend > 0)
		flush_assets(x);
	if (text(x, A_TAG, 40, T_NEED | T_CODE) && !first_in_file(x))
		return;
	cust = need_customer(x, A_CUSTOMER);
	s.site = need_part(x, A_SITE, cust, 1);
	s.cost_centre = need_part(x, A_CC, cust, 0);
	if (text(x, A_PRODUCT, 32, T_NEED) &&
	    (p = product(x, v[A_PRODUCT])) == NULL && x->e == OMS_OK)
		problem(x, cname(x, A_PRODUCT), "Unknown product '%s'.",
		    v[A_PRODUCT]);
	if (p != NULL) {
		if (whole(x, A_PORTS, 0, 1000000000, -1, &ports) &&
		    (ports < p->min_ports || ports > p->max_ports))
			problem(x, cname(x, A_PORTS), "Ports %lld are outside "
			    "the limits of product %s: %lld to %lld.",
			    (long long)ports, v[A_PRODUCT],
			    (long long)p->min_ports, (long long)p->max_ports);
	} else
		whole(x, A_PORTS, 0, 1000000000, -1, &ports);
	text(x, A_PHONE, 32, 0);
	text(x, A_EXT, 16, 0);
	text(x, A_MAILBOX, 16, 0);
	text(x, A_SERIAL, 64, 0);
	if (date(x, A_INSTALLED, &day) && cust > 0)
		backdate_ok(x, A_INSTALLED, cust, day);
	if (v[A_PARENT][0] != '\0') {
		if (!text(x, A_PARENT, 40, T_CODE))
			par = NULL; /* reported */
		else if (p != NULL && !p->addon)
			problem(x, cname(x, A_PARENT), "A parent is given for "
			    "product %s, which is not an add-on.", v[A_PRODUCT]);
		else if ((par = parent_asset(x, v[A_PARENT])) == NULL) {
			if (x->e == OMS_OK)
				problem(x, cname(x, A_PARENT), "Unknown parent "
				    "asset '%s' (a parent comes before its "
				    "add-ons).", v[A_PARENT]);
		} else if (par->addon)
			problem(x, cname(x, A_PARENT), "The parent %s is itself "
			    "an add-on.", v[A_PARENT]);
		else if (day > 0 && (day < par->installed ||
		    (par->removed != 0 && day >= par->removed)))
			problem(x, cname(x, A_PARENT), "The parent %s is not in "
			    "service on %s.", v[A_PARENT], v[A_INSTALLED]);
		else if ((s.site != 0 && s.site != par->site) ||
		    (s.cost_centre != 0 && s.cost_centre != par->cc))
			problem(x, cname(x, s.site != par->site ? A_SITE : A_CC),
			    "An add-on sits at its parent's site and cost "
			    "centre, which %s's are not.", v[A_PARENT]);
	} else if (p != NULL && p->addon)
		problem(x, cname(x, A_PARENT), "Product %s is an add-on: it "
		    "needs a parent_tag.", v[A_PRODUCT]);
	if (x->bad || x->e != OMS_OK)
		return;
	s.product = p->id;
	s.ports = ports;
	s.status = OMS_STATUS_ACTIVE;
	s.valid_from = day;
	s.number = v[A_PHONE][0] ? v[A_PHONE] : NULL;
	s.extension = v[A_EXT][0] ? v[A_EXT] : NULL;
	s.mailbox = v[A_MAILBOX][0] ? v[A_MAILBOX] : NULL;
	s.serial = v[A_SERIAL][0] ? v[A_SERIAL] : NULL;
	if (par == NULL)
		pend_asset(x, &s);
	else if (!known_asset(x))
		install_asset(x, &s, par->id, p->addon);
}

/*
 * Install the asset of the current row (x->v) with its first state s
 * (oms_history_install) and remember it for the add-ons that follow.
 * Counted added, or reported.
 */
static void
install_asset(struct ictx *x, struct oms_asset_state *s, int64_t parent,
    int addon)
{
	struct ainfo me;
	const char *why = NULL;
	int64_t id;
	enum oms_err e;

	e = oms_history_install(x->st, x->v[A_TAG], parent, s, &id, &why);
	if (e == OMS_ERR_CONFLICT || e == OMS_ERR_INVAL) {
		problem(x, cname(x, A_TAG), "%s", why ? why :
		    "The asset could not be installed.");
		return;
	}
	if (e != OMS_OK) {
		x->e = e;
		return;
	}
	x->rep->added++;
	me.id = id;
	me.site = s->site;
	me.cc = s->cost_centre;
	me.installed = s->valid_from;
	me.removed = 0;
	me.addon = addon;
	remember_asset(x, x->v[A_TAG], &me);
}

/*
 * Keep the good row of an asset without a parent (x->v, its first
 * state s) for the next batch; write the batch when it is full.  The
 * row's values are copied into the batch's arena.
 */
static void
pend_asset(struct ictx *x, const struct oms_asset_state *s)
{
	struct apend *p;
	const char **v;

	if (x->pend == NULL && ((x->pend = malloc(OMS_IMP_BATCH *
	    sizeof(*x->pend))) == NULL || (x->ba = oms_arena_new()) == NULL)) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	p = &x->pend[x->npend];
	v = p->v;
	p->line = x->r.line;
	p->rawlen = x->r.rawlen;
	p->raw = oms_arena_strndup(x->ba, x->r.raw, x->r.rawlen);
	for (size_t k = 0; k < x->cols->n; k++)
		if ((v[k] = oms_arena_strdup(x->ba, x->v[k])) == NULL) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
	if (p->raw == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	p->s = *s;
	p->s.number = s->number ? v[A_PHONE] : NULL;
	p->s.extension = s->extension ? v[A_EXT] : NULL;
	p->s.mailbox = s->mailbox ? v[A_MAILBOX] : NULL;
	p->s.serial = s->serial ? v[A_SERIAL] : NULL;
	if (++x->npend == OMS_IMP_BATCH)
		flush_assets(x);
}

/*
 * Write the batch of one full OMS_IMP_BATCH of new assets: the assets
 * in one statement, their ids read back in the order written, their
 * first states in one statement.  Returns 1 when written; 0 when a tag
 * of the batch is taken (nothing written: the caller takes the rows
 * one by one, which says what each one is); x->e on a store failure.
 */
static int
write_batch(struct ictx *x)
{
	struct oms_query *q;
	char d[11];
	size_t i = 0;
	int taken = 0;
	enum oms_err e;

	q = oms_query(x->st, OMS_STMT_IMP_BATCH_TAGS);
	for (i = 0; i < OMS_IMP_BATCH; i++)
		oms_query_text(q, x->pend[i].v[A_TAG]);
	if (oms_query_row(q))
		taken = 1;
	if ((e = oms_query_end(q)) != OMS_OK || taken) {
		x->e = e;
		return 0;
	}
	q = oms_query(x->st, OMS_STMT_IMP_BATCH_ASSETS);
	for (i = 0; i < OMS_IMP_BATCH; i++) {
		const struct oms_asset_state *s = &x->pend[i].s;

		oms_query_int(q, s->site);
		oms_query_int(q, s->cost_centre);
		oms_query_int(q, s->product);
		oms_query_text(q, oms_asset_status_names[s->status]);
		oms_query_int(q, s->ports);
		oms_query_text(q, s->number);
		oms_query_text(q, s->extension);
		oms_query_text(q, s->mailbox);
		oms_query_text(q, s->serial);
		oms_query_text(q, oms_date_format(s->valid_from, d));
		oms_query_text(q, x->pend[i].v[A_TAG]);
	}
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	/* The ids, in the order the rows were written (ascending ids). */
	q = oms_query(x->st, OMS_STMT_IMP_BATCH_TAGS);
	for (i = 0; i < OMS_IMP_BATCH; i++)
		oms_query_text(q, x->pend[i].v[A_TAG]);
	for (i = 0; i < OMS_IMP_BATCH && oms_query_row(q); i++) {
		const char *t = oms_query_col_text(q, 1);

		x->pend[i].s.asset = oms_query_col_int(q, 0);
		if (t == NULL || strcmp(t, x->pend[i].v[A_TAG]) != 0)
			break;
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	if (i != OMS_IMP_BATCH) {
		/* Not the rows just written, in order: cannot be. */
		x->e = OMS_ERR_STORE;
		return 0;
	}
	q = oms_query(x->st, OMS_STMT_IMP_BATCH_STATES);
	for (i = 0; i < OMS_IMP_BATCH; i++) {
		const struct oms_asset_state *s = &x->pend[i].s;

		oms_query_int(q, s->asset);
		oms_query_text(q, oms_date_format(s->valid_from, d));
		oms_query_int(q, s->site);
		oms_query_int(q, s->cost_centre);
		oms_query_int(q, s->product);
		oms_query_int(q, s->ports);
		oms_query_text(q, oms_asset_status_names[s->status]);
		oms_query_text(q, s->number);
		oms_query_text(q, s->extension);
		oms_query_text(q, s->mailbox);
		oms_query_text(q, s->serial);
	}
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	x->rep->added += OMS_IMP_BATCH;
	return 1;
}

/*
 * Write the kept asset rows: a full batch at once when none of its
 * tags is taken, else (and for a last, partial batch) row by row as
 * any asset row: skipped when known with the same values, refused when
 * known with others, else installed.  The batch is empty afterwards.
 */
static void
flush_assets(struct ictx *x)
{
	const char *saved[MAX_COLS], *raw = x->r.raw;
	int64_t line = x->r.line;
	size_t rawlen = x->r.rawlen;

	if (x->npend == 0)
		return;
	if (x->e == OMS_OK && (x->npend < OMS_IMP_BATCH || !write_batch(x))) {
		memcpy(saved, x->v, sizeof(saved));
		for (size_t i = 0; i < x->npend && x->e == OMS_OK; i++) {
			struct apend *p = &x->pend[i];

			memcpy(x->v, p->v, x->cols->n * sizeof(*x->v));
			x->r.line = p->line;
			x->r.raw = p->raw;
			x->r.rawlen = p->rawlen;
			x->bad = 0;
			if (!known_asset(x))
				install_asset(x, &p->s, 0, 0);
		}
		memcpy(x->v, saved, sizeof(saved));
		x->r.line = line;
		x->r.raw = raw;
		x->r.rawlen = rawlen;
	}
	x->npend = 0;
	oms_arena_reset(x->ba);
}

/* After an assets file's last row: write what is kept. */
static void
fin_assets(struct ictx *x)
{
	flush_assets(x);
}

/* ------------------------------------------- 5b. the catalog kinds */

/*
 * Check value k as an amount: an optional minus, digits, and at most
 * two decimals after a point (BILLING.md: "12.50", "-3.00"); no
 * thousands separators, no exponent.  Empty gives *cents -1 when
 * !need.  Amounts below min are refused.  1 when good, 0 after
 * reporting.
 */
static int
money(struct ictx *x, int k, int need, int64_t min, int64_t *cents)
{
	const char *s = x->v[k], *p = s;
	int64_t v = 0, frac = 0;
	int neg = 0, nd = 0, nf = 0;

	if (*s == '\0' && !need) {
		*cents = -1;
		return 1;
	}
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, nd++)
		if (nd < 14)
			v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, nf++)
			if (nf < 2)
				frac = frac * 10 + (*p - '0');
	if (*s == '\0')
		problem(x, cname(x, k), "The %s must not be empty.", cname(x, k));
	else if (strchr(s, ',') != NULL)
		problem(x, cname(x, k), "The %s '%s' has a thousands separator: "
		    "write amounts as 1234.50.", cname(x, k), s);
	else if (*p != '\0' || nd == 0 || (strchr(s, '.') && nf == 0))
		problem(x, cname(x, k), "The %s '%s' is not an amount (a decimal "
		    "with a point, for example 12.50).", cname(x, k), s);
	else if (nf > 2)
		problem(x, cname(x, k), "The %s '%s' has more than 2 decimals: "
		    "amounts are in cents.", cname(x, k), s);
	else if (nd > 13)
		problem(x, cname(x, k), "The %s '%s' is too large.",
		    cname(x, k), s);
	else {
		v = v * 100 + (nf == 1 ? frac * 10 : frac);
		if (neg)
			v = -v;
		if (v < min) {
			problem(x, cname(x, k), "The %s %s must not be negative.",
			    cname(x, k), s);
			return 0;
		}
		*cents = v;
		return 1;
	}
	return 0;
}

/* Write cents as "1234.50" or "-3.00" (no thousands separator: the
 * import format) into buf of 32 bytes; returns buf. */
static char *
money_text(int64_t cents, char *buf)
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents :
	    (uint64_t)cents;

	snprintf(buf, 32, "%s%llu.%02llu", cents < 0 ? "-" : "",
	    (unsigned long long)(a / 100), (unsigned long long)(a % 100));
	return buf;
}

/*
 * Check value k as a tax rate in percent with up to 4 decimals, 0 to
 * 100, into parts per million (9.975 -> 99,750).  1 when good, 0 after
 * reporting.
 */
static int
percent(struct ictx *x, int k, int64_t *ppm)
{
	const char *s = x->v[k], *p = s;
	int64_t v = 0, frac = 0;
	int nd = 0, nf = 0;

	for (; *p >= '0' && *p <= '9'; p++, nd++)
		if (nd < 4)
			v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, nf++)
			if (nf < 4)
				frac = frac * 10 + (*p - '0');
	if (*p != '\0' || nd == 0 || nd > 3 || (strchr(s, '.') && nf == 0)) {
		problem(x, cname(x, k), "The %s '%s' is not a percentage (for "
		    "example 13 or 9.975).", cname(x, k), s);
		return 0;
	}
	if (nf > 4) {
		problem(x, cname(x, k), "The %s '%s' has more than 4 decimals.",
		    cname(x, k), s);
		return 0;
	}
	for (int i = nf; i < 4; i++)
		frac *= 10;
	v = v * 10000 + frac;
	if (v > 1000000) {
		problem(x, cname(x, k), "The %s %s%% is more than 100%%.",
		    cname(x, k), s);
		return 0;
	}
	*ppm = v;
	return 1;
}

/* Write a rate in parts per million as percent ("9.975", "13") into
 * buf of 32 bytes; returns buf. */
static char *
percent_text(int64_t ppm, char *buf)
{
	int n;

	n = snprintf(buf, 32, "%lld.%04lld", (long long)(ppm / 10000),
	    (long long)(ppm % 10000));
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

/* Check value k as a code of at most max characters without spaces
 * (product codes, units, tax codes), need: not empty.  1 when good. */
static int
code(struct ictx *x, int k, size_t max, int need)
{
	const char *s = x->v[k];

	if (!text(x, k, max, need ? T_NEED : 0))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7F) {
			problem(x, cname(x, k), "The %s '%s' holds a space.",
			    cname(x, k), x->v[k]);
			return 0;
		}
	return 1;
}

/* The product of column k, reported when empty or unknown; NULL then. */
static const struct pinfo *
need_product(struct ictx *x, int k)
{
	const struct pinfo *p;

	if (!text(x, k, 32, T_NEED))
		return NULL;
	if ((p = product(x, x->v[k])) == NULL && x->e == OMS_OK)
		problem(x, cname(x, k), "Unknown product '%s'.", x->v[k]);
	return p;
}

/*
 * Count the outcome of a catalog write for a row: e OMS_OK with added
 * (1: a new fact, 0: the same fact again, skipped); OMS_ERR_CONFLICT
 * and OMS_ERR_INVAL reported in column k with why (or dflt); any other
 * error is the store's and stops the file.
 */
static void
outcome(struct ictx *x, enum oms_err e, int added, int k, const char *why,
    const char *dflt)
{
	if (e == OMS_OK)
		added ? x->rep->added++ : x->rep->skipped++;
	else if (e == OMS_ERR_CONFLICT || e == OMS_ERR_INVAL ||
	    e == OMS_ERR_NOTFOUND)
		problem(x, cname(x, k), "%s", why ? why : dflt);
	else
		x->e = e;
}

enum {P_CODE, P_NAME, P_TYPE, P_CHARGE, P_UNIT};

/* A products row: added, updated (audited, by oms_product_put) or
 * skipped; a type or charge change of a product with assets refused. */
static void
imp_product(struct ictx *x)
{
	const char *const *v = x->v;
	struct oms_product p;
	struct oms_query *q;
	int64_t id = 0;
	int same = 0, type_same = 1, known = 0;
	const char *why = NULL;
	enum oms_err e;

	memset(&p, 0, sizeof(p));
	code(x, P_CODE, 32, 1);
	text(x, P_NAME, 200, T_NEED);
	if ((p.type = oms_product_type_lookup(v[P_TYPE])) < 0)
		problem(x, cname(x, P_TYPE), "The asset_type '%s' is not one of "
		    "line, set, mailbox, addon.", v[P_TYPE]);
	if (oms_charge_lookup(v[P_CHARGE]) < 0)
		problem(x, cname(x, P_CHARGE), "The charge '%s' is not one of "
		    "flat, per_port.", v[P_CHARGE]);
	code(x, P_UNIT, 16, 0);
	if (x->bad || !first_in_file(x))
		return;
	p.code = v[P_CODE];
	p.name = v[P_NAME];
	p.charge = (enum oms_charge)oms_charge_lookup(v[P_CHARGE]);
	p.usage_unit = v[P_UNIT];
	p.min_ports = 0;
	p.max_ports = 1000;
	q = oms_query(x->st, OMS_STMT_IMP_PRODUCT_FULL);
	oms_query_text(q, v[P_CODE]);
	if (oms_query_row(q)) {
		const char *t = oms_query_col_text(q, 2);
		const char *c = oms_query_col_text(q, 3);

		id = oms_query_col_int(q, 0);
		known = 1;
		p.min_ports = oms_query_col_int(q, 5);
		p.max_ports = oms_query_col_int(q, 6);
		type_same = t != NULL && strcmp(t, v[P_TYPE]) == 0;
		same = type_same && c != NULL && strcmp(c, v[P_CHARGE]) == 0 &&
		    differs(x, q, P_NAME, 1, 1) == NULL &&
		    differs(x, q, P_UNIT, 4, 1) == NULL;
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	if (same) {
		x->rep->skipped++;
		return;
	}
	e = oms_product_put(x->st, x->o->actor, &p, &id, &why);
	if (e == OMS_ERR_CONFLICT || e == OMS_ERR_INVAL) {
		problem(x, cname(x, type_same ? P_CHARGE : P_TYPE), "%s",
		    why ? why : "The product could not be saved.");
		return;
	}
	if (e != OMS_OK) {
		x->e = e;
		return;
	}
	if (known)
		x->rep->updated++;
	else
		x->rep->added++;
}

enum {PR_PRODUCT, PR_FROM, PR_MONTHLY};

/* A prices row: a new monthly price of a product from a date, skipped
 * when the same, refused when the product has another from that date. */
static void
imp_price(struct ictx *x)
{
	const struct pinfo *p = need_product(x, PR_PRODUCT);
	int64_t cents = 0;
	int32_t day;
	int added = 0;
	enum oms_err e;

	date(x, PR_FROM, &day);
	money(x, PR_MONTHLY, 1, 0, &cents);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	e = oms_price_add(x->st, x->o->actor, p->id, x->v[PR_FROM], cents,
	    &added);
	outcome(x, e, added, PR_MONTHLY, e == OMS_ERR_CONFLICT ?
	    oms_arena_printf(x->a, "Product %s has another monthly price from "
	    "%s: a price is never rewritten.", x->v[PR_PRODUCT],
	    x->v[PR_FROM]) : NULL, "The price was refused.");
}

enum {U_PRODUCT, U_FROM, U_UNIT, U_INCLUDED, U_TIERS};

/* A usage-prices row: unit, included units and graduated tiers of a
 * product from a date; skipped or refused like prices. */
static void
imp_usage_price(struct ictx *x)
{
	const struct pinfo *p = need_product(x, U_PRODUCT);
	struct oms_usage_price u;
	const char *why = NULL;
	int32_t day;
	int added = 0;
	enum oms_err e;

	memset(&u, 0, sizeof(u));
	date(x, U_FROM, &day);
	code(x, U_UNIT, 16, 1);
	whole(x, U_INCLUDED, 0, INT64_C(999999999999), 0, &u.included);
	e = oms_usage_tiers_parse(x->a, x->v[U_TIERS], &u.tiers, &u.ntiers,
	    &why);
	if (e == OMS_ERR_NOMEM) {
		x->e = e;
		return;
	}
	if (e != OMS_OK)
		problem(x, cname(x, U_TIERS), "The tiers '%s' are bad: %s",
		    x->v[U_TIERS], why ? why : "from:rate;from:rate.");
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	u.product = p->id;
	u.valid_from = x->v[U_FROM];
	u.unit = x->v[U_UNIT];
	e = oms_usage_price_add(x->st, x->o->actor, &u, &added, &why);
	outcome(x, e, added, e == OMS_ERR_CONFLICT ? U_TIERS : U_PRODUCT,
	    why ? oms_arena_printf(x->a, "Product %s from %s: %s",
	    x->v[U_PRODUCT], x->v[U_FROM], why) : NULL,
	    "The usage price was refused.");
}

enum {F_ACTION, F_PRODUCT, F_FROM, F_AMOUNT};

/* A fees row: the one-time fee of an action for a product (empty: any
 * product) from a date; skipped or refused like prices. */
static void
imp_fee(struct ictx *x)
{
	const struct pinfo *p = NULL;
	struct oms_fee f;
	int32_t day;
	int added = 0, act;
	enum oms_err e;

	memset(&f, 0, sizeof(f));
	if ((act = oms_mac_lookup(x->v[F_ACTION])) < 0)
		problem(x, cname(x, F_ACTION), "The action '%s' is not one of "
		    "add, move, change, disconnect, addon.", x->v[F_ACTION]);
	if (x->v[F_PRODUCT][0] != '\0')
		p = need_product(x, F_PRODUCT);
	date(x, F_FROM, &day);
	money(x, F_AMOUNT, 1, 0, &f.amount_cents);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	f.action = (enum oms_mac)act;
	f.product = p != NULL ? p->id : 0;
	f.valid_from = x->v[F_FROM];
	e = oms_fee_add(x->st, x->o->actor, &f, &added);
	outcome(x, e, added, F_AMOUNT, e == OMS_ERR_CONFLICT ?
	    oms_arena_printf(x->a, "There is another %s fee for %s from %s: "
	    "a price is never rewritten.", x->v[F_ACTION], p ? x->v[F_PRODUCT] :
	    "any product", x->v[F_FROM]) : NULL, "The fee was refused.");
}

enum {CP_CUSTOMER, CP_PRODUCT, CP_FROM, CP_TO, CP_MONTHLY};

/* A contract-prices row: a customer's monthly price of a product from
 * a date, to a date (excluded) or open; skipped or refused like
 * prices. */
static void
imp_contract_price(struct ictx *x)
{
	struct oms_contract_price c;
	const struct pinfo *p;
	const char *why = NULL;
	int32_t from = 0, to = 0;
	int added = 0;
	enum oms_err e;

	memset(&c, 0, sizeof(c));
	c.customer = need_customer(x, CP_CUSTOMER);
	p = need_product(x, CP_PRODUCT);
	if (date(x, CP_FROM, &from) && c.customer > 0)
		backdate_ok(x, CP_FROM, c.customer, from);
	if (x->v[CP_TO][0] != '\0' && date(x, CP_TO, &to) && from > 0 &&
	    to <= from)
		problem(x, cname(x, CP_TO), "The valid_to %s is not after the "
		    "valid_from %s.", x->v[CP_TO], x->v[CP_FROM]);
	money(x, CP_MONTHLY, 1, 0, &c.monthly_cents);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	c.product = p->id;
	c.valid_from = x->v[CP_FROM];
	c.valid_to = x->v[CP_TO][0] ? x->v[CP_TO] : NULL;
	e = oms_contract_price_add(x->st, x->o->actor, &c, &added, &why);
	outcome(x, e, added, CP_MONTHLY, why, "The contract price was refused.");
}

enum {TX_JURISDICTION, TX_TAX, TX_FROM, TX_RATE};

/* A tax-rates row: a tax of a jurisdiction from a date, its rate in
 * percent; skipped or refused like prices. */
static void
imp_tax_rate(struct ictx *x)
{
	const char *j = x->v[TX_JURISDICTION];
	struct oms_tax_rate t;
	size_t n = strlen(j), i;
	int32_t day;
	int added = 0;
	enum oms_err e;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < n; i++)
		if (i == 2 ? j[i] != '-' : !((j[i] >= 'A' && j[i] <= 'Z') ||
		    (i > 2 && j[i] >= '0' && j[i] <= '9')))
			break;
	if (n < 4 || n > 6 || i < n)
		problem(x, cname(x, TX_JURISDICTION), "The jurisdiction '%s' is "
		    "not country-region (for example CA-ON).", j);
	code(x, TX_TAX, 16, 1);
	date(x, TX_FROM, &day);
	percent(x, TX_RATE, &t.rate_ppm);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	t.jurisdiction = j;
	t.tax = x->v[TX_TAX];
	t.valid_from = x->v[TX_FROM];
	e = oms_tax_rate_add(x->st, x->o->actor, &t, &added);
	outcome(x, e, added, TX_RATE, e == OMS_ERR_CONFLICT ?
	    oms_arena_printf(x->a, "%s %s has another rate from %s: a rate is "
	    "never rewritten.", j, x->v[TX_TAX], x->v[TX_FROM]) : NULL,
	    "The tax rate was refused.");
}

/* ------------------------------------------------------- 5c. orders */

enum {O_REF, O_LINE, O_ACTION, O_CUSTOMER, O_TAG, O_SITE, O_CC, O_PRODUCT,
    O_PORTS, O_PHONE, O_EXT, O_MAILBOX, O_SERIAL, O_PARENT, O_REQUESTED,
    O_COMPLETED, O_FEE, O_REASON, O__N};

/*
 * An orders row: checked on its own, then kept (with its order, by
 * order_ref) until the whole file is read; fin_orders records them.
 * The rows of one order agree on customer, requested_on and
 * completed_on.
 */
static void
imp_order(struct ictx *x)
{
	const char *const *v = x->v;
	struct orow r;
	struct ogroup *g = NULL;
	const struct pinfo *p = NULL;
	int64_t cust, no = 0, *gi;
	int32_t req = 0, done = 0;
	int act;

	memset(&r, 0, sizeof(r));
	text(x, O_REF, 32, T_NEED | T_CODE);
	whole(x, O_LINE, 1, 500, -1, &no);
	if ((act = oms_mac_lookup(v[O_ACTION])) < 0)
		problem(x, cname(x, O_ACTION), "The action '%s' is not one of "
		    "add, move, change, disconnect, addon.", v[O_ACTION]);
	cust = need_customer(x, O_CUSTOMER);
	/* Its order (by order_ref): the rows agree on what is the
	 * order's. */
	if ((gi = map_get(&x->orders, v[O_REF], strlen(v[O_REF]))) != NULL) {
		const char **f;

		g = &x->og[*gi];
		f = x->orows[g->first].v;
		for (int k = O_CUSTOMER; k <= O_COMPLETED; k++)
			if ((k == O_CUSTOMER || k == O_REQUESTED ||
			    k == O_COMPLETED) && strcmp(f[k], v[k]) != 0)
				problem(x, cname(x, k), "The rows of order %s "
				    "disagree on the %s: line %lld says '%s'.",
				    v[O_REF], cname(x, k),
				    (long long)x->orows[g->first].line, f[k]);
	}
	if (text(x, O_TAG, 40, T_CODE) && v[O_TAG][0] == '\0')
		problem(x, cname(x, O_TAG), act == OMS_MAC_ADD || act ==
		    OMS_MAC_ADDON ? "An %s line names the new asset's tag." :
		    "A %s line names the asset it acts on by its tag.",
		    v[O_ACTION]);
	if (v[O_SITE][0] != '\0')
		r.site = need_part(x, O_SITE, cust, 1);
	else if (act == OMS_MAC_ADD)
		problem(x, cname(x, O_SITE), "An add line needs the site.");
	if (v[O_CC][0] != '\0')
		r.cc = need_part(x, O_CC, cust, 0);
	else if (act == OMS_MAC_ADD)
		problem(x, cname(x, O_CC), "An add line needs the cost centre.");
	if (v[O_PRODUCT][0] != '\0') {
		if ((p = need_product(x, O_PRODUCT)) != NULL)
			r.product = p->id;
	} else if (act == OMS_MAC_ADD || act == OMS_MAC_ADDON)
		problem(x, cname(x, O_PRODUCT), "An %s line needs the product.",
		    v[O_ACTION]);
	r.ports = -1;
	if (v[O_PORTS][0] != '\0')
		whole(x, O_PORTS, 0, 1000000000, -1, &r.ports);
	text(x, O_PHONE, 32, 0);
	text(x, O_EXT, 16, 0);
	text(x, O_MAILBOX, 16, 0);
	text(x, O_SERIAL, 64, 0);
	if (act == OMS_MAC_ADDON) {
		if (text(x, O_PARENT, 40, T_CODE) && v[O_PARENT][0] == '\0')
			problem(x, cname(x, O_PARENT), "An addon line names its "
			    "parent asset by parent_tag.");
	} else if (v[O_PARENT][0] != '\0')
		problem(x, cname(x, O_PARENT), "Only an addon line has a "
		    "parent_tag.");
	date(x, O_REQUESTED, &req);
	if (v[O_COMPLETED][0] != '\0' && date(x, O_COMPLETED, &done)) {
		char d[11];

		if (done > x->o->today)
			problem(x, cname(x, O_COMPLETED), "The completion date %s "
			    "is after the business date %s.", v[O_COMPLETED],
			    oms_date_format(x->o->today, d));
		else if (done < x->o->today - x->o->backdate_days)
			problem(x, cname(x, O_COMPLETED), "The completion date %s "
			    "is more than %d days before the business date %s.",
			    v[O_COMPLETED], x->o->backdate_days,
			    oms_date_format(x->o->today, d));
	}
	if (money(x, O_FEE, 0, 0, &r.fee) && r.fee >= 0 &&
	    text(x, O_REASON, 200, 0) && v[O_REASON][0] == '\0')
		problem(x, cname(x, O_REASON), "A fee_override needs a reason.");
	if (r.fee < 0)
		text(x, O_REASON, 200, 0);
	if (!x->bad && x->e == OMS_OK)
		first_in_file(x);
	if (x->bad || x->e != OMS_OK) {
		/* Its order is not recorded: its other problems would only
		 * follow from this one. */
		if (map_put(&x->badrefs, x->a, v[O_REF], strlen(v[O_REF]), 1) !=
		    OMS_OK)
			x->e = OMS_ERR_NOMEM;
		return;
	}
	r.line = x->r.line;
	r.raw = oms_arena_strndup(x->a, x->r.raw, x->r.rawlen);
	r.rawlen = x->r.rawlen;
	r.line_no = (int)no;
	r.action = (enum oms_mac)act;
	r.next = -1;
	if ((r.v = oms_arena_alloc(x->a, O__N * sizeof(*r.v))) == NULL ||
	    r.raw == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	for (int k = 0; k < O__N; k++)
		if ((r.v[k] = oms_arena_strdup(x->a, v[k])) == NULL) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
	if (x->on == x->ocap) {
		size_t want = x->ocap ? x->ocap * 2 : 64;
		struct orow *n = realloc(x->orows, want * sizeof(*n));

		if (n == NULL) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
		x->orows = n;
		x->ocap = want;
	}
	x->orows[x->on] = r;
	if (g == NULL) {
		if (x->ogn == x->ogcap) {
			size_t want = x->ogcap ? x->ogcap * 2 : 16;
			struct ogroup *n = realloc(x->og, want * sizeof(*n));

			if (n == NULL) {
				x->e = OMS_ERR_NOMEM;
				return;
			}
			x->og = n;
			x->ogcap = want;
		}
		g = &x->og[x->ogn];
		g->first = (int64_t)x->on;
		g->n = 0;
		g->customer = cust;
		g->done = done;
		if (map_put(&x->orders, x->a, v[O_REF], strlen(v[O_REF]),
		    (int64_t)x->ogn++) != OMS_OK) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
	} else
		x->orows[g->last].next = (int64_t)x->on;
	g->last = (int64_t)x->on++;
	g->n++;
}

/* Report a problem of kept row r, in column k (-1: the whole row). */
static void __attribute__((format(printf, 4, 5)))
row_problem(struct ictx *x, const struct orow *r, int k, const char *fmt, ...)
{
	const char *raw = x->r.raw;
	int64_t line = x->r.line;
	size_t rawlen = x->r.rawlen;
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	x->r.raw = r->raw;
	x->r.line = r->line;
	x->r.rawlen = r->rawlen;
	x->bad = 0;
	problem(x, k >= 0 ? cname(x, k) : "", "%s", buf);
	x->r.raw = raw;
	x->r.line = line;
	x->r.rawlen = rawlen;
}

/* The rows of order g, by line number, in rows[0..g->n-1] (malloc'd;
 * NULL when out of memory). */
static const struct orow **
order_rows(struct ictx *x, const struct ogroup *g)
{
	const struct orow **rows = calloc(g->n, sizeof(*rows));
	size_t i = 0;

	if (rows == NULL)
		return NULL;
	for (int64_t k = g->first; k >= 0; k = x->orows[k].next) {
		const struct orow *r = &x->orows[k];
		size_t j = i++;

		while (j > 0 && rows[j - 1]->line_no > r->line_no) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = r;
	}
	return rows;
}

/*
 * Whether order ref exists: 0 when not; 1 when it does with the same
 * rows (what its lines say, as export writes them; an empty site, cost
 * centre, product or ports of the file stands for what the order
 * filled in); -1 after reporting that it exists with other rows.
 */
static int
order_known(struct ictx *x, const struct orow **rows, size_t n)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_ORDER_ROWS);
	size_t i = 0;
	int bad = -1, badk = -1;
	enum oms_err e;

	oms_query_text(q, rows[0]->v[O_REF]);
	while (oms_query_row(q)) {
		if (i >= n) {
			bad = (int)n - 1;
			i++;
			continue;
		}
		for (int k = 0; bad < 0 && k < O__N; k++) {
			const char *d = oms_query_col_text(q, k), *f = rows[i]->v[k];
			int64_t num = d == NULL ? -1 : oms_query_col_int(q, k);
			int differ;

			if (*f == '\0' && (k == O_SITE || k == O_CC ||
			    k == O_PRODUCT || k == O_PORTS))
				continue;
			/* Numbers as numbers: "5" and "5.00" are one fee. */
			if (k == O_LINE)
				differ = num != rows[i]->line_no;
			else if (k == O_PORTS)
				differ = num != rows[i]->ports;
			else if (k == O_FEE)
				differ = num != rows[i]->fee;
			else
				differ = strcmp(d ? d : "", f) != 0;
			if (differ) {
				bad = (int)i;
				badk = k;
			}
		}
		i++;
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return -1;
	}
	if (i == 0)
		return 0;
	if (i != n && bad < 0)
		bad = 0;
	if (bad < 0)
		return 1;
	row_problem(x, rows[bad], badk, "The order %s was imported before "
	    "with other %s: an order is imported once.", rows[0]->v[O_REF],
	    badk >= 0 ? "values" : "lines");
	return -1;
}

/* The id of the asset tagged tag (0: none) and its customer. */
static int64_t
asset_by_tag(struct ictx *x, const char *tag, int64_t *customer)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_ASSET_ID);
	int64_t id = 0;
	enum oms_err e;

	*customer = 0;
	oms_query_text(q, tag);
	if (oms_query_row(q)) {
		id = oms_query_col_int(q, 0);
		*customer = oms_query_col_int(q, 1);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		x->e = e;
	return id;
}

/* Report the domain's refusal why of order rows[] in column k: at the
 * row of the line it names ("Line N: ..."), else at the first row. */
static void
order_refused(struct ictx *x, const struct orow **rows, size_t n, int k,
    const char *what, const char *why)
{
	const struct orow *r = rows[0];

	if (why != NULL && strncmp(why, "Line ", 5) == 0) {
		long no = strtol(why + 5, NULL, 10);

		for (size_t i = 0; i < n; i++)
			if (rows[i]->line_no == no) {
				r = rows[i];
				k = -1;
			}
	}
	row_problem(x, r, k, "Order %s %s: %s", rows[0]->v[O_REF], what,
	    why ? why : "refused.");
}

/*
 * Record order rows[0..n-1] of customer: created with its reference
 * and lines, submitted, and when completed_on is given approved,
 * scheduled and completed on that date, as the administrator (the
 * bulk path for work done in the field).  Problems are reported.
 */
static void
record_order(struct ictx *x, const struct orow **rows, size_t n,
    int64_t customer)
{
	const char *const *f = rows[0]->v;
	struct oms_principal who;
	struct oms_order_ctx ctx;
	struct oms_order in;
	struct oms_order_line *l;
	struct oms_order_act args;
	const char *why = NULL, *state = NULL;
	int64_t id = 0, version = 1, c;
	enum oms_verb verb;
	enum oms_err e;
	int ok = 1;

	for (size_t i = 0; i < n; i++)
		if (rows[i]->line_no != (int)i + 1) {
			row_problem(x, rows[i], O_LINE, "The lines of order %s are "
			    "numbered 1, 2, ... without gaps; this is line %d.",
			    f[O_REF], rows[i]->line_no);
			return;
		}
	if (strncmp(f[O_REF], "ORD", 3) == 0 && f[O_REF][3] != '\0' &&
	    strspn(f[O_REF] + 3, "0123456789") == strlen(f[O_REF] + 3)) {
		row_problem(x, rows[0], O_REF, "The order_ref %s has the form of "
		    "OMS's own series (ORD followed by digits): an imported "
		    "order needs a reference of its own.", f[O_REF]);
		return;
	}
	if ((l = oms_arena_alloc(x->a, n * sizeof(*l))) == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	memset(l, 0, n * sizeof(*l));
	for (size_t i = 0; i < n; i++) {
		const struct orow *r = rows[i];
		const char *const *v = r->v;
		int64_t aid = 0;

		l[i].line_no = r->line_no;
		l[i].action = r->action;
		l[i].site = r->site;
		l[i].cost_centre = r->cc;
		l[i].product = r->product;
		l[i].ports = r->ports;
		l[i].number = v[O_PHONE][0] ? v[O_PHONE] : NULL;
		l[i].extension = v[O_EXT][0] ? v[O_EXT] : NULL;
		l[i].mailbox = v[O_MAILBOX][0] ? v[O_MAILBOX] : NULL;
		l[i].serial = v[O_SERIAL][0] ? v[O_SERIAL] : NULL;
		l[i].fee_override = r->fee;
		l[i].override_reason = r->fee >= 0 ? v[O_REASON] : NULL;
		aid = asset_by_tag(x, v[O_TAG], &c);
		if (x->e != OMS_OK)
			return;
		if (r->action == OMS_MAC_ADD || r->action == OMS_MAC_ADDON) {
			l[i].asset_tag = v[O_TAG];
			if (aid > 0) {
				row_problem(x, r, O_TAG, "The asset tag %s is taken.",
				    v[O_TAG]);
				ok = 0;
			}
		} else if (aid == 0 || c != customer) {
			row_problem(x, r, O_TAG, aid == 0 ? "Unknown asset '%s' "
			    "(an asset comes before the orders on it)." :
			    "The asset %s is not one of customer %s's.",
			    v[O_TAG], v[O_CUSTOMER]);
			ok = 0;
		} else
			l[i].asset = aid;
		if (r->action == OMS_MAC_ADDON) {
			l[i].parent = asset_by_tag(x, v[O_PARENT], &c);
			if (x->e != OMS_OK)
				return;
			if (l[i].parent == 0 || c != customer) {
				row_problem(x, r, O_PARENT, l[i].parent == 0 ?
				    "Unknown parent asset '%s'." : "The parent "
				    "%s is not one of customer %s's.",
				    v[O_PARENT], v[O_CUSTOMER]);
				ok = 0;
			}
		}
	}
	if (!ok)
		return;
	memset(&who, 0, sizeof(who));
	who.role = OMS_ROLE_ADMIN;
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = x->a;
	ctx.actor = x->o->actor;
	ctx.who = &who;
	ctx.today = x->o->today;
	ctx.backdate_days = x->o->backdate_days;
	memset(&in, 0, sizeof(in));
	in.ref = f[O_REF];
	in.customer = customer;
	in.requested_on = f[O_REQUESTED];
	in.notes = "";
	in.lines = l;
	in.nlines = n;
	e = oms_order_create_in(x->st, &ctx, &in, &id, &why);
	if (e == OMS_OK) {
		e = oms_order_act_in(x->st, &ctx, id, version++,
		    OMS_VERB_SUBMIT, NULL, &why);
		verb = OMS_VERB_SUBMIT;
	} else
		verb = OMS_VERB_EDIT;
	memset(&args, 0, sizeof(args));
	args.date = f[O_COMPLETED];
	/* Approve (twice for a customer that approves first), schedule and
	 * complete, each from the state the last verb led to. */
	while (e == OMS_OK && f[O_COMPLETED][0] != '\0') {
		struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_ORDER_STATE);

		oms_query_int(q, id);
		if (oms_query_row(q)) {
			state = oms_query_col_dup(q, 0, x->a);
			version = oms_query_col_int(q, 1);
		}
		if ((e = oms_query_end(q)) != OMS_OK || state == NULL)
			break;
		if (strcmp(state, "completed") == 0)
			break;
		verb = strcmp(state, "scheduled") == 0 ? OMS_VERB_COMPLETE :
		    strcmp(state, "approved") == 0 ? OMS_VERB_SCHEDULE :
		    OMS_VERB_APPROVE;
		e = oms_order_act_in(x->st, &ctx, id, version, verb, &args,
		    &why);
	}
	if (e == OMS_ERR_INVAL || e == OMS_ERR_CONFLICT ||
	    e == OMS_ERR_DENIED || e == OMS_ERR_NOTFOUND) {
		order_refused(x, rows, n, verb == OMS_VERB_COMPLETE ?
		    O_COMPLETED : O_REF, verb == OMS_VERB_EDIT ? "was refused" :
		    oms_arena_printf(x->a, "could not %s",
		    oms_verb_names[verb]), why);
		return;
	}
	if (e != OMS_OK) {
		x->e = e;
		return;
	}
	x->rep->added += (int64_t)n;
}

/* qsort order of orders: completed ones by completion date, then
 * those that wait in the workflow; ties in file order. */
static int
order_cmp(const void *pa, const void *pb)
{
	const struct ogroup *a = pa, *b = pb;

	if (a->done != b->done)
		return a->done == 0 ? 1 : b->done == 0 ? -1 :
		    a->done < b->done ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

/*
 * After an orders file's last row: each order, skipped when imported
 * before with the same rows, else recorded.  Completed orders go first,
 * by completion date (history is extended in date order whatever the
 * file's order, so an exported file, in reference order, imports
 * again), then the orders that wait in the workflow; ties in file
 * order.
 */
static void
fin_orders(struct ictx *x)
{
	if (x->ogn > 1)
		qsort(x->og, x->ogn, sizeof(*x->og), order_cmp);
	for (size_t i = 0; i < x->ogn && x->e == OMS_OK; i++) {
		const struct ogroup *g = &x->og[i];
		const struct orow **rows = order_rows(x, g);
		int k;

		if (rows == NULL) {
			x->e = OMS_ERR_NOMEM;
			return;
		}
		if (map_get(&x->badrefs, rows[0]->v[O_REF],
		    strlen(rows[0]->v[O_REF])) != NULL)
			k = -1;
		else if ((k = order_known(x, rows, g->n)) > 0)
			x->rep->skipped += (int64_t)g->n;
		else if (k == 0)
			record_order(x, rows, g->n, g->customer);
		free(rows);
	}
}

/* ------------------------------------ 5d. usage, payments, adjustments */

/*
 * The rules of the business date for a new fact of customer dated day
 * (column k): never after the business date, and within the
 * back-dating limit when in a period already invoiced to the customer.
 * Checked only for a fact that is not known yet: one imported before
 * with the same values is skipped whatever the business date is now
 * (it changes nothing; a switch re-sending old usage is not refused).
 * 1 when good, 0 after reporting.
 */
static int
fact_when(struct ictx *x, int k, int64_t customer, int32_t day)
{
	char d[11];

	if (day > x->o->today) {
		problem(x, cname(x, k), "The %s %s is after the business date "
		    "%s.", cname(x, k), x->v[k], oms_date_format(x->o->today, d));
		return 0;
	}
	return backdate_ok(x, k, customer, day);
}

/* The asset of tag for a usage record (NULL when unknown), cached. */
static const struct ainfo *
usage_asset(struct ictx *x, const char *tag)
{
	int64_t *v = map_get(&x->assets, tag, strlen(tag)), i;
	struct oms_query *q;
	struct ainfo a;
	int found = 0;
	enum oms_err e;

	if (v != NULL)
		return *v < 0 ? NULL : &x->av[*v];
	memset(&a, 0, sizeof(a));
	q = oms_query(x->st, OMS_STMT_IMP_USAGE_ASSET);
	oms_query_text(q, tag);
	if (oms_query_row(q)) {
		found = 1;
		a.id = oms_query_col_int(q, 0);
		a.customer = oms_query_col_int(q, 1);
		a.installed = day_of(q, 2);
		a.removed = day_of(q, 3);
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return NULL;
	}
	if (!found) {
		if (map_put(&x->assets, x->a, tag, strlen(tag), -1) != OMS_OK)
			x->e = OMS_ERR_NOMEM;
		return NULL;
	}
	if ((i = remember_asset(x, tag, &a)) < 0)
		return NULL;
	return &x->av[i];
}

enum {UR_RECORD, UR_TAG, UR_DATE, UR_QUANTITY};

static void flush_usage(struct ictx *);

/*
 * A usage row: a whole quantity of an asset known and in service on
 * its date (installed_on <= date < removed_on).  A good row is kept
 * for a batch; flush_usage writes it (when its date keeps the rules of
 * the business date, fact_when), skips it (the same record again) or
 * refuses it (the same record_id with other values: usage re-sent is
 * never billed twice).
 */
static void
imp_usage(struct ictx *x)
{
	const char *const *v = x->v;
	const struct ainfo *a = NULL;
	struct upend *p;
	int64_t qty = 0;
	int32_t day = 0;
	int dated;

	text(x, UR_RECORD, 64, T_NEED | T_CODE);
	if (text(x, UR_TAG, 40, T_NEED | T_CODE) &&
	    (a = usage_asset(x, v[UR_TAG])) == NULL && x->e == OMS_OK)
		problem(x, cname(x, UR_TAG), "Unknown asset '%s'.", v[UR_TAG]);
	dated = date(x, UR_DATE, &day);
	if (a != NULL && dated && (day < a->installed ||
	    (a->removed != 0 && day >= a->removed)))
		problem(x, cname(x, UR_DATE), "The asset %s is not in service "
		    "on %s: usage is recorded only while an asset is.",
		    v[UR_TAG], v[UR_DATE]);
	whole(x, UR_QUANTITY, 0, INT64_C(999999999999), -1, &qty);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	if (x->upend == NULL && ((x->upend = malloc(OMS_IMP_BATCH *
	    sizeof(*x->upend))) == NULL || (x->ba == NULL &&
	    (x->ba = oms_arena_new()) == NULL))) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	p = &x->upend[x->nupend];
	p->line = x->r.line;
	p->rawlen = x->r.rawlen;
	p->raw = oms_arena_strndup(x->ba, x->r.raw, x->r.rawlen);
	for (int k = 0; k < 4; k++)
		if ((p->v[k] = oms_arena_strdup(x->ba, v[k])) == NULL)
			p->raw = NULL;
	if (p->raw == NULL) {
		x->e = OMS_ERR_NOMEM;
		return;
	}
	p->asset = a->id;
	p->customer = a->customer;
	p->quantity = qty;
	p->day = day;
	if (++x->nupend == OMS_IMP_BATCH)
		flush_usage(x);
}

/* Make kept usage row p the current row (its line, text and values),
 * for its checks and problems; flush_usage puts the current row back. */
static void
use_row(struct ictx *x, const struct upend *p)
{
	x->r.line = p->line;
	x->r.raw = p->raw;
	x->r.rawlen = p->rawlen;
	for (int k = 0; k < 4; k++)
		x->v[k] = p->v[k];
	x->bad = 0;
}

/*
 * Kept usage row p (the current row, use_row), one at a time: skipped
 * when its record_id is known with the same asset, date and quantity,
 * refused when known with others, else written when its date keeps the
 * rules of the business date.  Returns 1 when written.
 */
static int
usage_one(struct ictx *x, const struct upend *p)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_USAGE_GET);
	const char *diff = NULL, *was = NULL;
	int found = 0;
	enum oms_err e;

	oms_query_text(q, p->v[UR_RECORD]);
	if (oms_query_row(q)) {
		const char *d = oms_query_col_text(q, 1);

		found = 1;
		if (oms_query_col_int(q, 0) != p->asset) {
			diff = cname(x, UR_TAG);
			was = oms_query_col_dup(q, 3, x->a);
		} else if (d == NULL || strcmp(d, p->v[UR_DATE]) != 0) {
			diff = cname(x, UR_DATE);
			was = oms_query_col_dup(q, 1, x->a);
		} else if (oms_query_col_int(q, 2) != p->quantity) {
			diff = cname(x, UR_QUANTITY);
			was = oms_arena_printf(x->a, "%lld",
			    (long long)oms_query_col_int(q, 2));
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	if (found && diff == NULL) {
		x->rep->skipped++;
		return 0;
	}
	if (found) {
		problem(x, diff, "The usage record %s was imported before with "
		    "%s %s: a record is imported once, and usage re-sent is "
		    "never billed twice.", p->v[UR_RECORD], diff,
		    was ? was : "");
		return 0;
	}
	if (!fact_when(x, UR_DATE, p->customer, p->day))
		return 0;
	q = oms_query(x->st, OMS_STMT_IMP_USAGE_ADD);
	oms_query_text(q, p->v[UR_RECORD]);
	oms_query_int(q, p->asset);
	oms_query_int(q, p->customer);
	oms_query_text(q, p->v[UR_DATE]);
	oms_query_int(q, p->quantity);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	x->rep->added++;
	return 1;
}

/*
 * Write a full batch of kept usage rows in one statement when none of
 * their record_ids is known and every date keeps the rules of the
 * business date.  Returns 1 when written; 0 when one is known (nothing
 * written: the caller takes the rows one by one) or on a store failure
 * (x->e); -1 when a date was refused (reported, nothing written).
 */
static int
usage_batch(struct ictx *x)
{
	struct oms_query *q = oms_query(x->st, OMS_STMT_IMP_USAGE_KNOWN);
	int known = 0, good = 1;
	enum oms_err e;

	for (size_t i = 0; i < OMS_IMP_BATCH; i++)
		oms_query_text(q, x->upend[i].v[UR_RECORD]);
	if (oms_query_row(q))
		known = 1;
	if ((e = oms_query_end(q)) != OMS_OK || known) {
		x->e = e;
		return 0;
	}
	for (size_t i = 0; i < OMS_IMP_BATCH && x->e == OMS_OK; i++) {
		use_row(x, &x->upend[i]);
		if (!fact_when(x, UR_DATE, x->upend[i].customer,
		    x->upend[i].day))
			good = 0;
	}
	if (!good || x->e != OMS_OK)
		return -1;
	q = oms_query(x->st, OMS_STMT_IMP_USAGE_BATCH);
	for (size_t i = 0; i < OMS_IMP_BATCH; i++) {
		const struct upend *p = &x->upend[i];

		oms_query_text(q, p->v[UR_RECORD]);
		oms_query_int(q, p->asset);
		oms_query_int(q, p->customer);
		oms_query_text(q, p->v[UR_DATE]);
		oms_query_int(q, p->quantity);
	}
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return 0;
	}
	x->rep->added += OMS_IMP_BATCH;
	return 1;
}

/*
 * Write the kept usage rows (a full batch at once when it can be, else
 * one by one) and audit the records written: one audit record a batch
 * (entity usage_record, id the batch's first record_id), its "after"
 * every written row's columns, so that a million records cost ten
 * thousand audit records, not a million.  The batch is empty
 * afterwards.
 */
static void
flush_usage(struct ictx *x)
{
	const char *raw = x->r.raw, *first = NULL, *saved[4];
	int64_t line = x->r.line;
	size_t rawlen = x->r.rawlen, cap = 1, len = 0;
	char *after, *w;
	unsigned char wrote[OMS_IMP_BATCH];
	int b = 0;
	enum oms_err e;

	if (x->nupend == 0 || x->e != OMS_OK)
		goto out;
	memcpy(saved, x->v, sizeof(saved));
	memset(wrote, 0, sizeof(wrote));
	if (x->nupend == OMS_IMP_BATCH && (b = usage_batch(x)) > 0)
		memset(wrote, 1, sizeof(wrote));
	else if (b == 0)
		for (size_t i = 0; i < x->nupend && x->e == OMS_OK; i++) {
			use_row(x, &x->upend[i]);
			wrote[i] = (unsigned char)usage_one(x, &x->upend[i]);
		}
	memcpy(x->v, saved, sizeof(saved));
	x->r.line = line;
	x->r.raw = raw;
	x->r.rawlen = rawlen;
	x->bad = 0;
	if (x->e != OMS_OK || x->rep->problems_total > 0)
		goto out; /* rolled back: nothing to audit */
	for (size_t i = 0; i < x->nupend; i++)
		if (wrote[i])
			for (int k = 0; k < 4; k++)
				cap += strlen(cname(x, k)) + 3 +
				    strlen(x->upend[i].v[k]);
	if (cap == 1)
		goto out;
	if ((after = w = oms_arena_alloc(x->ba, cap)) == NULL) {
		x->e = OMS_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < x->nupend; i++) {
		if (!wrote[i])
			continue;
		if (first == NULL)
			first = x->upend[i].v[UR_RECORD];
		for (int k = 0; k < 4; k++)
			len += (size_t)snprintf(w + len, cap - len, "%s%s: %s",
			    len ? "\n" : "", cname(x, k), x->upend[i].v[k]);
	}
	if ((e = oms_audit_append(x->st, x->o->actor, "usage_record", first,
	    "create", NULL, after)) != OMS_OK)
		x->e = e;
out:
	x->nupend = 0;
	if (x->ba != NULL)
		oms_arena_reset(x->ba);
}

/* After a usage file's last row: write what is kept. */
static void
fin_usage(struct ictx *x)
{
	flush_usage(x);
}

/*
 * Whether the fact of this row is known by its reference: 0 when not;
 * 1 when it is with the same values (skipped); -1 after reporting that
 * it is with others (refused: facts are imported once).  q is the
 * reference's statement (its columns those of the file, from column
 * 1), with its reference bound; the money column m compares as cents.
 */
static int
fact_known(struct ictx *x, struct oms_query *q, int m, int64_t cents,
    const char *what)
{
	const char *diff = NULL;
	int found = 0;
	enum oms_err e;

	if (oms_query_row(q)) {
		found = 1;
		for (int k = 1; diff == NULL && k < (int)x->cols->n; k++) {
			const char *s = oms_query_col_text(q, k);

			if (k == m ? oms_query_col_int(q, k) != cents :
			    strcmp(s ? s : "", x->v[k]) != 0)
				diff = cname(x, k);
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK) {
		x->e = e;
		return -1;
	}
	if (!found)
		return 0;
	if (diff == NULL) {
		x->rep->skipped++;
		return 1;
	}
	problem(x, diff, "The %s %s was imported before with another %s: a "
	    "%s is imported once (a correction is an adjustment).", what,
	    x->v[0], diff, what);
	return -1;
}

enum {PY_REFERENCE, PY_CUSTOMER, PY_DATE, PY_AMOUNT, PY_METHOD};

/* A payments row: a positive amount (a refund is an adjustment) of a
 * customer; added (audited) when its date keeps the rules of the
 * business date (fact_when), skipped when the same, refused when its
 * reference has others. */
static void
imp_payment(struct ictx *x)
{
	const char *const *v = x->v;
	struct oms_query *q;
	int64_t cust, cents = 0, id;
	int32_t day;
	enum oms_err e;

	text(x, PY_REFERENCE, 64, T_NEED | T_CODE);
	cust = need_customer(x, PY_CUSTOMER);
	date(x, PY_DATE, &day);
	if (money(x, PY_AMOUNT, 1, INT64_MIN, &cents) && cents <= 0)
		problem(x, cname(x, PY_AMOUNT), "The amount %s is not positive: "
		    "a payment is more than 0 (a refund is an adjustment).",
		    v[PY_AMOUNT]);
	text(x, PY_METHOD, 32, T_NEED);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_PAYMENT_GET);
	oms_query_text(q, v[PY_REFERENCE]);
	if (fact_known(x, q, PY_AMOUNT, cents, "payment") != 0 ||
	    !fact_when(x, PY_DATE, cust, day))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_PAYMENT_ADD);
	oms_query_text(q, v[PY_REFERENCE]);
	oms_query_int(q, cust);
	oms_query_text(q, v[PY_DATE]);
	oms_query_int(q, cents);
	oms_query_text(q, v[PY_METHOD]);
	oms_query_text(q, x->now);
	oms_query_text(q, x->o->actor->login);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	id = oms_store_last_id(x->st);
	x->rep->added++;
	audit(x, "payment", id, NULL);
}

enum {AJ_REFERENCE, AJ_CUSTOMER, AJ_DATE, AJ_AMOUNT, AJ_DESCRIPTION,
    AJ_TAXABLE, AJ_SITE, AJ_CC};

/* An adjustments row: a signed amount (a credit is negative) of a
 * customer, taxable or not, optionally at one of its sites and cost
 * centres; added (audited) when its date keeps the rules of the
 * business date (fact_when), skipped when the same, refused when its
 * reference has others. */
static void
imp_adjustment(struct ictx *x)
{
	const char *const *v = x->v;
	struct oms_query *q;
	int64_t cust, cents = 0, id, site = 0, cc = 0;
	int32_t day;
	int taxable = 0;
	enum oms_err e;

	text(x, AJ_REFERENCE, 64, T_NEED | T_CODE);
	cust = need_customer(x, AJ_CUSTOMER);
	date(x, AJ_DATE, &day);
	money(x, AJ_AMOUNT, 1, INT64_MIN, &cents);
	text(x, AJ_DESCRIPTION, 200, T_NEED);
	if (strcmp(v[AJ_TAXABLE], "yes") == 0)
		taxable = 1;
	else if (strcmp(v[AJ_TAXABLE], "no") != 0)
		problem(x, cname(x, AJ_TAXABLE), "The taxable '%s' is not one "
		    "of yes, no.", v[AJ_TAXABLE]);
	if (v[AJ_SITE][0] != '\0')
		site = need_part(x, AJ_SITE, cust, 1);
	if (v[AJ_CC][0] != '\0')
		cc = need_part(x, AJ_CC, cust, 0);
	if (x->bad || x->e != OMS_OK || !first_in_file(x))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_ADJUSTMENT_GET);
	oms_query_text(q, v[AJ_REFERENCE]);
	if (fact_known(x, q, AJ_AMOUNT, cents, "adjustment") != 0 ||
	    !fact_when(x, AJ_DATE, cust, day))
		return;
	q = oms_query(x->st, OMS_STMT_IMP_ADJUSTMENT_ADD);
	oms_query_text(q, v[AJ_REFERENCE]);
	oms_query_int(q, cust);
	oms_query_text(q, v[AJ_DATE]);
	oms_query_int(q, cents);
	oms_query_text(q, v[AJ_DESCRIPTION]);
	oms_query_int(q, taxable);
	if (site > 0)
		oms_query_int(q, site);
	else
		oms_query_null(q);
	if (cc > 0)
		oms_query_int(q, cc);
	else
		oms_query_null(q);
	oms_query_text(q, x->now);
	oms_query_text(q, x->o->actor->login);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		x->e = e;
		return;
	}
	id = oms_store_last_id(x->st);
	x->rep->added++;
	audit(x, "adjustment", id, NULL);
}

/* ------------------------------------------------------- 6. export */

/*
 * What export reads for each kind: a statement selecting exactly the
 * kind's columns in order, in key order, and each column's type: t
 * text, i integer, n integer or empty for NULL, m money (cents as
 * 1234.50, empty for NULL), r a tax rate (ppm as percent).  Usage
 * prices ("u") gather one row a tier into one row a price.
 */
static const struct {
	int stmt;          /* enum oms_stmt */
	const char *types; /* one letter a column, or NULL */
} exports[OMS_IMPORT__MAX] = {
	[OMS_IMPORT_CUSTOMERS] = {OMS_STMT_IMP_EXPORT_CUSTOMERS, "ttttttttti"},
	[OMS_IMPORT_SITES] = {OMS_STMT_IMP_EXPORT_SITES, "tttttttt"},
	[OMS_IMPORT_COST_CENTRES] = {OMS_STMT_IMP_EXPORT_CCS, "ttt"},
	[OMS_IMPORT_ASSETS] = {OMS_STMT_IMP_EXPORT_ASSETS, "tttttitttttt"},
	[OMS_IMPORT_PRODUCTS] = {OMS_STMT_IMP_EXPORT_PRODUCTS, "ttttt"},
	[OMS_IMPORT_PRICES] = {OMS_STMT_IMP_EXPORT_PRICES, "ttm"},
	[OMS_IMPORT_USAGE_PRICES] = {OMS_STMT_IMP_EXPORT_USAGE, "u"},
	[OMS_IMPORT_FEES] = {OMS_STMT_IMP_EXPORT_FEES, "tttm"},
	[OMS_IMPORT_CONTRACT_PRICES] = {OMS_STMT_IMP_EXPORT_CONTRACTS, "ttttm"},
	[OMS_IMPORT_TAX_RATES] = {OMS_STMT_IMP_EXPORT_TAX, "tttr"},
	[OMS_IMPORT_ORDERS] = {OMS_STMT_IMP_EXPORT_ORDERS,
	    "tittttttntttttttmt"},
	[OMS_IMPORT_USAGE] = {OMS_STMT_IMP_EXPORT_USAGE_RECORDS, "ttti"},
	[OMS_IMPORT_PAYMENTS] = {OMS_STMT_IMP_EXPORT_PAYMENTS, "tttmt"},
	[OMS_IMPORT_ADJUSTMENTS] = {OMS_STMT_IMP_EXPORT_ADJUSTMENTS,
	    "tttmtttt"},
};

/* Described in importer.h. */
int
oms_export_ready(enum oms_import_kind k)
{
	return (unsigned)k < OMS_IMPORT__MAX && exports[k].types != NULL;
}

/* What the export's read snapshot needs. */
struct ectx {
	enum oms_import_kind kind;
	struct oms_csv_writer *w;
};

/*
 * The usage prices: the rows of q (one a tier, in key order and tier
 * order) gathered into one row a price, the tiers as the import takes
 * them.  OMS_OK, OMS_ERR_IO or OMS_ERR_NOMEM; q is left to the caller.
 */
static enum oms_err
export_usage(struct oms_query *q, struct oms_csv_writer *w)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_usage_tier *t = NULL;
	size_t n = 0, cap = 0;
	const char *f[5] = {NULL, NULL, NULL, NULL, NULL};
	char inc[24];
	int64_t cur = 0;
	enum oms_err e = OMS_OK;
	int more;

	if (a == NULL)
		return OMS_ERR_NOMEM;
	do {
		more = oms_query_row(q);
		if (n > 0 && (!more || oms_query_col_int(q, 6) != cur)) {
			f[4] = oms_usage_tiers_format(a, t, n);
			if (f[4] == NULL) {
				e = OMS_ERR_NOMEM;
				break;
			}
			if (oms_csv_write(w, f, 5) != OMS_OK) {
				e = OMS_ERR_IO;
				break;
			}
			oms_arena_reset(a);
			n = 0;
		}
		if (!more)
			break;
		if (n == 0) {
			cur = oms_query_col_int(q, 6);
			f[0] = oms_query_col_dup(q, 0, a);
			f[1] = oms_query_col_dup(q, 1, a);
			f[2] = oms_query_col_dup(q, 2, a);
			snprintf(inc, sizeof(inc), "%lld",
			    (long long)oms_query_col_int(q, 3));
			f[3] = inc;
		}
		if (n == cap) {
			size_t want = cap ? cap * 2 : 8;
			struct oms_usage_tier *g = realloc(t, want * sizeof(*g));

			if (g == NULL) {
				e = OMS_ERR_NOMEM;
				break;
			}
			t = g;
			cap = want;
		}
		t[n].from_units = oms_query_col_int(q, 4);
		t[n].rate_micros = oms_query_col_int(q, 5);
		n++;
	} while (more);
	free(t);
	oms_arena_free(&a);
	return e;
}

/* The export inside a read snapshot (oms_unit_fn). */
static enum oms_err
export_read(struct oms_store *st, void *arg)
{
	struct ectx *c = arg;
	const struct oms_import_columns *cols = &columns[c->kind];
	const char *types = exports[c->kind].types;
	const char *f[MAX_COLS];
	char nums[MAX_COLS][32];
	struct oms_query *q;
	enum oms_err e, we = OMS_OK;

	if (oms_csv_write(c->w, cols->names, cols->n) != OMS_OK)
		return OMS_ERR_IO;
	q = oms_query_iter(st, exports[c->kind].stmt);
	if (types[0] == 'u') {
		we = export_usage(q, c->w);
		e = oms_query_end(q);
		return e != OMS_OK ? e : we;
	}
	while (we == OMS_OK && oms_query_row(q)) {
		for (size_t k = 0; k < cols->n; k++) {
			const char *s = oms_query_col_text(q, (int)k);
			int64_t v = oms_query_col_int(q, (int)k);

			f[k] = nums[k];
			if (types[k] == 't')
				f[k] = s;
			else if (s == NULL && types[k] != 'i')
				f[k] = "";
			else if (types[k] == 'm')
				money_text(v, nums[k]);
			else if (types[k] == 'r')
				percent_text(v, nums[k]);
			else
				snprintf(nums[k], sizeof(nums[k]), "%lld",
				    (long long)v);
		}
		we = oms_csv_write(c->w, f, cols->n);
	}
	e = oms_query_end(q);
	return e != OMS_OK ? e : we;
}

/* Described in importer.h. */
enum oms_err
oms_export(struct oms_store *st, enum oms_import_kind kind,
    struct oms_csv_writer *w)
{
	struct ectx c = {kind, w};

	if (!oms_export_ready(kind))
		return OMS_ERR_NOTFOUND;
	return oms_store_read(st, export_read, &c);
}

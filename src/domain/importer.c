/*
 * importer.c: bulk import and export of CSV files (importer.h).
 *
 * Sections:
 *   1. the kinds and their columns
 *   2. per-file lookup caches (hash maps)
 *   3. the import loop: header, rows, problems, the unit of work
 *   4. field checks
 *   5. the kinds: customers, sites, cost-centres, assets
 *   6. export
 *
 * Speed.  A million-row asset file is the benchmark: each code is
 * looked up once per file and kept in a hash map (malloc'd, freed when
 * the file is done), statements are prepared once per connection by
 * the store and reused, and a row costs the asset's own statements
 * (whether its tag is known, oms_history_install()'s insert of the
 * asset and its first state).
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
#include "csv.h"
#include "date.h"
#include "history.h"
#include "importer.h"
#include "inventory.h"
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

	/* Values are at most a few hundred bytes (text() checked them). */
	for (size_t k = 0; k < x->cols->nkey && n < sizeof(key); k++)
		n += (size_t)snprintf(key + n, sizeof(key) - n, "%s\x1f",
		    x->v[k]);
	if (n >= sizeof(key))
		n = sizeof(key) - 1;
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

/* The row function of each kind; NULL: not yet importable. */
static void (*const row_fns[OMS_IMPORT__MAX])(struct ictx *) = {
	[OMS_IMPORT_CUSTOMERS] = imp_customer,
	[OMS_IMPORT_SITES] = imp_site,
	[OMS_IMPORT_COST_CENTRES] = imp_cc,
	[OMS_IMPORT_ASSETS] = imp_asset,
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
	free(x->pv);
	free(x->av);
	x->pv = NULL;
	x->av = NULL;
	x->pn = x->pcap2 = x->an = x->acap = 0;
	oms_csv_free(&x->r);
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
	now_text(x->now);
	oms_csv_init(&x->r, x->data, x->len);
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
 * The last day of the periods already invoiced for a customer (0: none).
 * No invoices exist before the billing module: then nothing is
 * invoiced, and the back-dating limit refuses nothing.
 */
static int32_t
invoiced_through(struct ictx *x, int64_t customer)
{
	(void)x;
	(void)customer;
	return 0;
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
		    x->v[1], owner);
	else
		problem(x, cname(x, k), "Unknown %s '%s' of customer %s.", what,
		    code, x->v[1]);
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
	struct ainfo me;
	int64_t cust, ports = 0, id;
	int32_t day = 0;
	const char *why = NULL;
	enum oms_err e;

	memset(&s, 0, sizeof(s));
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
	if (x->bad || x->e != OMS_OK || known_asset(x))
		return;
	s.product = p->id;
	s.ports = ports;
	s.status = OMS_STATUS_ACTIVE;
	s.valid_from = day;
	s.number = v[A_PHONE][0] ? v[A_PHONE] : NULL;
	s.extension = v[A_EXT][0] ? v[A_EXT] : NULL;
	s.mailbox = v[A_MAILBOX][0] ? v[A_MAILBOX] : NULL;
	s.serial = v[A_SERIAL][0] ? v[A_SERIAL] : NULL;
	e = oms_history_install(x->st, v[A_TAG], par ? par->id : 0, &s, &id,
	    &why);
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
	me.site = s.site;
	me.cc = s.cost_centre;
	me.installed = day;
	me.removed = 0;
	me.addon = p->addon;
	remember_asset(x, v[A_TAG], &me);
}

/* ------------------------------------------------------- 6. export */

/*
 * What export reads for each kind: a statement selecting exactly the
 * kind's columns in order, in key order, and each column's type (t
 * text, i integer).  A kind without types is not exportable yet; the
 * catalog kinds add a statement and their types here (money and rates
 * will want types of their own, formatted as the import parses them).
 */
static const struct {
	int stmt;          /* enum oms_stmt */
	const char *types; /* one letter a column, or NULL */
} exports[OMS_IMPORT__MAX] = {
	[OMS_IMPORT_CUSTOMERS] = {OMS_STMT_IMP_EXPORT_CUSTOMERS, "ttttttttti"},
	[OMS_IMPORT_SITES] = {OMS_STMT_IMP_EXPORT_SITES, "tttttttt"},
	[OMS_IMPORT_COST_CENTRES] = {OMS_STMT_IMP_EXPORT_CCS, "ttt"},
	[OMS_IMPORT_ASSETS] = {OMS_STMT_IMP_EXPORT_ASSETS, "tttttitttttt"},
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

/* The export inside a read snapshot (oms_unit_fn). */
static enum oms_err
export_read(struct oms_store *st, void *arg)
{
	struct ectx *c = arg;
	const struct oms_import_columns *cols = &columns[c->kind];
	const char *types = exports[c->kind].types;
	const char *f[MAX_COLS];
	char nums[MAX_COLS][24];
	struct oms_query *q;
	enum oms_err e, we = OMS_OK;

	if (oms_csv_write(c->w, cols->names, cols->n) != OMS_OK)
		return OMS_ERR_IO;
	q = oms_query_iter(st, exports[c->kind].stmt);
	while (we == OMS_OK && oms_query_row(q)) {
		for (size_t k = 0; k < cols->n; k++) {
			if (types[k] == 'i') {
				snprintf(nums[k], sizeof(nums[k]), "%lld",
				    (long long)oms_query_col_int(q, (int)k));
				f[k] = nums[k];
			} else
				f[k] = oms_query_col_text(q, (int)k);
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

/*
 * seed.c: demonstration data.  Customers are plausible North American
 * companies with branch sites in real cities, cost centres, and a mix
 * of lines, telephone sets and voice mailboxes with numbers,
 * extensions, serials and install dates.  Every value comes from a
 * seeded xorshift generator, so one seed always gives one database.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"

struct rng {
	uint64_t s; /* xorshift64* state, never 0 */
};

/* Next 64 random bits. */
static uint64_t
next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

/* Uniform integer in [lo, hi]. */
static int
between(struct rng *r, int lo, int hi)
{
	return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static const char *const companies[] = {
	"Northwind Insurance Group", "Acme Logistics Inc.",
	"Harbor Point Credit Union", "Bluebird Retail Group",
	"Summit Health Partners", "Cedar & Vine Law LLP",
	"Great Plains Agricultural Co-op", "Meridian Property Management",
	"Lakeshore Community Bank", "Pioneer Freight Lines",
	"Silverline Pharmacies", "Redwood Engineering Ltd.",
};

static const char *const codes[] = {
	"NWIG", "ACME", "HPCU", "BBRG", "SHP", "CVL", "GPAC", "MPM",
	"LCB", "PFL", "SLRX", "RWE",
};

struct city {
	const char *name, *region, *zip, *area;
};

static const struct city cities[] = {
	{"Springfield", "IL", "627", "217"}, {"Columbus", "OH", "432", "614"},
	{"Madison", "WI", "537", "608"}, {"Boise", "ID", "837", "208"},
	{"Albany", "NY", "122", "518"}, {"Richmond", "VA", "232", "804"},
	{"Tucson", "AZ", "857", "520"}, {"Omaha", "NE", "681", "402"},
	{"Raleigh", "NC", "276", "919"}, {"Spokane", "WA", "992", "509"},
	{"Des Moines", "IA", "503", "515"}, {"Knoxville", "TN", "379", "865"},
	{"Fresno", "CA", "937", "559"}, {"Tulsa", "OK", "741", "918"},
	{"Wichita", "KS", "672", "316"}, {"Lansing", "MI", "489", "517"},
	{"Reno", "NV", "895", "775"}, {"Savannah", "GA", "314", "912"},
	{"Providence", "RI", "029", "401"}, {"Burlington", "VT", "054", "802"},
	{"Santa Fe", "NM", "875", "505"}, {"Billings", "MT", "591", "406"},
	{"Portland", "ME", "041", "207"}, {"Charleston", "SC", "294", "843"},
	{"Little Rock", "AR", "722", "501"}, {"Sioux Falls", "SD", "571", "605"},
	{"Fargo", "ND", "581", "701"}, {"Anchorage", "AK", "995", "907"},
	{"Honolulu", "HI", "968", "808"}, {"Cheyenne", "WY", "820", "307"},
	{"Dover", "DE", "199", "302"}, {"Hartford", "CT", "061", "860"},
	{"Baton Rouge", "LA", "708", "225"}, {"Jackson", "MS", "392", "601"},
	{"Montgomery", "AL", "361", "334"}, {"Salem", "OR", "973", "503"},
	{"Provo", "UT", "846", "801"}, {"Topeka", "KS", "666", "785"},
	{"Lexington", "KY", "405", "859"}, {"Erie", "PA", "165", "814"},
};

static const char *const streets[] = {
	"Main St", "Market St", "Oak Ave", "Maple Dr", "Commerce Blvd",
	"Washington St", "Park Ave", "Lincoln Way", "Industrial Pkwy",
	"Riverside Dr", "Elm St", "Harbor Rd", "Center St", "Broadway",
};

static const char *const site_kinds[] = {
	"Branch", "Downtown Branch", "Regional Office", "Service Centre",
	"Operations Centre", "Sales Office",
};

static const char *const cc_names[] = {
	"Sales", "Customer Service", "Finance", "Operations",
	"Information Technology", "Human Resources", "Branch Network",
	"Facilities", "Marketing", "Legal",
};

struct product {
	const char *code, *name, *type;
	const char *charge;     /* flat or per_port */
	int64_t monthly_cents;  /* a month per asset, or per port */
	int ports_lo, ports_hi; /* ports an instance has */
	int weight;             /* how common, of 100 */
};

static const struct product products[] = {
	{"LN-POTS", "Analog business line", "line", "flat", 3495, 1, 1, 14},
	{"LN-SIP10", "SIP trunk, per channel", "line", "per_port", 1890, 4, 30, 3},
	{"LN-PRI", "ISDN PRI trunk", "line", "per_port", 1850, 23, 23, 1},
	{"LN-DID", "Direct inward dial number", "line", "flat", 250, 1, 1, 18},
	{"ST-IP6", "IP desk phone, 6 line", "set", "flat", 1250, 1, 1, 22},
	{"ST-IP12", "IP desk phone, 12 line, colour", "set", "flat", 1875, 1, 1, 8},
	{"ST-CONF", "Conference phone", "set", "flat", 2400, 1, 1, 3},
	{"ST-DECT", "DECT cordless handset", "set", "flat", 990, 1, 1, 6},
	{"VM-STD", "Voice mailbox, standard", "mailbox", "flat", 395, 0, 0, 18},
	{"VM-UM", "Voice mailbox, unified messaging", "mailbox", "flat", 695, 0, 0, 7},
};

/* Run one insert and return its new id in *id (may be NULL). */
static enum oms_err
insert(struct oms_store *st, struct oms_query *q, int64_t *id)
{
	enum oms_err e = oms_query_exec(q);

	if (e == OMS_OK && id != NULL)
		*id = oms_store_last_id(st);
	return e;
}

/* Pick a product by weight. */
static int
pick_product(struct rng *r)
{
	int w = between(r, 1, 100), acc = 0;

	for (size_t i = 0; i < OMS_NELEM(products); i++) {
		acc += products[i].weight;
		if (w <= acc)
			return (int)i;
	}
	return 0;
}

/* Insert the assets of one site. */
static enum oms_err
seed_site(struct oms_store *st, struct rng *r, int64_t site,
    const struct city *c, const int64_t *ccs, int nccs,
    const int64_t *pids, int nassets, int exch, struct oms_seed_stats *stats)
{
	int32_t from = oms_date_from_ymd(2019, 1, 1);
	int32_t to = oms_date_from_ymd(2026, 10, 31);
	int ext = 2000;

	for (int i = 0; i < nassets; i++) {
		int p = pick_product(r);
		const struct product *pr = &products[p];
		int roll = between(r, 1, 100);
		const char *status = roll <= 84 ? "active" : roll <= 90 ?
		    "removed" : roll <= 95 ? "suspended" : "pending";
		int32_t inst = from + between(r, 0, (int)(to - from));
		char number[32], extn[16], mbox[16], serial[32];
		char d1[11], d2[11], tag[24];
		struct oms_query *q = oms_query(st, OMS_STMT_ASSET_ADD);
		int64_t id;
		int removed;
		enum oms_err e;

		ext++;
		snprintf(extn, sizeof(extn), "%d", ext);
		snprintf(number, sizeof(number), "+1%s%03d%04d", c->area, exch,
		    ext + between(r, 0, 3) * 2000);
		snprintf(mbox, sizeof(mbox), "%d", 80000 + ext);
		snprintf(serial, sizeof(serial), "%s%08llX",
		    pr->type[0] == 's' ? "PLC" : pr->type[0] == 'l' ? "CKT" :
		    "VMX", (unsigned long long)(next(r) & 0xffffffffu));
		oms_query_int(q, site);
		oms_query_int(q, ccs[between(r, 0, nccs - 1)]);
		oms_query_int(q, pids[p]);
		oms_query_text(q, status);
		oms_query_int(q, between(r, pr->ports_lo, pr->ports_hi));
		/* Lines have numbers; sets have extensions and serials;
		 * mailboxes have mailbox numbers and the extension they
		 * answer. */
		oms_query_text(q, pr->type[0] == 'l' ? number : NULL);
		oms_query_text(q, pr->type[0] != 'l' ? extn : NULL);
		oms_query_text(q, pr->type[0] == 'm' ? mbox : NULL);
		oms_query_text(q, pr->type[0] != 'm' ? serial : NULL);
		if (strcmp(status, "pending") == 0)
			inst = oms_date_from_ymd(2026, 11, 1) + between(r, 0, 40);
		oms_query_text(q, oms_date_format(inst, d1));
		removed = strcmp(status, "removed") == 0;
		if (removed)
			oms_query_text(q, oms_date_format(inst + between(r, 30,
			    900), d2));
		else
			oms_query_null(q);
		snprintf(tag, sizeof(tag), "A%08lld",
		    (long long)stats->assets + 1);
		oms_query_text(q, tag);
		if ((e = insert(st, q, &id)) != OMS_OK)
			return e;
		/* Its history: in service from installation (to removal),
		 * then, removed, an open 'removed' state. */
		q = oms_query(st, OMS_STMT_SEED_STATE_ADD);
		oms_query_int(q, 1);
		oms_query_text(q, d1);
		if (removed)
			oms_query_text(q, d2);
		else
			oms_query_null(q);
		oms_query_text(q, removed ? "active" : status);
		oms_query_int(q, id);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		if (removed) {
			q = oms_query(st, OMS_STMT_SEED_STATE_ADD);
			oms_query_int(q, 2);
			oms_query_text(q, d2);
			oms_query_null(q);
			oms_query_text(q, "removed");
			oms_query_int(q, id);
			if ((e = oms_query_exec(q)) != OMS_OK)
				return e;
		}
		stats->assets++;
	}
	return OMS_OK;
}

/* The seeding itself, inside the caller's transaction. */
static enum oms_err
seed(struct oms_store *st, const struct oms_seed_opts *o,
    struct oms_seed_stats *stats)
{
	struct rng r = {o->seed ? o->seed : UINT64_C(0x9E3779B97F4A7C15)};
	int64_t pids[OMS_NELEM(products)];
	struct oms_query *q;
	int64_t n = 0;
	enum oms_err e;

	q = oms_query(st, OMS_STMT_DATA_COUNT);
	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (n > 0) {
		oms_error("seed-demo: the database already holds %lld "
		    "customers and products", (long long)n);
		return OMS_ERR_CONSTRAINT;
	}
	for (size_t i = 0; i < OMS_NELEM(products); i++) {
		q = oms_query(st, OMS_STMT_PRODUCT_ADD);
		oms_query_text(q, products[i].code);
		oms_query_text(q, products[i].name);
		oms_query_text(q, products[i].type);
		oms_query_text(q, products[i].charge);
		oms_query_int(q, products[i].ports_lo);
		oms_query_int(q, products[i].ports_hi);
		if ((e = insert(st, q, &pids[i])) != OMS_OK)
			return e;
		q = oms_query(st, OMS_STMT_SEED_PRICE_ADD);
		oms_query_int(q, pids[i]);
		oms_query_text(q, "2019-01-01");
		oms_query_int(q, products[i].monthly_cents);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		stats->products++;
	}
	for (int ci = 0; ci < o->customers; ci++) {
		const struct city *hq = &cities[between(&r, 0,
		    (int)OMS_NELEM(cities) - 1)];
		char code[32], name[200], addr[200], zip[16];
		int64_t cid, ccs[OMS_NELEM(cc_names)];
		int nccs = between(&r, 5, (int)OMS_NELEM(cc_names));
		int nsites = o->sites > 0 ? o->sites : between(&r, 12, 40);

		if ((size_t)ci < OMS_NELEM(companies)) {
			snprintf(code, sizeof(code), "%s", codes[ci]);
			snprintf(name, sizeof(name), "%s", companies[ci]);
		} else {
			snprintf(code, sizeof(code), "%s%d",
			    codes[ci % OMS_NELEM(codes)],
			    ci / (int)OMS_NELEM(codes) + 1);
			snprintf(name, sizeof(name), "%s (%d)",
			    companies[ci % OMS_NELEM(companies)],
			    ci / (int)OMS_NELEM(companies) + 1);
		}
		snprintf(addr, sizeof(addr), "%d %s", between(&r, 100, 9899),
		    streets[between(&r, 0, (int)OMS_NELEM(streets) - 1)]);
		snprintf(zip, sizeof(zip), "%s%02d", hq->zip, between(&r, 1, 99));
		q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
		oms_query_text(q, code);
		oms_query_text(q, name);
		oms_query_text(q, addr);
		oms_query_text(q, hq->name);
		oms_query_text(q, hq->region);
		oms_query_text(q, zip);
		oms_query_text(q, "US");
		oms_query_text(q, "USD");
		oms_query_text(q, "2026-01-05T09:00:00Z");
		if ((e = insert(st, q, &cid)) != OMS_OK)
			return e;
		stats->customers++;
		for (int k = 0; k < nccs; k++) {
			char cc[16];

			snprintf(cc, sizeof(cc), "CC-%d", 100 + k * 10);
			q = oms_query(st, OMS_STMT_CC_ADD);
			oms_query_int(q, cid);
			oms_query_text(q, cc);
			oms_query_text(q, cc_names[k]);
			if ((e = insert(st, q, &ccs[k])) != OMS_OK)
				return e;
			stats->cost_centres++;
		}
		for (int si = 0; si < nsites; si++) {
			const struct city *c = &cities[(size_t)(si +
			    between(&r, 0, 3)) % OMS_NELEM(cities)];
			char scode[32], sname[200];
			int64_t sid;
			int na = o->assets > 0 ? o->assets : between(&r, 150, 300);

			snprintf(scode, sizeof(scode), "BR-%04d", si + 1);
			snprintf(sname, sizeof(sname), "%s %s", c->name,
			    site_kinds[between(&r, 0,
			    (int)OMS_NELEM(site_kinds) - 1)]);
			snprintf(addr, sizeof(addr), "%d %s",
			    between(&r, 100, 9899), streets[between(&r, 0,
			    (int)OMS_NELEM(streets) - 1)]);
			snprintf(zip, sizeof(zip), "%s%02d", c->zip,
			    between(&r, 1, 99));
			q = oms_query(st, OMS_STMT_SITE_ADD);
			oms_query_int(q, cid);
			oms_query_text(q, scode);
			oms_query_text(q, sname);
			oms_query_text(q, addr);
			oms_query_text(q, c->name);
			oms_query_text(q, c->region);
			oms_query_text(q, zip);
			oms_query_text(q, "US");
			if ((e = insert(st, q, &sid)) != OMS_OK)
				return e;
			stats->sites++;
			if ((e = seed_site(st, &r, sid, c, ccs, nccs, pids, na,
			    200 + (si * 7 + ci * 13) % 700, stats)) != OMS_OK)
				return e;
		}
	}
	return OMS_OK;
}

struct seed_unit {
	const struct oms_seed_opts *o; /* what to make */
	struct oms_seed_stats *stats;  /* what was made */
};

/* The unit of work: all of it or nothing (and again from the start if
 * the store retries it). */
static enum oms_err
seed_unit(struct oms_store *st, void *arg)
{
	struct seed_unit *u = arg;

	enum oms_err e;

	memset(u->stats, 0, sizeof(*u->stats));
	if ((e = seed(st, u->o, u->stats)) != OMS_OK || !u->o->activity)
		return e;
	return oms_seed_activity(st, u->o->seed ? u->o->seed : 1, u->stats);
}

/*
 * Fill an empty database with generated demo data as o asks, all in one
 * unit of work, counting what was made in *stats.  Returns OMS_OK;
 * OMS_ERR_INVAL for options out of range; OMS_ERR_CONSTRAINT when
 * customers already exist; or a store error.  On failure nothing is
 * stored and *stats is zeroed.
 */
enum oms_err
oms_seed_demo(struct oms_store *st, const struct oms_seed_opts *o,
    struct oms_seed_stats *stats)
{
	struct seed_unit u = {o, stats};
	enum oms_err e;

	memset(stats, 0, sizeof(*stats));
	if (o->customers < 1 || o->sites < 0 || o->assets < 0)
		return OMS_ERR_INVAL;
	if ((e = oms_store_unit(st, seed_unit, &u)) != OMS_OK)
		memset(stats, 0, sizeof(*stats));
	return e;
}

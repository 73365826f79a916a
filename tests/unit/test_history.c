/*
 * test_history.c: asset history (src/domain/history.c) on both
 * backends: installation with a first state and a tag, appending
 * states, the state of a day before, on and after each change, an
 * A -> B -> A move within a month, two changes on one day, refusals
 * (a date before the latest state, a change to a removed asset, a
 * removal on the installation day) that change nothing, the shape
 * check oms_history_valid, and tags (given, taken, generated).
 *
 * The passes come from the shared harness (backend.h).  Every test
 * point's name starts with the backend of its pass; negative cases
 * say "bad".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "auth.h"
#include "date.h"
#include "history.h"
#include "inventory.h"
#include "migrate.h"
#include "oms.h"
#include "stmts.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

#define DB "history"

static struct oms_store *st;
static struct oms_arena *arena;
static int64_t site_a, site_b, cc, product;

/* Day number of "YYYY-MM-DD"; exits on a typo in the test. */
static int32_t
day(const char *s)
{
	int32_t d;

	if (oms_date_parse(s, &d) != OMS_OK) {
		printf("Bail out! bad date in the test: %s\n", s);
		exit(1);
	}
	return d;
}

/* Insert a row with stmt and its binds done by the caller; the new id.
 * Exits on failure (the scene of every test). */
static int64_t
added(struct oms_query *q, const char *what)
{
	if (oms_query_exec(q) != OMS_OK) {
		printf("Bail out! %s: cannot add %s\n", tb_be->name, what);
		exit(1);
	}
	return oms_store_last_id(st);
}

/* The customer, two sites, a cost centre and a product every test
 * uses. */
static void
scene(void)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_ADD);
	const char *cust[] = {"HC", "History Co", "1 Main St", "Springfield",
	    "IL", "62701", "US", "USD", "2026-01-01T00:00:00Z"};
	int64_t c;

	for (size_t i = 0; i < OMS_NELEM(cust); i++)
		oms_query_text(q, cust[i]);
	c = added(q, "customer");
	for (int i = 0; i < 2; i++) {
		q = oms_query(st, OMS_STMT_SITE_ADD);
		oms_query_int(q, c);
		oms_query_text(q, i ? "B" : "A");
		oms_query_text(q, i ? "Site B" : "Site A");
		for (int k = 0; k < 5; k++)
			oms_query_text(q, k == 4 ? "US" : "x");
		*(i ? &site_b : &site_a) = added(q, "site");
	}
	q = oms_query(st, OMS_STMT_CC_ADD);
	oms_query_int(q, c);
	oms_query_text(q, "CC1");
	oms_query_text(q, "Cost centre 1");
	cc = added(q, "cost centre");
	q = oms_query(st, OMS_STMT_PRODUCT_ADD);
	oms_query_text(q, "LINE1");
	oms_query_text(q, "A line");
	oms_query_text(q, "line");
	oms_query_text(q, "flat");
	oms_query_int(q, 0);
	oms_query_int(q, 1000);
	product = added(q, "product");
}

/* A state at site from day `from`, status active, one port. */
static struct oms_asset_state
state(int64_t asset, int64_t site, const char *from)
{
	struct oms_asset_state s;

	memset(&s, 0, sizeof(s));
	s.asset = asset;
	s.site = site;
	s.cost_centre = cc;
	s.product = product;
	s.ports = 1;
	s.status = OMS_STATUS_ACTIVE;
	s.number = "+15550100";
	s.valid_from = day(from);
	return s;
}

/* oms_history_install in its own unit of work (committed on success,
 * rolled back otherwise); its result. */
static enum oms_err
install(const char *tag, struct oms_asset_state *first, int64_t *id,
    const char **why)
{
	enum oms_err e;

	if ((e = oms_store_begin(st)) != OMS_OK)
		return e;
	e = oms_history_install(st, tag, 0, first, id, why);
	if (e == OMS_OK)
		return oms_store_commit(st);
	oms_store_rollback(st);
	return e;
}

/* oms_history_append in its own unit of work, as install(). */
static enum oms_err
append(struct oms_asset_state *next, const char **why)
{
	enum oms_err e;

	if ((e = oms_store_begin(st)) != OMS_OK)
		return e;
	e = oms_history_append(st, next, why);
	if (e == OMS_OK)
		return oms_store_commit(st);
	oms_store_rollback(st);
	return e;
}

/* The states of asset into *out (the arena); their number, -1 on error. */
static long
list(int64_t asset, struct oms_asset_state **out)
{
	size_t n = 0;

	if (oms_history_list(st, arena, asset, out, &n) != OMS_OK)
		return -1;
	return (long)n;
}

/* The seq of the state in effect on day s, 0 for none, -1 on error. */
static int64_t
seq_on(int64_t asset, const char *s)
{
	struct oms_asset_state x;
	enum oms_err e = oms_history_at(st, arena, asset, day(s), &x);

	if (e == OMS_ERR_NOTFOUND)
		return 0;
	return e == OMS_OK ? x.seq : -1;
}

/* The harness's own query sql on the pass's database: column 0 of
 * its first row, -1 on failure. */
static int64_t
value_sql(const char *sql)
{
	return tb_be->value(DB, sql);
}

/* value_sql() of the printf-style fmt and its arguments. */
static int64_t __attribute__((format(printf, 1, 2)))
value(const char *fmt, ...)
{
	char sql[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return value_sql(sql);
}

static void
test_install(int64_t *id)
{
	struct oms_asset_state first = state(0, site_a, "2026-01-10"), *v;
	struct oms_asset_state x;
	const char *why = "x";
	long n;

	is_int(install(NULL, &first, id, &why), OMS_OK, "install an asset");
	ok(*id > 0 && first.asset == *id && first.seq == 1 && why == NULL,
	    "install: the id, the state's asset and seq 1 are given back");
	n = list(*id, &v);
	ok(n == 1 && v[0].seq == 1 && v[0].valid_from == day("2026-01-10") &&
	    v[0].valid_to == 0 && v[0].site == site_a &&
	    v[0].status == OMS_STATUS_ACTIVE && v[0].number != NULL &&
	    strcmp(v[0].number, "+15550100") == 0,
	    "install: one open state from the installation day");
	ok(n == 1 && v[0].site_code != NULL && strcmp(v[0].site_code, "A") == 0 &&
	    v[0].cc_code != NULL && strcmp(v[0].cc_code, "CC1") == 0 &&
	    v[0].product_code != NULL &&
	    strcmp(v[0].product_code, "LINE1") == 0 && v[0].order_ref == NULL,
	    "install: the list gives the codes, and no order reference");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " installed_on = '2026-01-10' AND removed_on IS NULL AND"
	    " status = 'active' AND tag LIKE 'A________'", (long long)*id), 1,
	    "install: the assets row, installed that day, with a tag of the series");
	is_int(seq_on(*id, "2026-01-09"), 0,
	    "the day before installation has no state");
	is_int(oms_history_at(st, arena, *id, day("2026-01-09"), &x),
	    OMS_ERR_NOTFOUND, "the day before installation: OMS_ERR_NOTFOUND");
	is_int(seq_on(*id, "2026-01-10"), 1, "the installation day: state 1");
	is_int(seq_on(*id, "2030-01-01"), 1, "years later: state 1");

	first = state(0, site_a, "2026-01-10");
	first.status = OMS_STATUS_REMOVED;
	ok(install(NULL, &first, &x.id, &why) == OMS_ERR_INVAL && why != NULL,
	    "install of a removed asset bad: refused");
	first = state(0, site_a, "2026-01-10");
	first.valid_from = 0;
	ok(install(NULL, &first, &x.id, &why) == OMS_ERR_INVAL,
	    "install without a date bad: refused");
}

/* A -> B -> A within February, then two changes on 1 March. */
static void
test_moves(int64_t id)
{
	struct oms_asset_state s, *v;
	const char *why = "x";
	long n;

	s = state(id, site_b, "2026-02-05");
	ok(append(&s, &why) == OMS_OK && s.seq == 2 && why == NULL,
	    "move A -> B on 5 February: state 2");
	s = state(id, site_a, "2026-02-20");
	ok(append(&s, &why) == OMS_OK && s.seq == 3,
	    "move B -> A on 20 February: state 3");
	n = list(id, &v);
	ok(n == 3 && v[0].valid_to == day("2026-02-05") &&
	    v[1].valid_from == day("2026-02-05") &&
	    v[1].valid_to == day("2026-02-20") && v[1].site == site_b &&
	    v[2].valid_from == day("2026-02-20") && v[2].valid_to == 0 &&
	    v[2].site == site_a && v[0].site == site_a,
	    "A -> B -> A: three states with the right days and sites");
	ok(n == 3 && oms_history_valid(v, (size_t)n), "A -> B -> A: well formed");
	is_int(seq_on(id, "2026-02-04"), 1, "4 February: state 1 (A)");
	is_int(seq_on(id, "2026-02-05"), 2, "5 February: state 2 (B)");
	is_int(seq_on(id, "2026-02-19"), 2, "19 February: state 2 (B)");
	is_int(seq_on(id, "2026-02-20"), 3, "20 February: state 3 (A)");
	is_int(seq_on(id, "2026-02-28"), 3, "28 February: state 3 (A)");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " site_id = (SELECT MIN(id) FROM sites)", (long long)id), 1,
	    "the assets row is back at site A");

	/* Two changes on one day: the first state of the day is empty. */
	s = state(id, site_a, "2026-03-01");
	s.ports = 2;
	ok(append(&s, &why) == OMS_OK && s.seq == 4, "change on 1 March: state 4");
	s = state(id, site_a, "2026-03-01");
	s.ports = 3;
	ok(append(&s, &why) == OMS_OK && s.seq == 5,
	    "second change on 1 March: state 5");
	n = list(id, &v);
	ok(n == 5 && v[3].valid_from == day("2026-03-01") &&
	    v[3].valid_to == day("2026-03-01") && v[4].valid_to == 0 &&
	    oms_history_valid(v, (size_t)n),
	    "two changes on one day leave an empty state, well formed");
	is_int(seq_on(id, "2026-03-01"), 5, "1 March takes the last change");
	{
		struct oms_asset_state x;

		ok(oms_history_at(st, arena, id, day("2026-03-01"), &x) ==
		    OMS_OK && x.ports == 3, "1 March: 3 ports");
	}
	is_int(seq_on(id, "2026-02-28"), 3, "28 February is still state 3");
	is_int(value("SELECT ports FROM assets WHERE id = %lld", (long long)id),
	    3, "the assets row has the last change's ports");
}

/* The assets of site matching q as of day (NULL: today): whether
 * asset is among them; -1 on error.  *total gets the count. */
static int
search_has(int64_t site, const char *on, int status, const char *text,
    int64_t asset, int64_t *total)
{
	struct oms_asset_query q;
	struct oms_asset_page pg;
	struct oms_scope all;
	int has = 0;

	memset(&all, 0, sizeof(all));
	memset(&q, 0, sizeof(q));
	q.site = site;
	q.type = -1;
	q.status = status;
	q.text = text;
	q.sort = OMS_SORT_TAG;
	q.limit = 1000;
	q.asof = on ? day(on) : 0;
	if (oms_asset_search(st, arena, &all, &q, &pg) != OMS_OK)
		return -1;
	for (size_t i = 0; i < pg.n; i++)
		if (pg.rows[i].id == asset)
			has = 1;
	*total = pg.total;
	return has;
}

/* The site asset query as of a day reads the states of that day. */
static void
test_asof(int64_t id)
{
	int64_t n = 0, m = 0;

	is_int(search_has(site_a, NULL, -1, NULL, id, &n), 1,
	    "as of today: the asset is at site A");
	is_int(search_has(site_a, "2026-01-09", -1, NULL, id, &n), 0,
	    "as of the day before installation: not there");
	is_int(search_has(site_a, "2026-01-10", -1, NULL, id, &n), 1,
	    "as of the installation day: at site A");
	is_int(search_has(site_a, "2026-02-10", -1, NULL, id, &n), 0,
	    "as of 10 February: not at site A");
	is_int(search_has(site_b, "2026-02-10", -1, NULL, id, &m), 1,
	    "as of 10 February: at site B");
	is_int(search_has(site_b, "2026-02-20", -1, NULL, id, &m), 0,
	    "as of 20 February: no longer at site B");
	is_int(search_has(site_a, "2026-02-20", -1, "0100", id, &n), 1,
	    "as of 20 February: at A, found by a piece of its number");
	is_int(search_has(site_a, "2026-02-20", OMS_STATUS_REMOVED, NULL, id, &n),
	    0, "as of 20 February: the status filter reads the state");
	is_int(search_has(site_a, "2026-03-01", -1, NULL, id, &n), 1,
	    "as of 1 March (two changes that day): listed once");
	is_int(n, value("SELECT COUNT(*) FROM asset_states WHERE site_id = %lld"
	    " AND valid_from <= '2026-03-01' AND (valid_to IS NULL OR"
	    " valid_to > '2026-03-01')", (long long)site_a),
	    "as of 1 March: the count is the states in effect that day");
}

/* A change dated before the latest state starts: refused, nothing
 * changed. */
static void
test_before(int64_t id)
{
	struct oms_asset_state s = state(id, site_b, "2026-02-28"), *v;
	const char *why = NULL;
	int64_t rows = value("SELECT COUNT(*) FROM asset_states WHERE"
	    " asset_id = %lld", (long long)id);
	long n;

	ok(append(&s, &why) == OMS_ERR_CONFLICT && why != NULL,
	    "a change before the latest state bad: OMS_ERR_CONFLICT with why");
	is_int(value("SELECT COUNT(*) FROM asset_states WHERE asset_id = %lld",
	    (long long)id), rows, "before: no state added");
	n = list(id, &v);
	ok(n == 5 && v[4].valid_to == 0 && v[4].valid_from == day("2026-03-01"),
	    "before: the open state is still open from 1 March");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " site_id = (SELECT MIN(id) FROM sites)", (long long)id), 1,
	    "before: the assets row did not move");
	s = state(id, site_b, "2026-01-01");
	ok(append(&s, &why) == OMS_ERR_CONFLICT,
	    "a change before installation bad: OMS_ERR_CONFLICT");
	s = state(id, site_b, "2026-03-02");
	s.status = OMS_STATUS__MAX;
	ok(append(&s, &why) == OMS_ERR_INVAL,
	    "a change to an unknown status bad: OMS_ERR_INVAL");
	s = state(id + 1000, site_b, "2026-03-02");
	ok(append(&s, &why) == OMS_ERR_CONFLICT && why != NULL,
	    "a change to an asset that does not exist bad: refused");
}

/* Removal: not on the installation day; after it, no change. */
static void
test_removal(void)
{
	struct oms_asset_state s = state(0, site_b, "2026-04-01"), *v;
	const char *why = NULL;
	int64_t id = 0;
	long n;

	ok(install(NULL, &s, &id, &why) == OMS_OK, "install a second asset");
	s = state(id, site_b, "2026-04-01");
	s.status = OMS_STATUS_REMOVED;
	ok(append(&s, &why) == OMS_ERR_CONFLICT && why != NULL,
	    "removal on the installation day bad: OMS_ERR_CONFLICT");
	n = list(id, &v);
	ok(n == 1 && v[0].valid_to == 0, "that removal changed no state");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " removed_on IS NULL AND status = 'active'", (long long)id), 1,
	    "that removal left the assets row in service");

	s = state(id, site_b, "2026-04-02");
	s.status = OMS_STATUS_REMOVED;
	ok(append(&s, &why) == OMS_OK, "removal the next day");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " removed_on = '2026-04-02' AND status = 'removed'", (long long)id),
	    1, "removal: the assets row has removed_on and status");
	is_int(seq_on(id, "2026-04-01"), 1, "the last day in service: state 1");
	is_int(seq_on(id, "2026-04-02"), 2, "the removal day: the removed state");

	s = state(id, site_a, "2026-04-05");
	ok(append(&s, &why) == OMS_ERR_CONFLICT && why != NULL,
	    "a change to a removed asset bad: OMS_ERR_CONFLICT");
	s = state(id, site_a, "2026-04-05");
	s.status = OMS_STATUS_REMOVED;
	ok(append(&s, &why) == OMS_ERR_CONFLICT,
	    "a second removal bad: OMS_ERR_CONFLICT");
	n = list(id, &v);
	ok(n == 2 && v[1].valid_to == 0 && v[1].status == OMS_STATUS_REMOVED &&
	    oms_history_valid(v, (size_t)n),
	    "a removed asset keeps its two states");
}

/* oms_history_valid on lists made by hand. */
static void
test_valid(void)
{
	struct oms_asset_state g[3];

	memset(g, 0, sizeof(g));
	for (int i = 0; i < 3; i++)
		g[i].seq = i + 1;
	g[0].valid_from = 10;
	g[0].valid_to = 20;
	g[1].valid_from = 20;
	g[1].valid_to = 20;
	g[2].valid_from = 20;
	ok(oms_history_valid(g, 3), "valid: three states with an empty one");
	ok(oms_history_valid(g, 0), "valid: no states");
	ok(oms_history_valid(g + 2, 0) && oms_history_valid(g, 2),
	    "valid: a prefix of a good list");
	{
		struct oms_asset_state b[3];

		memcpy(b, g, sizeof(b));
		b[1].seq = 3;
		ok(!oms_history_valid(b, 3), "valid: a seq out of order bad");
		memcpy(b, g, sizeof(b));
		b[2].valid_from = 21;
		ok(!oms_history_valid(b, 3), "valid: a gap between states bad");
		memcpy(b, g, sizeof(b));
		b[1].valid_from = 19;
		ok(!oms_history_valid(b, 3), "valid: overlapping states bad");
		memcpy(b, g, sizeof(b));
		b[1].valid_to = 0;
		ok(!oms_history_valid(b, 3), "valid: an open state before the last bad");
		memcpy(b, g, sizeof(b));
		b[0].valid_to = 5;
		b[1].valid_from = 5;
		b[1].valid_to = 5;
		b[2].valid_from = 5;
		ok(!oms_history_valid(b, 3), "valid: a state ending before it starts bad");
	}
}

/* Tags: a given tag, a taken one, and generated tags that skip taken
 * ones. */
static void
test_tags(void)
{
	struct oms_asset_state s = state(0, site_a, "2026-05-01");
	const char *why = NULL;
	int64_t id1 = 0, id2 = 0, id3 = 0, n;
	char want[32];

	ok(install("IMPORTED-1", &s, &id1, &why) == OMS_OK,
	    "tags: install with a given tag");
	is_int(value("SELECT COUNT(*) FROM assets WHERE id = %lld AND"
	    " tag = 'IMPORTED-1'", (long long)id1), 1, "tags: the given tag is kept");
	n = value_sql("SELECT COUNT(*) FROM assets");
	s = state(0, site_a, "2026-05-01");
	ok(install("IMPORTED-1", &s, &id2, &why) == OMS_ERR_CONFLICT &&
	    why != NULL && id2 == 0, "tags: a taken tag bad: OMS_ERR_CONFLICT");
	is_int(value_sql("SELECT COUNT(*) FROM assets"), n,
	    "tags: the refused install added no asset");
	is_int(value_sql("SELECT COUNT(*) FROM asset_states WHERE asset_id NOT IN"
	    " (SELECT id FROM assets)"), 0, "tags: and no orphan state");

	s = state(0, site_a, "2026-05-01");
	ok(install("", &s, &id2, &why) == OMS_ERR_INVAL && why != NULL,
	    "tags: an empty tag bad: OMS_ERR_INVAL");
	/* Generate one, take the next number by hand, generate again. */
	s = state(0, site_a, "2026-05-01");
	ok(install(NULL, &s, &id2, &why) == OMS_OK, "tags: a generated tag");
	n = tb_be->value(DB, "SELECT MAX(CAST(SUBSTR(tag, 2) AS SIGNED))"
	    " FROM assets WHERE tag LIKE 'A________'");
	if (tb_be->kind == OMS_BACKEND_SQLITE)
		n = tb_be->value(DB, "SELECT MAX(CAST(SUBSTR(tag, 2) AS INTEGER))"
		    " FROM assets WHERE tag LIKE 'A________'");
	snprintf(want, sizeof(want), "A%08lld", (long long)(n + 1));
	s = state(0, site_a, "2026-05-01");
	ok(install(want, &s, &id3, &why) == OMS_OK,
	    "tags: the series' next tag %s taken by hand", want);
	s = state(0, site_a, "2026-05-01");
	ok(install(NULL, &s, &id3, &why) == OMS_OK, "tags: generate again");
	snprintf(want, sizeof(want), "A%08lld", (long long)(n + 2));
	{
		struct oms_asset_detail d;

		ok(oms_asset_get(st, arena, &oms_scope_all, id3, &d) == OMS_OK &&
		    d.a.tag != NULL && strcmp(d.a.tag, want) == 0,
		    "tags: the generated tag skips the taken one (%s)", want);
	}
	is_int(value_sql("SELECT COUNT(*) - COUNT(DISTINCT tag) FROM assets"),
	    0, "tags: all unique");
}

/* An add-on on a parent: installed with its parent, read back by the
 * asset page's reads (oms_asset_get, oms_asset_addons) and the site
 * asset query, which names its type. */
static void
test_addon(int64_t parent)
{
	struct oms_query *q = oms_query(st, OMS_STMT_PRODUCT_ADD);
	struct oms_asset_state s;
	struct oms_asset_detail d;
	struct oms_asset *v;
	struct oms_scope all, other;
	const char *why = NULL;
	int64_t addon_product, id = 0, n = 0;
	size_t nv = 0;

	oms_query_text(q, "REC");
	oms_query_text(q, "Call recording");
	oms_query_text(q, "addon");
	oms_query_text(q, "flat");
	oms_query_int(q, 0);
	oms_query_int(q, 1);
	addon_product = added(q, "add-on product");
	s = state(0, site_a, "2026-05-02");
	s.product = addon_product;
	s.number = NULL;
	ok(oms_store_begin(st) == OMS_OK &&
	    oms_history_install(st, NULL, parent, &s, &id, &why) == OMS_OK &&
	    oms_store_commit(st) == OMS_OK, "add-on: installed on its parent");
	memset(&all, 0, sizeof(all));
	ok(oms_asset_get(st, arena, &all, id, &d) == OMS_OK &&
	    d.type_name != NULL && strcmp(d.type_name, "addon") == 0 &&
	    d.parent == parent && d.parent_tag != NULL && d.a.addon &&
	    d.site == site_a && d.site_code != NULL &&
	    strcmp(d.site_code, "A") == 0, "add-on: its page reads type, parent and site");
	ok(oms_asset_addons(st, arena, parent, &v, &nv) == OMS_OK && nv == 1 &&
	    v[0].id == id && v[0].addon, "add-on: listed among its parent's add-ons");
	ok(oms_asset_addons(st, arena, id, &v, &nv) == OMS_OK && nv == 0,
	    "add-on: has no add-ons of its own");
	is_int(search_has(site_a, NULL, -1, NULL, id, &n), 1,
	    "add-on: in the site asset query");
	memset(&other, 0, sizeof(other));
	other.customer = 999999;
	ok(oms_asset_get(st, arena, &other, id, &d) == OMS_ERR_NOTFOUND,
	    "add-on: another customer's scope bad: OMS_ERR_NOTFOUND");
	ok(oms_asset_get(st, arena, &all, id + 1000, &d) == OMS_ERR_NOTFOUND,
	    "an asset that does not exist bad: OMS_ERR_NOTFOUND");
}

/* One pass. */
static void
pass(void)
{
	int applied = 0;
	int64_t id = 0;

	if ((st = tb_open(DB, OMS_STORE_CREATE)) == NULL)
		return;
	if (oms_migrate(st, &applied) != OMS_OK) {
		ok(0, "migrate");
		oms_store_close(&st);
		return;
	}
	arena = oms_arena_new();
	scene();
	test_install(&id);
	test_moves(id);
	test_asof(id);
	test_addon(id);
	test_before(id);
	test_removal();
	test_valid();
	test_tags();
	oms_arena_free(&arena);
	oms_store_close(&st);
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	tb_run(pass);
	return tap_done();
}

/*
 * test_catalog.c: the catalog (src/domain/catalog.c) against a real
 * store, once for each backend (the shared harness, backend.h: SQLite
 * always, MariaDB when OMS_MARIADB_SOCKET is set): effective-dated
 * prices, contract prices over the catalog, fee precedence, usage tiers,
 * the recurring charge, idempotent and conflicting writes, and their
 * audit records.  What needs no store (tier text, the recurring charge,
 * the name tables) runs once, before the passes.
 * Negative cases say "bad".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "conf.h"
#include "date.h"
#include "inventory.h"
#include "migrate.h"
#include "money.h"
#include "oms.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

static const struct oms_actor tester = {0, "test", "local"};

/* Day number of "YYYY-MM-DD" (0 for a bad one, which the tests never
 * pass). */
static int32_t
day(const char *s)
{
	int32_t d = 0;

	oms_date_parse(s, &d);
	return d;
}

/* Tier text in and out, with the bad inputs the parser must refuse. */
static void
test_tiers(struct oms_arena *a)
{
	static const char *const bad[] = {
		"", "bad", "1:0.03", "0:0.035;0:0.03", "0:0.035;1000:0.03;500:0.02",
		"0:0.0350;", ";0:0.035", "0:", ":0.035", "0:0.1234567", "0:.5",
		"0:1.", "0:-1", "-1:0.03", "0:0.035; 1000:0.03", "0:0,035",
		"0:0.035;1000", "0:1e3", "0:0.035x", "0:1234567890.0",
	};
	struct oms_usage_tier *t = NULL;
	size_t n = 0;
	const char *why = NULL;

	ok(oms_usage_tiers_parse(a, "0:0.0350;1000:0.0300", &t, &n, &why) ==
	    OMS_OK && n == 2, "tiers: two tiers parse");
	if (n == 2) {
		is_int(t[0].from_units, 0, "tiers: the first from 0");
		is_int(t[0].rate_micros, 35000, "tiers: 0.0350 is 35000 micros");
		is_int(t[1].from_units, 1000, "tiers: the second from 1000");
		is_int(t[1].rate_micros, 30000, "tiers: 0.0300 is 30000 micros");
		is_str(oms_usage_tiers_format(a, t, n), "0:0.035;1000:0.03",
		    "tiers: formatted with trailing zeros dropped");
	}
	ok(oms_usage_tiers_parse(a, "0:2", &t, &n, &why) == OMS_OK && n == 1 &&
	    t[0].rate_micros == 2000000, "tiers: a whole rate");
	is_str(oms_usage_tiers_format(a, t, n), "0:2.0",
	    "tiers: a whole rate keeps one decimal");
	ok(oms_usage_tiers_parse(a, "0:0.000001;5:12.5;100:0", &t, &n, &why) ==
	    OMS_OK && n == 3 && t[0].rate_micros == 1 &&
	    t[1].rate_micros == 12500000 && t[2].rate_micros == 0,
	    "tiers: six decimals, a rate with one, and a free tier");
	is_str(oms_usage_tiers_format(a, t, n), "0:0.000001;5:12.5;100:0.0",
	    "tiers: formatted back");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		ok(oms_usage_tiers_parse(a, bad[i], &t, &n, &why) ==
		    OMS_ERR_INVAL && why != NULL, "tiers bad: '%s' refused "
		    "with why", bad[i]);
	}
}

/* The recurring charge and the name tables. */
static void
test_recurring_names(void)
{
	int64_t c = -1;

	ok(oms_price_recurring(OMS_CHARGE_FLAT, 1250, 12, &c) == OMS_OK &&
	    c == 1250, "recurring: flat ignores ports");
	ok(oms_price_recurring(OMS_CHARGE_PER_PORT, 1250, 12, &c) == OMS_OK &&
	    c == 15000, "recurring: per_port is monthly times ports");
	ok(oms_price_recurring(OMS_CHARGE_PER_PORT, 1250, 0, &c) == OMS_OK &&
	    c == 0, "recurring: per_port with no ports is 0");
	ok(oms_price_recurring(OMS_CHARGE_PER_PORT, INT64_MAX / 2, 3, &c) ==
	    OMS_ERR_INVAL, "recurring bad: overflow refused");
	ok(oms_price_recurring(OMS_CHARGE_PER_PORT, OMS_MONEY_MAX, 2, &c) ==
	    OMS_ERR_INVAL, "recurring bad: past the money limit refused");
	ok(oms_price_recurring(OMS_CHARGE_FLAT, -1, 1, &c) == OMS_ERR_INVAL,
	    "recurring bad: a negative monthly refused");
	ok(oms_price_recurring(OMS_CHARGE_PER_PORT, 1, -1, &c) == OMS_ERR_INVAL,
	    "recurring bad: negative ports refused");
	is_int(oms_mac_lookup("disconnect"), OMS_MAC_DISCONNECT,
	    "names: disconnect");
	is_int(oms_mac_lookup("bad"), -1, "names bad: an unknown action");
	is_int(oms_charge_lookup("per_port"), OMS_CHARGE_PER_PORT,
	    "names: per_port");
	is_int(oms_product_type_lookup("addon"), OMS_PRODUCT_TYPE_ADDON,
	    "names: addon");
	is_int(oms_product_type_lookup("mailbox"), OMS_ASSET_MAILBOX,
	    "names: mailbox is the asset type");
	is_int(oms_product_type_lookup(NULL), -1, "names bad: NULL");
}

/* A fresh migrated store of the pass with demo data; NULL on failure. */
static struct oms_store *
fresh(void)
{
	struct oms_conf c;
	struct oms_store *st;
	struct oms_seed_opts o = {2, 2, 5, 3, 0};
	struct oms_seed_stats ss;
	int applied;

	oms_conf_defaults(&c);
	tb_be->conf(&c.store, "catalog");
	if (!tb_be->create("catalog") ||
	    oms_store_open(&c.store, OMS_STORE_CREATE, &oms_stmt_table, &st) !=
	    OMS_OK)
		return NULL;
	if (oms_migrate(st, &applied) != OMS_OK ||
	    oms_seed_demo(st, &o, &ss) != OMS_OK) {
		oms_store_close(&st);
		return NULL;
	}
	return st;
}

/* The audit records of entity, by count. */
static int64_t
audits(struct oms_store *st, struct oms_arena *a, const char *entity)
{
	struct oms_audit_filter f = {entity, NULL, NULL, 1, 0};
	struct oms_audit_record *v;
	size_t n;
	int64_t total = -1;

	if (oms_audit_list(st, a, &f, &v, &n, &total) != OMS_OK)
		return -1;
	return total;
}

/* Begin a unit of work for a write; end it with end_unit(). */
static void
begin(struct oms_store *st)
{
	if (oms_store_begin(st) != OMS_OK)
		ok(0, "begin a unit of work");
}

/* Commit when e is OMS_OK, else roll back; returns e. */
static enum oms_err
end_unit(struct oms_store *st, enum oms_err e)
{
	if (e == OMS_OK)
		return oms_store_commit(st);
	oms_store_rollback(st);
	return e;
}

/* Add a catalog price in a unit of work. */
static enum oms_err
price(struct oms_store *st, int64_t product, const char *from, int64_t cents,
    int *added)
{
	begin(st);
	return end_unit(st, oms_price_add(st, &tester, product, from, cents,
	    added));
}

/* Add a contract price in a unit of work. */
static enum oms_err
contract(struct oms_store *st, int64_t customer, int64_t product,
    const char *from, const char *to, int64_t cents, int *added)
{
	struct oms_contract_price c = {0, customer, NULL, product, NULL, from,
	    to, cents};
	const char *why = NULL;

	begin(st);
	return end_unit(st, oms_contract_price_add(st, &tester, &c, added,
	    &why));
}

/* Add a fee in a unit of work; product 0: any. */
static enum oms_err
fee(struct oms_store *st, enum oms_mac action, int64_t product,
    const char *from, int64_t cents, int *added)
{
	struct oms_fee f = {0, action, product, NULL, from, cents};

	begin(st);
	return end_unit(st, oms_fee_add(st, &tester, &f, added));
}

/* Put a product in a unit of work. */
static enum oms_err
put(struct oms_store *st, const struct oms_product *p, int64_t *id,
    const char **why)
{
	begin(st);
	return end_unit(st, oms_product_put(st, &tester, p, id, why));
}

/* Products: create, read, update, refuse a type change once used. */
static void
test_products(struct oms_store *st, struct oms_arena *a, int64_t *pid)
{
	struct oms_product p = {0, "TST-TRUNK", "Test trunk", OMS_ASSET_LINE,
	    OMS_CHARGE_PER_PORT, "minute", 1, 30, 0, 0};
	struct oms_product got, *list = NULL;
	const char *why = NULL;
	int64_t id = 0, id2 = 0, n0 = audits(st, a, "product");
	size_t n = 0;
	int found = 0;

	ok(put(st, &p, &id, &why) == OMS_OK && id > 0, "product: added");
	*pid = id;
	ok(oms_product_get(st, a, id, NULL, &got) == OMS_OK &&
	    strcmp(got.code, "TST-TRUNK") == 0 && got.charge ==
	    OMS_CHARGE_PER_PORT && strcmp(got.usage_unit, "minute") == 0 &&
	    got.min_ports == 1 && got.max_ports == 30 && got.monthly_cents == -1,
	    "product: read back by id, no price yet");
	ok(oms_product_get(st, a, 0, "TST-TRUNK", &got) == OMS_OK &&
	    got.id == id, "product: read back by code");
	is_int(oms_product_get(st, a, 0, "NO-SUCH", &got), OMS_ERR_NOTFOUND,
	    "product bad: an unknown code is NOTFOUND");
	is_int(audits(st, a, "product"), n0 + 1, "product: one audit record");
	ok(put(st, &p, &id2, &why) == OMS_OK && id2 == id,
	    "product: the same again changes nothing");
	is_int(audits(st, a, "product"), n0 + 1,
	    "product: the same again writes no audit record");
	p.name = "Test trunk, renamed";
	p.type = OMS_PRODUCT_TYPE_ADDON;
	ok(put(st, &p, &id2, &why) == OMS_OK && id2 == id &&
	    oms_product_get(st, a, id, NULL, &got) == OMS_OK &&
	    strcmp(got.name, "Test trunk, renamed") == 0 &&
	    got.type == OMS_PRODUCT_TYPE_ADDON,
	    "product: name and type change while it has no assets");
	is_int(audits(st, a, "product"), n0 + 2, "product: the update audited");
	p.name = "";
	ok(put(st, &p, &id2, &why) == OMS_ERR_INVAL && why != NULL,
	    "product bad: an empty name refused with why");
	p.name = "x";
	p.min_ports = 5;
	p.max_ports = 4;
	ok(put(st, &p, &id2, &why) == OMS_ERR_INVAL && why != NULL,
	    "product bad: max ports below min refused");
	p.code = "HAS SPACE";
	p.min_ports = 0;
	ok(put(st, &p, &id2, &why) == OMS_ERR_INVAL && why != NULL,
	    "product bad: a code with a space refused");

	/* A demo product with assets: its type and charge stay. */
	ok(oms_product_list(st, a, day("2020-01-01"), &list, &n) == OMS_OK &&
	    n > 0, "product: the list");
	for (size_t i = 0; i < n && !found; i++) {
		struct oms_product q = list[i];

		if (q.assets == 0)
			continue;
		found = 1;
		ok(q.monthly_cents > 0, "product: a demo product's price of "
		    "2020-01-01 in the list");
		q.name = "Renamed while in use";
		ok(put(st, &q, &id2, &why) == OMS_OK && id2 == q.id,
		    "product: the name of a product with assets changes");
		q.type = q.type == OMS_ASSET_LINE ? OMS_ASSET_SET : OMS_ASSET_LINE;
		why = NULL;
		ok(put(st, &q, &id2, &why) == OMS_ERR_CONFLICT && why != NULL,
		    "product bad: the type of a product with assets refused");
		q.type = list[i].type;
		q.charge = q.charge == OMS_CHARGE_FLAT ? OMS_CHARGE_PER_PORT :
		    OMS_CHARGE_FLAT;
		why = NULL;
		ok(put(st, &q, &id2, &why) == OMS_ERR_CONFLICT && why != NULL,
		    "product bad: the charge of a product with assets refused");
		ok(oms_product_get(st, a, q.id, NULL, &got) == OMS_OK &&
		    got.type == list[i].type && got.charge == list[i].charge,
		    "product: type and charge as they were");
	}
	ok(found, "product: the demo data has a product with assets");
}

/* Catalog prices by date, and the same or another price again. */
static void
test_prices(struct oms_store *st, struct oms_arena *a, int64_t pid)
{
	struct oms_price *v = NULL;
	int64_t c = -1, n0 = audits(st, a, "product_price");
	int added = -1, contract_ = -1;
	size_t n = 0;

	is_int(oms_price_monthly(st, 0, pid, day("2024-01-01"), &c, &contract_),
	    OMS_ERR_NOTFOUND, "price bad: none before the first");
	ok(price(st, pid, "2024-01-01", 1000, &added) == OMS_OK && added == 1,
	    "price: the first added");
	ok(price(st, pid, "2024-03-01", 1200, &added) == OMS_OK && added == 1,
	    "price: a change from 2024-03-01 added");
	is_int(audits(st, a, "product_price"), n0 + 2,
	    "price: two audit records");
	is_int(oms_price_monthly(st, 0, pid, day("2023-12-31"), &c, &contract_),
	    OMS_ERR_NOTFOUND, "price bad: none the day before the first");
	ok(oms_price_monthly(st, 0, pid, day("2024-01-01"), &c, &contract_) ==
	    OMS_OK && c == 1000 && contract_ == 0,
	    "price: the first on its own date");
	ok(oms_price_monthly(st, 0, pid, day("2024-02-29"), &c, &contract_) ==
	    OMS_OK && c == 1000, "price: the first the day before the change");
	ok(oms_price_monthly(st, 0, pid, day("2024-03-01"), &c, &contract_) ==
	    OMS_OK && c == 1200, "price: the change on its date");
	ok(oms_price_monthly(st, 0, pid, day("2030-06-15"), &c, &contract_) ==
	    OMS_OK && c == 1200, "price: the change long after");
	ok(price(st, pid, "2024-03-01", 1200, &added) == OMS_OK && added == 0,
	    "price: the same date and amount again changes nothing");
	is_int(price(st, pid, "2024-03-01", 1300, &added), OMS_ERR_CONFLICT,
	    "price bad: another amount on a priced date is a conflict");
	is_int(audits(st, a, "product_price"), n0 + 2,
	    "price: no audit record for the repeat or the conflict");
	is_int(price(st, pid, "2024-02-30", 1, &added), OMS_ERR_INVAL,
	    "price bad: an invalid date");
	is_int(price(st, pid, "2024-05-01", -1, &added), OMS_ERR_INVAL,
	    "price bad: a negative amount");
	is_int(price(st, 999999, "2024-05-01", 1, &added), OMS_ERR_NOTFOUND,
	    "price bad: an unknown product");
	ok(oms_price_list(st, a, pid, &v, &n) == OMS_OK && n == 2 &&
	    strcmp(v[0].valid_from, "2024-03-01") == 0 &&
	    v[0].monthly_cents == 1200 && v[1].monthly_cents == 1000,
	    "price: the history, newest first");
}

/* Contract prices over the catalog's, by window and overlap. */
static void
test_contracts(struct oms_store *st, struct oms_arena *a, int64_t pid)
{
	struct oms_customer *cs = NULL;
	struct oms_contract_price *v = NULL;
	struct oms_contract_price bad = {0, 0, "NO-SUCH-CUSTOMER", pid, NULL,
	    "2024-01-01", NULL, 1};
	struct oms_scope mine = {0, 0}, theirs = {0, 0};
	size_t ncs = 0, n = 0;
	int64_t cust, other, c = -1, n0 = audits(st, a, "contract_price");
	int added = -1, k = -1;
	const char *why = NULL;

	if (oms_customer_names(st, a, &oms_scope_all, &cs, &ncs) != OMS_OK ||
	    ncs < 2) {
		ok(0, "contract: two demo customers");
		return;
	}
	cust = cs[0].id;
	other = cs[1].id;
	mine.customer = cust;
	theirs.customer = other;
	ok(contract(st, cust, pid, "2024-04-01", "2024-07-01", 900, &added) ==
	    OMS_OK && added == 1, "contract: April to June added");
	ok(contract(st, cust, pid, "2024-05-01", NULL, 800, &added) ==
	    OMS_OK && added == 1, "contract: an open one from May added");
	is_int(audits(st, a, "contract_price"), n0 + 2,
	    "contract: two audit records");
	ok(oms_price_monthly(st, cust, pid, day("2024-03-31"), &c, &k) ==
	    OMS_OK && c == 1200 && k == 0,
	    "contract: the catalog before its window");
	ok(oms_price_monthly(st, cust, pid, day("2024-04-01"), &c, &k) ==
	    OMS_OK && c == 900 && k == 1,
	    "contract: beats the catalog from its first day");
	ok(oms_price_monthly(st, cust, pid, day("2024-05-01"), &c, &k) ==
	    OMS_OK && c == 800 && k == 1,
	    "contract: of overlapping ones the latest valid_from wins");
	ok(oms_price_monthly(st, cust, pid, day("2024-07-01"), &c, &k) ==
	    OMS_OK && c == 800 && k == 1,
	    "contract: the open one after the other's valid_to");
	ok(oms_price_monthly(st, other, pid, day("2024-05-01"), &c, &k) ==
	    OMS_OK && c == 1200 && k == 0,
	    "contract: another customer pays the catalog price");
	ok(contract(st, other, pid, "2024-04-01", "2024-05-01", 700, &added) ==
	    OMS_OK && added == 1, "contract: another customer's April");
	ok(oms_price_monthly(st, other, pid, day("2024-04-30"), &c, &k) ==
	    OMS_OK && c == 700 && k == 1,
	    "contract: on the last day of its window");
	ok(oms_price_monthly(st, other, pid, day("2024-05-01"), &c, &k) ==
	    OMS_OK && c == 1200 && k == 0,
	    "contract: not on its valid_to (excluded)");
	ok(contract(st, other, pid, "2024-04-01", "2024-05-01", 700, &added) ==
	    OMS_OK && added == 0, "contract: the same again changes nothing");
	is_int(contract(st, other, pid, "2024-04-01", "2024-06-01", 700,
	    &added), OMS_ERR_CONFLICT,
	    "contract bad: another valid_to for the same key is a conflict");
	is_int(contract(st, other, pid, "2024-04-01", NULL, 700, &added),
	    OMS_ERR_CONFLICT, "contract bad: open instead of closed conflicts");
	is_int(contract(st, other, pid, "2024-04-01", "2024-05-01", 701,
	    &added), OMS_ERR_CONFLICT,
	    "contract bad: another amount for the same key is a conflict");
	is_int(contract(st, other, pid, "2024-04-01", "2024-04-01", 1, &added),
	    OMS_ERR_INVAL, "contract bad: valid_to not after valid_from");
	begin(st);
	is_int(end_unit(st, oms_contract_price_add(st, &tester, &bad, &added,
	    &why)), OMS_ERR_INVAL, "contract bad: an unknown customer code");
	ok(why != NULL, "contract bad: the unknown customer says why");
	bad.customer_code = cs[0].code;
	bad.valid_from = "2025-01-01";
	begin(st);
	ok(end_unit(st, oms_contract_price_add(st, &tester, &bad, &added,
	    &why)) == OMS_OK && added == 1, "contract: by customer code");
	is_int(audits(st, a, "contract_price"), n0 + 4,
	    "contract: an audit record for each added, none for the rest");

	ok(oms_contract_price_list(st, a, &oms_scope_all, 0, pid, &v, &n) ==
	    OMS_OK && n == 4, "contract: staff see all four");
	ok(oms_contract_price_list(st, a, &mine, 0, pid, &v, &n) == OMS_OK &&
	    n == 3, "contract: a customer sees its three");
	for (size_t i = 0; i < n; i++)
		if (v[i].customer != cust)
			ok(0, "contract bad: a customer sees another's");
	ok(n == 3 && strcmp(v[0].valid_from, "2025-01-01") == 0 &&
	    v[2].valid_to != NULL && strcmp(v[2].valid_to, "2024-07-01") == 0 &&
	    v[1].valid_to == NULL, "contract: newest first, open as NULL");
	ok(oms_contract_price_list(st, a, &mine, other, pid, &v, &n) ==
	    OMS_OK && n == 0, "contract bad: a customer asking for another's "
	    "gets none");
	ok(oms_contract_price_list(st, a, &theirs, 0, 0, &v, &n) == OMS_OK &&
	    n == 1 && v[0].customer == other, "contract: the other customer "
	    "sees its one");
}

/* Fees: a product's own fee over the any-product fee, by date. */
static void
test_fees(struct oms_store *st, struct oms_arena *a, int64_t pid)
{
	struct oms_fee *v = NULL;
	struct oms_fee byc = {0, OMS_MAC_CHANGE, 0, "TST-TRUNK", "2024-01-01",
	    4200};
	int64_t c = -1, n0 = audits(st, a, "fee");
	int added = -1;
	size_t n = 0;

	is_int(oms_price_fee(st, OMS_MAC_MOVE, pid, day("2024-06-01"), &c),
	    OMS_ERR_NOTFOUND, "fee bad: none at all");
	ok(fee(st, OMS_MAC_MOVE, 0, "2024-01-01", 5000, &added) == OMS_OK &&
	    added == 1, "fee: an any-product move fee");
	ok(fee(st, OMS_MAC_MOVE, pid, "2024-03-01", 7500, &added) == OMS_OK &&
	    added == 1, "fee: the product's own move fee from March");
	ok(fee(st, OMS_MAC_MOVE, 0, "2024-06-01", 5500, &added) == OMS_OK &&
	    added == 1, "fee: a later any-product fee");
	is_int(audits(st, a, "fee"), n0 + 3, "fee: three audit records");
	is_int(oms_price_fee(st, OMS_MAC_MOVE, pid, day("2023-12-31"), &c),
	    OMS_ERR_NOTFOUND, "fee bad: none before the first");
	ok(oms_price_fee(st, OMS_MAC_MOVE, pid, day("2024-02-01"), &c) ==
	    OMS_OK && c == 5000, "fee: the any-product fee before the own");
	ok(oms_price_fee(st, OMS_MAC_MOVE, pid, day("2024-03-01"), &c) ==
	    OMS_OK && c == 7500, "fee: the product's own from its date");
	ok(oms_price_fee(st, OMS_MAC_MOVE, pid, day("2024-07-01"), &c) ==
	    OMS_OK && c == 7500,
	    "fee: the product's own beats a later any-product fee");
	ok(oms_price_fee(st, OMS_MAC_MOVE, pid + 1000, day("2024-07-01"), &c) ==
	    OMS_OK && c == 5500, "fee: another product pays the any fee");
	ok(oms_price_fee(st, OMS_MAC_MOVE, 0, day("2024-05-01"), &c) ==
	    OMS_OK && c == 5000, "fee: no product, the any fee in effect");
	is_int(oms_price_fee(st, OMS_MAC_ADD, pid, day("2024-07-01"), &c),
	    OMS_ERR_NOTFOUND, "fee bad: none for another action");
	ok(fee(st, OMS_MAC_MOVE, 0, "2024-01-01", 5000, &added) == OMS_OK &&
	    added == 0, "fee: the same any fee again changes nothing");
	is_int(fee(st, OMS_MAC_MOVE, 0, "2024-01-01", 5001, &added),
	    OMS_ERR_CONFLICT, "fee bad: another any fee on its date conflicts");
	is_int(fee(st, OMS_MAC_MOVE, pid, "2024-03-01", 1, &added),
	    OMS_ERR_CONFLICT, "fee bad: another own fee on its date conflicts");
	is_int(fee(st, OMS_MAC__MAX, pid, "2024-03-01", 1, &added),
	    OMS_ERR_INVAL, "fee bad: an unknown action");
	begin(st);
	ok(end_unit(st, oms_fee_add(st, &tester, &byc, &added)) == OMS_OK &&
	    added == 1, "fee: by product code");
	is_int(audits(st, a, "fee"), n0 + 4, "fee: four audit records");
	ok(oms_fee_list(st, a, pid, &v, &n) == OMS_OK && n == 4 &&
	    strcmp(v[0].valid_from, "2024-06-01") == 0 && v[0].product == 0 &&
	    v[0].product_code == NULL, "fee: the product's list has its own "
	    "and the any fees, newest first");
	ok(oms_fee_list(st, a, pid + 1000, &v, &n) == OMS_OK && n == 2,
	    "fee: another product's list has the any fees");
}

/* Usage prices with tiers. */
static void
test_usage(struct oms_store *st, struct oms_arena *a, int64_t pid)
{
	struct oms_usage_price u, got, *v = NULL;
	struct oms_usage_tier *t = NULL;
	size_t nt = 0, n = 0;
	const char *why = NULL;
	int64_t n0 = audits(st, a, "usage_price");
	int added = -1;

	if (oms_usage_tiers_parse(a, "0:0.0350;1000:0.0300", &t, &nt, &why) !=
	    OMS_OK) {
		ok(0, "usage: tiers");
		return;
	}
	memset(&u, 0, sizeof(u));
	u.product = pid;
	u.valid_from = "2024-02-01";
	u.unit = "minute";
	u.included = 100;
	u.tiers = t;
	u.ntiers = nt;
	begin(st);
	ok(end_unit(st, oms_usage_price_add(st, &tester, &u, &added, &why)) ==
	    OMS_OK && added == 1, "usage: added");
	is_int(oms_price_usage(st, a, pid, day("2024-01-31"), &got),
	    OMS_ERR_NOTFOUND, "usage bad: none before its date");
	ok(oms_price_usage(st, a, pid, day("2024-02-01"), &got) == OMS_OK &&
	    got.included == 100 && strcmp(got.unit, "minute") == 0 &&
	    got.ntiers == 2 && got.tiers[1].from_units == 1000 &&
	    got.tiers[1].rate_micros == 30000, "usage: in effect with tiers");
	begin(st);
	ok(end_unit(st, oms_usage_price_add(st, &tester, &u, &added, &why)) ==
	    OMS_OK && added == 0, "usage: the same again changes nothing");
	u.tiers[1].rate_micros = 29000;
	begin(st);
	is_int(end_unit(st, oms_usage_price_add(st, &tester, &u, &added,
	    &why)), OMS_ERR_CONFLICT, "usage bad: other tiers on its date");
	u.valid_from = "2024-08-01";
	begin(st);
	ok(end_unit(st, oms_usage_price_add(st, &tester, &u, &added, &why)) ==
	    OMS_OK && added == 1, "usage: a new price from August");
	u.tiers[0].from_units = 5;
	u.valid_from = "2024-09-01";
	begin(st);
	is_int(end_unit(st, oms_usage_price_add(st, &tester, &u, &added,
	    &why)), OMS_ERR_INVAL, "usage bad: a first tier not from 0");
	is_int(audits(st, a, "usage_price"), n0 + 2,
	    "usage: an audit record for each added");
	ok(oms_usage_price_list(st, a, pid, &v, &n) == OMS_OK && n == 2 &&
	    strcmp(v[0].valid_from, "2024-08-01") == 0 && v[0].ntiers == 2 &&
	    v[0].tiers[1].rate_micros == 29000 && v[1].tiers[1].rate_micros ==
	    30000, "usage: the list, newest first, each with its tiers");
}

/* Tax rates. */
static void
test_taxes(struct oms_store *st, struct oms_arena *a)
{
	struct oms_tax_rate t = {0, "CA-QC", "QST", "2024-01-01", 99750};
	struct oms_tax_rate *v = NULL;
	size_t n = 0;
	int added = -1;

	begin(st);
	ok(end_unit(st, oms_tax_rate_add(st, &tester, &t, &added)) == OMS_OK &&
	    added == 1, "tax: added");
	begin(st);
	ok(end_unit(st, oms_tax_rate_add(st, &tester, &t, &added)) == OMS_OK &&
	    added == 0, "tax: the same again changes nothing");
	t.rate_ppm = 90000;
	begin(st);
	is_int(end_unit(st, oms_tax_rate_add(st, &tester, &t, &added)),
	    OMS_ERR_CONFLICT, "tax bad: another rate on its date");
	t.jurisdiction = "quebec";
	begin(st);
	is_int(end_unit(st, oms_tax_rate_add(st, &tester, &t, &added)),
	    OMS_ERR_INVAL, "tax bad: a malformed jurisdiction");
	ok(oms_tax_rate_list(st, a, &v, &n) == OMS_OK && n == 1 &&
	    v[0].rate_ppm == 99750, "tax: listed");
	is_int(audits(st, a, "tax_rate"), 1, "tax: one audit record");
}

/* One backend's pass. */
static void
pass(void)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_store *st = NULL;
	int64_t pid = 0;

	if (a == NULL || (st = fresh()) == NULL) {
		ok(0, "set-up: a fresh database with demo data");
		oms_arena_free(&a);
		return;
	}
	test_products(st, a, &pid);
	test_prices(st, a, pid);
	test_contracts(st, a, pid);
	test_fees(st, a, pid);
	test_usage(st, a, pid);
	test_taxes(st, a);
	{
		int64_t records = 0, badrec = 0;
		char why[200];

		ok(oms_audit_verify(st, &records, &badrec, why, sizeof(why)) ==
		    OMS_OK && records > 0, "audit: the chain holds after the "
		    "catalog's writes");
	}
	oms_store_close(&st);
	oms_arena_free(&a);
}

/* The store-free tests, then a pass for each backend. */
int
main(void)
{
	struct oms_arena *a = oms_arena_new();

	if (a == NULL)
		return 1;
	test_tiers(a);
	test_recurring_names();
	oms_arena_free(&a);
	tb_run(pass);
	return tap_done();
}

/*
 * test_outbox.c: the transactional outbox (src/domain/outbox.c) on each
 * backend: approving and completing orders writes exactly the expected
 * messages (kind, system, per-asset key and sequence, body), each body
 * valid against its XSD (docs/exchange/KIND.xsd, through libxml2's
 * xmlSchemaValidateDoc); a unit that rolls back writes none, nor does
 * a completion that fails on its second line; list filters; resend of
 * a dead message (audited) and the refusal of a pending one; two
 * processes approving orders of one asset at once keep its sequence.
 *
 * The data: oms_seed_demo's catalog and two customers of two sites,
 * plus an add fee and an add-on product; the business date is fixed at
 * 2026-11-16.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "arena.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "migrate.h"
#include "orders.h"
#include "outbox.h"
#include "seed.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

static struct oms_store *st;
static struct oms_arena *arena;
static const char *dbname = "outbox";

static int64_t c1, s1, s1b, cc1, cc1b, pots, sip, addon_p;
static int32_t today;
static char day[11];

static const struct oms_actor actor = {0, "tester", "local"};
static struct oms_principal admin_p;

/* The compiled schema of each kind (NULL until first use). */
static xmlSchemaPtr schemas[OMS_OUTBOX_KIND__MAX];

/* Column 0 of the test's own query, as an integer (-1 on failure). */
static int64_t
val(const char *sql)
{
	return tb_be->value(dbname, sql);
}

/* The order context of the admin. */
static struct oms_order_ctx
ctx_admin(void)
{
	struct oms_order_ctx c;

	memset(&c, 0, sizeof(c));
	c.arena = arena;
	c.actor = &actor;
	c.who = &admin_p;
	c.today = today;
	c.backdate_days = 92;
	return c;
}

/* The add fee and the add-on product (oms_unit_fn). */
static enum oms_err
setup_catalog(struct oms_store *s, void *arg)
{
	struct oms_fee f;
	struct oms_product ad;
	const char *why;
	int added;
	enum oms_err e;

	(void)arg;
	memset(&f, 0, sizeof(f));
	f.action = OMS_MAC_ADD;
	f.valid_from = "2020-01-01";
	f.amount_cents = 5000;
	if ((e = oms_fee_add(s, &actor, &f, &added)) != OMS_OK)
		return e;
	memset(&ad, 0, sizeof(ad));
	ad.code = "AD-VM2E";
	ad.name = "Voicemail to e-mail & <more>";
	ad.type = OMS_PRODUCT_TYPE_ADDON;
	ad.charge = OMS_CHARGE_FLAT;
	ad.usage_unit = "";
	ad.max_ports = 0;
	if ((e = oms_product_put(s, &actor, &ad, &addon_p, &why)) != OMS_OK)
		return e;
	return oms_price_add(s, &actor, addon_p, "2019-01-01", 300, &added);
}

/* A new order of c1 at s1 with one line l; its id or 0. */
static int64_t
create(struct oms_order_line *l)
{
	struct oms_order_ctx ctx = ctx_admin();
	struct oms_order in;
	const char *why;
	int64_t id = 0;

	memset(&in, 0, sizeof(in));
	in.customer = c1;
	in.site = s1;
	in.requested_on = day;
	in.lines = l;
	in.nlines = 1;
	if (oms_order_create(st, &ctx, &in, &id, &why) != OMS_OK)
		return 0;
	return id;
}

/* Take verb on order id at its version (date: today); OMS_OK or why. */
static enum oms_err
act(int64_t id, enum oms_verb v, const char **why)
{
	struct oms_order_ctx ctx = ctx_admin();
	struct oms_order_act args;
	struct oms_order o;

	if (oms_order_get(st, arena, &admin_p, id, &o) != OMS_OK)
		return OMS_ERR_NOTFOUND;
	memset(&args, 0, sizeof(args));
	args.date = day;
	return oms_order_act(st, &ctx, id, o.version, v, &args, why);
}

/* Submit and approve order id; 1 on success. */
static int
approve(int64_t id)
{
	const char *why;

	return act(id, OMS_VERB_SUBMIT, &why) == OMS_OK &&
	    act(id, OMS_VERB_APPROVE, &why) == OMS_OK;
}

/* Schedule and complete order id today; its error. */
static enum oms_err
complete(int64_t id, const char **why)
{
	enum oms_err e;

	if ((e = act(id, OMS_VERB_SCHEDULE, why)) != OMS_OK)
		return e;
	return act(id, OMS_VERB_COMPLETE, why);
}

/* The highest message id so far (0 for none). */
static int64_t
mark(void)
{
	int64_t v = val("SELECT COALESCE(MAX(id), 0) FROM outbox");

	return v < 0 ? 0 : v;
}

/* The messages written after mark m, oldest first, in *out (max 16),
 * with their bodies; their count. */
static size_t
since(int64_t m, struct oms_outbox_msg *out, size_t max)
{
	struct oms_outbox_msg *rows;
	size_t n = 0, k = 0;

	if (oms_outbox_list(st, arena, NULL, NULL, 1000, &rows, &n) != OMS_OK)
		return 0;
	for (size_t i = n; i-- > 0;)
		if (rows[i].id > m && k < max &&
		    oms_outbox_get(st, arena, rows[i].id, &out[k]) == OMS_OK)
			k++;
	return k;
}

/* 1 when body is valid against the XSD of kind (by name). */
static int
valid(const char *kind, const char *body)
{
	int k = -1, r;
	xmlDocPtr doc;
	xmlSchemaValidCtxtPtr vc;

	for (int i = 0; i < OMS_OUTBOX_KIND__MAX; i++)
		if (strcmp(kind, oms_outbox_kind_names[i]) == 0)
			k = i;
	if (k < 0 || body == NULL)
		return 0;
	if (schemas[k] == NULL) {
		char path[1024];
		const char *src = getenv("OMS_SRCDIR");
		xmlSchemaParserCtxtPtr pc;

		snprintf(path, sizeof(path), "%s/docs/exchange/%s.xsd",
		    src ? src : "..", kind);
		if ((pc = xmlSchemaNewParserCtxt(path)) == NULL)
			return 0;
		schemas[k] = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
		if (schemas[k] == NULL)
			return 0;
	}
	if ((doc = xmlReadMemory(body, (int)strlen(body), "message.xml", NULL,
	    XML_PARSE_NONET)) == NULL)
		return 0;
	vc = xmlSchemaNewValidCtxt(schemas[k]);
	r = vc != NULL && xmlSchemaValidateDoc(vc, doc) == 0;
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	return r;
}

/* 1 when m is kind to system, valid, and its body holds every fragment
 * of the NULL-terminated list. */
static int
is(const struct oms_outbox_msg *m, const char *kind, const char *system, ...)
{
	va_list ap;
	const char *frag;
	int r;

	r = m->kind && strcmp(m->kind, kind) == 0 && m->system &&
	    strcmp(m->system, system) == 0 && m->state == OMS_OUTBOX_PENDING &&
	    m->attempts == 0 && valid(kind, m->body);
	va_start(ap, system);
	while ((frag = va_arg(ap, const char *)) != NULL)
		if (r && strstr(m->body, frag) == NULL) {
			diag("%s has no %s in:\n%s", kind, frag, m->body);
			r = 0;
		}
	va_end(ap);
	return r;
}

/* A unit that approves an order and then fails (oms_unit_fn). */
static enum oms_err
approve_then_fail(struct oms_store *s, void *arg)
{
	struct oms_order_ctx ctx = ctx_admin();
	struct oms_order o;
	const char *why;
	int64_t id = *(int64_t *)arg;
	enum oms_err e;

	if ((e = oms_order_get(s, arena, &admin_p, id, &o)) != OMS_OK ||
	    (e = oms_order_act_in(s, &ctx, id, o.version, OMS_VERB_APPROVE,
	    NULL, &why)) != OMS_OK)
		return e;
	return OMS_ERR_CONFLICT;
}

static void
test_lifecycle(void)
{
	struct oms_outbox_msg m[16];
	struct oms_order_line l;
	struct oms_order o;
	const char *why = NULL;
	char frag[160], key[64];
	int64_t id, at, asset, addon;
	size_t n;
	enum oms_err e;

	/* An add, approved: one PlaceOrder, keyed by order and line.  The
	 * steps are days apart: installed on the 1st, add-on on the 5th,
	 * move on the 10th, disconnect on the 16th (today). */
	oms_date_format(today - 15, day);
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADD;
	l.site = s1;
	l.cost_centre = cc1;
	l.product = pots;
	l.ports = 1;
	l.number = "+15550100001";
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	ok(id > 0 && act(id, OMS_VERB_SUBMIT, &why) == OMS_OK &&
	    mark() == at, "submit writes no message");
	ok(act(id, OMS_VERB_APPROVE, &why) == OMS_OK, "add: approved");
	n = since(at, m, 16);
	oms_order_get(st, arena, &admin_p, id, &o);
	snprintf(frag, sizeof(frag), "<order ref=\"%s\" line=\"1\" "
	    "action=\"add\"/>", o.ref);
	snprintf(key, sizeof(key), "%s/1", o.ref);
	ok(n == 1 && is(&m[0], "PlaceOrder", "vendor", frag,
	    "<product code=\"LN-POTS\"", "<ports>1</ports>",
	    "<number>+15550100001</number>", "<oneTimeFee currency=\"USD\">5000"
	    "</oneTimeFee>", "<requestedOn>", "<address>", "<messageId>oms-",
	    (char *)NULL), "add: one PlaceOrder to the vendor, valid, with the "
	    "order, product, number and fee");
	ok(n == 1 && !valid("BookLease", m[0].body) &&
	    !valid("PlaceOrder", "<PlaceOrder xmlns=\"" OMS_OUTBOX_NS "\"/>"),
	    "xsd bad: the validation fails a PlaceOrder as a BookLease, and an "
	    "empty PlaceOrder");
	ok(n == 1 && strcmp(m[0].seq_key, key) == 0 && m[0].seq == 1 &&
	    m[0].asset_id == 0 && m[0].order_id == id,
	    "add: a new asset's message is ordered by ORDER/LINE (%s), seq 1",
	    n ? m[0].seq_key : "-");
	/* Completed: one BookLease with the tag. */
	at = mark();
	e = complete(id, &why);
	oms_order_get(st, arena, &admin_p, id, &o);
	n = since(at, m, 16);
	asset = o.nlines ? o.lines[0].asset : 0;
	snprintf(frag, sizeof(frag), "<asset tag=\"%s\"/>",
	    o.nlines && o.lines[0].tag ? o.lines[0].tag : "?");
	ok(e == OMS_OK && n == 1 && is(&m[0], "BookLease", "finance", frag,
	    "<effectiveOn>2026-11-01</effectiveOn>", "<monthlyAmount "
	    "currency=\"USD\">", (char *)NULL) && m[0].asset_id == asset &&
	    m[0].seq == 1 && strcmp(m[0].seq_key, o.lines[0].tag) == 0,
	    "complete: one BookLease to finance with the asset's tag, keyed by it");
	ok(n == 1 && strstr(m[0].body, "oneTimeFee") == NULL &&
	    strstr(m[0].body, "requestedOn") == NULL,
	    "complete: finance gets no vendor fee or requested date");
	/* An add-on: PlaceOrder and AmendLease keyed by the parent. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADDON;
	oms_date_format(today - 11, day);
	l.parent = asset;
	l.product = addon_p;
	l.ports = 0;
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	e = approve(id) ? complete(id, &why) : OMS_ERR_STORE;
	ok(e == OMS_OK, "addon: approved and completed (%s)", why ? why : "ok");
	n = since(at, m, 16);
	oms_order_get(st, arena, &admin_p, id, &o);
	addon = o.nlines ? o.lines[0].asset : 0;
	ok(n == 2 && is(&m[0], "PlaceOrder", "vendor", "action=\"addon\"",
	    "parentTag=", "name=\"Voicemail to e-mail &amp; &lt;more&gt;\"",
	    (char *)NULL) && is(&m[1], "AmendLease", "finance",
	    "<reason>addon</reason>", "<monthlyAmount currency=\"USD\">300<",
	    "<previousMonthlyAmount currency=\"USD\">0<", (char *)NULL),
	    "addon: a PlaceOrder (escaped product name) and an AmendLease "
	    "(reason addon, 3.00 a month)");
	ok(n == 2 && m[0].seq == 1 && m[1].seq == 2 && m[1].asset_id == addon &&
	    strcmp(m[1].seq_key, m[0].seq_key) == 0,
	    "addon: both keyed by the parent's tag; finance's is its 2nd message");
	/* A move: ChangeOrder with the new site; AmendLease (move). */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_MOVE;
	oms_date_format(today - 6, day);
	l.asset = asset;
	l.site = s1b;
	l.cost_centre = cc1b;
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	ok(approve(id), "move: approved");
	n = since(at, m, 16);
	ok(n == 1 && is(&m[0], "ChangeOrder", "vendor", "action=\"move\"",
	    "<previousMonthlyAmount", (char *)NULL) && m[0].seq == 2,
	    "move: one ChangeOrder to the vendor, 2nd for the asset");
	at = mark();
	e = complete(id, &why);
	ok(e == OMS_OK, "move: completed (%s)", why ? why : "ok");
	n = since(at, m, 16);
	ok(n == 1 && is(&m[0], "AmendLease", "finance", "<reason>move</reason>",
	    (char *)NULL) && m[0].seq == 3,
	    "move: one AmendLease (the add-on moved with it gets none), 3rd");
	/* A disconnect: the asset and its add-on returned, add-on first. */
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_DISCONNECT;
	oms_date_format(today, day);
	l.asset = asset;
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	e = approve(id) ? complete(id, &why) : OMS_ERR_STORE;
	ok(e == OMS_OK, "disconnect: approved and completed (%s)",
	    why ? why : "ok");
	n = since(at, m, 16);
	ok(n == 3 && is(&m[0], "DisconnectOrder", "vendor", "action=\"disconnect\"",
	    (char *)NULL) && is(&m[1], "ReturnAsset", "finance", "parentTag=",
	    (char *)NULL) && is(&m[2], "ReturnAsset", "finance",
	    "<previousMonthlyAmount currency=\"USD\">", (char *)NULL),
	    "disconnect: DisconnectOrder, then ReturnAsset of the add-on and "
	    "of the asset");
	ok(n == 3 && m[1].asset_id == addon && m[2].asset_id == asset &&
	    m[1].seq == 4 && m[2].seq == 5 && m[0].seq == 3 &&
	    strstr(m[1].body, "MonthlyAmount") == NULL,
	    "disconnect: per-asset order kept (finance 4, 5; vendor 3); the "
	    "add-on's return carries no amount of its own");
	ok(val("SELECT COUNT(*) FROM outbox o1 JOIN outbox o2 ON"
	    " o1.system = o2.system AND o1.seq_key = o2.seq_key"
	    " AND o1.seq < o2.seq AND o1.id > o2.id") == 0,
	    "sequence: within every key, a later seq is a later row");
}

static void
test_rollback(void)
{
	struct oms_order_line l[2];
	struct oms_order_ctx ctx = ctx_admin();
	struct oms_order in;
	const char *why = NULL;
	int64_t id = 0, at;
	enum oms_err e;

	memset(l, 0, sizeof(l));
	l[0].action = OMS_MAC_ADD;
	l[0].site = s1;
	l[0].cost_centre = cc1;
	l[0].product = pots;
	l[0].ports = 1;
	l[0].fee_override = -1;
	l[1] = l[0];
	id = create(&l[0]);
	at = mark();
	ok(id > 0 && act(id, OMS_VERB_SUBMIT, &why) == OMS_OK &&
	    oms_store_unit(st, approve_then_fail, &id) == OMS_ERR_CONFLICT &&
	    mark() == at, "rollback bad: an approval whose unit fails writes "
	    "no message");
	/* Two lines with the same number: the second fails at completion,
	 * after the first wrote its BookLease in the unit. */
	l[0].number = "+15550100077";
	l[1].number = "+15550100077";
	memset(&in, 0, sizeof(in));
	in.customer = c1;
	in.site = s1;
	in.requested_on = day;
	in.lines = l;
	in.nlines = 2;
	e = oms_order_create(st, &ctx, &in, &id, &why);
	ok(e != OMS_OK || approve(id), "two lines: approved");
	at = mark();
	e = complete(id, &why);
	ok(e == OMS_ERR_CONFLICT && mark() == at,
	    "rollback bad: a completion failing on its 2nd line writes no "
	    "BookLease for its 1st (%s)", why ? why : "-");
}

static void
test_list_resend(void)
{
	struct oms_outbox_msg *rows, m;
	size_t n = 0, all = 0, fin;
	const char *why = NULL;
	char sql[160];
	int64_t id = mark(), audits;
	enum oms_err e;

	e = oms_outbox_list(st, arena, NULL, NULL, 1000, &rows, &all);
	ok(e == OMS_OK && all == (size_t)val("SELECT COUNT(*) FROM outbox") &&
	    all > 0, "list: every message (%zu)", all);
	e = oms_outbox_list(st, arena, NULL, "finance", 1000, &rows, &fin);
	ok(e == OMS_OK && fin == (size_t)val("SELECT COUNT(*) FROM outbox"
	    " WHERE system = 'finance'") && fin > 0 && fin < all &&
	    rows[0].body == NULL, "list: --system finance (%zu), without bodies",
	    fin);
	ok(oms_outbox_list(st, arena, "dead", NULL, 1000, &rows, &n) == OMS_OK &&
	    n == 0, "list: no dead message yet");
	e = oms_outbox_resend(st, arena, &actor, id, &why);
	ok(e == OMS_ERR_CONFLICT && why != NULL, "resend bad: a pending message "
	    "is not resent (%s)", why ? why : "-");
	snprintf(sql, sizeof(sql), "UPDATE outbox SET state = 'unknown' WHERE id = %lld",
	    (long long)id);
	ok(tb_be->exec(dbname, sql) &&
	    oms_outbox_resend(st, arena, &actor, id, &why) == OMS_ERR_CONFLICT &&
	    why && strstr(why, "unknown"),
	    "resend bad: an unknown outcome is never resent blind");
	snprintf(sql, sizeof(sql), "UPDATE outbox SET state = 'dead', attempts = 9,"
	    " last_error = 'HTTP 500' WHERE id = %lld", (long long)id);
	audits = val("SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox'");
	ok(tb_be->exec(dbname, sql) &&
	    oms_outbox_list(st, arena, "dead", NULL, 1000, &rows, &n) == OMS_OK &&
	    n == 1 && rows[0].id == id && strcmp(rows[0].last_error, "HTTP 500") == 0,
	    "list: --state dead finds it with its reason");
	ok(oms_outbox_resend(st, arena, &actor, id, &why) == OMS_OK &&
	    oms_outbox_get(st, arena, id, &m) == OMS_OK &&
	    m.state == OMS_OUTBOX_PENDING && m.attempts == 0 && m.last_error == NULL,
	    "resend: a dead message is pending again, attempts 0, no error");
	ok(val("SELECT COUNT(*) FROM audit_log WHERE entity = 'outbox'"
	    " AND action = 'resend'") == audits + 1,
	    "resend: audited");
	ok(oms_outbox_get(st, arena, id + 1000, &m) == OMS_ERR_NOTFOUND &&
	    oms_outbox_resend(st, arena, &actor, id + 1000, &why) == OMS_ERR_NOTFOUND,
	    "bad: no such message");
}

static void
test_change(void)
{
	struct oms_outbox_msg m[16];
	struct oms_order_line l;
	struct oms_order o;
	const char *why = NULL;
	int64_t id, at, asset;
	size_t n;
	enum oms_err e;

	/* A SIP trunk of 4 channels (18.90 each), then 6 channels. */
	oms_date_format(today - 4, day);
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADD;
	l.site = s1;
	l.cost_centre = cc1;
	l.product = sip;
	l.ports = 4;
	l.fee_override = -1;
	id = create(&l);
	e = approve(id) ? complete(id, &why) : OMS_ERR_STORE;
	oms_order_get(st, arena, &admin_p, id, &o);
	ok(e == OMS_OK && o.nlines == 1, "change: a trunk of 4 channels (%s)",
	    why ? why : "ok");
	asset = o.nlines ? o.lines[0].asset : 0;
	oms_date_format(today - 2, day);
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_CHANGE;
	l.asset = asset;
	l.ports = 6;
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	e = approve(id) ? complete(id, &why) : OMS_ERR_STORE;
	n = since(at, m, 16);
	ok(e == OMS_OK && n == 2 && is(&m[0], "ChangeOrder", "vendor",
	    "action=\"change\"", "<ports>6</ports>", "<monthlyAmount "
	    "currency=\"USD\">11340<", "<previousMonthlyAmount currency=\"USD\">"
	    "7560<", (char *)NULL) && is(&m[1], "AmendLease", "finance",
	    "<reason>change</reason>", "<ports>6</ports>", "<monthlyAmount "
	    "currency=\"USD\">11340<", "<previousMonthlyAmount currency=\"USD\">"
	    "7560<", (char *)NULL),
	    "change of ports: a ChangeOrder and an AmendLease (6 channels, "
	    "75.60 -> 113.40 a month)");
	/* A new serial only: the vendor hears of it, finance does not. */
	oms_date_format(today, day);
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_CHANGE;
	l.asset = asset;
	l.ports = -1;
	l.serial = "SER-NEW";
	l.fee_override = -1;
	id = create(&l);
	at = mark();
	e = approve(id) ? complete(id, &why) : OMS_ERR_STORE;
	n = since(at, m, 16);
	ok(e == OMS_OK && n == 1 && is(&m[0], "ChangeOrder", "vendor",
	    "<serial>SER-NEW</serial>", "<ports>6</ports>", (char *)NULL),
	    "change of identifiers only: a ChangeOrder, no AmendLease (%zu)", n);
}

/* In a child process: approve orders ids[0..n-1] on a connection of
 * its own; exits with the number that failed. */
static void __attribute__((noreturn))
approver_child(const int64_t *ids, int n)
{
	int failed = 0;

	st = tb_open(dbname, 0);
	for (int i = 0; i < n; i++) {
		const char *why = NULL;
		enum oms_err e = OMS_ERR_STORE;

		if (st != NULL && (e = act(ids[i], OMS_VERB_APPROVE, &why)) != OMS_OK) {
			fprintf(stderr, "# approve %lld: %s (%s)\n",
			    (long long)ids[i], oms_strerror(e), why ? why : "-");
			failed++;
		}
	}
	oms_store_close(&st);
	_exit(failed);
}

static void
test_concurrent(void)
{
	enum { PER = 10 };
	struct oms_order_line l;
	struct oms_order o;
	const char *why = NULL;
	int64_t id, asset, ids[2][PER];
	pid_t pid[2];
	int good = 1, st0, st1;
	char sql[256];

	/* One asset, then 2 x PER change orders on it, approved at once by
	 * two processes: the vendor's per-asset sequence stays 1..n.  (On
	 * MariaDB the orders of one customer already serialise on the
	 * customer row that ORDER_GET_LOCK locks; OUTBOX_NEXT_SEQ locks
	 * the key's rows as well, for any writer that does not.) */
	oms_date_format(today, day);
	memset(&l, 0, sizeof(l));
	l.action = OMS_MAC_ADD;
	l.site = s1;
	l.cost_centre = cc1;
	l.product = pots;
	l.ports = 1;
	l.asset_tag = "OBX-CONC";
	l.fee_override = -1;
	id = create(&l);
	ok(id > 0 && approve(id) && complete(id, &why) == OMS_OK &&
	    oms_order_get(st, arena, &admin_p, id, &o) == OMS_OK && o.nlines == 1,
	    "concurrent: an asset to change (%s)", why ? why : "ok");
	asset = o.nlines ? o.lines[0].asset : 0;
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < PER; i++) {
			memset(&l, 0, sizeof(l));
			l.action = OMS_MAC_CHANGE;
			l.asset = asset;
			l.ports = -1;
			l.serial = "SER-CONC";
			l.fee_override = -1;
			ids[k][i] = create(&l);
			if (ids[k][i] == 0 ||
			    act(ids[k][i], OMS_VERB_SUBMIT, &why) != OMS_OK)
				good = 0;
		}
	ok(good, "concurrent: %d change orders submitted", 2 * PER);
	fflush(stdout);
	for (int k = 0; k < 2; k++)
		if ((pid[k] = fork()) == 0)
			approver_child(ids[k], PER);
	waitpid(pid[0], &st0, 0);
	waitpid(pid[1], &st1, 0);
	ok(pid[0] > 0 && pid[1] > 0 && WIFEXITED(st0) && WEXITSTATUS(st0) == 0 &&
	    WIFEXITED(st1) && WEXITSTATUS(st1) == 0,
	    "concurrent: two processes approved all of them");
	/* PlaceOrder was 1 (keyed by the tag asked for); then 2..2*PER+1. */
	snprintf(sql, sizeof(sql), "SELECT COUNT(DISTINCT seq) * 1000 + MAX(seq)"
	    " FROM outbox WHERE system = 'vendor' AND seq_key = 'OBX-CONC'");
	ok(val(sql) == (2 * PER + 1) * 1000 + 2 * PER + 1,
	    "concurrent: the vendor's sequence for the asset is 1..%d without "
	    "gaps or repeats (%lld)", 2 * PER + 1, (long long)val(sql));
}

static void
pass(void)
{
	struct oms_seed_opts so = {2, 2, 4, 7, 0};
	struct oms_seed_stats ss;
	int applied;

	st = tb_open(dbname, OMS_STORE_CREATE);
	if (st == NULL)
		return;
	if (oms_migrate(st, &applied) != OMS_OK ||
	    oms_seed_demo(st, &so, &ss) != OMS_OK) {
		ok(0, "set up: migrate and seed");
		oms_store_close(&st);
		return;
	}
	c1 = val("SELECT MIN(id) FROM customers");
	s1 = val("SELECT MIN(id) FROM sites WHERE customer_id = (SELECT MIN(id) FROM customers)");
	s1b = val("SELECT MAX(id) FROM sites WHERE customer_id = (SELECT MIN(id) FROM customers)");
	cc1 = val("SELECT MIN(id) FROM cost_centres WHERE customer_id = (SELECT MIN(id) FROM customers)");
	cc1b = val("SELECT MAX(id) FROM cost_centres WHERE customer_id = (SELECT MIN(id) FROM customers)");
	pots = val("SELECT id FROM products WHERE code = 'LN-POTS'");
	sip = val("SELECT id FROM products WHERE code = 'LN-SIP10'");
	memset(&admin_p, 0, sizeof(admin_p));
	admin_p.role = OMS_ROLE_ADMIN;
	ok(oms_store_unit(st, setup_catalog, NULL) == OMS_OK && addon_p > 0 &&
	    val("SELECT COUNT(*) FROM outbox") == 0,
	    "set up: a fee and an add-on product; the outbox is empty");
	test_lifecycle();
	test_rollback();
	test_list_resend();
	test_change();
	test_concurrent();
	oms_arena_reset(arena);
	oms_store_close(&st);
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	today = oms_date_from_ymd(2026, 11, 16);
	oms_date_set_today(today);
	oms_date_format(today, day);
	arena = oms_arena_new();
	tb_run(pass);
	for (int i = 0; i < OMS_OUTBOX_KIND__MAX; i++)
		xmlSchemaFree(schemas[i]);
	oms_arena_free(&arena);
	return tap_done();
}

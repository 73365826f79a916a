/*
 * test_dispatch.c: the outbox dispatcher (src/cmd/dispatch.c over
 * src/domain/delivery.c) on each backend, through a fault-injecting
 * fake adapter defined here and two small mapping stylesheets written
 * by the test (a fake legacy format in namespace urn:fake):
 *
 * - delivered: the mapped request reaches the adapter, the mapped
 *   reply is stored as the canonical Ack, delivered_at has
 *   milliseconds, the vendor order of the line is recorded;
 * - retry: the back-off grows (next_attempt_at in the expected range)
 *   and is capped (oms_delivery_backoff_ms), dead after max_attempts
 *   with the reason; rejected (by the adapter, or an Ack) dead at once;
 *   a stylesheet that fails on a message makes it dead;
 * - per-asset order: seq 2 is never sent before seq 1 is delivered,
 *   even while seq 1 retries, other keys go on; a dead message blocks
 *   the later ones of its key, which say so;
 * - unknown: asked with the canonical Query (never sent again blind):
 *   accepted delivers, notfound sends again under the same message id,
 *   no answer leaves it unknown; waiting (file drop): collected;
 * - a claim past its claim_until becomes unknown and is asked about;
 * - where nobody can be asked (no collect(), no request_xsl; the mail
 *   adapter) an unknown outcome is dead at once with the reason;
 * - two processes draining 500 messages deliver each exactly once, in
 *   per-key order;
 * - side effects: asset leases booked and returned.
 *
 * Faults are scripted per message id: each call of the adapter (send,
 * query or collect) takes the next letter of the message's script.
 *
 * Sections: the fake adapter; set-up (the stylesheets, the [exchange]
 * sections, messages written with the test's own SQL); the tests, one
 * function a behaviour; the pass and main.
 */
#include "config.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "arena.h"
#include "delivery.h"
#include "dispatch.h"
#include "migrate.h"
#include "outbox.h"
#include "seed.h"
#include "store.h"
#include "../tap.h"
#include "backend.h"

static struct oms_store *st;
static struct oms_arena *arena;
static const char *dbname = "dispatch";
static char dir[256];           /* the stylesheets' folder */
static struct oms_conf conf;

/* Column 0 of the test's own query (-1 on failure). */
static int64_t
val(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return tb_be->value(dbname, sql);
}

/* Run the test's own statement; 1 on success. */
static int
run(const char *fmt, ...)
{
	static char sql[200000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return tb_be->exec(dbname, sql);
}

/* ------------------------------------------------------------------
 * The fake adapter
 */

/* The scripts: message id -> letters, one taken a call. */
#define NSCRIPT 64
static struct {
	char mid[48];
	char script[16];
	int pos;
} scripts[NSCRIPT];
static int nscripts;

/* The calls seen: "MID KIND" (KIND: the canonical kind, Query,
 * collect). */
#define NCALLS 256
static char calls[NCALLS][96];
static int ncalls;
static int bad_bodies;          /* mapped requests not as expected */
static int logfd = -1;          /* the fork test's shared log, or -1 */
static char last_query[1024];   /* the canonical of the last Query sent */

/* Give message mid the script s. */
static void
script(const char *mid, const char *s)
{
	snprintf(scripts[nscripts].mid, sizeof(scripts[0].mid), "%s", mid);
	snprintf(scripts[nscripts].script, sizeof(scripts[0].script), "%s", s);
	scripts[nscripts++].pos = 0;
}

/* The next letter of mid's script; 'A' (accepted) past its end. */
static char
next_letter(const char *mid)
{
	for (int i = 0; i < nscripts; i++)
		if (strcmp(scripts[i].mid, mid) == 0 &&
		    scripts[i].script[scripts[i].pos] != '\0')
			return scripts[i].script[scripts[i].pos++];
	return 'A';
}

/* How many calls of kind (NULL: any) for mid were seen. */
static int
seen(const char *mid, const char *kind)
{
	char want[96];
	int n = 0;

	snprintf(want, sizeof(want), "%s %s", mid, kind ? kind : "");
	for (int i = 0; i < ncalls; i++)
		if (kind != NULL ? strcmp(calls[i], want) == 0 :
		    strncmp(calls[i], want, strlen(want)) == 0)
			n++;
	return n;
}

/* Index of the first call "mid kind" at or after from, or -1. */
static int
call_at(const char *mid, const char *kind, int from)
{
	char want[96];

	snprintf(want, sizeof(want), "%s %s", mid, kind);
	for (int i = from; i < ncalls; i++)
		if (strcmp(calls[i], want) == 0)
			return i;
	return -1;
}

/* The fake's open: no state. */
static enum oms_err
fake_open(const struct oms_exchange_conf *x, void **self, char *err,
    size_t errsz)
{
	(void)x;
	(void)err;
	(void)errsz;
	*self = &nscripts;
	return OMS_OK;
}

/* The fake's close. */
static void
fake_close(void *self)
{
	(void)self;
}

/* Answer call `kind` about mid by letter c: the reply in the fake's
 * format (urn:fake), or a fault. */
static enum oms_xresult
answer(const char *mid, char c, struct oms_arena *a, struct oms_xreply *rep)
{
	const char *status = NULL;

	switch (c) {
	case 'A': status = "accepted"; break;
	case 'D': status = "duplicate"; break;
	case 'J': status = "rejected"; break;
	case 'N': status = "notfound"; break;
	case 'B':
		rep->body = "<Nonsense xmlns=\"urn:fake\"/>";
		rep->len = strlen(rep->body);
		return OMS_X_ANSWERED;
	case 'R':
		snprintf(rep->why, sizeof(rep->why), "HTTP 503 from the fake");
		return OMS_X_RETRY;
	case 'X':
		snprintf(rep->why, sizeof(rep->why), "Client Fault: bad product");
		return OMS_X_REJECTED;
	case 'W':
		return OMS_X_WAITING;
	default:
		snprintf(rep->why, sizeof(rep->why), "timed out after sending");
		return OMS_X_UNKNOWN;
	}
	rep->body = oms_arena_printf(a, "<R xmlns=\"urn:fake\"><id>%s</id>"
	    "<st>%s</st>%s%s%s<why>because</why></R>", mid, status,
	    c == 'A' || c == 'D' ? "<ref>REF-" : "",
	    c == 'A' || c == 'D' ? mid : "",
	    c == 'A' || c == 'D' ? "</ref>" : "");
	rep->len = strlen(rep->body);
	return OMS_X_ANSWERED;
}

/* The fake's send: record the call, check the mapping, answer by the
 * script. */
static enum oms_xresult
fake_send(void *self, const struct oms_xreq *req, struct oms_xreply *rep)
{
	char want[160];

	(void)self;
	if (ncalls < NCALLS)
		snprintf(calls[ncalls++], sizeof(calls[0]), "%s %s",
		    req->message_id, req->kind);
	if (strcmp(req->kind, "Query") == 0)
		snprintf(last_query, sizeof(last_query), "%s", req->canonical);
	snprintf(want, sizeof(want), "<id>%s</id><k>%s</k>", req->message_id,
	    req->kind);
	if (req->body == NULL || strstr(req->body, want) == NULL)
		bad_bodies++;
	if (logfd >= 0) {
		char line[160];
		int n = snprintf(line, sizeof(line), "%s\n", req->message_id);

		if (write(logfd, line, (size_t)n) != n)
			bad_bodies++;
	}
	return answer(req->message_id, next_letter(req->message_id), req->a,
	    rep);
}

/* The fake's collect (the file-drop variant). */
static enum oms_xresult
fake_collect(void *self, const char *mid, struct oms_arena *a,
    struct oms_xreply *rep)
{
	(void)self;
	if (ncalls < NCALLS)
		snprintf(calls[ncalls++], sizeof(calls[0]), "%s collect", mid);
	return answer(mid, next_letter(mid), a, rep);
}

static const struct oms_adapter_ops fake = {
	"fake", fake_open, fake_send, NULL, fake_close,
};
static const struct oms_adapter_ops fake_drop = {
	"fakedrop", fake_open, fake_send, fake_collect, fake_close,
};
/* Named as the mail adapter: its request_xsl is no way to ask. */
static const struct oms_adapter_ops fake_smtp = {
	"smtp", fake_open, fake_send, NULL, fake_close,
};

/* ------------------------------------------------------------------
 * Set-up
 */

static const char req_xsl[] =
    "<xsl:stylesheet version=\"1.0\""
    " xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
    "<xsl:param name=\"messageId\"/><xsl:param name=\"kind\"/>\n"
    "<xsl:template match=\"/*\">\n"
    "<xsl:if test=\"local-name() = 'Broken'\">"
    "<xsl:message terminate=\"yes\">cannot map a Broken</xsl:message>"
    "</xsl:if>\n"
    "<Req xmlns=\"urn:fake\"><id><xsl:value-of select=\"$messageId\"/></id>"
    "<k><xsl:value-of select=\"local-name()\"/></k></Req>\n"
    "</xsl:template></xsl:stylesheet>\n";

static const char rep_xsl[] =
    "<xsl:stylesheet version=\"1.0\""
    " xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\""
    " xmlns:f=\"urn:fake\" exclude-result-prefixes=\"f\">\n"
    "<xsl:template match=\"/f:R\">\n"
    "<Ack xmlns=\"urn:oms:exchange:1\">"
    "<messageId><xsl:value-of select=\"f:id\"/></messageId>"
    "<status><xsl:value-of select=\"f:st\"/></status>"
    "<xsl:if test=\"f:ref\"><reference><xsl:value-of select=\"f:ref\"/>"
    "</reference></xsl:if>"
    "<xsl:if test=\"f:st = 'rejected'\"><reason><xsl:value-of"
    " select=\"f:why\"/></reason></xsl:if></Ack>\n"
    "</xsl:template>\n"
    "<xsl:template match=\"/*\" priority=\"-1\"><xsl:text>not an ack</xsl:text>"
    "</xsl:template></xsl:stylesheet>\n";

/* Write text into dir/name; 1 on success. */
static int
write_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		return 0;
	r = fputs(text, f) >= 0;
	return fclose(f) == 0 && r;
}

/* Section i of conf: system name, its knobs. */
static void
section(int i, const char *name, int max_attempts)
{
	struct oms_exchange_conf *x = &conf.exchange[i];

	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	snprintf(x->adapter, sizeof(x->adapter), "soap");
	snprintf(x->request_xsl, sizeof(x->request_xsl), "req.xsl");
	snprintf(x->reply_xsl, sizeof(x->reply_xsl), "rep.xsl");
	x->connect_timeout = 2;
	x->timeout = 5;
	x->max_attempts = max_attempts;
	x->backoff_base = 10;
	x->backoff_max = 25;
	x->batch = 16;
	if (i >= conf.nexchange)
		conf.nexchange = i + 1;
}

/* A pending message mid of system to key#seq, kind, due long ago (in
 * whole seconds, as outbox.c writes), about asset (0: none) and line
 * `line` of order `order` (0: none).  1 on success. */
static int
add(const char *mid, const char *system, const char *kind, const char *key,
    int seq, int64_t asset, int64_t order, int line)
{
	char a[32] = "NULL", o[32] = "NULL";

	if (asset > 0)
		snprintf(a, sizeof(a), "%lld", (long long)asset);
	if (order > 0)
		snprintf(o, sizeof(o), "%lld", (long long)order);
	return run("INSERT INTO outbox (message_id, system, kind, seq_key, seq,"
	    " asset_id, asset_tag, order_id, order_ref, state, attempts,"
	    " next_attempt_at, body, created_at, updated_at) VALUES ('%s', '%s',"
	    " '%s', '%s', %d, %s, 'TAG-%s', %s, 'ORD-T1', 'pending', 0,"
	    " '2000-01-01T00:00:00Z', '<%s xmlns=\"urn:oms:exchange:1\">"
	    "<messageId>%s</messageId><order ref=\"ORD-T1\" line=\"%d\"/></%s>',"
	    " '2000-01-01T00:00:00Z', '2000-01-01T00:00:00Z')", mid, system,
	    kind, key, seq, a, key, o, kind, mid, line, kind);
}

/* Whether message mid is in state s. */
static int
in_state(const char *mid, const char *s)
{
	return val("SELECT COUNT(*) FROM outbox WHERE message_id = '%s' AND "
	    "state = '%s'", mid, s) == 1;
}

/* Make every pending and unknown message due now. */
static int
due_now(void)
{
	return run("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00.000Z'"
	    " WHERE state IN ('pending', 'unknown')");
}

/* Open a dispatcher over st with adapter ops; NULL on failure. */
static struct oms_dispatch *
open_dispatch(struct oms_store *s, const struct oms_adapter_ops *ops,
    const char *system)
{
	struct oms_dispatch_opts o;
	struct oms_dispatch *d = NULL;
	char err[512];

	memset(&o, 0, sizeof(o));
	o.adapter = ops;
	o.system = system;
	if (oms_dispatch_open(&conf, s, &o, &d, err, sizeof(err)) != OMS_OK)
		printf("# %s\n", err);
	return d;
}

/* One step of d; the messages handled, or -1 on failure. */
static int
step(struct oms_dispatch *d)
{
	size_t did = 0;

	return oms_dispatch_step(d, &did) == OMS_OK ? (int)did : -1;
}

/* The µs since 1970 of ISO time s with milliseconds, or 0. */
static int64_t
iso_us(const char *s)
{
	struct tm tm;
	int ms = 0;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &ms) != 7)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000000 + (int64_t)ms * 1000;
}

/* The next_attempt_at of mid in µs, and its last_error into *err. */
static int64_t
next_of(const char *mid, const char **err)
{
	struct oms_outbox_msg m;
	int64_t id = val("SELECT id FROM outbox WHERE message_id = '%s'", mid);

	*err = NULL;
	if (oms_outbox_get(st, arena, id, &m) != OMS_OK)
		return 0;
	*err = m.last_error;
	return iso_us(m.next_attempt_at);
}

/* ------------------------------------------------------------------
 * The tests
 */

static int64_t order1, line1, asset1, asset2;

/* Delivered: mapped request, Ack stored, vendor order recorded. */
static void
test_delivered(struct oms_dispatch *d)
{
	ok(add("m-del", "vendor", "PlaceOrder", "K-DEL", 1, asset1, order1, 1),
	    "delivered: a PlaceOrder of line 1");
	ok(step(d) == 1 && in_state("m-del", "delivered") &&
	    seen("m-del", "PlaceOrder") == 1 && bad_bodies == 0,
	    "delivered: sent once, mapped by request_xsl, delivered");
	ok(val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-del' AND "
	    "attempts = 1 AND reply LIKE '%%<Ack xmlns=\"urn:oms:exchange:1\">%%"
	    "<status>accepted</status>%%<reference>REF-m-del</reference>%%' AND "
	    "delivered_at LIKE '____-__-__T__:__:__.___Z' AND claimed_by IS NULL"
	    " AND last_error IS NULL") == 1,
	    "delivered: the canonical Ack stored, delivered_at with ms, "
	    "attempts 1");
	ok(val("SELECT COUNT(*) FROM vendor_orders WHERE order_line_id = %lld "
	    "AND status = 'placed' AND vendor_ref = 'REF-m-del' AND "
	    "message_id = 'm-del' AND order_id = %lld", (long long)line1,
	    (long long)order1) == 1,
	    "delivered: the vendor order of the line recorded (placed, the "
	    "vendor's reference)");
	ok(step(d) == 0, "delivered: nothing more is due");
}

/* Back-off grows and is capped; dead after max_attempts. */
static void
test_retry(struct oms_dispatch *d)
{
	const char *err;
	int64_t t0, t1, n;
	int good = 1;

	script("m-retry", "RRRR");
	ok(add("m-retry", "vendor", "AmendLease", "K-RETRY", 1, 0, 0, 0),
	    "retry: a message whose peer is down");
	t0 = oms_delivery_clock_us();
	step(d);
	t1 = oms_delivery_clock_us();
	n = next_of("m-retry", &err);
	ok(in_state("m-retry", "pending") && n >= t0 + 8000000 &&
	    n <= t1 + 12000000 + 1000 && err != NULL &&
	    strstr(err, "HTTP 503") != NULL,
	    "retry: pending again, next in 10 s +/-20%% (%lld ms), the "
	    "reason kept", (long long)(n - t0) / 1000);
	ok(step(d) == 0 && seen("m-retry", NULL) == 1,
	    "retry: not sent again before its time");
	due_now();
	t0 = oms_delivery_clock_us();
	step(d);
	t1 = oms_delivery_clock_us();
	n = next_of("m-retry", &err);
	ok(in_state("m-retry", "pending") && n >= t0 + 16000000 &&
	    n <= t1 + 24000000 + 1000,
	    "retry: the second wait is 20 s +/-20%% (%lld ms)",
	    (long long)(n - t0) / 1000);
	due_now();
	step(d);
	ok(in_state("m-retry", "dead") && seen("m-retry", NULL) == 3 &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-retry' "
	    "AND attempts = 3 AND last_error LIKE 'gave up after 3 attempts:"
	    " HTTP 503%%'") == 1,
	    "retry bad: dead after max_attempts (3), with the reason");
	/* The cap: 10 s doubling, at most 25 s, jitter within +/-20%. */
	for (uint32_t r = 0; r < 0xffff0000u; r += 0x01000193u) {
		int64_t b1 = oms_delivery_backoff_ms(10, 25, 1, r);
		int64_t b2 = oms_delivery_backoff_ms(10, 25, 2, r);
		int64_t b9 = oms_delivery_backoff_ms(10, 25, 9, r);
		int64_t b99 = oms_delivery_backoff_ms(10, 25, 99, r);

		if (b1 < 8000 || b1 > 12000 || b2 < 16000 || b2 > 24000 ||
		    b9 < 20000 || b9 > 25000 || b99 != b9)
			good = 0;
	}
	ok(good && oms_delivery_backoff_ms(10, 25, 9, 0) == 20000 &&
	    oms_delivery_backoff_ms(10, 25, 9, 0xffffffffu) == 25000 &&
	    oms_delivery_backoff_ms(10, 25, 1, 0) == 8000,
	    "retry: back-off base*2^(n-1), +/-20%%, capped at backoff_max");
}

/* 1 when the XML text xml is valid against docs/exchange/NAME.xsd. */
static int
valid(const char *name, const char *xml)
{
	char path[1024];
	const char *src = getenv("OMS_SRCDIR");
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaValidCtxtPtr vc;
	xmlSchemaPtr sc;
	xmlDocPtr doc;
	int r = 0;

	snprintf(path, sizeof(path), "%s/docs/exchange/%s.xsd", src ? src :
	    "..", name);
	if (xml == NULL || (pc = xmlSchemaNewParserCtxt(path)) == NULL)
		return 0;
	sc = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (sc == NULL)
		return 0;
	if ((doc = xmlReadMemory(xml, (int)strlen(xml), "x.xml", NULL,
	    XML_PARSE_NONET)) != NULL) {
		vc = xmlSchemaNewValidCtxt(sc);
		r = vc != NULL && xmlSchemaValidateDoc(vc, doc) == 0;
		xmlSchemaFreeValidCtxt(vc);
		xmlFreeDoc(doc);
	}
	xmlSchemaFree(sc);
	return r;
}

/* The canonical Query and Ack are valid against their XSDs. */
static void
test_schemas(struct oms_dispatch *d)
{
	static const char mid[] = "oms-0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";
	struct oms_outbox_msg m;

	script(mid, "UA");
	ok(add(mid, "vendor", "AmendLease", "K-XSD", 1, 0, 0, 0),
	    "schemas: a message with a real message id");
	step(d);
	due_now();
	last_query[0] = '\0';
	step(d);
	ok(valid("Query", last_query) && strstr(last_query, "<assetTag>"
	    "TAG-K-XSD</assetTag>") != NULL && strstr(last_query,
	    "<orderRef>ORD-T1</orderRef>") != NULL,
	    "schemas: the canonical Query is valid against Query.xsd");
	ok(!valid("Query", "<Query xmlns=\"urn:oms:exchange:1\"><kind>X</kind>"
	    "</Query>"), "schemas bad: a Query without messageId is not");
	memset(&m, 0, sizeof(m));
	ok(in_state(mid, "delivered") && val("SELECT COUNT(*) FROM outbox WHERE"
	    " message_id = '%s' AND reply IS NOT NULL", mid) == 1,
	    "schemas: delivered after the Query");
	ok(valid("Ack", "<Ack xmlns=\"urn:oms:exchange:1\"><messageId>m-1"
	    "</messageId><status>accepted</status><reference>V-1</reference>"
	    "</Ack>") && !valid("Ack", "<Ack xmlns=\"urn:oms:exchange:1\">"
	    "<status>maybe</status></Ack>"),
	    "schemas: Ack.xsd takes an Ack, refuses an unknown status (bad)");
}

/* Rejected by the adapter, by an Ack; a mapping that fails. */
static void
test_rejected(struct oms_dispatch *d)
{
	script("m-rej", "X");
	script("m-rack", "J");
	ok(add("m-rej", "vendor", "AmendLease", "K-REJ", 1, 0, 0, 0) &&
	    add("m-rack", "vendor", "AmendLease", "K-RACK", 1, 0, 0, 0) &&
	    add("m-broken", "vendor", "Broken", "K-BROKEN", 1, 0, 0, 0),
	    "rejected: three messages");
	step(d);
	ok(in_state("m-rej", "dead") && val("SELECT COUNT(*) FROM outbox WHERE"
	    " message_id = 'm-rej' AND attempts = 1 AND last_error LIKE "
	    "'%%bad product%%'") == 1,
	    "rejected bad: refused by the adapter, dead at once with why");
	ok(in_state("m-rack", "dead") && val("SELECT COUNT(*) FROM outbox WHERE"
	    " message_id = 'm-rack' AND last_error = 'rejected: because'") == 1,
	    "rejected bad: an Ack rejected, dead at once with its reason");
	ok(in_state("m-broken", "dead") && seen("m-broken", NULL) == 0 &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-broken' AND "
	    "last_error LIKE 'request mapping:%%'") == 1,
	    "rejected bad: a message request_xsl cannot map is dead, unsent");
}

/* Per-asset order, and a dead message blocking its key. */
static void
test_order(struct oms_dispatch *d)
{
	int a1, a2;

	script("m-a1", "R");
	script("m-c1", "X");
	ok(add("m-a1", "vendor", "AmendLease", "K-A", 1, 0, 0, 0) &&
	    add("m-a2", "vendor", "AmendLease", "K-A", 2, 0, 0, 0) &&
	    add("m-b1", "vendor", "AmendLease", "K-B", 1, 0, 0, 0) &&
	    add("m-c1", "vendor", "AmendLease", "K-C", 1, 0, 0, 0) &&
	    add("m-c2", "vendor", "AmendLease", "K-C", 2, 0, 0, 0),
	    "order: two keys of two messages, one of one");
	step(d);
	ok(in_state("m-a1", "pending") && in_state("m-b1", "delivered") &&
	    seen("m-a2", NULL) == 0,
	    "order: seq 1 retries, another key goes on, seq 2 is not sent");
	ok(step(d) == 0 && seen("m-a2", NULL) == 0,
	    "order: seq 2 waits while seq 1 is not due");
	due_now();
	step(d);
	step(d);
	a1 = call_at("m-a1", "AmendLease", 0);
	a1 = call_at("m-a1", "AmendLease", a1 + 1);
	a2 = call_at("m-a2", "AmendLease", 0);
	ok(in_state("m-a1", "delivered") && in_state("m-a2", "delivered") &&
	    a1 >= 0 && a2 > a1 && seen("m-a2", NULL) == 1,
	    "order: seq 2 sent once, after seq 1 was delivered");
	ok(in_state("m-c1", "dead") && in_state("m-c2", "pending") &&
	    seen("m-c2", NULL) == 0 && val("SELECT COUNT(*) FROM outbox WHERE "
	    "message_id = 'm-c2' AND last_error LIKE 'waiting: the earlier "
	    "message m-c1 %%is dead'") == 1,
	    "order bad: a dead message blocks the later ones, which say why");
}

/* Unknown: asked, never sent blind. */
static void
test_unknown(struct oms_dispatch *d, struct oms_dispatch *dd)
{
	script("m-u1", "UA");
	script("m-u2", "UNA");
	script("m-u3", "URA");
	script("m-u4", "BA");
	ok(add("m-u1", "vendor", "AmendLease", "K-U1", 1, 0, 0, 0) &&
	    add("m-u2", "vendor", "AmendLease", "K-U2", 1, 0, 0, 0) &&
	    add("m-u3", "vendor", "AmendLease", "K-U3", 1, 0, 0, 0) &&
	    add("m-u4", "vendor", "AmendLease", "K-U4", 1, 0, 0, 0),
	    "unknown: four messages whose sends time out (one's reply is "
	    "nonsense)");
	step(d);
	ok(in_state("m-u1", "unknown") && in_state("m-u2", "unknown") &&
	    in_state("m-u3", "unknown") && in_state("m-u4", "unknown") &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-u4' AND "
	    "last_error LIKE 'the mapped reply %%'") == 1,
	    "unknown: a timeout or an unmappable reply makes it unknown");
	ok(step(d) == 0, "unknown: not asked before its time");
	due_now();
	step(d);
	ok(in_state("m-u1", "delivered") && seen("m-u1", "Query") == 1 &&
	    seen("m-u1", "AmendLease") == 1 && bad_bodies == 0,
	    "unknown: the mapped Query answered accepted delivers it, unsent");
	ok(in_state("m-u4", "delivered") && seen("m-u4", "AmendLease") == 1,
	    "unknown: so for the unmappable reply");
	ok(in_state("m-u2", "pending") && seen("m-u2", "AmendLease") == 1,
	    "unknown: notfound makes it pending again");
	ok(in_state("m-u3", "unknown") && seen("m-u3", "Query") == 1 &&
	    seen("m-u3", "AmendLease") == 1,
	    "unknown bad: no answer to the Query leaves it unknown");
	due_now();
	step(d);
	ok(in_state("m-u2", "delivered") && seen("m-u2", "AmendLease") == 2 &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-u2'") == 1,
	    "unknown: after notfound sent again under the same message id");
	ok(in_state("m-u3", "delivered") && seen("m-u3", "AmendLease") == 1 &&
	    seen("m-u3", "Query") == 2,
	    "unknown: asked again after the back-off, then delivered");
	/* The file drop: written, collected later. */
	script("m-w", "WWA");
	ok(add("m-w", "drop", "AmendLease", "K-W", 1, 0, 0, 0),
	    "waiting: a message through an adapter that collects");
	step(dd);
	ok(in_state("m-w", "unknown"), "waiting: written, unknown");
	due_now();
	step(dd);
	ok(in_state("m-w", "unknown") && seen("m-w", "collect") == 1,
	    "waiting: collected, not there yet: still unknown");
	due_now();
	step(dd);
	ok(in_state("m-w", "delivered") && seen("m-w", "collect") == 2 &&
	    seen("m-w", "AmendLease") == 1 && seen("m-w", "Query") == 0,
	    "waiting: collected, delivered; written once");
}

/* A claim past its time becomes unknown and is asked about. */
static void
test_expired(struct oms_dispatch *d)
{
	ok(add("m-exp", "vendor", "AmendLease", "K-EXP", 1, 0, 0, 0) &&
	    run("UPDATE outbox SET state = 'sending', attempts = 1, claimed_by ="
	    " 'ghost:1', claim_until = '2000-01-01T00:00:05.000Z' WHERE "
	    "message_id = 'm-exp'") &&
	    add("m-live", "vendor", "AmendLease", "K-LIVE", 1, 0, 0, 0) &&
	    run("UPDATE outbox SET state = 'sending', attempts = 1, claimed_by ="
	    " 'alive:2', claim_until = '2999-01-01T00:00:00.000Z' WHERE "
	    "message_id = 'm-live'"),
	    "expired: a claim that ran out, one that did not");
	step(d);
	ok(in_state("m-exp", "delivered") && seen("m-exp", "Query") == 1 &&
	    seen("m-exp", "AmendLease") == 0,
	    "expired: asked about with a Query, not sent blind, delivered");
	ok(in_state("m-live", "sending") && seen("m-live", NULL) == 0,
	    "expired: a live claim is left alone");
	run("UPDATE outbox SET state = 'delivered' WHERE message_id = 'm-live'");
}

/* Nobody to ask (no collect(), no request_xsl; the mail adapter):
 * an unknown outcome is dead at once, never sent again blind. */
static void
test_unasked(struct oms_dispatch *d, struct oms_dispatch *dm)
{
	script("m-nq1", "U");
	script("m-nq3", "U");
	ok(add("m-nq1", "plain", "AmendLease", "K-NQ1", 1, 0, 0, 0) &&
	    add("m-nq2", "plain", "AmendLease", "K-NQ2", 1, 0, 0, 0) &&
	    run("UPDATE outbox SET state = 'sending', attempts = 1, claimed_by ="
	    " 'ghost:1', claim_until = '2000-01-01T00:00:05.000Z' WHERE "
	    "message_id = 'm-nq2'"),
	    "unasked: a send that times out and a claim that ran out on a "
	    "system without request_xsl");
	step(d);
	ok(in_state("m-nq1", "dead") && seen("m-nq1", "AmendLease") == 1 &&
	    seen("m-nq1", "Query") == 0 && val("SELECT COUNT(*) FROM outbox "
	    "WHERE message_id = 'm-nq1' AND attempts = 1 AND last_error = "
	    "'outcome unknown and the system cannot be asked: check with the "
	    "recipient, then resend (timed out after sending)'") == 1,
	    "unasked bad: an unknown outcome is dead at once, with the reason");
	ok(in_state("m-nq2", "dead") && seen("m-nq2", NULL) == 0 &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id = 'm-nq2' AND "
	    "last_error LIKE 'outcome unknown and the system cannot be asked"
	    "%%' AND claimed_by IS NULL") == 1,
	    "unasked bad: a claim that ran out is dead, nothing sent or asked");
	/* (d serves "mailx" too, through the askable fake: added now, it
	 * is dm's alone.) */
	ok(add("m-nq3", "mailx", "AmendLease", "K-NQ3", 1, 0, 0, 0),
	    "unasked: a send through the mail adapter that times out");
	/* "plain" has no request_xsl: its sends were not mapped. */
	bad_bodies = 0;
	step(dm);
	ok(in_state("m-nq3", "dead") && seen("m-nq3", NULL) == 1 &&
	    bad_bodies == 0 && val("SELECT COUNT(*) FROM outbox WHERE "
	    "message_id = 'm-nq3' AND last_error LIKE 'outcome unknown and "
	    "the mail server cannot be asked: check with the recipient, then "
	    "resend (%%'") == 1,
	    "unasked bad: the mail adapter is not asked even with a "
	    "request_xsl: dead, the mail server named");
	due_now();
	ok(step(d) == 0 && step(dm) == 0 && seen("m-nq1", NULL) == 1 &&
	    seen("m-nq3", NULL) == 1, "unasked: a dead message is not sent "
	    "again");
}

/* Side effects of the finance messages. */
static void
test_leases(struct oms_dispatch *d)
{
	ok(add("m-book", "finance", "BookLease", "K-L", 1, asset2, 0, 0) &&
	    add("m-ret", "finance", "ReturnAsset", "K-L", 2, asset2, 0, 0),
	    "leases: a BookLease and a ReturnAsset of one asset");
	step(d);
	ok(val("SELECT COUNT(*) FROM asset_leases WHERE asset_id = %lld AND "
	    "lease_number = 'REF-m-book' AND status = 'booked'",
	    (long long)asset2) == 1 && in_state("m-ret", "pending"),
	    "leases: the lease booked with its number; the return waits");
	step(d);
	ok(val("SELECT COUNT(*) FROM asset_leases WHERE asset_id = %lld AND "
	    "status = 'returned' AND message_id = 'm-ret'",
	    (long long)asset2) == 1 && in_state("m-ret", "delivered"),
	    "leases: the lease returned");
}

/* A child: drain through its own connection, log each send to path. */
static void __attribute__((noreturn))
drainer(const char *path, const char *who)
{
	struct oms_dispatch_opts o;
	struct oms_dispatch *d = NULL;
	struct oms_store *s = NULL;
	int64_t left = -1;
	struct oms_conf_store cs;
	char err[256];

	ncalls = 0;
	/* A longer busy timeout than the harness's: two writers on a
	 * loaded machine. */
	tb_be->conf(&cs, dbname);
	cs.busy_timeout_ms = 10000;
	bad_bodies = 0;
	if ((logfd = open(path, O_WRONLY | O_APPEND)) < 0 ||
	    oms_store_open(&cs, 0, &oms_stmt_table, &s) != OMS_OK)
		_exit(2);
	memset(&o, 0, sizeof(o));
	o.adapter = &fake;
	o.system = "bulk";
	o.who = who;
	if (oms_dispatch_open(&conf, s, &o, &d, err, sizeof(err)) != OMS_OK ||
	    oms_dispatch_drain(d, 0, &left) != OMS_OK)
		_exit(3);
	oms_dispatch_close(&d);
	oms_store_close(&s);
	_exit(bad_bodies == 0 ? 0 : 4);
}

/* Two processes drain 500 messages: each delivered exactly once. */
static void
test_two(void)
{
	enum { KEYS = 250 };
	static char sql[200000];
	char path[512], line[96], prev[96] = "";
	int st0 = 0, st1 = 0, lines = 0, dups = 0, order_bad = 0;
	size_t o;
	pid_t p0, p1;
	FILE *f;

	o = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO outbox (message_id,"
	    " system, kind, seq_key, seq, state, attempts, next_attempt_at, body,"
	    " created_at, updated_at) VALUES ");
	for (int k = 0; k < KEYS; k++)
		for (int s = 1; s <= 2; s++)
			o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s('b-%03d-%d',"
			    " 'bulk', 'AmendLease', 'K%03d', %d, 'pending', 0,"
			    " '2000-01-01T00:00:00.000Z', '<AmendLease xmlns="
			    "\"urn:oms:exchange:1\"/>', 'x', 'x')",
			    k + s == 1 ? "" : ", ", k, s, k, s);
	ok(o < sizeof(sql) && run("%s", sql) &&
	    val("SELECT COUNT(*) FROM outbox WHERE system = 'bulk'") == 2 * KEYS,
	    "two: 500 messages of 250 keys");
	snprintf(path, sizeof(path), "%s/sends.log", dir);
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
	fflush(stdout);
	if ((p0 = fork()) == 0)
		drainer(path, "one:1");
	if ((p1 = fork()) == 0)
		drainer(path, "two:2");
	waitpid(p0, &st0, 0);
	waitpid(p1, &st1, 0);
	ok(p0 > 0 && p1 > 0 && WIFEXITED(st0) && WEXITSTATUS(st0) == 0 &&
	    WIFEXITED(st1) && WEXITSTATUS(st1) == 0,
	    "two: both dispatchers drained and stopped");
	/* Each key's seq 1 line comes before its seq 2 line: a seq 2 is
	 * claimed only once its seq 1 is delivered, after its send. */
	if ((f = fopen(path, "r")) != NULL) {
		char *seen1 = calloc(KEYS, 1), *seen2 = calloc(KEYS, 1);

		while (seen1 != NULL && seen2 != NULL &&
		    fgets(line, sizeof(line), f) != NULL) {
			int k, s;

			lines++;
			if (sscanf(line, "b-%d-%d", &k, &s) != 2 || k < 0 ||
			    k >= KEYS) {
				dups++;
				continue;
			}
			if ((s == 1 ? seen1 : seen2)[k]++)
				dups++;
			if (s == 2 && !seen1[k])
				order_bad++;
			snprintf(prev, sizeof(prev), "%s", line);
		}
		fclose(f);
		free(seen1);
		free(seen2);
	}
	ok(lines == 2 * KEYS && dups == 0,
	    "two: 500 sends at the peer, none twice (%d sends, %d twice)",
	    lines, dups);
	ok(order_bad == 0, "two: per-key order kept across the two (%d out of "
	    "order)", order_bad);
	ok(val("SELECT COUNT(*) FROM outbox WHERE system = 'bulk' AND state = "
	    "'delivered'") == 2 * KEYS, "two: all 500 delivered (%lld at the "
	    "first attempt)", (long long)val("SELECT COUNT(*) FROM outbox WHERE "
	    "system = 'bulk' AND attempts = 1"));
	ok(val("SELECT COUNT(DISTINCT claimed_by) FROM outbox WHERE system = "
	    "'bulk'") == 0, "two: no claim left behind");
}

/* drain: stops when nothing is due, says what is left. */
static void
test_drain(struct oms_dispatch *d)
{
	int64_t left = -1;

	script("m-dr", "R");
	ok(add("m-dr", "vendor", "AmendLease", "K-DR", 1, 0, 0, 0),
	    "drain: one message that needs a retry");
	ok(oms_dispatch_drain(d, 0, &left) == OMS_OK && in_state("m-dr",
	    "pending") && left >= 1,
	    "drain bad: stops with the retry waiting, says so (%lld left)",
	    (long long)left);
	due_now();
	run("UPDATE outbox SET state = 'delivered' WHERE system = 'vendor' AND "
	    "message_id <> 'm-dr'");
	ok(oms_dispatch_drain(d, 0, &left) == OMS_OK && left == 0 &&
	    in_state("m-dr", "delivered"), "drain: delivers what is due, "
	    "nothing left");
}

/* A tick that lets one message through, then says stop. */
static int
one_then_stop(void *arg)
{
	int *n = arg;

	return (*n)++ < 0;
}

/* Asked to stop mid-batch: the unsent claims are given back. */
static void
test_stop(void)
{
	struct oms_dispatch_opts o;
	struct oms_dispatch *d = NULL;
	char err[256];
	int n = 0, sent;

	memset(&o, 0, sizeof(o));
	o.adapter = &fake;
	o.system = "finance";
	o.tick = one_then_stop;
	o.tick_arg = &n;
	ok(add("m-s1", "finance", "AmendLease", "K-S1", 1, 0, 0, 0) &&
	    add("m-s2", "finance", "AmendLease", "K-S2", 1, 0, 0, 0) &&
	    add("m-s3", "finance", "AmendLease", "K-S3", 1, 0, 0, 0) &&
	    oms_dispatch_open(&conf, st, &o, &d, err, sizeof(err)) == OMS_OK,
	    "stop: three messages, a dispatcher asked to stop after one");
	step(d);
	sent = seen("m-s1", NULL) + seen("m-s2", NULL) + seen("m-s3", NULL);
	ok(sent == 1 && val("SELECT COUNT(*) FROM outbox WHERE message_id IN "
	    "('m-s1', 'm-s2', 'm-s3') AND state = 'delivered'") == 1 &&
	    val("SELECT COUNT(*) FROM outbox WHERE message_id IN ('m-s1', "
	    "'m-s2', 'm-s3') AND state = 'pending' AND attempts = 0 AND "
	    "claimed_by IS NULL AND claim_until IS NULL") == 2,
	    "stop: one sent, the two others given back as they were");
	oms_dispatch_close(&d);
}

static void
pass(void)
{
	struct oms_seed_opts so = {1, 1, 3, 7, 0};
	struct oms_seed_stats ss;
	struct oms_dispatch *d, *dd, *dm;
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
	nscripts = ncalls = bad_bodies = 0;
	asset1 = val("SELECT MIN(id) FROM assets");
	asset2 = val("SELECT MAX(id) FROM assets");
	ok(run("INSERT INTO orders (ref, customer_id, requester, requested_on,"
	    " state, created_at, updated_at) SELECT 'ORD-T1', MIN(id), 'tester',"
	    " '2026-11-16', 'approved', 'x', 'x' FROM customers") &&
	    (order1 = val("SELECT id FROM orders WHERE ref = 'ORD-T1'")) > 0 &&
	    run("INSERT INTO order_lines (order_id, line_no, action, asset_id)"
	    " VALUES (%lld, 1, 'add', %lld)", (long long)order1,
	    (long long)asset1) &&
	    (line1 = val("SELECT id FROM order_lines WHERE order_id = %lld",
	    (long long)order1)) > 0, "set up: an order of one line");
	d = open_dispatch(st, &fake, NULL);
	dd = open_dispatch(st, &fake_drop, "drop");
	dm = open_dispatch(st, &fake_smtp, "mailx");
	ok(d != NULL && dd != NULL && dm != NULL,
	    "set up: dispatchers over the fake");
	if (d != NULL && dd != NULL && dm != NULL) {
		test_delivered(d);
		test_retry(d);
		test_rejected(d);
		test_order(d);
		test_unknown(d, dd);
		test_schemas(d);
		test_expired(d);
		test_leases(d);
		test_unasked(d, dm);
		test_drain(d);
		test_stop();
		test_two();
	}
	oms_dispatch_close(&d);
	oms_dispatch_close(&dd);
	oms_dispatch_close(&dm);
	oms_arena_reset(arena);
	oms_store_close(&st);
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	oms_log_set_level(getenv("OMS_TEST_LOG") != NULL ? OMS_LOG_INFO :
	    OMS_LOG_ERR);
	arena = oms_arena_new();
	snprintf(dir, sizeof(dir), "%s/oms-dispatch.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || !write_file("req.xsl", req_xsl) ||
	    !write_file("rep.xsl", rep_xsl)) {
		ok(0, "set up: the stylesheets");
		return tap_done();
	}
	oms_conf_defaults(&conf);
	snprintf(conf.xslt_dir, sizeof(conf.xslt_dir), "%s", dir);
	conf.nexchange = 0;
	section(0, "vendor", 3);
	section(1, "finance", 3);
	section(2, "drop", 5);
	section(3, "bulk", 3);
	conf.exchange[3].batch = 8;
	section(4, "plain", 3);
	conf.exchange[4].request_xsl[0] = '\0';
	conf.exchange[4].reply_xsl[0] = '\0';
	section(5, "mailx", 3);
	tb_run(pass);
	oms_arena_free(&arena);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return tap_done();
}

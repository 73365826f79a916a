/*
 * dispatch.c: the outbox dispatcher (dispatch.h).
 *
 * Sections: the systems; the canonical Ack and Query; ending an
 * attempt; sending; asking; the round; draining.
 *
 * Policy, in one place (docs/integration-guide.md, "Delivery"):
 * - attempts counts every exchange with the peer, sends and questions
 *   alike; the wait before the next one is oms_delivery_backoff_ms()
 *   of it (capped doubling, +/-20% jitter, never past backoff_max).
 * - A send that the adapter calls OMS_X_RETRY (certainly not applied)
 *   is tried again after the wait, or goes dead once attempts reaches
 *   max_attempts.  OMS_X_REJECTED, or an Ack "rejected", is dead at
 *   once with the reason.
 * - Whenever the request may have gone out and no usable answer came
 *   (OMS_X_UNKNOWN, OMS_X_WAITING, a reply that reply_xsl cannot map or
 *   that is no Ack for this message) the message is unknown: it is
 *   asked about after the wait (collect(), or the mapped canonical
 *   Query) and never sent again before an answer says "notfound".
 *   An unknown message never goes dead by itself: it stays unknown,
 *   with the reason in last_error, until the peer answers.
 * - Except where nobody can be asked (askable()): a system whose
 *   adapter has no collect() and that has no request_xsl to map the
 *   Query, and the mail adapter (its request_xsl makes the mail's
 *   text; a mail server cannot say whether it has a message).  There
 *   an unknown outcome is dead at once, with the reason "outcome
 *   unknown and the mail server (the system) cannot be asked: check
 *   with the recipient, then resend"; it is never sent again blind,
 *   and the operator's resend (a new message) is the way on.
 * - A canonical message that request_xsl cannot map is dead at once
 *   ("mapping: ..."): nothing was sent, and the same stylesheet fails
 *   the same message the same way every time; the operator fixes the
 *   stylesheet, restarts, and resends.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <sodium.h>

#include "arena.h"
#include "delivery.h"
#include "dispatch.h"
#include "outbox.h"
#include "store.h"
#include "view.h"
#include "xmlin.h"

/* Seconds added to a claim's window beyond the exchange's own timeouts
 * (the rest of the attempt, and clock skew between hosts). */
#define CLAIM_MARGIN_S 30

/* ------------------------------------------------------------------
 * The systems
 */

/* One [exchange NAME] system being served. */
struct xsys {
	const struct oms_exchange_conf *x;  /* its section (borrowed) */
	const struct oms_adapter_ops *ops;  /* its adapter */
	void *self;                         /* the adapter's state */
	struct oms_xmap *req;               /* request_xsl, or NULL */
	struct oms_xmap *rep;               /* reply_xsl, or NULL */
};

struct oms_dispatch {
	struct oms_store *st;               /* borrowed */
	struct oms_arena *a;                /* reset after each message */
	struct xsys sys[OMS_EXCHANGE_MAX];
	int nsys;
	char who[96];                       /* claimed_by */
	int (*tick)(void *);                /* opts->tick */
	void *tick_arg;
	int stopped;                        /* tick said stop */
	struct oms_dispatch_stats stats;
};

/* Free system s's adapter state and mappings. */
static void
sys_close(struct xsys *s)
{
	if (s->ops != NULL && s->self != NULL)
		s->ops->close(s->self);
	s->self = NULL;
	oms_xmap_free(&s->req);
	oms_xmap_free(&s->rep);
}

/*
 * Set up system s for section x: the adapter (over, or looked up by
 * name) and the mappings under xslt_dir.  OMS_OK or an error with one
 * line in err; s is safe to sys_close() either way.
 */
static enum oms_err
sys_open(struct xsys *s, const struct oms_conf *c,
    const struct oms_exchange_conf *x, const struct oms_adapter_ops *over,
    char *err, size_t errsz)
{
	char why[512];
	enum oms_err e;

	memset(s, 0, sizeof(*s));
	s->x = x;
	s->ops = over != NULL ? over : oms_adapter_lookup(x->adapter);
	if (s->ops == NULL) {
		snprintf(err, errsz, "[exchange %s]: the adapter '%s' is not "
		    "built into this program", x->name, x->adapter);
		return OMS_ERR_CONFIG;
	}
	if (x->request_xsl[0] != '\0' && (e = oms_xmap_load(c->xslt_dir,
	    x->request_xsl, &s->req, why, sizeof(why))) != OMS_OK) {
		snprintf(err, errsz, "[exchange %s] request_xsl: %s", x->name,
		    why);
		return OMS_ERR_CONFIG;
	}
	if (x->reply_xsl[0] != '\0' && (e = oms_xmap_load(c->xslt_dir,
	    x->reply_xsl, &s->rep, why, sizeof(why))) != OMS_OK) {
		snprintf(err, errsz, "[exchange %s] reply_xsl: %s", x->name,
		    why);
		return OMS_ERR_CONFIG;
	}
	why[0] = '\0';
	if ((e = s->ops->open(x, &s->self, why, sizeof(why))) != OMS_OK) {
		s->self = NULL;
		snprintf(err, errsz, "[exchange %s] adapter %s: %s", x->name,
		    s->ops->name, why[0] != '\0' ? why : oms_strerror(e));
		return e;
	}
	return OMS_OK;
}

/* Described in dispatch.h. */
enum oms_err
oms_dispatch_open(const struct oms_conf *c, struct oms_store *st,
    const struct oms_dispatch_opts *opts, struct oms_dispatch **out,
    char *err, size_t errsz)
{
	struct oms_dispatch *d;
	char host[64];
	enum oms_err e;

	*out = NULL;
	if (opts->system != NULL && oms_conf_exchange(c, opts->system) ==
	    NULL) {
		snprintf(err, errsz, "no [exchange %s] section in %s",
		    opts->system, c->file);
		return OMS_ERR_CONFIG;
	}
	if (c->nexchange == 0) {
		snprintf(err, errsz, "no [exchange NAME] section in %s",
		    c->file);
		return OMS_ERR_CONFIG;
	}
	oms_views_init();
	if (sodium_init() < 0 || (d = calloc(1, sizeof(*d))) == NULL)
		return OMS_ERR_NOMEM;
	if ((d->a = oms_arena_new()) == NULL) {
		free(d);
		return OMS_ERR_NOMEM;
	}
	d->st = st;
	d->tick = opts->tick;
	d->tick_arg = opts->tick_arg;
	if (opts->who != NULL)
		snprintf(d->who, sizeof(d->who), "%s", opts->who);
	else {
		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "unknown");
		host[sizeof(host) - 1] = '\0';
		snprintf(d->who, sizeof(d->who), "%s:%ld", host,
		    (long)getpid());
	}
	for (int i = 0; i < c->nexchange; i++) {
		const struct oms_exchange_conf *x = &c->exchange[i];

		if (opts->system != NULL && strcmp(opts->system, x->name) != 0)
			continue;
		e = sys_open(&d->sys[d->nsys], c, x, opts->adapter, err, errsz);
		if (e == OMS_OK) {
			d->nsys++;
			continue;
		}
		sys_close(&d->sys[d->nsys]);
		if (!opts->skip_broken) {
			oms_dispatch_close(&d);
			return e;
		}
		oms_error("exchange: %s: its messages wait", err);
	}
	*out = d;
	return OMS_OK;
}

/* Described in dispatch.h. */
void
oms_dispatch_close(struct oms_dispatch **dp)
{
	struct oms_dispatch *d;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	for (int i = 0; i < d->nsys; i++)
		sys_close(&d->sys[i]);
	oms_arena_free(&d->a);
	free(d);
	*dp = NULL;
}

/* Described in dispatch.h. */
const struct oms_dispatch_stats *
oms_dispatch_stats(const struct oms_dispatch *d)
{
	return &d->stats;
}

/* ------------------------------------------------------------------
 * The canonical Ack and Query
 */

/* An Ack as read (strings in the arena). */
struct ack {
	const char *status;    /* accepted, duplicate, rejected, notfound */
	const char *reference; /* or NULL */
	const char *reason;    /* or NULL */
};

/* The text of child `name` (in our namespace) of n, in arena a, or
 * NULL. */
static const char *
child_text(xmlNodePtr n, const char *name, struct oms_arena *a)
{
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
		    strcmp((const char *)c->ns->href, OMS_OUTBOX_NS) != 0 ||
		    strcmp((const char *)c->name, name) != 0)
			continue;
		xmlChar *t = xmlNodeGetContent(c);
		const char *s = t != NULL ? oms_arena_strdup(a,
		    (const char *)t) : NULL;

		xmlFree(t);
		return s;
	}
	return NULL;
}

/*
 * Read the canonical Ack in xml (len bytes) about message mid into *k.
 * 0, or -1 with one line in why: not XML, not an Ack, an unknown
 * status, or the Ack of another message.
 */
static int
ack_read(const char *xml, size_t len, const char *mid, struct oms_arena *a,
    struct ack *k, char *why, size_t whysz)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	char err[256];
	const char *id;
	int r = -1;

	memset(k, 0, sizeof(*k));
	if (oms_xml_read(xml, len, NULL, &doc, err, sizeof(err)) != OMS_OK) {
		snprintf(why, whysz, "the mapped reply is not XML: %s", err);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || root->ns == NULL || strcmp((const char *)root->name,
	    "Ack") != 0 || strcmp((const char *)root->ns->href,
	    OMS_OUTBOX_NS) != 0)
		snprintf(why, whysz, "the mapped reply is not a canonical Ack");
	else if ((k->status = child_text(root, "status", a)) == NULL ||
	    (strcmp(k->status, "accepted") != 0 &&
	    strcmp(k->status, "duplicate") != 0 &&
	    strcmp(k->status, "rejected") != 0 &&
	    strcmp(k->status, "notfound") != 0))
		snprintf(why, whysz, "the Ack's status is missing or unknown");
	else if ((id = child_text(root, "messageId", a)) != NULL &&
	    strcmp(id, mid) != 0)
		snprintf(why, whysz, "the Ack is about another message (%.64s)",
		    id);
	else {
		k->reference = child_text(root, "reference", a);
		k->reason = child_text(root, "reason", a);
		r = 0;
	}
	xmlFreeDoc(doc);
	return r;
}

/* Append v to b (cap bytes) escaped for XML text. */
static void
esc_cat(char *b, size_t cap, const char *v)
{
	size_t n = strlen(b);

	for (; v != NULL && *v && n + 7 < cap; v++) {
		const char *r = *v == '&' ? "&amp;" : *v == '<' ? "&lt;" :
		    *v == '>' ? "&gt;" : NULL;

		if (r != NULL) {
			memcpy(b + n, r, strlen(r));
			n += strlen(r);
		} else
			b[n++] = *v;
	}
	b[n] = '\0';
}

/*
 * The canonical Query about message m (docs/exchange/Query.xsd), in
 * arena a; NULL when out of memory.
 */
static const char *
query_xml(const struct oms_delivery_msg *m, struct oms_arena *a)
{
	char b[1024];

	snprintf(b, sizeof(b), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Query xmlns=\"" OMS_OUTBOX_NS "\">\n  <messageId>");
	esc_cat(b, sizeof(b), m->message_id);
	strcat(b, "</messageId>\n  <kind>");
	esc_cat(b, sizeof(b), m->kind);
	strcat(b, "</kind>\n");
	if (m->asset_tag != NULL && *m->asset_tag != '\0') {
		strcat(b, "  <assetTag>");
		esc_cat(b, sizeof(b), m->asset_tag);
		strcat(b, "</assetTag>\n");
	}
	if (m->order_ref != NULL && *m->order_ref != '\0') {
		strcat(b, "  <orderRef>");
		esc_cat(b, sizeof(b), m->order_ref);
		strcat(b, "</orderRef>\n");
	}
	strcat(b, "</Query>\n");
	return oms_arena_strdup(a, b);
}

/* The line attribute of the canonical body's <order> element (outbox.c
 * writes it so: <order ref=".." line="N" .../>), or 0. */
static int
body_line(const char *body)
{
	const char *p = strstr(body, "<order ");
	const char *end = p != NULL ? strchr(p, '>') : NULL;
	const char *l = p != NULL ? strstr(p, " line=\"") : NULL;

	if (l == NULL || end == NULL || l > end)
		return 0;
	return atoi(l + 7);
}

/* ------------------------------------------------------------------
 * Ending an attempt
 */

/*
 * Whether system s can be asked about a message whose outcome is
 * unknown: its adapter collects answers, or its request_xsl maps the
 * canonical Query for a send -- but never the mail adapter, whose
 * request_xsl makes a mail's text and whose server cannot tell.  1 or
 * 0.
 */
static int
askable(const struct xsys *s)
{
	if (s->ops->collect != NULL)
		return 1;
	return s->req != NULL && strcmp(s->ops->name, "smtp") != 0;
}

/* Names of delivery ends, for the log. */
static const char *const to_names[OMS_DELIVERY__MAX] = {
	"delivered", /* OMS_DELIVERY_DELIVERED */
	"pending",   /* OMS_DELIVERY_PENDING */
	"unknown",   /* OMS_DELIVERY_UNKNOWN */
	"dead",      /* OMS_DELIVERY_DEAD */
};

/*
 * End the attempt on m of system s: to, after wait_ms for pending and
 * unknown (-1: the back-off of its attempts), with error why (NULL:
 * none), reply and reference (delivered); unknown on a system that
 * cannot be asked (askable()) is dead instead, with why in its reason.
 * Counts and logs the change.  OMS_OK (also when the claim was lost: logged) or the store's error.
 */
static enum oms_err
finish(struct oms_dispatch *d, struct xsys *s, struct oms_delivery_msg *m,
    enum oms_delivery_to to, int64_t wait_ms, const char *why,
    const char *reply, const char *reference)
{
	struct oms_delivery_end end;
	char next[32], dead[700];
	enum oms_err e;

	if (to == OMS_DELIVERY_UNKNOWN && !askable(s)) {
		/* Nobody to ask: dead now rather than unknown for ever. */
		snprintf(dead, sizeof(dead), "outcome unknown and the %s "
		    "cannot be asked: check with the recipient, then resend "
		    "(%.500s)", strcmp(s->ops->name, "smtp") == 0 ?
		    "mail server" : "system", why != NULL ? why : "no answer");
		to = OMS_DELIVERY_DEAD;
		why = dead;
	}
	memset(&end, 0, sizeof(end));
	end.to = to;
	if (wait_ms < 0)
		wait_ms = oms_delivery_backoff_ms(s->x->backoff_base,
		    s->x->backoff_max, m->attempts, randombytes_random());
	oms_delivery_time(oms_delivery_clock_us() + wait_ms * 1000, next,
	    sizeof(next));
	end.next_at = next;
	end.error = why;
	end.reply = reply;
	end.reference = reference;
	end.line_no = to == OMS_DELIVERY_DELIVERED ? body_line(m->body) : 0;
	e = oms_delivery_end(d->st, d->a, m, d->who, &end);
	if (e == OMS_ERR_CONSTRAINT && to == OMS_DELIVERY_DELIVERED) {
		/* The peer has it: record that, whatever the data says. */
		oms_error("exchange %s: %s %s: delivered, but its vendor order "
		    "or lease could not be recorded (a constraint refused it)",
		    s->x->name, m->message_id, m->kind);
		end.no_effects = 1;
		e = oms_delivery_end(d->st, d->a, m, d->who, &end);
	}
	if (e == OMS_ERR_CONFLICT) {
		oms_warn("exchange %s: %s %s: our claim was taken back before "
		    "the attempt ended; its outcome is left to the next "
		    "question", s->x->name, m->message_id, m->kind);
		return OMS_OK;
	}
	if (e != OMS_OK) {
		oms_error("exchange %s: %s %s: the end of the attempt was not "
		    "recorded: %s", s->x->name, m->message_id, m->kind,
		    oms_strerror(e));
		return e;
	}
	switch (to) {
	case OMS_DELIVERY_DELIVERED: d->stats.delivered++; break;
	case OMS_DELIVERY_PENDING: d->stats.retry++; break;
	case OMS_DELIVERY_UNKNOWN: d->stats.unknown++; break;
	default: d->stats.dead++; break;
	}
	if (to == OMS_DELIVERY_DELIVERED)
		oms_info("exchange %s: %s %s: sending -> delivered (attempt "
		    "%lld%s%s)", s->x->name, m->message_id, m->kind,
		    (long long)m->attempts, reference ? ", reference " : "",
		    reference ? reference : "");
	else if (to == OMS_DELIVERY_DEAD)
		oms_info("exchange %s: %s %s: sending -> dead (attempt %lld: "
		    "%s)", s->x->name, m->message_id, m->kind,
		    (long long)m->attempts, why ? why : "");
	else
		oms_info("exchange %s: %s %s: sending -> %s at %s (attempt "
		    "%lld%s%s)", s->x->name, m->message_id, m->kind,
		    to_names[to], next, (long long)m->attempts,
		    why ? ": " : "", why ? why : "");
	return OMS_OK;
}

/*
 * Act on the answer body (len bytes; NULL: delivered without one, the
 * mail) to an exchange about m: map it with reply_xsl (none: it is the
 * Ack already) and end the attempt by its status.  asked: the answer
 * to a question (notfound: send again) rather than to a send.  OMS_OK
 * or the store's error.
 */
static enum oms_err
answered(struct oms_dispatch *d, struct xsys *s, struct oms_delivery_msg *m,
    const char *body, size_t len, int asked)
{
	const char *params[] = {"messageId", m->message_id, "kind", m->kind,
	    "system", s->x->name, NULL};
	const char *out = body;
	size_t outlen = len;
	char why[600];
	struct ack k;

	if (body == NULL)
		return finish(d, s, m, OMS_DELIVERY_DELIVERED, 0, NULL, NULL,
		    NULL);
	if (s->rep != NULL && oms_xmap_apply(s->rep, body, len, params, d->a,
	    &out, &outlen, why, sizeof(why) - 40) != OMS_OK) {
		char line[640];

		snprintf(line, sizeof(line), "reply mapping: %s", why);
		return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, line, NULL,
		    NULL);
	}
	if (ack_read(out, outlen, m->message_id, d->a, &k, why,
	    sizeof(why)) != 0)
		return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, why, NULL,
		    NULL);
	if (strcmp(k.status, "accepted") == 0 ||
	    strcmp(k.status, "duplicate") == 0)
		return finish(d, s, m, OMS_DELIVERY_DELIVERED, 0, NULL, out,
		    k.reference);
	if (strcmp(k.status, "rejected") == 0) {
		snprintf(why, sizeof(why), "rejected: %.500s", k.reason != NULL ?
		    k.reason : "no reason given");
		return finish(d, s, m, OMS_DELIVERY_DEAD, 0, why, NULL, NULL);
	}
	if (asked)
		return finish(d, s, m, OMS_DELIVERY_PENDING, 0, "the peer has "
		    "not got it (notfound): sent again", NULL, NULL);
	return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, "the answer to the "
	    "send was notfound", NULL, NULL);
}

/* ------------------------------------------------------------------
 * Sending
 */

/* The claim's window for system s, in milliseconds. */
static int64_t
claim_ms(const struct xsys *s)
{
	return ((int64_t)s->x->connect_timeout + s->x->timeout +
	    CLAIM_MARGIN_S) * 1000;
}

/*
 * Send m: map, send, end the attempt by the result.  OMS_OK or the
 * store's error.
 */
static enum oms_err
send_one(struct oms_dispatch *d, struct xsys *s, struct oms_delivery_msg *m)
{
	const char *params[] = {"messageId", m->message_id, "kind", m->kind,
	    "system", s->x->name, NULL};
	struct oms_xreq req;
	struct oms_xreply rep;
	const char *body = NULL;
	size_t len = 0;
	char why[600];
	enum oms_xresult r;

	if (s->req != NULL && oms_xmap_apply(s->req, m->body, strlen(m->body),
	    params, d->a, &body, &len, why, sizeof(why) - 40) != OMS_OK) {
		char line[640];

		snprintf(line, sizeof(line), "request mapping: %s", why);
		return finish(d, s, m, OMS_DELIVERY_DEAD, 0, line, NULL, NULL);
	}
	memset(&req, 0, sizeof(req));
	req.message_id = m->message_id;
	req.kind = m->kind;
	req.body = body;
	req.len = len;
	req.canonical = m->body;
	req.canonical_len = strlen(m->body);
	req.invoice_id = m->invoice_id;
	req.st = d->st;
	req.a = d->a;
	memset(&rep, 0, sizeof(rep));
	r = s->ops->send(s->self, &req, &rep);
	rep.why[sizeof(rep.why) - 1] = '\0';
	switch (r) {
	case OMS_X_ANSWERED:
		return answered(d, s, m, rep.body, rep.len, 0);
	case OMS_X_REJECTED:
		return finish(d, s, m, OMS_DELIVERY_DEAD, 0, rep.why, NULL,
		    NULL);
	case OMS_X_RETRY:
		if (m->attempts >= s->x->max_attempts) {
			snprintf(why, sizeof(why), "gave up after %lld attempts: "
			    "%s", (long long)m->attempts, rep.why);
			return finish(d, s, m, OMS_DELIVERY_DEAD, 0, why, NULL,
			    NULL);
		}
		return finish(d, s, m, OMS_DELIVERY_PENDING, -1, rep.why, NULL,
		    NULL);
	case OMS_X_WAITING:
		return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, rep.why[0] ?
		    rep.why : "written; its answer comes later", NULL, NULL);
	default:
		return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, rep.why[0] ?
		    rep.why : "no answer", NULL, NULL);
	}
}

/* ------------------------------------------------------------------
 * Asking
 */

/*
 * Ask about unknown message m: collect() its answer, or send the mapped
 * canonical Query; act on the answer.  No answer leaves it unknown,
 * asked again after the back-off.  OMS_OK or the store's error.
 */
static enum oms_err
ask_one(struct oms_dispatch *d, struct xsys *s, struct oms_delivery_msg *m)
{
	const char *params[] = {"messageId", m->message_id, "kind", "Query",
	    "system", s->x->name, NULL};
	struct oms_xreply rep;
	enum oms_xresult r;
	char why[600];

	if (!askable(s))
		/* Its claim ran out mid-send (the process died): finish()
		 * makes it dead, nothing is sent. */
		return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, "the attempt "
		    "ended without an outcome", NULL, NULL);
	memset(&rep, 0, sizeof(rep));
	if (s->ops->collect != NULL)
		r = s->ops->collect(s->self, m->message_id, d->a, &rep);
	else {
		const char *q = query_xml(m, d->a), *body = q;
		size_t len = q != NULL ? strlen(q) : 0;
		struct oms_xreq req;

		if (q == NULL)
			return OMS_ERR_NOMEM;
		if (s->req != NULL && oms_xmap_apply(s->req, q, len, params,
		    d->a, &body, &len, why, sizeof(why) - 40) != OMS_OK) {
			char line[640];

			snprintf(line, sizeof(line), "query mapping: %s", why);
			return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, line,
			    NULL, NULL);
		}
		memset(&req, 0, sizeof(req));
		req.message_id = m->message_id;
		req.kind = "Query";
		req.body = body;
		req.len = len;
		req.canonical = q;
		req.canonical_len = strlen(q);
		req.invoice_id = m->invoice_id;
		req.st = d->st;
		req.a = d->a;
		r = s->ops->send(s->self, &req, &rep);
	}
	rep.why[sizeof(rep.why) - 1] = '\0';
	if (r == OMS_X_ANSWERED)
		return answered(d, s, m, rep.body, rep.len, 1);
	snprintf(why, sizeof(why), "asked, no answer (%s)%s%s",
	    oms_xresult_names[r], rep.why[0] ? ": " : "", rep.why);
	return finish(d, s, m, OMS_DELIVERY_UNKNOWN, -1, why, NULL, NULL);
}

/* ------------------------------------------------------------------
 * The round
 */

/*
 * One batch of system s: take back expired claims, claim, deliver.
 * *did counts the messages handled.  OMS_OK or the store's error.
 */
static enum oms_err
step_sys(struct oms_dispatch *d, struct xsys *s, size_t *did)
{
	struct oms_delivery_msg *m;
	size_t n, from;
	enum oms_err e;

	oms_arena_reset(d->a);
	if ((e = oms_delivery_expire(d->st, d->a, s->x->name, NULL)) != OMS_OK)
		return e;
	if ((e = oms_delivery_claim(d->st, d->a, s->x->name, d->who,
	    claim_ms(s), (size_t)s->x->batch, &m, &n)) != OMS_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		if (!d->stopped && i > 0 && d->tick != NULL &&
		    !d->tick(d->tick_arg))
			d->stopped = 1;
		if (d->stopped) {
			/* Asked to stop: what is not sent is given back. */
			if ((e = oms_delivery_release(d->st, &m[i], d->who)) !=
			    OMS_OK && e != OMS_ERR_CONFLICT)
				return e;
			continue;
		}
		/* A batch's later messages wait for the earlier sends: move
		 * the claim on first, and leave a message whose claim was
		 * taken back (it is unknown now, and not ours). */
		e = oms_delivery_renew(d->st, &m[i], d->who, claim_ms(s));
		if (e == OMS_ERR_CONFLICT) {
			oms_warn("exchange %s: %s %s: our claim ran out before "
			    "its turn; left to the others", s->x->name,
			    m[i].message_id, m[i].kind);
			continue;
		}
		/* from: the first message not sent when the database
		 * fails: this one if its claim could not be moved on. */
		from = i;
		if (e == OMS_OK) {
			from = i + 1;
			e = m[i].ask ? ask_one(d, s, &m[i]) :
			    send_one(d, s, &m[i]);
		}
		if (e != OMS_OK) {
			/* Give back what is not sent, as far as the
			 * database lets us (the rest run out and are asked
			 * about). */
			for (size_t j = from; j < n; j++)
				(void)oms_delivery_release(d->st, &m[j], d->who);
			return e;
		}
		(*did)++;
	}
	return OMS_OK;
}

/* Described in dispatch.h. */
enum oms_err
oms_dispatch_step(struct oms_dispatch *d, size_t *did)
{
	enum oms_err e, first = OMS_OK;

	*did = 0;
	d->stopped = 0;
	for (int i = 0; i < d->nsys && !d->stopped; i++)
		if ((e = step_sys(d, &d->sys[i], did)) != OMS_OK) {
			oms_error("exchange %s: %s", d->sys[i].x->name,
			    oms_strerror(e));
			if (first == OMS_OK)
				first = e;
		}
	oms_arena_reset(d->a);
	return first;
}

/* ------------------------------------------------------------------
 * Draining
 */

/* Rounds in a row that may find the database busy before a drain
 * gives up. */
#define DRAIN_BUSY_TRIES 50

/* Sleep ms milliseconds. */
static void
pause_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/*
 * What is left for d's systems: *open, *sending, and whether one falls
 * due before `before` (ISO, ms; NULL: now).  OMS_OK or the store's
 * error.
 */
static enum oms_err
left(struct oms_dispatch *d, const char *before, int64_t *open,
    int64_t *sending, int *due)
{
	char now[32];

	*open = *sending = 0;
	*due = 0;
	if (before == NULL)
		before = oms_delivery_time(oms_delivery_clock_us(), now,
		    sizeof(now));
	for (int i = 0; i < d->nsys; i++) {
		const char *next;
		int64_t o, s;
		enum oms_err e;

		e = oms_delivery_open(d->st, d->a, d->sys[i].x->name, &o, &s,
		    &next);
		if (e != OMS_OK)
			return e;
		*open += o;
		*sending += s;
		/* Whole-second times sort after the same second's
		 * milliseconds: compare the seconds first. */
		if (next != NULL && strncmp(next, before, 19) <= 0)
			*due = 1;
	}
	return OMS_OK;
}

/* Described in dispatch.h. */
enum oms_err
oms_dispatch_drain(struct oms_dispatch *d, int64_t timeout_ms,
    int64_t *leftp)
{
	int64_t deadline = oms_now_us() + (timeout_ms > 0 ? timeout_ms : 0) *
	    1000;
	int64_t open = 0, sending = 0;
	char until[32];
	size_t did;
	int due;
	enum oms_err e;

	oms_delivery_time(oms_delivery_clock_us() + (timeout_ms > 0 ?
	    timeout_ms : 0) * 1000, until, sizeof(until));
	for (int busy = 0;;) {
		/* A database busy past its timeout (many writers at once)
		 * is waited out a while; anything else ends the drain. */
		if ((e = oms_dispatch_step(d, &did)) == OMS_ERR_BUSY &&
		    ++busy < DRAIN_BUSY_TRIES) {
			pause_ms(100);
			continue;
		}
		if (e != OMS_OK)
			break;
		busy = 0;
		if (did > 0)
			continue;
		e = left(d, timeout_ms > 0 && oms_now_us() < deadline ? until :
		    NULL, &open, &sending, &due);
		oms_arena_reset(d->a);
		if (e != OMS_OK || open == 0)
			break;
		if (timeout_ms > 0 && oms_now_us() >= deadline)
			break;
		/* Nothing was claimable: without a timeout, done unless
		 * some are in flight; with one, wait while something falls
		 * due before the deadline. */
		if (sending == 0 && (timeout_ms <= 0 || !due))
			break;
		/* In flight elsewhere, or due soon: look again shortly. */
		pause_ms(100);
	}
	if (e == OMS_OK) {
		e = left(d, NULL, &open, &sending, &due);
		oms_arena_reset(d->a);
	}
	*leftp = open;
	return e;
}

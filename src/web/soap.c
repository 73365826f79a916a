/*
 * soap.c: the inbound SOAP service (issue 10; docs/integration-guide.md
 * "Inbound SOAP service"; the WSDL docs/exchange/oms.wsdl).
 *
 * POST /soap runs through the same pipeline as every page (http.c):
 * the route (handlers.c) is for integration accounts and needs
 * OMS_PERM_SOAP; the authenticate stage calls oms_soap_authenticate,
 * which parses the envelope with the one reader of untrusted XML
 * (xmlin.h: bounded size and depth, no DOCTYPE) and checks the
 * account's credentials on every request; the handler then asks the
 * policy for the operation (oms_policy_op_may), validates the Body
 * against the WSDL's schema (compiled once per worker), answers a
 * replay from the replay memory, and runs the operation and the
 * remembering of its answer as one unit of work.  Every error, from
 * any stage, is a SOAP 1.1 Fault (HTTP 500), never an HTML page.
 *
 * Sections: per-worker service description; Faults; authentication;
 * operations; the handlers.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlschemas.h>
#include <sodium.h>

#include "arena.h"
#include "billing.h"
#include "billxml.h"
#include "date.h"
#include "handlers.h"
#include "http.h"
#include "inbound.h"
#include "inventory.h"
#include "orders.h"
#include "store.h"
#include "strbuf.h"
#include "xmlin.h"

#define NS_SOAP "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_OMS "urn:oms:soap:1"
#define NS_WSSE "http://docs.oasis-open.org/wss/2004/01/" \
	"oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define WSDL_PATH "/../docs/exchange/oms.wsdl" /* after xslt_dir */
#define WSDL_ADDRESS "http://localhost/soap"   /* replaced when served */
#define MAX_DEPTH 32      /* elements deep; a real request is under 10 */
#define MAX_ASSETS 100000 /* QueryAssets answers at most this many */

/* ------------------------------------------------------------------
 * The service description, loaded once per worker (after the fork) at
 * its first use: the WSDL as text to serve, and its schema compiled.
 */
static char *wsdl_text;       /* the file, as read */
static size_t wsdl_len;
static xmlSchemaPtr schema;   /* compiled from its wsdl:types */
static int loaded;            /* 1: tried (failures are logged once) */

/* Read and compile the WSDL under xslt_dir; OMS_OK or OMS_ERR_IO
 * (logged).  What it keeps lives until the worker exits. */
static enum oms_err
load(const struct oms_conf *c)
{
	char path[4200], err[256];
	xmlDocPtr d = NULL, sd = NULL;
	xmlNodePtr n;
	xmlSchemaParserCtxtPtr pc = NULL;
	xmlChar *buf = NULL;
	int len = 0;
	enum oms_err e;

	if (loaded)
		return schema != NULL ? OMS_OK : OMS_ERR_IO;
	loaded = 1;
	snprintf(path, sizeof(path), "%s%s", c->xslt_dir, WSDL_PATH);
	if ((e = oms_xml_read_file(path, NULL, NULL, &d, err, sizeof(err))) !=
	    OMS_OK) {
		oms_error("soap: %s: %s", path, err);
		return OMS_ERR_IO;
	}
	xmlDocDumpMemoryEnc(d, &buf, &len, "UTF-8");
	if (buf != NULL && (wsdl_text = malloc((size_t)len + 1)) != NULL) {
		memcpy(wsdl_text, buf, (size_t)len);
		wsdl_text[len] = '\0';
		wsdl_len = (size_t)len;
	}
	xmlFree(buf);
	/* The schema: the xs:schema element of wsdl:types, as a document
	 * of its own (it declares its prefixes itself). */
	for (n = xmlDocGetRootElement(d)->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST "types"))
			break;
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(n->name, BAD_CAST "schema"))
			break;
	if (n != NULL && (sd = xmlNewDoc(BAD_CAST "1.0")) != NULL) {
		xmlDocSetRootElement(sd, xmlDocCopyNode(n, sd, 1));
		if ((pc = xmlSchemaNewDocParserCtxt(sd)) != NULL)
			schema = xmlSchemaParse(pc);
	}
	xmlSchemaFreeParserCtxt(pc);
	xmlFreeDoc(sd);
	xmlFreeDoc(d);
	if (schema == NULL || wsdl_text == NULL) {
		oms_error("soap: %s: no usable schema in wsdl:types", path);
		return OMS_ERR_IO;
	}
	return OMS_OK;
}

/* ------------------------------------------------------------ Faults */

/* s with &, <, > and " escaped, in a. */
static const char *
esc(struct oms_arena *a, const char *s)
{
	struct oms_sb b;

	oms_sb_init(&b, a);
	for (; s != NULL && *s; s++)
		switch (*s) {
		case '&': oms_sb_puts(&b, "&amp;"); break;
		case '<': oms_sb_puts(&b, "&lt;"); break;
		case '>': oms_sb_puts(&b, "&gt;"); break;
		case '"': oms_sb_puts(&b, "&quot;"); break;
		default: oms_sb_add(&b, s, 1); break;
		}
	return oms_sb_done(&b, NULL);
}

/* The text of a Fault envelope (status below 500: soap:Client, else
 * soap:Server) saying msg, in a; NULL when out of memory. */
static const char *
fault_text(struct oms_arena *a, int status, const char *msg, size_t *len)
{
	const char *t = oms_arena_printf(a, "<?xml version=\"1.0\" "
	    "encoding=\"UTF-8\"?>\n<soap:Envelope xmlns:soap=\"" NS_SOAP "\">"
	    "<soap:Body><soap:Fault><faultcode>soap:%s</faultcode>"
	    "<faultstring>%s</faultstring></soap:Fault></soap:Body>"
	    "</soap:Envelope>\n", status < 500 ? "Client" : "Server",
	    esc(a, msg ? msg : "The request failed."));

	*len = t ? strlen(t) : 0;
	return t;
}

/* Described in http.h. */
void
oms_soap_fault_out(struct oms_arena *a, int status, const char *msg,
    struct oms_http_out *out)
{
	/* SOAP 1.1 (section 6.2): a Fault goes out with HTTP 500, also
	 * for the client's own mistakes; faultcode says whose. */
	out->status = 500;
	out->media = "text/xml";
	out->body = fault_text(a, status, msg, &out->len);
	if (out->body == NULL) {
		out->body = "";
		out->len = 0;
	}
}

/* Set resp to a Fault (see fault_text). */
static void
fault(struct oms_req *req, struct oms_resp *resp, int status,
    const char *msg)
{
	resp->status = 500;
	resp->media = "text/xml";
	resp->body = fault_text(req->arena, status, msg, &resp->body_len);
	if (resp->body == NULL) {
		resp->body = "";
		resp->body_len = 0;
		resp->status = 500;
	}
}

/* ---------------------------------------------------- authentication */

/* One request, as parsed by oms_soap_authenticate. */
struct soap_in {
	xmlDocPtr doc;       /* the envelope (freed with the arena) */
	xmlNodePtr header;   /* soap:Header, or NULL */
	xmlNodePtr body;     /* soap:Body */
};

/* Arena cleanup: free a parsed envelope. */
static void
free_doc(void *p)
{
	xmlFreeDoc(p);
}

/* The first element child of n in namespace ns named name (NULL:
 * any), or NULL. */
static xmlNodePtr
child(xmlNodePtr n, const char *ns, const char *name)
{
	for (n = n ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && (name == NULL ||
		    xmlStrEqual(n->name, BAD_CAST name)) && (ns == NULL ||
		    (n->ns != NULL && xmlStrEqual(n->ns->href, BAD_CAST ns))))
			return n;
	return NULL;
}

/* The text of n in a, or NULL. */
static const char *
text_of(struct oms_arena *a, xmlNodePtr n)
{
	xmlChar *t;
	const char *s;

	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = oms_arena_strdup(a, (const char *)t);
	xmlFree(t);
	return s;
}

/* HTTP basic credentials from header h into *user, *pw (arena): 1 when
 * there were some. */
static int
basic(struct oms_arena *a, const char *h, const char **user, const char **pw)
{
	size_t n, out;
	char *buf, *colon;

	if (h == NULL || strncasecmp(h, "Basic ", 6) != 0)
		return 0;
	h += 6;
	n = strlen(h);
	if (n > 2048 || (buf = oms_arena_alloc(a, n + 1)) == NULL)
		return 0;
	if (sodium_base642bin((unsigned char *)buf, n, h, n, NULL, &out, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0)
		return 0;
	buf[out] = '\0';
	if (strlen(buf) != out || (colon = strchr(buf, ':')) == NULL)
		return 0;
	*colon = '\0';
	*user = buf;
	*pw = colon + 1;
	return 1;
}

/* Described in http.h. */
enum oms_err
oms_soap_authenticate(struct oms_req *req, const char *authorization,
    int *status, const char **why)
{
	struct oms_arena *a = req->arena;
	struct oms_xml_limits lim = {req->conf->max_body, MAX_DEPTH};
	struct soap_in *s;
	struct oms_user u;
	xmlNodePtr root, tok;
	const char *user = NULL, *pw = NULL;
	char err[256];
	enum oms_err e;

	*status = 400;
	if (req->body == NULL || req->body_len == 0) {
		*why = "The request has no body: send a SOAP 1.1 Envelope.";
		return OMS_ERR_INVAL;
	}
	if ((s = oms_arena_alloc(a, sizeof(*s))) == NULL) {
		*status = 500;
		*why = "The server is out of memory.";
		return OMS_ERR_NOMEM;
	}
	memset(s, 0, sizeof(*s));
	e = oms_xml_read(req->body, req->body_len, &lim, &s->doc, err,
	    sizeof(err));
	if (e != OMS_OK) {
		*status = e == OMS_ERR_NOMEM ? 500 : 400;
		*why = oms_arena_printf(a, "The request is not acceptable XML: "
		    "%s.", err);
		return e;
	}
	if (!oms_arena_defer(a, free_doc, s->doc)) {
		*status = 500;
		*why = "The server is out of memory.";
		return OMS_ERR_NOMEM;
	}
	root = xmlDocGetRootElement(s->doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "Envelope") ||
	    root->ns == NULL || !xmlStrEqual(root->ns->href, BAD_CAST NS_SOAP)) {
		*why = "The request is not a SOAP 1.1 Envelope (namespace "
		    NS_SOAP ").";
		return OMS_ERR_INVAL;
	}
	s->header = child(root, NS_SOAP, "Header");
	if ((s->body = child(root, NS_SOAP, "Body")) == NULL) {
		*why = "The Envelope has no Body.";
		return OMS_ERR_INVAL;
	}
	/* WS-Security UsernameToken (PasswordText), else HTTP basic. */
	tok = child(child(s->header, NS_WSSE, "Security"), NS_WSSE,
	    "UsernameToken");
	if (tok != NULL) {
		xmlNodePtr p = child(tok, NS_WSSE, "Password");
		xmlChar *type = p ? xmlGetProp(p, BAD_CAST "Type") : NULL;

		if (type != NULL && strstr((const char *)type,
		    "#PasswordText") == NULL) {
			xmlFree(type);
			*status = 401;
			*why = "Authentication failed: send the UsernameToken's "
			    "password as PasswordText (over TLS).";
			return OMS_ERR_DENIED;
		}
		xmlFree(type);
		user = text_of(a, child(tok, NS_WSSE, "Username"));
		pw = text_of(a, p);
	} else if (!basic(a, authorization, &user, &pw)) {
		*status = 401;
		*why = "Authentication failed: send a WS-Security "
		    "UsernameToken or HTTP basic credentials.";
		return OMS_ERR_DENIED;
	}
	e = oms_integration_auth(req->st, a, user, pw, req->now, &u,
	    &req->account);
	if (e != OMS_OK) {
		*status = e == OMS_ERR_DENIED ? 401 : 503;
		*why = e == OMS_ERR_DENIED ? "Authentication failed." :
		    "The database is unavailable. Please try again in a "
		    "moment.";
		return e;
	}
	req->actor.user_id = u.id;
	req->actor.login = u.login;
	req->soap = s;
	return OMS_OK;
}

/* ------------------------------------------------------- operations */

/* An answer being built: <soap:Envelope><soap:Body><oms:NAME>. */
struct answer {
	xmlDocPtr doc;
	xmlNsPtr ns;       /* urn:oms:soap:1, prefix oms */
	xmlNodePtr op;     /* the response element */
};

/* Start the answer of operation name (e.g. "QueryAssetsResponse");
 * 0 when out of memory.  The document is freed with the arena. */
static int
answer_new(struct oms_arena *a, struct answer *an, const char *name)
{
	xmlNodePtr env, body;
	xmlNsPtr sns;

	memset(an, 0, sizeof(*an));
	if ((an->doc = xmlNewDoc(BAD_CAST "1.0")) == NULL)
		return 0;
	if (!oms_arena_defer(a, free_doc, an->doc))
		return 0;
	if ((env = xmlNewDocNode(an->doc, NULL, BAD_CAST "Envelope", NULL)) ==
	    NULL)
		return 0;
	xmlDocSetRootElement(an->doc, env);
	sns = xmlNewNs(env, BAD_CAST NS_SOAP, BAD_CAST "soap");
	an->ns = xmlNewNs(env, BAD_CAST NS_OMS, BAD_CAST "oms");
	xmlSetNs(env, sns);
	body = xmlNewChild(env, sns, BAD_CAST "Body", NULL);
	an->op = body ? xmlNewChild(body, an->ns, BAD_CAST name, NULL) : NULL;
	return an->op != NULL;
}

/* <oms:name>text</oms:name> under parent (text escaped). */
static xmlNodePtr
el(struct answer *an, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = xmlNewChild(parent, an->ns, BAD_CAST name, NULL);

	if (n != NULL && text != NULL)
		xmlNodeAddContent(n, BAD_CAST text);
	return n;
}

/* The answer as text in a: OMS_OK or OMS_ERR_NOMEM. */
static enum oms_err
answer_text(struct oms_arena *a, struct answer *an, const char **out,
    size_t *len)
{
	xmlChar *buf = NULL;
	int n = 0;

	xmlDocDumpMemoryEnc(an->doc, &buf, &n, "UTF-8");
	if (buf == NULL)
		return OMS_ERR_NOMEM;
	*out = oms_arena_strndup(a, (const char *)buf, (size_t)n);
	*len = (size_t)n;
	xmlFree(buf);
	return *out ? OMS_OK : OMS_ERR_NOMEM;
}

/* One operation's run, as a unit of work. */
struct op_unit {
	struct oms_req *req;
	int op;                   /* enum oms_soap_op */
	xmlNodePtr in;            /* the operation element */
	const char *msgid;
	char sha256[65];
	const char *why;          /* for a refusal: what is wrong */
	const char *response;     /* the answer */
	size_t len;
};

/* The text of in's child name (NULL when absent). */
static const char *
field(struct op_unit *u, const char *name)
{
	return text_of(u->req->arena, child(u->in, NS_OMS, name));
}

/* OrderStatus: record the line's progress; complete when configured. */
static enum oms_err
op_order_status(struct oms_store *st, struct op_unit *u, struct answer *an)
{
	struct oms_req *req = u->req;
	const struct oms_exchange_conf *x = oms_conf_exchange(req->conf,
	    "vendor");
	struct oms_order_status in;
	struct oms_order_status_result r;
	struct oms_order_ctx ctx;
	const char *line = field(u, "line");
	enum oms_err e;

	memset(&in, 0, sizeof(in));
	in.message_id = u->msgid;
	in.order_ref = field(u, "orderRef");
	in.line_no = line ? atoi(line) : 0;
	in.status = field(u, "status");
	in.vendor_ref = field(u, "vendorRef");
	in.scheduled_on = field(u, "scheduledOn");
	in.installed_on = field(u, "installedOn");
	in.serial = field(u, "serial");
	in.number = field(u, "number");
	in.note = field(u, "note");
	memset(&ctx, 0, sizeof(ctx));
	ctx.arena = req->arena;
	ctx.actor = &req->actor;
	ctx.who = &req->account;
	ctx.today = oms_date_today();
	ctx.backdate_days = req->conf->backdate_days;
	if ((e = oms_inbound_order_status_in(st, &ctx, &in,
	    x != NULL && x->complete_on_install, &r, &u->why)) != OMS_OK)
		return e;
	el(an, an->op, "messageId", u->msgid);
	el(an, an->op, "orderRef", in.order_ref);
	el(an, an->op, "orderState", r.order_state);
	el(an, an->op, "completed", r.completed ? "true" : "false");
	return OMS_OK;
}

/* LeaseBooked: store the lease on the asset. */
static enum oms_err
op_lease_booked(struct oms_store *st, struct op_unit *u, struct answer *an)
{
	struct oms_req *req = u->req;
	struct oms_lease_booked in;
	xmlNodePtr sch = child(u->in, NS_OMS, "schedule");
	const char *t;
	enum oms_err e;

	memset(&in, 0, sizeof(in));
	in.message_id = u->msgid;
	in.asset_tag = field(u, "assetTag");
	in.lease_number = field(u, "leaseNumber");
	in.term_months = (t = field(u, "termMonths")) ? strtoll(t, NULL, 10) : 0;
	in.starts_on = field(u, "startsOn");
	in.ends_on = field(u, "endsOn");
	in.monthly_cents = (t = field(u, "monthlyAmount")) ?
	    strtoll(t, NULL, 10) : 0;
	if (sch != NULL) {
		xmlBufferPtr b = xmlBufferCreate();

		if (b == NULL)
			return OMS_ERR_NOMEM;
		xmlNodeDump(b, sch->doc, sch, 0, 0);
		in.schedule = oms_arena_strdup(req->arena,
		    (const char *)xmlBufferContent(b));
		xmlBufferFree(b);
	}
	if ((e = oms_inbound_lease_booked_in(st, &req->actor, &in, &u->why)) !=
	    OMS_OK)
		return e;
	el(an, an->op, "messageId", u->msgid);
	el(an, an->op, "assetTag", in.asset_tag);
	el(an, an->op, "leaseNumber", in.lease_number);
	return OMS_OK;
}

/* QueryAssets: the site's assets, read as the asset page reads them. */
static enum oms_err
op_query_assets(struct oms_store *st, struct op_unit *u, struct answer *an)
{
	struct oms_req *req = u->req;
	const char *cc = field(u, "customerCode"), *sc = field(u, "siteCode");
	struct oms_asset_query q;
	struct oms_asset_page res;
	int64_t site, cust;
	enum oms_err e;

	if ((e = oms_inbound_site(st, cc, sc, &site, &cust)) != OMS_OK) {
		if (e == OMS_ERR_NOTFOUND)
			u->why = "There is no site with this code at a "
			    "customer with this code.";
		return e;
	}
	if (!oms_policy_may(&req->account, OMS_ACTION_READ,
	    &(struct oms_object){OMS_OBJECT_SITE, site, cust, site})) {
		u->why = "There is no site with this code at a customer with "
		    "this code.";
		return OMS_ERR_NOTFOUND;
	}
	memset(&q, 0, sizeof(q));
	q.site = site;
	q.type = -1;
	q.status = -1;
	q.sort = OMS_SORT_TAG;
	q.limit = MAX_ASSETS;
	if ((e = oms_asset_search(st, req->arena, &req->scope, &q, &res)) !=
	    OMS_OK)
		return e;
	el(an, an->op, "messageId", u->msgid);
	el(an, an->op, "customerCode", cc);
	el(an, an->op, "siteCode", sc);
	el(an, an->op, "count", oms_arena_printf(req->arena, "%lld",
	    (long long)res.total));
	el(an, an->op, "ports", oms_arena_printf(req->arena, "%lld",
	    (long long)res.ports));
	for (size_t i = 0; i < res.n; i++) {
		const struct oms_asset *r = &res.rows[i];
		xmlNodePtr x = el(an, an->op, "asset", NULL);

		oms_attr(x, "tag", r->tag);
		oms_attr(x, "type", r->addon ? "addon" :
		    oms_asset_type_names[r->type]);
		oms_attr(x, "status", oms_asset_status_names[r->status]);
		oms_attr(x, "number", r->number);
		oms_attr(x, "extension", r->extension);
		oms_attr(x, "mailbox", r->mailbox);
		oms_attr(x, "serial", r->serial);
		oms_attr(x, "product", r->product);
		oms_attr(x, "cc", r->cc);
		oms_attr_int(x, "ports", r->ports);
		oms_attr(x, "installed", r->installed);
		oms_attr(x, "removed", r->removed);
	}
	return OMS_OK;
}

/* GetInvoice and GetBillingReport: the issued document as XML, as
 * /invoices/{id}?format=xml and its report build it. */
static enum oms_err
op_document(struct oms_store *st, struct op_unit *u, struct answer *an)
{
	struct oms_req *req = u->req;
	const char *cc = field(u, "customerCode"), *per = field(u, "period");
	struct oms_invoice inv;
	xmlNodePtr d;
	enum oms_err e;

	e = oms_invoice_find(st, req->arena, cc, per, 0, &inv);
	if (e == OMS_ERR_NOTFOUND) {
		u->why = "There is no invoice issued for this customer and "
		    "period.";
		return e;
	}
	if (e != OMS_OK)
		return e;
	el(an, an->op, "messageId", u->msgid);
	d = el(an, an->op, "document", NULL);
	if ((u->op == OMS_SOAP_GET_INVOICE ? oms_invoice_xml(d, &inv) :
	    oms_report_xml(d, &inv)) == NULL)
		return OMS_ERR_NOMEM;
	return OMS_OK;
}

static const char *const response_names[OMS_SOAP__MAX] = {
	"OrderStatusResponse",      /* OMS_SOAP_ORDER_STATUS */
	"LeaseBookedResponse",      /* OMS_SOAP_LEASE_BOOKED */
	"QueryAssetsResponse",      /* OMS_SOAP_QUERY_ASSETS */
	"GetInvoiceResponse",       /* OMS_SOAP_GET_INVOICE */
	"GetBillingReportResponse", /* OMS_SOAP_GET_BILLING_REPORT */
};

/*
 * The operation and the remembering of its answer, as one unit
 * (oms_unit_fn): both commit or neither.  OMS_OK with u->response; the
 * operation's error with u->why; OMS_ERR_CONSTRAINT when another
 * request took the message id meanwhile.
 */
static enum oms_err
op_unit(struct oms_store *st, void *arg)
{
	struct op_unit *u = arg;
	struct oms_arena *a = u->req->arena;
	struct answer an;
	struct oms_inbound_msg m;
	enum oms_err e;

	u->why = NULL;
	if (!answer_new(a, &an, response_names[u->op]))
		return OMS_ERR_NOMEM;
	switch (u->op) {
	case OMS_SOAP_ORDER_STATUS:
		e = op_order_status(st, u, &an);
		break;
	case OMS_SOAP_LEASE_BOOKED:
		e = op_lease_booked(st, u, &an);
		break;
	case OMS_SOAP_QUERY_ASSETS:
		e = op_query_assets(st, u, &an);
		break;
	default:
		e = op_document(st, u, &an);
		break;
	}
	if (e != OMS_OK)
		return e;
	if ((e = answer_text(a, &an, &u->response, &u->len)) != OMS_OK)
		return e;
	memset(&m, 0, sizeof(m));
	m.operation = oms_soap_op_names[u->op];
	memcpy(m.sha256, u->sha256, sizeof(m.sha256));
	m.status = 200;
	m.response = u->response;
	m.len = u->len;
	return oms_inbound_put_in(st, u->req->actor.user_id, u->msgid, &m);
}

/* ---------------------------------------------------------- handlers */

/* The first schema error of a validation, kept for the Fault. */
struct verr {
	char msg[300];
	int n;
};

/* libxml2's structured error callback for validation: keep the first
 * message, one line. */
static void
schema_error(void *ctx, xmlErrorPtr err)
{
	struct verr *v = ctx;
	size_t n;

	if (v->n++ > 0 || err == NULL || err->message == NULL)
		return;
	snprintf(v->msg, sizeof(v->msg), "%s", err->message);
	n = strlen(v->msg);
	while (n > 0 && (v->msg[n - 1] == '\n' || v->msg[n - 1] == ' '))
		v->msg[--n] = '\0';
}

/* The status a refused operation answers with. */
static int
status_of(enum oms_err e)
{
	switch (e) {
	case OMS_ERR_NOTFOUND:
	case OMS_ERR_INVAL:
	case OMS_ERR_CONFLICT:
	case OMS_ERR_DENIED:
	case OMS_ERR_CONSTRAINT:
		return 400;
	default:
		return 503;
	}
}

/*
 * POST /soap: one operation of an authenticated integration account
 * (see the top of this file).  Every answer is a SOAP envelope: the
 * operation's response (200) or a Fault (500).
 */
void
oms_h_soap(struct oms_req *req, struct oms_resp *resp)
{
	struct soap_in *s = req->soap;
	struct oms_arena *a = req->arena;
	struct op_unit u;
	struct oms_inbound_msg old;
	xmlSchemaValidCtxtPtr vc;
	xmlBufferPtr b;
	struct verr ve;
	xmlNodePtr extra;
	unsigned char h[crypto_hash_sha256_BYTES];
	int bad;
	enum oms_err e;

	if (s == NULL) {
		fault(req, resp, 500, "The request was not authenticated.");
		return;
	}
	if (load(req->conf) != OMS_OK) {
		fault(req, resp, 500, "The service description could not be "
		    "loaded. The problem has been logged.");
		return;
	}
	memset(&u, 0, sizeof(u));
	u.req = req;
	u.in = child(s->body, NULL, NULL);
	extra = u.in;
	while (extra != NULL && (extra = extra->next) != NULL &&
	    extra->type != XML_ELEMENT_NODE)
		;
	if (u.in == NULL || extra != NULL) {
		fault(req, resp, 400, "The Body must hold exactly one "
		    "operation element.");
		return;
	}
	u.op = u.in->ns != NULL && xmlStrEqual(u.in->ns->href,
	    BAD_CAST NS_OMS) ? oms_soap_op_lookup((const char *)u.in->name) :
	    -1;
	if (u.op < 0) {
		fault(req, resp, 400, oms_arena_printf(a, "Unknown operation "
		    "'%s'%s: this service offers OrderStatus, LeaseBooked, "
		    "QueryAssets, GetInvoice and GetBillingReport in the "
		    "namespace " NS_OMS ".", (const char *)u.in->name,
		    u.in->ns ? "" : " (no namespace)"));
		return;
	}
	if (!oms_policy_op_may(&req->account, u.op)) {
		fault(req, resp, 403, oms_arena_printf(a, "This account may "
		    "not call %s.", oms_soap_op_names[u.op]));
		return;
	}
	/* Schema: the operation element against the WSDL's types. */
	memset(&ve, 0, sizeof(ve));
	if ((vc = xmlSchemaNewValidCtxt(schema)) == NULL) {
		fault(req, resp, 500, "The server is out of memory.");
		return;
	}
	xmlSchemaSetValidStructuredErrors(vc, schema_error, &ve);
	bad = xmlSchemaValidateOneElement(vc, u.in);
	xmlSchemaFreeValidCtxt(vc);
	if (bad != 0) {
		fault(req, resp, 400, oms_arena_printf(a, "The %s request does "
		    "not match the schema: %s", oms_soap_op_names[u.op],
		    ve.msg[0] ? ve.msg : "invalid."));
		return;
	}
	u.msgid = text_of(a, child(u.in, NS_OMS, "messageId"));
	/* The Body's digest, over its canonical serialization. */
	if ((b = xmlBufferCreate()) == NULL) {
		fault(req, resp, 500, "The server is out of memory.");
		return;
	}
	xmlNodeDump(b, s->doc, s->body, 0, 0);
	crypto_hash_sha256(h, xmlBufferContent(b), (size_t)xmlBufferLength(b));
	xmlBufferFree(b);
	sodium_bin2hex(u.sha256, sizeof(u.sha256), h, sizeof(h));

	for (int attempt = 0; attempt < 2; attempt++) {
		/* A replay: the answer remembered, byte for byte. */
		e = oms_inbound_get(req->st, a, req->actor.user_id, u.msgid,
		    &old);
		if (e == OMS_OK) {
			if (strcmp(old.sha256, u.sha256) != 0 ||
			    strcmp(old.operation, oms_soap_op_names[u.op]) != 0) {
				fault(req, resp, 400, oms_arena_printf(a,
				    "The messageId '%s' was already used for "
				    "another request (a different Body): a "
				    "message id names one request only.",
				    u.msgid));
				return;
			}
			resp->status = old.status;
			resp->media = "text/xml";
			resp->body = old.response;
			resp->body_len = old.len;
			return;
		}
		if (e != OMS_ERR_NOTFOUND)
			break;
		e = oms_store_unit(req->st, op_unit, &u);
		if (e == OMS_OK) {
			resp->status = 200;
			resp->media = "text/xml";
			resp->body = u.response;
			resp->body_len = u.len;
			return;
		}
		/* Taken meanwhile by a request on another worker: read
		 * what it answered. */
		if (e != OMS_ERR_CONSTRAINT || u.why != NULL)
			break;
	}
	if (u.why != NULL)
		fault(req, resp, status_of(e), u.why);
	else if (e == OMS_ERR_BUSY || e == OMS_ERR_UNAVAILABLE)
		fault(req, resp, 503, "The database is busy or unavailable. "
		    "Please send the request again in a moment (the same "
		    "messageId is safe).");
	else
		fault(req, resp, 500, "The server could not complete this "
		    "request. It has been logged.");
}

/*
 * GET /soap (?wsdl): the WSDL, with its soap:address set to this
 * server's /soap as its clients see it (public_origin when set).
 */
void
oms_h_wsdl(struct oms_req *req, struct oms_resp *resp)
{
	const char *at;
	struct oms_sb b;

	if (load(req->conf) != OMS_OK ||
	    (at = strstr(wsdl_text, WSDL_ADDRESS)) == NULL) {
		resp->status = 500;
		resp->message = "The service description could not be "
		    "loaded. The problem has been logged.";
		return;
	}
	oms_sb_init(&b, req->arena);
	oms_sb_add(&b, wsdl_text, (size_t)(at - wsdl_text));
	oms_sb_puts(&b, esc(req->arena, req->origin));
	oms_sb_puts(&b, "/soap");
	oms_sb_puts(&b, at + strlen(WSDL_ADDRESS));
	resp->body = oms_sb_done(&b, &resp->body_len);
	resp->media = "text/xml";
	if (resp->body == NULL) {
		resp->status = 500;
		resp->message = NULL;
	}
}

/*
 * distribution.c: an issued invoice's documents to the customer
 * (distribution.h).
 *
 * Sections: the message writer; queueing (at issue and on resend);
 * status; contacts and delivery method; reading a message back.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "date.h"
#include "distribution.h"
#include "outbox.h"
#include "stmts.h"
#include "store.h"
#include "xmlin.h"

const char *const oms_dist_method_names[OMS_DIST__MAX] = {
	"mail", /* OMS_DIST_MAIL */
	"drop", /* OMS_DIST_DROP */
	"none", /* OMS_DIST_NONE */
};

/* Described in distribution.h. */
int
oms_dist_method_lookup(const char *name)
{
	for (int i = 0; name != NULL && i < OMS_DIST__MAX; i++)
		if (strcmp(name, oms_dist_method_names[i]) == 0)
			return i;
	return -1;
}

/* Described in distribution.h. */
int
oms_dist_email_ok(const char *s)
{
	const char *at, *p;
	int label = 0, dots = 0;

	if (s == NULL || strlen(s) > 254 || (at = strchr(s, '@')) == NULL ||
	    at == s || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = s; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),:;<>[\\]", *p))
			return 0;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			label = 0;
			dots++;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
		    *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-')
			label++;
		else
			return 0;
	}
	return label > 0 && dots > 0;
}

/* ------------------------------------------------------------------
 * The message writer
 */

/* Write v to f escaped for XML content and attribute values. */
static void
esc(FILE *f, const char *v)
{
	for (; v != NULL && *v; v++) {
		switch (*v) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*v, f);
		}
	}
}

/* What a message is made of. */
struct facts {
	int64_t invoice;
	int64_t number;
	int64_t customer;
	const char *period;
	const char *code;
	const char *name;
	const char *invoice_date;
	enum oms_dist_method method;
	const char *system;            /* where it goes */
	struct oms_contact *contacts;  /* mail: the recipients */
	size_t ncontacts;
};

/*
 * The SendDocuments body of f (message id mid, made at now; resend 1
 * for an operator's resend), malloc'd into *out (the caller frees it).
 * OMS_OK or OMS_ERR_NOMEM.
 */
static enum oms_err
write_body(const struct facts *f, const char *mid, const char *now,
    int resend, char **out)
{
	static const char *const kinds[2] = {"invoice", "report"};
	size_t len;
	FILE *x;

	*out = NULL;
	if ((x = open_memstream(out, &len)) == NULL)
		return OMS_ERR_NOMEM;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<SendDocuments xmlns=\"" OMS_OUTBOX_NS "\">\n  <messageId>", x);
	esc(x, mid);
	fputs("</messageId>\n  <createdAt>", x);
	esc(x, now);
	fprintf(x, "</createdAt>\n  <invoice id=\"%lld\" number=\"%lld\""
	    " period=\"", (long long)f->invoice, (long long)f->number);
	esc(x, f->period);
	fputs("\" date=\"", x);
	esc(x, f->invoice_date);
	fputs("\"/>\n  <customer code=\"", x);
	esc(x, f->code);
	fputs("\" name=\"", x);
	esc(x, f->name);
	fprintf(x, "\"/>\n  <delivery method=\"%s\" system=\"",
	    oms_dist_method_names[f->method]);
	esc(x, f->system);
	fprintf(x, "\" resend=\"%s\"/>\n  <recipients>\n",
	    resend ? "true" : "false");
	for (size_t i = 0; i < f->ncontacts; i++) {
		fputs("    <recipient", x);
		if (f->contacts[i].name != NULL) {
			fputs(" name=\"", x);
			esc(x, f->contacts[i].name);
			fputs("\"", x);
		}
		fputs(">", x);
		esc(x, f->contacts[i].email);
		fputs("</recipient>\n", x);
	}
	fputs("  </recipients>\n  <documents>\n", x);
	for (int k = 0; k < 2; k++) {
		fprintf(x, "    <document kind=\"%s\" type=\"application/pdf\""
		    " name=\"", kinds[k]);
		esc(x, f->code);
		fputs("-", x);
		esc(x, f->period);
		fprintf(x, "-%s.pdf\"/>\n", kinds[k]);
	}
	fputs("  </documents>\n</SendDocuments>\n", x);
	if (fclose(x) != 0) {
		free(*out);
		*out = NULL;
		return OMS_ERR_NOMEM;
	}
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * Queueing
 */

/* contact row (oms_row_fn). */
static void
contact_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_contact *c = elem;

	c->id = oms_query_col_int(q, 0);
	c->email = oms_query_col_dup(q, 1, a);
	c->name = oms_query_col_dup(q, 2, a);
	c->created_at = oms_query_col_dup(q, 3, a);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_contacts(struct oms_store *st, struct oms_arena *a, int64_t customer,
    struct oms_contact **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DIST_CONTACTS);

	oms_query_int(q, customer);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    contact_row);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_method(struct oms_store *st, struct oms_arena *a, int64_t customer,
    enum oms_dist_method *m, const char **drop_system)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DIST_METHOD);
	int k;

	*m = OMS_DIST_MAIL;
	*drop_system = NULL;
	oms_query_int(q, customer);
	if (oms_query_row(q)) {
		k = oms_dist_method_lookup(oms_query_col_text(q, 0));
		*m = k < 0 ? OMS_DIST_NONE : (enum oms_dist_method)k;
		if (*m == OMS_DIST_DROP)
			*drop_system = oms_query_col_dup(q, 1, a);
	}
	return oms_query_end(q);
}

/*
 * The facts of invoice's message: its heading, the customer's method
 * and where it goes.  OMS_OK (f->system NULL when nothing is to be
 * sent: method none, or mail with no contacts), OMS_ERR_NOTFOUND, the
 * store's error.
 */
static enum oms_err
facts_read(struct oms_store *st, struct oms_arena *a, int64_t invoice,
    struct facts *f)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DIST_INVOICE);
	const char *drop = NULL;
	int found = 0;
	enum oms_err e;

	memset(f, 0, sizeof(*f));
	oms_query_int(q, invoice);
	if (oms_query_row(q)) {
		found = 1;
		f->invoice = oms_query_col_int(q, 0);
		f->number = oms_query_col_int(q, 1);
		f->customer = oms_query_col_int(q, 2);
		f->period = oms_query_col_dup(q, 3, a);
		f->code = oms_query_col_dup(q, 4, a);
		f->name = oms_query_col_dup(q, 5, a);
		f->invoice_date = oms_query_col_dup(q, 6, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found)
		return OMS_ERR_NOTFOUND;
	if ((e = oms_dist_method(st, a, f->customer, &f->method, &drop)) !=
	    OMS_OK)
		return e;
	switch (f->method) {
	case OMS_DIST_DROP:
		f->system = drop;
		break;
	case OMS_DIST_MAIL:
		if ((e = oms_dist_contacts(st, a, f->customer, &f->contacts,
		    &f->ncontacts)) != OMS_OK)
			return e;
		if (f->ncontacts > OMS_DIST_MAX_CONTACTS)
			f->ncontacts = OMS_DIST_MAX_CONTACTS;
		if (f->ncontacts > 0)
			f->system = OMS_DIST_MAIL_SYSTEM;
		break;
	default:
		break;
	}
	return OMS_OK;
}

/*
 * Write f's message as a pending outbox row due now under seq_key
 * key; its id in *row and message id in mid (48 bytes) when not NULL.
 * OMS_OK, OMS_ERR_NOMEM, the store's error (OMS_ERR_CONSTRAINT: the
 * key is taken, i.e. the message exists).
 */
static enum oms_err
put(struct oms_store *st, const struct facts *f, const char *key, int resend,
    int64_t *row, char *mid)
{
	struct oms_query *q;
	char id[48], now[32];
	char *body;
	enum oms_err e;

	oms_outbox_new_id(id, sizeof(id));
	oms_now_iso(now, sizeof(now));
	if ((e = write_body(f, id, now, resend, &body)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_DIST_INSERT);
	oms_query_text(q, id);
	oms_query_text(q, f->system);
	oms_query_text(q, key);
	oms_query_text(q, now);
	oms_query_text(q, body);
	oms_query_text(q, now);
	oms_query_text(q, now);
	oms_query_int(q, f->invoice);
	e = oms_query_exec(q);
	free(body);
	if (e != OMS_OK) {
		oms_error("distribution: the documents of invoice %lld not "
		    "queued: %s", (long long)f->invoice, oms_strerror(e));
		return e;
	}
	if (row != NULL)
		*row = oms_store_last_id(st);
	if (mid != NULL)
		memcpy(mid, id, sizeof(id));
	return OMS_OK;
}

/* Described in distribution.h. */
enum oms_err
oms_dist_invoice_issued(struct oms_store *st, struct oms_arena *a,
    int64_t invoice)
{
	struct facts f;
	const char *key;
	enum oms_err e;

	if ((e = facts_read(st, a, invoice, &f)) != OMS_OK)
		return e;
	if (f.system == NULL)
		return OMS_OK;
	if ((key = oms_arena_printf(a, "invoice:%lld", (long long)invoice)) ==
	    NULL)
		return OMS_ERR_NOMEM;
	return put(st, &f, key, 0, NULL, NULL);
}

struct resend_unit {
	struct oms_arena *a;
	const struct oms_actor *actor;
	int64_t invoice;
	int64_t *outbox;
	const char **why;
};

/* status row (oms_row_fn); recipients are filled in afterwards. */
static void
status_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_dist_status *s = elem;
	const char *body;
	struct oms_dist_msg m;
	char err[128];

	s->outbox_id = oms_query_col_int(q, 0);
	s->message_id = oms_query_col_dup(q, 1, a);
	s->system = oms_query_col_dup(q, 2, a);
	s->state = oms_query_col_dup(q, 3, a);
	s->attempts = oms_query_col_int(q, 4);
	s->last_error = oms_query_col_dup(q, 5, a);
	s->delivered_at = oms_query_col_dup(q, 6, a);
	s->created_at = oms_query_col_dup(q, 7, a);
	s->updated_at = oms_query_col_dup(q, 8, a);
	s->recipients = "";
	body = oms_query_col_text(q, 9);
	if (body != NULL && oms_dist_parse(body, strlen(body), a, &m, err,
	    sizeof(err)) == OMS_OK) {
		size_t len = 1;
		char *r;

		for (size_t i = 0; i < m.nto; i++)
			len += strlen(m.to[i]) + 2;
		if ((r = oms_arena_alloc(a, len)) != NULL) {
			*r = '\0';
			for (size_t i = 0; i < m.nto; i++) {
				if (i > 0)
					strcat(r, ", ");
				strcat(r, m.to[i]);
			}
			s->recipients = r;
		}
		s->resend = m.resend;
	}
}

/* Described in distribution.h. */
enum oms_err
oms_dist_status(struct oms_store *st, struct oms_arena *a, int64_t invoice,
    struct oms_dist_status **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DIST_MESSAGES);

	oms_query_int(q, invoice);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    status_row);
}

/* The resend (oms_unit_fn): see oms_dist_resend(). */
static enum oms_err
resend_unit(struct oms_store *st, void *arg)
{
	struct resend_unit *u = arg;
	struct oms_dist_status *s;
	struct facts f;
	size_t n;
	const char *key, *after, *to = "";
	char mid[48];
	enum oms_err e;

	if ((e = facts_read(st, u->a, u->invoice, &f)) != OMS_OK)
		return e;
	if ((e = oms_dist_status(st, u->a, u->invoice, &s, &n)) != OMS_OK)
		return e;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].state, "pending") == 0 ||
		    strcmp(s[i].state, "sending") == 0 ||
		    strcmp(s[i].state, "unknown") == 0) {
			*u->why = "The documents of this invoice are waiting "
			    "to be sent already.";
			return OMS_ERR_CONFLICT;
		}
	if (f.system == NULL) {
		*u->why = f.method == OMS_DIST_NONE ? "This customer does not "
		    "receive its documents (delivery: none)." : "This "
		    "customer has no billing contacts to mail them to.";
		return OMS_ERR_CONFLICT;
	}
	if ((key = oms_arena_printf(u->a, "invoice:%lld/resend:%zu",
	    (long long)u->invoice, n)) == NULL)
		return OMS_ERR_NOMEM;
	if ((e = put(st, &f, key, 1, u->outbox, mid)) != OMS_OK)
		return e;
	for (size_t i = 0; i < f.ncontacts; i++)
		if ((to = oms_arena_printf(u->a, "%s%s%s", to, i ? ", " : "",
		    f.contacts[i].email)) == NULL)
			return OMS_ERR_NOMEM;
	if ((after = oms_audit_kv(u->a, "message_id", mid, "system",
	    f.system, "recipients", to, NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->actor, "invoice",
	    oms_arena_printf(u->a, "%lld", (long long)u->invoice),
	    "resend-documents", NULL, after);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_resend(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *actor, int64_t invoice, int64_t *outbox,
    const char **why)
{
	struct resend_unit u = {a, actor, invoice, outbox, why};

	*why = NULL;
	*outbox = 0;
	return oms_store_unit(st, resend_unit, &u);
}

/* ------------------------------------------------------------------
 * Contacts and delivery method
 */

/* Described in distribution.h. */
enum oms_err
oms_dist_customer(struct oms_store *st, struct oms_arena *a, const char *code,
    int64_t *id, const char **name)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DIST_CUSTOMER);
	int found = 0;
	enum oms_err e;

	oms_query_text(q, code);
	if (oms_query_row(q)) {
		found = 1;
		*id = oms_query_col_int(q, 0);
		if (name != NULL)
			*name = oms_query_col_dup(q, 2, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

struct contact_unit {
	struct oms_arena *a;
	const struct oms_actor *actor;
	int64_t customer;
	const char *email;
	const char *name;
	int add;                 /* 1 add, 0 remove */
	enum oms_dist_method m;  /* method_unit */
	const char *drop;        /* method_unit */
};

/* Add or remove one contact (oms_unit_fn). */
static enum oms_err
contact_unit(struct oms_store *st, void *arg)
{
	struct contact_unit *u = arg;
	struct oms_contact *c;
	struct oms_query *q;
	size_t n;
	char now[32];
	const char *kv;
	enum oms_err e;

	if (u->add) {
		if ((e = oms_dist_contacts(st, u->a, u->customer, &c, &n)) !=
		    OMS_OK)
			return e;
		for (size_t i = 0; i < n; i++)
			if (strcmp(c[i].email, u->email) == 0)
				return OMS_ERR_CONFLICT;
		if (n >= OMS_DIST_MAX_CONTACTS)
			return OMS_ERR_CONFLICT;
		q = oms_query(st, OMS_STMT_DIST_CONTACT_ADD);
		oms_query_int(q, u->customer);
		oms_query_text(q, u->email);
		oms_query_text(q, u->name);
		oms_query_text(q, oms_now_iso(now, sizeof(now)));
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	} else {
		q = oms_query(st, OMS_STMT_DIST_CONTACT_DEL);
		oms_query_int(q, u->customer);
		oms_query_text(q, u->email);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		if (oms_query_changes(q) == 0)
			return OMS_ERR_NOTFOUND;
	}
	if ((kv = oms_audit_kv(u->a, "contact", u->email, "name", u->name,
	    NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->actor, "customer",
	    oms_arena_printf(u->a, "%lld", (long long)u->customer),
	    u->add ? "contact-add" : "contact-remove", u->add ? NULL : kv,
	    u->add ? kv : NULL);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_contact_add(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, const char *email,
    const char *name)
{
	struct contact_unit u = {a, actor, customer, email, name, 1,
	    OMS_DIST_MAIL, NULL};

	if (!oms_dist_email_ok(email) || (name != NULL && (strlen(name) >
	    100 || strpbrk(name, "\r\n") != NULL)))
		return OMS_ERR_INVAL;
	if (name != NULL && *name == '\0')
		u.name = NULL;
	return oms_store_unit(st, contact_unit, &u);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_contact_remove(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, const char *email)
{
	struct contact_unit u = {a, actor, customer, email, NULL, 0,
	    OMS_DIST_MAIL, NULL};

	return oms_store_unit(st, contact_unit, &u);
}

/* Set the delivery method (oms_unit_fn). */
static enum oms_err
method_unit(struct oms_store *st, void *arg)
{
	struct contact_unit *u = arg;
	struct oms_query *q;
	enum oms_dist_method old;
	const char *olddrop, *before, *after;
	char now[32];
	enum oms_err e;

	if ((e = oms_dist_method(st, u->a, u->customer, &old, &olddrop)) !=
	    OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_DIST_METHOD_DEL);
	oms_query_int(q, u->customer);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_DIST_METHOD_ADD);
	oms_query_int(q, u->customer);
	oms_query_text(q, oms_dist_method_names[u->m]);
	oms_query_text(q, u->drop);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if ((before = oms_audit_kv(u->a, "delivery", oms_dist_method_names[old],
	    "drop_system", olddrop, NULL)) == NULL ||
	    (after = oms_audit_kv(u->a, "delivery", oms_dist_method_names[u->m],
	    "drop_system", u->drop, NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->actor, "customer",
	    oms_arena_printf(u->a, "%lld", (long long)u->customer),
	    "delivery", before, after);
}

/* Described in distribution.h. */
enum oms_err
oms_dist_method_set(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, enum oms_dist_method m,
    const char *drop_system)
{
	struct contact_unit u = {a, actor, customer, NULL, NULL, 0, m,
	    drop_system};

	if ((int)m < 0 || m >= OMS_DIST__MAX ||
	    (m == OMS_DIST_DROP) != (drop_system != NULL && *drop_system) ||
	    (drop_system != NULL && strlen(drop_system) >= 32))
		return OMS_ERR_INVAL;
	if (m != OMS_DIST_DROP)
		u.drop = NULL;
	return oms_store_unit(st, method_unit, &u);
}

/* ------------------------------------------------------------------
 * Reading a message back
 */

/* The text of element n, or "" (arena a). */
static const char *
text_of(xmlNodePtr n, struct oms_arena *a)
{
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = oms_arena_strdup(a, t ? (const char *)t : "");

	xmlFree(t);
	return s;
}

/* Attribute name of n, or NULL (arena a). */
static const char *
attr_of(xmlNodePtr n, const char *name, struct oms_arena *a)
{
	xmlChar *t = xmlGetProp(n, (const xmlChar *)name);
	const char *s = t ? oms_arena_strdup(a, (const char *)t) : NULL;

	xmlFree(t);
	return s;
}

/* 1 when n is element name of our namespace. */
static int
is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, OMS_OUTBOX_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/* Described in distribution.h. */
enum oms_err
oms_dist_parse(const char *xml, size_t len, struct oms_arena *a,
    struct oms_dist_msg *out, char *err, size_t errsz)
{
	xmlDocPtr doc;
	xmlNodePtr root, n, k;
	const char *v;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if ((e = oms_xml_read(xml, len, NULL, &doc, err, errsz)) != OMS_OK)
		return e;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is(root, OMS_DIST_KIND)) {
		snprintf(err, errsz, "not a SendDocuments message");
		xmlFreeDoc(doc);
		return OMS_ERR_XML;
	}
	for (n = root->children; n != NULL; n = n->next) {
		if (is(n, "messageId"))
			out->message_id = text_of(n, a);
		else if (is(n, "invoice")) {
			if ((v = attr_of(n, "id", a)) != NULL)
				out->invoice = strtoll(v, NULL, 10);
			if ((v = attr_of(n, "number", a)) != NULL)
				out->number = strtoll(v, NULL, 10);
			out->period = attr_of(n, "period", a);
		} else if (is(n, "customer")) {
			out->customer_code = attr_of(n, "code", a);
			out->customer_name = attr_of(n, "name", a);
		} else if (is(n, "delivery")) {
			out->method = attr_of(n, "method", a);
			v = attr_of(n, "resend", a);
			out->resend = v != NULL && strcmp(v, "true") == 0;
		} else if (is(n, "recipients")) {
			for (k = n->children; k != NULL; k = k->next)
				if (is(k, "recipient") &&
				    out->nto < OMS_DIST_MAX_CONTACTS) {
					out->to_name[out->nto] = attr_of(k,
					    "name", a);
					out->to[out->nto++] = text_of(k, a);
				}
		} else if (is(n, "documents")) {
			for (k = n->children; k != NULL; k = k->next)
				if (is(k, "document") && out->ndocs < 2) {
					out->doc_kind[out->ndocs] = attr_of(k,
					    "kind", a);
					out->doc_name[out->ndocs++] = attr_of(k,
					    "name", a);
				}
		}
	}
	xmlFreeDoc(doc);
	if (out->message_id == NULL || out->invoice <= 0 ||
	    out->customer_code == NULL || out->period == NULL) {
		snprintf(err, errsz, "SendDocuments without its messageId, "
		    "invoice or customer");
		return OMS_ERR_XML;
	}
	for (size_t i = 0; i < out->nto; i++)
		if (!oms_dist_email_ok(out->to[i])) {
			snprintf(err, errsz, "recipient %zu is not a mail "
			    "address", i + 1);
			return OMS_ERR_XML;
		}
	return OMS_OK;
}

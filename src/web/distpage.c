/*
 * distpage.c: the distribution of invoice documents on the pages
 * (distpage.h; the domain is src/domain/distribution.c).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "billing.h"
#include "distpage.h"
#include "distribution.h"
#include "documents.h"
#include "handlers.h"
#include "inventory.h"
#include "view.h"

/* 1 when the request's user may change distribution (the billing
 * permission: the operator's admin and finance). */
static int
may_distribute(const struct oms_req *req)
{
	return req->sess != NULL &&
	    oms_role_may((int)req->sess->user.role, OMS_PERM_BILLING);
}

/* The text of field k, or NULL when absent. */
static const char *
ftext(const struct oms_req *req, enum oms_key k)
{
	const struct oms_field *f = &req->fields.f[k];

	return f->present ? f->s : NULL;
}

/* Described in distpage.h. */
enum oms_err
oms_distpage_invoice(struct oms_req *req, xmlNodePtr root, int64_t invoice,
    int64_t customer)
{
	struct oms_arena *a = req->arena;
	struct oms_dist_status *s;
	struct oms_contact *c;
	enum oms_dist_method m;
	const char *drop;
	size_t n, nc;
	xmlNodePtr d;
	enum oms_err e;

	if ((e = oms_dist_method(req->st, a, customer, &m, &drop)) != OMS_OK ||
	    (e = oms_dist_contacts(req->st, a, customer, &c, &nc)) != OMS_OK ||
	    (e = oms_dist_status(req->st, a, invoice, &s, &n)) != OMS_OK)
		return e;
	d = oms_node(root, "delivery");
	oms_attr(d, "method", oms_dist_method_names[m]);
	oms_attr(d, "system", drop);
	oms_attr_int(d, "contacts", (int64_t)nc);
	oms_attr_int(d, "invoice", invoice);
	if (may_distribute(req))
		oms_attr(d, "may-resend", "1");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr x = oms_node(d, "message");

		oms_attr_int(x, "id", s[i].outbox_id);
		oms_attr(x, "message-id", s[i].message_id);
		oms_attr(x, "system", s[i].system);
		oms_attr(x, "state", s[i].state);
		oms_attr_int(x, "attempts", s[i].attempts);
		oms_attr(x, "to", s[i].recipients);
		oms_attr(x, "created", s[i].created_at);
		oms_attr(x, "at", s[i].delivered_at ? s[i].delivered_at :
		    s[i].updated_at);
		oms_attr(x, "error", s[i].last_error);
		if (s[i].resend)
			oms_attr(x, "resend", "1");
	}
	return OMS_OK;
}

/* Described in distpage.h. */
enum oms_err
oms_distpage_customer(struct oms_req *req, xmlNodePtr root, int64_t customer)
{
	struct oms_arena *a = req->arena;
	struct oms_contact *c;
	enum oms_dist_method m;
	const char *drop;
	size_t n;
	xmlNodePtr d;
	enum oms_err e;

	if (!may_distribute(req))
		return OMS_OK;
	if ((e = oms_dist_method(req->st, a, customer, &m, &drop)) != OMS_OK ||
	    (e = oms_dist_contacts(req->st, a, customer, &c, &n)) != OMS_OK)
		return e;
	d = oms_node(root, "distribution");
	oms_attr(d, "method", oms_dist_method_names[m]);
	oms_attr(d, "system", drop);
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr x = oms_node(d, "contact");

		oms_attr(x, "email", c[i].email);
		oms_attr(x, "name", c[i].name);
	}
	return OMS_OK;
}

/*
 * The customer of a /customers/{id}/... form, in the user's scope:
 * 1 when there is one (*id set), 0 with resp 404 (or 5xx) otherwise.
 */
static int
form_customer(struct oms_req *req, struct oms_resp *resp, int64_t *id)
{
	struct oms_customer cu;
	enum oms_err e = oms_customer_get(req->st, req->arena, &req->scope,
	    req->ids[0], &cu);

	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such customer.");
		return 0;
	}
	*id = cu.id;
	return 1;
}

/* Back to the customer page after a change that went through. */
static void
back_to_customer(struct oms_req *req, struct oms_resp *resp, int64_t id)
{
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/customers/%lld",
	    (long long)id);
}

/* Described in distpage.h. */
void
oms_h_contact_add(struct oms_req *req, struct oms_resp *resp)
{
	const char *email = ftext(req, OMS_KEY_EMAIL);
	int64_t id;
	enum oms_err e;

	if (!form_customer(req, resp, &id))
		return;
	if (email == NULL || !oms_dist_email_ok(email)) {
		oms_fail(resp, OMS_ERR_INVAL, "Give the contact's mail "
		    "address, such as ap@example.com.");
		return;
	}
	e = oms_dist_contact_add(req->st, req->arena, &req->actor, id, email,
	    ftext(req, OMS_KEY_NAME));
	if (e == OMS_ERR_INVAL)
		oms_fail(resp, e, "A contact's name is at most 100 "
		    "characters.");
	else if (e == OMS_ERR_CONFLICT)
		oms_fail(resp, e, "That address is a billing contact already "
		    "(or the customer has as many as it may).");
	else if (e != OMS_OK)
		oms_fail(resp, e, NULL);
	else
		back_to_customer(req, resp, id);
}

/* Described in distpage.h. */
void
oms_h_contact_remove(struct oms_req *req, struct oms_resp *resp)
{
	const char *email = ftext(req, OMS_KEY_EMAIL);
	int64_t id;
	enum oms_err e;

	if (!form_customer(req, resp, &id))
		return;
	if (email == NULL) {
		oms_fail(resp, OMS_ERR_INVAL, "Say which contact to remove.");
		return;
	}
	e = oms_dist_contact_remove(req->st, req->arena, &req->actor, id,
	    email);
	if (e == OMS_ERR_NOTFOUND)
		oms_fail(resp, OMS_ERR_INVAL, "That address is not a billing "
		    "contact of this customer.");
	else if (e != OMS_OK)
		oms_fail(resp, e, NULL);
	else
		back_to_customer(req, resp, id);
}

/* Described in distpage.h. */
void
oms_h_delivery(struct oms_req *req, struct oms_resp *resp)
{
	const char *sys = ftext(req, OMS_KEY_SYSTEM);
	int m = oms_dist_method_lookup(ftext(req, OMS_KEY_METHOD));
	int64_t id;
	enum oms_err e;

	if (!form_customer(req, resp, &id))
		return;
	if (m != OMS_DIST_DROP)
		sys = NULL;
	if (m < 0 || (m == OMS_DIST_DROP && (sys == NULL || *sys == '\0'))) {
		oms_fail(resp, OMS_ERR_INVAL, "Choose mail, none, or drop with "
		    "the exchange system of the file drop.");
		return;
	}
	e = oms_dist_method_set(req->st, req->arena, &req->actor, id,
	    (enum oms_dist_method)m, sys);
	if (e == OMS_ERR_INVAL)
		oms_fail(resp, e, "Choose mail, none, or drop with the "
		    "exchange system of the file drop.");
	else if (e != OMS_OK)
		oms_fail(resp, e, NULL);
	else
		back_to_customer(req, resp, id);
}

/* Described in distpage.h. */
void
oms_h_invoice_resend(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_invoice inv;
	const char *why = NULL;
	int64_t row = 0;
	enum oms_err e;

	if ((e = oms_doc_invoice_head(req->st, req->arena, req->ids[0], 0,
	    &inv)) != OMS_OK) {
		oms_fail(resp, e, "There is no such invoice.");
		return;
	}
	e = oms_dist_resend(req->st, req->arena, &req->actor, inv.id, &row,
	    &why);
	if (e != OMS_OK) {
		oms_fail(resp, e, why);
		return;
	}
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/invoices/%lld",
	    (long long)inv.id);
}

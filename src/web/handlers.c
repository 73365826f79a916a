/*
 * handlers.c: the route table and the handlers of the inventory pages.
 *
 * Each handler reads through domain functions (never SQL) and builds
 * one XML view document; every count and total on a page is computed
 * here, so stylesheets only format.  The document shapes are described
 * in docs/views.md.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "distpage.h"
#include "handlers.h"
#include "http.h"
#include "inventory.h"
#include "policy.h"
#include "store.h"
#include "strbuf.h"
#include "users.h"

#define DEFAULT_PER 50
#define CSV_MAX_ROWS 100000

static void h_health(struct oms_req *, struct oms_resp *);
static void h_customers(struct oms_req *, struct oms_resp *);
static void h_sites(struct oms_req *, struct oms_resp *);
static void h_assets(struct oms_req *, struct oms_resp *);

/*
 * The route table: every address of OMS, declared.  Each row says who
 * may call it (auth, and the one permission it needs, enum oms_perm),
 * what its body is (from which the CSRF rule follows), the fields it
 * accepts, and the stylesheet of each format it offers.  The pipeline
 * in src/web/http.c reads nothing else; a route without a decision on
 * its permission cannot be written.
 */

#define K(k) OMS_KEY_##k
/* A field list, ended by OMS_KEY__MAX. */
#define FIELDS(...) ((const enum oms_key[]){__VA_ARGS__, OMS_KEY__MAX})
#define NO OMS_SHEET_NONE
#define DOC OMS_SHEET_DOC
/* The stylesheet of each format, in the order of enum oms_format. */
#define VIEWS(html, xml, csv, print, pdf) {html, xml, csv, print, pdf}
_Static_assert(OMS_FORMAT__MAX == 5, "VIEWS() names every format");
/* A page: HTML through its stylesheet, and its document as XML. */
#define PAGE(sheet) VIEWS(OMS_SHEET_##sheet, DOC, NO, NO, NO)
#define GET OMS_METHOD_GET
#define POST OMS_METHOD_POST
#define ANON OMS_AUTH_ANONYMOUS
#define SESS OMS_AUTH_SESSION
#define BODY_NONE OMS_BODY_NONE
#define BODY_FORM OMS_BODY_FORM

const struct oms_route oms_routes[] = {
	{GET, "/healthz", h_health, ANON, BODY_NONE, OMS_PERM_PUBLIC,
	    NULL, VIEWS(NO, NO, NO, NO, NO)},
	{GET, "/", h_customers, SESS, BODY_NONE, OMS_PERM_INVENTORY,
	    FIELDS(K(FORMAT)), PAGE(CUSTOMERS)},
	{GET, "/customers", h_customers, SESS, BODY_NONE, OMS_PERM_INVENTORY,
	    FIELDS(K(FORMAT)), PAGE(CUSTOMERS)},
	{GET, "/customers/{id}", h_sites, SESS, BODY_NONE, OMS_PERM_INVENTORY,
	    FIELDS(K(FORMAT)), PAGE(SITES)},
	{GET, "/sites/{id}/assets", h_assets, SESS, BODY_NONE,
	    OMS_PERM_INVENTORY, FIELDS(K(FORMAT), K(TYPE), K(STATUS), K(CC),
	    K(Q), K(SORT), K(DIR), K(PAGE), K(PER), K(ASOF)),
	    VIEWS(OMS_SHEET_ASSETS, DOC, OMS_SHEET_ASSETS_CSV, NO, NO)},
	{GET, "/login", oms_h_login_form, ANON, BODY_NONE, OMS_PERM_PUBLIC,
	    FIELDS(K(FORMAT), K(NEXT)), PAGE(LOGIN)},
	{POST, "/login", oms_h_login, ANON, BODY_FORM, OMS_PERM_PUBLIC,
	    FIELDS(K(FORMAT), K(CSRF), K(LOGIN), K(PASSWORD), K(NEXT)),
	    PAGE(LOGIN)},
	{POST, "/logout", oms_h_logout, SESS, BODY_FORM, OMS_PERM_SESSION,
	    FIELDS(K(CSRF)), PAGE(LOGIN)},
	{GET, "/admin/users", oms_h_users, SESS, BODY_NONE, OMS_PERM_USERS,
	    FIELDS(K(FORMAT)), PAGE(USERS)},
	{GET, "/admin/users/new", oms_h_user_new, SESS, BODY_NONE,
	    OMS_PERM_USERS, FIELDS(K(FORMAT)), PAGE(USER)},
	{POST, "/admin/users", oms_h_user_create, SESS, BODY_FORM,
	    OMS_PERM_USERS, FIELDS(K(FORMAT), K(CSRF), K(LOGIN), K(NAME),
	    K(EMAIL), K(ROLE), K(ORG), K(CUSTOMER), K(SITES), K(PASSWORD),
	    K(APPROVER)),
	    PAGE(USER)},
	{GET, "/admin/users/{id}", oms_h_user, SESS, BODY_NONE, OMS_PERM_USERS,
	    FIELDS(K(FORMAT)), PAGE(USER)},
	{POST, "/admin/users/{id}", oms_h_user_update, SESS, BODY_FORM,
	    OMS_PERM_USERS, FIELDS(K(FORMAT), K(CSRF), K(NAME), K(EMAIL),
	    K(ROLE), K(ORG), K(CUSTOMER), K(SITES), K(APPROVER)), PAGE(USER)},
	{POST, "/admin/users/{id}/disable", oms_h_user_disable, SESS,
	    BODY_FORM, OMS_PERM_USERS, FIELDS(K(FORMAT), K(CSRF)), PAGE(USER)},
	{POST, "/admin/users/{id}/enable", oms_h_user_enable, SESS, BODY_FORM,
	    OMS_PERM_USERS, FIELDS(K(FORMAT), K(CSRF)), PAGE(USER)},
	{POST, "/admin/users/{id}/password", oms_h_user_password, SESS,
	    BODY_FORM, OMS_PERM_USERS, FIELDS(K(FORMAT), K(CSRF), K(PASSWORD)),
	    PAGE(USER)},
	{GET, "/admin/audit", oms_h_audit, SESS, BODY_NONE, OMS_PERM_AUDIT,
	    FIELDS(K(FORMAT), K(ENTITY), K(ACTION), K(USER), K(PAGE)),
	    PAGE(AUDIT)},
	{GET, "/catalog", oms_h_catalog, SESS, BODY_NONE, OMS_PERM_CATALOG,
	    FIELDS(K(FORMAT)), PAGE(CATALOG)},
	{POST, "/catalog", oms_h_product_put, SESS, BODY_FORM,
	    OMS_PERM_CATALOG_EDIT, FIELDS(K(FORMAT), K(CSRF), K(CODE), K(NAME),
	    K(ASSET_TYPE), K(CHARGE), K(UNIT), K(MIN_PORTS), K(MAX_PORTS)),
	    PAGE(CATALOG)},
	{GET, "/catalog/{id}", oms_h_product, SESS, BODY_NONE,
	    OMS_PERM_CATALOG, FIELDS(K(FORMAT)), PAGE(PRODUCT)},
	{POST, "/catalog/{id}/prices", oms_h_product_price, SESS, BODY_FORM,
	    OMS_PERM_CATALOG_EDIT, FIELDS(K(FORMAT), K(CSRF), K(VALID_FROM),
	    K(MONTHLY)), PAGE(PRODUCT)},
	{POST, "/catalog/{id}/fees", oms_h_product_fee, SESS, BODY_FORM,
	    OMS_PERM_CATALOG_EDIT, FIELDS(K(FORMAT), K(CSRF), K(ACTION),
	    K(PRODUCT_CODE), K(VALID_FROM), K(AMOUNT)), PAGE(PRODUCT)},
	{POST, "/catalog/{id}/contracts", oms_h_product_contract, SESS,
	    BODY_FORM, OMS_PERM_CATALOG_EDIT, FIELDS(K(FORMAT), K(CSRF),
	    K(CUSTOMER), K(CUSTOMER_CODE), K(VALID_FROM), K(VALID_TO),
	    K(MONTHLY)), PAGE(PRODUCT)},
	{POST, "/catalog/{id}/usage", oms_h_product_usage, SESS, BODY_FORM,
	    OMS_PERM_CATALOG_EDIT, FIELDS(K(FORMAT), K(CSRF), K(VALID_FROM),
	    K(UNIT), K(INCLUDED), K(TIERS)), PAGE(PRODUCT)},
	{GET, "/admin/import", oms_h_import_form, SESS, BODY_NONE,
	    OMS_PERM_IMPORT, FIELDS(K(FORMAT)), PAGE(IMPORT)},
	{POST, "/admin/import", oms_h_import, SESS, OMS_BODY_MULTIPART,
	    OMS_PERM_IMPORT, FIELDS(K(FORMAT)), PAGE(IMPORT)},
	{GET, "/assets/{id}", oms_h_asset, SESS, BODY_NONE, OMS_PERM_INVENTORY,
	    FIELDS(K(FORMAT)), PAGE(ASSET)},
	/* Orders (issue 8, src/web/orders.c). */
	{GET, "/orders", oms_h_orders, SESS, BODY_NONE, OMS_PERM_ORDERS,
	    FIELDS(K(FORMAT), K(STATE), K(CUSTOMER), K(SITE), K(ACTION),
	    K(FROM), K(TO), K(PAGE)),
	    VIEWS(OMS_SHEET_ORDERS, DOC, OMS_SHEET_ORDERS_CSV, NO, NO)},
	{GET, "/orders/new", oms_h_order_new, SESS, BODY_NONE,
	    OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(SITE)), PAGE(ORDER_NEW)},
	{POST, "/orders", oms_h_order_create, SESS, BODY_FORM, OMS_PERM_ORDERS,
	    FIELDS(K(FORMAT), K(CSRF), K(SITE), K(REQUESTED), K(NOTES),
	    K(ACTION), K(ASSET), K(PARENT), K(PRODUCT), K(CC), K(PORTS),
	    K(NUMBER), K(EXTENSION), K(MAILBOX), K(SERIAL), K(TAG), K(FEE),
	    K(REASON)), PAGE(ORDER_NEW)},
	{GET, "/orders/{id}", oms_h_order, SESS, BODY_NONE, OMS_PERM_ORDERS,
	    FIELDS(K(FORMAT)), PAGE(ORDER)},
	{POST, "/orders/{id}/act", oms_h_order_act, SESS, BODY_FORM,
	    OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(CSRF), K(VERB), K(VERSION),
	    K(DATE), K(COMMENT)), PAGE(ORDER)},
	{POST, "/orders/{id}/lines", oms_h_order_line_add, SESS, BODY_FORM,
	    OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(CSRF), K(VERSION), K(SITE),
	    K(ACTION), K(ASSET), K(PARENT), K(PRODUCT), K(CC), K(PORTS),
	    K(NUMBER), K(EXTENSION), K(MAILBOX), K(SERIAL), K(TAG), K(FEE),
	    K(REASON)), PAGE(ORDER)},
	{POST, "/orders/{id}/lines/{id}/delete", oms_h_order_line_delete, SESS,
	    BODY_FORM, OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(CSRF), K(VERSION)),
	    PAGE(ORDER)},
	{POST, "/orders/{id}/lines/{id}", oms_h_order_fill, SESS, BODY_FORM,
	    OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(CSRF), K(VERSION), K(NUMBER),
	    K(EXTENSION), K(MAILBOX), K(SERIAL)), PAGE(ORDER)},
	{POST, "/orders/{id}/comments", oms_h_order_comment, SESS, BODY_FORM,
	    OMS_PERM_ORDERS, FIELDS(K(FORMAT), K(CSRF), K(COMMENT)),
	    PAGE(ORDER)},
	/* Invoices, reports and statements (issue 9, src/web/invoices.c). */
	{GET, "/invoices", oms_h_invoices, SESS, BODY_NONE, OMS_PERM_INVOICES,
	    FIELDS(K(FORMAT), K(CUSTOMER), K(PERIOD), K(PAGE)),
	    PAGE(INVOICES)},
	{GET, "/invoices/{id}", oms_h_invoice, SESS, BODY_NONE,
	    OMS_PERM_INVOICES, FIELDS(K(FORMAT)), VIEWS(OMS_SHEET_INVOICE,
	    DOC, NO, OMS_SHEET_INVOICE_PRINT, NO)},
	{GET, "/invoices/{id}/print", oms_h_invoice, SESS, BODY_NONE,
	    OMS_PERM_INVOICES, FIELDS(K(FORMAT)),
	    VIEWS(OMS_SHEET_INVOICE_PRINT, DOC, NO, NO, NO)},
	{GET, "/invoices/{id}/report", oms_h_invoice_report, SESS, BODY_NONE,
	    OMS_PERM_INVOICES, FIELDS(K(FORMAT)), VIEWS(OMS_SHEET_REPORT, DOC,
	    OMS_SHEET_REPORT_CSV, OMS_SHEET_REPORT_PRINT, NO)},
	{GET, "/invoices/{id}/report.csv", oms_h_invoice_report, SESS,
	    BODY_NONE, OMS_PERM_INVOICES, NULL,
	    VIEWS(OMS_SHEET_REPORT_CSV, NO, NO, NO, NO)},
	{GET, "/invoices/{id}/invoice.pdf", oms_h_invoice_pdf, SESS,
	    BODY_NONE, OMS_PERM_INVOICES, NULL, VIEWS(NO, NO, NO, NO, NO)},
	{GET, "/invoices/{id}/report.pdf", oms_h_report_pdf, SESS,
	    BODY_NONE, OMS_PERM_INVOICES, NULL, VIEWS(NO, NO, NO, NO, NO)},
	{GET, "/customers/{id}/statement", oms_h_statement, SESS, BODY_NONE,
	    OMS_PERM_INVOICES, FIELDS(K(FORMAT)), PAGE(STATEMENT)},
	/* Billing: runs, payments, adjustments (issue 9, src/web/billing.c). */
	{GET, "/billing", oms_h_billing, SESS, BODY_NONE, OMS_PERM_BILLING,
	    FIELDS(K(FORMAT), K(PERIOD)), PAGE(BILLING)},
	{POST, "/billing/issue", oms_h_billing_issue, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(PERIOD)),
	    PAGE(BILLING)},
	{GET, "/billing/runs/{id}", oms_h_billing_run, SESS, BODY_NONE,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT)), PAGE(BILLING_RUN)},
	{GET, "/payments", oms_h_payments, SESS, BODY_NONE, OMS_PERM_BILLING,
	    FIELDS(K(FORMAT), K(CUSTOMER), K(PAGE)), PAGE(PAYMENTS)},
	{GET, "/payments/new", oms_h_payment_new, SESS, BODY_NONE,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CUSTOMER)),
	    PAGE(PAYMENTS_NEW)},
	{POST, "/payments/new", oms_h_payment_create, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(CUSTOMER),
	    K(REFERENCE), K(DATE), K(AMOUNT), K(METHOD)), PAGE(PAYMENTS_NEW)},
	{GET, "/adjustments", oms_h_adjustments, SESS, BODY_NONE,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CUSTOMER), K(PAGE)),
	    PAGE(ADJUSTMENTS)},
	{GET, "/adjustments/new", oms_h_adjustment_new, SESS, BODY_NONE,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CUSTOMER)),
	    PAGE(ADJUSTMENTS_NEW)},
	{POST, "/adjustments/new", oms_h_adjustment_create, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(CUSTOMER), K(DATE),
	    K(AMOUNT), K(DESCRIPTION), K(TAXABLE), K(SITE), K(CC), K(REASON)),
	    PAGE(ADJUSTMENTS_NEW)},
	/* The inbound SOAP service (issue 10, src/web/soap.c): its WSDL
	 * for anyone, its operations for integration accounts only. */
	{GET, "/soap", oms_h_wsdl, ANON, BODY_NONE, OMS_PERM_PUBLIC,
	    FIELDS(K(WSDL)), VIEWS(NO, NO, NO, NO, NO)},
	{POST, "/soap", oms_h_soap, OMS_AUTH_INTEGRATION, OMS_BODY_XML,
	    OMS_PERM_SOAP, NULL, VIEWS(NO, NO, NO, NO, NO)},
	/* Monitoring and reconciliation (issue 10, src/web/integration.c). */
	{GET, "/integration", oms_h_integration, SESS, BODY_NONE,
	    OMS_PERM_INTEGRATION, FIELDS(K(FORMAT), K(SYSTEM), K(PAGE)),
	    VIEWS(OMS_SHEET_INTEGRATION, DOC, OMS_SHEET_INTEGRATION_CSV, NO,
	    NO)},
	{GET, "/integration/messages/{id}", oms_h_integration_message, SESS,
	    BODY_NONE, OMS_PERM_INTEGRATION, FIELDS(K(FORMAT)),
	    PAGE(INTEGRATION_MESSAGE)},
	{POST, "/integration/messages/{id}/resend", oms_h_integration_resend,
	    SESS, BODY_FORM, OMS_PERM_INTEGRATION, FIELDS(K(FORMAT), K(CSRF)),
	    PAGE(INTEGRATION_MESSAGE)},
	{GET, "/integration/reconcile", oms_h_reconcile, SESS, BODY_NONE,
	    OMS_PERM_RECONCILE, FIELDS(K(FORMAT), K(PERIOD)),
	    VIEWS(OMS_SHEET_RECONCILE, DOC, OMS_SHEET_RECONCILE_CSV, NO, NO)},
	/* Distribution of invoice documents (issue 10, src/web/distpage.c):
	 * billing contacts and delivery method on the customer page, the
	 * invoice's Resend. */
	{POST, "/customers/{id}/contacts", oms_h_contact_add, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(EMAIL), K(NAME)),
	    PAGE(SITES)},
	{POST, "/customers/{id}/contacts/remove", oms_h_contact_remove, SESS,
	    BODY_FORM, OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(EMAIL)),
	    PAGE(SITES)},
	{POST, "/customers/{id}/delivery", oms_h_delivery, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF), K(METHOD), K(SYSTEM)),
	    PAGE(SITES)},
	{POST, "/invoices/{id}/resend", oms_h_invoice_resend, SESS, BODY_FORM,
	    OMS_PERM_BILLING, FIELDS(K(FORMAT), K(CSRF)), PAGE(INVOICE)},
};

const size_t oms_nroutes = OMS_NELEM(oms_routes);

/* Set resp for a failed domain call: 404, 409 (what says why), 403,
 * 400, 503 or 500. */
void
oms_fail(struct oms_resp *resp, enum oms_err e, const char *what)
{
	switch (e) {
	case OMS_ERR_NOTFOUND:
		resp->status = 404;
		resp->message = what;
		break;
	case OMS_ERR_CONFLICT:
		resp->status = 409;
		resp->message = what;
		break;
	case OMS_ERR_DENIED:
		resp->status = 403;
		resp->message = what;
		break;
	case OMS_ERR_INVAL:
		resp->status = 400;
		resp->message = what;
		break;
	case OMS_ERR_BUSY:
		resp->status = 503;
		resp->message = "The database is busy. Please try again in a "
		    "moment.";
		break;
	case OMS_ERR_UNAVAILABLE:
		resp->status = 503;
		resp->message = "The database is unavailable. Please try "
		    "again in a moment.";
		break;
	default:
		resp->status = 500;
		resp->message = NULL;
		break;
	}
}

/*
 * The principal of the request's user: its role and scope, and for a
 * scope limited to some sites those sites, read with the user (one
 * query, only for such users; the list lives in the request's arena).
 * Without a session, a principal with no scope, which may nothing.
 * OMS_OK, or the error of the read.
 */
enum oms_err
oms_req_principal(struct oms_req *req, struct oms_principal *p)
{
	struct oms_user u;
	enum oms_err e;

	memset(p, 0, sizeof(*p));
	if (req->sess == NULL) {
		p->role = OMS_ROLE_CUSTOMER;
		p->scope.customer = -1;
		return OMS_OK;
	}
	oms_principal_of(&req->sess->user, p);
	p->scope = req->scope;
	if (p->scope.site_user == 0)
		return OMS_OK;
	if ((e = oms_user_get(req->st, req->arena, req->sess->user.id, &u)) !=
	    OMS_OK)
		return e;
	p->sites = u.sites;
	p->nsites = u.nsites;
	return OMS_OK;
}

/*
 * Ask the policy whether the request's user may take action on obj:
 * OMS_OK when it may, OMS_ERR_NOTFOUND when not (the caller answers
 * 404, as for an object that does not exist), or the error of reading
 * the principal.
 */
enum oms_err
oms_may(struct oms_req *req, enum oms_action action,
    const struct oms_object *obj)
{
	struct oms_principal p;
	enum oms_err e;

	if ((e = oms_req_principal(req, &p)) != OMS_OK)
		return e;
	return oms_policy_may(&p, action, obj) ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Start a page document: <page name title><session/><crumbs/>. */
xmlNodePtr
oms_page(struct oms_req *req, struct oms_resp *resp, const char *name,
    const char *title, xmlNodePtr *crumbs)
{
	xmlNodePtr root;

	if ((resp->doc = oms_doc_new(req->arena, "page", &root)) == NULL) {
		resp->status = 500;
		return NULL;
	}
	oms_attr(root, "name", name);
	oms_attr(root, "title", title);
	oms_session_node(root, req->sess);
	*crumbs = oms_node(root, "crumbs");
	return root;
}

/* Add a breadcrumb; href NULL for the current page. */
void
oms_crumb(xmlNodePtr crumbs, const char *href, const char *text)
{
	xmlNodePtr c = oms_node_text(crumbs, "crumb", text);

	oms_attr(c, "href", href);
}

/* The health check: answers without touching data beyond a ping. */
static void
h_health(struct oms_req *req, struct oms_resp *resp)
{
	if (oms_store_ping(req->st) != OMS_OK) {
		resp->status = 503;
		resp->message = "The database is unavailable.";
		return;
	}
	resp->body = "ok\n";
	resp->media = "text/plain";
}

/*
 * GET /customers: every customer in scope with its counts and their
 * totals (computed here, not in the stylesheet).
 */
static void
h_customers(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_customer *v;
	size_t n;
	int64_t sites = 0, assets = 0, ports = 0;
	xmlNodePtr root, crumbs, list;
	enum oms_err e;

	if ((e = oms_customer_list(req->st, req->arena, &req->scope, &v, &n)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "customers", "Customers", &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, NULL, "Customers");
	list = oms_node(root, "customers");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr c = oms_node(list, "customer");

		oms_attr_int(c, "id", v[i].id);
		oms_attr(c, "code", v[i].code);
		oms_attr(c, "name", v[i].name);
		oms_attr_int(c, "sites", v[i].sites);
		oms_attr_int(c, "assets", v[i].assets);
		oms_attr_int(c, "ports", v[i].ports);
		sites += v[i].sites;
		assets += v[i].assets;
		ports += v[i].ports;
	}
	oms_attr_int(list, "count", (int64_t)n);
	oms_attr_int(list, "sites", sites);
	oms_attr_int(list, "assets", assets);
	oms_attr_int(list, "ports", ports);
}

/*
 * GET /customers/{id}: the sites of one customer in scope, with
 * totals; 404 for a customer outside the scope or the policy.
 */
static void
h_sites(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_customer cu;
	struct oms_site *v;
	size_t n;
	int64_t assets = 0, ports = 0;
	xmlNodePtr root, crumbs, list, c;
	enum oms_err e;

	if ((e = oms_customer_get(req->st, req->arena, &req->scope, req->ids[0], &cu)) != OMS_OK ||
	    (e = oms_may(req, OMS_ACTION_READ, &(struct oms_object){
	    OMS_OBJECT_CUSTOMER, cu.id, cu.id, 0})) != OMS_OK ||
	    (e = oms_site_list(req->st, req->arena, &req->scope, cu.id, &v, &n)) != OMS_OK) {
		oms_fail(resp, e, "There is no such customer.");
		return;
	}
	if ((root = oms_page(req, resp, "sites", oms_arena_printf(req->arena,
	    "%s: sites", cu.name), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/customers", "Customers");
	oms_crumb(crumbs, NULL, cu.name);
	c = oms_node(root, "customer");
	oms_attr_int(c, "id", cu.id);
	oms_attr(c, "code", cu.code);
	oms_attr(c, "name", cu.name);
	list = oms_node(root, "sites");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr s = oms_node(list, "site");

		oms_attr_int(s, "id", v[i].id);
		oms_attr(s, "code", v[i].code);
		oms_attr(s, "name", v[i].name);
		oms_attr(s, "address", v[i].address);
		oms_attr(s, "city", v[i].city);
		oms_attr(s, "region", v[i].region);
		oms_attr(s, "postcode", v[i].postcode);
		oms_attr(s, "country", v[i].country);
		oms_attr_int(s, "assets", v[i].assets);
		oms_attr_int(s, "ports", v[i].ports);
		assets += v[i].assets;
		ports += v[i].ports;
	}
	oms_attr_int(list, "count", (int64_t)n);
	oms_attr_int(list, "assets", assets);
	oms_attr_int(list, "ports", ports);
	/* Where its invoices go (billing users only). */
	if ((e = oms_distpage_customer(req, root, cu.id)) != OMS_OK)
		oms_fail(resp, e, NULL);
}

/* The filter state of the asset page, for building links. */
struct assets_state {
	int64_t site;
	int type, status;       /* -1 for any */
	int64_t cc;             /* 0 for any */
	const char *q;          /* NULL for none */
	int sort, desc;
	int64_t page, per;
	int32_t asof;           /* the day asked for; 0 for today */
};

static const char *const sort_labels[OMS_SORT__MAX] = {
	"Number",      /* OMS_SORT_NUMBER */
	"Extension",   /* OMS_SORT_EXTENSION */
	"Mailbox",     /* OMS_SORT_MAILBOX */
	"Serial",      /* OMS_SORT_SERIAL */
	"Type",        /* OMS_SORT_TYPE */
	"Status",      /* OMS_SORT_STATUS */
	"Cost centre", /* OMS_SORT_CC */
	"Ports",       /* OMS_SORT_PORTS */
	"Installed",   /* OMS_SORT_INSTALLED */
	"Product",     /* OMS_SORT_PRODUCT */
	"Tag",         /* OMS_SORT_TAG */
};

/* Column order of the asset table. */
static const enum oms_asset_sort columns[] = {
	OMS_SORT_TAG, OMS_SORT_NUMBER, OMS_SORT_EXTENSION, OMS_SORT_MAILBOX,
	OMS_SORT_SERIAL, OMS_SORT_TYPE, OMS_SORT_PRODUCT, OMS_SORT_CC,
	OMS_SORT_PORTS, OMS_SORT_STATUS, OMS_SORT_INSTALLED,
};

/*
 * The URL of the asset page for state s; page 0 leaves the page out,
 * format non-NULL adds it.  Defaults are left out to keep URLs short.
 * Built in the arena without a length limit (a 100-character search of
 * four-byte characters is 1,200 bytes of escapes); NULL when out of
 * memory, which oms_attr() takes as "no attribute".
 */
static const char *
assets_url(struct oms_arena *a, const struct assets_state *s,
    const char *format)
{
	struct oms_sb b;
	char sep = '?';

	oms_sb_init(&b, a);
	oms_sb_puts(&b, "/sites/");
	oms_sb_int(&b, s->site);
	oms_sb_puts(&b, "/assets");
	/* Appends, not printf: ten of these a page (callgrind). */
#define KEY(k) do {                                                       \
		oms_sb_add(&b, &sep, 1);                                  \
		oms_sb_puts(&b, k "=");                                   \
		sep = '&';                                                \
	} while (0)
	if (s->type >= 0) {
		KEY("type");
		oms_sb_puts(&b, oms_asset_type_names[s->type]);
	}
	if (s->status >= 0) {
		KEY("status");
		oms_sb_puts(&b, oms_asset_status_names[s->status]);
	}
	if (s->cc > 0) {
		KEY("cc");
		oms_sb_int(&b, s->cc);
	}
	if (s->q != NULL) {
		const char *q = oms_url_encode(a, s->q);

		if (q == NULL)
			return NULL;
		KEY("q");
		oms_sb_puts(&b, q);
	}
	if (s->sort != OMS_SORT_NUMBER || s->desc) {
		KEY("sort");
		oms_sb_puts(&b, oms_keys[OMS_KEY_SORT].choices[s->sort]);
		KEY("dir");
		oms_sb_puts(&b, s->desc ? "desc" : "asc");
	}
	if (s->per != DEFAULT_PER) {
		KEY("per");
		oms_sb_int(&b, s->per);
	}
	if (s->asof != 0) {
		char d[11];

		KEY("asof");
		oms_sb_puts(&b, oms_date_format(s->asof, d));
	}
	if (s->page > 1) {
		KEY("page");
		oms_sb_int(&b, s->page);
	}
	if (format != NULL) {
		KEY("format");
		oms_sb_puts(&b, format);
	}
#undef KEY
	return oms_sb_done(&b, NULL);
}

/* <option value label [selected]/> */
void
oms_option(xmlNodePtr parent, const char *value, const char *label, int selected)
{
	xmlNodePtr o = oms_node(parent, "option");

	oms_attr(o, "value", value);
	oms_attr(o, "label", label);
	if (selected)
		oms_attr(o, "selected", "selected");
}

/* A pager link, when target is a real page other than the current. */
static void
pager_link(struct oms_arena *a, xmlNodePtr pager, const char *rel,
    const struct assets_state *s, int64_t target)
{
	struct assets_state t = *s;
	xmlNodePtr l;

	t.page = target;
	l = oms_node(pager, "link");
	oms_attr(l, "rel", rel);
	oms_attr_int(l, "page", target);
	oms_attr(l, "href", assets_url(a, &t, NULL));
}

/*
 * GET /sites/{id}/assets: the site asset query (filter, sort, page;
 * CSV and XML too); 404 for a site outside the scope or the policy.
 */
static void
h_assets(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_arena *a = req->arena;
	struct oms_site site;
	struct oms_cost_centre *ccs;
	size_t nccs;
	struct oms_asset_query q;
	struct oms_asset_page res;
	struct assets_state s;
	int64_t pages;
	int csv = req->format == OMS_FORMAT_CSV;
	xmlNodePtr root, crumbs, n, filter, list;
	enum oms_err e;
	char buf[64], day[11];
	int32_t today = oms_date_today();

	if ((e = oms_site_get(req->st, a, &req->scope, req->ids[0], &site)) != OMS_OK ||
	    (e = oms_may(req, OMS_ACTION_READ, &(struct oms_object){
	    OMS_OBJECT_SITE, site.id, site.customer.id, site.id})) != OMS_OK) {
		oms_fail(resp, e, "There is no such site.");
		return;
	}
	s.site = site.id;
	s.type = f[OMS_KEY_TYPE].present ? (int)f[OMS_KEY_TYPE].i : -1;
	s.status = f[OMS_KEY_STATUS].present ? (int)f[OMS_KEY_STATUS].i : -1;
	s.cc = f[OMS_KEY_CC].present ? f[OMS_KEY_CC].i : 0;
	s.q = f[OMS_KEY_Q].present ? f[OMS_KEY_Q].s : NULL;
	s.sort = f[OMS_KEY_SORT].present ? (int)f[OMS_KEY_SORT].i : OMS_SORT_NUMBER;
	s.desc = f[OMS_KEY_DIR].present && f[OMS_KEY_DIR].i == 1;
	s.per = f[OMS_KEY_PER].present ? f[OMS_KEY_PER].i : DEFAULT_PER;
	s.page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	/* As of today (the default) the query reads the assets rows;
	 * another day, the states in effect on it. */
	s.asof = f[OMS_KEY_ASOF].present && f[OMS_KEY_ASOF].i != today ?
	    (int32_t)f[OMS_KEY_ASOF].i : 0;

	q.site = s.site;
	q.type = s.type;
	q.status = s.status;
	q.cc = s.cc;
	q.text = s.q;
	q.sort = (enum oms_asset_sort)s.sort;
	q.desc = s.desc;
	q.limit = csv ? CSV_MAX_ROWS : s.per;
	q.offset = csv ? 0 : (s.page - 1) * s.per;
	q.asof = s.asof;
	if ((e = oms_asset_search(req->st, a, &req->scope, &q, &res)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if (csv && res.total > CSV_MAX_ROWS) {
		resp->status = 400;
		resp->message = oms_arena_printf(a, "%lld assets match; an "
		    "export holds at most %d. Narrow the filters.",
		    (long long)res.total, CSV_MAX_ROWS);
		return;
	}
	pages = res.total == 0 ? 1 : (res.total + s.per - 1) / s.per;
	if (!csv && s.page > pages) {
		/* Past the end (the data changed, or a hand-made URL):
		 * show the last page rather than an empty one. */
		s.page = pages;
		q.offset = (s.page - 1) * s.per;
		if ((e = oms_asset_search(req->st, a, &req->scope, &q, &res)) != OMS_OK) {
			oms_fail(resp, e, NULL);
			return;
		}
	}

	if ((root = oms_page(req, resp, "assets", oms_arena_printf(a,
	    "Assets at %s %s", site.code, site.name), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/customers", "Customers");
	oms_crumb(crumbs, oms_arena_printf(a, "/customers/%lld",
	    (long long)site.customer.id), site.customer.name);
	oms_crumb(crumbs, NULL, oms_arena_printf(a, "%s %s", site.code, site.name));
	if (csv)
		resp->filename = s.asof ? oms_arena_printf(a,
		    "assets-%s-%s-%s.csv", site.customer.code, site.code,
		    oms_date_format(s.asof, day)) : oms_arena_printf(a,
		    "assets-%s-%s.csv", site.customer.code, site.code);
	/* The day the rows are as of, and whether it is today. */
	n = oms_node(root, "asof");
	oms_attr(n, "date", oms_date_format(s.asof ? s.asof : today, day));
	oms_attr(n, "today", s.asof ? "no" : "yes");

	n = oms_node(root, "customer");
	oms_attr_int(n, "id", site.customer.id);
	oms_attr(n, "code", site.customer.code);
	oms_attr(n, "name", site.customer.name);
	n = oms_node(root, "site");
	oms_attr_int(n, "id", site.id);
	oms_attr(n, "code", site.code);
	oms_attr(n, "name", site.name);
	oms_attr(n, "address", site.address);
	oms_attr(n, "city", site.city);
	oms_attr(n, "region", site.region);
	oms_attr(n, "postcode", site.postcode);
	oms_attr(n, "country", site.country);

	if (!csv) {
		static const int pers[] = {25, 50, 100, 200, 500};
		xmlNodePtr g;

		if ((e = oms_cost_centre_list(req->st, a, &req->scope, site.customer.id,
		    &ccs, &nccs)) != OMS_OK) {
			oms_fail(resp, e, NULL);
			return;
		}
		filter = oms_node(root, "filter");
		oms_attr(filter, "action", oms_arena_printf(a,
		    "/sites/%lld/assets", (long long)site.id));
		oms_attr(filter, "q", s.q);
		oms_attr(filter, "asof", day);
		g = oms_node(filter, "types");
		for (int i = 0; i < OMS_ASSET__MAX; i++)
			oms_option(g, oms_asset_type_names[i],
			    oms_asset_type_labels[i], s.type == i);
		g = oms_node(filter, "statuses");
		for (int i = 0; i < OMS_STATUS__MAX; i++)
			oms_option(g, oms_asset_status_names[i],
			    oms_asset_status_labels[i], s.status == i);
		g = oms_node(filter, "costcentres");
		for (size_t i = 0; i < nccs; i++) {
			snprintf(buf, sizeof(buf), "%lld", (long long)ccs[i].id);
			oms_option(g, buf, oms_arena_printf(a, "%s %s",
			    ccs[i].code, ccs[i].name), s.cc == ccs[i].id);
		}
		g = oms_node(filter, "sorts");
		for (int i = 0; i < OMS_SORT__MAX; i++)
			oms_option(g, oms_keys[OMS_KEY_SORT].choices[i],
			    sort_labels[i], s.sort == i);
		g = oms_node(filter, "dirs");
		oms_option(g, "asc", "Ascending", !s.desc);
		oms_option(g, "desc", "Descending", s.desc);
		g = oms_node(filter, "pers");
		for (size_t i = 0; i < OMS_NELEM(pers); i++) {
			snprintf(buf, sizeof(buf), "%d", pers[i]);
			oms_option(g, buf, buf, s.per == pers[i]);
		}

		n = oms_node(root, "result");
		oms_attr_int(n, "assets", res.total);
		oms_attr_int(n, "ports", res.ports);
		oms_attr_int(n, "page", s.page);
		oms_attr_int(n, "pages", pages);
		oms_attr_int(n, "first", res.n ? q.offset + 1 : 0);
		oms_attr_int(n, "last", q.offset + (int64_t)res.n);

		n = oms_node(root, "columns");
		for (size_t i = 0; i < OMS_NELEM(columns); i++) {
			struct assets_state t = s;
			xmlNodePtr c = oms_node(n, "column");
			int cur = s.sort == (int)columns[i];

			t.sort = (int)columns[i];
			t.desc = cur ? !s.desc : 0;
			t.page = 1;
			oms_attr(c, "key", oms_keys[OMS_KEY_SORT].choices[columns[i]]);
			oms_attr(c, "label", sort_labels[columns[i]]);
			oms_attr(c, "sort", !cur ? "none" :
			    s.desc ? "descending" : "ascending");
			oms_attr(c, "href", assets_url(a, &t, NULL));
		}

		n = oms_node(root, "pager");
		if (s.page > 1) {
			pager_link(a, n, "first", &s, 1);
			pager_link(a, n, "prev", &s, s.page - 1);
		}
		if (s.page < pages) {
			pager_link(a, n, "next", &s, s.page + 1);
			pager_link(a, n, "last", &s, pages);
		}
		{
			struct assets_state t = s;

			t.page = 1;
			n = oms_node(root, "export");
			oms_attr(n, "href", assets_url(a, &t, "csv"));
			oms_attr(n, "xml", assets_url(a, &s, "xml"));
		}
	}

	list = oms_node(root, "assets");
	for (size_t i = 0; i < res.n; i++) {
		const struct oms_asset *r = &res.rows[i];
		xmlNodePtr x = oms_node(list, "asset");

		oms_attr_int(x, "id", r->id);
		oms_attr(x, "tag", r->tag);
		oms_attr(x, "type", r->addon ? "addon" : oms_asset_type_names[r->type]);
		oms_attr(x, "type-label", r->addon ? "Add-on" :
		    oms_asset_type_labels[r->type]);
		oms_attr(x, "status", oms_asset_status_names[r->status]);
		oms_attr(x, "status-label", oms_asset_status_labels[r->status]);
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
}

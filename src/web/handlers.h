/*
 * handlers.h: what the page handlers share, and the handlers of the
 * account pages (src/accounts.c) and the catalog pages (src/catalog.c)
 * that the route table names.
 */
#ifndef OMS_HANDLERS_H
#define OMS_HANDLERS_H

#include <libxml/tree.h>

#include "http.h"
#include "policy.h"

/* Start a page document: <page name title><session/><crumbs/>.  NULL
 * (with resp->status 500) when out of memory. */
xmlNodePtr oms_page(struct oms_req *, struct oms_resp *, const char *name,
    const char *title, xmlNodePtr *crumbs);
/* Add a breadcrumb; href NULL for the current page. */
void oms_crumb(xmlNodePtr crumbs, const char *href, const char *text);
/* Add <option value label [selected]/> to a list of choices. */
void oms_option(xmlNodePtr parent, const char *value, const char *label,
    int selected);
/* Set resp for a failed domain call: 404 (with what), 503 or 500. */
void oms_fail(struct oms_resp *, enum oms_err, const char *what);
/* The principal of the request's user (policy.h); for a site-limited
 * user its sites are read into the request's arena. */
enum oms_err oms_req_principal(struct oms_req *, struct oms_principal *);
/* OMS_OK when the request's user may take action on obj (policy.h);
 * OMS_ERR_NOTFOUND when not, so that a refusal answers as a missing
 * object does; or the error reading the principal. */
enum oms_err oms_may(struct oms_req *, enum oms_action,
    const struct oms_object *);

void oms_h_login_form(struct oms_req *, struct oms_resp *);
void oms_h_login(struct oms_req *, struct oms_resp *);
void oms_h_logout(struct oms_req *, struct oms_resp *);
void oms_h_users(struct oms_req *, struct oms_resp *);
void oms_h_user_new(struct oms_req *, struct oms_resp *);
void oms_h_user_create(struct oms_req *, struct oms_resp *);
void oms_h_user(struct oms_req *, struct oms_resp *);
void oms_h_user_update(struct oms_req *, struct oms_resp *);
void oms_h_user_disable(struct oms_req *, struct oms_resp *);
void oms_h_user_enable(struct oms_req *, struct oms_resp *);
void oms_h_user_password(struct oms_req *, struct oms_resp *);
void oms_h_audit(struct oms_req *, struct oms_resp *);
/* The import page (src/web/importpage.c). */
void oms_h_import_form(struct oms_req *, struct oms_resp *);
void oms_h_import(struct oms_req *, struct oms_resp *);

/* The catalog pages (src/web/catalog.c). */
void oms_h_catalog(struct oms_req *, struct oms_resp *);
void oms_h_product(struct oms_req *, struct oms_resp *);
void oms_h_product_put(struct oms_req *, struct oms_resp *);
void oms_h_product_price(struct oms_req *, struct oms_resp *);
void oms_h_product_fee(struct oms_req *, struct oms_resp *);
void oms_h_product_contract(struct oms_req *, struct oms_resp *);
void oms_h_product_usage(struct oms_req *, struct oms_resp *);
/* The asset page (src/web/assetpage.c). */
void oms_h_asset(struct oms_req *, struct oms_resp *);

/* The order pages (src/web/orders.c). */
void oms_h_orders(struct oms_req *, struct oms_resp *);
void oms_h_order_new(struct oms_req *, struct oms_resp *);
void oms_h_order_create(struct oms_req *, struct oms_resp *);
void oms_h_order(struct oms_req *, struct oms_resp *);
void oms_h_order_act(struct oms_req *, struct oms_resp *);
void oms_h_order_line_add(struct oms_req *, struct oms_resp *);
void oms_h_order_line_delete(struct oms_req *, struct oms_resp *);
void oms_h_order_fill(struct oms_req *, struct oms_resp *);
void oms_h_order_comment(struct oms_req *, struct oms_resp *);

/* The invoice pages (src/web/invoices.c). */
void oms_h_invoices(struct oms_req *, struct oms_resp *);
void oms_h_invoice(struct oms_req *, struct oms_resp *);
void oms_h_invoice_report(struct oms_req *, struct oms_resp *);
void oms_h_invoice_pdf(struct oms_req *, struct oms_resp *);
void oms_h_report_pdf(struct oms_req *, struct oms_resp *);
void oms_h_statement(struct oms_req *, struct oms_resp *);
/* The billing pages (src/web/billing.c). */
void oms_h_billing(struct oms_req *, struct oms_resp *);
void oms_h_billing_issue(struct oms_req *, struct oms_resp *);
void oms_h_billing_run(struct oms_req *, struct oms_resp *);
void oms_h_payments(struct oms_req *, struct oms_resp *);
void oms_h_payment_new(struct oms_req *, struct oms_resp *);
void oms_h_payment_create(struct oms_req *, struct oms_resp *);
void oms_h_adjustments(struct oms_req *, struct oms_resp *);
void oms_h_adjustment_new(struct oms_req *, struct oms_resp *);
void oms_h_adjustment_create(struct oms_req *, struct oms_resp *);
/* The inbound SOAP service (src/web/soap.c). */
void oms_h_wsdl(struct oms_req *, struct oms_resp *);
void oms_h_soap(struct oms_req *, struct oms_resp *);
/* The integration pages (src/web/integration.c). */
void oms_h_integration(struct oms_req *, struct oms_resp *);
void oms_h_integration_message(struct oms_req *, struct oms_resp *);
void oms_h_integration_resend(struct oms_req *, struct oms_resp *);
void oms_h_reconcile(struct oms_req *, struct oms_resp *);

#endif /* OMS_HANDLERS_H */

/*
 * distpage.h: the distribution of invoice documents on the pages
 * (issue 10, item 5): the delivery status and Resend button of the
 * invoice page, and the billing contacts and delivery method on the
 * customer page, with their forms (src/domain/distribution.h).
 */
#ifndef OMS_DISTPAGE_H
#define OMS_DISTPAGE_H

#include <stdint.h>

#include <libxml/tree.h>

#include "http.h"

/*
 * Add <delivery> to the invoice page root: how invoice's documents go
 * (customer's method, contacts count) and one <message> an outbox
 * message of them; may-resend="1" for a user who may resend.  It goes
 * into the live page, never into a stored document.  OMS_OK or the
 * store's error.
 */
enum oms_err oms_distpage_invoice(struct oms_req *, xmlNodePtr root,
    int64_t invoice, int64_t customer);

/*
 * Add <distribution> (the delivery method and billing contacts of
 * customer) to the customer page root, for a user with the billing
 * permission only.  OMS_OK or the store's error.
 */
enum oms_err oms_distpage_customer(struct oms_req *, xmlNodePtr root,
    int64_t customer);

/* POST /customers/{id}/contacts: add a contact (email, name). */
void oms_h_contact_add(struct oms_req *, struct oms_resp *);
/* POST /customers/{id}/contacts/remove: remove one (email). */
void oms_h_contact_remove(struct oms_req *, struct oms_resp *);
/* POST /customers/{id}/delivery: the method (method, system). */
void oms_h_delivery(struct oms_req *, struct oms_resp *);
/* POST /invoices/{id}/resend: the documents again, a new message. */
void oms_h_invoice_resend(struct oms_req *, struct oms_resp *);

#endif /* OMS_DISTPAGE_H */

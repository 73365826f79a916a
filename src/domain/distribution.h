/*
 * distribution.h: the documents of an issued invoice sent to the
 * customer (issue 10, item 5; docs/integration-guide.md, "Documents by
 * mail").
 *
 * When a billing run issues a customer's invoice (billing.c, in the
 * invoice's own unit of work) oms_dist_invoice_issued() writes one
 * outbox message of kind SendDocuments (docs/exchange/
 * SendDocuments.xsd) for it, keyed (system, "invoice:ID", 1), so an
 * invoice is distributed exactly once whatever happens to the run:
 *   method mail (the default)  system "mail", to the customer's billing
 *                              contacts (none: nothing is queued)
 *   method drop                the exchange system drop_system (an XML
 *                              file drop), no recipients
 *   method none                nothing: the pages only
 * The mail adapter (backends/exchange/smtp.c) attaches the invoice's
 * stored PDFs; while they are not made yet it answers "retry".  A
 * resend (oms_dist_resend) is a new message with a new message id
 * (seq_key "invoice:ID/resend:N"), audited.
 */
#ifndef OMS_DISTRIBUTION_H
#define OMS_DISTRIBUTION_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_store;

/* The exchange system (a section [exchange mail]) documents are mailed
 * through. */
#define OMS_DIST_MAIL_SYSTEM "mail"
/* The outbox kind of a document message. */
#define OMS_DIST_KIND "SendDocuments"
/* Billing contacts a customer may have (and recipients of a message). */
#define OMS_DIST_MAX_CONTACTS 20

enum oms_dist_method {
	OMS_DIST_MAIL, /* to the billing contacts */
	OMS_DIST_DROP, /* an XML file drop, exchange system drop_system */
	OMS_DIST_NONE, /* not sent */
	OMS_DIST__MAX
};
/* "mail", "drop", "none". */
extern const char *const oms_dist_method_names[OMS_DIST__MAX];

/* A billing contact (strings in the caller's arena). */
struct oms_contact {
	int64_t id;
	const char *email;
	const char *name;       /* or NULL */
	const char *created_at;
};

/* A SendDocuments message as read back (oms_dist_parse). */
struct oms_dist_msg {
	const char *message_id;
	int64_t invoice;        /* the invoice's id */
	int64_t number;         /* its number */
	const char *period;     /* YYYY-MM */
	const char *customer_code;
	const char *customer_name;
	const char *method;     /* "mail" or "drop" */
	int resend;             /* 1: an operator's resend */
	const char *to[OMS_DIST_MAX_CONTACTS];      /* addresses */
	const char *to_name[OMS_DIST_MAX_CONTACTS]; /* or NULL */
	size_t nto;
	const char *doc_kind[2]; /* "invoice", "report" */
	const char *doc_name[2]; /* CUSTOMER-YYYY-MM-invoice.pdf, ... */
	size_t ndocs;
};

/* One message of an invoice's documents, for its page. */
struct oms_dist_status {
	int64_t outbox_id;
	const char *message_id;
	const char *system;
	const char *state;       /* the outbox state's name */
	int64_t attempts;
	const char *last_error;  /* or NULL */
	const char *delivered_at; /* or NULL */
	const char *created_at;
	const char *updated_at;
	const char *recipients;  /* "a@x, b@y", or "" for a file drop */
	int resend;              /* 1: an operator's resend */
};

/*
 * Inside the caller's unit of work (the one that wrote the invoice):
 * the SendDocuments message of issued invoice `invoice`, as its
 * customer's delivery method says (nothing for 'none', or 'mail' with
 * no contacts).  OMS_OK, or the store's error (the unit then rolls
 * back, invoice and all).
 */
enum oms_err oms_dist_invoice_issued(struct oms_store *, struct oms_arena *a,
    int64_t invoice);

/*
 * Send invoice's documents again as a new message to the current
 * contacts (or drop system), audited for actor (entity "invoice").
 * Own unit of work.  OMS_OK with *outbox the new row's id;
 * OMS_ERR_NOTFOUND (no such invoice); OMS_ERR_CONFLICT with *why when
 * a message of the invoice is still waiting (pending, sending or
 * unknown) or the customer has no way to receive them (method none,
 * no contacts); the store's error.
 */
enum oms_err oms_dist_resend(struct oms_store *, struct oms_arena *a,
    const struct oms_actor *actor, int64_t invoice, int64_t *outbox,
    const char **why);

/* The messages of invoice's documents, oldest first, in arena a. */
enum oms_err oms_dist_status(struct oms_store *, struct oms_arena *a,
    int64_t invoice, struct oms_dist_status **out, size_t *n);

/* The customer whose code is code: *id (and *name in a when name is
 * not NULL).  OMS_OK, OMS_ERR_NOTFOUND or the store's error. */
enum oms_err oms_dist_customer(struct oms_store *, struct oms_arena *a,
    const char *code, int64_t *id, const char **name);

/* Customer's billing contacts by address, in arena a. */
enum oms_err oms_dist_contacts(struct oms_store *, struct oms_arena *a,
    int64_t customer, struct oms_contact **out, size_t *n);

/* Customer's delivery method in *m and, for drop, its system in
 * *drop_system (arena a; NULL otherwise).  No row: mail. */
enum oms_err oms_dist_method(struct oms_store *, struct oms_arena *a,
    int64_t customer, enum oms_dist_method *m, const char **drop_system);

/*
 * Add (or remove) a billing contact of customer, audited (entity
 * "customer", its id).  Own unit.  OMS_OK; OMS_ERR_INVAL for an
 * address that is not one (oms_dist_email_ok) or a name over 100
 * bytes; OMS_ERR_CONFLICT when it is there already (add) or the
 * customer has OMS_DIST_MAX_CONTACTS; OMS_ERR_NOTFOUND when it is not
 * (remove); the store's error.
 */
enum oms_err oms_dist_contact_add(struct oms_store *, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, const char *email,
    const char *name);
enum oms_err oms_dist_contact_remove(struct oms_store *, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, const char *email);

/*
 * Set customer's delivery method (drop_system: the exchange system of
 * a drop, required for it and NULL otherwise), audited.  Own unit.
 * OMS_OK, OMS_ERR_INVAL, the store's error.
 */
enum oms_err oms_dist_method_set(struct oms_store *, struct oms_arena *a,
    const struct oms_actor *actor, int64_t customer, enum oms_dist_method m,
    const char *drop_system);

/*
 * 1 when s is a plain mail address that may go into a header: at most
 * 254 bytes, one '@' with something before it, a domain of dotted
 * labels (letters, digits, '-') after it, printable ASCII without
 * space, quotes, brackets, commas or semicolons; else 0.
 */
int oms_dist_email_ok(const char *s);

/*
 * Read a SendDocuments message (our own canonical XML) into *out,
 * strings in arena a.  OMS_OK; OMS_ERR_XML when it is not one (with
 * the reason in err); OMS_ERR_NOMEM.
 */
enum oms_err oms_dist_parse(const char *xml, size_t len, struct oms_arena *a,
    struct oms_dist_msg *out, char *err, size_t errsz);

/* Index of name in oms_dist_method_names, or -1. */
int oms_dist_method_lookup(const char *name);

#endif /* OMS_DISTRIBUTION_H */

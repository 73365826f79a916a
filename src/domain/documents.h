/*
 * documents.h: the documents of an issued invoice, stored with it
 * (issue 9, item 6; migration 0008).
 *
 * The billing job renders them once after a period is issued (the
 * Summary Invoice and the Billing Report, each as a page fragment that
 * the pages splice in, as printable HTML and as PDF) and stores them
 * here; the pages serve the stored bytes.  An issued invoice's
 * documents never change: a document is written once, and a second
 * write of the same invoice and kind is ignored.  Rendering is the web
 * layer's (billdocs.h); this module only stores and reads.
 */
#ifndef OMS_DOCUMENTS_H
#define OMS_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_arena;
struct oms_store;

enum oms_doc_kind {
	OMS_DOC_INVOICE_HTML,   /* the invoice page's body, spliced in */
	OMS_DOC_INVOICE_PRINT,  /* the printable invoice, a whole page */
	OMS_DOC_INVOICE_PDF,    /* the invoice as PDF */
	OMS_DOC_REPORT_HTML,    /* the report page's body */
	OMS_DOC_REPORT_PRINT,   /* the printable report */
	OMS_DOC_REPORT_PDF,     /* the report as PDF */
	OMS_DOC__MAX
};

/* The stored name of each kind ("invoice.pdf") and its media type. */
extern const char *const oms_doc_names[OMS_DOC__MAX];
extern const char *const oms_doc_media[OMS_DOC__MAX];

/*
 * Store document kind of invoice: len bytes at body.  Ignored (OMS_OK)
 * when the invoice already has one of that kind: the first stored
 * stays.  Runs inside the caller's unit of work or on its own.
 * OMS_OK, or the store's error.
 */
enum oms_err oms_doc_put(struct oms_store *, int64_t invoice,
    enum oms_doc_kind kind, const void *body, size_t len);

/*
 * The stored document kind of invoice: *body (in arena a, followed by
 * a NUL byte not counted) and *len.  OMS_ERR_NOTFOUND when it has not
 * been rendered yet; OMS_ERR_NOMEM; the store's error.  The caller has
 * checked that the user may see the invoice.
 */
enum oms_err oms_doc_get(struct oms_store *, struct oms_arena *a,
    int64_t invoice, enum oms_doc_kind kind, const char **body,
    size_t *len);

/*
 * Up to max ids (in arena a) of issued invoices below before (0: no
 * bound) that have no document of kind, newest first (the latest
 * invoices are the ones read), in *ids and *n.  OMS_OK (with *n 0 when
 * none), OMS_ERR_NOMEM, or the store's error.
 */
enum oms_err oms_doc_pending(struct oms_store *, struct oms_arena *a,
    enum oms_doc_kind kind, int64_t before, size_t max, int64_t **ids,
    size_t *n);

/*
 * As oms_doc_pending, of invoices of at most max_lines lines (0: any):
 * the PDFs, which the browser cannot make of very long invoices.
 */
enum oms_err oms_doc_pending_short(struct oms_store *, struct oms_arena *a,
    enum oms_doc_kind kind, int64_t before, int64_t max_lines, size_t max,
    int64_t **ids, size_t *n);

/* The number of lines of issued invoice id in *n. */
enum oms_err oms_doc_lines(struct oms_store *, int64_t invoice, int64_t *n);

/* How many issued invoices have no document of kind, in *n. */
enum oms_err oms_doc_pending_count(struct oms_store *,
    enum oms_doc_kind kind, int64_t *n);

/*
 * Which kinds invoice has, as bits (1 << kind) in *have.  OMS_OK or
 * the store's error.
 */
enum oms_err oms_doc_kinds(struct oms_store *, int64_t invoice,
    unsigned *have);

/*
 * The heading of issued invoice id within customer scope (0: every
 * customer; as oms_invoice_get) into *inv, without its lines, taxes,
 * outstanding invoices or report rows (zeroed): id, number, customer,
 * period, customer code and name, country.  Strings in arena a.
 * OMS_OK; OMS_ERR_NOTFOUND (none, or out of scope); the store's error.
 */
struct oms_invoice;
enum oms_err oms_doc_invoice_head(struct oms_store *, struct oms_arena *a,
    int64_t id, int64_t customer_scope, struct oms_invoice *inv);

#endif /* OMS_DOCUMENTS_H */

/*
 * view.h: XML view documents and the stylesheets that render them.
 *
 * Stylesheets are compiled once per worker into a cache indexed by enum
 * oms_sheet.  Every transform gets its own context whose security
 * preferences forbid file writes, directory creation and network
 * access.  The result is serialized into memory that the request's
 * arena frees.
 */
#ifndef OMS_VIEW_H
#define OMS_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "oms.h"
#include "xmlmem.h"

struct oms_arena;

enum oms_sheet {
	OMS_SHEET_CUSTOMERS,  /* customers.xsl */
	OMS_SHEET_SITES,      /* sites.xsl */
	OMS_SHEET_ASSETS,     /* assets.xsl */
	OMS_SHEET_ASSETS_CSV, /* assets-csv.xsl */
	OMS_SHEET_ERROR,      /* error.xsl */
	OMS_SHEET_LOGIN,      /* login.xsl */
	OMS_SHEET_USERS,      /* users.xsl */
	OMS_SHEET_USER,       /* user.xsl */
	OMS_SHEET_AUDIT,      /* audit.xsl */
	OMS_SHEET_CATALOG,    /* catalog.xsl */
	OMS_SHEET_PRODUCT,    /* product.xsl */
	OMS_SHEET_IMPORT,     /* import.xsl */
	OMS_SHEET_ASSET,      /* asset.xsl */
	OMS_SHEET_ORDERS,     /* orders.xsl */
	OMS_SHEET_ORDERS_CSV, /* orders-csv.xsl */
	OMS_SHEET_ORDER,      /* order.xsl */
	OMS_SHEET_ORDER_NEW,  /* order-new.xsl */
	OMS_SHEET_INVOICES,   /* invoices.xsl */
	OMS_SHEET_INVOICE,    /* invoice.xsl */
	OMS_SHEET_INVOICE_PRINT, /* invoice-print.xsl */
	OMS_SHEET_REPORT,     /* report.xsl */
	OMS_SHEET_REPORT_CSV, /* report-csv.xsl */
	OMS_SHEET_REPORT_PRINT, /* report-print.xsl */
	OMS_SHEET_STATEMENT,  /* statement.xsl */
	OMS_SHEET_BILLING,        /* billing.xsl */
	OMS_SHEET_BILLING_RUN,    /* billing-run.xsl */
	OMS_SHEET_PAYMENTS,       /* payments.xsl */
	OMS_SHEET_PAYMENTS_NEW,   /* payments-new.xsl */
	OMS_SHEET_ADJUSTMENTS,    /* adjustments.xsl */
	OMS_SHEET_ADJUSTMENTS_NEW, /* adjustments-new.xsl */
	OMS_SHEET_INVOICE_BODY,   /* invoice-body.xsl */
	OMS_SHEET_REPORT_BODY,    /* report-body.xsl */
	OMS_SHEET_INTEGRATION,    /* integration.xsl */
	OMS_SHEET_INTEGRATION_CSV, /* integration-csv.xsl */
	OMS_SHEET_INTEGRATION_MESSAGE, /* integration-message.xsl */
	OMS_SHEET_RECONCILE,      /* reconcile.xsl */
	OMS_SHEET_RECONCILE_CSV,  /* reconcile-csv.xsl */
	OMS_SHEET__MAX
};

#define OMS_SHEET_NONE OMS_SHEET__MAX

extern const char *const oms_sheet_files[OMS_SHEET__MAX];

struct oms_views;

/*
 * One-time library set-up, before any fork: allocator, parser, EXSLT,
 * and the stylesheet loader: xsl:import, xsl:include and document()
 * read only local files under the folder given to oms_views_load(),
 * with no network, no entities and no DTD, and refuse a DOCTYPE.  The
 * default security preferences forbid network access, file writes and
 * directory creation, and file reads outside that folder.
 */
void oms_views_init(void);
/*
 * Compile every stylesheet of dir.  On failure *out is NULL and the
 * log names the file that failed.
 */
enum oms_err oms_views_load(const char *dir, struct oms_views **out);
/* Free the cache; accepts NULL, clears *. */
void oms_views_free(struct oms_views **);

/*
 * Transform doc with a stylesheet.  *out (in the arena) and *len get
 * the serialized result; *media the stylesheet's media type ("text/html").
 * A document whose building failed (oms_doc_failed()) is refused, and
 * so is a render during which any allocation failed: OMS_ERR_NOMEM (or
 * OMS_ERR_XML), *out NULL, never a shorter page.
 */
enum oms_err oms_view_render(struct oms_views *, enum oms_sheet,
    xmlDocPtr doc, struct oms_arena *, const char **out, size_t *len,
    const char **media);
/* Serialize doc itself as UTF-8 XML into the arena; refuses a failed
 * document as oms_view_render() does. */
enum oms_err oms_view_xml(xmlDocPtr doc, struct oms_arena *,
    const char **out, size_t *len);

/*
 * Building documents.  A new document is registered on the arena and
 * freed with it.  Attribute and text values are copied and escaped on
 * output; NULL values add nothing.
 *
 * Builders need not check every call: a call that fails (out of
 * memory) returns NULL and latches the failure on the document, and a
 * call on a NULL parent does nothing, so a builder may carry on and
 * the document is refused at rendering.  oms_doc_new() returns NULL
 * (and *rootp NULL) when out of memory.
 */
xmlDocPtr oms_doc_new(struct oms_arena *, const char *root, xmlNodePtr *rootp);
/*
 * 1 when doc is NULL, or a builder call on it failed, or any libxml2
 * allocation failed since it was made (libxml2 drops some failures
 * silently); 0 for a complete document, and for one not made by
 * oms_doc_new().  oms_view_render() and oms_view_xml() check it; a
 * pipeline that does anything else with a document (a status chosen
 * before rendering) should check it first and answer 500.
 */
int oms_doc_failed(const struct _xmlDoc *doc);
/* Mark doc as failed (a builder that hit an error of its own midway);
 * accepts NULL. */
void oms_doc_fail(xmlDocPtr doc);
xmlNodePtr oms_node(xmlNodePtr parent, const char *name);
xmlNodePtr oms_node_text(xmlNodePtr parent, const char *name, const char *text);
void oms_attr(xmlNodePtr, const char *name, const char *value);
void oms_attr_int(xmlNodePtr, const char *name, int64_t value);

/*
 * Mapping stylesheets of the legacy exchange ([exchange NAME]
 * request_xsl and reply_xsl, xslt/exchange/): one stylesheet compiled
 * on its own, outside the views, read with the same hardening (no
 * DOCTYPE, no network, xsl:import only under the folder dir), applied
 * to an XML text rather than a built document.
 */
struct oms_xmap;

/*
 * Compile the stylesheet at path (relative to dir unless absolute);
 * dir (xslt_dir) is also where its imports may come from, and becomes
 * the views' folder when oms_views_load() has not set one.
 * oms_views_init() must have run.  *out the caller's to oms_xmap_free().
 * OMS_OK; OMS_ERR_IO, OMS_ERR_XML or OMS_ERR_NOMEM with one line in err.
 */
enum oms_err oms_xmap_load(const char *dir, const char *path,
    struct oms_xmap **out, char *err, size_t errsz);

/*
 * Apply m to the len bytes of XML at in (read with oms_xml_read(): a
 * DOCTYPE, a deep or oversized input are refused), with the string
 * parameters params (name, value, ..., NULL; values are passed as
 * strings, never evaluated as XPath; params may be NULL).  The
 * serialized result goes into arena a as *out (NUL-terminated) and
 * *outlen.  OMS_OK; OMS_ERR_XML (input not XML, transform failed) or
 * OMS_ERR_TOOBIG or OMS_ERR_NOMEM with one line in err.
 */
enum oms_err oms_xmap_apply(struct oms_xmap *m, const char *in, size_t len,
    const char *const *params, struct oms_arena *a, const char **out,
    size_t *outlen, char *err, size_t errsz);

/* Free m; accepts NULL, clears *mp. */
void oms_xmap_free(struct oms_xmap **mp);

#endif /* OMS_VIEW_H */

/*
 * billdocs.h: the documents of issued invoices, rendered once and
 * stored with the invoice (issue 9, item 6; documents.h stores them).
 *
 * After a period is issued, the billing job (src/cmd/job.c) or `omsctl
 * bill documents` renders for each invoice, from the same XML as the
 * pages: the body of the invoice page and of the report page (spliced
 * into those pages when served), the printable invoice and report
 * (served whole), and their PDFs, made from the printable pages by
 * [billing] pdf_renderer (oms-render-pdf, headless Chromium).  Pages
 * are rendered for every pending invoice first (cheap), then PDFs in
 * batches (a second or so each).  The pages serve the stored bytes
 * when they are there and render live until then; a PDF not yet made
 * is a clear "not rendered yet" answer.
 */
#ifndef OMS_BILLDOCS_H
#define OMS_BILLDOCS_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>

#include "billing.h"
#include "oms.h"

struct oms_arena;
struct oms_store;
struct oms_views;

/*
 * <links .../> under root: the addresses of invoice inv's documents
 * for the stylesheets, and its paper size.  have: the stored kinds
 * (bits 1 << enum oms_doc_kind, documents.h): the PDF links are given
 * only for stored PDFs.  css: NULL, or the address of print.css for a
 * copy rendered outside the web server (the PDF renderer's).
 */
void oms_billdocs_links(struct oms_arena *, xmlNodePtr root,
    const struct oms_invoice *inv, unsigned have, const char *css);

/* <orders> under root: the order behind each one-time line of invoice
 * id, for the lines' links.  OMS_OK or the store's error. */
enum oms_err oms_billdocs_orders(struct oms_store *, struct oms_arena *,
    xmlNodePtr root, int64_t invoice);

/* What the renderer of PDFs runs with. */
struct oms_billdocs_pdf {
	const char *renderer;   /* the program; "" or NULL: make none */
	const char *css_file;   /* absolute path of print.css */
	int64_t max_lines;      /* invoices with more lines get no PDF
	                         * ([billing] pdf_max_lines); 0: no limit */
	/*
	 * Called after each invoice rendered and about every 100 ms while
	 * the renderer runs (to renew a lease, to see a stop request; it
	 * should return at once); 0 stops: the renderer is killed and the
	 * batch dropped.  NULL: never stops.
	 */
	int (*tick)(void *arg);
	void *arg;
};

/*
 * Render and store the page bodies and printable pages of up to max
 * issued invoices that have none, newest first, each invoice in its
 * own unit of work; p->tick (when not NULL) is called after each
 * invoice.  *done counts the invoices stored.  OMS_OK (with *done 0
 * when none was pending); OMS_ERR_DENIED when tick said stop; the
 * first error otherwise (what was stored stays).
 */
enum oms_err oms_billdocs_pages(struct oms_store *, struct oms_views *,
    const struct oms_billdocs_pdf *p, size_t max, size_t *done);

/*
 * Render and store the invoice and report PDFs of up to max issued
 * invoices with an id below *before (0: any) and at most p->max_lines
 * lines that have none, newest first, in one run of the renderer; when that run fails, each invoice
 * again alone, and one that still fails is skipped (logged; *before
 * moves past it, so the next call goes on with the others).  *done counts the invoices
 * stored, *failed those skipped.  OMS_OK; OMS_ERR_DENIED when tick
 * said stop; OMS_ERR_CONFIG when the renderer cannot run at all
 * (missing: nothing is skipped); the store's error.
 */
enum oms_err oms_billdocs_pdfs(struct oms_store *, struct oms_views *,
    const struct oms_billdocs_pdf *, int64_t *before, size_t max,
    size_t *done, size_t *failed);

#endif /* OMS_BILLDOCS_H */

/*
 * view.c: the stylesheet cache, its loader, transforms, and document
 * building.
 *
 * Memory: a failed allocation anywhere on the way from building a
 * document to its serialized page must end in an error, never in a
 * page that lacks a part and is served as complete.  libxml2 and
 * libxslt drop some failures silently (a text child that could not be
 * made, a result buffer that could not grow), so besides the return
 * values this file compares the count of failed allocations of
 * src/core/xmlmem.c before and after: a document remembers the count
 * when it is made (and a latch that builders set when a call returns
 * NULL), and rendering refuses a document whose count moved.
 * tests/unit/test_view.c fails every allocation in turn to prove it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libexslt/exslt.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <libxml/uri.h>
#include <libxslt/documents.h>
#include <libxslt/imports.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/variables.h>
#include <libxslt/xsltutils.h>

#include "arena.h"
#include "view.h"
#include "xmlin.h"
#include "xmlmem.h"

const char *const oms_sheet_files[OMS_SHEET__MAX] = {
	"pages/customers.xsl",  /* OMS_SHEET_CUSTOMERS */
	"pages/sites.xsl",      /* OMS_SHEET_SITES */
	"pages/assets.xsl",     /* OMS_SHEET_ASSETS */
	"pages/assets-csv.xsl", /* OMS_SHEET_ASSETS_CSV */
	"pages/error.xsl",      /* OMS_SHEET_ERROR */
	"pages/login.xsl",      /* OMS_SHEET_LOGIN */
	"pages/users.xsl",      /* OMS_SHEET_USERS */
	"pages/user.xsl",       /* OMS_SHEET_USER */
	"pages/audit.xsl",      /* OMS_SHEET_AUDIT */
	"pages/catalog.xsl",    /* OMS_SHEET_CATALOG */
	"pages/product.xsl",    /* OMS_SHEET_PRODUCT */
	"pages/import.xsl",     /* OMS_SHEET_IMPORT */
	"pages/asset.xsl",      /* OMS_SHEET_ASSET */
	"pages/orders.xsl",     /* OMS_SHEET_ORDERS */
	"pages/orders-csv.xsl", /* OMS_SHEET_ORDERS_CSV */
	"pages/order.xsl",      /* OMS_SHEET_ORDER */
	"pages/order-new.xsl",  /* OMS_SHEET_ORDER_NEW */
	"pages/invoices.xsl",   /* OMS_SHEET_INVOICES */
	"pages/invoice.xsl",    /* OMS_SHEET_INVOICE */
	"pages/invoice-print.xsl", /* OMS_SHEET_INVOICE_PRINT */
	"pages/report.xsl",     /* OMS_SHEET_REPORT */
	"pages/report-csv.xsl", /* OMS_SHEET_REPORT_CSV */
	"pages/report-print.xsl", /* OMS_SHEET_REPORT_PRINT */
	"pages/statement.xsl",  /* OMS_SHEET_STATEMENT */
	"pages/billing.xsl",    /* OMS_SHEET_BILLING */
	"pages/billing-run.xsl", /* OMS_SHEET_BILLING_RUN */
	"pages/payments.xsl",   /* OMS_SHEET_PAYMENTS */
	"pages/payments-new.xsl", /* OMS_SHEET_PAYMENTS_NEW */
	"pages/adjustments.xsl", /* OMS_SHEET_ADJUSTMENTS */
	"pages/adjustments-new.xsl", /* OMS_SHEET_ADJUSTMENTS_NEW */
	"pages/invoice-body.xsl",    /* OMS_SHEET_INVOICE_BODY */
	"pages/report-body.xsl",     /* OMS_SHEET_REPORT_BODY */
	"pages/integration.xsl",     /* OMS_SHEET_INTEGRATION */
	"pages/integration-csv.xsl", /* OMS_SHEET_INTEGRATION_CSV */
	"pages/integration-message.xsl", /* OMS_SHEET_INTEGRATION_MESSAGE */
	"pages/reconcile.xsl",       /* OMS_SHEET_RECONCILE */
	"pages/reconcile-csv.xsl",   /* OMS_SHEET_RECONCILE_CSV */
};

/*
 * One dictionary of names for the stylesheets and every view document
 * of this process: element and attribute names are interned once, so
 * building a document allocates no copies of them and XPath name tests
 * during transforms compare pointers.  The set of names is fixed by the
 * code, so the dictionary does not grow with requests.
 */
static xmlDictPtr names;

/*
 * The stylesheet folder (xslt_dir) with every symbolic link resolved,
 * set by oms_views_load(): the only place stylesheets, their imports
 * and documents they name may be read from.  Empty: nothing may be.
 */
static char sheet_root[PATH_MAX];

/*
 * Security preferences for whatever libxslt does without a transform
 * context of ours (compiling stylesheets, xsl:import): network reads
 * and writes, file writes and directory creation forbidden, file reads
 * only under sheet_root.  Process-wide, made once by oms_views_init().
 */
static xsltSecurityPrefsPtr default_sec;

struct oms_views {
	xsltStylesheetPtr sheets[OMS_SHEET__MAX]; /* compiled */
	const char *media[OMS_SHEET__MAX];        /* their media types */
	xsltSecurityPrefsPtr sec;                 /* shared, read-only */
};

/*
 * What a view document carries beside its tree, in the document's
 * _private (libxml2 leaves that field to the application; libxslt uses
 * it only on its own result fragments).  Lives in the request arena.
 */
struct docstate {
	unsigned long failures; /* oms_xmlmem_failures() when made */
	int failed;             /* 1 once a builder call failed */
};

/* Silence libxml2's default error printing; errors are logged by us. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * 1 when path names an existing file under sheet_root once every ".."
 * and symbolic link is resolved; the resolved name goes into real
 * (PATH_MAX bytes).  0 otherwise, and for everything when no folder
 * is set.
 */
static int
under_root(const char *path, char *real)
{
	size_t n = strlen(sheet_root);

	if (n == 0 || path == NULL || realpath(path, real) == NULL)
		return 0;
	return strncmp(real, sheet_root, n) == 0 && real[n] == '/';
}

/*
 * XSLT_SECPREF_READ_FILE check of the default preferences: allow a
 * file under the stylesheet folder, refuse any other.  Returns 1 to
 * allow, 0 to refuse (libxslt then logs "Local file read for X
 * refused").
 */
static int
read_under_root(xsltSecurityPrefsPtr sec, xsltTransformContextPtr ctx,
    const char *path)
{
	char real[PATH_MAX];

	(void)sec;
	(void)ctx;
	if (under_root(path, real))
		return 1;
	oms_error("views: reading %s refused: not a file under %s",
	    path ? path : "(none)", sheet_root[0] ? sheet_root : "(no folder)");
	return 0;
}

/*
 * libxslt's document loader, for xsl:import and xsl:include
 * (XSLT_LOAD_STYLESHEET) and document() (XSLT_LOAD_DOCUMENT): only a
 * local file under the stylesheet folder, read by oms_xml_read_file():
 * no network, no entities, no DTD, a DOCTYPE refused.  The options
 * libxslt asks for (entity substitution, DTD attributes) are ignored
 * on purpose.  Returns the document, which libxslt frees, or NULL
 * after logging why.
 */
static xmlDocPtr
load_sheet_doc(const xmlChar *uri, xmlDictPtr dict, int options, void *ctxt,
    xsltLoadType type)
{
	const char *what = type == XSLT_LOAD_DOCUMENT ? "document()" :
	    "xsl:import";
	char real[PATH_MAX], err[256];
	xmlURIPtr u;
	xmlDocPtr d = NULL;
	int local;

	(void)options;
	(void)ctxt;
	if ((u = xmlParseURI((const char *)uri)) == NULL) {
		oms_error("views: %s of %s refused: not a URI", what,
		    (const char *)uri);
		return NULL;
	}
	local = (u->scheme == NULL || strcmp(u->scheme, "file") == 0) &&
	    (u->server == NULL || u->server[0] == '\0' ||
	    strcmp(u->server, "localhost") == 0) &&
	    u->query == NULL && under_root(u->path, real);
	xmlFreeURI(u);
	if (!local) {
		oms_error("views: %s of %s refused: not a file under %s", what,
		    (const char *)uri, sheet_root[0] ? sheet_root : "(no folder)");
		return NULL;
	}
	if (oms_xml_read_file(real, NULL, dict, &d, err, sizeof(err)) != OMS_OK) {
		oms_error("views: %s of %s refused: %s", what, real, err);
		return NULL;
	}
	return d;
}

/* Set the forbidding preferences on sec, reading files with read_fn
 * (xsltSecurityForbid, or read_under_root).  OMS_ERR_NOMEM on failure. */
static enum oms_err
forbid(xsltSecurityPrefsPtr sec, xsltSecurityCheck read_fn)
{
	if (sec == NULL ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, read_fn) != 0)
		return OMS_ERR_NOMEM;
	return OMS_OK;
}

/*
 * One-time library set-up, before any fork: our allocator, the parser,
 * EXSLT, the stylesheet loader and the default security preferences.
 * Aborts when the preferences cannot be made (start-up, out of memory).
 */
void
oms_views_init(void)
{
	static int done;

	if (done++)
		return;
	oms_xmlmem_install();
	xmlInitParser();
	exsltRegisterAll();
	/* Nothing parsed with libxml2's defaults substitutes entities or
	 * loads a DTD; stylesheets and their imports go through
	 * load_sheet_doc(), which refuses a DOCTYPE outright. */
	xmlSubstituteEntitiesDefault(0);
	xmlLoadExtDtdDefaultValue = 0;
	xsltSetLoaderFunc(load_sheet_doc);
	default_sec = xsltNewSecurityPrefs();
	if (forbid(default_sec, read_under_root) != OMS_OK) {
		oms_error("views: cannot make the default security preferences");
		abort();
	}
	xsltSetDefaultSecurityPrefs(default_sec);
}

static void xslt_error(void *ctx, const char *msg, ...)
	__attribute__((format(printf, 2, 3)));

/* Log libxslt's messages through our logger.  The format is
 * libxml2's own (a printf-style callback), never request data. */
static void
xslt_error(void *ctx, const char *msg, ...)
{
	char buf[512];
	va_list ap;
	size_t n;

	(void)ctx;
	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n > 0)
		oms_error("xslt: %s", buf);
}

/*
 * Compile every stylesheet of dir.  On failure *out is NULL and the
 * log names the file that failed.  OMS_ERR_NOMEM, OMS_ERR_CONFIG (dir
 * does not exist) or OMS_ERR_XML.  Free with oms_views_free().
 */
enum oms_err
oms_views_load(const char *dir, struct oms_views **out)
{
	struct oms_views *v;

	*out = NULL;
	if (names == NULL && (names = xmlDictCreate()) == NULL)
		return OMS_ERR_NOMEM;
	if (realpath(dir, sheet_root) == NULL) {
		oms_error("views: %s: %s", dir, strerror(errno));
		sheet_root[0] = '\0';
		return OMS_ERR_CONFIG;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return OMS_ERR_NOMEM;
	xsltSetGenericErrorFunc(NULL, xslt_error);
	xmlSetGenericErrorFunc(NULL, xslt_error);
	if (forbid(v->sec = xsltNewSecurityPrefs(), xsltSecurityForbid) !=
	    OMS_OK) {
		oms_views_free(&v);
		return OMS_ERR_NOMEM;
	}
	for (int i = 0; i < OMS_SHEET__MAX; i++) {
		char path[PATH_MAX + 64], err[256];
		xmlDocPtr d = NULL;
		const xmlChar *mt = NULL;
		enum oms_err e;

		snprintf(path, sizeof(path), "%s/%s", sheet_root,
		    oms_sheet_files[i]);
		if ((e = oms_xml_read_file(path, NULL, names, &d, err,
		    sizeof(err))) != OMS_OK)
			oms_error("views: %s: %s", path, err);
		if (d == NULL || (v->sheets[i] = xsltParseStylesheetDoc(d)) == NULL) {
			oms_error("views: cannot compile %s", path);
			xmlFreeDoc(d);
			oms_views_free(&v);
			xmlSetGenericErrorFunc(NULL, quiet);
			return e == OMS_ERR_NOMEM ? e : OMS_ERR_XML;
		}
		if (v->sheets[i]->mediaType != NULL)
			mt = v->sheets[i]->mediaType;
		else if (v->sheets[i]->method != NULL &&
		    xmlStrEqual(v->sheets[i]->method, BAD_CAST "text"))
			mt = BAD_CAST "text/plain";
		else if (v->sheets[i]->method != NULL &&
		    xmlStrEqual(v->sheets[i]->method, BAD_CAST "html"))
			mt = BAD_CAST "text/html";
		else
			mt = BAD_CAST "application/xml";
		v->media[i] = (const char *)mt;
	}
	xmlSetGenericErrorFunc(NULL, quiet);
	*out = v;
	return OMS_OK;
}

/* Free the cache; accepts NULL, clears *vp. */
void
oms_views_free(struct oms_views **vp)
{
	struct oms_views *v;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	for (int i = 0; i < OMS_SHEET__MAX; i++)
		if (v->sheets[i] != NULL)
			xsltFreeStylesheet(v->sheets[i]);
	if (v->sec != NULL)
		xsltFreeSecurityPrefs(v->sec);
	free(v);
	*vp = NULL;
}

/* Arena cleanup: free a document. */
static void
free_doc(void *p)
{
	xmlFreeDoc(p);
}

/* Arena cleanup: free libxml2 memory. */
static void
free_mem(void *p)
{
	xmlFree(p);
}

/*
 * Serialize the transform result res as style says into the arena:
 * *out (NUL-terminated, valid until the arena is reset) and *len.  What
 * xsltSaveResultToString() does, except that a write that failed (an
 * output buffer that could not grow) is an error here rather than a
 * shorter string.  OMS_ERR_NOMEM or OMS_ERR_XML on failure.
 */
static enum oms_err
save(xmlDocPtr res, xsltStylesheetPtr style, struct oms_arena *a,
    const char **out, size_t *len)
{
	const xmlChar *encoding;
	xmlCharEncodingHandlerPtr enc = NULL;
	xmlOutputBufferPtr ob;
	const xmlChar *content;
	enum oms_err e = OMS_OK;
	size_t n;
	char *p;

	XSLT_GET_IMPORT_PTR(encoding, style, encoding)
	if (encoding != NULL) {
		if ((enc = xmlFindCharEncodingHandler((const char *)encoding)) ==
		    NULL) {
			oms_error("views: no encoder for %s", encoding);
			return OMS_ERR_XML;
		}
		if (xmlStrcasecmp(BAD_CAST enc->name, BAD_CAST "UTF-8") == 0)
			enc = NULL;
	}
	if ((ob = xmlAllocOutputBuffer(enc)) == NULL)
		return OMS_ERR_NOMEM;
	if (res->children != NULL && xsltSaveResultTo(ob, res, style) < 0)
		e = OMS_ERR_NOMEM;
	content = xmlBufContent(ob->conv != NULL ? ob->conv : ob->buffer);
	n = xmlBufUse(ob->conv != NULL ? ob->conv : ob->buffer);
	if (e != OMS_OK || ob->error != 0 || content == NULL)
		e = OMS_ERR_NOMEM;
	else if ((p = oms_arena_alloc(a, n + 1)) == NULL)
		e = OMS_ERR_NOMEM;
	else {
		memcpy(p, content, n);
		p[n] = '\0';
		*out = p;
		*len = n;
	}
	xmlOutputBufferClose(ob);
	return e;
}

/*
 * Transform doc with stylesheet s into the arena (see view.h).  Refuses
 * a document whose building failed, and reports any allocation that
 * failed during the transform or the serialization, even one libxslt
 * ignored.  OMS_ERR_NOMEM or OMS_ERR_XML on failure, *out NULL.
 */
enum oms_err
oms_view_render(struct oms_views *v, enum oms_sheet s, xmlDocPtr doc,
    struct oms_arena *a, const char **out, size_t *len, const char **media)
{
	unsigned long f0 = oms_xmlmem_failures();
	xsltTransformContextPtr ctx;
	xmlDocPtr res;
	enum oms_err e;

	*out = NULL;
	*len = 0;
	if (oms_doc_failed(doc)) {
		oms_error("views: not rendering with %s: building the "
		    "document failed", oms_sheet_files[s]);
		return OMS_ERR_NOMEM;
	}
	if ((ctx = xsltNewTransformContext(v->sheets[s], doc)) == NULL)
		return OMS_ERR_NOMEM;
	xsltSetCtxtSecurityPrefs(v->sec, ctx);
	/* Fault injection in tests skips the transform itself: the XPath
	 * engine of libxml2 2.9.14 can crash on a failed allocation (see
	 * xmlmem.h).  A real failure there is still counted and refused
	 * below. */
	oms_xmlmem_fail_hold(1);
	res = xsltApplyStylesheetUser(v->sheets[s], doc, NULL, NULL, NULL, ctx);
	oms_xmlmem_fail_hold(0);
	if (res == NULL || ctx->state != XSLT_STATE_OK) {
		oms_error("views: transform with %s failed", oms_sheet_files[s]);
		e = oms_xmlmem_failures() != f0 ? OMS_ERR_NOMEM : OMS_ERR_XML;
	} else if ((e = save(res, v->sheets[s], a, out, len)) != OMS_OK)
		oms_error("views: serializing the result of %s failed",
		    oms_sheet_files[s]);
	xmlFreeDoc(res);
	xsltFreeTransformContext(ctx);
	if (e == OMS_OK && oms_xmlmem_failures() != f0) {
		oms_error("views: an allocation failed while rendering with %s",
		    oms_sheet_files[s]);
		e = OMS_ERR_NOMEM;
	}
	if (e != OMS_OK) {
		*out = NULL;
		*len = 0;
		return e;
	}
	*media = v->media[s];
	return OMS_OK;
}

/*
 * Serialize doc itself as UTF-8 XML into the arena (see view.h).
 * OMS_ERR_NOMEM when the document's building or its serialization
 * failed, *out NULL.
 */
enum oms_err
oms_view_xml(xmlDocPtr doc, struct oms_arena *a, const char **out,
    size_t *len)
{
	unsigned long f0 = oms_xmlmem_failures();
	xmlChar *buf = NULL;
	int n = 0;

	*out = NULL;
	*len = 0;
	if (oms_doc_failed(doc)) {
		oms_error("views: not serializing: building the document "
		    "failed");
		return OMS_ERR_NOMEM;
	}
	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	if (buf == NULL || oms_xmlmem_failures() != f0) {
		oms_error("views: serializing a document failed");
		xmlFree(buf);
		return OMS_ERR_NOMEM;
	}
	/* On failure the cleanup has already freed buf: never return it. */
	if (!oms_arena_defer(a, free_mem, buf))
		return OMS_ERR_NOMEM;
	*out = (const char *)buf;
	*len = (size_t)n;
	return OMS_OK;
}

/* Latch the failure of a builder call on n's document, if it is one of
 * ours. */
static void
latch(xmlNodePtr n)
{
	if (n != NULL && n->doc != NULL && n->doc->_private != NULL)
		((struct docstate *)n->doc->_private)->failed = 1;
}

/*
 * A new view document with a root element, registered on the arena
 * (see view.h).  NULL when out of memory (anything made is freed with
 * the arena).
 */
xmlDocPtr
oms_doc_new(struct oms_arena *a, const char *root, xmlNodePtr *rootp)
{
	struct docstate *st;
	xmlDocPtr d;
	xmlNodePtr r;

	*rootp = NULL;
	if ((st = oms_arena_alloc(a, sizeof(*st))) == NULL)
		return NULL;
	st->failures = oms_xmlmem_failures();
	st->failed = 0;
	if ((d = xmlNewDoc(BAD_CAST "1.0")) == NULL)
		return NULL;
	/* On failure the cleanup has already freed d. */
	if (!oms_arena_defer(a, free_doc, d))
		return NULL;
	d->_private = st;
	if (names != NULL) {
		d->dict = names;
		xmlDictReference(names);
	}
	if ((r = xmlNewDocNode(d, NULL, BAD_CAST root, NULL)) == NULL)
		return NULL;
	xmlDocSetRootElement(d, r);
	*rootp = r;
	return d;
}

/* 1 when doc is NULL or its building failed (see view.h). */
int
oms_doc_failed(const struct _xmlDoc *doc)
{
	const struct docstate *st;

	if (doc == NULL)
		return 1;
	if ((st = doc->_private) == NULL)
		return 0;
	return st->failed || oms_xmlmem_failures() != st->failures;
}

/* Mark doc as failed (see view.h); accepts NULL. */
void
oms_doc_fail(xmlDocPtr doc)
{
	if (doc != NULL && doc->_private != NULL)
		((struct docstate *)doc->_private)->failed = 1;
}

/* A child element of parent (see view.h); NULL, latched, on failure. */
xmlNodePtr
oms_node(xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;

	if (parent == NULL)
		return NULL;
	if ((n = xmlNewChild(parent, NULL, BAD_CAST name, NULL)) == NULL)
		latch(parent);
	return n;
}

/* A child element holding text (see view.h); NULL, latched, on
 * failure.  A text node that libxml2 failed to add silently is caught
 * by the failure count. */
xmlNodePtr
oms_node_text(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n;

	if (parent == NULL)
		return NULL;
	/* xmlNewTextChild escapes; xmlNewChild would parse entities. */
	if ((n = xmlNewTextChild(parent, NULL, BAD_CAST name,
	    BAD_CAST text)) == NULL)
		latch(parent);
	return n;
}

/* An attribute (see view.h); a failure is latched on the document. */
void
oms_attr(xmlNodePtr n, const char *name, const char *value)
{
	if (n != NULL && value != NULL &&
	    xmlNewProp(n, BAD_CAST name, BAD_CAST value) == NULL)
		latch(n);
}

/* An integer attribute (see view.h). */
void
oms_attr_int(xmlNodePtr n, const char *name, int64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, value);
	oms_attr(n, name, buf);
}

/*
 * A mapping stylesheet of the exchange (view.h): the compiled sheet
 * and the forbidding security preferences of its transforms.
 */
struct oms_xmap {
	xsltStylesheetPtr sheet;
	xsltSecurityPrefsPtr sec;
};

/* Free m (view.h); accepts NULL, clears *mp. */
void
oms_xmap_free(struct oms_xmap **mp)
{
	struct oms_xmap *m;

	if (mp == NULL || (m = *mp) == NULL)
		return;
	if (m->sheet != NULL)
		xsltFreeStylesheet(m->sheet);
	if (m->sec != NULL)
		xsltFreeSecurityPrefs(m->sec);
	free(m);
	*mp = NULL;
}

/*
 * Compile the mapping stylesheet path (relative to dir unless
 * absolute), see view.h.  The file itself is read wherever it is (the
 * configuration names it); its imports only under the views' folder.
 * OMS_OK, or OMS_ERR_IO / OMS_ERR_XML / OMS_ERR_NOMEM / OMS_ERR_CONFIG
 * with a line in err; *out NULL then.
 */
enum oms_err
oms_xmap_load(const char *dir, const char *path, struct oms_xmap **out,
    char *err, size_t errsz)
{
	char file[PATH_MAX + 1024], why[256];
	struct oms_xmap *m;
	xmlDocPtr d = NULL;
	enum oms_err e;

	*out = NULL;
	if (sheet_root[0] == '\0' && realpath(dir, sheet_root) == NULL) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		sheet_root[0] = '\0';
		return OMS_ERR_CONFIG;
	}
	if (path[0] == '/')
		snprintf(file, sizeof(file), "%s", path);
	else
		snprintf(file, sizeof(file), "%s/%s", dir, path);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return OMS_ERR_NOMEM;
	if (forbid(m->sec = xsltNewSecurityPrefs(), xsltSecurityForbid) !=
	    OMS_OK) {
		oms_xmap_free(&m);
		return OMS_ERR_NOMEM;
	}
	if ((e = oms_xml_read_file(file, NULL, NULL, &d, why, sizeof(why))) !=
	    OMS_OK) {
		snprintf(err, errsz, "%s: %s", file, why);
		oms_xmap_free(&m);
		return e;
	}
	xsltSetGenericErrorFunc(NULL, xslt_error);
	xmlSetGenericErrorFunc(NULL, xslt_error);
	m->sheet = xsltParseStylesheetDoc(d);
	xmlSetGenericErrorFunc(NULL, quiet);
	if (m->sheet == NULL) {
		xmlFreeDoc(d);
		snprintf(err, errsz, "%s: not a stylesheet that compiles "
		    "(the log says why)", file);
		oms_xmap_free(&m);
		return OMS_ERR_XML;
	}
	*out = m;
	return OMS_OK;
}

/*
 * Apply mapping m to the XML text in (view.h).  The input is read by
 * oms_xml_read() with its default limits.  OMS_OK, or OMS_ERR_XML,
 * OMS_ERR_TOOBIG, OMS_ERR_NOMEM with a line in err; *out NULL then.
 */
enum oms_err
oms_xmap_apply(struct oms_xmap *m, const char *in, size_t len,
    const char *const *params, struct oms_arena *a, const char **out,
    size_t *outlen, char *err, size_t errsz)
{
	xsltTransformContextPtr ctx;
	xmlDocPtr doc = NULL, res;
	char why[256];
	enum oms_err e;

	*out = NULL;
	*outlen = 0;
	if ((e = oms_xml_read(in, len, NULL, &doc, why, sizeof(why))) !=
	    OMS_OK) {
		snprintf(err, errsz, "%s", why);
		return e;
	}
	if ((ctx = xsltNewTransformContext(m->sheet, doc)) == NULL) {
		xmlFreeDoc(doc);
		snprintf(err, errsz, "out of memory");
		return OMS_ERR_NOMEM;
	}
	xsltSetCtxtSecurityPrefs(m->sec, ctx);
	if (params != NULL && xsltQuoteUserParams(ctx, (const char **)params)
	    != 0) {
		xsltFreeTransformContext(ctx);
		xmlFreeDoc(doc);
		snprintf(err, errsz, "bad stylesheet parameters");
		return OMS_ERR_XML;
	}
	xsltSetGenericErrorFunc(NULL, xslt_error);
	xmlSetGenericErrorFunc(NULL, xslt_error);
	res = xsltApplyStylesheetUser(m->sheet, doc, NULL, NULL, NULL, ctx);
	xmlSetGenericErrorFunc(NULL, quiet);
	if (res == NULL || ctx->state != XSLT_STATE_OK) {
		snprintf(err, errsz, "the mapping failed (the log says why)");
		e = OMS_ERR_XML;
	} else if ((e = save(res, m->sheet, a, out, outlen)) != OMS_OK)
		snprintf(err, errsz, "out of memory");
	xmlFreeDoc(res);
	xsltFreeTransformContext(ctx);
	xmlFreeDoc(doc);
	return e;
}

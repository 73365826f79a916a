/*
 * view.c: the stylesheet cache, transforms, and document building.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libexslt/exslt.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <libxslt/documents.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "arena.h"
#include "view.h"

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
};

/*
 * One dictionary of names for the stylesheets and every view document
 * of this process: element and attribute names are interned once, so
 * building a document allocates no copies of them and XPath name tests
 * during transforms compare pointers.  The set of names is fixed by the
 * code, so the dictionary does not grow with requests.
 */
static xmlDictPtr names;

struct oms_views {
	xsltStylesheetPtr sheets[OMS_SHEET__MAX]; /* compiled */
	const char *media[OMS_SHEET__MAX];        /* their media types */
	xsltSecurityPrefsPtr sec;                 /* shared, read-only */
};

/* Silence libxml2's default error printing; errors are logged by us. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void
oms_views_init(void)
{
	static int done;

	if (done++)
		return;
	oms_xmlmem_install();
	xmlInitParser();
	exsltRegisterAll();
	/* No external entities, no network, for anything parsed by the
	 * XSLT loader (imports are local files named by the stylesheets). */
	xmlSubstituteEntitiesDefault(0);
	xmlLoadExtDtdDefaultValue = 0;
	xsltSetLoaderFunc(NULL);
}

/* Log libxslt's messages through our logger. */
static void
xslt_error(void *ctx, const char *msg, ...)
{
	char buf[512];
	va_list ap;

	(void)ctx;
	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	oms_error("xslt: %s", buf);
}

/* Parse a stylesheet file with the shared name dictionary. */
static xmlDocPtr
read_with_names(const char *path)
{
	xmlParserCtxtPtr p = xmlNewParserCtxt();
	xmlDocPtr d;

	if (p == NULL)
		return NULL;
	if (names != NULL) {
		xmlDictFree(p->dict);
		p->dict = names;
		xmlDictReference(names);
	}
	d = xmlCtxtReadFile(p, path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	xmlFreeParserCtxt(p);
	return d;
}

enum oms_err
oms_views_load(const char *dir, struct oms_views **out)
{
	struct oms_views *v;

	*out = NULL;
	if (names == NULL && (names = xmlDictCreate()) == NULL)
		return OMS_ERR_NOMEM;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return OMS_ERR_NOMEM;
	xsltSetGenericErrorFunc(NULL, xslt_error);
	xmlSetGenericErrorFunc(NULL, xslt_error);
	if ((v->sec = xsltNewSecurityPrefs()) == NULL ||
	    xsltSetSecurityPrefs(v->sec, XSLT_SECPREF_WRITE_FILE,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(v->sec, XSLT_SECPREF_CREATE_DIRECTORY,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(v->sec, XSLT_SECPREF_READ_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(v->sec, XSLT_SECPREF_WRITE_NETWORK,
	    xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(v->sec, XSLT_SECPREF_READ_FILE,
	    xsltSecurityForbid) != 0) {
		oms_views_free(&v);
		return OMS_ERR_NOMEM;
	}
	for (int i = 0; i < OMS_SHEET__MAX; i++) {
		char path[4096];
		xmlDocPtr d;
		const xmlChar *mt = NULL;

		snprintf(path, sizeof(path), "%s/%s", dir, oms_sheet_files[i]);
		d = read_with_names(path);
		if (d == NULL || (v->sheets[i] = xsltParseStylesheetDoc(d)) == NULL) {
			oms_error("views: cannot compile %s", path);
			xmlFreeDoc(d);
			oms_views_free(&v);
			return OMS_ERR_XML;
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

/* Arena cleanups. */
static void
free_doc(void *p)
{
	xmlFreeDoc(p);
}

static void
free_mem(void *p)
{
	xmlFree(p);
}

enum oms_err
oms_view_render(struct oms_views *v, enum oms_sheet s, xmlDocPtr doc,
    struct oms_arena *a, const char **out, size_t *len, const char **media)
{
	xsltTransformContextPtr ctx;
	xmlDocPtr res;
	xmlChar *buf = NULL;
	int n = 0;

	*out = NULL;
	*len = 0;
	if ((ctx = xsltNewTransformContext(v->sheets[s], doc)) == NULL)
		return OMS_ERR_NOMEM;
	xsltSetCtxtSecurityPrefs(v->sec, ctx);
	res = xsltApplyStylesheetUser(v->sheets[s], doc, NULL, NULL, NULL, ctx);
	if (res == NULL || ctx->state != XSLT_STATE_OK) {
		oms_error("views: transform with %s failed", oms_sheet_files[s]);
		xmlFreeDoc(res);
		xsltFreeTransformContext(ctx);
		return OMS_ERR_XML;
	}
	xsltFreeTransformContext(ctx);
	oms_arena_defer(a, free_doc, res);
	if (xsltSaveResultToString(&buf, &n, res, v->sheets[s]) != 0) {
		oms_error("views: serializing the result of %s failed",
		    oms_sheet_files[s]);
		return OMS_ERR_XML;
	}
	if (buf != NULL)
		oms_arena_defer(a, free_mem, buf);
	*out = buf ? (const char *)buf : "";
	*len = (size_t)n;
	*media = v->media[s];
	return OMS_OK;
}

enum oms_err
oms_view_xml(xmlDocPtr doc, struct oms_arena *a, const char **out,
    size_t *len)
{
	xmlChar *buf = NULL;
	int n = 0;

	xmlDocDumpFormatMemoryEnc(doc, &buf, &n, "UTF-8", 1);
	if (buf == NULL)
		return OMS_ERR_NOMEM;
	oms_arena_defer(a, free_mem, buf);
	*out = (const char *)buf;
	*len = (size_t)n;
	return OMS_OK;
}

xmlDocPtr
oms_doc_new(struct oms_arena *a, const char *root, xmlNodePtr *rootp)
{
	xmlDocPtr d = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr r;

	if (d == NULL)
		return NULL;
	if (!oms_arena_defer(a, free_doc, d))
		return NULL;
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

xmlNodePtr
oms_node(xmlNodePtr parent, const char *name)
{
	return xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

xmlNodePtr
oms_node_text(xmlNodePtr parent, const char *name, const char *text)
{
	/* xmlNewTextChild escapes; xmlNewChild would parse entities. */
	return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST text);
}

void
oms_attr(xmlNodePtr n, const char *name, const char *value)
{
	if (n != NULL && value != NULL)
		xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

void
oms_attr_int(xmlNodePtr n, const char *name, int64_t value)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRId64, value);
	oms_attr(n, name, buf);
}

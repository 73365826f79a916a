/*
 * xmlin.c: the one reader of untrusted XML (the rules are in xmlin.h).
 *
 * The checks ride on libxml2's own SAX2 tree builder: the parser
 * context's handler is the standard one with three callbacks replaced.
 * internalSubset, which the parser calls as soon as it has read
 * "<!DOCTYPE name ...", stops the parser before the internal subset is
 * read, so no entity or parameter entity is ever declared and no
 * external DTD is ever fetched.  startElementNs counts the depth and
 * stops the parser at the first element over the limit, before that
 * element is built; endElementNs counts back.  A stopped parse never
 * hands out a tree.
 *
 * libxml2 ignores some failed allocations (a text node that could not
 * be made is left out), so any allocation that failed during the parse
 * (src/core/xmlmem.c counts them) makes the parse fail too.
 *
 * Nothing here logs: the caller gets a one-line message and decides
 * whether it is a user error or an operator's.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "xmlin.h"
#include "xmlmem.h"

/* Never NOENT, DTDLOAD, DTDATTR, HUGE or XINCLUDE. */
#define READ_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING | XML_PARSE_NOCDATA)

/* The state of one parse, reached through the parser's _private. */
struct reader {
	int depth;     /* elements open now */
	int max_depth; /* the limit */
	int doctype;   /* 1 when a DOCTYPE was seen */
	int too_deep;  /* 1 when an element went over the limit */
};

/* Write one message into err (when there is room); returns e. */
static enum oms_err __attribute__((format(printf, 4, 5)))
fail(enum oms_err e, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return e;
}

/* SAX internalSubset: a DOCTYPE.  Refused: stop before its subset. */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *public_id,
    const xmlChar *system_id)
{
	xmlParserCtxtPtr p = ctx;
	struct reader *r = p->_private;

	(void)name;
	(void)public_id;
	(void)system_id;
	r->doctype = 1;
	xmlStopParser(p);
}

/* SAX startElementNs: count the depth, stop over the limit, else build
 * the element as libxml2 would. */
static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr p = ctx;
	struct reader *r = p->_private;

	if (++r->depth > r->max_depth) {
		r->too_deep = 1;
		xmlStopParser(p);
		return;
	}
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces,
	    namespaces, nb_attributes, nb_defaulted, attributes);
}

/* SAX endElementNs: one level up. */
static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	xmlParserCtxtPtr p = ctx;
	struct reader *r = p->_private;

	r->depth--;
	xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

/* Structured error handler that prints nothing: the error stays in the
 * context's lastError for us to report. */
static void
quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/*
 * Parse len bytes of buf with url as its base under lim, names in dict
 * (NULL: a dictionary of its own).  See oms_xml_read().
 */
static enum oms_err
parse(const char *buf, size_t len, const char *url,
    const struct oms_xml_limits *lim, xmlDictPtr dict, xmlDocPtr *out,
    char *err, size_t errlen)
{
	struct reader r = {0, OMS_XML_MAX_DEPTH, 0, 0};
	unsigned long f0 = oms_xmlmem_failures();
	size_t max = OMS_XML_MAX_BYTES;
	xmlParserCtxtPtr p;
	xmlDocPtr d;
	enum oms_err e = OMS_OK;

	if (lim != NULL && lim->max_bytes > 0)
		max = lim->max_bytes;
	if (lim != NULL && lim->max_depth > 0)
		r.max_depth = lim->max_depth;
	if (max > INT_MAX)
		max = INT_MAX;
	if (len > max)
		return fail(OMS_ERR_TOOBIG, err, errlen,
		    "document larger than %zu bytes", max);
	if ((p = xmlNewParserCtxt()) == NULL)
		return fail(OMS_ERR_NOMEM, err, errlen, "out of memory");
	if (dict != NULL) {
		xmlDictFree(p->dict);
		p->dict = dict;
		xmlDictReference(dict);
	}
	p->_private = &r;
	p->sax->internalSubset = on_doctype;
	p->sax->startElementNs = on_start;
	p->sax->endElementNs = on_end;
	p->sax->serror = quiet;
	d = xmlCtxtReadMemory(p, buf, (int)len, url, NULL, READ_OPTIONS);
	if (r.doctype || (d != NULL &&
	    (d->intSubset != NULL || d->extSubset != NULL)))
		e = fail(OMS_ERR_XML, err, errlen, "DOCTYPE not allowed");
	else if (r.too_deep)
		e = fail(OMS_ERR_XML, err, errlen,
		    "document deeper than %d levels", r.max_depth);
	else if (p->errNo == XML_ERR_NO_MEMORY ||
	    oms_xmlmem_failures() != f0)
		e = fail(OMS_ERR_NOMEM, err, errlen, "out of memory");
	else if (d == NULL || !p->wellFormed || !p->nsWellFormed) {
		const char *m = p->lastError.message;
		size_t n = m ? strlen(m) : 0;

		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			n--;
		e = fail(OMS_ERR_XML, err, errlen,
		    "not well-formed at line %d: %.*s", p->lastError.line,
		    (int)n, n ? m : "no document");
	}
	if (e != OMS_OK) {
		xmlFreeDoc(d);
		d = NULL;
	}
	p->_private = NULL;
	xmlFreeParserCtxt(p);
	*out = d;
	return e;
}

/* Parse an in-memory document from outside (see xmlin.h); the caller
 * frees *out with xmlFreeDoc(). */
enum oms_err
oms_xml_read(const char *buf, size_t len, const struct oms_xml_limits *lim,
    xmlDocPtr *out, char *err, size_t errlen)
{
	*out = NULL;
	if (buf == NULL)
		return fail(OMS_ERR_INVAL, err, errlen, "no document");
	return parse(buf, len, NULL, lim, NULL, out, err, errlen);
}

/* Read the file at path whole (bounded by the size cap) and parse it
 * as oms_xml_read() does, with its path as base URL and names in dict
 * (see xmlin.h); the caller frees *out with xmlFreeDoc(). */
enum oms_err
oms_xml_read_file(const char *path, const struct oms_xml_limits *lim,
    xmlDictPtr dict, xmlDocPtr *out, char *err, size_t errlen)
{
	size_t max = lim != NULL && lim->max_bytes > 0 ? lim->max_bytes :
	    OMS_XML_MAX_BYTES;
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;
	enum oms_err e;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(OMS_ERR_IO, err, errlen, "%s", strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = fail(OMS_ERR_IO, err, errlen, "not a regular file");
		goto out;
	}
	if ((uintmax_t)sb.st_size > max) {
		e = fail(OMS_ERR_TOOBIG, err, errlen,
		    "document larger than %zu bytes", max);
		goto out;
	}
	/* One byte more than the size, to see a file that grew. */
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		e = fail(OMS_ERR_NOMEM, err, errlen, "out of memory");
		goto out;
	}
	while (len <= (size_t)sb.st_size &&
	    (n = read(fd, buf + len, (size_t)sb.st_size + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = fail(OMS_ERR_IO, err, errlen, "%s", strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > (size_t)sb.st_size) {
		e = fail(OMS_ERR_IO, err, errlen, "the file grew while read");
		goto out;
	}
	e = parse(buf, len, path, lim, dict, out, err, errlen);
out:
	free(buf);
	close(fd);
	return e;
}

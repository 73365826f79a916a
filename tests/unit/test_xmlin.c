/*
 * test_xmlin.c: the untrusted-XML reader (src/core/xmlin.c).
 *
 * The attacks every XML reader must survive (billion laughs, external
 * entities, external DTDs, parameter entities, a depth bomb, a size
 * bomb) are refused with a clear message and no document; valid
 * documents with namespaces and UTF-8 come through intact; the limits
 * hold exactly at their edge.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "oms.h"
#include "xmlin.h"
#include "xmlmem.h"
#include "../tap.h"

static char err[256];

/* Read the NUL-terminated s with lim; returns the code, frees the doc
 * unless keep is given (then *keep gets it). */
static enum oms_err
rd(const char *s, const struct oms_xml_limits *lim, xmlDocPtr *keep)
{
	xmlDocPtr d = (xmlDocPtr)1;
	enum oms_err e;

	err[0] = '\0';
	e = oms_xml_read(s, strlen(s), lim, &d, err, sizeof(err));
	if (e != OMS_OK && d != NULL)
		printf("# a failed read returned a document\n");
	if (keep != NULL)
		*keep = d;
	else
		xmlFreeDoc(d);
	return e;
}

/* 1 when err starts with prefix. */
static int
says(const char *prefix)
{
	if (strncmp(err, prefix, strlen(prefix)) == 0)
		return 1;
	printf("#   message: '%s'\n", err);
	return 0;
}

/* A document nested n elements deep: <a><a>...</a></a>. */
static char *
nested(int n)
{
	char *s = malloc((size_t)n * 7 + 1), *p = s;

	for (int i = 0; i < n; i++)
		p += sprintf(p, "<a>");
	for (int i = 0; i < n; i++)
		p += sprintf(p, "</a>");
	*p = '\0';
	return s;
}

static void
test_doctype(void)
{
	static const struct {
		const char *name;
		const char *doc;
	} bad[] = {
		{"billion laughs",
		    "<?xml version=\"1.0\"?>\n"
		    "<!DOCTYPE lolz [\n"
		    " <!ENTITY lol \"lol\">\n"
		    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		    "]>\n<lolz>&lol9;</lolz>\n"},
		{"external entity file:///etc/passwd",
		    "<?xml version=\"1.0\"?>\n"
		    "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		    "<r>&x;</r>\n"},
		{"external entity over http",
		    "<!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>"
		    "<r>&x;</r>"},
		{"external DTD",
		    "<?xml version=\"1.0\"?>\n"
		    "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n<r/>\n"},
		{"external DTD by public id",
		    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
		    "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">"
		    "<html/>"},
		{"parameter entities",
		    "<!DOCTYPE r [\n"
		    " <!ENTITY % p SYSTEM \"file:///etc/passwd\">\n"
		    " <!ENTITY % q \"<!ENTITY &#x25; e SYSTEM 'file:///x?%p;'>\">\n"
		    " %q; %e;\n]>\n<r/>"},
		{"DOCTYPE without entities", "<!DOCTYPE r><r/>"},
		{"DOCTYPE with an empty internal subset", "<!DOCTYPE r []><r/>"},
		{"DOCTYPE after a comment and a PI",
		    "<?xml version=\"1.0\"?><!-- c --><?pi x?>\n<!DOCTYPE r><r/>"},
	};

	for (size_t i = 0; i < OMS_NELEM(bad); i++) {
		is_int(rd(bad[i].doc, NULL, NULL), OMS_ERR_XML,
		    "bad: %s refused", bad[i].name);
		ok(says("DOCTYPE not allowed"),
		    "bad: %s: says \"DOCTYPE not allowed\"", bad[i].name);
	}
}

static void
test_entities(void)
{
	/* Without a DTD an entity cannot be declared, so a reference to
	 * one is a well-formedness error, not a lookup. */
	is_int(rd("<r>&x;</r>", NULL, NULL), OMS_ERR_XML,
	    "bad: an undeclared entity reference is refused");
	ok(says("not well-formed at line 1: "),
	    "bad: undeclared entity: says where");
	/* The five predefined ones and character references work. */
	{
		xmlDocPtr d;
		xmlChar *t;

		is_int(rd("<r>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</r>", NULL,
		    &d), OMS_OK, "predefined entities and character references");
		t = d ? xmlNodeGetContent(xmlDocGetRootElement(d)) : NULL;
		is_str((const char *)t, "<>&\"'AB", "their text");
		xmlFree(t);
		xmlFreeDoc(d);
	}
}

static void
test_depth(void)
{
	struct oms_xml_limits lim = {0, 5};
	char *s;

	s = nested(OMS_XML_MAX_DEPTH);
	is_int(rd(s, NULL, NULL), OMS_OK, "exactly %d levels pass",
	    OMS_XML_MAX_DEPTH);
	free(s);
	s = nested(OMS_XML_MAX_DEPTH + 1);
	is_int(rd(s, NULL, NULL), OMS_ERR_XML, "bad: %d levels refused",
	    OMS_XML_MAX_DEPTH + 1);
	ok(says("document deeper than 64 levels"),
	    "bad: depth: says \"document deeper than 64 levels\"");
	free(s);
	s = nested(100000);
	is_int(rd(s, NULL, NULL), OMS_ERR_XML, "bad: a depth bomb (100000 levels) refused");
	ok(says("document deeper than 64 levels"), "bad: depth bomb: says so");
	free(s);
	s = nested(5);
	is_int(rd(s, &lim, NULL), OMS_OK, "a limit of 5: 5 levels pass");
	free(s);
	s = nested(6);
	is_int(rd(s, &lim, NULL), OMS_ERR_XML, "bad: a limit of 5: 6 levels refused");
	ok(says("document deeper than 5 levels"), "bad: says the limit given");
	free(s);
	/* Siblings do not add up to depth. */
	is_int(rd("<r><a><b/></a><a><b/></a><a><b><c/></b></a></r>", &lim,
	    NULL), OMS_OK, "siblings are not depth");
}

static void
test_size(void)
{
	struct oms_xml_limits lim = {16, 0};
	const char *s16 = "<r>0123456789</r>"; /* 17 bytes */

	is_int(rd("<r>012345678</r>", &lim, NULL), OMS_OK,
	    "exactly at the size limit (16 bytes) passes");
	is_int(rd(s16, &lim, NULL), OMS_ERR_TOOBIG,
	    "bad: one byte over the size limit refused");
	ok(says("document larger than 16 bytes"),
	    "bad: size: says \"document larger than 16 bytes\"");
	{
		size_t n = OMS_XML_MAX_BYTES + 1;
		char *big = malloc(n);
		xmlDocPtr d = (xmlDocPtr)1;

		memset(big, ' ', n);
		memcpy(big, "<r>", 3);
		memcpy(big + n - 4, "</r>", 4);
		is_int(oms_xml_read(big, n, NULL, &d, err, sizeof(err)),
		    OMS_ERR_TOOBIG, "bad: the default cap (16 MiB) holds");
		ok(d == NULL, "bad: over the cap: no document");
		free(big);
	}
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"", "<", "<r>", "<r></s>", "<r a='1' a='2'/>", "<r/><s/>",
		"text", "<r>\xff\xfe</r>", "<r><![CDATA[x</r>", "<?xml?><r/>",
		"<r xmlns:p='u'><q:x/></r>",
	};

	for (size_t i = 0; i < OMS_NELEM(bad); i++) {
		is_int(rd(bad[i], NULL, NULL), OMS_ERR_XML,
		    "bad: malformed #%zu refused", i);
		ok(says("not well-formed at line "),
		    "bad: malformed #%zu: says \"not well-formed at line\"", i);
	}
	is_int(rd("<r>\n\n<x></r>", NULL, NULL), OMS_ERR_XML,
	    "bad: a mismatched tag on line 3 refused");
	ok(says("not well-formed at line 3: "), "bad: the message names line 3");
	{
		xmlDocPtr d = (xmlDocPtr)1;

		is_int(oms_xml_read(NULL, 0, NULL, &d, err, sizeof(err)),
		    OMS_ERR_INVAL, "bad: no buffer");
	}
}

static void
test_valid(void)
{
	const char *s =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<?xml-stylesheet href=\"x\"?>\n<!-- a comment -->\n"
	    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""
	    " xmlns=\"urn:oms\">\n"
	    "  <soap:Body><order id=\"7\" note=\"Ünïcødé 序列 €\">"
	    "<![CDATA[<raw> & ]]></order></soap:Body>\n"
	    "</soap:Envelope>\n";
	xmlDocPtr d = NULL;
	xmlNodePtr r, body, order;
	xmlChar *v;

	is_int(rd(s, NULL, &d), OMS_OK, "a SOAP envelope with namespaces and UTF-8");
	if (d == NULL) {
		ok(0, "document");
		return;
	}
	r = xmlDocGetRootElement(d);
	ok(r && xmlStrEqual(r->name, BAD_CAST "Envelope") && r->ns &&
	    xmlStrEqual(r->ns->href,
	    BAD_CAST "http://schemas.xmlsoap.org/soap/envelope/"),
	    "the root is soap:Envelope in its namespace");
	body = xmlFirstElementChild(r);
	order = body ? xmlFirstElementChild(body) : NULL;
	ok(order && order->ns && xmlStrEqual(order->ns->href, BAD_CAST "urn:oms"),
	    "the default namespace applies to order");
	v = order ? xmlGetProp(order, BAD_CAST "note") : NULL;
	is_str((const char *)v, "Ünïcødé 序列 €", "UTF-8 attribute intact");
	xmlFree(v);
	v = order ? xmlNodeGetContent(order) : NULL;
	is_str((const char *)v, "<raw> & ", "CDATA content intact");
	xmlFree(v);
	ok(d->intSubset == NULL && d->extSubset == NULL, "no DTD on the document");
	xmlFreeDoc(d);

	/* Latin-1 declared: converted to UTF-8. */
	is_int(rd("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>caf\xe9</r>",
	    NULL, &d), OMS_OK, "an ISO-8859-1 document");
	v = d ? xmlNodeGetContent(xmlDocGetRootElement(d)) : NULL;
	is_str((const char *)v, "caf\xc3\xa9", "converted to UTF-8");
	xmlFree(v);
	xmlFreeDoc(d);
}

static void
test_file(void)
{
	char path[] = "/tmp/oms-xmlin.XXXXXX";
	int fd = mkstemp(path);
	xmlDocPtr d = NULL;
	const char *doc = "<r>file</r>";
	struct oms_xml_limits lim = {5, 0};

	if (fd < 0 || write(fd, doc, strlen(doc)) != (ssize_t)strlen(doc)) {
		ok(0, "temporary file");
		return;
	}
	close(fd);
	is_int(oms_xml_read_file(path, NULL, NULL, &d, err, sizeof(err)),
	    OMS_OK, "a file");
	ok(d && d->URL && strcmp((const char *)d->URL, path) == 0,
	    "its path is the document URL");
	xmlFreeDoc(d);
	is_int(oms_xml_read_file(path, &lim, NULL, &d, err, sizeof(err)),
	    OMS_ERR_TOOBIG, "bad: a file over the size limit");
	ok(says("document larger than 5 bytes"), "bad: file size: says so");
	unlink(path);
	is_int(oms_xml_read_file(path, NULL, NULL, &d, err, sizeof(err)),
	    OMS_ERR_IO, "bad: a missing file");
	ok(d == NULL && says("No such file"), "bad: missing: says why");
	is_int(oms_xml_read_file("/tmp", NULL, NULL, &d, err, sizeof(err)),
	    OMS_ERR_IO, "bad: a directory");
}

/* Out of memory at every allocation of a small parse: a clean error,
 * never a document, nothing leaked. */
static void
test_nomem(void)
{
	const char *s = "<r xmlns='u' a='1'><b>text</b><c d='e'/></r>";
	int clean = 1, n;
	long live0;

	xmlResetLastError();
	live0 = oms_xmlmem_live();
	for (n = 1; n < 10000; n++) {
		unsigned long f0 = oms_xmlmem_failures();
		xmlDocPtr d = (xmlDocPtr)1;
		enum oms_err e;

		oms_xmlmem_fail_at((unsigned long)n, 0);
		e = oms_xml_read(s, strlen(s), NULL, &d, err, sizeof(err));
		oms_xmlmem_fail_at(0, 0);
		if (oms_xmlmem_failures() == f0) {
			if (e != OMS_OK)
				clean = 0;
			xmlFreeDoc(d);
			break;
		}
		if (e == OMS_OK)
			clean = 0; /* an allocation failed, yet "success" */
		if (d != NULL || e != OMS_ERR_NOMEM) {
			printf("# allocation %d failed: got %d, '%s'\n", n,
			    (int)e, err);
			clean = 0;
		}
		xmlFreeDoc(d);
		xmlResetLastError();
		if (oms_xmlmem_live() != live0) {
			printf("# allocation %d failed: %ld blocks leaked\n", n,
			    oms_xmlmem_live() - live0);
			clean = 0;
		}
	}
	ok(n > 1 && n < 10000, "nomem: a parse succeeded once no allocation "
	    "failed (after %d)", n - 1);
	ok(clean, "nomem: every failed allocation gave OMS_ERR_NOMEM and no "
	    "document, and leaked nothing");
}

int
main(void)
{
	/* Our allocator, with its failure count and fault hook, before
	 * libxml2 allocates anything. */
	/* Before libxml2 allocates anything: the OOM loops and the leak
	 * counts need it. */
	oms_xmlmem_track(1);
	oms_xmlmem_install();
	xmlInitParser();
	test_doctype();
	test_entities();
	test_depth();
	test_size();
	test_malformed();
	test_valid();
	test_file();
	test_nomem();
	return tap_done();
}

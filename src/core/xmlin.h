/*
 * xmlin.h: the one reader of untrusted XML.
 *
 * Everything that parses XML from outside the process (omsctl render's
 * input, imports, /soap, replies of legacy systems) and every
 * stylesheet file goes through here.  The rules (libxml2 2.9.14 has no
 * XML_PARSE_NO_XXE and no amplification limit under XML_PARSE_HUGE):
 *
 *  - the input is bounded in bytes before parsing starts;
 *  - element depth is bounded while parsing: the parser stops at the
 *    first element deeper than the limit, so no tree of that depth is
 *    ever handed out;
 *  - a DOCTYPE is refused the moment the parser sees it, before its
 *    internal subset (and so any entity declaration) is read: no
 *    entity expansion, no external DTD, no parameter entities;
 *  - never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE; always
 *    XML_PARSE_NONET; XInclude is never processed.
 */
#ifndef OMS_XMLIN_H
#define OMS_XMLIN_H

#include <stddef.h>

#include <libxml/dict.h>
#include <libxml/tree.h>

#include "oms.h"

#define OMS_XML_MAX_BYTES (16 * 1024 * 1024) /* default size cap */
#define OMS_XML_MAX_DEPTH 64                 /* default depth cap */

struct oms_xml_limits {
	size_t max_bytes; /* larger input is refused; 0: OMS_XML_MAX_BYTES */
	int max_depth;    /* the root element is depth 1; 0: OMS_XML_MAX_DEPTH */
};

/*
 * Parse len bytes of buf as a whole XML document under lim (NULL: the
 * defaults).  On success *out is the document, the caller's to free
 * with xmlFreeDoc().  On failure *out is NULL and err (when errlen > 0)
 * holds one clear line for a log or a user:
 *	"document larger than N bytes"        OMS_ERR_TOOBIG
 *	"DOCTYPE not allowed"                 OMS_ERR_XML
 *	"document deeper than N levels"       OMS_ERR_XML
 *	"not well-formed at line L: ..."      OMS_ERR_XML
 *	"out of memory"                       OMS_ERR_NOMEM
 */
enum oms_err oms_xml_read(const char *buf, size_t len,
    const struct oms_xml_limits *lim, xmlDocPtr *out, char *err,
    size_t errlen);

/*
 * The same for the file at path, whose name becomes the document's
 * URL (the base for relative references such as xsl:import).  With
 * dict non-NULL the document's names are interned in it (libxslt wants
 * an imported stylesheet to share its importer's dictionary); the
 * document takes a reference.  A file that cannot be read is
 * OMS_ERR_IO with the reason in err.
 */
enum oms_err oms_xml_read_file(const char *path,
    const struct oms_xml_limits *lim, xmlDictPtr dict, xmlDocPtr *out,
    char *err, size_t errlen);

#endif /* OMS_XMLIN_H */

/*
 * fuzz_xml.c: libFuzzer target for the untrusted-XML reader
 * (src/core/xmlin.c).
 *
 * Whatever the input, oms_xml_read() must not crash, and a document it
 * returns must carry no DTD (no DOCTYPE got through) and be no deeper
 * than the depth cap; a failed read returns no document.  Seeds are in
 * tests/fuzz/corpus/xml/.  By hand, from a build tree:
 *
 *	clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *	    -I../src/core $(pkg-config --cflags libxml-2.0) \
 *	    ../tests/fuzz/fuzz_xml.c ../src/core/xmlin.c ../src/core/xmlmem.c \
 *	    $(pkg-config --libs libxml-2.0) -o fuzz_xml
 *	./fuzz_xml -max_len=65536 ../tests/fuzz/corpus/xml
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "oms.h"
#include "xmlin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Depth of the element tree under n (n counts as 1); iterative, so a
 * deep tree cannot overflow the stack here. */
static int
depth(xmlNodePtr n)
{
	int d = 0, max = 0;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE && ++d > max)
			max = d;
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE)
			d--;
		while (n->next == NULL) {
			n = n->parent;
			if (n == NULL || n->type != XML_ELEMENT_NODE)
				return max;
			d--;
		}
		n = n->next;
	}
	return max;
}

/* One input: read it and check what came back. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct oms_xml_limits lim = {65536, 0};
	xmlDocPtr d = (xmlDocPtr)1;
	char err[256];
	enum oms_err e;

	if (!init++) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, NULL);
	}
	e = oms_xml_read((const char *)data, size, &lim, &d, err, sizeof(err));
	if (e != OMS_OK) {
		if (d != NULL)
			abort(); /* a failed read returned a document */
		return 0;
	}
	if (d == NULL)
		abort(); /* success without a document */
	if (d->intSubset != NULL || d->extSubset != NULL)
		abort(); /* a DOCTYPE got through */
	if (depth(xmlDocGetRootElement(d)) > OMS_XML_MAX_DEPTH)
		abort(); /* deeper than the cap */
	xmlFreeDoc(d);
	return 0;
}

/*
 * xsend.c: a test driver for the soap adapter and the mapping
 * stylesheets (tests/integration/soap_adapter.sh), not a test itself.
 *
 *	xsend CONF SYSTEM FILE...      send each canonical message FILE
 *	xsend -m CONF SYSTEM FILE      print FILE mapped by request_xsl
 *
 * For each FILE (in order, through one adapter handle, so the
 * connection is reused as the dispatcher reuses it): the canonical
 * message is mapped with the [exchange SYSTEM] section's request_xsl,
 * sent with the soap adapter, and the answer mapped with reply_xsl
 * (parameters messageId and kind).  One line a FILE on stdout:
 *
 *	answered<TAB><Ack ...>...</Ack>     (the Ack on one line)
 *	rejected|retry|unknown<TAB>WHY
 *	error<TAB>WHY                       (mapping failed)
 *
 * Exit 0 when every file got a line, 1 on a set-up failure.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "arena.h"
#include "conf.h"
#include "exchange.h"
#include "oms.h"
#include "view.h"
#include "xmlin.h"

/*
 * Read the whole file at path into arena a as *out (NUL-terminated),
 * its length in *len.  0, or -1 with a message on stderr.
 */
static int
slurp(const char *path, struct oms_arena *a, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (*out = oms_arena_alloc(a, (size_t)n + 1)) == NULL ||
	    fread(*out, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "xsend: cannot read %s\n", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	(*out)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/*
 * The canonical message's kind (its root's local name) and messageId
 * into kind and id (arena a).  0, or -1 when it is not XML.
 */
static int
head(const char *xml, size_t len, struct oms_arena *a, const char **kind,
    const char **id)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr r, n;
	char err[256];

	if (oms_xml_read(xml, len, NULL, &doc, err, sizeof(err)) != OMS_OK ||
	    (r = xmlDocGetRootElement(doc)) == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	*kind = oms_arena_strdup(a, (const char *)r->name);
	*id = "";
	for (n = r->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, "messageId") == 0) {
			xmlChar *t = xmlNodeGetContent(n);

			*id = oms_arena_strdup(a, t != NULL ? (char *)t : "");
			xmlFree(t);
		}
	}
	xmlFreeDoc(doc);
	return 0;
}

/* Print s on one line: newlines dropped, tabs as spaces. */
static void
one_line(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != '\n' && *s != '\r')
			putchar(*s == '\t' ? ' ' : *s);
}

/* See the top of the file. */
int
main(int argc, char **argv)
{
	struct oms_conf *conf;
	const struct oms_exchange_conf *x;
	struct oms_xmap *req_map = NULL, *rep_map = NULL;
	struct oms_arena *a;
	void *self = NULL;
	char err[512];
	int map_only = 0, i;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		map_only = 1;
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: xsend [-m] CONF SYSTEM FILE...\n");
		return 2;
	}
	oms_log_set_level(getenv("XSEND_DEBUG") ? OMS_LOG_DEBUG : OMS_LOG_WARN);
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return 1;
	if (oms_conf_load(argv[1], conf, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "xsend: %s\n", err);
		return 1;
	}
	if ((x = oms_conf_exchange(conf, argv[2])) == NULL) {
		fprintf(stderr, "xsend: no [exchange %s]\n", argv[2]);
		return 1;
	}
	oms_views_init();
	if (oms_xmap_load(conf->xslt_dir, x->request_xsl, &req_map, err,
	    sizeof(err)) != OMS_OK ||
	    oms_xmap_load(conf->xslt_dir, x->reply_xsl, &rep_map, err,
	    sizeof(err)) != OMS_OK) {
		fprintf(stderr, "xsend: %s\n", err);
		return 1;
	}
	if (!map_only &&
	    oms_adapter_soap.open(x, &self, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "xsend: %s\n", err);
		return 1;
	}
	if ((a = oms_arena_new()) == NULL)
		return 1;
	for (i = 3; i < argc; i++) {
		struct oms_xreq req;
		struct oms_xreply reply;
		enum oms_xresult r;
		const char *kind, *id, *mapped, *ack;
		char *canon;
		size_t clen, mlen, alen;

		oms_arena_reset(a);
		if (slurp(argv[i], a, &canon, &clen) != 0)
			return 1;
		if (head(canon, clen, a, &kind, &id) != 0) {
			printf("error\t%s is not XML\n", argv[i]);
			continue;
		}
		if (oms_xmap_apply(req_map, canon, clen, NULL, a, &mapped, &mlen,
		    err, sizeof(err)) != OMS_OK) {
			printf("error\trequest_xsl: %s\n", err);
			continue;
		}
		if (map_only) {
			fwrite(mapped, 1, mlen, stdout);
			continue;
		}
		memset(&req, 0, sizeof(req));
		req.message_id = id;
		req.kind = kind;
		req.body = mapped;
		req.len = mlen;
		req.canonical = canon;
		req.canonical_len = clen;
		req.a = a;
		r = oms_adapter_soap.send(self, &req, &reply);
		if (r != OMS_X_ANSWERED) {
			printf("%s\t%s\n", oms_xresult_names[r], reply.why);
			fflush(stdout);
			continue;
		}
		{
			const char *params[] = { "messageId", id, "kind", kind,
				NULL };

			if (oms_xmap_apply(rep_map, reply.body, reply.len, params,
			    a, &ack, &alen, err, sizeof(err)) != OMS_OK) {
				printf("error\treply_xsl: %s\n", err);
				continue;
			}
		}
		printf("answered\t");
		one_line(ack);
		putchar('\n');
		fflush(stdout);
	}
	if (self != NULL)
		oms_adapter_soap.close(self);
	oms_arena_free(&a);
	oms_xmap_free(&req_map);
	oms_xmap_free(&rep_map);
	free(conf);
	return 0;
}

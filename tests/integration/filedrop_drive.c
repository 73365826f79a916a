/*
 * filedrop_drive.c: the dispatcher's part of a file drop, for
 * tests/integration/filedrop.sh (built by make check, not installed).
 *
 *	filedrop_drive CONF SYSTEM send MESSAGE_ID < canonical.xml
 *	filedrop_drive CONF SYSTEM collect MESSAGE_ID
 *
 * Both read oms.conf CONF and its [exchange SYSTEM] section (adapter
 * filedrop, directory, request_xsl, reply_xsl; stylesheets relative to
 * xslt_dir).  send maps the canonical message on standard input with
 * request_xsl (none: the message itself) and hands it to the adapter's
 * send(); collect asks the adapter's collect() and maps an answer with
 * reply_xsl (the parameter messageId set to MESSAGE_ID), printing the
 * canonical Ack on standard output.  The result's name ("waiting",
 * "answered", "retry", ...) and any reason go to standard error.
 * Exit status: 0 waiting (send) or answered (collect), 2 waiting
 * (collect), 3 anything else the adapter said, 1 a usage, configuration
 * or mapping error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "exchange.h"
#include "view.h"

/*
 * All of standard input into a (NUL-terminated), its length in *len;
 * NULL when out of memory or on a read error.
 */
static char *
read_stdin(struct oms_arena *a, size_t *len)
{
	size_t cap = 65536, n = 0, r;
	char *buf = malloc(cap), *out;

	if (buf == NULL)
		return NULL;
	while ((r = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += r;
		if (n == cap) {
			char *b = realloc(buf, cap * 2);

			if (b == NULL) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	out = oms_arena_strndup(a, buf, n);
	free(buf);
	*len = n;
	return out;
}

/*
 * Map in (len bytes) with the stylesheet path of x (relative to dir)
 * and the parameters params; the result into *out, *outlen (in a).
 * 0, or 1 with a message on standard error.
 */
static int
map(const char *dir, const char *path, const char *in, size_t len,
    const char *const *params, struct oms_arena *a, const char **out,
    size_t *outlen)
{
	struct oms_xmap *m = NULL;
	char err[512];

	if (oms_xmap_load(dir, path, &m, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "filedrop_drive: %s: %s\n", path, err);
		return 1;
	}
	if (oms_xmap_apply(m, in, len, params, a, out, outlen, err,
	    sizeof(err)) != OMS_OK) {
		fprintf(stderr, "filedrop_drive: mapping with %s: %s\n", path,
		    err);
		oms_xmap_free(&m);
		return 1;
	}
	oms_xmap_free(&m);
	return 0;
}

/* The program: see the comment at the top.  Returns the exit status. */
int
main(int argc, char **argv)
{
	static struct oms_conf c;
	const struct oms_exchange_conf *x;
	const struct oms_adapter_ops *ops;
	struct oms_arena *a;
	struct oms_xreply reply;
	enum oms_xresult r;
	void *self = NULL;
	char err[512];
	int rc = 1;

	if (argc != 5 || (strcmp(argv[3], "send") != 0 &&
	    strcmp(argv[3], "collect") != 0)) {
		fprintf(stderr, "usage: filedrop_drive CONF SYSTEM "
		    "send|collect MESSAGE_ID\n");
		return 1;
	}
	if (oms_conf_load(argv[1], &c, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "filedrop_drive: %s\n", err);
		return 1;
	}
	/* Named here, not looked up: exchange.c refers to the adapters
	 * weakly, which does not take one out of the library. */
	ops = &oms_adapter_filedrop;
	if ((x = oms_conf_exchange(&c, argv[2])) == NULL ||
	    strcmp(x->adapter, ops->name) != 0) {
		fprintf(stderr, "filedrop_drive: no [exchange %s] with adapter "
		    "filedrop\n", argv[2]);
		return 1;
	}
	oms_views_init();
	if ((a = oms_arena_new()) == NULL)
		return 1;
	if (ops->open(x, &self, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "filedrop_drive: %s\n", err);
		goto out;
	}
	memset(&reply, 0, sizeof(reply));
	if (strcmp(argv[3], "send") == 0) {
		struct oms_xreq req;

		memset(&req, 0, sizeof(req));
		req.message_id = argv[4];
		req.a = a;
		if ((req.canonical = read_stdin(a, &req.canonical_len)) ==
		    NULL) {
			fprintf(stderr, "filedrop_drive: cannot read the "
			    "canonical message\n");
			goto out;
		}
		if (x->request_xsl[0] != '\0' && map(c.xslt_dir,
		    x->request_xsl, req.canonical, req.canonical_len, NULL, a,
		    &req.body, &req.len) != 0)
			goto out;
		r = ops->send(self, &req, &reply);
		fprintf(stderr, "%s%s%s\n", oms_xresult_names[r],
		    reply.why[0] ? ": " : "", reply.why);
		rc = r == OMS_X_WAITING ? 0 : 3;
	} else {
		const char *params[] = {"messageId", argv[4], NULL};
		const char *ack = NULL;
		size_t acklen = 0;

		r = ops->collect(self, argv[4], a, &reply);
		fprintf(stderr, "%s%s%s\n", oms_xresult_names[r],
		    reply.why[0] ? ": " : "", reply.why);
		if (r == OMS_X_ANSWERED) {
			if (x->reply_xsl[0] == '\0') {
				ack = reply.body;
				acklen = reply.len;
			} else if (map(c.xslt_dir, x->reply_xsl, reply.body,
			    reply.len, params, a, &ack, &acklen) != 0)
				goto out;
			fwrite(ack, 1, acklen, stdout);
			rc = 0;
		} else
			rc = r == OMS_X_WAITING ? 2 : 3;
	}
out:
	if (self != NULL)
		ops->close(self);
	oms_arena_free(&a);
	return rc;
}

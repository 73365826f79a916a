/*
 * xmail.c: a test driver, not a test: send one outbox message through
 * its system's adapter once, as the dispatcher would, and print what
 * became of it.  tests/integration/mail.sh drives the mail adapter
 * (backends/exchange/smtp.c) with it while the dispatcher is written
 * elsewhere; once merged, `omsctl outbox drain` does this for real.
 *
 *	xmail CONF OUTBOX_ID
 *
 * prints one line, "answered", "retry: WHY", "rejected: WHY",
 * "unknown: WHY" or "waiting", and exits 0; 1 when the message, its
 * [exchange SYSTEM] section or its adapter cannot be had; 2 on a usage
 * error.  It does not change the outbox row (the test does, as the
 * dispatcher would).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "conf.h"
#include "distribution.h"
#include "exchange.h"
#include "outbox.h"
#include "stmts.h"
#include "store.h"

/* Load, open, send, print (see the top).  Returns the exit status. */
int
main(int argc, char *argv[])
{
	static struct oms_conf conf;
	const struct oms_exchange_conf *x;
	const struct oms_adapter_ops *ops;
	struct oms_store *st = NULL;
	struct oms_arena *a;
	struct oms_outbox_msg m;
	struct oms_dist_msg d;
	struct oms_xreq req;
	struct oms_xreply reply;
	enum oms_xresult r;
	char err[1024];
	void *self = NULL;
	enum oms_err e;

	if (argc != 3) {
		fprintf(stderr, "usage: xmail CONF OUTBOX_ID\n");
		return 2;
	}
	if (oms_conf_load(argv[1], &conf, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "xmail: %s\n", err);
		return 1;
	}
	if ((a = oms_arena_new()) == NULL ||
	    (e = oms_store_open(&conf.store, 0, &oms_stmt_table, &st)) !=
	    OMS_OK) {
		fprintf(stderr, "xmail: cannot open the store\n");
		return 1;
	}
	if ((e = oms_outbox_get(st, a, strtoll(argv[2], NULL, 10), &m)) !=
	    OMS_OK) {
		fprintf(stderr, "xmail: message %s: %s\n", argv[2],
		    oms_strerror(e));
		return 1;
	}
	if ((x = oms_conf_exchange(&conf, m.system)) == NULL) {
		fprintf(stderr, "xmail: no [exchange %s] section\n", m.system);
		return 1;
	}
	/* Named directly too, so the linker keeps the adapter that the
	 * table only refers to weakly. */
	ops = strcmp(x->adapter, "smtp") == 0 ? &oms_adapter_smtp :
	    oms_adapter_lookup(x->adapter);
	if (ops == NULL) {
		fprintf(stderr, "xmail: adapter %s is not built\n", x->adapter);
		return 1;
	}
	if (ops->open(x, &self, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "xmail: %s\n", err);
		return 1;
	}
	memset(&req, 0, sizeof(req));
	req.message_id = m.message_id;
	req.kind = m.kind;
	req.canonical = m.body;
	req.canonical_len = strlen(m.body);
	if (oms_dist_parse(m.body, req.canonical_len, a, &d, err,
	    sizeof(err)) == OMS_OK)
		req.invoice_id = d.invoice;
	req.st = st;
	req.a = a;
	r = ops->send(self, &req, &reply);
	if (r == OMS_X_ANSWERED || r == OMS_X_WAITING)
		printf("%s\n", oms_xresult_names[r]);
	else
		printf("%s: %s\n", oms_xresult_names[r], reply.why);
	ops->close(self);
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

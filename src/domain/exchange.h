/*
 * exchange.h: the adapters of the legacy exchange (DESIGN.md, "Legacy
 * exchange"; docs/integration-guide.md, "Adapters and mappings").
 *
 * An adapter moves bytes to and from one kind of legacy system; it knows
 * nothing of what the bytes mean.  The dispatcher (omsd's job process
 * "exchange") does the rest for every system alike:
 *
 *   outbox row (canonical XML)
 *     -> request_xsl of the system's [exchange NAME] section
 *     -> adapter send()                 (SOAP call, file written, mail)
 *     -> the system's reply -> reply_xsl -> canonical Ack
 *     -> delivered, retried later, unknown, or dead.
 *
 * A message whose outcome is unknown (the request went out and no
 * answer came) is never sent again blind: the dispatcher asks.  An
 * adapter with a collect() (the file drop) is asked with it; any other
 * is sent the system's mapping of the canonical Query
 * (<Query xmlns="urn:oms:exchange:1"><messageId/><kind/>...</Query>),
 * whose mapped reply says whether the system has the message.
 *
 * The adapters, one file each under backends/exchange/, like the store
 * backends:
 *   soap      SOAP 1.1 over HTTP(S) with libcurl (soap.c)
 *   filedrop  XML files into a folder, acknowledgements read back
 *             (filedrop.c)
 *   smtp      mail with the invoice's PDFs attached, libcurl (smtp.c)
 *
 * The canonical Ack (namespace urn:oms:exchange:1, docs/exchange/
 * Ack.xsd), what every reply_xsl makes of a reply:
 *   <Ack xmlns="urn:oms:exchange:1">
 *     <messageId>oms-...</messageId>
 *     <status>accepted|duplicate|rejected|notfound</status>
 *     <reference>the system's own id (vendor order, lease)</reference>?
 *     <reason>why, for rejected</reason>?
 *   </Ack>
 * accepted and duplicate deliver the message; rejected makes it dead
 * with the reason; notfound (the answer to a Query only) sends it
 * again.
 */
#ifndef OMS_EXCHANGE_H
#define OMS_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "oms.h"

struct oms_arena;
struct oms_store;

/* What became of one send() or collect(). */
enum oms_xresult {
	OMS_X_ANSWERED, /* the system answered: reply->body is its answer
	                 * (SOAP: the Body's first child, a Fault aside;
	                 * file drop: the acknowledgement file), for
	                 * reply_xsl; a NULL body (mail) means delivered */
	OMS_X_REJECTED, /* refused for good (a SOAP Client Fault, HTTP 4xx
	                 * other than 408/429, a mail address refused):
	                 * dead at once; reply->why says why */
	OMS_X_RETRY,    /* certainly not applied (no connection, HTTP 5xx or
	                 * a Server Fault, 408/429, mail server down): again
	                 * after the back-off; reply->why */
	OMS_X_UNKNOWN,  /* the request went out and no answer came (timeout,
	                 * connection dropped): ask before sending again */
	OMS_X_WAITING,  /* written, its answer comes later (file drop):
	                 * collect() it */
	OMS_X__MAX
};

/* What the dispatcher hands send(). */
struct oms_xreq {
	const char *message_id; /* ours: the system deduplicates on it */
	const char *kind;       /* canonical root: PlaceOrder, ..., Query,
	                         * SendDocuments */
	const char *body;       /* the mapped request (SOAP: the element
	                         * that goes into the Body; file drop: the
	                         * whole file); NULL for smtp without
	                         * request_xsl */
	size_t len;
	const char *canonical;  /* the canonical message itself */
	size_t canonical_len;
	int64_t invoice_id;     /* the invoice a document message carries,
	                         * or 0 */
	struct oms_store *st;   /* the dispatcher's connection (smtp reads
	                         * the stored PDFs); no unit is open */
	struct oms_arena *a;    /* for the reply and anything else */
};

/* What send() and collect() give back. */
struct oms_xreply {
	const char *body;       /* OMS_X_ANSWERED: the answer, in req->a */
	size_t len;
	char why[512];          /* anything else: one line, for last_error
	                         * and the log; never a secret */
};

struct oms_adapter_ops {
	const char *name;       /* "soap", "filedrop", "smtp": the adapter
	                         * key of [exchange NAME] */
	/*
	 * Make the adapter's state for system x (read its password file,
	 * set up its connection handle), *self the caller's to close().
	 * OMS_OK, or OMS_ERR_CONFIG / OMS_ERR_IO / OMS_ERR_NOMEM with one
	 * line in err.
	 */
	enum oms_err (*open)(const struct oms_exchange_conf *x, void **self,
	    char *err, size_t errsz);
	/* Send one request; never blocks past the section's timeout. */
	enum oms_xresult (*send)(void *self, const struct oms_xreq *req,
	    struct oms_xreply *reply);
	/*
	 * Or NULL.  The answer to message message_id if it has come
	 * (OMS_X_ANSWERED), OMS_X_WAITING if not yet, OMS_X_RETRY when the
	 * place it comes to cannot be read.
	 */
	enum oms_xresult (*collect)(void *self, const char *message_id,
	    struct oms_arena *a, struct oms_xreply *reply);
	void (*close)(void *self);
};

/* The adapters, each in its own file of backends/exchange/. */
extern const struct oms_adapter_ops oms_adapter_soap;
extern const struct oms_adapter_ops oms_adapter_filedrop;
extern const struct oms_adapter_ops oms_adapter_smtp;

/* The adapter named name ("soap", ...), or NULL. */
const struct oms_adapter_ops *oms_adapter_lookup(const char *name);

extern const char *const oms_xresult_names[OMS_X__MAX];

#endif /* OMS_EXCHANGE_H */

/*
 * soap.c: the SOAP 1.1 adapter of the legacy exchange (exchange.h;
 * docs/integration-guide.md, "Adapters and mappings").
 *
 * One libcurl easy handle per system, reused from one send() to the
 * next (its DNS and TLS session caches); each request on a connection
 * of its own, never a kept one (see setup(): a stray reply must not be
 * taken for the next request's answer).  A send() wraps the mapped
 * request (one element) in a SOAP 1.1 Envelope, with a WS-Security
 * UsernameToken in the Header when the system wants one, POSTs it with
 * the system's SOAPAction and sorts what came back into the result
 * classes of exchange.h:
 *
 *   no connection (DNS, refused, connect timeout, TLS handshake)  RETRY
 *   request sent in full, then a timeout or a dropped connection  UNKNOWN
 *   reply larger than OMS_SOAP_MAX_REPLY                          UNKNOWN
 *   HTTP 2xx, a Body with an element in it                        ANSWERED
 *   SOAP Fault Client (VersionMismatch, MustUnderstand)           REJECTED
 *   SOAP Fault Server (or any other code)                         RETRY
 *   HTTP 401, 403, other 4xx but 408 and 429                      REJECTED
 *   HTTP 408, 429, 5xx without a Fault, 3xx (never followed)      RETRY
 *   a reply that is not XML, has a DOCTYPE or is no Envelope      RETRY
 *
 * Nothing secret is ever written into reply->why or the log: the
 * password is read once at open(), handed only to libcurl (basic) or
 * into the request body (WS-Security), and wiped at close().
 *
 * Sections: state and open/close; the request (envelope, headers);
 * the reply (classification); the ops table.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <curl/curl.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>

#include "arena.h"
#include "conf.h"
#include "exchange.h"
#include "oms.h"
#include "xmlin.h"

#define SOAP_ENV_NS "http://schemas.xmlsoap.org/soap/envelope/"
#define WSSE_NS "http://docs.oasis-open.org/wss/2004/01/" \
	"oasis-200401-wss-wssecurity-secext-1.0.xsd"
#define WSU_NS "http://docs.oasis-open.org/wss/2004/01/" \
	"oasis-200401-wss-wssecurity-utility-1.0.xsd"
#define WSSE_PASSWORD_TEXT "http://docs.oasis-open.org/wss/2004/01/" \
	"oasis-200401-wss-username-token-profile-1.0#PasswordText"
#define WSSE_BASE64 "http://docs.oasis-open.org/wss/2004/01/" \
	"oasis-200401-wss-soap-message-security-1.0#Base64Binary"

/* The largest reply read; a larger one is cut off (and UNKNOWN). */
#define OMS_SOAP_MAX_REPLY (4 * 1024 * 1024)

/* The adapter's state for one system (open() to close()). */
struct soap {
	struct oms_exchange_conf x;  /* a copy of the system's section */
	CURL *h;                     /* reused: keep-alive */
	char password[256];          /* from password_file; wiped at close */
	char errbuf[CURL_ERROR_SIZE]; /* libcurl's last error */
	char *buf;                   /* the reply being read (malloc) */
	size_t len;                  /* bytes in buf */
	size_t cap;                  /* bytes allocated at buf */
	int toobig;                  /* the reply passed OMS_SOAP_MAX_REPLY */
};

/* ------------------------------------------------------------------
 * Small helpers
 */

/*
 * Format one line into reply->why: control characters (a newline from
 * a faultstring, say) become spaces so the line stays one line.
 */
static void
why(struct oms_xreply *reply, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reply->why, sizeof(reply->why), fmt, ap);
	va_end(ap);
	for (char *p = reply->why; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* Clear a buffer that held a secret, where the compiler cannot drop it. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

/*
 * libcurl's write callback: append the reply to s->buf, up to
 * OMS_SOAP_MAX_REPLY.  Returns n, or 0 to make libcurl stop (too big,
 * or out of memory; s->toobig says which).
 */
static size_t
on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct soap *s = arg;
	size_t n = size * nmemb;

	if (s->len + n > OMS_SOAP_MAX_REPLY) {
		s->toobig = 1;
		return 0;
	}
	if (s->len + n + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 8192;
		char *nb;

		while (cap < s->len + n + 1)
			cap *= 2;
		if ((nb = realloc(s->buf, cap)) == NULL)
			return 0;
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return n;
}

/* ------------------------------------------------------------------
 * open and close
 */

/*
 * Set the options that stay the same for every request of system x on
 * s->h.  OMS_OK, or OMS_ERR_CONFIG with one line in err (an option the
 * linked libcurl does not have, such as a TLS setting).
 */
static enum oms_err
setup(struct soap *s, char *err, size_t errsz)
{
	const struct oms_exchange_conf *x = &s->x;
	CURL *h = s->h;
	CURLcode rc = CURLE_OK;

#define SET(opt, val) \
	do { \
		if (rc == CURLE_OK) \
			rc = curl_easy_setopt(h, opt, val); \
	} while (0)
	SET(CURLOPT_URL, x->endpoint);
	SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, (long)x->connect_timeout);
	SET(CURLOPT_TIMEOUT, (long)x->timeout);
	/* A connection is never used for a second request: a reply the
	 * system sends twice, or late, would otherwise be read as the next
	 * request's answer (the peers' "duplicate" fault shows it; nothing
	 * in a SOAP reply says which request it answers).  The handle is
	 * kept, and with it the DNS and TLS session caches, so a new
	 * connection is cheap next to the commit of a message. */
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_USERAGENT, "OMS/" PACKAGE_VERSION);
	SET(CURLOPT_ERRORBUFFER, s->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_write);
	SET(CURLOPT_WRITEDATA, s);
	SET(CURLOPT_SSL_VERIFYPEER, x->tls_verify ? 1L : 0L);
	SET(CURLOPT_SSL_VERIFYHOST, x->tls_verify ? 2L : 0L);
	if (x->tls_ca[0] != '\0')
		SET(CURLOPT_CAINFO, x->tls_ca);
	if (x->auth == OMS_XAUTH_BASIC) {
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_USERNAME, x->username);
		SET(CURLOPT_PASSWORD, s->password);
	}
#undef SET
	if (rc != CURLE_OK) {
		snprintf(err, errsz, "exchange %s: libcurl: %s", x->name,
		    curl_easy_strerror(rc));
		return OMS_ERR_CONFIG;
	}
	return OMS_OK;
}

/*
 * Free the state s (NULL is fine): the handle (closing its
 * connection), the reply buffer, and the password wiped first.
 */
static void
soap_close(void *self)
{
	struct soap *s = self;

	if (s == NULL)
		return;
	if (s->h != NULL)
		curl_easy_cleanup(s->h);
	free(s->buf);
	wipe(s->password, sizeof(s->password));
	free(s);
}

/*
 * Make the state for system x: check its endpoint, read its password
 * file (auth basic or wsse), make and set up its handle.  *self the
 * caller's to close().  OMS_OK; OMS_ERR_CONFIG (no http(s) endpoint,
 * the password file unreadable, a libcurl option refused) or
 * OMS_ERR_NOMEM with one line in err, never the password.
 */
static enum oms_err
soap_open(const struct oms_exchange_conf *x, void **self, char *err,
    size_t errsz)
{
	static int global;
	struct soap *s;
	enum oms_err e;

	*self = NULL;
	if (strncmp(x->endpoint, "http://", 7) != 0 &&
	    strncmp(x->endpoint, "https://", 8) != 0) {
		snprintf(err, errsz, "exchange %s: endpoint must be an http:// "
		    "or https:// URL", x->name);
		return OMS_ERR_CONFIG;
	}
	if (!global) {
		/* Not thread-safe, like libcurl's own: the dispatcher is
		 * one thread per process. */
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errsz, "curl_global_init failed");
			return OMS_ERR_NOMEM;
		}
		global = 1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return OMS_ERR_NOMEM;
	}
	s->x = *x;
	if (x->auth != OMS_XAUTH_NONE) {
		e = oms_conf_exchange_password(x, s->password,
		    sizeof(s->password), err, errsz);
		if (e != OMS_OK)
			goto err;
		if (s->password[0] == '\0' || x->username[0] == '\0') {
			snprintf(err, errsz, "exchange %s: auth %s needs username "
			    "and password_file", x->name,
			    oms_xauth_names[x->auth]);
			e = OMS_ERR_CONFIG;
			goto err;
		}
	}
	if ((s->h = curl_easy_init()) == NULL) {
		snprintf(err, errsz, "curl_easy_init failed");
		e = OMS_ERR_NOMEM;
		goto err;
	}
	if ((e = setup(s, err, errsz)) != OMS_OK)
		goto err;
	*self = s;
	return OMS_OK;
err:
	soap_close(s);
	return e;
}

/* ------------------------------------------------------------------
 * The request
 */

/*
 * A growing string in arena a.  Appending never fails visibly: on an
 * allocation failure b->failed is set and the text stops growing.
 */
struct sb {
	struct oms_arena *a; /* where the text lives */
	char *p;             /* the text, NUL-terminated */
	size_t len;          /* its length */
	size_t cap;          /* bytes at p */
	int failed;          /* an allocation failed */
};

/* Append n bytes of s to b (see struct sb for failure). */
static void
sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *np;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = oms_arena_alloc(b->a, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		if (b->len > 0)
			memcpy(np, b->p, b->len);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Append the NUL-terminated s to b. */
static void
sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Append s to b escaped as XML character data (also fit for a
 * double-quoted attribute). */
static void
sb_esc(struct sb *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': sb_str(b, "&amp;"); break;
		case '<': sb_str(b, "&lt;"); break;
		case '>': sb_str(b, "&gt;"); break;
		case '"': sb_str(b, "&quot;"); break;
		default: sb_add(b, s, 1); break;
		}
	}
}

/*
 * Append the WS-Security header (UsernameToken, PasswordText, with a
 * fresh 16-byte Nonce and wsu:Created now) for s to b.  OMS_OK, or
 * OMS_ERR_IO when no random bytes could be had.
 */
static enum oms_err
wsse_header(struct soap *s, struct sb *b)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char nonce[16];
	char enc[32], created[32];
	size_t i, o = 0;
	time_t now = time(NULL);
	struct tm tm;

	if (getrandom(nonce, sizeof(nonce), 0) != (ssize_t)sizeof(nonce))
		return OMS_ERR_IO;
	for (i = 0; i + 2 < sizeof(nonce); i += 3) {
		unsigned v = nonce[i] << 16 | nonce[i + 1] << 8 | nonce[i + 2];

		enc[o++] = b64[v >> 18 & 63];
		enc[o++] = b64[v >> 12 & 63];
		enc[o++] = b64[v >> 6 & 63];
		enc[o++] = b64[v & 63];
	}
	/* 16 = 5 * 3 + 1: one byte left, two characters and "==" */
	enc[o++] = b64[nonce[15] >> 2];
	enc[o++] = b64[(nonce[15] & 3) << 4];
	enc[o++] = '=';
	enc[o++] = '=';
	enc[o] = '\0';
	gmtime_r(&now, &tm);
	strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);

	sb_str(b, "<soap:Header><wsse:Security xmlns:wsse=\"" WSSE_NS "\" "
	    "xmlns:wsu=\"" WSU_NS "\" soap:mustUnderstand=\"1\">"
	    "<wsse:UsernameToken><wsse:Username>");
	sb_esc(b, s->x.username);
	sb_str(b, "</wsse:Username><wsse:Password Type=\""
	    WSSE_PASSWORD_TEXT "\">");
	sb_esc(b, s->password);
	sb_str(b, "</wsse:Password><wsse:Nonce EncodingType=\"" WSSE_BASE64
	    "\">");
	sb_str(b, enc);
	sb_str(b, "</wsse:Nonce><wsu:Created>");
	sb_str(b, created);
	sb_str(b, "</wsu:Created></wsse:UsernameToken></wsse:Security>"
	    "</soap:Header>");
	wipe(nonce, sizeof(nonce));
	return OMS_OK;
}

/*
 * The request element of req (its mapped body) serialized without an
 * XML declaration, into b, and the local name of its root (the
 * operation, at most opsz bytes) into op.  OMS_OK; OMS_ERR_XML (the
 * mapped body is not one XML element) with one line in reply->why.
 */
static enum oms_err
request_element(const struct oms_xreq *req, struct sb *b, char *op,
    size_t opsz, struct oms_xreply *reply)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	xmlBufferPtr xb = NULL;
	char err[256];
	enum oms_err e;

	if (req->body == NULL || req->len == 0) {
		why(reply, "no mapped request to send (request_xsl missing?)");
		return OMS_ERR_XML;
	}
	e = oms_xml_read(req->body, req->len, NULL, &doc, err, sizeof(err));
	if (e != OMS_OK || (root = xmlDocGetRootElement(doc)) == NULL) {
		why(reply, "the mapped request is not XML: %s",
		    e != OMS_OK ? err : "no root element");
		xmlFreeDoc(doc);
		return OMS_ERR_XML;
	}
	snprintf(op, opsz, "%s", (const char *)root->name);
	if ((xb = xmlBufferCreate()) == NULL ||
	    xmlNodeDump(xb, doc, root, 0, 0) < 0) {
		why(reply, "out of memory serializing the request");
		xmlBufferFree(xb);
		xmlFreeDoc(doc);
		return OMS_ERR_NOMEM;
	}
	sb_add(b, (const char *)xmlBufferContent(xb),
	    (size_t)xmlBufferLength(xb));
	xmlBufferFree(xb);
	xmlFreeDoc(doc);
	return OMS_OK;
}

/*
 * The SOAPAction header for operation op: the section's soap_action
 * with each "{op}" replaced by op, quoted, into arena a.  NULL when out
 * of memory.
 */
static const char *
soap_action(const struct soap *s, const char *op, struct oms_arena *a)
{
	struct sb b = { .a = a };
	const char *p = s->x.soap_action, *q;

	sb_str(&b, "SOAPAction: \"");
	while ((q = strstr(p, "{op}")) != NULL) {
		sb_add(&b, p, (size_t)(q - p));
		sb_str(&b, op);
		p = q + 4;
	}
	sb_str(&b, p);
	sb_str(&b, "\"");
	return b.failed ? NULL : b.p;
}

/* ------------------------------------------------------------------
 * The reply
 */

/* The first element child of n, or NULL. */
static xmlNodePtr
first_element(xmlNodePtr n)
{
	for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}

/* 1 when n is the element {SOAP 1.1 envelope}name, else 0. */
static int
is_soap(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    strcmp((const char *)n->ns->href, SOAP_ENV_NS) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/*
 * The text of the unqualified child element name of n (faultcode,
 * faultstring) into buf (sz bytes, trimmed), "" when there is none.
 */
static void
child_text(xmlNodePtr n, const char *name, char *buf, size_t sz)
{
	buf[0] = '\0';
	for (n = n->children; n != NULL; n = n->next) {
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0) {
			xmlChar *t = xmlNodeGetContent(n);
			const char *p = (const char *)t;
			size_t l;

			if (t == NULL)
				return;
			while (*p == ' ' || *p == '\t' || *p == '\n' ||
			    *p == '\r')
				p++;
			snprintf(buf, sz, "%s", p);
			l = strlen(buf);
			while (l > 0 && (buf[l - 1] == ' ' || buf[l - 1] == '\n' ||
			    buf[l - 1] == '\t' || buf[l - 1] == '\r'))
				buf[--l] = '\0';
			xmlFree(t);
			return;
		}
	}
}

/*
 * Sort a SOAP Fault f (the reply's HTTP status code) into a result:
 * Client, VersionMismatch and MustUnderstand (and their dotted
 * subcodes) REJECTED, anything else RETRY; reply->why names the code
 * and the faultstring.
 */
static enum oms_xresult
fault(xmlNodePtr f, long code, struct oms_xreply *reply)
{
	char fc[128], fs[400];
	const char *local;

	child_text(f, "faultcode", fc, sizeof(fc));
	child_text(f, "faultstring", fs, sizeof(fs));
	local = strchr(fc, ':') != NULL ? strchr(fc, ':') + 1 : fc;
	if (strncmp(local, "Client", 6) == 0 ||
	    strncmp(local, "VersionMismatch", 15) == 0 ||
	    strncmp(local, "MustUnderstand", 14) == 0) {
		why(reply, "SOAP Fault %s: %s", local, fs);
		return OMS_X_REJECTED;
	}
	why(reply, "SOAP Fault %s (HTTP %ld): %s", local[0] ? local : "?",
	    code, fs);
	return OMS_X_RETRY;
}

/*
 * The element e as a document of its own, serialized into arena a as
 * reply->body: the namespaces it uses from its ancestors (declared on
 * the Envelope, say) are declared on it.  OMS_X_ANSWERED, or
 * OMS_X_RETRY (out of memory) with reply->why.
 */
static enum oms_xresult
answer(xmlNodePtr e, struct oms_arena *a, struct oms_xreply *reply)
{
	xmlDocPtr d;
	xmlNodePtr c;
	xmlChar *mem = NULL;
	int n = 0;

	if ((d = xmlNewDoc((const xmlChar *)"1.0")) == NULL ||
	    (c = xmlDocCopyNode(e, d, 1)) == NULL) {
		xmlFreeDoc(d);
		why(reply, "out of memory copying the reply");
		return OMS_X_RETRY;
	}
	xmlDocSetRootElement(d, c);
	xmlReconciliateNs(d, c);
	xmlDocDumpMemoryEnc(d, &mem, &n, "UTF-8");
	xmlFreeDoc(d);
	if (mem == NULL ||
	    (reply->body = oms_arena_strndup(a, (const char *)mem,
	    (size_t)n)) == NULL) {
		xmlFree(mem);
		why(reply, "out of memory copying the reply");
		return OMS_X_RETRY;
	}
	reply->len = (size_t)n;
	xmlFree(mem);
	return OMS_X_ANSWERED;
}

/*
 * Sort an HTTP status that came without a usable SOAP envelope:
 * 401/403 and other 4xx but 408/429 REJECTED, anything else RETRY.
 * what says what the body was ("not XML: ...").
 */
static enum oms_xresult
by_status(long code, const char *what, struct oms_xreply *reply)
{
	if (code == 401 || code == 403) {
		why(reply, "HTTP %ld: the system refused OMS's credentials "
		    "(check username and password_file)", code);
		return OMS_X_REJECTED;
	}
	if (code >= 400 && code < 500 && code != 408 && code != 429) {
		why(reply, "HTTP %ld, %s", code, what);
		return OMS_X_REJECTED;
	}
	if (code >= 300 && code < 400) {
		why(reply, "HTTP %ld: a redirect, not followed (check endpoint)",
		    code);
		return OMS_X_RETRY;
	}
	why(reply, "HTTP %ld, %s", code, what);
	return OMS_X_RETRY;
}

/*
 * Sort the reply in s->buf (HTTP status code) into a result, with
 * reply->body (ANSWERED, in arena a) or reply->why.
 */
static enum oms_xresult
classify_reply(struct soap *s, long code, struct oms_arena *a,
    struct oms_xreply *reply)
{
	struct oms_xml_limits lim = { .max_bytes = OMS_SOAP_MAX_REPLY };
	xmlDocPtr doc = NULL;
	xmlNodePtr env, body, first;
	char err[256], what[320];
	enum oms_xresult r;

	if (code == 401 || code == 403 || code == 408 || code == 429 ||
	    code == 502 || code == 503 || code == 504)
		return by_status(code, "no SOAP answer", reply);
	if (s->len == 0)
		return by_status(code, "an empty reply", reply);
	if (oms_xml_read(s->buf, s->len, &lim, &doc, err, sizeof(err)) !=
	    OMS_OK) {
		snprintf(what, sizeof(what), "the reply is not XML: %s", err);
		return by_status(code, what, reply);
	}
	env = xmlDocGetRootElement(doc);
	body = NULL;
	if (is_soap(env, "Envelope"))
		for (body = first_element(env); body != NULL &&
		    !is_soap(body, "Body"); body = body->next)
			;
	first = body != NULL ? first_element(body) : NULL;
	if (first == NULL) {
		r = by_status(code, "the reply is not a SOAP 1.1 envelope with "
		    "a Body", reply);
	} else if (is_soap(first, "Fault")) {
		r = fault(first, code, reply);
	} else if (code >= 200 && code < 300) {
		r = answer(first, a, reply);
	} else {
		snprintf(what, sizeof(what), "a SOAP reply <%s> that is no "
		    "Fault", (const char *)first->name);
		r = by_status(code, what, reply);
	}
	xmlFreeDoc(doc);
	return r;
}

/*
 * Sort a transfer that failed with rc into RETRY (certainly not
 * applied: nothing or not all of the request went out) or UNKNOWN (the
 * request went out in full: the system may have applied it).  sent is
 * 1 when the whole envelope was uploaded.
 */
static enum oms_xresult
classify_failure(struct soap *s, CURLcode rc, int sent,
    struct oms_xreply *reply)
{
	const char *detail = s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		why(reply, "no connection: %s", detail);
		return OMS_X_RETRY;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		why(reply, "TLS handshake failed, nothing sent: %s", detail);
		return OMS_X_RETRY;
	default:
		break;
	}
	if (s->toobig) {
		why(reply, "the reply is larger than %d bytes: not read",
		    OMS_SOAP_MAX_REPLY);
		return OMS_X_UNKNOWN;
	}
	if (!sent) {
		why(reply, "the request did not go out in full: %s", detail);
		return OMS_X_RETRY;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		why(reply, "no answer within %d s after the request was sent: "
		    "%s", s->x.timeout, detail);
		return OMS_X_UNKNOWN;
	}
	why(reply, "the connection failed after the request was sent: %s",
	    detail);
	return OMS_X_UNKNOWN;
}

/* ------------------------------------------------------------------
 * send
 */

/*
 * Send req to the system: see the top of this file for the result
 * classes.  reply->body (ANSWERED) lives in req->a; everything else
 * is freed here.  Never blocks past the section's timeout (libcurl's
 * CURLOPT_TIMEOUT covers connecting, sending and reading).
 */
static enum oms_xresult
soap_send(void *self, const struct oms_xreq *req, struct oms_xreply *reply)
{
	struct soap *s = self;
	struct sb env = { .a = req->a };
	struct sb el = { .a = req->a };
	struct curl_slist *hdrs = NULL, *t;
	const char *action;
	char op[128];
	CURLcode rc;
	curl_off_t up = 0;
	long code = 0;
	enum oms_xresult r;
	int64_t t0 = oms_now_us();

	memset(reply, 0, sizeof(*reply));
	switch (request_element(req, &el, op, sizeof(op), reply)) {
	case OMS_OK:
		break;
	case OMS_ERR_NOMEM:
		return OMS_X_RETRY;
	default:
		return OMS_X_REJECTED; /* a mapping that is wrong stays wrong */
	}
	sb_str(&env, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<soap:Envelope xmlns:soap=\"" SOAP_ENV_NS "\">");
	if (s->x.auth == OMS_XAUTH_WSSE && wsse_header(s, &env) != OMS_OK) {
		why(reply, "getrandom failed for the WS-Security nonce: %s",
		    strerror(errno));
		return OMS_X_RETRY;
	}
	sb_str(&env, "<soap:Body>");
	sb_add(&env, el.p != NULL ? el.p : "", el.len);
	sb_str(&env, "</soap:Body></soap:Envelope>");
	action = soap_action(s, op, req->a);
	if (env.failed || el.failed || action == NULL) {
		why(reply, "out of memory building the envelope");
		return OMS_X_RETRY;
	}

	/* One list a request: the SOAPAction names the operation.  No
	 * "Expect: 100-continue": one round trip less, and no body held
	 * back waiting for a peer that never answers it. */
	t = curl_slist_append(hdrs, "Content-Type: text/xml; charset=utf-8");
	if (t != NULL && (hdrs = t, t = curl_slist_append(hdrs, action)) != NULL &&
	    (hdrs = t, t = curl_slist_append(hdrs, "Expect:")) != NULL)
		hdrs = t;
	if (t == NULL) {
		curl_slist_free_all(hdrs);
		why(reply, "out of memory building the headers");
		return OMS_X_RETRY;
	}
	s->len = 0;
	s->toobig = 0;
	s->errbuf[0] = '\0';
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, env.p);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)env.len);
	rc = curl_easy_perform(s->h);
	curl_easy_getinfo(s->h, CURLINFO_SIZE_UPLOAD_T, &up);
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(hdrs);
	/* The envelope may hold the password (WS-Security): gone from the
	 * arena as soon as it has been sent. */
	if (s->x.auth == OMS_XAUTH_WSSE)
		wipe(env.p, env.len);

	if (rc != CURLE_OK)
		r = classify_failure(s, rc, up >= (curl_off_t)env.len, reply);
	else
		r = classify_reply(s, code, req->a, reply);
	/* The reply may be large: do not keep it between requests. */
	if (s->cap > 65536) {
		free(s->buf);
		s->buf = NULL;
		s->cap = 0;
	}
	s->len = 0;
	oms_debug("exchange %s: %s %s: %s (HTTP %ld, %lld ms)%s%s",
	    s->x.name, op, req->message_id ? req->message_id : "-",
	    oms_xresult_names[r], code,
	    (long long)((oms_now_us() - t0) / 1000),
	    r == OMS_X_ANSWERED ? "" : ": ", r == OMS_X_ANSWERED ? "" :
	    reply->why);
	return r;
}

/* ------------------------------------------------------------------
 * The ops
 */

const struct oms_adapter_ops oms_adapter_soap = {
	.name = "soap",
	.open = soap_open,
	.send = soap_send,
	.collect = NULL,
	.close = soap_close,
};

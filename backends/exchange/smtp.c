/*
 * smtp.c: the mail adapter of the legacy exchange (exchange.h): an
 * invoice's Summary Invoice and Billing Report, as the PDFs the billing
 * job stored, mailed to the customer's billing contacts with libcurl.
 *
 * The canonical message is a SendDocuments (distribution.h,
 * docs/exchange/SendDocuments.xsd): it names the invoice and the
 * recipients; the PDFs are read from the store (invoice_documents) at
 * send time, so a message written at issue waits ("retry": "PDF not
 * made yet") until the billing job has made them, and no mail ever goes
 * without its PDFs.  The message is built here (RFC 5322 headers,
 * multipart/mixed MIME of RFC 2045/2046): a text/plain part (the
 * section's request_xsl output when the dispatcher mapped one, else a
 * short text of our own) and the two PDFs, base64.  Its Message-ID is
 * our message id (<oms-UUID@sender's domain>), so a copy the dispatcher
 * sends again after an unknown outcome is recognisable as the same
 * mail; a deliberate resend is a new outbox message with a new id.
 *
 * What becomes of a send, from the SMTP conversation as libcurl's debug
 * callback shows it:
 *   250 after the end of the data        ANSWERED (body NULL: delivered)
 *   no connection, timeout or drop
 *     before the end of the data         RETRY
 *   a 4xx reply anywhere                 RETRY
 *   5xx to every RCPT                    REJECTED
 *   5xx to the data                      REJECTED
 *   other 5xx (530 STARTTLS first, 535
 *     bad login: the configuration)      RETRY (dead after max_attempts)
 *   timeout or drop after the end of
 *     the data, before its reply         UNKNOWN
 *   STARTTLS required but not offered,
 *     certificate not trusted            RETRY
 * The password (password_file) is read at open() and never logged; the
 * protocol lines the debug callback sees are parsed, never logged.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "arena.h"
#include "distribution.h"
#include "documents.h"
#include "exchange.h"

/* The adapter's state for one [exchange NAME] section. */
struct smtp {
	struct oms_exchange_conf x; /* a copy of the section */
	char password[512];         /* "" without AUTH; never logged */
	char domain[256];           /* of the sender, for Message-IDs */
	CURL *curl;                 /* reused between sends */
};

/* Close (ops close): accepts NULL; the password is wiped. */
static void
smtp_close(void *self)
{
	struct smtp *s = self;

	if (s == NULL)
		return;
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	sodium_memzero(s->password, sizeof(s->password));
	free(s);
}

/*
 * Open (ops open): check the section (an smtp:// or smtps:// endpoint,
 * a sender address), read its password file, make the curl handle.
 * *self the caller's to close(); OMS_OK, or OMS_ERR_CONFIG /
 * OMS_ERR_NOMEM with one line in err.
 */
static enum oms_err
smtp_open(const struct oms_exchange_conf *x, void **self, char *err,
    size_t errsz)
{
	struct smtp *s;
	const char *at;
	enum oms_err e;

	*self = NULL;
	if (strncmp(x->endpoint, "smtp://", 7) != 0 &&
	    strncmp(x->endpoint, "smtps://", 8) != 0) {
		snprintf(err, errsz, "[exchange %s]: endpoint must be "
		    "smtp://host:port or smtps://host:port", x->name);
		return OMS_ERR_CONFIG;
	}
	if (!oms_dist_email_ok(x->from)) {
		snprintf(err, errsz, "[exchange %s]: from must be a mail "
		    "address", x->name);
		return OMS_ERR_CONFIG;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return OMS_ERR_NOMEM;
	}
	s->x = *x;
	at = strchr(x->from, '@');
	snprintf(s->domain, sizeof(s->domain), "%s", at + 1);
	if ((e = oms_conf_exchange_password(x, s->password,
	    sizeof(s->password), err, errsz)) != OMS_OK) {
		smtp_close(s);
		return e;
	}
	if ((s->curl = curl_easy_init()) == NULL) {
		snprintf(err, errsz, "curl_easy_init failed");
		smtp_close(s);
		return OMS_ERR_NOMEM;
	}
	*self = s;
	return OMS_OK;
}

/* ------------------------------------------------------------------
 * The message
 */

/* Write n bytes of b to f as base64 in lines of 76 (CRLF). */
static int
put_base64(FILE *f, const unsigned char *b, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_ORIGINAL);
	char *t = malloc(cap);
	size_t len;

	if (t == NULL)
		return -1;
	sodium_bin2base64(t, cap, b, n, sodium_base64_VARIANT_ORIGINAL);
	len = strlen(t);
	for (size_t i = 0; i < len; i += 76) {
		fwrite(t + i, 1, len - i < 76 ? len - i : 76, f);
		fputs("\r\n", f);
	}
	free(t);
	return 0;
}

/* 1 when s has a byte outside printable ASCII (a header must then be
 * encoded). */
static int
non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < ' ')
			return 1;
	return 0;
}

/* The header "Subject: s" into f, RFC 2047 base64 when s is not plain
 * ASCII (CR and LF never reach the header). */
static void
put_subject(FILE *f, const char *s)
{
	if (!non_ascii(s)) {
		fprintf(f, "Subject: %s\r\n", s);
		return;
	}
	fputs("Subject: =?UTF-8?B?", f);
	{
		size_t n = strlen(s);
		size_t cap = sodium_base64_ENCODED_LEN(n,
		    sodium_base64_VARIANT_ORIGINAL);
		char *t = malloc(cap);

		if (t != NULL) {
			sodium_bin2base64(t, cap, (const unsigned char *)s, n,
			    sodium_base64_VARIANT_ORIGINAL);
			fputs(t, f);
			free(t);
		}
	}
	fputs("?=\r\n", f);
}

/* A file name safe in a header: [A-Za-z0-9._-], others '_' (arena). */
static const char *
safe_name(struct oms_arena *a, const char *name)
{
	char *s = oms_arena_strdup(a, name);

	for (char *p = s; p != NULL && *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_'))
			*p = '_';
	return s;
}

/* The two PDFs of a message. */
struct pdfs {
	const char *body[2];
	size_t len[2];
	const char *name[2];
};

/*
 * The whole mail of m (text the mapped body or NULL) into *out
 * (malloc'd, *len bytes; the caller frees it).  0, or -1 out of memory.
 */
static int
build(const struct smtp *s, const struct oms_dist_msg *m, const char *text,
    size_t textlen, const struct pdfs *p, char **out, size_t *len)
{
	static const char *const titles[2] = {"Summary Invoice",
	    "Billing Report"};
	char date[64], boundary[96];
	const char *subject;
	struct tm tm;
	time_t now = time(NULL);
	FILE *f;
	char *sub = NULL;

	*out = NULL;
	if ((f = open_memstream(out, len)) == NULL)
		return -1;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	snprintf(boundary, sizeof(boundary), "=_oms_%s", m->message_id);
	fprintf(f, "From: %s\r\nTo: ", s->x.from);
	for (size_t i = 0; i < m->nto; i++)
		fprintf(f, "%s%s", i ? ",\r\n " : "", m->to[i]);
	fputs("\r\n", f);
	if (asprintf(&sub, "Invoice %lld for %s (%s), %s%s",
	    (long long)m->number, m->customer_name ? m->customer_name : "",
	    m->customer_code, m->period, m->resend ? " (sent again)" : "") <
	    0) {
		fclose(f);
		free(*out);
		return -1;
	}
	for (char *c = sub; *c; c++)
		if (*c == '\r' || *c == '\n')
			*c = ' ';
	subject = sub;
	put_subject(f, subject);
	free(sub);
	fprintf(f, "Date: %s\r\nMessage-ID: <%s@%s>\r\n"
	    "X-OMS-Message-Id: %s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
	    "This is a MIME message.\r\n\r\n--%s\r\n",
	    date, m->message_id, s->domain, m->message_id, boundary,
	    boundary);
	if (text != NULL) {
		fputs("Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", f);
		put_base64(f, (const unsigned char *)text, textlen);
	} else {
		char *t = NULL;
		size_t tl = 0;
		FILE *g = open_memstream(&t, &tl);

		if (g == NULL) {
			fclose(f);
			free(*out);
			return -1;
		}
		fprintf(g, "Dear customer,\n\nattached are the Summary "
		    "Invoice %lld of %s (%s) for %s and its Billing Report:"
		    "\n\n", (long long)m->number, m->customer_name ?
		    m->customer_name : "", m->customer_code, m->period);
		for (int k = 0; k < 2; k++)
			fprintf(g, "  %s  %s\n", p->name[k], titles[k]);
		fprintf(g, "\nBoth are also on the invoice's pages in OMS.\n"
		    "\nReference: %s\n", m->message_id);
		fclose(g);
		fputs("Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n", f);
		put_base64(f, (const unsigned char *)(t ? t : ""), tl);
		free(t);
	}
	for (int k = 0; k < 2; k++) {
		fprintf(f, "\r\n--%s\r\nContent-Type: application/pdf; "
		    "name=\"%s\"\r\nContent-Disposition: attachment; "
		    "filename=\"%s\"\r\nContent-Transfer-Encoding: base64"
		    "\r\n\r\n", boundary, p->name[k], p->name[k]);
		if (put_base64(f, (const unsigned char *)p->body[k],
		    p->len[k]) < 0) {
			fclose(f);
			free(*out);
			return -1;
		}
	}
	fprintf(f, "\r\n--%s--\r\n", boundary);
	if (fclose(f) != 0) {
		free(*out);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------
 * The conversation
 */

/* Where the conversation is, from the debug callback. */
enum phase {
	PH_START,  /* greeting, EHLO, STARTTLS, AUTH */
	PH_MAIL,   /* MAIL FROM sent */
	PH_RCPT,   /* a RCPT TO sent */
	PH_DATA,   /* DATA sent, waiting for 354 */
	PH_BODY,   /* 354 came: the body goes, then its reply */
	PH_DONE    /* the reply to the body came */
};

/* What the debug callback saw, and the upload's position. */
struct talk {
	enum phase phase;
	int rcpt_ok;       /* 2xx replies to RCPT */
	int rcpt_bad;      /* 5xx replies to RCPT */
	int last_code;     /* the last final reply's code */
	char last[200];    /* its text (a server's reply, no secret) */
	int data_code;     /* the reply to the end of the body, or 0 */
	int body_end;      /* the read callback gave the mail's last byte */
	int closing;       /* QUIT or RSET went out after MAIL */
	const char *buf;   /* the mail */
	size_t len;
	size_t off;
};

/* CURLOPT_DEBUGFUNCTION: follows commands and replies (never logged:
 * an AUTH line carries the password). */
static int
on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	struct talk *t = arg;

	(void)c;
	if (type == CURLINFO_HEADER_OUT && size >= 4) {
		if (strncasecmp(data, "MAIL", 4) == 0)
			t->phase = PH_MAIL;
		else if (strncasecmp(data, "RCPT", 4) == 0)
			t->phase = PH_RCPT;
		else if (strncasecmp(data, "DATA", 4) == 0)
			t->phase = PH_DATA;
		else if (t->phase != PH_START)
			t->closing = 1; /* QUIT or RSET: the rest is not ours */
	} else if (type == CURLINFO_HEADER_IN && !t->closing) {
		/* One or more reply lines; a final one is "NNN text". */
		size_t i = 0;

		while (i + 3 < size) {
			size_t j = i;
			int code;

			while (j < size && data[j] != '\n')
				j++;
			if (data[i] >= '1' && data[i] <= '5' &&
			    data[i + 3] != '-') {
				code = (data[i] - '0') * 100 +
				    (data[i + 1] - '0') * 10 + (data[i + 2] - '0');
				t->last_code = code;
				snprintf(t->last, sizeof(t->last), "%.*s",
				    (int)(j - i), data + i);
				t->last[strcspn(t->last, "\r\n")] = '\0';
				if (t->phase == PH_RCPT) {
					if (code / 100 == 2)
						t->rcpt_ok++;
					else if (code / 100 == 5)
						t->rcpt_bad++;
				} else if (t->phase == PH_DATA && code == 354)
					t->phase = PH_BODY;
				else if (t->phase == PH_BODY) {
					t->data_code = code;
					t->phase = PH_DONE;
				}
			}
			i = j + 1;
		}
	}
	return 0;
}

/* CURLOPT_READFUNCTION: the mail from t's buffer. */
static size_t
on_read(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct talk *t = arg;
	size_t n = size * nmemb;

	if (n > t->len - t->off)
		n = t->len - t->off;
	memcpy(ptr, t->buf + t->off, n);
	t->off += n;
	/* With the size given, curl need not ask again for the end: the
	 * whole mail handed over is the end of the data. */
	if (t->off == t->len)
		t->body_end = 1;
	return n;
}

/* Read the two stored PDFs of m's invoice into *p.  OMS_X_ANSWERED
 * when both are there; RETRY with reply->why otherwise. */
static enum oms_xresult
read_pdfs(const struct oms_xreq *req, const struct oms_dist_msg *m,
    struct pdfs *p, struct oms_xreply *reply)
{
	static const enum oms_doc_kind kinds[2] = {OMS_DOC_INVOICE_PDF,
	    OMS_DOC_REPORT_PDF};
	static const char *const suffix[2] = {"invoice", "report"};

	for (int k = 0; k < 2; k++) {
		enum oms_err e = oms_doc_get(req->st, req->a, m->invoice,
		    kinds[k], &p->body[k], &p->len[k]);

		if (e == OMS_ERR_NOTFOUND) {
			snprintf(reply->why, sizeof(reply->why), "PDF not made "
			    "yet: the %s of invoice %lld", suffix[k],
			    (long long)m->number);
			return OMS_X_RETRY;
		}
		if (e != OMS_OK) {
			snprintf(reply->why, sizeof(reply->why), "cannot read "
			    "the %s PDF of invoice %lld: %s", suffix[k],
			    (long long)m->number, oms_strerror(e));
			return OMS_X_RETRY;
		}
		p->name[k] = NULL;
		for (size_t d = 0; d < m->ndocs; d++)
			if (m->doc_kind[d] != NULL && m->doc_name[d] != NULL &&
			    strcmp(m->doc_kind[d], suffix[k]) == 0)
				p->name[k] = safe_name(req->a, m->doc_name[d]);
		if (p->name[k] == NULL)
			p->name[k] = safe_name(req->a, oms_arena_printf(req->a,
			    "%s-%s-%s.pdf", m->customer_code, m->period,
			    suffix[k]));
		if (p->name[k] == NULL) {
			snprintf(reply->why, sizeof(reply->why),
			    "out of memory");
			return OMS_X_RETRY;
		}
	}
	return OMS_X_ANSWERED;
}

/*
 * Send (ops send): the mail of SendDocuments req->canonical.  See the
 * table at the top for the results; reply->body is NULL.
 */
static enum oms_xresult
smtp_send(void *self, const struct oms_xreq *req, struct oms_xreply *reply)
{
	struct smtp *s = self;
	struct oms_dist_msg m;
	struct pdfs p;
	struct talk t;
	struct curl_slist *rcpt = NULL;
	char err[CURL_ERROR_SIZE], from[300];
	enum oms_xresult r;
	char *mail = NULL;
	size_t mlen = 0;
	CURLcode c;

	memset(reply, 0, sizeof(*reply));
	memset(&t, 0, sizeof(t));
	memset(&p, 0, sizeof(p));
	if (oms_dist_parse(req->canonical, req->canonical_len, req->a, &m,
	    err, sizeof(err)) != OMS_OK) {
		snprintf(reply->why, sizeof(reply->why), "not a SendDocuments "
		    "message: %s", err);
		return OMS_X_REJECTED;
	}
	if (m.nto == 0) {
		snprintf(reply->why, sizeof(reply->why), "no recipients");
		return OMS_X_REJECTED;
	}
	if ((r = read_pdfs(req, &m, &p, reply)) != OMS_X_ANSWERED)
		return r;
	if (build(s, &m, req->body, req->body ? req->len : 0, &p, &mail,
	    &mlen) < 0) {
		snprintf(reply->why, sizeof(reply->why), "out of memory");
		return OMS_X_RETRY;
	}
	for (size_t i = 0; i < m.nto; i++) {
		char to[300];
		struct curl_slist *n;

		snprintf(to, sizeof(to), "<%s>", m.to[i]);
		if ((n = curl_slist_append(rcpt, to)) == NULL) {
			curl_slist_free_all(rcpt);
			free(mail);
			snprintf(reply->why, sizeof(reply->why),
			    "out of memory");
			return OMS_X_RETRY;
		}
		rcpt = n;
	}
	t.buf = mail;
	t.len = mlen;
	err[0] = '\0';
	snprintf(from, sizeof(from), "<%s>", s->x.from);
	curl_easy_reset(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_URL, s->x.endpoint);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, rcpt);
	/* A refused recipient does not stop the mail to the others
	 * (the option's name before curl 8.2 had three Ls). */
#if LIBCURL_VERSION_NUM >= 0x080200
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L);
#else
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);
#endif
	curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, &t);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)mlen);
	curl_easy_setopt(s->curl, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGDATA, &t);
	curl_easy_setopt(s->curl, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(s->curl, CURLOPT_CONNECTTIMEOUT,
	    (long)(s->x.connect_timeout > 0 ? s->x.connect_timeout : 10));
	curl_easy_setopt(s->curl, CURLOPT_TIMEOUT,
	    (long)(s->x.timeout > 0 ? s->x.timeout : 60));
	curl_easy_setopt(s->curl, CURLOPT_USE_SSL, s->x.starttls ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYPEER,
	    s->x.tls_verify ? 1L : 0L);
	curl_easy_setopt(s->curl, CURLOPT_SSL_VERIFYHOST,
	    s->x.tls_verify ? 2L : 0L);
	if (s->x.tls_ca[0] != '\0')
		curl_easy_setopt(s->curl, CURLOPT_CAINFO, s->x.tls_ca);
	if (s->x.username[0] != '\0') {
		curl_easy_setopt(s->curl, CURLOPT_USERNAME, s->x.username);
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, s->password);
	}
	c = curl_easy_perform(s->curl);
	/* The handle keeps the password option until the next reset. */
	curl_easy_reset(s->curl);
	curl_slist_free_all(rcpt);
	free(mail);
	if (c == CURLE_OK && (t.data_code == 0 || t.data_code / 100 == 2)) {
		if (t.rcpt_bad > 0)
			oms_warn("smtp %s: message %s: %d of %zu recipients "
			    "refused", s->x.name, m.message_id, t.rcpt_bad,
			    m.nto);
		return OMS_X_ANSWERED;
	}
	if (t.phase == PH_DONE) {
		/* The server answered the body: its answer decides. */
		snprintf(reply->why, sizeof(reply->why), "the mail server "
		    "refused the message: %s", t.last);
		return t.data_code / 100 == 4 ? OMS_X_RETRY : OMS_X_REJECTED;
	}
	if (t.phase == PH_BODY && t.body_end) {
		snprintf(reply->why, sizeof(reply->why), "no answer after the "
		    "message was sent: %s", err[0] ? err :
		    curl_easy_strerror(c));
		return OMS_X_UNKNOWN;
	}
	if (t.rcpt_ok == 0 && t.rcpt_bad > 0 && t.last_code / 100 == 5) {
		snprintf(reply->why, sizeof(reply->why), "every recipient "
		    "refused: %s", t.last);
		return OMS_X_REJECTED;
	}
	if (t.last_code >= 400)
		snprintf(reply->why, sizeof(reply->why), "the mail server "
		    "answered: %s", t.last);
	else if (c == CURLE_USE_SSL_FAILED)
		snprintf(reply->why, sizeof(reply->why), "the mail server "
		    "does not offer STARTTLS (starttls = yes)");
	else
		snprintf(reply->why, sizeof(reply->why), "%s", err[0] ? err :
		    curl_easy_strerror(c));
	return OMS_X_RETRY;
}

const struct oms_adapter_ops oms_adapter_smtp = {
	"smtp",
	smtp_open,
	smtp_send,
	NULL,
	smtp_close,
};

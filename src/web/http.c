/*
 * http.c: routing, content negotiation, and serving one request.
 *
 * Sections, in order: permissions of roles and the session element
 * (oms_role_may, oms_session_node); status reasons; route matching
 * (match, oms_route_match); Accept negotiation (accept_q,
 * oms_accept_format); error documents (error_doc, error_out); request
 * helpers (methods, Allow, cookies, the origin check origin_problem,
 * raw form fields); cookies of the session and of the login form's
 * token; response headers (oms_http_head); the pipeline: struct run,
 * the nine stages stage_limits .. stage_render, the stages[] table and
 * oms_http_serve() (docs/architecture.md walks a request through it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "arena.h"
#include "conf.h"
#include "http.h"
#include "multipart.h"
#include "store.h"
#include "strbuf.h"

static const char *const method_names[OMS_METHOD__MAX] = {
	"GET",  /* OMS_METHOD_GET */
	"HEAD", /* OMS_METHOD_HEAD */
	"POST", /* OMS_METHOD_POST */
};

const char *const oms_format_names[OMS_FORMAT__MAX] = {
	"html",  /* OMS_FORMAT_HTML */
	"xml",   /* OMS_FORMAT_XML */
	"csv",   /* OMS_FORMAT_CSV */
	"print", /* OMS_FORMAT_PRINT */
	"pdf",   /* OMS_FORMAT_PDF */
};

const char *const oms_auth_names[OMS_AUTH__MAX] = {
	"anonymous",   /* OMS_AUTH_ANONYMOUS */
	"session",     /* OMS_AUTH_SESSION */
	"integration", /* OMS_AUTH_INTEGRATION */
};

const char *const oms_body_names[OMS_BODY__MAX] = {
	"none", /* OMS_BODY_NONE */
	"form", /* OMS_BODY_FORM */
	"xml",  /* OMS_BODY_XML */
	"multipart", /* OMS_BODY_MULTIPART */
};

/* The labels of formats in messages. */
static const char *const format_labels[OMS_FORMAT__MAX] = {
	"HTML",      /* OMS_FORMAT_HTML */
	"XML",       /* OMS_FORMAT_XML */
	"CSV",       /* OMS_FORMAT_CSV */
	"print",     /* OMS_FORMAT_PRINT */
	"PDF",       /* OMS_FORMAT_PDF */
};

const char *const oms_perm_names[OMS_PERM__MAX] = {
	"unset",     /* OMS_PERM_UNSET */
	"public",    /* OMS_PERM_PUBLIC */
	"session",   /* OMS_PERM_SESSION */
	"inventory", /* OMS_PERM_INVENTORY */
	"users",     /* OMS_PERM_USERS */
	"audit",     /* OMS_PERM_AUDIT */
	"catalog",   /* OMS_PERM_CATALOG */
	"catalog-edit", /* OMS_PERM_CATALOG_EDIT */
	"orders",    /* OMS_PERM_ORDERS */
	"import",    /* OMS_PERM_IMPORT */
	"invoices",  /* OMS_PERM_INVOICES */
	"billing",   /* OMS_PERM_BILLING */
	"soap",      /* OMS_PERM_SOAP */
	"integration", /* OMS_PERM_INTEGRATION */
	"reconcile", /* OMS_PERM_RECONCILE */
};

/* What each role may do; the one table of it.  OMS_PERM_UNSET is in
 * no role's set: a route whose permission was left out fails closed. */
static const unsigned role_perms[OMS_ROLE__MAX] = {
	/* OMS_ROLE_ADMIN */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY |
	    1u << OMS_PERM_USERS | 1u << OMS_PERM_AUDIT |
	    1u << OMS_PERM_CATALOG | 1u << OMS_PERM_CATALOG_EDIT |
	    1u << OMS_PERM_ORDERS | 1u << OMS_PERM_IMPORT |
	    1u << OMS_PERM_INVOICES | 1u << OMS_PERM_BILLING |
	    1u << OMS_PERM_INTEGRATION | 1u << OMS_PERM_RECONCILE,
	/* OMS_ROLE_VENDOR */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY |
	    1u << OMS_PERM_CATALOG | 1u << OMS_PERM_CATALOG_EDIT |
	    1u << OMS_PERM_ORDERS | 1u << OMS_PERM_INTEGRATION,
	/* OMS_ROLE_FINANCE */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY |
	    1u << OMS_PERM_CATALOG | 1u << OMS_PERM_ORDERS |
	    1u << OMS_PERM_INVOICES | 1u << OMS_PERM_BILLING |
	    1u << OMS_PERM_INTEGRATION | 1u << OMS_PERM_RECONCILE,
	/* OMS_ROLE_CUSTOMER */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY |
	    1u << OMS_PERM_CATALOG | 1u << OMS_PERM_ORDERS |
	    1u << OMS_PERM_INVOICES,
	/* OMS_ROLE_INTEGRATION: the SOAP service alone; it never holds a
	 * session, so no page could be reached even by mistake. */
	1u << OMS_PERM_SOAP,
};

/*
 * 1 when role holds perm (the one table role_perms), 0 otherwise;
 * public routes are open to everyone, OMS_PERM_UNSET to no one.
 */
int
oms_role_may(int role, enum oms_perm perm)
{
	if (perm == OMS_PERM_PUBLIC)
		return 1;
	if (role < 0 || role >= OMS_ROLE__MAX || (unsigned)perm >= OMS_PERM__MAX)
		return 0;
	return (role_perms[role] >> perm) & 1;
}

/*
 * The <session login name role csrf><may><users/>...</may></session>
 * element every page carries, for the layout's account menu and the
 * token of its forms: in <may>, one empty element named by each
 * permission the user's role holds (oms_role_may; "public" aside,
 * which everyone holds), so that stylesheets decide menus from
 * permissions, never from role names.  An element a permission rather
 * than a <may perm="..."/> each: the layout's test is then a child
 * step (may/users), not a predicate over every <may>, which cost the
 * asset page 25,000 instructions a request (callgrind).  Nothing when
 * no one is logged in.
 */
void
oms_session_node(xmlNodePtr root, const struct oms_session *sess)
{
	xmlNodePtr n;

	if (sess == NULL)
		return;
	n = oms_node(root, "session");
	oms_attr(n, "login", sess->user.login);
	oms_attr(n, "name", sess->user.display_name);
	oms_attr(n, "role", oms_role_names[sess->user.role]);
	oms_attr(n, "csrf", sess->csrf);
	n = oms_node(n, "may");
	for (int p = 0; p < OMS_PERM__MAX; p++)
		if (p != OMS_PERM_PUBLIC &&
		    oms_role_may((int)sess->user.role, (enum oms_perm)p))
			oms_node(n, oms_perm_names[p]);
}

/*
 * The reason phrase of an HTTP status, "Error" for one not listed.
 */
const char *
oms_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 401: return "Unauthorized";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/*
 * Match one path against one pattern.  Literal segments must be equal;
 * "{id}" takes a decimal id from 1 to 2^53 without leading zeros.
 * Returns 1 on a match.
 */
static int
match(const char *pat, const char *path, int64_t ids[2])
{
	int nid = 0;

	while (*pat != '\0') {
		if (strncmp(pat, "{id}", 4) == 0) {
			int64_t v = 0;
			int digits = 0;

			if (*path < '1' || *path > '9')
				return 0;
			while (*path >= '0' && *path <= '9') {
				if (++digits > 16)
					return 0;
				v = v * 10 + (*path++ - '0');
			}
			if (v > (INT64_C(1) << 53) || nid >= 2)
				return 0;
			ids[nid++] = v;
			pat += 4;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/*
 * Match method and path against oms_routes[] (http.h): the route, with
 * its {id} parts in ids, or NULL with *allowed the methods the path
 * has (0 when the path does not exist).
 */
const struct oms_route *
oms_route_match(enum oms_method m, const char *path, int64_t ids[2],
    unsigned *allowed)
{
	enum oms_method want = m == OMS_METHOD_HEAD ? OMS_METHOD_GET : m;

	/* m may be OMS_METHOD__MAX (a method we do not know): then no
	 * route matches and *allowed says whether the path exists. */
	*allowed = 0;
	for (size_t i = 0; i < oms_nroutes; i++) {
		int64_t tmp[2] = {0, 0};

		if (!match(oms_routes[i].pattern, path, tmp))
			continue;
		if (oms_routes[i].method == want) {
			ids[0] = tmp[0];
			ids[1] = tmp[1];
			return &oms_routes[i];
		}
		*allowed |= 1u << oms_routes[i].method;
		if (oms_routes[i].method == OMS_METHOD_GET)
			*allowed |= 1u << OMS_METHOD_HEAD;
	}
	return NULL;
}

/*
 * The q-value an Accept header gives a media type: the most specific
 * matching range wins (type/subtype over type/ over star/star).
 * Returns q in thousandths, -1 when nothing matches.
 */
static int
accept_q(const char *accept, const char *type)
{
	const char *p = accept;
	const char *slash = strchr(type, '/');
	size_t tlen = (size_t)(slash - type);
	int best_spec = -1, best_q = -1;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char range[128], *semi, *r;
		int spec = -1, q = 1000;

		if (n < sizeof(range)) {
			memcpy(range, p, n);
			range[n] = '\0';
			r = range;
			while (*r == ' ' || *r == '\t')
				r++;
			if ((semi = strchr(r, ';')) != NULL) {
				char *qs = strstr(semi, "q=");

				*semi = '\0';
				if (qs != NULL) {
					/* q is 0, 1, or 0.xyz */
					int whole = qs[2] == '1';
					int frac = 0, k = 0;
					/* "q=" may end the range: no digit after it. */
					const char *d = qs[2] != '\0' ? qs + 3 : qs + 2;

					if (*d == '.')
						for (d++; k < 3; k++)
							frac = frac * 10 +
							    ((*d >= '0' && *d <= '9') ?
							    *d++ - '0' : 0);
					q = whole ? 1000 : frac;
				}
			}
			for (char *t = r + strlen(r); t > r &&
			    (t[-1] == ' ' || t[-1] == '\t'); t--)
				t[-1] = '\0';
			if (strcasecmp(r, type) == 0)
				spec = 2;
			else if (strncasecmp(r, type, tlen) == 0 &&
			    strcmp(r + tlen, "/*") == 0)
				spec = 1;
			else if (strcmp(r, "*/*") == 0)
				spec = 0;
			if (spec > best_spec) {
				best_spec = spec;
				best_q = q;
			}
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return best_q;
}

/*
 * Which of HTML and XML an Accept header prefers; HTML on a tie or
 * without a header.
 */
enum oms_format
oms_accept_format(const char *accept)
{
	int html, xml;

	if (accept == NULL || *accept == '\0')
		return OMS_FORMAT_HTML;
	html = accept_q(accept, "text/html");
	xml = accept_q(accept, "application/xml");
	if (accept_q(accept, "text/xml") > xml)
		xml = accept_q(accept, "text/xml");
	return xml > html ? OMS_FORMAT_XML : OMS_FORMAT_HTML;
}

/*
 * Build the error document for status and message.  The message is
 * for the user; internals never go in it.
 */
static xmlDocPtr
error_doc(struct oms_arena *a, const struct oms_session *sess, int status,
    const char *message)
{
	xmlNodePtr root, e;
	xmlDocPtr d = oms_doc_new(a, "page", &root);

	if (d == NULL)
		return NULL;
	oms_attr(root, "name", "error");
	oms_attr(root, "title", oms_http_reason(status));
	oms_session_node(root, sess);
	e = oms_node(root, "error");
	oms_attr_int(e, "status", status);
	oms_attr(e, "title", oms_http_reason(status));
	oms_node_text(e, "message", message);
	return d;
}

/* Fill out with a plain-text body: the last resort when even the error
 * page cannot be rendered. */
static void
plain(struct oms_http_out *out, int status, const char *text)
{
	out->status = status;
	out->media = "text/plain";
	out->body = text;
	out->len = strlen(text);
	out->filename = NULL;
}

/* Render an error page for status/message in the format asked for. */
static void
error_out(struct oms_arena *a, struct oms_views *v,
    const struct oms_session *sess, enum oms_format fmt, int status,
    const char *message, struct oms_http_out *out)
{
	xmlDocPtr d = error_doc(a, sess, status, message);
	const char *body, *media;
	size_t len;

	out->status = status;
	out->filename = NULL;
	if (d == NULL) {
		plain(out, status, message);
		return;
	}
	if (fmt == OMS_FORMAT_XML) {
		if (oms_view_xml(d, a, &body, &len) != OMS_OK) {
			plain(out, status, message);
			return;
		}
		media = "application/xml";
	} else if (oms_view_render(v, OMS_SHEET_ERROR, d, a, &body, &len,
	    &media) != OMS_OK) {
		plain(out, status, message);
		return;
	}
	out->body = body;
	out->len = len;
	out->media = media;
}

/* 1 when a query string holds the pair "format=xml" (exactly): read
 * before the fields are checked, so that errors about them reach an
 * API client as XML. */
static int
wants_xml(const char *q)
{
	const char *p = q;

	while ((p = strstr(p, "format=xml")) != NULL) {
		if ((p == q || p[-1] == '&') && (p[10] == '\0' || p[10] == '&'))
			return 1;
		p += 10;
	}
	return 0;
}

/* Which method a REQUEST_METHOD names, or OMS_METHOD__MAX. */
static enum oms_method
parse_method(const char *m)
{
	for (int i = 0; i < OMS_METHOD__MAX; i++)
		if (m != NULL && strcmp(m, method_names[i]) == 0)
			return (enum oms_method)i;
	return OMS_METHOD__MAX;
}

/* "GET, HEAD" for a bitmask of methods, in the arena. */
static const char *
allow_header(struct oms_arena *a, unsigned allowed)
{
	char buf[64] = "";

	for (int i = 0; i < OMS_METHOD__MAX; i++)
		if (allowed & (1u << i)) {
			if (buf[0])
				strcat(buf, ", ");
			strcat(buf, method_names[i]);
		}
	return oms_arena_strdup(a, buf);
}

/* The value of cookie name in a Cookie header, in the arena, or NULL. */
static const char *
cookie_value(struct oms_arena *a, const char *header, const char *name)
{
	size_t n = strlen(name);
	const char *p = header;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			const char *v = p + n + 1;

			return oms_arena_strndup(a, v, strcspn(v, ";"));
		}
		p = strchr(p, ';');
	}
	return NULL;
}

/*
 * 1 when origin (scheme://host[:port], compared without case) is this
 * site: the configured public_origin, or else the request's own scheme
 * and Host, with the server's port when the Host given lacks one
 * (nginx's $host drops it).  The scheme counts: ftp:// or javascript://
 * with the right host and port is another origin.
 */
static int
is_site(const struct oms_conf *c, const struct oms_http_in *in,
    const char *origin, size_t n)
{
	const char *sch = in->scheme && *in->scheme ? in->scheme : "http";
	size_t sl = strlen(sch), hl;

	if (c->public_origin[0] != '\0')
		return n == strlen(c->public_origin) &&
		    strncasecmp(origin, c->public_origin, n) == 0;
	if (in->host == NULL || n < sl + 3 || strncasecmp(origin, sch, sl) != 0 ||
	    strncmp(origin + sl, "://", 3) != 0)
		return 0;
	origin += sl + 3;
	n -= sl + 3;
	hl = strlen(in->host);
	if (n == hl && strncasecmp(origin, in->host, n) == 0)
		return 1;
	return strchr(in->host, ':') == NULL && in->port != NULL &&
	    n == hl + 1 + strlen(in->port) &&
	    strncasecmp(origin, in->host, hl) == 0 && origin[hl] == ':' &&
	    strncmp(origin + hl + 1, in->port, n - hl - 1) == 0;
}

/*
 * Why a form may not have come from this site, or NULL when it may: its
 * Origin must be the site, or, with no Origin, its Referer a page of
 * the site.  A request with neither is refused: every browser sends
 * Origin with a form it posts, so only a client that hides where the
 * request came from lacks both.  The message is for the error page.
 */
static const char *
origin_problem(const struct oms_conf *c, const struct oms_http_in *in)
{
	const char *o = in->origin, *r = in->referer, *p;

	if (o != NULL && *o != '\0')
		return is_site(c, in, o, strlen(o)) ? NULL : "This form has "
		    "expired or did not come from OMS. Reload the page and "
		    "try again.";
	if (r == NULL || *r == '\0')
		return "This form was refused: the request did not say where "
		    "it came from (no Origin or Referer header).";
	if ((p = strstr(r, "://")) != NULL) {
		p += 3;
		p += strcspn(p, "/?#");
		if ((*p == '/' || *p == '\0') &&
		    is_site(c, in, r, (size_t)(p - r)))
			return NULL;
	}
	return "This form has expired or did not come from OMS. Reload the "
	    "page and try again.";
}

/*
 * The value of field name in an urlencoded body, decoded, or NULL: the
 * CSRF token is checked before the other fields are, so that a forged
 * request never learns what else it got wrong.
 */
static const char *
raw_field(struct oms_arena *a, const char *body, int64_t len,
    const char *name)
{
	struct oms_fields f;
	size_t n = strlen(name);
	const char *p = body, *end = body + (len > 0 ? len : 0);

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;

		if ((size_t)(pe - p) > n && strncmp(p, name, n) == 0 &&
		    p[n] == '=') {
			static const enum oms_key csrf[] = {OMS_KEY_CSRF,
			    OMS_KEY__MAX};

			if (oms_fields_parse_keys(a, p, (size_t)(pe - p), csrf,
			    &f) == OMS_OK &&
			    f.f[OMS_KEY_CSRF].present)
				return f.f[OMS_KEY_CSRF].s;
			return NULL;
		}
		p = pe + 1;
	}
	return NULL;
}

/* The session cookie for a new session, or to clear it (id NULL). */
const char *
oms_http_session_cookie(struct oms_arena *a, const struct oms_conf *c, const char *id)
{
	return oms_arena_printf(a, "oms_session=%s; Path=/; HttpOnly; "
	    "SameSite=Lax%s; Max-Age=%d", id ? id : "",
	    c->cookie_secure ? "; Secure" : "", id ? c->auth.absolute_timeout : 0);
}

/*
 * 1 when s is a token as random_login_token makes them: 43 characters
 * of base64url.  A cookie value is echoed in Set-Cookie and in the
 * page only when it passes, so that nothing else is ever reflected.
 */
static int
is_login_token(const char *s)
{
	size_t n = s ? strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") : 0;

	return n == 43 && s[n] == '\0';
}

/*
 * The Set-Cookie value of the login form's pre-session token tok (in
 * the arena), or one that clears it when tok is NULL.
 */
const char *
oms_http_login_cookie(struct oms_arena *a, const struct oms_conf *c,
    const char *tok)
{
	return oms_arena_printf(a, "oms_login=%s; Path=/login; HttpOnly; "
	    "SameSite=Strict%s; Max-Age=%d", tok ? tok : "",
	    c->cookie_secure ? "; Secure" : "", tok ? OMS_LOGIN_TOKEN_AGE : 0);
}

/*
 * The login form's token: the browser's own when its cookie holds a
 * well-formed one, else a new one, which is then set as a cookie on
 * resp.  The string is in the request's arena; NULL when out of
 * memory.
 */
const char *
oms_http_login_token(struct oms_req *req, struct oms_resp *resp)
{
	const char *tok = req->cookie_login;

	if (tok == NULL) {
		unsigned char b[32];
		char *t = oms_arena_alloc(req->arena, 48);

		if (t == NULL)
			return NULL;
		randombytes_buf(b, sizeof(b));
		sodium_bin2base64(t, 48, b, sizeof(b),
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		tok = t;
	}
	resp->cookie2 = oms_http_login_cookie(req->arena, req->conf, tok);
	return resp->cookie2 ? tok : NULL;
}

/*
 * 1 when media is text that gets "; charset=utf-8": the text types and the XML
 * of our documents; never binary types such as application/pdf.
 */
int
oms_http_is_text(const char *media)
{
	return media != NULL && (strncasecmp(media, "text/", 5) == 0 ||
	    strcasecmp(media, "application/xml") == 0);
}

/* A download name safe inside a quoted header value: [A-Za-z0-9._-]. */
static const char *
safe_filename(struct oms_arena *a, const char *name)
{
	char *s = oms_arena_strndup(a, name, strnlen(name, 255));

	for (char *p = s; p != NULL && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_'))
			*p = '_';
	return s;
}

/*
 * The header block of out (a "Status:" line for FastCGI, Content-Type with
 * a charset on text types only, and the optional headers), built in
 * the arena without a length limit.  NULL when out of memory.
 */
const char *
oms_http_head(struct oms_arena *a, const struct oms_http_out *out,
    const char *rid, size_t *len)
{
	struct oms_sb b;
	int64_t retry = out->retry_after;
	const char *media = out->media ? out->media : "text/plain";

	/* Appends, not printf: every response has one (callgrind). */
#define LINE(name, value) do {                                            \
		oms_sb_puts(&b, name ": ");                               \
		oms_sb_puts(&b, value);                                   \
		oms_sb_add(&b, "\r\n", 2);                                \
	} while (0)
	oms_sb_init(&b, a);
	oms_sb_puts(&b, "Status: ");
	oms_sb_int(&b, out->status);
	oms_sb_add(&b, " ", 1);
	oms_sb_puts(&b, oms_http_reason(out->status));
	oms_sb_puts(&b, "\r\nContent-Type: ");
	oms_sb_puts(&b, media);
	if (oms_http_is_text(media))
		oms_sb_puts(&b, "; charset=utf-8");
	oms_sb_puts(&b, "\r\nContent-Length: ");
	oms_sb_int(&b, (int64_t)out->len);
	oms_sb_add(&b, "\r\n", 2);
	if (out->filename != NULL) {
		const char *f = safe_filename(a, out->filename);

		if (f == NULL)
			return NULL;
		oms_sb_puts(&b, out->inline_file ?
		    "Content-Disposition: inline; filename=\"" :
		    "Content-Disposition: attachment; filename=\"");
		oms_sb_puts(&b, f);
		oms_sb_add(&b, "\"\r\n", 3);
	}
	if (out->allow != NULL)
		LINE("Allow", out->allow);
	if (out->location != NULL)
		LINE("Location", out->location);
	if (out->cookie != NULL)
		LINE("Set-Cookie", out->cookie);
	if (out->cookie2 != NULL)
		LINE("Set-Cookie", out->cookie2);
	if (retry <= 0 && out->status == 503)
		retry = 5;
	if (retry <= 0 && out->status == 429)
		retry = 60;
	if (retry > 0 && (out->status == 429 || out->status == 503)) {
		oms_sb_puts(&b, "Retry-After: ");
		oms_sb_int(&b, retry);
		oms_sb_add(&b, "\r\n", 2);
	}
	LINE("X-Request-Id", rid ? rid : "-");
#undef LINE
	oms_sb_puts(&b, "Cache-Control: no-store\r\n"
	    "Vary: Accept\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Frame-Options: DENY\r\n"
	    "Referrer-Policy: same-origin\r\n"
	    "Content-Security-Policy: default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; form-action 'self'; "
	    "frame-ancestors 'none'; base-uri 'none'\r\n\r\n");
	return oms_sb_done(&b, len);
}

/* ------------------------------------------------------------------
 * The pipeline.  oms_http_serve() runs a request through the stages of
 * the table below, in order, in the manner of nginx's phases: each
 * stage reads what the earlier ones left in struct run and either lets
 * the request go on or finishes the response itself.
 */

/* One request on its way through the stages. */
struct run {
	struct oms_arena *a;          /* the request's arena */
	struct oms_views *v;          /* compiled stylesheets */
	const struct oms_conf *conf;  /* configuration in force */
	const struct oms_http_in *in; /* what FastCGI gave */
	const char *body;             /* the request body, or NULL */
	int64_t bodylen;              /* its length; -1 when over the limit */
	struct oms_http_out *out;     /* the response being made */
	const struct oms_route *r;    /* the route (from the route stage) */
	struct oms_session *sess;     /* the session, or NULL */
	struct oms_req req;           /* what the handler sees */
	struct oms_resp resp;         /* what the handler gives back */
	struct oms_fields form;       /* the fields of a form body */
	int has_form;                 /* 1 when form holds a parsed body */
	enum oms_format fmt;          /* the format errors go out in */
	size_t qlen;                  /* bytes of query string */
	int soap;                     /* 1: an integration route, whose
	                               * every error is a SOAP Fault */
};

/* What a stage tells the pipeline. */
enum stage_next {
	STAGE_GO,   /* on to the next stage */
	STAGE_DONE  /* the response is made */
};

/* Finish with an error page: the session (may be NULL) shows in it. */
static enum stage_next
fail(struct run *x, int status, const char *message)
{
	if (x->soap) {
		oms_soap_fault_out(x->a, status, message, x->out);
		return STAGE_DONE;
	}
	error_out(x->a, x->v, x->sess, x->fmt, status, message, x->out);
	return STAGE_DONE;
}

/*
 * limits: the method, the format early errors go out in, and the size
 * limits of the query and the body.  Needs nothing from the database.
 */
static enum stage_next
stage_limits(struct run *x)
{
	const struct oms_http_in *in = x->in;

	x->fmt = oms_accept_format(in->accept);
	/* An API client asking for XML gets even its early errors as XML. */
	if (in->query != NULL && wants_xml(in->query))
		x->fmt = OMS_FORMAT_XML;
	x->qlen = in->query ? strlen(in->query) : 0;
	x->req.path = in->path ? in->path : "/";
	x->req.query = in->query ? in->query : "";
	x->req.method = parse_method(in->method);
	x->req.address = in->address ? in->address : "unknown";
	x->out->head = x->req.method == OMS_METHOD_HEAD;
	{
		/* An integration route answers even its early errors (the
		 * size limits) as SOAP Faults; its clients parse nothing
		 * else. */
		const struct oms_route *r;
		int64_t ids[2];
		unsigned allowed = 0;

		r = oms_route_match(x->req.method, x->req.path, ids, &allowed);
		x->soap = r != NULL && r->auth == OMS_AUTH_INTEGRATION;
	}
	if (x->conf->public_origin[0] != '\0')
		x->req.origin = x->conf->public_origin;
	else
		x->req.origin = oms_arena_printf(x->a, "%s://%s",
		    in->scheme && *in->scheme ? in->scheme : "http",
		    in->host && *in->host ? in->host : "localhost");
	if (x->qlen > x->conf->max_query)
		return fail(x, 414, oms_arena_printf(x->a, "The query string is "
		    "longer than %zu bytes.", x->conf->max_query));
	if (x->bodylen < 0 || in->content_length > (int64_t)x->conf->max_body)
		return fail(x, 413, oms_arena_printf(x->a, "The request body is "
		    "larger than %zu bytes.", x->conf->max_body));
	return STAGE_GO;
}

/* route: the route of method and path; 405 with Allow, or 404. */
static enum stage_next
stage_route(struct run *x)
{
	unsigned allowed = 0;

	x->r = oms_route_match(x->req.method, x->req.path, x->req.ids, &allowed);
	if (x->r != NULL) {
		x->req.route = x->r;
		return STAGE_GO;
	}
	if (!allowed)
		return fail(x, 404, "There is no page at this address.");
	x->out->allow = allow_header(x->a, allowed);
	return fail(x, 405, x->req.method == OMS_METHOD__MAX ?
	    "This method is not supported." : oms_arena_printf(x->a,
	    "This address does not accept %s requests.",
	    method_names[x->req.method]));
}

/*
 * Load the session the cookie names into x->sess.  A cookie naming no
 * session is cleared.  Returns STAGE_DONE (with a 500 or 503) only
 * when the session could not be read at all.
 */
static enum stage_next
load_session(struct run *x)
{
	const char *sid = x->req.cookie_session;
	enum oms_err e;

	if (sid == NULL || *sid == '\0')
		return STAGE_GO;
	if ((x->sess = oms_arena_alloc(x->a, sizeof(*x->sess))) == NULL)
		return fail(x, 500, "The server is out of memory.");
	e = oms_session_load(x->req.st, x->a, &x->conf->auth, sid, x->req.now,
	    x->sess);
	if (e == OMS_OK) {
		snprintf(x->sess->id, sizeof(x->sess->id), "%s", sid);
		return STAGE_GO;
	}
	x->sess = NULL;
	if (e == OMS_ERR_NOTFOUND) {
		x->out->cookie = oms_http_session_cookie(x->a, x->conf, NULL);
		return STAGE_GO;
	}
	return fail(x, 503, "The database is unavailable. Please try again "
	    "in a moment.");
}

/*
 * authenticate: who is asking, by the route's auth.  A session route
 * reads the session cookie; an anonymous one reads it for GET only (to
 * show who is logged in), so that a public POST costs no session
 * touch.  Integration accounts have no credentials store yet: such a
 * route fails closed with 401.  The scope of the user goes with the
 * request into every domain read.
 */
static enum stage_next
stage_authenticate(struct run *x)
{
	const struct oms_http_in *in = x->in;

	x->req.cookie_session = in->cookie ?
	    cookie_value(x->a, in->cookie, "oms_session") : NULL;
	if (x->r->auth == OMS_AUTH_INTEGRATION) {
		/* No session is read: a person's cookie is no way in here.
		 * The account is authenticated on every request. */
		int status = 500;
		const char *why = NULL;

		if (x->req.method != OMS_METHOD_POST)
			return fail(x, 405, "Send SOAP requests by POST.");
		x->req.body = x->body;
		x->req.body_len = x->body && x->bodylen > 0 ?
		    (size_t)x->bodylen : 0;
		if (oms_soap_authenticate(&x->req, in->authorization, &status,
		    &why) != OMS_OK)
			return fail(x, status, why);
		x->req.scope = oms_scope_all;
		x->req.actor.address = x->req.address;
		return STAGE_GO;
	}
	if ((x->r->auth == OMS_AUTH_SESSION || x->r->method == OMS_METHOD_GET) &&
	    load_session(x) == STAGE_DONE)
		return STAGE_DONE;
	if (x->sess != NULL) {
		x->req.sess = x->sess;
		oms_scope_of(&x->sess->user, &x->req.scope);
		x->req.actor.user_id = x->sess->user.id;
		x->req.actor.login = x->sess->user.login;
	} else {
		x->req.scope.customer = -1; /* nothing, should a handler ask */
		x->req.actor.login = "anonymous";
	}
	x->req.actor.address = x->req.address;
	return STAGE_GO;
}

/*
 * permit: a session route without a session sends a browser to the
 * login form (303 with next=) and anyone else a 401; a session whose
 * role lacks the route's permission gets a 403.
 */
static enum stage_next
stage_permit(struct run *x)
{
	if (x->r->auth == OMS_AUTH_INTEGRATION)
		return oms_role_may((int)x->req.account.role, x->r->perm) ?
		    STAGE_GO : fail(x, 403, "This account may not call this "
		    "service.");
	if (x->r->auth == OMS_AUTH_SESSION && x->sess == NULL) {
		const char *next;

		if (x->fmt != OMS_FORMAT_HTML || x->req.method == OMS_METHOD_POST) {
			error_out(x->a, x->v, NULL, x->fmt, 401,
			    "Please log in first.", x->out);
			return STAGE_DONE;
		}
		next = oms_arena_printf(x->a, "%s%s%s", x->req.path,
		    x->qlen ? "?" : "", x->req.query);
		x->out->status = 303;
		x->out->location = oms_arena_printf(x->a, "/login?next=%s",
		    oms_url_encode(x->a, next ? next : "/"));
		x->out->media = "text/plain";
		x->out->body = "Please log in.\n";
		x->out->len = strlen(x->out->body);
		return STAGE_DONE;
	}
	if (x->r->perm == OMS_PERM_PUBLIC)
		return STAGE_GO;
	if (x->sess == NULL || !oms_role_may((int)x->sess->user.role, x->r->perm))
		return fail(x, 403, "Your account does not give access to this "
		    "page.");
	return STAGE_GO;
}

/*
 * csrf: a state change comes only by POST.  A form must come from this
 * site (Origin, else Referer; neither is refused) and a session's form
 * carry the session's token; an anonymous route's form (the login) the
 * pre-session token of its oms_login cookie (oms_http_login_token),
 * which is read here for every request.  Checked before anything else
 * is, so that a forged request never learns what else it got wrong.  An XML body (integration accounts) needs neither.
 * A POST takes its fields from the body only (format aside), so that
 * passwords and tokens never sit in URLs and logs.
 */
static enum stage_next
stage_csrf(struct run *x)
{
	const char *tok, *why, *pre;

	pre = x->in->cookie ? cookie_value(x->a, x->in->cookie, "oms_login") :
	    NULL;
	x->req.cookie_login = is_login_token(pre) ? pre : NULL;
	if (x->req.method != OMS_METHOD_POST || x->r->body == OMS_BODY_XML)
		return STAGE_GO;
	if ((why = origin_problem(x->conf, x->in)) != NULL)
		return fail(x, 403, why);
	if (x->r->body == OMS_BODY_MULTIPART) {
		/* An upload: its token is one of its parts. */
		struct oms_part parts[8];
		size_t n = 0;

		if (x->in->content_type == NULL || strncasecmp(x->in->content_type,
		    "multipart/form-data", 19) != 0)
			return fail(x, 415, "Send this form as multipart/form-data.");
		tok = NULL;
		if (x->body != NULL && oms_multipart_parse(x->a,
		    x->in->content_type, x->body, (size_t)x->bodylen, parts,
		    OMS_NELEM(parts), &n, &why) == OMS_OK)
			for (size_t i = 0; i < n; i++)
				if (strcmp(parts[i].name, "csrf") == 0)
					tok = oms_arena_strndup(x->a, parts[i].data,
					    parts[i].len);
	} else
		tok = x->body ? raw_field(x->a, x->body, x->bodylen, "csrf") :
		    NULL;
	if (x->sess != NULL && (tok == NULL ||
	    !oms_token_equal(tok, x->sess->csrf)))
		return fail(x, 403, "This form has expired or did not come from "
		    "OMS. Reload the page and try again.");
	if (x->r->auth == OMS_AUTH_ANONYMOUS && (x->req.cookie_login == NULL ||
	    tok == NULL || !oms_token_equal(tok, x->req.cookie_login)))
		return fail(x, 403, "This login form has expired or did not come "
		    "from OMS. Reload the login page and try again.");
	if (x->qlen > 0 && !(strncmp(x->req.query, "format=", 7) == 0 &&
	    strchr(x->req.query, '&') == NULL))
		return fail(x, 400, "Send form fields in the request body, not "
		    "in the address.");
	return STAGE_GO;
}

/*
 * decode: the body by the route's declaration.  A form body must say it
 * is urlencoded and is parsed against the route's fields; an XML body
 * must say it is XML and reaches the handler raw.  A route without a
 * body ignores one.
 */
static enum stage_next
stage_decode(struct run *x)
{
	const char *ct = x->in->content_type;
	enum oms_err e;

	if (x->req.method != OMS_METHOD_POST || x->bodylen <= 0 ||
	    x->r->body == OMS_BODY_NONE)
		return STAGE_GO;
	x->req.body = x->body;
	x->req.body_len = (size_t)x->bodylen;
	x->req.content_type = ct;
	if (x->r->body == OMS_BODY_MULTIPART)
		return STAGE_GO; /* checked by stage_csrf; the handler parses */
	if (x->r->body == OMS_BODY_XML) {
		if (ct == NULL || (strncasecmp(ct, "application/xml", 15) != 0 &&
		    strncasecmp(ct, "text/xml", 8) != 0))
			return fail(x, 415, "Send XML as application/xml.");
		return STAGE_GO;
	}
	if (ct == NULL || strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) != 0)
		return fail(x, 415, "Forms must be sent as "
		    "application/x-www-form-urlencoded.");
	e = oms_fields_parse_keys(x->a, x->body, (size_t)x->bodylen,
	    x->r->fields, &x->form);
	if (e != OMS_OK)
		return fail(x, e == OMS_ERR_NOMEM ? 500 : 400, e == OMS_ERR_NOMEM ?
		    "The server is out of memory." : x->form.err);
	x->has_form = 1;
	return STAGE_GO;
}

/*
 * fields: the query string against the route's fields, then the form's
 * fields merged in (a field in both is refused), then the format: the
 * 'format' field, or Accept; refused when the route does not offer it.
 */
static enum stage_next
stage_fields(struct run *x)
{
	struct oms_fields *f = &x->req.fields;
	enum oms_err e;
	enum oms_format fmt = x->fmt;

	e = oms_fields_parse_keys(x->a, x->req.query, x->qlen, x->r->fields, f);
	for (int k = 0; e == OMS_OK && x->has_form && k < OMS_KEY__MAX; k++) {
		if (!x->form.f[k].present)
			continue;
		if (f->f[k].present) {
			snprintf(f->err, sizeof(f->err), "field '%s' given more "
			    "than once", oms_keys[k].name);
			e = OMS_ERR_INVAL;
		} else
			f->f[k] = x->form.f[k];
	}
	if (e != OMS_OK)
		return fail(x, e == OMS_ERR_NOMEM ? 500 : 400, e == OMS_ERR_NOMEM ?
		    "The server is out of memory." : f->err);
	if (f->f[OMS_KEY_FORMAT].present)
		fmt = (enum oms_format)f->f[OMS_KEY_FORMAT].i;
	else if (x->r->sheets[OMS_FORMAT_HTML] == OMS_SHEET_NONE)
		fmt = OMS_FORMAT_HTML; /* plain answers ignore Accept */
	if (fmt != OMS_FORMAT_HTML && x->r->sheets[fmt] == OMS_SHEET_NONE) {
		/* Said in HTML, or in XML to a client that asked for it. */
		if (x->fmt != OMS_FORMAT_XML)
			x->fmt = OMS_FORMAT_HTML;
		return fail(x, 400, oms_arena_printf(x->a, "field 'format': this "
		    "page is not available as %s.", format_labels[fmt]));
	}
	x->req.format = x->fmt = fmt;
	return STAGE_GO;
}

/* handler: the route's function builds the response. */
static enum stage_next
stage_handler(struct run *x)
{
	x->resp.status = 200;
	x->r->fn(&x->req, &x->resp);
	x->out->cookie = x->resp.cookie ? x->resp.cookie : x->out->cookie;
	x->out->cookie2 = x->resp.cookie2;
	x->out->retry_after = x->resp.retry_after;
	return STAGE_GO;
}

/*
 * Put the n bytes of part in place of OMS_SPLICE_MARK in the rendered
 * page *body (*len bytes), in arena a.  OMS_OK; OMS_ERR_XML when the
 * page has no mark (its stylesheet and handler disagree: logged);
 * OMS_ERR_NOMEM.
 */
static enum oms_err
splice(struct oms_arena *a, const char *part, size_t n, const char **body,
    size_t *len)
{
	static const char mark[] = OMS_SPLICE_MARK;
	const size_t ml = sizeof(mark) - 1;
	const char *at = NULL;
	char *out;
	size_t head;

	for (size_t i = 0; i + ml <= *len; i++)
		if ((*body)[i] == '<' && memcmp(*body + i, mark, ml) == 0) {
			at = *body + i;
			break;
		}
	if (at == NULL) {
		oms_error("http: a stored document has no place in its page");
		return OMS_ERR_XML;
	}
	head = (size_t)(at - *body);
	if ((out = oms_arena_alloc(a, *len - ml + n + 1)) == NULL)
		return OMS_ERR_NOMEM;
	memcpy(out, *body, head);
	memcpy(out + head, part, n);
	memcpy(out + head + n, at + ml, *len - head - ml);
	*len = *len - ml + n;
	out[*len] = '\0';
	*body = out;
	return OMS_OK;
}

/*
 * render: the handler's answer as a response: a redirect, an error
 * page, a raw body, or the document in the format asked for (itself
 * for XML, through the route's stylesheet for the others).
 */
static enum stage_next
stage_render(struct run *x)
{
	struct oms_resp *resp = &x->resp;
	struct oms_http_out *out = x->out;
	enum oms_sheet sheet = x->r->sheets[x->fmt];
	enum oms_err e;

	if (resp->status == 303) {
		out->status = 303;
		out->location = resp->location;
		out->media = "text/plain";
		out->body = "See the next page.\n";
		out->len = strlen(out->body);
		return STAGE_DONE;
	}
	if (resp->status >= 400 && resp->doc == NULL &&
	    !(x->soap && resp->body != NULL)) {
		if (resp->status >= 500 && resp->message == NULL)
			resp->message = "The server could not complete this "
			    "request. It has been logged.";
		if (x->fmt != OMS_FORMAT_XML)
			x->fmt = OMS_FORMAT_HTML;
		return fail(x, resp->status, resp->message ? resp->message :
		    "Error.");
	}
	out->status = resp->status;
	if (resp->body != NULL) {
		out->body = resp->body;
		out->len = resp->body_len ? resp->body_len : strlen(resp->body);
		out->media = resp->media ? resp->media : "text/plain";
		out->filename = resp->filename;
		out->inline_file = resp->inline_file;
		return STAGE_DONE;
	}
	if (sheet == OMS_SHEET_DOC) {
		e = oms_view_xml(resp->doc, x->a, &out->body, &out->len);
		out->media = "application/xml";
	} else
		e = oms_view_render(x->v, sheet, resp->doc, x->a, &out->body,
		    &out->len, &out->media);
	out->filename = x->fmt == OMS_FORMAT_CSV || x->fmt == OMS_FORMAT_PDF ?
	    resp->filename : NULL;
	if (e == OMS_OK && resp->splice != NULL && sheet != OMS_SHEET_DOC)
		e = splice(x->a, resp->splice, resp->splice_len, &out->body,
		    &out->len);
	if (e != OMS_OK) {
		x->fmt = OMS_FORMAT_HTML;
		return fail(x, 500, "The page could not be rendered. The problem "
		    "has been logged.");
	}
	return STAGE_DONE;
}

/* The stages, in the order a request goes through them. */
static const struct {
	const char *name;               /* for logs and docs */
	enum stage_next (*fn)(struct run *);
} stages[] = {
	{"limits", stage_limits},
	{"route", stage_route},
	{"authenticate", stage_authenticate},
	{"permit", stage_permit},
	{"csrf", stage_csrf},
	{"decode", stage_decode},
	{"fields", stage_fields},
	{"handler", stage_handler},
	{"render", stage_render},
};

/*
 * Serve one request: run the stages until one finishes the response.
 * Never fails: every error is a response.  All memory is the arena's.
 */
void
oms_http_serve(struct oms_arena *a, struct oms_store *st,
    struct oms_views *v, const struct oms_conf *conf,
    const struct oms_http_in *in, const char *body, int64_t bodylen,
    struct oms_http_out *out)
{
	struct run x;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.v = v;
	x.conf = conf;
	x.in = in;
	x.body = body;
	x.bodylen = bodylen;
	x.out = out;
	x.req.arena = a;
	x.req.st = st;
	x.req.conf = conf;
	x.req.now = (int64_t)time(NULL);
	for (size_t i = 0; i < OMS_NELEM(stages); i++)
		if (stages[i].fn(&x) == STAGE_DONE)
			return;
}

/*
 * http.c: routing, content negotiation, and serving one request.
 *
 * Sections: route matching; Accept negotiation; error documents;
 * the dispatcher oms_http_serve().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "conf.h"
#include "http.h"
#include "store.h"

static const char *const method_names[OMS_METHOD__MAX] = {
	"GET",  /* OMS_METHOD_GET */
	"HEAD", /* OMS_METHOD_HEAD */
	"POST", /* OMS_METHOD_POST */
};

const char *const oms_perm_names[OMS_PERM__MAX] = {
	"unset",     /* OMS_PERM_UNSET */
	"public",    /* OMS_PERM_PUBLIC */
	"session",   /* OMS_PERM_SESSION */
	"inventory", /* OMS_PERM_INVENTORY */
	"users",     /* OMS_PERM_USERS */
	"audit",     /* OMS_PERM_AUDIT */
};

/* What each role may do; the one table of it.  OMS_PERM_UNSET is in
 * no role's set: a route whose permission was left out fails closed. */
static const unsigned role_perms[OMS_ROLE__MAX] = {
	/* OMS_ROLE_ADMIN */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY |
	    1u << OMS_PERM_USERS | 1u << OMS_PERM_AUDIT,
	/* OMS_ROLE_VENDOR */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY,
	/* OMS_ROLE_FINANCE */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY,
	/* OMS_ROLE_CUSTOMER */
	1u << OMS_PERM_SESSION | 1u << OMS_PERM_INVENTORY,
};

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
 * The <session login name role csrf/> element every page carries, for
 * the layout's account menu and the token of its forms.  Nothing when
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
}

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
 * 1 when an Origin header names this site itself: its host[:port] is
 * the request's Host, or Host plus the server's port when the Host
 * given lacks one (nginx's $host drops it).
 */
static int
same_origin(const struct oms_http_in *in)
{
	const char *o = in->origin, *sep, *auth;
	size_t hl;

	if (o == NULL || *o == '\0')
		return 1; /* not sent: SameSite and the token still hold */
	if (in->host == NULL || (sep = strstr(o, "://")) == NULL)
		return 0;
	auth = sep + 3;
	if (strcmp(auth, in->host) == 0)
		return 1;
	hl = strlen(in->host);
	if (strchr(in->host, ':') == NULL && in->port != NULL &&
	    strncmp(auth, in->host, hl) == 0 && auth[hl] == ':' &&
	    strcmp(auth + hl + 1, in->port) == 0)
		return 1;
	return 0;
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
			if (oms_fields_parse(a, p, (size_t)(pe - p),
			    OMS_KEYBIT(OMS_KEY_CSRF), &f) == OMS_OK &&
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

void
oms_http_serve(struct oms_arena *a, struct oms_store *st,
    struct oms_views *v, const struct oms_conf *conf,
    const struct oms_http_in *in, const char *body, int64_t bodylen,
    struct oms_http_out *out)
{
	struct oms_req req;
	struct oms_resp resp;
	struct oms_session *sess = NULL;
	const struct oms_route *r;
	unsigned allowed = 0;
	size_t qlen = in->query ? strlen(in->query) : 0;
	enum oms_format fmt = oms_accept_format(in->accept);
	const char *sid;
	enum oms_err e;

	/* An API client asking for XML gets even its early errors as XML. */
	if (in->query != NULL && wants_xml(in->query))
		fmt = OMS_FORMAT_XML;

	memset(out, 0, sizeof(*out));
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.arena = a;
	req.st = st;
	req.conf = conf;
	req.path = in->path ? in->path : "/";
	req.query = in->query ? in->query : "";
	req.method = parse_method(in->method);
	req.address = in->address ? in->address : "unknown";
	req.now = (int64_t)time(NULL);
	out->head = req.method == OMS_METHOD_HEAD;

	if (qlen > conf->max_query) {
		error_out(a, v, NULL, fmt, 414, oms_arena_printf(a,
		    "The query string is longer than %zu bytes.",
		    conf->max_query), out);
		return;
	}
	if (bodylen < 0 || in->content_length > (int64_t)conf->max_body) {
		error_out(a, v, NULL, fmt, 413, oms_arena_printf(a,
		    "The request body is larger than %zu bytes.",
		    conf->max_body), out);
		return;
	}
	if ((r = oms_route_match(req.method, req.path, req.ids,
	    &allowed)) == NULL) {
		if (allowed) {
			out->allow = allow_header(a, allowed);
			error_out(a, v, NULL, fmt, 405,
			    req.method == OMS_METHOD__MAX ?
			    "This method is not supported." : oms_arena_printf(a,
			    "This address does not accept %s requests.",
			    method_names[req.method]), out);
		} else
			error_out(a, v, NULL, fmt, 404,
			    "There is no page at this address.", out);
		return;
	}

	/*
	 * Who is asking.  Authorization happens here, once, for every
	 * route: its declared permission against the session's role; the
	 * scope of a customer user goes with the request into every read.
	 */
	if (r->perm != OMS_PERM_PUBLIC || r->method == OMS_METHOD_GET) {
		sid = in->cookie ? cookie_value(a, in->cookie, "oms_session") : NULL;
		if (sid != NULL && *sid != '\0') {
			if ((sess = oms_arena_alloc(a, sizeof(*sess))) == NULL) {
				error_out(a, v, NULL, fmt, 500,
				    "The server is out of memory.", out);
				return;
			}
			e = oms_session_load(st, a, &conf->auth, sid, req.now, sess);
			if (e == OMS_OK)
				snprintf(sess->id, sizeof(sess->id), "%s", sid);
			if (e == OMS_ERR_NOTFOUND) {
				sess = NULL;
				out->cookie = oms_http_session_cookie(a, conf, NULL);
			} else if (e != OMS_OK) {
				error_out(a, v, NULL, fmt, 503, "The database is "
				    "unavailable. Please try again in a moment.",
				    out);
				return;
			}
		}
	}
	if (sess != NULL) {
		req.sess = sess;
		oms_scope_of(&sess->user, &req.scope);
		req.actor.user_id = sess->user.id;
		req.actor.login = sess->user.login;
	} else {
		req.scope.customer = -1; /* nothing, should a handler ask */
		req.actor.login = "anonymous";
	}
	req.actor.address = req.address;
	if (r->perm != OMS_PERM_PUBLIC && sess == NULL) {
		if (fmt == OMS_FORMAT_HTML && req.method != OMS_METHOD_POST) {
			const char *next = oms_arena_printf(a, "%s%s%s", req.path,
			    qlen ? "?" : "", req.query);

			out->status = 303;
			out->location = oms_arena_printf(a, "/login?next=%s",
			    oms_url_encode(a, next ? next : "/"));
			out->media = "text/plain";
			out->body = "Please log in.\n";
			out->len = strlen(out->body);
			return;
		}
		error_out(a, v, NULL, fmt, 401, "Please log in first.", out);
		return;
	}
	if (sess != NULL && !oms_role_may((int)sess->user.role, r->perm)) {
		error_out(a, v, sess, fmt, 403,
		    "Your account does not give access to this page.", out);
		return;
	}

	/*
	 * Cross-site request forgery: a state change comes only by POST,
	 * from this site (Origin), carrying the session's token in its
	 * body; checked before anything else is.  The login form has no
	 * session yet: the Origin check and SameSite cookies cover it.
	 * A POST takes its fields from the body only (format aside), so
	 * that passwords and tokens never sit in URLs and logs.
	 */
	if (req.method == OMS_METHOD_POST) {
		const char *tok = body ? raw_field(a, body, bodylen, "csrf") : NULL;

		if (!same_origin(in) || (sess != NULL && (tok == NULL ||
		    !oms_token_equal(tok, sess->csrf)))) {
			error_out(a, v, sess, fmt, 403, "This form has expired "
			    "or did not come from OMS. Reload the page and "
			    "try again.", out);
			return;
		}
		if (qlen > 0 && !(strncmp(req.query, "format=", 7) == 0 &&
		    strchr(req.query, '&') == NULL)) {
			error_out(a, v, sess, fmt, 400, "Send form fields in "
			    "the request body, not in the address.", out);
			return;
		}
	}

	/* Fields: the query string, then a urlencoded body for POST. */
	e = oms_fields_parse(a, req.query, qlen, r->keys, &req.fields);
	if (e == OMS_OK && req.method == OMS_METHOD_POST && bodylen > 0) {
		struct oms_fields bf;

		if (in->content_type == NULL || strncasecmp(in->content_type,
		    "application/x-www-form-urlencoded", 33) != 0) {
			error_out(a, v, sess, fmt, 415, "Forms must be sent as "
			    "application/x-www-form-urlencoded.", out);
			return;
		}
		e = oms_fields_parse(a, body, (size_t)bodylen, r->keys, &bf);
		if (e == OMS_OK)
			for (int k = 0; k < OMS_KEY__MAX; k++)
				if (bf.f[k].present) {
					if (req.fields.f[k].present) {
						snprintf(req.fields.err,
						    sizeof(req.fields.err),
						    "field '%s' given more "
						    "than once", oms_keys[k].name);
						e = OMS_ERR_INVAL;
						break;
					}
					req.fields.f[k] = bf.f[k];
				}
		if (e != OMS_OK && bf.err[0])
			memcpy(req.fields.err, bf.err, sizeof(bf.err));
	}

	if (e != OMS_OK) {
		error_out(a, v, sess, fmt, e == OMS_ERR_NOMEM ? 500 : 400,
		    e == OMS_ERR_NOMEM ? "The server is out of memory." :
		    req.fields.err, out);
		return;
	}
	if (req.fields.f[OMS_KEY_FORMAT].present)
		fmt = (enum oms_format)req.fields.f[OMS_KEY_FORMAT].i;
	else if (r->sheet == OMS_SHEET_NONE)
		fmt = OMS_FORMAT_HTML; /* plain answers ignore Accept */
	if ((fmt == OMS_FORMAT_CSV && r->csv == OMS_SHEET_NONE) ||
	    (fmt != OMS_FORMAT_HTML && r->sheet == OMS_SHEET_NONE)) {
		error_out(a, v, sess, OMS_FORMAT_HTML, 400, oms_arena_printf(a,
		    "field 'format': this page is not available as %s.",
		    fmt == OMS_FORMAT_CSV ? "CSV" : "XML"), out);
		return;
	}
	req.format = fmt;

	resp.status = 200;
	r->fn(&req, &resp);
	out->cookie = resp.cookie ? resp.cookie : out->cookie;

	if (resp.status == 303) {
		out->status = 303;
		out->location = resp.location;
		out->media = "text/plain";
		out->body = "See the next page.\n";
		out->len = strlen(out->body);
		return;
	}
	if (resp.status >= 400 && resp.doc == NULL) {
		if (resp.status >= 500 && resp.message == NULL)
			resp.message = "The server could not complete this "
			    "request. It has been logged.";
		error_out(a, v, req.sess, fmt == OMS_FORMAT_CSV ?
		    OMS_FORMAT_HTML : fmt, resp.status,
		    resp.message ? resp.message : "Error.", out);
		return;
	}
	out->status = resp.status;
	out->filename = resp.filename;
	if (resp.body != NULL) {
		out->body = resp.body;
		out->len = strlen(resp.body);
		out->media = resp.media ? resp.media : "text/plain";
		return;
	}
	if (fmt == OMS_FORMAT_XML)
		e = oms_view_xml(resp.doc, a, &out->body, &out->len),
		out->media = "application/xml";
	else
		e = oms_view_render(v, fmt == OMS_FORMAT_CSV ? r->csv : r->sheet,
		    resp.doc, a, &out->body, &out->len, &out->media);
	if (fmt != OMS_FORMAT_CSV)
		out->filename = NULL;
	if (e != OMS_OK)
		error_out(a, v, req.sess, OMS_FORMAT_HTML, 500, "The page could "
		    "not be rendered. The problem has been logged.", out);
}

/*
 * test_route.c: the route table (src/web/handlers.c), route matching and
 * Accept negotiation (src/web/http.c), and the error paths of
 * oms_http_serve() that answer before any handler or database runs.
 *
 * Negative cases say "bad" in their names.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>

#include "arena.h"
#include "conf.h"
#include "http.h"
#include "oms.h"
#include "../tap.h"

#define M(m) (1u << OMS_METHOD_##m)

/*
 * Write into buf the path of pattern with each {id} replaced by the
 * matching entry of ids.  Returns how many {id}s there were.
 */
static int
fill(const char *pat, const int64_t ids[2], char *buf, size_t sz)
{
	size_t o = 0;
	int n = 0;

	while (*pat != '\0' && o + 24 < sz) {
		if (strncmp(pat, "{id}", 4) == 0) {
			o += (size_t)snprintf(buf + o, sz - o, "%lld",
			    (long long)ids[n++]);
			pat += 4;
		} else
			buf[o++] = *pat++;
	}
	buf[o] = '\0';
	return n;
}

/* The GET route of path, or NULL. */
static const struct oms_route *
get_route(const char *path)
{
	int64_t ids[2];
	unsigned allowed;

	return oms_route_match(OMS_METHOD_GET, path, ids, &allowed);
}

/* 1 when path matches nothing for any method, allowed staying 0. */
static int
nowhere(const char *path)
{
	int64_t ids[2];
	unsigned allowed = 99;

	for (int m = 0; m < OMS_METHOD__MAX; m++)
		if (oms_route_match((enum oms_method)m, path, ids, &allowed) !=
		    NULL || allowed != 0)
			return 0;
	return 1;
}

/* The route GET path matches, or NULL. */
static const struct oms_route *
get(const char *path, int64_t ids[2])
{
	unsigned allowed;

	return oms_route_match(OMS_METHOD_GET, path, ids, &allowed);
}

/* 1 when route r lists key k among its fields. */
static int
has_key(const struct oms_route *r, enum oms_key k)
{
	for (const enum oms_key *p = r->fields; p != NULL && *p != OMS_KEY__MAX; p++)
		if (*p == k)
			return 1;
	return 0;
}

/*
 * The declarations of every route: fields, formats, authentication,
 * body and the CSRF rule that follows from them.
 */
static void
test_declarations(void)
{
	int fields_ok = 1, sheets_ok = 1, auth_ok = 1, body_ok = 1, csrf_ok = 1;
	int fmt_ok = 1;

	for (size_t i = 0; i < oms_nroutes; i++) {
		const struct oms_route *r = &oms_routes[i];
		size_t n = 0;

		/* A list ends within OMS_KEY__MAX entries, each a key once. */
		for (const enum oms_key *p = r->fields; p != NULL &&
		    *p != OMS_KEY__MAX; p++, n++)
			if ((unsigned)*p > OMS_KEY__MAX || n >= OMS_KEY__MAX)
				fields_ok = 0;
		for (int f = 0; f < OMS_FORMAT__MAX; f++) {
			enum oms_sheet sh = r->sheets[f];

			if (f == OMS_FORMAT_XML ? (sh != OMS_SHEET_NONE &&
			    sh != OMS_SHEET_DOC) : sh > OMS_SHEET_NONE)
				sheets_ok = 0;
			/* A format on offer is one the field can ask for,
			 * and a page with formats takes the field. */
			if (f != OMS_FORMAT_HTML && sh != OMS_SHEET_NONE &&
			    r->sheets[OMS_FORMAT_HTML] == OMS_SHEET_NONE)
				fmt_ok = 0;
		}
		if ((r->auth == OMS_AUTH_ANONYMOUS) != (r->perm == OMS_PERM_PUBLIC))
			auth_ok = 0;
		if ((r->method == OMS_METHOD_GET) != (r->body == OMS_BODY_NONE) ||
		    (r->body == OMS_BODY_XML && r->auth != OMS_AUTH_INTEGRATION))
			body_ok = 0;
		if (r->body == OMS_BODY_FORM && r->auth == OMS_AUTH_SESSION &&
		    !has_key(r, OMS_KEY_CSRF))
			csrf_ok = 0;
	}
	ok(fields_ok, "every route's fields are keys, ended by OMS_KEY__MAX");
	ok(sheets_ok, "every route maps each format to a stylesheet, the "
	    "document (XML only) or none");
	ok(fmt_ok, "no route offers another format without an HTML page");
	ok(auth_ok, "a route is anonymous exactly when it is public");
	ok(body_ok, "GET routes take no body, POST routes one; an XML body "
	    "only from integration accounts");
	ok(csrf_ok, "every session form route accepts the csrf token field");
	is_int(oms_format_names[OMS_FORMAT_PDF][0], 'p', "the format names "
	    "cover pdf");
	ok(strcmp(oms_keys[OMS_KEY_FORMAT].choices[OMS_FORMAT_PDF], "pdf") == 0 &&
	    strcmp(oms_keys[OMS_KEY_FORMAT].choices[OMS_FORMAT_PRINT], "print") == 0,
	    "the format field's choices follow enum oms_format");
	ok(get_route("/sites/1/assets") != NULL &&
	    get_route("/sites/1/assets")->sheets[OMS_FORMAT_CSV] ==
	    OMS_SHEET_ASSETS_CSV, "the asset page offers CSV through assets-csv");
	ok(get_route("/customers") != NULL &&
	    get_route("/customers")->sheets[OMS_FORMAT_CSV] == OMS_SHEET_NONE,
	    "bad: the customer list offers no CSV");
}

static void
test_table(void)
{
	static const int64_t want[2] = {42, 7};
	int unique = 1, sane = 1;

	ok(oms_nroutes > 0, "route table is not empty");
	for (size_t i = 0; i < oms_nroutes; i++) {
		const struct oms_route *r = &oms_routes[i];

		for (size_t j = i + 1; j < oms_nroutes; j++)
			if (strcmp(r->pattern, oms_routes[j].pattern) == 0 &&
			    r->method == oms_routes[j].method)
				unique = 0;
		if (r->fn == NULL || r->pattern[0] != '/' ||
		    r->method >= OMS_METHOD__MAX || r->perm >= OMS_PERM__MAX ||
		    r->auth >= OMS_AUTH__MAX || r->body >= OMS_BODY__MAX)
			sane = 0;
	}
	ok(unique, "no two routes share method and pattern");
	ok(sane, "every route has a handler, an absolute pattern and valid "
	    "enum values");
	test_declarations();

	for (size_t i = 0; i < oms_nroutes; i++) {
		const struct oms_route *r = &oms_routes[i], *got;
		char path[256];
		int64_t ids[2] = {-1, -1};
		unsigned allowed = 99;
		int n = fill(r->pattern, want, path, sizeof(path));

		got = oms_route_match(r->method, path, ids, &allowed);
		ok(got == r && (n < 1 || ids[0] == want[0]) &&
		    (n < 2 || ids[1] == want[1]),
		    "route %s %s matches %s with its ids",
		    r->method == OMS_METHOD_GET ? "GET" : "POST", r->pattern,
		    path);
		if (r->method == OMS_METHOD_GET) {
			ids[0] = ids[1] = -1;
			got = oms_route_match(OMS_METHOD_HEAD, path, ids,
			    &allowed);
			ok(got == r && (n < 1 || ids[0] == want[0]),
			    "route %s answers HEAD too", r->pattern);
			/* POST is bad unless the table has a POST route
			 * for the same pattern. */
			int has_post = 0;

			for (size_t k = 0; k < oms_nroutes; k++)
				if (oms_routes[k].method == OMS_METHOD_POST &&
				    strcmp(oms_routes[k].pattern, r->pattern) == 0)
					has_post = 1;
			got = oms_route_match(OMS_METHOD_POST, path, ids,
			    &allowed);
			if (has_post)
				ok(got != NULL && got->method == OMS_METHOD_POST,
				    "route %s: POST goes to its POST route",
				    r->pattern);
			else
				ok(got == NULL && (allowed & M(GET)) &&
				    (allowed & M(HEAD)) && !(allowed & M(POST)),
				    "route %s: POST bad, allowed is GET and HEAD",
				    r->pattern);
		}
	}
}

static void
test_ids(void)
{
	int64_t ids[2] = {0, 0};
	const struct oms_route *r;

	r = get("/sites/1/assets", ids);
	ok(r != NULL && strcmp(r->pattern, "/sites/{id}/assets") == 0 &&
	    ids[0] == 1, "/sites/1/assets matches with id 1");
	r = get("/customers/123456", ids);
	ok(r != NULL && ids[0] == 123456, "/customers/123456 has id 123456");
	r = get("/sites/9007199254740992/assets", ids);
	ok(r != NULL && ids[0] == INT64_C(9007199254740992),
	    "16-digit id 2^53 matches");
	ok(get("/sites/9007199254740993/assets", ids) == NULL,
	    "id 2^53+1 bad");
	ok(get("/sites/9999999999999999/assets", ids) == NULL,
	    "16-digit id above 2^53 bad");
	ok(nowhere("/sites/12345678901234567/assets"), "17-digit id bad");
	ok(nowhere("/sites/99999999999999999999999/assets"),
	    "23-digit id bad (no overflow)");
	ok(nowhere("/sites/0/assets"), "id 0 bad");
	ok(nowhere("/sites/01/assets"), "id with leading zero bad");
	ok(nowhere("/sites/-1/assets"), "negative id bad");
	ok(nowhere("/sites/+1/assets"), "id with '+' bad");
	ok(nowhere("/sites/1a/assets"), "id with trailing letter bad");
	ok(nowhere("/sites/%31/assets"), "percent-encoded id bad");
	ok(nowhere("/sites/ 1/assets"), "id with space bad");
	ok(nowhere("/sites//assets"), "empty id bad");
	ok(nowhere("/sites/1/assets/"), "trailing slash bad");
	ok(nowhere("/sites/1/assets/2"), "extra segment bad");
	ok(nowhere("/sites/1/asset"), "shortened segment bad");
	ok(nowhere("/sites/1/assetsx"), "lengthened segment bad");
	ok(nowhere("/sites/1"), "/sites/1 bad: no such page");
	ok(nowhere("/customers/"), "/customers/ bad");
	ok(nowhere("/customers/1/"), "/customers/1/ bad");
	ok(nowhere("/Customers"), "paths are case-sensitive: /Customers bad");
	ok(nowhere("//"), "// bad");
	ok(nowhere(""), "empty path bad");
	ok(nowhere("/healthz/"), "/healthz/ bad");
	ok(nowhere("/customers\n"), "path with a line feed bad");
}

static void
test_methods(void)
{
	int64_t ids[2];
	unsigned allowed = 99;

	ok(oms_route_match(OMS_METHOD_POST, "/customers", ids, &allowed) ==
	    NULL, "POST /customers bad");
	is_int(allowed, M(GET) | M(HEAD), "POST /customers: allowed is GET|HEAD");
	allowed = 99;
	ok(oms_route_match(OMS_METHOD_POST, "/nowhere", ids, &allowed) ==
	    NULL && allowed == 0, "unknown path: NULL and allowed 0");
	allowed = 99;
	ok(oms_route_match(OMS_METHOD_GET, "/nowhere", ids, &allowed) ==
	    NULL && allowed == 0, "unknown path for GET: allowed 0");
	allowed = 99;
	ok(oms_route_match(OMS_METHOD_HEAD, "/healthz", ids, &allowed) ==
	    get("/healthz", ids), "HEAD /healthz matches the GET route");
	ok(oms_route_match(OMS_METHOD_POST, "/sites/0/assets", ids,
	    &allowed) == NULL && allowed == 0,
	    "POST to a bad id: allowed 0 (404, not 405)");
}

static void
test_accept(void)
{
	static const char *const browsers[] = {
		/* Firefox */
		"text/html,application/xhtml+xml,application/xml;q=0.9,"
		"image/avif,image/webp,*/*;q=0.8",
		/* Chromium */
		"text/html,application/xhtml+xml,application/xml;q=0.9,"
		"image/avif,image/webp,image/apng,*/*;q=0.8,"
		"application/signed-exchange;v=b3;q=0.7",
		/* Safari */
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
		/* curl */
		"*/*",
	};

	for (size_t i = 0; i < OMS_NELEM(browsers); i++)
		is_int(oms_accept_format(browsers[i]), OMS_FORMAT_HTML,
		    "Accept of browser %zu gives HTML", i);
	is_int(oms_accept_format("application/xml"), OMS_FORMAT_XML,
	    "application/xml gives XML");
	is_int(oms_accept_format("text/xml"), OMS_FORMAT_XML,
	    "text/xml gives XML");
	is_int(oms_accept_format("application/xml;q=0.5, text/html"),
	    OMS_FORMAT_HTML, "application/xml;q=0.5, text/html gives HTML");
	is_int(oms_accept_format("text/html;q=0.1, application/xml"),
	    OMS_FORMAT_XML, "text/html;q=0.1, application/xml gives XML");
	is_int(oms_accept_format("application/xml; q=0.9, text/html; q=0.8"),
	    OMS_FORMAT_XML, "q with a space after ';' is read");
	is_int(oms_accept_format("text/html;level=1;q=0.5, application/xml;q=0.6"),
	    OMS_FORMAT_XML, "q after another parameter is read");
	is_int(oms_accept_format("*/*"), OMS_FORMAT_HTML, "*/* gives HTML");
	is_int(oms_accept_format(""), OMS_FORMAT_HTML, "empty gives HTML");
	is_int(oms_accept_format(NULL), OMS_FORMAT_HTML, "NULL gives HTML");
	is_int(oms_accept_format("text/html, application/xml"),
	    OMS_FORMAT_HTML, "a tie gives HTML");
	is_int(oms_accept_format("application/xml, text/html"),
	    OMS_FORMAT_HTML, "a tie gives HTML whatever the order");
	is_int(oms_accept_format("APPLICATION/XML"), OMS_FORMAT_XML,
	    "media types are case-insensitive");
	is_int(oms_accept_format("  application/xml  "), OMS_FORMAT_XML,
	    "spaces around a range are ignored");
	is_int(oms_accept_format("application/xml;charset=utf-8"),
	    OMS_FORMAT_XML, "a parameter other than q is ignored");
	is_int(oms_accept_format("application/*"), OMS_FORMAT_XML,
	    "application/* gives XML");
	is_int(oms_accept_format("text/*"), OMS_FORMAT_HTML,
	    "text/* gives HTML (a tie with text/xml)");
	is_int(oms_accept_format("*/*;q=0.1, application/xml"), OMS_FORMAT_XML,
	    "*/*;q=0.1, application/xml gives XML");
	is_int(oms_accept_format("application/xml;q=0.2, */*"),
	    OMS_FORMAT_HTML, "the most specific range wins: */* sets HTML's q");
	is_int(oms_accept_format("application/json"), OMS_FORMAT_HTML,
	    "an unrelated type gives HTML");
	is_int(oms_accept_format("application/xhtml+xml"), OMS_FORMAT_HTML,
	    "application/xhtml+xml is not XML");
	is_int(oms_accept_format("application/xmlx, text/html;q=0.5"),
	    OMS_FORMAT_HTML, "application/xmlx is not application/xml");
	is_int(oms_accept_format(",,,application/xml,,"), OMS_FORMAT_XML,
	    "empty ranges are skipped");
	is_int(oms_accept_format("text/html;q=0.05, application/xml;q=0.051"),
	    OMS_FORMAT_XML, "q compares to three decimals");
}

/* One oms_http_serve() run that must not reach a handler. */
static void
serve(struct oms_arena *a, const struct oms_conf *c, const char *method,
    const char *path, const char *query, int64_t clen, int64_t bodylen,
    struct oms_http_out *out)
{
	struct oms_http_in in;

	memset(&in, 0, sizeof(in));
	in.method = method;
	in.path = path;
	in.query = query;
	in.accept = "application/xml";
	in.rid = "test";
	in.content_length = clen;
	oms_http_serve(a, NULL, NULL, c, &in, NULL, bodylen, out);
}

/* 1 when out is an XML error document for status holding text. */
static int
xml_error(const struct oms_http_out *out, int status, const char *text)
{
	char want[64];

	snprintf(want, sizeof(want), "status=\"%d\"", status);
	return out->status == status && out->body != NULL &&
	    out->media != NULL && strcmp(out->media, "application/xml") == 0 &&
	    strstr(out->body, want) != NULL &&
	    (text == NULL || strstr(out->body, text) != NULL);
}

static void
test_serve(void)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_conf c;
	struct oms_http_out out;
	char longq[8192];

	oms_conf_defaults(&c);
	serve(a, &c, "DELETE", "/customers", "", -1, 0, &out);
	ok(xml_error(&out, 405, "not supported") && out.allow != NULL &&
	    strcmp(out.allow, "GET, HEAD") == 0,
	    "serve: unknown method bad: 405 with the path's Allow");
	serve(a, &c, "DELETE", "/nowhere", "", -1, 0, &out);
	ok(xml_error(&out, 404, "no page") && out.allow == NULL,
	    "serve: unknown method on an unknown path bad: 404");
	serve(a, &c, NULL, "/customers", "", -1, 0, &out);
	ok(xml_error(&out, 405, NULL), "serve: missing method bad: 405");
	serve(a, &c, "GET", "/nowhere", "", -1, 0, &out);
	ok(xml_error(&out, 404, "no page") && out.allow == NULL,
	    "serve: unknown path bad: 404");
	serve(a, &c, "HEAD", "/nowhere", "", -1, 0, &out);
	ok(xml_error(&out, 404, NULL) && out.head == 1,
	    "serve: HEAD of an unknown path bad: 404, headers only");
	serve(a, &c, "POST", "/customers", "", -1, 0, &out);
	ok(xml_error(&out, 405, "POST") && out.allow != NULL &&
	    strcmp(out.allow, "GET, HEAD") == 0,
	    "serve: POST on a GET route bad: 405, Allow: GET, HEAD");
	/* The public login page checks its fields without a database. */
	serve(a, &c, "GET", "/login", "format=pdf", -1, 0, &out);
	ok(xml_error(&out, 400, "field 'format'"),
	    "serve: bad field: 400 naming the field");
	serve(a, &c, "GET", "/healthz", "format=xml", -1, 0, &out);
	ok(xml_error(&out, 400, "unknown field 'format'"),
	    "serve: field not declared by the route bad: 400");
	serve(a, &c, "GET", "/login", "%3Cb%3E=1", -1, 0, &out);
	ok(xml_error(&out, 400, "&lt;b&gt;") && strstr(out.body, "<b>") == NULL,
	    "serve: a field name in the message is escaped in the document");
	memset(longq, 'a', c.max_query + 1);
	memcpy(longq, "next=", 5);
	longq[c.max_query + 1] = '\0';
	serve(a, &c, "GET", "/login", longq, -1, 0, &out);
	ok(xml_error(&out, 414, NULL), "serve: query over max_query bad: 414");
	longq[c.max_query] = '\0';
	serve(a, &c, "GET", "/login", longq, -1, 0, &out);
	ok(out.status == 400 && strstr(out.body, "at most 2000") != NULL,
	    "serve: query of exactly max_query passes the size check");
	serve(a, &c, "POST", "/customers", "", (int64_t)c.max_body + 1, 0,
	    &out);
	ok(xml_error(&out, 413, NULL), "serve: Content-Length over max_body "
	    "bad: 413");
	serve(a, &c, "POST", "/customers", "", -1, -1, &out);
	ok(xml_error(&out, 413, NULL), "serve: body read past the limit bad: "
	    "413");
	oms_arena_free(&a);
}

/* The header block: no length limit, charset on text types only,
 * Retry-After on 429 and 503. */
static void
test_head(void)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_http_out out;
	char *loc = oms_arena_alloc(a, 6001);
	const char *h;
	size_t len;

	memset(loc, 'x', 6000);
	loc[0] = '/';
	loc[6000] = '\0';
	memset(&out, 0, sizeof(out));
	out.status = 303;
	out.media = "text/plain";
	out.location = loc;
	out.cookie = "oms_session=abc; Path=/";
	h = oms_http_head(a, &out, "rid-1", &len);
	ok(h != NULL && strlen(h) == len, "head: built, its length given");
	ok(h != NULL && strstr(h, "\r\nLocation: /xxx") != NULL &&
	    strstr(h, loc) != NULL, "head: a 6,000-byte Location is whole");
	ok(h != NULL && strstr(h, "Set-Cookie: oms_session=abc") != NULL &&
	    strstr(h, "X-Request-Id: rid-1\r\n") != NULL &&
	    strstr(h, "frame-ancestors 'none'; base-uri 'none'\r\n\r\n") != NULL &&
	    len > 6000 && strcmp(h + len - 4, "\r\n\r\n") == 0,
	    "bad: no header line after the long Location is dropped");
	ok(h != NULL && strstr(h, "Content-Type: text/plain; charset=utf-8\r\n"),
	    "head: text/plain gets charset=utf-8");
	out.media = "application/pdf";
	out.location = NULL;
	h = oms_http_head(a, &out, "r", &len);
	ok(h != NULL && strstr(h, "Content-Type: application/pdf\r\n") != NULL,
	    "bad: application/pdf gets no charset");
	out.media = "application/xml";
	h = oms_http_head(a, &out, "r", &len);
	ok(h != NULL && strstr(h, "Content-Type: application/xml; charset=utf-8\r\n"),
	    "head: application/xml keeps charset=utf-8");
	ok(oms_http_is_text("text/csv") && oms_http_is_text("text/html") &&
	    !oms_http_is_text("image/png"), "is_text: text/* yes, image/png no");
	out.status = 429;
	out.retry_after = 300;
	h = oms_http_head(a, &out, "r", &len);
	ok(h != NULL && strstr(h, "Retry-After: 300\r\n") != NULL,
	    "head: a 429 carries its Retry-After");
	out.status = 200;
	h = oms_http_head(a, &out, "r", &len);
	ok(h != NULL && strstr(h, "Retry-After") == NULL,
	    "bad: a 200 carries no Retry-After");
	out.status = 503;
	out.retry_after = 0;
	h = oms_http_head(a, &out, "r", &len);
	ok(h != NULL && strstr(h, "Retry-After: 5\r\n") != NULL,
	    "head: a 503 carries Retry-After: 5 as before");

	/* Every line, in order, for a download with an Allow. */
	static const char want[] = "Status: 405 Method Not Allowed\r\n"
	    "Content-Type: text/csv; charset=utf-8\r\n"
	    "Content-Length: 1234567\r\n"
	    "Content-Disposition: attachment; filename=\"BR_0001_assets.csv\"\r\n"
	    "Allow: GET, HEAD\r\n"
	    "X-Request-Id: rid-9\r\n"
	    "Cache-Control: no-store\r\n";
	memset(&out, 0, sizeof(out));
	out.status = 405;
	out.media = "text/csv";
	out.len = 1234567;
	out.filename = "BR 0001/assets.csv";
	out.allow = "GET, HEAD";
	h = oms_http_head(a, &out, "rid-9", &len);
	ok(h != NULL && strncmp(h, want, strlen(want)) == 0,
	    "head: status, type, length, a safe file name, Allow and the "
	    "request id, in order");
	oms_arena_free(&a);

	/* Out of memory at each allocation in turn: NULL, never a short
	 * header block. */
	{
		int n, nulls = 1;
		const char *whole = NULL;

		for (n = 0; n < 100; n++) {
			a = oms_arena_new();
			oms_arena_fail_after(n);
			h = oms_http_head(a, &out, "rid-9", &len);
			if (oms_arena_failures() == 0) {
				oms_arena_fail_after(-1);
				whole = h;
				break;
			}
			oms_arena_fail_after(-1);
			if (h != NULL)
				nulls = 0;
			oms_arena_free(&a);
		}
		ok(whole != NULL && strstr(whole, "Allow: GET, HEAD\r\n") &&
		    strcmp(whole + len - 4, "\r\n\r\n") == 0,
		    "head: whole once allocation %d no longer fails", n + 1);
		ok(nulls, "head bad: each of the first %d allocations failing "
		    "gives NULL", n);
		oms_arena_free(&a);
	}
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	test_table();
	test_ids();
	test_methods();
	test_accept();
	test_serve();
	test_head();
	xmlCleanupParser();
	return tap_done();
}

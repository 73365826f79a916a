/*
 * http.h: one request as a handler sees it, the route table, and the
 * dispatcher that runs a request from FastCGI parameters to response.
 *
 * Data flows one way: request -> route (method, path, permission) ->
 * fields checked against the route's declared keys -> handler ->
 * domain -> XML document -> stylesheet -> response.  Handlers hold no
 * SQL and write no bytes: they return a document and a status, and the
 * dispatcher renders it in the format asked for (HTML, XML or CSV).
 */
#ifndef OMS_HTTP_H
#define OMS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "auth.h"
#include "field.h"
#include "oms.h"
#include "policy.h"
#include "view.h"

struct oms_arena;
struct oms_conf;
struct oms_session;
struct oms_store;

enum oms_method {
	OMS_METHOD_GET,
	OMS_METHOD_HEAD,
	OMS_METHOD_POST,
	OMS_METHOD__MAX
};

/* What a response is rendered as; the order of the 'format' field's
 * choices (src/core/field.c). */
enum oms_format {
	OMS_FORMAT_HTML,  /* the route's page stylesheet */
	OMS_FORMAT_XML,   /* the view document itself */
	OMS_FORMAT_CSV,   /* the route's CSV stylesheet */
	OMS_FORMAT_PRINT, /* the route's printable HTML stylesheet */
	OMS_FORMAT_PDF,   /* the route's XSL-FO stylesheet, made a PDF */
	OMS_FORMAT__MAX
};

extern const char *const oms_format_names[OMS_FORMAT__MAX];

/* Who a route is for: how its caller proves who it is. */
enum oms_auth {
	OMS_AUTH_ANONYMOUS,   /* anyone; a session is read when there is one */
	OMS_AUTH_SESSION,     /* a logged-in user (the session cookie) */
	OMS_AUTH_INTEGRATION, /* an integration account (legacy systems, /soap) */
	OMS_AUTH__MAX
};

extern const char *const oms_auth_names[OMS_AUTH__MAX];

/*
 * What a route takes as its request body.  The CSRF rule follows from
 * it: a form comes from a browser, so it must come from this site's
 * origin and carry a token (the session's, or the login form's
 * pre-session token); an XML body comes from an integration account,
 * which holds no cookie a forger could borrow, so it needs neither.
 */
enum oms_body {
	OMS_BODY_NONE, /* no body (GET) */
	OMS_BODY_FORM, /* application/x-www-form-urlencoded */
	OMS_BODY_XML,  /* application/xml or text/xml, given raw to the handler */
	OMS_BODY_MULTIPART, /* multipart/form-data (a file upload), given raw
	                     * to the handler; its "csrf" part is checked as
	                     * a form's field is */
	OMS_BODY__MAX
};

extern const char *const oms_body_names[OMS_BODY__MAX];

/* In a route's sheets[]: the format is the view document itself. */
#define OMS_SHEET_DOC (OMS_SHEET__MAX + 1)

/*
 * Permissions.  The accounts issue fills these in; every route already
 * names the one it needs, so no route can be added without a decision.
 */
enum oms_perm {
	OMS_PERM_UNSET,     /* a route that forgot its permission: no one */
	OMS_PERM_PUBLIC,    /* no login needed: health check, login */
	OMS_PERM_SESSION,   /* any logged-in user: logout */
	OMS_PERM_INVENTORY, /* read customers, sites and assets in scope */
	OMS_PERM_USERS,     /* manage accounts */
	OMS_PERM_AUDIT,     /* read the audit log */
	OMS_PERM_CATALOG,   /* read products and the prices that apply */
	OMS_PERM_CATALOG_EDIT, /* add products, prices, fees, contract prices */
	OMS_PERM_ORDERS,    /* see orders in scope and act on them as the
	                     * workflow allows the role (workflow.h) */
	OMS_PERM_IMPORT,    /* bulk import from CSV files */
	OMS_PERM_INVOICES,  /* read issued invoices, billing reports and
	                     * account statements in scope (issue 9) */
	OMS_PERM_BILLING,   /* billing runs, payments, adjustments (finance) */
	OMS_PERM_SOAP,      /* call the inbound SOAP service (integration
	                     * accounts; each operation asks the policy,
	                     * oms_policy_op_may) */
	OMS_PERM_INTEGRATION, /* the integration page: the messages to the
	                     * legacy systems (each staff role sees its own
	                     * system's; src/web/integration.c) */
	OMS_PERM_RECONCILE, /* the reconciliation report (issue 10) */
	OMS_PERM__MAX
};

extern const char *const oms_perm_names[OMS_PERM__MAX];

/* 1 when role (enum oms_role) holds perm. */
int oms_role_may(int role, enum oms_perm perm);

/* Everything a handler may read about its request. */
struct oms_req {
	struct oms_arena *arena;     /* owns all request memory */
	struct oms_store *st;        /* this worker's connection */
	const struct oms_conf *conf; /* configuration in force */
	enum oms_method method;
	const char *path;            /* as nginx normalized it */
	int64_t ids[2];              /* {id} parts of the path, in order */
	struct oms_fields fields;    /* checked fields */
	enum oms_format format;      /* what the client asked for */
	const char *query;           /* the raw query string */
	const char *body;            /* the raw request body, or NULL */
	size_t body_len;             /* its length in bytes */
	const char *content_type;    /* its Content-Type, or NULL */
	const char *cookie_session;  /* the session id the cookie sent, even
	                              * when it names no valid session, or NULL */
	const char *cookie_login;    /* the login form's pre-session token
	                              * the oms_login cookie sent, when well
	                              * formed, or NULL */
	const struct oms_route *route; /* the route being served */
	const struct oms_session *sess; /* the logged-in session, or NULL */
	struct oms_scope scope;      /* what the user may see */
	struct oms_actor actor;      /* who, for the audit log */
	const char *address;         /* the client's address */
	int64_t now;                 /* unix seconds at the start */
	/* Integration routes (OMS_AUTH_INTEGRATION, src/web/soap.c): */
	struct oms_principal account; /* the authenticated integration
	                              * account (role integration) */
	void *soap;                  /* soap.c's parsed request, or NULL */
	const char *origin;          /* this server as its clients see it:
	                              * public_origin, else scheme://Host */
};

/* What a handler gives back. */
struct oms_resp {
	int status;          /* HTTP status; 200 unless set */
	xmlDocPtr doc;       /* the view document (pages) */
	const char *message; /* for an error status: what is wrong */
	const char *body;    /* raw body (health check, a stored document),
	                      * or NULL */
	size_t body_len;     /* its bytes; 0: up to its NUL byte */
	const char *media;   /* its media type */
	const char *filename;/* download name for CSV, or NULL */
	int inline_file;     /* 1: filename is shown in the browser
	                      * (Content-Disposition inline), not saved */
	/* A stored page body (billdocs.h) put in place of the comment
	 * OMS_SPLICE_MARK in the rendered page, or NULL. */
	const char *splice;
	size_t splice_len;
	const char *location;/* for 303: where to go */
	const char *cookie;  /* Set-Cookie value, or NULL */
	const char *cookie2; /* a second Set-Cookie value, or NULL */
	int64_t retry_after; /* seconds, for Retry-After on 429/503; 0: none */
};

/* The comment a page stylesheet writes where a stored body goes. */
#define OMS_SPLICE_MARK "<!--oms:stored-document-->"

typedef void (*oms_handler)(struct oms_req *, struct oms_resp *);

/*
 * One row of the route table: everything the pipeline needs to know
 * about an address, declared rather than coded.  The pipeline's stages
 * (src/web/http.c) read it in order: authenticate by auth, permit by
 * perm, CSRF and decoding by body, fields against fields, rendering by
 * sheets[format].
 */
struct oms_route {
	enum oms_method method;   /* GET also answers HEAD */
	const char *pattern;      /* "/sites/{id}/assets" */
	oms_handler fn;           /* builds the document (or a redirect) */
	enum oms_auth auth;       /* how the caller is identified */
	enum oms_body body;       /* what the request body is */
	enum oms_perm perm;       /* what the caller must hold */
	const enum oms_key *fields; /* accepted fields, ended by OMS_KEY__MAX;
	                             * NULL for none */
	enum oms_sheet sheets[OMS_FORMAT__MAX]; /* per format: a stylesheet,
	                             * OMS_SHEET_DOC (the document itself) or
	                             * OMS_SHEET_NONE (not offered) */
};

extern const struct oms_route oms_routes[];
extern const size_t oms_nroutes;

/*
 * Match method and path against the table.  Returns the route and
 * fills ids; NULL with *allowed (a bitmask of methods) non-zero when
 * the path exists for other methods, zero when it does not exist.
 */
const struct oms_route *oms_route_match(enum oms_method, const char *path,
    int64_t ids[2], unsigned *allowed);

/* Which of HTML or XML an Accept header prefers (HTML on a tie). */
enum oms_format oms_accept_format(const char *accept);

/* The input of one request, copied out of FastCGI's parameters. */
struct oms_http_in {
	const char *method;       /* REQUEST_METHOD */
	const char *path;         /* DOCUMENT_URI */
	const char *query;        /* QUERY_STRING */
	const char *accept;       /* HTTP_ACCEPT */
	const char *content_type; /* CONTENT_TYPE */
	const char *rid;          /* REQUEST_ID from nginx, or ours */
	int64_t content_length;   /* CONTENT_LENGTH, -1 when absent/bad */
	const char *cookie;       /* HTTP_COOKIE */
	const char *origin;       /* HTTP_ORIGIN */
	const char *host;         /* OMS_HOST ($http_host), or HTTP_HOST */
	const char *port;         /* SERVER_PORT */
	const char *address;      /* REMOTE_ADDR */
	const char *scheme;       /* REQUEST_SCHEME */
	const char *referer;      /* HTTP_REFERER */
	const char *authorization; /* HTTP_AUTHORIZATION, or NULL */
};

/* A complete response, headers and body, to write out. */
struct oms_http_out {
	int status;
	const char *media;       /* Content-Type without charset */
	const char *filename;    /* Content-Disposition, or NULL */
	int inline_file;         /* 1: Content-Disposition inline */
	const char *allow;       /* Allow header for 405, or NULL */
	const char *location;    /* Location for 303, or NULL */
	const char *cookie;      /* Set-Cookie value, or NULL */
	const char *cookie2;     /* a second Set-Cookie value, or NULL */
	int64_t retry_after;     /* Retry-After seconds (429, 503); 0: none */
	const char *body;
	size_t len;
	int head;                /* HEAD: headers only */
};

/*
 * Serve one request.  body/bodylen is the request body when there is
 * one (read by the caller up to the configured limit; bodylen is -1
 * when it was larger).  Never fails: every error is a response.
 */
void oms_http_serve(struct oms_arena *, struct oms_store *,
    struct oms_views *, const struct oms_conf *,
    const struct oms_http_in *, const char *body, int64_t bodylen,
    struct oms_http_out *);

/* Add <session .../> for the logged-in user to a page (none if NULL). */
void oms_session_node(xmlNodePtr root, const struct oms_session *);

/* The Set-Cookie value of a new session id, or clearing it (NULL). */
const char *oms_http_session_cookie(struct oms_arena *,
    const struct oms_conf *, const char *id);

/*
 * The login form's pre-session token (login CSRF: a page elsewhere must
 * not log a browser into another account).  oms_http_login_token gives
 * the token to render as the form's hidden "csrf" field: the one the
 * request's oms_login cookie holds, or a new random one, and sets
 * resp->cookie2 to (re)send that cookie.  The pipeline refuses an
 * anonymous form POST whose "csrf" field does not equal its cookie.
 * NULL only when out of memory (then no cookie is set).  Arena memory.
 */
const char *oms_http_login_token(struct oms_req *, struct oms_resp *);
/* The Set-Cookie value of the pre-session token tok, or clearing it
 * (NULL): Path=/login, HttpOnly, SameSite=Strict, Secure with
 * cookie_secure; OMS_LOGIN_TOKEN_AGE seconds. */
const char *oms_http_login_cookie(struct oms_arena *,
    const struct oms_conf *, const char *tok);
#define OMS_LOGIN_TOKEN_AGE 3600

/* The reason phrase of a status. */
const char *oms_http_reason(int status);

/*
 * The CGI response header block of out (Status, Content-Type and the
 * rest, ending with the empty line), built in the arena without a
 * length limit; *len gets its length.  rid is the request id.  NULL
 * only when out of memory.
 */
const char *oms_http_head(struct oms_arena *, const struct oms_http_out *,
    const char *rid, size_t *len);

/*
 * The inbound SOAP service (src/web/soap.c), for the pipeline.
 * oms_soap_authenticate parses the request body of an integration
 * route (bounded, no DOCTYPE: xmlin.h) and authenticates its account
 * by the WS-Security UsernameToken of its Header or the HTTP basic
 * credentials; on OMS_OK req->account and req->soap are set.  On
 * failure *status (a 4xx or 5xx) and *why say what to answer.
 * oms_soap_fault_out makes out a SOAP 1.1 Fault (HTTP 500, faultcode
 * soap:Client for a status below 500, else soap:Server) saying msg.
 */
enum oms_err oms_soap_authenticate(struct oms_req *, const char *authorization,
    int *status, const char **why);
void oms_soap_fault_out(struct oms_arena *, int status, const char *msg,
    struct oms_http_out *out);

/* 1 when a media type is text that gets "; charset=utf-8". */
int oms_http_is_text(const char *media);

#endif /* OMS_HTTP_H */

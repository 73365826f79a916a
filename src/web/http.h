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

enum oms_format {
	OMS_FORMAT_HTML, /* the route's page stylesheet */
	OMS_FORMAT_XML,  /* the view document itself */
	OMS_FORMAT_CSV,  /* the route's CSV stylesheet */
	OMS_FORMAT__MAX
};

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
	const struct oms_session *sess; /* the logged-in session, or NULL */
	struct oms_scope scope;      /* what the user may see */
	struct oms_actor actor;      /* who, for the audit log */
	const char *address;         /* the client's address */
	int64_t now;                 /* unix seconds at the start */
};

/* What a handler gives back. */
struct oms_resp {
	int status;          /* HTTP status; 200 unless set */
	xmlDocPtr doc;       /* the view document (pages) */
	const char *message; /* for an error status: what is wrong */
	const char *body;    /* raw body (health check), or NULL */
	const char *media;   /* its media type */
	const char *filename;/* download name for CSV, or NULL */
	const char *location;/* for 303: where to go */
	const char *cookie;  /* Set-Cookie value, or NULL */
};

typedef void (*oms_handler)(struct oms_req *, struct oms_resp *);

struct oms_route {
	enum oms_method method; /* GET also answers HEAD */
	const char *pattern;    /* "/sites/{id}/assets" */
	oms_handler fn;
	enum oms_sheet sheet;   /* HTML page, or OMS_SHEET_NONE */
	enum oms_sheet csv;     /* CSV stylesheet, or OMS_SHEET_NONE */
	uint32_t keys;          /* OMS_KEYBIT()s of accepted fields */
	enum oms_perm perm;     /* what the caller must hold */
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
};

/* A complete response, headers and body, to write out. */
struct oms_http_out {
	int status;
	const char *media;       /* Content-Type without charset */
	const char *filename;    /* Content-Disposition, or NULL */
	const char *allow;       /* Allow header for 405, or NULL */
	const char *location;    /* Location for 303, or NULL */
	const char *cookie;      /* Set-Cookie value, or NULL */
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

/* The reason phrase of a status. */
const char *oms_http_reason(int status);

#endif /* OMS_HTTP_H */

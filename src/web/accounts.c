/*
 * accounts.c: the handlers of logging in and out, the user admin pages
 * and the audit page.  Every change goes through src/users.c, one unit
 * of work with its audit record; the handlers only check and present.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "conf.h"
#include "handlers.h"
#include "inventory.h"
#include "store.h"
#include "users.h"

#define AUDIT_PER 50

/* A local address to go to after logging in, or the default. */
static const char *
safe_next(const struct oms_field *f)
{
	const char *n = f->present ? f->s : NULL;

	if (n == NULL || n[0] != '/' || n[1] == '/' || n[1] == '\\' ||
	    strncmp(n, "/login", 6) == 0)
		return "/customers";
	return n;
}

/*
 * The login form, with an optional message, and its pre-session token
 * (login/@csrf, the oms_login cookie sent again in resp->cookie2: see
 * oms_http_login_token).  Without a token (out of memory) a 500.
 */
static void
login_page(struct oms_req *req, struct oms_resp *resp, const char *message)
{
	xmlNodePtr root, crumbs, n;
	const struct oms_field *f = req->fields.f;
	const char *tok = oms_http_login_token(req, resp);

	if (tok == NULL) {
		oms_fail(resp, OMS_ERR_NOMEM, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "login", "Log in", &crumbs)) == NULL)
		return;
	n = oms_node(root, "login");
	oms_attr(n, "next", safe_next(&f[OMS_KEY_NEXT]));
	oms_attr(n, "csrf", tok);
	if (f[OMS_KEY_LOGIN].present)
		oms_attr(n, "login", f[OMS_KEY_LOGIN].s);
	if (message != NULL)
		oms_node_text(n, "message", message);
}

/*
 * GET /login: the login form, with its pre-session token.
 */
void
oms_h_login_form(struct oms_req *req, struct oms_resp *resp)
{
	login_page(req, resp, NULL);
}

/*
 * POST /login: check the name and password (the token was checked by
 * the csrf stage); on success end the session the browser still held,
 * open a new one and 303 to next; 401 for a wrong login, 429 with
 * Retry-After while throttled, 400 for a missing field.
 */
void
oms_h_login(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_session s;
	enum oms_err e;

	if (!f[OMS_KEY_LOGIN].present || !f[OMS_KEY_PASSWORD].present) {
		resp->status = 400;
		login_page(req, resp, "Enter your login name and password.");
		return;
	}
	/* Login names are lower case: "Admin" is admin, for the check
	 * and for the throttle alike. */
	{
		char *l = oms_arena_strdup(req->arena, f[OMS_KEY_LOGIN].s);

		for (char *p = l; p != NULL && *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		e = oms_login(req->st, req->arena, &req->conf->auth,
		    l ? l : f[OMS_KEY_LOGIN].s, f[OMS_KEY_PASSWORD].s,
		    req->address, req->now, &s);
	}
	switch (e) {
	case OMS_OK:
		/* A session the browser still held ends here: logging in
		 * again must not leave it valid until its own timeout. */
		if (req->cookie_session != NULL && *req->cookie_session != '\0' &&
		    oms_logout(req->st, req->cookie_session) != OMS_OK)
			oms_warn("login: the previous session could not be ended");
		oms_info("login: %s from %s", s.user.login, req->address);
		resp->status = 303;
		resp->location = safe_next(&f[OMS_KEY_NEXT]);
		resp->cookie = oms_http_session_cookie(req->arena, req->conf, s.id);
		/* The pre-session token has served: it goes. */
		resp->cookie2 = oms_http_login_cookie(req->arena, req->conf,
		    NULL);
		break;
	case OMS_ERR_DENIED:
		oms_info("login: refused for a login name from %s", req->address);
		resp->status = 401;
		login_page(req, resp, "The login name or the password is wrong.");
		break;
	case OMS_ERR_THROTTLED:
		oms_warn("login: throttled from %s", req->address);
		resp->status = 429;
		/* The domain says when this name may try again from this
		 * address; the failure window is the longest wait of the
		 * per-address limit, should it give none. */
		resp->retry_after = s.retry_after > 0 ? s.retry_after :
		    req->conf->auth.failure_window;
		login_page(req, resp, "Too many failed logins. Try again later.");
		break;
	default:
		oms_fail(resp, e, NULL);
		break;
	}
}

/*
 * POST /logout: end the session and clear its cookie, then 303 to
 * the login form.
 */
void
oms_h_logout(struct oms_req *req, struct oms_resp *resp)
{
	enum oms_err e;

	if ((e = oms_logout(req->st, req->sess->id)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	resp->status = 303;
	resp->location = "/login";
	resp->cookie = oms_http_session_cookie(req->arena, req->conf, NULL);
}

/*
 * GET /admin/users: the list of accounts with the customer names for
 * their labels.
 */
void
oms_h_users(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_user *v;
	struct oms_customer *cs;
	size_t n, ncs;
	xmlNodePtr root, crumbs, list;
	enum oms_err e;

	if ((e = oms_user_list(req->st, req->arena, &v, &n)) != OMS_OK ||
	    (e = oms_customer_names(req->st, req->arena, &req->scope, &cs, &ncs)) != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "users", "Users", &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, NULL, "Users");
	list = oms_node(root, "users");
	oms_attr_int(list, "count", (int64_t)n);
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr u = oms_node(list, "user");

		oms_attr_int(u, "id", v[i].id);
		oms_attr(u, "login", v[i].login);
		oms_attr(u, "name", v[i].display_name);
		oms_attr(u, "email", v[i].email);
		oms_attr(u, "role", oms_role_names[v[i].role]);
		oms_attr(u, "role-label", oms_role_labels[v[i].role]);
		oms_attr(u, "organisation", v[i].organisation);
		for (size_t k = 0; k < ncs; k++)
			if (cs[k].id == v[i].customer)
				oms_attr(u, "customer", cs[k].name);
		oms_attr(u, "disabled", v[i].disabled ? "yes" : "no");
	}
}

/*
 * The user form: u is the account as stored (id 0 for a new one), in
 * the values shown; message an error to show, or NULL.
 */
static void
user_page(struct oms_req *req, struct oms_resp *resp, const struct oms_user *u,
    const char *message)
{
	struct oms_customer *cs;
	struct oms_site *sites = NULL;
	size_t ncs, nsites = 0;
	xmlNodePtr root, crumbs, n, g;
	char buf[32];
	int status = resp->status;
	enum oms_err e;

	if ((e = oms_customer_names(req->st, req->arena, &req->scope, &cs, &ncs)) !=
	    OMS_OK || (u->customer > 0 && (e = oms_site_list(req->st,
	    req->arena, &req->scope, u->customer, &sites, &nsites)) != OMS_OK)) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((root = oms_page(req, resp, "user", u->id ? oms_arena_printf(
	    req->arena, "User %s", u->login) : "New user", &crumbs)) == NULL)
		return;
	resp->status = status;
	oms_crumb(crumbs, "/admin/users", "Users");
	oms_crumb(crumbs, NULL, u->id ? u->login : "New user");
	n = oms_node(root, "user");
	if (u->id) {
		oms_attr_int(n, "id", u->id);
		oms_attr(n, "action", oms_arena_printf(req->arena,
		    "/admin/users/%lld", (long long)u->id));
	} else
		oms_attr(n, "action", "/admin/users");
	oms_attr(n, "new", u->id ? "no" : "yes");
	oms_attr(n, "login", u->login);
	oms_attr(n, "name", u->display_name);
	oms_attr(n, "email", u->email);
	oms_attr(n, "role", oms_role_names[u->role]);
	oms_attr(n, "organisation", u->organisation);
	oms_attr(n, "disabled", u->disabled ? "yes" : "no");
	oms_attr(n, "approver", u->approver ? "yes" : "no");
	if (message != NULL)
		oms_node_text(n, "message", message);
	g = oms_node(n, "roles");
	for (int i = 0; i < OMS_ROLE__MAX; i++)
		oms_option(g, oms_role_names[i], oms_role_labels[i], (int)u->role == i);
	g = oms_node(n, "customers");
	for (size_t i = 0; i < ncs; i++) {
		snprintf(buf, sizeof(buf), "%lld", (long long)cs[i].id);
		oms_option(g, buf, oms_arena_printf(req->arena, "%s %s", cs[i].code,
		    cs[i].name), cs[i].id == u->customer);
	}
	g = oms_node(n, "sites");
	for (size_t i = 0; i < nsites; i++) {
		int sel = 0;

		for (size_t k = 0; k < u->nsites; k++)
			if (u->sites[k] == sites[i].id)
				sel = 1;
		snprintf(buf, sizeof(buf), "%lld", (long long)sites[i].id);
		oms_option(g, buf, oms_arena_printf(req->arena, "%s %s",
		    sites[i].code, sites[i].name), sel);
	}
}

/*
 * GET /admin/users/new: the empty form of a new account.
 */
void
oms_h_user_new(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_user u;

	memset(&u, 0, sizeof(u));
	u.role = OMS_ROLE_CUSTOMER;
	user_page(req, resp, &u, NULL);
}

/* The input of the user form. */
static void
form_input(struct oms_req *req, struct oms_user_input *in)
{
	const struct oms_field *f = req->fields.f;

	memset(in, 0, sizeof(*in));
	in->login = f[OMS_KEY_LOGIN].present ? f[OMS_KEY_LOGIN].s : NULL;
	in->display_name = f[OMS_KEY_NAME].s;
	in->email = f[OMS_KEY_EMAIL].s;
	in->role = f[OMS_KEY_ROLE].present ? (int)f[OMS_KEY_ROLE].i : -1;
	in->organisation = f[OMS_KEY_ORG].s;
	in->customer = f[OMS_KEY_CUSTOMER].present ? f[OMS_KEY_CUSTOMER].i : 0;
	in->sites = f[OMS_KEY_SITES].list;
	in->nsites = f[OMS_KEY_SITES].nlist;
	in->password = f[OMS_KEY_PASSWORD].s;
	in->approver = f[OMS_KEY_APPROVER].present;
}

/* The form again with what was typed and why it was refused. */
static void
refused(struct oms_req *req, struct oms_resp *resp, int64_t id,
    const char *login, const struct oms_user_input *in, const char *why)
{
	struct oms_user u;

	memset(&u, 0, sizeof(u));
	u.id = id;
	u.login = login;
	u.display_name = in->display_name;
	u.email = in->email;
	u.role = in->role >= 0 && in->role < OMS_ROLE__MAX ?
	    (enum oms_role)in->role : OMS_ROLE_CUSTOMER;
	u.organisation = in->organisation;
	u.customer = in->customer;
	u.sites = (int64_t *)in->sites;
	u.nsites = in->nsites;
	u.approver = in->approver;
	resp->status = 400;
	user_page(req, resp, &u, why);
}

/*
 * POST /admin/users: create an account from the form; a refused value
 * shows the form again (400) with what is wrong, else 303 to the new
 * account.
 */
void
oms_h_user_create(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_user_input in;
	const char *why = NULL;
	int64_t id = 0;
	enum oms_err e;

	form_input(req, &in);
	e = oms_user_create(req->st, req->arena, &req->actor, &in, &id, &why);
	if (e == OMS_ERR_INVAL || (e == OMS_ERR_CONSTRAINT && why != NULL)) {
		refused(req, resp, 0, in.login, &in, why);
		return;
	}
	if (e != OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/admin/users/%lld",
	    (long long)id);
}

/*
 * Read the account of the route into u and ask the policy whether the
 * request's user may take action on it.  1 when it may; else 0 with
 * resp set: 404 for a missing or forbidden account alike, 5xx for a
 * failed read.
 */
static int
user_may(struct oms_req *req, struct oms_resp *resp, enum oms_action action,
    struct oms_user *u)
{
	enum oms_err e;

	if ((e = oms_user_get(req->st, req->arena, req->ids[0], u)) != OMS_OK ||
	    (e = oms_may(req, action, &(struct oms_object){OMS_OBJECT_USER,
	    u->id, u->role == OMS_ROLE_CUSTOMER ? u->customer : 0, 0})) !=
	    OMS_OK) {
		oms_fail(resp, e, "There is no such user.");
		return 0;
	}
	return 1;
}

/*
 * GET /admin/users/{id}: the form of one account, when the policy lets
 * the caller read it (404 otherwise).
 */
void
oms_h_user(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_user u;

	if (!user_may(req, resp, OMS_ACTION_READ, &u))
		return;
	user_page(req, resp, &u, NULL);
}

/*
 * POST /admin/users/{id}: save the form of an account the caller may
 * manage; a refused value shows the form again (400) with what is
 * wrong, else 303 back to the account.
 */
void
oms_h_user_update(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_user_input in;
	struct oms_user cur;
	const char *why = NULL;
	enum oms_err e;

	if (!user_may(req, resp, OMS_ACTION_MANAGE, &cur))
		return;
	form_input(req, &in);
	e = oms_user_update(req->st, req->arena, &req->actor, cur.id, &in, &why);
	if (e == OMS_ERR_INVAL || (e == OMS_ERR_CONSTRAINT && why != NULL)) {
		refused(req, resp, cur.id, cur.login, &in, why);
		return;
	}
	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such user.");
		return;
	}
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/admin/users/%lld",
	    (long long)cur.id);
}

/* Disable or enable the account of the route. */
static void
set_disabled(struct oms_req *req, struct oms_resp *resp, int disabled)
{
	struct oms_user u;
	enum oms_err e;

	if (disabled && req->sess->user.id == req->ids[0]) {
		resp->status = 400;
		resp->message = "You cannot disable your own account.";
		return;
	}
	if (!user_may(req, resp, OMS_ACTION_MANAGE, &u))
		return;
	e = oms_user_set_disabled(req->st, req->arena, &req->actor, req->ids[0],
	    disabled);
	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such user.");
		return;
	}
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/admin/users/%lld",
	    (long long)req->ids[0]);
}

/*
 * POST /admin/users/{id}/disable: disable an account and end its
 * sessions.
 */
void
oms_h_user_disable(struct oms_req *req, struct oms_resp *resp)
{
	set_disabled(req, resp, 1);
}

/*
 * POST /admin/users/{id}/enable: let a disabled account log in again.
 */
void
oms_h_user_enable(struct oms_req *req, struct oms_resp *resp)
{
	set_disabled(req, resp, 0);
}

/*
 * POST /admin/users/{id}/password: set a new password (ending the
 * account's sessions); a password the rules refuse shows the form again
 * with why (400).
 */
void
oms_h_user_password(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	const char *why = NULL;
	struct oms_user u;
	enum oms_err e;

	if (!user_may(req, resp, OMS_ACTION_MANAGE, &u))
		return;
	e = oms_user_set_password(req->st, req->arena, &req->actor, req->ids[0],
	    f[OMS_KEY_PASSWORD].present ? f[OMS_KEY_PASSWORD].s : "", &why);
	if (e == OMS_ERR_INVAL) {
		resp->status = 400;
		user_page(req, resp, &u, why);
		return;
	}
	if (e != OMS_OK) {
		oms_fail(resp, e, "There is no such user.");
		return;
	}
	resp->status = 303;
	resp->location = oms_arena_printf(req->arena, "/admin/users/%lld",
	    (long long)req->ids[0]);
}

/*
 * GET /admin/audit: one page of the audit log, filtered by entity and
 * action, newest first.
 */
void
oms_h_audit(struct oms_req *req, struct oms_resp *resp)
{
	const struct oms_field *f = req->fields.f;
	struct oms_audit_filter flt;
	struct oms_audit_record *v;
	size_t n;
	int64_t total, pages, page;
	xmlNodePtr root, crumbs, x, list;
	enum oms_err e;

	memset(&flt, 0, sizeof(flt));
	flt.entity = f[OMS_KEY_ENTITY].present ? f[OMS_KEY_ENTITY].s : NULL;
	flt.action = f[OMS_KEY_ACTION].present ? f[OMS_KEY_ACTION].s : NULL;
	flt.login = f[OMS_KEY_USER].present ? f[OMS_KEY_USER].s : NULL;
	page = f[OMS_KEY_PAGE].present ? f[OMS_KEY_PAGE].i : 1;
	flt.limit = AUDIT_PER;
	flt.offset = (page - 1) * AUDIT_PER;
	if ((e = oms_audit_list(req->st, req->arena, &flt, &v, &n, &total)) !=
	    OMS_OK) {
		oms_fail(resp, e, NULL);
		return;
	}
	pages = total == 0 ? 1 : (total + AUDIT_PER - 1) / AUDIT_PER;
	if (page > pages) {
		/* Past the end: the last page, as the asset query does. */
		page = pages;
		flt.offset = (page - 1) * AUDIT_PER;
		if ((e = oms_audit_list(req->st, req->arena, &flt, &v, &n,
		    &total)) != OMS_OK) {
			oms_fail(resp, e, NULL);
			return;
		}
	}
	if ((root = oms_page(req, resp, "audit", "Audit log", &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, NULL, "Audit log");
	x = oms_node(root, "filter");
	oms_attr(x, "entity", flt.entity);
	oms_attr(x, "action", flt.action);
	oms_attr(x, "user", flt.login);
	x = oms_node(root, "result");
	oms_attr_int(x, "records", total);
	oms_attr_int(x, "page", page);
	oms_attr_int(x, "pages", pages);
	x = oms_node(root, "pager");
	for (int rel = 0; rel < 2; rel++) {
		int64_t target = rel ? page + 1 : page - 1;
		xmlNodePtr l;

		if (target < 1 || target > pages)
			continue;
		l = oms_node(x, "link");
		oms_attr(l, "rel", rel ? "next" : "prev");
		oms_attr_int(l, "page", target);
		oms_attr(l, "href", oms_arena_printf(req->arena,
		    "/admin/audit?page=%lld%s%s%s%s%s%s", (long long)target,
		    flt.entity ? "&entity=" : "",
		    flt.entity ? oms_url_encode(req->arena, flt.entity) : "",
		    flt.action ? "&action=" : "",
		    flt.action ? oms_url_encode(req->arena, flt.action) : "",
		    flt.login ? "&user=" : "",
		    flt.login ? oms_url_encode(req->arena, flt.login) : ""));
	}
	list = oms_node(root, "records");
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr r = oms_node(list, "record");

		oms_attr_int(r, "id", v[i].id);
		oms_attr(r, "at", v[i].at);
		oms_attr(r, "login", v[i].login);
		oms_attr(r, "address", v[i].address);
		oms_attr(r, "entity", v[i].entity);
		oms_attr(r, "entity-id", v[i].entity_id);
		oms_attr(r, "action", v[i].action);
		if (v[i].before)
			oms_node_text(r, "before", v[i].before);
		if (v[i].after)
			oms_node_text(r, "after", v[i].after);
	}
}

/*
 * users.c: account management.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "audit.h"
#include "field.h"
#include "inbound.h"
#include "stmts.h"
#include "store.h"
#include "users.h"

/* Column i copied into the arena (the store's one NULL rule: NULL stays
 * NULL, and these columns are NOT NULL; out of memory is latched in q). */
#define col(a, q, i) oms_query_col_dup((q), (i), (a))

/* 1 for a login: 2-64 of a-z 0-9 . _ -, starting with a letter. */
static int
login_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* Check the fields common to create and update. */
static enum oms_err
check(const struct oms_user_input *in, const char **why)
{
	if (in->display_name == NULL || in->display_name[0] == '\0') {
		*why = "A display name is required.";
		return OMS_ERR_INVAL;
	}
	if (in->email == NULL || strchr(in->email, '@') == NULL ||
	    strchr(in->email, ' ') != NULL) {
		*why = "An e-mail address is required.";
		return OMS_ERR_INVAL;
	}
	if (in->role < 0 || in->role >= OMS_ROLE__MAX) {
		*why = "The role must be admin, vendor, finance, customer or "
		    "integration.";
		return OMS_ERR_INVAL;
	}
	if (in->organisation == NULL || in->organisation[0] == '\0') {
		*why = "An organisation is required.";
		return OMS_ERR_INVAL;
	}
	if ((in->role == OMS_ROLE_CUSTOMER) != (in->customer > 0)) {
		*why = in->role == OMS_ROLE_CUSTOMER ?
		    "A customer user needs its customer." :
		    "Only customer users belong to a customer.";
		return OMS_ERR_INVAL;
	}
	if (in->role == OMS_ROLE_INTEGRATION &&
	    oms_system_lookup(in->system) < 0) {
		*why = "An integration account needs the system it speaks for "
		    "(vendor or finance); integration accounts are created "
		    "with omsctl user add --role integration --system.";
		return OMS_ERR_INVAL;
	}
	if (in->role != OMS_ROLE_CUSTOMER && in->nsites > 0) {
		*why = "Only customer users can be limited to sites.";
		return OMS_ERR_INVAL;
	}
	return OMS_OK;
}

/* The canonical text of an account for the audit log, in the arena;
 * NULL when out of memory, which must fail the caller's unit of work:
 * a record without its values is worse than no change. */
static char *
describe(struct oms_arena *a, const struct oms_user_input *in,
    const char *login, int disabled)
{
	char cust[24] = "", *sites = NULL;

	if (in->customer > 0)
		snprintf(cust, sizeof(cust), "%lld", (long long)in->customer);
	if (in->nsites > 0) {
		size_t cap = in->nsites * 21 + 1, n = 0;

		if ((sites = oms_arena_alloc(a, cap)) == NULL)
			return NULL;
		for (size_t i = 0; i < in->nsites; i++)
			n += (size_t)snprintf(sites + n, cap - n, "%s%lld",
			    i ? "," : "", (long long)in->sites[i]);
	}
	return oms_audit_kv(a, "login", login, "display_name",
	    in->display_name, "email", in->email, "role",
	    oms_role_names[in->role], "organisation", in->organisation,
	    "customer", cust[0] ? cust : NULL, "sites", sites,
	    "approver", in->role == OMS_ROLE_CUSTOMER && in->approver ? "yes" :
	    NULL, "disabled", disabled ? "yes" : "no", (const char *)NULL);
}

/* The time now as YYYY-MM-DDTHH:MM:SSZ. */
static void
now_text(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The input in with each site listed once (the order of first mention
 * kept), into *out: a list of sites is a set, and user_sites keys on
 * (user, site), so a site given twice must not reach it twice.  in's
 * strings and, when there is no duplicate, its list are shared, not
 * copied.  Returns OMS_OK or OMS_ERR_NOMEM; the new list is in the
 * arena.
 */
static enum oms_err
fold_sites(struct oms_arena *a, const struct oms_user_input *in,
    struct oms_user_input *out)
{
	int64_t *v;
	size_t n = 0;

	*out = *in;
	if (in->nsites < 2)
		return OMS_OK;
	if ((v = oms_arena_alloc(a, in->nsites * sizeof(*v))) == NULL)
		return OMS_ERR_NOMEM;
	for (size_t i = 0; i < in->nsites; i++) {
		size_t k;

		for (k = 0; k < n && v[k] != in->sites[i]; k++)
			;
		if (k == n)
			v[n++] = in->sites[i];
	}
	out->sites = v;
	out->nsites = n;
	return OMS_OK;
}

/*
 * Replace the site list of a user; each site must be the customer's.
 * Returns OMS_OK; OMS_ERR_INVAL with *why for a site of another
 * customer; OMS_ERR_CONSTRAINT with *why when the database refuses a
 * row (a site listed twice, or one deleted meanwhile): the caller's
 * form shows it, it is never a server error; a store error otherwise.
 */
static enum oms_err
set_sites(struct oms_store *st, int64_t id, const struct oms_user_input *in,
    const char **why)
{
	struct oms_query *q = oms_query(st, OMS_STMT_USER_SITES_CLEAR);
	enum oms_err e;

	oms_query_int(q, id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	for (size_t i = 0; i < in->nsites; i++) {
		int64_t owner = 0;

		q = oms_query(st, OMS_STMT_SITE_OWNER);
		oms_query_int(q, in->sites[i]);
		if (oms_query_row(q))
			owner = oms_query_col_int(q, 0);
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		if (owner != in->customer) {
			*why = "A site in the list is not one of the customer's.";
			return OMS_ERR_INVAL;
		}
		q = oms_query(st, OMS_STMT_USER_SITES_ADD);
		oms_query_int(q, id);
		oms_query_int(q, in->sites[i]);
		if ((e = oms_query_exec(q)) != OMS_OK) {
			if (e == OMS_ERR_CONSTRAINT)
				*why = "A site in the list is given twice or no "
				    "longer exists.";
			return e;
		}
	}
	return OMS_OK;
}

struct user_unit {
	struct oms_arena *a;
	const struct oms_actor *who;
	const struct oms_user_input *in;
	int64_t id;             /* the account (out for create) */
	int disabled;           /* for set_disabled */
	const char *hash;       /* for create and set_password */
	const char **why;
};

/* Create the account u->in with hash u->hash, its sites and its audit
 * record, as one unit (u->id gets its id).  OMS_ERR_CONSTRAINT or
 * OMS_ERR_INVAL with *u->why for a bad input; a store error; NOMEM. */
static enum oms_err
create_unit(struct oms_store *st, void *arg)
{
	struct user_unit *u = arg;
	const struct oms_user_input *in = u->in;
	struct oms_query *q;
	char now[24], idtext[24], *after;
	enum oms_err e;

	now_text(now);
	q = oms_query(st, OMS_STMT_USER_ADD);
	oms_query_text(q, in->login);
	oms_query_text(q, in->display_name);
	oms_query_text(q, in->email);
	oms_query_text(q, oms_role_names[in->role]);
	oms_query_text(q, in->organisation);
	if (in->customer > 0)
		oms_query_int(q, in->customer);
	else
		oms_query_null(q);
	oms_query_text(q, u->hash);
	oms_query_text(q, now);
	oms_query_text(q, now);
	oms_query_int(q, in->role == OMS_ROLE_CUSTOMER && in->approver);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		if (e == OMS_ERR_CONSTRAINT)
			*u->why = "That login name is taken, or the customer "
			    "does not exist.";
		return e;
	}
	u->id = oms_store_last_id(st);
	if ((e = set_sites(st, u->id, in, u->why)) != OMS_OK)
		return e;
	if (in->role == OMS_ROLE_INTEGRATION &&
	    (e = oms_integration_scope_put_in(st, u->id,
	    oms_system_lookup(in->system), in->operations, u->why)) != OMS_OK)
		return e;
	if ((after = describe(u->a, in, in->login, 0)) == NULL)
		return OMS_ERR_NOMEM;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)u->id);
	return oms_audit_append(st, u->who, "user", idtext, "create", NULL,
	    after);
}

/*
 * Create the account in (login, profile, sites, password hashed with
 * argon2id) with its audit record by who, as one unit of work; its id
 * into *id.  Returns OMS_OK; OMS_ERR_INVAL with *why (a static sentence
 * for the user) for a bad input or a refused password;
 * OMS_ERR_CONSTRAINT (with *why) when the login is taken; OMS_ERR_NOMEM
 * or a store error.  Temporary copies live in arena a.
 */
enum oms_err
oms_user_create(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, const struct oms_user_input *in,
    int64_t *id, const char **why)
{
	struct user_unit u = {a, who, NULL, 0, 0, NULL, why};
	struct oms_user_input folded;
	char hash[128];
	enum oms_err e;

	*why = NULL;
	if ((e = fold_sites(a, in, &folded)) != OMS_OK)
		return e;
	in = u.in = &folded;
	if (in->login == NULL || !login_ok(in->login)) {
		*why = "The login name must be 2 to 64 lower-case letters, "
		    "digits, '.', '_' or '-', starting with a letter.";
		return OMS_ERR_INVAL;
	}
	if ((e = check(in, why)) != OMS_OK)
		return e;
	if (!in->demo && (e = oms_password_policy(in->login, in->password ?
	    in->password : "", why)) != OMS_OK)
		return e;
	if (in->password == NULL || in->password[0] == '\0') {
		*why = "A password is required.";
		return OMS_ERR_INVAL;
	}
	if ((e = oms_password_hash(in->password, hash)) != OMS_OK)
		return e;
	u.hash = hash;
	e = oms_store_unit(st, create_unit, &u);
	*id = u.id;
	return e;
}

/* The audit description of account id as it is now. */
static enum oms_err
current(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_user *cur, char **text)
{
	struct oms_user_input in;
	enum oms_err e;

	if ((e = oms_user_get(st, a, id, cur)) != OMS_OK)
		return e;
	memset(&in, 0, sizeof(in));
	in.display_name = cur->display_name;
	in.email = cur->email;
	in.role = (int)cur->role;
	in.organisation = cur->organisation;
	in.customer = cur->customer;
	in.sites = cur->sites;
	in.nsites = cur->nsites;
	in.approver = cur->approver;
	if ((*text = describe(a, &in, cur->login, cur->disabled)) == NULL)
		return OMS_ERR_NOMEM;
	return OMS_OK;
}

/* Change account u->id to u->in, with its sites, the end of its
 * sessions when its scope changes, and the audit record of before and
 * after, as one unit.  Errors as create_unit's; NOTFOUND. */
static enum oms_err
update_unit(struct oms_store *st, void *arg)
{
	struct user_unit *u = arg;
	struct oms_user cur;
	struct oms_query *q;
	char now[24], idtext[24], *before, *after;
	enum oms_err e;

	if ((e = current(st, u->a, u->id, &cur, &before)) != OMS_OK)
		return e;
	now_text(now);
	q = oms_query(st, OMS_STMT_USER_UPDATE);
	oms_query_text(q, u->in->display_name);
	oms_query_text(q, u->in->email);
	oms_query_text(q, oms_role_names[u->in->role]);
	oms_query_text(q, u->in->organisation);
	if (u->in->customer > 0)
		oms_query_int(q, u->in->customer);
	else
		oms_query_null(q);
	oms_query_text(q, now);
	oms_query_int(q, u->in->role == OMS_ROLE_CUSTOMER && u->in->approver);
	oms_query_int(q, u->id);
	if ((e = oms_query_exec(q)) != OMS_OK) {
		if (e == OMS_ERR_CONSTRAINT)
			*u->why = "The customer does not exist.";
		return e;
	}
	if ((e = set_sites(st, u->id, u->in, u->why)) != OMS_OK)
		return e;
	/* A change of role or customer ends the account's sessions, so
	 * no page is served under the old scope. */
	if ((int)cur.role != u->in->role || cur.customer != u->in->customer) {
		q = oms_query(st, OMS_STMT_SESSION_DELETE_USER);
		oms_query_int(q, u->id);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	if ((after = describe(u->a, u->in, cur.login, cur.disabled)) == NULL)
		return OMS_ERR_NOMEM;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)u->id);
	return oms_audit_append(st, u->who, "user", idtext, "update", before,
	    after);
}

/*
 * Change account id's profile, role, customer and sites to in, with
 * the audit record of before and after by who, as one unit of work; a
 * change of role or customer ends its sessions.  Returns OMS_OK;
 * OMS_ERR_INVAL (with *why) for a bad input; OMS_ERR_CONSTRAINT (with
 * *why) for an unknown customer or site; OMS_ERR_NOTFOUND for no such
 * account; OMS_ERR_NOMEM or a store error.  Arena a holds temporaries.
 */
enum oms_err
oms_user_update(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, int64_t id, const struct oms_user_input *in,
    const char **why)
{
	struct user_unit u = {a, who, NULL, id, 0, NULL, why};
	struct oms_user_input folded;
	enum oms_err e;

	*why = NULL;
	if ((e = fold_sites(a, in, &folded)) != OMS_OK)
		return e;
	u.in = &folded;
	if ((e = check(&folded, why)) != OMS_OK)
		return e;
	return oms_store_unit(st, update_unit, &u);
}

/* Disable or enable account u->id (ending its sessions when
 * disabling) with its audit record, as one unit.  NOTFOUND; a store
 * error; NOMEM. */
static enum oms_err
disable_unit(struct oms_store *st, void *arg)
{
	struct user_unit *u = arg;
	struct oms_user cur;
	struct oms_query *q;
	char now[24], idtext[24], *before, *after;
	enum oms_err e;

	if ((e = current(st, u->a, u->id, &cur, &before)) != OMS_OK)
		return e;
	now_text(now);
	q = oms_query(st, OMS_STMT_USER_SET_DISABLED);
	oms_query_int(q, u->disabled);
	oms_query_text(q, now);
	oms_query_int(q, u->id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (u->disabled) {
		q = oms_query(st, OMS_STMT_SESSION_DELETE_USER);
		oms_query_int(q, u->id);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	if ((after = oms_audit_kv(u->a, "disabled", u->disabled ? "yes" : "no",
	    (const char *)NULL)) == NULL)
		return OMS_ERR_NOMEM;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)u->id);
	return oms_audit_append(st, u->who, "user", idtext,
	    u->disabled ? "disable" : "enable", before, after);
}

/*
 * Disable (disabled 1) or enable account id, with its audit record by
 * who, as one unit of work; disabling also ends its sessions.  Returns
 * OMS_OK, OMS_ERR_NOTFOUND, OMS_ERR_NOMEM or a store error.
 */
enum oms_err
oms_user_set_disabled(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, int64_t id, int disabled)
{
	struct user_unit u = {a, who, NULL, id, disabled, NULL, NULL};

	return oms_store_unit(st, disable_unit, &u);
}

/* Store hash u->hash for account u->id, end its sessions, and audit
 * the change (not the password), as one unit.  NOTFOUND; a store
 * error; NOMEM. */
static enum oms_err
password_unit(struct oms_store *st, void *arg)
{
	struct user_unit *u = arg;
	struct oms_query *q;
	char now[24], idtext[24], *after;
	int64_t exists = 0;
	enum oms_err e;

	q = oms_query(st, OMS_STMT_USER_AUTH_BY_ID);
	oms_query_int(q, u->id);
	if (oms_query_row(q))
		exists = 1;
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!exists)
		return OMS_ERR_NOTFOUND;
	now_text(now);
	q = oms_query(st, OMS_STMT_USER_SET_PASSWORD);
	oms_query_text(q, u->hash);
	oms_query_text(q, now);
	oms_query_int(q, u->id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_SESSION_DELETE_USER);
	oms_query_int(q, u->id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	/* The audit log says that the password changed, never what to. */
	if ((after = oms_audit_kv(u->a, "password", "(changed)",
	    (const char *)NULL)) == NULL)
		return OMS_ERR_NOMEM;
	snprintf(idtext, sizeof(idtext), "%lld", (long long)u->id);
	return oms_audit_append(st, u->who, "user", idtext, "password",
	    NULL, after);
}

/*
 * Set account id's password (checked by oms_password_policy(), hashed
 * with argon2id), end its sessions, and audit that it changed (never
 * the password), as one unit of work.  Returns OMS_OK; OMS_ERR_INVAL
 * with *why for a refused password; OMS_ERR_NOTFOUND; OMS_ERR_NOMEM or
 * a store error.
 */
enum oms_err
oms_user_set_password(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *who, int64_t id, const char *password,
    const char **why)
{
	struct user_unit u = {a, who, NULL, id, 0, NULL, why};
	struct oms_user cur;
	char hash[128];
	enum oms_err e;

	*why = NULL;
	if ((e = oms_user_get(st, a, id, &cur)) != OMS_OK)
		return e;
	if ((e = oms_password_policy(cur.login, password, why)) != OMS_OK)
		return e;
	if ((e = oms_password_hash(password, hash)) != OMS_OK)
		return e;
	u.hash = hash;
	return oms_store_unit(st, password_unit, &u);
}

/* Fill a user from columns id, login, display_name, email, role,
 * organisation, customer_id, disabled. */
static void
user_cols(struct oms_arena *a, struct oms_query *q, struct oms_user *u)
{
	int r;

	memset(u, 0, sizeof(*u));
	u->id = oms_query_col_int(q, 0);
	u->login = col(a, q, 1);
	u->display_name = col(a, q, 2);
	u->email = col(a, q, 3);
	r = oms_role_lookup(oms_query_col_text(q, 4));
	u->role = r < 0 ? OMS_ROLE_CUSTOMER : (enum oms_role)r;
	u->organisation = col(a, q, 5);
	u->customer = oms_query_col_int(q, 6);
	u->disabled = (int)oms_query_col_int(q, 7);
	u->approver = u->role == OMS_ROLE_CUSTOMER &&
	    oms_query_col_int(q, 8) != 0;
}

/* user_cols as an oms_row_fn. */
static void
user_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	user_cols(a, q, elem);
}

/* A site id of a user's list (oms_row_fn). */
static void
site_id_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	(void)a;
	*(int64_t *)elem = oms_query_col_int(q, 0);
}

/*
 * Every account (without its sites) into *out, *n of them.  Returns
 * OMS_OK or a store error.  The array and its strings live in arena a
 * and are freed with it.
 */
enum oms_err
oms_user_list(struct oms_store *st, struct oms_arena *a,
    struct oms_user **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_USER_LIST);
	enum oms_err e;
	void *v;

	e = oms_query_rows(q, a, sizeof(**out), &v, n, user_row);
	*out = v;
	return e;
}

/*
 * Account id with its listed sites into *out (zeroed first; limited is
 * set when it has sites).  Returns OMS_OK, OMS_ERR_NOTFOUND when there
 * is none, or a store error.  The strings and the sites array live in
 * arena a and are freed with it.
 */
enum oms_err
oms_user_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_user *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_USER_GET);
	int found = 0;
	enum oms_err e;
	void *v;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		user_cols(a, q, out);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found)
		return OMS_ERR_NOTFOUND;
	q = oms_query(st, OMS_STMT_USER_SITES_LIST);
	oms_query_int(q, id);
	e = oms_query_rows(q, a, sizeof(*out->sites), &v, &out->nsites,
	    site_id_row);
	out->sites = v;
	out->limited = out->nsites > 0;
	return e;
}

/*
 * The id of the account with this login into *id (0 when none).
 * Returns OMS_OK, OMS_ERR_NOTFOUND, or a store error.
 */
enum oms_err
oms_user_find(struct oms_store *st, const char *login, int64_t *id)
{
	struct oms_query *q = oms_query(st, OMS_STMT_USER_AUTH);
	enum oms_err e;

	*id = 0;
	oms_query_text(q, login);
	if (oms_query_row(q))
		*id = oms_query_col_int(q, 0);
	e = oms_query_end(q);
	if (e == OMS_OK && *id == 0)
		return OMS_ERR_NOTFOUND;
	return e;
}

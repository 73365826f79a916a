/*
 * auth.h: accounts, passwords, sessions and the scope of what a user
 * may see.
 *
 * Roles (DESIGN.md): the operator's admin, the Vendor's staff, the
 * Finance Company's staff, and the staff of one customer, optionally
 * limited to some of its sites.  Routes declare a permission; a role
 * holds a set of permissions (oms_role_may); the scope of a customer
 * user is applied where data is read (struct oms_scope), so lists,
 * counts, XML views, exports and direct links obey it alike.
 */
#ifndef OMS_AUTH_H
#define OMS_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "oms.h"

struct oms_arena;
struct oms_conf;
struct oms_store;

enum oms_role {
	OMS_ROLE_ADMIN,    /* the operator: everything */
	OMS_ROLE_VENDOR,   /* the Vendor's staff: all customers */
	OMS_ROLE_FINANCE,  /* the Finance Company's staff: all customers */
	OMS_ROLE_CUSTOMER, /* one customer's staff, maybe some sites only */
	OMS_ROLE_INTEGRATION, /* a legacy system calling /soap: no session,
	                       * authenticated per request, its scope in
	                       * integration_scopes (migration 0011) */
	OMS_ROLE__MAX
};

extern const char *const oms_role_names[OMS_ROLE__MAX];
extern const char *const oms_role_labels[OMS_ROLE__MAX];

/* The role named s, or -1. */
int oms_role_lookup(const char *s);

struct oms_user {
	int64_t id;
	const char *login;        /* lower case, unique */
	const char *display_name;
	const char *email;
	const char *organisation;
	enum oms_role role;
	int64_t customer;         /* customer users: their customer; else 0 */
	int disabled;             /* 1: may not log in */
	int limited;              /* 1: customer user limited to user_sites */
	int approver;             /* 1: a customer user who approves its
	                           * customer's orders (workflow.h) */
	int64_t *sites;           /* those sites (arena), when listed */
	size_t nsites;
};

/*
 * What a user may see.  customer 0 means every customer; site_user
 * non-zero means only the sites listed for that user in user_sites.
 */
struct oms_scope {
	int64_t customer;
	int64_t site_user;
};

/* The whole system, for omsctl and internal jobs. */
extern const struct oms_scope oms_scope_all;
void oms_scope_of(const struct oms_user *, struct oms_scope *);

/* Who makes a change, for the audit log. */
struct oms_actor {
	int64_t user_id;     /* 0 for omsctl */
	const char *login;   /* "omsctl" for the command line */
	const char *address; /* client address, or "local" */
};

/* Password rules: 10 to 1024 bytes of valid UTF-8, not a very common
 * password, not the login.  OMS_OK or OMS_ERR_INVAL with *why set. */
enum oms_err oms_password_policy(const char *login, const char *pw,
    const char **why);
/* Hash with argon2id (libsodium) at the interactive limits into out
 * (crypto_pwhash_STRBYTES, 128 bytes). */
enum oms_err oms_password_hash(const char *pw, char out[128]);

/* A logged-in session, as read for a request. */
struct oms_session {
	char id[48];          /* the cookie value (only right after login) */
	char csrf[48];        /* the form token tied to the session */
	struct oms_user user; /* whose */
	int64_t created;      /* unix seconds */
	int64_t seen;         /* unix seconds */
	int64_t retry_after;  /* on OMS_ERR_THROTTLED: seconds until the next attempt may be made */
};

/*
 * Check a login and on success open a session.  Unknown logins,
 * disabled accounts and wrong passwords all give OMS_ERR_DENIED after
 * the same work (a hash is always verified); too many failures give
 * OMS_ERR_THROTTLED without checking the password, with
 * out->retry_after set.
 *
 * Throttling (the [auth] keys in oms.conf(5)): failures are counted
 * for a login name and the address together, so a guesser elsewhere
 * never locks the owner out.  After max_failures of them the name
 * waits from that address failure_delay seconds from the last failure,
 * twice as long after each further failure, at most max_failure_delay;
 * failure_window seconds after a wait ends with no new failure the
 * count is forgotten, and a successful login from that address clears
 * it at once.  An address with max_address_failures failures across
 * any names in failure_window seconds (from the first) waits until the
 * window ends.  Attempts refused while waiting are not counted.
 */
enum oms_err oms_login(struct oms_store *, struct oms_arena *,
    const struct oms_auth_conf *, const char *login, const char *pw,
    const char *address, int64_t now, struct oms_session *out);
/* The session of a cookie value: OMS_ERR_NOTFOUND when unknown,
 * expired, or its user is disabled (an expired one is deleted; when
 * that delete fails, its error is logged and returned instead). */
enum oms_err oms_session_load(struct oms_store *, struct oms_arena *,
    const struct oms_auth_conf *, const char *id, int64_t now,
    struct oms_session *out);
/* End a session (logout). */
enum oms_err oms_logout(struct oms_store *, const char *id);
/* 1 when the two tokens are equal (in constant time). */
int oms_token_equal(const char *a, const char *b);

#endif /* OMS_AUTH_H */

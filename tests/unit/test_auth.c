/*
 * test_auth.c: accounts, login, sessions and the audit chain against a
 * real store (src/domain/auth.c, users.c, audit.c), once for each
 * backend (the shared harness, backend.h: SQLite always, MariaDB when
 * OMS_MARIADB_SOCKET is set), with time passed in so expiry and
 * throttling windows can be tested exactly.  The policy, role and
 * audit-text checks need no store and run once, before the passes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#ifdef OMS_HAVE_SQLITE
#include <sqlite3.h>
#endif

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "http.h"
#include "inventory.h"
#include "migrate.h"
#include "oms.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"
#include "users.h"
#include "../tap.h"
#include "backend.h"

static const struct oms_actor tester = {0, "test", "local"};

/*
 * Fault injection: when fail_alloc is N > 0, the Nth call of
 * oms_arena_alloc() from outside arena.c returns NULL (0: none fails).
 * The test is linked with -Wl,--wrap=oms_arena_alloc (Makefile.am), so
 * the domain's calls come here first.
 */
static int fail_alloc;
void *__real_oms_arena_alloc(struct oms_arena *, size_t);
void *__wrap_oms_arena_alloc(struct oms_arena *, size_t);

/* oms_arena_alloc(), failing as fail_alloc says. */
void *
__wrap_oms_arena_alloc(struct oms_arena *a, size_t n)
{
	if (fail_alloc > 0 && --fail_alloc == 0)
		return NULL;
	return __real_oms_arena_alloc(a, n);
}

static void
test_policy(void)
{
	const char *why = NULL;

	ok(oms_password_policy("ann", "correct horse battery", &why) == OMS_OK,
	    "policy: a long passphrase passes");
	ok(oms_password_policy("ann", "short", &why) == OMS_ERR_INVAL &&
	    strstr(why, "10") != NULL, "policy: short bad, says 10 characters");
	ok(oms_password_policy("ann", "Password123", &why) == OMS_ERR_INVAL &&
	    strstr(why, "common") != NULL, "policy: a common password bad");
	ok(oms_password_policy("annabelle10", "ANNABELLE10", &why) ==
	    OMS_ERR_INVAL, "policy: the login itself bad");
	ok(oms_password_policy("ann", "pass\001word-x", &why) == OMS_ERR_INVAL,
	    "policy: control characters bad");
	ok(oms_password_policy("ann", "ünïcødé pässwörd ✓", &why) == OMS_OK,
	    "policy: Unicode passes");
	{
		char big[1100];

		memset(big, 'x', 1025);
		big[1025] = '\0';
		ok(oms_password_policy("ann", big, &why) == OMS_ERR_INVAL,
		    "policy: over 1024 bytes bad");
	}
}

static void
test_roles(void)
{
	struct oms_user u;
	struct oms_scope s;

	for (int r = 0; r < OMS_ROLE__MAX; r++) {
		/* Every person's role; the integration role (a legacy
		 * system on /soap) holds no page at all. */
		if (r != OMS_ROLE_INTEGRATION)
			ok(oms_role_may(r, OMS_PERM_PUBLIC) && oms_role_may(r,
			    OMS_PERM_SESSION) && oms_role_may(r,
			    OMS_PERM_INVENTORY), "roles: %s reads the inventory",
			    oms_role_names[r]);
		else
			ok(oms_role_may(r, OMS_PERM_SOAP) && !oms_role_may(r,
			    OMS_PERM_SESSION) && !oms_role_may(r,
			    OMS_PERM_INVENTORY), "roles: integration calls /soap "
			    "and reads no page");
		is_int(oms_role_may(r, OMS_PERM_SOAP), r == OMS_ROLE_INTEGRATION,
		    "roles: /soap only for integration (%s)", oms_role_names[r]);
		is_int(oms_role_may(r, OMS_PERM_USERS), r == OMS_ROLE_ADMIN,
		    "roles: users only for admin (%s)", oms_role_names[r]);
		is_int(oms_role_may(r, OMS_PERM_AUDIT), r == OMS_ROLE_ADMIN,
		    "roles: audit only for admin (%s)", oms_role_names[r]);
		ok(!oms_role_may(r, OMS_PERM_UNSET),
		    "roles: a route without a permission is closed to %s",
		    oms_role_names[r]);
	}
	ok(!oms_role_may(-1, OMS_PERM_INVENTORY) &&
	    !oms_role_may(OMS_ROLE__MAX, OMS_PERM_INVENTORY),
	    "roles: unknown roles bad: nothing");
	memset(&u, 0, sizeof(u));
	u.id = 7;
	u.role = OMS_ROLE_VENDOR;
	u.customer = 3;
	oms_scope_of(&u, &s);
	ok(s.customer == 0 && s.site_user == 0, "scope: vendor sees everything");
	u.role = OMS_ROLE_CUSTOMER;
	oms_scope_of(&u, &s);
	ok(s.customer == 3 && s.site_user == 0, "scope: customer user, its customer");
	u.limited = 1;
	oms_scope_of(&u, &s);
	ok(s.customer == 3 && s.site_user == 7,
	    "scope: limited customer user, its listed sites");
}

static void
test_kv(struct oms_arena *a)
{
	char *t = oms_audit_kv(a, "name", "A\nB\\C", "gone", (const char *)NULL,
	    "role", "admin", (const char *)NULL);

	is_str(t, "name: A\\nB\\\\C\nrole: admin\n",
	    "audit kv: newlines and backslashes escaped, NULL values left out");
}

/* A fresh migrated store of the pass with demo data in the database
 * called name, configured in c; NULL on failure. */
static struct oms_store *
fresh_named(struct oms_conf *c, const char *name)
{
	struct oms_store *st;
	struct oms_seed_opts o = {2, 2, 5, 3};
	struct oms_seed_stats ss;
	int applied;

	oms_conf_defaults(c);
	tb_be->conf(&c->store, name);
	if (!tb_be->create(name) ||
	    oms_store_open(&c->store, OMS_STORE_CREATE, &oms_stmt_table, &st) != OMS_OK ||
	    oms_migrate(st, &applied) != OMS_OK ||
	    oms_seed_demo(st, &o, &ss) != OMS_OK)
		return NULL;
	return st;
}

static void
test_sessions(struct oms_store *st, struct oms_arena *a, struct oms_conf *c)
{
	struct oms_user_input in;
	struct oms_session s, s2;
	const char *why = NULL;
	int64_t id, t0 = 1000000;
	char cookie[48];

	memset(&in, 0, sizeof(in));
	in.login = "carol";
	in.display_name = "Carol";
	in.email = "carol@example.com";
	in.role = OMS_ROLE_CUSTOMER;
	in.organisation = "Customer";
	in.customer = 1;
	in.password = "a fine long password";
	ok(oms_user_create(st, a, &tester, &in, &id, &why) == OMS_OK && id > 0,
	    "users: create a customer user");
	ok(oms_user_create(st, a, &tester, &in, &id, &why) == OMS_ERR_CONSTRAINT,
	    "users: the same login again bad");
	in.login = "dave";
	in.customer = 0;
	ok(oms_user_create(st, a, &tester, &in, &id, &why) == OMS_ERR_INVAL &&
	    why != NULL, "users: a customer user without a customer bad");
	in.login = "Eve";
	in.customer = 1;
	ok(oms_user_create(st, a, &tester, &in, &id, &why) == OMS_ERR_INVAL,
	    "users: an upper-case login bad");

	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.1", t0, &s) == OMS_OK && strlen(s.id) == 43 &&
	    strlen(s.csrf) == 43 && s.user.role == OMS_ROLE_CUSTOMER &&
	    s.user.customer == 1, "login: right password opens a session");
	snprintf(cookie, sizeof(cookie), "%s", s.id);
	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.1", t0, &s2) == OMS_OK && strcmp(s2.id, cookie) != 0,
	    "login: every login gets a new session id");
	is_int(oms_login(st, a, &c->auth, "carol", "wrong password!!",
	    "10.0.0.2", t0, &s2), OMS_ERR_DENIED, "login: wrong password bad");
	is_int(oms_login(st, a, &c->auth, "nobody", "wrong password!!",
	    "10.0.0.2", t0, &s2), OMS_ERR_DENIED,
	    "login: unknown login bad, the same answer");

	ok(oms_session_load(st, a, &c->auth, cookie, t0 + 10, &s2) == OMS_OK &&
	    s2.user.id == s.user.id && strcmp(s2.csrf, s.csrf) == 0,
	    "session: the cookie finds the session and its token");
	is_int(oms_session_load(st, a, &c->auth, "x", t0, &s2), OMS_ERR_NOTFOUND,
	    "session: a malformed cookie bad");
	ok(oms_session_load(st, a, &c->auth, cookie,
	    t0 + c->auth.idle_timeout - 5, &s2) == OMS_OK,
	    "session: alive just before the idle timeout");
	is_int(oms_session_load(st, a, &c->auth, cookie,
	    t0 + 2 * c->auth.idle_timeout, &s2), OMS_ERR_NOTFOUND,
	    "session: idle too long bad");
	is_int(oms_session_load(st, a, &c->auth, cookie, t0, &s2),
	    OMS_ERR_NOTFOUND, "session: and it is gone for good");

	/* Absolute expiry: keep it busy, still ends. */
	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.1", t0, &s) == OMS_OK, "login: again");
	snprintf(cookie, sizeof(cookie), "%s", s.id);
	for (int64_t t = t0; t < t0 + c->auth.absolute_timeout; t += 1800)
		oms_session_load(st, a, &c->auth, cookie, t, &s2);
	is_int(oms_session_load(st, a, &c->auth, cookie,
	    t0 + c->auth.absolute_timeout + 1, &s2), OMS_ERR_NOTFOUND,
	    "session: past the absolute timeout bad, however busy");

	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.1", t0, &s) == OMS_OK, "login: once more");
	snprintf(cookie, sizeof(cookie), "%s", s.id);
	ok(oms_logout(st, cookie) == OMS_OK &&
	    oms_session_load(st, a, &c->auth, cookie, t0, &s2) ==
	    OMS_ERR_NOTFOUND, "logout: the session is dead");

	/* Disabling ends sessions and logins. */
	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.1", t0, &s) == OMS_OK, "login: before disabling");
	snprintf(cookie, sizeof(cookie), "%s", s.id);
	ok(oms_user_find(st, "carol", &id) == OMS_OK &&
	    oms_user_set_disabled(st, a, &tester, id, 1) == OMS_OK,
	    "users: disable");
	is_int(oms_session_load(st, a, &c->auth, cookie, t0, &s2),
	    OMS_ERR_NOTFOUND, "users: a disabled user's session is dead");
	is_int(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.3", t0, &s2), OMS_ERR_DENIED,
	    "users: a disabled user cannot log in");
	ok(oms_user_set_disabled(st, a, &tester, id, 0) == OMS_OK &&
	    oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.0.0.3", t0, &s2) == OMS_OK, "users: enabled again, logs in");

	/* Throttling by login name and address, then by address.  (Until
	 * issue 7 the name alone was counted, so the right password
	 * waited from every address: a stranger could lock anyone out.) */
	for (int i = 0; i < c->auth.max_failures; i++)
		oms_login(st, a, &c->auth, "carol", "not the password",
		    "10.9.0.1", t0 + 100, &s2);
	is_int(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.9.0.1", t0 + 101, &s2), OMS_ERR_THROTTLED,
	    "throttle: after max_failures even the right password waits "
	    "from that address");
	is_int(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.9.0.2", t0 + 101, &s2), OMS_OK,
	    "throttle: the owner from another address is not locked out");
	ok(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.9.0.1", t0 + 100 + c->auth.failure_window + 1, &s2) == OMS_OK,
	    "throttle: the window ends");
	for (int i = 0; i < c->auth.max_address_failures; i++) {
		char name[32];

		snprintf(name, sizeof(name), "guess%d", i);
		oms_login(st, a, &c->auth, name, "not the password",
		    "10.9.9.9", t0 + 200, &s2);
	}
	is_int(oms_login(st, a, &c->auth, "carol", "a fine long password",
	    "10.9.9.9", t0 + 201, &s2), OMS_ERR_THROTTLED,
	    "throttle: one address guessing many logins is stopped");

	ok(oms_user_set_password(st, a, &tester, id, "another long password",
	    &why) == OMS_OK && oms_login(st, a, &c->auth, "carol",
	    "another long password", "10.0.0.4", t0 + 5000, &s2) == OMS_OK,
	    "users: a new password works");
	ok(oms_user_set_password(st, a, &tester, id, "short", &why) ==
	    OMS_ERR_INVAL && why != NULL, "users: a short new password bad");
	ok(oms_token_equal("abc", "abc") && !oms_token_equal("abc", "abd") &&
	    !oms_token_equal("abc", "abcd"), "tokens: compared exactly");
}

/* The audit chain, tampered with from outside the store. */
static void
test_audit(struct oms_store *st)
{
	int64_t n, bad;
	char why[256];

	enum oms_err e = oms_audit_verify(st, &n, &bad, why, sizeof(why));

	/* create, disable, enable, password: four changes, four records */
	ok(e == OMS_OK && n == 4, "audit: the chain holds (%lld records)",
	    (long long)n);
	tb_be->exec("auth", "UPDATE audit_log SET after_value = 'role: admin' "
	    "WHERE id = 2");
	ok(oms_audit_verify(st, &n, &bad, why, sizeof(why)) ==
	    OMS_ERR_CONSTRAINT && bad == 2 && strstr(why, "changed") != NULL,
	    "audit: an edited record bad: named (%s)", why);
	tb_be->exec("auth", "DELETE FROM audit_log WHERE id = 2");
	ok(oms_audit_verify(st, &n, &bad, why, sizeof(why)) ==
	    OMS_ERR_CONSTRAINT && bad == 2 && strstr(why, "missing") != NULL,
	    "audit: a deleted record bad: named (%s)", why);
	tb_be->exec("auth", "DELETE FROM audit_log WHERE id >= 2");
	/* The last record, without formatting a value into SQL (the
	 * derived table lets MariaDB read the table it deletes from). */
	tb_be->exec("auth", "DELETE FROM audit_log WHERE id = (SELECT m FROM"
	    " (SELECT MAX(id) AS m FROM audit_log) AS t)");
	ok(oms_audit_verify(st, &n, &bad, why, sizeof(why)) ==
	    OMS_ERR_CONSTRAINT && strstr(why, "end") != NULL,
	    "audit: records cut off the end bad (%s)", why);
}

/* The first database of a pass: sessions and the audit chain. */
static struct oms_store *
fresh(struct oms_conf *c)
{
	return fresh_named(c, "auth");
}

static void test_user_sites(struct oms_store *, struct oms_arena *);
static void test_throttle(struct oms_store *, struct oms_arena *,
    struct oms_conf *);
static void test_describe_oom(struct oms_store *, struct oms_arena *);
static void test_expired_delete_fails(struct oms_store *, struct oms_arena *,
    struct oms_conf *, const char *);

/*
 * One pass: sessions and the audit chain on a fresh store; then, on a
 * database of their own (so that the audit chain counted above stays
 * as it is), the tests that change accounts, throttle logins and fail
 * allocations.  The failed-delete test holds SQLite's write lock from
 * outside the store, so it runs on the SQLite pass only.
 */
static void
pass(void)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_store *st;
	struct oms_conf c;

	if (a == NULL || (st = fresh(&c)) == NULL) {
		ok(0, "set-up: a fresh database with demo data");
		oms_arena_free(&a);
		return;
	}
	test_sessions(st, a, &c);
	test_audit(st);
	oms_store_close(&st);
	if ((st = fresh_named(&c, "auth2")) == NULL) {
		ok(0, "set-up: a second fresh database with demo data");
		oms_arena_free(&a);
		return;
	}
	test_user_sites(st, a);
	test_throttle(st, a, &c);
	if (tb_be->kind == OMS_BACKEND_SQLITE)
		test_expired_delete_fails(st, a, &c, c.store.path);
	test_describe_oom(st, a);
	oms_store_close(&st);
	oms_arena_free(&a);
}

/* A customer user of customer 1 named login, limited to sites v[0..n). */
static void
customer_input(struct oms_user_input *in, const char *login,
    const int64_t *v, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->login = login;
	in->display_name = "Sites Tester";
	in->email = "sites@example.com";
	in->role = OMS_ROLE_CUSTOMER;
	in->organisation = "Customer";
	in->customer = 1;
	in->password = "a fine long password";
	in->sites = v;
	in->nsites = n;
}

/*
 * A list of sites holding the same site twice (what a form posting
 * sites=7&sites=7 gave before the field layer folded it) is a set in
 * the domain too: stored once, described once in the audit log, never
 * a constraint error from user_sites.
 */
static void
test_user_sites(struct oms_store *st, struct oms_arena *a)
{
	struct oms_site *sites = NULL;
	struct oms_user_input in;
	struct oms_user u;
	const char *why = NULL;
	size_t ns = 0;
	int64_t id = 0, v[3];
	enum oms_err e;

	if (oms_site_list(st, a, &oms_scope_all, 1, &sites, &ns) != OMS_OK ||
	    ns < 2) {
		ok(0, "user sites: the demo customer has two sites");
		return;
	}
	v[0] = sites[0].id;
	v[1] = sites[0].id;
	customer_input(&in, "sally", v, 2);
	e = oms_user_create(st, a, &tester, &in, &id, &why);
	is_int(e, OMS_OK, "user sites: create with one site given twice");
	ok(e == OMS_OK && oms_user_get(st, a, id, &u) == OMS_OK &&
	    u.nsites == 1 && u.sites[0] == sites[0].id,
	    "user sites: stored once");
	v[0] = sites[1].id;
	v[1] = sites[0].id;
	v[2] = sites[1].id;
	customer_input(&in, NULL, v, 3);
	is_int(oms_user_update(st, a, &tester, id, &in, &why), OMS_OK,
	    "user sites: update with a site given twice");
	ok(oms_user_get(st, a, id, &u) == OMS_OK && u.nsites == 2 &&
	    u.sites[0] != u.sites[1], "user sites: both sites stored once each");
}

/* One login attempt of tom's at time t from address; *retry gets
 * retry_after.  Returns oms_login's answer. */
static enum oms_err
attempt(struct oms_store *st, struct oms_arena *a,
    const struct oms_auth_conf *c, const char *pw, const char *address,
    int64_t t, int64_t *retry)
{
	struct oms_session s;
	enum oms_err e = oms_login(st, a, c, "tom", pw, address, t, &s);

	*retry = s.retry_after;
	return e;
}

/*
 * Throttling by name and address with growing waits: a guesser at one
 * address is slowed more and more, told how long to wait, and cannot
 * lock the owner out at another address; a good login clears the
 * count of its own address only; an address spraying names is
 * stopped across names.
 */
static void
test_throttle(struct oms_store *st, struct oms_arena *a, struct oms_conf *conf)
{
	struct oms_auth_conf c = conf->auth;
	struct oms_user_input in;
	const char *why = NULL, *pw = "tom's fine long password", *bad = "no!";
	const char *guesser = "192.0.2.66", *owner = "198.51.100.7";
	int64_t id, t = 5000000, r = -1, last;
	int all = 1;

	c.max_failures = 3;
	c.max_address_failures = 1000;
	c.failure_window = 900;
	c.failure_delay = 60;
	c.max_failure_delay = 600;
	memset(&in, 0, sizeof(in));
	in.login = "tom";
	in.display_name = "Tom";
	in.email = "tom@example.com";
	in.role = OMS_ROLE_VENDOR;
	in.organisation = "Vendor";
	in.password = pw;
	if (oms_user_create(st, a, &tester, &in, &id, &why) != OMS_OK) {
		ok(0, "throttle: make the account");
		return;
	}
	for (int i = 0; i < c.max_failures; i++)
		if (attempt(st, a, &c, bad, guesser, t, &r) != OMS_ERR_DENIED)
			all = 0;
	ok(all, "throttle: max_failures wrong passwords from one address, "
	    "each checked (denied)");
	is_int(attempt(st, a, &c, pw, guesser, t + 1, &r), OMS_ERR_THROTTLED,
	    "throttle: then that address waits, even with the right password");
	is_int(r, 59, "throttle: retry_after says how long (failure_delay "
	    "from the last failure)");
	is_int(attempt(st, a, &c, pw, owner, t + 1, &r), OMS_OK,
	    "throttle: the owner at another address logs in meanwhile");
	is_int(r, 0, "throttle: retry_after is 0 when not throttled");
	is_int(attempt(st, a, &c, pw, guesser, t + 59, &r), OMS_ERR_THROTTLED,
	    "throttle: a second before the wait ends: still waiting");

	/* Each further failure doubles the wait, up to the ceiling. */
	last = t + 60;
	for (int64_t w = 120; w <= 960; w *= 2) {
		int64_t want = w < c.max_failure_delay ? w : c.max_failure_delay;

		is_int(attempt(st, a, &c, bad, guesser, last, &r), OMS_ERR_DENIED,
		    "throttle: when the wait ends a guess is checked again");
		is_int(attempt(st, a, &c, bad, guesser, last + 1, &r),
		    OMS_ERR_THROTTLED, "throttle: and the next one waits");
		is_int(r, want - 1, "throttle: the guesser's wait grows to %lld s",
		    (long long)want);
		last += want;
	}
	is_int(attempt(st, a, &c, pw, owner, last - 1, &r), OMS_OK,
	    "throttle: the owner is never locked out");

	/* A good login from the guessed address clears its count. */
	is_int(attempt(st, a, &c, pw, guesser, last, &r), OMS_OK,
	    "throttle: once the wait is over the right password works");
	all = 1;
	for (int i = 0; i < c.max_failures; i++)
		if (attempt(st, a, &c, bad, guesser, last + 1, &r) !=
		    OMS_ERR_DENIED)
			all = 0;
	ok(all, "throttle: a good login cleared the count for that name "
	    "and address (max_failures checked again)");
	ok(attempt(st, a, &c, bad, guesser, last + 2, &r) == OMS_ERR_THROTTLED &&
	    r == 59, "throttle: and the wait starts again from failure_delay");

	/* failure_window after the wait ends without a failure: forgotten. */
	last += 1 + 60 + c.failure_window;
	all = 1;
	for (int i = 0; i < c.max_failures; i++)
		if (attempt(st, a, &c, bad, guesser, last, &r) != OMS_ERR_DENIED)
			all = 0;
	ok(all && attempt(st, a, &c, bad, guesser, last + 1, &r) ==
	    OMS_ERR_THROTTLED && r == 59, "throttle: failure_window after a "
	    "wait without failures the count starts again");

	/* An address spraying names waits until its window ends. */
	c.max_address_failures = 5;
	t = last + 10000;
	all = 1;
	for (int i = 0; i < c.max_address_failures; i++) {
		struct oms_session s;
		char name[32];

		snprintf(name, sizeof(name), "spray%d", i);
		if (oms_login(st, a, &c, name, bad, "203.0.113.9", t + i, &s) !=
		    OMS_ERR_DENIED)
			all = 0;
	}
	ok(all, "throttle: an address guesses %d names, each checked",
	    c.max_address_failures);
	is_int(attempt(st, a, &c, pw, "203.0.113.9", t + 10, &r),
	    OMS_ERR_THROTTLED, "throttle: then it waits for any name");
	is_int(r, c.failure_window - 10, "throttle: until its window ends");
	is_int(attempt(st, a, &c, pw, owner, t + 10, &r), OMS_OK,
	    "throttle: other addresses are not affected");
}

/* The newest audit record into *r and the number of records into
 * *total (allocations not failed meanwhile).  OMS_OK or the error. */
static enum oms_err
last_audit(struct oms_store *st, struct oms_arena *a,
    struct oms_audit_record *r, int64_t *total)
{
	struct oms_audit_filter f = {NULL, NULL, NULL, 1, 0};
	struct oms_audit_record *v = NULL;
	size_t n = 0;
	enum oms_err e;

	memset(r, 0, sizeof(*r));
	e = oms_audit_list(st, a, &f, &v, &n, total);
	if (e == OMS_OK && n == 1)
		*r = v[0];
	return e;
}

/* A unit appending a record without values (as a caller whose
 * descriptions both failed would).  Returns oms_audit_append's answer. */
static enum oms_err
empty_record_unit(struct oms_store *st, void *arg)
{
	(void)arg;
	return oms_audit_append(st, &tester, "user", "1", "update", NULL, NULL);
}

/*
 * Every allocation of a change to an account fails in turn (the
 * manner of SQLite's OOM loops): the change either fails as a whole,
 * writing no audit record, or succeeds with a record carrying its
 * values.  Before, a failed description was written as a NULL "after"
 * and the change committed.
 */
static void
test_describe_oom(struct oms_store *st, struct oms_arena *a)
{
	struct oms_site *sites = NULL;
	struct oms_user_input in;
	struct oms_audit_record r;
	struct oms_user u;
	const char *why = NULL;
	size_t ns = 0;
	int64_t id = 0, v[2], before, after;
	int n, whole = 1, failed = 0, done = 0;
	char name[32];

	if (oms_site_list(st, a, &oms_scope_all, 1, &sites, &ns) != OMS_OK ||
	    ns < 2) {
		ok(0, "describe oom: the demo customer has two sites");
		return;
	}
	v[0] = sites[0].id;
	v[1] = sites[1].id;
	customer_input(&in, "una", v, 2);
	if (oms_user_create(st, a, &tester, &in, &id, &why) != OMS_OK) {
		ok(0, "describe oom: make the account");
		return;
	}
	for (n = 1; n < 100 && !done; n++) {
		enum oms_err e;

		last_audit(st, a, &r, &before);
		snprintf(name, sizeof(name), "Una %d", n);
		customer_input(&in, NULL, v, 2);
		in.display_name = name;
		fail_alloc = n;
		e = oms_user_update(st, a, &tester, id, &in, &why);
		done = fail_alloc > 0; /* the Nth allocation never came */
		fail_alloc = 0;
		last_audit(st, a, &r, &after);
		if (oms_user_get(st, a, id, &u) != OMS_OK) {
			whole = 0;
			break;
		}
		if (e == OMS_OK) {
			if (after != before + 1 || r.before == NULL ||
			    r.after == NULL || strstr(r.after, name) == NULL ||
			    strcmp(u.display_name, name) != 0) {
				printf("#   allocation %d failed, the update "
				    "committed with after '%s'\n", n,
				    r.after ? r.after : "(null)");
				whole = 0;
			}
		} else {
			failed++;
			if (after != before || strcmp(u.display_name, name) == 0) {
				printf("#   allocation %d failed: %s, but the "
				    "change or its record stayed\n", n,
				    oms_strerror(e));
				whole = 0;
			}
		}
	}
	ok(done && failed > 0, "describe oom: every allocation of an update "
	    "failed in turn (%d of them)", failed);
	ok(whole, "describe oom: an update is whole or not at all, and its "
	    "audit record always has before and after");

	whole = 1;
	failed = 0;
	done = 0;
	for (n = 1; n < 50 && !done; n++) {
		enum oms_err e;
		int dis;

		last_audit(st, a, &r, &before);
		oms_user_get(st, a, id, &u);
		dis = !u.disabled;
		fail_alloc = n;
		e = oms_user_set_disabled(st, a, &tester, id, dis);
		done = fail_alloc > 0;
		fail_alloc = 0;
		last_audit(st, a, &r, &after);
		oms_user_get(st, a, id, &u);
		if (e == OMS_OK ? after != before + 1 || r.after == NULL ||
		    r.before == NULL || u.disabled != dis :
		    after != before || u.disabled == dis)
			whole = 0;
		if (e != OMS_OK)
			failed++;
	}
	ok(done && failed > 0 && whole, "describe oom: disabling is whole or "
	    "not at all under every failed allocation (%d)", failed);
	last_audit(st, a, &r, &before);
	ok(oms_store_unit(st, empty_record_unit, NULL) == OMS_ERR_INVAL,
	    "describe oom: a record with neither before nor after bad");
	last_audit(st, a, &r, &after);
	is_int(after, before, "describe oom: and it is not written");
}

/*
 * The delete of an expired session fails (another connection holds the
 * database's write lock): the failure is reported, not passed off as
 * an ordinary expiry; once the store works the session goes.
 */
#ifdef OMS_HAVE_SQLITE
static void
test_expired_delete_fails(struct oms_store *st, struct oms_arena *a,
    struct oms_conf *c, const char *dbpath)
{
	struct oms_conf c2 = *c;
	struct oms_store *st2 = NULL;
	struct oms_session s;
	char cookie[48];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t t = 7000000;
	int rows = -1;
	enum oms_err e;

	c2.store.busy_timeout_ms = 50;
	if (oms_login(st, a, &c->auth, "tom", "tom's fine long password",
	    "192.0.2.1", t, &s) != OMS_OK ||
	    oms_store_open(&c2.store, 0, &oms_stmt_table, &st2) != OMS_OK ||
	    sqlite3_open(dbpath, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		ok(0, "expired delete: set up a session and a writer");
		oms_store_close(&st2);
		sqlite3_close(db);
		return;
	}
	snprintf(cookie, sizeof(cookie), "%s", s.id);
	e = oms_session_load(st2, a, &c->auth, cookie,
	    t + 2 * c->auth.idle_timeout, &s);
	ok(e != OMS_OK && e != OMS_ERR_NOTFOUND, "expired delete: a failed "
	    "delete bad: reported (%s), not an ordinary expiry",
	    oms_strerror(e));
	ok(s.user.id == 0, "expired delete: and no user comes with it");
	if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sessions", -1, &q,
	    NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		rows = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	ok(rows > 0, "expired delete: the session row is still there");
	is_int(oms_session_load(st2, a, &c->auth, cookie,
	    t + 2 * c->auth.idle_timeout, &s), OMS_ERR_NOTFOUND,
	    "expired delete: once the store works, expired as before");
	is_int(oms_session_load(st2, a, &c->auth, cookie, t, &s),
	    OMS_ERR_NOTFOUND, "expired delete: and then gone for good");
	oms_store_close(&st2);
}
#else
/* Without the SQLite backend there is no SQLite pass to run it in. */
static void
test_expired_delete_fails(struct oms_store *st, struct oms_arena *a,
    struct oms_conf *c, const char *dbpath)
{
}
#endif

int
main(void)
{
	struct oms_arena *a = oms_arena_new();

	oms_log_set_level(OMS_LOG_ERR);
	test_policy();
	test_roles();
	test_kv(a);
	oms_arena_free(&a);
	tb_run(pass);
	return tap_done();
}

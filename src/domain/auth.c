/*
 * auth.c: roles, password rules and hashing, login with throttling,
 * and sessions.
 *
 * Sections: roles and scope; passwords; throttling; sessions.
 *
 * A session id is 32 random bytes in base64url (256 bits); the server
 * keeps only its SHA-256, so a copy of the sessions table lets no one
 * in.  Each session also has a random CSRF token that every form of
 * that session carries back.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "auth.h"
#include "field.h"
#include "stmts.h"
#include "store.h"

const char *const oms_role_names[OMS_ROLE__MAX] = {
	"admin",    /* OMS_ROLE_ADMIN */
	"vendor",   /* OMS_ROLE_VENDOR */
	"finance",  /* OMS_ROLE_FINANCE */
	"customer", /* OMS_ROLE_CUSTOMER */
	"integration", /* OMS_ROLE_INTEGRATION */
};

const char *const oms_role_labels[OMS_ROLE__MAX] = {
	"Operator administrator", /* OMS_ROLE_ADMIN */
	"Vendor",                 /* OMS_ROLE_VENDOR */
	"Finance",                /* OMS_ROLE_FINANCE */
	"Customer",               /* OMS_ROLE_CUSTOMER */
	"Integration account",    /* OMS_ROLE_INTEGRATION */
};

const struct oms_scope oms_scope_all = {0, 0};

/* The enum oms_role named s (as in oms_role_names), or -1 for none or NULL. */
int
oms_role_lookup(const char *s)
{
	for (int i = 0; s != NULL && i < OMS_ROLE__MAX; i++)
		if (strcmp(s, oms_role_names[i]) == 0)
			return i;
	return -1;
}

/*
 * Fill s with what user u may see: a customer user is held to its
 * customer, and to its own listed sites when limited; everyone else
 * sees everything (0s).  Cannot fail.
 */
void
oms_scope_of(const struct oms_user *u, struct oms_scope *s)
{
	s->customer = u->role == OMS_ROLE_CUSTOMER ? u->customer : 0;
	s->site_user = u->role == OMS_ROLE_CUSTOMER && u->limited ? u->id : 0;
}

/* ------------------------------------------------------------ passwords */

/*
 * The most common passwords of published breach corpora that are 10
 * characters or longer (shorter ones are refused by length anyway).
 * Compared case-insensitively.
 */
static const char *const common[] = {
	"1234567890", "0123456789", "1234567891", "12345678910",
	"123456789a", "qwertyuiop", "1q2w3e4r5t", "1qaz2wsx3edc",
	"qwerty1234", "qwerty12345", "password12", "password123",
	"password1234", "passw0rd123", "iloveyou12", "1111111111",
	"0000000000", "aaaaaaaaaa", "abcdefghij", "abcd123456",
	"a123456789", "qazwsxedc123", "zxcvbnm123", "asdfghjkl1",
	"football123", "baseball123", "princess123", "welcome123",
	"sunshine123", "superman123", "michael123", "charlie123",
	"letmein123", "changeme123", "administrator", "password!!",
	"trustno1234", "monkey1234", "dragon1234", "master1234",
	"1234qwerasdf", "qwer1234asdf", "9876543210", "1122334455",
	"1234512345", "5555555555", "7777777777", "9999999999",
	"passwordpassword", "123123123123", "123451234512345",
	"computer123", "internet123", "samsung123", "starwars123",
	"whatever123", "pokemon123", "freedom123", "liverpool1",
	"chelsea123", "arsenal123", "jennifer12", "hunter1234",
	"mustang123", "shadow1234", "killer1234", "soccer1234",
	"thomas1234", "hello12345", "summer2024", "winter2024",
	"spring2024", "autumn2024", "summer2025", "winter2025",
	"welcome2024", "welcome2025", "password2024", "password2025",
	"p@ssw0rd123", "p@ssword123", "qwerty123456", "1q2w3e4r5t6y",
	"zaq12wsxcde3", "q1w2e3r4t5", "a1b2c3d4e5", "abc123456789",
	"demodemodemo", "testtesttest", "adminadmin", "rootroot12",
	"telephone1", "voicemail1",
};

/*
 * Check a new password: 10 to 1024 bytes of UTF-8 without control
 * characters, not the login (ignoring case), not one of the common
 * passwords above.  Returns OMS_OK, or OMS_ERR_INVAL with *why set to a
 * static sentence for the user.
 */
enum oms_err
oms_password_policy(const char *login, const char *pw, const char **why)
{
	size_t n = strlen(pw);

	if (n < 10) {
		*why = "The password must be at least 10 characters long.";
		return OMS_ERR_INVAL;
	}
	if (n > 1024) {
		*why = "The password must be at most 1024 bytes long.";
		return OMS_ERR_INVAL;
	}
	if (oms_utf8_check(pw, n, 0) < 0) {
		*why = "The password must be UTF-8 text without control "
		    "characters.";
		return OMS_ERR_INVAL;
	}
	if (login != NULL && strcasecmp(login, pw) == 0) {
		*why = "The password must not be the login name.";
		return OMS_ERR_INVAL;
	}
	for (size_t i = 0; i < OMS_NELEM(common); i++)
		if (strcasecmp(common[i], pw) == 0) {
			*why = "This password is one of the most common ones; "
			    "choose another.";
			return OMS_ERR_INVAL;
		}
	return OMS_OK;
}

/*
 * Hash pw with argon2id (libsodium) at the interactive limits into the
 * caller's out (crypto_pwhash_STRBYTES, 128 bytes).  Returns OMS_OK,
 * or OMS_ERR_NOMEM when libsodium cannot start or the hash cannot get
 * its memory.
 */
enum oms_err
oms_password_hash(const char *pw, char out[128])
{
	if (sodium_init() < 0)
		return OMS_ERR_NOMEM;
	if (crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		oms_error("crypto_pwhash_str: out of memory");
		return OMS_ERR_NOMEM;
	}
	return OMS_OK;
}

/*
 * 1 when the tokens a and b are equal, else 0; the bytes are compared
 * in constant time (only the length may leak), for CSRF tokens.
 */
int
oms_token_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

/* ----------------------------------------------------------- throttling */

/*
 * The kinds of login_failures rows (backends/sql/sqlite/0004_throttle.sql).
 * PAIR: the failures of login name k from one address, window_start
 * being the time of the latest.  ADDR: the failures from address k
 * across names in the window that began at window_start; address "".
 */
#define PAIR "login"
#define ADDR "address"

/*
 * How long a name waits from an address after n failures from there:
 * nothing before max_failures, then failure_delay, doubled for each
 * further failure, at most max_failure_delay.  Seconds.  The loop stops
 * at the ceiling (a week at most), so nothing overflows.
 */
static int64_t
pair_wait(const struct oms_auth_conf *c, int64_t n)
{
	int64_t w;

	if (n < c->max_failures)
		return 0;
	w = c->failure_delay;
	for (int64_t i = c->max_failures; i < n && w < c->max_failure_delay; i++)
		w *= 2;
	return w < c->max_failure_delay ? w : c->max_failure_delay;
}

/*
 * Read the row kind/k/address, locked until the unit ends so that
 * parallel attempts are all counted: *start and *n get window_start and
 * failures, both 0 when there is no row.  Returns the store's error.
 */
static enum oms_err
row_read(struct oms_store *st, const char *kind, const char *k,
    const char *address, int64_t *start, int64_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_THROTTLE_LOCK);

	*start = *n = 0;
	oms_query_text(q, kind);
	oms_query_text(q, k);
	oms_query_text(q, address);
	if (oms_query_row(q)) {
		*start = oms_query_col_int(q, 0);
		*n = oms_query_col_int(q, 1);
	}
	return oms_query_end(q);
}

/* Replace the row kind/k/address with (start, n).  Returns the store's
 * error. */
static enum oms_err
row_put(struct oms_store *st, const char *kind, const char *k,
    const char *address, int64_t start, int64_t n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_THROTTLE_DELETE);
	enum oms_err e;

	oms_query_text(q, kind);
	oms_query_text(q, k);
	oms_query_text(q, address);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_THROTTLE_ADD);
	oms_query_text(q, kind);
	oms_query_text(q, k);
	oms_query_text(q, address);
	oms_query_int(q, start);
	oms_query_int(q, n);
	return oms_query_exec(q);
}

/* ------------------------------------------------------------- sessions */

/* SHA-256 of s in lower-case hex (65 bytes). */
static void
sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* 32 random bytes as base64url without padding (43 characters). */
static void
random_token(char out[48])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, 48, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* Column i copied into the arena (the store's one NULL rule: NULL stays
 * NULL, and these columns are NOT NULL; out of memory is latched in q). */
#define col(a, q, i) oms_query_col_dup((q), (i), (a))

struct login_unit {
	const struct oms_auth_conf *c;
	const char *login, *pw, *address;
	int64_t now;
	int64_t uid;          /* the account, when the password was right */
	int throttled;        /* set by attempt_unit */
	int64_t retry_after;  /* set by attempt_unit when throttled */
	const char *rehash;   /* a new hash to store, or NULL */
	struct oms_session *out;
};

/* A fixed hash to verify against when the login is unknown, so that
 * both answers take the same time. */
static char dummy_hash[128];

/*
 * Before the password is checked, as one unit: refuse while this name
 * waits from this address, or while this address has used up its
 * attempts across names (u->throttled and u->retry_after, the longer
 * of the two waits); otherwise count this attempt for both (locked
 * reads: parallel guesses cannot slip past the limit).  A good
 * password gives the attempts back.  Returns the store's error.
 */
static enum oms_err
attempt_unit(struct oms_store *st, void *arg)
{
	struct login_unit *u = arg;
	const struct oms_auth_conf *c = u->c;
	int64_t pstart, pn, astart, an, wait, retry = 0;
	enum oms_err e;

	u->throttled = 0;
	u->retry_after = 0;
	if ((e = row_read(st, PAIR, u->login, u->address, &pstart, &pn)) !=
	    OMS_OK)
		return e;
	wait = pair_wait(c, pn);
	/* Forgotten failure_window after the wait ended without another
	 * failure: the next run starts from nothing. */
	if (pn > 0 && u->now >= pstart + wait + c->failure_window)
		pn = wait = 0;
	if (pn > 0 && u->now < pstart + wait)
		retry = pstart + wait - u->now;
	if ((e = row_read(st, ADDR, u->address, "", &astart, &an)) != OMS_OK)
		return e;
	if (an > 0 && astart <= u->now - c->failure_window)
		an = 0; /* that window has ended */
	if (an >= c->max_address_failures &&
	    astart + c->failure_window - u->now > retry)
		retry = astart + c->failure_window - u->now;
	if (retry > 0) {
		u->throttled = 1;
		u->retry_after = retry;
		return OMS_OK;
	}
	if ((e = row_put(st, PAIR, u->login, u->address, u->now, pn + 1)) !=
	    OMS_OK)
		return e;
	return row_put(st, ADDR, u->address, "", an > 0 ? astart : u->now,
	    an + 1);
}

/* A good login, as one unit: clear the account's failures, store a
 * new hash if needed, open the session, sweep expired sessions. */
static enum oms_err
session_unit(struct oms_store *st, void *arg)
{
	struct login_unit *u = arg;
	struct oms_query *q;
	char idh[65];
	enum oms_err e;

	/* The name's failures from this address are forgiven (those from
	 * elsewhere are not: they may be a guesser's); the address gets
	 * this attempt back. */
	q = oms_query(st, OMS_STMT_THROTTLE_DELETE);
	oms_query_text(q, PAIR);
	oms_query_text(q, u->login);
	oms_query_text(q, u->address);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_THROTTLE_UNCOUNT);
	oms_query_text(q, ADDR);
	oms_query_text(q, u->address);
	oms_query_text(q, "");
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (u->rehash != NULL) {
		q = oms_query(st, OMS_STMT_USER_SET_PASSWORD_RAW);
		oms_query_text(q, u->rehash);
		oms_query_int(q, u->uid);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	}
	random_token(u->out->id);
	random_token(u->out->csrf);
	sha256_hex(u->out->id, idh);
	q = oms_query(st, OMS_STMT_SESSION_ADD);
	oms_query_text(q, idh);
	oms_query_int(q, u->uid);
	oms_query_text(q, u->out->csrf);
	oms_query_int(q, u->now);
	oms_query_int(q, u->now);
	oms_query_text(q, u->address);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	/* Housekeeping: sessions past their time, failures past their
	 * window, so neither table grows without end. */
	q = oms_query(st, OMS_STMT_SESSION_SWEEP);
	oms_query_int(q, u->now - u->c->idle_timeout);
	oms_query_int(q, u->now - u->c->absolute_timeout);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_THROTTLE_SWEEP);
	oms_query_int(q, u->now - u->c->failure_window);
	oms_query_int(q, u->now - u->c->failure_window -
	    u->c->max_failure_delay);
	return oms_query_exec(q);
}

/*
 * The password is checked outside any transaction: argon2id takes a
 * tenth of a second and 64 MiB, and holding a write lock meanwhile
 * would queue every writer behind a burst of logins.
 */
enum oms_err
oms_login(struct oms_store *st, struct oms_arena *a,
    const struct oms_auth_conf *c, const char *login, const char *pw,
    const char *address, int64_t now, struct oms_session *out)
{
	struct login_unit u = {c, login, pw, address, now, 0, 0, 0, NULL, out};
	struct oms_query *q;
	char hash[128] = "", nh[128];
	int64_t uid = 0;
	int disabled = 1, good;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if (dummy_hash[0] == '\0' &&
	    oms_password_hash("a password no one has", dummy_hash) != OMS_OK)
		return OMS_ERR_NOMEM;
	if ((e = oms_store_unit(st, attempt_unit, &u)) != OMS_OK)
		return e;
	if (u.throttled) {
		out->retry_after = u.retry_after;
		return OMS_ERR_THROTTLED;
	}
	q = oms_query(st, OMS_STMT_USER_AUTH);
	oms_query_text(q, login);
	if (oms_query_row(q)) {
		uid = oms_query_col_int(q, 0);
		disabled = (int)oms_query_col_int(q, 1);
		snprintf(hash, sizeof(hash), "%s", oms_query_col_text(q, 2) ?
		    oms_query_col_text(q, 2) : "");
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	good = crypto_pwhash_str_verify(uid ? hash : dummy_hash, pw,
	    strlen(pw)) == 0 && uid != 0 && !disabled;
	if (!good)
		return OMS_ERR_DENIED; /* the attempt is already counted */
	/* Stored with older limits: hash again with today's. */
	if (crypto_pwhash_str_needs_rehash(hash,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	    oms_password_hash(pw, nh) == OMS_OK)
		u.rehash = nh;
	u.uid = uid;
	if ((e = oms_store_unit(st, session_unit, &u)) != OMS_OK)
		return e;
	{
		char id[48];

		memcpy(id, out->id, sizeof(id));
		if ((e = oms_session_load(st, a, c, id, now, out)) != OMS_OK)
			return e;
		memcpy(out->id, id, sizeof(id));
	}
	return OMS_OK;
}

/*
 * The session whose cookie value is id, with its user, into *out (the
 * strings in arena a, freed with it); its activity is recorded at most
 * once a minute.  Returns OMS_OK; OMS_ERR_NOTFOUND when the id is
 * malformed, unknown, past its idle or absolute timeout, or its user
 * is disabled (an expired session is deleted); or the store's error,
 * also when deleting an expired session failed.  *out is zeroed on
 * failure.
 */
enum oms_err
oms_session_load(struct oms_store *st, struct oms_arena *a,
    const struct oms_auth_conf *c, const char *id, int64_t now,
    struct oms_session *out)
{
	struct oms_query *q;
	char idh[65];
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if (strlen(id) != 43)
		return OMS_ERR_NOTFOUND;
	sha256_hex(id, idh);
	q = oms_query(st, OMS_STMT_SESSION_GET);
	oms_query_text(q, idh);
	if (oms_query_row(q)) {
		struct oms_user *u = &out->user;
		int r;

		found = 1;
		u->id = oms_query_col_int(q, 0);
		u->login = col(a, q, 1);
		u->display_name = col(a, q, 2);
		r = oms_role_lookup(oms_query_col_text(q, 3));
		u->role = r < 0 ? OMS_ROLE_CUSTOMER : (enum oms_role)r;
		u->customer = oms_query_col_int(q, 4);
		u->disabled = (int)oms_query_col_int(q, 5);
		snprintf(out->csrf, sizeof(out->csrf), "%s",
		    oms_query_col_text(q, 6) ? oms_query_col_text(q, 6) : "");
		out->created = oms_query_col_int(q, 7);
		out->seen = oms_query_col_int(q, 8);
		u->limited = oms_query_col_int(q, 9) > 0;
		u->organisation = col(a, q, 10);
		u->email = col(a, q, 11);
		u->approver = u->role == OMS_ROLE_CUSTOMER &&
		    oms_query_col_int(q, 12) != 0;
		/* An integration account never holds a session (it cannot
		 * log in): should a row say otherwise, it is no session. */
		if (u->role == OMS_ROLE_INTEGRATION)
			found = -1;
		/* A customer role without a customer sees nothing. */
		if (u->role == OMS_ROLE_CUSTOMER && u->customer == 0)
			u->customer = -1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found < 0)
		memset(out, 0, sizeof(*out));
	if (found <= 0)
		return OMS_ERR_NOTFOUND;
	if (out->user.disabled || now - out->seen > c->idle_timeout ||
	    now - out->created > c->absolute_timeout) {
		/* A session that stayed behind would still be refused at the
		 * next load, but a store that cannot delete is a failing
		 * store: say so, and let the request fail rather than look
		 * like an ordinary expiry. */
		memset(out, 0, sizeof(*out));
		q = oms_query(st, OMS_STMT_SESSION_DELETE);
		oms_query_text(q, idh);
		if ((e = oms_query_exec(q)) != OMS_OK) {
			oms_error("session: deleting an expired session failed: %s",
			    oms_strerror(e));
			return e;
		}
		return OMS_ERR_NOTFOUND;
	}
	/* Record activity at most once a minute (or a tenth of the idle
	 * timeout when that is shorter): a write per request would
	 * serialize every reader on SQLite. */
	if (now - out->seen >= (c->idle_timeout / 10 < 60 ?
	    c->idle_timeout / 10 : 60)) {
		/* Best effort: the request may go on with the activity
		 * recorded a little late, but not silently. */
		q = oms_query(st, OMS_STMT_SESSION_TOUCH);
		oms_query_int(q, now);
		oms_query_text(q, idh);
		if ((e = oms_query_exec(q)) == OMS_OK)
			out->seen = now;
		else
			oms_warn("session: recording activity failed: %s",
			    oms_strerror(e));
	}
	return OMS_OK;
}

/*
 * End the session whose cookie value is id by deleting it.  Returns
 * OMS_OK (also for a malformed id, which names no session) or the
 * store's error.
 */
enum oms_err
oms_logout(struct oms_store *st, const char *id)
{
	struct oms_query *q;
	char idh[65];

	if (strlen(id) != 43)
		return OMS_OK;
	sha256_hex(id, idh);
	q = oms_query(st, OMS_STMT_SESSION_DELETE);
	oms_query_text(q, idh);
	return oms_query_exec(q);
}

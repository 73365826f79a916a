/*
 * lease.c: database-wide job leases (see lease.h and docs/multi-host.md).
 *
 * Every decision is made on the lease row read with lease-get inside
 * the same unit of work that then changes it: the row is locked (FOR
 * UPDATE on MariaDB; SQLite's BEGIN IMMEDIATE serialises writers), and
 * the UPDATEs compare the epoch that was read as well, so that a
 * change never rests on a stale read.  Expiry is judged by the
 * database server's clock, which the statement returns with the row.
 */
#include "config.h"

#include <stdlib.h>

#include <signal.h>

#include <errno.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lease.h"
#include "stmts.h"

/* What lease-get read. */
struct row {
	int found;          /* 0: no row for the name */
	char holder[200];   /* its holder */
	int64_t epoch;      /* its epoch */
	int64_t expires_at; /* its expiry, database clock (ms) */
	int64_t now;        /* the database clock (ms) when read */
};

/* The argument of the units below. */
struct unit {
	struct oms_lease *l; /* the lease worked on */
	oms_unit_fn fn;      /* oms_lease_unit: the fenced work */
	void *arg;           /* and its argument */
	int lost;            /* the fence found the lease not ours */
};

/*
 * Read (and lock) the row of l's job into r.  Returns OMS_OK (r->found
 * says whether there is one) or a store error.
 */
static enum oms_err
get_row(struct oms_store *st, const struct oms_lease *l, struct row *r)
{
	struct oms_query *q = oms_query(st, OMS_STMT_LEASE_GET);
	const char *h;

	memset(r, 0, sizeof(*r));
	oms_query_text(q, l->name);
	if (oms_query_row(q)) {
		r->found = 1;
		h = oms_query_col_text(q, 0);
		snprintf(r->holder, sizeof(r->holder), "%s", h ? h : "");
		r->epoch = oms_query_col_int(q, 1);
		r->expires_at = oms_query_col_int(q, 2);
		r->now = oms_query_col_int(q, 3);
	}
	return oms_query_end(q);
}

/* 1 when row r is held by l (same holder and epoch). */
static int
ours(const struct oms_lease *l, const struct row *r)
{
	return r->found && l->epoch != 0 && r->epoch == l->epoch &&
	    strcmp(r->holder, l->holder) == 0;
}

/*
 * Make l a lease on job name, lasting ttl_ms a take or renewal, with a
 * holder "host:pid:token" unique to this call; it holds nothing yet and
 * owns no memory.  Returns OMS_OK, or OMS_ERR_INVAL when the name is
 * empty or too long or ttl_ms is not positive.
 */
enum oms_err
oms_lease_init(struct oms_lease *l, const char *name, int64_t ttl_ms)
{
	char host[64] = "";
	unsigned char rnd[8];
	char tok[17];

	memset(l, 0, sizeof(*l));
	if (name == NULL || name[0] == '\0' || strlen(name) >= sizeof(l->name) ||
	    ttl_ms <= 0)
		return OMS_ERR_INVAL;
	memcpy(l->name, name, strlen(name) + 1);
	l->ttl_ms = ttl_ms;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	/* The token tells two holders of one host and pid apart (a lease
	 * re-made after a lost one): each struct is a holder of its own. */
	if (getentropy(rnd, sizeof(rnd)) != 0) {
		int64_t t = oms_now_us();

		for (size_t i = 0; i < sizeof(rnd); i++)
			rnd[i] = (unsigned char)((uintptr_t)l >> (i * 3) ^
			    (uint64_t)t >> (i * 8));
	}
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(tok + 2 * i, 3, "%02x", rnd[i]);
	snprintf(l->holder, sizeof(l->holder), "%s:%ld:%s", host,
	    (long)getpid(), tok);
	return OMS_OK;
}

/*
 * Unit of oms_lease_acquire(): insert the row, take it over when it
 * expired, renew it when ours, or refuse.  Returns OMS_OK,
 * OMS_ERR_DENIED, OMS_ERR_BUSY when a concurrent insert won the key (the
 * unit is then run again and finds the winner's row), or a store error.
 */
static enum oms_err
acquire_unit(struct oms_store *st, void *arg)
{
	struct oms_lease *l = ((struct unit *)arg)->l;
	struct oms_query *q;
	struct row r;
	int mine;
	enum oms_err e;

	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	mine = ours(l, &r);
	if (!r.found) {
		q = oms_query(st, OMS_STMT_LEASE_INSERT);
		oms_query_text(q, l->name);
		oms_query_text(q, l->holder);
		oms_query_int(q, l->ttl_ms);
		e = oms_query_exec(q);
		if (e == OMS_ERR_CONSTRAINT)
			return OMS_ERR_BUSY;
		if (e != OMS_OK)
			return e;
		l->epoch = 1;
	} else if (!mine && r.expires_at > r.now) {
		snprintf(l->other, sizeof(l->other), "%s", r.holder);
		l->other_ms = r.expires_at - r.now;
		l->epoch = 0;
		return OMS_ERR_DENIED;
	} else if (mine) {
		q = oms_query(st, OMS_STMT_LEASE_RENEW);
		oms_query_int(q, l->ttl_ms);
		oms_query_text(q, l->name);
		oms_query_int(q, r.epoch);
		oms_query_text(q, l->holder);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
	} else {
		/* Expired (or released): take it over, compare-and-set on
		 * the epoch just read. */
		q = oms_query(st, OMS_STMT_LEASE_TAKE);
		oms_query_text(q, l->holder);
		oms_query_int(q, l->ttl_ms);
		oms_query_text(q, l->name);
		oms_query_int(q, r.epoch);
		if ((e = oms_query_exec(q)) != OMS_OK)
			return e;
		l->epoch = r.epoch + 1;
	}
	/* Read back what the database wrote: the row must now be ours
	 * (the store cannot say how many rows an UPDATE changed). */
	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	if (!ours(l, &r))
		return OMS_ERR_BUSY;
	l->expires_at = r.expires_at;
	return OMS_OK;
}

/*
 * Take the lease in one unit of work: insert its row, or take over an
 * expired one by compare-and-set on its epoch; a lease we hold already
 * is renewed.  Returns OMS_OK (l->epoch set), OMS_ERR_DENIED when
 * another holder's lease has not expired (l->other and l->other_ms say
 * whose and for how long), or a store error.  See lease.h.
 */
enum oms_err
oms_lease_acquire(struct oms_store *st, struct oms_lease *l)
{
	struct unit u = {l, NULL, NULL, 0};
	int64_t t0 = oms_now_us();
	int64_t had = l->epoch;
	enum oms_err e;

	l->other[0] = '\0';
	l->other_ms = 0;
	e = oms_store_unit(st, acquire_unit, &u);
	if (e == OMS_OK)
		l->local_until = t0 + l->ttl_ms * 1000;
	else if (e != OMS_ERR_DENIED)
		l->epoch = had; /* rolled back: nothing changed */
	if (e == OMS_ERR_DENIED)
		l->local_until = 0;
	return e;
}

/*
 * Unit of oms_lease_renew(): extend the row when it is still ours.
 * Returns OMS_OK, OMS_ERR_DENIED when it is not, or a store error.
 */
static enum oms_err
renew_unit(struct oms_store *st, void *arg)
{
	struct oms_lease *l = ((struct unit *)arg)->l;
	struct oms_query *q;
	struct row r;
	enum oms_err e;

	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	if (!ours(l, &r))
		return OMS_ERR_DENIED;
	q = oms_query(st, OMS_STMT_LEASE_RENEW);
	oms_query_int(q, l->ttl_ms);
	oms_query_text(q, l->name);
	oms_query_int(q, l->epoch);
	oms_query_text(q, l->holder);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	if (!ours(l, &r))
		return OMS_ERR_DENIED;
	l->expires_at = r.expires_at;
	return OMS_OK;
}

/*
 * Push the lease's expiry ttl_ms past the database's now.  Returns
 * OMS_OK, OMS_ERR_DENIED when it changed hands (l->epoch is then 0 and
 * the caller must stop at once), or a store error (we may still hold it
 * until l->local_until; see oms_lease_held()).
 */
enum oms_err
oms_lease_renew(struct oms_store *st, struct oms_lease *l)
{
	struct unit u = {l, NULL, NULL, 0};
	int64_t t0 = oms_now_us();
	enum oms_err e;

	if (l->epoch == 0)
		return OMS_ERR_DENIED;
	e = oms_store_unit(st, renew_unit, &u);
	if (e == OMS_OK)
		l->local_until = t0 + l->ttl_ms * 1000;
	else if (e == OMS_ERR_DENIED) {
		l->epoch = 0;
		l->local_until = 0;
	}
	return e;
}

/*
 * Unit of oms_lease_release(): expire the row now when it is ours.
 * Returns OMS_OK (also when it is not ours) or a store error.
 */
static enum oms_err
release_unit(struct oms_store *st, void *arg)
{
	struct oms_lease *l = ((struct unit *)arg)->l;
	struct oms_query *q;
	struct row r;
	enum oms_err e;

	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	if (!ours(l, &r))
		return OMS_OK;
	q = oms_query(st, OMS_STMT_LEASE_RELEASE);
	oms_query_text(q, l->name);
	oms_query_int(q, l->epoch);
	oms_query_text(q, l->holder);
	return oms_query_exec(q);
}

/*
 * Give the lease up so another host may take it at once.  Returns
 * OMS_OK (also when we held nothing or had lost it) or a store error;
 * l->epoch is 0 afterwards either way.
 */
enum oms_err
oms_lease_release(struct oms_store *st, struct oms_lease *l)
{
	struct unit u = {l, NULL, NULL, 0};
	enum oms_err e = OMS_OK;

	if (l->epoch != 0)
		e = oms_store_unit(st, release_unit, &u);
	l->epoch = 0;
	l->local_until = 0;
	return e;
}

/*
 * Inside the caller's unit of work: lock the lease row and check that
 * it still names our holder and epoch.  Returns OMS_OK, OMS_ERR_DENIED
 * when it does not (the unit must roll back), or a store error.
 */
enum oms_err
oms_lease_check(struct oms_store *st, const struct oms_lease *l)
{
	struct row r;
	enum oms_err e;

	if (l->epoch == 0)
		return OMS_ERR_DENIED;
	if ((e = get_row(st, l, &r)) != OMS_OK)
		return e;
	return ours(l, &r) ? OMS_OK : OMS_ERR_DENIED;
}

/*
 * Unit of oms_lease_unit(): the fence, then the work.  Returns the
 * work's result, OMS_ERR_DENIED, or a store error.
 */
static enum oms_err
fenced_unit(struct oms_store *st, void *arg)
{
	struct unit *u = arg;
	enum oms_err e;

	u->lost = 0;
	if ((e = oms_lease_check(st, u->l)) != OMS_OK) {
		u->lost = e == OMS_ERR_DENIED;
		return e;
	}
	return u->fn(st, u->arg);
}

/*
 * Run fn(st, arg) as a unit of work fenced by the lease: oms_lease_check()
 * first, fn only when it passes.  Returns fn's result, OMS_ERR_DENIED
 * when the lease is no longer ours (l->epoch is then 0; nothing was
 * committed), or a store error.
 */
enum oms_err
oms_lease_unit(struct oms_store *st, struct oms_lease *l, oms_unit_fn fn,
    void *arg)
{
	struct unit u = {l, fn, arg, 0};
	enum oms_err e;

	if (l->epoch == 0)
		return OMS_ERR_DENIED;
	e = oms_store_unit(st, fenced_unit, &u);
	if (u.lost) {
		l->epoch = 0;
		l->local_until = 0;
	}
	return e;
}

/*
 * 1 when we hold the lease as far as this host can tell without asking
 * the database (taken or renewed, and less than ttl_ms passed on the
 * monotonic clock since that call began), else 0.
 */
int
oms_lease_held(const struct oms_lease *l)
{
	return l->epoch != 0 && oms_now_us() < l->local_until;
}

/* Unit of oms_lease_break_dead(): expire the named holder's lease. */
struct break_unit {
	const struct oms_lease *l;
	int64_t changed;
};

/* oms_store_unit body of struct break_unit. */
static enum oms_err
break_unit(struct oms_store *st, void *arg)
{
	struct break_unit *b = arg;
	struct oms_query *q = oms_query(st, OMS_STMT_LEASE_BREAK);
	enum oms_err e;

	oms_query_text(q, b->l->name);
	oms_query_text(q, b->l->other);
	e = oms_query_exec(q);
	b->changed = oms_query_changes(q);
	return e;
}

/* Described in lease.h. */
enum oms_err
oms_lease_break_dead(struct oms_store *st, const struct oms_lease *l)
{
	char host[128], want[160];
	const char *p;
	long pid;
	char *end;
	struct break_unit b = {l, 0};
	enum oms_err e;

	if (gethostname(host, sizeof(host)) != 0)
		return OMS_ERR_NOTFOUND;
	host[sizeof(host) - 1] = '\0';
	snprintf(want, sizeof(want), "%s:", host);
	if (strncmp(l->other, want, strlen(want)) != 0)
		return OMS_ERR_NOTFOUND;
	p = l->other + strlen(want);
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno != 0 || end == p || *end != ':' || pid <= 0 ||
	    (pid_t)pid == getpid())
		return OMS_ERR_NOTFOUND;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return OMS_ERR_NOTFOUND; /* alive, or not ours to know */
	if ((e = oms_store_unit(st, break_unit, &b)) != OMS_OK)
		return e;
	return b.changed > 0 ? OMS_OK : OMS_ERR_NOTFOUND;
}

/*
 * inbound.c: the domain side of the inbound SOAP service (inbound.h):
 * integration accounts, the replay memory, vendor order status and
 * booked leases.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "audit.h"
#include "date.h"
#include "inbound.h"
#include "stmts.h"
#include "store.h"
#include "workflow.h"

/* ---------------------------------------------------------- accounts */

/* Described in inbound.h. */
int64_t
oms_integration_ops_parse(int system, const char *ops, const char **why)
{
	unsigned all = oms_system_ops(system), bits = 0;
	const char *p = ops;

	if (all == 0) {
		*why = "The system must be vendor or finance.";
		return -1;
	}
	if (ops == NULL || strcmp(ops, "*") == 0 || *ops == '\0')
		return all;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		char name[40];
		int op;

		if (n == 0 || n >= sizeof(name)) {
			*why = "The operations are names separated by commas.";
			return -1;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if ((op = oms_soap_op_lookup(name)) < 0 ||
		    !(all & (1u << op))) {
			*why = "An operation is unknown or not one of the "
			    "system's (vendor: OrderStatus, QueryAssets, "
			    "GetInvoice, GetBillingReport; finance: "
			    "LeaseBooked, QueryAssets, GetInvoice, "
			    "GetBillingReport).";
			return -1;
		}
		bits |= 1u << op;
		p += n;
		if (*p == ',')
			p++;
	}
	return bits;
}

/* Described in inbound.h. */
enum oms_err
oms_integration_scope_put_in(struct oms_store *st, int64_t user, int system,
    const char *ops, const char **why)
{
	struct oms_query *q;
	char now[32];

	if (oms_integration_ops_parse(system, ops, why) < 0)
		return OMS_ERR_INVAL;
	q = oms_query(st, OMS_STMT_INTEGRATION_SCOPE_PUT);
	oms_query_int(q, user);
	oms_query_text(q, oms_system_names[system]);
	oms_query_text(q, ops && *ops ? ops : "*");
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	return oms_query_exec(q);
}

/* Described in inbound.h. */
enum oms_err
oms_integration_scope_get(struct oms_store *st, struct oms_arena *a,
    int64_t user, const char **system, const char **ops)
{
	struct oms_query *q = oms_query(st, OMS_STMT_INTEGRATION_SCOPE_GET);

	*system = *ops = NULL;
	oms_query_int(q, user);
	if (oms_query_row(q)) {
		*system = oms_query_col_dup(q, 0, a);
		*ops = oms_query_col_dup(q, 1, a);
	}
	return oms_query_end(q);
}

/*
 * The accounts this worker verified lately.  A worker is one process
 * with one thread, so the table needs no lock; its key is drawn at the
 * first use, after the fork, so workers share nothing.
 */
#define CACHE_SLOTS 16
#define CACHE_SECONDS 60
static struct {
	int64_t user;          /* 0: free */
	char hash[128];        /* the stored argon2id string it matched */
	unsigned char mac[32]; /* keyed SHA-256 of the password */
	int64_t until;         /* unix seconds */
} cache[CACHE_SLOTS];
static unsigned char cache_key[32];
static int cache_keyed;

/* The keyed digest of password pw into mac. */
static void
cache_mac(const char *pw, unsigned char mac[32])
{
	crypto_auth_hmacsha256(mac, (const unsigned char *)pw, strlen(pw),
	    cache_key);
}

/* 1 when (user, stored hash, pw) was verified less than a minute ago. */
static int
cache_hit(int64_t user, const char *hash, const char *pw, int64_t now)
{
	unsigned char mac[32];

	if (!cache_keyed)
		return 0;
	cache_mac(pw, mac);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		if (cache[i].user == user && cache[i].until > now &&
		    strcmp(cache[i].hash, hash) == 0 &&
		    sodium_memcmp(cache[i].mac, mac, sizeof(mac)) == 0)
			return 1;
	return 0;
}

/* Remember a verified (user, stored hash, pw) in the oldest slot. */
static void
cache_put(int64_t user, const char *hash, const char *pw, int64_t now)
{
	size_t k = 0;

	if (!cache_keyed) {
		randombytes_buf(cache_key, sizeof(cache_key));
		cache_keyed = 1;
	}
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		if (cache[i].user == user) {
			k = i;
			break;
		}
		if (cache[i].until < cache[k].until)
			k = i;
	}
	cache[k].user = user;
	snprintf(cache[k].hash, sizeof(cache[k].hash), "%s", hash);
	cache_mac(pw, cache[k].mac);
	cache[k].until = now + CACHE_SECONDS;
}

/* Described in inbound.h. */
enum oms_err
oms_integration_auth(struct oms_store *st, struct oms_arena *a,
    const char *login, const char *pw, int64_t now, struct oms_user *u,
    struct oms_principal *p)
{
	static char dummy[128];
	struct oms_query *q;
	char hash[128] = "";
	const char *system = NULL, *ops = NULL, *why;
	int disabled = 1, good, sys;
	int64_t bits;
	enum oms_err e;

	memset(u, 0, sizeof(*u));
	memset(p, 0, sizeof(*p));
	if (dummy[0] == '\0' &&
	    oms_password_hash("a password no one has", dummy) != OMS_OK)
		return OMS_ERR_NOMEM;
	if (login == NULL || pw == NULL || strlen(login) > 64 ||
	    strlen(pw) > 1024)
		login = "", pw = "";
	q = oms_query(st, OMS_STMT_INTEGRATION_ACCOUNT);
	oms_query_text(q, login);
	if (oms_query_row(q)) {
		u->id = oms_query_col_int(q, 0);
		u->login = oms_query_col_dup(q, 1, a);
		disabled = (int)oms_query_col_int(q, 2);
		snprintf(hash, sizeof(hash), "%s", oms_query_col_text(q, 3) ?
		    oms_query_col_text(q, 3) : "");
		system = oms_query_col_dup(q, 4, a);
		ops = oms_query_col_dup(q, 5, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (u->id != 0 && !disabled && cache_hit(u->id, hash, pw, now))
		good = 1;
	else {
		good = crypto_pwhash_str_verify(u->id ? hash : dummy, pw,
		    strlen(pw)) == 0 && u->id != 0 && !disabled;
		if (good)
			cache_put(u->id, hash, pw, now);
	}
	sys = oms_system_lookup(system);
	bits = good ? oms_integration_ops_parse(sys, ops, &why) : -1;
	if (!good || sys < 0 || bits < 0) {
		memset(u, 0, sizeof(*u));
		return OMS_ERR_DENIED;
	}
	u->role = OMS_ROLE_INTEGRATION;
	u->display_name = u->login;
	oms_principal_of(u, p);
	p->system = sys;
	p->ops = (unsigned)bits;
	return OMS_OK;
}

/* ---------------------------------------------------- replay memory */

/* Described in inbound.h. */
enum oms_err
oms_inbound_get(struct oms_store *st, struct oms_arena *a, int64_t account,
    const char *id, struct oms_inbound_msg *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_INBOUND_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, account);
	oms_query_text(q, id);
	if (oms_query_row(q)) {
		const char *b;
		size_t n = 0;

		found = 1;
		out->operation = oms_query_col_dup(q, 0, a);
		snprintf(out->sha256, sizeof(out->sha256), "%s",
		    oms_query_col_text(q, 1) ? oms_query_col_text(q, 1) : "");
		out->status = (int)oms_query_col_int(q, 2);
		b = oms_query_col_blob(q, 3, &n);
		if (b != NULL && (out->response = oms_arena_strndup(a, b, n)) !=
		    NULL)
			out->len = n;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (found && out->response == NULL)
		return OMS_ERR_NOMEM;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Described in inbound.h. */
enum oms_err
oms_inbound_put_in(struct oms_store *st, int64_t account, const char *id,
    const struct oms_inbound_msg *m)
{
	struct oms_query *q = oms_query(st, OMS_STMT_INBOUND_PUT);
	char now[32];

	oms_query_int(q, account);
	oms_query_text(q, id);
	oms_query_text(q, m->operation);
	oms_query_text(q, m->sha256);
	oms_query_int(q, m->status);
	oms_query_blob(q, m->response, m->len);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	return oms_query_exec(q);
}

/* ------------------------------------------------------ OrderStatus */

/* in's text if non-empty, else NULL (binds NULL). */
static const char *
opt(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* Described in inbound.h. */
enum oms_err
oms_inbound_order_status_in(struct oms_store *st,
    const struct oms_order_ctx *ctx, const struct oms_order_status *in,
    int complete_on_install, struct oms_order_status_result *out,
    const char **why)
{
	struct oms_arena *a = ctx->arena;
	struct oms_query *q;
	int64_t line = 0, order = 0, asset = 0, version = 0, open = 0;
	const char *state = NULL;
	char now[32];
	int installed = strcmp(in->status, "installed") == 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	q = oms_query(st, OMS_STMT_INBOUND_ORDER_LINE);
	oms_query_text(q, in->order_ref);
	oms_query_int(q, in->line_no);
	if (oms_query_row(q)) {
		line = oms_query_col_int(q, 0);
		order = oms_query_col_int(q, 1);
		asset = oms_query_col_int(q, 2);
		state = oms_query_col_dup(q, 3, a);
		version = oms_query_col_int(q, 4);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (line == 0) {
		*why = oms_arena_printf(a, "There is no order %s with a line "
		    "%d.", in->order_ref, in->line_no);
		return OMS_ERR_NOTFOUND;
	}
	if (strcmp(in->status, "scheduled") == 0 && opt(in->scheduled_on) ==
	    NULL) {
		*why = "A scheduled status needs its scheduledOn date.";
		return OMS_ERR_INVAL;
	}
	if (installed && opt(in->installed_on) == NULL) {
		*why = "An installed status needs its installedOn date.";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_INBOUND_VENDOR_ORDER_PUT);
	oms_query_int(q, line);
	oms_query_int(q, order);
	if (asset > 0)
		oms_query_int(q, asset);
	else
		oms_query_null(q);
	oms_query_text(q, opt(in->vendor_ref));
	oms_query_text(q, in->status);
	oms_query_text(q, opt(in->scheduled_on));
	oms_query_text(q, opt(in->installed_on));
	oms_query_text(q, opt(in->serial));
	oms_query_text(q, opt(in->number));
	oms_query_text(q, opt(in->note));
	oms_query_text(q, in->message_id);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if ((e = oms_audit_append(st, ctx->actor, "vendor_order",
	    oms_arena_printf(a, "%lld", (long long)line), "status", NULL,
	    oms_audit_kv(a, "order", in->order_ref, "line",
	    oms_arena_printf(a, "%d", in->line_no), "status", in->status,
	    "vendor_ref", opt(in->vendor_ref), "scheduled_on",
	    opt(in->scheduled_on), "installed_on", opt(in->installed_on),
	    "serial", opt(in->serial), "number", opt(in->number),
	    "message_id", in->message_id, (const char *)NULL))) != OMS_OK)
		return e;
	out->order = order;
	out->order_state = state;
	if (!installed || !complete_on_install)
		return OMS_OK;
	/* Completion, when every line is installed and the order is one
	 * the workflow can complete. */
	q = oms_query(st, OMS_STMT_INBOUND_LINES_OPEN);
	oms_query_int(q, order);
	if (oms_query_row(q))
		open = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (open > 0 || strcmp(state, "completed") == 0)
		return OMS_OK;
	{
		struct oms_order_line ids;
		struct oms_order_act args;

		memset(&ids, 0, sizeof(ids));
		ids.line_no = in->line_no;
		ids.serial = opt(in->serial);
		ids.number = opt(in->number);
		memset(&args, 0, sizeof(args));
		args.date = in->installed_on;
		args.comment = oms_arena_printf(a, "Installed, as the vendor "
		    "reported (message %s).", in->message_id);
		if (strcmp(state, "approved") == 0) {
			if ((e = oms_order_act_in(st, ctx, order, version,
			    OMS_VERB_SCHEDULE, &args, why)) != OMS_OK)
				return e;
			version++;
		}
		args.lines = &ids;
		args.nlines = 1;
		if ((e = oms_order_act_in(st, ctx, order, version,
		    OMS_VERB_COMPLETE, &args, why)) != OMS_OK)
			return e;
		out->completed = 1;
		out->order_state = "completed";
	}
	return OMS_OK;
}

/* ------------------------------------------------------ LeaseBooked */

/* Described in inbound.h. */
enum oms_err
oms_inbound_lease_booked_in(struct oms_store *st, const struct oms_actor *who,
    const struct oms_lease_booked *in, const char **why)
{
	struct oms_arena *a;
	struct oms_query *q;
	int64_t asset = 0;
	char now[32];
	enum oms_err e;

	*why = NULL;
	q = oms_query(st, OMS_STMT_INBOUND_ASSET_BY_TAG);
	oms_query_text(q, in->asset_tag);
	if (oms_query_row(q))
		asset = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (asset == 0) {
		*why = "There is no asset with this tag.";
		return OMS_ERR_NOTFOUND;
	}
	oms_now_iso(now, sizeof(now));
	q = oms_query(st, OMS_STMT_INBOUND_LEASE_PUT);
	oms_query_int(q, asset);
	oms_query_text(q, in->lease_number);
	oms_query_int(q, in->term_months);
	oms_query_text(q, in->starts_on);
	oms_query_text(q, opt(in->ends_on));
	oms_query_int(q, in->monthly_cents);
	oms_query_text(q, opt(in->schedule));
	oms_query_text(q, in->message_id);
	oms_query_text(q, now);
	oms_query_text(q, now);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	e = oms_audit_append(st, who, "lease", in->asset_tag, "booked", NULL,
	    oms_audit_kv(a, "lease_number", in->lease_number, "term_months",
	    oms_arena_printf(a, "%lld", (long long)in->term_months),
	    "starts_on", in->starts_on, "ends_on", opt(in->ends_on),
	    "monthly_cents", oms_arena_printf(a, "%lld",
	    (long long)in->monthly_cents), "message_id", in->message_id,
	    (const char *)NULL));
	oms_arena_free(&a);
	return e;
}

/* Described in inbound.h. */
enum oms_err
oms_inbound_site(struct oms_store *st, const char *cust_code,
    const char *site_code, int64_t *site, int64_t *customer)
{
	struct oms_query *q = oms_query(st, OMS_STMT_INBOUND_SITE_BY_CODES);
	enum oms_err e;

	*site = *customer = 0;
	oms_query_text(q, cust_code);
	oms_query_text(q, site_code);
	if (oms_query_row(q)) {
		*site = oms_query_col_int(q, 0);
		*customer = oms_query_col_int(q, 1);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return *site ? OMS_OK : OMS_ERR_NOTFOUND;
}

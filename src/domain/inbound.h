/*
 * inbound.h: the domain side of the inbound SOAP service (issue 10,
 * docs/integration-guide.md "Inbound SOAP service"): integration
 * accounts and their scope, the replay memory of answered messages,
 * and the two changes legacy systems report: an order line's progress
 * at the vendor (vendor_orders) and a lease booked on an asset
 * (asset_leases).  The web side (src/web/soap.c) parses, validates and
 * answers; it runs the *_in functions below inside one unit of work
 * together with oms_inbound_put_in, so that an effect and the answer
 * remembered for its replay commit or roll back together.
 *
 * Errors, with *why a sentence for the caller where given:
 * OMS_ERR_NOTFOUND (no such order line, asset, site), OMS_ERR_INVAL
 * (input the schema let through but the rules refuse), OMS_ERR_DENIED
 * (wrong credentials: no detail, on purpose), OMS_ERR_CONFLICT (the
 * workflow refused the completion), or the store's error.
 */
#ifndef OMS_INBOUND_H
#define OMS_INBOUND_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "oms.h"
#include "orders.h"
#include "policy.h"

struct oms_arena;
struct oms_store;

/*
 * Record the scope of integration account user (system: enum
 * oms_system; ops: operation names separated by commas, or "*" for
 * every operation of the system) inside the caller's unit of work.
 * OMS_ERR_INVAL with *why for an unknown system or operation, or one
 * that is not the system's.
 */
enum oms_err oms_integration_scope_put_in(struct oms_store *, int64_t user,
    int system, const char *ops, const char **why);

/* The bits (enum oms_soap_op) of ops for system, as above; -1 when a
 * name is unknown or not the system's (with *why). */
int64_t oms_integration_ops_parse(int system, const char *ops,
    const char **why);

/*
 * Authenticate an integration account by login and password, as
 * oms_login checks people's (argon2id, the same work for an unknown
 * login), without a session.  On OMS_OK *u (strings in a) is the
 * account and *p its principal (role integration, every customer, its
 * system and operations).  OMS_ERR_DENIED for an unknown login, a
 * disabled account, a wrong password or an account without a scope:
 * which, is not said.  A worker remembers, for a minute, the accounts
 * it verified (a keyed SHA-256 of the password with the stored hash),
 * so that a client's every call does not cost an argon2id hash; a
 * changed password or a disabled account is seen at once, since the
 * row is read every time.
 */
enum oms_err oms_integration_auth(struct oms_store *, struct oms_arena *,
    const char *login, const char *password, int64_t now,
    struct oms_user *u, struct oms_principal *p);

/* The scope of account user as text for pages: *system and *ops (in
 * a), NULL when the account has none.  OMS_OK or the store's error. */
enum oms_err oms_integration_scope_get(struct oms_store *, struct oms_arena *,
    int64_t user, const char **system, const char **ops);

/* What the replay memory holds of one message. */
struct oms_inbound_msg {
	const char *operation;  /* the operation answered */
	char sha256[65];        /* hex SHA-256 of the request's Body */
	int status;             /* the HTTP status answered */
	const char *response;   /* the answer, byte for byte */
	size_t len;
};

/* The answer remembered for (account, message id): OMS_OK with *out
 * (in a), OMS_ERR_NOTFOUND, or the store's error. */
enum oms_err oms_inbound_get(struct oms_store *, struct oms_arena *,
    int64_t account, const char *message_id, struct oms_inbound_msg *out);
/* Remember it, inside the caller's unit (OMS_ERR_CONSTRAINT when the
 * id was taken meanwhile: the caller reads it again). */
enum oms_err oms_inbound_put_in(struct oms_store *, int64_t account,
    const char *message_id, const struct oms_inbound_msg *);

/* OrderStatus, as the vendor sends it (NULL: not given). */
struct oms_order_status {
	const char *message_id;
	const char *order_ref;
	int line_no;
	const char *status;       /* acknowledged | scheduled | installed */
	const char *vendor_ref;
	const char *scheduled_on; /* YYYY-MM-DD */
	const char *installed_on; /* YYYY-MM-DD */
	const char *serial;
	const char *number;
	const char *note;
};

/* What OrderStatus did. */
struct oms_order_status_result {
	int64_t order;            /* the OMS order */
	const char *order_state;  /* its state after the report */
	int completed;            /* 1: this report completed it */
};

/*
 * Record in (vendor_orders), inside the caller's unit; with
 * complete_on_install and status installed, also complete the order
 * through the workflow (scheduling it first when it is approved) once
 * every line is reported installed, as the order page does, with the
 * serial and number on the line: its inventory change and outbox
 * messages are written in the same unit.  ctx->who must be the
 * integration account's principal.
 */
enum oms_err oms_inbound_order_status_in(struct oms_store *,
    const struct oms_order_ctx *, const struct oms_order_status *in,
    int complete_on_install, struct oms_order_status_result *out,
    const char **why);

/* LeaseBooked, as the lease system sends it. */
struct oms_lease_booked {
	const char *message_id;
	const char *asset_tag;
	const char *lease_number;
	int64_t term_months;
	const char *starts_on;    /* YYYY-MM-DD */
	const char *ends_on;      /* or NULL */
	int64_t monthly_cents;
	const char *schedule;     /* the payment schedule as XML, or NULL */
};

/* Record in on the asset (asset_leases), inside the caller's unit,
 * with an audit record by actor.  OMS_ERR_NOTFOUND for an unknown
 * asset. */
enum oms_err oms_inbound_lease_booked_in(struct oms_store *,
    const struct oms_actor *, const struct oms_lease_booked *in,
    const char **why);

/* The site with code site_code of the customer with code cust_code:
 * *site and *customer, OMS_ERR_NOTFOUND, or the store's error. */
enum oms_err oms_inbound_site(struct oms_store *, const char *cust_code,
    const char *site_code, int64_t *site, int64_t *customer);

#endif /* OMS_INBOUND_H */

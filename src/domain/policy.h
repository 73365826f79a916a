/*
 * policy.h: may this user take this action on this object?
 *
 * The route permission (oms_role_may, src/web/http.h) says whether a
 * role may call an address at all; the policy says whether it may act
 * on the one object the address names: read this customer, this site,
 * this asset, manage this account.  Both follow DESIGN.md "Who may do
 * what"; the order workflow adds its actions (request, approve, ...)
 * here.  Domain reads apply the scope too (inventory.h), so a list
 * never shows what the policy would refuse.
 *
 * The policy is a pure function of the principal and the object: it
 * reads nothing, so it can be tested for every role, action and object
 * exhaustively (tests/unit/test_policy.c).
 */
#ifndef OMS_POLICY_H
#define OMS_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"

/* What one does to an object. */
enum oms_action {
	OMS_ACTION_READ,   /* see it, its page, its XML, its export */
	OMS_ACTION_MANAGE, /* create, change, disable it */
	OMS_ACTION__MAX
};

extern const char *const oms_action_names[OMS_ACTION__MAX];

/* The kinds of object the policy knows. */
enum oms_object_kind {
	OMS_OBJECT_CUSTOMER, /* a customer: id = customer */
	OMS_OBJECT_SITE,     /* a site of a customer: id = site */
	OMS_OBJECT_ASSET,    /* an asset at a site */
	OMS_OBJECT_USER,     /* an account; customer 0 for staff */
	OMS_OBJECT__MAX
};

extern const char *const oms_object_kind_names[OMS_OBJECT__MAX];

/* One object, as far as the policy needs to know it. */
struct oms_object {
	enum oms_object_kind kind;
	int64_t id;       /* its key */
	int64_t customer; /* the customer it belongs to; 0 for none */
	int64_t site;     /* sites and assets: the site; else 0 */
};

/*
 * Who acts: the role, the scope (auth.h) and, for a scope limited to
 * some sites, those sites.  sites is borrowed: it must stay valid while
 * the principal is used.
 */
struct oms_principal {
	enum oms_role role;
	struct oms_scope scope;  /* customer 0: every customer */
	const int64_t *sites;    /* scope.site_user != 0: the sites */
	size_t nsites;
	int system;              /* integration accounts: enum oms_system;
	                          * everyone else -1 (memset 0 principals
	                          * are not integration accounts: the role
	                          * says so first) */
	unsigned ops;            /* integration accounts: one bit per enum
	                          * oms_soap_op the account was granted */
};

/* The principal of user u; u->sites (when listed) is borrowed. */
void oms_principal_of(const struct oms_user *u, struct oms_principal *p);

/*
 * 1 when p may take action on obj, else 0: an unknown role, action or
 * kind, a NULL argument, an object of another customer, or a site or
 * asset outside a site-limited scope all give 0.  Callers answer a
 * refusal as they answer a missing object (404), so that ids outside
 * the scope cannot be told from ids that do not exist.
 */
int oms_policy_may(const struct oms_principal *p, enum oms_action action,
    const struct oms_object *obj);

/*
 * The inbound SOAP service (issue 10, docs/integration-guide.md
 * "Inbound SOAP service").  An integration account speaks for one
 * legacy system and was granted some of that system's operations
 * (integration_scopes, migration 0011).
 */
enum oms_system {
	OMS_SYSTEM_VENDOR,  /* the Vendor Order System */
	OMS_SYSTEM_FINANCE, /* the Finance Company's lease system */
	OMS_SYSTEM__MAX
};

extern const char *const oms_system_names[OMS_SYSTEM__MAX];

enum oms_soap_op {
	OMS_SOAP_ORDER_STATUS,       /* vendor: an order line's progress */
	OMS_SOAP_LEASE_BOOKED,       /* finance: a lease booked on an asset */
	OMS_SOAP_QUERY_ASSETS,       /* both: the assets of a site */
	OMS_SOAP_GET_INVOICE,        /* both: an issued Summary Invoice */
	OMS_SOAP_GET_BILLING_REPORT, /* both: its Billing Report */
	OMS_SOAP__MAX
};

extern const char *const oms_soap_op_names[OMS_SOAP__MAX];

/* The system named s, or -1. */
int oms_system_lookup(const char *s);
/* The operation named s (as in oms_soap_op_names), or -1. */
int oms_soap_op_lookup(const char *s);
/* The operations system may ever be granted, one bit each. */
unsigned oms_system_ops(int system);

/*
 * 1 when p may call operation op of the SOAP service: p is an
 * integration account, op is one of its system's operations and the
 * account was granted it.  0 for anyone else (people call no SOAP
 * operation: the /soap route is for integration accounts only) and for
 * an unknown op.  Pure, like oms_policy_may.
 */
int oms_policy_op_may(const struct oms_principal *p, int op);

#endif /* OMS_POLICY_H */

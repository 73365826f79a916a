/*
 * policy.c: the object-level policy (policy.h): which role may take
 * which action on which kind of object, and whether the object lies in
 * the principal's scope.
 */
#include "config.h"

#include <string.h>

#include "policy.h"

const char *const oms_action_names[OMS_ACTION__MAX] = {
	"read",   /* OMS_ACTION_READ */
	"manage", /* OMS_ACTION_MANAGE */
};

const char *const oms_object_kind_names[OMS_OBJECT__MAX] = {
	"customer", /* OMS_OBJECT_CUSTOMER */
	"site",     /* OMS_OBJECT_SITE */
	"asset",    /* OMS_OBJECT_ASSET */
	"user",     /* OMS_OBJECT_USER */
};

#define R (1u << OMS_ACTION_READ)
#define M (1u << OMS_ACTION_MANAGE)

/*
 * The actions each role may take on each kind of object, before scope
 * (DESIGN.md "Who may do what"): the admin everything; the Vendor
 * reads and keeps the inventory of every customer; the Finance Company
 * reads it; a customer's staff read their own.  Accounts are the
 * admin's alone.
 */
static const unsigned role_actions[OMS_ROLE__MAX][OMS_OBJECT__MAX] = {
	/* OMS_ROLE_ADMIN: customer, site, asset, user */
	{R | M, R | M, R | M, R | M},
	/* OMS_ROLE_VENDOR */
	{R | M, R | M, R | M, 0},
	/* OMS_ROLE_FINANCE */
	{R, R, R, 0},
	/* OMS_ROLE_CUSTOMER */
	{R, R, R, 0},
	/* OMS_ROLE_INTEGRATION: reads the inventory it is asked about
	 * (QueryAssets); what it may change is decided per operation
	 * (oms_policy_op_may). */
	{R, R, R, 0},
};

#undef R
#undef M

/*
 * Fill *p with what user u may do and see: its role, its scope and,
 * for a site-limited customer user, the sites listed in u (borrowed,
 * valid as long as u).  Never fails.
 */
void
oms_principal_of(const struct oms_user *u, struct oms_principal *p)
{
	p->role = u->role;
	oms_scope_of(u, &p->scope);
	p->sites = u->sites;
	p->nsites = u->nsites;
	p->system = -1;
	p->ops = 0;
}

/* 1 when site is one of p's listed sites. */
static int
has_site(const struct oms_principal *p, int64_t site)
{
	if (p->sites == NULL)
		return 0;
	for (size_t i = 0; i < p->nsites; i++)
		if (p->sites[i] == site)
			return 1;
	return 0;
}

/* 1 when obj lies in p's scope: its customer, and for a site-limited
 * scope one of its sites (a customer object is in scope when any of
 * its sites is: the limited user sees the customer's page). */
static int
in_scope(const struct oms_principal *p, const struct oms_object *obj)
{
	if (p->scope.customer < 0)
		return 0;
	if (p->scope.customer == 0)
		return 1;
	if (obj->customer != p->scope.customer)
		return 0;
	if (p->scope.site_user == 0)
		return 1;
	switch (obj->kind) {
	case OMS_OBJECT_SITE:
	case OMS_OBJECT_ASSET:
		return has_site(p, obj->site);
	case OMS_OBJECT_CUSTOMER:
		return 1;
	default:
		return 0;
	}
}

/*
 * The object-level decision (policy.h): 1 when principal p may take
 * action on obj, 0 otherwise, reading nothing but its arguments.
 */
int
oms_policy_may(const struct oms_principal *p, enum oms_action action,
    const struct oms_object *obj)
{
	if (p == NULL || obj == NULL)
		return 0;
	if ((unsigned)p->role >= OMS_ROLE__MAX ||
	    (unsigned)action >= OMS_ACTION__MAX ||
	    (unsigned)obj->kind >= OMS_OBJECT__MAX)
		return 0;
	if (!((role_actions[p->role][obj->kind] >> action) & 1))
		return 0;
	/* An inventory object names its customer; a site or an asset its
	 * site too.  One that does not is malformed: refused. */
	if (obj->kind != OMS_OBJECT_USER && obj->customer <= 0)
		return 0;
	if ((obj->kind == OMS_OBJECT_SITE || obj->kind == OMS_OBJECT_ASSET) &&
	    obj->site <= 0)
		return 0;
	return in_scope(p, obj);
}

const char *const oms_system_names[OMS_SYSTEM__MAX] = {
	"vendor",  /* OMS_SYSTEM_VENDOR */
	"finance", /* OMS_SYSTEM_FINANCE */
};

const char *const oms_soap_op_names[OMS_SOAP__MAX] = {
	"OrderStatus",      /* OMS_SOAP_ORDER_STATUS */
	"LeaseBooked",      /* OMS_SOAP_LEASE_BOOKED */
	"QueryAssets",      /* OMS_SOAP_QUERY_ASSETS */
	"GetInvoice",       /* OMS_SOAP_GET_INVOICE */
	"GetBillingReport", /* OMS_SOAP_GET_BILLING_REPORT */
};

#define OP(x) (1u << OMS_SOAP_##x)
/* The operations of each system (DESIGN.md "Who may do what": the
 * Vendor keeps orders, the Finance Company leases; both read). */
static const unsigned system_ops[OMS_SYSTEM__MAX] = {
	OP(ORDER_STATUS) | OP(QUERY_ASSETS) | OP(GET_INVOICE) |
	    OP(GET_BILLING_REPORT),                  /* OMS_SYSTEM_VENDOR */
	OP(LEASE_BOOKED) | OP(QUERY_ASSETS) | OP(GET_INVOICE) |
	    OP(GET_BILLING_REPORT),                  /* OMS_SYSTEM_FINANCE */
};
#undef OP

/* The enum oms_system named s, or -1 for none or NULL. */
int
oms_system_lookup(const char *s)
{
	for (int i = 0; s != NULL && i < OMS_SYSTEM__MAX; i++)
		if (strcmp(s, oms_system_names[i]) == 0)
			return i;
	return -1;
}

/* The enum oms_soap_op named s, or -1 for none or NULL. */
int
oms_soap_op_lookup(const char *s)
{
	for (int i = 0; s != NULL && i < OMS_SOAP__MAX; i++)
		if (strcmp(s, oms_soap_op_names[i]) == 0)
			return i;
	return -1;
}

/* The operations system may be granted (0 for an unknown system). */
unsigned
oms_system_ops(int system)
{
	if (system < 0 || system >= OMS_SYSTEM__MAX)
		return 0;
	return system_ops[system];
}

/* Described in policy.h. */
int
oms_policy_op_may(const struct oms_principal *p, int op)
{
	if (p == NULL || p->role != OMS_ROLE_INTEGRATION || op < 0 ||
	    op >= OMS_SOAP__MAX)
		return 0;
	return (oms_system_ops(p->system) & p->ops & (1u << op)) != 0;
}

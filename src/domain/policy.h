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

#endif /* OMS_POLICY_H */

/*
 * test_policy.c: the object-level policy (src/domain/policy.c) for
 * every role, action and object, in and out of scope, against a table
 * written here by hand from DESIGN.md "Who may do what" (not derived
 * from the code's table); then the refusals of malformed input.
 * Negative cases say "bad".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "oms.h"
#include "policy.h"
#include "../tap.h"

/* Customer 1 has sites 11 and 12; customer 2 has site 21. */
static const struct oms_object objects[] = {
	{OMS_OBJECT_CUSTOMER, 1, 1, 0},   /* C1 */
	{OMS_OBJECT_CUSTOMER, 2, 2, 0},   /* C2 */
	{OMS_OBJECT_SITE, 11, 1, 11},     /* S11 */
	{OMS_OBJECT_SITE, 12, 1, 12},     /* S12 */
	{OMS_OBJECT_SITE, 21, 2, 21},     /* S21 */
	{OMS_OBJECT_ASSET, 101, 1, 11},   /* A11 */
	{OMS_OBJECT_ASSET, 102, 1, 12},   /* A12 */
	{OMS_OBJECT_ASSET, 201, 2, 21},   /* A21 */
	{OMS_OBJECT_USER, 7, 0, 0},       /* U0: a staff account */
	{OMS_OBJECT_USER, 8, 1, 0},       /* U1: an account of customer 1 */
};
static const char *const object_labels[] = {
	"customer 1", "customer 2", "site 11 of customer 1",
	"site 12 of customer 1", "site 21 of customer 2",
	"asset at site 11", "asset at site 12", "asset at site 21",
	"a staff account", "an account of customer 1",
};
_Static_assert(OMS_NELEM(objects) == OMS_NELEM(object_labels),
    "a label for every object");

static const int64_t site11[] = {11};

/* The principals: each role, the customer both whole and limited to
 * site 11, and a caller with no scope at all. */
static const struct {
	const char *label;
	struct oms_principal p;
	const char *may[OMS_ACTION__MAX]; /* per object: '1' may, '0' not */
} cases[] = {
	{"admin", {OMS_ROLE_ADMIN, {0, 0}, NULL, 0},
	    {"1111111111", "1111111111"}},
	{"vendor", {OMS_ROLE_VENDOR, {0, 0}, NULL, 0},
	    {"1111111100", "1111111100"}},
	{"finance", {OMS_ROLE_FINANCE, {0, 0}, NULL, 0},
	    {"1111111100", "0000000000"}},
	{"customer 1", {OMS_ROLE_CUSTOMER, {1, 0}, NULL, 0},
	    {"1011011000", "0000000000"}},
	{"customer 1 limited to site 11", {OMS_ROLE_CUSTOMER, {1, 5}, site11,
	    1}, {"1010010000", "0000000000"}},
	{"customer with no scope", {OMS_ROLE_CUSTOMER, {-1, 0}, NULL, 0},
	    {"0000000000", "0000000000"}},
};

/* Every principal, action and object against the table above. */
static void
test_matrix(void)
{
	for (size_t c = 0; c < OMS_NELEM(cases); c++)
		for (int act = 0; act < OMS_ACTION__MAX; act++)
			for (size_t o = 0; o < OMS_NELEM(objects); o++) {
				int want = cases[c].may[act][o] == '1';

				is_int(oms_policy_may(&cases[c].p,
				    (enum oms_action)act, &objects[o]), want,
				    "%s %s %s %s", cases[c].label,
				    want ? "may" : "bad: may not",
				    oms_action_names[act], object_labels[o]);
			}
}

/* The names tables have an entry for every value. */
static void
test_names(void)
{
	int good = 1;

	for (int i = 0; i < OMS_ACTION__MAX; i++)
		if (oms_action_names[i] == NULL)
			good = 0;
	for (int i = 0; i < OMS_OBJECT__MAX; i++)
		if (oms_object_kind_names[i] == NULL)
			good = 0;
	ok(good, "names: every action and object kind is named");
	is_str(oms_action_names[OMS_ACTION_MANAGE], "manage",
	    "names: manage");
	is_str(oms_object_kind_names[OMS_OBJECT_ASSET], "asset",
	    "names: asset");
}

/* Malformed principals and objects are refused. */
static void
test_bad(void)
{
	struct oms_principal admin = {OMS_ROLE_ADMIN, {0, 0}, NULL, 0};
	struct oms_principal lim = {OMS_ROLE_CUSTOMER, {1, 5}, NULL, 0};
	struct oms_principal p;
	struct oms_object o;

	is_int(oms_policy_may(NULL, OMS_ACTION_READ, &objects[0]), 0,
	    "bad: no principal");
	is_int(oms_policy_may(&admin, OMS_ACTION_READ, NULL), 0,
	    "bad: no object");
	p = admin;
	p.role = OMS_ROLE__MAX;
	is_int(oms_policy_may(&p, OMS_ACTION_READ, &objects[0]), 0,
	    "bad: an unknown role");
	p.role = (enum oms_role)-1;
	is_int(oms_policy_may(&p, OMS_ACTION_READ, &objects[0]), 0,
	    "bad: a negative role");
	is_int(oms_policy_may(&admin, OMS_ACTION__MAX, &objects[0]), 0,
	    "bad: an unknown action");
	is_int(oms_policy_may(&admin, (enum oms_action)-1, &objects[0]), 0,
	    "bad: a negative action");
	o = objects[0];
	o.kind = OMS_OBJECT__MAX;
	is_int(oms_policy_may(&admin, OMS_ACTION_READ, &o), 0,
	    "bad: an unknown object kind");
	o = objects[2];
	o.customer = 0;
	is_int(oms_policy_may(&admin, OMS_ACTION_READ, &o), 0,
	    "bad: a site without its customer");
	o = objects[5];
	o.site = 0;
	is_int(oms_policy_may(&admin, OMS_ACTION_READ, &o), 0,
	    "bad: an asset without its site");
	is_int(oms_policy_may(&lim, OMS_ACTION_READ, &objects[2]), 0,
	    "bad: a limited scope whose sites were not listed sees no site");
	is_int(oms_policy_may(&lim, OMS_ACTION_READ, &objects[0]), 1,
	    "a limited scope whose sites were not listed still reads its "
	    "customer");
}

/* oms_principal_of follows oms_scope_of and borrows the site list. */
static void
test_principal_of(void)
{
	int64_t sites[] = {11, 12};
	struct oms_user u;
	struct oms_principal p;

	memset(&u, 0, sizeof(u));
	u.id = 5;
	u.role = OMS_ROLE_CUSTOMER;
	u.customer = 1;
	u.limited = 1;
	u.sites = sites;
	u.nsites = 2;
	oms_principal_of(&u, &p);
	ok(p.role == OMS_ROLE_CUSTOMER && p.scope.customer == 1 &&
	    p.scope.site_user == 5 && p.sites == sites && p.nsites == 2,
	    "principal: a limited customer user");
	ok(oms_policy_may(&p, OMS_ACTION_READ, &objects[3]) &&
	    !oms_policy_may(&p, OMS_ACTION_READ, &objects[4]),
	    "principal: reads its listed site 12, bad: not site 21");
	u.role = OMS_ROLE_VENDOR;
	oms_principal_of(&u, &p);
	ok(p.scope.customer == 0 && p.scope.site_user == 0,
	    "principal: staff see every customer whatever their row says");
}

int
main(void)
{
	test_matrix();
	test_names();
	test_bad();
	test_principal_of();
	return tap_done();
}

/*
 * test_workflow.c: the order workflow (src/domain/workflow.c), for every
 * state, verb, role and scope, against the tables below, which restate
 * workflow.h's rules independently of the code's two bit tables.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "field.h"
#include "oms.h"
#include "workflow.h"
#include "../tap.h"

/*
 * Where each verb leads from each state ("-": refused with 409), for a
 * customer without its own approval; submit leads to
 * awaiting_approval when it has one (checked apart).  Verbs in the
 * order of enum oms_verb: submit approve reject schedule complete
 * cancel hold resume edit comment.  Resume is checked apart (it goes
 * back where the order was held from).
 */
static const char *const spec[OMS_ORDER__MAX][OMS_VERB__MAX] = {
	/* draft */
	{"submitted", "-", "-", "-", "-", "cancelled", "-", "-", "draft", "draft"},
	/* submitted */
	{"-", "approved", "rejected", "-", "-", "cancelled", "held", "-", "-",
	    "submitted"},
	/* awaiting_approval */
	{"-", "submitted", "rejected", "-", "-", "cancelled", "-", "-", "-",
	    "awaiting_approval"},
	/* approved */
	{"-", "-", "-", "scheduled", "-", "cancelled", "held", "-", "-",
	    "approved"},
	/* scheduled */
	{"-", "-", "-", "scheduled", "completed", "cancelled", "held", "-", "-",
	    "scheduled"},
	/* completed */
	{"-", "-", "-", "-", "-", "-", "-", "-", "-", "completed"},
	/* rejected */
	{"-", "-", "-", "-", "-", "-", "-", "-", "-", "rejected"},
	/* cancelled */
	{"-", "-", "-", "-", "-", "-", "-", "-", "-", "cancelled"},
	/* held */
	{"-", "-", "-", "-", "-", "cancelled", "-", "(resume)", "-", "held"},
};

/*
 * Who may take each verb, as letters: a admin, v vendor, f finance, c
 * customer user, p customer approver.  A few rules depend on the state
 * too: the vendor does not approve or reject for the customer
 * (awaiting_approval); approvers approve or reject only then; a
 * customer user cancels only until scheduling.  may() restates them.
 */
static int
may(char who, enum oms_verb v, enum oms_order_state s)
{
	int cust = who == 'c' || who == 'p';

	if (who == 'a')
		return 1;
	if (v == OMS_VERB_COMMENT)
		return 1;
	if (who == 'f')
		return 0;
	if (who == 'v') {
		if ((v == OMS_VERB_APPROVE || v == OMS_VERB_REJECT) &&
		    s == OMS_ORDER_AWAITING_APPROVAL)
			return 0;
		return 1;
	}
	if (cust) {
		switch (v) {
		case OMS_VERB_SUBMIT:
		case OMS_VERB_EDIT:
			return 1;
		case OMS_VERB_APPROVE:
		case OMS_VERB_REJECT:
			return who == 'p' && s == OMS_ORDER_AWAITING_APPROVAL;
		case OMS_VERB_CANCEL:
			return s == OMS_ORDER_DRAFT || s == OMS_ORDER_SUBMITTED ||
			    s == OMS_ORDER_AWAITING_APPROVAL ||
			    s == OMS_ORDER_APPROVED;
		default:
			return 0;
		}
	}
	return 0;
}

/* The principal of role letter who, of customer 7 limited (or not) to
 * site 70. */
static void
principal(char who, int limited, struct oms_principal *p, int64_t *sites)
{
	memset(p, 0, sizeof(*p));
	switch (who) {
	case 'a': p->role = OMS_ROLE_ADMIN; break;
	case 'v': p->role = OMS_ROLE_VENDOR; break;
	case 'f': p->role = OMS_ROLE_FINANCE; break;
	default:
		p->role = OMS_ROLE_CUSTOMER;
		p->scope.customer = 7;
		if (limited) {
			p->scope.site_user = 99;
			sites[0] = 70;
			p->sites = sites;
			p->nsites = 1;
		}
		break;
	}
}

static void
test_next(void)
{
	int good = 1, refused409 = 1;

	for (int s = 0; s < OMS_ORDER__MAX; s++)
		for (int v = 0; v < OMS_VERB__MAX; v++) {
			struct oms_order_facts f = {(enum oms_order_state)s,
			    OMS_ORDER_APPROVED, 0, 7, 70};
			enum oms_order_state next = OMS_ORDER__MAX;
			const char *why = NULL, *want = spec[s][v];
			enum oms_err e = oms_workflow_next(&f, (enum oms_verb)v,
			    &next, &why);

			if (strcmp(want, "(resume)") == 0)
				want = "approved";
			if (strcmp(want, "-") == 0) {
				if (e != OMS_ERR_CONFLICT || why == NULL || *why == '\0') {
					refused409 = 0;
					diag("bad: %s from %s gave %d", oms_verb_names[v],
					    oms_order_state_names[s], e);
				}
			} else if (e != OMS_OK || (unsigned)next >= OMS_ORDER__MAX ||
			    strcmp(oms_order_state_names[next], want) != 0) {
				good = 0;
				diag("%s from %s: want %s", oms_verb_names[v],
				    oms_order_state_names[s], want);
			}
		}
	ok(good, "next: every verb that applies leads where the table says "
	    "(%d states x %d verbs)", OMS_ORDER__MAX, OMS_VERB__MAX);
	ok(refused409, "next bad: every verb that does not apply is refused "
	    "with OMS_ERR_CONFLICT and a reason");
}

static void
test_approval_path(void)
{
	struct oms_order_facts f = {OMS_ORDER_DRAFT, OMS_ORDER__MAX, 1, 7, 70};
	enum oms_order_state next;
	const char *why;

	ok(oms_workflow_next(&f, OMS_VERB_SUBMIT, &next, &why) == OMS_OK &&
	    next == OMS_ORDER_AWAITING_APPROVAL,
	    "approval: a customer that approves its own orders gets them "
	    "awaiting its approval on submit");
	f.state = OMS_ORDER_AWAITING_APPROVAL;
	ok(oms_workflow_next(&f, OMS_VERB_APPROVE, &next, &why) == OMS_OK &&
	    next == OMS_ORDER_SUBMITTED,
	    "approval: its approval passes the order on to the vendor");
	f.state = OMS_ORDER_HELD;
	f.held_from = OMS_ORDER_SCHEDULED;
	ok(oms_workflow_next(&f, OMS_VERB_RESUME, &next, &why) == OMS_OK &&
	    next == OMS_ORDER_SCHEDULED, "resume: back to where it was held");
	f.held_from = OMS_ORDER_DRAFT;
	ok(oms_workflow_next(&f, OMS_VERB_RESUME, &next, &why) ==
	    OMS_ERR_CONFLICT, "resume bad: not to a state one cannot hold from");
}

static void
test_may(void)
{
	static const char roles[] = "avfcp";
	int good = 1, reasons = 1;

	for (const char *r = roles; *r; r++)
		for (int s = 0; s < OMS_ORDER__MAX; s++)
			for (int v = 0; v < OMS_VERB__MAX; v++) {
				struct oms_principal p;
				int64_t sites[1];
				struct oms_order_facts f = {(enum oms_order_state)s,
				    OMS_ORDER_APPROVED, 1, 7, 70};
				const char *why = NULL;
				int got, want = may(*r, (enum oms_verb)v,
				    (enum oms_order_state)s);

				principal(*r, 0, &p, sites);
				got = oms_workflow_may(&p, *r == 'p', &f,
				    (enum oms_verb)v, &why);
				if (got != want) {
					good = 0;
					diag("%c %s in %s: got %d", *r,
					    oms_verb_names[v],
					    oms_order_state_names[s], got);
				}
				if (!got && (why == NULL || *why == '\0'))
					reasons = 0;
			}
	ok(good, "may: every role x state x verb as the rules say (5 x %d x %d)",
	    OMS_ORDER__MAX, OMS_VERB__MAX);
	ok(reasons, "may bad: every refusal says why");
}

static void
test_scope(void)
{
	struct oms_principal p;
	int64_t sites[1];
	struct oms_order_facts mine = {OMS_ORDER_DRAFT, OMS_ORDER__MAX, 0, 7, 70};
	struct oms_order_facts other_site = mine, other_cust = mine, spans = mine;
	const char *why;

	other_site.site = 71;
	other_cust.customer = 8;
	spans.site = 0;
	principal('c', 0, &p, sites);
	ok(oms_workflow_visible(&p, &mine) && oms_workflow_visible(&p, &other_site),
	    "scope: a customer user sees its customer's orders at every site");
	ok(!oms_workflow_visible(&p, &other_cust) &&
	    !oms_workflow_may(&p, 0, &other_cust, OMS_VERB_COMMENT, &why),
	    "scope bad: not another customer's order, not even to comment");
	principal('c', 1, &p, sites);
	ok(oms_workflow_visible(&p, &mine), "scope: a user limited to site 70 "
	    "sees its orders");
	ok(!oms_workflow_visible(&p, &other_site) && !oms_workflow_visible(&p, &spans),
	    "scope bad: not those of another site, nor those spanning sites");
	principal('f', 0, &p, sites);
	ok(oms_workflow_visible(&p, &other_cust), "scope: staff see every order");
}

static void
test_names(void)
{
	int good = 1;

	for (int s = 0; s < OMS_ORDER__MAX; s++)
		if (oms_order_state_lookup(oms_order_state_names[s]) != s ||
		    oms_order_state_labels[s] == NULL)
			good = 0;
	for (int v = 0; v < OMS_VERB__MAX; v++)
		if (oms_verb_lookup(oms_verb_names[v]) != v ||
		    oms_verb_labels[v] == NULL)
			good = 0;
	ok(good, "names: every state and verb name looks itself up");
	good = 1;
	for (int i = 0; i <= OMS_ORDER__MAX; i++) {
		const char *c = oms_keys[OMS_KEY_STATE].choices[i];

		if (i == OMS_ORDER__MAX ? c != NULL : c == NULL ||
		    strcmp(c, oms_order_state_names[i]) != 0)
			good = 0;
	}
	for (int i = 0; i <= OMS_VERB__MAX; i++) {
		const char *c = oms_keys[OMS_KEY_VERB].choices[i];

		if (i == OMS_VERB__MAX ? c != NULL : c == NULL ||
		    strcmp(c, oms_verb_names[i]) != 0)
			good = 0;
	}
	ok(good, "names: the request fields 'state' and 'verb' take the "
	    "workflow's names, in its order");
	ok(oms_order_state_lookup("Draft") == -1 && oms_verb_lookup(NULL) == -1,
	    "names bad: case matters, NULL is no name");
}

int
main(void)
{
	test_next();
	test_approval_path();
	test_may();
	test_scope();
	test_names();
	return tap_done();
}

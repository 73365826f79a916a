/*
 * workflow.h: the states of a MAC order and who may move it between
 * them, as pure functions (nothing is read), tested for every role,
 * state and verb (tests/unit/test_workflow.c).
 *
 * In the manner of TM Forum's product order states:
 *
 *   draft --submit--> submitted --approve--> approved --schedule-->
 *   scheduled --complete--> completed
 *
 * For a customer that requires its own approval, submit leads to
 * awaiting_approval instead, where one of the customer's approver users
 * approves (on to submitted, for the vendor) or rejects.  The vendor
 * rejects from submitted; rejected is final.  Cancel is final too: a
 * customer user may cancel until the order is scheduled, the vendor and
 * the admin until it is completed.  Hold parks a submitted, approved or
 * scheduled order (vendor, admin); resume returns it to the state it
 * was held from.  Schedule again on a scheduled order moves its date.
 * Finance reads and comments only.  Admin may do everything the others
 * may.
 */
#ifndef OMS_WORKFLOW_H
#define OMS_WORKFLOW_H

#include "oms.h"
#include "policy.h"

enum oms_order_state {
	OMS_ORDER_DRAFT,             /* being written; lines may change */
	OMS_ORDER_SUBMITTED,         /* waiting for the vendor's approval */
	OMS_ORDER_AWAITING_APPROVAL, /* waiting for the customer's approver */
	OMS_ORDER_APPROVED,          /* accepted, to be scheduled */
	OMS_ORDER_SCHEDULED,         /* a date is set */
	OMS_ORDER_COMPLETED,         /* done; the inventory changed (final) */
	OMS_ORDER_REJECTED,          /* refused (final) */
	OMS_ORDER_CANCELLED,         /* withdrawn (final) */
	OMS_ORDER_HELD,              /* parked; resumes where it was */
	OMS_ORDER__MAX
};
extern const char *const oms_order_state_names[OMS_ORDER__MAX];
extern const char *const oms_order_state_labels[OMS_ORDER__MAX];

enum oms_verb {
	OMS_VERB_SUBMIT,
	OMS_VERB_APPROVE,
	OMS_VERB_REJECT,
	OMS_VERB_SCHEDULE,
	OMS_VERB_COMPLETE,
	OMS_VERB_CANCEL,
	OMS_VERB_HOLD,
	OMS_VERB_RESUME,
	OMS_VERB_EDIT,    /* change the lines, notes or date of a draft */
	OMS_VERB_COMMENT, /* add to the comment thread (any state) */
	OMS_VERB__MAX
};
extern const char *const oms_verb_names[OMS_VERB__MAX];
extern const char *const oms_verb_labels[OMS_VERB__MAX];

/* What the workflow needs to know of an order. */
struct oms_order_facts {
	enum oms_order_state state;
	enum oms_order_state held_from; /* state HELD: where it resumes */
	int approval_required;          /* the customer approves first */
	int64_t customer;               /* the order's customer */
	int64_t site;                   /* its site, or 0 */
};

/*
 * The state verb leads to from f->state, in *next.  OMS_OK; or
 * OMS_ERR_CONFLICT with *why (a sentence for the user) when the verb
 * does not apply in that state.  EDIT and COMMENT lead to the same
 * state.
 */
enum oms_err oms_workflow_next(const struct oms_order_facts *f,
    enum oms_verb verb, enum oms_order_state *next, const char **why);

/*
 * 1 when principal p (approver: a customer user who approves for its
 * customer) may take verb on an order with facts f, as far as roles and
 * scope go (the state is oms_workflow_next's business); else 0 with
 * *why.  An order outside p's scope gives 0 too: callers answer it as
 * a missing order (404).
 */
int oms_workflow_may(const struct oms_principal *p, int approver,
    const struct oms_order_facts *f, enum oms_verb verb, const char **why);

/* 1 when f's order is visible to p (its customer and, for a user
 * limited to some sites, its site). */
int oms_workflow_visible(const struct oms_principal *p,
    const struct oms_order_facts *f);

/* Index of name, or -1. */
int oms_order_state_lookup(const char *name);
int oms_verb_lookup(const char *name);

#endif /* OMS_WORKFLOW_H */

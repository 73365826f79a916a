/*
 * workflow.c: the order states, the verbs that move between them, and
 * who may take each verb (workflow.h).  Two tables and three small
 * functions, reading nothing, so that tests/unit/test_workflow.c can
 * try every role, state and verb.
 */
#include "config.h"

#include <string.h>

#include "workflow.h"

const char *const oms_order_state_names[OMS_ORDER__MAX] = {
	"draft",             /* OMS_ORDER_DRAFT */
	"submitted",         /* OMS_ORDER_SUBMITTED */
	"awaiting_approval", /* OMS_ORDER_AWAITING_APPROVAL */
	"approved",          /* OMS_ORDER_APPROVED */
	"scheduled",         /* OMS_ORDER_SCHEDULED */
	"completed",         /* OMS_ORDER_COMPLETED */
	"rejected",          /* OMS_ORDER_REJECTED */
	"cancelled",         /* OMS_ORDER_CANCELLED */
	"held",              /* OMS_ORDER_HELD */
};

const char *const oms_order_state_labels[OMS_ORDER__MAX] = {
	"Draft",                        /* OMS_ORDER_DRAFT */
	"Submitted",                    /* OMS_ORDER_SUBMITTED */
	"Awaiting customer approval",   /* OMS_ORDER_AWAITING_APPROVAL */
	"Approved",                     /* OMS_ORDER_APPROVED */
	"Scheduled",                    /* OMS_ORDER_SCHEDULED */
	"Completed",                    /* OMS_ORDER_COMPLETED */
	"Rejected",                     /* OMS_ORDER_REJECTED */
	"Cancelled",                    /* OMS_ORDER_CANCELLED */
	"On hold",                      /* OMS_ORDER_HELD */
};

const char *const oms_verb_names[OMS_VERB__MAX] = {
	"submit",   /* OMS_VERB_SUBMIT */
	"approve",  /* OMS_VERB_APPROVE */
	"reject",   /* OMS_VERB_REJECT */
	"schedule", /* OMS_VERB_SCHEDULE */
	"complete", /* OMS_VERB_COMPLETE */
	"cancel",   /* OMS_VERB_CANCEL */
	"hold",     /* OMS_VERB_HOLD */
	"resume",   /* OMS_VERB_RESUME */
	"edit",     /* OMS_VERB_EDIT */
	"comment",  /* OMS_VERB_COMMENT */
};

const char *const oms_verb_labels[OMS_VERB__MAX] = {
	"Submit",   /* OMS_VERB_SUBMIT */
	"Approve",  /* OMS_VERB_APPROVE */
	"Reject",   /* OMS_VERB_REJECT */
	"Schedule", /* OMS_VERB_SCHEDULE */
	"Complete", /* OMS_VERB_COMPLETE */
	"Cancel",   /* OMS_VERB_CANCEL */
	"Hold",     /* OMS_VERB_HOLD */
	"Resume",   /* OMS_VERB_RESUME */
	"Edit",     /* OMS_VERB_EDIT */
	"Comment",  /* OMS_VERB_COMMENT */
};

#define S(x) (1u << OMS_ORDER_##x)

/* The states each verb applies in (one bit a state). */
static const unsigned verb_from[OMS_VERB__MAX] = {
	S(DRAFT),                                       /* OMS_VERB_SUBMIT */
	S(AWAITING_APPROVAL) | S(SUBMITTED),            /* OMS_VERB_APPROVE */
	S(AWAITING_APPROVAL) | S(SUBMITTED),            /* OMS_VERB_REJECT */
	S(APPROVED) | S(SCHEDULED),                     /* OMS_VERB_SCHEDULE */
	S(SCHEDULED),                                   /* OMS_VERB_COMPLETE */
	S(DRAFT) | S(AWAITING_APPROVAL) | S(SUBMITTED) |
	    S(APPROVED) | S(SCHEDULED) | S(HELD),       /* OMS_VERB_CANCEL */
	S(SUBMITTED) | S(APPROVED) | S(SCHEDULED),      /* OMS_VERB_HOLD */
	S(HELD),                                        /* OMS_VERB_RESUME */
	S(DRAFT),                                       /* OMS_VERB_EDIT */
	~0u,                                            /* OMS_VERB_COMMENT */
};

/* Why a verb does not apply, for the 409 message. */
static const char *const verb_refused[OMS_VERB__MAX] = {
	"Only a draft can be submitted.",                       /* SUBMIT */
	"Only a submitted order, or one awaiting the customer's "
	    "approval, can be approved.",                       /* APPROVE */
	"Only a submitted order, or one awaiting the customer's "
	    "approval, can be rejected.",                       /* REJECT */
	"Only an approved or scheduled order can be scheduled.", /* SCHEDULE */
	"Only a scheduled order can be completed.",             /* COMPLETE */
	"A completed, rejected or cancelled order cannot be "
	    "cancelled.",                                       /* CANCEL */
	"Only a submitted, approved or scheduled order can be put on "
	    "hold.",                                            /* HOLD */
	"Only an order on hold can be resumed.",                /* RESUME */
	"Only a draft can be changed.",                         /* EDIT */
	"",                                                     /* COMMENT */
};

/* Described in workflow.h. */
enum oms_err
oms_workflow_next(const struct oms_order_facts *f, enum oms_verb verb,
    enum oms_order_state *next, const char **why)
{
	*why = NULL;
	if ((unsigned)verb >= OMS_VERB__MAX || (unsigned)f->state >= OMS_ORDER__MAX) {
		*why = "There is no such action.";
		return OMS_ERR_INVAL;
	}
	if (!(verb_from[verb] & (1u << f->state))) {
		*why = verb_refused[verb];
		return OMS_ERR_CONFLICT;
	}
	switch (verb) {
	case OMS_VERB_SUBMIT:
		*next = f->approval_required ? OMS_ORDER_AWAITING_APPROVAL :
		    OMS_ORDER_SUBMITTED;
		break;
	case OMS_VERB_APPROVE:
		*next = f->state == OMS_ORDER_AWAITING_APPROVAL ?
		    OMS_ORDER_SUBMITTED : OMS_ORDER_APPROVED;
		break;
	case OMS_VERB_REJECT:
		*next = OMS_ORDER_REJECTED;
		break;
	case OMS_VERB_SCHEDULE:
		*next = OMS_ORDER_SCHEDULED;
		break;
	case OMS_VERB_COMPLETE:
		*next = OMS_ORDER_COMPLETED;
		break;
	case OMS_VERB_CANCEL:
		*next = OMS_ORDER_CANCELLED;
		break;
	case OMS_VERB_HOLD:
		*next = OMS_ORDER_HELD;
		break;
	case OMS_VERB_RESUME:
		if ((unsigned)f->held_from >= OMS_ORDER__MAX ||
		    !(verb_from[OMS_VERB_HOLD] & (1u << f->held_from))) {
			*why = "This order does not say where to resume.";
			return OMS_ERR_CONFLICT;
		}
		*next = f->held_from;
		break;
	default:
		*next = f->state;
		break;
	}
	return OMS_OK;
}

/* Described in workflow.h. */
int
oms_workflow_visible(const struct oms_principal *p,
    const struct oms_order_facts *f)
{
	if (p == NULL || f == NULL || (unsigned)p->role >= OMS_ROLE__MAX)
		return 0;
	if (p->role != OMS_ROLE_CUSTOMER)
		return 1;
	if (p->scope.customer <= 0 || p->scope.customer != f->customer)
		return 0;
	if (p->scope.site_user == 0)
		return 1;
	/* A user limited to some sites sees the orders of those sites;
	 * an order without one site spans others. */
	for (size_t i = 0; i < p->nsites; i++)
		if (f->site > 0 && p->sites[i] == f->site)
			return 1;
	return 0;
}

/* The verbs of each staff role (one bit a verb). */
#define V(x) (1u << OMS_VERB_##x)
static const unsigned staff_verbs[OMS_ROLE__MAX] = {
	~0u,                                            /* OMS_ROLE_ADMIN */
	V(SUBMIT) | V(APPROVE) | V(REJECT) | V(SCHEDULE) | V(COMPLETE) |
	    V(CANCEL) | V(HOLD) | V(RESUME) | V(EDIT) |
	    V(COMMENT),                                 /* OMS_ROLE_VENDOR */
	V(COMMENT),                                     /* OMS_ROLE_FINANCE */
	V(SUBMIT) | V(EDIT) | V(COMMENT) | V(CANCEL) |
	    V(APPROVE) | V(REJECT),                     /* OMS_ROLE_CUSTOMER */
	/* The Vendor Order System through /soap (OrderStatus installed,
	 * when its [exchange vendor] section says complete_on_install):
	 * schedules and completes what the vendor installed. */
	V(SCHEDULE) | V(COMPLETE) | V(COMMENT),      /* OMS_ROLE_INTEGRATION */
};

/* Described in workflow.h. */
int
oms_workflow_may(const struct oms_principal *p, int approver,
    const struct oms_order_facts *f, enum oms_verb verb, const char **why)
{
	*why = NULL;
	if ((unsigned)verb >= OMS_VERB__MAX || !oms_workflow_visible(p, f)) {
		*why = "There is no such order.";
		return 0;
	}
	if (!(staff_verbs[p->role] & (1u << verb))) {
		*why = p->role == OMS_ROLE_FINANCE ? "Finance reads orders and "
		    "comments on them; it does not change them." :
		    "Your role may not do that to an order.";
		return 0;
	}
	switch (p->role) {
	case OMS_ROLE_VENDOR:
		/* The customer's own approval is the customer's. */
		if ((verb == OMS_VERB_APPROVE || verb == OMS_VERB_REJECT) &&
		    f->state == OMS_ORDER_AWAITING_APPROVAL) {
			*why = "This order waits for the customer's own "
			    "approval first.";
			return 0;
		}
		return 1;
	case OMS_ROLE_CUSTOMER:
		if (verb == OMS_VERB_APPROVE || verb == OMS_VERB_REJECT) {
			if (!approver) {
				*why = "Only your company's approvers may "
				    "approve or reject its orders.";
				return 0;
			}
			if (f->state != OMS_ORDER_AWAITING_APPROVAL) {
				*why = "The vendor approves or rejects orders "
				    "once your company has approved them.";
				return 0;
			}
			return 1;
		}
		if (verb == OMS_VERB_CANCEL && f->state != OMS_ORDER_DRAFT &&
		    f->state != OMS_ORDER_AWAITING_APPROVAL &&
		    f->state != OMS_ORDER_SUBMITTED &&
		    f->state != OMS_ORDER_APPROVED) {
			*why = "An order can be cancelled by its customer only "
			    "until it is scheduled; ask the vendor.";
			return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* Described in workflow.h. */
int
oms_order_state_lookup(const char *name)
{
	return oms_name_index(oms_order_state_names, OMS_ORDER__MAX, name);
}

/* Described in workflow.h. */
int
oms_verb_lookup(const char *name)
{
	return oms_name_index(oms_verb_names, OMS_VERB__MAX, name);
}

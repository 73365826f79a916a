/*
 * field.h: request fields, declared once in a table and checked before
 * any handler sees them (in the manner of kcgi's kvalid).
 *
 * Every query-string and form field the application accepts has an
 * entry in enum oms_key with a validator that parses and checks in one
 * step.  A route lists the keys it accepts; anything else, a repeated
 * key, or a value that fails its validator is refused with a message
 * that names the field and says what is wrong.  An empty value counts
 * as absent, which is what a form's "any" choice sends.
 *
 * Repeated keys, by kind of field: a single-valued field given twice
 * (even once empty) is refused ("field 'name' given more than once");
 * a repeatable field (multi, a set of ids such as a form's ticked
 * sites) keeps each distinct value once, in the order first given, so
 * "sites=7&sites=7" is the set {7}.  At most OMS_MULTI_MAX distinct
 * values are taken.
 */
#ifndef OMS_FIELD_H
#define OMS_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_arena;

enum oms_key {
	OMS_KEY_FORMAT, /* response format: html, xml, csv */
	OMS_KEY_TYPE,   /* asset type */
	OMS_KEY_STATUS, /* asset status */
	OMS_KEY_CC,     /* cost centre id */
	OMS_KEY_Q,      /* free text on identifiers */
	OMS_KEY_SORT,   /* sort column */
	OMS_KEY_DIR,    /* sort direction */
	OMS_KEY_PAGE,   /* page number, from 1 */
	OMS_KEY_PER,    /* rows a page */
	OMS_KEY_LOGIN,  /* login name */
	OMS_KEY_PASSWORD, /* a password (never echoed, never logged) */
	OMS_KEY_NEXT,   /* where to go after logging in */
	OMS_KEY_CSRF,   /* the session's form token */
	OMS_KEY_NAME,   /* display name */
	OMS_KEY_EMAIL,  /* e-mail address */
	OMS_KEY_ROLE,   /* account role */
	OMS_KEY_ORG,    /* organisation */
	OMS_KEY_CUSTOMER, /* customer id */
	OMS_KEY_SITES,  /* site ids (repeatable) */
	OMS_KEY_ENTITY, /* audit filter: entity */
	OMS_KEY_ACTION, /* audit filter: action */
	OMS_KEY_USER,   /* audit filter: login */
	/* Orders (issue 8). */
	OMS_KEY_STATE,     /* order state filter */
	OMS_KEY_SITE,      /* site id */
	OMS_KEY_FROM,      /* date filter, YYYY-MM-DD, from */
	OMS_KEY_TO,        /* date filter, to */
	OMS_KEY_ASSET,     /* asset id */
	OMS_KEY_PRODUCT,   /* product id */
	OMS_KEY_PORTS,     /* port quantity */
	OMS_KEY_NUMBER,    /* telephone number */
	OMS_KEY_EXTENSION, /* extension */
	OMS_KEY_MAILBOX,   /* mailbox number */
	OMS_KEY_SERIAL,    /* serial number */
	OMS_KEY_TAG,       /* asset tag */
	OMS_KEY_FEE,       /* an amount, "12.50" */
	OMS_KEY_REASON,    /* why (a fee override) */
	OMS_KEY_DATE,      /* a date, YYYY-MM-DD */
	OMS_KEY_REQUESTED, /* the requested date of an order */
	OMS_KEY_NOTES,     /* free text over several lines */
	OMS_KEY_COMMENT,   /* a comment, several lines */
	OMS_KEY_VERSION,   /* the version of the object the form showed */
	OMS_KEY_LINE,      /* a line number of an order */
	OMS_KEY_VERB,      /* a workflow verb */
	OMS_KEY_PARENT,    /* the parent asset of an add-on */
	OMS_KEY_CODE,   /* catalog: product code */
	OMS_KEY_ASSET_TYPE, /* catalog: a product's asset type (addon too) */
	OMS_KEY_CHARGE, /* catalog: flat or per_port */
	OMS_KEY_UNIT,   /* catalog: usage unit */
	OMS_KEY_MIN_PORTS, /* catalog: ports an asset may have, at least */
	OMS_KEY_MAX_PORTS, /* catalog: ports an asset may have, at most */
	OMS_KEY_VALID_FROM, /* catalog: first day of a price (YYYY-MM-DD) */
	OMS_KEY_VALID_TO, /* catalog: day a contract price ends (excluded) */
	OMS_KEY_MONTHLY, /* catalog: a monthly amount, as money text */
	OMS_KEY_AMOUNT, /* catalog: a fee's amount, as money text */
	OMS_KEY_PRODUCT_CODE, /* catalog: a product code ("" for any product) */
	OMS_KEY_INCLUDED, /* catalog: usage units included a month */
	OMS_KEY_TIERS,  /* catalog: usage tiers, "0:0.0350;1000:0.0300" */
	OMS_KEY_CUSTOMER_CODE, /* catalog: a customer by code */
	OMS_KEY_APPROVER,  /* accounts: approves its customer's orders (1) */
	OMS_KEY_ASOF,   /* as of date: YYYY-MM-DD */
	/* Billing (issue 9, src/web/billing.c). */
	OMS_KEY_PERIOD,      /* a billing period, YYYY-MM */
	OMS_KEY_DESCRIPTION, /* an adjustment's description */
	OMS_KEY_TAXABLE,     /* an adjustment is taxable (1) or not (0) */
	OMS_KEY_METHOD,      /* how a payment was made */
	OMS_KEY_REFERENCE,   /* a payment's reference */
	OMS_KEY_WSDL,        /* /soap?wsdl: the service description */
	OMS_KEY_SYSTEM,      /* a legacy system of the exchange ("vendor"),
	                      * or a customer's file drop */
	OMS_KEY__MAX
};

/* A bit of the uint32_t key mask of oms_fields_parse(): keys below 32
 * only.  Routes list their keys instead (oms_fields_parse_keys). */
#define OMS_KEYBIT(k) (UINT32_C(1) << (k))
#define OMS_MULTI_MAX 1000 /* distinct values a repeatable field may have */

enum oms_valid {
	OMS_VALID_INT,  /* a decimal integer within [min, max] */
	OMS_VALID_TEXT, /* UTF-8 text, one line, at most maxlen characters */
	OMS_VALID_ENUM, /* one of choices[] */
	OMS_VALID_LINES, /* UTF-8 text over lines (tab, CR, LF allowed) */
	OMS_VALID_DATE, /* a date YYYY-MM-DD (date.h): i is its day number */
	OMS_VALID__MAX
};

struct oms_keydef {
	const char *name;           /* as it appears in a URL or form */
	enum oms_valid valid;       /* which validator */
	int64_t min, max;           /* OMS_VALID_INT bounds */
	size_t maxlen;              /* OMS_VALID_TEXT limit in characters */
	const char *const *choices; /* OMS_VALID_ENUM, NULL-terminated */
	int multi;                  /* 1: may repeat, a set (INT only) */
};

extern const struct oms_keydef oms_keys[OMS_KEY__MAX];

/* One parsed field.  Strings live in the request's arena. */
struct oms_field {
	int present;   /* 1 when given with a non-empty value */
	const char *s; /* the decoded text (TEXT, ENUM) */
	int64_t i;     /* the value (INT) or the index into choices (ENUM) */
	int64_t *list; /* each distinct value of a repeatable INT field,
	                  in the order first given (arena) */
	size_t nlist;  /* how many */
};

struct oms_fields {
	struct oms_field f[OMS_KEY__MAX]; /* indexed by enum oms_key */
	char err[256];                    /* what was wrong, for the user */
};

/*
 * Parse an application/x-www-form-urlencoded string of len bytes,
 * accepting the keys whose bits are set in allowed.  Fills out; on
 * OMS_ERR_INVAL out->err says what is wrong.
 */
enum oms_err oms_fields_parse(struct oms_arena *, const char *qs, size_t len,
    uint32_t allowed, struct oms_fields *out);
/*
 * The same with the accepted keys as a list ended by OMS_KEY__MAX (a
 * route's declaration): no ceiling on the number of keys.
 */
enum oms_err oms_fields_parse_keys(struct oms_arena *, const char *qs,
    size_t len, const enum oms_key *keys, struct oms_fields *out);

/*
 * Check that s (n bytes) is well-formed UTF-8 holding only characters
 * XML allows, and no control characters unless multiline (then tab,
 * CR and LF pass).  Returns the number of characters, or -1.
 */
long oms_utf8_check(const char *s, size_t n, int multiline);

/* Percent-encode s for a URL query value into the arena. */
char *oms_url_encode(struct oms_arena *, const char *s);

#endif /* OMS_FIELD_H */

/*
 * field.c: the field table, urlencoded parsing, and the validators.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "field.h"

/* In the order of enum oms_format (src/web/http.h). */
static const char *const formats[] = {"html", "xml", "csv", "print", "pdf",
    NULL};
static const char *const types[] = {"line", "set", "mailbox", NULL};
static const char *const statuses[] = {"pending", "active", "suspended",
    "removed", NULL};
static const char *const sorts[] = {"number", "extension", "mailbox",
    "serial", "type", "status", "cc", "ports", "installed", "product", "tag",
    NULL};
static const char *const dirs[] = {"asc", "desc", NULL};
static const char *const product_types[] = {"line", "set", "mailbox",
    "addon", NULL};
static const char *const charges[] = {"flat", "per_port", NULL};
static const char *const roles[] = {"admin", "vendor", "finance", "customer",
    NULL};
/* In the order of enum oms_order_state and enum oms_verb
 * (src/domain/workflow.h; tests/unit/test_workflow.c compares them). */
static const char *const order_states[] = {"draft", "submitted",
    "awaiting_approval", "approved", "scheduled", "completed", "rejected",
    "cancelled", "held", NULL};
static const char *const verbs[] = {"submit", "approve", "reject",
    "schedule", "complete", "cancel", "hold", "resume", "edit", "comment",
    NULL};

const struct oms_keydef oms_keys[OMS_KEY__MAX] = {
	{"format", OMS_VALID_ENUM, 0, 0, 0, formats, 0},          /* OMS_KEY_FORMAT */
	{"type", OMS_VALID_ENUM, 0, 0, 0, types, 0},              /* OMS_KEY_TYPE */
	{"status", OMS_VALID_ENUM, 0, 0, 0, statuses, 0},         /* OMS_KEY_STATUS */
	{"cc", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 0},          /* OMS_KEY_CC */
	{"q", OMS_VALID_TEXT, 0, 0, 100, NULL, 0},                /* OMS_KEY_Q */
	{"sort", OMS_VALID_ENUM, 0, 0, 0, sorts, 0},              /* OMS_KEY_SORT */
	{"dir", OMS_VALID_ENUM, 0, 0, 0, dirs, 0},                /* OMS_KEY_DIR */
	{"page", OMS_VALID_INT, 1, 1000000, 0, NULL, 0},          /* OMS_KEY_PAGE */
	{"per", OMS_VALID_INT, 10, 500, 0, NULL, 0},              /* OMS_KEY_PER */
	{"login", OMS_VALID_TEXT, 0, 0, 64, NULL, 0},             /* OMS_KEY_LOGIN */
	{"password", OMS_VALID_TEXT, 0, 0, 1024, NULL, 0},        /* OMS_KEY_PASSWORD */
	{"next", OMS_VALID_TEXT, 0, 0, 2000, NULL, 0},            /* OMS_KEY_NEXT */
	{"csrf", OMS_VALID_TEXT, 0, 0, 64, NULL, 0},              /* OMS_KEY_CSRF */
	{"name", OMS_VALID_TEXT, 0, 0, 200, NULL, 0},             /* OMS_KEY_NAME */
	{"email", OMS_VALID_TEXT, 0, 0, 254, NULL, 0},            /* OMS_KEY_EMAIL */
	{"role", OMS_VALID_ENUM, 0, 0, 0, roles, 0},              /* OMS_KEY_ROLE */
	{"organisation", OMS_VALID_TEXT, 0, 0, 200, NULL, 0},     /* OMS_KEY_ORG */
	{"customer", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 0},    /* OMS_KEY_CUSTOMER */
	{"sites", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 1},    /* OMS_KEY_SITES */
	{"entity", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},            /* OMS_KEY_ENTITY */
	{"action", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},            /* OMS_KEY_ACTION */
	{"user", OMS_VALID_TEXT, 0, 0, 64, NULL, 0},              /* OMS_KEY_USER */
	{"state", OMS_VALID_ENUM, 0, 0, 0, order_states, 0},      /* OMS_KEY_STATE */
	{"site", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 0},        /* OMS_KEY_SITE */
	{"from", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},              /* OMS_KEY_FROM */
	{"to", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},                /* OMS_KEY_TO */
	{"asset", OMS_VALID_INT, 1, INT64_MAX / 2, 0, NULL, 0},   /* OMS_KEY_ASSET */
	{"product", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 0},     /* OMS_KEY_PRODUCT */
	{"ports", OMS_VALID_INT, 0, 100000, 0, NULL, 0},          /* OMS_KEY_PORTS */
	{"number", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},            /* OMS_KEY_NUMBER */
	{"extension", OMS_VALID_TEXT, 0, 0, 16, NULL, 0},         /* OMS_KEY_EXTENSION */
	{"mailbox", OMS_VALID_TEXT, 0, 0, 16, NULL, 0},           /* OMS_KEY_MAILBOX */
	{"serial", OMS_VALID_TEXT, 0, 0, 64, NULL, 0},            /* OMS_KEY_SERIAL */
	{"tag", OMS_VALID_TEXT, 0, 0, 40, NULL, 0},               /* OMS_KEY_TAG */
	{"fee", OMS_VALID_TEXT, 0, 0, 16, NULL, 0},               /* OMS_KEY_FEE */
	{"reason", OMS_VALID_TEXT, 0, 0, 200, NULL, 0},           /* OMS_KEY_REASON */
	{"date", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},              /* OMS_KEY_DATE */
	{"requested", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},         /* OMS_KEY_REQUESTED */
	{"notes", OMS_VALID_LINES, 0, 0, 4000, NULL, 0},          /* OMS_KEY_NOTES */
	{"comment", OMS_VALID_LINES, 0, 0, 4000, NULL, 0},        /* OMS_KEY_COMMENT */
	{"version", OMS_VALID_INT, 1, INT32_MAX, 0, NULL, 0},     /* OMS_KEY_VERSION */
	{"line", OMS_VALID_INT, 1, 500, 0, NULL, 0},              /* OMS_KEY_LINE */
	{"verb", OMS_VALID_ENUM, 0, 0, 0, verbs, 0},              /* OMS_KEY_VERB */
	{"parent", OMS_VALID_INT, 1, INT64_MAX / 2, 0, NULL, 0},  /* OMS_KEY_PARENT */
	{"code", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},              /* OMS_KEY_CODE */
	{"asset_type", OMS_VALID_ENUM, 0, 0, 0, product_types, 0}, /* OMS_KEY_ASSET_TYPE */
	{"charge", OMS_VALID_ENUM, 0, 0, 0, charges, 0},          /* OMS_KEY_CHARGE */
	{"unit", OMS_VALID_TEXT, 0, 0, 16, NULL, 0},              /* OMS_KEY_UNIT */
	{"min_ports", OMS_VALID_INT, 0, 1000000, 0, NULL, 0},     /* OMS_KEY_MIN_PORTS */
	{"max_ports", OMS_VALID_INT, 0, 1000000, 0, NULL, 0},     /* OMS_KEY_MAX_PORTS */
	{"valid_from", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},        /* OMS_KEY_VALID_FROM */
	{"valid_to", OMS_VALID_TEXT, 0, 0, 10, NULL, 0},          /* OMS_KEY_VALID_TO */
	{"monthly", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},           /* OMS_KEY_MONTHLY */
	{"amount", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},            /* OMS_KEY_AMOUNT */
	{"product_code", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},      /* OMS_KEY_PRODUCT_CODE */
	{"included", OMS_VALID_INT, 0, INT64_C(1000000000000000), 0, NULL, 0}, /* OMS_KEY_INCLUDED */
	{"tiers", OMS_VALID_TEXT, 0, 0, 2000, NULL, 0},           /* OMS_KEY_TIERS */
	{"customer_code", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},     /* OMS_KEY_CUSTOMER_CODE */
	{"approver", OMS_VALID_INT, 1, 1, 0, NULL, 0},             /* OMS_KEY_APPROVER */
	{"asof", OMS_VALID_DATE, 0, 0, 0, NULL, 0},               /* OMS_KEY_ASOF */
	{"period", OMS_VALID_TEXT, 0, 0, 7, NULL, 0},             /* OMS_KEY_PERIOD */
	{"description", OMS_VALID_TEXT, 0, 0, 200, NULL, 0},      /* OMS_KEY_DESCRIPTION */
	{"taxable", OMS_VALID_INT, 0, 1, 0, NULL, 0},             /* OMS_KEY_TAXABLE */
	{"method", OMS_VALID_TEXT, 0, 0, 32, NULL, 0},            /* OMS_KEY_METHOD */
	{"reference", OMS_VALID_TEXT, 0, 0, 64, NULL, 0},         /* OMS_KEY_REFERENCE */
	{"wsdl", OMS_VALID_TEXT, 0, 0, 8, NULL, 0},               /* OMS_KEY_WSDL */
	{"system", OMS_VALID_TEXT, 0, 0, 31, NULL, 0},            /* OMS_KEY_SYSTEM */
};

/*
 * Check that the n bytes at str are well-formed, shortest-form UTF-8
 * holding only characters XML allows, and no control characters unless
 * multiline (then tab, CR and LF pass).  Returns the number of
 * characters, or -1 on the first bad byte.  See field.h.
 */
long
oms_utf8_check(const char *str, size_t n, int multiline)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	long chars = 0;

	while (i < n) {
		unsigned c = s[i];
		uint32_t cp;
		size_t len;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f) {
				if (!multiline || !(c == '\t' || c == '\n' || c == '\r'))
					return -1;
			}
			i++;
			chars++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else
			return -1;
		if (n - i < len)
			return -1;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Overlong forms, surrogates, past U+10FFFF. */
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return -1;
		/* C1 controls, and the two non-characters XML forbids. */
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
			return -1;
		i += len;
		chars++;
	}
	return chars;
}

/* Value of a hex digit, or -1. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode n bytes of a urlencoded name or value into the arena.  Returns
 * NULL on a malformed escape or no memory (*bad set to 1 for the
 * former).  *outlen gets the decoded length (which may hold NULs, which
 * the validators then refuse).
 */
static char *
decode(struct oms_arena *a, const char *s, size_t n, size_t *outlen, int *bad)
{
	char *out = oms_arena_alloc(a, n + 1);
	size_t o = 0;

	*bad = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+')
			out[o++] = ' ';
		else if (s[i] == '%') {
			int h, l;

			if (n - i < 3 || (h = hexval(s[i + 1])) < 0 ||
			    (l = hexval(s[i + 2])) < 0) {
				*bad = 1;
				return NULL;
			}
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else
			out[o++] = s[i];
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Trim ASCII spaces at both ends in place; returns the new start. */
static char *
trim(char *s, size_t *len)
{
	while (*len > 0 && s[*len - 1] == ' ')
		s[--*len] = '\0';
	while (*s == ' ') {
		s++;
		(*len)--;
	}
	return s;
}

/* Describe the integer bounds of k into out->err. */
static enum oms_err
bad_int(struct oms_fields *out, const struct oms_keydef *d)
{
	snprintf(out->err, sizeof(out->err),
	    "field '%s': must be a whole number from %lld to %lld", d->name,
	    (long long)d->min, (long long)d->max);
	return OMS_ERR_INVAL;
}

/* Run the validator of key k over value v (len bytes). */
static enum oms_err
validate(enum oms_key k, char *v, size_t len, struct oms_fields *out)
{
	const struct oms_keydef *d = &oms_keys[k];
	struct oms_field *f = &out->f[k];

	switch (d->valid) {
	case OMS_VALID_INT: {
		int64_t x = 0;

		if (len == 0 || len > 18)
			return bad_int(out, d);
		for (size_t i = 0; i < len; i++) {
			if (v[i] < '0' || v[i] > '9')
				return bad_int(out, d);
			x = x * 10 + (v[i] - '0');
		}
		if (x < d->min || x > d->max)
			return bad_int(out, d);
		f->i = x;
		f->s = v;
		break;
	}
	case OMS_VALID_TEXT:
	case OMS_VALID_LINES: {
		long chars;

		if (strlen(v) != len || (chars = oms_utf8_check(v, len,
		    d->valid == OMS_VALID_LINES)) < 0) {
			snprintf(out->err, sizeof(out->err),
			    "field '%s': must be UTF-8 text without control "
			    "characters", d->name);
			return OMS_ERR_INVAL;
		}
		if ((size_t)chars > d->maxlen) {
			snprintf(out->err, sizeof(out->err),
			    "field '%s': must be at most %zu characters",
			    d->name, d->maxlen);
			return OMS_ERR_INVAL;
		}
		f->s = v;
		break;
	}
	case OMS_VALID_ENUM: {
		size_t i, off;

		for (i = 0; d->choices[i] != NULL; i++)
			if (strlen(v) == len && strcmp(d->choices[i], v) == 0)
				break;
		if (d->choices[i] == NULL) {
			off = (size_t)snprintf(out->err, sizeof(out->err),
			    "field '%s': must be one of", d->name);
			for (i = 0; d->choices[i] != NULL &&
			    off < sizeof(out->err); i++)
				off += (size_t)snprintf(out->err + off,
				    sizeof(out->err) - off, "%s %s",
				    i ? "," : "", d->choices[i]);
			return OMS_ERR_INVAL;
		}
		f->i = (int64_t)i;
		f->s = d->choices[i];
		break;
	}
	case OMS_VALID_DATE: {
		int32_t day;

		if (strlen(v) != len || oms_date_parse(v, &day) != OMS_OK) {
			snprintf(out->err, sizeof(out->err),
			    "field '%s': must be a date YYYY-MM-DD", d->name);
			return OMS_ERR_INVAL;
		}
		f->i = day;
		f->s = v;
		break;
	}
	default:
		return OMS_ERR_INVAL;
	}
	f->present = 1;
	return OMS_OK;
}

/*
 * Add the value just validated (f->i) to the list of the repeatable
 * field f, named name.  A value already in the list is folded into it
 * rather than added again: a set of ids means the same with a
 * duplicate as without, and the tables it ends up in (user_sites) key
 * on it.  The list keeps the order of first appearance and grows by
 * doubling, in the arena.  Returns OMS_OK; OMS_ERR_INVAL with out->err
 * set past OMS_MULTI_MAX distinct values; OMS_ERR_NOMEM.
 */
static enum oms_err
add_value(struct oms_arena *a, struct oms_field *f, const char *name,
    struct oms_fields *out)
{
	int64_t *nl;

	for (size_t i = 0; i < f->nlist; i++)
		if (f->list[i] == f->i)
			return OMS_OK;
	if (f->nlist >= OMS_MULTI_MAX) {
		snprintf(out->err, sizeof(out->err),
		    "field '%s' given more than %d times", name, OMS_MULTI_MAX);
		return OMS_ERR_INVAL;
	}
	/* Capacity is 8, then the next power of two: grow when full. */
	if (f->nlist == 0 || (f->nlist >= 8 && (f->nlist & (f->nlist - 1)) == 0)) {
		size_t cap = f->nlist ? f->nlist * 2 : 8;

		if ((nl = oms_arena_alloc(a, cap * sizeof(*nl))) == NULL) {
			snprintf(out->err, sizeof(out->err), "out of memory");
			return OMS_ERR_NOMEM;
		}
		if (f->nlist)
			memcpy(nl, f->list, f->nlist * sizeof(*nl));
		f->list = nl;
	}
	f->list[f->nlist++] = f->i;
	return OMS_OK;
}

/*
 * oms_fields_parse with the accepted keys as a bitmask: the keys below
 * 32 only (tests and callers that predate the key lists).
 */
enum oms_err
oms_fields_parse(struct oms_arena *a, const char *qs, size_t len,
    uint32_t allowed, struct oms_fields *out)
{
	enum oms_key keys[OMS_KEY__MAX + 1];
	size_t n = 0;

	for (int k = 0; k < OMS_KEY__MAX && k < 32; k++)
		if (allowed & OMS_KEYBIT(k))
			keys[n++] = (enum oms_key)k;
	keys[n] = OMS_KEY__MAX;
	return oms_fields_parse_keys(a, qs, len, keys, out);
}

/*
 * Parse the query string or form body qs (len bytes) into out, keeping
 * only the keys listed in keys (ended by OMS_KEY__MAX), each checked by
 * its validator in oms_keys.  Returns OMS_OK, OMS_ERR_NOMEM, or
 * OMS_ERR_INVAL with out->err saying what is wrong.  The values live in
 * arena a and are freed with it.
 */
enum oms_err
oms_fields_parse_keys(struct oms_arena *a, const char *qs, size_t len,
    const enum oms_key *keys, struct oms_fields *out)
{
	unsigned char allowed[OMS_KEY__MAX], seen[OMS_KEY__MAX];
	const char *p = qs, *end = qs + len;

	memset(allowed, 0, sizeof(allowed));
	memset(seen, 0, sizeof(seen));
	for (; keys != NULL && *keys < OMS_KEY__MAX; keys++)
		allowed[*keys] = 1;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		size_t nlen, vlen;
		char *name, *val;
		int bad;
		enum oms_key k;

		if (pe == p) { /* "a=1&&b=2": an empty pair is harmless */
			p = pe + 1;
			continue;
		}
		name = decode(a, p, (size_t)((eq ? eq : pe) - p), &nlen, &bad);
		if (name == NULL || strlen(name) != nlen) {
			snprintf(out->err, sizeof(out->err), "%s",
			    name == NULL && !bad ? "out of memory" :
			    "malformed field name in the request");
			return name == NULL && !bad ? OMS_ERR_NOMEM : OMS_ERR_INVAL;
		}
		for (k = 0; k < OMS_KEY__MAX; k++)
			if (allowed[k] &&
			    strcmp(oms_keys[k].name, name) == 0)
				break;
		if (k == OMS_KEY__MAX) {
			if (oms_utf8_check(name, nlen, 0) < 0 || nlen > 40)
				snprintf(out->err, sizeof(out->err),
				    "unknown field in the request");
			else
				snprintf(out->err, sizeof(out->err),
				    "unknown field '%s'", name);
			return OMS_ERR_INVAL;
		}
		if (seen[k] && !oms_keys[k].multi) {
			snprintf(out->err, sizeof(out->err),
			    "field '%s' given more than once", name);
			return OMS_ERR_INVAL;
		}
		seen[k] = 1;
		val = decode(a, eq ? eq + 1 : pe, eq ? (size_t)(pe - eq - 1) : 0,
		    &vlen, &bad);
		if (val == NULL) {
			if (!bad) {
				snprintf(out->err, sizeof(out->err), "out of memory");
				return OMS_ERR_NOMEM;
			}
			snprintf(out->err, sizeof(out->err),
			    "field '%s': malformed percent-encoding", name);
			return OMS_ERR_INVAL;
		}
		/* Passwords are taken as typed, spaces and all. */
		if (k != OMS_KEY_PASSWORD)
			val = trim(val, &vlen);
		if (vlen > 0) {
			struct oms_field *f = &out->f[k];
			enum oms_err e = validate(k, val, vlen, out);

			if (e != OMS_OK)
				return e;
			if (oms_keys[k].multi &&
			    (e = add_value(a, f, name, out)) != OMS_OK)
				return e;
		}
		p = pe + 1;
	}
	return OMS_OK;
}

/*
 * Percent-encode s (all but RFC 3986 unreserved characters) for use as a
 * URL query value.  Returns the encoded copy, allocated in arena a and
 * freed with it, or NULL when the arena is out of memory.
 */
char *
oms_url_encode(struct oms_arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = oms_arena_alloc(a, n * 3 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/*
 * inventory.c: reading customers, sites, cost centres and assets.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "auth.h"
#include "inventory.h"
#include "stmts.h"
#include "store.h"

const char *const oms_asset_type_names[OMS_ASSET__MAX] = {
	"line",    /* OMS_ASSET_LINE */
	"set",     /* OMS_ASSET_SET */
	"mailbox", /* OMS_ASSET_MAILBOX */
};

const char *const oms_asset_type_labels[OMS_ASSET__MAX] = {
	"Line",          /* OMS_ASSET_LINE */
	"Telephone set", /* OMS_ASSET_SET */
	"Voice mailbox", /* OMS_ASSET_MAILBOX */
};

const char *const oms_asset_status_names[OMS_STATUS__MAX] = {
	"pending",   /* OMS_STATUS_PENDING */
	"active",    /* OMS_STATUS_ACTIVE */
	"suspended", /* OMS_STATUS_SUSPENDED */
	"removed",   /* OMS_STATUS_REMOVED */
};

const char *const oms_asset_status_labels[OMS_STATUS__MAX] = {
	"Pending",   /* OMS_STATUS_PENDING */
	"Active",    /* OMS_STATUS_ACTIVE */
	"Suspended", /* OMS_STATUS_SUSPENDED */
	"Removed",   /* OMS_STATUS_REMOVED */
};

/* Copy a column into the arena; NULL stays NULL.  Sets *oom on failure. */
static const char *
col(struct oms_arena *a, struct oms_query *q, int i, int *oom)
{
	const char *s = oms_query_col_text(q, i);
	char *c;

	if (s == NULL)
		return NULL;
	if ((c = oms_arena_strdup(a, s)) == NULL)
		*oom = 1;
	return c;
}

/* Index of name in names[n], or -1. */
static int
lookup(const char *const *names, int n, const char *name)
{
	if (name != NULL)
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0)
				return i;
	return -1;
}

/*
 * Grow an arena array of elements of size sz: double *cap when full.
 * Returns the array (possibly moved) or NULL when out of memory.
 */
static void *
grow(struct oms_arena *a, void *arr, size_t n, size_t *cap, size_t sz)
{
	void *na;

	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 32;
	if ((na = oms_arena_alloc(a, *cap * sz)) == NULL)
		return NULL;
	if (n)
		memcpy(na, arr, n * sz);
	return na;
}

enum oms_err
oms_customer_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, struct oms_customer **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_LIST);
	struct oms_customer *v = NULL;
	size_t cap = 0;
	int oom = 0;
	enum oms_err e;

	*n = 0;
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	while (!oom && oms_query_row(q)) {
		struct oms_customer *c;

		if ((v = grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			oom = 1;
			break;
		}
		c = &v[(*n)++];
		c->id = oms_query_col_int(q, 0);
		c->code = col(a, q, 1, &oom);
		c->name = col(a, q, 2, &oom);
		c->sites = oms_query_col_int(q, 3);
		c->assets = oms_query_col_int(q, 4);
		c->ports = oms_query_col_int(q, 5);
	}
	e = oms_query_end(q);
	*out = v;
	return oom ? OMS_ERR_NOMEM : e;
}

enum oms_err
oms_customer_names(struct oms_store *st, struct oms_arena *a,
    struct oms_customer **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_NAMES);
	struct oms_customer *v = NULL;
	size_t cap = 0;
	int oom = 0;
	enum oms_err e;

	*n = 0;
	while (!oom && oms_query_row(q)) {
		struct oms_customer *c;

		if ((v = grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			oom = 1;
			break;
		}
		c = &v[(*n)++];
		memset(c, 0, sizeof(*c));
		c->id = oms_query_col_int(q, 0);
		c->code = col(a, q, 1, &oom);
		c->name = col(a, q, 2, &oom);
	}
	e = oms_query_end(q);
	*out = v;
	return oom ? OMS_ERR_NOMEM : e;
}

enum oms_err
oms_customer_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t id, struct oms_customer *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	int found = 0, oom = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	if (oms_query_row(q)) {
		found = 1;
		out->id = oms_query_col_int(q, 0);
		out->code = col(a, q, 1, &oom);
		out->name = col(a, q, 2, &oom);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (oom)
		return OMS_ERR_NOMEM;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Fill the address part of a site from columns 1-7. */
static void
site_cols(struct oms_arena *a, struct oms_query *q, struct oms_site *s,
    int *oom)
{
	s->id = oms_query_col_int(q, 0);
	s->code = col(a, q, 1, oom);
	s->name = col(a, q, 2, oom);
	s->address = col(a, q, 3, oom);
	s->city = col(a, q, 4, oom);
	s->region = col(a, q, 5, oom);
	s->postcode = col(a, q, 6, oom);
	s->country = col(a, q, 7, oom);
}

enum oms_err
oms_site_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t customer, struct oms_site **out,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_SITE_LIST);
	struct oms_site *v = NULL;
	size_t cap = 0;
	int oom = 0;
	enum oms_err e;

	*n = 0;
	oms_query_int(q, customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	while (!oom && oms_query_row(q)) {
		struct oms_site *s;

		if ((v = grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			oom = 1;
			break;
		}
		s = &v[(*n)++];
		memset(s, 0, sizeof(*s));
		site_cols(a, q, s, &oom);
		s->assets = oms_query_col_int(q, 8);
		s->ports = oms_query_col_int(q, 9);
	}
	e = oms_query_end(q);
	*out = v;
	return oom ? OMS_ERR_NOMEM : e;
}

enum oms_err
oms_site_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t id, struct oms_site *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_SITE_GET);
	int found = 0, oom = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	if (oms_query_row(q)) {
		found = 1;
		site_cols(a, q, out, &oom);
		out->customer.id = oms_query_col_int(q, 8);
		out->customer.code = col(a, q, 9, &oom);
		out->customer.name = col(a, q, 10, &oom);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (oom)
		return OMS_ERR_NOMEM;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

enum oms_err
oms_cost_centre_list(struct oms_store *st, struct oms_arena *a,
    int64_t customer, struct oms_cost_centre **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CC_LIST);
	struct oms_cost_centre *v = NULL;
	size_t cap = 0;
	int oom = 0;
	enum oms_err e;

	*n = 0;
	oms_query_int(q, customer);
	while (!oom && oms_query_row(q)) {
		struct oms_cost_centre *c;

		if ((v = grow(a, v, *n, &cap, sizeof(*v))) == NULL) {
			oom = 1;
			break;
		}
		c = &v[(*n)++];
		c->id = oms_query_col_int(q, 0);
		c->code = col(a, q, 1, &oom);
		c->name = col(a, q, 2, &oom);
	}
	e = oms_query_end(q);
	*out = v;
	return oom ? OMS_ERR_NOMEM : e;
}

/*
 * Turn free text into a LIKE pattern matching it anywhere, with '!' as
 * the escape character (portable: MariaDB treats '\' in literals as an
 * escape of its own).
 */
static char *
like_pattern(struct oms_arena *a, const char *text)
{
	size_t n = strlen(text);
	char *p = oms_arena_alloc(a, n * 2 + 3), *o = p;

	if (p == NULL)
		return NULL;
	*o++ = '%';
	for (; *text; text++) {
		if (*text == '%' || *text == '_' || *text == '!')
			*o++ = '!';
		*o++ = *text;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* Bind the shared filter parameters of the asset query. */
static void
bind_filters(struct oms_query *q, const struct oms_asset_query *f,
    const char *pattern)
{
	const char *type = f->type >= 0 ? oms_asset_type_names[f->type] : NULL;
	const char *status = f->status >= 0 ?
	    oms_asset_status_names[f->status] : NULL;

	oms_query_int(q, f->site);
	oms_query_text(q, type);
	oms_query_text(q, type);
	oms_query_text(q, status);
	oms_query_text(q, status);
	if (f->cc > 0) {
		oms_query_int(q, f->cc);
		oms_query_int(q, f->cc);
	} else {
		oms_query_null(q);
		oms_query_null(q);
	}
	for (int i = 0; i < 5; i++)
		oms_query_text(q, pattern);
}

/* The matched count and ports alone. */
static enum oms_err
asset_count(struct oms_store *st, const struct oms_asset_query *f,
    const char *pattern, struct oms_asset_page *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ASSET_COUNT);

	bind_filters(q, f, pattern);
	if (oms_query_row(q)) {
		out->total = oms_query_col_int(q, 0);
		out->ports = oms_query_col_int(q, 1);
	}
	return oms_query_end(q);
}

enum oms_err
oms_asset_search(struct oms_store *st, struct oms_arena *a,
    const struct oms_asset_query *f, struct oms_asset_page *out)
{
	struct oms_query *q;
	const char *pattern = NULL;
	size_t cap;
	int oom = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	if ((unsigned)f->sort >= OMS_SORT__MAX || f->limit < 0 || f->offset < 0)
		return OMS_ERR_INVAL;
	if (f->text != NULL && f->text[0] != '\0' &&
	    (pattern = like_pattern(a, f->text)) == NULL)
		return OMS_ERR_NOMEM;

	if ((e = asset_count(st, f, pattern, out)) != OMS_OK)
		return e;
	if (out->total == 0 || f->limit == 0 || f->offset >= out->total)
		return OMS_OK;
	cap = (size_t)f->limit;
	if (cap > 1000)
		cap = 1000;
	if ((out->rows = oms_arena_alloc(a, cap * sizeof(*out->rows))) == NULL)
		return OMS_ERR_NOMEM;
	/* The statements of one sort key sit side by side, ASC then DESC. */
	q = oms_query(st, (enum oms_stmt)(OMS_STMT_ASSETS_NUMBER_ASC +
	    2 * (int)f->sort + (f->desc ? 1 : 0)));
	bind_filters(q, f, pattern);
	oms_query_int(q, f->limit);
	oms_query_int(q, f->offset);
	while (!oom && oms_query_row(q)) {
		struct oms_asset *r;

		if (out->n == cap) {
			if ((r = grow(a, out->rows, out->n, &cap,
			    sizeof(*r))) == NULL) {
				oom = 1;
				break;
			}
			out->rows = r;
		}
		r = &out->rows[out->n++];
		const char *t = oms_query_col_text(q, 1);
		const char *s = oms_query_col_text(q, 2);
		int ti = lookup(oms_asset_type_names, OMS_ASSET__MAX, t);
		int si = lookup(oms_asset_status_names, OMS_STATUS__MAX, s);

		r->id = oms_query_col_int(q, 0);
		r->type = ti < 0 ? OMS_ASSET_LINE : (enum oms_asset_type)ti;
		r->status = si < 0 ? OMS_STATUS_PENDING :
		    (enum oms_asset_status)si;
		r->number = col(a, q, 3, &oom);
		r->extension = col(a, q, 4, &oom);
		r->mailbox = col(a, q, 5, &oom);
		r->serial = col(a, q, 6, &oom);
		r->product = col(a, q, 7, &oom);
		r->cc = col(a, q, 8, &oom);
		r->ports = oms_query_col_int(q, 9);
		r->installed = col(a, q, 10, &oom);
		r->removed = col(a, q, 11, &oom);
	}
	e = oms_query_end(q);
	return oom ? OMS_ERR_NOMEM : e;
}

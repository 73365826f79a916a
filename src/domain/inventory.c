/*
 * inventory.c: reading customers, sites, cost centres and assets.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "date.h"
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

/* Column i copied into the arena (the store's one NULL rule: NULL stays
 * NULL; out of memory is latched in q). */
#define col(a, q, i) oms_query_col_dup((q), (i), (a))

/* A customer from columns id, code, name (oms_row_fn). */
static void
customer_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_customer *c = elem;

	c->id = oms_query_col_int(q, 0);
	c->code = col(a, q, 1);
	c->name = col(a, q, 2);
}

/* A customer of the list: customer_row, then sites, assets, ports. */
static void
customer_list_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_customer *c = elem;

	customer_row(q, a, c);
	c->sites = oms_query_col_int(q, 3);
	c->assets = oms_query_col_int(q, 4);
	c->ports = oms_query_col_int(q, 5);
}

/*
 * Every customer in scope with its counts of sites, assets and ports
 * (inventory.h).  Returns OMS_OK with *out (in the arena, freed with it)
 * and *n, or the store's error.
 */
enum oms_err
oms_customer_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, struct oms_customer **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_LIST);
	enum oms_err e;
	void *v;

	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, customer_list_row);
	*out = v;
	return e;
}

/*
 * Every customer in scope, id, code and name only, for the choices of
 * forms.  Returns OMS_OK with *out in the arena, or the store's error.
 */
enum oms_err
oms_customer_names(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, struct oms_customer **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_NAMES);
	enum oms_err e;
	void *v;

	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, customer_row);
	*out = v;
	return e;
}

/*
 * One customer in scope into *out (strings in the arena).  Returns
 * OMS_ERR_NOTFOUND when it does not exist or lies outside the scope,
 * else OMS_OK or the store's error.
 */
enum oms_err
oms_customer_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t id, struct oms_customer *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	if (oms_query_row(q)) {
		found = 1;
		customer_row(q, a, out);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Fill the id and address part of a site from columns 0-7. */
static void
site_cols(struct oms_arena *a, struct oms_query *q, struct oms_site *s)
{
	s->id = oms_query_col_int(q, 0);
	s->code = col(a, q, 1);
	s->name = col(a, q, 2);
	s->address = col(a, q, 3);
	s->city = col(a, q, 4);
	s->region = col(a, q, 5);
	s->postcode = col(a, q, 6);
	s->country = col(a, q, 7);
}

/* A site of the list: site_cols, then live assets and ports. */
static void
site_list_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_site *s = elem;

	site_cols(a, q, s);
	s->assets = oms_query_col_int(q, 8);
	s->ports = oms_query_col_int(q, 9);
}

/*
 * The sites of customer that the scope lets the caller see, with their
 * asset and port counts.  Returns OMS_OK with *out in the arena (none
 * for a customer outside the scope), or the store's error.
 */
enum oms_err
oms_site_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t customer, struct oms_site **out,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_SITE_LIST);
	enum oms_err e;
	void *v;

	oms_query_int(q, customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, site_list_row);
	*out = v;
	return e;
}

/*
 * One site in scope into *out (strings in the arena).  Returns
 * OMS_ERR_NOTFOUND when it does not exist or lies outside the scope,
 * else OMS_OK or the store's error.
 */
enum oms_err
oms_site_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t id, struct oms_site *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_SITE_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	if (oms_query_row(q)) {
		found = 1;
		site_cols(a, q, out);
		out->customer.id = oms_query_col_int(q, 8);
		out->customer.code = col(a, q, 9);
		out->customer.name = col(a, q, 10);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* A cost centre from columns id, code, name (oms_row_fn). */
static void
cost_centre_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_cost_centre *c = elem;

	c->id = oms_query_col_int(q, 0);
	c->code = col(a, q, 1);
	c->name = col(a, q, 2);
}

/*
 * The cost centres of customer, when the customer is in scope (a
 * site-limited scope sees all of its customer's).  Returns OMS_OK with
 * *out in the arena, or the store's error.
 */
enum oms_err
oms_cost_centre_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t customer,
    struct oms_cost_centre **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_CC_LIST);
	enum oms_err e;
	void *v;

	oms_query_int(q, customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, cost_centre_row);
	*out = v;
	return e;
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

/*
 * Bind the site and scope parameters that open OMS_SQL_ASSET_WHERE and
 * ASSET_COUNT_SITE: the site, the scope's customer, the site and
 * customer again, then the site-limited user, the site and the user.
 * With day non-NULL (OMS_SQL_ASOF_WHERE), the day twice after the
 * first site.
 */
static void
bind_site_scope(struct oms_query *q, const struct oms_scope *sc, int64_t site,
    const char *day)
{
	oms_query_int(q, site);
	if (day != NULL) {
		oms_query_text(q, day);
		oms_query_text(q, day);
	}
	oms_query_int(q, sc->customer);
	oms_query_int(q, site);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, site);
	oms_query_int(q, sc->site_user);
}

/*
 * Bind the parameters of OMS_SQL_ASSET_WHERE (day NULL) or
 * OMS_SQL_ASOF_WHERE (day "YYYY-MM-DD") in their order: the site (and
 * day) and scope, then each filter twice (NULL when not set) and the
 * text pattern five times.
 */
static void
bind_filters(struct oms_query *q, const struct oms_scope *sc,
    const struct oms_asset_query *f, const char *pattern, const char *day)
{
	const char *type = f->type >= 0 ? oms_asset_type_names[f->type] : NULL;
	const char *status = f->status >= 0 ?
	    oms_asset_status_names[f->status] : NULL;

	bind_site_scope(q, sc, f->site, day);
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

/* The matched count and ports alone; day as bind_filters(). */
static enum oms_err
asset_count(struct oms_store *st, const struct oms_scope *sc,
    const struct oms_asset_query *f, const char *pattern, const char *day,
    struct oms_asset_page *out)
{
	struct oms_query *q;

	/* The page as it first opens has no filter: a statement without
	 * the filter tests counts the same rows for less. */
	if (day != NULL) {
		q = oms_query(st, OMS_STMT_ASOF_COUNT);
		bind_filters(q, sc, f, pattern, day);
	} else if (f->type < 0 && f->status < 0 && f->cc <= 0 && pattern == NULL) {
		q = oms_query(st, OMS_STMT_ASSET_COUNT_SITE);
		bind_site_scope(q, sc, f->site, NULL);
	} else {
		q = oms_query(st, OMS_STMT_ASSET_COUNT);
		bind_filters(q, sc, f, pattern, NULL);
	}
	if (oms_query_row(q)) {
		out->total = oms_query_col_int(q, 0);
		out->ports = oms_query_col_int(q, 1);
	}
	return oms_query_end(q);
}

/* An asset of the site asset query (oms_row_fn): an unknown type or
 * status reads as the first of its kind. */
static void
asset_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_asset *r = elem;
	int ti = oms_name_index(oms_asset_type_names, OMS_ASSET__MAX,
	    oms_query_col_text(q, 1));
	int si = oms_name_index(oms_asset_status_names, OMS_STATUS__MAX,
	    oms_query_col_text(q, 2));

	r->id = oms_query_col_int(q, 0);
	r->type = ti < 0 ? OMS_ASSET_LINE : (enum oms_asset_type)ti;
	r->addon = ti < 0 && oms_query_col_text(q, 1) != NULL &&
	    strcmp(oms_query_col_text(q, 1), "addon") == 0;
	r->status = si < 0 ? OMS_STATUS_PENDING : (enum oms_asset_status)si;
	r->number = col(a, q, 3);
	r->extension = col(a, q, 4);
	r->mailbox = col(a, q, 5);
	r->serial = col(a, q, 6);
	r->product = col(a, q, 7);
	r->cc = col(a, q, 8);
	r->ports = oms_query_col_int(q, 9);
	r->installed = col(a, q, 10);
	r->removed = col(a, q, 11);
	r->tag = col(a, q, 12);
}

/*
 * The site asset query: the statement of the query's sort and
 * direction, bound with the filter and the scope, gives the matched
 * count, ports and one page of rows (inventory.h).  Returns OMS_OK with
 * *out's rows in the arena; OMS_ERR_INVAL for a malformed query; or the
 * store's error.
 */
enum oms_err
oms_asset_search(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, const struct oms_asset_query *f,
    struct oms_asset_page *out)
{
	struct oms_query *q;
	const char *pattern = NULL, *day = NULL;
	char dbuf[11];
	enum oms_err e;
	void *v;

	memset(out, 0, sizeof(*out));
	/* Today's query stays on the assets rows, which mirror the latest
	 * states; another day reads the states. */
	if (f->asof != 0)
		day = oms_date_format(f->asof, dbuf);
	if ((unsigned)f->sort >= OMS_SORT__MAX || f->limit < 0 || f->offset < 0)
		return OMS_ERR_INVAL;
	if (f->text != NULL && f->text[0] != '\0' &&
	    (pattern = like_pattern(a, f->text)) == NULL)
		return OMS_ERR_NOMEM;

	if ((e = asset_count(st, sc, f, pattern, day, out)) != OMS_OK)
		return e;
	if (out->total == 0 || f->limit == 0 || f->offset >= out->total)
		return OMS_OK;
	/* The statements of one sort key sit side by side, ASC then DESC. */
	q = oms_query(st, (enum oms_stmt)((day ? OMS_STMT_ASOF_NUMBER_ASC :
	    OMS_STMT_ASSETS_NUMBER_ASC) + 2 * (int)f->sort + (f->desc ? 1 : 0)));
	bind_filters(q, sc, f, pattern, day);
	oms_query_int(q, f->limit);
	oms_query_int(q, f->offset);
	e = oms_query_rows(q, a, sizeof(*out->rows), &v, &out->n, asset_row);
	out->rows = v;
	return e;
}

/*
 * One asset in scope, with where it sits and its parent, into *out
 * (strings in the arena).  Returns OMS_ERR_NOTFOUND when it does not
 * exist or lies outside the scope, else OMS_OK or the store's error.
 */
enum oms_err
oms_asset_get(struct oms_store *st, struct oms_arena *a,
    const struct oms_scope *sc, int64_t id, struct oms_asset_detail *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ASSET_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->customer);
	oms_query_int(q, sc->site_user);
	oms_query_int(q, sc->site_user);
	if (oms_query_row(q)) {
		found = 1;
		asset_row(q, a, &out->a);
		out->type_name = col(a, q, 1);
		out->product_code = col(a, q, 13);
		out->cc_name = col(a, q, 14);
		out->site = oms_query_col_int(q, 15);
		out->site_code = col(a, q, 16);
		out->site_name = col(a, q, 17);
		out->customer = oms_query_col_int(q, 18);
		out->customer_code = col(a, q, 19);
		out->customer_name = col(a, q, 20);
		out->parent = oms_query_col_int(q, 21);
		out->parent_tag = col(a, q, 22);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/*
 * The add-ons of asset parent, by id, as rows of the site asset query
 * (*out in the arena, freed with it).  Returns OMS_OK or the store's
 * error.
 */
enum oms_err
oms_asset_addons(struct oms_store *st, struct oms_arena *a, int64_t parent,
    struct oms_asset **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_ASSET_ADDONS);
	enum oms_err e;
	void *v = NULL;

	oms_query_int(q, parent);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, asset_row);
	*out = v;
	return e;
}

struct approval_unit {
	const struct oms_actor *actor;
	const char *code;
	int required;
};

/* The approval setting's unit (oms_unit_fn): read, change, audit. */
static enum oms_err
approval_unit(struct oms_store *st, void *arg)
{
	struct approval_unit *u = arg;
	struct oms_query *q = oms_query(st, OMS_STMT_CUSTOMER_APPROVAL_GET);
	int64_t id = 0, was = 0;
	enum oms_err e;

	oms_query_text(q, u->code);
	if (oms_query_row(q)) {
		id = oms_query_col_int(q, 0);
		was = oms_query_col_int(q, 1) != 0;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (id == 0)
		return OMS_ERR_NOTFOUND;
	if (was == (u->required != 0))
		return OMS_OK;
	q = oms_query(st, OMS_STMT_CUSTOMER_APPROVAL_SET);
	oms_query_int(q, u->required != 0);
	oms_query_int(q, id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	return oms_audit_append(st, u->actor, "customer", u->code, "approval",
	    was ? "approval_required: yes\n" : "approval_required: no\n",
	    u->required ? "approval_required: yes\n" :
	    "approval_required: no\n");
}

/* Described in inventory.h. */
enum oms_err
oms_customer_set_approval(struct oms_store *st, const struct oms_actor *actor,
    const char *code, int required)
{
	struct approval_unit u = {actor, code, required};

	return oms_store_unit(st, approval_unit, &u);
}

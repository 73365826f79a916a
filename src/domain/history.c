/*
 * history.c: the effective-dated states of assets (history.h), and the
 * installation of new assets with their first state.
 *
 * The rule that no two states of an asset overlap is kept here, by
 * construction: a new state is only ever appended at or after the
 * start of the latest one, which is closed where the new one starts.
 * Nothing is rewritten but that one valid_to.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "history.h"
#include "inventory.h"
#include "stmts.h"
#include "store.h"

/* A day column: 0 for NULL or a malformed date (which the schema's
 * CHAR(10) and the writers here never store). */
static int32_t
day_col(struct oms_query *q, int col)
{
	const char *s = oms_query_col_text(q, col);
	int32_t d;

	if (s == NULL || oms_date_parse(s, &d) != OMS_OK)
		return 0;
	return d;
}

/* A state from a row of OMS_SQL_STATE_SELECT (oms_row_fn). */
static void
state_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_asset_state *s = elem;
	int st = oms_name_index(oms_asset_status_names, OMS_STATUS__MAX,
	    oms_query_col_text(q, 9));

	s->id = oms_query_col_int(q, 0);
	s->asset = oms_query_col_int(q, 1);
	s->seq = oms_query_col_int(q, 2);
	s->valid_from = day_col(q, 3);
	s->valid_to = day_col(q, 4);
	s->site = oms_query_col_int(q, 5);
	s->cost_centre = oms_query_col_int(q, 6);
	s->product = oms_query_col_int(q, 7);
	s->ports = oms_query_col_int(q, 8);
	s->status = st < 0 ? OMS_STATUS_ACTIVE : st;
	s->number = oms_query_col_dup(q, 10, a);
	s->extension = oms_query_col_dup(q, 11, a);
	s->mailbox = oms_query_col_dup(q, 12, a);
	s->serial = oms_query_col_dup(q, 13, a);
	s->order_line = oms_query_col_int(q, 14);
	s->site_code = oms_query_col_dup(q, 15, a);
	s->cc_code = oms_query_col_dup(q, 16, a);
	s->product_code = oms_query_col_dup(q, 17, a);
	s->order_ref = oms_query_col_dup(q, 18, a);
	s->order_id = oms_query_col_int(q, 19);
}

/* Described in history.h. */
enum oms_err
oms_history_list(struct oms_store *st, struct oms_arena *a, int64_t asset,
    struct oms_asset_state **out, size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_HIST_LIST);
	void *v = NULL;
	enum oms_err e;

	oms_query_int(q, asset);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, state_row);
	*out = v;
	return e;
}

/* Described in history.h. */
enum oms_err
oms_history_at(struct oms_store *st, struct oms_arena *a, int64_t asset,
    int32_t on, struct oms_asset_state *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_HIST_AT);
	char d[11];
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_date_format(on, d);
	oms_query_int(q, asset);
	oms_query_text(q, d);
	oms_query_text(q, d);
	if (oms_query_row(q)) {
		state_row(q, a, out);
		found = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* Insert state s (its asset, seq and dates set) as a row. */
static enum oms_err
add_state(struct oms_store *st, const struct oms_asset_state *s)
{
	struct oms_query *q = oms_query(st, OMS_STMT_HIST_ADD);
	char from[11], to[11];

	oms_query_int(q, s->asset);
	oms_query_int(q, s->seq);
	oms_query_text(q, oms_date_format(s->valid_from, from));
	oms_query_text(q, s->valid_to ? oms_date_format(s->valid_to, to) : NULL);
	oms_query_int(q, s->site);
	oms_query_int(q, s->cost_centre);
	oms_query_int(q, s->product);
	oms_query_int(q, s->ports);
	oms_query_text(q, oms_asset_status_names[s->status]);
	oms_query_text(q, s->number);
	oms_query_text(q, s->extension);
	oms_query_text(q, s->mailbox);
	oms_query_text(q, s->serial);
	if (s->order_line > 0)
		oms_query_int(q, s->order_line);
	else
		oms_query_null(q);
	return oms_query_exec(q);
}

/* 1 when tag names an asset already. */
static int
tag_used(struct oms_store *st, const char *tag, enum oms_err *e)
{
	struct oms_query *q = oms_query(st, OMS_STMT_HIST_TAG_USED);
	int64_t n = 0;

	oms_query_text(q, tag);
	if (oms_query_row(q))
		n = oms_query_col_int(q, 0);
	*e = oms_query_end(q);
	return n > 0;
}

/* Described in history.h. */
enum oms_err
oms_history_install(struct oms_store *st, const char *tag, int64_t parent,
    struct oms_asset_state *first, int64_t *id, const char **why)
{
	struct oms_query *q;
	char made[32], from[11];
	enum oms_err e = OMS_OK;

	*id = 0;
	*why = NULL;
	if ((unsigned)first->status >= OMS_STATUS__MAX ||
	    first->status == OMS_STATUS_REMOVED || first->valid_from == 0) {
		*why = "A new asset needs an installation date and a status "
		    "other than removed.";
		return OMS_ERR_INVAL;
	}
	if (tag != NULL && tag[0] == '\0') {
		*why = "An asset tag cannot be empty.";
		return OMS_ERR_INVAL;
	}
	if (tag == NULL) {
		/*
		 * The next free tag: A and eight digits of a number past both
		 * the series and the highest asset id, since the seeded and
		 * migrated assets were tagged by id.  Drawing from the series
		 * locks its row to the end of the unit, so concurrent
		 * installs on any host take their turns here.
		 */
		int64_t n, top = 0;
		int found = 0;

		if ((e = oms_store_next_number(st, "asset_tag", &n)) != OMS_OK)
			return e;
		q = oms_query(st, OMS_STMT_HIST_MAX_ID);
		if (oms_query_row(q))
			top = oms_query_col_int(q, 0);
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		if (n <= top)
			n = top + 1;
		for (int tries = 0; tries < 1000 && !found; tries++, n++) {
			snprintf(made, sizeof(made), "A%08lld", (long long)n);
			found = !tag_used(st, made, &e);
			if (e != OMS_OK)
				return e;
		}
		if (!found) {
			*why = "No free asset tag was found in the series.";
			return OMS_ERR_CONFLICT;
		}
		tag = made;
	} else if (tag_used(st, tag, &e) || e != OMS_OK) {
		if (e != OMS_OK)
			return e;
		*why = "That asset tag is taken by another asset.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_HIST_ASSET_ADD);
	oms_query_int(q, first->site);
	oms_query_int(q, first->cost_centre);
	oms_query_int(q, first->product);
	oms_query_text(q, oms_asset_status_names[first->status]);
	oms_query_int(q, first->ports);
	oms_query_text(q, first->number);
	oms_query_text(q, first->extension);
	oms_query_text(q, first->mailbox);
	oms_query_text(q, first->serial);
	oms_query_text(q, oms_date_format(first->valid_from, from));
	oms_query_text(q, tag);
	if (parent > 0)
		oms_query_int(q, parent);
	else
		oms_query_null(q);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	*id = oms_store_last_id(st);
	first->asset = *id;
	first->seq = 1;
	first->valid_to = 0;
	return add_state(st, first);
}

/* Described in history.h. */
enum oms_err
oms_history_append(struct oms_store *st, struct oms_asset_state *next,
    const char **why)
{
	struct oms_query *q;
	int64_t last_id = 0, last_seq = 0;
	int32_t last_from = 0, installed = 0;
	int last_open = 0, last_removed = 0, found = 0;
	char d[11];
	enum oms_err e;

	*why = NULL;
	if ((unsigned)next->status >= OMS_STATUS__MAX) {
		*why = "That is not an asset status.";
		return OMS_ERR_INVAL;
	}
	q = oms_query(st, OMS_STMT_HIST_LAST);
	oms_query_int(q, next->asset);
	if (oms_query_row(q)) {
		found = 1;
		last_id = oms_query_col_int(q, 0);
		last_seq = oms_query_col_int(q, 1);
		last_from = day_col(q, 2);
		last_open = oms_query_col_text(q, 3) == NULL;
		last_removed = oms_name_index(oms_asset_status_names, OMS_STATUS__MAX,
		    oms_query_col_text(q, 4)) == OMS_STATUS_REMOVED;
		installed = day_col(q, 5);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (!found || !last_open) {
		*why = "This asset has no current state to change.";
		return OMS_ERR_CONFLICT;
	}
	if (last_removed) {
		*why = "This asset is removed: it cannot change any more.";
		return OMS_ERR_CONFLICT;
	}
	if (next->valid_from < last_from) {
		*why = "The date is before the asset's latest change: history "
		    "is extended, never rewritten.";
		return OMS_ERR_CONFLICT;
	}
	if (next->status == OMS_STATUS_REMOVED && next->valid_from <= installed) {
		*why = "An asset cannot be removed on the day it is installed.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_HIST_CLOSE);
	oms_query_text(q, oms_date_format(next->valid_from, d));
	oms_query_int(q, last_id);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	next->seq = last_seq + 1;
	next->valid_to = 0;
	if ((e = add_state(st, next)) != OMS_OK)
		return e;
	q = oms_query(st, OMS_STMT_HIST_ASSET_SYNC);
	oms_query_int(q, next->site);
	oms_query_int(q, next->cost_centre);
	oms_query_int(q, next->product);
	oms_query_int(q, next->ports);
	oms_query_text(q, oms_asset_status_names[next->status]);
	oms_query_text(q, next->number);
	oms_query_text(q, next->extension);
	oms_query_text(q, next->mailbox);
	oms_query_text(q, next->serial);
	oms_query_text(q, next->status == OMS_STATUS_REMOVED ? d : NULL);
	oms_query_int(q, next->asset);
	return oms_query_exec(q);
}

/* Described in history.h. */
int
oms_history_valid(const struct oms_asset_state *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i].seq != (int64_t)i + 1)
			return 0;
		if (s[i].valid_to != 0 && s[i].valid_to < s[i].valid_from)
			return 0;
		if (i + 1 < n && (s[i].valid_to == 0 ||
		    s[i + 1].valid_from != s[i].valid_to))
			return 0;
	}
	return 1;
}

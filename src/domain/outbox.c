/*
 * outbox.c: the transactional outbox (outbox.h): the canonical messages
 * of order approval and completion, written in the caller's unit of
 * work, and the operator's list, show and resend.
 *
 * Sections: names; the facts of a line; the XML writer; writing a
 * message; the hooks of the order workflow; list, get and resend.
 *
 * The XML is written by hand into a growing buffer rather than through
 * libxml2's tree: the domain layer builds no documents elsewhere
 * (orders.c writes its event snapshots the same way), the elements are
 * few and fixed, and every value passes through one escaping function.
 * The tests validate every body against its XSD with libxml2.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "catalog.h"
#include "date.h"
#include "delivery.h"
#include "outbox.h"
#include "stmts.h"
#include "store.h"

/* ------------------------------------------------------------------
 * Names
 */

const char *const oms_outbox_state_names[OMS_OUTBOX__MAX] = {
	"pending",   /* OMS_OUTBOX_PENDING */
	"sending",   /* OMS_OUTBOX_SENDING */
	"unknown",   /* OMS_OUTBOX_UNKNOWN */
	"delivered", /* OMS_OUTBOX_DELIVERED */
	"dead",      /* OMS_OUTBOX_DEAD */
};

const char *const oms_outbox_kind_names[OMS_OUTBOX_KIND__MAX] = {
	"PlaceOrder",      /* OMS_OUTBOX_PLACE_ORDER */
	"ChangeOrder",     /* OMS_OUTBOX_CHANGE_ORDER */
	"DisconnectOrder", /* OMS_OUTBOX_DISCONNECT_ORDER */
	"BookLease",       /* OMS_OUTBOX_BOOK_LEASE */
	"AmendLease",      /* OMS_OUTBOX_AMEND_LEASE */
	"ReturnAsset",     /* OMS_OUTBOX_RETURN_ASSET */
};

const char *const oms_outbox_kind_systems[OMS_OUTBOX_KIND__MAX] = {
	"vendor",  /* OMS_OUTBOX_PLACE_ORDER */
	"vendor",  /* OMS_OUTBOX_CHANGE_ORDER */
	"vendor",  /* OMS_OUTBOX_DISCONNECT_ORDER */
	"finance", /* OMS_OUTBOX_BOOK_LEASE */
	"finance", /* OMS_OUTBOX_AMEND_LEASE */
	"finance", /* OMS_OUTBOX_RETURN_ASSET */
};

/* Described in outbox.h. */
int
oms_outbox_state_lookup(const char *name)
{
	for (int i = 0; name != NULL && i < OMS_OUTBOX__MAX; i++)
		if (strcmp(name, oms_outbox_state_names[i]) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------------
 * The facts of a line
 */

/* What a message says, read by OUTBOX_FACTS (strings in the arena). */
struct facts {
	int64_t order;             /* orders.id */
	const char *ref;           /* the order reference */
	const char *requested_on;
	const char *scheduled_on;  /* or NULL */
	const char *cust_code, *cust_name, *currency;
	int line_no;
	int action;                /* enum oms_mac, or -1 */
	const char *line_tag;      /* the tag the line asked for, or NULL */
	int64_t line_ports;        /* -1 when the line leaves them */
	const char *line_ids[4];   /* number, extension, mailbox, serial */
	int64_t fee_due;           /* the override, else the fee, else 0 */
	int64_t mrc_before, mrc_after;
	int64_t asset;             /* 0 when none exists yet */
	const char *tag;
	int64_t asset_ports;       /* -1 without an asset */
	const char *asset_ids[4];
	int64_t parent;            /* 0 when none */
	const char *parent_tag;
	const char *site_code, *site_name, *address, *city, *region,
	    *postcode, *country;
	const char *cc_code, *cc_name;
	const char *prod_code, *prod_name, *prod_type;
	int product_given;         /* the line names a product */
	int64_t line_asset;        /* the line's asset (made or acted on), or 0 */
};

/* An integer column, or dflt for NULL. */
static int64_t
col_int_or(struct oms_query *q, int col, int64_t dflt)
{
	return oms_query_col_text(q, col) == NULL ? dflt :
	    oms_query_col_int(q, col);
}

/*
 * Read the facts of line `line` about asset (0: the line's own), in *f,
 * strings in arena a.  prefer_asset: the asset's site, cost centre and
 * product win over the line's (after completion).  OMS_OK,
 * OMS_ERR_NOTFOUND when there is no such line, or the store's error.
 */
static enum oms_err
facts_read(struct oms_store *st, struct oms_arena *a, int64_t line,
    int64_t asset, int prefer_asset, struct facts *f)
{
	struct oms_query *q = oms_query(st, OMS_STMT_OUTBOX_FACTS);
	int found = 0, c;
	const char *action;
	enum oms_err e;

	memset(f, 0, sizeof(*f));
	if (asset > 0)
		oms_query_int(q, asset);
	else
		oms_query_null(q);
	oms_query_int(q, prefer_asset);
	oms_query_int(q, prefer_asset);
	oms_query_int(q, prefer_asset);
	oms_query_int(q, line);
	if (oms_query_row(q)) {
		found = 1;
		f->order = oms_query_col_int(q, 0);
		f->ref = oms_query_col_dup(q, 1, a);
		f->requested_on = oms_query_col_dup(q, 2, a);
		f->scheduled_on = oms_query_col_dup(q, 3, a);
		f->cust_code = oms_query_col_dup(q, 5, a);
		f->cust_name = oms_query_col_dup(q, 6, a);
		f->currency = oms_query_col_dup(q, 7, a);
		f->line_no = (int)oms_query_col_int(q, 8);
		action = oms_query_col_text(q, 9);
		f->action = -1;
		for (int i = 0; action != NULL && i < OMS_MAC__MAX; i++)
			if (strcmp(action, oms_mac_names[i]) == 0)
				f->action = i;
		f->line_tag = oms_query_col_dup(q, 10, a);
		f->line_ports = col_int_or(q, 11, -1);
		for (c = 0; c < 4; c++)
			f->line_ids[c] = oms_query_col_dup(q, 12 + c, a);
		if (oms_query_col_text(q, 18) != NULL)
			f->fee_due = oms_query_col_int(q, 18);
		else if (oms_query_col_int(q, 17))
			f->fee_due = oms_query_col_int(q, 16);
		f->mrc_before = oms_query_col_int(q, 19);
		f->mrc_after = oms_query_col_int(q, 20);
		f->asset = col_int_or(q, 21, 0);
		f->tag = oms_query_col_dup(q, 22, a);
		f->asset_ports = col_int_or(q, 23, -1);
		for (c = 0; c < 4; c++)
			f->asset_ids[c] = oms_query_col_dup(q, 24 + c, a);
		f->parent = col_int_or(q, 28, 0);
		f->parent_tag = oms_query_col_dup(q, 29, a);
		f->site_code = oms_query_col_dup(q, 30, a);
		f->site_name = oms_query_col_dup(q, 31, a);
		f->address = oms_query_col_dup(q, 32, a);
		f->city = oms_query_col_dup(q, 33, a);
		f->region = oms_query_col_dup(q, 34, a);
		f->postcode = oms_query_col_dup(q, 35, a);
		f->country = oms_query_col_dup(q, 36, a);
		f->cc_code = oms_query_col_dup(q, 37, a);
		f->cc_name = oms_query_col_dup(q, 38, a);
		f->prod_code = oms_query_col_dup(q, 39, a);
		f->prod_name = oms_query_col_dup(q, 40, a);
		f->prod_type = oms_query_col_dup(q, 41, a);
		f->product_given = oms_query_col_text(q, 42) != NULL;
		f->line_asset = col_int_or(q, 43, 0);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

/* s when it is a non-empty string, else NULL. */
static const char *
given(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* ------------------------------------------------------------------
 * The XML writer
 */

/* A growing buffer (malloc'd); failed latches out of memory. */
struct xb {
	char *buf;   /* NUL-terminated; the caller frees it */
	size_t len;  /* bytes in buf */
	size_t cap;  /* bytes allocated */
	int failed;  /* an allocation failed: the text is incomplete */
};

/* Append n bytes of s to b. */
static void
xb_put(struct xb *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if ((p = realloc(b->buf, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->buf = p;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

/* Append the literal text s. */
static void
xb_lit(struct xb *b, const char *s)
{
	xb_put(b, s, strlen(s));
}

/* Append v escaped for element content and attribute values alike. */
static void
xb_esc(struct xb *b, const char *v)
{
	for (; *v; v++) {
		switch (*v) {
		case '&': xb_lit(b, "&amp;"); break;
		case '<': xb_lit(b, "&lt;"); break;
		case '>': xb_lit(b, "&gt;"); break;
		case '"': xb_lit(b, "&quot;"); break;
		default: xb_put(b, v, 1);
		}
	}
}

/* Append attribute name="v" when v is given. */
static void
xb_attr(struct xb *b, const char *name, const char *v)
{
	if (given(v) == NULL)
		return;
	xb_lit(b, " ");
	xb_lit(b, name);
	xb_lit(b, "=\"");
	xb_esc(b, v);
	xb_lit(b, "\"");
}

/* Append <name>v</name> on a line of its own, indented by depth
 * levels of two spaces, when v is given. */
static void
xb_elem_at(struct xb *b, int depth, const char *name, const char *v)
{
	if (given(v) == NULL)
		return;
	for (int i = 0; i < depth; i++)
		xb_lit(b, "  ");
	xb_lit(b, "<");
	xb_lit(b, name);
	xb_lit(b, ">");
	xb_esc(b, v);
	xb_lit(b, "</");
	xb_lit(b, name);
	xb_lit(b, ">\n");
}

/* xb_elem_at() for a child of the root. */
static void
xb_elem(struct xb *b, const char *name, const char *v)
{
	xb_elem_at(b, 1, name, v);
}

/* Append <name currency="C">cents</name>. */
static void
xb_money(struct xb *b, const char *name, const char *currency, int64_t cents)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)cents);
	xb_lit(b, "  <");
	xb_lit(b, name);
	xb_attr(b, "currency", currency);
	xb_lit(b, ">");
	xb_lit(b, v);
	xb_lit(b, "</");
	xb_lit(b, name);
	xb_lit(b, ">\n");
}

/* ------------------------------------------------------------------
 * Writing a message
 */

/* A new message id into buf (outbox.h). */
void
oms_outbox_new_id(char *buf, size_t sz)
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(buf, sz, "oms-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* What goes into one message besides the facts. */
struct msg_opts {
	enum oms_outbox_kind kind;
	int after;              /* after completion: the asset's state */
	const char *reason;     /* AmendLease: addon, move, change */
	const char *effective;  /* finance: the completion date */
	int amounts;            /* 0: no amounts (an add-on removed with its parent) */
};

/*
 * Write the body of message o->kind from facts f into b: the common
 * sequence of docs/exchange/common.xsd, each kind leaving out what it
 * does not carry.  mid and now are the message id and creation time.
 */
static void
body(struct xb *b, const struct facts *f, const struct msg_opts *o,
    const char *mid, const char *now)
{
	const char *root = oms_outbox_kind_names[o->kind];
	const char *tag = f->asset > 0 ? f->tag : f->line_tag;
	const char *const *ids = o->after ? f->asset_ids : f->line_ids;
	static const char *const idnames[4] = {"number", "extension",
	    "mailbox", "serial"};
	int vendor = o->kind <= OMS_OUTBOX_DISCONNECT_ORDER;
	int64_t ports;
	char v[32];

	xb_lit(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
	xb_lit(b, root);
	xb_lit(b, " xmlns=\"" OMS_OUTBOX_NS "\">\n");
	xb_elem(b, "messageId", mid);
	xb_elem(b, "createdAt", now);
	snprintf(v, sizeof(v), "%d", f->line_no);
	xb_lit(b, "  <order");
	xb_attr(b, "ref", f->ref);
	xb_attr(b, "line", v);
	xb_attr(b, "action", f->action >= 0 ? oms_mac_names[f->action] : NULL);
	xb_lit(b, "/>\n");
	if (given(tag) != NULL || given(f->parent_tag) != NULL) {
		xb_lit(b, "  <asset");
		xb_attr(b, "tag", tag);
		xb_attr(b, "parentTag", f->parent_tag);
		xb_lit(b, "/>\n");
	}
	xb_lit(b, "  <customer");
	xb_attr(b, "code", f->cust_code);
	xb_attr(b, "name", f->cust_name);
	xb_lit(b, "/>\n  <site");
	xb_attr(b, "code", f->site_code);
	xb_attr(b, "name", f->site_name);
	xb_lit(b, ">\n");
	xb_elem_at(b, 2, "address", f->address);
	xb_elem_at(b, 2, "city", f->city);
	xb_elem_at(b, 2, "region", f->region);
	xb_elem_at(b, 2, "postcode", f->postcode);
	xb_elem_at(b, 2, "country", f->country);
	xb_lit(b, "  </site>\n");
	if (given(f->cc_code) != NULL) {
		xb_lit(b, "  <costCentre");
		xb_attr(b, "code", f->cc_code);
		xb_attr(b, "name", f->cc_name);
		xb_lit(b, "/>\n");
	}
	xb_lit(b, "  <product");
	xb_attr(b, "code", f->prod_code);
	xb_attr(b, "name", f->prod_name);
	xb_attr(b, "type", f->prod_type);
	xb_lit(b, "/>\n");
	ports = o->after || f->line_ports < 0 ? f->asset_ports : f->line_ports;
	if (ports >= 0) {
		snprintf(v, sizeof(v), "%lld", (long long)ports);
		xb_elem(b, "ports", v);
	}
	for (int i = 0; i < 4; i++)
		xb_elem(b, idnames[i], given(ids[i]) ? ids[i] :
		    o->after ? NULL : f->asset_ids[i]);
	if (o->amounts) {
		if (o->kind != OMS_OUTBOX_DISCONNECT_ORDER &&
		    o->kind != OMS_OUTBOX_RETURN_ASSET)
			xb_money(b, "monthlyAmount", f->currency, f->mrc_after);
		if (o->kind == OMS_OUTBOX_CHANGE_ORDER ||
		    o->kind == OMS_OUTBOX_DISCONNECT_ORDER ||
		    o->kind == OMS_OUTBOX_AMEND_LEASE ||
		    o->kind == OMS_OUTBOX_RETURN_ASSET)
			xb_money(b, "previousMonthlyAmount", f->currency,
			    f->mrc_before);
		if (vendor)
			xb_money(b, "oneTimeFee", f->currency, f->fee_due);
	}
	xb_elem(b, "reason", o->reason);
	if (vendor) {
		xb_elem(b, "requestedOn", f->requested_on);
		xb_elem(b, "scheduledOn", f->scheduled_on);
	} else
		xb_elem(b, "effectiveOn", o->effective);
	xb_lit(b, "</");
	xb_lit(b, root);
	xb_lit(b, ">\n");
}

/*
 * Write message o (its body from facts f) as a pending row of the
 * outbox, due now, at the next place of its per-asset order.  The
 * order is kept for the leased asset: an add-on's parent, else the
 * asset, else the tag the line asked for, else REF/LINE.  OMS_OK,
 * OMS_ERR_NOMEM or the store's error.
 */
static enum oms_err
put(struct oms_store *st, struct oms_arena *a, const struct facts *f,
    const struct msg_opts *o)
{
	const char *system = oms_outbox_kind_systems[o->kind];
	const char *tag = f->asset > 0 ? f->tag : given(f->line_tag);
	const char *key;
	struct xb b;
	struct oms_query *q;
	char mid[48], now[32];
	int64_t seq = 1;
	enum oms_err e;

	if (given(f->parent_tag) != NULL)
		key = f->parent_tag;
	else if (given(tag) != NULL)
		key = tag;
	else if ((key = oms_arena_printf(a, "%s/%d", f->ref, f->line_no)) == NULL)
		return OMS_ERR_NOMEM;
	q = oms_query(st, OMS_STMT_OUTBOX_NEXT_SEQ);
	oms_query_text(q, system);
	oms_query_text(q, key);
	if (oms_query_row(q))
		seq = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	oms_outbox_new_id(mid, sizeof(mid));
	/* Milliseconds, as delivered_at: the time from commit to delivery
	 * is measured on them (tests/bench/exchange.sh). */
	oms_delivery_time(oms_delivery_clock_us(), now, sizeof(now));
	memset(&b, 0, sizeof(b));
	body(&b, f, o, mid, now);
	if (b.failed) {
		free(b.buf);
		return OMS_ERR_NOMEM;
	}
	q = oms_query(st, OMS_STMT_OUTBOX_INSERT);
	oms_query_text(q, mid);
	oms_query_text(q, system);
	oms_query_text(q, oms_outbox_kind_names[o->kind]);
	oms_query_text(q, key);
	oms_query_int(q, seq);
	if (f->asset > 0)
		oms_query_int(q, f->asset);
	else
		oms_query_null(q);
	oms_query_text(q, tag);
	oms_query_int(q, f->order);
	oms_query_text(q, f->ref);
	oms_query_text(q, now);
	oms_query_text(q, b.buf);
	oms_query_text(q, now);
	oms_query_text(q, now);
	e = oms_query_exec(q);
	free(b.buf);
	if (e != OMS_OK)
		oms_error("outbox: %s for order %s line %d not "
		    "written: %s", oms_outbox_kind_names[o->kind], f->ref,
		    f->line_no, oms_strerror(e));
	return e;
}

/* ------------------------------------------------------------------
 * The hooks of the order workflow
 */

/* Described in outbox.h. */
enum oms_err
oms_outbox_order_approved(struct oms_store *st, struct oms_arena *a,
    int64_t order)
{
	struct oms_query *q = oms_query(st, OMS_STMT_OUTBOX_ORDER_LINES);
	int64_t *lines = NULL;
	size_t n = 0, cap = 0;
	enum oms_err e;

	oms_query_int(q, order);
	while (oms_query_row(q)) {
		if (n == cap) {
			int64_t *p;

			cap = cap ? cap * 2 : 16;
			if ((p = oms_arena_alloc(a, cap * sizeof(*p))) == NULL) {
				oms_query_end(q);
				return OMS_ERR_NOMEM;
			}
			if (n > 0)
				memcpy(p, lines, n * sizeof(*p));
			lines = p;
		}
		lines[n++] = oms_query_col_int(q, 0);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	for (size_t i = 0; i < n; i++) {
		struct msg_opts o;
		struct facts f;

		if ((e = facts_read(st, a, lines[i], 0, 0, &f)) != OMS_OK)
			return e == OMS_ERR_NOTFOUND ? OMS_ERR_STORE : e;
		memset(&o, 0, sizeof(o));
		o.amounts = 1;
		switch (f.action) {
		case OMS_MAC_ADD:
		case OMS_MAC_ADDON:
			o.kind = OMS_OUTBOX_PLACE_ORDER;
			break;
		case OMS_MAC_MOVE:
		case OMS_MAC_CHANGE:
			o.kind = OMS_OUTBOX_CHANGE_ORDER;
			break;
		case OMS_MAC_DISCONNECT:
			o.kind = OMS_OUTBOX_DISCONNECT_ORDER;
			break;
		default:
			return OMS_ERR_STORE;
		}
		if ((e = put(st, a, &f, &o)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Described in outbox.h. */
enum oms_err
oms_outbox_event(struct oms_store *st, struct oms_arena *a,
    const char *event, int64_t asset, int64_t line, const char *effective)
{
	struct msg_opts o;
	struct facts f;
	enum oms_err e;

	if ((e = facts_read(st, a, line, asset, 1, &f)) != OMS_OK)
		return e == OMS_ERR_NOTFOUND ? OMS_ERR_STORE : e;
	memset(&o, 0, sizeof(o));
	o.after = 1;
	o.effective = effective;
	/* The line's amounts are the line's asset's: an add-on that goes
	 * with its parent has none of its own here. */
	o.amounts = asset == f.line_asset;
	if (strcmp(event, "asset_installed") == 0)
		o.kind = OMS_OUTBOX_BOOK_LEASE;
	else if (strcmp(event, "addon_added") == 0) {
		o.kind = OMS_OUTBOX_AMEND_LEASE;
		o.reason = "addon";
	} else if (strcmp(event, "asset_moved") == 0) {
		/* The lease moves with the leased asset; its add-ons are
		 * part of that lease. */
		if (f.parent > 0)
			return OMS_OK;
		o.kind = OMS_OUTBOX_AMEND_LEASE;
		o.reason = "move";
	} else if (strcmp(event, "asset_changed") == 0) {
		/* Only ports and product change what is leased. */
		if (f.line_ports < 0 && !f.product_given)
			return OMS_OK;
		o.kind = OMS_OUTBOX_AMEND_LEASE;
		o.reason = "change";
	} else if (strcmp(event, "asset_removed") == 0) {
		o.kind = OMS_OUTBOX_RETURN_ASSET;
	} else
		return OMS_ERR_INVAL;
	return put(st, a, &f, &o);
}

/* ------------------------------------------------------------------
 * List, get and resend
 */

/* Fill message elem from a row of OMS_SQL_OUTBOX_COLS (outbox.h). */
void
oms_outbox_msg_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_outbox_msg *m = elem;
	int s;

	m->id = oms_query_col_int(q, 0);
	m->message_id = oms_query_col_dup(q, 1, a);
	m->system = oms_query_col_dup(q, 2, a);
	m->kind = oms_query_col_dup(q, 3, a);
	m->seq_key = oms_query_col_dup(q, 4, a);
	m->seq = oms_query_col_int(q, 5);
	m->asset_id = col_int_or(q, 6, 0);
	m->asset_tag = oms_query_col_dup(q, 7, a);
	m->order_id = col_int_or(q, 8, 0);
	m->order_ref = oms_query_col_dup(q, 9, a);
	s = oms_outbox_state_lookup(oms_query_col_text(q, 10));
	m->state = s < 0 ? OMS_OUTBOX_DEAD : (enum oms_outbox_state)s;
	m->attempts = oms_query_col_int(q, 11);
	m->next_attempt_at = oms_query_col_dup(q, 12, a);
	m->last_error = oms_query_col_dup(q, 13, a);
	m->created_at = oms_query_col_dup(q, 14, a);
	m->updated_at = oms_query_col_dup(q, 15, a);
}

/* Described in outbox.h. */
enum oms_err
oms_outbox_list(struct oms_store *st, struct oms_arena *a, const char *state,
    const char *system, int64_t limit, struct oms_outbox_msg **out,
    size_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_OUTBOX_LIST);

	oms_query_text(q, state);
	oms_query_text(q, state);
	oms_query_text(q, system);
	oms_query_text(q, system);
	oms_query_int(q, limit);
	return oms_query_rows(q, a, sizeof(**out), (void **)out, n,
	    oms_outbox_msg_row);
}

/* Described in outbox.h. */
enum oms_err
oms_outbox_get(struct oms_store *st, struct oms_arena *a, int64_t id,
    struct oms_outbox_msg *out)
{
	struct oms_query *q = oms_query(st, OMS_STMT_OUTBOX_GET);
	int found = 0;
	enum oms_err e;

	memset(out, 0, sizeof(*out));
	oms_query_int(q, id);
	if (oms_query_row(q)) {
		found = 1;
		oms_outbox_msg_row(q, a, out);
		out->body = oms_query_col_dup(q, 16, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

struct resend_unit {
	struct oms_arena *a;
	const struct oms_actor *actor;
	int64_t id;
	const char **why;
};

/* Resend one message (oms_unit_fn): see oms_outbox_resend(). */
static enum oms_err
resend_unit(struct oms_store *st, void *arg)
{
	struct resend_unit *u = arg;
	struct oms_outbox_msg m;
	struct oms_query *q;
	const char *before, *after;
	char now[32];
	enum oms_err e;

	if ((e = oms_outbox_get(st, u->a, u->id, &m)) != OMS_OK)
		return e;
	if (m.state != OMS_OUTBOX_DEAD && m.state != OMS_OUTBOX_DELIVERED) {
		*u->why = m.state == OMS_OUTBOX_UNKNOWN ? "The outcome of this "
		    "message is unknown: the dispatcher asks the other system "
		    "about it; it is not sent blind." : "This message is "
		    "waiting to be sent already.";
		return OMS_ERR_CONFLICT;
	}
	q = oms_query(st, OMS_STMT_OUTBOX_RESEND);
	oms_now_iso(now, sizeof(now));
	oms_query_text(q, now);
	oms_query_text(q, now);
	oms_query_int(q, u->id);
	oms_query_text(q, oms_outbox_state_names[m.state]);
	if ((e = oms_query_exec(q)) != OMS_OK)
		return e;
	if (oms_query_changes(q) != 1) {
		*u->why = "The message changed meanwhile; look again.";
		return OMS_ERR_CONFLICT;
	}
	if ((before = oms_audit_kv(u->a, "state",
	    oms_outbox_state_names[m.state], "attempts",
	    oms_arena_printf(u->a, "%lld", (long long)m.attempts),
	    "last_error", m.last_error, NULL)) == NULL ||
	    (after = oms_audit_kv(u->a, "state", "pending", NULL)) == NULL)
		return OMS_ERR_NOMEM;
	return oms_audit_append(st, u->actor, "outbox", m.message_id,
	    "resend", before, after);
}

/* Described in outbox.h. */
enum oms_err
oms_outbox_resend(struct oms_store *st, struct oms_arena *a,
    const struct oms_actor *actor, int64_t id, const char **why)
{
	struct resend_unit u = {a, actor, id, why};

	*why = NULL;
	return oms_store_unit(st, resend_unit, &u);
}

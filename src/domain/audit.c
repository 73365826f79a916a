/*
 * audit.c: appending to and verifying the hash-chained audit log.
 *
 * The hash of a record is SHA-256 over its fields, each written as its
 * length in decimal, ':' and its bytes (NULL as "-"), in the order: id,
 * at, user id, login, address, entity, entity id, action, before,
 * after, previous hash.  The first record's previous hash is 64 zeros.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "stmts.h"
#include "store.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Fold one length-prefixed field into the hash state. */
static void
field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];

	if (s == NULL) {
		crypto_hash_sha256_update(h, (const unsigned char *)"-", 1);
		return;
	}
	snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

/* The hash of a record in hex (65 bytes). */
static void
record_hash(int64_t id, const char *at, int64_t user_id, const char *login,
    const char *address, const char *entity, const char *entity_id,
    const char *action, const char *before, const char *after,
    const char *prev, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char d[crypto_hash_sha256_BYTES];
	char num[24], uid[24];

	snprintf(num, sizeof(num), "%" PRId64, id);
	snprintf(uid, sizeof(uid), "%" PRId64, user_id);
	crypto_hash_sha256_init(&h);
	field(&h, num);
	field(&h, at);
	field(&h, user_id ? uid : NULL);
	field(&h, login);
	field(&h, address);
	field(&h, entity);
	field(&h, entity_id);
	field(&h, action);
	field(&h, before);
	field(&h, after);
	field(&h, prev);
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

/*
 * Append one record (who, when, where from, entity, action, values
 * before and after) chained to the one before it by its hash; call it
 * inside the unit of work making the change.  Returns OMS_OK,
 * OMS_ERR_INVAL when before and after are both NULL (a lost
 * description), OMS_ERR_STORE when the previous record is missing, or
 * the store's error.  Nothing is allocated for the caller.
 */
enum oms_err
oms_audit_append(struct oms_store *st, const struct oms_actor *who,
    const char *entity, const char *entity_id, const char *action,
    const char *before, const char *after)
{
	struct oms_query *q;
	char prev[65] = GENESIS, hash[65], at[32];
	struct timespec ts;
	struct tm tm;
	int64_t id;
	enum oms_err e;

	/* Every change has a value before or after it (a creation only
	 * after, a deletion only before): a record with neither means a
	 * caller lost its description (out of memory) and must not be
	 * written as if it said something. */
	if (before == NULL && after == NULL) {
		oms_error("audit: %s %s %s without its values", entity,
		    entity_id, action);
		return OMS_ERR_INVAL;
	}
	/* Drawing the number locks the series: records are appended one
	 * at a time, each after the one before it. */
	if ((e = oms_store_next_number(st, "audit", &id)) != OMS_OK)
		return e;
	if (id > 1) {
		int found = 0;

		q = oms_query(st, OMS_STMT_AUDIT_HASH);
		oms_query_int(q, id - 1);
		if (oms_query_row(q) && oms_query_col_text(q, 0) != NULL) {
			snprintf(prev, sizeof(prev), "%s", oms_query_col_text(q, 0));
			found = 1;
		}
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		if (!found) {
			oms_error("audit: record %" PRId64 " is missing; the log "
			    "has been tampered with", id - 1);
			return OMS_ERR_STORE;
		}
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(at + strlen(at), sizeof(at) - strlen(at), ".%03ldZ",
	    ts.tv_nsec / 1000000);
	record_hash(id, at, who->user_id, who->login, who->address, entity,
	    entity_id, action, before, after, prev, hash);
	q = oms_query(st, OMS_STMT_AUDIT_ADD);
	oms_query_int(q, id);
	oms_query_text(q, at);
	if (who->user_id)
		oms_query_int(q, who->user_id);
	else
		oms_query_null(q);
	oms_query_text(q, who->login);
	oms_query_text(q, who->address);
	oms_query_text(q, entity);
	oms_query_text(q, entity_id);
	oms_query_text(q, action);
	oms_query_text(q, before);
	oms_query_text(q, after);
	oms_query_text(q, prev);
	oms_query_text(q, hash);
	return oms_query_exec(q);
}

static enum oms_err verify(struct oms_store *, int64_t *, int64_t *,
    char *, size_t);

/* The records and the series in one read snapshot: a record appended
 * between the two reads would look like one cut off the end.  The
 * snapshot takes no write lock, so logins and edits go on meanwhile. */
enum oms_err
oms_audit_verify(struct oms_store *st, int64_t *records, int64_t *bad,
    char *why, size_t whysz)
{
	enum oms_err e;

	if ((e = oms_store_begin_read(st)) != OMS_OK)
		return e;
	e = verify(st, records, bad, why, whysz);
	oms_store_rollback(st);
	return e;
}

/* The check itself, inside the caller's transaction. */
static enum oms_err
verify(struct oms_store *st, int64_t *records, int64_t *bad, char *why,
    size_t whysz)
{
	struct oms_query *q = oms_query_iter(st, OMS_STMT_AUDIT_ALL);
	char prev[65] = GENESIS, hash[65];
	int64_t expect = 1, next = 1;
	enum oms_err e;

	*records = 0;
	*bad = 0;
	why[0] = '\0';
	while (*bad == 0 && oms_query_row(q)) {
		int64_t id = oms_query_col_int(q, 0);
		const char *stored_prev = oms_query_col_text(q, 10);
		const char *stored = oms_query_col_text(q, 11);

		if (id != expect) {
			*bad = expect;
			snprintf(why, whysz, "record %" PRId64 " is missing "
			    "(the next one is %" PRId64 ")", expect, id);
			break;
		}
		record_hash(id, oms_query_col_text(q, 1), oms_query_col_int(q, 2),
		    oms_query_col_text(q, 3), oms_query_col_text(q, 4),
		    oms_query_col_text(q, 5), oms_query_col_text(q, 6),
		    oms_query_col_text(q, 7), oms_query_col_text(q, 8),
		    oms_query_col_text(q, 9), prev, hash);
		if (stored_prev == NULL || strcmp(stored_prev, prev) != 0) {
			*bad = id;
			snprintf(why, whysz, "record %" PRId64 " does not carry "
			    "the hash of the record before it", id);
		} else if (stored == NULL || strcmp(stored, hash) != 0) {
			*bad = id;
			snprintf(why, whysz, "record %" PRId64 " was changed "
			    "after it was written", id);
		}
		snprintf(prev, sizeof(prev), "%s", stored ? stored : "");
		expect++;
		(*records)++;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (*bad)
		return OMS_ERR_CONSTRAINT;
	/* Records cut off the end: the series says how many were written. */
	q = oms_query(st, OMS_STMT_COUNTER_GET);
	oms_query_text(q, "audit");
	if (oms_query_row(q))
		next = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	if (next != expect) {
		*bad = expect;
		snprintf(why, whysz, "records %" PRId64 " to %" PRId64 " are "
		    "missing from the end", expect, next - 1);
		return OMS_ERR_CONSTRAINT;
	}
	return OMS_OK;
}

/*
 * Canonical "key: value" lines for a record's before or after value,
 * from a NULL-terminated list of key, value pairs (NULL values are
 * left out; newlines in values are written as "\n").  Returns the text
 * in arena a, freed with it, or NULL when out of memory.
 */
char *
oms_audit_kv(struct oms_arena *a, const char *key, ...)
{
	va_list ap;
	size_t cap = 256, n = 0;
	char *out = oms_arena_alloc(a, cap);
	const char *k = key;

	if (out == NULL)
		return NULL;
	out[0] = '\0';
	va_start(ap, key);
	while (k != NULL) {
		const char *v = va_arg(ap, const char *);

		if (v != NULL) {
			size_t need = n + strlen(k) + 2 * strlen(v) + 4;

			if (need > cap) {
				char *nb;

				cap = need * 2;
				if ((nb = oms_arena_alloc(a, cap)) == NULL) {
					va_end(ap);
					return NULL;
				}
				memcpy(nb, out, n + 1);
				out = nb;
			}
			n += (size_t)sprintf(out + n, "%s: ", k);
			for (; *v; v++) {
				if (*v == '\n') {
					out[n++] = '\\';
					out[n++] = 'n';
				} else if (*v == '\\') {
					out[n++] = '\\';
					out[n++] = '\\';
				} else
					out[n++] = *v;
			}
			out[n++] = '\n';
			out[n] = '\0';
		}
		k = va_arg(ap, const char *);
	}
	va_end(ap);
	return out;
}

/* A record of the audit page from columns id, at, login, address,
 * entity, entity id, action, before, after (oms_row_fn). */
static void
audit_row(struct oms_query *q, struct oms_arena *a, void *elem)
{
	struct oms_audit_record *r = elem;

	r->id = oms_query_col_int(q, 0);
	r->at = oms_query_col_dup(q, 1, a);
	r->login = oms_query_col_dup(q, 2, a);
	r->address = oms_query_col_dup(q, 3, a);
	r->entity = oms_query_col_dup(q, 4, a);
	r->entity_id = oms_query_col_dup(q, 5, a);
	r->action = oms_query_col_dup(q, 6, a);
	r->before = oms_query_col_dup(q, 7, a);
	r->after = oms_query_col_dup(q, 8, a);
}

/*
 * One page of audit records matching filter f (NULL members match
 * everything), newest first, into *out (*n of them), and the number
 * matching into *total.  Returns OMS_OK or the store's error.  The
 * records and their strings live in arena a and are freed with it.
 */
enum oms_err
oms_audit_list(struct oms_store *st, struct oms_arena *a,
    const struct oms_audit_filter *f, struct oms_audit_record **out,
    size_t *n, int64_t *total)
{
	struct oms_query *q = oms_query(st, OMS_STMT_AUDIT_COUNT);
	enum oms_err e;
	void *v;

	*n = 0;
	*out = NULL;
	*total = 0;
	oms_query_text(q, f->entity);
	oms_query_text(q, f->entity);
	oms_query_text(q, f->login);
	oms_query_text(q, f->login);
	oms_query_text(q, f->action);
	oms_query_text(q, f->action);
	if (oms_query_row(q))
		*total = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK || *total == 0 || f->limit <= 0)
		return e;
	q = oms_query(st, OMS_STMT_AUDIT_LIST);
	oms_query_text(q, f->entity);
	oms_query_text(q, f->entity);
	oms_query_text(q, f->login);
	oms_query_text(q, f->login);
	oms_query_text(q, f->action);
	oms_query_text(q, f->action);
	oms_query_int(q, f->limit);
	oms_query_int(q, f->offset);
	e = oms_query_rows(q, a, sizeof(**out), &v, n, audit_row);
	*out = v;
	return e;
}

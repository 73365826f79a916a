/*
 * audit.h: the audit log.  Every change records who, when (UTC), from
 * which address, the entity, the action, and the values before and
 * after, in the same unit of work as the change itself.  The log is
 * append-only and hash-chained: each record carries the SHA-256 of the
 * one before, and its own hash covers all its fields; record numbers
 * come from a gapless series, so an edited, deleted or inserted record
 * breaks the chain where it happened.
 */
#ifndef OMS_AUDIT_H
#define OMS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_store;

/* Append a record; call inside the unit of work making the change.
 * before/after are canonical text (see oms_audit_kv) or NULL, not
 * both: OMS_ERR_INVAL then.  A caller whose description failed (NULL
 * from oms_audit_kv when out of memory) must fail its unit instead of
 * passing the NULL on. */
enum oms_err oms_audit_append(struct oms_store *, const struct oms_actor *,
    const char *entity, const char *entity_id, const char *action,
    const char *before, const char *after);

/*
 * Check the whole chain.  OMS_OK with *records set when it holds;
 * OMS_ERR_CONSTRAINT with *bad the number of the first record that
 * fails and why in `why`.
 */
enum oms_err oms_audit_verify(struct oms_store *, int64_t *records,
    int64_t *bad, char *why, size_t whysz);

/*
 * Canonical "key: value" lines for a record's before/after value, from
 * a NULL-terminated list of key, value pairs (NULL values are left
 * out).  Newlines in values are written as "\n".  In the arena.
 */
char *oms_audit_kv(struct oms_arena *, const char *key, ...);

struct oms_audit_record {
	int64_t id;
	const char *at, *login, *address, *entity, *entity_id, *action;
	const char *before, *after;
};

struct oms_audit_filter {
	const char *entity;   /* or NULL */
	const char *login;    /* or NULL */
	const char *action;   /* or NULL */
	int64_t limit, offset;
};

/* Newest first; total is the number matching. */
enum oms_err oms_audit_list(struct oms_store *, struct oms_arena *,
    const struct oms_audit_filter *, struct oms_audit_record **out,
    size_t *n, int64_t *total);

#endif /* OMS_AUDIT_H */

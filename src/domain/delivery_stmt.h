/*
 * delivery_stmt.h: the statements of outbox delivery
 * (src/domain/delivery.c), gathered into enum oms_stmt by stmts.h.
 * Entries are X(NAME, portable, sqlite, mariadb) as in src/store/stmt.h.
 *
 * Every change of a claimed row names the claim it ends (claimed_by and
 * claim_until), so it changes nothing when the claim was taken back.
 */
#ifndef OMS_DELIVERY_STMT_H
#define OMS_DELIVERY_STMT_H

#define OMS_STMTS_DELIVERY(X)                                             \
	/* Claims of system past their time (parameter: now). */          \
	X(DELIVERY_EXPIRED,                                               \
	    "SELECT id, message_id, kind, claimed_by, claim_until"        \
	    " FROM outbox WHERE system = ? AND state = 'sending'"         \
	    " AND claim_until < ? ORDER BY id", NULL, NULL)               \
	/* A claim that ran out: unknown, due at once (next, error,      \
	 * updated_at, id, the claim_until read). */                      \
	X(DELIVERY_TAKE_BACK,                                             \
	    "UPDATE outbox SET state = 'unknown', claimed_by = NULL,"     \
	    " claim_until = NULL, next_attempt_at = ?, last_error = ?,"   \
	    " updated_at = ? WHERE id = ? AND state = 'sending'"          \
	    " AND claim_until = ?", NULL, NULL)                           \
	/*                                                               \
	 * Due messages of system: pending or unknown whose time has come \
	 * (now with milliseconds; now in whole seconds, for rows written \
	 * so), all earlier ones of their seq_key delivered; oldest due   \
	 * first, at most LIMIT.                                          \
	 */                                                               \
	X(DELIVERY_DUE,                                                   \
	    "SELECT o.id, o.state, o.attempts, o.next_attempt_at"         \
	    " FROM outbox o WHERE o.system = ?"                           \
	    " AND o.state IN ('pending', 'unknown')"                      \
	    " AND (o.next_attempt_at <= ? OR o.next_attempt_at = ?)"      \
	    " AND NOT EXISTS (SELECT 1 FROM outbox p"                     \
	    "  WHERE p.system = o.system AND p.seq_key = o.seq_key"       \
	    "  AND p.seq < o.seq AND p.state <> 'delivered')"             \
	    " ORDER BY o.next_attempt_at, o.id LIMIT ?", NULL, NULL)      \
	/* The claim: compare-and-set on what was read (claimed_by,      \
	 * claim_until, updated_at; id, state, attempts,                  \
	 * next_attempt_at). */                                           \
	X(DELIVERY_CLAIM,                                                 \
	    "UPDATE outbox SET state = 'sending', claimed_by = ?,"         \
	    " claim_until = ?, attempts = attempts + 1, updated_at = ?"   \
	    " WHERE id = ? AND state = ? AND attempts = ?"                \
	    " AND next_attempt_at = ?", NULL, NULL)                       \
	X(DELIVERY_GET,                                                   \
	    "SELECT id, message_id, system, kind, seq_key, seq, asset_id,"\
	    " asset_tag, order_id, order_ref, attempts, claim_until, body,"\
	    " invoice_id FROM outbox WHERE id = ? AND state = 'sending'"  \
	    " AND claimed_by = ?", NULL, NULL)                            \
	/* A claim moved on (until, updated_at; id, who, old until). */   \
	X(DELIVERY_RENEW,                                                 \
	    "UPDATE outbox SET claim_until = ?, updated_at = ?"           \
	    " WHERE id = ? AND state = 'sending' AND claimed_by = ?"      \
	    " AND claim_until = ?", NULL, NULL)                           \
	/* Delivered (delivered_at, reply, updated_at; id, who, until). */\
	X(DELIVERY_DELIVERED,                                             \
	    "UPDATE outbox SET state = 'delivered', delivered_at = ?,"    \
	    " reply = ?, last_error = NULL, claimed_by = NULL,"           \
	    " claim_until = NULL, updated_at = ?"                         \
	    " WHERE id = ? AND state = 'sending' AND claimed_by = ?"      \
	    " AND claim_until = ?", NULL, NULL)                           \
	/* Pending, unknown or dead (state, next, error, updated_at; id,  \
	 * who, until). */                                                \
	X(DELIVERY_SET,                                                   \
	    "UPDATE outbox SET state = ?, next_attempt_at = ?,"           \
	    " last_error = ?, claimed_by = NULL, claim_until = NULL,"     \
	    " updated_at = ? WHERE id = ? AND state = 'sending'"          \
	    " AND claimed_by = ? AND claim_until = ?", NULL, NULL)        \
	/* A claim given back unused (state it had, updated_at; id, who,  \
	 * until): as it was before the claim. */                         \
	X(DELIVERY_RELEASE,                                               \
	    "UPDATE outbox SET state = ?, attempts = attempts - 1,"       \
	    " claimed_by = NULL, claim_until = NULL, updated_at = ?"      \
	    " WHERE id = ? AND state = 'sending' AND claimed_by = ?"      \
	    " AND claim_until = ? AND attempts > 0", NULL, NULL)          \
	/* The later pending messages of a dead one's seq_key wait. */    \
	X(DELIVERY_BLOCKED,                                               \
	    "UPDATE outbox SET last_error = ?, updated_at = ?"            \
	    " WHERE system = ? AND seq_key = ? AND seq > ?"               \
	    " AND state = 'pending'", NULL, NULL)                         \
	X(DELIVERY_LINE,                                                  \
	    "SELECT id, asset_id FROM order_lines"                        \
	    " WHERE order_id = ? AND line_no = ?", NULL, NULL)            \
	X(DELIVERY_VENDOR_HAS,                                            \
	    "SELECT 1 FROM vendor_orders WHERE order_line_id = ?",        \
	    NULL, NULL)                                                   \
	X(DELIVERY_VENDOR_ADD,                                            \
	    "INSERT INTO vendor_orders (order_line_id, order_id,"         \
	    " asset_id, vendor_ref, status, message_id, updated_at)"      \
	    " VALUES (?, ?, ?, ?, 'placed', ?, ?)", NULL, NULL)           \
	X(DELIVERY_LEASE_HAS,                                             \
	    "SELECT 1 FROM asset_leases WHERE asset_id = ?", NULL, NULL)  \
	X(DELIVERY_LEASE_ADD,                                             \
	    "INSERT INTO asset_leases (asset_id, lease_number, status,"   \
	    " message_id, booked_at, updated_at)"                         \
	    " VALUES (?, ?, 'booked', ?, ?, ?)", NULL, NULL)              \
	X(DELIVERY_LEASE_RETURN,                                          \
	    "UPDATE asset_leases SET status = 'returned', message_id = ?,"\
	    " updated_at = ? WHERE asset_id = ?", NULL, NULL)             \
	/* What is left (system, system: NULL for all). */                \
	X(DELIVERY_OPEN,                                                  \
	    "SELECT COUNT(*),"                                            \
	    " COALESCE(SUM(CASE WHEN state = 'sending' THEN 1 ELSE 0"     \
	    "  END), 0),"                                                 \
	    " MIN(CASE WHEN state <> 'sending' THEN next_attempt_at END)" \
	    " FROM outbox WHERE (? IS NULL OR system = ?)"                \
	    " AND state IN ('pending', 'sending', 'unknown')", NULL, NULL)

#endif /* OMS_DELIVERY_STMT_H */

/*
 * outbox_stmt.h: the statements of the transactional outbox
 * (src/domain/outbox.c), gathered into enum oms_stmt by stmts.h.  Each
 * entry is X(NAME, portable SQL, SQLite variant, MariaDB variant); see
 * src/store/stmt.h for the rules of a list.
 */
#ifndef OMS_OUTBOX_STMT_H
#define OMS_OUTBOX_STMT_H

/* A message's columns, in struct oms_outbox_msg's order (msg_row()). */
#define OMS_SQL_OUTBOX_COLS                                                 \
	"SELECT id, message_id, system, kind, seq_key, seq, asset_id,"      \
	" asset_tag, order_id, order_ref, state, attempts, next_attempt_at,"\
	" last_error, created_at, updated_at"

#define OMS_STMTS_OUTBOX(X)                                                   \
	/*                                                                    \
	 * What a message needs of an order line, its order and customer,    \
	 * and of one asset: parameters prefer-asset (1 at completion: the   \
	 * asset's state is the truth; 0 at approval: the line's), the       \
	 * same flag twice more, the asset (NULL: the line's) and the line.  \
	 * pa is the parent: the line's (add-on) or the asset's.             \
	 */                                                                   \
	X(OUTBOX_FACTS,                                                       \
	    "SELECT o.id, o.ref, o.requested_on, o.scheduled_on,"             \
	    " o.completed_on, c.code, c.name, c.currency, l.line_no,"         \
	    " l.action, l.asset_tag, l.ports, l.phone_number, l.extension,"   \
	    " l.mailbox, l.serial, l.fee_cents, l.fee_priced,"                \
	    " l.fee_override_cents, l.mrc_before_cents, l.mrc_after_cents,"   \
	    " a.id, a.tag, a.ports, a.phone_number, a.extension, a.mailbox,"  \
	    " a.serial, pa.id, pa.tag, s.code, s.name, s.address, s.city,"    \
	    " s.region, s.postcode, s.country, cc.code, cc.name, p.code,"     \
	    " p.name, p.asset_type, l.product_id, l.asset_id"                             \
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"          \
	    " JOIN customers c ON c.id = o.customer_id"                       \
	    " LEFT JOIN assets a ON a.id = COALESCE(?, l.asset_id)"           \
	    " LEFT JOIN assets pa ON pa.id = COALESCE(a.parent_id,"           \
	    "  l.parent_id)"                                                  \
	    " LEFT JOIN sites s ON s.id = COALESCE(CASE WHEN ? = 1"           \
	    "  THEN a.site_id END, l.site_id, a.site_id, pa.site_id,"         \
	    "  o.site_id)"                                                    \
	    " LEFT JOIN cost_centres cc ON cc.id = COALESCE(CASE WHEN ? = 1"  \
	    "  THEN a.cost_centre_id END, l.cost_centre_id, a.cost_centre_id,"\
	    "  pa.cost_centre_id)"                                            \
	    " LEFT JOIN products p ON p.id = COALESCE(CASE WHEN ? = 1"        \
	    "  THEN a.product_id END, l.product_id, a.product_id)"            \
	    " WHERE l.id = ?", NULL, NULL)                                    \
	X(OUTBOX_ORDER_LINES,                                                 \
	    "SELECT id FROM order_lines WHERE order_id = ? ORDER BY line_no", \
	    NULL, NULL)                                                       \
	/* The next place in the per-asset order of (system, seq_key).       \
	 * MariaDB: a locking read, so that two units writing for one key    \
	 * wait for each other (or one deadlocks and its unit is retried)    \
	 * instead of both reading the same highest; SQLite's BEGIN          \
	 * IMMEDIATE already serialises writers. */                           \
	X(OUTBOX_NEXT_SEQ,                                                    \
	    "SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox"                    \
	    " WHERE system = ? AND seq_key = ?", NULL,                        \
	    "SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox"                    \
	    " WHERE system = ? AND seq_key = ? FOR UPDATE")                   \
	X(OUTBOX_INSERT,                                                      \
	    "INSERT INTO outbox (message_id, system, kind, seq_key, seq,"     \
	    " asset_id, asset_tag, order_id, order_ref, state, attempts,"     \
	    " next_attempt_at, body, created_at, updated_at)"                 \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)",  \
	    NULL, NULL)                                                       \
	/* The list: filters state and system (NULL: any), newest first. */  \
	X(OUTBOX_LIST, OMS_SQL_OUTBOX_COLS " FROM outbox"                     \
	    " WHERE (? IS NULL OR state = ?) AND (? IS NULL OR system = ?)"   \
	    " ORDER BY id DESC LIMIT ?", NULL, NULL)                          \
	X(OUTBOX_GET, OMS_SQL_OUTBOX_COLS ", body FROM outbox WHERE id = ?",  \
	    NULL, NULL)                                                       \
	X(OUTBOX_GET_BY_MESSAGE, "SELECT id FROM outbox WHERE message_id = ?",\
	    NULL, NULL)                                                       \
	/* Back to pending, from the state the operator saw (dead or         \
	 * delivered): 0 rows when it changed in between. */                  \
	X(OUTBOX_RESEND,                                                      \
	    "UPDATE outbox SET state = 'pending', attempts = 0,"              \
	    " next_attempt_at = ?, last_error = NULL, updated_at = ?"         \
	    " WHERE id = ? AND state = ?", NULL, NULL)

#endif /* OMS_OUTBOX_STMT_H */

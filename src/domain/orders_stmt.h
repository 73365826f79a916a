/*
 * orders_stmt.h: the statements of MAC orders (orders.c), gathered into
 * enum oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL, SQLite
 * variant, MariaDB variant); see src/store/stmt.h for the rules of a
 * list.
 */
#ifndef OMS_ORDERS_STMT_H
#define OMS_ORDERS_STMT_H

/* An order with its customer's and site's names. */
#define OMS_SQL_ORDER_SELECT                                                \
	"SELECT o.id, o.ref, o.customer_id, c.code, c.name, o.site_id,"     \
	" s.code, s.name, o.requester_id, o.requester, o.requested_on,"     \
	" o.state, o.held_from, o.version, o.notes, o.scheduled_on,"        \
	" o.completed_on, o.created_at, o.updated_at, c.approval_required"  \
	" FROM orders o JOIN customers c ON c.id = o.customer_id"           \
	" LEFT JOIN sites s ON s.id = o.site_id"

/* The list's filters and scope.  Parameters: state x2, customer x2,
 * site x2, action x2, from x2, to x2, scope customer x2, scope site
 * user x2. */
#define OMS_SQL_ORDER_WHERE                                                 \
	" WHERE (? IS NULL OR o.state = ?)"                                 \
	" AND (? = 0 OR o.customer_id = ?)"                                 \
	" AND (? = 0 OR o.site_id = ?)"                                     \
	" AND (? IS NULL OR EXISTS (SELECT 1 FROM order_lines l"            \
	"  WHERE l.order_id = o.id AND l.action = ?))"                      \
	" AND (? IS NULL OR o.requested_on >= ?)"                           \
	" AND (? IS NULL OR o.requested_on <= ?)"                           \
	" AND (? = 0 OR o.customer_id = ?)"                                 \
	" AND (? = 0 OR o.site_id IN (SELECT site_id FROM user_sites"       \
	"  WHERE user_id = ?))"

/* The money of every line, for the list's totals. */
#define OMS_SQL_LINE_SELECT                                                 \
	"SELECT l.id, l.line_no, l.action, l.asset_id, l.parent_id,"        \
	" l.asset_tag, l.site_id, l.cost_centre_id, l.product_id, l.ports," \
	" l.phone_number, l.extension, l.mailbox, l.serial, l.fee_cents,"   \
	" l.fee_priced, l.fee_override_cents, l.override_reason,"           \
	" l.mrc_before_cents, l.mrc_after_cents, a.tag, pa.tag, s.code,"    \
	" c.code, p.code, p.name"                                           \
	" FROM order_lines l"                                               \
	" LEFT JOIN assets a ON a.id = l.asset_id"                          \
	" LEFT JOIN assets pa ON pa.id = l.parent_id"                       \
	" LEFT JOIN sites s ON s.id = l.site_id"                            \
	" LEFT JOIN cost_centres c ON c.id = l.cost_centre_id"              \
	" LEFT JOIN products p ON p.id = l.product_id"

#define OMS_STMTS_ORDERS(X)                                                    \
	X(ORDER_INSERT,                                                        \
	    "INSERT INTO orders (ref, customer_id, site_id, requester_id,"     \
	    " requester, requested_on, state, version, notes, created_at,"     \
	    " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?, ?)",     \
	    NULL, NULL)                                                        \
	X(ORDER_REF_USED, "SELECT COUNT(*) FROM orders WHERE ref = ?",         \
	    NULL, NULL)                                                        \
	X(ORDER_BY_REF, "SELECT id FROM orders WHERE ref = ?", NULL, NULL)     \
	X(ORDER_LINE_INSERT,                                                   \
	    "INSERT INTO order_lines (order_id, line_no, action, asset_id,"    \
	    " parent_id, asset_tag, site_id, cost_centre_id, product_id,"      \
	    " ports, phone_number, extension, mailbox, serial, fee_cents,"     \
	    " fee_priced, fee_override_cents, override_reason,"                \
	    " mrc_before_cents, mrc_after_cents)"                              \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"   \
	    " ?, ?)", NULL, NULL)                                              \
	X(ORDER_LINES_DELETE, "DELETE FROM order_lines WHERE order_id = ?",    \
	    NULL, NULL)                                                        \
	X(ORDER_GET, OMS_SQL_ORDER_SELECT " WHERE o.id = ?", NULL, NULL)       \
	/* The same, locking the row for the unit (SQLite: the unit's        \
	 * BEGIN IMMEDIATE already holds the write lock). */                  \
	X(ORDER_GET_LOCK, OMS_SQL_ORDER_SELECT " WHERE o.id = ? FOR UPDATE",   \
	    OMS_SQL_ORDER_SELECT " WHERE o.id = ?", NULL)                      \
	X(ORDER_LINES, OMS_SQL_LINE_SELECT                                     \
	    " WHERE l.order_id = ? ORDER BY l.line_no", NULL, NULL)            \
	X(ORDER_TRANSITIONS,                                                   \
	    "SELECT at, login, from_state, to_state, comment"                  \
	    " FROM order_transitions WHERE order_id = ? ORDER BY id",          \
	    NULL, NULL)                                                        \
	X(ORDER_COMMENTS,                                                      \
	    "SELECT at, login, body FROM order_comments WHERE order_id = ?"    \
	    " ORDER BY id", NULL, NULL)                                        \
	/* A change of state at the version the user saw: 0 rows when        \
	 * another change came first. */                                      \
	X(ORDER_SET_STATE,                                                     \
	    "UPDATE orders SET state = ?, held_from = ?, version = version + 1,"\
	    " scheduled_on = ?, completed_on = ?, updated_at = ?"              \
	    " WHERE id = ? AND version = ?", NULL, NULL)                       \
	X(ORDER_SET_DRAFT,                                                     \
	    "UPDATE orders SET requested_on = ?, notes = ?, site_id = ?,"      \
	    " version = version + 1, updated_at = ?"                           \
	    " WHERE id = ? AND version = ? AND state = 'draft'", NULL, NULL)   \
	X(ORDER_TRANSITION_ADD,                                                \
	    "INSERT INTO order_transitions (order_id, at, user_id, login,"     \
	    " from_state, to_state, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",    \
	    NULL, NULL)                                                        \
	X(ORDER_COMMENT_ADD,                                                   \
	    "INSERT INTO order_comments (order_id, at, user_id, login, body)"  \
	    " VALUES (?, ?, ?, ?, ?)", NULL, NULL)                             \
	X(ORDER_COUNT, "SELECT COUNT(*) FROM orders o" OMS_SQL_ORDER_WHERE,    \
	    NULL, NULL)                                                        \
	X(ORDER_PAGE, OMS_SQL_ORDER_SELECT OMS_SQL_ORDER_WHERE                 \
	    " ORDER BY o.id DESC LIMIT ? OFFSET ?", NULL, NULL)                \
	/* Sums of the lines of the orders of one page. */                    \
	X(ORDER_TOTALS,                                                        \
	    "SELECT SUM(CASE WHEN fee_override_cents IS NOT NULL"              \
	    " THEN fee_override_cents WHEN fee_priced = 1 THEN fee_cents"      \
	    " ELSE 0 END), SUM(mrc_before_cents), SUM(mrc_after_cents)"        \
	    " FROM order_lines WHERE order_id = ?", NULL, NULL)                \
	X(ORDER_OF_ASSET, OMS_SQL_ORDER_SELECT                                 \
	    " WHERE o.id IN (SELECT order_id FROM order_lines"                 \
	    " WHERE asset_id = ? OR parent_id = ?) ORDER BY o.id", NULL, NULL) \
	X(ORDER_LINE_DONE,                                                     \
	    "UPDATE order_lines SET asset_id = ?, fee_cents = ?,"              \
	    " fee_priced = ?, phone_number = ?, extension = ?, mailbox = ?,"   \
	    " serial = ? WHERE id = ?", NULL, NULL)                            \
	/* What a line needs to know of an asset. */                          \
	X(ORDER_ASSET,                                                         \
	    "SELECT a.id, s.customer_id, a.site_id, a.cost_centre_id,"         \
	    " a.product_id, a.ports, a.status, a.phone_number, a.extension,"   \
	    " a.mailbox, a.serial, a.parent_id, p.asset_type, a.removed_on,"   \
	    " a.tag FROM assets a JOIN sites s ON s.id = a.site_id"            \
	    " JOIN products p ON p.id = a.product_id WHERE a.id = ?",          \
	    NULL, NULL)                                                        \
	X(ORDER_ADDONS,                                                        \
	    "SELECT id FROM assets WHERE parent_id = ? AND removed_on IS NULL" \
	    " ORDER BY id", NULL, NULL)                                        \
	X(ORDER_SITE_CUSTOMER, "SELECT customer_id FROM sites WHERE id = ?",   \
	    NULL, NULL)                                                        \
	X(ORDER_CC_CUSTOMER,                                                   \
	    "SELECT customer_id FROM cost_centres WHERE id = ?", NULL, NULL)   \
	X(ORDER_CUSTOMER,                                                      \
	    "SELECT approval_required FROM customers WHERE id = ?", NULL, NULL) \
	/* Another asset with this number in service on a day. */            \
	X(ORDER_NUMBER_USED,                                                   \
	    "SELECT COUNT(*) FROM asset_states WHERE phone_number = ?"         \
	    " AND asset_id <> ? AND status <> 'removed' AND valid_from <= ?"   \
	    " AND (valid_to IS NULL OR valid_to > ?)", NULL, NULL)             \
	X(ORDER_LINE_FILL,                                                     \
	    "UPDATE order_lines SET phone_number = COALESCE(?, phone_number)," \
	    " extension = COALESCE(?, extension), mailbox = COALESCE(?,"       \
	    " mailbox), serial = COALESCE(?, serial)"                          \
	    " WHERE order_id = ? AND line_no = ?", NULL, NULL)                 \
	X(ORDER_BUMP,                                                          \
	    "UPDATE orders SET version = version + 1, updated_at = ?"          \
	    " WHERE id = ? AND version = ?", NULL, NULL)                       \
	X(ORDER_EVENT_ADD,                                                     \
	    "INSERT INTO domain_events (at, kind, asset_id, order_id,"         \
	    " order_line_id, effective_on, payload)"                           \
	    " VALUES (?, ?, ?, ?, ?, ?, ?)", NULL, NULL)

#endif /* OMS_ORDERS_STMT_H */

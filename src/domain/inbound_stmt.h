/*
 * inbound_stmt.h: the statements of the inbound SOAP service's domain
 * side (src/domain/inbound.c; migrations 0010 and 0011): integration
 * accounts and their scope, the replay memory, vendor order status and
 * booked leases.  Entries are X(NAME, portable, sqlite, mariadb) as in
 * src/store/stmt.h.
 */
#ifndef OMS_INBOUND_STMT_H
#define OMS_INBOUND_STMT_H

#define OMS_STMTS_INBOUND(X)                                              \
	X(INTEGRATION_SCOPE_PUT,                                          \
	    "INSERT INTO integration_scopes (user_id, system, operations,"  \
	    " updated_at) VALUES (?, ?, ?, ?)", NULL, NULL)                \
	/* An enabled or disabled integration account by login, with its \
	 * scope (none without a scope row: such an account may nothing). */ \
	X(INTEGRATION_ACCOUNT,                                            \
	    "SELECT u.id, u.login, u.disabled, u.password_hash, s.system,"  \
	    " s.operations FROM users u JOIN integration_scopes s"         \
	    " ON s.user_id = u.id WHERE u.login = ?"                       \
	    " AND u.role = 'integration'", NULL, NULL)                     \
	X(INTEGRATION_SCOPE_GET,                                          \
	    "SELECT system, operations FROM integration_scopes"            \
	    " WHERE user_id = ?", NULL, NULL)                              \
	X(INBOUND_GET,                                                    \
	    "SELECT operation, body_sha256, http_status, response"         \
	    " FROM inbound_messages WHERE account_id = ? AND"              \
	    " message_id = ?", NULL, NULL)                                 \
	X(INBOUND_PUT,                                                    \
	    "INSERT INTO inbound_messages (account_id, message_id,"        \
	    " operation, body_sha256, http_status, response, created_at)"  \
	    " VALUES (?, ?, ?, ?, ?, ?, ?)", NULL, NULL)                   \
	/* An order line by the order's reference and the line number:    \
	 * line id, order id, asset, order state, version. */             \
	X(INBOUND_ORDER_LINE,                                             \
	    "SELECT l.id, o.id, l.asset_id, o.state, o.version"            \
	    " FROM order_lines l JOIN orders o ON o.id = l.order_id"       \
	    " WHERE o.ref = ? AND l.line_no = ?", NULL, NULL)              \
	/* The lines of an order the vendor has not reported installed. */ \
	X(INBOUND_LINES_OPEN,                                             \
	    "SELECT COUNT(*) FROM order_lines l LEFT JOIN vendor_orders v"  \
	    " ON v.order_line_id = l.id WHERE l.order_id = ? AND"          \
	    " (v.status IS NULL OR v.status <> 'installed')", NULL, NULL)  \
	/* order_line_id, order_id, asset_id, vendor_ref, status,         \
	 * scheduled_on, installed_on, serial, phone_number, note,        \
	 * message_id, updated_at: one row a line, the latest report wins \
	 * (a vendor_ref or date not given keeps the one known). */       \
	X(INBOUND_VENDOR_ORDER_PUT, NULL,                                 \
	    "INSERT INTO vendor_orders (order_line_id, order_id, asset_id," \
	    " vendor_ref, status, scheduled_on, installed_on, serial,"     \
	    " phone_number, note, message_id, updated_at)"                 \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"                 \
	    " ON CONFLICT (order_line_id) DO UPDATE SET"                   \
	    " asset_id = COALESCE(excluded.asset_id, vendor_orders.asset_id),"  \
	    " vendor_ref = COALESCE(excluded.vendor_ref, vendor_orders.vendor_ref)," \
	    " status = excluded.status,"                                   \
	    " scheduled_on = COALESCE(excluded.scheduled_on, vendor_orders.scheduled_on)," \
	    " installed_on = COALESCE(excluded.installed_on, vendor_orders.installed_on)," \
	    " serial = COALESCE(excluded.serial, vendor_orders.serial),"   \
	    " phone_number = COALESCE(excluded.phone_number, vendor_orders.phone_number)," \
	    " note = COALESCE(excluded.note, vendor_orders.note),"         \
	    " message_id = excluded.message_id,"                           \
	    " updated_at = excluded.updated_at",                           \
	    "INSERT INTO vendor_orders (order_line_id, order_id, asset_id," \
	    " vendor_ref, status, scheduled_on, installed_on, serial,"     \
	    " phone_number, note, message_id, updated_at)"                 \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"                 \
	    " ON DUPLICATE KEY UPDATE"                                     \
	    " asset_id = COALESCE(VALUES(asset_id), asset_id),"            \
	    " vendor_ref = COALESCE(VALUES(vendor_ref), vendor_ref),"      \
	    " status = VALUES(status),"                                    \
	    " scheduled_on = COALESCE(VALUES(scheduled_on), scheduled_on)," \
	    " installed_on = COALESCE(VALUES(installed_on), installed_on)," \
	    " serial = COALESCE(VALUES(serial), serial),"                  \
	    " phone_number = COALESCE(VALUES(phone_number), phone_number)," \
	    " note = COALESCE(VALUES(note), note),"                        \
	    " message_id = VALUES(message_id),"                            \
	    " updated_at = VALUES(updated_at)")                            \
	/* An asset by tag: id, site, customer. */                        \
	X(INBOUND_ASSET_BY_TAG,                                           \
	    "SELECT a.id, a.site_id, s.customer_id FROM assets a"          \
	    " JOIN sites s ON s.id = a.site_id WHERE a.tag = ?",           \
	    NULL, NULL)                                                    \
	/* asset_id, lease_number, term_months, starts_on, ends_on,       \
	 * monthly_cents, schedule, message_id, booked_at, updated_at. */ \
	X(INBOUND_LEASE_PUT, NULL,                                        \
	    "INSERT INTO asset_leases (asset_id, lease_number, status,"    \
	    " term_months, starts_on, ends_on, monthly_cents, schedule,"   \
	    " message_id, booked_at, updated_at)"                          \
	    " VALUES (?, ?, 'booked', ?, ?, ?, ?, ?, ?, ?, ?)"             \
	    " ON CONFLICT (asset_id) DO UPDATE SET"                        \
	    " lease_number = excluded.lease_number, status = 'booked',"    \
	    " term_months = excluded.term_months,"                         \
	    " starts_on = excluded.starts_on, ends_on = excluded.ends_on," \
	    " monthly_cents = excluded.monthly_cents,"                     \
	    " schedule = excluded.schedule,"                               \
	    " message_id = excluded.message_id,"                           \
	    " updated_at = excluded.updated_at",                           \
	    "INSERT INTO asset_leases (asset_id, lease_number, status,"    \
	    " term_months, starts_on, ends_on, monthly_cents, schedule,"   \
	    " message_id, booked_at, updated_at)"                          \
	    " VALUES (?, ?, 'booked', ?, ?, ?, ?, ?, ?, ?, ?)"             \
	    " ON DUPLICATE KEY UPDATE"                                     \
	    " lease_number = VALUES(lease_number), status = 'booked',"     \
	    " term_months = VALUES(term_months),"                          \
	    " starts_on = VALUES(starts_on), ends_on = VALUES(ends_on),"   \
	    " monthly_cents = VALUES(monthly_cents),"                      \
	    " schedule = VALUES(schedule),"                                \
	    " message_id = VALUES(message_id),"                            \
	    " updated_at = VALUES(updated_at)")                            \
	/* A site by its customer's code and its own code: site id,       \
	 * customer id. */                                                \
	X(INBOUND_SITE_BY_CODES,                                          \
	    "SELECT s.id, s.customer_id FROM sites s JOIN customers c"     \
	    " ON c.id = s.customer_id WHERE c.code = ? AND s.code = ?",    \
	    NULL, NULL)

#endif /* OMS_INBOUND_STMT_H */

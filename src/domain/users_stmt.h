/*
 * users_stmt.h: the statements of account management, gathered
 * into enum oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL,
 * SQLite variant, MariaDB variant); see src/store/stmt.h for the rules
 * of a list.
 */
#ifndef OMS_USERS_STMT_H
#define OMS_USERS_STMT_H

#define OMS_STMTS_USERS(X)                                                       \
	X(SITE_OWNER, "SELECT customer_id FROM sites WHERE id = ?",              \
	    NULL, NULL)                                                          \
	X(USER_AUTH_BY_ID, "SELECT id FROM users WHERE id = ?",                  \
	    NULL, NULL)                                                          \
	X(USER_SET_PASSWORD,                                                     \
	    "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",   \
	    NULL, NULL)                                                          \
	X(USER_ADD,                                                              \
	    "INSERT INTO users (login, display_name, email, role,"               \
	    " organisation, customer_id, disabled, password_hash, created_at,"   \
	    " updated_at, approver) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",   \
	    NULL, NULL)                                                          \
	X(USER_UPDATE,                                                           \
	    "UPDATE users SET display_name = ?, email = ?, role = ?,"            \
	    " organisation = ?, customer_id = ?, updated_at = ?, approver = ?"   \
	    " WHERE id = ?",                                                     \
	    NULL, NULL)                                                          \
	X(USER_SET_DISABLED,                                                     \
	    "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",        \
	    NULL, NULL)                                                          \
	X(USER_LIST,                                                             \
	    "SELECT id, login, display_name, email, role, organisation,"         \
	    " customer_id, disabled, approver FROM users ORDER BY login",                  \
	    NULL, NULL)                                                          \
	X(USER_GET,                                                              \
	    "SELECT id, login, display_name, email, role, organisation,"         \
	    " customer_id, disabled, approver FROM users WHERE id = ?",                    \
	    NULL, NULL)                                                          \
	X(USER_SITES_LIST,                                                       \
	    "SELECT site_id FROM user_sites WHERE user_id = ? ORDER BY site_id", \
	    NULL, NULL)                                                          \
	X(USER_SITES_CLEAR, "DELETE FROM user_sites WHERE user_id = ?",          \
	    NULL, NULL)                                                          \
	X(USER_SITES_ADD,                                                        \
	    "INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)",           \
	    NULL, NULL)

#endif /* OMS_USERS_STMT_H */

/*
 * auth_stmt.h: the statements of logins, sessions and login throttling,
 * gathered into enum oms_stmt by stmts.h.  Each entry is X(NAME,
 * portable SQL, SQLite variant, MariaDB variant); see src/store/stmt.h
 * for the rules of a list.
 */
#ifndef OMS_AUTH_STMT_H
#define OMS_AUTH_STMT_H

#define OMS_STMTS_AUTH(X)                                                        \
	X(USER_AUTH,                                                             \
	    "SELECT id, disabled, password_hash FROM users WHERE login = ?"      \
	    " AND role <> 'integration'",                                        \
	    NULL, NULL)                                                          \
	X(USER_SET_PASSWORD_RAW,                                                 \
	    "UPDATE users SET password_hash = ? WHERE id = ?",                   \
	    NULL, NULL)                                                          \
	X(SESSION_ADD,                                                           \
	    "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at," \
	    " address) VALUES (?, ?, ?, ?, ?, ?)",                               \
	    NULL, NULL)                                                          \
	X(SESSION_GET,                                                           \
	    "SELECT u.id, u.login, u.display_name, u.role, u.customer_id,"       \
	    " u.disabled, s.csrf, s.created_at, s.seen_at,"                      \
	    " (SELECT COUNT(*) FROM user_sites us WHERE us.user_id = u.id),"     \
	    " u.organisation, u.email, u.approver"                               \
	    " FROM sessions s JOIN users u ON u.id = s.user_id"                  \
	    " WHERE s.id_hash = ?",                                              \
	    NULL, NULL)                                                          \
	X(SESSION_TOUCH, "UPDATE sessions SET seen_at = ? WHERE id_hash = ?",    \
	    NULL, NULL)                                                          \
	X(SESSION_DELETE, "DELETE FROM sessions WHERE id_hash = ?",              \
	    NULL, NULL)                                                          \
	X(SESSION_DELETE_USER, "DELETE FROM sessions WHERE user_id = ?",         \
	    NULL, NULL)                                                          \
	X(SESSION_SWEEP,                                                         \
	    "DELETE FROM sessions WHERE seen_at < ? OR created_at < ?",          \
	    NULL, NULL)                                                          \
	/* Login throttling: login_failures rows by (kind, k, address),     \
	 * address '' for kind 'address'. */                                  \
	X(THROTTLE_LOCK,                                                         \
	    "SELECT window_start, failures FROM login_failures"                  \
	    " WHERE kind = ? AND k = ? AND address = ? FOR UPDATE",              \
	    /* SQLite: BEGIN IMMEDIATE already holds the write lock. */          \
	    "SELECT window_start, failures FROM login_failures"                  \
	    " WHERE kind = ? AND k = ? AND address = ?",                         \
	    NULL)                                                                \
	X(THROTTLE_DELETE,                                                       \
	    "DELETE FROM login_failures WHERE kind = ? AND k = ? AND address = ?", \
	    NULL, NULL)                                                          \
	X(THROTTLE_ADD,                                                          \
	    "INSERT INTO login_failures (kind, k, address, window_start,"        \
	    " failures) VALUES (?, ?, ?, ?, ?)",                                 \
	    NULL, NULL)                                                          \
	X(THROTTLE_UNCOUNT,                                                      \
	    "UPDATE login_failures SET failures = failures - 1"                  \
	    " WHERE kind = ? AND k = ? AND address = ? AND failures > 0",        \
	    NULL, NULL)                                                          \
	/* Parameters: the oldest window_start an address row keeps, then   \
	 * the oldest a login row keeps (its wait may outlast the window). */ \
	X(THROTTLE_SWEEP,                                                        \
	    "DELETE FROM login_failures WHERE (kind = 'address' AND"             \
	    " window_start < ?) OR (kind = 'login' AND window_start < ?)",       \
	    NULL, NULL)

#endif /* OMS_AUTH_STMT_H */

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
	    "SELECT id, disabled, password_hash FROM users WHERE login = ?",     \
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
	    " u.organisation, u.email"                                           \
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
	X(SESSION_CLEAR, "DELETE FROM sessions",                                 \
	    NULL, NULL)                                                          \
	X(FAIL_SWEEP, "DELETE FROM login_failures WHERE window_start < ?",       \
	    NULL, NULL)                                                          \
	X(FAIL_CLEAR, "DELETE FROM login_failures",                              \
	    NULL, NULL)                                                          \
	X(FAIL_LOCK,                                                             \
	    "SELECT window_start, failures FROM login_failures"                  \
	    " WHERE kind = ? AND k = ? FOR UPDATE",                              \
	    "SELECT window_start, failures FROM login_failures"                  \
	    " WHERE kind = ? AND k = ?",                                         \
	    NULL)                                                                \
	X(FAIL_UNCOUNT,                                                          \
	    "UPDATE login_failures SET failures = failures - 1"                  \
	    " WHERE kind = ? AND k = ? AND failures > 0",                        \
	    NULL, NULL)                                                          \
	X(FAIL_DELETE, "DELETE FROM login_failures WHERE kind = ? AND k = ?",    \
	    NULL, NULL)                                                          \
	X(FAIL_ADD,                                                              \
	    "INSERT INTO login_failures (kind, k, window_start, failures)"       \
	    " VALUES (?, ?, ?, ?)",                                              \
	    NULL, NULL)

#endif /* OMS_AUTH_STMT_H */

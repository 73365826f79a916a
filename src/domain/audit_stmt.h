/*
 * audit_stmt.h: the statements of the hash-chained audit log, gathered
 * into enum oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL,
 * SQLite variant, MariaDB variant); see src/store/stmt.h for the rules
 * of a list.
 */
#ifndef OMS_AUDIT_STMT_H
#define OMS_AUDIT_STMT_H

/* The audit page's filters: entity, login, action (each NULL for any). */
#define OMS_SQL_AUDIT_WHERE                                                 \
	" WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR login = ?)"     \
	" AND (? IS NULL OR action = ?)"

#define OMS_STMTS_AUDIT(X)                                                       \
	X(AUDIT_HASH, "SELECT hash FROM audit_log WHERE id = ?",                 \
	    NULL, NULL)                                                          \
	X(AUDIT_ADD,                                                             \
	    "INSERT INTO audit_log (id, at, user_id, login, address, entity,"    \
	    " entity_id, action, before_value, after_value, prev_hash, hash)"    \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",                      \
	    NULL, NULL)                                                          \
	X(AUDIT_ALL,                                                             \
	    "SELECT id, at, user_id, login, address, entity, entity_id, action," \
	    " before_value, after_value, prev_hash, hash FROM audit_log"         \
	    " ORDER BY id",                                                      \
	    NULL, NULL)                                                          \
	X(AUDIT_COUNT,                                                           \
	    "SELECT COUNT(*) FROM audit_log" OMS_SQL_AUDIT_WHERE,                        \
	    NULL, NULL)                                                          \
	X(AUDIT_LIST,                                                            \
	    "SELECT id, at, login, address, entity, entity_id, action,"          \
	    " before_value, after_value FROM audit_log" OMS_SQL_AUDIT_WHERE              \
	    " ORDER BY id DESC LIMIT ? OFFSET ?",                                \
	    NULL, NULL)

#endif /* OMS_AUDIT_STMT_H */

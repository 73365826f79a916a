/*
 * history_stmt.h: the statements of asset history (history.c), gathered
 * into enum oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL,
 * SQLite variant, MariaDB variant); see src/store/stmt.h for the rules
 * of a list.
 */
#ifndef OMS_HISTORY_STMT_H
#define OMS_HISTORY_STMT_H

/* A state with the codes and the order reference it is shown with. */
#define OMS_SQL_STATE_SELECT                                                \
	"SELECT s.id, s.asset_id, s.seq, s.valid_from, s.valid_to,"         \
	" s.site_id, s.cost_centre_id, s.product_id, s.ports, s.status,"    \
	" s.phone_number, s.extension, s.mailbox, s.serial,"                \
	" s.order_line_id, si.code, c.code, p.code, o.ref"                  \
	" FROM asset_states s"                                              \
	" JOIN sites si ON si.id = s.site_id"                               \
	" JOIN cost_centres c ON c.id = s.cost_centre_id"                   \
	" JOIN products p ON p.id = s.product_id"                           \
	" LEFT JOIN order_lines l ON l.id = s.order_line_id"                \
	" LEFT JOIN orders o ON o.id = l.order_id"

#define OMS_STMTS_HISTORY(X)                                                   \
	X(HIST_LIST, OMS_SQL_STATE_SELECT                                      \
	    " WHERE s.asset_id = ? ORDER BY s.seq", NULL, NULL)                \
	/* The state of a day: empty states (from = to) never match. */       \
	X(HIST_AT, OMS_SQL_STATE_SELECT                                        \
	    " WHERE s.asset_id = ? AND s.valid_from <= ?"                      \
	    " AND (s.valid_to IS NULL OR s.valid_to > ?)"                      \
	    " ORDER BY s.seq DESC LIMIT 1", NULL, NULL)                        \
	X(HIST_LAST,                                                           \
	    "SELECT s.id, s.seq, s.valid_from, s.valid_to, s.status,"          \
	    " a.installed_on FROM asset_states s"                              \
	    " JOIN assets a ON a.id = s.asset_id"                              \
	    " WHERE s.asset_id = ? ORDER BY s.seq DESC LIMIT 1", NULL, NULL)   \
	X(HIST_CLOSE,                                                          \
	    "UPDATE asset_states SET valid_to = ? WHERE id = ?", NULL, NULL)   \
	X(HIST_ADD,                                                            \
	    "INSERT INTO asset_states (asset_id, seq, valid_from, valid_to,"   \
	    " site_id, cost_centre_id, product_id, ports, status,"             \
	    " phone_number, extension, mailbox, serial, order_line_id)"        \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", NULL, NULL)  \
	/* The assets row mirrors the latest state. */                        \
	X(HIST_ASSET_SYNC,                                                     \
	    "UPDATE assets SET site_id = ?, cost_centre_id = ?,"               \
	    " product_id = ?, ports = ?, status = ?, phone_number = ?,"        \
	    " extension = ?, mailbox = ?, serial = ?, removed_on = ?"          \
	    " WHERE id = ?", NULL, NULL)                                       \
	X(HIST_ASSET_ADD,                                                      \
	    "INSERT INTO assets (site_id, cost_centre_id, product_id, status," \
	    " ports, phone_number, extension, mailbox, serial, installed_on,"  \
	    " removed_on, tag, parent_id)"                                     \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)", NULL, NULL)  \
	X(HIST_MAX_ID, "SELECT COALESCE(MAX(id), 0) FROM assets", NULL, NULL) \
	X(HIST_TAG_USED,                                                       \
	    "SELECT COUNT(*) FROM assets WHERE tag = ?", NULL, NULL)

#endif /* OMS_HISTORY_STMT_H */

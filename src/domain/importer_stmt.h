/*
 * importer_stmt.h: the statements of bulk import and export
 * (importer.c), gathered into enum oms_stmt by stmts.h.  Each entry is
 * X(NAME, portable SQL, SQLite variant, MariaDB variant); see
 * src/store/stmt.h for the rules of a list.
 *
 * Exports order by their key columns in byte order: SQLite compares
 * text with memcmp already; MariaDB's inventory tables use a
 * case-insensitive collation, so its variants say COLLATE utf8mb4_bin.
 */
#ifndef OMS_IMPORTER_STMT_H
#define OMS_IMPORTER_STMT_H

/* An asset by tag with its first state (what its import row said),
 * and what an add-on's checks need of it today. */
#define OMS_SQL_IMP_ASSET                                                   \
	"SELECT a.id, cu.code, si.code, cc.code, p.code, s.ports,"          \
	" s.phone_number, s.extension, s.mailbox, s.serial,"                \
	" a.installed_on, pa.tag, a.site_id, a.cost_centre_id,"             \
	" cp.asset_type, a.parent_id, a.removed_on"                         \
	" FROM assets a"                                                    \
	" JOIN asset_states s ON s.asset_id = a.id AND s.seq = 1"           \
	" JOIN sites si ON si.id = s.site_id"                               \
	" JOIN customers cu ON cu.id = si.customer_id"                      \
	" JOIN cost_centres cc ON cc.id = s.cost_centre_id"                 \
	" JOIN products p ON p.id = s.product_id"                           \
	" JOIN products cp ON cp.id = a.product_id"                         \
	" LEFT JOIN assets pa ON pa.id = a.parent_id"

#define OMS_SQL_IMP_EXPORT_ASSETS                                           \
	"SELECT a.tag, cu.code, si.code, cc.code, p.code, s.ports,"         \
	" s.phone_number, s.extension, s.mailbox, s.serial,"                \
	" a.installed_on, pa.tag FROM assets a"                             \
	" JOIN asset_states s ON s.asset_id = a.id AND s.seq = 1"           \
	" JOIN sites si ON si.id = s.site_id"                               \
	" JOIN customers cu ON cu.id = si.customer_id"                      \
	" JOIN cost_centres cc ON cc.id = s.cost_centre_id"                 \
	" JOIN products p ON p.id = s.product_id"                           \
	" LEFT JOIN assets pa ON pa.id = a.parent_id"

#define OMS_SQL_IMP_EXPORT_SITES                                            \
	"SELECT c.code, s.code, s.name, s.address, s.city, s.region,"       \
	" s.postcode, s.country FROM sites s"                               \
	" JOIN customers c ON c.id = s.customer_id"

#define OMS_SQL_IMP_EXPORT_CCS                                              \
	"SELECT c.code, k.code, k.name FROM cost_centres k"                 \
	" JOIN customers c ON c.id = k.customer_id"

#define OMS_SQL_IMP_EXPORT_CUSTOMERS                                        \
	"SELECT code, name, address, city, region, postcode, country,"      \
	" currency, terms_days FROM customers"

#define OMS_STMTS_IMPORTER(X)                                                  \
	X(IMP_CUSTOMER_GET,                                                    \
	    "SELECT id, name, address, city, region, postcode, country,"       \
	    " currency, terms_days FROM customers WHERE code = ?", NULL, NULL) \
	X(IMP_CUSTOMER_ADD,                                                    \
	    "INSERT INTO customers (code, name, address, city, region,"        \
	    " postcode, country, currency, terms_days, created_at)"            \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", NULL, NULL)              \
	X(IMP_CUSTOMER_SET,                                                    \
	    "UPDATE customers SET name = ?, address = ?, city = ?,"            \
	    " region = ?, postcode = ?, country = ?, currency = ?,"            \
	    " terms_days = ? WHERE id = ?", NULL, NULL)                        \
	X(IMP_SITE_GET,                                                        \
	    "SELECT id, name, address, city, region, postcode, country"        \
	    " FROM sites WHERE customer_id = ? AND code = ?", NULL, NULL)      \
	X(IMP_SITE_ADD,                                                        \
	    "INSERT INTO sites (customer_id, code, name, address, city,"       \
	    " region, postcode, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",     \
	    NULL, NULL)                                                        \
	X(IMP_SITE_SET,                                                        \
	    "UPDATE sites SET name = ?, address = ?, city = ?, region = ?,"    \
	    " postcode = ?, country = ? WHERE id = ?", NULL, NULL)             \
	/* Whose a site code is, when it is not the row's customer's. */      \
	X(IMP_SITE_OWNER,                                                      \
	    "SELECT c.code FROM sites s JOIN customers c"                      \
	    " ON c.id = s.customer_id WHERE s.code = ? ORDER BY c.id LIMIT 1", \
	    NULL, NULL)                                                        \
	X(IMP_CC_GET,                                                          \
	    "SELECT id, name FROM cost_centres WHERE customer_id = ?"          \
	    " AND code = ?", NULL, NULL)                                       \
	X(IMP_CC_ADD,                                                          \
	    "INSERT INTO cost_centres (customer_id, code, name)"               \
	    " VALUES (?, ?, ?)", NULL, NULL)                                   \
	X(IMP_CC_SET,                                                          \
	    "UPDATE cost_centres SET name = ? WHERE id = ?", NULL, NULL)       \
	X(IMP_CC_OWNER,                                                        \
	    "SELECT c.code FROM cost_centres k JOIN customers c"               \
	    " ON c.id = k.customer_id WHERE k.code = ? ORDER BY c.id LIMIT 1", \
	    NULL, NULL)                                                        \
	X(IMP_PRODUCT_GET,                                                     \
	    "SELECT id, asset_type, min_ports, max_ports FROM products"        \
	    " WHERE code = ?", NULL, NULL)                                     \
	X(IMP_ASSET_GET, OMS_SQL_IMP_ASSET " WHERE a.tag = ?", NULL, NULL)     \
	X(IMP_EXPORT_CUSTOMERS, OMS_SQL_IMP_EXPORT_CUSTOMERS " ORDER BY code", \
	    NULL, OMS_SQL_IMP_EXPORT_CUSTOMERS                                 \
	    " ORDER BY code COLLATE utf8mb4_bin")                              \
	X(IMP_EXPORT_SITES, OMS_SQL_IMP_EXPORT_SITES                           \
	    " ORDER BY c.code, s.code", NULL, OMS_SQL_IMP_EXPORT_SITES         \
	    " ORDER BY c.code COLLATE utf8mb4_bin, s.code COLLATE utf8mb4_bin") \
	X(IMP_EXPORT_CCS, OMS_SQL_IMP_EXPORT_CCS " ORDER BY c.code, k.code",   \
	    NULL, OMS_SQL_IMP_EXPORT_CCS                                       \
	    " ORDER BY c.code COLLATE utf8mb4_bin, k.code COLLATE utf8mb4_bin") \
	X(IMP_EXPORT_ASSETS, OMS_SQL_IMP_EXPORT_ASSETS " ORDER BY a.tag",      \
	    NULL, OMS_SQL_IMP_EXPORT_ASSETS " ORDER BY a.tag COLLATE utf8mb4_bin")

#endif /* OMS_IMPORTER_STMT_H */

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

#define OMS_SQL_IMP_EXPORT_PRODUCTS                                         \
	"SELECT code, name, asset_type, charge, usage_unit FROM products"

#define OMS_SQL_IMP_EXPORT_PRICES                                           \
	"SELECT p.code, x.valid_from, x.monthly_cents FROM product_prices x" \
	" JOIN products p ON p.id = x.product_id"

/* One row a tier: export gathers the tiers of one usage price. */
#define OMS_SQL_IMP_EXPORT_USAGE                                            \
	"SELECT p.code, u.valid_from, u.unit, u.included, t.from_units,"    \
	" t.rate_micros, u.id FROM usage_prices u"                          \
	" JOIN products p ON p.id = u.product_id"                           \
	" JOIN usage_tiers t ON t.usage_price_id = u.id"

#define OMS_SQL_IMP_EXPORT_FEES                                             \
	"SELECT f.action, COALESCE(p.code, ''), f.valid_from,"              \
	" f.amount_cents FROM fees f"                                       \
	" LEFT JOIN products p ON p.id = f.product_id"

#define OMS_SQL_IMP_EXPORT_CONTRACTS                                        \
	"SELECT c.code, p.code, x.valid_from, x.valid_to, x.monthly_cents"  \
	" FROM contract_prices x JOIN customers c ON c.id = x.customer_id"  \
	" JOIN products p ON p.id = x.product_id"

#define OMS_SQL_IMP_EXPORT_TAX                                              \
	"SELECT jurisdiction, tax, valid_from, rate_ppm FROM tax_rates"

/* An order's lines in the columns of the orders file (BILLING.md):
 * the tag of an add or add-on line is the one asked for, else the
 * tag of the asset acted on. */
#define OMS_SQL_IMP_ORDER_ROWS                                              \
	"SELECT o.ref, l.line_no, l.action, cu.code,"                       \
	" CASE WHEN l.action IN ('add', 'addon')"                           \
	" THEN COALESCE(l.asset_tag, a.tag) ELSE a.tag END,"                \
	" si.code, cc.code, p.code, l.ports, l.phone_number, l.extension,"  \
	" l.mailbox, l.serial, pa.tag, o.requested_on, o.completed_on,"     \
	" l.fee_override_cents, l.override_reason"                          \
	" FROM orders o JOIN order_lines l ON l.order_id = o.id"            \
	" JOIN customers cu ON cu.id = o.customer_id"                       \
	" LEFT JOIN assets a ON a.id = l.asset_id"                          \
	" LEFT JOIN assets pa ON pa.id = l.parent_id"                       \
	" LEFT JOIN sites si ON si.id = l.site_id"                          \
	" LEFT JOIN cost_centres cc ON cc.id = l.cost_centre_id"            \
	" LEFT JOIN products p ON p.id = l.product_id"

/* The orders export: completed ones and those still in the workflow. */
#define OMS_SQL_IMP_EXPORT_ORDERS_WHERE                                     \
	" WHERE o.state NOT IN ('rejected', 'cancelled', 'draft')"

#define OMS_BIN " COLLATE utf8mb4_bin"

/* The usage, payments and adjustments files, as export writes them. */
#define OMS_SQL_IMP_EXPORT_USAGE_RECORDS                                    \
	"SELECT u.record_id, a.tag, u.used_on, u.quantity"                  \
	" FROM usage_records u JOIN assets a ON a.id = u.asset_id"

#define OMS_SQL_IMP_EXPORT_PAYMENTS                                         \
	"SELECT p.reference, c.code, p.paid_on, p.amount_cents, p.method"   \
	" FROM payments p JOIN customers c ON c.id = p.customer_id"

#define OMS_SQL_IMP_ADJUSTMENT                                              \
	"SELECT j.reference, c.code, j.dated_on, j.amount_cents,"           \
	" j.description, CASE WHEN j.taxable = 1 THEN 'yes' ELSE 'no' END," \
	" COALESCE(s.code, ''), COALESCE(k.code, ''), j.id"                 \
	" FROM adjustments j JOIN customers c ON c.id = j.customer_id"      \
	" LEFT JOIN sites s ON s.id = j.site_id"                            \
	" LEFT JOIN cost_centres k ON k.id = j.cost_centre_id"

/* Clean asset rows are written OMS_IMP_BATCH at a time (importer.c):
 * the statements below repeat their row OMS_IMP_BATCH (100) times. */
#define OMS_IMP_BATCH 100
#define OMS_IMP_R2(a) a ", " a
#define OMS_IMP_R4(a) OMS_IMP_R2(OMS_IMP_R2(a))
#define OMS_IMP_R32(a) OMS_IMP_R4(OMS_IMP_R4(OMS_IMP_R2(a)))
#define OMS_IMP_R100(a) OMS_IMP_R32(a) ", " OMS_IMP_R32(a) ", "           \
	OMS_IMP_R32(a) ", " OMS_IMP_R4(a)

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
	/* Assets an order made are the orders file's, not this one's. */    \
	X(IMP_EXPORT_ASSETS, OMS_SQL_IMP_EXPORT_ASSETS                         \
	    " WHERE s.order_line_id IS NULL ORDER BY a.tag", NULL,             \
	    OMS_SQL_IMP_EXPORT_ASSETS " WHERE s.order_line_id IS NULL"         \
	    " ORDER BY a.tag COLLATE utf8mb4_bin")                             \
	/* A product with everything its import row compares. */             \
	X(IMP_PRODUCT_FULL,                                                    \
	    "SELECT id, name, asset_type, charge, usage_unit, min_ports,"      \
	    " max_ports FROM products WHERE code = ?", NULL, NULL)             \
	X(IMP_EXPORT_PRODUCTS, OMS_SQL_IMP_EXPORT_PRODUCTS " ORDER BY code",   \
	    NULL, OMS_SQL_IMP_EXPORT_PRODUCTS " ORDER BY code" OMS_BIN)        \
	X(IMP_EXPORT_PRICES, OMS_SQL_IMP_EXPORT_PRICES                         \
	    " ORDER BY p.code, x.valid_from", NULL, OMS_SQL_IMP_EXPORT_PRICES  \
	    " ORDER BY p.code" OMS_BIN ", x.valid_from")                       \
	X(IMP_EXPORT_USAGE, OMS_SQL_IMP_EXPORT_USAGE                           \
	    " ORDER BY p.code, u.valid_from, t.from_units", NULL,              \
	    OMS_SQL_IMP_EXPORT_USAGE " ORDER BY p.code" OMS_BIN                \
	    ", u.valid_from, t.from_units")                                    \
	X(IMP_EXPORT_FEES, OMS_SQL_IMP_EXPORT_FEES                             \
	    " ORDER BY f.action, COALESCE(p.code, ''), f.valid_from", NULL,    \
	    OMS_SQL_IMP_EXPORT_FEES " ORDER BY f.action" OMS_BIN               \
	    ", COALESCE(p.code, '')" OMS_BIN ", f.valid_from")                 \
	X(IMP_EXPORT_CONTRACTS, OMS_SQL_IMP_EXPORT_CONTRACTS                   \
	    " ORDER BY c.code, p.code, x.valid_from", NULL,                    \
	    OMS_SQL_IMP_EXPORT_CONTRACTS " ORDER BY c.code" OMS_BIN            \
	    ", p.code" OMS_BIN ", x.valid_from")                               \
	X(IMP_EXPORT_TAX, OMS_SQL_IMP_EXPORT_TAX                               \
	    " ORDER BY jurisdiction, tax, valid_from", NULL,                   \
	    OMS_SQL_IMP_EXPORT_TAX " ORDER BY jurisdiction" OMS_BIN            \
	    ", tax" OMS_BIN ", valid_from")                                    \
	X(IMP_EXPORT_ORDERS, OMS_SQL_IMP_ORDER_ROWS                            \
	    OMS_SQL_IMP_EXPORT_ORDERS_WHERE " ORDER BY o.ref, l.line_no", NULL, \
	    OMS_SQL_IMP_ORDER_ROWS OMS_SQL_IMP_EXPORT_ORDERS_WHERE             \
	    " ORDER BY o.ref" OMS_BIN ", l.line_no")                           \
	/* The lines of one order by its reference, as export writes them. */ \
	X(IMP_ORDER_ROWS, OMS_SQL_IMP_ORDER_ROWS                               \
	    " WHERE o.ref = ? ORDER BY l.line_no", NULL, NULL)                 \
	X(IMP_ORDER_STATE,                                                     \
	    "SELECT state, version FROM orders WHERE id = ?", NULL, NULL)      \
	/* An asset by tag, for an order line: its id and customer. */       \
	/* Which of a batch's tags are taken, and the ids of a batch just  \
	 * written, in the order written. */                                 \
	X(IMP_BATCH_TAGS,                                                      \
	    "SELECT id, tag FROM assets WHERE tag IN ("                        \
	    OMS_IMP_R100("?") ") ORDER BY id", NULL, NULL)                     \
	/* A batch of assets and their first states: the rows               \
	 * oms_history_install() writes, many at a time. */                 \
	X(IMP_BATCH_ASSETS,                                                    \
	    "INSERT INTO assets (site_id, cost_centre_id, product_id, status," \
	    " ports, phone_number, extension, mailbox, serial, installed_on,"  \
	    " removed_on, tag, parent_id) VALUES "                             \
	    OMS_IMP_R100("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)"),     \
	    NULL, NULL)                                                        \
	X(IMP_BATCH_STATES,                                                    \
	    "INSERT INTO asset_states (asset_id, seq, valid_from, valid_to,"   \
	    " site_id, cost_centre_id, product_id, ports, status,"             \
	    " phone_number, extension, mailbox, serial, order_line_id) VALUES "\
	    OMS_IMP_R100("(?, 1, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"),  \
	    NULL, NULL)                                                        \
	X(IMP_ASSET_ID,                                                        \
	    "SELECT a.id, s.customer_id FROM assets a"                         \
	    " JOIN sites s ON s.id = a.site_id WHERE a.tag = ?", NULL, NULL)   \
	/* The last day already invoiced to a customer: the last issued    \
	 * period since its first (NULL: none; no first_period: none). */  \
	X(IMP_INVOICED,                                                        \
	    "SELECT MAX(b.period) FROM billing_periods b"                      \
	    " JOIN customers c ON c.id = ? WHERE b.state = 'issued'"           \
	    " AND c.first_period IS NOT NULL AND b.period >= c.first_period",  \
	    NULL, NULL)                                                        \
	/* What a usage record needs of its asset: id, customer, service. */ \
	X(IMP_USAGE_ASSET,                                                     \
	    "SELECT a.id, s.customer_id, a.installed_on, a.removed_on"         \
	    " FROM assets a JOIN sites s ON s.id = a.site_id"                  \
	    " WHERE a.tag = ?", NULL, NULL)                                    \
	X(IMP_USAGE_GET,                                                       \
	    "SELECT u.asset_id, u.used_on, u.quantity, a.tag"                  \
	    " FROM usage_records u JOIN assets a ON a.id = u.asset_id"         \
	    " WHERE u.record_id = ?", NULL, NULL)                              \
	X(IMP_USAGE_ADD,                                                       \
	    "INSERT INTO usage_records (record_id, asset_id, customer_id,"     \
	    " used_on, quantity) VALUES (?, ?, ?, ?, ?)", NULL, NULL)          \
	/* Whether any record of a batch is known already. */               \
	X(IMP_USAGE_KNOWN,                                                     \
	    "SELECT id FROM usage_records WHERE record_id IN ("                \
	    OMS_IMP_R100("?") ") LIMIT 1", NULL, NULL)                         \
	X(IMP_USAGE_BATCH,                                                     \
	    "INSERT INTO usage_records (record_id, asset_id, customer_id,"     \
	    " used_on, quantity) VALUES " OMS_IMP_R100("(?, ?, ?, ?, ?)"),     \
	    NULL, NULL)                                                        \
	X(IMP_EXPORT_USAGE_RECORDS, OMS_SQL_IMP_EXPORT_USAGE_RECORDS           \
	    " ORDER BY u.record_id", NULL, OMS_SQL_IMP_EXPORT_USAGE_RECORDS    \
	    " ORDER BY u.record_id" OMS_BIN)                                   \
	X(IMP_PAYMENT_GET, OMS_SQL_IMP_EXPORT_PAYMENTS                         \
	    " WHERE p.reference = ?", NULL, NULL)                              \
	X(IMP_PAYMENT_ADD,                                                     \
	    "INSERT INTO payments (reference, customer_id, paid_on,"           \
	    " amount_cents, method, invoice_id, created_at, created_by)"       \
	    " VALUES (?, ?, ?, ?, ?, NULL, ?, ?)", NULL, NULL)                 \
	X(IMP_EXPORT_PAYMENTS, OMS_SQL_IMP_EXPORT_PAYMENTS                     \
	    " ORDER BY p.reference", NULL, OMS_SQL_IMP_EXPORT_PAYMENTS         \
	    " ORDER BY p.reference" OMS_BIN)                                   \
	X(IMP_ADJUSTMENT_GET, OMS_SQL_IMP_ADJUSTMENT " WHERE j.reference = ?", \
	    NULL, NULL)                                                        \
	X(IMP_ADJUSTMENT_ADD,                                                  \
	    "INSERT INTO adjustments (reference, customer_id, dated_on,"       \
	    " amount_cents, description, taxable, site_id, cost_centre_id,"    \
	    " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  \
	    NULL, NULL)                                                        \
	X(IMP_EXPORT_ADJUSTMENTS, OMS_SQL_IMP_ADJUSTMENT                       \
	    " ORDER BY j.reference", NULL, OMS_SQL_IMP_ADJUSTMENT              \
	    " ORDER BY j.reference" OMS_BIN)

#endif /* OMS_IMPORTER_STMT_H */

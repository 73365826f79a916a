/*
 * catalog_stmt.h: the statements of the catalog (catalog.c): products,
 * their effective-dated prices, usage prices with tiers, fees, contract
 * prices and tax rates, gathered into enum oms_stmt by stmts.h.  Each
 * entry is X(NAME, portable SQL, SQLite variant, MariaDB variant); see
 * src/store/stmt.h for the rules of a list.
 *
 * Dates are CHAR(10) "YYYY-MM-DD" text, which compares in date order,
 * so "in effect on day d" is valid_from <= d (and d < valid_to).
 */
#ifndef OMS_CATALOG_STMT_H
#define OMS_CATALOG_STMT_H

/* A product with its catalog price on a day (the first ?) and the
 * number of its assets not removed. */
#define OMS_SQL_PRODUCT_SELECT                                              \
	"SELECT p.id, p.code, p.name, p.asset_type, p.charge,"              \
	" p.usage_unit, p.min_ports, p.max_ports,"                          \
	" (SELECT pp.monthly_cents FROM product_prices pp"                  \
	"  WHERE pp.product_id = p.id AND pp.valid_from <= ?"               \
	"  ORDER BY pp.valid_from DESC LIMIT 1),"                           \
	" (SELECT COUNT(*) FROM assets a WHERE a.product_id = p.id"         \
	"  AND a.status <> 'removed')"                                      \
	" FROM products p"

/* The same columns without the count of assets (-1), which costs a
 * scan of the product's assets: for pricing, where it is not shown. */
#define OMS_SQL_PRODUCT_SELECT_LITE                                         \
	"SELECT p.id, p.code, p.name, p.asset_type, p.charge,"              \
	" p.usage_unit, p.min_ports, p.max_ports,"                          \
	" (SELECT pp.monthly_cents FROM product_prices pp"                  \
	"  WHERE pp.product_id = p.id AND pp.valid_from <= ?"               \
	"  ORDER BY pp.valid_from DESC LIMIT 1), -1"                        \
	" FROM products p"

/* A fee with the code of its product (NULL for any product). */
#define OMS_SQL_FEE_SELECT                                                  \
	"SELECT f.id, f.action, f.product_id, p.code, f.valid_from,"        \
	" f.amount_cents FROM fees f"                                       \
	" LEFT JOIN products p ON p.id = f.product_id"

/* A contract price with its customer's and product's codes. */
#define OMS_SQL_CONTRACT_SELECT                                             \
	"SELECT cp.id, cp.customer_id, c.code, cp.product_id, p.code,"      \
	" cp.valid_from, cp.valid_to, cp.monthly_cents"                     \
	" FROM contract_prices cp"                                          \
	" JOIN customers c ON c.id = cp.customer_id"                        \
	" JOIN products p ON p.id = cp.product_id"

#define OMS_SQL_USAGE_SELECT                                                \
	"SELECT id, product_id, valid_from, unit, included FROM usage_prices"

#define OMS_STMTS_CATALOG(X)                                                   \
	X(CAT_PRODUCT_LIST, OMS_SQL_PRODUCT_SELECT " ORDER BY p.code",         \
	    NULL, NULL)                                                        \
	X(CAT_PRODUCT_BY_ID, OMS_SQL_PRODUCT_SELECT " WHERE p.id = ?",         \
	    NULL, NULL)                                                        \
	X(CAT_PRODUCT_BY_CODE, OMS_SQL_PRODUCT_SELECT " WHERE p.code = ?",     \
	    NULL, NULL)                                                        \
	X(CAT_PRODUCT_LITE_BY_ID, OMS_SQL_PRODUCT_SELECT_LITE " WHERE p.id = ?", \
	    NULL, NULL)                                                        \
	/* Any asset, removed or not, and any state names the product. */     \
	X(CAT_PRODUCT_USED,                                                    \
	    "SELECT (SELECT COUNT(*) FROM assets WHERE product_id = ?) +"      \
	    " (SELECT COUNT(*) FROM asset_states WHERE product_id = ?)",       \
	    NULL, NULL)                                                        \
	X(CAT_PRODUCT_ADD,                                                     \
	    "INSERT INTO products (code, name, asset_type, charge,"            \
	    " usage_unit, min_ports, max_ports) VALUES (?, ?, ?, ?, ?, ?, ?)", \
	    NULL, NULL)                                                        \
	X(CAT_PRODUCT_UPDATE,                                                  \
	    "UPDATE products SET name = ?, asset_type = ?, charge = ?,"        \
	    " usage_unit = ?, min_ports = ?, max_ports = ? WHERE id = ?",      \
	    NULL, NULL)                                                        \
	X(CAT_PRICE_LIST,                                                      \
	    "SELECT id, product_id, valid_from, monthly_cents"                 \
	    " FROM product_prices WHERE product_id = ?"                        \
	    " ORDER BY valid_from DESC", NULL, NULL)                           \
	X(CAT_PRICE_FIND,                                                      \
	    "SELECT monthly_cents FROM product_prices"                         \
	    " WHERE product_id = ? AND valid_from = ?", NULL, NULL)            \
	X(CAT_PRICE_ADD,                                                       \
	    "INSERT INTO product_prices (product_id, valid_from,"              \
	    " monthly_cents) VALUES (?, ?, ?)", NULL, NULL)                    \
	X(CAT_PRICE_AT,                                                        \
	    "SELECT monthly_cents FROM product_prices"                         \
	    " WHERE product_id = ? AND valid_from <= ?"                        \
	    " ORDER BY valid_from DESC LIMIT 1", NULL, NULL)                   \
	/* Of overlapping contract prices, the latest valid_from wins. */     \
	X(CAT_CONTRACT_AT,                                                     \
	    "SELECT monthly_cents FROM contract_prices"                        \
	    " WHERE customer_id = ? AND product_id = ? AND valid_from <= ?"    \
	    " AND (valid_to IS NULL OR valid_to > ?)"                          \
	    " ORDER BY valid_from DESC LIMIT 1", NULL, NULL)                   \
	X(CAT_USAGE_LIST, OMS_SQL_USAGE_SELECT                                 \
	    " WHERE product_id = ? ORDER BY valid_from DESC", NULL, NULL)      \
	X(CAT_USAGE_AT, OMS_SQL_USAGE_SELECT                                   \
	    " WHERE product_id = ? AND valid_from <= ?"                        \
	    " ORDER BY valid_from DESC LIMIT 1", NULL, NULL)                   \
	X(CAT_USAGE_FIND, OMS_SQL_USAGE_SELECT                                 \
	    " WHERE product_id = ? AND valid_from = ?", NULL, NULL)            \
	X(CAT_USAGE_ADD,                                                       \
	    "INSERT INTO usage_prices (product_id, valid_from, unit,"           \
	    " included) VALUES (?, ?, ?, ?)", NULL, NULL)                      \
	X(CAT_TIER_LIST,                                                       \
	    "SELECT from_units, rate_micros FROM usage_tiers"                  \
	    " WHERE usage_price_id = ? ORDER BY from_units", NULL, NULL)       \
	X(CAT_TIER_ADD,                                                        \
	    "INSERT INTO usage_tiers (usage_price_id, from_units,"             \
	    " rate_micros) VALUES (?, ?, ?)", NULL, NULL)                      \
	X(CAT_FEE_LIST_ALL, OMS_SQL_FEE_SELECT                                 \
	    " ORDER BY f.valid_from DESC, f.action, p.code", NULL, NULL)       \
	X(CAT_FEE_LIST_PRODUCT, OMS_SQL_FEE_SELECT                             \
	    " WHERE f.product_id = ? OR f.product_id IS NULL"                  \
	    " ORDER BY f.valid_from DESC, f.action, p.code", NULL, NULL)       \
	/* The key of a fee: NULL (any product) compares as 0. */             \
	X(CAT_FEE_FIND,                                                        \
	    "SELECT amount_cents FROM fees WHERE action = ?"                   \
	    " AND COALESCE(product_id, 0) = ? AND valid_from = ?", NULL, NULL) \
	X(CAT_FEE_ADD,                                                         \
	    "INSERT INTO fees (action, product_id, valid_from, amount_cents)"  \
	    " VALUES (?, ?, ?, ?)", NULL, NULL)                                \
	X(CAT_FEE_AT,                                                          \
	    "SELECT amount_cents FROM fees WHERE action = ?"                   \
	    " AND product_id = ? AND valid_from <= ?"                          \
	    " ORDER BY valid_from DESC LIMIT 1", NULL, NULL)                   \
	X(CAT_FEE_AT_ANY,                                                      \
	    "SELECT amount_cents FROM fees WHERE action = ?"                   \
	    " AND product_id IS NULL AND valid_from <= ?"                      \
	    " ORDER BY valid_from DESC LIMIT 1", NULL, NULL)                   \
	/* customer and product 0 for any (each bound twice). */              \
	X(CAT_CONTRACT_LIST, OMS_SQL_CONTRACT_SELECT                           \
	    " WHERE (? = 0 OR cp.customer_id = ?)"                             \
	    " AND (? = 0 OR cp.product_id = ?)"                                \
	    " ORDER BY c.code, p.code, cp.valid_from DESC", NULL, NULL)        \
	X(CAT_CONTRACT_FIND,                                                   \
	    "SELECT valid_to, monthly_cents FROM contract_prices"              \
	    " WHERE customer_id = ? AND product_id = ? AND valid_from = ?",    \
	    NULL, NULL)                                                        \
	X(CAT_CONTRACT_ADD,                                                    \
	    "INSERT INTO contract_prices (customer_id, product_id,"            \
	    " valid_from, valid_to, monthly_cents) VALUES (?, ?, ?, ?, ?)",    \
	    NULL, NULL)                                                        \
	X(CAT_CUSTOMER_ID,                                                     \
	    "SELECT id, code FROM customers WHERE id = ? OR code = ?",         \
	    NULL, NULL)                                                        \
	X(CAT_TAX_LIST,                                                        \
	    "SELECT id, jurisdiction, tax, valid_from, rate_ppm FROM tax_rates"\
	    " ORDER BY jurisdiction, tax, valid_from DESC", NULL, NULL)        \
	X(CAT_TAX_FIND,                                                        \
	    "SELECT rate_ppm FROM tax_rates WHERE jurisdiction = ?"            \
	    " AND tax = ? AND valid_from = ?", NULL, NULL)                     \
	X(CAT_TAX_ADD,                                                         \
	    "INSERT INTO tax_rates (jurisdiction, tax, valid_from, rate_ppm)"  \
	    " VALUES (?, ?, ?, ?)", NULL, NULL)

#endif /* OMS_CATALOG_STMT_H */

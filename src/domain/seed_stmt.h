/*
 * seed_stmt.h: the statements of the demo data loader (omsctl seed),
 * gathered into enum oms_stmt by stmts.h.  Each entry is X(NAME,
 * portable SQL, SQLite variant, MariaDB variant); see src/store/stmt.h
 * for the rules of a list.
 */
#ifndef OMS_SEED_STMT_H
#define OMS_SEED_STMT_H

#define OMS_STMTS_SEED(X)                                                      \
	X(DATA_COUNT,                                                          \
	    "SELECT (SELECT COUNT(*) FROM customers) +"                        \
	    " (SELECT COUNT(*) FROM products)",                                \
	    NULL, NULL)                                                        \
	X(CUSTOMER_ADD,                                                        \
	    "INSERT INTO customers (code, name, address, city, region,"        \
	    " postcode, country, currency, created_at)"                        \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",                             \
	    NULL, NULL)                                                        \
	X(SITE_ADD,                                                            \
	    "INSERT INTO sites (customer_id, code, name, address, city,"       \
	    " region, postcode, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",     \
	    NULL, NULL)                                                        \
	X(CC_ADD,                                                              \
	    "INSERT INTO cost_centres (customer_id, code, name)"               \
	    " VALUES (?, ?, ?)",                                               \
	    NULL, NULL)                                                        \
	X(PRODUCT_ADD,                                                         \
	    "INSERT INTO products (code, name, asset_type, charge, min_ports," \
	    " max_ports) VALUES (?, ?, ?, ?, ?, ?)",                           \
	    NULL, NULL)                                                        \
	X(SEED_PRICE_ADD,                                                      \
	    "INSERT INTO product_prices (product_id, valid_from,"              \
	    " monthly_cents) VALUES (?, ?, ?)",                                \
	    NULL, NULL)                                                        \
	X(ASSET_ADD,                                                           \
	    "INSERT INTO assets (site_id, cost_centre_id, product_id, status," \
	    " ports, phone_number, extension, mailbox, serial, installed_on,"  \
	    " removed_on, tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",   \
	    NULL, NULL)                                                        \
	/* The first state of a seeded asset (and, removed, its second). */   \
	X(SEED_STATE_ADD,                                                      \
	    "INSERT INTO asset_states (asset_id, seq, valid_from, valid_to,"   \
	    " site_id, cost_centre_id, product_id, ports, status,"             \
	    " phone_number, extension, mailbox, serial)"                       \
	    " SELECT id, ?, ?, ?, site_id, cost_centre_id, product_id, ports," \
	    " ?, phone_number, extension, mailbox, serial FROM assets"         \
	    " WHERE id = ?",                                                   \
	    NULL, NULL)

/* The demo's year of activity (seed_activity.c). */
#define OMS_STMTS_SEED_ACTIVITY(X)                                             \
	/* The demo's billing history (seed_billing.c): assets in service  \
	 * on a day whose product has a usage price. */                     \
	X(SEED_USAGE_ASSETS,                                                   \
	    "SELECT a.id, s.customer_id FROM assets a"                         \
	    " JOIN sites s ON s.id = a.site_id WHERE a.installed_on <= ?"      \
	    " AND (a.removed_on IS NULL OR a.removed_on > ?)"                  \
	    " AND a.product_id IN (SELECT product_id FROM usage_prices)"       \
	    " ORDER BY a.id", NULL, NULL)                                      \
	X(SEED_USAGE_ADD,                                                      \
	    "INSERT INTO usage_records (record_id, asset_id, customer_id,"     \
	    " used_on, quantity) VALUES (?, ?, ?, ?, ?)", NULL, NULL)          \
	X(SEED_BILLED_CUSTOMERS,                                               \
	    "SELECT id FROM customers WHERE first_period IS NOT NULL"          \
	    " ORDER BY id", NULL, NULL)                                        \
	X(SEED_PAYMENT_ADD,                                                    \
	    "INSERT INTO payments (reference, customer_id, paid_on,"           \
	    " amount_cents, method, created_at, created_by)"                   \
	    " VALUES (?, ?, ?, ?, ?, ?, 'seed-demo')", NULL, NULL)             \
	X(SEED_CUSTOMERS, "SELECT id FROM customers ORDER BY id LIMIT 3",      \
	    NULL, NULL)                                                        \
	X(SEED_SITES_OF,                                                       \
	    "SELECT id FROM sites WHERE customer_id = ? ORDER BY id LIMIT 3",  \
	    NULL, NULL)                                                        \
	X(SEED_CCS_OF,                                                         \
	    "SELECT id FROM cost_centres WHERE customer_id = ? ORDER BY id"    \
	    " LIMIT 3", NULL, NULL)                                            \
	X(SEED_PRODUCTS, "SELECT id, code FROM products ORDER BY id",          \
	    NULL, NULL)                                                        \
	/* Assets in service at a site since before a day, of one product   \
	 * code, that no order has touched yet. */                            \
	X(SEED_PICK,                                                           \
	    "SELECT a.id FROM assets a JOIN products p ON p.id = a.product_id" \
	    " WHERE a.site_id = ? AND p.code = ? AND a.removed_on IS NULL"     \
	    " AND a.status = 'active' AND a.installed_on < ?"                  \
	    " AND NOT EXISTS (SELECT 1 FROM asset_states s"                    \
	    "  WHERE s.asset_id = a.id AND s.seq > 1)"                         \
	    " ORDER BY a.id LIMIT 1", NULL, NULL)                              \
	X(SEED_APPROVAL,                                                       \
	    "UPDATE customers SET approval_required = 1 WHERE id = ?",         \
	    NULL, NULL)

#endif /* OMS_SEED_STMT_H */

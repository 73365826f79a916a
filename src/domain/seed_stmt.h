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

#endif /* OMS_SEED_STMT_H */

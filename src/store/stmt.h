/*
 * stmt.h: statement tables, and the store's own statements.
 *
 * All SQL of OMS lives in statement lists, one X-macro list a module:
 *
 *	#define OMS_STMTS_STORE(X)                        (here)
 *	#define OMS_STMTS_INVENTORY(X)    src/domain/inventory_stmt.h
 *	#define OMS_STMTS_AUTH(X)         src/domain/auth_stmt.h   ...
 *
 * Each entry is X(NAME, portable, sqlite, mariadb): NAME gives the
 * constant OMS_STMT_NAME and the name in logs; portable is SQL in the
 * common subset of SQLite 3.40 and MariaDB 10.11 with ? placeholders;
 * sqlite and mariadb are per-dialect variants, NULL where the portable
 * text serves (write one only where the dialects really differ).
 *
 * How the lists become one table.  The store must not know the domain
 * (tests/layering.sh), so it never names a domain statement: it indexes
 * by number into a table it is given at open (struct oms_stmt_table).
 * The domain layer gathers every list, the store's first, into the one
 * enum oms_stmt and the one table (src/domain/stmts.h and stmts.c).
 * Because the store's list comes first, its constants (enum
 * oms_store_stmt below) have the same values in the gathered enum, and
 * oms_store_open() checks that the table it is given starts with them.
 *
 * Adding a domain module's statements: write src/domain/MODULE_stmt.h
 * with OMS_STMTS_MODULE(X), and add it where the lists are gathered
 * (OMS_STMTS_ALL in src/domain/stmts.h).  Nothing here changes.
 */
#ifndef OMS_STMT_H
#define OMS_STMT_H

#include <stddef.h>

/* One statement of a table. */
struct oms_stmtdef {
	const char *name;    /* for logs: "CUSTOMER_LIST" */
	const char *sql;     /* portable text */
	const char *sqlite;  /* SQLite variant, or NULL */
	const char *mariadb; /* MariaDB variant, or NULL */
};

/* The table a program's connections use: defs[0..n-1], indexed by the
 * values of enum oms_stmt (the gathered enum of the layer above). */
struct oms_stmt_table {
	const struct oms_stmtdef *defs; /* the statements */
	size_t n;                       /* how many */
};

/* Makers for the lists: an enum constant, a table entry. */
#define OMS_STMT_ENUM(n, sql, lite, maria) OMS_STMT_##n,
#define OMS_STMT_DEF(n, sql, lite, maria) {#n, sql, lite, maria},

/*
 * The tables `omsctl copy` moves between databases, parents before
 * children: name, columns, placeholders, key to order by, and the type
 * of each column (i integer, t text) for src/store/copy.c.  Each becomes
 * three statements: select all in key order, insert one, delete all.
 * Y is called as Y(X, NAME, ...) so that a list maker can pass X on.
 * tests/unit/test_store_tx.c checks that every table of the schema,
 * in both dialects, is here or in OMS_COPY_EMPTIED.
 */
#define OMS_COPY_TABLES(Y, X)                                              \
	Y(X, CUSTOMERS, "customers", "id, code, name, address, city, region,"  \
	    " postcode, country, currency, created_at, terms_days,"         \
	    " approval_required, first_period",                             \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "itttttttttiit")  \
	Y(X, PRODUCTS, "products", "id, code, name, asset_type, charge,"       \
	    " usage_unit, min_ports, max_ports",                            \
	    "?, ?, ?, ?, ?, ?, ?, ?", "id", "itttttii")                      \
	Y(X, SITES, "sites", "id, customer_id, code, name, address, city,"     \
	    " region, postcode, country", "?, ?, ?, ?, ?, ?, ?, ?, ?", "id",  \
	    "iittttttt")                                                     \
	Y(X, COST_CENTRES, "cost_centres", "id, customer_id, code, name",      \
	    "?, ?, ?, ?", "id", "iitt")                                      \
	Y(X, ASSETS, "assets", "id, site_id, cost_centre_id, product_id,"      \
	    " status, ports, phone_number, extension, mailbox, serial,"     \
	    " installed_on, removed_on, tag, parent_id",                    \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",                      \
	    "id", "iiiitittttttti")                                          \
	Y(X, USERS, "users", "id, login, display_name, email, role,"           \
	    " organisation, customer_id, disabled, password_hash,"          \
	    " created_at, updated_at, approver",                            \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",                            \
	    "id", "itttttiittti")                                            \
	Y(X, USER_SITES, "user_sites", "user_id, site_id", "?, ?",             \
	    "user_id, site_id", "ii")                                        \
	Y(X, PRODUCT_PRICES, "product_prices", "id, product_id, valid_from,"   \
	    " monthly_cents", "?, ?, ?, ?", "id", "iiti")                    \
	Y(X, USAGE_PRICES, "usage_prices", "id, product_id, valid_from, unit," \
	    " included", "?, ?, ?, ?, ?", "id", "iitti")                     \
	Y(X, USAGE_TIERS, "usage_tiers", "usage_price_id, from_units,"         \
	    " rate_micros", "?, ?, ?", "usage_price_id, from_units", "iii")  \
	Y(X, FEES, "fees", "id, action, product_id, valid_from, amount_cents", \
	    "?, ?, ?, ?, ?", "id", "ititi")                                  \
	Y(X, CONTRACT_PRICES, "contract_prices", "id, customer_id, product_id," \
	    " valid_from, valid_to, monthly_cents", "?, ?, ?, ?, ?, ?", "id", \
	    "iiitti")                                                        \
	Y(X, TAX_RATES, "tax_rates", "id, jurisdiction, tax, valid_from,"      \
	    " rate_ppm", "?, ?, ?, ?, ?", "id", "ittti")                                                         \
	Y(X, ORDERS, "orders", "id, ref, customer_id, site_id, requester_id,"  \
	    " requester, requested_on, state, held_from, version, notes,"   \
	    " scheduled_on, completed_on, created_at, updated_at",          \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id",             \
	    "itiiittttittttt")                                               \
	Y(X, ORDER_LINES, "order_lines", "id, order_id, line_no, action,"      \
	    " asset_id, parent_id, asset_tag, site_id, cost_centre_id,"     \
	    " product_id, ports, phone_number, extension, mailbox, serial," \
	    " fee_cents, fee_priced, fee_override_cents, override_reason,"  \
	    " mrc_before_cents, mrc_after_cents",                           \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", \
	    "id", "iiitiitiiiittttiiitii")                                   \
	Y(X, ORDER_TRANSITIONS, "order_transitions", "id, order_id, at,"       \
	    " user_id, login, from_state, to_state, comment",               \
	    "?, ?, ?, ?, ?, ?, ?, ?", "id", "iititttt")                    \
	Y(X, ORDER_COMMENTS, "order_comments", "id, order_id, at, user_id,"    \
	    " login, body", "?, ?, ?, ?, ?, ?", "id", "iititt")              \
	Y(X, ASSET_STATES, "asset_states", "id, asset_id, seq, valid_from,"    \
	    " valid_to, site_id, cost_centre_id, product_id, ports, status," \
	    " phone_number, extension, mailbox, serial, order_line_id",     \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id",             \
	    "iiittiiiittttti")                                               \
	Y(X, DOMAIN_EVENTS, "domain_events", "id, at, kind, asset_id,"         \
	    " order_id, order_line_id, effective_on, payload",              \
	    "?, ?, ?, ?, ?, ?, ?, ?", "id", "ittiiitt")                      \
	Y(X, AUDIT, "audit_log", "id, at, user_id, login, address, entity,"    \
	    " entity_id, action, before_value, after_value, prev_hash, hash", \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "itittttttttt")       \
	Y(X, COUNTERS, "oms_counters", "name, next_value", "?, ?", "name", "ti") \
	Y(X, USAGE_RECORDS, "usage_records",                                   \
	    "id, record_id, asset_id, customer_id, used_on, "                  \
	    "quantity",                                                        \
	    "?, ?, ?, ?, ?, ?", "id", "itiiti")                                \
	Y(X, BILLING_PERIODS, "billing_periods",                               \
	    "period, state, business_day, started_at, issued_at, "             \
	    "invoices",                                                        \
	    "?, ?, ?, ?, ?, ?", "period", "ttttti")                            \
	Y(X, INVOICES, "invoices",                                             \
	    "id, number, customer_id, period, invoice_date, "                  \
	    "due_date, terms_days, currency, customer_code, "                  \
	    "customer_name, address, city, region, postcode, "                 \
	    "country, subtotal_cents, tax_cents, current_cents, "              \
	    "previous_cents, payments_cents, total_due_cents, "                \
	    "aging0_cents, aging30_cents, aging60_cents, "                     \
	    "aging90_cents, aging_over_cents",                                 \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "              \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?", "id",                                 \
	    "iiitttittttttttiiiiiiiiiii")                                      \
	Y(X, PAYMENTS, "payments",                                             \
	    "id, reference, customer_id, paid_on, amount_cents, "              \
	    "method, invoice_id, created_at, created_by",                      \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "ititititt")                    \
	Y(X, ADJUSTMENTS, "adjustments",                                       \
	    "id, reference, customer_id, dated_on, amount_cents, "             \
	    "description, taxable, site_id, cost_centre_id, "                  \
	    "created_at, created_by",                                          \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "itititiiitt")            \
	Y(X, INVOICE_LINES, "invoice_lines",                                   \
	    "invoice_id, line_no, kind, billed_period, "                       \
	    "correction, ref, asset_id, order_line_id, "                       \
	    "adjustment_id, site_id, site_code, cost_centre_id, "              \
	    "cc_code, product_id, product_code, jurisdiction, "                \
	    "from_day, to_day, days, period_days, quantity, "                  \
	    "billable, rate, amount_cents, taxable, description",              \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "              \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?", "invoice_id, line_no",                \
	    "iittitiiiititittttiiiiiiit")                                      \
	Y(X, INVOICE_TAXES, "invoice_taxes",                                   \
	    "invoice_id, seq, jurisdiction, tax, base_cents, "                 \
	    "rate_ppm, amount_cents",                                          \
	    "?, ?, ?, ?, ?, ?, ?", "invoice_id, seq", "iittiii")               \
	Y(X, INVOICE_OUTSTANDING, "invoice_outstanding",                       \
	    "invoice_id, seq, earlier_id, number, period, "                    \
	    "due_date, days_past_due, left_cents",                             \
	    "?, ?, ?, ?, ?, ?, ?, ?", "invoice_id, seq", "iiiittii")           \
	Y(X, REPORT_ROWS, "report_rows",                                       \
	    "invoice_id, seq, kind, site_code, site_name, "                    \
	    "cc_code, cc_name, ports, charge_cents",                           \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?", "invoice_id, seq", "iitttttii")     \
	Y(X, BILLING_RUNS, "billing_runs",                                     \
	    "id, period, business_day, requested_by, requested_at, state, "    \
	    "done_customers, total_customers, invoices, message, finished_at", \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "itttttiiitt")       \
	Y(X, INVOICE_DOCUMENTS, "invoice_documents",                           \
	    "invoice_id, kind, media_type, created_at, body",                  \
	    "?, ?, ?, ?, ?", "invoice_id, kind", "itttb")                  \
	Y(X, OUTBOX, "outbox",                                                 \
	    "id, message_id, system, kind, seq_key, seq, asset_id, "           \
	    "asset_tag, order_id, order_ref, state, attempts, "                \
	    "next_attempt_at, last_error, body, created_at, updated_at, "     \
	    "claimed_by, claim_until, delivered_at, reply, invoice_id",        \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", \
	    "id", "ittttiitittittttttttti")                            \
	Y(X, VENDOR_ORDERS, "vendor_orders",                                   \
	    "order_line_id, order_id, asset_id, vendor_ref, status, "          \
	    "scheduled_on, installed_on, serial, phone_number, note, "         \
	    "message_id, updated_at",                                          \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "order_line_id",             \
	    "iiittttttttt")                                                    \
	Y(X, ASSET_LEASES, "asset_leases",                                     \
	    "asset_id, lease_number, status, term_months, starts_on, "         \
	    "ends_on, monthly_cents, schedule, message_id, booked_at, "        \
	    "updated_at",                                                      \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "asset_id", "ittittitttt")      \
	Y(X, INBOUND_MESSAGES, "inbound_messages",                             \
	    "account_id, message_id, operation, body_sha256, http_status, "    \
	    "response, created_at",                                            \
	    "?, ?, ?, ?, ?, ?, ?", "account_id, message_id", "itttibt")        \
	Y(X, DOCUMENT_DELIVERY, "document_delivery",                           \
	    "customer_id, method, drop_system, updated_at",                    \
	    "?, ?, ?, ?", "customer_id", "ittt")                               \
	Y(X, BILLING_CONTACTS, "billing_contacts",                             \
	    "id, customer_id, email, name, created_at",                        \
	    "?, ?, ?, ?, ?", "id", "iittt")                                 \
	Y(X, INTEGRATION_SCOPES, "integration_scopes",                         \
	    "user_id, system, operations, updated_at",                         \
	    "?, ?, ?, ?", "user_id", "ittt")

/*
 * Tables that belong to one database and are not copied (sessions,
 * login throttling), but are emptied on the target with the rest, so
 * that nothing of the target's old life survives a forced copy.  The
 * migrations table is neither: each database records its own.
 */
#define OMS_COPY_EMPTIED(Y, X)                                             \
	Y(X, SESSIONS, "sessions")                                         \
	Y(X, LOGIN_FAILURES, "login_failures")                             \
	Y(X, JOB_LEASES, "job_leases")

/* The statements of one copied table. */
#define OMS_COPY_STMTS(X, n, t, cols, ph, key, types)                      \
	X(COPY_##n##_SELECT, "SELECT " cols " FROM " t " ORDER BY " key,   \
	    NULL, NULL)                                                     \
	X(COPY_##n##_INSERT, "INSERT INTO " t " (" cols ") VALUES (" ph ")", \
	    NULL, NULL)                                                     \
	X(COPY_##n##_DELETE, "DELETE FROM " t, NULL, NULL)

/* The statement of one emptied table. */
#define OMS_COPY_EMPTY_STMTS(X, n, t)                                      \
	X(COPY_##n##_DELETE, "DELETE FROM " t, NULL, NULL)

/* The store's own statements: the connection check, the migrations
 * runner, number series, and omsctl copy. */
#define OMS_STMTS_STORE(X)                                                 \
	X(PING, "SELECT 1", NULL, NULL)                                    \
	X(MIGRATIONS_CREATE,                                               \
	    "CREATE TABLE IF NOT EXISTS oms_migrations ("                  \
	    " version INTEGER PRIMARY KEY,"                                \
	    " name VARCHAR(200) NOT NULL,"                                 \
	    " applied_at VARCHAR(20) NOT NULL)", NULL, NULL)               \
	X(MIGRATIONS_LIST,                                                 \
	    "SELECT version FROM oms_migrations ORDER BY version", NULL, NULL) \
	X(MIGRATIONS_ADD,                                                  \
	    "INSERT INTO oms_migrations (version, name, applied_at)"       \
	    " VALUES (?, ?, ?)", NULL, NULL)                               \
	X(MIGRATIONS_EXISTS,                                               \
	    "SELECT COUNT(*) FROM information_schema.tables"               \
	    " WHERE table_schema = DATABASE() AND table_name = 'oms_migrations'", \
	    "SELECT COUNT(*) FROM sqlite_master"                           \
	    " WHERE type = 'table' AND name = 'oms_migrations'", NULL)     \
	/* Foreign keys broken by a migration that ran with them off. */   \
	X(MIGRATIONS_FK_VIOLATIONS, "SELECT 0",                            \
	    "SELECT COUNT(*) FROM pragma_foreign_key_check", NULL)         \
	/* The tables of the schema, for the copy list's test. */         \
	X(TABLES,                                                          \
	    "SELECT table_name FROM information_schema.tables"             \
	    " WHERE table_schema = DATABASE() ORDER BY table_name",        \
	    "SELECT name FROM sqlite_master WHERE type = 'table'"          \
	    " AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name", NULL) \
	X(COUNTER_LOCK,                                                    \
	    "SELECT next_value FROM oms_counters WHERE name = ? FOR UPDATE", \
	    /* SQLite has no FOR UPDATE: BEGIN IMMEDIATE already holds    \
	     * the database's write lock for the whole unit. */          \
	    "SELECT next_value FROM oms_counters WHERE name = ?", NULL)   \
	X(COUNTER_ADD,                                                     \
	    "INSERT INTO oms_counters (name, next_value) VALUES (?, 2)",   \
	    NULL, NULL)                                                    \
	X(COUNTER_SET,                                                     \
	    "UPDATE oms_counters SET next_value = ? WHERE name = ?",       \
	    NULL, NULL)                                                    \
	X(COUNTER_GET,                                                     \
	    "SELECT next_value FROM oms_counters WHERE name = ?", NULL, NULL) \
	OMS_COPY_TABLES(OMS_COPY_STMTS, X)                                 \
	OMS_COPY_EMPTIED(OMS_COPY_EMPTY_STMTS, X)

/* The store's own statements, numbered as they open every table. */
enum oms_store_stmt {
	OMS_STMTS_STORE(OMS_STMT_ENUM)
	OMS_STMT_STORE__MAX
};

#endif /* OMS_STMT_H */

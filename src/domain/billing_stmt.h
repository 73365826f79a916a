/*
 * billing_stmt.h: the statements of billing (billing.c), gathered into
 * enum oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL,
 * SQLite variant, MariaDB variant); see src/store/stmt.h for the rules
 * of a list.  No totals are computed here: rows are read and every
 * amount is computed in C (BILLING.md, issue 9).
 */
#ifndef OMS_BILLING_STMT_H
#define OMS_BILLING_STMT_H

/* The 26 columns of an invoice line, as written and read. */
#define OMS_SQL_BILL_LINE_COLS                                              \
	"invoice_id, line_no, kind, billed_period, correction, ref,"        \
	" asset_id, order_line_id, adjustment_id, site_id, site_code,"      \
	" cost_centre_id, cc_code, product_id, product_code, jurisdiction," \
	" from_day, to_day, days, period_days, quantity, billable, rate,"   \
	" amount_cents, taxable, description"
#define OMS_SQL_BILL_LINE_ROW                                               \
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"  \
	" ?, ?, ?, ?)"
/* Lines are written 64, 16 or 4 to a statement while that many are
 * left, the last ones one by one (billing.c write_lines()); report rows
 * 16 or 4, then one by one.  Fewer statements: fewer round trips to a
 * MariaDB server, less per-statement work in SQLite. */
#define OMS_BILL_BATCH 16
#define OMS_BILL_R2(a) a ", " a
#define OMS_BILL_R4(a) OMS_BILL_R2(OMS_BILL_R2(a))
#define OMS_BILL_R16(a) OMS_BILL_R4(OMS_BILL_R4(a))
#define OMS_BILL_R64(a) OMS_BILL_R4(OMS_BILL_R16(a))
#define OMS_SQL_BILL_ROW_COLS                                               \
	"invoice_id, seq, kind, site_code, site_name, cc_code, cc_name,"    \
	" ports, charge_cents"
#define OMS_SQL_BILL_ROW_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?)"

#define OMS_SQL_BILL_INVOICE_COLS                                           \
	"id, number, customer_id, period, invoice_date, due_date,"          \
	" terms_days, currency, customer_code, customer_name, address,"     \
	" city, region, postcode, country, subtotal_cents, tax_cents,"      \
	" current_cents, previous_cents, payments_cents, total_due_cents,"  \
	" aging0_cents, aging30_cents, aging60_cents, aging90_cents,"       \
	" aging_over_cents"

#define OMS_SQL_BILL_HEAD                                                   \
	"SELECT id, number, customer_id, customer_code, customer_name,"     \
	" period, invoice_date, due_date, current_cents, payments_cents,"   \
	" total_due_cents FROM invoices"                                    \
	" WHERE (? = 0 OR customer_id = ?) AND (? IS NULL OR period = ?)"   \
	" AND (? = 0 OR customer_id = ?)"

#define OMS_STMTS_BILLING(X)                                                   \
	X(BILL_PRODUCTS,                                                       \
	    "SELECT id, code, asset_type, charge FROM products ORDER BY id",   \
	    NULL, NULL)                                                        \
	X(BILL_PRICES,                                                         \
	    "SELECT product_id, valid_from, monthly_cents FROM product_prices" \
	    " ORDER BY product_id, valid_from", NULL, NULL)                    \
	X(BILL_USAGE_PRICES,                                                   \
	    "SELECT id, product_id, valid_from, unit, included"                \
	    " FROM usage_prices ORDER BY product_id, valid_from", NULL, NULL)  \
	X(BILL_USAGE_TIERS,                                                    \
	    "SELECT usage_price_id, from_units, rate_micros FROM usage_tiers"  \
	    " ORDER BY usage_price_id, from_units", NULL, NULL)                \
	X(BILL_FEES,                                                           \
	    "SELECT action, COALESCE(product_id, 0), valid_from, amount_cents" \
	    " FROM fees ORDER BY action, COALESCE(product_id, 0), valid_from", \
	    NULL, NULL)                                                        \
	X(BILL_TAXES,                                                          \
	    "SELECT jurisdiction, tax, valid_from, rate_ppm FROM tax_rates"    \
	    " ORDER BY jurisdiction, tax, valid_from", NULL, NULL)             \
	/* The customers a period bills, in code byte order (numbers are  \
	 * given in this order). */                                        \
	X(BILL_CUSTOMERS,                                                      \
	    "SELECT id, code FROM customers WHERE first_period IS NOT NULL"    \
	    " AND first_period <= ? ORDER BY code", NULL,                      \
	    "SELECT id, code FROM customers WHERE first_period IS NOT NULL"    \
	    " AND first_period <= ? ORDER BY code COLLATE utf8mb4_bin")        \
	/* Customers not yet billed, for a preview of the first period   \
	 * they would be billed. */                                         \
	X(BILL_CUSTOMERS_ALL,                                                  \
	    "SELECT id, code FROM customers WHERE first_period IS NULL"        \
	    " OR first_period <= ? ORDER BY code", NULL,                       \
	    "SELECT id, code FROM customers WHERE first_period IS NULL"        \
	    " OR first_period <= ? ORDER BY code COLLATE utf8mb4_bin")         \
	X(BILL_CUSTOMER,                                                       \
	    "SELECT code, name, address, city, region, postcode, country,"     \
	    " currency, terms_days, first_period FROM customers WHERE id = ?", \
	    NULL, NULL)                                                        \
	X(BILL_SITES,                                                          \
	    "SELECT id, code, name, country, region FROM sites"                \
	    " WHERE customer_id = ? ORDER BY id", NULL, NULL)                  \
	X(BILL_CCS,                                                            \
	    "SELECT id, code, name FROM cost_centres WHERE customer_id = ?"    \
	    " ORDER BY id", NULL, NULL)                                                        \
	X(BILL_CONTRACTS,                                                      \
	    "SELECT product_id, valid_from, valid_to, monthly_cents"           \
	    " FROM contract_prices WHERE customer_id = ?"                      \
	    " ORDER BY product_id, valid_from", NULL, NULL)                    \
	/* The states of a customer's assets that overlap [first, end):  \
	 * parameters customer, end, first.  In no order: billing.c sorts  \
	 * them by asset and seq (cheaper than the database's sorter). */  \
	X(BILL_STATES,                                                         \
	    "SELECT a.id, a.tag, a.installed_on, a.removed_on, s.valid_from,"  \
	    " s.valid_to, s.site_id, s.cost_centre_id, s.product_id, s.ports," \
	    " s.status, s.seq FROM asset_states s"                             \
	    " JOIN assets a ON a.id = s.asset_id"                              \
	    " WHERE s.site_id IN (SELECT id FROM sites WHERE customer_id = ?)" \
	    " AND s.valid_from < ? AND (s.valid_to IS NULL OR s.valid_to > ?)", \
	    NULL, NULL)                                                        \
	/* Usage records of a customer in [first, end), by asset. */        \
	X(BILL_USAGE,                                                          \
	    "SELECT u.asset_id, u.quantity, a.tag FROM usage_records u"        \
	    " JOIN assets a ON a.id = u.asset_id WHERE u.customer_id = ?"      \
	    " AND u.used_on >= ? AND u.used_on < ? ORDER BY u.asset_id", NULL, \
	    NULL)                                                              \
	/* The order lines a customer completed in [first, end), with the \
	 * state each made (after the action; a disconnect's removed state \
	 * keeps the site, cost centre and product it had). */             \
	X(BILL_ORDER_LINES,                                                    \
	    "SELECT l.id, o.ref, l.line_no, l.action, l.fee_override_cents,"   \
	    " o.completed_on, a.tag, s.site_id, s.cost_centre_id,"             \
	    " s.product_id, l.asset_id FROM orders o"                          \
	    " JOIN order_lines l ON l.order_id = o.id"                         \
	    " JOIN asset_states s ON s.order_line_id = l.id"                   \
	    " AND s.asset_id = l.asset_id"                                     \
	    " JOIN assets a ON a.id = l.asset_id WHERE o.customer_id = ?"      \
	    " AND o.state = 'completed' AND o.completed_on >= ?"               \
	    " AND o.completed_on < ? ORDER BY o.completed_on, o.ref,"          \
	    " l.line_no", NULL, NULL)                                          \
	X(BILL_ADJUSTMENTS,                                                    \
	    "SELECT id, reference, dated_on, amount_cents, description,"       \
	    " taxable, COALESCE(site_id, 0), COALESCE(cost_centre_id, 0)"      \
	    " FROM adjustments WHERE customer_id = ? AND dated_on >= ?"        \
	    " AND dated_on < ? ORDER BY dated_on, reference", NULL,            \
	    "SELECT id, reference, dated_on, amount_cents, description,"       \
	    " taxable, COALESCE(site_id, 0), COALESCE(cost_centre_id, 0)"      \
	    " FROM adjustments WHERE customer_id = ? AND dated_on >= ?"        \
	    " AND dated_on < ? ORDER BY dated_on, reference COLLATE utf8mb4_bin") \
	/* A customer's issued invoices, oldest first. */                   \
	X(BILL_INVOICES_OF,                                                    \
	    "SELECT id, number, period, invoice_date, due_date, current_cents," \
	    " total_due_cents FROM invoices WHERE customer_id = ?"             \
	    " ORDER BY period", NULL, NULL)                                    \
	/* What is invoiced for a period so far: its lines and the         \
	 * corrections of it. */                                             \
	X(BILL_INVOICED,                                                       \
	    "SELECT l.kind, l.ref, COALESCE(l.site_id, 0),"                    \
	    " COALESCE(l.cost_centre_id, 0), COALESCE(l.product_id, 0),"       \
	    " l.amount_cents, l.taxable, l.site_code, l.cc_code,"              \
	    " l.product_code, l.jurisdiction, COALESCE(l.asset_id, 0),"        \
	    " COALESCE(l.order_line_id, 0), COALESCE(l.adjustment_id, 0)"      \
	    " FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id"     \
	    " WHERE i.customer_id = ? AND l.billed_period = ?", NULL, NULL)    \
	X(BILL_PAYMENTS_NEW,                                                   \
	    "SELECT amount_cents FROM payments WHERE customer_id = ?"          \
	    " AND invoice_id IS NULL AND paid_on <= ?", NULL, NULL)            \
	X(BILL_PAYMENTS_REPORTED,                                              \
	    "SELECT amount_cents FROM payments WHERE customer_id = ?"          \
	    " AND invoice_id IS NOT NULL", NULL, NULL)                         \
	X(BILL_PAYMENTS_MARK,                                                  \
	    "UPDATE payments SET invoice_id = ? WHERE customer_id = ?"         \
	    " AND invoice_id IS NULL AND paid_on <= ?", NULL, NULL)            \
	X(BILL_PERIOD_GET,                                                     \
	    "SELECT state, business_day FROM billing_periods WHERE period = ?", \
	    NULL, NULL)                                                        \
	X(BILL_PERIOD_LAST,                                                    \
	    "SELECT period, state, business_day FROM billing_periods"          \
	    " ORDER BY period DESC LIMIT 1", NULL, NULL)                       \
	X(BILL_PERIOD_PREV,                                                    \
	    "SELECT period, business_day FROM billing_periods"                 \
	    " WHERE period < ? ORDER BY period DESC LIMIT 1", NULL, NULL)      \
	X(BILL_PERIODS,                                                        \
	    "SELECT period, state, business_day, invoices FROM billing_periods" \
	    " ORDER BY period DESC", NULL, NULL)                               \
	X(BILL_PERIOD_ADD,                                                     \
	    "INSERT INTO billing_periods (period, state, business_day,"        \
	    " started_at) VALUES (?, 'issuing', ?, ?)", NULL, NULL)            \
	X(BILL_PERIOD_DONE,                                                    \
	    "UPDATE billing_periods SET state = 'issued', issued_at = ?,"      \
	    " invoices = ? WHERE period = ? AND state = 'issuing'", NULL, NULL) \
	X(BILL_FIRST_PERIOD,                                                   \
	    "UPDATE customers SET first_period = ? WHERE first_period IS NULL", \
	    NULL, NULL)                                                        \
	X(BILL_INVOICE_EXISTS,                                                 \
	    "SELECT id FROM invoices WHERE customer_id = ? AND period = ?",    \
	    NULL, NULL)                                                        \
	X(BILL_INVOICE_COUNT,                                                  \
	    "SELECT COUNT(*) FROM invoices WHERE period = ?", NULL, NULL)      \
	X(BILL_INVOICE_ADD,                                                    \
	    "INSERT INTO invoices (number, customer_id, period, invoice_date," \
	    " due_date, terms_days, currency, customer_code, customer_name,"   \
	    " address, city, region, postcode, country, subtotal_cents,"       \
	    " tax_cents, current_cents, previous_cents, payments_cents,"       \
	    " total_due_cents, aging0_cents, aging30_cents, aging60_cents,"    \
	    " aging90_cents, aging_over_cents) VALUES (?, ?, ?, ?, ?, ?, ?,"   \
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",          \
	    NULL, NULL)                                                        \
	X(BILL_LINE_ADD,                                                       \
	    "INSERT INTO invoice_lines (" OMS_SQL_BILL_LINE_COLS ") VALUES "   \
	    OMS_SQL_BILL_LINE_ROW, NULL, NULL)                                 \
	X(BILL_LINES_ADD,                                                      \
	    "INSERT INTO invoice_lines (" OMS_SQL_BILL_LINE_COLS ") VALUES "   \
	    OMS_BILL_R16(OMS_SQL_BILL_LINE_ROW), NULL, NULL)                   \
	X(BILL_TAX_ADD,                                                        \
	    "INSERT INTO invoice_taxes (invoice_id, seq, jurisdiction, tax,"   \
	    " base_cents, rate_ppm, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?)", \
	    NULL, NULL)                                                        \
	X(BILL_OUT_ADD,                                                        \
	    "INSERT INTO invoice_outstanding (invoice_id, seq, earlier_id,"    \
	    " number, period, due_date, days_past_due, left_cents)"            \
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", NULL, NULL)                    \
	X(BILL_ROW_ADD,                                                        \
	    "INSERT INTO report_rows (" OMS_SQL_BILL_ROW_COLS ") VALUES "      \
	    OMS_SQL_BILL_ROW_ROW, NULL, NULL)                                  \
	/* Reading an issued invoice back; parameters id, scope x2. */      \
	X(BILL_INVOICE_GET,                                                    \
	    "SELECT " OMS_SQL_BILL_INVOICE_COLS " FROM invoices WHERE id = ?"  \
	    " AND (? = 0 OR customer_id = ?)", NULL, NULL)                     \
	X(BILL_INVOICE_FIND,                                                   \
	    "SELECT id FROM invoices WHERE customer_code = ? AND period = ?",  \
	    NULL, NULL)                                                        \
	X(BILL_LINES_GET,                                                      \
	    "SELECT " OMS_SQL_BILL_LINE_COLS " FROM invoice_lines"             \
	    " WHERE invoice_id = ? ORDER BY line_no", NULL, NULL)              \
	X(BILL_TAXES_GET,                                                      \
	    "SELECT jurisdiction, tax, base_cents, rate_ppm, amount_cents"     \
	    " FROM invoice_taxes WHERE invoice_id = ? ORDER BY seq", NULL,     \
	    NULL)                                                              \
	X(BILL_OUT_GET,                                                        \
	    "SELECT earlier_id, number, period, due_date, days_past_due,"      \
	    " left_cents FROM invoice_outstanding WHERE invoice_id = ?"        \
	    " ORDER BY seq", NULL, NULL)                                       \
	X(BILL_ROWS_GET,                                                       \
	    "SELECT kind, site_code, site_name, cc_code, cc_name, ports,"      \
	    " charge_cents FROM report_rows WHERE invoice_id = ?"              \
	    " ORDER BY seq", NULL, NULL)                                       \
	X(BILL_HEADS,                                                          \
	    OMS_SQL_BILL_HEAD " ORDER BY period DESC, customer_code", NULL,    \
	    OMS_SQL_BILL_HEAD " ORDER BY period DESC,"                         \
	    " customer_code COLLATE utf8mb4_bin")                              \
	/* Invoice lines 64 and 4 at a time, report rows 16 and 4 (see     \
	 * OMS_BILL_BATCH). */                                              \
	X(BILL_LINES_ADD64,                                                    \
	    "INSERT INTO invoice_lines (" OMS_SQL_BILL_LINE_COLS ") VALUES "   \
	    OMS_BILL_R64(OMS_SQL_BILL_LINE_ROW), NULL, NULL)                   \
	X(BILL_LINES_ADD4,                                                     \
	    "INSERT INTO invoice_lines (" OMS_SQL_BILL_LINE_COLS ") VALUES "   \
	    OMS_BILL_R4(OMS_SQL_BILL_LINE_ROW), NULL, NULL)                    \
	X(BILL_ROWS_ADD16,                                                     \
	    "INSERT INTO report_rows (" OMS_SQL_BILL_ROW_COLS ") VALUES "      \
	    OMS_BILL_R16(OMS_SQL_BILL_ROW_ROW), NULL, NULL)                    \
	X(BILL_ROWS_ADD4,                                                      \
	    "INSERT INTO report_rows (" OMS_SQL_BILL_ROW_COLS ") VALUES "      \
	    OMS_BILL_R4(OMS_SQL_BILL_ROW_ROW), NULL, NULL)

#endif /* OMS_BILLING_STMT_H */

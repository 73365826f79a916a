/*
 * billrun_stmt.h: the statements of billing runs asked for from the
 * billing page and of the payments and adjustments entered by finance
 * (src/domain/billrun.c), gathered into enum oms_stmt by stmts.h.
 * Entries are X(NAME, portable, sqlite, mariadb) as in
 * src/store/stmt.h.  No totals are computed here.
 */
#ifndef OMS_BILLRUN_STMT_H
#define OMS_BILLRUN_STMT_H

#define OMS_SQL_BILLRUN_COLS                                               \
	"id, period, business_day, requested_by, requested_at, state,"     \
	" done_customers, total_customers, invoices, message, finished_at"

#define OMS_SQL_PAYMENT_COLS                                               \
	"p.id, p.reference, p.customer_id, c.code, c.name, p.paid_on,"     \
	" p.amount_cents, p.method, p.invoice_id, p.created_at,"           \
	" p.created_by"

#define OMS_SQL_ADJUSTMENT_COLS                                            \
	"j.id, j.reference, j.customer_id, c.code, c.name, j.dated_on,"    \
	" j.amount_cents, j.description, j.taxable, COALESCE(s.code, ''),"  \
	" COALESCE(k.code, ''), j.created_at, j.created_by"

#define OMS_STMTS_BILLRUN(X)                                               \
	X(BILLRUN_ACTIVE,                                                  \
	    "SELECT id FROM billing_runs WHERE state IN ('queued',"         \
	    " 'running') ORDER BY id LIMIT 1", NULL, NULL)                  \
	X(BILLRUN_PERIOD_GET,                                              \
	    "SELECT state FROM billing_periods WHERE period = ?", NULL,     \
	    NULL)                                                          \
	X(BILLRUN_PERIOD_LAST,                                             \
	    "SELECT period, state FROM billing_periods"                     \
	    " ORDER BY period DESC LIMIT 1", NULL, NULL)                    \
	X(BILLRUN_ADD,                                                     \
	    "INSERT INTO billing_runs (period, business_day, requested_by,"  \
	    " requested_at, state) VALUES (?, ?, ?, ?, 'queued')", NULL,    \
	    NULL)                                                          \
	X(BILLRUN_GET,                                                     \
	    "SELECT " OMS_SQL_BILLRUN_COLS " FROM billing_runs WHERE id = ?", \
	    NULL, NULL)                                                    \
	X(BILLRUN_RECENT,                                                  \
	    "SELECT " OMS_SQL_BILLRUN_COLS " FROM billing_runs"              \
	    " ORDER BY id DESC LIMIT ?", NULL, NULL)                        \
	/* The job: the oldest run not ended (a running one was left by a  \
	 * holder that lost the lease: it is resumed). */                  \
	X(BILLRUN_NEXT,                                                    \
	    "SELECT " OMS_SQL_BILLRUN_COLS " FROM billing_runs"              \
	    " WHERE state IN ('queued', 'running') ORDER BY id LIMIT 1",    \
	    NULL, NULL)                                                    \
	X(BILLRUN_START,                                                   \
	    "UPDATE billing_runs SET state = 'running' WHERE id = ?"        \
	    " AND state IN ('queued', 'running')", NULL, NULL)              \
	X(BILLRUN_PROGRESS,                                                \
	    "UPDATE billing_runs SET done_customers = ?,"                   \
	    " total_customers = ? WHERE id = ? AND state = 'running'",      \
	    NULL, NULL)                                                    \
	X(BILLRUN_END,                                                     \
	    "UPDATE billing_runs SET state = ?, invoices = ?, message = ?,"  \
	    " finished_at = ? WHERE id = ? AND state = 'running'", NULL,    \
	    NULL)                                                          \
	/* Payments and adjustments. */                                    \
	X(BILLRUN_CUSTOMER,                                                \
	    "SELECT first_period FROM customers WHERE id = ?", NULL, NULL)  \
	X(BILLRUN_ISSUED_LAST,                                             \
	    "SELECT MAX(period) FROM billing_periods", NULL, NULL)          \
	X(BILLRUN_SITE_OF,                                                 \
	    "SELECT customer_id FROM sites WHERE id = ?", NULL, NULL)       \
	X(BILLRUN_CC_OF,                                                   \
	    "SELECT customer_id FROM cost_centres WHERE id = ?", NULL, NULL) \
	X(BILLRUN_PAYMENT_ADD,                                             \
	    "INSERT INTO payments (reference, customer_id, paid_on,"        \
	    " amount_cents, method, created_at, created_by)"                \
	    " VALUES (?, ?, ?, ?, ?, ?, ?)", NULL, NULL)                    \
	X(BILLRUN_ADJUSTMENT_ADD,                                          \
	    "INSERT INTO adjustments (reference, customer_id, dated_on,"    \
	    " amount_cents, description, taxable, site_id, cost_centre_id," \
	    " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", \
	    NULL, NULL)                                                    \
	X(BILLRUN_REF_USED_P,                                              \
	    "SELECT id FROM payments WHERE reference = ?", NULL, NULL)      \
	X(BILLRUN_REF_USED_A,                                              \
	    "SELECT id FROM adjustments WHERE reference = ?", NULL, NULL)   \
	X(BILLRUN_PAYMENTS_COUNT,                                          \
	    "SELECT COUNT(*) FROM payments WHERE (? = 0 OR customer_id = ?)", \
	    NULL, NULL)                                                    \
	X(BILLRUN_PAYMENTS,                                                \
	    "SELECT " OMS_SQL_PAYMENT_COLS " FROM payments p"                \
	    " JOIN customers c ON c.id = p.customer_id"                     \
	    " WHERE (? = 0 OR p.customer_id = ?)"                           \
	    " ORDER BY p.paid_on DESC, p.id DESC LIMIT ? OFFSET ?", NULL,   \
	    NULL)                                                          \
	X(BILLRUN_ADJUSTMENTS_COUNT,                                       \
	    "SELECT COUNT(*) FROM adjustments"                              \
	    " WHERE (? = 0 OR customer_id = ?)", NULL, NULL)                \
	X(BILLRUN_ADJUSTMENTS,                                             \
	    "SELECT " OMS_SQL_ADJUSTMENT_COLS " FROM adjustments j"          \
	    " JOIN customers c ON c.id = j.customer_id"                     \
	    " LEFT JOIN sites s ON s.id = j.site_id"                        \
	    " LEFT JOIN cost_centres k ON k.id = j.cost_centre_id"          \
	    " WHERE (? = 0 OR j.customer_id = ?)"                           \
	    " ORDER BY j.dated_on DESC, j.id DESC LIMIT ? OFFSET ?", NULL,  \
	    NULL)

#endif /* OMS_BILLRUN_STMT_H */

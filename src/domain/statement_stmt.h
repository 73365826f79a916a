/*
 * statement_stmt.h: the statements of the account statement
 * (src/domain/statement.c): a customer's payments and adjustments, each
 * with the invoice that reported or billed it.  Rows only; every sum
 * and the running balance are computed in C.  Entries are X(NAME,
 * portable, sqlite, mariadb) as in src/store/stmt.h.
 */
#ifndef OMS_STATEMENT_STMT_H
#define OMS_STATEMENT_STMT_H

#define OMS_STMTS_STATEMENT(X)                                            \
	/* A customer's payments by date, with the invoice that reported   \
	 * each (0: none yet). */                                          \
	X(STATEMENT_PAYMENTS,                                             \
	    "SELECT p.id, p.reference, p.paid_on, p.amount_cents, p.method," \
	    " COALESCE(i.id, 0), COALESCE(i.number, 0)"                    \
	    " FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id" \
	    " WHERE p.customer_id = ? ORDER BY p.paid_on, p.id",           \
	    NULL, NULL)                                                    \
	/* A customer's adjustments by date, with the first invoice that   \
	 * billed each (0: none yet). */                                   \
	X(STATEMENT_ADJUSTMENTS,                                          \
	    "SELECT a.id, a.reference, a.dated_on, a.amount_cents,"        \
	    " a.description, a.taxable,"                                   \
	    " COALESCE((SELECT MIN(i.id) FROM invoice_lines l"             \
	    " JOIN invoices i ON i.id = l.invoice_id"                      \
	    " WHERE l.adjustment_id = a.id), 0),"                          \
	    " COALESCE((SELECT MIN(i.number) FROM invoice_lines l"         \
	    " JOIN invoices i ON i.id = l.invoice_id"                      \
	    " WHERE l.adjustment_id = a.id), 0)"                           \
	    " FROM adjustments a WHERE a.customer_id = ?"                  \
	    " ORDER BY a.dated_on, a.id",                                  \
	    NULL, NULL)                                                    \
	/* The order behind each one-time line of an invoice, for its     \
	 * link. */                                                        \
	X(STATEMENT_ORDER_LINKS,                                          \
	    "SELECT DISTINCT ol.id, ol.order_id FROM invoice_lines il"     \
	    " JOIN order_lines ol ON ol.id = il.order_line_id"             \
	    " WHERE il.invoice_id = ? ORDER BY ol.id",                     \
	    NULL, NULL)

#endif /* OMS_STATEMENT_STMT_H */

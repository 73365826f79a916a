/*
 * distribution_stmt.h: the statements of the distribution of invoice
 * documents (src/domain/distribution.c), gathered into enum oms_stmt by
 * stmts.h.  Each entry is X(NAME, portable SQL, SQLite variant, MariaDB
 * variant); see src/store/stmt.h for the rules of a list.
 */
#ifndef OMS_DISTRIBUTION_STMT_H
#define OMS_DISTRIBUTION_STMT_H

#define OMS_STMTS_DISTRIBUTION(X)                                             \
	X(DIST_CUSTOMER, "SELECT id, code, name FROM customers"               \
	    " WHERE code = ?", NULL, NULL)                                    \
	/* How a customer's documents go (no row: by mail). */                \
	X(DIST_METHOD, "SELECT method, drop_system FROM document_delivery"    \
	    " WHERE customer_id = ?", NULL, NULL)                             \
	X(DIST_METHOD_DEL, "DELETE FROM document_delivery"                    \
	    " WHERE customer_id = ?", NULL, NULL)                             \
	X(DIST_METHOD_ADD, "INSERT INTO document_delivery (customer_id,"      \
	    " method, drop_system, updated_at) VALUES (?, ?, ?, ?)",          \
	    NULL, NULL)                                                       \
	X(DIST_CONTACTS, "SELECT id, email, name, created_at"                 \
	    " FROM billing_contacts WHERE customer_id = ? ORDER BY email",    \
	    NULL, NULL)                                                       \
	X(DIST_CONTACT_ADD, "INSERT INTO billing_contacts (customer_id,"      \
	    " email, name, created_at) VALUES (?, ?, ?, ?)", NULL, NULL)      \
	X(DIST_CONTACT_DEL, "DELETE FROM billing_contacts"                    \
	    " WHERE customer_id = ? AND email = ?", NULL, NULL)               \
	/* An issued invoice's heading for its message. */                    \
	X(DIST_INVOICE, "SELECT i.id, i.number, i.customer_id, i.period,"     \
	    " i.customer_code, i.customer_name, i.invoice_date"               \
	    " FROM invoices i WHERE i.id = ?", NULL, NULL)                    \
	/* The messages of an invoice's documents, oldest first. */          \
	X(DIST_MESSAGES, "SELECT id, message_id, system, state, attempts,"    \
	    " last_error, delivered_at, created_at, updated_at, body"         \
	    " FROM outbox WHERE invoice_id = ? ORDER BY id", NULL, NULL)      \
	X(DIST_INSERT,                                                        \
	    "INSERT INTO outbox (message_id, system, kind, seq_key, seq,"     \
	    " state, attempts, next_attempt_at, body, created_at, updated_at,"\
	    " invoice_id) VALUES (?, ?, 'SendDocuments', ?, 1, 'pending', 0," \
	    " ?, ?, ?, ?, ?)", NULL, NULL)

#endif /* OMS_DISTRIBUTION_STMT_H */

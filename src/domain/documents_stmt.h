/*
 * documents_stmt.h: the statements of the stored documents of issued
 * invoices (src/domain/documents.c, migration 0008).  A document is
 * written once: a second write of the same invoice and kind (another
 * host, a re-run) changes nothing.  Entries are X(NAME, portable,
 * sqlite, mariadb) as in src/store/stmt.h.
 */
#ifndef OMS_DOCUMENTS_STMT_H
#define OMS_DOCUMENTS_STMT_H

#define OMS_STMTS_DOCUMENTS(X)                                            \
	X(DOCUMENT_PUT, NULL,                                             \
	    "INSERT INTO invoice_documents (invoice_id, kind, media_type,"  \
	    " created_at, body) VALUES (?, ?, ?, ?, ?)"                    \
	    " ON CONFLICT (invoice_id, kind) DO NOTHING",                  \
	    "INSERT INTO invoice_documents (invoice_id, kind, media_type,"  \
	    " created_at, body) VALUES (?, ?, ?, ?, ?)"                    \
	    " ON DUPLICATE KEY UPDATE invoice_id = invoice_id")            \
	X(DOCUMENT_GET,                                                   \
	    "SELECT media_type, body FROM invoice_documents"               \
	    " WHERE invoice_id = ? AND kind = ?", NULL, NULL)              \
	/* Issued invoices without a document of a kind, below an id,     \
	 * newest first: parameters before, kind, limit. */               \
	X(DOCUMENT_PENDING,                                               \
	    "SELECT i.id FROM invoices i WHERE i.id < ? AND NOT EXISTS"    \
	    " (SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id" \
	    " AND d.kind = ?) ORDER BY i.id DESC LIMIT ?", NULL, NULL)     \
	/* As DOCUMENT_PENDING, of invoices of at most a number of lines  \
	 * (0: any): parameters before, kind, max, max, limit. */          \
	X(DOCUMENT_PENDING_SHORT,                                         \
	    "SELECT i.id FROM invoices i WHERE i.id < ? AND NOT EXISTS"    \
	    " (SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id" \
	    " AND d.kind = ?) AND (? = 0 OR (SELECT COUNT(*)"              \
	    " FROM invoice_lines l WHERE l.invoice_id = i.id) <= ?)"       \
	    " ORDER BY i.id DESC LIMIT ?", NULL, NULL)                     \
	X(DOCUMENT_LINES,                                                 \
	    "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = ?",     \
	    NULL, NULL)                                                    \
	X(DOCUMENT_PENDING_COUNT,                                         \
	    "SELECT COUNT(*) FROM invoices i WHERE NOT EXISTS"             \
	    " (SELECT 1 FROM invoice_documents d WHERE d.invoice_id = i.id" \
	    " AND d.kind = ?)", NULL, NULL)                                \
	X(DOCUMENT_KINDS,                                                 \
	    "SELECT kind FROM invoice_documents WHERE invoice_id = ?",     \
	    NULL, NULL)                                                    \
	/* An issued invoice's heading alone, in the customer scope (0:   \
	 * every customer), for a page served from stored documents. */   \
	X(DOCUMENT_INVOICE_HEAD,                                          \
	    "SELECT id, number, customer_id, period, customer_code,"       \
	    " customer_name, country FROM invoices WHERE id = ?"           \
	    " AND (? = 0 OR customer_id = ?)", NULL, NULL)

#endif /* OMS_DOCUMENTS_STMT_H */

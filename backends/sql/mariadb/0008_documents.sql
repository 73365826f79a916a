-- 0008: the documents of issued invoices (see the SQLite file).
-- LONGBLOB: a 70-page PDF or the page of a 5,000-line invoice is a few
-- megabytes; the server's max_allowed_packet (16 MB by default) bounds
-- one document.
CREATE TABLE invoice_documents (
	invoice_id BIGINT NOT NULL,
	kind VARCHAR(24) NOT NULL,
	media_type VARCHAR(40) NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	body LONGBLOB NOT NULL,
	PRIMARY KEY (invoice_id, kind),
	CONSTRAINT invoice_documents_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE invoices DROP COLUMN pdf_path;

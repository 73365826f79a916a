-- 0008: the documents of issued invoices (issue 9, item 6), rendered
-- once by the billing job after the period is issued and stored with
-- the invoice, never replaced: the Summary Invoice and the Billing
-- Report as page fragments (spliced into the pages), as printable HTML
-- and as PDF.  Kept in the database, not in files, so that every host
-- of a multi-host installation serves the same bytes and a backup of
-- the database holds them.  kind: 'invoice.html', 'invoice-print.html',
-- 'invoice.pdf', 'report.html', 'report-print.html', 'report.pdf'.
CREATE TABLE invoice_documents (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	kind VARCHAR(24) NOT NULL,
	media_type VARCHAR(40) NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	body BLOB NOT NULL,
	PRIMARY KEY (invoice_id, kind)
);

-- The documents were once meant to be files named here; they are rows
-- of invoice_documents instead.
ALTER TABLE invoices DROP COLUMN pdf_path;

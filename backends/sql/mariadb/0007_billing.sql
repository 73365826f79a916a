-- 0007: billing (BILLING.md), MariaDB dialect of
-- backends/sql/sqlite/0007_billing.sql, which says why.  Billing:
-- usage records, payments, adjustments, billing periods and the invoices issued for them, with their lines,
-- taxes, outstanding earlier invoices and Billing Report rows.  An
-- issued invoice is never updated: everything its documents show is
-- stored with it (codes and names as they were at issue).  Money is
-- integer cents; dates 'YYYY-MM-DD'; periods 'YYYY-MM'.

-- The first period issued since the customer exists (NULL until one
-- is): earlier periods are never billed to it.
ALTER TABLE customers ADD COLUMN first_period CHAR(7);

-- Usage by asset and day, keyed by the switch's record id (a record
-- re-sent is skipped, never billed twice).  customer_id is the
-- asset's, stored for the run's per-customer read.
CREATE TABLE usage_records (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	record_id VARCHAR(64) NOT NULL UNIQUE,
	asset_id BIGINT NOT NULL,
	customer_id BIGINT NOT NULL,
	used_on CHAR(10) NOT NULL,
	quantity BIGINT NOT NULL CHECK (quantity >= 0),
	CONSTRAINT usage_records_asset FOREIGN KEY (asset_id) REFERENCES assets (id),
	CONSTRAINT usage_records_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX usage_records_customer ON usage_records (customer_id, used_on);
CREATE INDEX usage_records_asset ON usage_records (asset_id);

CREATE TABLE billing_periods (
	period CHAR(7) NOT NULL PRIMARY KEY,
	state VARCHAR(16) NOT NULL CHECK (state IN ('issuing', 'issued')),
	business_day CHAR(10) NOT NULL,
	started_at VARCHAR(24) NOT NULL,
	issued_at VARCHAR(24),
	invoices BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE invoices (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	number BIGINT NOT NULL UNIQUE CHECK (number >= 1),
	customer_id BIGINT NOT NULL,
	period CHAR(7) NOT NULL,
	invoice_date CHAR(10) NOT NULL,
	due_date CHAR(10) NOT NULL,
	terms_days BIGINT NOT NULL,
	currency CHAR(3) NOT NULL,
	customer_code VARCHAR(32) NOT NULL,
	customer_name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	subtotal_cents BIGINT NOT NULL,
	tax_cents BIGINT NOT NULL,
	current_cents BIGINT NOT NULL,
	previous_cents BIGINT NOT NULL,
	payments_cents BIGINT NOT NULL,
	total_due_cents BIGINT NOT NULL,
	-- Aging of the outstanding earlier invoices on the invoice date:
	-- not yet due, 1-30, 31-60, 61-90, over 90 days past due.
	aging0_cents BIGINT NOT NULL,
	aging30_cents BIGINT NOT NULL,
	aging60_cents BIGINT NOT NULL,
	aging90_cents BIGINT NOT NULL,
	aging_over_cents BIGINT NOT NULL,
	pdf_path VARCHAR(200),
	UNIQUE (customer_id, period),
	CONSTRAINT invoices_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
	CONSTRAINT invoices_period FOREIGN KEY (period) REFERENCES billing_periods (period)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Payments: reported by the first invoice dated on or after them.
CREATE TABLE payments (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	reference VARCHAR(64) NOT NULL UNIQUE,
	customer_id BIGINT NOT NULL,
	paid_on CHAR(10) NOT NULL,
	amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
	method VARCHAR(32) NOT NULL,
	invoice_id BIGINT,
	created_at VARCHAR(24) NOT NULL,
	created_by VARCHAR(64) NOT NULL,
	CONSTRAINT payments_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
	CONSTRAINT payments_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX payments_customer ON payments (customer_id, paid_on);

-- Adjustments and credits (negative), billed in the period of dated_on.
CREATE TABLE adjustments (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	reference VARCHAR(64) NOT NULL UNIQUE,
	customer_id BIGINT NOT NULL,
	dated_on CHAR(10) NOT NULL,
	amount_cents BIGINT NOT NULL,
	description VARCHAR(200) NOT NULL,
	taxable BIGINT NOT NULL CHECK (taxable IN (0, 1)),
	site_id BIGINT,
	cost_centre_id BIGINT,
	created_at VARCHAR(24) NOT NULL,
	created_by VARCHAR(64) NOT NULL,
	CONSTRAINT adjustments_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
	CONSTRAINT adjustments_site FOREIGN KEY (site_id) REFERENCES sites (id),
	CONSTRAINT adjustments_cost_centre FOREIGN KEY (cost_centre_id) REFERENCES cost_centres (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX adjustments_customer ON adjustments (customer_id, dated_on);

-- An invoice's lines: this period's (billed_period = the invoice's)
-- then corrections of earlier ones (correction = 1, no dates).  ref is
-- what the line bills: the asset tag (recurring, usage), ORDER-REF/N
-- (one-time), the adjustment reference.
CREATE TABLE invoice_lines (
	invoice_id BIGINT NOT NULL,
	line_no BIGINT NOT NULL,
	kind VARCHAR(12) NOT NULL
		CHECK (kind IN ('recurring', 'usage', 'one-time', 'adjustment')),
	billed_period CHAR(7) NOT NULL,
	correction BIGINT NOT NULL CHECK (correction IN (0, 1)),
	ref VARCHAR(80) NOT NULL,
	asset_id BIGINT,
	order_line_id BIGINT,
	adjustment_id BIGINT,
	site_id BIGINT,
	site_code VARCHAR(32) NOT NULL,
	cost_centre_id BIGINT,
	cc_code VARCHAR(32) NOT NULL,
	product_id BIGINT,
	product_code VARCHAR(32) NOT NULL,
	jurisdiction VARCHAR(16) NOT NULL,
	from_day CHAR(10),
	to_day CHAR(10),
	days BIGINT NOT NULL,
	period_days BIGINT NOT NULL,
	quantity BIGINT NOT NULL,
	billable BIGINT NOT NULL,
	rate BIGINT NOT NULL,
	amount_cents BIGINT NOT NULL,
	taxable BIGINT NOT NULL CHECK (taxable IN (0, 1)),
	description VARCHAR(200) NOT NULL,
	PRIMARY KEY (invoice_id, line_no),
	CONSTRAINT invoice_lines_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE invoice_taxes (
	invoice_id BIGINT NOT NULL,
	seq BIGINT NOT NULL,
	jurisdiction VARCHAR(16) NOT NULL,
	tax VARCHAR(16) NOT NULL,
	base_cents BIGINT NOT NULL,
	rate_ppm BIGINT NOT NULL,
	amount_cents BIGINT NOT NULL,
	PRIMARY KEY (invoice_id, seq),
	CONSTRAINT invoice_taxes_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The earlier invoices with something left when this one was issued.
CREATE TABLE invoice_outstanding (
	invoice_id BIGINT NOT NULL,
	seq BIGINT NOT NULL,
	earlier_id BIGINT NOT NULL,
	number BIGINT NOT NULL,
	period CHAR(7) NOT NULL,
	due_date CHAR(10) NOT NULL,
	days_past_due BIGINT NOT NULL,
	left_cents BIGINT NOT NULL,
	PRIMARY KEY (invoice_id, seq),
	CONSTRAINT invoice_outstanding_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id),
	CONSTRAINT invoice_outstanding_earlier FOREIGN KEY (earlier_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The Billing Report's rows: one a site and cost centre (kind 'row'),
-- then the site's sub-total ('subtotal'); site_code '' for lines
-- without a site.
CREATE TABLE report_rows (
	invoice_id BIGINT NOT NULL,
	seq BIGINT NOT NULL,
	kind VARCHAR(10) NOT NULL CHECK (kind IN ('row', 'subtotal')),
	site_code VARCHAR(32) NOT NULL,
	site_name VARCHAR(200) NOT NULL,
	cc_code VARCHAR(32) NOT NULL,
	cc_name VARCHAR(200) NOT NULL,
	ports BIGINT NOT NULL,
	charge_cents BIGINT NOT NULL,
	PRIMARY KEY (invoice_id, seq),
	CONSTRAINT report_rows_invoice FOREIGN KEY (invoice_id) REFERENCES invoices (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Billing runs asked for from the billing page (see the SQLite file).
CREATE TABLE billing_runs (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	period CHAR(7) NOT NULL,
	business_day CHAR(10) NOT NULL,
	requested_by VARCHAR(64) NOT NULL,
	requested_at VARCHAR(24) NOT NULL,
	state VARCHAR(16) NOT NULL
		CHECK (state IN ('queued', 'running', 'done', 'failed')),
	done_customers BIGINT NOT NULL DEFAULT 0,
	total_customers BIGINT NOT NULL DEFAULT 0,
	invoices BIGINT NOT NULL DEFAULT 0,
	message VARCHAR(400),
	finished_at VARCHAR(24)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX billing_runs_state ON billing_runs (state);

-- A telephone number is used once among assets in service on a day
-- (orders.c, ORDER_NUMBER_USED): without this index that check read
-- every state of every asset for each order line.
CREATE INDEX asset_states_number ON asset_states (phone_number);

-- 0007: billing (BILLING.md): usage records, payments, adjustments,
-- billing periods and the invoices issued for them, with their lines,
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
	id INTEGER PRIMARY KEY,
	record_id VARCHAR(64) NOT NULL UNIQUE,
	asset_id INTEGER NOT NULL REFERENCES assets (id),
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	used_on CHAR(10) NOT NULL,
	quantity INTEGER NOT NULL CHECK (quantity >= 0)
);
CREATE INDEX usage_records_customer ON usage_records (customer_id, used_on);
CREATE INDEX usage_records_asset ON usage_records (asset_id);

CREATE TABLE billing_periods (
	period CHAR(7) NOT NULL PRIMARY KEY,
	state VARCHAR(16) NOT NULL CHECK (state IN ('issuing', 'issued')),
	business_day CHAR(10) NOT NULL,
	started_at VARCHAR(24) NOT NULL,
	issued_at VARCHAR(24),
	invoices INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE invoices (
	id INTEGER PRIMARY KEY,
	number INTEGER NOT NULL UNIQUE CHECK (number >= 1),
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	period CHAR(7) NOT NULL REFERENCES billing_periods (period),
	invoice_date CHAR(10) NOT NULL,
	due_date CHAR(10) NOT NULL,
	terms_days INTEGER NOT NULL,
	currency CHAR(3) NOT NULL,
	customer_code VARCHAR(32) NOT NULL,
	customer_name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	subtotal_cents INTEGER NOT NULL,
	tax_cents INTEGER NOT NULL,
	current_cents INTEGER NOT NULL,
	previous_cents INTEGER NOT NULL,
	payments_cents INTEGER NOT NULL,
	total_due_cents INTEGER NOT NULL,
	-- Aging of the outstanding earlier invoices on the invoice date:
	-- not yet due, 1-30, 31-60, 61-90, over 90 days past due.
	aging0_cents INTEGER NOT NULL,
	aging30_cents INTEGER NOT NULL,
	aging60_cents INTEGER NOT NULL,
	aging90_cents INTEGER NOT NULL,
	aging_over_cents INTEGER NOT NULL,
	pdf_path VARCHAR(200),
	UNIQUE (customer_id, period)
);

-- Payments: reported by the first invoice dated on or after them.
CREATE TABLE payments (
	id INTEGER PRIMARY KEY,
	reference VARCHAR(64) NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	paid_on CHAR(10) NOT NULL,
	amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
	method VARCHAR(32) NOT NULL,
	invoice_id INTEGER REFERENCES invoices (id),
	created_at VARCHAR(24) NOT NULL,
	created_by VARCHAR(64) NOT NULL
);
CREATE INDEX payments_customer ON payments (customer_id, paid_on);

-- Adjustments and credits (negative), billed in the period of dated_on.
CREATE TABLE adjustments (
	id INTEGER PRIMARY KEY,
	reference VARCHAR(64) NOT NULL UNIQUE,
	customer_id INTEGER NOT NULL REFERENCES customers (id),
	dated_on CHAR(10) NOT NULL,
	amount_cents INTEGER NOT NULL,
	description VARCHAR(200) NOT NULL,
	taxable INTEGER NOT NULL CHECK (taxable IN (0, 1)),
	site_id INTEGER REFERENCES sites (id),
	cost_centre_id INTEGER REFERENCES cost_centres (id),
	created_at VARCHAR(24) NOT NULL,
	created_by VARCHAR(64) NOT NULL
);
CREATE INDEX adjustments_customer ON adjustments (customer_id, dated_on);

-- An invoice's lines: this period's (billed_period = the invoice's)
-- then corrections of earlier ones (correction = 1, no dates).  ref is
-- what the line bills: the asset tag (recurring, usage), ORDER-REF/N
-- (one-time), the adjustment reference.
CREATE TABLE invoice_lines (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	line_no INTEGER NOT NULL,
	kind VARCHAR(12) NOT NULL
		CHECK (kind IN ('recurring', 'usage', 'one-time', 'adjustment')),
	billed_period CHAR(7) NOT NULL,
	correction INTEGER NOT NULL CHECK (correction IN (0, 1)),
	ref VARCHAR(80) NOT NULL,
	asset_id INTEGER,
	order_line_id INTEGER,
	adjustment_id INTEGER,
	site_id INTEGER,
	site_code VARCHAR(32) NOT NULL,
	cost_centre_id INTEGER,
	cc_code VARCHAR(32) NOT NULL,
	product_id INTEGER,
	product_code VARCHAR(32) NOT NULL,
	jurisdiction VARCHAR(16) NOT NULL,
	from_day CHAR(10),
	to_day CHAR(10),
	days INTEGER NOT NULL,
	period_days INTEGER NOT NULL,
	quantity INTEGER NOT NULL,
	billable INTEGER NOT NULL,
	rate INTEGER NOT NULL,
	amount_cents INTEGER NOT NULL,
	taxable INTEGER NOT NULL CHECK (taxable IN (0, 1)),
	description VARCHAR(200) NOT NULL,
	PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE invoice_taxes (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	seq INTEGER NOT NULL,
	jurisdiction VARCHAR(16) NOT NULL,
	tax VARCHAR(16) NOT NULL,
	base_cents INTEGER NOT NULL,
	rate_ppm INTEGER NOT NULL,
	amount_cents INTEGER NOT NULL,
	PRIMARY KEY (invoice_id, seq)
);

-- The earlier invoices with something left when this one was issued.
CREATE TABLE invoice_outstanding (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	seq INTEGER NOT NULL,
	earlier_id INTEGER NOT NULL REFERENCES invoices (id),
	number INTEGER NOT NULL,
	period CHAR(7) NOT NULL,
	due_date CHAR(10) NOT NULL,
	days_past_due INTEGER NOT NULL,
	left_cents INTEGER NOT NULL,
	PRIMARY KEY (invoice_id, seq)
);

-- The Billing Report's rows: one a site and cost centre (kind 'row'),
-- then the site's sub-total ('subtotal'); site_code '' for lines
-- without a site.
CREATE TABLE report_rows (
	invoice_id INTEGER NOT NULL REFERENCES invoices (id),
	seq INTEGER NOT NULL,
	kind VARCHAR(10) NOT NULL CHECK (kind IN ('row', 'subtotal')),
	site_code VARCHAR(32) NOT NULL,
	site_name VARCHAR(200) NOT NULL,
	cc_code VARCHAR(32) NOT NULL,
	cc_name VARCHAR(200) NOT NULL,
	ports INTEGER NOT NULL,
	charge_cents INTEGER NOT NULL,
	PRIMARY KEY (invoice_id, seq)
);

-- Billing runs asked for from the billing page: omsd's billing job
-- takes the oldest queued one, issues its period and records its
-- progress here for the page to show.
CREATE TABLE billing_runs (
	id INTEGER PRIMARY KEY,
	period CHAR(7) NOT NULL,
	business_day CHAR(10) NOT NULL,
	requested_by VARCHAR(64) NOT NULL,
	requested_at VARCHAR(24) NOT NULL,
	state VARCHAR(16) NOT NULL
		CHECK (state IN ('queued', 'running', 'done', 'failed')),
	done_customers INTEGER NOT NULL DEFAULT 0,
	total_customers INTEGER NOT NULL DEFAULT 0,
	invoices INTEGER NOT NULL DEFAULT 0,
	message VARCHAR(400),
	finished_at VARCHAR(24)
);
CREATE INDEX billing_runs_state ON billing_runs (state);

-- A telephone number is used once among assets in service on a day
-- (orders.c, ORDER_NUMBER_USED): without this index that check read
-- every state of every asset for each order line.
CREATE INDEX asset_states_number ON asset_states (phone_number)
	WHERE phone_number IS NOT NULL;

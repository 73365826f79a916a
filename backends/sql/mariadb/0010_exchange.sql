-- 0010: the legacy exchange and distribution (issue 10).  The same as
-- the SQLite migration beside it, whose comments say what each column
-- means.
ALTER TABLE outbox
	ADD COLUMN claimed_by VARCHAR(64),
	ADD COLUMN claim_until VARCHAR(24),
	ADD COLUMN delivered_at VARCHAR(24),
	ADD COLUMN reply MEDIUMTEXT,
	ADD COLUMN invoice_id BIGINT,
	ADD KEY outbox_invoice (invoice_id),
	ADD KEY outbox_system_state (system, state),
	ADD CONSTRAINT outbox_invoice_fk FOREIGN KEY (invoice_id)
	    REFERENCES invoices (id);

CREATE TABLE vendor_orders (
	order_line_id BIGINT NOT NULL PRIMARY KEY,
	order_id BIGINT NOT NULL,
	asset_id BIGINT,
	vendor_ref VARCHAR(64),
	status VARCHAR(16) NOT NULL CHECK (status IN ('placed',
	    'acknowledged', 'scheduled', 'installed', 'rejected')),
	scheduled_on VARCHAR(10),
	installed_on VARCHAR(10),
	serial VARCHAR(64),
	phone_number VARCHAR(32),
	note VARCHAR(1000),
	message_id VARCHAR(64),
	updated_at VARCHAR(24) NOT NULL,
	KEY vendor_orders_asset (asset_id),
	CONSTRAINT vendor_orders_line_fk FOREIGN KEY (order_line_id)
	    REFERENCES order_lines (id),
	CONSTRAINT vendor_orders_order_fk FOREIGN KEY (order_id)
	    REFERENCES orders (id),
	CONSTRAINT vendor_orders_asset_fk FOREIGN KEY (asset_id)
	    REFERENCES assets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE asset_leases (
	asset_id BIGINT NOT NULL PRIMARY KEY,
	lease_number VARCHAR(64) NOT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'booked' CHECK (status IN
	    ('booked', 'returned')),
	term_months INTEGER CHECK (term_months >= 0),
	starts_on VARCHAR(10),
	ends_on VARCHAR(10),
	monthly_cents BIGINT,
	schedule MEDIUMTEXT,
	message_id VARCHAR(64),
	booked_at VARCHAR(24) NOT NULL,
	updated_at VARCHAR(24) NOT NULL,
	KEY asset_leases_number (lease_number),
	CONSTRAINT asset_leases_asset_fk FOREIGN KEY (asset_id)
	    REFERENCES assets (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE inbound_messages (
	account_id BIGINT NOT NULL,
	message_id VARCHAR(64) NOT NULL,
	operation VARCHAR(32) NOT NULL,
	body_sha256 CHAR(64) NOT NULL,
	http_status INTEGER NOT NULL,
	response LONGBLOB NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	PRIMARY KEY (account_id, message_id),
	CONSTRAINT inbound_messages_account_fk FOREIGN KEY (account_id)
	    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE document_delivery (
	customer_id BIGINT NOT NULL PRIMARY KEY,
	method VARCHAR(8) NOT NULL CHECK (method IN ('mail', 'drop', 'none')),
	drop_system VARCHAR(32),
	updated_at VARCHAR(24) NOT NULL,
	CHECK ((method = 'drop') = (drop_system IS NOT NULL)),
	CONSTRAINT document_delivery_customer_fk FOREIGN KEY (customer_id)
	    REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE billing_contacts (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id BIGINT NOT NULL,
	email VARCHAR(254) NOT NULL,
	name VARCHAR(100),
	created_at VARCHAR(24) NOT NULL,
	UNIQUE KEY billing_contacts_email (customer_id, email),
	CONSTRAINT billing_contacts_customer_fk FOREIGN KEY (customer_id)
	    REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

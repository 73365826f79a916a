-- 0001: the inventory: customers, their sites and cost centres, the
-- product catalog, and the assets installed at sites.  MariaDB dialect
-- of backends/sqlite/0001_inventory.sql: the same tables, columns and
-- constraints; InnoDB, utf8mb4; money is integer cents.
-- MariaDB commits DDL implicitly, so a migration that fails half-way
-- is repaired by hand: keep each migration to statements that can be
-- re-run (IF NOT EXISTS) where the dialect allows.

CREATE TABLE IF NOT EXISTS customers (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code VARCHAR(32) NOT NULL UNIQUE,
	name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	currency CHAR(3) NOT NULL DEFAULT 'USD',
	created_at VARCHAR(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sites (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id BIGINT NOT NULL,
	code VARCHAR(32) NOT NULL,
	name VARCHAR(200) NOT NULL,
	address VARCHAR(200) NOT NULL,
	city VARCHAR(100) NOT NULL,
	region VARCHAR(100) NOT NULL,
	postcode VARCHAR(20) NOT NULL,
	country CHAR(2) NOT NULL,
	UNIQUE KEY sites_code (customer_id, code),
	CONSTRAINT sites_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS cost_centres (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	customer_id BIGINT NOT NULL,
	code VARCHAR(32) NOT NULL,
	name VARCHAR(200) NOT NULL,
	UNIQUE KEY cost_centres_code (customer_id, code),
	CONSTRAINT cost_centres_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS products (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	code VARCHAR(32) NOT NULL UNIQUE,
	name VARCHAR(200) NOT NULL,
	asset_type VARCHAR(16) NOT NULL
		CHECK (asset_type IN ('line', 'set', 'mailbox')),
	monthly_cents BIGINT NOT NULL DEFAULT 0 CHECK (monthly_cents >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS assets (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	site_id BIGINT NOT NULL,
	cost_centre_id BIGINT NOT NULL,
	product_id BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL
		CHECK (status IN ('pending', 'active', 'suspended', 'removed')),
	ports INTEGER NOT NULL DEFAULT 1 CHECK (ports >= 0),
	phone_number VARCHAR(32),
	extension VARCHAR(16),
	mailbox VARCHAR(16),
	serial VARCHAR(64),
	installed_on CHAR(10) NOT NULL,
	removed_on CHAR(10),
	CONSTRAINT assets_dates CHECK (removed_on IS NULL OR removed_on > installed_on),
	KEY assets_site_status (site_id, status),
	KEY assets_site_number (site_id, phone_number),
	KEY assets_cost_centre (cost_centre_id),
	KEY assets_product (product_id),
	CONSTRAINT assets_site FOREIGN KEY (site_id) REFERENCES sites (id),
	CONSTRAINT assets_cc FOREIGN KEY (cost_centre_id) REFERENCES cost_centres (id),
	CONSTRAINT assets_prod FOREIGN KEY (product_id) REFERENCES products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 0009: the transactional outbox of the legacy exchange (see the
-- SQLite file for the meaning of each column).  MEDIUMTEXT: a message
-- is a few kilobytes; 16 MB bounds it.
CREATE TABLE outbox (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	message_id VARCHAR(64) NOT NULL,
	system VARCHAR(32) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	seq_key VARCHAR(100) NOT NULL,
	seq INTEGER NOT NULL CHECK (seq >= 1),
	asset_id BIGINT,
	asset_tag VARCHAR(40),
	order_id BIGINT,
	order_ref VARCHAR(32),
	state VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (state IN
	    ('pending', 'sending', 'unknown', 'delivered', 'dead')),
	attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	next_attempt_at VARCHAR(24) NOT NULL,
	last_error VARCHAR(1000),
	body MEDIUMTEXT NOT NULL,
	created_at VARCHAR(24) NOT NULL,
	updated_at VARCHAR(24) NOT NULL,
	UNIQUE KEY outbox_message (message_id),
	UNIQUE KEY outbox_seq (system, seq_key, seq),
	KEY outbox_due (state, next_attempt_at),
	KEY outbox_asset (asset_id),
	CONSTRAINT outbox_asset_fk FOREIGN KEY (asset_id) REFERENCES assets (id),
	CONSTRAINT outbox_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

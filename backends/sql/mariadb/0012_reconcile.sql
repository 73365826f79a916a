-- 0012: indexes for the integration page and the reconciliation
-- report.  The same as the SQLite migration beside it, whose comments
-- say what each index is for.
CREATE INDEX invoice_lines_period_asset ON invoice_lines (billed_period, asset_id);
CREATE INDEX outbox_order ON outbox (order_id);
CREATE INDEX outbox_system_created ON outbox (system, state, created_at);

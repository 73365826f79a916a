-- 0012: indexes for the integration page and the reconciliation
-- report (issue 10, item 6; src/domain/monitor.c).  The report reads a
-- period's invoice lines by billed period and asset, and finds the
-- PlaceOrder messages of an order; the integration page counts the
-- outbox by system and state (outbox_system_state of 0010) and finds
-- the oldest waiting message of each system by creation time.
CREATE INDEX invoice_lines_period_asset ON invoice_lines (billed_period, asset_id);
CREATE INDEX outbox_order ON outbox (order_id);
CREATE INDEX outbox_system_created ON outbox (system, state, created_at);

/*
 * monitor_stmt.h: the statements of the integration page and the
 * reconciliation report (src/domain/monitor.c), gathered into enum
 * oms_stmt by stmts.h.  Each entry is X(NAME, portable SQL, SQLite
 * variant, MariaDB variant); see src/store/stmt.h for the rules of a
 * list.
 */
#ifndef OMS_MONITOR_STMT_H
#define OMS_MONITOR_STMT_H

/* A message's columns are outbox_stmt.h's OMS_SQL_OUTBOX_COLS
 * (oms_outbox_msg_row() reads them). */

/*
 * The common part of the reconciliation statements: parameters, in
 * order, the first day of the period, the first day of the next, the
 * last day (twice), the period (twice).
 *   svc: the assets in service on some day of the period (a non-empty
 *        state other than removed overlapping it: BILLING.md's
 *        "in service", which billing bills whatever the status);
 *   eom: the assets in service on its last day;
 *   billed: the assets with recurring or usage lines billed for the
 *        period (this period's invoices and later corrections of it),
 *        with the newest invoice among them;
 *   rec: each asset's monthly amount as billed for the period: rate x
 *        quantity of its recurring line (not a correction) with the
 *        latest last day, the amount in force at the end of its time
 *        in service in the period, before proration.
 */
#define OMS_SQL_RECON_CTES                                                  \
	"WITH svc AS (SELECT DISTINCT asset_id FROM asset_states"            \
	"  WHERE status <> 'removed' AND valid_from < ?"                     \
	"  AND (valid_to IS NULL OR (valid_to > ? AND valid_to > valid_from))),"\
	" eom AS (SELECT DISTINCT asset_id FROM asset_states"                 \
	"  WHERE status <> 'removed' AND valid_from <= ?"                    \
	"  AND (valid_to IS NULL OR valid_to > ?)),"                         \
	" billed AS (SELECT asset_id, MAX(invoice_id) AS invoice_id"          \
	"  FROM invoice_lines WHERE billed_period = ?"                       \
	"  AND asset_id IS NOT NULL AND kind IN ('recurring', 'usage')"      \
	"  GROUP BY asset_id),"                                               \
	" rec AS (SELECT asset_id, monthly FROM (SELECT asset_id,"            \
	"  rate * quantity AS monthly, ROW_NUMBER() OVER (PARTITION BY"      \
	"  asset_id ORDER BY to_day DESC, invoice_id DESC, line_no DESC)"    \
	"  AS rn FROM invoice_lines WHERE billed_period = ?"                 \
	"  AND asset_id IS NOT NULL AND kind = 'recurring'"                  \
	"  AND correction = 0) x WHERE rn = 1)"

/*
 * The mismatches, one row each: kind (1..6, enum oms_recon_kind + 1),
 * the asset, the vendor order line (kind 6) and the amount billed (kind
 * 4).  Then the links and facts of each row.  Parameters: those of
 * OMS_SQL_RECON_CTES, the last day of the period (kind 2), the period
 * (kind 5), the first and last days (kind 6).  PLACED is the pattern
 * that finds a line's PlaceOrder in a message body, per dialect.
 */
#define OMS_SQL_RECON(PLACED)                                                 \
	OMS_SQL_RECON_CTES ","                                                \
	" hits AS ("                                                          \
	/* 1: in service, no lease of its own nor (an add-on) its parent's */ \
	"SELECT 1 AS k, s.asset_id, NULL AS vline, NULL AS amt FROM svc s"    \
	"  JOIN assets a ON a.id = s.asset_id"                                \
	"  WHERE NOT EXISTS (SELECT 1 FROM asset_leases l"                    \
	"   WHERE l.asset_id = a.id)"                                         \
	"  AND NOT EXISTS (SELECT 1 FROM asset_leases l"                      \
	"   WHERE l.asset_id = a.parent_id)"                                  \
	/* 2: a booked lease, begun by the end of the period, for an asset  \
	 * not in service on its last day */                                  \
	" UNION ALL SELECT 2, l.asset_id, NULL, NULL FROM asset_leases l"     \
	"  WHERE l.status = 'booked'"                                         \
	"  AND COALESCE(l.starts_on, SUBSTR(l.booked_at, 1, 10)) <= ?"        \
	"  AND NOT EXISTS (SELECT 1 FROM eom e WHERE e.asset_id = l.asset_id)"\
	/* 3: billed, made by an order line with no vendor order: no        \
	 * vendor_orders row (other than rejected) and no delivered         \
	 * PlaceOrder of that line */                                         \
	" UNION ALL SELECT 3, b.asset_id, NULL, NULL FROM billed b"           \
	"  JOIN order_lines m ON m.asset_id = b.asset_id"                     \
	"  AND m.action IN ('add', 'addon')"                                  \
	"  JOIN orders o2 ON o2.id = m.order_id"                              \
	"  WHERE NOT EXISTS (SELECT 1 FROM vendor_orders v"                   \
	"   WHERE v.order_line_id = m.id AND v.status <> 'rejected')"         \
	"  AND NOT EXISTS (SELECT 1 FROM outbox x"                            \
	"   WHERE x.order_id = m.order_id AND x.kind = 'PlaceOrder'"          \
	"   AND x.state = 'delivered' AND x.body LIKE " PLACED ")"            \
	/* 4: a booked lease whose monthly amount is not the billed monthly \
	 * amount of its asset and of the add-ons it covers (in service,   \
	 * billed, with no lease of their own) */                             \
	" UNION ALL SELECT 4, l.asset_id, NULL, r.monthly"                    \
	"  + COALESCE((SELECT SUM(r2.monthly) FROM assets ad"                  \
	"   JOIN rec r2 ON r2.asset_id = ad.id WHERE ad.parent_id = l.asset_id"\
	"   AND NOT EXISTS (SELECT 1 FROM asset_leases l3"                    \
	"    WHERE l3.asset_id = ad.id)), 0) FROM asset_leases l"             \
	"  JOIN rec r ON r.asset_id = l.asset_id"                             \
	"  WHERE l.status = 'booked' AND l.monthly_cents IS NOT NULL"         \
	"  AND l.monthly_cents <> r.monthly"                                  \
	"  + COALESCE((SELECT SUM(r2.monthly) FROM assets ad"                  \
	"   JOIN rec r2 ON r2.asset_id = ad.id WHERE ad.parent_id = l.asset_id"\
	"   AND NOT EXISTS (SELECT 1 FROM asset_leases l3"                    \
	"    WHERE l3.asset_id = ad.id)), 0)"                                 \
	/* 5: in service, its customer invoiced for the period, no         \
	 * recurring line of its own */                                       \
	" UNION ALL SELECT 5, s.asset_id, NULL, NULL FROM svc s"              \
	"  JOIN assets a ON a.id = s.asset_id"                                \
	"  JOIN sites si ON si.id = a.site_id"                                \
	"  WHERE EXISTS (SELECT 1 FROM invoices i"                            \
	"   WHERE i.customer_id = si.customer_id AND i.period = ?)"           \
	"  AND NOT EXISTS (SELECT 1 FROM rec r WHERE r.asset_id = s.asset_id)"\
	/* 6: the vendor says installed in the period; no asset in service */ \
	" UNION ALL SELECT 6, v.asset_id, v.order_line_id, NULL"              \
	"  FROM vendor_orders v WHERE v.status = 'installed'"                 \
	"  AND v.installed_on >= ? AND v.installed_on <= ?"                   \
	"  AND (v.asset_id IS NULL OR NOT EXISTS (SELECT 1 FROM svc s"        \
	"   WHERE s.asset_id = v.asset_id)))"                                 \
	"SELECT h.k, h.asset_id, a.tag, c.code, o.id, o.ref, b.invoice_id,"   \
	" i.number, l.lease_number, l.monthly_cents,"                         \
	" COALESCE(h.amt, r.monthly), vo.vendor_ref, vo.status"               \
	" FROM hits h LEFT JOIN assets a ON a.id = h.asset_id"                \
	" LEFT JOIN sites si ON si.id = a.site_id"                            \
	" LEFT JOIN customers c ON c.id = si.customer_id"                     \
	" LEFT JOIN order_lines ol ON ol.id = COALESCE(h.vline,"              \
	"  (SELECT MIN(m.id) FROM order_lines m WHERE m.asset_id = h.asset_id"\
	"   AND m.action IN ('add', 'addon')))"                               \
	" LEFT JOIN orders o ON o.id = ol.order_id"                           \
	" LEFT JOIN vendor_orders vo ON vo.order_line_id = ol.id"             \
	" LEFT JOIN billed b ON b.asset_id = h.asset_id"                      \
	" LEFT JOIN invoices i ON i.id = b.invoice_id"                        \
	" LEFT JOIN asset_leases l ON l.asset_id = h.asset_id"                \
	" LEFT JOIN rec r ON r.asset_id = h.asset_id"                         \
	" ORDER BY h.k, h.asset_id, h.vline"

#define OMS_STMTS_MONITOR(X)                                                  \
	/* Messages by system and state (filter: system, NULL any). */         \
	X(MONITOR_COUNTS,                                                     \
	    "SELECT system, state, COUNT(*) FROM outbox"                      \
	    " WHERE (? IS NULL OR system = ?)"                                \
	    " GROUP BY system, state ORDER BY system, state", NULL, NULL)     \
	/* The oldest message of each system still waiting to go (pending, \
	 * sending or unknown): its creation time and id. */                  \
	X(MONITOR_OLDEST,                                                     \
	    "SELECT o.system, o.created_at, MIN(o.id) FROM outbox o"          \
	    " JOIN (SELECT system, MIN(created_at) AS t FROM outbox"          \
	    "  WHERE state IN ('pending', 'sending', 'unknown')"              \
	    "  AND (? IS NULL OR system = ?) GROUP BY system) w"              \
	    " ON w.system = o.system AND w.t = o.created_at"                  \
	    " WHERE o.state IN ('pending', 'sending', 'unknown')"             \
	    " GROUP BY o.system, o.created_at ORDER BY o.system", NULL, NULL) \
	/* Messages in one state (filter: system), oldest first, paged. */   \
	X(MONITOR_LIST,                                                       \
	    OMS_SQL_OUTBOX_COLS " FROM outbox WHERE state = ?"               \
	    " AND (? IS NULL OR system = ?) ORDER BY id LIMIT ? OFFSET ?",    \
	    NULL, NULL)                                                       \
	X(MONITOR_LIST_COUNT,                                                 \
	    "SELECT COUNT(*) FROM outbox WHERE state = ?"                     \
	    " AND (? IS NULL OR system = ?)", NULL, NULL)                     \
	/* One message with everything the dispatcher recorded. */           \
	X(MONITOR_GET,                                                        \
	    OMS_SQL_OUTBOX_COLS ", body, claimed_by, claim_until,"           \
	    " delivered_at, reply, invoice_id FROM outbox WHERE id = ?",      \
	    NULL, NULL)                                                       \
	/* The reconciliation's totals: assets in service, assets billed,  \
	 * leases booked, vendor orders (not rejected) of assets in         \
	 * service. */                                                        \
	X(RECON_TOTALS,                                                       \
	    OMS_SQL_RECON_CTES " SELECT (SELECT COUNT(*) FROM svc),"          \
	    " (SELECT COUNT(*) FROM billed),"                                 \
	    " (SELECT COUNT(*) FROM asset_leases WHERE status = 'booked'),"   \
	    " (SELECT COUNT(*) FROM vendor_orders v JOIN svc s"               \
	    "  ON s.asset_id = v.asset_id WHERE v.status <> 'rejected'),"     \
	    " (SELECT COUNT(*) FROM rec)", NULL, NULL)                        \
	X(RECON_ROWS, OMS_SQL_RECON(                                          \
	    "'%<order ref=\"' || o2.ref || '\" line=\"' || m.line_no || '\"%'"),\
	    NULL, OMS_SQL_RECON(                                              \
	    "CONCAT('%<order ref=\"', o2.ref, '\" line=\"', m.line_no, '\"%')"))

#endif /* OMS_MONITOR_STMT_H */

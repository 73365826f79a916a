/*
 * stmts.h: every statement list of OMS gathered into the one enum
 * oms_stmt, and the one table (stmts.c) that connections are opened
 * with:
 *
 *	oms_store_open(&conf.store, flags, &oms_stmt_table, &st);
 *	q = oms_query(st, OMS_STMT_SITE_GET);
 *
 * The store's own list comes first, so that its constants (enum
 * oms_store_stmt, src/store/stmt.h) index the same entries here; each
 * domain module's list follows, numbered on from there.  A new module adds its list header
 * (src/domain/MODULE_stmt.h with OMS_STMTS_MODULE(X)), includes it
 * below and adds one line to OMS_STMTS_DOMAIN: nothing else changes.
 */
#ifndef OMS_STMTS_H
#define OMS_STMTS_H

#include "stmt.h"

#include "audit_stmt.h"
#include "auth_stmt.h"
#include "billing_stmt.h"
#include "catalog_stmt.h"
#include "history_stmt.h"
#include "importer_stmt.h"
#include "inventory_stmt.h"
#include "lease_stmt.h"
#include "orders_stmt.h"
#include "seed_stmt.h"
#include "users_stmt.h"
#include "statement_stmt.h"
#include "billrun_stmt.h"
#include "documents_stmt.h"
#include "outbox_stmt.h"
#include "inbound_stmt.h"
#include "delivery_stmt.h"
#include "monitor_stmt.h"
#include "distribution_stmt.h"

/* Every domain module's list.  One line a module. */
#define OMS_STMTS_DOMAIN(X)                                                \
	OMS_STMTS_INVENTORY(X)                                             \
	OMS_STMTS_SEED(X)                                                  \
	OMS_STMTS_SEED_ACTIVITY(X)                                         \
	OMS_STMTS_USERS(X)                                                 \
	OMS_STMTS_AUTH(X)                                                  \
	OMS_STMTS_AUDIT(X)                                                 \
	OMS_STMTS_LEASE(X)                                                 \
	OMS_STMTS_HISTORY(X)                                               \
	OMS_STMTS_ORDERS(X)                                                \
	OMS_STMTS_CATALOG(X)                                                \
	OMS_STMTS_IMPORTER(X)                                              \
	OMS_STMTS_BILLING(X)                                               \
	OMS_STMTS_STATEMENT(X)                                             \
	OMS_STMTS_BILLRUN(X)                                               \
	OMS_STMTS_DOCUMENTS(X)                                             \
	OMS_STMTS_OUTBOX(X)                                                \
	OMS_STMTS_INBOUND(X)                                               \
	OMS_STMTS_DELIVERY(X)                                              \
	OMS_STMTS_MONITOR(X)                                               \
	OMS_STMTS_DISTRIBUTION(X)

/* The domain's statements, numbered after the store's own (whose
 * constants, OMS_STMT_PING and so on, are enum oms_store_stmt). */
enum oms_stmt {
	OMS_STMT__STORE_LAST = OMS_STMT_STORE__MAX - 1,
	OMS_STMTS_DOMAIN(OMS_STMT_ENUM)
	OMS_STMT__MAX
};

/* The table of every statement, indexed by enum oms_stmt. */
extern const struct oms_stmt_table oms_stmt_table;

#endif /* OMS_STMTS_H */

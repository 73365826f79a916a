/*
 * stmt.c: every SQL statement of OMS.
 */
#include "config.h"

#include <stddef.h>

#include "stmt.h"

/* The filters of the site asset query, shared by the count and the
 * page.  The type filter is a subquery rather than a join so that the
 * count touches the assets table alone.  Parameters: site, type x2, status x2, cost centre x2, then the
 * free-text pattern five times (NULL for none). */
#define ASSET_WHERE                                                         \
	" WHERE a.site_id = ?"                                              \
	" AND (? IS NULL OR a.product_id IN"                                \
	"  (SELECT id FROM products WHERE asset_type = ?))"                 \
	" AND (? IS NULL OR a.status = ?)"                                  \
	" AND (? IS NULL OR a.cost_centre_id = ?)"                          \
	" AND (? IS NULL OR a.phone_number LIKE ? ESCAPE '!'"               \
	" OR a.extension LIKE ? ESCAPE '!' OR a.mailbox LIKE ? ESCAPE '!'"  \
	" OR a.serial LIKE ? ESCAPE '!')"

#define ASSET_SELECT                                                        \
	"SELECT a.id, p.asset_type, a.status, a.phone_number, a.extension," \
	" a.mailbox, a.serial, p.name, c.code, a.ports, a.installed_on,"    \
	" a.removed_on FROM assets a"                                       \
	" JOIN products p ON p.id = a.product_id"                           \
	" JOIN cost_centres c ON c.id = a.cost_centre_id" ASSET_WHERE

#define SORT_DEFS(n, col)                                                    \
	{"assets-" #n "-asc", ASSET_SELECT " ORDER BY " col " ASC, a.id ASC"   \
	    " LIMIT ? OFFSET ?", NULL, NULL}, /* OMS_STMT_ASSETS_n_ASC */     \
	{"assets-" #n "-desc", ASSET_SELECT " ORDER BY " col " DESC, a.id DESC" \
	    " LIMIT ? OFFSET ?", NULL, NULL}, /* OMS_STMT_ASSETS_n_DESC */

#define COPY_DEFS(n, t, cols, ph, key, types)                             \
	{"copy-" t "-select", "SELECT " cols " FROM " t " ORDER BY " key,  \
	    NULL, NULL}, /* OMS_STMT_COPY_n_SELECT */                       \
	{"copy-" t "-insert", "INSERT INTO " t " (" cols ") VALUES (" ph ")", \
	    NULL, NULL}, /* OMS_STMT_COPY_n_INSERT */                       \
	{"copy-" t "-delete", "DELETE FROM " t, NULL, NULL},                 \
	    /* OMS_STMT_COPY_n_DELETE */

const struct oms_stmtdef oms_stmts[OMS_STMT__MAX] = {
	{"ping", "SELECT 1", NULL, NULL}, /* OMS_STMT_PING */
	{"migrations-create",
	    "CREATE TABLE IF NOT EXISTS oms_migrations ("
	    " version INTEGER PRIMARY KEY,"
	    " name VARCHAR(200) NOT NULL,"
	    " applied_at VARCHAR(20) NOT NULL)",
	    NULL, NULL}, /* OMS_STMT_MIGRATIONS_CREATE */
	{"migrations-list",
	    "SELECT version FROM oms_migrations ORDER BY version",
	    NULL, NULL}, /* OMS_STMT_MIGRATIONS_LIST */
	{"migrations-add",
	    "INSERT INTO oms_migrations (version, name, applied_at)"
	    " VALUES (?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_MIGRATIONS_ADD */
	{"customer-list",
	    "SELECT cu.id, cu.code, cu.name,"
	    " (SELECT COUNT(*) FROM sites s WHERE s.customer_id = cu.id),"
	    " COALESCE(x.assets, 0), COALESCE(x.ports, 0)"
	    " FROM customers cu LEFT JOIN"
	    " (SELECT s.customer_id AS customer_id, COUNT(*) AS assets,"
	    "  SUM(a.ports) AS ports FROM assets a"
	    "  JOIN sites s ON s.id = a.site_id"
	    "  WHERE a.status <> 'removed' GROUP BY s.customer_id) x"
	    " ON x.customer_id = cu.id"
	    " ORDER BY cu.name, cu.id",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_LIST */
	{"customer-get",
	    "SELECT id, code, name FROM customers WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_GET */
	{"customer-count", "SELECT COUNT(*) FROM customers",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_COUNT */
	{"data-count",
	    "SELECT (SELECT COUNT(*) FROM customers) +"
	    " (SELECT COUNT(*) FROM products)",
	    NULL, NULL}, /* OMS_STMT_DATA_COUNT */
	{"customer-add",
	    "INSERT INTO customers (code, name, address, city, region,"
	    " postcode, country, currency, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_ADD */
	{"site-list",
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"
	    " s.postcode, s.country,"
	    " (SELECT COUNT(*) FROM assets a"
	    "  WHERE a.site_id = s.id AND a.status <> 'removed'),"
	    " (SELECT COALESCE(SUM(a.ports), 0) FROM assets a"
	    "  WHERE a.site_id = s.id AND a.status <> 'removed')"
	    " FROM sites s WHERE s.customer_id = ? ORDER BY s.code, s.id",
	    NULL, NULL}, /* OMS_STMT_SITE_LIST */
	{"site-get",
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"
	    " s.postcode, s.country, cu.id, cu.code, cu.name"
	    " FROM sites s JOIN customers cu ON cu.id = s.customer_id"
	    " WHERE s.id = ?",
	    NULL, NULL}, /* OMS_STMT_SITE_GET */
	{"site-add",
	    "INSERT INTO sites (customer_id, code, name, address, city,"
	    " region, postcode, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_SITE_ADD */
	{"cc-list",
	    "SELECT id, code, name FROM cost_centres WHERE customer_id = ?"
	    " ORDER BY code, id",
	    NULL, NULL}, /* OMS_STMT_CC_LIST */
	{"cc-add",
	    "INSERT INTO cost_centres (customer_id, code, name)"
	    " VALUES (?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_CC_ADD */
	{"product-add",
	    "INSERT INTO products (code, name, asset_type, monthly_cents)"
	    " VALUES (?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_PRODUCT_ADD */
	{"asset-add",
	    "INSERT INTO assets (site_id, cost_centre_id, product_id, status,"
	    " ports, phone_number, extension, mailbox, serial, installed_on,"
	    " removed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_ASSET_ADD */
	{"asset-count",
	    "SELECT COUNT(*), COALESCE(SUM(a.ports), 0) FROM assets a"
	    ASSET_WHERE,
	    NULL, NULL}, /* OMS_STMT_ASSET_COUNT */
	{"counter-lock",
	    "SELECT next_value FROM oms_counters WHERE name = ? FOR UPDATE",
	    /* SQLite has no FOR UPDATE: BEGIN IMMEDIATE already holds the
	     * database's write lock for the whole unit. */
	    "SELECT next_value FROM oms_counters WHERE name = ?",
	    NULL}, /* OMS_STMT_COUNTER_LOCK */
	{"counter-add",
	    "INSERT INTO oms_counters (name, next_value) VALUES (?, 2)",
	    NULL, NULL}, /* OMS_STMT_COUNTER_ADD */
	{"counter-set",
	    "UPDATE oms_counters SET next_value = ? WHERE name = ?",
	    NULL, NULL}, /* OMS_STMT_COUNTER_SET */
	OMS_ASSET_SORTS(SORT_DEFS)
	OMS_COPY_TABLES(COPY_DEFS)
};

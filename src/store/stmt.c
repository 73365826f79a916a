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
/* The audit page's filters: entity, login, action (each NULL for any). */
#define AUDIT_WHERE                                                         \
	" WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR login = ?)"     \
	" AND (? IS NULL OR action = ?)"

/* Scope: ? = 0 OR the site is one of the user's listed sites. */
#define IN_USER_SITES(col)                                                  \
	" (? = 0 OR " col " IN (SELECT site_id FROM user_sites"              \
	" WHERE user_id = ?))"

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
	{"migrations-exists",
	    "SELECT COUNT(*) FROM information_schema.tables"
	    " WHERE table_schema = DATABASE() AND table_name = 'oms_migrations'",
	    "SELECT COUNT(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'oms_migrations'",
	    NULL}, /* OMS_STMT_MIGRATIONS_EXISTS */
	/* Scope parameters: site user x2, site user x2, customer x2. */
	{"customer-list",
	    "SELECT cu.id, cu.code, cu.name,"
	    " (SELECT COUNT(*) FROM sites s WHERE s.customer_id = cu.id AND"
	    IN_USER_SITES("s.id") "),"
	    " COALESCE(x.assets, 0), COALESCE(x.ports, 0)"
	    " FROM customers cu LEFT JOIN"
	    " (SELECT s.customer_id AS customer_id, COUNT(*) AS assets,"
	    "  SUM(a.ports) AS ports FROM assets a"
	    "  JOIN sites s ON s.id = a.site_id"
	    "  WHERE a.status <> 'removed' AND" IN_USER_SITES("s.id")
	    "  GROUP BY s.customer_id) x"
	    " ON x.customer_id = cu.id"
	    " WHERE (? = 0 OR cu.id = ?)"
	    " ORDER BY cu.name, cu.id",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_LIST */
	/* Parameters: id, then scope customer x2. */
	{"customer-get",
	    "SELECT id, code, name FROM customers WHERE id = ?"
	    " AND (? = 0 OR id = ?)",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_GET */
	{"customer-names",
	    "SELECT id, code, name FROM customers ORDER BY name, id",
	    NULL, NULL}, /* OMS_STMT_CUSTOMER_NAMES */
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
	/* Parameters: customer, then scope site user x2. */
	{"site-list",
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"
	    " s.postcode, s.country,"
	    " (SELECT COUNT(*) FROM assets a"
	    "  WHERE a.site_id = s.id AND a.status <> 'removed'),"
	    " (SELECT COALESCE(SUM(a.ports), 0) FROM assets a"
	    "  WHERE a.site_id = s.id AND a.status <> 'removed')"
	    " FROM sites s WHERE s.customer_id = ? AND" IN_USER_SITES("s.id")
	    " ORDER BY s.code, s.id",
	    NULL, NULL}, /* OMS_STMT_SITE_LIST */
	/* Parameters: id, then scope customer x2, site user x2. */
	{"site-get",
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"
	    " s.postcode, s.country, cu.id, cu.code, cu.name"
	    " FROM sites s JOIN customers cu ON cu.id = s.customer_id"
	    " WHERE s.id = ? AND (? = 0 OR s.customer_id = ?) AND"
	    IN_USER_SITES("s.id"),
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
	{"counter-get",
	    "SELECT next_value FROM oms_counters WHERE name = ?",
	    NULL, NULL}, /* OMS_STMT_COUNTER_GET */
	{"site-owner", "SELECT customer_id FROM sites WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_SITE_OWNER */
	{"user-auth",
	    "SELECT id, disabled, password_hash FROM users WHERE login = ?",
	    NULL, NULL}, /* OMS_STMT_USER_AUTH */
	{"user-auth-by-id", "SELECT id FROM users WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_AUTH_BY_ID */
	{"user-set-password-raw",
	    "UPDATE users SET password_hash = ? WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_SET_PASSWORD_RAW */
	{"user-set-password",
	    "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_SET_PASSWORD */
	{"user-add",
	    "INSERT INTO users (login, display_name, email, role,"
	    " organisation, customer_id, disabled, password_hash, created_at,"
	    " updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_USER_ADD */
	{"user-update",
	    "UPDATE users SET display_name = ?, email = ?, role = ?,"
	    " organisation = ?, customer_id = ?, updated_at = ? WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_UPDATE */
	{"user-set-disabled",
	    "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_SET_DISABLED */
	{"user-list",
	    "SELECT id, login, display_name, email, role, organisation,"
	    " customer_id, disabled FROM users ORDER BY login",
	    NULL, NULL}, /* OMS_STMT_USER_LIST */
	{"user-get",
	    "SELECT id, login, display_name, email, role, organisation,"
	    " customer_id, disabled FROM users WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_GET */
	{"user-sites-list",
	    "SELECT site_id FROM user_sites WHERE user_id = ? ORDER BY site_id",
	    NULL, NULL}, /* OMS_STMT_USER_SITES_LIST */
	{"user-sites-clear", "DELETE FROM user_sites WHERE user_id = ?",
	    NULL, NULL}, /* OMS_STMT_USER_SITES_CLEAR */
	{"user-sites-add",
	    "INSERT INTO user_sites (user_id, site_id) VALUES (?, ?)",
	    NULL, NULL}, /* OMS_STMT_USER_SITES_ADD */
	{"session-add",
	    "INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at,"
	    " address) VALUES (?, ?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_SESSION_ADD */
	{"session-get",
	    "SELECT u.id, u.login, u.display_name, u.role, u.customer_id,"
	    " u.disabled, s.csrf, s.created_at, s.seen_at,"
	    " (SELECT COUNT(*) FROM user_sites us WHERE us.user_id = u.id),"
	    " u.organisation, u.email"
	    " FROM sessions s JOIN users u ON u.id = s.user_id"
	    " WHERE s.id_hash = ?",
	    NULL, NULL}, /* OMS_STMT_SESSION_GET */
	{"session-touch", "UPDATE sessions SET seen_at = ? WHERE id_hash = ?",
	    NULL, NULL}, /* OMS_STMT_SESSION_TOUCH */
	{"session-delete", "DELETE FROM sessions WHERE id_hash = ?",
	    NULL, NULL}, /* OMS_STMT_SESSION_DELETE */
	{"session-delete-user", "DELETE FROM sessions WHERE user_id = ?",
	    NULL, NULL}, /* OMS_STMT_SESSION_DELETE_USER */
	{"session-sweep",
	    "DELETE FROM sessions WHERE seen_at < ? OR created_at < ?",
	    NULL, NULL}, /* OMS_STMT_SESSION_SWEEP */
	{"session-clear", "DELETE FROM sessions",
	    NULL, NULL}, /* OMS_STMT_SESSION_CLEAR */
	{"fail-sweep", "DELETE FROM login_failures WHERE window_start < ?",
	    NULL, NULL}, /* OMS_STMT_FAIL_SWEEP */
	{"fail-clear", "DELETE FROM login_failures",
	    NULL, NULL}, /* OMS_STMT_FAIL_CLEAR */
	{"fail-lock",
	    "SELECT window_start, failures FROM login_failures"
	    " WHERE kind = ? AND k = ? FOR UPDATE",
	    "SELECT window_start, failures FROM login_failures"
	    " WHERE kind = ? AND k = ?",
	    NULL}, /* OMS_STMT_FAIL_LOCK */
	{"fail-uncount",
	    "UPDATE login_failures SET failures = failures - 1"
	    " WHERE kind = ? AND k = ? AND failures > 0",
	    NULL, NULL}, /* OMS_STMT_FAIL_UNCOUNT */
	{"fail-delete", "DELETE FROM login_failures WHERE kind = ? AND k = ?",
	    NULL, NULL}, /* OMS_STMT_FAIL_DELETE */
	{"fail-add",
	    "INSERT INTO login_failures (kind, k, window_start, failures)"
	    " VALUES (?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_FAIL_ADD */
	{"audit-hash", "SELECT hash FROM audit_log WHERE id = ?",
	    NULL, NULL}, /* OMS_STMT_AUDIT_HASH */
	{"audit-add",
	    "INSERT INTO audit_log (id, at, user_id, login, address, entity,"
	    " entity_id, action, before_value, after_value, prev_hash, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_AUDIT_ADD */
	{"audit-all",
	    "SELECT id, at, user_id, login, address, entity, entity_id, action,"
	    " before_value, after_value, prev_hash, hash FROM audit_log"
	    " ORDER BY id",
	    NULL, NULL}, /* OMS_STMT_AUDIT_ALL */
	{"audit-count",
	    "SELECT COUNT(*) FROM audit_log" AUDIT_WHERE,
	    NULL, NULL}, /* OMS_STMT_AUDIT_COUNT */
	{"audit-list",
	    "SELECT id, at, login, address, entity, entity_id, action,"
	    " before_value, after_value FROM audit_log" AUDIT_WHERE
	    " ORDER BY id DESC LIMIT ? OFFSET ?",
	    NULL, NULL}, /* OMS_STMT_AUDIT_LIST */
	OMS_ASSET_SORTS(SORT_DEFS)
	OMS_COPY_TABLES(COPY_DEFS)
	/* --- authsec (issue 7, login throttling): login_failures rows
	 * by (kind, k, address), address '' for kind 'address'; to move
	 * into auth's own list. --- */
	{"throttle-lock",
	    "SELECT window_start, failures FROM login_failures"
	    " WHERE kind = ? AND k = ? AND address = ? FOR UPDATE",
	    /* SQLite: BEGIN IMMEDIATE already holds the write lock. */
	    "SELECT window_start, failures FROM login_failures"
	    " WHERE kind = ? AND k = ? AND address = ?",
	    NULL}, /* OMS_STMT_THROTTLE_LOCK */
	{"throttle-delete",
	    "DELETE FROM login_failures WHERE kind = ? AND k = ? AND address = ?",
	    NULL, NULL}, /* OMS_STMT_THROTTLE_DELETE */
	{"throttle-add",
	    "INSERT INTO login_failures (kind, k, address, window_start,"
	    " failures) VALUES (?, ?, ?, ?, ?)",
	    NULL, NULL}, /* OMS_STMT_THROTTLE_ADD */
	{"throttle-uncount",
	    "UPDATE login_failures SET failures = failures - 1"
	    " WHERE kind = ? AND k = ? AND address = ? AND failures > 0",
	    NULL, NULL}, /* OMS_STMT_THROTTLE_UNCOUNT */
	/* Parameters: the oldest window_start an address row keeps, then
	 * the oldest a login row keeps (its wait may outlast the window). */
	{"throttle-sweep",
	    "DELETE FROM login_failures WHERE (kind = 'address' AND"
	    " window_start < ?) OR (kind = 'login' AND window_start < ?)",
	    NULL, NULL}, /* OMS_STMT_THROTTLE_SWEEP */
	/* --- end authsec --- */
};

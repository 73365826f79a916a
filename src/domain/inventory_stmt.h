/*
 * inventory_stmt.h: the statements of the inventory (customers, sites,
 * cost centres, assets), gathered into enum oms_stmt by stmts.h.  Each
 * entry is X(NAME, portable SQL, SQLite variant, MariaDB variant); see
 * src/store/stmt.h for the rules of a list.
 */
#ifndef OMS_INVENTORY_STMT_H
#define OMS_INVENTORY_STMT_H

/* Scope: ? = 0 OR the site is one of the user's listed sites. */
#define OMS_SQL_IN_USER_SITES(col)                                          \
	" (? = 0 OR " col " IN (SELECT site_id FROM user_sites"              \
	" WHERE user_id = ?))"

/* The filters of the site asset query, shared by the count and the
 * page.  The type filter is a subquery rather than a join so that the
 * count touches the assets table alone.  The scope conditions test the
 * bound site id, not a column, so that each is evaluated once per
 * statement rather than once per row.  Parameters: site, then scope
 * customer, site, scope customer, then scope site user, site, scope
 * site user, then type x2, status x2, cost centre x2, then the
 * free-text pattern five times (NULL for none). */
#define OMS_SQL_ASSET_WHERE                                                 \
	" WHERE a.site_id = ?"                                              \
	" AND (? = 0 OR ? IN (SELECT id FROM sites WHERE customer_id = ?))" \
	" AND (? = 0 OR ? IN (SELECT site_id FROM user_sites"               \
	"  WHERE user_id = ?))"                                             \
	" AND (? IS NULL OR a.product_id IN"                                \
	"  (SELECT id FROM products WHERE asset_type = ?))"                 \
	" AND (? IS NULL OR a.status = ?)"                                  \
	" AND (? IS NULL OR a.cost_centre_id = ?)"                          \
	" AND (? IS NULL OR a.phone_number LIKE ? ESCAPE '!'"               \
	" OR a.extension LIKE ? ESCAPE '!' OR a.mailbox LIKE ? ESCAPE '!'"  \
	" OR a.serial LIKE ? ESCAPE '!')"

#define OMS_SQL_ASSET_SELECT                                                \
	"SELECT a.id, p.asset_type, a.status, a.phone_number, a.extension," \
	" a.mailbox, a.serial, p.name, c.code, a.ports, a.installed_on,"    \
	" a.removed_on, a.tag FROM assets a"                                \
	" JOIN products p ON p.id = a.product_id"                           \
	" JOIN cost_centres c ON c.id = a.cost_centre_id" OMS_SQL_ASSET_WHERE

/* The site asset query as of a day other than today: the states in
 * effect on the day (valid_from <= d < valid_to; an empty state never
 * matches), joined to their assets for the tag and the dates, with the
 * filters of OMS_SQL_ASSET_WHERE on the state's columns.  Parameters:
 * site, the day twice, then those of OMS_SQL_ASSET_WHERE after its
 * site. */
#define OMS_SQL_ASOF_WHERE                                                  \
	" WHERE s.site_id = ? AND s.valid_from <= ?"                        \
	" AND (s.valid_to IS NULL OR s.valid_to > ?)"                       \
	" AND (? = 0 OR ? IN (SELECT id FROM sites WHERE customer_id = ?))" \
	" AND (? = 0 OR ? IN (SELECT site_id FROM user_sites"               \
	"  WHERE user_id = ?))"                                             \
	" AND (? IS NULL OR s.product_id IN"                                \
	"  (SELECT id FROM products WHERE asset_type = ?))"                 \
	" AND (? IS NULL OR s.status = ?)"                                  \
	" AND (? IS NULL OR s.cost_centre_id = ?)"                          \
	" AND (? IS NULL OR s.phone_number LIKE ? ESCAPE '!'"               \
	" OR s.extension LIKE ? ESCAPE '!' OR s.mailbox LIKE ? ESCAPE '!'"  \
	" OR s.serial LIKE ? ESCAPE '!')"

#define OMS_SQL_ASOF_SELECT                                                 \
	"SELECT a.id, p.asset_type, s.status, s.phone_number, s.extension," \
	" s.mailbox, s.serial, p.name, c.code, s.ports, a.installed_on,"    \
	" a.removed_on, a.tag FROM asset_states s"                          \
	" JOIN assets a ON a.id = s.asset_id"                               \
	" JOIN products p ON p.id = s.product_id"                           \
	" JOIN cost_centres c ON c.id = s.cost_centre_id" OMS_SQL_ASOF_WHERE

/*
 * The sort orders of the site asset query, in the order of enum
 * oms_asset_sort and of the "sort" field's choices (src/core/field.c).
 * Each becomes two statements side by side, ascending then descending,
 * so that ORDER BY is never built at run time: the statement of a sort
 * is OMS_STMT_ASSETS_NUMBER_ASC + 2 * sort + desc.  Y is called as
 * Y(X, NAME, column, column as of a day) so that a list maker can pass
 * X on; as of a day the state's columns (s.) replace the asset's.
 */
#define OMS_ASSET_SORTS(Y, X)                               \
	Y(X, NUMBER, "a.phone_number", "s.phone_number")    \
	Y(X, EXTENSION, "a.extension", "s.extension")       \
	Y(X, MAILBOX, "a.mailbox", "s.mailbox")             \
	Y(X, SERIAL, "a.serial", "s.serial")                \
	Y(X, TYPE, "p.asset_type", "p.asset_type")          \
	Y(X, STATUS, "a.status", "s.status")                \
	Y(X, CC, "c.code", "c.code")                        \
	Y(X, PORTS, "a.ports", "s.ports")                   \
	Y(X, INSTALLED, "a.installed_on", "a.installed_on") \
	Y(X, PRODUCT, "p.name", "p.name")                   \
	Y(X, TAG, "a.tag", "a.tag")

/* The two statements of one sort order (today's, from assets). */
#define OMS_ASSET_SORT_STMTS(X, n, col, scol)                                \
	X(ASSETS_##n##_ASC, OMS_SQL_ASSET_SELECT " ORDER BY " col " ASC,"     \
	    " a.id ASC LIMIT ? OFFSET ?", NULL, NULL)                         \
	X(ASSETS_##n##_DESC, OMS_SQL_ASSET_SELECT " ORDER BY " col " DESC,"   \
	    " a.id DESC LIMIT ? OFFSET ?", NULL, NULL)

/* The two statements of one sort order as of a day (from states); the
 * statement of a sort is OMS_STMT_ASOF_NUMBER_ASC + 2 * sort + desc. */
#define OMS_ASOF_SORT_STMTS(X, n, col, scol)                                 \
	X(ASOF_##n##_ASC, OMS_SQL_ASOF_SELECT " ORDER BY " scol " ASC,"       \
	    " a.id ASC LIMIT ? OFFSET ?", NULL, NULL)                         \
	X(ASOF_##n##_DESC, OMS_SQL_ASOF_SELECT " ORDER BY " scol " DESC,"     \
	    " a.id DESC LIMIT ? OFFSET ?", NULL, NULL)

#define OMS_STMTS_INVENTORY(X)                                                \
	/* Scope parameters: site user x2, site user x2, customer x2. */      \
	X(CUSTOMER_LIST,                                                      \
	    "SELECT cu.id, cu.code, cu.name,"                                 \
	    " (SELECT COUNT(*) FROM sites s WHERE s.customer_id = cu.id AND"  \
	    OMS_SQL_IN_USER_SITES("s.id") "),"                                        \
	    " COALESCE(x.assets, 0), COALESCE(x.ports, 0)"                    \
	    " FROM customers cu LEFT JOIN"                                    \
	    " (SELECT s.customer_id AS customer_id, COUNT(*) AS assets,"      \
	    "  SUM(a.ports) AS ports FROM assets a"                           \
	    "  JOIN sites s ON s.id = a.site_id"                              \
	    "  WHERE a.status <> 'removed' AND" OMS_SQL_IN_USER_SITES("s.id")         \
	    "  GROUP BY s.customer_id) x"                                     \
	    " ON x.customer_id = cu.id"                                       \
	    " WHERE (? = 0 OR cu.id = ?)"                                     \
	    " ORDER BY cu.name, cu.id",                                       \
	    NULL, NULL)                                                       \
	/* Parameters: id, then scope customer x2. */                         \
	/* Whether a customer approves its own orders (workflow.h). */       \
	X(CUSTOMER_APPROVAL_GET,                                              \
	    "SELECT id, approval_required FROM customers WHERE code = ?",     \
	    NULL, NULL)                                                       \
	X(CUSTOMER_APPROVAL_SET,                                              \
	    "UPDATE customers SET approval_required = ? WHERE id = ?",        \
	    NULL, NULL)                                                       \
	X(CUSTOMER_GET,                                                       \
	    "SELECT id, code, name FROM customers WHERE id = ?"               \
	    " AND (? = 0 OR id = ?)",                                         \
	    NULL, NULL)                                                       \
	/* Parameters: scope customer x2. */                                  \
	X(CUSTOMER_NAMES,                                                     \
	    "SELECT id, code, name FROM customers WHERE (? = 0 OR id = ?)"    \
	    " ORDER BY name, id",                                             \
	    NULL, NULL)                                                       \
	X(CUSTOMER_COUNT, "SELECT COUNT(*) FROM customers",                   \
	    NULL, NULL)                                                       \
	/* Parameters: customer, then scope customer x2, site user x2. */     \
	X(SITE_LIST,                                                          \
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"       \
	    " s.postcode, s.country,"                                         \
	    " (SELECT COUNT(*) FROM assets a"                                 \
	    "  WHERE a.site_id = s.id AND a.status <> 'removed'),"            \
	    " (SELECT COALESCE(SUM(a.ports), 0) FROM assets a"                \
	    "  WHERE a.site_id = s.id AND a.status <> 'removed')"             \
	    " FROM sites s WHERE s.customer_id = ?"                           \
	    " AND (? = 0 OR s.customer_id = ?) AND"                           \
	    OMS_SQL_IN_USER_SITES("s.id")                                             \
	    " ORDER BY s.code, s.id",                                         \
	    NULL, NULL)                                                       \
	/* Parameters: id, then scope customer x2, site user x2. */           \
	X(SITE_GET,                                                           \
	    "SELECT s.id, s.code, s.name, s.address, s.city, s.region,"       \
	    " s.postcode, s.country, cu.id, cu.code, cu.name"                 \
	    " FROM sites s JOIN customers cu ON cu.id = s.customer_id"        \
	    " WHERE s.id = ? AND (? = 0 OR s.customer_id = ?) AND"            \
	    OMS_SQL_IN_USER_SITES("s.id"),                                            \
	    NULL, NULL)                                                       \
	/* Parameters: customer, then scope customer x2. */                   \
	X(CC_LIST,                                                            \
	    "SELECT id, code, name FROM cost_centres WHERE customer_id = ?"   \
	    " AND (? = 0 OR customer_id = ?)"                                 \
	    " ORDER BY code, id",                                             \
	    NULL, NULL)                                                       \
	/* The count of a query with no filter but the site and the scope  \
	 * (the page as it first opens): the same rows as ASSET_COUNT with  \
	 * every filter NULL, without testing them on each row. */        \
	X(ASSET_COUNT_SITE,                                                   \
	    "SELECT COUNT(*), COALESCE(SUM(a.ports), 0) FROM assets a"        \
	    " WHERE a.site_id = ?"                                            \
	    " AND (? = 0 OR ? IN (SELECT id FROM sites WHERE customer_id = ?))" \
	    " AND (? = 0 OR ? IN (SELECT site_id FROM user_sites"             \
	    "  WHERE user_id = ?))",                                          \
	    NULL, NULL)                                                       \
	X(ASSET_COUNT,                                                        \
	    "SELECT COUNT(*), COALESCE(SUM(a.ports), 0) FROM assets a"        \
	    OMS_SQL_ASSET_WHERE,                                                      \
	    NULL, NULL)                                                       \
	OMS_ASSET_SORTS(OMS_ASSET_SORT_STMTS, X)                               \
	X(ASOF_COUNT,                                                         \
	    "SELECT COUNT(*), COALESCE(SUM(s.ports), 0) FROM asset_states s"  \
	    OMS_SQL_ASOF_WHERE,                                               \
	    NULL, NULL)                                                       \
	OMS_ASSET_SORTS(OMS_ASOF_SORT_STMTS, X)                                \
	/* One asset for its page: the columns of OMS_SQL_ASSET_SELECT,   \
	 * then where it sits and its parent.  Parameters: id, then scope \
	 * customer x2, site user x2. */                                  \
	X(ASSET_GET,                                                          \
	    "SELECT a.id, p.asset_type, a.status, a.phone_number, a.extension," \
	    " a.mailbox, a.serial, p.name, c.code, a.ports, a.installed_on,"  \
	    " a.removed_on, a.tag, p.code, c.name, s.id, s.code, s.name,"     \
	    " cu.id, cu.code, cu.name, a.parent_id, pa.tag FROM assets a"     \
	    " JOIN products p ON p.id = a.product_id"                         \
	    " JOIN cost_centres c ON c.id = a.cost_centre_id"                 \
	    " JOIN sites s ON s.id = a.site_id"                               \
	    " JOIN customers cu ON cu.id = s.customer_id"                     \
	    " LEFT JOIN assets pa ON pa.id = a.parent_id"                     \
	    " WHERE a.id = ? AND (? = 0 OR s.customer_id = ?) AND"            \
	    OMS_SQL_IN_USER_SITES("a.site_id"),                               \
	    NULL, NULL)                                                       \
	/* The add-ons of an asset.  Parameter: the parent's id. */         \
	X(ASSET_ADDONS,                                                       \
	    "SELECT a.id, p.asset_type, a.status, a.phone_number, a.extension," \
	    " a.mailbox, a.serial, p.name, c.code, a.ports, a.installed_on,"  \
	    " a.removed_on, a.tag FROM assets a"                              \
	    " JOIN products p ON p.id = a.product_id"                         \
	    " JOIN cost_centres c ON c.id = a.cost_centre_id"                 \
	    " WHERE a.parent_id = ? ORDER BY a.id",                           \
	    NULL, NULL)

#endif /* OMS_INVENTORY_STMT_H */

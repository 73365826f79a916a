/*
 * stmt.h: the statement table.  All SQL of OMS lives in stmt.c, indexed
 * by enum oms_stmt; portable SQL (the common subset of SQLite 3.40 and
 * MariaDB 10.11) with ? placeholders, and a per-dialect variant only
 * where the dialects really differ.
 */
#ifndef OMS_STMT_H
#define OMS_STMT_H

/*
 * The sort orders of the site asset query, in the order of the "sort"
 * field's choices (src/field.c).  Each becomes two statements, one a
 * direction, so that ORDER BY is never built at run time.
 */
#define OMS_ASSET_SORTS(X)                                  \
	X(NUMBER, "a.phone_number")                         \
	X(EXTENSION, "a.extension")                         \
	X(MAILBOX, "a.mailbox")                             \
	X(SERIAL, "a.serial")                               \
	X(TYPE, "p.asset_type")                             \
	X(STATUS, "a.status")                               \
	X(CC, "c.code")                                     \
	X(PORTS, "a.ports")                                 \
	X(INSTALLED, "a.installed_on")                      \
	X(PRODUCT, "p.name")

#define OMS_STMT_SORT_ENUM(n, col) OMS_STMT_ASSETS_##n##_ASC, OMS_STMT_ASSETS_##n##_DESC,

/*
 * The tables `omsctl copy` moves between databases, parents before
 * children: name, columns, placeholders, key to order by, and the type
 * of each column (i integer, t text) for src/copy.c.  Each becomes
 * three statements: select all in key order, insert one, delete all.
 */
#define OMS_COPY_TABLES(X)                                                 \
	X(CUSTOMERS, "customers", "id, code, name, address, city, region,"  \
	    " postcode, country, currency, created_at",                     \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "ittttttttt")             \
	X(PRODUCTS, "products", "id, code, name, asset_type, monthly_cents", \
	    "?, ?, ?, ?, ?", "id", "ittti")                                  \
	X(SITES, "sites", "id, customer_id, code, name, address, city,"     \
	    " region, postcode, country", "?, ?, ?, ?, ?, ?, ?, ?, ?", "id",  \
	    "iittttttt")                                                     \
	X(COST_CENTRES, "cost_centres", "id, customer_id, code, name",      \
	    "?, ?, ?, ?", "id", "iitt")                                      \
	X(ASSETS, "assets", "id, site_id, cost_centre_id, product_id,"      \
	    " status, ports, phone_number, extension, mailbox, serial,"     \
	    " installed_on, removed_on", "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", \
	    "id", "iiiititttttt")                                            \
	X(USERS, "users", "id, login, display_name, email, role,"           \
	    " organisation, customer_id, disabled, password_hash,"          \
	    " created_at, updated_at", "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?",    \
	    "id", "itttttiittt")                                             \
	X(USER_SITES, "user_sites", "user_id, site_id", "?, ?",             \
	    "user_id, site_id", "ii")                                        \
	X(AUDIT, "audit_log", "id, at, user_id, login, address, entity,"    \
	    " entity_id, action, before_value, after_value, prev_hash, hash", \
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?", "id", "itittttttttt")       \
	X(COUNTERS, "oms_counters", "name, next_value", "?, ?", "name", "ti")

#define OMS_STMT_COPY_ENUM(n, t, cols, ph, key, types) \
	OMS_STMT_COPY_##n##_SELECT, OMS_STMT_COPY_##n##_INSERT, \
	OMS_STMT_COPY_##n##_DELETE,

enum oms_stmt {
	OMS_STMT_PING,
	OMS_STMT_MIGRATIONS_CREATE,
	OMS_STMT_MIGRATIONS_LIST,
	OMS_STMT_MIGRATIONS_ADD,
	OMS_STMT_MIGRATIONS_EXISTS,
	OMS_STMT_CUSTOMER_LIST,
	OMS_STMT_CUSTOMER_GET,
	OMS_STMT_CUSTOMER_NAMES,
	OMS_STMT_CUSTOMER_COUNT,
	OMS_STMT_DATA_COUNT,
	OMS_STMT_CUSTOMER_ADD,
	OMS_STMT_SITE_LIST,
	OMS_STMT_SITE_GET,
	OMS_STMT_SITE_ADD,
	OMS_STMT_CC_LIST,
	OMS_STMT_CC_ADD,
	OMS_STMT_PRODUCT_ADD,
	OMS_STMT_ASSET_ADD,
	OMS_STMT_ASSET_COUNT,
	OMS_STMT_COUNTER_LOCK,
	OMS_STMT_COUNTER_ADD,
	OMS_STMT_COUNTER_SET,
	OMS_STMT_COUNTER_GET,
	OMS_STMT_SITE_OWNER,
	OMS_STMT_USER_AUTH,
	OMS_STMT_USER_AUTH_BY_ID,
	OMS_STMT_USER_SET_PASSWORD_RAW,
	OMS_STMT_USER_SET_PASSWORD,
	OMS_STMT_USER_ADD,
	OMS_STMT_USER_UPDATE,
	OMS_STMT_USER_SET_DISABLED,
	OMS_STMT_USER_LIST,
	OMS_STMT_USER_GET,
	OMS_STMT_USER_SITES_LIST,
	OMS_STMT_USER_SITES_CLEAR,
	OMS_STMT_USER_SITES_ADD,
	OMS_STMT_SESSION_ADD,
	OMS_STMT_SESSION_GET,
	OMS_STMT_SESSION_TOUCH,
	OMS_STMT_SESSION_DELETE,
	OMS_STMT_SESSION_DELETE_USER,
	OMS_STMT_SESSION_SWEEP,
	OMS_STMT_SESSION_CLEAR,
	OMS_STMT_FAIL_SWEEP,
	OMS_STMT_FAIL_CLEAR,
	OMS_STMT_FAIL_LOCK,
	OMS_STMT_FAIL_UNCOUNT,
	OMS_STMT_FAIL_DELETE,
	OMS_STMT_FAIL_ADD,
	OMS_STMT_AUDIT_HASH,
	OMS_STMT_AUDIT_ADD,
	OMS_STMT_AUDIT_ALL,
	OMS_STMT_AUDIT_COUNT,
	OMS_STMT_AUDIT_LIST,
	OMS_ASSET_SORTS(OMS_STMT_SORT_ENUM)
	OMS_COPY_TABLES(OMS_STMT_COPY_ENUM)
	/* --- authsec (issue 7, login throttling): domain/auth.c's
	 * statements over login_failures keyed by (kind, k, address);
	 * to move into auth's own list. --- */
	OMS_STMT_THROTTLE_LOCK,
	OMS_STMT_THROTTLE_DELETE,
	OMS_STMT_THROTTLE_ADD,
	OMS_STMT_THROTTLE_UNCOUNT,
	OMS_STMT_THROTTLE_SWEEP,
	/* --- end authsec --- */
	OMS_STMT__MAX
};

struct oms_stmtdef {
	const char *name;    /* for logs: "customer-list" */
	const char *sql;     /* portable text */
	const char *sqlite;  /* SQLite variant, or NULL */
	const char *mariadb; /* MariaDB variant, or NULL */
};

extern const struct oms_stmtdef oms_stmts[OMS_STMT__MAX];

#endif /* OMS_STMT_H */

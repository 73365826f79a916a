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

enum oms_stmt {
	OMS_STMT_PING,
	OMS_STMT_MIGRATIONS_CREATE,
	OMS_STMT_MIGRATIONS_LIST,
	OMS_STMT_MIGRATIONS_ADD,
	OMS_STMT_CUSTOMER_LIST,
	OMS_STMT_CUSTOMER_GET,
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
	OMS_ASSET_SORTS(OMS_STMT_SORT_ENUM)
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

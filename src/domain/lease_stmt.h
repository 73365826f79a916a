/*
 * lease_stmt.h: the statements of job leases (src/domain/lease.c) and
 * of the sessions job (src/domain/sweep.c).
 *
 * Lease times are milliseconds since 1970 by the database server's
 * clock (LEASE_NOW_*), so hosts whose clocks differ agree on what has
 * expired.  The lease row is read with FOR UPDATE on MariaDB (SQLite's
 * BEGIN IMMEDIATE already serialises writers).  Entries are
 * X(NAME, portable, sqlite, mariadb) as in src/store/stmt.h.
 */
#ifndef OMS_LEASE_STMT_H
#define OMS_LEASE_STMT_H

/* The database server's clock in milliseconds since 1970. */
#define LEASE_NOW_SQLITE                                                  \
	"CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
#define LEASE_NOW_MARIADB                                                 \
	"(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00',"              \
	" UTC_TIMESTAMP(6)) DIV 1000)"

#define OMS_STMTS_LEASE(X)                                                \
	X(LEASE_GET,                                                      \
	    "SELECT holder, epoch, expires_at, " LEASE_NOW_MARIADB         \
	    " FROM job_leases WHERE name = ? FOR UPDATE",                  \
	    "SELECT holder, epoch, expires_at, " LEASE_NOW_SQLITE          \
	    " FROM job_leases WHERE name = ?",                             \
	    NULL)                                                          \
	X(LEASE_INSERT,                                                   \
	    "INSERT INTO job_leases (name, holder, epoch, expires_at,"     \
	    " taken_at) VALUES (?, ?, 1, " LEASE_NOW_MARIADB " + ?, "      \
	    LEASE_NOW_MARIADB ")",                                         \
	    "INSERT INTO job_leases (name, holder, epoch, expires_at,"     \
	    " taken_at) VALUES (?, ?, 1, " LEASE_NOW_SQLITE " + ?, "       \
	    LEASE_NOW_SQLITE ")",                                          \
	    NULL)                                                          \
	/* Compare-and-set on the epoch read by LEASE_GET. */             \
	X(LEASE_TAKE,                                                     \
	    "UPDATE job_leases SET holder = ?, epoch = epoch + 1,"         \
	    " expires_at = " LEASE_NOW_MARIADB " + ?, taken_at = "         \
	    LEASE_NOW_MARIADB " WHERE name = ? AND epoch = ?",             \
	    "UPDATE job_leases SET holder = ?, epoch = epoch + 1,"         \
	    " expires_at = " LEASE_NOW_SQLITE " + ?, taken_at = "          \
	    LEASE_NOW_SQLITE " WHERE name = ? AND epoch = ?",              \
	    NULL)                                                          \
	X(LEASE_RENEW,                                                    \
	    "UPDATE job_leases SET expires_at = " LEASE_NOW_MARIADB " + ?" \
	    " WHERE name = ? AND epoch = ? AND holder = ?",                \
	    "UPDATE job_leases SET expires_at = " LEASE_NOW_SQLITE " + ?"  \
	    " WHERE name = ? AND epoch = ? AND holder = ?",                \
	    NULL)                                                          \
	/* Expire a lease whose holder is known dead (oms_lease_break_dead). */ \
	X(LEASE_BREAK,                                                    \
	    "UPDATE job_leases SET expires_at = 0"                         \
	    " WHERE name = ? AND holder = ?", NULL, NULL)                  \
	X(LEASE_RELEASE,                                                  \
	    "UPDATE job_leases SET expires_at = 0"                         \
	    " WHERE name = ? AND epoch = ? AND holder = ?",                \
	    NULL, NULL)                                                    \
	/* The sessions job: parameters as SESSION_SWEEP; the rows stay   \
	 * locked until the sweep in the same unit deletes them. */       \
	X(SESSION_EXPIRED_COUNT,                                          \
	    "SELECT COUNT(*) FROM sessions WHERE seen_at < ? OR"           \
	    " created_at < ? FOR UPDATE",                                  \
	    "SELECT COUNT(*) FROM sessions WHERE seen_at < ? OR"           \
	    " created_at < ?",                                             \
	    NULL)

#endif /* OMS_LEASE_STMT_H */

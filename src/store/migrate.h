/*
 * migrate.h: numbered schema migrations, one tree per dialect under
 * backends/<dialect>/NNNN_name.sql, embedded into the programs at
 * build time so that a binary and its schema always match.
 */
#ifndef OMS_MIGRATE_H
#define OMS_MIGRATE_H

#include "oms.h"

struct oms_store;

struct oms_migration {
	int version;      /* NNNN, from 1, no gaps */
	const char *name; /* the file name without .sql */
	const char *sql;  /* the script */
};

extern const struct oms_migration oms_migrations_sqlite[];
extern const struct oms_migration oms_migrations_mariadb[];

/*
 * Apply every migration not yet recorded, each in its own transaction
 * together with its record.  *applied gets how many ran.  A database
 * that records a version this program does not know is refused.
 */
enum oms_err oms_migrate(struct oms_store *, int *applied);
/* The newest version recorded in the database (0 for none), or -1. */
int oms_migrate_current(struct oms_store *);
/* The newest version this program knows. */
int oms_migrate_latest(struct oms_store *);

#endif /* OMS_MIGRATE_H */

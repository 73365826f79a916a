/*
 * migrate.c: applying the numbered migrations.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "migrate.h"
#include "store.h"

/* The migration list of the store's dialect. */
static const struct oms_migration *
list_for(struct oms_store *st)
{
	(void)st; /* one dialect so far */
	return oms_migrations_sqlite;
}

int
oms_migrate_latest(struct oms_store *st)
{
	const struct oms_migration *m = list_for(st);
	int v = 0;

	for (; m->name != NULL; m++)
		v = m->version;
	return v;
}

int
oms_migrate_current(struct oms_store *st)
{
	struct oms_query *q;
	int v = 0;

	if (oms_query_exec(oms_query(st, OMS_STMT_MIGRATIONS_CREATE)) != OMS_OK)
		return -1;
	q = oms_query(st, OMS_STMT_MIGRATIONS_LIST);
	while (oms_query_row(q))
		v = (int)oms_query_col_int(q, 0);
	if (oms_query_end(q) != OMS_OK)
		return -1;
	return v;
}

enum oms_err
oms_migrate(struct oms_store *st, int *applied)
{
	const struct oms_migration *m = list_for(st);
	int cur, latest = oms_migrate_latest(st);
	enum oms_err e;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	*applied = 0;
	if ((cur = oms_migrate_current(st)) < 0)
		return OMS_ERR_STORE;
	if (cur > latest) {
		oms_error("migrate: the database is at version %d, newer than "
		    "this program's %d", cur, latest);
		return OMS_ERR_CONFIG;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (; m->name != NULL; m++) {
		struct oms_query *q;

		if (m->version <= cur)
			continue;
		if ((e = oms_store_begin(st)) != OMS_OK)
			return e;
		if ((e = oms_store_exec_script(st, m->sql)) == OMS_OK) {
			q = oms_query(st, OMS_STMT_MIGRATIONS_ADD);
			oms_query_int(q, m->version);
			oms_query_text(q, m->name);
			oms_query_text(q, now);
			e = oms_query_exec(q);
		}
		if (e == OMS_OK)
			e = oms_store_commit(st);
		if (e != OMS_OK) {
			oms_store_rollback(st);
			oms_error("migrate: %s failed: %s", m->name,
			    oms_strerror(e));
			return e;
		}
		oms_info("migrate: applied %s", m->name);
		(*applied)++;
	}
	return OMS_OK;
}

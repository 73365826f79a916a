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
	return strcmp(oms_store_backend(st), "mariadb") == 0 ?
	    oms_migrations_mariadb : oms_migrations_sqlite;
}

/* Described in migrate.h: the newest version this program knows. */
int
oms_migrate_latest(struct oms_store *st)
{
	const struct oms_migration *m = list_for(st);
	int v = 0;

	for (; m->name != NULL; m++)
		v = m->version;
	return v;
}

/* The newest version recorded; with no gaps (oms_migrate fills them)
 * this is the schema version. */
int
oms_migrate_current(struct oms_store *st)
{
	struct oms_query *q;
	int v = 0, exists = 0;

	/* Only reads: omsd's database account needs no CREATE right. */
	q = oms_query(st, OMS_STMT_MIGRATIONS_EXISTS);
	if (oms_query_row(q))
		exists = oms_query_col_int(q, 0) > 0;
	if (oms_query_end(q) != OMS_OK)
		return -1;
	if (!exists)
		return 0;
	q = oms_query(st, OMS_STMT_MIGRATIONS_LIST);
	while (oms_query_row(q))
		v = (int)oms_query_col_int(q, 0);
	if (oms_query_end(q) != OMS_OK)
		return -1;
	return v;
}

struct apply_unit {
	const struct oms_migration *m; /* the migration */
	const char *now;               /* UTC time to record */
	int fk_off;                    /* run with foreign keys off */
};

/*
 * The line a SQLite migration carries when it rebuilds a table the way
 * SQLite's documentation prescribes (lang_altertable.html, the twelve
 * steps): the table is created anew, filled, the old one dropped and
 * the new one renamed, which needs foreign key enforcement off (it can
 * only be switched outside a transaction) and every key checked before
 * the unit commits.
 */
#define FK_OFF_MARK "\n-- oms: foreign keys off\n"

/* One migration and its record, as one unit of work; with fk_off, no
 * key may be left broken (OMS_ERR_CONSTRAINT). */
static enum oms_err
apply_one(struct oms_store *st, void *arg)
{
	struct apply_unit *u = arg;
	struct oms_query *q;
	enum oms_err e;
	int64_t broken = 0;

	if ((e = oms_store_exec_script(st, u->m->sql)) != OMS_OK)
		return e;
	if (u->fk_off) {
		q = oms_query(st, OMS_STMT_MIGRATIONS_FK_VIOLATIONS);
		if (oms_query_row(q))
			broken = oms_query_col_int(q, 0);
		if ((e = oms_query_end(q)) != OMS_OK)
			return e;
		if (broken > 0) {
			oms_error("migrate: %s leaves %lld foreign keys broken",
			    u->m->name, (long long)broken);
			return OMS_ERR_CONSTRAINT;
		}
	}
	q = oms_query(st, OMS_STMT_MIGRATIONS_ADD);
	oms_query_int(q, u->m->version);
	oms_query_text(q, u->m->name);
	oms_query_text(q, u->now);
	return oms_query_exec(q);
}

/*
 * Apply every migration not yet recorded, in order, including one
 * whose number falls below the newest recorded (a gap).  Versions in
 * the program must run 1..N without gaps; a recorded version the
 * program does not know means the database is newer: refused.
 */
enum oms_err
oms_migrate(struct oms_store *st, int *applied)
{
	const struct oms_migration *list = list_for(st), *m;
	int latest = oms_migrate_latest(st), n = 0;
	char done[1024];
	struct oms_query *q;
	enum oms_err e;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;

	*applied = 0;
	for (m = list; m->name != NULL; m++)
		if (m->version != ++n || n >= (int)sizeof(done)) {
			oms_error("migrate: this program's migrations are not "
			    "numbered 1..N (%s)", m->name);
			return OMS_ERR_CONFIG;
		}
	if (oms_query_exec(oms_query(st, OMS_STMT_MIGRATIONS_CREATE)) != OMS_OK)
		return OMS_ERR_STORE;
	memset(done, 0, sizeof(done));
	q = oms_query(st, OMS_STMT_MIGRATIONS_LIST);
	while (oms_query_row(q)) {
		int64_t v = oms_query_col_int(q, 0);

		if (v < 1 || v > latest) {
			oms_query_end(q);
			oms_error("migrate: the database records version %lld, "
			    "newer than this program's %d", (long long)v, latest);
			return OMS_ERR_CONFIG;
		}
		done[v] = 1;
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (m = list; m->name != NULL; m++) {
		struct apply_unit u = {m, now, 0};

		if (done[m->version])
			continue;
		u.fk_off = strstr(m->sql, FK_OFF_MARK) != NULL &&
		    strcmp(oms_store_backend(st), "sqlite") == 0;
		if (u.fk_off &&
		    (e = oms_store_exec_script(st, "PRAGMA foreign_keys = OFF;")) != OMS_OK)
			return e;
		e = oms_store_unit(st, apply_one, &u);
		if (u.fk_off) {
			enum oms_err e2 = oms_store_exec_script(st,
			    "PRAGMA foreign_keys = ON;");

			if (e == OMS_OK)
				e = e2;
		}
		if (e != OMS_OK) {
			oms_error("migrate: %s failed: %s", m->name,
			    oms_strerror(e));
			return e;
		}
		oms_info("migrate: applied %s", m->name);
		(*applied)++;
	}
	return OMS_OK;
}

/*
 * copy.c: omsctl copy.  Tables go parents first, rows in key order,
 * values as integers or text according to the column types declared
 * with the statements (OMS_COPY_TABLES in stmt.h), so the copy is the
 * same whichever way it runs.  The checksum of a table is FNV-1a over a
 * canonical text of its rows (column values separated by 0x1f, NULL as
 * 0x00, rows ended by 0x1e): equal data gives equal sums on any backend.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "copy.h"
#include "store.h"

struct table {
	const char *name;    /* table */
	enum oms_store_stmt sel; /* select all, in key order */
	enum oms_store_stmt ins; /* insert one */
	enum oms_store_stmt del; /* delete all */
	const char *types;   /* i, t or b (bytes) a column */
};

#define TABLE_DEF(X, n, t, cols, ph, key, types) {t, \
	OMS_STMT_COPY_##n##_SELECT, OMS_STMT_COPY_##n##_INSERT, \
	OMS_STMT_COPY_##n##_DELETE, types},
#define EMPTIED_DEF(X, n, t) OMS_STMT_COPY_##n##_DELETE,

static const struct table tables[] = {
	OMS_COPY_TABLES(TABLE_DEF, _)
};

_Static_assert(sizeof(tables) / sizeof(tables[0]) == OMS_COPY_NTABLES,
    "OMS_COPY_NTABLES counts OMS_COPY_TABLES");

/* The delete statements of the tables emptied but not copied. */
static const enum oms_store_stmt emptied[] = {
	OMS_COPY_EMPTIED(EMPTIED_DEF, _)
};

#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME UINT64_C(1099511628211)

/* Fold n bytes into the running FNV-1a sum h. */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/*
 * Read table t of st in key order (in batches: memory stays bounded
 * however big the table): count and checksum its rows, and if dst is
 * not NULL insert each into dst.  Returns OMS_OK or the first error.
 */
static enum oms_err
scan(struct oms_store *st, const struct table *t, struct oms_store *dst,
    int64_t *rows, uint64_t *sum)
{
	struct oms_query *q = oms_query_iter(st, t->sel);
	size_t ncol = strlen(t->types);
	enum oms_err e = OMS_OK;
	uint64_t h = FNV_OFFSET;

	*rows = 0;
	while (e == OMS_OK && oms_query_row(q)) {
		struct oms_query *w = dst ? oms_query(dst, t->ins) : NULL;

		for (size_t c = 0; c < ncol; c++) {
			const char *v = oms_query_col_text(q, (int)c);
			char num[32];

			if (c > 0)
				h = fnv(h, "\x1f", 1);
			if (v == NULL) {
				h = fnv(h, "", 1); /* the NUL byte */
				if (w)
					oms_query_null(w);
				continue;
			}
			if (t->types[c] == 'b') {
				size_t n;

				v = oms_query_col_blob(q, (int)c, &n);
				h = fnv(h, v, n);
				if (w)
					oms_query_blob(w, v, n);
			} else if (t->types[c] == 'i') {
				int64_t x = oms_query_col_int(q, (int)c);

				snprintf(num, sizeof(num), "%" PRId64, x);
				h = fnv(h, num, strlen(num));
				if (w)
					oms_query_int(w, x);
			} else {
				h = fnv(h, v, strlen(v));
				if (w)
					oms_query_text(w, v);
			}
		}
		h = fnv(h, "\x1e", 1);
		(*rows)++;
		if (w)
			e = oms_query_exec(w);
	}
	if (oms_query_end(q) != OMS_OK && e == OMS_OK)
		e = OMS_ERR_STORE;
	*sum = h;
	return e;
}

struct copy_unit {
	struct oms_store *src;            /* read from */
	int force;                        /* empty a target with data */
	struct oms_copy_table *out;       /* what was copied */
};

/* The copy, as one unit of work on the target. */
static enum oms_err
copy_unit(struct oms_store *dst, void *arg)
{
	struct copy_unit *u = arg;
	enum oms_err e;
	int64_t rows;
	uint64_t sum;

	for (int i = 0; i < OMS_COPY_NTABLES; i++) {
		if ((e = scan(dst, &tables[i], NULL, &rows, &sum)) != OMS_OK)
			return e;
		if (rows > 0 && !u->force) {
			oms_error("copy: the target's %s holds %lld rows",
			    tables[i].name, (long long)rows);
			return OMS_ERR_INVAL;
		}
	}
	/* Children first when emptying; sessions and login failures are
	 * not copied (they belong to the old database) but go too. */
	for (size_t i = 0; i < sizeof(emptied) / sizeof(emptied[0]); i++)
		if ((e = oms_query_exec(oms_query(dst, emptied[i]))) != OMS_OK)
			return e;
	for (int i = OMS_COPY_NTABLES - 1; i >= 0; i--)
		if ((e = oms_query_exec(oms_query(dst, tables[i].del))) != OMS_OK)
			return e;
	for (int i = 0; i < OMS_COPY_NTABLES; i++) {
		u->out[i].name = tables[i].name;
		if ((e = scan(u->src, &tables[i], dst, &u->out[i].rows,
		    &u->out[i].sum)) != OMS_OK)
			return e;
	}
	return OMS_OK;
}

/* Described in copy.h: copy src into dst in one unit, then verify. */
enum oms_err
oms_copy(struct oms_store *src, struct oms_store *dst, int force,
    struct oms_copy_table out[OMS_COPY_NTABLES])
{
	struct copy_unit u = {src, force, out};
	enum oms_err e;
	int same = 1;

	memset(out, 0, sizeof(*out) * OMS_COPY_NTABLES);
	/* The source is read inside a read snapshot of its own, so that
	 * it is one consistent state even while omsd writes to it, and
	 * omsd's writers are not held up for the length of the copy. */
	if ((e = oms_store_begin_read(src)) != OMS_OK)
		return e;
	e = oms_store_unit(dst, copy_unit, &u);
	oms_store_rollback(src);
	if (e != OMS_OK)
		return e;
	for (int i = 0; i < OMS_COPY_NTABLES; i++) {
		if ((e = scan(dst, &tables[i], NULL, &out[i].rows_after,
		    &out[i].sum_after)) != OMS_OK)
			return e;
		out[i].checked = 1;
		if (out[i].rows_after != out[i].rows ||
		    out[i].sum_after != out[i].sum) {
			oms_error("copy: %s differs after the copy: %lld rows "
			    "read, %lld found", tables[i].name,
			    (long long)out[i].rows, (long long)out[i].rows_after);
			same = 0;
		}
	}
	return same ? OMS_OK : OMS_ERR_STORE;
}

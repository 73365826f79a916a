/*
 * importer.h: bulk import and export of CSV files in the formats of
 * ../BILLING.md, "Formats".
 *
 * A kind is one file format: its name (the word omsctl and the import
 * page take), its columns, key columns first.  A file has a header row
 * naming every column of its kind once, in any order; an unknown,
 * repeated or missing column refuses the whole file, naming them.
 *
 * One file is one unit of work: when any row is bad nothing is
 * imported, and every bad row is reported with its line, column and
 * reason (validation goes on after the first).  Importing the same file
 * again changes nothing: a known key with the same values is skipped;
 * with other values it updates customers, sites and cost centres (and
 * products, with the catalog), audited, and is refused for every other
 * kind, whose rows are facts with dates.
 *
 * Export writes a kind in exactly its import format, rows in key
 * order, so that export -> import -> export gives the same file.
 *
 * Kinds implemented here: products, customers, sites, cost-centres,
 * prices, usage-prices, fees, contract-prices, tax-rates (through the
 * catalog's writers), assets, and orders (through the orders module:
 * rows grouped by order_ref; an order with completed_on is recorded,
 * approved, scheduled and completed on that date as the administrator,
 * one without waits submitted; completed orders are applied in
 * completion-date order, whatever the file's order), usage (keyed by
 * record_id: a whole quantity of an asset in service on the date,
 * billed to the asset's customer; the same record_id with other values
 * is refused, so usage re-sent never bills twice), payments (positive)
 * and adjustments (signed, taxable yes|no, optional site and cost
 * centre of the customer).  Usage, payments and adjustments are never
 * dated after the business date, and are bound by backdate_days when
 * dated into a period already invoiced to the customer.
 *
 * Formats beyond BILLING.md's words: amounts are written and read as
 * 1234.50 (no thousands separator, at most 2 decimals); tax rates as
 * percent ("9.975", "13"); usage tiers as oms_usage_tiers_format
 * writes them.  The assets file holds the assets installed without an
 * order (its row is the asset's first state); an asset an order made
 * is in the orders file.  The orders file holds the completed orders
 * and those waiting in the workflow (not drafts, rejected or
 * cancelled ones).
 */
#ifndef OMS_IMPORTER_H
#define OMS_IMPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

struct oms_actor;
struct oms_arena;
struct oms_csv_writer;
struct oms_store;

/* The kinds, in the order of BILLING.md's table (the order files of
 * one batch are imported in). */
enum oms_import_kind {
	OMS_IMPORT_PRODUCTS,
	OMS_IMPORT_CUSTOMERS,
	OMS_IMPORT_SITES,
	OMS_IMPORT_COST_CENTRES,
	OMS_IMPORT_PRICES,
	OMS_IMPORT_USAGE_PRICES,
	OMS_IMPORT_FEES,
	OMS_IMPORT_CONTRACT_PRICES,
	OMS_IMPORT_TAX_RATES,
	OMS_IMPORT_ASSETS,
	OMS_IMPORT_ORDERS,
	OMS_IMPORT_USAGE,
	OMS_IMPORT_PAYMENTS,
	OMS_IMPORT_ADJUSTMENTS,
	OMS_IMPORT__MAX
};

/* "products", "cost-centres", ...: the file names of BILLING.md. */
extern const char *const oms_import_kind_names[OMS_IMPORT__MAX];

/* The kind named s, or -1. */
int oms_import_kind_lookup(const char *s);

/* The columns of a kind, key columns first (static). */
struct oms_import_columns {
	const char *const *names; /* in BILLING.md's order */
	size_t n;                 /* how many */
	size_t nkey;              /* the first nkey form the key */
};
const struct oms_import_columns *oms_import_columns(enum oms_import_kind);

/* 1 when files of the kind can be imported (exported) yet. */
int oms_import_ready(enum oms_import_kind);
int oms_export_ready(enum oms_import_kind);

/* One bad row (or the header, or the file). */
struct oms_import_problem {
	int64_t line;        /* physical line of the row's start, from 1 */
	const char *column;  /* the column's name; "" for the whole row */
	const char *reason;  /* what is wrong, a sentence */
	const char *row;     /* the row as it was in the file */
	size_t rowlen;
};

/* What an import takes besides the file. */
struct oms_import_opts {
	const struct oms_actor *actor; /* for the audit log */
	int32_t today;                 /* the business date (a day number) */
	int backdate_days;             /* [billing] backdate_days */
	const char *currency;          /* [billing] currency */
	/* Called every OMS_IMPORT_PROGRESS rows with the rows read so far
	 * (NULL: none). */
	void (*progress)(void *arg, int64_t rows);
	void *progress_arg;
};

#define OMS_IMPORT_PROGRESS 10000
/* Problems kept in a report; further ones are counted only. */
#define OMS_IMPORT_MAX_PROBLEMS 1000000

struct oms_import_report {
	enum oms_import_kind kind;
	int64_t rows;       /* data rows read (the header not counted) */
	int64_t added;      /* new keys */
	int64_t updated;    /* known keys with other values, updated */
	int64_t skipped;    /* known keys with the same values */
	int64_t refused;    /* bad rows (none imported when > 0) */
	struct oms_import_problem *problems; /* in the arena, in line order */
	size_t nproblems;   /* kept (at most OMS_IMPORT_MAX_PROBLEMS) */
	int64_t problems_total; /* found, kept or not */
	int imported;       /* 1 when the unit committed */
};

/*
 * Import the CSV file data[0..len-1] as kind, in one unit of work.
 * OMS_OK when every row was good and the unit committed (report
 * filled); OMS_ERR_INVAL when the file was refused (report->problems
 * say why, nothing changed; also for a kind not yet importable);
 * another error when the store failed (nothing changed).  The report's
 * memory is the arena's.
 */
enum oms_err oms_import(struct oms_store *, struct oms_arena *,
    enum oms_import_kind, const char *data, size_t len,
    const struct oms_import_opts *, struct oms_import_report *);

/*
 * Write every row of kind in its import format (the header first), in
 * key order, through w, inside one read snapshot.  OMS_OK;
 * OMS_ERR_NOTFOUND for a kind not yet exportable; OMS_ERR_IO when the
 * writer failed; a store error.
 */
enum oms_err oms_export(struct oms_store *, enum oms_import_kind,
    struct oms_csv_writer *);

#endif /* OMS_IMPORTER_H */

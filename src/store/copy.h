/*
 * copy.h: copying a whole OMS database from one store to another
 * (SQLite to MariaDB and back), verified by row counts and checksums.
 */
#ifndef OMS_COPY_H
#define OMS_COPY_H

#include <stdint.h>
#include <stdio.h>

#include "oms.h"

struct oms_store;

/* What was copied, one entry a table. */
struct oms_copy_table {
	const char *name;      /* table */
	int64_t rows;          /* rows read from the source */
	uint64_t sum;          /* checksum of the source rows */
	int64_t rows_after;    /* rows read back from the target */
	uint64_t sum_after;    /* their checksum */
	int checked;           /* 1 once read back and compared */
};

#define OMS_COPY_NTABLES 39

/*
 * Copy every table of src into dst, both at the latest schema version,
 * in one unit of work on dst, then read both back and compare counts
 * and checksums.  A target holding data is refused (OMS_ERR_INVAL)
 * unless force, which empties it first (in the same unit).  Any other
 * failure of the unit (a row the target refuses: OMS_ERR_CONSTRAINT)
 * leaves the target as it was.  A difference found by the verification
 * is OMS_ERR_STORE with the tables' `checked` set.
 */
enum oms_err oms_copy(struct oms_store *src, struct oms_store *dst,
    int force, struct oms_copy_table out[OMS_COPY_NTABLES]);

#endif /* OMS_COPY_H */

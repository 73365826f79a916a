/*
 * fuzz_csv.c: libFuzzer target for the CSV reader and writer
 * (src/core/csv.c).
 *
 * Input: any bytes, read as a CSV file.  Invariants checked on every
 * input:
 *   - every good record's fields are valid UTF-8 with the lengths
 *     given, and its line numbers never go down;
 *   - the record's raw text lies inside the input;
 *   - each good record written back by the writer reads back as the
 *     very same fields (exports round-trip).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* A growing buffer the writer appends to. */
struct buf {
	char *p;
	size_t n;
};

/* oms_csv_sink appending to a struct buf; aborts when out of memory. */
static int
to_buf(void *arg, const char *p, size_t n)
{
	struct buf *b = arg;
	char *q = realloc(b->p, b->n + n);

	if (q == NULL)
		abort();
	memcpy(q + b->n, p, n);
	b->p = q;
	b->n += n;
	return 0;
}

/* Write the record r holds and check it reads back the same. */
static void
check_roundtrip(const struct oms_csv *r)
{
	struct buf b = {NULL, 0};
	struct oms_csv_writer w = {to_buf, &b, 0};
	struct oms_csv back;

	CHECK(oms_csv_write(&w, r->fields, r->nfields) == OMS_OK);
	oms_csv_init(&back, b.p, b.n);
	CHECK(oms_csv_next(&back) && back.why == NULL);
	CHECK(back.nfields == r->nfields);
	for (size_t i = 0; i < r->nfields; i++)
		CHECK(back.lens[i] == r->lens[i] &&
		    memcmp(back.fields[i], r->fields[i], r->lens[i]) == 0);
	CHECK(!oms_csv_next(&back) && back.err == OMS_OK);
	oms_csv_free(&back);
	free(b.p);
}

/* libFuzzer's entry: read every record and check the invariants. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct oms_csv r;
	int64_t last = 0;

	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	oms_csv_init(&r, copy, size);
	while (oms_csv_next(&r)) {
		CHECK(r.line >= last);
		last = r.line;
		CHECK(r.raw >= copy && r.raw + r.rawlen <= copy + size);
		if (r.why != NULL)
			continue;
		for (size_t i = 0; i < r.nfields; i++) {
			CHECK(strlen(r.fields[i]) == r.lens[i]);
			CHECK(oms_utf8_valid(r.fields[i], r.lens[i]));
		}
		check_roundtrip(&r);
	}
	oms_csv_free(&r);
	free(copy);
	return 0;
}

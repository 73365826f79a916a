/*
 * csv.h: RFC 4180 CSV, read from memory and written through a sink,
 * for the bulk imports and exports (../BILLING.md, "Formats").
 *
 * The reader takes a whole file in memory (omsctl maps it, the import
 * page has the upload) and hands out one record at a time, in the
 * manner of the store's latching query:
 *
 *	oms_csv_init(&r, buf, len);
 *	while (oms_csv_next(&r)) {
 *		if (r.why != NULL)
 *			... a bad record: line r.line, field r.bad_field ...
 *		else
 *			... r.fields[0 .. r.nfields-1] ...
 *	}
 *	if (r.err != OMS_OK) ... out of memory ...
 *	oms_csv_free(&r);
 *
 * Fields may be quoted ("a, b"), with a doubled quote for a quote; a
 * quoted field may hold commas, CR and LF.  Records end with CRLF or
 * LF (a lone CR outside quotes too).  A UTF-8 byte order mark at the
 * start is skipped; empty lines are skipped (a record of one empty
 * field is written as ""); each field must be valid UTF-8 without NUL,
 * at most OMS_CSV_MAX_FIELD bytes, a record at most OMS_CSV_MAX_RECORD
 * bytes and OMS_CSV_MAX_FIELDS fields.  A bad record is reported
 * (why, line, field) and reading goes on at the next line, so that
 * every bad record of a file can be reported (a quote left open runs
 * to the end of the file, which is then the one bad record).
 *
 * The writer quotes a field only when it must (a comma, a quote, CR or
 * LF, a space or tab at either end, a leading byte order mark, or the
 * one field of a record being empty) and never alters a value: what it writes reads back exactly.
 * It has no formula-injection guard on purpose: exports must
 * round-trip.
 */
#ifndef OMS_CSV_H
#define OMS_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

#define OMS_CSV_MAX_FIELD 65536      /* bytes of one field */
#define OMS_CSV_MAX_RECORD (1 << 20) /* bytes of one record */
#define OMS_CSV_MAX_FIELDS 256       /* fields of one record */

struct oms_csv {
	const char *buf;      /* the whole input (borrowed) */
	size_t len;           /* its length */
	size_t pos;           /* where the next record starts */
	int64_t next_line;    /* the physical line at pos, from 1 */
	/* The current record, valid until the next call: */
	int64_t line;         /* its first physical line */
	const char *raw;      /* its bytes in buf, as they were */
	size_t rawlen;        /* without the line ending */
	const char **fields;  /* decoded fields, each NUL-terminated */
	size_t *lens;         /* their lengths */
	size_t nfields;
	const char *why;      /* NULL, or why the record is bad (static) */
	size_t bad_field;     /* the bad field's index, from 0, with why */
	enum oms_err err;     /* OMS_ERR_NOMEM when out of memory; latched */
	/* Scratch, owned: */
	char *scratch;        /* decoded bytes of the record */
	size_t scratch_sz;
	size_t *offs;         /* field start offsets in scratch */
	size_t fields_sz;     /* room in fields, lens, offs */
};

/* Start reading buf[0..len-1] (borrowed until oms_csv_free). */
void oms_csv_init(struct oms_csv *, const char *buf, size_t len);
/* The next record: 1 when one is ready (good, or bad with why set), 0
 * at the end of the input or on an error (err). */
int oms_csv_next(struct oms_csv *);
/* Free the scratch memory; the struct may be initialised again. */
void oms_csv_free(struct oms_csv *);

/* 1 when buf[0..len-1] is valid UTF-8 (no overlong forms, surrogates
 * or code points above U+10FFFF) without a NUL byte. */
int oms_utf8_valid(const char *buf, size_t len);

/* Where the writer's bytes go: returns 0 on success, -1 on failure. */
typedef int (*oms_csv_sink)(void *arg, const char *p, size_t n);

struct oms_csv_writer {
	oms_csv_sink fn; /* the sink */
	void *arg;       /* its argument */
	int failed;      /* 1 once the sink failed (latched) */
};

/*
 * Write one record of n fields (NULL is written as an empty field),
 * ended by CRLF as RFC 4180 says.  OMS_OK, or OMS_ERR_IO once the sink
 * failed (then and for every later record).
 */
enum oms_err oms_csv_write(struct oms_csv_writer *, const char *const *fields,
    size_t n);

/* A sink writing to a stdio FILE * (arg). */
int oms_csv_sink_file(void *arg, const char *p, size_t n);

#endif /* OMS_CSV_H */

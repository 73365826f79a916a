/*
 * csv.c: the RFC 4180 reader and writer of csv.h.
 *
 * The reader decodes one record at a time into a scratch buffer that
 * grows (to a bound) and is reused, so a file of a million records
 * costs the memory of its longest record.  A record with a problem is
 * handed out with why set, and the reader goes on at the next physical
 * line: the importer reports every bad record of a file, not only the
 * first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Described in csv.h. */
void
oms_csv_init(struct oms_csv *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->len = len;
	r->next_line = 1;
	/* A UTF-8 byte order mark is not part of the first field. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
}

/* Described in csv.h. */
void
oms_csv_free(struct oms_csv *r)
{
	free(r->scratch);
	free(r->fields);
	free(r->lens);
	free(r->offs);
	r->scratch = NULL;
	r->fields = NULL;
	r->lens = NULL;
	r->offs = NULL;
	r->scratch_sz = r->fields_sz = 0;
}

/* Described in csv.h. */
int
oms_utf8_valid(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp, min;

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			n = 1, cp = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			n = 2, cp = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (len - i - 1 < n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Append byte c to the scratch buffer at *used, growing it up to the
 * record bound.  0 on success; -1 when over the bound (nothing
 * appended); -2 when out of memory (r->err set). */
static int
put(struct oms_csv *r, size_t *used, char c)
{
	if (*used >= r->scratch_sz) {
		size_t want = r->scratch_sz ? r->scratch_sz * 2 : 1024;
		size_t cap = (size_t)OMS_CSV_MAX_RECORD + OMS_CSV_MAX_FIELDS + 1;
		char *p;

		if (r->scratch_sz >= cap)
			return -1;
		if (want > cap)
			want = cap;
		if ((p = realloc(r->scratch, want)) == NULL) {
			r->err = OMS_ERR_NOMEM;
			return -2;
		}
		r->scratch = p;
		r->scratch_sz = want;
	}
	r->scratch[(*used)++] = c;
	return 0;
}

/* Make room for field n (from 0).  0, or -2 when out of memory. */
static int
room(struct oms_csv *r, size_t n)
{
	if (n < r->fields_sz)
		return 0;
	{
		size_t want = r->fields_sz ? r->fields_sz * 2 : 32;
		const char **f = realloc(r->fields, want * sizeof(*f));
		size_t *l, *o;

		if (f == NULL)
			goto nomem;
		r->fields = f;
		if ((l = realloc(r->lens, want * sizeof(*l))) == NULL)
			goto nomem;
		r->lens = l;
		if ((o = realloc(r->offs, want * sizeof(*o))) == NULL)
			goto nomem;
		r->offs = o;
		r->fields_sz = want;
		return 0;
	}
nomem:
	r->err = OMS_ERR_NOMEM;
	return -2;
}

/*
 * After a problem at p: skip to the end of the physical line (the next
 * LF, quotes or not), set the record's raw length, and go on there.
 */
static void
resync(struct oms_csv *r, size_t start, size_t p)
{
	const char *nl = p < r->len ? memchr(r->buf + p, '\n', r->len - p) :
	    NULL;
	size_t end = nl ? (size_t)(nl - r->buf) : r->len;

	r->rawlen = end - start;
	if (r->rawlen > 0 && r->buf[start + r->rawlen - 1] == '\r')
		r->rawlen--;
	r->pos = nl ? end + 1 : r->len;
	r->next_line++;
}

/* Mark the current record bad at field f and go on at the next line
 * after p.  Returns 1 (a record is ready, a bad one). */
static int
bad(struct oms_csv *r, const char *why, size_t f, size_t start, size_t p)
{
	r->why = why;
	r->bad_field = f;
	r->nfields = f + 1 < r->fields_sz ? f + 1 : r->fields_sz;
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i] = "";
		r->lens[i] = 0;
	}
	resync(r, start, p);
	return 1;
}

/* Described in csv.h. */
int
oms_csv_next(struct oms_csv *r)
{
	const char *b = r->buf;
	size_t p = r->pos, start, used = 0, nf = 0;
	int rc;

	if (r->err != OMS_OK)
		return 0;
	r->why = NULL;
	r->bad_field = 0;
	r->nfields = 0;
	/* Empty lines between records are skipped. */
	while (p < r->len && (b[p] == '\n' || b[p] == '\r')) {
		if (b[p] == '\r' && p + 1 < r->len && b[p + 1] == '\n')
			p++;
		p++;
		r->next_line++;
	}
	if (p >= r->len) {
		r->pos = p;
		return 0;
	}
	start = p;
	r->line = r->next_line;
	r->raw = b + start;
	for (;;) {
		size_t fstart = used;

		if (room(r, nf) != 0)
			return 0;
		if (nf >= OMS_CSV_MAX_FIELDS)
			return bad(r, "more fields than a record may have",
			    nf - 1, start, p);
		r->offs[nf] = fstart;
		if (p < r->len && b[p] == '"') {
			p++;
			for (;;) {
				if (p >= r->len) {
					r->pos = r->len;
					r->rawlen = r->len - start;
					return bad(r, "a quoted field is not closed "
					    "before the end of the file", nf, start,
					    r->len);
				}
				if (b[p] == '"') {
					if (p + 1 < r->len && b[p + 1] == '"') {
						p += 2;
						rc = put(r, &used, '"');
					} else {
						p++;
						break;
					}
				} else {
					if (b[p] == '\n')
						r->next_line++;
					rc = put(r, &used, b[p++]);
				}
				if (rc == -2)
					return 0;
				if (rc == -1 || used - fstart > OMS_CSV_MAX_FIELD)
					return bad(r, "a field or record is too "
					    "long", nf, start, p);
			}
			if (p < r->len && b[p] != ',' && b[p] != '\r' &&
			    b[p] != '\n')
				return bad(r, "bad quoting: a quoted field must "
				    "end at its closing quote (a quote inside "
				    "it is written twice)", nf, start, p);
		} else {
			while (p < r->len && b[p] != ',' && b[p] != '\r' &&
			    b[p] != '\n') {
				if (b[p] == '"')
					return bad(r, "bad quoting: a quote in a "
					    "field that does not start with one "
					    "(quote the field and write the quote "
					    "twice)", nf, start, p);
				rc = put(r, &used, b[p++]);
				if (rc == -2)
					return 0;
				if (rc == -1 || used - fstart > OMS_CSV_MAX_FIELD)
					return bad(r, "a field or record is too "
					    "long", nf, start, p);
			}
		}
		r->lens[nf] = used - fstart;
		if ((rc = put(r, &used, '\0')) != 0) {
			if (rc == -2)
				return 0;
			return bad(r, "a field or record is too long", nf,
			    start, p);
		}
		nf++;
		if (p < r->len && b[p] == ',') {
			p++;
			continue;
		}
		break;
	}
	/* The end of the record: CRLF, LF, a lone CR, or the input. */
	r->rawlen = p - start;
	if (p < r->len && b[p] == '\r')
		p++;
	if (p < r->len && b[p] == '\n')
		p++;
	if (p > start + r->rawlen)
		r->next_line++;
	r->pos = p;
	r->nfields = nf;
	for (size_t i = 0; i < nf; i++) {
		r->fields[i] = r->scratch + r->offs[i];
		if (!oms_utf8_valid(r->fields[i], r->lens[i])) {
			r->why = "not valid UTF-8 text (or a NUL byte)";
			r->bad_field = i;
		}
	}
	return 1;
}

/* 1 when field s must be quoted to read back as it is. */
static int
needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return 1;
	/* A byte order mark at the start of a file is skipped by the
	 * reader: a field that starts with one (the first of a file) is
	 * quoted so that the mark stays part of it. */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

/* Send n bytes to the sink unless it failed already. */
static void
emit(struct oms_csv_writer *w, const char *p, size_t n)
{
	if (!w->failed && n > 0 && w->fn(w->arg, p, n) != 0)
		w->failed = 1;
}

/* Described in csv.h. */
enum oms_err
oms_csv_write(struct oms_csv_writer *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = fields[i] ? fields[i] : "";
		size_t len = strlen(s);

		if (i > 0)
			emit(w, ",", 1);
		if (needs_quotes(s, len) || (n == 1 && len == 0)) {
			const char *q;

			emit(w, "\"", 1);
			while ((q = memchr(s, '"', len)) != NULL) {
				emit(w, s, (size_t)(q - s) + 1);
				emit(w, "\"", 1);
				len -= (size_t)(q - s) + 1;
				s = q + 1;
			}
			emit(w, s, len);
			emit(w, "\"", 1);
		} else
			emit(w, s, len);
	}
	emit(w, "\r\n", 2);
	return w->failed ? OMS_ERR_IO : OMS_OK;
}

/* Described in csv.h. */
int
oms_csv_sink_file(void *arg, const char *p, size_t n)
{
	return fwrite(p, 1, n, (FILE *)arg) == n ? 0 : -1;
}

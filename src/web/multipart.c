/*
 * multipart.c: the multipart/form-data parser of multipart.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "multipart.h"

/* The characters RFC 2046 allows in a boundary (space not at the end). */
static const char bchars[] = "0123456789abcdefghijklmnopqrstuvwxyz"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";

/*
 * The boundary parameter of a multipart/form-data media type into
 * b (at least 71 bytes).  1 when found and well formed.
 */
static int
boundary_of(const char *ct, char *b)
{
	const char *p;
	size_t n;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0 ||
	    (ct[19] != ';' && ct[19] != ' '))
		return 0;
	for (p = ct + 19; (p = strchr(p, ';')) != NULL; ) {
		p++;
		p += strspn(p, " \t");
		if (strncasecmp(p, "boundary=", 9) != 0)
			continue;
		p += 9;
		if (*p == '"') {
			const char *q = strchr(++p, '"');

			if (q == NULL)
				return 0;
			n = (size_t)(q - p);
		} else
			n = strcspn(p, "; \t");
		if (n < 1 || n > 70 || strspn(p, bchars) < n || p[n - 1] == ' ')
			return 0;
		memcpy(b, p, n);
		b[n] = '\0';
		return 1;
	}
	return 0;
}

/*
 * The value of parameter key (name, filename) of a Content-Disposition
 * header value h[0..n-1], quoted, into the arena; NULL when absent.
 * *bad is set when it is malformed (unterminated, or a backslash or
 * control character, which no browser sends in a field name).
 */
static const char *
param(struct oms_arena *a, const char *h, size_t n, const char *key, int *bad)
{
	size_t k = strlen(key);

	for (size_t i = 0; i + k + 2 < n; i++) {
		size_t j;

		if (!(h[i] == ';' || h[i] == ' ') || strncasecmp(h + i + 1, key, k) != 0 ||
		    h[i + 1 + k] != '=')
			continue;
		i += k + 2;
		if (h[i] != '"') {
			*bad = 1;
			return NULL;
		}
		for (j = i + 1; j < n && h[j] != '"'; j++)
			if ((unsigned char)h[j] < 0x20 || h[j] == '\\') {
				*bad = 1;
				return NULL;
			}
		if (j >= n) {
			*bad = 1;
			return NULL;
		}
		return oms_arena_strndup(a, h + i + 1, j - i - 1);
	}
	return NULL;
}

/* Described in multipart.h. */
enum oms_err
oms_multipart_parse(struct oms_arena *a, const char *ct, const char *body,
    size_t len, struct oms_part *parts, size_t max, size_t *n,
    const char **why)
{
	char b[80], delim[84];
	size_t dl, pos;

	*n = 0;
	*why = NULL;
	if (!boundary_of(ct, b)) {
		*why = "Send the file as multipart/form-data with a boundary.";
		return OMS_ERR_INVAL;
	}
	/* "\r\n--boundary": every delimiter but the first. */
	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", b);
	if (len < dl - 2 || memcmp(body, delim + 2, dl - 2) != 0) {
		*why = "The upload does not start with its boundary.";
		return OMS_ERR_INVAL;
	}
	pos = dl - 2;
	for (;;) {
		const char *h, *he, *end;
		struct oms_part *pt;
		int bad = 0, disp = 0;

		/* After a delimiter: "--" ends the body, CRLF starts a part. */
		if (len - pos >= 2 && memcmp(body + pos, "--", 2) == 0)
			return OMS_OK;
		if (len - pos < 2 || memcmp(body + pos, "\r\n", 2) != 0) {
			*why = "The upload is malformed after a boundary.";
			return OMS_ERR_INVAL;
		}
		pos += 2;
		if (*n >= max) {
			*why = "The upload has more fields than this form has.";
			return OMS_ERR_INVAL;
		}
		h = body + pos;
		he = memmem(h, len - pos < OMS_MULTIPART_MAX_HEADERS ? len - pos :
		    OMS_MULTIPART_MAX_HEADERS, "\r\n\r\n", 4);
		if (he == NULL) {
			*why = "A part of the upload has no end to its headers, or "
			    "too long ones.";
			return OMS_ERR_INVAL;
		}
		pt = &parts[*n];
		memset(pt, 0, sizeof(*pt));
		/* Header lines: Content-Disposition is the one read. */
		for (const char *l = h; l < he; ) {
			const char *le = memmem(l, (size_t)(he - l) + 2, "\r\n", 2);
			size_t ll = (size_t)(le - l);

			if (ll > 20 && strncasecmp(l, "Content-Disposition:", 20) == 0) {
				const char *v = l + 20;

				while (v < le && *v == ' ')
					v++;
				if ((size_t)(le - v) < 9 || strncasecmp(v, "form-data", 9) != 0)
					bad = 1;
				pt->name = param(a, v, (size_t)(le - v), "name", &bad);
				pt->filename = param(a, v, (size_t)(le - v), "filename",
				    &bad);
				disp++;
			}
			l = le + 2;
		}
		if (bad || disp != 1 || pt->name == NULL) {
			*why = "A part of the upload lacks a proper "
			    "Content-Disposition: form-data; name=\"...\".";
			return OMS_ERR_INVAL;
		}
		pos = (size_t)(he - body) + 4;
		end = memmem(body + pos, len - pos, delim, dl);
		if (end == NULL) {
			*why = "The upload ends before its closing boundary.";
			return OMS_ERR_INVAL;
		}
		pt->data = body + pos;
		pt->len = (size_t)(end - (body + pos));
		(*n)++;
		pos = (size_t)(end - body) + dl;
	}
}

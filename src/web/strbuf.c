/*
 * strbuf.c: strings built piece by piece in a request's arena.  Growth
 * doubles the block and copies; the old block stays in the arena until
 * the request ends, which costs little for the short texts built here.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "strbuf.h"

/* Start an empty builder on arena a; allocates nothing yet. */
void
oms_sb_init(struct oms_sb *b, struct oms_arena *a)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
}

/*
 * Make room for n more bytes and the NUL.  Returns 1 when there is
 * room, 0 (and marks the builder failed) when out of memory or when
 * the size would overflow.
 */
static int
reserve(struct oms_sb *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return 0;
	if (n > (size_t)-1 / 2 - b->len) {
		b->failed = 1;
		return 0;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return 1;
	for (cap = b->cap ? b->cap : 128; cap < want; cap *= 2)
		;
	if ((p = oms_arena_alloc(b->a, cap)) == NULL) {
		b->failed = 1;
		return 0;
	}
	if (b->len)
		memcpy(p, b->s, b->len);
	p[b->len] = '\0';
	b->s = p;
	b->cap = cap;
	return 1;
}

/* Append n bytes of s; on failure the builder stays failed. */
void
oms_sb_add(struct oms_sb *b, const char *s, size_t n)
{
	if (!reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Append the string s; NULL appends nothing. */
void
oms_sb_puts(struct oms_sb *b, const char *s)
{
	if (s != NULL)
		oms_sb_add(b, s, strlen(s));
}

/* Append the decimal digits of v, written backwards into a buffer
 * (INT64_MIN included: the magnitude is taken unsigned). */
void
oms_sb_int(struct oms_sb *b, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	oms_sb_add(b, p, (size_t)(buf + sizeof(buf) - p));
}

/*
 * Append printf-formatted text: written straight into the room there
 * is, and only when it did not fit, the block grown and the text
 * written again (one vsnprintf for the short pieces of a URL).
 */
void
oms_sb_printf(struct oms_sb *b, const char *fmt, ...)
{
	va_list ap;
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	int n;

	if (b->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(room ? b->s + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n >= room) {
		if (!reserve(b, (size_t)n))
			return;
		va_start(ap, fmt);
		vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* The text built (arena memory), or NULL when anything failed. */
const char *
oms_sb_done(struct oms_sb *b, size_t *len)
{
	if (!reserve(b, 0))
		return NULL;
	if (len != NULL)
		*len = b->len;
	return b->s;
}

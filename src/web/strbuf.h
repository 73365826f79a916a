/*
 * strbuf.h: strings built piece by piece in a request's arena.
 *
 * URLs, header blocks and other text whose length depends on what the
 * user sent are built here rather than in fixed buffers with snprintf
 * offsets: a builder grows as needed, and once an allocation fails it
 * stays failed, so a caller checks once, at the end.
 */
#ifndef OMS_STRBUF_H
#define OMS_STRBUF_H

#include <stddef.h>
#include <stdint.h>

struct oms_arena;

struct oms_sb {
	struct oms_arena *a; /* where the text lives */
	char *s;             /* the text so far, NUL-terminated (or NULL) */
	size_t len;          /* bytes of text */
	size_t cap;          /* bytes allocated at s */
	int failed;          /* 1 after an allocation failed */
};

/* Start an empty builder on arena a. */
void oms_sb_init(struct oms_sb *, struct oms_arena *a);
/* Append n bytes of s. */
void oms_sb_add(struct oms_sb *, const char *s, size_t n);
/* Append the string s (nothing when NULL). */
void oms_sb_puts(struct oms_sb *, const char *s);
/* Append the decimal digits of v (a '-' first when negative). */
void oms_sb_int(struct oms_sb *, int64_t v);
/* Append printf-formatted text. */
void oms_sb_printf(struct oms_sb *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * The text built, NUL-terminated, in the arena (valid until the arena
 * is reset); *len (when not NULL) gets its length.  NULL when an
 * allocation failed on the way.
 */
const char *oms_sb_done(struct oms_sb *, size_t *len);

#endif /* OMS_STRBUF_H */

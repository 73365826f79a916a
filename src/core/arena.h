/*
 * arena.h: the per-request memory arena.
 *
 * Every request owns one arena.  Memory taken from it is freed all at
 * once when the request ends; objects from other libraries (XML
 * documents, transform contexts) are registered on its cleanup list
 * and freed then too, last registered first.
 */
#ifndef OMS_ARENA_H
#define OMS_ARENA_H

#include <stddef.h>

struct oms_arena;

typedef void (*oms_cleanup_fn)(void *);

/* Make an arena; NULL when out of memory.  Free with oms_arena_free(). */
struct oms_arena *oms_arena_new(void);
/* Run the cleanups and free every block; the arena stays usable. */
void oms_arena_reset(struct oms_arena *);
/* Reset and free the arena itself; accepts NULL and clears *. */
void oms_arena_free(struct oms_arena **);

/* Memory valid until the next reset; NULL when out of memory. */
void *oms_arena_alloc(struct oms_arena *, size_t);
/* A copy of the first n bytes of s, NUL-terminated. */
char *oms_arena_strndup(struct oms_arena *, const char *s, size_t n);
char *oms_arena_strdup(struct oms_arena *, const char *s);
/* printf into the arena. */
char *oms_arena_printf(struct oms_arena *, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Register fn(p) to run at reset; returns 0 when out of memory, in
 * which case fn(p) has already been run. */
int oms_arena_defer(struct oms_arena *, oms_cleanup_fn fn, void *p);

/*
 * Fault injection for the out-of-memory tests (SQLite's manner): the
 * next n allocations (oms_arena_new, oms_arena_alloc and everything
 * built on it: strdup, printf, defer) succeed and every later one
 * fails, until oms_arena_fail_after(-1) turns it off.  Process-wide;
 * for tests only.
 */
void oms_arena_fail_after(long n);
/* Failures injected since the last oms_arena_fail_after(). */
long oms_arena_failures(void);

#endif /* OMS_ARENA_H */

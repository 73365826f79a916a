/*
 * arena.c: a bump allocator over a list of blocks, with a cleanup list.
 * The first block is kept across resets so that a worker serving many
 * small requests does not go back to malloc for each one.
 *
 * Under AddressSanitizer (the sanitizer build of ./check) the arena
 * must not hide bugs: what a block has not handed out is poisoned,
 * every allocation is followed by a poisoned red zone, and reset
 * poisons the kept block again, so that a read or write past an
 * allocation, or into memory of an earlier request, is reported as
 * it would be for malloc.
 *
 * For the out-of-memory tests, oms_arena_fail_after() makes every
 * allocation after the next n fail, in the manner of SQLite's
 * fault injection; it costs one branch an allocation otherwise.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define REDZONE 16 /* poisoned bytes after every allocation */
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#define REDZONE 0
#endif

#define BLOCK_SIZE (32 * 1024)

struct block {
	struct block *next; /* older block */
	size_t size;        /* usable bytes in data */
	size_t used;        /* bytes handed out */
	max_align_t data[]; /* the memory */
};

struct cleanup {
	struct cleanup *next; /* registered earlier */
	oms_cleanup_fn fn;    /* what to call */
	void *p;              /* with what */
};

struct oms_arena {
	struct block *head;       /* newest block */
	struct block *first;      /* the block kept across resets */
	struct cleanup *cleanups; /* newest first */
};

/* Fault injection: allocations left before failing (-1: never), and
 * the failures injected since the last oms_arena_fail_after(). */
static long fail_countdown = -1;
static long fail_count;

/*
 * Arm fault injection: the next n arena allocations succeed and every
 * later one fails; n < 0 turns it off.  Resets the failure count.
 * Process-wide, for tests only.  Cannot fail.
 */
void
oms_arena_fail_after(long n)
{
	fail_countdown = n < 0 ? -1 : n;
	fail_count = 0;
}

/* The number of failures injected since the last oms_arena_fail_after(). */
long
oms_arena_failures(void)
{
	return fail_count;
}

/*
 * 1 when this allocation must fail (fault injection armed and its
 * countdown spent); counts the failure.  Otherwise 0, and the
 * countdown moves on.
 */
static int
inject_failure(void)
{
	if (fail_countdown < 0)
		return 0;
	if (fail_countdown == 0) {
		fail_count++;
		return 1;
	}
	fail_countdown--;
	return 0;
}

/*
 * Allocate a block of at least sz usable bytes, its data poisoned;
 * NULL on failure.  The caller frees it with block_free().
 */
static struct block *
block_new(size_t sz)
{
	struct block *b;

	if (sz < BLOCK_SIZE)
		sz = BLOCK_SIZE;
	if (sz > SIZE_MAX - sizeof(*b) || (b = malloc(sizeof(*b) + sz)) == NULL)
		return NULL;
	b->next = NULL;
	b->size = sz;
	b->used = 0;
	POISON(b->data, sz);
	return b;
}

/* Give a block back to malloc (its data unpoisoned first). */
static void
block_free(struct block *b)
{
	if (b == NULL)
		return;
	UNPOISON(b->data, b->size);
	free(b);
}

/*
 * A new arena with its first block.  NULL when out of memory (or a
 * failure injected); free with oms_arena_free().
 */
struct oms_arena *
oms_arena_new(void)
{
	struct oms_arena *a;

	if (inject_failure() || (a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->head = a->first = block_new(BLOCK_SIZE)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

/*
 * Run the cleanups (last registered first), free every block but the
 * first, and poison the first again: the arena stays usable.
 */
void
oms_arena_reset(struct oms_arena *a)
{
	struct cleanup *c;
	struct block *b;

	if (a == NULL)
		return;
	/* Cleanups may live in the arena's own memory: read next first. */
	while ((c = a->cleanups) != NULL) {
		a->cleanups = c->next;
		c->fn(c->p);
	}
	while ((b = a->head) != NULL) {
		a->head = b->next;
		if (b != a->first)
			block_free(b);
	}
	a->head = a->first;
	a->head->next = NULL;
	a->head->used = 0;
	POISON(a->head->data, a->head->size);
}

/* Reset, then free the kept block and the arena; clears *ap. */
void
oms_arena_free(struct oms_arena **ap)
{
	if (ap == NULL || *ap == NULL)
		return;
	oms_arena_reset(*ap);
	block_free((*ap)->head);
	free(*ap);
	*ap = NULL;
}

/*
 * sz bytes aligned for any type, valid until the next reset (the arena
 * owns them).  NULL when out of memory or a failure is injected.
 */
void *
oms_arena_alloc(struct oms_arena *a, size_t sz)
{
	struct block *b = a->head;
	size_t al = _Alignof(max_align_t);
	size_t off = (b->used + al - 1) & ~(al - 1);
	void *p;

	if (inject_failure() || sz > SIZE_MAX / 2)
		return NULL;
	if (sz + REDZONE > b->size || off > b->size - sz - REDZONE) {
		/* Big requests get a block of their own behind the head so
		 * the rest of the current block stays in use. */
		struct block *nb = block_new(sz + REDZONE);

		if (nb == NULL)
			return NULL;
		if (sz >= BLOCK_SIZE / 2) {
			nb->next = b->next;
			b->next = nb;
			nb->used = sz;
			UNPOISON(nb->data, sz);
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
		off = 0;
	}
	p = (char *)b->data + off;
	b->used = off + sz + REDZONE;
	UNPOISON(p, sz);
	return p;
}

/* A NUL-terminated copy of n bytes of s in the arena; NULL on failure. */
char *
oms_arena_strndup(struct oms_arena *a, const char *s, size_t n)
{
	char *p = oms_arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A copy of the string s in the arena; NULL on failure. */
char *
oms_arena_strdup(struct oms_arena *a, const char *s)
{
	return oms_arena_strndup(a, s, strlen(s));
}

/* printf into the arena; NULL on failure or a bad format. */
char *
oms_arena_printf(struct oms_arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256], *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof(small))
		return oms_arena_strndup(a, small, (size_t)n);
	if ((p = oms_arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * Register fn(p) for reset.  Returns 1, or 0 when out of memory after
 * running fn(p) at once, so the caller never leaks p and must not use
 * it after a 0.
 */
int
oms_arena_defer(struct oms_arena *a, oms_cleanup_fn fn, void *p)
{
	struct cleanup *c = oms_arena_alloc(a, sizeof(*c));

	if (c == NULL) {
		fn(p);
		return 0;
	}
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
	return 1;
}

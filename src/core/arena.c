/*
 * arena.c: a bump allocator over a list of blocks, with a cleanup list.
 * The first block is kept across resets so that a worker serving many
 * small requests does not go back to malloc for each one.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

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

/* Allocate a block of at least sz usable bytes; NULL on failure. */
static struct block *
block_new(size_t sz)
{
	struct block *b;

	if (sz < BLOCK_SIZE)
		sz = BLOCK_SIZE;
	if ((b = malloc(sizeof(*b) + sz)) == NULL)
		return NULL;
	b->next = NULL;
	b->size = sz;
	b->used = 0;
	return b;
}

struct oms_arena *
oms_arena_new(void)
{
	struct oms_arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->head = a->first = block_new(BLOCK_SIZE)) == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

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
			free(b);
	}
	a->head = a->first;
	a->head->next = NULL;
	a->head->used = 0;
}

void
oms_arena_free(struct oms_arena **ap)
{
	if (ap == NULL || *ap == NULL)
		return;
	oms_arena_reset(*ap);
	free((*ap)->head);
	free(*ap);
	*ap = NULL;
}

void *
oms_arena_alloc(struct oms_arena *a, size_t sz)
{
	struct block *b = a->head;
	size_t al = _Alignof(max_align_t);
	size_t off = (b->used + al - 1) & ~(al - 1);
	void *p;

	if (sz > b->size || off > b->size - sz) {
		/* Big requests get a block of their own behind the head so
		 * the rest of the current block stays in use. */
		struct block *nb = block_new(sz);

		if (nb == NULL)
			return NULL;
		if (sz >= BLOCK_SIZE / 2) {
			nb->next = b->next;
			b->next = nb;
			nb->used = sz;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
		off = 0;
	}
	p = (char *)b->data + off;
	b->used = off + sz;
	return p;
}

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

char *
oms_arena_strdup(struct oms_arena *a, const char *s)
{
	return oms_arena_strndup(a, s, strlen(s));
}

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

/*
 * xmlmem.c: the allocator libxml2 and libxslt use in OMS processes.
 *
 * Building a view document and transforming it makes thousands of small
 * allocations that all die together at the end of the request.  glibc's
 * malloc serves most of them through its slow path once its per-thread
 * cache of 7 chunks a size is exhausted, which made allocation the
 * largest single cost of a page.  This allocator keeps a free list per
 * 16-byte size class up to 512 bytes, carved from 64 KiB slabs, so an
 * allocation or a free is a few instructions.  Larger blocks go to
 * malloc.  Small-class memory is reused, never returned to the system:
 * a worker's footprint is its largest request's, which is bounded by
 * the page size limits.
 *
 * Processes are single-threaded; this is not thread-safe.  It must be
 * installed before libxml2 allocates anything (oms_views_init does it).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlmemory.h>

#include "xmlmem.h"

#define ALIGN 16
#define SMALL_MAX 512
#define NCLASS (SMALL_MAX / ALIGN + 1)
#define SLAB (64 * 1024)

/* Every block starts with this header, keeping the user area aligned. */
struct hdr {
	size_t cap;    /* usable bytes: a class size, or a large size */
	size_t unused; /* padding to ALIGN */
};

struct freeblk {
	struct freeblk *next; /* next free block of the class */
};

/*
 * configure --enable-sanitizers defines OMS_NO_XMLMEM: every block then
 * comes from malloc of its own (the large-block path), so that
 * AddressSanitizer sees each of libxml2's allocations, while the
 * fault-injection hook and the counts below still work.
 */
#ifdef OMS_NO_XMLMEM
#define PER_BLOCK 1
#else
#define PER_BLOCK 0
#endif

static struct freeblk *freelist[NCLASS];
static char *slab_next, *slab_end;

static unsigned long failures;  /* allocations that returned NULL */
static unsigned long fail_in;   /* injected failure: the nth from now */
static int fail_persist;        /* and every one after it */
static int fail_held;           /* 1: the hook is held */
static int tracking;            /* 1: the hook and the live count work */
static long live;               /* blocks handed out, not yet freed */

/*
 * 1 when the fault-injection hook says this allocation must fail; also
 * counts the failure.  Costs one compare when the hook is off.
 */
static inline __attribute__((always_inline)) int
inject(void)
{
	if (__builtin_expect(fail_in == 0, 1) || fail_held)
		return 0;
	if (fail_in > 1) {
		fail_in--;
		return 0;
	}
	if (!fail_persist)
		fail_in = 0;
	failures++;
	return 1;
}

/* The size-class allocation itself; NULL (and counted in failures)
 * when out of memory.  Inlined into its callers: it is the hot path of
 * every page. */
static inline __attribute__((always_inline)) void *
raw_malloc(size_t n)
{
	struct hdr *h;

	if (!PER_BLOCK && n <= SMALL_MAX) {
		size_t c = n == 0 ? 1 : (n + ALIGN - 1) / ALIGN;
		struct freeblk *f = freelist[c];

		if (f != NULL) {
			freelist[c] = f->next;
			return f;
		}
		if ((size_t)(slab_end - slab_next) < sizeof(*h) + c * ALIGN) {
			/* The rest of the old slab is dropped: under one
			 * block, at most 528 bytes a slab.  A failed
			 * malloc leaves the old slab in place: setting
			 * slab_next to NULL with the old slab_end would
			 * hand out addresses near NULL next time. */
			char *slab = malloc(SLAB);

			if (slab == NULL) {
				failures++;
				return NULL;
			}
			slab_next = slab;
			slab_end = slab + SLAB;
		}
		h = (struct hdr *)slab_next;
		slab_next += sizeof(*h) + c * ALIGN;
		h->cap = c * ALIGN;
		return h + 1;
	}
	if (n > SIZE_MAX - sizeof(*h) || (h = malloc(sizeof(*h) + n)) == NULL) {
		failures++;
		return NULL;
	}
	h->cap = n;
	return h + 1;
}

/* malloc for libxml2 while tracking (tests): the fault-injection hook
 * and the live count; NULL (and counted) on failure. */
static void *
xm_malloc_tracked(size_t n)
{
	void *p;

	if (inject())
		return NULL;
	if ((p = raw_malloc(n)) != NULL)
		live++;
	return p;
}

/* malloc for libxml2 without tracking (every OMS process but the
 * tests): the size-class path and nothing else, for every page
 * allocates thousands of blocks.  NULL (and counted) when out of
 * memory. */
static void *
xm_malloc(size_t n)
{
	return raw_malloc(n);
}

/* Put a block back on its free list, or free a large one (inlined, as
 * raw_malloc). */
static inline __attribute__((always_inline)) void
raw_free(void *p)
{
	struct hdr *h;

	h = (struct hdr *)p - 1;
	if (!PER_BLOCK && h->cap <= SMALL_MAX) {
		struct freeblk *f = p;

		f->next = freelist[h->cap / ALIGN];
		freelist[h->cap / ALIGN] = f;
	} else
		free(h);
}

/* free for libxml2 without tracking; accepts NULL. */
static void
xm_free(void *p)
{
	if (p == NULL)
		return;
	raw_free(p);
}

/* free for libxml2 while tracking: the live count too; accepts NULL. */
static void
xm_free_tracked(void *p)
{
	if (p == NULL)
		return;
	live--;
	raw_free(p);
}

/* realloc for libxml2: NULL (and counted, p untouched) on failure. */
static void *
xm_realloc(void *p, size_t n)
{
	struct hdr *h;
	void *q;

	if (p == NULL)
		return tracking ? xm_malloc_tracked(n) : xm_malloc(n);
	h = (struct hdr *)p - 1;
	if (n <= h->cap)
		return p;
	if (__builtin_expect(tracking, 0) && inject())
		return NULL;
	if (PER_BLOCK || h->cap > SMALL_MAX) {
		if (n > SIZE_MAX - sizeof(*h) ||
		    (q = realloc(h, sizeof(*h) + n)) == NULL) {
			failures++;
			return NULL;
		}
		h = q;
		h->cap = n;
		return h + 1;
	}
	if ((q = raw_malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, h->cap);
	raw_free(p);
	return q;
}

/* strdup for libxml2. */
static char *
xm_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xm_malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

/* strdup for libxml2 while tracking. */
static char *
xm_strdup_tracked(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xm_malloc_tracked(n);

	return p ? memcpy(p, s, n) : NULL;
}

/* Install the allocator into libxml2 (once, before it allocates). */
void
oms_xmlmem_install(void)
{
	/* Tests turn tracking on first: they get the counting set. */
	if (tracking)
		xmlGcMemSetup(xm_free_tracked, xm_malloc_tracked,
		    xm_malloc_tracked, xm_realloc, xm_strdup_tracked);
	else
		xmlGcMemSetup(xm_free, xm_malloc, xm_malloc, xm_realloc,
		    xm_strdup);
}

/* Turn tracking on or off (see xmlmem.h). */
void
oms_xmlmem_track(int on)
{
	tracking = on != 0;
}

/* Allocation failures since the process started (see xmlmem.h). */
unsigned long
oms_xmlmem_failures(void)
{
	return failures;
}

/* Arm or disarm the fault-injection hook (see xmlmem.h). */
void
oms_xmlmem_fail_at(unsigned long nth, int persist)
{
	fail_in = nth;
	fail_persist = persist;
}

/* Hold or release the fault-injection hook (see xmlmem.h). */
void
oms_xmlmem_fail_hold(int on)
{
	fail_held = on;
}

/* Blocks handed out and not yet freed (see xmlmem.h). */
long
oms_xmlmem_live(void)
{
	return live;
}

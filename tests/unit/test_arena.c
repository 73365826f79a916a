/*
 * test_arena.c: the per-request arena (src/core/arena.c): alignment,
 * large and many allocations, string helpers, cleanups and reset, and
 * out of memory at every allocation in turn (oms_arena_fail_after).
 *
 * Run under valgrind or in the sanitizer build (./check's build-asan/)
 * it also shows that reset and free release every block and run every
 * deferred free, on every failure path.
 */
#include "config.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "oms.h"
#include "../tap.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define HAVE_ASAN 1
#endif

#define ALIGN _Alignof(max_align_t)

static int order[8], norder;

/* A cleanup that records which one ran, in order. */
static void
record(void *p)
{
	if (norder < (int)OMS_NELEM(order))
		order[norder++] = (int)(intptr_t)p;
}

/* 1 when p is aligned for any type. */
static int
aligned(const void *p)
{
	return ((uintptr_t)p % ALIGN) == 0;
}

static void
test_alloc(struct oms_arena *a)
{
	static const size_t sizes[] = {1, 3, 7, 8, 13, 16, 17, 31, 33, 100,
	    255, 1000, 4095};
	unsigned char *p[200];
	size_t sz[200];
	int good = 1, kept = 1;

	for (int i = 0; i < 200; i++) {
		sz[i] = sizes[i % OMS_NELEM(sizes)];
		p[i] = oms_arena_alloc(a, sz[i]);
		if (p[i] == NULL || !aligned(p[i]))
			good = 0;
		else
			memset(p[i], i & 0xff, sz[i]);
	}
	ok(good, "alloc: 200 odd-sized allocations, each max_align_t aligned");
	for (int i = 0; i < 200 && good; i++)
		for (size_t k = 0; k < sz[i]; k++)
			if (p[i][k] != (i & 0xff))
				kept = 0;
	ok(good && kept, "alloc: allocations do not overlap (their bytes "
	    "survive later allocations)");
}

static void
test_large(struct oms_arena *a)
{
	unsigned char *small1, *big, *small2, *med1, *med2, *huge;
	int intact = 1;

	small1 = oms_arena_alloc(a, 10);
	memset(small1, 0xa5, 10);
	big = oms_arena_alloc(a, 100 * 1024);
	ok(big != NULL && aligned(big), "large: 100 KiB allocation, aligned");
	memset(big, 0x5a, 100 * 1024);
	small2 = oms_arena_alloc(a, 10);
	ok(small2 != NULL && (small2 < big || small2 >= big + 100 * 1024),
	    "large: a small allocation after it lies outside it");
	memset(small2, 0x33, 10);
	med1 = oms_arena_alloc(a, 20000);
	med2 = oms_arena_alloc(a, 20000);
	ok(med1 != NULL && med2 != NULL && aligned(med1) && aligned(med2) &&
	    (med2 >= med1 + 20000 || med1 >= med2 + 20000),
	    "large: two 20000-byte allocations (over half a block) are "
	    "separate");
	memset(med1, 1, 20000);
	memset(med2, 2, 20000);
	huge = oms_arena_alloc(a, 32 * 1024);
	ok(huge != NULL && aligned(huge), "large: exactly 32 KiB allocation");
	memset(huge, 3, 32 * 1024);
	for (int i = 0; i < 10; i++)
		if (small1[i] != 0xa5 || small2[i] != 0x33)
			intact = 0;
	for (int i = 0; i < 100 * 1024; i++)
		if (big[i] != 0x5a)
			intact = 0;
	for (int i = 0; i < 20000; i++)
		if (med1[i] != 1 || med2[i] != 2)
			intact = 0;
	ok(intact, "large: every allocation keeps its bytes");
}

static void
test_many(struct oms_arena *a)
{
	char *p[2000];
	int good = 1;

	/* 2000 x 100 bytes: several blocks' worth. */
	for (int i = 0; i < 2000; i++) {
		if ((p[i] = oms_arena_alloc(a, 100)) == NULL) {
			good = 0;
			break;
		}
		snprintf(p[i], 100, "allocation %d", i);
	}
	for (int i = 0; i < 2000 && good; i++) {
		char want[100];

		snprintf(want, sizeof(want), "allocation %d", i);
		if (strcmp(p[i], want) != 0)
			good = 0;
	}
	ok(good, "many: 2000 small allocations spanning blocks stay intact");
}

static void
test_strings(struct oms_arena *a)
{
	char longs[1000], *s;
	const char *src = "hello, world";

	s = oms_arena_strdup(a, src);
	ok(s != NULL && s != src && strcmp(s, src) == 0,
	    "strdup: an equal copy at a new address");
	is_str(oms_arena_strdup(a, ""), "", "strdup: empty string");
	is_str(oms_arena_strndup(a, "abcdef", 3), "abc",
	    "strndup: first n bytes, NUL-terminated");
	s = oms_arena_strndup(a, "a\0b", 3);
	ok(s != NULL && s[0] == 'a' && s[1] == '\0' && s[2] == 'b' &&
	    s[3] == '\0', "strndup: copies n bytes even past a NUL");
	is_str(oms_arena_printf(a, "x=%d %s", 42, "y"), "x=42 y",
	    "printf: short result");
	memset(longs, 'z', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	s = oms_arena_printf(a, "<%s|%d>", longs, 7);
	ok(s != NULL && strlen(s) == 1003 && s[0] == '<' && s[1] == 'z' &&
	    s[999] == 'z' && strcmp(s + 1000, "|7>") == 0,
	    "printf: 1003-byte result (over 256) is complete");
	longs[255] = '\0';
	s = oms_arena_printf(a, "%s", longs);
	ok(s != NULL && strlen(s) == 255, "printf: 255 bytes (fits the "
	    "small buffer with its NUL)");
	longs[255] = 'z';
	longs[256] = '\0';
	s = oms_arena_printf(a, "%s", longs);
	ok(s != NULL && strlen(s) == 256 && strspn(s, "z") == 256,
	    "printf: 256 bytes (one over the small buffer)");
	longs[256] = 'z';
	s = oms_arena_printf(a, "%s", "");
	ok(s != NULL && s[0] == '\0', "printf: empty result");
}

static void
test_cleanups(void)
{
	struct oms_arena *a = oms_arena_new();
	void *mem;

	norder = 0;
	ok(oms_arena_defer(a, record, (void *)1) == 1 &&
	    oms_arena_defer(a, record, (void *)2) == 1 &&
	    oms_arena_defer(a, record, (void *)3) == 1,
	    "defer: registering returns 1");
	is_int(norder, 0, "defer: nothing runs before reset");
	oms_arena_reset(a);
	ok(norder == 3 && order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "defer: cleanups run in reverse order on reset");
	oms_arena_reset(a);
	is_int(norder, 3, "defer: a cleanup runs once, not again on the next "
	    "reset");

	/* Cleanups registered after big allocations (their records may
	 * live in any block) still run. */
	norder = 0;
	(void)oms_arena_alloc(a, 40000);
	oms_arena_defer(a, record, (void *)4);
	for (int i = 0; i < 500; i++)
		(void)oms_arena_alloc(a, 200);
	oms_arena_defer(a, record, (void *)5);
	mem = malloc(64);
	ok(mem != NULL && oms_arena_defer(a, free, mem) == 1,
	    "defer: free() of malloc'd memory registers");
	oms_arena_free(&a);
	ok(a == NULL && norder == 2 && order[0] == 5 && order[1] == 4,
	    "defer: free runs the cleanups in reverse and clears the pointer");
}

static void
test_reset(void)
{
	struct oms_arena *a = oms_arena_new();
	void *first, *again;
	char *s;

	first = oms_arena_alloc(a, 64);
	for (int i = 0; i < 100; i++)
		(void)oms_arena_alloc(a, 1000);
	(void)oms_arena_alloc(a, 200000);
	oms_arena_reset(a);
	again = oms_arena_alloc(a, 64);
	ok(again == first, "reset: the first block is kept and reused from "
	    "its start");
	s = oms_arena_strdup(a, "after reset");
	is_str(s, "after reset", "reset: the arena is usable after reset");
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 100; i++)
			(void)oms_arena_alloc(a, 1000);
		oms_arena_reset(a);
	}
	s = oms_arena_printf(a, "%d", 123);
	is_str(s, "123", "reset: usable after repeated fill and reset");
	oms_arena_free(&a);

	/* A big allocation while the first block is still the head is
	 * linked behind it, at the tail, where reset looks for the block
	 * to keep. */
	a = oms_arena_new();
	first = oms_arena_alloc(a, 64);
	(void)oms_arena_alloc(a, 200000);
	oms_arena_reset(a);
	again = oms_arena_alloc(a, 64);
	ok(again == first, "%s", "reset: a big allocation in the first block's "
	    "lifetime does not replace the kept block");
	oms_arena_free(&a);
	oms_arena_free(&a);
	oms_arena_free(NULL);
	oms_arena_reset(NULL);
	ok(a == NULL, "free: a second free, free(NULL) and reset(NULL) are "
	    "harmless");
}

/* Objects the OOM operation handed to the arena's cleanup list and not
 * yet freed: must be 0 once the arena is gone, on every path. */
static int live;

/* A cleanup for a counted object: frees it and counts it gone. */
static void
drop(void *p)
{
	live--;
	free(p);
}

/*
 * One request's worth of arena work, as a handler and the view do it:
 * a new arena, small and large allocations, strings, printf past the
 * small buffer, cleanups registered for malloc'd objects, then a reset
 * and more of the same.  Returns OMS_OK, or OMS_ERR_NOMEM when any step
 * failed; either way every registered object has been freed and the
 * arena is gone when it returns.
 */
static enum oms_err
oom_operation(void)
{
	struct oms_arena *a;
	enum oms_err e = OMS_ERR_NOMEM;
	char big[600], *s;
	void *obj;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	for (int round = 0; round < 2; round++) {
		if (oms_arena_alloc(a, 100) == NULL ||
		    oms_arena_alloc(a, 40000) == NULL ||
		    oms_arena_strdup(a, "a string") == NULL ||
		    oms_arena_printf(a, "%s/%d", big, round) == NULL)
			goto out;
		for (int i = 0; i < 300; i++)
			if (oms_arena_alloc(a, 150) == NULL)
				goto out;
		/* A failed defer has freed the object already. */
		if ((obj = malloc(32)) == NULL)
			goto out;
		live++;
		if (!oms_arena_defer(a, drop, obj))
			goto out;
		if ((s = oms_arena_strndup(a, big, 20)) == NULL ||
		    strlen(s) != 20)
			goto out;
		if (round == 0)
			oms_arena_reset(a);
	}
	e = OMS_OK;
out:
	oms_arena_free(&a);
	return e;
}

/*
 * SQLite's OOM loop: fail the 1st, 2nd, ... allocation until the
 * operation gets through without a failure injected; each run must
 * fail cleanly (OMS_ERR_NOMEM, nothing left alive, no crash; under the
 * sanitizer build, no leak and no bad access).
 */
static void
test_oom(void)
{
	int clean = 1, nomem = 1, n;
	enum oms_err e = OMS_ERR_NOMEM;

	for (n = 0; n < 10000; n++) {
		live = 0;
		oms_arena_fail_after(n);
		e = oom_operation();
		if (oms_arena_failures() == 0)
			break;
		if (e != OMS_ERR_NOMEM)
			nomem = 0;
		if (live != 0)
			clean = 0;
	}
	oms_arena_fail_after(-1);
	ok(n > 600 && n < 10000 && e == OMS_OK && live == 0,
	    "oom: the operation succeeds once allocation %d no longer fails", n + 1);
	ok(nomem, "oom bad: failing each of the first %d allocations in turn "
	    "gives OMS_ERR_NOMEM", n);
	ok(clean, "oom bad: and every object on the cleanup list is freed");

	/* Failing one allocation leaves the arena usable afterwards. */
	{
		struct oms_arena *a = oms_arena_new();
		char *s;

		oms_arena_fail_after(0);
		s = oms_arena_strdup(a, "x");
		ok(s == NULL && oms_arena_failures() == 1,
		    "oom bad: an injected failure returns NULL and is counted");
		ok(oms_arena_printf(a, "%s", "y") == NULL,
		    "oom bad: and so does printf while it is armed");
		live = 1;
		ok(oms_arena_defer(a, drop, malloc(8)) == 0 && live == 0,
		    "oom bad: a failed defer runs its cleanup at once");
		oms_arena_fail_after(-1);
		s = oms_arena_strdup(a, "after");
		is_str(s, "after", "oom: the arena works again once disarmed");
		oms_arena_free(&a);
	}
}

/*
 * Under AddressSanitizer the arena poisons what it has not handed out
 * and what a reset took back, so an overrun or a use after reset is
 * caught as it would be with malloc.
 */
static void
test_poison(void)
{
#ifdef HAVE_ASAN
	struct oms_arena *a = oms_arena_new();
	char *p = oms_arena_alloc(a, 13), *q;

	ok(p != NULL && !__asan_address_is_poisoned(p) &&
	    !__asan_address_is_poisoned(p + 12),
	    "asan: an allocation is addressable, all of it");
	ok(__asan_address_is_poisoned(p + 13),
	    "asan bad: the byte past an allocation is poisoned");
	q = oms_arena_alloc(a, 8);
	ok(q != NULL && __asan_region_is_poisoned(p + 13,
	    (size_t)(q - (p + 13))) != NULL,
	    "asan bad: the gap before the next allocation is poisoned");
	oms_arena_reset(a);
	ok(__asan_address_is_poisoned(p) && __asan_address_is_poisoned(q),
	    "asan bad: memory taken back by reset is poisoned");
	p = oms_arena_alloc(a, 40000);
	ok(p != NULL && !__asan_address_is_poisoned(p + 39999) &&
	    __asan_address_is_poisoned(p + 40000),
	    "asan bad: a big allocation ends at its size");
	oms_arena_free(&a);
#else
	/* TAP's skip directive: these hold only under the sanitizer build. */
	ok(1, "# SKIP asan: poisoning (not built with AddressSanitizer)");
#endif
}

int
main(void)
{
	struct oms_arena *a;

	oms_log_set_level(OMS_LOG_ERR);
	a = oms_arena_new();
	ok(a != NULL, "new: an arena");
	if (a == NULL)
		return tap_done();
	test_alloc(a);
	test_large(a);
	test_many(a);
	test_strings(a);
	oms_arena_free(&a);
	test_cleanups();
	test_reset();
	test_oom();
	test_poison();
	return tap_done();
}

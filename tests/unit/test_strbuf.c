/*
 * test_strbuf.c: the arena string builder (src/web/strbuf.c) the URLs
 * and headers are built with: appends, integers at the limits of
 * int64_t, printf past the first block and far past it, and out of
 * memory at every allocation in turn (a failed build gives NULL, never
 * a short string).
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "oms.h"
#include "strbuf.h"
#include "../tap.h"

static void
test_ints(struct oms_arena *a)
{
	static const int64_t v[] = {0, 1, -1, 9, 10, 99, 100, 123456789,
	    -987654321, INT64_MAX, INT64_MIN, INT64_MIN + 1};

	for (size_t i = 0; i < OMS_NELEM(v); i++) {
		struct oms_sb b;
		char want[32];
		size_t len = 0;
		const char *s;

		oms_sb_init(&b, a);
		oms_sb_puts(&b, "[");
		oms_sb_int(&b, v[i]);
		oms_sb_puts(&b, "]");
		s = oms_sb_done(&b, &len);
		snprintf(want, sizeof(want), "[%" PRId64 "]", v[i]);
		is_str(s, want, "int: %" PRId64 " is written as printf writes it", v[i]);
		is_int((long long)len, (long long)strlen(want),
		    "int: and the length given is the string's");
	}
}

static void
test_grow(struct oms_arena *a)
{
	struct oms_sb b;
	char want[6000];
	const char *s;
	size_t len = 0, o = 0;

	/* Many small appends across several doublings of the block. */
	oms_sb_init(&b, a);
	for (int i = 0; i < 1000; i++) {
		oms_sb_add(&b, "ab", i % 3 == 0 ? 1 : 2);
		oms_sb_int(&b, i);
		o += (size_t)snprintf(want + o, sizeof(want) - o, "%.*s%d",
		    i % 3 == 0 ? 1 : 2, "ab", i);
	}
	s = oms_sb_done(&b, &len);
	ok(s != NULL && len == o && strcmp(s, want) == 0,
	    "grow: 1,000 appends of text and integers give the whole text (%zu bytes)", o);

	/* A printf longer than the block it lands in, then more text. */
	oms_sb_init(&b, a);
	oms_sb_puts(&b, "x=");
	oms_sb_printf(&b, "%s|%0300d|%s", "left", 7, "right");
	oms_sb_puts(&b, "!");
	s = oms_sb_done(&b, &len);
	ok(s != NULL && len == 2 + 5 + 300 + 6 + 1 && strncmp(s, "x=left|000", 10) == 0 &&
	    strcmp(s + len - 8, "7|right!") == 0,
	    "printf: a 311-byte printf past the first 128-byte block is whole");

	/* Empty: done gives "" with length 0, not NULL. */
	oms_sb_init(&b, a);
	oms_sb_puts(&b, NULL);
	s = oms_sb_done(&b, &len);
	ok(s != NULL && *s == '\0' && len == 0, "empty: done gives the empty string");
}

/* The build of test_grow's first case, for the out-of-memory loop. */
static const char *
build(struct oms_arena *a)
{
	struct oms_sb b;

	oms_sb_init(&b, a);
	for (int i = 0; i < 300; i++) {
		oms_sb_puts(&b, "/sites/");
		oms_sb_int(&b, i);
		oms_sb_printf(&b, "?q=%s", "x");
	}
	return oms_sb_done(&b, NULL);
}

static void
test_oom(void)
{
	struct oms_arena *a = oms_arena_new();
	const char *whole, *s = NULL;
	int n, nulls = 1;

	whole = build(a);
	for (n = 0; n < 1000; n++) {
		oms_arena_fail_after(n);
		s = build(a);
		if (oms_arena_failures() == 0)
			break;
		if (s != NULL)
			nulls = 0;
	}
	oms_arena_fail_after(-1);
	ok(whole != NULL && n > 2 && n < 1000 && s != NULL && strcmp(s, whole) == 0,
	    "oom: the build succeeds, whole, once allocation %d no longer fails", n + 1);
	ok(nulls, "oom bad: failing each of the first %d allocations in turn "
	    "gives NULL, never a short string", n);
	oms_arena_free(&a);
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
	test_ints(a);
	test_grow(a);
	oms_arena_free(&a);
	test_oom();
	return tap_done();
}

/*
 * fuzz_route.c: libFuzzer target for the path router (oms_route_match
 * in src/web/http.c, over the route table of src/web/handlers.c).
 *
 * Input: the first byte picks the method (one past the last known
 * method stands for a method OMS does not know); the rest, cut at its
 * first NUL, is the path.  Invariants checked on every input:
 *   - a matched route has the method asked for (HEAD answers as GET)
 *     and its pattern, with the ids put back in, is the path itself;
 *   - the ids of a match are from 1 to 2^53;
 *   - no match with *allowed zero means no method matches that path;
 *     a non-zero *allowed holds only methods that do match it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/*
 * Write pattern with "{id}" replaced by ids[0], ids[1] into buf (of sz
 * bytes).  Returns 0 when it does not fit.
 */
static int
expand(const char *pat, const int64_t ids[2], char *buf, size_t sz)
{
	size_t o = 0;
	int nid = 0;

	while (*pat != '\0') {
		int n;

		if (strncmp(pat, "{id}", 4) == 0) {
			CHECK(nid < 2);
			n = snprintf(buf + o, sz - o, "%" PRId64, ids[nid++]);
			if (n < 0 || (size_t)n >= sz - o)
				return 0;
			o += (size_t)n;
			pat += 4;
			continue;
		}
		if (o + 1 >= sz)
			return 0;
		buf[o++] = *pat++;
	}
	buf[o] = '\0';
	return 1;
}

/* libFuzzer's entry: route one input and check the answer. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct oms_route *r;
	enum oms_method m;
	int64_t ids[2] = {0, 0};
	unsigned allowed;
	char *path, *again;

	if (size < 1)
		return 0;
	m = (enum oms_method)(data[0] % (OMS_METHOD__MAX + 1));
	/* An exact-size copy: a read past the path's NUL is caught. */
	if ((path = malloc(size)) == NULL)
		abort();
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	r = oms_route_match(m, path, ids, &allowed);
	if (r != NULL) {
		CHECK(m != OMS_METHOD__MAX);
		CHECK(r->method == (m == OMS_METHOD_HEAD ? OMS_METHOD_GET : m));
		CHECK(strstr(r->pattern, "{id}") == NULL ||
		    (ids[0] >= 1 && ids[0] <= (INT64_C(1) << 53)));
		CHECK(ids[1] >= 0 && ids[1] <= (INT64_C(1) << 53));
		if ((again = malloc(size + 32)) == NULL)
			abort();
		CHECK(expand(r->pattern, ids, again, size + 32));
		CHECK(strcmp(again, path) == 0);
		free(again);
	} else {
		for (int k = 0; k < OMS_METHOD__MAX; k++) {
			int64_t tmp[2];
			unsigned al;
			const struct oms_route *o;

			o = oms_route_match((enum oms_method)k, path, tmp, &al);
			CHECK(al == allowed || o != NULL);
			CHECK((o != NULL) == ((allowed >> k) & 1));
		}
	}
	free(path);
	return 0;
}

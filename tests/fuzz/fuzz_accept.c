/*
 * fuzz_accept.c: libFuzzer target for the Accept header parser
 * (oms_accept_format in src/web/http.c), which copies each media range
 * into a fixed buffer and reads its q-value by hand.
 *
 * Input: the header's value, cut at its first NUL, in an exact-size
 * buffer.  Invariants: the answer is HTML or XML, and the same input
 * gives the same answer twice.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* libFuzzer's entry: parse one Accept header value. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	enum oms_format f;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	f = oms_accept_format(s);
	CHECK(f == OMS_FORMAT_HTML || f == OMS_FORMAT_XML);
	CHECK(oms_accept_format(s) == f);
	free(s);
	return 0;
}

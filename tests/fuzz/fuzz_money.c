/*
 * fuzz_money.c: libFuzzer target for the money parser and formatter
 * and the rounding helpers (src/core/money.c).
 *
 * Input: the text to parse, cut at its first NUL, in an exact-size
 * buffer.  Invariants checked on every input:
 *   - parse either refuses (OMS_ERR_INVAL, OMS_ERR_TOOBIG) or gives an
 *     amount within OMS_MONEY_MAX;
 *   - format of a parsed amount parses back to the same amount, and
 *     formatting that again gives the same text (parse -> format ->
 *     parse is the identity; format's text is canonical);
 *   - the first 8 bytes taken as an amount (reduced into range) also
 *     round-trip through format and parse;
 *   - div_round, prorate and rate agree with a 128-bit reference of
 *     "half away from zero" wherever they do not refuse.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* num / den rounded half away from zero, in 128 bits (den > 0). */
static __int128
ref_round(__int128 num, __int128 den)
{
	__int128 a = num < 0 ? -num : num;
	__int128 q = (2 * a + den) / (2 * den);

	return num < 0 ? -q : q;
}

/* Format c, parse it back and check both directions. */
static void
round_trip(int64_t c)
{
	char buf[32], buf2[32];
	int64_t back;

	oms_money_format(c, buf, sizeof(buf));
	CHECK(oms_money_parse(buf, &back) == OMS_OK);
	CHECK(back == c);
	oms_money_format(back, buf2, sizeof(buf2));
	CHECK(strcmp(buf, buf2) == 0);
}

/* Check the rounding helpers on values taken from the input. */
static void
check_rounding(const uint8_t *data, size_t size)
{
	int64_t a, b, out;
	int days, dim;

	if (size < 18)
		return;
	memcpy(&a, data, 8);
	memcpy(&b, data + 8, 8);
	if (b > 0 && oms_money_div_round(a, b, &out) == OMS_OK)
		CHECK(out == ref_round(a, b));
	CHECK(oms_money_div_round(a, b > 0 ? -b : b, &out) == OMS_ERR_INVAL);
	if (oms_money_rate(a, b, &out) == OMS_OK)
		CHECK(out == ref_round((__int128)a * b, 10000));
	else
		CHECK((__int128)a * b > INT64_MAX || (__int128)a * b < INT64_MIN);
	days = data[16] % 40 - 4;
	dim = data[17] % 8 + 26;
	if (oms_money_prorate(a, days, dim, &out) == OMS_OK) {
		CHECK(days >= 0 && days <= dim && dim >= 28 && dim <= 31);
		CHECK(out == ref_round((__int128)a * days, dim));
	}
}

/* libFuzzer's entry: parse one input and check the invariants. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	int64_t cents, c;
	enum oms_err e;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	e = oms_money_parse(s, &cents);
	CHECK(e == OMS_OK || e == OMS_ERR_INVAL || e == OMS_ERR_TOOBIG);
	if (e == OMS_OK) {
		CHECK(cents >= -OMS_MONEY_MAX && cents <= OMS_MONEY_MAX);
		round_trip(cents);
	}
	free(s);
	if (size >= 8) {
		memcpy(&c, data, 8);
		round_trip(c % (OMS_MONEY_MAX + 1));
	}
	check_rounding(data, size);
	return 0;
}

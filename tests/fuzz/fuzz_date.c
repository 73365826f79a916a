/*
 * fuzz_date.c: libFuzzer target for the date and period parsers and
 * the day-number arithmetic (src/core/date.c).
 *
 * Input: the text to parse, cut at its first NUL, in an exact-size
 * buffer.  Invariants checked on every input:
 *   - a parsed date formats back to the very same text (the parser
 *     accepts exactly "YYYY-MM-DD", so parse -> format is the
 *     identity), and day number -> y/m/d -> day number too;
 *   - a parsed period formats as its first day "YYYY-MM-01", its end
 *     is the first day of the next month, and days in service within
 *     it, for days taken from the input, lie in 0..days of the month.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* Check a parsed period against its text s and bytes of the input. */
static void
check_period(const char *s, const uint8_t *data, size_t size)
{
	struct oms_period p;
	char buf[16], want[16];
	int y, m, d, dim;

	if (oms_period_parse(s, &p) != OMS_OK)
		return;
	CHECK(p.year >= 1900 && p.year <= 9999 && p.month >= 1 &&
	    p.month <= 12);
	dim = oms_date_days_in_month(p.year, p.month);
	CHECK(p.end - p.first == dim);
	snprintf(want, sizeof(want), "%.7s-01", s);
	CHECK(strcmp(oms_date_format(p.first, buf), want) == 0);
	oms_date_to_ymd(p.end, &y, &m, &d);
	CHECK(d == 1 && (m == p.month % 12 + 1));
	if (size >= 16) {
		int32_t from, to;
		int n;

		memcpy(&from, data + size - 8, 4);
		memcpy(&to, data + size - 4, 4);
		n = oms_period_days_in_service(&p, from, to);
		CHECK(n >= 0 && n <= dim);
		/* Not removed covers at least what any removal day does. */
		CHECK(oms_period_days_in_service(&p, from, OMS_DATE_NONE) >= n);
	}
}

/* libFuzzer's entry: parse one input and check the invariants. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[16];
	int32_t day;
	int y, m, d;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (oms_date_parse(s, &day) == OMS_OK) {
		CHECK(strcmp(oms_date_format(day, buf), s) == 0);
		oms_date_to_ymd(day, &y, &m, &d);
		CHECK(oms_date_from_ymd(y, m, d) == day);
		CHECK(d >= 1 && d <= oms_date_days_in_month(y, m));
		CHECK(oms_date_is_leap(y) == (oms_date_days_in_month(y, 2) == 29));
	}
	check_period(s, data, size);
	free(s);
	return 0;
}

/*
 * test_money.c: amounts (src/core/money.c): parsing, formatting, and the one
 * rounding rule, half away from zero, in division, proration and rating.
 *
 * Negative cases say "bad" in their names.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "money.h"
#include "oms.h"
#include "../tap.h"

/* 1 when s parses to want. */
static int
parses(const char *s, int64_t want)
{
	int64_t v = INT64_C(-777);

	return oms_money_parse(s, &v) == OMS_OK && v == want;
}

/* 1 when s is refused with e and *cents is left alone. */
static int
refused(const char *s, enum oms_err e)
{
	int64_t v = INT64_C(-777);

	return oms_money_parse(s, &v) == e && v == INT64_C(-777);
}

/* Format cents into a static buffer. */
static const char *
fmt(int64_t cents)
{
	static char buf[64];

	return oms_money_format(cents, buf, sizeof(buf));
}

/* num/den with div_round; INT64_MIN + 1 stands for "failed". */
static int64_t
divr(int64_t num, int64_t den)
{
	int64_t v;

	return oms_money_div_round(num, den, &v) == OMS_OK ? v : INT64_MIN + 1;
}

static int64_t
prorate(int64_t cents, int days, int dim)
{
	int64_t v;

	return oms_money_prorate(cents, days, dim, &v) == OMS_OK ? v :
	    INT64_MIN + 1;
}

static int64_t
rate(int64_t millionths, int64_t qty)
{
	int64_t v;

	return oms_money_rate(millionths, qty, &v) == OMS_OK ? v :
	    INT64_MIN + 1;
}

static void
test_parse(void)
{
	ok(parses("12", 1200), "parse \"12\" is 1200 cents");
	ok(parses("12.3", 1230), "parse \"12.3\" is 1230 cents");
	ok(parses("12.34", 1234), "parse \"12.34\" is 1234 cents");
	ok(parses("0.05", 5), "parse \"0.05\" is 5 cents");
	ok(parses("0", 0), "parse \"0\" is 0");
	ok(parses("-0", 0), "parse \"-0\" is 0");
	ok(parses("-1,234.56", -123456), "parse \"-1,234.56\"");
	ok(parses("1,234,567.89", 123456789), "parse \"1,234,567.89\"");
	ok(parses("1234567.89", 123456789), "parse without separators");
	ok(parses("123,456", 12345600), "parse a 3-digit first group");
	ok(parses("007", 700), "parse leading zeros");
	ok(parses("10000000000000", OMS_MONEY_MAX),
	    "parse OMS_MONEY_MAX exactly");
	ok(parses("-10,000,000,000,000.00", -OMS_MONEY_MAX),
	    "parse -OMS_MONEY_MAX exactly");

	ok(refused("1,23", OMS_ERR_INVAL), "parse \"1,23\" bad: short group");
	ok(refused("1,2345", OMS_ERR_INVAL), "parse \"1,2345\" bad: long group");
	ok(refused("1234,567", OMS_ERR_INVAL),
	    "parse \"1234,567\" bad: 4 digits before a separator");
	ok(refused(",123", OMS_ERR_INVAL), "parse \",123\" bad");
	ok(refused("1,,234", OMS_ERR_INVAL), "parse \"1,,234\" bad");
	ok(refused("1,234,", OMS_ERR_INVAL), "parse \"1,234,\" bad");
	ok(refused("1,234,56.00", OMS_ERR_INVAL), "parse \"1,234,56.00\" bad");
	ok(refused("1.234", OMS_ERR_INVAL), "parse \"1.234\" bad: 3 decimals");
	ok(refused("1.2.3", OMS_ERR_INVAL), "parse \"1.2.3\" bad");
	ok(refused(".", OMS_ERR_INVAL), "parse \".\" bad");
	ok(refused(".5", OMS_ERR_INVAL), "parse \".5\" bad: no whole part");
	ok(refused("12.", OMS_ERR_INVAL), "parse \"12.\" bad: no decimals");
	ok(refused("", OMS_ERR_INVAL), "parse \"\" bad");
	ok(refused("-", OMS_ERR_INVAL), "parse \"-\" bad");
	ok(refused("--1", OMS_ERR_INVAL), "parse \"--1\" bad");
	ok(refused("+1", OMS_ERR_INVAL), "parse \"+1\" bad");
	ok(refused("1e3", OMS_ERR_INVAL), "parse \"1e3\" bad");
	ok(refused(" 12", OMS_ERR_INVAL), "parse \" 12\" bad: space");
	ok(refused("12 ", OMS_ERR_INVAL), "parse \"12 \" bad: space");
	ok(refused("1.-5", OMS_ERR_INVAL), "parse \"1.-5\" bad");
	ok(refused("$12", OMS_ERR_INVAL), "parse \"$12\" bad");
	ok(refused("0x10", OMS_ERR_INVAL), "parse \"0x10\" bad");
	ok(refused("10000000000000.01", OMS_ERR_TOOBIG),
	    "parse one cent over OMS_MONEY_MAX bad: TOOBIG");
	ok(refused("-10000000000000.01", OMS_ERR_TOOBIG),
	    "parse one cent under -OMS_MONEY_MAX bad: TOOBIG");
	ok(refused("100000000000000", OMS_ERR_TOOBIG),
	    "parse 10^14 units bad: TOOBIG");
	ok(refused("99999999999999999999999999999999", OMS_ERR_TOOBIG),
	    "parse 32 digits bad: TOOBIG, no wrap-around");
	ok(refused("9223372036854775807", OMS_ERR_TOOBIG),
	    "parse INT64_MAX units bad: TOOBIG");
}

static void
test_format(void)
{
	char small[6];
	int all = 1;

	is_str(fmt(0), "0.00", "format 0 is \"0.00\"");
	is_str(fmt(5), "0.05", "format 5");
	is_str(fmt(-5), "-0.05", "format -5 is \"-0.05\"");
	is_str(fmt(100), "1.00", "format 100");
	is_str(fmt(99999), "999.99", "format 99999: no separator");
	is_str(fmt(100000), "1,000.00", "format 100000: one separator");
	is_str(fmt(123456789), "1,234,567.89", "format 123456789");
	is_str(fmt(-123456), "-1,234.56", "format -123456");
	is_str(fmt(INT64_MAX), "92,233,720,368,547,758.07", "format INT64_MAX");
	is_str(fmt(INT64_MIN), "-92,233,720,368,547,758.08",
	    "format INT64_MIN does not overflow");
	is_str(oms_money_format(123456, small, sizeof(small)), "1,234",
	    "format truncates to the buffer, NUL-terminated");
	/* Round trip: what format writes, parse reads back. */
	for (int64_t c = -OMS_MONEY_MAX; c <= OMS_MONEY_MAX;
	    c += OMS_MONEY_MAX / 997 + 13) {
		int64_t back = 0;

		if (oms_money_parse(fmt(c), &back) != OMS_OK || back != c) {
			printf("#   round trip failed for %lld\n", (long long)c);
			all = 0;
			break;
		}
	}
	for (int64_t c = -2000; c <= 2000 && all; c++) {
		int64_t back = 0;

		if (oms_money_parse(fmt(c), &back) != OMS_OK || back != c) {
			printf("#   round trip failed for %lld\n", (long long)c);
			all = 0;
		}
	}
	ok(all, "parse(format(x)) == x across the whole range");
}

static void
test_div_round(void)
{
	int64_t v = 99;

	is_int(divr(5, 2), 3, "div_round 5/2 = 3 (half up)");
	is_int(divr(-5, 2), -3, "div_round -5/2 = -3 (half away from zero)");
	is_int(divr(4, 3), 1, "div_round 4/3 = 1");
	is_int(divr(-4, 3), -1, "div_round -4/3 = -1");
	is_int(divr(5, 3), 2, "div_round 5/3 = 2");
	is_int(divr(-5, 3), -2, "div_round -5/3 = -2");
	is_int(divr(1, 2), 1, "div_round 1/2 = 1");
	is_int(divr(-1, 2), -1, "div_round -1/2 = -1");
	is_int(divr(1, 3), 0, "div_round 1/3 = 0");
	is_int(divr(-1, 3), 0, "div_round -1/3 = 0");
	is_int(divr(0, 7), 0, "div_round 0/7 = 0");
	is_int(divr(149, 100), 1, "div_round 1.49 = 1");
	is_int(divr(150, 100), 2, "div_round 1.50 = 2");
	is_int(divr(-150, 100), -2, "div_round -1.50 = -2");
	is_int(divr(INT64_MAX, 1), INT64_MAX, "div_round INT64_MAX/1");
	is_int(divr(INT64_MIN, 1), INT64_MIN, "div_round INT64_MIN/1");
	is_int(divr(INT64_MAX, 2), INT64_C(4611686018427387904),
	    "div_round INT64_MAX/2 rounds up without overflow");
	is_int(divr(INT64_MIN + 1, 2), INT64_C(-4611686018427387904),
	    "div_round (INT64_MIN+1)/2 rounds down without overflow");
	is_int(divr(INT64_MAX, INT64_MAX), 1, "div_round INT64_MAX/INT64_MAX");
	is_int(divr(INT64_MAX / 2, INT64_MAX), 0,
	    "div_round just under a half of INT64_MAX is 0");
	is_int(divr(INT64_MAX / 2 + 1, INT64_MAX), 1,
	    "div_round just over a half of INT64_MAX is 1");
	ok(oms_money_div_round(5, 0, &v) == OMS_ERR_INVAL && v == 99,
	    "div_round den 0 bad: INVAL, output untouched");
	ok(oms_money_div_round(5, -2, &v) == OMS_ERR_INVAL,
	    "div_round den < 0 bad: INVAL");
}

static void
test_prorate(void)
{
	int64_t v;

	is_int(prorate(3000, 15, 30), 1500, "prorate 3000, 15 of 30 = 1500");
	is_int(prorate(1000, 1, 31), 32, "prorate 1000, 1 of 31 = 32");
	is_int(prorate(1000, 31, 31), 1000, "prorate 31 of 31 is the full charge");
	is_int(prorate(1000, 28, 28), 1000, "prorate 28 of 28 is the full charge");
	is_int(prorate(1000, 0, 30), 0, "prorate 0 days is 0");
	is_int(prorate(1000, 29, 30), 967, "prorate 1000, 29 of 30 = 967");
	is_int(prorate(1, 14, 28), 1, "prorate half a cent rounds up");
	is_int(prorate(-1, 14, 28), -1, "prorate minus half a cent rounds down");
	is_int(prorate(-1000, 1, 31), -32, "prorate a credit, 1 of 31 = -32");
	is_int(prorate(3495, 10, 29), 1205, "prorate 3495, 10 of 29 = 1205");
	ok(oms_money_prorate(1000, 32, 31, &v) == OMS_ERR_INVAL,
	    "prorate days > days in month bad");
	ok(oms_money_prorate(1000, 31, 30, &v) == OMS_ERR_INVAL,
	    "prorate 31 of 30 bad");
	ok(oms_money_prorate(1000, -1, 31, &v) == OMS_ERR_INVAL,
	    "prorate negative days bad");
	ok(oms_money_prorate(1000, 1, 27, &v) == OMS_ERR_INVAL,
	    "prorate month of 27 days bad");
	ok(oms_money_prorate(1000, 1, 32, &v) == OMS_ERR_INVAL,
	    "prorate month of 32 days bad");
	ok(oms_money_prorate(INT64_MAX, 2, 30, &v) == OMS_ERR_TOOBIG,
	    "prorate overflow bad: TOOBIG");
	ok(oms_money_prorate(INT64_MIN, 2, 30, &v) == OMS_ERR_TOOBIG,
	    "prorate negative overflow bad: TOOBIG");
}

static void
test_rate(void)
{
	int64_t v;

	is_int(rate(35000, 61), 214, "rate 35000 millionths x 61 = 214 cents");
	is_int(rate(35000, 60), 210, "rate 35000 x 60 = 210 exactly");
	is_int(rate(-35000, 61), -214,
	    "rate negative credit x 61 = -214 (away from zero)");
	is_int(rate(35000, -61), -214, "rate x negative quantity = -214");
	is_int(rate(-35000, -61), 214, "rate negative x negative = 214");
	is_int(rate(5000, 1), 1, "rate half a cent rounds up");
	is_int(rate(-5000, 1), -1, "rate minus half a cent rounds down");
	is_int(rate(4999, 1), 0, "rate just under half a cent is 0");
	is_int(rate(-4999, 1), 0, "rate just over minus half a cent is 0");
	is_int(rate(0, 1000000), 0, "rate 0 x anything is 0");
	is_int(rate(1000000, 1), 100, "rate one unit (10^6 millionths) is 100");
	ok(oms_money_rate(INT64_MAX, 2, &v) == OMS_ERR_TOOBIG,
	    "rate overflow bad: TOOBIG");
	ok(oms_money_rate(INT64_MIN, -1, &v) == OMS_ERR_TOOBIG,
	    "rate INT64_MIN x -1 bad: TOOBIG");
	ok(oms_money_rate(INT64_C(4000000000000), INT64_C(4000000000),
	    &v) == OMS_ERR_TOOBIG, "rate large rate x large quantity bad: "
	    "TOOBIG");
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	test_parse();
	test_format();
	test_div_round();
	test_prorate();
	test_rate();
	return tap_done();
}

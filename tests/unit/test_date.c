/*
 * test_date.c: dates and billing periods (src/core/date.c): parsing,
 * formatting, the leap-year rules, and days in service.
 *
 * Negative cases say "bad" in their names.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "date.h"
#include "oms.h"
#include "../tap.h"

/* "Not removed" for oms_period_days_in_service(); date.h documents -1
 * until it names a sentinel outside the range of real dates. */

/* 1 when s parses to the day number of y-m-d. */
static int
parses(const char *s, int y, int m, int d)
{
	int32_t day = -99999;

	return oms_date_parse(s, &day) == OMS_OK &&
	    day == oms_date_from_ymd(y, m, d);
}

/* 1 when s is refused and the output left alone. */
static int
refused(const char *s)
{
	int32_t day = -99999;

	return oms_date_parse(s, &day) == OMS_ERR_INVAL && day == -99999;
}

/* The day number of "YYYY-MM-DD", which must be valid. */
static int32_t
D(const char *s)
{
	int32_t day = 0;

	if (oms_date_parse(s, &day) != OMS_OK)
		printf("# test bug: %s does not parse\n", s);
	return day;
}

/* The period "YYYY-MM", which must be valid. */
static struct oms_period
P(const char *s)
{
	struct oms_period p;

	memset(&p, 0, sizeof(p));
	if (oms_period_parse(s, &p) != OMS_OK)
		printf("# test bug: %s does not parse\n", s);
	return p;
}

static void
test_parse(void)
{
	int32_t day;

	ok(oms_date_parse("1970-01-01", &day) == OMS_OK && day == 0,
	    "parse 1970-01-01 is day 0");
	ok(oms_date_parse("1969-12-31", &day) == OMS_OK && day == -1,
	    "parse 1969-12-31 is day -1");
	ok(oms_date_parse("2000-03-01", &day) == OMS_OK && day == 11017,
	    "parse 2000-03-01 is day 11017");
	ok(oms_date_parse("2024-02-29", &day) == OMS_OK && day == 19782,
	    "parse 2024-02-29 ok (leap year), day 19782");
	ok(parses("2000-02-29", 2000, 2, 29), "parse 2000-02-29 ok (400 rule)");
	ok(parses("1900-01-01", 1900, 1, 1), "parse 1900-01-01 ok (first year)");
	ok(parses("9999-12-31", 9999, 12, 31), "parse 9999-12-31 ok (last)");
	ok(parses("2024-12-31", 2024, 12, 31), "parse 2024-12-31 ok");
	ok(refused("2023-02-29"), "parse 2023-02-29 bad: not a leap year");
	ok(refused("1900-02-29"), "parse 1900-02-29 bad: 100 rule");
	ok(refused("2100-02-29"), "parse 2100-02-29 bad: 100 rule");
	ok(refused("2024-02-30"), "parse 2024-02-30 bad");
	ok(refused("2024-04-31"), "parse 2024-04-31 bad: April has 30");
	ok(refused("2024-13-01"), "parse 2024-13-01 bad: month 13");
	ok(refused("2024-00-10"), "parse 2024-00-10 bad: month 0");
	ok(refused("2024-01-00"), "parse 2024-01-00 bad: day 0");
	ok(refused("2024-01-32"), "parse 2024-01-32 bad");
	ok(refused("1899-12-31"), "parse 1899-12-31 bad: before 1900");
	ok(refused("0000-01-01"), "parse 0000-01-01 bad");
	ok(refused("2024-1-01"), "parse \"2024-1-01\" bad: one-digit month");
	ok(refused("2024-01-1"), "parse \"2024-01-1\" bad: one-digit day");
	ok(refused("24-01-01"), "parse \"24-01-01\" bad: two-digit year");
	ok(refused("12024-01-01"), "parse five-digit year bad");
	ok(refused("2024/01/01"), "parse \"2024/01/01\" bad");
	ok(refused("2024-01-01 "), "parse trailing space bad");
	ok(refused(" 2024-01-01"), "parse leading space bad");
	ok(refused("2024-01-01T00:00:00Z"), "parse a timestamp bad");
	ok(refused("2024-0a-01"), "parse a letter in the month bad");
	ok(refused("+024-01-01"), "parse a sign in the year bad");
	ok(refused("2024--1-01"), "parse \"2024--1-01\" bad");
	ok(refused(""), "parse \"\" bad");
}

static void
test_format(void)
{
	char buf[11];
	int32_t first = oms_date_from_ymd(1970, 1, 1);
	int32_t last = oms_date_from_ymd(2100, 12, 31);
	int all = 1, y = 1970, m = 1, d = 1;

	is_str(oms_date_format(0, buf), "1970-01-01", "format day 0");
	is_str(oms_date_format(-1, buf), "1969-12-31", "format day -1");
	is_str(oms_date_format(19782, buf), "2024-02-29", "format day 19782");
	is_str(oms_date_format(oms_date_from_ymd(1900, 1, 1), buf),
	    "1900-01-01", "format 1900-01-01");
	is_str(oms_date_format(oms_date_from_ymd(9999, 12, 31), buf),
	    "9999-12-31", "format 9999-12-31");

	for (int32_t day = first; day <= last; day++) {
		int32_t back = -99999;

		oms_date_format(day, buf);
		if (oms_date_parse(buf, &back) != OMS_OK || back != day) {
			printf("#   day %ld: format '%s', parse %ld\n",
			    (long)day, buf, (long)back);
			all = 0;
			break;
		}
	}
	ok(all, "parse(format(day)) == day for every day 1970-2100");

	/* An independent calendar walk: day numbers and y-m-d agree. */
	all = 1;
	for (int32_t day = first; day <= last; day++) {
		static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30,
		    31, 30, 31};
		int ty, tm, td;
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		oms_date_to_ymd(day, &ty, &tm, &td);
		if (oms_date_from_ymd(y, m, d) != day || ty != y || tm != m ||
		    td != d) {
			printf("#   %04d-%02d-%02d: day %ld, to_ymd "
			    "%04d-%02d-%02d\n", y, m, d, (long)day, ty, tm, td);
			all = 0;
			break;
		}
		if (++d > dim[m - 1] + (m == 2 && leap)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	ok(all && y == 2101 && m == 1 && d == 1,
	    "from_ymd/to_ymd agree with a day-by-day calendar walk 1970-2100");
}

static void
test_months(void)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int all = 1;

	is_int(oms_date_is_leap(2024), 1, "2024 is a leap year");
	is_int(oms_date_is_leap(2023), 0, "2023 is not a leap year");
	is_int(oms_date_is_leap(1900), 0, "1900 is not a leap year (100)");
	is_int(oms_date_is_leap(2000), 1, "2000 is a leap year (400)");
	is_int(oms_date_is_leap(2100), 0, "2100 is not a leap year");
	is_int(oms_date_days_in_month(2024, 2), 29, "February 2024 has 29 days");
	is_int(oms_date_days_in_month(2023, 2), 28, "February 2023 has 28 days");
	is_int(oms_date_days_in_month(1900, 2), 28, "February 1900 has 28 days");
	is_int(oms_date_days_in_month(2000, 2), 29, "February 2000 has 29 days");
	for (int m = 1; m <= 12; m++)
		if (m != 2 && (oms_date_days_in_month(2024, m) != dim[m - 1] ||
		    oms_date_days_in_month(2023, m) != dim[m - 1]))
			all = 0;
	ok(all, "every other month has its fixed length");
	all = 1;
	for (int y = 1900; y <= 2400 && all; y++)
		for (int m = 1; m <= 12; m++) {
			int32_t a = oms_date_from_ymd(y, m, 1);
			int32_t b = m == 12 ? oms_date_from_ymd(y + 1, 1, 1) :
			    oms_date_from_ymd(y, m + 1, 1);

			if (b - a != oms_date_days_in_month(y, m))
				all = 0;
		}
	ok(all, "days_in_month agrees with day numbers 1900-2400");
}

static void
test_period(void)
{
	struct oms_period p;

	memset(&p, 0, sizeof(p));
	ok(oms_period_parse("2024-02", &p) == OMS_OK && p.year == 2024 &&
	    p.month == 2 && p.first == D("2024-02-01") &&
	    p.end == D("2024-03-01"), "period 2024-02: first and end");
	ok(oms_period_parse("2024-12", &p) == OMS_OK &&
	    p.first == D("2024-12-01") && p.end == D("2025-01-01"),
	    "period 2024-12 ends at the next year");
	ok(oms_period_parse("2023-02", &p) == OMS_OK &&
	    p.end - p.first == 28, "period 2023-02 has 28 days");
	ok(oms_period_parse("2024-13", &p) == OMS_ERR_INVAL,
	    "period 2024-13 bad");
	ok(oms_period_parse("2024-00", &p) == OMS_ERR_INVAL,
	    "period 2024-00 bad");
	ok(oms_period_parse("2024-2", &p) == OMS_ERR_INVAL,
	    "period 2024-2 bad");
	ok(oms_period_parse("2024-02-01", &p) == OMS_ERR_INVAL,
	    "period with a day bad");
	ok(oms_period_parse("1899-12", &p) == OMS_ERR_INVAL,
	    "period 1899-12 bad");
	ok(oms_period_parse("2024/02", &p) == OMS_ERR_INVAL,
	    "period 2024/02 bad");
	ok(oms_period_parse("", &p) == OMS_ERR_INVAL, "period \"\" bad");
}

static void
test_service(void)
{
	struct oms_period p = P("2024-02"), q;
	int32_t inst = D("2023-11-17"), rem = D("2025-02-03");
	long sum = 0;

	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    OMS_DATE_NONE), 29,
	    "in service all month, not removed: 29");
	is_int(oms_period_days_in_service(&p, D("2024-02-01"),
	    OMS_DATE_NONE), 29,
	    "installed on the first day: the whole month");
	is_int(oms_period_days_in_service(&p, D("2024-02-10"),
	    OMS_DATE_NONE), 20,
	    "installed mid-month on the 10th: 20 days (install included)");
	is_int(oms_period_days_in_service(&p, D("2024-02-29"),
	    OMS_DATE_NONE), 1,
	    "installed on the last day: 1 day");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-02-10")), 9,
	    "removed mid-month on the 10th: 9 days (removal excluded)");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-02-01")), 0, "removed on the first day: 0 days");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-02-29")), 28, "removed on the last day: 28 days");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-03-01")), 29, "removed the day after the month: 29");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-06-01")), 29, "removed after the month: 29");
	is_int(oms_period_days_in_service(&p, D("2023-05-01"),
	    D("2024-01-15")), 0, "removed before the period: 0");
	is_int(oms_period_days_in_service(&p, D("2024-03-01"),
	    OMS_DATE_NONE), 0,
	    "installed after the period: 0");
	is_int(oms_period_days_in_service(&p, D("2024-03-05"),
	    D("2024-04-01")), 0, "installed and removed after the period: 0");
	is_int(oms_period_days_in_service(&p, D("2024-02-10"),
	    D("2024-02-10")), 0, "installed and removed the same day: 0");
	is_int(oms_period_days_in_service(&p, D("2024-02-10"),
	    D("2024-02-11")), 1, "installed one day, removed the next: 1");
	is_int(oms_period_days_in_service(&p, D("2024-02-10"),
	    D("2024-02-20")), 10, "installed 10th, removed 20th: 10");
	is_int(oms_period_days_in_service(&p, D("2024-02-20"),
	    D("2024-02-10")), 0, "removal before installation: 0");

	/* Summed over every month, days in service are the days between
	 * installation and removal. */
	for (int y = 2023; y <= 2025; y++)
		for (int m = 1; m <= 12; m++) {
			char s[16];

			snprintf(s, sizeof(s), "%04d-%02d", y, m);
			q = P(s);
			sum += oms_period_days_in_service(&q, inst, rem);
		}
	is_int(sum, rem - inst, "days in service summed over months equal "
	    "removal minus installation");

	q = P("1969-12");
	ok(oms_period_days_in_service(&q, D("1969-12-01"),
	    D("1969-12-15")) == 14, "%s",
	    "removal on 1969-12-15 counts (day numbers before 1970)");
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	test_parse();
	test_format();
	test_months();
	test_period();
	test_service();
	return tap_done();
}

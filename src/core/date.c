/*
 * date.c: day numbers, after Howard Hinnant's days_from_civil.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

/* 1 when y is a leap year of the Gregorian calendar, else 0. */
int
oms_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The number of days (28-31) in month m (1-12) of year y. */
int
oms_date_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && oms_date_is_leap(y))
		return 29;
	return dim[m - 1];
}

/*
 * The day number (days since 1970-01-01) of year y, month m (1-12),
 * day d; Hinnant's days_from_civil.  The caller checks the date first:
 * nothing here can fail.
 */
int32_t
oms_date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

/*
 * Split day number z into year, month (1-12) and day of month, written
 * through y, m and d; Hinnant's civil_from_days.  Cannot fail.
 */
void
oms_date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* Parse exactly n digits at s into *v; 1 on success. */
static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * Parse exactly "YYYY-MM-DD" (years 1900-9999, a real day of the month)
 * into a day number in *day.  Returns OMS_OK, or OMS_ERR_INVAL and
 * leaves *day alone.  See date.h.
 */
enum oms_err
oms_date_parse(const char *s, int32_t *day)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d))
		return OMS_ERR_INVAL;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > oms_date_days_in_month(y, m))
		return OMS_ERR_INVAL;
	*day = oms_date_from_ymd(y, m, d);
	return OMS_OK;
}

/*
 * Write day as "YYYY-MM-DD" into buf, which the caller provides with at
 * least 11 bytes.  Returns buf; nothing is allocated.
 */
char *
oms_date_format(int32_t day, char *buf)
{
	int y, m, d;

	oms_date_to_ymd(day, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/*
 * Parse a billing period "YYYY-MM" into *p, with the day numbers of its
 * first day and of the first day after it.  Returns OMS_OK, or
 * OMS_ERR_INVAL (and *p untouched) for anything else.
 */
enum oms_err
oms_period_parse(const char *s, struct oms_period *p)
{
	int y, m;

	if (strlen(s) != 7 || s[4] != '-' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &m) || y < 1900 || m < 1 || m > 12)
		return OMS_ERR_INVAL;
	p->year = y;
	p->month = m;
	p->first = oms_date_from_ymd(y, m, 1);
	p->end = p->first + oms_date_days_in_month(y, m);
	return OMS_OK;
}

/*
 * Days of period p during which an asset installed on day `from` and
 * removed on day `to` (excluded; OMS_DATE_NONE when not removed) was in
 * service; 0 when they do not overlap.  See date.h.
 */
int
oms_period_days_in_service(const struct oms_period *p, int32_t from,
    int32_t to)
{
	int32_t a = from > p->first ? from : p->first;
	int32_t b = (to == OMS_DATE_NONE || to > p->end) ? p->end : to;

	return b > a ? (int)(b - a) : 0;
}

/* The business date set by oms_date_set_today(), or 0 for the real one. */
static int32_t business_today;

/* Set the business date of this process; 0: the real date again. */
void
oms_date_set_today(int32_t day)
{
	business_today = day;
}

/* The business date: the one set, else today in UTC. */
int32_t
oms_date_today(void)
{
	if (business_today != 0)
		return business_today;
	return (int32_t)(time(NULL) / 86400);
}

/* Described in date.h: the current UTC time as ISO 8601. */
const char *
oms_now_iso(char *buf, size_t sz)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 && sz > 0)
		buf[0] = '\0';
	return buf;
}

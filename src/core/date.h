/*
 * date.h: calendar dates ("YYYY-MM-DD") and billing periods ("YYYY-MM")
 * as day numbers, in the proleptic Gregorian calendar, UTC.
 */
#ifndef OMS_DATE_H
#define OMS_DATE_H

#include <stdint.h>

#include "oms.h"

/* Days since 1970-01-01 of a valid date; OMS_ERR_INVAL otherwise.
 * Accepts years 1900-9999 only, exactly "YYYY-MM-DD". */
enum oms_err oms_date_parse(const char *s, int32_t *day);
/* Write day as "YYYY-MM-DD" into buf (at least 11 bytes). */
char *oms_date_format(int32_t day, char *buf);
/* Days since the epoch from year, month (1-12), day of month. */
int32_t oms_date_from_ymd(int y, int m, int d);
/* Year, month, day of a day number. */
void oms_date_to_ymd(int32_t day, int *y, int *m, int *d);
/* 28-31. */
int oms_date_days_in_month(int y, int m);
/* 1 for a leap year. */
int oms_date_is_leap(int y);

/*
 * The business date (../BILLING.md): today in UTC, unless the operator
 * set another for this process (omsctl --today) with
 * oms_date_set_today(); 0 returns to the real date.
 */
int32_t oms_date_today(void);
void oms_date_set_today(int32_t day);

/*
 * The current UTC time (the real clock, not the business date) as ISO
 * 8601 "YYYY-MM-DDTHH:MM:SSZ" in buf, which holds at least 21 bytes
 * (sz); returns buf.  For the created_at of stored rows.
 */
const char *oms_now_iso(char *buf, size_t sz);

/* A billing period, a calendar month. */
struct oms_period {
	int year;      /* 1900-9999 */
	int month;     /* 1-12 */
	int32_t first; /* day number of its first day */
	int32_t end;   /* day number of the first day of the next month */
};

/* Parse "YYYY-MM"; OMS_ERR_INVAL otherwise. */
enum oms_err oms_period_parse(const char *s, struct oms_period *p);
/* "Not removed": no real date has this day number. */
#define OMS_DATE_NONE INT32_MIN

/*
 * Days in service within the period for an asset installed on day
 * `from` (included) and removed on day `to` (excluded; OMS_DATE_NONE
 * for not removed).  0 when the two do not overlap.
 */
int oms_period_days_in_service(const struct oms_period *p, int32_t from,
    int32_t to);

#endif /* OMS_DATE_H */

/*
 * money.c: parsing, formatting and rounding of amounts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "money.h"

/*
 * Parse an amount such as "-1,234.56" into cents: at most two decimals,
 * separators only in groups of three.  Returns OMS_OK, OMS_ERR_INVAL for
 * malformed text, OMS_ERR_TOOBIG past OMS_MONEY_MAX; *cents is written
 * only on OMS_OK.
 */
enum oms_err
oms_money_parse(const char *s, int64_t *cents)
{
	int64_t v = 0;
	int neg = 0, digits = 0, group = -1, decs = 0;
	const char *p = s;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p != '\0' && *p != '.'; p++) {
		if (*p == ',') {
			/* A separator must follow 1-3 digits, then 3 more. */
			if (digits == 0 || (group >= 0 && group != 3) ||
			    (group < 0 && digits > 3))
				return OMS_ERR_INVAL;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return OMS_ERR_INVAL;
		if (v > OMS_MONEY_MAX / 10)
			return OMS_ERR_TOOBIG;
		v = v * 10 + (*p - '0');
		digits++;
		if (group >= 0)
			group++;
	}
	if (digits == 0 || (group >= 0 && group != 3))
		return OMS_ERR_INVAL;
	if (*p == '.') {
		for (p++; *p != '\0'; p++) {
			if (*p < '0' || *p > '9' || ++decs > 2)
				return OMS_ERR_INVAL;
			v = v * 10 + (*p - '0');
		}
		if (decs == 0)
			return OMS_ERR_INVAL;
	}
	for (; decs < 2; decs++)
		v *= 10;
	if (v > OMS_MONEY_MAX)
		return OMS_ERR_TOOBIG;
	*cents = neg ? -v : v;
	return OMS_OK;
}

/*
 * Write cents as "-1,234.56" into the caller's buf of sz bytes
 * (truncated if smaller than 32).  Returns buf; nothing is allocated.
 */
char *
oms_money_format(int64_t cents, char *buf, size_t sz)
{
	char digits[32], out[48];
	uint64_t u = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	size_t n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%03llu",
	    (unsigned long long)u);
	if (cents < 0)
		out[o++] = '-';
	for (i = 0; i < n - 2; i++) {
		if (i > 0 && (n - 2 - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o++] = '.';
	out[o++] = digits[n - 2];
	out[o++] = digits[n - 1];
	out[o] = '\0';
	snprintf(buf, sz, "%s", out);
	return buf;
}

/*
 * *out = num / den rounded half away from zero, without floating point.
 * Returns OMS_OK, or OMS_ERR_INVAL when den <= 0 (and *out
 * untouched).
 */
enum oms_err
oms_money_div_round(int64_t num, int64_t den, int64_t *out)
{
	int64_t q, r;

	if (den <= 0)
		return OMS_ERR_INVAL;
	q = num / den;
	r = num % den;
	/* |r| >= den/2, compared without overflow: 2|r| >= den. */
	if (r != 0) {
		int64_t ar = r < 0 ? -r : r;

		if (ar >= den - ar)
			q += num < 0 ? -1 : 1;
	}
	*out = q;
	return OMS_OK;
}

/* a * b, refusing overflow of OMS_MONEY_MAX scaled by 10^6. */
static enum oms_err
mul_checked(int64_t a, int64_t b, int64_t *out)
{
	if (__builtin_mul_overflow(a, b, out))
		return OMS_ERR_TOOBIG;
	return OMS_OK;
}

/*
 * The part of a monthly charge for `days` of a month of days_in_month
 * days, rounded once, half away from zero, into *out.  Returns OMS_OK,
 * OMS_ERR_INVAL for days outside 0..days_in_month or a month length
 * outside 28-31, OMS_ERR_TOOBIG when cents * days overflows.
 */
enum oms_err
oms_money_prorate(int64_t cents, int days, int days_in_month, int64_t *out)
{
	int64_t num;
	enum oms_err e;

	if (days < 0 || days_in_month < 28 || days_in_month > 31 ||
	    days > days_in_month)
		return OMS_ERR_INVAL;
	if ((e = mul_checked(cents, days, &num)) != OMS_OK)
		return e;
	return oms_money_div_round(num, days_in_month, out);
}

/*
 * A unit rate in millionths times a quantity, rounded to cents half away
 * from zero, into *out.  Returns OMS_OK, or OMS_ERR_TOOBIG when the
 * product would overflow.
 */
enum oms_err
oms_money_rate(int64_t millionths, int64_t qty, int64_t *out)
{
	int64_t num;
	enum oms_err e;

	/* millionths of a unit to cents: divide by 10^4. */
	if ((e = mul_checked(millionths, qty, &num)) != OMS_OK)
		return e;
	return oms_money_div_round(num, 10000, out);
}

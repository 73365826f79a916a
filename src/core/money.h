/*
 * money.h: amounts in minor units (cents) as int64_t, unit rates in
 * millionths of a major unit, and the one rounding rule: half away
 * from zero, once per line.  No floating point touches money.
 */
#ifndef OMS_MONEY_H
#define OMS_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "oms.h"

/* Largest absolute amount accepted anywhere: 10^15 cents. */
#define OMS_MONEY_MAX INT64_C(1000000000000000)

/*
 * Parse "1234", "1234.5", "-1,234.56" into cents.  At most two decimals;
 * thousands separators only in groups of three.  Returns OMS_ERR_INVAL
 * on malformed text and OMS_ERR_TOOBIG past OMS_MONEY_MAX.
 */
enum oms_err oms_money_parse(const char *s, int64_t *cents);

/*
 * Write cents as "-1,234.56" into buf (at least 32 bytes).  Returns buf.
 */
char *oms_money_format(int64_t cents, char *buf, size_t sz);

/*
 * num / den rounded half away from zero.  den must be positive.
 * Returns OMS_ERR_INVAL for den <= 0, OMS_ERR_TOOBIG on overflow.
 */
enum oms_err oms_money_div_round(int64_t num, int64_t den, int64_t *out);

/*
 * cents * days / days_in_month, rounded half away from zero: the
 * prorated part of a monthly charge.
 */
enum oms_err oms_money_prorate(int64_t cents, int days, int days_in_month,
    int64_t *out);

/*
 * A unit rate in millionths times a quantity, rounded to cents
 * (half away from zero): 35000 millionths ($0.0350) x 61 = 214 cents.
 */
enum oms_err oms_money_rate(int64_t millionths, int64_t qty, int64_t *out);

#endif /* OMS_MONEY_H */

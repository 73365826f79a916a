/*
 * tap.h: a tiny TAP producer for the C unit tests.
 *
 *	ok(expr, "name %d", i);     one test point
 *	is_int(got, want, "name");  with a diagnostic on failure
 *	is_str(got, want, "name");
 *	return tap_done();          prints the plan, exit status
 *
 * Negative cases say "bad" in their names.
 */
#ifndef OMS_TAP_H
#define OMS_TAP_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* A TAP diagnostic line ("# ..."), for what a failed check saw. */
static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		tap_failed++;
	fflush(stdout);
}

#define is_int(got, want, ...) do {                                        \
		long long g_ = (long long)(got), w_ = (long long)(want);   \
		ok(g_ == w_, __VA_ARGS__);                                  \
		if (g_ != w_)                                               \
			printf("#   got %lld, want %lld\n", g_, w_);          \
	} while (0)

#define is_str(got, want, ...) do {                                        \
		const char *g_ = (got), *w_ = (want);                       \
		int eq_ = (g_ == NULL && w_ == NULL) ||                     \
		    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);      \
		ok(eq_, __VA_ARGS__);                                       \
		if (!eq_)                                                   \
			printf("#   got '%s', want '%s'\n",                  \
			    g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
	} while (0)

static int __attribute__((unused))
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* OMS_TAP_H */

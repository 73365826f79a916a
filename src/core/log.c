/*
 * log.c: the error strings and the logger.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "oms.h"

static const char *const errs[OMS_ERR__MAX] = {
	"success",                        /* OMS_OK */
	"out of memory",                  /* OMS_ERR_NOMEM */
	"invalid argument",               /* OMS_ERR_INVAL */
	"not found",                      /* OMS_ERR_NOTFOUND */
	"constraint violation",           /* OMS_ERR_CONSTRAINT */
	"database busy",                  /* OMS_ERR_BUSY */
	"database error",                 /* OMS_ERR_STORE */
	"input/output error",             /* OMS_ERR_IO */
	"XML or XSLT error",              /* OMS_ERR_XML */
	"configuration error",            /* OMS_ERR_CONFIG */
	"input too large",                /* OMS_ERR_TOOBIG */
	"database unavailable",           /* OMS_ERR_UNAVAILABLE */
	"access denied",                  /* OMS_ERR_DENIED */
	"too many attempts",              /* OMS_ERR_THROTTLED */
	"conflict",                       /* OMS_ERR_CONFLICT */
};

static const char *const levels[OMS_LOG__MAX] = {
	"error", /* OMS_LOG_ERR */
	"warn",  /* OMS_LOG_WARN */
	"info",  /* OMS_LOG_INFO */
	"debug", /* OMS_LOG_DEBUG */
};

static enum oms_log_level max_level = OMS_LOG_INFO;
static char request_id[64];

/* Return the message for an error code; never NULL. */
const char *
oms_strerror(enum oms_err e)
{
	if ((unsigned)e >= OMS_ERR__MAX)
		return "unknown error";
	return errs[e];
}

/* Set the most verbose level that is written. */
void
oms_log_set_level(enum oms_log_level l)
{
	max_level = l;
}

/* Set (or clear, with NULL) the request id that prefixes log lines. */
void
oms_log_set_request(const char *rid)
{
	if (rid == NULL)
		request_id[0] = '\0';
	else
		snprintf(request_id, sizeof(request_id), "%s", rid);
}

/*
 * Write one log line.  The line is formatted into one buffer and written
 * with a single write(2) so that lines of several workers sharing a file
 * do not interleave.
 */
void
oms_log(enum oms_log_level l, const char *fmt, ...)
{
	char buf[2048];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;
	va_list ap;

	if (l > max_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(buf + n, sizeof(buf) - n, ".%03ldZ %s [%ld]%s%s ",
	    ts.tv_nsec / 1000000, levels[l], (long)getpid(),
	    request_id[0] ? " rid=" : "", request_id);
	if (r > 0 && (size_t)r < sizeof(buf) - n)
		n += (size_t)r;
	va_start(ap, fmt);
	r = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (r > 0)
		n += (size_t)r < sizeof(buf) - n - 1 ? (size_t)r : sizeof(buf) - n - 2;
	/* Keep one line a message whatever the text held. */
	for (size_t i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
	buf[n++] = '\n';
	(void)!write(STDERR_FILENO, buf, n);
}

/* malloc that aborts: for start-up tables only. */
void *
oms_xmalloc(size_t sz)
{
	void *p = malloc(sz ? sz : 1);

	if (p == NULL) {
		fputs("oms: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* strdup that aborts: for start-up tables only. */
char *
oms_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(oms_xmalloc(n), s, n);
}

/* Monotonic microseconds. */
int64_t
oms_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Described in oms.h: a linear search, the tables being a handful of
 * names each. */
int
oms_name_index(const char *const *names, int n, const char *name)
{
	if (name != NULL)
		for (int i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0)
				return i;
	return -1;
}

/*
 * oms.h: what every OMS file shares: the error convention, logging and
 * a few small helpers.
 *
 * The error convention (written down once, as libuv does): a function
 * that can fail returns enum oms_err, OMS_OK being zero.  A predicate
 * returns 1 or 0.  Detail is logged where the failure happens, naming
 * the call that failed; callers pass the code up and may add context.
 */
#ifndef OMS_H
#define OMS_H

#include <stddef.h>
#include <stdint.h>

enum oms_err {
	OMS_OK = 0,
	OMS_ERR_NOMEM,      /* an allocation failed */
	OMS_ERR_INVAL,      /* a caller passed something malformed */
	OMS_ERR_NOTFOUND,   /* the object asked for does not exist */
	OMS_ERR_CONSTRAINT, /* a database constraint refused the change */
	OMS_ERR_BUSY,       /* the database stayed locked past its timeout */
	OMS_ERR_STORE,      /* the database failed in another way */
	OMS_ERR_IO,         /* a file or socket operation failed */
	OMS_ERR_XML,        /* a document or stylesheet failed */
	OMS_ERR_CONFIG,     /* the configuration is wrong */
	OMS_ERR_TOOBIG,     /* input is over a size limit */
	OMS_ERR_UNAVAILABLE,/* the database server cannot be reached */
	OMS_ERR_DENIED,     /* wrong login or password, or not allowed */
	OMS_ERR_THROTTLED,  /* too many failed logins: wait */
	OMS_ERR_CONFLICT,   /* the object changed or is in a state that forbids it */
	OMS_ERR__MAX
};

const char *oms_strerror(enum oms_err);

enum oms_log_level {
	OMS_LOG_ERR,
	OMS_LOG_WARN,
	OMS_LOG_INFO,
	OMS_LOG_DEBUG,
	OMS_LOG__MAX
};

/*
 * Logging goes to standard error, one line a message, prefixed with the
 * UTC time, the level, the process id and, while a request is being
 * served, its request id.  Nothing secret is ever passed in here.
 */
void oms_log(enum oms_log_level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void oms_log_set_level(enum oms_log_level);
void oms_log_set_request(const char *rid);

#define oms_error(...) oms_log(OMS_LOG_ERR, __VA_ARGS__)
#define oms_warn(...) oms_log(OMS_LOG_WARN, __VA_ARGS__)
#define oms_info(...) oms_log(OMS_LOG_INFO, __VA_ARGS__)
#define oms_debug(...) oms_log(OMS_LOG_DEBUG, __VA_ARGS__)

/* Allocation that aborts on failure: used only where failure cannot be
 * reported sensibly (start-up tables); request paths use the arena. */
void *oms_xmalloc(size_t);
char *oms_xstrdup(const char *);

/* Monotonic clock in microseconds, for durations in logs. */
int64_t oms_now_us(void);

#define OMS_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The index of name in the n names of a name table (the boundary's
 * lookups of enum names, CONVENTIONS.md), or -1, also for NULL. */
int oms_name_index(const char *const *names, int n, const char *name);

#endif /* OMS_H */

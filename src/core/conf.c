/*
 * conf.c: reading oms.conf with inih.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "conf.h"

#ifndef OMS_DATADIR
#define OMS_DATADIR "/usr/local/share/oms"
#endif
#ifndef OMS_STATEDIR
#define OMS_STATEDIR "/var/lib/oms"
#endif

const char *const oms_backend_names[OMS_BACKEND__MAX] = {
	"sqlite",  /* OMS_BACKEND_SQLITE */
	"mariadb", /* OMS_BACKEND_MARIADB */
};

const char *const oms_xauth_names[OMS_XAUTH__MAX] = {
	"none",  /* OMS_XAUTH_NONE */
	"basic", /* OMS_XAUTH_BASIC */
	"wsse",  /* OMS_XAUTH_WSSE */
};

const char *const oms_tls_names[OMS_TLS__MAX] = {
	"off",    /* OMS_TLS_OFF */
	"on",     /* OMS_TLS_ON */
	"verify", /* OMS_TLS_VERIFY */
};

/*
 * Fill c with the built-in defaults (everything zeroed first), as used
 * for every key oms.conf does not set.  Cannot fail; allocates nothing.
 */
void
oms_conf_defaults(struct oms_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "unix:%s/omsd.sock", OMS_STATEDIR);
	c->workers = 0;
	c->backlog = 128;
	snprintf(c->xslt_dir, sizeof(c->xslt_dir), "%s/xslt", OMS_DATADIR);
	c->max_query = 4096;
	c->max_body = 1024 * 1024;
	c->log_level = OMS_LOG_INFO;
	c->shutdown_timeout = 30;
	c->store.backend = OMS_BACKEND_SQLITE;
	snprintf(c->store.path, sizeof(c->store.path), "%s/oms.db", OMS_STATEDIR);
	c->store.busy_timeout_ms = 5000;
	snprintf(c->store.host, sizeof(c->store.host), "127.0.0.1");
	c->store.port = 3306;
	snprintf(c->store.database, sizeof(c->store.database), "oms");
	snprintf(c->store.user, sizeof(c->store.user), "oms");
	snprintf(c->store.password_env, sizeof(c->store.password_env),
	    "OMS_DB_PASSWORD");
	c->store.connect_timeout = 5;
	c->store.read_timeout = 30;
	c->store.write_timeout = 30;
	c->store.retries = 3;
	c->store.tls = OMS_TLS_OFF;
	c->auth.idle_timeout = 3600;
	c->auth.absolute_timeout = 12 * 3600;
	c->auth.max_failures = 5;
	c->auth.max_address_failures = 20;
	c->auth.failure_window = 900;
	c->auth.failure_delay = 60;
	c->auth.max_failure_delay = 3600;
	c->cookie_secure = 0;
	c->jobs.run[0] = '\0';
	c->jobs.lease_time = 30;
	c->jobs.sessions_interval = 300;
	snprintf(c->pdf_renderer, sizeof(c->pdf_renderer),
	    "%s/oms-render-pdf", OMS_LIBEXECDIR);
	c->pdf_max_lines = 2500;
	snprintf(c->currency, sizeof(c->currency), "USD");
	c->backdate_days = 92;
}

/* 1 for a public origin: "http://" or "https://", then a host and an
 * optional port, and no path. */
static int
origin_ok(const char *v)
{
	return (strncmp(v, "http://", 7) == 0 || strncmp(v, "https://", 8) == 0) &&
	    strchr(strchr(v, ':') + 3, '/') == NULL && strchr(v, ':')[3] != '\0';
}

/* 1 for a list of job names: lowercase letters, digits, '_' and '-',
 * separated by spaces or commas (the names are checked by omsd). */
static int
jobs_ok(const char *v)
{
	return v[strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-, ")] == '\0';
}

struct loadctx {
	struct oms_conf *c; /* being filled */
	char *err;          /* message buffer */
	size_t errsz;       /* its size */
	int line;           /* set by the handler on its first error */
	FILE *f;            /* being read */
	int lineno;         /* physical line being parsed */
	int midline;        /* the last read ended inside a line */
};

/*
 * inih reader: one line at a time, counting physical lines.  A line
 * longer than inih's buffer is an error of its own (inih would parse
 * its rest as a new line).
 */
static char *
reader(char *str, int num, void *stream)
{
	struct loadctx *x = stream;
	char *r = fgets(str, num, x->f);
	size_t n;

	if (r == NULL)
		return NULL;
	if (!x->midline)
		x->lineno++;
	/* inih would take an indented line as the continuation of the
	 * previous value: refuse it instead of guessing. */
	if (!x->midline && (r[0] == ' ' || r[0] == '\t') &&
	    r[strspn(r, " \t\r\n")] != '\0' && r[strspn(r, " \t")] != ';' &&
	    r[strspn(r, " \t")] != '#') {
		if (x->err[0] == '\0') {
			snprintf(x->err, x->errsz, "indented line (keys start "
			    "at the beginning of a line)");
			x->line = x->lineno;
		}
		return NULL;
	}
	n = strlen(r);
	x->midline = n > 0 && r[n - 1] != '\n' && !feof(x->f);
	if (x->midline) {
		if (x->err[0] == '\0') {
			snprintf(x->err, x->errsz, "line longer than %d bytes",
			    num - 2);
			x->line = x->lineno;
		}
		return NULL;
	}
	return r;
}

/*
 * 1 for a listen address omsd can use: "unix:/absolute/path" or
 * "HOST:PORT" with a non-empty host (an address or a name; 0.0.0.0 for
 * every interface, said explicitly) and a numeric port.  libfcgi would
 * take anything else as the name of a socket file.
 */
static int
listen_ok(const char *v)
{
	const char *colon;
	long port;
	char *end;

	if (strncmp(v, "unix:", 5) == 0)
		return v[5] == '/' && v[6] != '\0';
	if ((colon = strrchr(v, ':')) == NULL || colon == v)
		return 0;
	for (const char *p = v; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return 0;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	return errno == 0 && end != colon + 1 && *end == '\0' &&
	    port >= 1 && port <= 65535;
}

/* Parse a decimal integer in [min, max]; 1 on success. */
static int
int_in(const char *v, long min, long max, long *out)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || x < min || x > max)
		return 0;
	*out = x;
	return 1;
}

/* Copy v into dst of size n; 1 when it fitted. */
static int
copy(char *dst, size_t n, const char *v)
{
	return (size_t)snprintf(dst, n, "%s", v) < n;
}

/*
 * The keys of oms.conf, one row a key, in the manner of the request
 * field table: section, name, how the value is parsed, where it goes.
 * Adding a key is adding a row (and a line in oms.conf(5)); the
 * parser below never names a key.
 */
enum conf_kind {
	CONF_TEXT,     /* copied as is; must fit */
	CONF_NONEMPTY, /* copied; must fit and not be empty */
	CONF_INT,      /* decimal integer in [min, max], an int */
	CONF_SIZE,     /* decimal integer in [min, max], a size_t */
	CONF_ENUM,     /* one of names[], stored as its index (an int) */
	CONF_YESNO,    /* yes or no, stored as 1 or 0 (an int) */
	CONF_LISTEN,   /* a listen address (listen_ok), copied */
	CONF_JOBLIST,  /* a list of job names (jobs_ok), copied */
	CONF_ORIGIN,   /* "" or a public origin (origin_ok), copied */
	CONF_REFUSED,  /* never accepted: why says what to do instead */
	CONF_CURRENCY, /* three capital letters (ISO 4217), copied */
};

static const char *const log_level_names[] = {
	"error", "warn", "info", "debug",
};

struct conf_key {
	const char *section;      /* "server", "store", "auth" */
	const char *name;         /* the key */
	enum conf_kind kind;      /* how its value is parsed */
	size_t off;               /* where in struct oms_conf */
	size_t size;              /* CONF_TEXT..: the buffer's size */
	long min, max;            /* CONF_INT, CONF_SIZE: the range */
	const char *const *names; /* CONF_ENUM: the choices */
	size_t nnames;            /* CONF_ENUM: how many */
	const char *why;          /* CONF_REFUSED: the message */
};

#define K_TEXT(sec, key, field) \
	{sec, key, CONF_TEXT, offsetof(struct oms_conf, field), \
	    sizeof(((struct oms_conf *)0)->field), 0, 0, NULL, 0, NULL}
#define K_NONEMPTY(sec, key, field) \
	{sec, key, CONF_NONEMPTY, offsetof(struct oms_conf, field), \
	    sizeof(((struct oms_conf *)0)->field), 0, 0, NULL, 0, NULL}
#define K_INT(sec, key, field, lo, hi) \
	{sec, key, CONF_INT, offsetof(struct oms_conf, field), \
	    sizeof(int), lo, hi, NULL, 0, NULL}
#define K_SIZE(sec, key, field, lo, hi) \
	{sec, key, CONF_SIZE, offsetof(struct oms_conf, field), \
	    sizeof(size_t), lo, hi, NULL, 0, NULL}
#define K_ENUM(sec, key, field, tab) \
	{sec, key, CONF_ENUM, offsetof(struct oms_conf, field), \
	    sizeof(int), 0, 0, tab, OMS_NELEM(tab), NULL}
#define K_YESNO(sec, key, field) \
	{sec, key, CONF_YESNO, offsetof(struct oms_conf, field), \
	    sizeof(int), 0, 0, NULL, 0, NULL}

static const struct conf_key conf_keys[] = {
	{"server", "listen", CONF_LISTEN, offsetof(struct oms_conf, listen),
	    sizeof(((struct oms_conf *)0)->listen), 0, 0, NULL, 0, NULL},
	K_INT("server", "workers", workers, 0, 64),
	K_INT("server", "backlog", backlog, 1, 65535),
	{"server", "public_origin", CONF_ORIGIN,
	    offsetof(struct oms_conf, public_origin),
	    sizeof(((struct oms_conf *)0)->public_origin), 0, 0, NULL, 0, NULL},
	K_TEXT("server", "xslt_dir", xslt_dir),
	K_SIZE("server", "max_query", max_query, 256, 1 << 20),
	K_SIZE("server", "max_body", max_body, 1024, 64 << 20),
	K_INT("server", "shutdown_timeout", shutdown_timeout, 1, 3600),
	K_ENUM("server", "log_level", log_level, log_level_names),

	K_ENUM("store", "backend", store.backend, oms_backend_names),
	K_NONEMPTY("store", "path", store.path),
	K_INT("store", "busy_timeout_ms", store.busy_timeout_ms, 0, 600000),
	K_TEXT("store", "host", store.host),
	K_INT("store", "port", store.port, 1, 65535),
	K_TEXT("store", "socket", store.socket),
	K_NONEMPTY("store", "database", store.database),
	K_NONEMPTY("store", "user", store.user),
	K_TEXT("store", "password_file", store.password_file),
	K_TEXT("store", "password_env", store.password_env),
	/* Refused on purpose: a password in a file that is often
	 * world-readable and copied around. */
	{"store", "password", CONF_REFUSED, 0, 0, 0, 0, NULL, 0,
	    "'password' is not accepted in [store]: use password_file or "
	    "password_env"},
	K_INT("store", "connect_timeout", store.connect_timeout, 1, 3600),
	K_INT("store", "read_timeout", store.read_timeout, 1, 3600),
	K_INT("store", "write_timeout", store.write_timeout, 1, 3600),
	K_INT("store", "retries", store.retries, 0, 100),
	K_ENUM("store", "tls", store.tls, oms_tls_names),
	K_TEXT("store", "tls_ca", store.tls_ca),
	K_TEXT("store", "tls_cert", store.tls_cert),
	K_TEXT("store", "tls_key", store.tls_key),

	K_INT("auth", "idle_timeout", auth.idle_timeout, 60, 7 * 86400),
	K_INT("auth", "absolute_timeout", auth.absolute_timeout, 60, 30 * 86400),
	K_INT("auth", "max_failures", auth.max_failures, 1, 1000),
	K_INT("auth", "max_address_failures", auth.max_address_failures, 1,
	    100000),
	K_INT("auth", "failure_window", auth.failure_window, 10, 86400),
	K_INT("auth", "failure_delay", auth.failure_delay, 1, 86400),
	K_INT("auth", "max_failure_delay", auth.max_failure_delay, 1,
	    7 * 86400),
	K_YESNO("auth", "cookie_secure", cookie_secure),

	{"jobs", "run", CONF_JOBLIST, offsetof(struct oms_conf, jobs.run),
	    sizeof(((struct oms_conf *)0)->jobs.run), 0, 0, NULL, 0, NULL},
	K_INT("jobs", "lease_time", jobs.lease_time, 1, 3600),
	K_INT("jobs", "sessions_interval", jobs.sessions_interval, 1, 86400),

	{"billing", "currency", CONF_CURRENCY, offsetof(struct oms_conf,
	    currency), sizeof(((struct oms_conf *)0)->currency), 0, 0, NULL, 0,
	    NULL},
	K_INT("billing", "backdate_days", backdate_days, 0, 3660),
	K_TEXT("billing", "pdf_renderer", pdf_renderer),
	K_INT("billing", "pdf_max_lines", pdf_max_lines, 0, 1000000),
};

static const char *const exchange_adapters[] = {"soap", "filedrop", "smtp"};

/* The keys of an [exchange NAME] section: the same rows, with offsets
 * into struct oms_exchange_conf. */
#define X_TEXT(key, field) \
	{"exchange NAME", key, CONF_TEXT, offsetof(struct oms_exchange_conf, \
	    field), sizeof(((struct oms_exchange_conf *)0)->field), 0, 0, NULL, \
	    0, NULL}
#define X_INT(key, field, lo, hi) \
	{"exchange NAME", key, CONF_INT, offsetof(struct oms_exchange_conf, \
	    field), sizeof(int), lo, hi, NULL, 0, NULL}
#define X_YESNO(key, field) \
	{"exchange NAME", key, CONF_YESNO, offsetof(struct oms_exchange_conf, \
	    field), sizeof(int), 0, 0, NULL, 0, NULL}

static const struct conf_key exchange_keys[] = {
	{"exchange NAME", "adapter", CONF_TEXT, offsetof(struct
	    oms_exchange_conf, adapter), sizeof(((struct oms_exchange_conf *)0)
	    ->adapter), 0, 0, exchange_adapters, OMS_NELEM(exchange_adapters),
	    NULL},
	X_TEXT("endpoint", endpoint),
	X_TEXT("soap_action", soap_action),
	X_TEXT("request_xsl", request_xsl),
	X_TEXT("reply_xsl", reply_xsl),
	{"exchange NAME", "auth", CONF_ENUM, offsetof(struct oms_exchange_conf,
	    auth), sizeof(int), 0, 0, oms_xauth_names, OMS_XAUTH__MAX, NULL},
	X_TEXT("username", username),
	X_TEXT("password_file", password_file),
	{"exchange NAME", "password", CONF_REFUSED, 0, 0, 0, 0, NULL, 0,
	    "'password' is not accepted in [exchange NAME]: use password_file"},
	X_INT("connect_timeout", connect_timeout, 1, 600),
	X_INT("timeout", timeout, 1, 3600),
	X_TEXT("tls_ca", tls_ca),
	X_YESNO("tls_verify", tls_verify),
	X_INT("max_attempts", max_attempts, 1, 1000),
	X_INT("backoff_base", backoff_base, 1, 86400),
	X_INT("backoff_max", backoff_max, 1, 7 * 86400),
	X_INT("batch", batch, 1, 1000),
	X_TEXT("directory", directory),
	X_TEXT("from", from),
	X_YESNO("starttls", starttls),
	X_YESNO("complete_on_install", complete_on_install),
};

/* Enumerations are stored as int: the table relies on it. */
_Static_assert(sizeof(enum oms_backend) == sizeof(int), "enum as int");
_Static_assert(sizeof(enum oms_tls) == sizeof(int), "enum as int");

/* The number of keys oms.conf accepts, for tests and documentation checks. */
size_t
oms_conf_nkeys(void)
{
	return OMS_NELEM(conf_keys) + OMS_NELEM(exchange_keys);
}

/*
 * The name of accepted key i, with its section through *section when
 * section is not NULL; NULL past the end.  The strings are static: the
 * caller frees nothing.
 */
const char *
oms_conf_key(size_t i, const char **section)
{
	const struct conf_key *k;

	if (i >= OMS_NELEM(conf_keys) + OMS_NELEM(exchange_keys))
		return NULL;
	k = i < OMS_NELEM(conf_keys) ? &conf_keys[i] :
	    &exchange_keys[i - OMS_NELEM(conf_keys)];
	if (section != NULL)
		*section = k->section;
	return k->name;
}

/*
 * Parse value as key k says and store it in c.  Returns 1 when the
 * value is good, 0 when it is not (nothing is stored then, but for
 * text that did not fit, which the caller reports anyway); a refused
 * key writes its own message into x->err.
 */
static int
conf_set(const struct conf_key *k, void *base, const char *value,
    char *err, size_t errsz)
{
	char *p = (char *)base + k->off;
	long v;

	switch (k->kind) {
	case CONF_LISTEN:
		return copy(p, k->size, value) && listen_ok(value);
	case CONF_JOBLIST:
		return copy(p, k->size, value) && jobs_ok(value);
	case CONF_ORIGIN:
		return copy(p, k->size, value) &&
		    (value[0] == '\0' || origin_ok(value));
	case CONF_NONEMPTY:
		if (value[0] == '\0')
			return 0;
		/* FALLTHROUGH */
	case CONF_TEXT:
		if (k->names != NULL) { /* text out of a fixed list */
			size_t i;

			for (i = 0; i < k->nnames; i++)
				if (strcmp(value, k->names[i]) == 0)
					break;
			if (i == k->nnames)
				return 0;
		}
		return copy(p, k->size, value);
	case CONF_INT:
		if (!int_in(value, k->min, k->max, &v))
			return 0;
		*(int *)(void *)p = (int)v;
		return 1;
	case CONF_SIZE:
		if (!int_in(value, k->min, k->max, &v))
			return 0;
		*(size_t *)(void *)p = (size_t)v;
		return 1;
	case CONF_ENUM:
		for (size_t i = 0; i < k->nnames; i++)
			if (strcmp(value, k->names[i]) == 0) {
				*(int *)(void *)p = (int)i;
				return 1;
			}
		return 0;
	case CONF_YESNO:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
			return 0;
		*(int *)(void *)p = strcmp(value, "yes") == 0;
		return 1;
	case CONF_CURRENCY:
		if (strlen(value) != 3 || strspn(value,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
			return 0;
		return copy(p, k->size, value);
	case CONF_REFUSED:
		if (err[0] == '\0')
			snprintf(err, errsz, "%s", k->why);
		return 0;
	}
	return 0;
}

/*
 * Defaults of a new [exchange NAME] section.  Cannot fail.
 */
static void
exchange_defaults(struct oms_exchange_conf *e)
{
	memset(e, 0, sizeof(*e));
	e->auth = OMS_XAUTH_NONE;
	e->connect_timeout = 5;
	e->timeout = 30;
	e->tls_verify = 1;
	e->max_attempts = 12;
	e->backoff_base = 30;
	e->backoff_max = 3600;
	e->batch = 32;
	e->starttls = 1;
	e->complete_on_install = 0;
}

/*
 * The [exchange NAME] section being read: found by name, or a new one
 * with the defaults.  NULL with a message in x->err (when it has none
 * yet) for a bad NAME (1 to 31 of a-z, 0-9, '_' and '-') or one
 * section too many.
 */
static struct oms_exchange_conf *
exchange_section(struct loadctx *x, const char *name)
{
	struct oms_conf *c = x->c;
	size_t n = strlen(name);
	int first = x->err[0] == '\0';

	if (n == 0 || n >= sizeof(c->exchange[0].name) ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n) {
		if (first) {
			x->line = x->lineno;
			snprintf(x->err, x->errsz, "bad section name [exchange %s]: "
			    "NAME is 1 to 31 of a-z, 0-9, _ and -", name);
		}
		return NULL;
	}
	for (int i = 0; i < c->nexchange; i++)
		if (strcmp(c->exchange[i].name, name) == 0)
			return &c->exchange[i];
	if (c->nexchange == OMS_EXCHANGE_MAX) {
		if (first) {
			x->line = x->lineno;
			snprintf(x->err, x->errsz, "more than %d [exchange] "
			    "sections", OMS_EXCHANGE_MAX);
		}
		return NULL;
	}
	exchange_defaults(&c->exchange[c->nexchange]);
	memcpy(c->exchange[c->nexchange].name, name, n + 1);
	return &c->exchange[c->nexchange++];
}

/*
 * After the whole file: every [exchange NAME] section names an adapter
 * and what that adapter needs.  Returns 1, or 0 with a message in err.
 */
static int
exchange_check(const struct oms_conf *c, char *err, size_t errsz)
{
	for (int i = 0; i < c->nexchange; i++) {
		const struct oms_exchange_conf *e = &c->exchange[i];
		const char *miss = NULL;

		if (e->adapter[0] == '\0')
			miss = "adapter";
		else if (strcmp(e->adapter, "filedrop") == 0) {
			if (e->directory[0] == '\0')
				miss = "directory";
		} else if (e->endpoint[0] == '\0')
			miss = "endpoint";
		else if (strcmp(e->adapter, "smtp") == 0 && e->from[0] == '\0')
			miss = "from";
		if (miss == NULL && strcmp(e->adapter, "smtp") != 0 &&
		    e->request_xsl[0] == '\0')
			miss = "request_xsl";
		if (miss == NULL && e->auth != OMS_XAUTH_NONE &&
		    (e->username[0] == '\0' || e->password_file[0] == '\0'))
			miss = "username and password_file (auth is not none)";
		if (miss != NULL) {
			snprintf(err, errsz, "[exchange %s] needs %s", e->name,
			    miss);
			return 0;
		}
		if (e->backoff_max < e->backoff_base) {
			snprintf(err, errsz, "[exchange %s] backoff_max is less "
			    "than backoff_base", e->name);
			return 0;
		}
	}
	return 1;
}

/* inih callback: one key.  Returns 1 to go on, 0 to stop with an error. */
static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct loadctx *x = user;
	const struct conf_key *k = NULL;
	int first = x->err[0] == '\0';

	void *base = x->c;

	if (strncmp(section, "exchange ", 9) == 0) {
		struct oms_exchange_conf *e = exchange_section(x, section + 9);

		if (e == NULL)
			return 0;
		for (size_t i = 0; i < OMS_NELEM(exchange_keys) && k == NULL;
		    i++)
			if (strcmp(name, exchange_keys[i].name) == 0)
				k = &exchange_keys[i];
		base = e;
	} else
		for (size_t i = 0; i < OMS_NELEM(conf_keys) && k == NULL; i++)
			if (strcmp(section, conf_keys[i].section) == 0 &&
			    strcmp(name, conf_keys[i].name) == 0)
				k = &conf_keys[i];
	if (k != NULL && conf_set(k, base, value, x->err, x->errsz))
		return 1;
	/* Keep the first message: it names the first bad line. */
	if (!first)
		return 0;
	x->line = x->lineno;
	if (k == NULL)
		snprintf(x->err, x->errsz, "unknown key '%s' in section [%s]",
		    name, section);
	else if (x->err[0] == '\0')
		snprintf(x->err, x->errsz, "bad value for '%s' in section [%s]",
		    name, section);
	return 0;
}

/*
 * Read file into c, on top of the defaults.  Returns OMS_OK,
 * OMS_ERR_IO when the file cannot be opened or read, or OMS_ERR_CONFIG
 * for a syntax error, an unknown key or a bad value; on failure err
 * (errsz bytes) says "file:line: what".  c owns no heap memory.
 */
enum oms_err
oms_conf_load(const char *file, struct oms_conf *c, char *err, size_t errsz)
{
	struct loadctx x = {c, err, errsz, 0, NULL, 0, 0};
	char msg2[512];
	FILE *f;
	int r;

	oms_conf_defaults(c);
	copy(c->file, sizeof(c->file), file);
	if ((f = fopen(file, "r")) == NULL) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		return OMS_ERR_IO;
	}
	err[0] = '\0';
	x.f = f;
	r = ini_parse_stream(reader, &x, handler, &x);
	if (ferror(f)) {
		snprintf(err, errsz, "%s: %s", file, strerror(errno));
		fclose(f);
		return OMS_ERR_IO;
	}
	fclose(f);
	if (r != 0 || err[0] != '\0') {
		char msg[512];
		int line = r;

		/* inih goes on after a syntax error; the handler's message
		 * counts only when it is about the first bad line. */
		if (err[0] != '\0' && (r == 0 || x.line <= r))
			line = x.line;
		snprintf(msg, sizeof(msg), "%s", err[0] && line == x.line ? err :
		    "syntax error");
		snprintf(err, errsz, "%s:%d: %s", file, line, msg);
		return OMS_ERR_CONFIG;
	}
	if (!exchange_check(c, msg2, sizeof(msg2))) {
		snprintf(err, errsz, "%s: %s", file, msg2);
		return OMS_ERR_CONFIG;
	}
	return OMS_OK;
}

/*
 * The first line of file into buf (sz bytes), what names the file in
 * messages.  OMS_OK, or OMS_ERR_CONFIG with a message in err (never the
 * line) when it cannot be read, is empty, or does not fit.
 */
static enum oms_err
first_line(const char *what, const char *file, char *buf, size_t sz,
    char *err, size_t errsz)
{
	FILE *f = fopen(file, "r");
	size_t n;

	buf[0] = '\0';
	if (f == NULL) {
		snprintf(err, errsz, "%s %s: %s", what, file, strerror(errno));
		return OMS_ERR_CONFIG;
	}
	if (fgets(buf, (int)sz, f) == NULL)
		buf[0] = '\0';
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && !feof(f) && strlen(buf) == sz - 1) {
		fclose(f);
		buf[0] = '\0';
		snprintf(err, errsz, "%s %s: the password is longer than %zu "
		    "bytes", what, file, sz - 2);
		return OMS_ERR_CONFIG;
	}
	fclose(f);
	buf[n] = '\0';
	if (n == 0) {
		snprintf(err, errsz, "%s %s is empty", what, file);
		return OMS_ERR_CONFIG;
	}
	return OMS_OK;
}

/* The [exchange NAME] section named name, or NULL. */
const struct oms_exchange_conf *
oms_conf_exchange(const struct oms_conf *c, const char *name)
{
	for (int i = 0; i < c->nexchange; i++)
		if (strcmp(c->exchange[i].name, name) == 0)
			return &c->exchange[i];
	return NULL;
}

/*
 * The password of exchange system x into buf: the first line of its
 * password_file, "" when it names none.  OMS_OK or OMS_ERR_CONFIG with
 * a message in err that never holds the password.
 */
enum oms_err
oms_conf_exchange_password(const struct oms_exchange_conf *x, char *buf,
    size_t sz, char *err, size_t errsz)
{
	buf[0] = '\0';
	if (x->password_file[0] == '\0')
		return OMS_OK;
	return first_line("password_file", x->password_file, buf, sz, err,
	    errsz);
}

/*
 * Copy the MariaDB password into the caller's buf (sz bytes): the first
 * line of password_file, else the variable named by password_env, else
 * an empty string (unix socket authentication).  Returns OMS_OK, or
 * OMS_ERR_CONFIG with a message in err (never the password) when the
 * file cannot be read, is empty, or its first line does not fit.
 */
enum oms_err
oms_conf_password(const struct oms_conf_store *c, char *buf, size_t sz,
    char *err, size_t errsz)
{
	const char *v;

	buf[0] = '\0';
	if (c->password_file[0] != '\0') {
		enum oms_err e = first_line("password_file", c->password_file,
		    buf, sz, err, errsz);

		if (e != OMS_OK)
			return e;
		return OMS_OK;
	}
	if (c->password_env[0] != '\0' && (v = getenv(c->password_env)) != NULL) {
		if (strlen(v) >= sz) {
			snprintf(err, errsz, "the password in %s is too long",
			    c->password_env);
			return OMS_ERR_CONFIG;
		}
		memcpy(buf, v, strlen(v) + 1);
		return OMS_OK;
	}
	/* No password at all: the server may allow it (unix socket
	 * authentication). */
	return OMS_OK;
}

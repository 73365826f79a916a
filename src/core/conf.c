/*
 * conf.c: reading oms.conf with inih.
 */
#include "config.h"

#include <errno.h>
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

const char *const oms_tls_names[OMS_TLS__MAX] = {
	"off",    /* OMS_TLS_OFF */
	"on",     /* OMS_TLS_ON */
	"verify", /* OMS_TLS_VERIFY */
};

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
	c->cookie_secure = 0;
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

/* inih callback: one key.  Returns 1 to go on, 0 to stop with an error. */
static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct loadctx *x = user;
	struct oms_conf *c = x->c;
	long v;
	int ok = 1, known = 1;

	if (strcmp(section, "server") == 0) {
		if (strcmp(name, "listen") == 0)
			ok = copy(c->listen, sizeof(c->listen), value) &&
			    listen_ok(value);
		else if (strcmp(name, "workers") == 0)
			ok = int_in(value, 0, 64, &v) && ((c->workers = (int)v), 1);
		else if (strcmp(name, "backlog") == 0)
			ok = int_in(value, 1, 65535, &v) && ((c->backlog = (int)v), 1);
		else if (strcmp(name, "public_origin") == 0)
			ok = copy(c->public_origin, sizeof(c->public_origin),
			    value) && (strncmp(value, "http://", 7) == 0 ||
			    strncmp(value, "https://", 8) == 0) &&
			    strchr(strchr(value, ':') + 3, '/') == NULL;
		else if (strcmp(name, "xslt_dir") == 0)
			ok = copy(c->xslt_dir, sizeof(c->xslt_dir), value);
		else if (strcmp(name, "max_query") == 0)
			ok = int_in(value, 256, 1 << 20, &v) &&
			    ((c->max_query = (size_t)v), 1);
		else if (strcmp(name, "max_body") == 0)
			ok = int_in(value, 1024, 64 << 20, &v) &&
			    ((c->max_body = (size_t)v), 1);
		else if (strcmp(name, "shutdown_timeout") == 0)
			ok = int_in(value, 1, 3600, &v) &&
			    ((c->shutdown_timeout = (int)v), 1);
		else if (strcmp(name, "log_level") == 0) {
			static const char *const lv[] = {"error", "warn", "info",
			    "debug"};

			ok = 0;
			for (size_t i = 0; i < OMS_NELEM(lv); i++)
				if (strcmp(value, lv[i]) == 0) {
					c->log_level = (int)i;
					ok = 1;
				}
		} else
			known = 0;
	} else if (strcmp(section, "store") == 0) {
		if (strcmp(name, "backend") == 0) {
			ok = 0;
			for (int i = 0; i < OMS_BACKEND__MAX; i++)
				if (strcmp(value, oms_backend_names[i]) == 0) {
					c->store.backend = (enum oms_backend)i;
					ok = 1;
				}
		} else if (strcmp(name, "path") == 0)
			ok = copy(c->store.path, sizeof(c->store.path), value) &&
			    value[0] != '\0';
		else if (strcmp(name, "busy_timeout_ms") == 0)
			ok = int_in(value, 0, 600000, &v) &&
			    ((c->store.busy_timeout_ms = (int)v), 1);
		else if (strcmp(name, "host") == 0)
			ok = copy(c->store.host, sizeof(c->store.host), value);
		else if (strcmp(name, "port") == 0)
			ok = int_in(value, 1, 65535, &v) &&
			    ((c->store.port = (int)v), 1);
		else if (strcmp(name, "socket") == 0)
			ok = copy(c->store.socket, sizeof(c->store.socket), value);
		else if (strcmp(name, "database") == 0)
			ok = copy(c->store.database, sizeof(c->store.database),
			    value) && value[0] != '\0';
		else if (strcmp(name, "user") == 0)
			ok = copy(c->store.user, sizeof(c->store.user), value) &&
			    value[0] != '\0';
		else if (strcmp(name, "password_file") == 0)
			ok = copy(c->store.password_file,
			    sizeof(c->store.password_file), value);
		else if (strcmp(name, "password_env") == 0)
			ok = copy(c->store.password_env,
			    sizeof(c->store.password_env), value);
		else if (strcmp(name, "password") == 0) {
			/* Refused on purpose: a password in a file that is
			 * often world-readable and copied around. */
			ok = 0;
			if (x->err[0] == '\0') {
				x->line = x->lineno;
				snprintf(x->err, x->errsz, "'password' is not "
				    "accepted in [store]: use password_file or "
				    "password_env");
			}
		} else if (strcmp(name, "connect_timeout") == 0)
			ok = int_in(value, 1, 3600, &v) &&
			    ((c->store.connect_timeout = (int)v), 1);
		else if (strcmp(name, "read_timeout") == 0)
			ok = int_in(value, 1, 3600, &v) &&
			    ((c->store.read_timeout = (int)v), 1);
		else if (strcmp(name, "write_timeout") == 0)
			ok = int_in(value, 1, 3600, &v) &&
			    ((c->store.write_timeout = (int)v), 1);
		else if (strcmp(name, "retries") == 0)
			ok = int_in(value, 0, 100, &v) &&
			    ((c->store.retries = (int)v), 1);
		else if (strcmp(name, "tls") == 0) {
			ok = 0;
			for (int i = 0; i < OMS_TLS__MAX; i++)
				if (strcmp(value, oms_tls_names[i]) == 0) {
					c->store.tls = (enum oms_tls)i;
					ok = 1;
				}
		} else if (strcmp(name, "tls_ca") == 0)
			ok = copy(c->store.tls_ca, sizeof(c->store.tls_ca), value);
		else if (strcmp(name, "tls_cert") == 0)
			ok = copy(c->store.tls_cert, sizeof(c->store.tls_cert),
			    value);
		else if (strcmp(name, "tls_key") == 0)
			ok = copy(c->store.tls_key, sizeof(c->store.tls_key), value);
		else
			known = 0;
	} else if (strcmp(section, "auth") == 0) {
		if (strcmp(name, "idle_timeout") == 0)
			ok = int_in(value, 60, 7 * 86400, &v) &&
			    ((c->auth.idle_timeout = (int)v), 1);
		else if (strcmp(name, "absolute_timeout") == 0)
			ok = int_in(value, 60, 30 * 86400, &v) &&
			    ((c->auth.absolute_timeout = (int)v), 1);
		else if (strcmp(name, "max_failures") == 0)
			ok = int_in(value, 1, 1000, &v) &&
			    ((c->auth.max_failures = (int)v), 1);
		else if (strcmp(name, "max_address_failures") == 0)
			ok = int_in(value, 1, 100000, &v) &&
			    ((c->auth.max_address_failures = (int)v), 1);
		else if (strcmp(name, "failure_window") == 0)
			ok = int_in(value, 10, 86400, &v) &&
			    ((c->auth.failure_window = (int)v), 1);
		else if (strcmp(name, "cookie_secure") == 0) {
			ok = strcmp(value, "yes") == 0 || strcmp(value, "no") == 0;
			c->cookie_secure = strcmp(value, "yes") == 0;
		} else
			known = 0;
	} else
		known = 0;

	if (x->err[0] != '\0' || (known && ok))
		; /* keep the first message: it names the first bad line */
	else if ((x->line = x->lineno), !known)
		snprintf(x->err, x->errsz, "unknown key '%s' in section [%s]",
		    name, section);
	else if (!ok)
		snprintf(x->err, x->errsz, "bad value for '%s' in section [%s]",
		    name, section);
	return known && ok;
}

enum oms_err
oms_conf_load(const char *file, struct oms_conf *c, char *err, size_t errsz)
{
	struct loadctx x = {c, err, errsz, 0, NULL, 0, 0};
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
	return OMS_OK;
}

enum oms_err
oms_conf_password(const struct oms_conf_store *c, char *buf, size_t sz,
    char *err, size_t errsz)
{
	const char *v;

	buf[0] = '\0';
	if (c->password_file[0] != '\0') {
		FILE *f = fopen(c->password_file, "r");
		size_t n;

		if (f == NULL) {
			snprintf(err, errsz, "password_file %s: %s",
			    c->password_file, strerror(errno));
			return OMS_ERR_CONFIG;
		}
		if (fgets(buf, (int)sz, f) == NULL)
			buf[0] = '\0';
		n = strcspn(buf, "\r\n");
		if (buf[n] == '\0' && !feof(f) && strlen(buf) == sz - 1) {
			fclose(f);
			buf[0] = '\0';
			snprintf(err, errsz, "password_file %s: the password is "
			    "longer than %zu bytes", c->password_file, sz - 2);
			return OMS_ERR_CONFIG;
		}
		fclose(f);
		buf[n] = '\0';
		if (n == 0) {
			snprintf(err, errsz, "password_file %s is empty",
			    c->password_file);
			return OMS_ERR_CONFIG;
		}
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

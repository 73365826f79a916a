/*
 * conf.h: oms.conf, read by omsd and omsctl alike.
 *
 * An INI file.  Unknown sections or keys and malformed values are
 * errors that name the file, line and key, so a typo never silently
 * falls back to a default.  See oms.conf(5).
 */
#ifndef OMS_CONF_H
#define OMS_CONF_H

#include <stddef.h>

#include "oms.h"

enum oms_backend {
	OMS_BACKEND_SQLITE,  /* one database file, embedded */
	OMS_BACKEND_MARIADB, /* a MariaDB server */
	OMS_BACKEND__MAX
};

extern const char *const oms_backend_names[OMS_BACKEND__MAX];

struct oms_conf_store {
	enum oms_backend backend; /* which driver */
	char path[4096];          /* sqlite: the database file */
	int busy_timeout_ms;      /* sqlite: wait this long for a lock */
};

struct oms_conf {
	char file[4096];          /* where this was read from */
	char listen[256];         /* "unix:/path" or "127.0.0.1:9000" */
	int workers;              /* worker processes; 0 = number of cores */
	int backlog;              /* listen(2) backlog */
	char xslt_dir[4096];      /* compiled stylesheets come from here */
	size_t max_query;         /* bytes of query string accepted */
	size_t max_body;          /* bytes of request body accepted */
	int log_level;            /* enum oms_log_level */
	int shutdown_timeout;     /* seconds a stopping worker may take */
	struct oms_conf_store store;
};

/* Fill c with the built-in defaults. */
void oms_conf_defaults(struct oms_conf *c);
/*
 * Read file into c (defaults first).  On failure returns OMS_ERR_CONFIG
 * or OMS_ERR_IO and writes a message naming file and line into err.
 */
enum oms_err oms_conf_load(const char *file, struct oms_conf *c, char *err,
    size_t errsz);

#endif /* OMS_CONF_H */

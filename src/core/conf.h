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

enum oms_tls {
	OMS_TLS_OFF,    /* plain connection (loopback, unix socket) */
	OMS_TLS_ON,     /* encrypted, server certificate not verified */
	OMS_TLS_VERIFY, /* encrypted and the server certificate verified */
	OMS_TLS__MAX
};

struct oms_conf_store {
	enum oms_backend backend; /* which driver */
	char path[4096];          /* sqlite: the database file */
	int busy_timeout_ms;      /* wait this long for a lock (both) */
	char host[256];           /* mariadb: server host name or address */
	int port;                 /* mariadb: TCP port */
	char socket[4096];        /* mariadb: unix socket (wins over host) */
	char database[128];       /* mariadb: database name */
	char user[128];           /* mariadb: user name */
	char password_file[4096]; /* mariadb: file holding the password */
	char password_env[128];   /* mariadb: or the variable holding it */
	int connect_timeout;      /* mariadb: seconds */
	int read_timeout;         /* mariadb: seconds */
	int write_timeout;        /* mariadb: seconds */
	int retries;              /* unit retries on lock waits (both) */
	enum oms_tls tls;         /* mariadb: TLS mode */
	char tls_ca[4096];        /* mariadb: CA certificates file */
	char tls_cert[4096];      /* mariadb: client certificate */
	char tls_key[4096];       /* mariadb: client key */
};

/* Session limits, from [auth] in oms.conf. */
struct oms_auth_conf {
	int idle_timeout;     /* seconds without a request */
	int absolute_timeout; /* seconds since login */
	int max_failures;     /* failed logins of a name from an address
	                         before it waits */
	int max_address_failures; /* failed logins an address, a window */
	int failure_window;   /* seconds */
	int failure_delay;    /* seconds: the first wait of a name and
	                         address, doubling with each failure */
	int max_failure_delay; /* seconds: the longest such wait */
};

/* Job processes of omsd, from [jobs] in oms.conf (src/cmd/job.c). */
struct oms_jobs_conf {
	char run[256];         /* job kinds to run, by name, space or comma
	                        * separated; checked against the kinds by
	                        * omsd; empty: none */
	int lease_time;        /* seconds a job lease lasts unrenewed */
	int sessions_interval; /* seconds between two session sweeps */
};

/* How an exchange system authenticates OMS's requests. */
enum oms_xauth {
	OMS_XAUTH_NONE,  /* nothing (a trusted network) */
	OMS_XAUTH_BASIC, /* HTTP basic */
	OMS_XAUTH_WSSE,  /* WS-Security UsernameToken (PasswordText) */
	OMS_XAUTH__MAX
};
extern const char *const oms_xauth_names[OMS_XAUTH__MAX];

/* The most [exchange NAME] sections oms.conf may have. */
#define OMS_EXCHANGE_MAX 8

/*
 * One legacy system OMS sends messages to, from a section
 * [exchange NAME] of oms.conf (oms.conf(5); docs/integration-guide.md,
 * "Adapters and mappings").  The outbox's system column holds NAME.
 * Paths of stylesheets are relative to xslt_dir unless absolute.
 */
struct oms_exchange_conf {
	char name[32];          /* NAME: "vendor", "finance", "mail", ... */
	char adapter[16];       /* "soap", "filedrop" or "smtp" (required) */
	char endpoint[512];     /* soap: http(s) URL; smtp: smtp(s)://host:port */
	char soap_action[256];  /* soap: SOAPAction; "{op}" is replaced by the
	                         * local name of the mapped request's root */
	char request_xsl[1024]; /* canonical message -> the system's request */
	char reply_xsl[1024];   /* the system's reply -> canonical Ack */
	int auth;               /* enum oms_xauth */
	char username[128];     /* basic, wsse; smtp: AUTH user ("" none) */
	char password_file[1024]; /* first line is the password; never logged */
	int connect_timeout;    /* seconds to connect */
	int timeout;            /* seconds for the whole exchange; past it
	                         * after the request went out: unknown */
	char tls_ca[1024];      /* CA file for the peer's certificate; ""
	                         * the system's store */
	int tls_verify;         /* yes: verify the peer's certificate */
	int max_attempts;       /* attempts before a message is dead */
	int backoff_base;       /* seconds before the first retry; doubles */
	int backoff_max;        /* seconds: the longest wait between tries */
	int batch;              /* messages a dispatcher claims at a time */
	char directory[1024];   /* filedrop: the exchange folder (out/, ack/,
	                         * quarantine/ below it) */
	char from[256];         /* smtp: the sender's address */
	int starttls;           /* smtp: yes: STARTTLS is required */
	int complete_on_install; /* inbound OrderStatus installed completes
	                          * the OMS order (the vendor system) */
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
	struct oms_auth_conf auth; /* [auth]: sessions and throttling */
	int cookie_secure;        /* [auth] cookie_secure: HTTPS only */
	struct oms_jobs_conf jobs; /* [jobs]: job processes */
	char public_origin[256];  /* [server] public_origin: scheme://host[:port]
	                           * forms must come from; "" derives it from
	                           * each request (scheme and Host) */
	char currency[4];         /* [billing] currency: the installation's one
	                           * currency, ISO 4217 (three capitals) */
	int backdate_days;        /* [billing] backdate_days: how far before
	                           * the business date a change may be dated
	                           * into an invoiced period */
	char pdf_renderer[512];   /* [billing] pdf_renderer: the program that
	                           * makes PDFs of printable HTML
	                           * (oms-render-pdf); "" renders none */
	int pdf_max_lines;        /* [billing] pdf_max_lines: invoices with
	                           * more lines get no PDF (the browser
	                           * needs gigabytes for them); 0: no limit */
	struct oms_exchange_conf exchange[OMS_EXCHANGE_MAX]; /* [exchange NAME] */
	int nexchange;            /* how many of exchange[] are used */
};

extern const char *const oms_tls_names[OMS_TLS__MAX];

/*
 * The MariaDB password: the first line of password_file, or else the
 * variable named by password_env; none at all (an empty buf) when
 * neither is set, for servers that authenticate the unix socket's
 * user.  Never logged.  Returns OMS_ERR_CONFIG with a message in err
 * (which never holds the password) when the file cannot be read, is
 * empty, or its first line does not fit.
 */
enum oms_err oms_conf_password(const struct oms_conf_store *, char *buf,
    size_t sz, char *err, size_t errsz);

/* Fill c with the built-in defaults. */
void oms_conf_defaults(struct oms_conf *c);
/*
 * Read file into c (defaults first).  On failure returns OMS_ERR_CONFIG
 * or OMS_ERR_IO and writes a message naming file and line into err.
 */
enum oms_err oms_conf_load(const char *file, struct oms_conf *c, char *err,
    size_t errsz);

/*
 * The keys oms.conf accepts, for tests and documentation checks: the
 * number of keys, and the name of key i with its section (NULL past
 * the end).  The strings are static.
 */
size_t oms_conf_nkeys(void);
/* Keys of [exchange NAME] sections come after the others, with section
 * "exchange NAME". */
const char *oms_conf_key(size_t i, const char **section);

/* The [exchange NAME] section named name, or NULL. */
const struct oms_exchange_conf *oms_conf_exchange(const struct oms_conf *,
    const char *name);

/*
 * The password of exchange system x: the first line of its
 * password_file into buf (sz bytes); "" when it has none.  OMS_OK, or
 * OMS_ERR_CONFIG with a message in err (never the password) when the
 * file cannot be read, is empty or too long.
 */
enum oms_err oms_conf_exchange_password(const struct oms_exchange_conf *x,
    char *buf, size_t sz, char *err, size_t errsz);

#endif /* OMS_CONF_H */

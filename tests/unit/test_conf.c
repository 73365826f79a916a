/*
 * test_conf.c: oms.conf (src/core/conf.c): defaults, a full file, and every
 * kind of mistake, each refused with a message naming file and line.
 *
 * Negative cases say "bad" in their names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "oms.h"
#include "../tap.h"

static char dir[256], file[512];
static char err[1024];
static struct oms_conf c;

/* 1 when s ends with suffix. */
static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Write text to the test file and load it into c. */
static enum oms_err
load(const char *text)
{
	FILE *f = fopen(file, "w");

	if (f == NULL) {
		printf("Bail out! cannot write %s\n", file);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	memset(err, 0, sizeof(err));
	return oms_conf_load(file, &c, err, sizeof(err));
}

/* 1 when text is refused as OMS_ERR_CONFIG with file:line: and want
 * in the message. */
static int
refused_at(const char *text, int line, const char *want)
{
	char prefix[600];

	snprintf(prefix, sizeof(prefix), "%s:%d: ", file, line);
	if (load(text) != OMS_ERR_CONFIG) {
		printf("#   accepted: %s", text);
		return 0;
	}
	if (strncmp(err, prefix, strlen(prefix)) != 0 ||
	    strstr(err, want) == NULL) {
		printf("#   message: %s\n", err);
		return 0;
	}
	return 1;
}

/*
 * Every key of the parser's table is documented in oms.conf(5) (as
 * ".BI key ..."), and every key is accepted in its own section only:
 * the same key under another section is refused as unknown.
 */
static void
test_key_table(void)
{
	const char *src = getenv("OMS_SRCDIR");
	char path[1024], *man = NULL;
	size_t n = oms_conf_nkeys(), undocumented = 0, misplaced = 0;
	FILE *f;

	ok(n >= 30, "the key table lists every key (%zu)", n);
	snprintf(path, sizeof(path), "%s/docs/oms.conf.5", src ? src : "..");
	if ((f = fopen(path, "r")) != NULL) {
		man = calloc(1, 1 << 20);
		if (man != NULL)
			man[fread(man, 1, (1 << 20) - 1, f)] = '\0';
		fclose(f);
	}
	for (size_t i = 0; i < n; i++) {
		const char *sec, *key = oms_conf_key(i, &sec);
		char want[128], text[256];

		snprintf(want, sizeof(want), ".BI %s \" = \"", key);
		if (strcmp(key, "password") != 0 &&
		    (man == NULL || strstr(man, want) == NULL)) {
			printf("#   not in oms.conf(5): [%s] %s\n", sec, key);
			undocumented++;
		}
		snprintf(text, sizeof(text), "[%s]\n%s = 1\n",
		    strcmp(sec, "auth") == 0 ? "server" : "auth", key);
		if (load(text) != OMS_ERR_CONFIG || strstr(err, "unknown key") == NULL) {
			printf("#   accepted out of its section: %s\n", key);
			misplaced++;
		}
	}
	ok(man != NULL && undocumented == 0,
	    "every key of the table is documented in oms.conf(5)");
	ok(misplaced == 0, "bad: a key in another section is unknown there");
	ok(oms_conf_key(n, NULL) == NULL, "past the end of the table: NULL");
	free(man);
}

static void
test_defaults(void)
{
	memset(&c, 0x5a, sizeof(c));
	oms_conf_defaults(&c);
	ok(c.workers == 0 && c.backlog == 128 && c.shutdown_timeout == 30,
	    "defaults: workers 0 (cores), backlog 128, shutdown 30 s");
	ok(c.max_query == 4096 && c.max_body == 1024 * 1024,
	    "defaults: max_query 4096, max_body 1 MiB");
	is_int(c.log_level, OMS_LOG_INFO, "defaults: log level info");
	ok(strncmp(c.listen, "unix:", 5) == 0 &&
	    ends_with(c.listen, "/omsd.sock"),
	    "defaults: listen on a unix socket omsd.sock");
	ok(ends_with(c.xslt_dir, "/xslt"), "defaults: xslt_dir .../xslt");
	ok(c.store.backend == OMS_BACKEND_SQLITE &&
	    ends_with(c.store.path, "/oms.db") &&
	    c.store.busy_timeout_ms == 5000,
	    "defaults: sqlite at .../oms.db, busy timeout 5000 ms");
	ok(c.file[0] == '\0', "defaults: no file recorded");
}

static void
test_valid(void)
{
	ok(load("# OMS test configuration\n"
	    "; a comment of the other kind\n"
	    "\n"
	    "[server]\n"
	    "listen = 127.0.0.1:9000\n"
	    "workers = 4\n"
	    "backlog = 64\n"
	    "xslt_dir = /opt/oms/xslt\n"
	    "max_query = 8192\n"
	    "max_body = 2048\n"
	    "shutdown_timeout = 10\n"
	    "log_level = debug\n"
	    "\n"
	    "[store]\n"
	    "backend = sqlite\n"
	    "path = /srv/oms/data.db\n"
	    "busy_timeout_ms = 250\n") == OMS_OK, "full file: loads");
	ok(strcmp(c.listen, "127.0.0.1:9000") == 0 && c.workers == 4 &&
	    c.backlog == 64 && strcmp(c.xslt_dir, "/opt/oms/xslt") == 0,
	    "full file: listen, workers, backlog, xslt_dir");
	ok(c.max_query == 8192 && c.max_body == 2048 &&
	    c.shutdown_timeout == 10 && c.log_level == OMS_LOG_DEBUG,
	    "full file: max_query, max_body, shutdown_timeout, log_level");
	ok(c.store.backend == OMS_BACKEND_SQLITE &&
	    strcmp(c.store.path, "/srv/oms/data.db") == 0 &&
	    c.store.busy_timeout_ms == 250,
	    "full file: store backend, path, busy timeout");
	is_str(c.file, file, "full file: the file name is recorded");

	ok(load("") == OMS_OK && c.workers == 0 && c.backlog == 128 &&
	    ends_with(c.store.path, "/oms.db"), "empty file: the defaults");
	ok(load("[server]\nworkers = 2\n") == OMS_OK && c.workers == 2 &&
	    c.backlog == 128 && c.max_query == 4096,
	    "partial file: unset keys keep their defaults");
	ok(load("[server]\nlisten = unix:/run/oms/omsd.sock\n") == OMS_OK &&
	    strcmp(c.listen, "unix:/run/oms/omsd.sock") == 0,
	    "listen on a unix socket path");
	ok(load("[server]\nworkers=64\nlog_level=error\n") == OMS_OK &&
	    c.workers == 64 && c.log_level == OMS_LOG_ERR,
	    "workers=64 (the maximum), log_level=error");
	ok(load("[server]\nlog_level = warn\n") == OMS_OK &&
	    c.log_level == OMS_LOG_WARN, "log_level=warn");
	ok(load("[store]\nbackend = mariadb\n") == OMS_OK &&
	    c.store.backend == OMS_BACKEND_MARIADB,
	    "backend=mariadb is a known backend");
	ok(load("[store]\nbusy_timeout_ms = 0\n") == OMS_OK &&
	    c.store.busy_timeout_ms == 0, "busy_timeout_ms=0 ok");
	ok(load("[server]\nworkers = 3\nworkers = 5\n") == OMS_OK &&
	    c.workers == 5, "a key given twice: the last one counts");
}

/* The [store] keys of a MariaDB backend, and what is refused. */
static void
test_mariadb_keys(void)
{
	struct oms_conf c;
	char pw[64], perr[256];

	ok(load("[store]\nbackend = mariadb\nhost = db1.example.net\n"
	    "port = 3307\ndatabase = oms_prod\nuser = omsd\n"
	    "password_env = OMS_TEST_PW\nconnect_timeout = 3\n"
	    "read_timeout = 20\nwrite_timeout = 21\nretries = 5\n"
	    "tls = verify\ntls_ca = /etc/ssl/ca.pem\n") == OMS_OK,
	    "mariadb keys load");
	oms_conf_load(file, &c, err, sizeof(err));
	ok(c.store.backend == OMS_BACKEND_MARIADB && c.store.port == 3307 &&
	    strcmp(c.store.host, "db1.example.net") == 0 &&
	    strcmp(c.store.database, "oms_prod") == 0 &&
	    strcmp(c.store.user, "omsd") == 0 && c.store.read_timeout == 20 &&
	    c.store.write_timeout == 21 && c.store.connect_timeout == 3 &&
	    c.store.retries == 5 && c.store.tls == OMS_TLS_VERIFY &&
	    strcmp(c.store.tls_ca, "/etc/ssl/ca.pem") == 0,
	    "mariadb keys have their values");
	setenv("OMS_TEST_PW", "s3cret", 1);
	ok(oms_conf_password(&c.store, pw, sizeof(pw), perr, sizeof(perr)) ==
	    OMS_OK && strcmp(pw, "s3cret") == 0,
	    "password from the variable named by password_env");
	ok(refused_at("[store]\nbackend = mariadb\npassword = hunter2\n", 3,
	    "password_file or password_env") && strstr(err, "hunter2") == NULL,
	    "password in the file bad: refused without echoing it");
	ok(refused_at("[store]\ntls = maybe\n", 2, "'tls'"), "tls bad");
	ok(refused_at("[store]\nport = 0\n", 2, "'port'"), "port 0 bad");
}

/* listen: unix sockets with absolute paths, host:port with a port. */
static void
test_listen(void)
{
	static const char *const good[] = {"unix:/run/oms/omsd.sock",
	    "127.0.0.1:9000", "localhost:9000", "0.0.0.0:9000",
	    "app-1.example.net:9001"};
	static const char *const bad[] = {"unix:", "unix:relative.sock",
	    ":9000", "*:9000", "127.0.0.1:x", "127.0.0.1:", "127.0.0.1:70000",
	    "/run/oms.sock", "127.0.0.1"};
	char text[256];

	for (size_t i = 0; i < OMS_NELEM(good); i++) {
		snprintf(text, sizeof(text), "[server]\nlisten = %s\n", good[i]);
		ok(load(text) == OMS_OK, "listen %s accepted", good[i]);
	}
	for (size_t i = 0; i < OMS_NELEM(bad); i++) {
		snprintf(text, sizeof(text), "[server]\nlisten = %s\n", bad[i]);
		ok(refused_at(text, 2, "'listen'"), "listen %s bad", bad[i]);
	}
	ok(refused_at("[server]\nworkers = 2\n  xslt_dir = /x\n", 3,
	    "indented line"), "indented continuation line bad");
	ok(load("[server]\n  ; an indented comment\nworkers = 2\n") == OMS_OK,
	    "indented comment accepted");
}

static void
test_bad(void)
{
	ok(refused_at("[server]\nworkers = 4\nbogus = 1\n", 3,
	    "unknown key 'bogus' in section [server]"),
	    "unknown key bad: names file, line 3 and the key");
	ok(refused_at("[store]\nbackend = sqlite\n\n\ndatabse = x\n", 5,
	    "unknown key 'databse' in section [store]"),
	    "unknown key in [store] bad: line 5");
	ok(refused_at("[server]\nworkers = 1\n[logging]\nlevel = info\n", 4,
	    "unknown key 'level' in section [logging]"),
	    "unknown section bad");
	ok(refused_at("workers = 4\n", 1, "unknown key 'workers'"),
	    "key outside a section bad");
	ok(refused_at("[Server]\nworkers = 4\n", 2, "unknown key"),
	    "section names are case-sensitive: [Server] bad");
	ok(refused_at("[server]\nWorkers = 4\n", 2, "unknown key"),
	    "key names are case-sensitive: Workers bad");
	ok(refused_at("[server]\nworkers = -1\n", 2,
	    "bad value for 'workers' in section [server]"),
	    "workers=-1 bad: names line and key");
	ok(refused_at("[server]\nworkers = abc\n", 2, "bad value for 'workers'"),
	    "workers=abc bad");
	ok(refused_at("[server]\nworkers = 4x\n", 2, "bad value for 'workers'"),
	    "workers=4x bad: trailing garbage");
	ok(refused_at("[server]\nworkers = 65\n", 2, "bad value for 'workers'"),
	    "workers=65 bad: over 64");
	ok(refused_at("[server]\nworkers =\n", 2, "bad value for 'workers'"),
	    "workers empty bad");
	ok(refused_at("[server]\nworkers = 99999999999999999999\n", 2,
	    "bad value for 'workers'"), "workers overflowing a long bad");
	ok(refused_at("[server]\nbacklog = 0\n", 2, "bad value for 'backlog'"),
	    "backlog=0 bad");
	ok(refused_at("[server]\nmax_query = 255\n", 2,
	    "bad value for 'max_query'"), "max_query=255 bad: under 256");
	ok(refused_at("[server]\nmax_body = 100\n", 2,
	    "bad value for 'max_body'"), "max_body=100 bad: under 1024");
	ok(refused_at("[server]\nshutdown_timeout = 0\n", 2,
	    "bad value for 'shutdown_timeout'"), "shutdown_timeout=0 bad");
	ok(refused_at("[server]\nlisten = somewhere\n", 2,
	    "bad value for 'listen'"), "listen without ':' bad");
	ok(refused_at("[server]\nlog_level = loud\n", 2,
	    "bad value for 'log_level'"), "log_level=loud bad");
	ok(refused_at("[server]\nlog_level = INFO\n", 2,
	    "bad value for 'log_level'"), "log_level=INFO bad: case matters");
	ok(refused_at("[store]\nbackend = postgres\n", 2,
	    "bad value for 'backend' in section [store]"),
	    "backend=postgres bad");
	ok(refused_at("[store]\npath =\n", 2, "bad value for 'path'"),
	    "empty store path bad");
	ok(refused_at("[store]\nbusy_timeout_ms = 600001\n", 2,
	    "bad value for 'busy_timeout_ms'"), "busy_timeout_ms=600001 bad");
	ok(refused_at("[server]\nworkers = abc\nbogus = 1\n", 2,
	    "bad value for 'workers'"),
	    "two mistakes: the first one is reported");
	ok(refused_at("[server]\nworkers 4\n", 2, "syntax error"),
	    "line without '=' bad: syntax error at its line");
	ok(load("[server\nworkers = 4\n") == OMS_ERR_CONFIG,
	    "unclosed section header bad");
	ok(refused_at("[server\nworkers = 4\n", 1, "syntax error"), "%s",
	    "unclosed section header: message says syntax error at line 1");
}

static void
test_long_line(void)
{
	char text[1024];
	char value[401];

	memset(value, 'a', 400);
	value[400] = '\0';
	snprintf(text, sizeof(text), "[store]\npath = /srv/%s.db\n", value);
	ok(load(text) == OMS_ERR_CONFIG,
	    "a 415-byte path line bad: never silently truncated");
	ok(strncmp(err, file, strlen(file)) == 0 &&
	    strncmp(err + strlen(file), ":2:", 3) == 0, "%s",
	    "a line that is too long bad: the message names line 2");
}

static void
test_missing(void)
{
	char missing[600];

	snprintf(missing, sizeof(missing), "%s/does-not-exist.conf", dir);
	ok(oms_conf_load(missing, &c, err, sizeof(err)) == OMS_ERR_IO,
	    "missing file bad: OMS_ERR_IO");
	ok(strstr(err, missing) != NULL, "missing file: the message names it");
	ok(oms_conf_load(dir, &c, err, sizeof(err)) == OMS_ERR_IO, "%s",
	    "a directory instead of a file bad: OMS_ERR_IO");
}

int
main(void)
{
	const char *tmp = getenv("TMPDIR");

	oms_log_set_level(OMS_LOG_ERR);
	snprintf(dir, sizeof(dir), "%s/oms-test-conf.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp %s\n", dir);
		return 1;
	}
	snprintf(file, sizeof(file), "%s/oms.conf", dir);
	test_defaults();
	test_valid();
	test_bad();
	test_mariadb_keys();
	test_listen();
	test_long_line();
	test_missing();
	test_key_table();
	unlink(file);
	rmdir(dir);
	return tap_done();
}

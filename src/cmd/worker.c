/*
 * worker.c: the request loop of an omsd worker.
 *
 * Signals stay blocked except while the worker waits for a connection
 * in ppoll(2), so a SIGTERM can only arrive between requests: the one
 * in flight always finishes, and no system call inside a request is
 * ever interrupted.  The listening socket is non-blocking; when several
 * workers wake for one connection, the losers' accept fails with EAGAIN
 * and they go back to waiting.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#ifdef OMS_SANITIZE
#include <sanitizer/lsan_interface.h>
#endif

#include <fcgiapp.h>

#include "arena.h"
#include "conf.h"
#include "http.h"
#include "migrate.h"
#include "stmts.h"
#include "store.h"
#include "view.h"
#include "worker.h"

static volatile sig_atomic_t stopping;

/* SIGTERM: finish the current request, then leave. */
static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/*
 * The FastCGI parameters serve() reads, in one pass over the request's
 * environment rather than one FCGX_GetParam() scan each (fourteen scans
 * of some thirty entries cost 8,000 instructions a request, a seventh
 * of /healthz).  The first of a repeated name wins, as with
 * FCGX_GetParam().
 */
enum param {
	P_METHOD, P_DOCUMENT_URI, P_SCRIPT_NAME, P_QUERY, P_ACCEPT,
	P_CONTENT_TYPE, P_REQUEST_ID, P_COOKIE, P_ORIGIN, P_OMS_HOST,
	P_HTTP_HOST, P_PORT, P_ADDRESS, P_SCHEME, P_REFERER,
	P_CONTENT_LENGTH, P_AUTHORIZATION, P__MAX
};

static const struct {
	const char *name;
	size_t len;
} param_names[P__MAX] = {
#define P(s) {s, sizeof(s) - 1}
	[P_METHOD] = P("REQUEST_METHOD"),
	[P_DOCUMENT_URI] = P("DOCUMENT_URI"),
	[P_SCRIPT_NAME] = P("SCRIPT_NAME"),
	[P_QUERY] = P("QUERY_STRING"),
	[P_ACCEPT] = P("HTTP_ACCEPT"),
	[P_CONTENT_TYPE] = P("CONTENT_TYPE"),
	[P_REQUEST_ID] = P("REQUEST_ID"),
	[P_COOKIE] = P("HTTP_COOKIE"),
	[P_ORIGIN] = P("HTTP_ORIGIN"),
	[P_OMS_HOST] = P("OMS_HOST"),
	[P_HTTP_HOST] = P("HTTP_HOST"),
	[P_PORT] = P("SERVER_PORT"),
	[P_ADDRESS] = P("REMOTE_ADDR"),
	[P_SCHEME] = P("REQUEST_SCHEME"),
	[P_REFERER] = P("HTTP_REFERER"),
	[P_AUTHORIZATION] = P("HTTP_AUTHORIZATION"),
	[P_CONTENT_LENGTH] = P("CONTENT_LENGTH"),
#undef P
};

/* Fill v[] with the values of env's parameters of param_names; NULL
 * for those absent. */
static void
read_params(char **env, const char *v[P__MAX])
{
	for (int i = 0; i < P__MAX; i++)
		v[i] = NULL;
	for (; env != NULL && *env != NULL; env++) {
		const char *e = *env, *eq = strchr(e, '=');
		size_t n;

		if (eq == NULL)
			continue;
		n = (size_t)(eq - e);
		for (int i = 0; i < P__MAX; i++)
			if (param_names[i].len == n && v[i] == NULL &&
			    memcmp(param_names[i].name, e, n) == 0) {
				v[i] = eq + 1;
				break;
			}
	}
}

/* A copy of parameter i in the arena (parameters die at the next
 * accept), or NULL when absent. */
static const char *
param(struct oms_arena *a, const char *const v[P__MAX], enum param i)
{
	return v[i] ? oms_arena_strdup(a, v[i]) : NULL;
}

/*
 * Write the response headers and body to FastCGI.  The header block is
 * built by oms_http_head() in the arena, without a length limit; when
 * even that fails (out of memory), a bare 500 goes out.
 */
static void
write_out(FCGX_Request *r, struct oms_arena *a, const struct oms_http_out *out,
    const char *rid)
{
	static const char oom[] = "Status: 500 Internal Server Error\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 0\r\nCache-Control: no-store\r\n\r\n";
	size_t n;
	const char *h = oms_http_head(a, out, rid, &n);

	if (h == NULL) {
		FCGX_PutStr(oom, (int)sizeof(oom) - 1, r->out);
		return;
	}
	FCGX_PutStr(h, (int)n, r->out);
	if (!out->head && out->len > 0)
		FCGX_PutStr(out->body, (int)out->len, r->out);
}

/* Serve one accepted request. */
static void
serve(FCGX_Request *r, struct oms_arena *a, struct oms_store *st,
    struct oms_views *v, const struct oms_conf *c, unsigned long seq)
{
	struct oms_http_in in;
	struct oms_http_out out;
	const char *pv[P__MAX], *cl;
	char *body = NULL;
	int64_t bodylen = 0;
	int64_t t0 = oms_now_us();

	read_params(r->envp, pv);
	memset(&in, 0, sizeof(in));
	in.method = param(a, pv, P_METHOD);
	in.path = param(a, pv, P_DOCUMENT_URI);
	if (in.path == NULL)
		in.path = param(a, pv, P_SCRIPT_NAME);
	in.query = param(a, pv, P_QUERY);
	in.accept = param(a, pv, P_ACCEPT);
	in.content_type = param(a, pv, P_CONTENT_TYPE);
	in.rid = param(a, pv, P_REQUEST_ID);
	in.cookie = param(a, pv, P_COOKIE);
	in.origin = param(a, pv, P_ORIGIN);
	in.host = param(a, pv, P_OMS_HOST);
	if (in.host == NULL || in.host[0] == '\0')
		in.host = param(a, pv, P_HTTP_HOST);
	in.port = param(a, pv, P_PORT);
	in.address = param(a, pv, P_ADDRESS);
	in.scheme = param(a, pv, P_SCHEME);
	in.referer = param(a, pv, P_REFERER);
	in.authorization = param(a, pv, P_AUTHORIZATION);
	if (in.rid == NULL || in.rid[0] == '\0' || strlen(in.rid) > 64)
		in.rid = oms_arena_printf(a, "%ld-%lu", (long)getpid(), seq);
	oms_log_set_request(in.rid);
	in.content_length = 0;
	if ((cl = pv[P_CONTENT_LENGTH]) != NULL && *cl != '\0') {
		char *end;
		long long n = strtoll(cl, &end, 10);

		in.content_length = (*end == '\0' && n >= 0) ? n : INT64_MAX;
	}
	if (in.content_length > (int64_t)c->max_body)
		bodylen = -1;
	else if (in.content_length > 0) {
		body = oms_arena_alloc(a, (size_t)in.content_length + 1);
		if (body == NULL)
			bodylen = -1;
		else {
			bodylen = FCGX_GetStr(body, (int)in.content_length, r->in);
			if (bodylen < 0)
				bodylen = 0;
			body[bodylen] = '\0';
		}
	}

	oms_http_serve(a, st, v, c, &in, body, bodylen, &out);
	write_out(r, a, &out, in.rid);
	oms_info("%s %s %d %zuB %.2fms", in.method ? in.method : "-",
	    in.path ? in.path : "-", out.status, out.len,
	    (double)(oms_now_us() - t0) / 1000.0);
	oms_log_set_request(NULL);
}

/*
 * The body of a worker forked by the master: open the store, check the
 * schema and compile the stylesheets, write one byte to ready_fd, then
 * accept FastCGI requests on listen_fd, each with a fresh arena, until
 * SIGTERM, finishing the request in flight.  Never returns: exits 0 on
 * a clean stop, OMS_WORKER_EXIT_INIT when it could not start.
 */
void
oms_worker_run(const struct oms_conf *c, int listen_fd, int ready_fd)
{
	struct oms_store *st = NULL;
	struct oms_views *v = NULL;
	struct oms_arena *a = NULL;
	FCGX_Request req;
	struct sigaction sa;
	sigset_t block, wait_mask;
	struct pollfd pfd;
	unsigned long seq = 0;
	enum oms_err e;

	/* The master blocked everything we care about before forking. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGINT);

	oms_log_set_level((enum oms_log_level)c->log_level);
	if ((e = oms_store_open(&c->store, 0, &oms_stmt_table, &st)) != OMS_OK) {
		oms_error("worker: cannot open the %s store: %s",
		    oms_backend_names[c->store.backend], oms_strerror(e));
		_exit(OMS_WORKER_EXIT_INIT);
	}
	if (oms_migrate_current(st) != oms_migrate_latest(st)) {
		oms_error("worker: the database schema is at version %d, this "
		    "program needs %d: run 'omsctl migrate'",
		    oms_migrate_current(st), oms_migrate_latest(st));
		_exit(OMS_WORKER_EXIT_INIT);
	}
	if ((e = oms_views_load(c->xslt_dir, &v)) != OMS_OK) {
		oms_error("worker: cannot load stylesheets from %s: %s",
		    c->xslt_dir, oms_strerror(e));
		_exit(OMS_WORKER_EXIT_INIT);
	}
	if ((a = oms_arena_new()) == NULL ||
	    FCGX_InitRequest(&req, listen_fd, 0) != 0) {
		oms_error("worker: out of memory at start");
		_exit(OMS_WORKER_EXIT_INIT);
	}
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "R", 1);
		close(ready_fd);
	}

	pfd.fd = listen_fd;
	pfd.events = POLLIN;
	while (!stopping) {
		int n = ppoll(&pfd, 1, NULL, &wait_mask);

		if (n < 0) {
			if (errno != EINTR) {
				oms_error("worker: ppoll: %s", strerror(errno));
				sleep(1);
			}
			continue;
		}
		if (stopping)
			break;
		if (FCGX_Accept_r(&req) < 0)
			continue; /* another worker took it, or it went away */
		serve(&req, a, st, v, c, ++seq);
		FCGX_Finish_r(&req);
		oms_arena_reset(a);
	}
	FCGX_Free(&req, 1);
	oms_arena_free(&a);
	oms_views_free(&v);
	oms_store_close(&st);
#ifdef OMS_SANITIZE
	/* The sanitizer build: _exit skips LeakSanitizer's check at exit,
	 * so run it here, once this worker has freed what it holds. */
	__lsan_do_leak_check();
#endif
	_exit(0);
}

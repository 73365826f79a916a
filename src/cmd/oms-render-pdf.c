/*
 * oms-render-pdf.c: oms-render-pdf IN.html OUT.pdf [IN.html OUT.pdf ...]
 * renders printable HTML (xslt/pages/invoice-print.xsl's output through
 * the billing job: paper size, margins and "Page N of M" come from its
 * CSS @page, www/static/print.css) to PDF with
 * Debian's headless Chromium, the renderer docs/pdf-rendering.md chose
 * by measurement.  Meant for omsd's job process at issue time, never
 * for a request worker.
 *
 * One Chromium serves the whole batch: it is started once with
 * --remote-debugging-pipe and driven over the DevTools protocol (CDP):
 * JSON messages, each ended by a NUL byte, that Chromium reads from its
 * fd 3 and writes to its fd 4.  Per document, on one page target:
 * Page.navigate to the file:// URL, wait for that navigation's "load"
 * lifecycle event (its loaderId, so no earlier page's load is taken for
 * it), Page.printToPDF with preferCSSPageSize, base64 data decoded into
 * OUT.tmp.PID, checked ("%PDF-"), synced and renamed over OUT.  Starting
 * Chromium is most of a small document's cost; see docs/pdf-rendering.md.
 *
 * Each OUT is written whole or not at all.  The pairs are rendered in
 * order; the first failure stops the run.  Hardening, as the shell
 * script this replaces had it: a fresh profile in a temporary folder
 * (HOME and the XDG folders too; removed at exit), every host name
 * unresolvable (nothing is fetched from the network), no crash reporter,
 * --no-sandbox only as root, a time limit per document.  Chromium runs
 * in its own process group, dies with us (PR_SET_PDEATHSIG), and we are
 * the subreaper of its descendants: at the end the group is killed and
 * every descendant reaped, so no process of the run outlives it.
 * SIGTERM, SIGINT and SIGHUP stop the run the same way (exit 128 + the
 * signal); they are blocked except while waiting in ppoll(), so no
 * cleanup runs in a signal handler.
 *
 * The JSON handling is the least that works: requests are built with
 * snprintf (the only caller-supplied text, the file's path, is
 * percent-encoded into the URL, which leaves nothing to escape), and
 * replies are read by finding members of an object while skipping
 * values (strings with their escapes, nested objects and arrays).
 *
 * Environment:
 *   OMS_CHROMIUM     the browser (default: chromium on PATH)
 *   OMS_PDF_TIMEOUT  seconds a document may take (default 300; 0: none);
 *                    starting Chromium may take as long, at least 60 s
 *   TMPDIR           where the temporary profile goes (default /tmp)
 *   OMS_CDP_DEBUG    when set, the first 300 bytes of every message
 *                    from Chromium on stderr (for diagnosis)
 *
 * Exit status: 0 every PDF written; 1 a document failed (a message on
 * stderr naming the file, with Chromium's own messages; no OUT written
 * for it); 2 bad usage or an input that is not a readable file; 3
 * Chromium is not installed.
 *
 * Sections: signals and time; temporary folder; JSON reading; the CDP
 * pipe; the browser process; one document; main.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "oms.h"

#define PROG "oms-render-pdf"
#define READ_CHUNK 65536
#define MAX_MESSAGE (1024L * 1024 * 1024) /* a reply larger is refused */
#define ID_MAX 128                        /* session, loader id length */
#define CLOSE_WAIT_MS 10000 /* Chromium's time to exit on Browser.close */
#define START_MIN_S 60      /* Chromium's least time to start (loaded host) */

/*
 * Exit statuses, the contract of the shell script this replaces.
 */
enum exit_status {
	EXIT_WRITTEN = 0,   /* every PDF written */
	EXIT_FAILED = 1,    /* a document failed */
	EXIT_USAGE = 2,     /* bad usage or an unreadable input */
	EXIT_NOBROWSER = 3, /* Chromium is not installed */
};

/*
 * The error codes of this file, within enum oms_err: OMS_ERR_BUSY the
 * time limit passed; OMS_ERR_UNAVAILABLE Chromium exited or closed its
 * pipe; OMS_ERR_CONFLICT a stop signal arrived; OMS_ERR_INVAL Chromium
 * answered with an error or with something unreadable; OMS_ERR_IO a
 * local file or process operation failed; OMS_ERR_NOMEM.
 */

/* The CDP connection to the browser. */
struct cdp {
	int to;            /* our end of Chromium's fd 3 (requests), or -1 */
	int from;          /* our end of Chromium's fd 4 (replies), or -1 */
	char *buf;         /* bytes read from Chromium */
	size_t len;        /* bytes in buf */
	size_t cap;        /* buf's size */
	size_t used;       /* bytes of buf already handed out as messages */
	size_t scan;       /* bytes of buf known to hold no NUL */
	long next_id;      /* the id of the last request sent */
	char session[ID_MAX]; /* the page's session id, "" before attach */
	char loaded[ID_MAX];  /* loaderId of the last "load" event seen */
	int crashed;       /* the page crashed or was detached */
};

/* The browser process. */
struct browser {
	pid_t pid;       /* its pid (and process group), 0 when none */
	int status;      /* its wait status once reaped, else -1 */
	struct cdp cdp;  /* the pipe to it */
};

static volatile sig_atomic_t stop_signal; /* the stop signal caught, or 0 */
static sigset_t wait_mask; /* the mask while in ppoll: stop signals open */

/* ---- Signals and time ------------------------------------------------ */

/*
 * on_stop: the handler of SIGTERM, SIGINT and SIGHUP: remember the
 * signal.  The run notices it when ppoll() returns EINTR.
 */
static void
on_stop(int sig)
{
	stop_signal = sig;
}

/*
 * signals_setup: block the stop signals (they are delivered only inside
 * ppoll(), with wait_mask), catch them with on_stop, and ignore SIGPIPE
 * (a write to a dead Chromium fails with EPIPE instead).  Returns OMS_OK
 * or OMS_ERR_IO.
 */
static enum oms_err
signals_setup(void)
{
	struct sigaction sa;
	sigset_t stops;

	sigemptyset(&stops);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &stops, &wait_mask) == -1) {
		fprintf(stderr, PROG ": sigprocmask: %s\n", strerror(errno));
		return OMS_ERR_IO;
	}
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGHUP);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1) {
		fprintf(stderr, PROG ": sigaction: %s\n", strerror(errno));
		return OMS_ERR_IO;
	}
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1) {
		fprintf(stderr, PROG ": sigaction: %s\n", strerror(errno));
		return OMS_ERR_IO;
	}
	return OMS_OK;
}

/*
 * now_ms: the monotonic clock in milliseconds.
 */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * wait_fd: wait until fd is readable (or hung up), with the stop
 * signals open.  deadline is a now_ms() time, or -1 for none; fd may be
 * -1 to only sleep until the deadline or a signal.  Returns OMS_OK when
 * readable, OMS_ERR_BUSY when the deadline passed, OMS_ERR_CONFLICT on
 * a stop signal, OMS_ERR_IO when ppoll failed.
 */
static enum oms_err
wait_fd(int fd, int64_t deadline)
{
	struct pollfd p;
	struct timespec ts, *tsp;
	int64_t left;
	int n;

	for (;;) {
		if (stop_signal)
			return OMS_ERR_CONFLICT;
		tsp = NULL;
		if (deadline >= 0) {
			left = deadline - now_ms();
			if (left <= 0)
				return OMS_ERR_BUSY;
			ts.tv_sec = left / 1000;
			ts.tv_nsec = (left % 1000) * 1000000;
			tsp = &ts;
		}
		p.fd = fd;
		p.events = POLLIN;
		p.revents = 0;
		n = ppoll(&p, fd >= 0 ? 1 : 0, tsp, &wait_mask);
		if (n > 0)
			return OMS_OK;
		if (n == -1 && errno != EINTR) {
			fprintf(stderr, PROG ": ppoll: %s\n", strerror(errno));
			return OMS_ERR_IO;
		}
	}
}

/* ---- Temporary folder ------------------------------------------------ */

/*
 * rm_entry: nftw's callback for tmp_remove: remove one entry (children
 * come first, FTW_DEPTH).  Returns 0 to carry on.
 */
static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/*
 * tmp_remove: remove the temporary folder dir and all it holds,
 * without following symbolic links.  Errors are ignored (best effort at
 * exit).
 */
static void
tmp_remove(const char *dir)
{
	if (dir[0] != '\0')
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * log_copy: copy Chromium's messages (the file path) to stderr, for a
 * failure's diagnosis.
 */
static void
log_copy(const char *path)
{
	char b[4096];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		fwrite(b, 1, n, stderr);
	fclose(f);
}

/* ---- JSON reading ---------------------------------------------------- */

/*
 * json_ws: the first byte at or after p, before end, that is not JSON
 * white space.
 */
static const char *
json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * json_skip: the end of the JSON value starting at p (a string, object,
 * array or scalar), before end.  Returns the byte after it, or NULL when
 * the value is cut off.  Strings are skipped with their escapes; nested
 * objects and arrays by depth, strings inside them included.
 */
static const char *
json_skip(const char *p, const char *end)
{
	int depth = 0;

	p = json_ws(p, end);
	if (p >= end)
		return NULL;
	do {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return NULL;
			p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return NULL;
			depth--;
			p++;
		} else if (depth > 0) {
			p++;
		} else {
			/* A scalar at the top: up to a delimiter. */
			while (p < end && *p != ',' && *p != '}' && *p != ']' &&
			    *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
				p++;
			return p;
		}
	} while (depth > 0 && p < end);
	return depth == 0 ? p : NULL;
}

/*
 * json_get: find member key (plain text, no escapes) among the members
 * of the object [obj, end).  On success *v and *vend bound its value
 * (borrowed, within the object) and 1 is returned; 0 when absent or the
 * object is malformed.
 */
static int
json_get(const char *obj, const char *end, const char *key, const char **v,
    const char **vend)
{
	size_t klen = strlen(key);
	const char *p = json_ws(obj, end), *k, *kend;

	if (p >= end || *p != '{')
		return 0;
	p++;
	for (;;) {
		p = json_ws(p, end);
		if (p >= end || *p != '"')
			return 0;
		k = p + 1;
		if ((kend = json_skip(p, end)) == NULL)
			return 0;
		p = json_ws(kend, end);
		if (p >= end || *p != ':')
			return 0;
		p = json_ws(p + 1, end);
		if ((*vend = json_skip(p, end)) == NULL)
			return 0;
		if ((size_t)(kend - 1 - k) == klen && memcmp(k, key, klen) == 0) {
			*v = p;
			return 1;
		}
		p = json_ws(*vend, end);
		if (p >= end || *p != ',')
			return 0;
		p++;
	}
}

/*
 * json_str: copy the JSON string [v, vend) without its quotes into out
 * (size n).  Returns OMS_OK, or OMS_ERR_INVAL when it is not a string,
 * holds an escape or does not fit (ids and names never do).
 */
static enum oms_err
json_str(const char *v, const char *vend, char *out, size_t n)
{
	size_t len;

	if (vend - v < 2 || v[0] != '"' || vend[-1] != '"')
		return OMS_ERR_INVAL;
	len = (size_t)(vend - v) - 2;
	if (len >= n || memchr(v + 1, '\\', len) != NULL)
		return OMS_ERR_INVAL;
	memcpy(out, v + 1, len);
	out[len] = '\0';
	return OMS_OK;
}

/*
 * json_member_is: whether member key of object [m, end) is the string
 * want.  Returns 1 or 0.
 */
static int
json_member_is(const char *m, const char *end, const char *key,
    const char *want)
{
	const char *v, *vend;
	size_t n = strlen(want);

	return json_get(m, end, key, &v, &vend) && (size_t)(vend - v) == n + 2 &&
	    v[0] == '"' && memcmp(v + 1, want, n) == 0;
}

/* ---- The CDP pipe ---------------------------------------------------- */

/*
 * cdp_send: send one message (a NUL-terminated JSON text) to Chromium,
 * the NUL included.  Returns OMS_OK, OMS_ERR_UNAVAILABLE when Chromium
 * has closed its end, OMS_ERR_IO on another write error.
 */
static enum oms_err
cdp_send(struct cdp *c, const char *msg)
{
	size_t n = strlen(msg) + 1, off = 0;
	ssize_t w;

	while (off < n) {
		w = write(c->to, msg + off, n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			if (errno == EPIPE)
				return OMS_ERR_UNAVAILABLE;
			fprintf(stderr, PROG ": write to Chromium: %s\n",
			    strerror(errno));
			return OMS_ERR_IO;
		}
		off += (size_t)w;
	}
	return OMS_OK;
}

/*
 * cdp_next: the next message from Chromium, waiting until deadline
 * (now_ms() time, -1 none).  *msg, *end bound it (borrowed from c->buf:
 * valid until the next cdp_next).  Returns OMS_OK, OMS_ERR_UNAVAILABLE
 * when Chromium closed its pipe (exited), OMS_ERR_BUSY past the
 * deadline, OMS_ERR_CONFLICT on a stop signal, OMS_ERR_NOMEM,
 * OMS_ERR_TOOBIG past MAX_MESSAGE, OMS_ERR_IO.
 */
static enum oms_err
cdp_next(struct cdp *c, int64_t deadline, const char **msg, const char **end)
{
	enum oms_err e;
	char *nul, *nb;
	size_t ncap;
	ssize_t n;

	if (c->used > 0) {
		memmove(c->buf, c->buf + c->used, c->len - c->used);
		c->len -= c->used;
		c->used = 0;
		c->scan = 0;
	}
	for (;;) {
		nul = memchr(c->buf + c->scan, '\0', c->len - c->scan);
		if (nul != NULL) {
			*msg = c->buf;
			*end = nul;
			if (getenv("OMS_CDP_DEBUG"))
				fprintf(stderr, "<< %.300s\n", c->buf);
			c->used = (size_t)(nul - c->buf) + 1;
			return OMS_OK;
		}
		c->scan = c->len;
		if (c->cap - c->len < READ_CHUNK) {
			ncap = c->cap * 2;
			if (ncap > MAX_MESSAGE) {
				fprintf(stderr, PROG ": a reply of Chromium "
				    "is over %ld bytes\n", MAX_MESSAGE);
				return OMS_ERR_TOOBIG;
			}
			if ((nb = realloc(c->buf, ncap)) == NULL) {
				fprintf(stderr, PROG ": out of memory\n");
				return OMS_ERR_NOMEM;
			}
			c->buf = nb;
			c->cap = ncap;
		}
		if ((e = wait_fd(c->from, deadline)) != OMS_OK)
			return e;
		n = read(c->from, c->buf + c->len, c->cap - c->len);
		if (n == 0)
			return OMS_ERR_UNAVAILABLE;
		if (n == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ECONNRESET)
				return OMS_ERR_UNAVAILABLE;
			fprintf(stderr, PROG ": read from Chromium: %s\n",
			    strerror(errno));
			return OMS_ERR_IO;
		}
		c->len += (size_t)n;
	}
}

/*
 * cdp_event: note what an event [m, end) tells about our page: the
 * loaderId of a "load" lifecycle event, a crash or a detach.
 */
static void
cdp_event(struct cdp *c, const char *m, const char *end)
{
	const char *v, *vend, *pv, *pend;

	if (!json_get(m, end, "method", &v, &vend))
		return;
	if (c->session[0] != '\0' &&
	    !json_member_is(m, end, "sessionId", c->session) &&
	    !json_member_is(m, end, "method", "Target.detachedFromTarget"))
		return;
	if (json_member_is(m, end, "method", "Page.lifecycleEvent")) {
		if (json_get(m, end, "params", &pv, &pend) &&
		    json_member_is(pv, pend, "name", "load") &&
		    json_get(pv, pend, "loaderId", &v, &vend))
			json_str(v, vend, c->loaded, sizeof c->loaded);
	} else if (json_member_is(m, end, "method", "Inspector.targetCrashed")) {
		c->crashed = 1;
	} else if (json_member_is(m, end, "method",
	    "Target.detachedFromTarget")) {
		if (json_get(m, end, "params", &pv, &pend) &&
		    json_member_is(pv, pend, "sessionId", c->session))
			c->crashed = 1;
	}
}

/*
 * cdp_call: send method with params (a JSON object text, or NULL for
 * none) on the page's session when session is set (else to the
 * browser), and wait until deadline for its reply, noting the events
 * that come first.  On OMS_OK *res, *rend bound the reply's "result"
 * object (borrowed from c->buf: valid until the next cdp_next).  Returns
 * the codes of cdp_next, OMS_ERR_INVAL when Chromium answered with an
 * error (printed) or the page crashed, OMS_ERR_NOMEM.
 */
static enum oms_err
cdp_call(struct cdp *c, int session, const char *method, const char *params,
    int64_t deadline, const char **res, const char **rend)
{
	const char *m, *end, *v, *vend;
	enum oms_err e;
	char *req;
	size_t n;
	long id = ++c->next_id;

	n = strlen(method) + (params ? strlen(params) : 2) +
	    strlen(c->session) + 80;
	if ((req = malloc(n)) == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		return OMS_ERR_NOMEM;
	}
	if (session)
		snprintf(req, n, "{\"id\":%ld,\"sessionId\":\"%s\","
		    "\"method\":\"%s\",\"params\":%s}", id, c->session, method,
		    params ? params : "{}");
	else
		snprintf(req, n, "{\"id\":%ld,\"method\":\"%s\",\"params\":%s}",
		    id, method, params ? params : "{}");
	e = cdp_send(c, req);
	free(req);
	if (e != OMS_OK)
		return e;
	for (;;) {
		if ((e = cdp_next(c, deadline, &m, &end)) != OMS_OK)
			return e;
		if (!json_get(m, end, "id", &v, &vend)) {
			cdp_event(c, m, end);
			if (session && c->crashed) {
				fprintf(stderr, PROG ": the page crashed\n");
				return OMS_ERR_INVAL;
			}
			continue;
		}
		if (strtol(v, NULL, 10) != id)
			continue;
		if (json_get(m, end, "error", &v, &vend)) {
			fprintf(stderr, PROG ": %s: Chromium answered %.*s\n",
			    method, (int)(vend - v > 400 ? 400 : vend - v), v);
			return OMS_ERR_INVAL;
		}
		if (!json_get(m, end, "result", res, rend)) {
			fprintf(stderr, PROG ": %s: a reply without result\n",
			    method);
			return OMS_ERR_INVAL;
		}
		return OMS_OK;
	}
}

/* ---- The browser process --------------------------------------------- */

/*
 * find_program: the path of program name: itself when it holds a "/"
 * (if executable), else the first executable one on PATH, copied into
 * out (size n).  Returns 1 when found, 0 when not.
 */
static int
find_program(const char *name, char *out, size_t n)
{
	const char *path = getenv("PATH"), *p, *colon;
	size_t dlen;
	struct stat st;

	if (name[0] == '\0')
		return 0;
	if (strchr(name, '/') != NULL) {
		if (strlen(name) >= n || access(name, X_OK) != 0)
			return 0;
		strcpy(out, name);
		return 1;
	}
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		colon = strchr(p, ':');
		dlen = colon ? (size_t)(colon - p) : strlen(p);
		if (dlen == 0)
			dlen = 1, p = ".";
		if ((size_t)snprintf(out, n, "%.*s/%s", (int)dlen, p, name) < n &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(out, X_OK) == 0)
			return 1;
		if (colon == NULL)
			return 0;
	}
}

/*
 * child_exec: in the forked child, become Chromium: own process group,
 * killed when we die, stop signals back to their defaults, stdin from
 * /dev/null, stdout and stderr to log, fd 3 and 4 the CDP pipe, HOME,
 * TMPDIR and the XDG folders in tmp; parent is our pid.  Never returns
 * (_exit(127) when exec fails).
 */
static void
child_exec(const char *const *argv, const char *tmp, int req_r, int rep_w,
    int log, pid_t parent)
{
	struct sigaction sa;
	sigset_t none;
	int r, w, null;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* We may have died before PR_SET_PDEATHSIG took. */
	if (getppid() != parent)
		_exit(127);
	r = fcntl(req_r, F_DUPFD_CLOEXEC, 10);
	w = fcntl(rep_w, F_DUPFD_CLOEXEC, 10);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (r == -1 || w == -1 || null == -1 || dup2(null, 0) == -1 ||
	    dup2(log, 1) == -1 || dup2(log, 2) == -1 || dup2(r, 3) == -1 ||
	    dup2(w, 4) == -1)
		_exit(127);
	setenv("HOME", tmp, 1);
	setenv("XDG_CONFIG_HOME", tmp, 1);
	setenv("XDG_CACHE_HOME", tmp, 1);
	/* Its singleton socket folder too: gone with tmp, even after a kill. */
	setenv("TMPDIR", tmp, 1);
	execv(argv[0], (char *const *)argv);
	fprintf(stderr, PROG ": %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * browser_start: start Chromium (the executable path) for the run, its
 * profile in tmp/profile and its messages in logpath, and open a page
 * session on a new about:blank target.  deadline bounds the start.
 * Returns OMS_OK with b->pid and b->cdp set; else the codes of cdp_call
 * (b->pid may be set: browser_stop cleans up either way).
 */
static enum oms_err
browser_start(struct browser *b, const char *path, const char *tmp,
    const char *logpath, int64_t deadline)
{
	char profile[PATH_MAX + 32];
	const char *argv[24], *r, *rend, *v, *vend;
	int req[2] = {-1, -1}, rep[2] = {-1, -1}, log = -1, i = 0;
	char tid[ID_MAX];
	enum oms_err e = OMS_ERR_IO;
	pid_t pid, me = getpid();

	snprintf(profile, sizeof profile, "--user-data-dir=%s/profile", tmp);
	argv[i++] = path;
	argv[i++] = "--headless";
	if (geteuid() == 0)
		argv[i++] = "--no-sandbox"; /* Chromium refuses it to root */
	argv[i++] = "--disable-gpu";
	argv[i++] = "--disable-quic";
	argv[i++] = "--no-first-run";
	argv[i++] = "--no-default-browser-check";
	argv[i++] = "--disable-sync";
	argv[i++] = "--disable-background-networking";
	argv[i++] = "--disable-component-update";
	argv[i++] = "--disable-crash-reporter";
	argv[i++] = "--disable-breakpad";
	argv[i++] = "--disable-extensions";
	argv[i++] = "--host-resolver-rules=MAP * ~NOTFOUND";
	argv[i++] = profile;
	/* No --no-pdf-header-footer: over the pipe it gets the renderer
	 * killed (Chromium 156); Page.printToPDF prints no header or
	 * footer unless asked (displayHeaderFooter). */
	argv[i++] = "--remote-debugging-pipe";
	/* Its first tab blank: no New Tab page and its renderer. */
	argv[i++] = "about:blank";
	argv[i++] = NULL;

	if (pipe2(req, O_CLOEXEC) == -1 || pipe2(rep, O_CLOEXEC) == -1) {
		fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
		goto out;
	}
	log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log == -1) {
		fprintf(stderr, PROG ": %s: %s\n", logpath, strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(argv, tmp, req[0], rep[1], log, me);
	setpgid(pid, pid); /* as the child does: no race with a kill */
	b->pid = pid;
	b->cdp.to = req[1];
	b->cdp.from = rep[0];
	req[1] = rep[0] = -1;
	/* Chromium's ends: closed here, so its exit is an end of file. */
	close(req[0]);
	close(rep[1]);
	close(log);
	req[0] = rep[1] = log = -1;

	e = cdp_call(&b->cdp, 0, "Target.createTarget",
	    "{\"url\":\"about:blank\"}", deadline, &r, &rend);
	if (e != OMS_OK)
		goto out;
	if (!json_get(r, rend, "targetId", &v, &vend) ||
	    json_str(v, vend, tid, sizeof tid) != OMS_OK) {
		fprintf(stderr, PROG ": Target.createTarget: no targetId\n");
		e = OMS_ERR_INVAL;
		goto out;
	}
	{
		char params[ID_MAX + 64];

		snprintf(params, sizeof params,
		    "{\"targetId\":\"%s\",\"flatten\":true}", tid);
		e = cdp_call(&b->cdp, 0, "Target.attachToTarget", params,
		    deadline, &r, &rend);
	}
	if (e != OMS_OK)
		goto out;
	if (!json_get(r, rend, "sessionId", &v, &vend) ||
	    json_str(v, vend, b->cdp.session, sizeof b->cdp.session) !=
	    OMS_OK) {
		fprintf(stderr, PROG ": Target.attachToTarget: no sessionId\n");
		e = OMS_ERR_INVAL;
		goto out;
	}
	if ((e = cdp_call(&b->cdp, 1, "Page.enable", NULL, deadline, &r,
	    &rend)) != OMS_OK)
		goto out;
	e = cdp_call(&b->cdp, 1, "Page.setLifecycleEventsEnabled",
	    "{\"enabled\":true}", deadline, &r, &rend);
out:
	if (req[0] != -1)
		close(req[0]);
	if (req[1] != -1)
		close(req[1]);
	if (rep[0] != -1)
		close(rep[0]);
	if (rep[1] != -1)
		close(rep[1]);
	if (log != -1)
		close(log);
	return e;
}

/*
 * kill_orphans: SIGKILL every process whose parent is us (descendants
 * of Chromium that left its process group and were reparented to us,
 * the subreaper, once the browser itself is reaped).
 */
static void
kill_orphans(void)
{
	char path[300], buf[512], *p;
	pid_t me = getpid();
	struct dirent *de;
	DIR *d;
	FILE *f;
	int pid, ppid;

	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if ((pid = atoi(de->d_name)) <= 0)
			continue;
		/* /proc/PID/stat: "pid (comm) state ppid ...". */
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		p = fgets(buf, sizeof buf, f);
		fclose(f);
		if (p == NULL || (p = strrchr(buf, ')')) == NULL)
			continue;
		if (sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == me)
			kill(pid, SIGKILL);
	}
	closedir(d);
}

/*
 * nap: sleep ms milliseconds, stop signals staying blocked (pending
 * ones are seen by the next wait_fd).
 */
static void
nap(int ms)
{
	poll(NULL, 0, ms);
}

/*
 * browser_stop: end the browser and every process it started, and reap
 * them.  With graceful, ask it first (Browser.close) and give it
 * CLOSE_WAIT_MS to exit; then (or at once) SIGKILL its process group.
 * Every descendant reparented to us (we are their subreaper) is reaped
 * before returning, so none outlives the run.  Frees the pipe's buffer;
 * b is left with no browser.
 */
static void
browser_stop(struct browser *b, int graceful)
{
	int64_t deadline = now_ms() + CLOSE_WAIT_MS;
	siginfo_t si;
	int status, killed = 0;
	pid_t p;

	if (b->pid > 0 && graceful && b->cdp.to != -1 && !stop_signal) {
		char req[64];

		snprintf(req, sizeof req,
		    "{\"id\":%ld,\"method\":\"Browser.close\"}",
		    ++b->cdp.next_id);
		if (cdp_send(&b->cdp, req) == OMS_OK) {
			const char *m, *end;

			/* Its pipe closes when it exits. */
			while (cdp_next(&b->cdp, deadline, &m, &end) == OMS_OK)
				;
		}
	}
	if (b->cdp.to != -1)
		close(b->cdp.to);
	if (b->cdp.from != -1)
		close(b->cdp.from);
	b->cdp.to = b->cdp.from = -1;
	free(b->cdp.buf);
	b->cdp.buf = NULL;
	if (b->pid <= 0)
		return;
	if (!graceful || stop_signal)
		deadline = now_ms();
	/* Wait for the browser to exit, without reaping it: while it is a
	 * zombie its pid, its group's id, cannot be reused. */
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, b->pid, &si, WEXITED | WNOHANG | WNOWAIT) ==
		    -1 || si.si_pid == b->pid)
			break;
		if (!killed && now_ms() >= deadline) {
			kill(-b->pid, SIGKILL);
			killed = 1;
		}
		if (!killed && stop_signal) {
			kill(-b->pid, SIGKILL);
			killed = 1;
		}
		nap(20);
	}
	kill(-b->pid, SIGKILL); /* whatever of its group is left */
	if (waitpid(b->pid, &status, 0) == b->pid)
		b->status = status;
	b->pid = 0;
	/* Descendants that outlived it were reparented to us. */
	deadline = now_ms() + 5000;
	for (;;) {
		p = waitpid(-1, &status, WNOHANG);
		if (p > 0)
			continue;
		if (p == -1 && errno == EINTR)
			continue;
		if (p == -1)
			break; /* ECHILD: none left */
		if (now_ms() >= deadline) {
			kill_orphans();
			deadline = now_ms() + 5000;
		}
		nap(10);
	}
}

/* ---- One document ---------------------------------------------------- */

/*
 * file_url: the file:// URL of the absolute path abs, every byte
 * outside [A-Za-z0-9/._~-] percent-encoded (so the URL needs no JSON
 * escaping either).  Returns a string the caller frees, or NULL when
 * out of memory.
 */
static char *
file_url(const char *abs)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(abs);
	char *url, *q;
	const unsigned char *p;

	if ((url = malloc(3 * n + sizeof "file://")) == NULL)
		return NULL;
	q = url + strlen(strcpy(url, "file://"));
	for (p = (const unsigned char *)abs; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '.' ||
		    *p == '_' || *p == '~' || *p == '-') {
			*q++ = (char)*p;
		} else {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		}
	}
	*q = '\0';
	return url;
}

/*
 * b64_decode: decode the base64 text [s, end) (a JSON string's content:
 * a backslash, as in an escaped "\/", is skipped) into out, which has
 * room for (end - s) / 4 * 3 + 3 bytes.  Returns the bytes decoded, or
 * (size_t)-1 when a byte is not base64.
 */
static size_t
b64_decode(const char *s, const char *end, unsigned char *out)
{
	unsigned int acc = 0, bits = 0, v;
	size_t n = 0;

	for (; s < end; s++) {
		if (*s >= 'A' && *s <= 'Z')
			v = (unsigned int)(*s - 'A');
		else if (*s >= 'a' && *s <= 'z')
			v = (unsigned int)(*s - 'a') + 26;
		else if (*s >= '0' && *s <= '9')
			v = (unsigned int)(*s - '0') + 52;
		else if (*s == '+')
			v = 62;
		else if (*s == '/')
			v = 63;
		else if (*s == '\\')
			continue;
		else if (*s == '=')
			break;
		else
			return (size_t)-1;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return n;
}

/*
 * write_whole: write the n bytes of pdf to out whole or not at all:
 * into out.tmp.PID beside it, synced, then renamed over out.  On failure
 * the partial file is removed and the reason printed.  Returns OMS_OK,
 * OMS_ERR_IO or OMS_ERR_NOMEM.
 */
static enum oms_err
write_whole(const char *out, const unsigned char *pdf, size_t n)
{
	size_t plen = strlen(out) + 32, off = 0;
	enum oms_err e = OMS_ERR_IO;
	char *part;
	ssize_t w;
	int fd;

	if ((part = malloc(plen)) == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		return OMS_ERR_NOMEM;
	}
	snprintf(part, plen, "%s.tmp.%ld", out, (long)getpid());
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd == -1) {
		fprintf(stderr, PROG ": %s: %s\n", part, strerror(errno));
		free(part);
		return OMS_ERR_IO;
	}
	while (off < n) {
		w = write(fd, pdf + off, n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			fprintf(stderr, PROG ": %s: %s\n", part, strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	if (fsync(fd) == -1) {
		fprintf(stderr, PROG ": %s: fsync: %s\n", part, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		fprintf(stderr, PROG ": %s: close: %s\n", part, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(part, out) == -1) {
		fprintf(stderr, PROG ": rename %s to %s: %s\n", part, out,
		    strerror(errno));
		goto out;
	}
	e = OMS_OK;
out:
	if (fd != -1)
		close(fd);
	if (e != OMS_OK)
		unlink(part);
	free(part);
	return e;
}

/*
 * render_doc: render the HTML file in to the PDF file out on the page
 * of c, by deadline (now_ms() time, -1 none): navigate, wait for that
 * navigation's load, print, decode, check and write whole.  Returns
 * OMS_OK; the codes of cdp_call and write_whole; OMS_ERR_INVAL when the
 * page did not load or what came back is no PDF (printed).
 */
static enum oms_err
render_doc(struct cdp *c, const char *in, const char *out, int64_t deadline)
{
	char abs[PATH_MAX], loader[ID_MAX], *url = NULL, *params = NULL;
	const char *r, *rend, *v, *vend, *m, *end;
	unsigned char *pdf = NULL;
	enum oms_err e = OMS_ERR_NOMEM;
	size_t n;

	if (realpath(in, abs) == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", in, strerror(errno));
		return OMS_ERR_IO;
	}
	if ((url = file_url(abs)) == NULL ||
	    (params = malloc(strlen(url) + 16)) == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	snprintf(params, strlen(url) + 16, "{\"url\":\"%s\"}", url);
	c->loaded[0] = '\0';
	c->crashed = 0;
	e = cdp_call(c, 1, "Page.navigate", params, deadline, &r, &rend);
	if (e != OMS_OK)
		goto out;
	if (json_get(r, rend, "errorText", &v, &vend)) {
		fprintf(stderr, PROG ": %s: Page.navigate: %.*s\n", in,
		    (int)(vend - v > 400 ? 400 : vend - v), v);
		e = OMS_ERR_INVAL;
		goto out;
	}
	if (!json_get(r, rend, "loaderId", &v, &vend) ||
	    json_str(v, vend, loader, sizeof loader) != OMS_OK) {
		fprintf(stderr, PROG ": %s: Page.navigate: no loaderId\n", in);
		e = OMS_ERR_INVAL;
		goto out;
	}
	/* Its load event may have come before the reply: c->loaded. */
	while (strcmp(c->loaded, loader) != 0) {
		if ((e = cdp_next(c, deadline, &m, &end)) != OMS_OK)
			goto out;
		if (!json_get(m, end, "id", &v, &vend))
			cdp_event(c, m, end);
		if (c->crashed) {
			fprintf(stderr, PROG ": %s: the page crashed\n", in);
			e = OMS_ERR_INVAL;
			goto out;
		}
	}
	e = cdp_call(c, 1, "Page.printToPDF",
	    "{\"preferCSSPageSize\":true,\"printBackground\":true}", deadline,
	    &r, &rend);
	if (e != OMS_OK)
		goto out;
	if (!json_get(r, rend, "data", &v, &vend) || vend - v < 2 ||
	    *v != '"') {
		fprintf(stderr, PROG ": %s: Page.printToPDF: no data\n", in);
		e = OMS_ERR_INVAL;
		goto out;
	}
	if ((pdf = malloc((size_t)(vend - v) / 4 * 3 + 3)) == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		e = OMS_ERR_NOMEM;
		goto out;
	}
	n = b64_decode(v + 1, vend - 1, pdf);
	if (n == (size_t)-1 || n < 5 || memcmp(pdf, "%PDF-", 5) != 0) {
		fprintf(stderr, PROG ": %s: no PDF came out\n", in);
		e = OMS_ERR_INVAL;
		goto out;
	}
	e = write_whole(out, pdf, n);
out:
	free(pdf);
	free(params);
	free(url);
	return e;
}

/* ---- main ------------------------------------------------------------ */

/*
 * readable: whether path is a regular file we may read.  Returns 1 or 0.
 */
static int
readable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, R_OK) == 0;
}

/*
 * reason: the words for a failed document's error e, for the message
 * naming the file.
 */
static const char *
reason(enum oms_err e)
{
	switch (e) {
	case OMS_ERR_BUSY:
		return "no PDF within the time limit (OMS_PDF_TIMEOUT)";
	case OMS_ERR_UNAVAILABLE:
		return "Chromium exited";
	case OMS_ERR_CONFLICT:
		return "stopped by a signal";
	case OMS_ERR_IO:
		return "the PDF could not be written";
	default:
		return "Chromium failed";
	}
}

/*
 * main: check the command line and environment, render each pair in
 * order with one Chromium, stop at the first failure, clean up.  Exits
 * with enum exit_status, or 128 + the signal when stopped by one.
 */
int
main(int argc, char **argv)
{
	char path[PATH_MAX], tmp[PATH_MAX], logpath[PATH_MAX + 8];
	const char *name, *t, *base, *failed = NULL;
	struct browser b;
	enum oms_err e = OMS_OK;
	int64_t deadline;
	long limit = 300;
	int i, rc = EXIT_WRITTEN;
	char *endp;

	if (argc < 3 || (argc - 1) % 2 != 0) {
		fprintf(stderr, "usage: " PROG
		    " IN.html OUT.pdf [IN.html OUT.pdf ...]\n");
		return EXIT_USAGE;
	}
	name = getenv("OMS_CHROMIUM");
	if (name == NULL || name[0] == '\0')
		name = "chromium";
	if (!find_program(name, path, sizeof path)) {
		fprintf(stderr, PROG ": %s is not installed (Debian package "
		    "chromium)\n", name);
		return EXIT_NOBROWSER;
	}
	if ((t = getenv("OMS_PDF_TIMEOUT")) != NULL && t[0] != '\0') {
		errno = 0;
		limit = strtol(t, &endp, 10);
		if (*t < '0' || *t > '9' || *endp != '\0' || errno != 0 ||
		    limit > 10000000) {
			fprintf(stderr, PROG ": OMS_PDF_TIMEOUT must be whole "
			    "seconds\n");
			return EXIT_USAGE;
		}
	}
	if (signals_setup() != OMS_OK)
		return EXIT_FAILED;
	/* Chromium's orphaned descendants come to us, to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if ((base = getenv("TMPDIR")) == NULL || base[0] == '\0')
		base = "/tmp";
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/" PROG ".XXXXXX", base) >=
	    sizeof tmp - 64 || mkdtemp(tmp) == NULL) {
		fprintf(stderr, PROG ": cannot make a temporary folder in %s: "
		    "%s\n", base, strerror(errno));
		return EXIT_FAILED;
	}
	snprintf(logpath, sizeof logpath, "%s/log", tmp);

	memset(&b, 0, sizeof b);
	b.status = -1;
	b.cdp.to = b.cdp.from = -1;
	b.cdp.cap = 4 * READ_CHUNK;
	if ((b.cdp.buf = malloc(b.cdp.cap)) == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		tmp_remove(tmp);
		return EXIT_FAILED;
	}
	for (i = 1; i + 1 < argc && !stop_signal; i += 2) {
		if (!readable(argv[i])) {
			fprintf(stderr, PROG ": %s: not a readable file\n",
			    argv[i]);
			rc = EXIT_USAGE;
			break;
		}
		if (b.pid == 0) {
			/* Starting is not the document's time: on a loaded
			 * host it alone can take seconds. */
			deadline = limit > 0 ? now_ms() + 1000 *
			    (limit > START_MIN_S ? limit : START_MIN_S) : -1;
			e = browser_start(&b, path, tmp, logpath, deadline);
			if (e != OMS_OK) {
				failed = argv[i];
				rc = EXIT_FAILED;
				break;
			}
		}
		deadline = limit > 0 ? now_ms() + limit * 1000 : -1;
		if ((e = render_doc(&b.cdp, argv[i], argv[i + 1], deadline)) !=
		    OMS_OK) {
			failed = argv[i];
			rc = EXIT_FAILED;
			break;
		}
	}
	browser_stop(&b, 1);
	if (failed != NULL && !stop_signal) {
		log_copy(logpath);
		if (e == OMS_ERR_UNAVAILABLE && b.status != -1 &&
		    WIFEXITED(b.status))
			fprintf(stderr, PROG ": %s: %s (status %d)\n", failed,
			    reason(e), WEXITSTATUS(b.status));
		else if (e == OMS_ERR_UNAVAILABLE && b.status != -1 &&
		    WIFSIGNALED(b.status))
			fprintf(stderr, PROG ": %s: %s (signal %d)\n", failed,
			    reason(e), WTERMSIG(b.status));
		else
			fprintf(stderr, PROG ": %s: %s\n", failed, reason(e));
	}
	tmp_remove(tmp);
	if (stop_signal) {
		fprintf(stderr, PROG ": stopped by signal %d\n",
		    (int)stop_signal);
		return 128 + stop_signal;
	}
	return rc;
}

/*
 * test_filedrop.c: the XML file-drop adapter (backends/exchange/
 * filedrop.c; docs/integration-guide.md, "XML file drop").
 *
 * Files appear in out/ atomically (a child process polls out/ while
 * the parent writes large bodies: every file it opens is complete, no
 * temporary name ever shows); the file and then out/ are fsync'ed
 * (fsync is wrapped: counted, and failed on demand); write errors
 * (a file-size limit, the honest stand-in for a full disk under root;
 * a folder that is a file) are OMS_X_RETRY with nothing left behind.
 * Acknowledgements are matched by the message id inside and by file
 * name; one for another id stays filed; malformed ones are quarantined
 * with a reason and the good ones beside them still match; a collect
 * repeated after a crash answers again; a resend supersedes the old
 * acknowledgement.  No database.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "exchange.h"
#include "../tap.h"

/* ------------------------------------------------------- fsync wrapped */

int __real_fsync(int fd);
int __wrap_fsync(int fd);

static int fsync_calls;     /* fsync calls since the last reset */
static int fsync_fail_at;   /* the call (1-based) that fails, 0 none */
static char fsync_watch[1024]; /* a path whose existence each call notes */
static int fsync_saw[8];    /* 1 when fsync_watch existed at call i */

/*
 * fsync as the adapter sees it: counted, failed with EIO at call
 * fsync_fail_at, and noting whether fsync_watch exists at each call.
 */
int
__wrap_fsync(int fd)
{
	struct stat sb;

	fsync_calls++;
	if (fsync_calls <= 8)
		fsync_saw[fsync_calls - 1] = fsync_watch[0] != '\0' &&
		    stat(fsync_watch, &sb) == 0;
	if (fsync_fail_at != 0 && fsync_calls == fsync_fail_at) {
		errno = EIO;
		return -1;
	}
	return __real_fsync(fd);
}

/* Reset the fsync counters; watch path (or NULL). */
static void
fsync_reset(const char *watch, int fail_at)
{
	fsync_calls = 0;
	fsync_fail_at = fail_at;
	snprintf(fsync_watch, sizeof(fsync_watch), "%s", watch ? watch : "");
	memset(fsync_saw, 0, sizeof(fsync_saw));
}

/* -------------------------------------------------------------- helpers */

static char base[256];               /* the exchange folder */
static struct oms_arena *arena;
static const struct oms_adapter_ops *ops = &oms_adapter_filedrop;

/* base/rel into a static buffer (two in turn). */
static const char *
at(const char *rel)
{
	static char buf[2][2048];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, rel);
	return buf[i];
}

/* Message id number n, in our shape (oms- and a version 4 UUID). */
static const char *
mid(unsigned n)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]),
	    "oms-%08x-0000-4000-8000-%012x", n, n * 7u);
	return buf[i];
}

/* 1 when path exists (not following a link). */
static int
exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

/* Write len bytes to path; with old, date it a minute back (a file the
 * legacy side finished writing).  0 or -1. */
static int
put(const char *path, const char *p, size_t len, int old)
{
	FILE *f = fopen(path, "w");
	struct timespec ts[2];

	if (f == NULL)
		return -1;
	if (fwrite(p, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0)
		return -1;
	if (old) {
		clock_gettime(CLOCK_REALTIME, &ts[0]);
		ts[0].tv_sec -= 60;
		ts[1] = ts[0];
		return utimensat(AT_FDCWD, path, ts, 0);
	}
	return 0;
}

/* put() of a string, dated back. */
static int
puts_old(const char *rel, const char *s)
{
	return put(at(rel), s, strlen(s), 1);
}

/* The whole file at path, malloc'ed and NUL-terminated (the caller
 * frees), its length in *len; NULL when it cannot be read. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	do {
		if (n + 65536 + 1 > cap) {
			cap = (n + 65536 + 1) * 2;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				fclose(f);
				return NULL;
			}
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

/* 1 when the file at path holds exactly the string s. */
static int
holds(const char *path, const char *s)
{
	size_t n;
	char *b = slurp(path, &n);
	int eq = b != NULL && n == strlen(s) && memcmp(b, s, n) == 0;

	free(b);
	return eq;
}

/* 1 when the file at path contains the string s. */
static int
contains(const char *path, const char *s)
{
	char *b = slurp(path, NULL);
	int in = b != NULL && strstr(b, s) != NULL;

	free(b);
	return in;
}

/* Files in folder rel whose names end in suffix ("" all), not counting
 * dot files and folders. */
static int
count(const char *rel, const char *suffix)
{
	DIR *d = opendir(at(rel));
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), s = strlen(suffix);

		if (de->d_name[0] == '.' || de->d_type == DT_DIR)
			continue;
		if (l >= s && strcmp(de->d_name + l - s, suffix) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Send body under id; the result, the reply in *reply. */
static enum oms_xresult
send1(void *self, const char *id, const char *body, size_t len,
    struct oms_xreply *reply)
{
	struct oms_xreq req = {0};

	req.message_id = id;
	req.kind = "PlaceOrder";
	req.body = body;
	req.len = len;
	req.a = arena;
	memset(reply, 0, sizeof(*reply));
	return ops->send(self, &req, reply);
}

/* Collect id; the result, the reply in *reply. */
static enum oms_xresult
collect1(void *self, const char *id, struct oms_xreply *reply)
{
	memset(reply, 0, sizeof(*reply));
	return ops->collect(self, id, arena, reply);
}

/* An example acknowledgement of id with result res. */
static const char *
ack(const char *id, const char *res)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "<?xml version=\"1.0\"?>\n<OmsAck>"
	    "<messageId>%s</messageId><result>%s</result>"
	    "<legacyRef>L-%s</legacyRef></OmsAck>\n", id, res, id + 4);
	return buf[i];
}

/* -------------------------------------------------------------- open */

/* open(): the folder must exist; the subfolders are made. */
static void *
test_open(void)
{
	struct oms_exchange_conf x;
	char err[256];
	void *self = NULL;
	enum oms_err rc;
	static const char *const subs[] = {"out", "ack", "quarantine", "tmp",
	    "ack/done", "ack/old"};
	int all = 1;

	memset(&x, 0, sizeof(x));
	snprintf(x.name, sizeof(x.name), "files");
	snprintf(x.adapter, sizeof(x.adapter), "filedrop");
	x.timeout = 1;
	ok(oms_adapter_lookup("filedrop") == ops,
	    "the adapter is found by its name");
	ok(ops->open(&x, &self, err, sizeof(err)) == OMS_ERR_CONFIG &&
	    self == NULL && strstr(err, "directory") != NULL,
	    "bad: no directory is a configuration error (%s)", err);
	snprintf(x.directory, sizeof(x.directory), "%s/missing", base);
	ok(ops->open(&x, &self, err, sizeof(err)) == OMS_ERR_CONFIG &&
	    self == NULL && !exists(at("missing")),
	    "bad: a missing folder is not made (an unmounted share) (%s)",
	    err);
	put(at("afile"), "x", 1, 0);
	snprintf(x.directory, sizeof(x.directory), "%s/afile", base);
	ok(ops->open(&x, &self, err, sizeof(err)) == OMS_ERR_CONFIG &&
	    self == NULL, "bad: a file is not a folder (%s)", err);
	unlink(at("afile"));

	mkdir(at("x2"), 0755);
	put(at("x2/out"), "x", 1, 0);
	snprintf(x.directory, sizeof(x.directory), "%s/x2/", base);
	ok(ops->open(&x, &self, err, sizeof(err)) == OMS_ERR_CONFIG &&
	    self == NULL && strstr(err, "out") != NULL,
	    "bad: out/ that is a file (%s)", err);

	snprintf(x.directory, sizeof(x.directory), "%s/", base);
	err[0] = '\0';
	rc = ops->open(&x, &self, err, sizeof(err));
	ok(rc == OMS_OK && self != NULL, "open: the exchange folder (%s)",
	    err);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		struct stat sb;

		if (stat(at(subs[i]), &sb) != 0 || !S_ISDIR(sb.st_mode))
			all = 0;
	}
	ok(all, "open: out/ ack/ quarantine/ tmp/ ack/done/ ack/old/ made");
	return self;
}

/* -------------------------------------------------------------- send */

/* send(): one file, atomically, fsync'ed; repeats; refusals. */
static void
test_send(void *self)
{
	struct oms_xreply r;
	struct oms_xreq req = {0};
	struct stat sb, sb2;
	const char *body = "<OmsRecord version=\"1\" kind=\"PlaceOrder\"/>\n";
	char path[1024];

	snprintf(path, sizeof(path), "%s", at("out/"));
	strncat(path, mid(1), sizeof(path) - strlen(path) - 5);
	strcat(path, ".xml");
	fsync_reset(path, 0);
	is_int(send1(self, mid(1), body, strlen(body), &r), OMS_X_WAITING,
	    "send: written, waiting for its acknowledgement (%s)", r.why);
	ok(holds(path, body), "send: out/<message id>.xml holds the bytes");
	memset(&sb, 0, sizeof(sb));
	stat(path, &sb);
	ok((sb.st_mode & 0777) == 0640, "send: the file's mode is 0640 (%o)",
	    (unsigned)(sb.st_mode & 0777));
	is_int(count("tmp", ".tmp"), 0, "send: nothing left in tmp/");
	is_int(fsync_calls, 2, "send: two fsyncs (the file, out/)");
	ok(fsync_saw[0] == 0 && fsync_saw[1] == 1,
	    "send: the file is fsync'ed before the rename, out/ after");

	fsync_reset(NULL, 0);
	is_int(send1(self, mid(1), body, strlen(body), &r), OMS_X_WAITING,
	    "send again (a crash before the commit): waiting");
	ok(stat(path, &sb2) == 0 && sb2.st_ino == sb.st_ino && holds(path,
	    body), "send again: the same bytes are left as they are");
	ok(fsync_calls >= 1, "send again: fsync'ed all the same");

	is_int(send1(self, mid(1), "<other/>", 8, &r), OMS_X_WAITING,
	    "send other bytes under the same id: waiting");
	ok(holds(path, "<other/>"),
	    "send other bytes: they replace the file never read");

	is_int(send1(self, "../escape", body, strlen(body), &r),
	    OMS_X_REJECTED, "bad: an id that is not a file name (%s)", r.why);
	ok(!exists(at("escape.xml")) && !exists(at("out/../escape.xml")),
	    "bad: nothing written outside out/");
	is_int(send1(self, "", body, strlen(body), &r), OMS_X_REJECTED,
	    "bad: an empty id");
	is_int(send1(self, ".hidden", body, strlen(body), &r), OMS_X_REJECTED,
	    "bad: an id starting with a dot");
	is_int(send1(self, mid(2), NULL, 0, &r), OMS_X_REJECTED,
	    "bad: nothing to write (%s)", r.why);

	/* No request_xsl: the canonical message is the file. */
	req.message_id = mid(3);
	req.kind = "PlaceOrder";
	req.canonical = "<PlaceOrder xmlns=\"urn:oms:exchange:1\"/>";
	req.canonical_len = strlen(req.canonical);
	req.a = arena;
	memset(&r, 0, sizeof(r));
	snprintf(path, sizeof(path), "out/%s.xml", mid(3));
	ok(ops->send(self, &req, &r) == OMS_X_WAITING &&
	    holds(at(path), req.canonical),
	    "send without a mapped body writes the canonical message");
	unlink(at(path));
}

/* send() when writing fails: OMS_X_RETRY, nothing left behind. */
static void
test_send_errors(void *self)
{
	struct oms_xreply r;
	struct rlimit old, lim;
	char path[1024], *big;
	size_t bigsz = 256 * 1024;
	int lk;

	snprintf(path, sizeof(path), "out/%s.xml", mid(10));

	/* The file's fsync fails: not renamed. */
	fsync_reset(NULL, 1);
	is_int(send1(self, mid(10), "<a/>", 4, &r), OMS_X_RETRY,
	    "bad: the file's fsync fails: retry (%s)", r.why);
	ok(strstr(r.why, "fsync") != NULL && !exists(at(path)) &&
	    count("tmp", ".tmp") == 0,
	    "bad: fsync failed: nothing in out/ nor tmp/");

	/* out/'s fsync fails: retry; the file is complete, the next
	 * send leaves it. */
	fsync_reset(NULL, 2);
	is_int(send1(self, mid(10), "<a/>", 4, &r), OMS_X_RETRY,
	    "bad: out/'s fsync fails: retry (%s)", r.why);
	fsync_reset(NULL, 0);
	ok(holds(at(path), "<a/>") &&
	    send1(self, mid(10), "<a/>", 4, &r) == OMS_X_WAITING,
	    "the retry after a failed fsync of out/ finds the file whole");
	unlink(at(path));

	/* A file-size limit: write() fails (EFBIG) as on a full disk,
	 * even as root. */
	big = malloc(bigsz);
	memset(big, 'x', bigsz);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 64 * 1024;
	setrlimit(RLIMIT_FSIZE, &lim);
	is_int(send1(self, mid(11), big, bigsz, &r), OMS_X_RETRY,
	    "bad: the disk refuses the bytes: retry (%s)", r.why);
	setrlimit(RLIMIT_FSIZE, &old);
	snprintf(path, sizeof(path), "out/%s.xml", mid(11));
	ok(strstr(r.why, "write") != NULL && !exists(at(path)) &&
	    count("tmp", ".tmp") == 0,
	    "bad: a failed write leaves nothing in out/ nor tmp/");
	is_int(send1(self, mid(11), big, bigsz, &r), OMS_X_WAITING,
	    "the same send once there is room: waiting");
	unlink(at(path));
	free(big);

	/* Another dispatcher holds the folder's lock past the timeout. */
	lk = open(at("tmp/.lock"), O_RDWR | O_CREAT, 0640);
	ok(lk >= 0 && flock(lk, LOCK_EX) == 0, "another process takes the "
	    "folder's lock");
	is_int(send1(self, mid(12), "<a/>", 4, &r), OMS_X_RETRY,
	    "bad: the lock stays taken past the timeout: retry (%s)", r.why);
	is_int(collect1(self, mid(12), &r), OMS_X_RETRY,
	    "bad: collect too (%s)", r.why);
	close(lk);
	is_int(send1(self, mid(12), "<a/>", 4, &r), OMS_X_WAITING,
	    "the lock released: written");
	snprintf(path, sizeof(path), "out/%s.xml", mid(12));
	unlink(at(path));

	/* tmp/ is not a folder any more. */
	rename(at("tmp"), at("tmp.saved"));
	put(at("tmp"), "x", 1, 0);
	is_int(send1(self, mid(12), "<a/>", 4, &r), OMS_X_RETRY,
	    "bad: tmp/ is not a folder: retry (%s)", r.why);
	ok(r.why[0] != '\0', "bad: retry says why");
	unlink(at("tmp"));
	rename(at("tmp.saved"), at("tmp"));
}

/* ------------------------------------------------ atomic appearance */

#define ATOMIC_N 24          /* files the parent writes */

/*
 * Make body i of the atomicity test (malloc'ed, NUL after it): a header
 * with its length, filler, a trailer; at least 256 KiB, up to about
 * 3 MiB, so that each write takes many system calls.  The length into
 * *len.
 */
static char *
atomic_body(int i, size_t *len)
{
	size_t n = 256 * 1024 + (size_t)i * 131072 + (size_t)i * 7;
	char *b = malloc(n + 1);
	int h;

	h = snprintf(b, n, "<b n=\"%d\" len=\"%zu\">", i, n);
	memset(b + h, 'a' + i % 26, n - (size_t)h - 4);
	memcpy(b + n - 4, "</b>", 4);
	b[n] = '\0';
	*len = n;
	return b;
}

/*
 * 1 when the n bytes at p are a whole body of atomic_body(): its
 * declared length, its filler and its trailer; 0 otherwise.
 */
static int
atomic_whole(const char *p, size_t n)
{
	int i;
	size_t want;
	char head[64];
	int h;

	if (n < 32 || sscanf(p, "<b n=\"%d\" len=\"%zu\">", &i, &want) != 2)
		return 0;
	if (want != n || memcmp(p + n - 4, "</b>", 4) != 0)
		return 0;
	h = snprintf(head, sizeof(head), "<b n=\"%d\" len=\"%zu\">", i, n);
	for (size_t k = (size_t)h; k < n - 4; k++)
		if (p[k] != 'a' + i % 26)
			return 0;
	return 1;
}

/*
 * The reader: poll out/ until ATOMIC_N whole files have been seen or
 * a deadline passes.  Exit 0 when every file opened was whole and no
 * temporary name appeared; 1 a partial file; 2 a temporary name; 3 the
 * deadline; 4 another error.
 */
static int
atomic_reader(void)
{
	time_t deadline = time(NULL) + 120;
	int seen[ATOMIC_N] = {0}, nseen = 0;

	while (nseen < ATOMIC_N) {
		DIR *d = opendir(at("out"));
		struct dirent *de;

		if (time(NULL) > deadline)
			return 3;
		if (d == NULL)
			return 4;
		while ((de = readdir(d)) != NULL) {
			char p[1024];
			size_t n;
			char *b;
			int i;

			if (de->d_name[0] == '.')
				continue;
			if (strstr(de->d_name, "tmp") != NULL) {
				closedir(d);
				return 2;
			}
			snprintf(p, sizeof(p), "out/%s", de->d_name);
			if ((b = slurp(at(p), &n)) == NULL)
				continue; /* not there yet or gone */
			if (!atomic_whole(b, n)) {
				free(b);
				closedir(d);
				return 1;
			}
			if (sscanf(b, "<b n=\"%d\"", &i) == 1 && i >= 0 &&
			    i < ATOMIC_N && !seen[i]) {
				seen[i] = 1;
				nseen++;
			}
			free(b);
		}
		closedir(d);
	}
	return 0;
}

/* A reader polling out/ never sees a partial file. */
static void
test_atomic(void *self)
{
	struct oms_xreply r;
	int status = -1, sent = 0;
	pid_t pid;
	size_t n;
	char *b, p[128];

	/* The check itself can fail. */
	b = atomic_body(3, &n);
	ok(atomic_whole(b, n) && !atomic_whole(b, n - 100) &&
	    !atomic_whole(b, n / 2), "bad: the reader's check refuses a "
	    "truncated body and takes a whole one");
	free(b);

	/* Only this test's files in out/. */
	snprintf(p, sizeof(p), "out/%s.xml", mid(1));
	unlink(at(p));
	is_int(count("out", ""), 0, "atomic: out/ is empty to start with");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int rc = atomic_reader();

		ops->close(self);
		oms_arena_free(&arena);
		_exit(rc);
	}
	for (int i = 0; i < ATOMIC_N; i++) {
		b = atomic_body(i, &n);
		if (send1(self, mid(100 + (unsigned)i), b, n, &r) ==
		    OMS_X_WAITING)
			sent++;
		free(b);
	}
	is_int(sent, ATOMIC_N, "atomic: %d large files written", ATOMIC_N);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "atomic: the reader polling out/ saw every file whole and no "
	    "temporary name (exit %d)", WIFEXITED(status) ?
	    WEXITSTATUS(status) : -1);
	is_int(count("out", ".tmp"), 0, "atomic: no .tmp in out/");
	for (int i = 0; i < ATOMIC_N; i++) {
		snprintf(p, sizeof(p), "out/%s.xml", mid(100 + (unsigned)i));
		unlink(at(p));
	}
}

/* ------------------------------------------------------------- collect */

/* Acknowledgements matched by id inside and by file name. */
static void
test_collect(void *self)
{
	struct oms_xreply r;
	char path[256];
	char a1[512];

	snprintf(a1, sizeof(a1), "%s", ack(mid(1), "OK"));

	is_int(collect1(self, mid(1), &r), OMS_X_WAITING,
	    "collect: no acknowledgement yet: waiting");

	/* The legacy side's own name; the id inside. */
	puts_old("ack/ACK_0001.xml", a1);
	is_int(collect1(self, mid(1), &r), OMS_X_ANSWERED,
	    "collect: matched by the message id inside (%s)", r.why);
	ok(r.body != NULL && r.len == strlen(a1) &&
	    memcmp(r.body, a1, r.len) == 0 && r.body[r.len] == '\0',
	    "collect: the answer is the acknowledgement's bytes");
	snprintf(path, sizeof(path), "ack/done/%s.xml", mid(1));
	ok(!exists(at("ack/ACK_0001.xml")) && holds(at(path), a1),
	    "collect: filed as ack/done/<message id>.xml");

	/* The dispatcher died before it committed: asked again. */
	is_int(collect1(self, mid(1), &r), OMS_X_ANSWERED,
	    "collect again after a crash: still answered");
	ok(r.body != NULL && strcmp(r.body, a1) == 0,
	    "collect again: the same acknowledgement");

	/* The id in an attribute. */
	puts_old("ack/x.xml", "<Receipt><line ref=\"  oms-00000004-0000-"
	    "4000-8000-00000000001c \" status=\"done\"/></Receipt>");
	is_int(collect1(self, mid(4), &r), OMS_X_ANSWERED,
	    "collect: matched by an attribute naming the id");

	/* No id inside: the file's name. */
	snprintf(path, sizeof(path), "ack/%s.xml", mid(5));
	puts_old(path, "<OmsAck><result>OK</result></OmsAck>");
	is_int(collect1(self, mid(5), &r), OMS_X_ANSWERED,
	    "collect: matched by the file name <message id>.xml");
	ok(r.body != NULL && strstr(r.body, "OK") != NULL,
	    "collect: by name, its bytes");

	/* An acknowledgement of an id nobody asks about stays filed. */
	puts_old("ack/zz-other.xml", ack(mid(6), "DUPLICATE"));
	is_int(collect1(self, mid(7), &r), OMS_X_WAITING,
	    "collect another id: waiting");
	snprintf(path, sizeof(path), "ack/done/%s.xml", mid(6));
	ok(exists(at(path)) && count("quarantine", "") == 0,
	    "an acknowledgement of an unknown id stays (filed, not "
	    "quarantined)");
	is_int(collect1(self, mid(6), &r), OMS_X_ANSWERED,
	    "its message, collected later, finds it");

	/* Being written: ignored. */
	puts_old("ack/.ACK_2.xml", ack(mid(7), "OK"));
	puts_old("ack/ACK_2.xml.part", ack(mid(7), "OK"));
	is_int(collect1(self, mid(7), &r), OMS_X_WAITING,
	    "a file being written (dot name, .part) is not read");
	ok(exists(at("ack/.ACK_2.xml")) && exists(at("ack/ACK_2.xml.part")),
	    "files being written are left alone");
	rename(at("ack/ACK_2.xml.part"), at("ack/ACK_2.xml"));
	is_int(collect1(self, mid(7), &r), OMS_X_ANSWERED,
	    "renamed to .xml: answered");
	unlink(at("ack/.ACK_2.xml"));

	/* A second acknowledgement of one message: the first answers. */
	puts_old("ack/again.xml", ack(mid(1), "DUPLICATE"));
	is_int(collect1(self, mid(8), &r), OMS_X_WAITING, "(a scan)");
	ok(collect1(self, mid(1), &r) == OMS_X_ANSWERED &&
	    strcmp(r.body, a1) == 0 && !exists(at("ack/again.xml")) &&
	    count("ack/old", "again.xml") == 1,
	    "a second acknowledgement of one message is kept in ack/old/");

	/* The operator resends: the old acknowledgement is superseded. */
	is_int(send1(self, mid(1), "<again/>", 8, &r), OMS_X_WAITING,
	    "resend: written again");
	is_int(collect1(self, mid(1), &r), OMS_X_WAITING,
	    "resend: the old acknowledgement no longer answers");
	snprintf(path, sizeof(path), "%s.xml", mid(1));
	ok(count("ack/old", path) == 1, "resend: it is in ack/old/");
	puts_old("ack/ACK_0002.xml", ack(mid(1), "DUPLICATE"));
	ok(collect1(self, mid(1), &r) == OMS_X_ANSWERED &&
	    strstr(r.body, "DUPLICATE") != NULL,
	    "resend: the new acknowledgement answers");
}

/* One malformed acknowledgement: its file, content and the reason. */
struct bad_ack {
	const char *name;       /* in ack/ */
	const char *body;       /* NULL: made by the test */
	const char *why;        /* in the .why file */
};

/* Malformed acknowledgements quarantined; good ones still match. */
static void
test_quarantine(void *self)
{
	char laughs[2048], two[512], named[512], path[1024], namedfile[128];
	struct bad_ack bad[] = {
		{"junk.xml", "this is not XML at all", "not well-formed"},
		{"laughs.xml", laughs, "DOCTYPE"},
		{"big.xml", NULL, "larger than"},
		{"noid.xml", "<OmsAck><result>OK</result></OmsAck>",
		    "no message id"},
		{"two.xml", two, "several message ids"},
		{"empty.xml", "", "not well-formed"},
		{"deep.xml", NULL, "deeper"},
		{NULL, named, "its name says"},
	};
	struct oms_xreply r;
	size_t nbad = sizeof(bad) / sizeof(bad[0]);
	char *big, *deep;
	size_t bigsz = 1024 * 1024 + 1;
	int all;

	snprintf(laughs, sizeof(laughs), "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
	    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
	    "]>\n<OmsAck><messageId>%s</messageId><r>&lol3;</r></OmsAck>",
	    mid(20));
	snprintf(two, sizeof(two), "<a><id>%s</id><id>%s</id></a>", mid(20),
	    mid(21));
	snprintf(named, sizeof(named), "%s", ack(mid(23), "OK"));
	snprintf(namedfile, sizeof(namedfile), "%s.xml", mid(22));
	bad[nbad - 1].name = namedfile;
	big = malloc(bigsz + 1);
	memset(big, ' ', bigsz);
	memcpy(big, ack(mid(20), "OK"), strlen(ack(mid(20), "OK")));
	big[bigsz] = '\0';
	bad[2].body = big;
	deep = malloc(100 * 8 + 200);
	deep[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(deep, "<d>");
	strcat(deep, mid(20));
	for (int i = 0; i < 100; i++)
		strcat(deep, "</d>");
	bad[6].body = deep;

	for (size_t i = 0; i < nbad; i++) {
		char rel[512];

		snprintf(rel, sizeof(rel), "ack/%s", bad[i].name);
		put(at(rel), bad[i].body, strlen(bad[i].body), 1);
	}
	/* A link to a file outside. */
	symlink("/etc/hostname", at("ack/link.xml"));
	/* The good one among them, and one still being written
	 * (garbage, just changed). */
	puts_old("ack/good.xml", ack(mid(20), "OK"));
	put(at("ack/fresh.xml"), "<OmsAck><messageI", 17, 0);

	is_int(collect1(self, mid(20), &r), OMS_X_ANSWERED,
	    "the good acknowledgement among malformed ones answers");
	ok(r.body != NULL && strstr(r.body, mid(20)) != NULL &&
	    strstr(r.body, "DOCTYPE") == NULL, "it is the good one");
	all = 1;
	for (size_t i = 0; i < nbad; i++) {
		char rel[600], rel2[600];
		int q;

		snprintf(rel, sizeof(rel), "quarantine/%s", bad[i].name);
		snprintf(rel2, sizeof(rel2), "quarantine/%s.why", bad[i].name);
		snprintf(path, sizeof(path), "ack/%s", bad[i].name);
		q = !exists(at(path)) && exists(at(rel)) &&
		    contains(at(rel2), bad[i].why);
		ok(q, "bad: %s quarantined, the reason says \"%s\"",
		    bad[i].name, bad[i].why);
		if (!q) {
			char *w = slurp(at(rel2), NULL);

			diag("why: %s", w ? w : "(none)");
			free(w);
			all = 0;
		}
	}
	ok(!exists(at("ack/link.xml")) &&
	    contains(at("quarantine/link.xml.why"), "symbolic link"),
	    "bad: a symbolic link is quarantined, not followed");
	ok(all && count("quarantine", ".why") == (int)nbad + 1,
	    "one .why beside each quarantined file");
	ok(exists(at("ack/fresh.xml")) && !exists(at("quarantine/fresh.xml")),
	    "a malformed file changed just now is left (still being "
	    "written?)");
	put(at("ack/fresh.xml"), "<OmsAck><messageI", 17, 1);
	is_int(collect1(self, mid(24), &r), OMS_X_WAITING, "(a scan)");
	ok(!exists(at("ack/fresh.xml")) && exists(at("quarantine/fresh.xml")),
	    "bad: once it has settled, it is quarantined");

	/* The same name again: quarantined beside the first. */
	puts_old("ack/junk.xml", "still not XML");
	is_int(collect1(self, mid(24), &r), OMS_X_WAITING, "(a scan)");
	ok(!exists(at("ack/junk.xml")) && count("quarantine", "junk.xml") ==
	    2 && count("quarantine", "junk.xml.why") == 2,
	    "bad: a second junk.xml is quarantined under another name");
	ok(holds(at("quarantine/junk.xml"), "this is not XML at all"),
	    "the first quarantined file is kept as it was");
	free(big);
	free(deep);
}

/* Many acknowledgements at once; an unreadable ack/: retry. */
static void
test_many_and_unreadable(void *self)
{
	struct oms_xreply r;
	int answered = 0;

	for (unsigned i = 0; i < 300; i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "ack/bulk-%04u.xml", i);
		puts_old(rel, ack(mid(1000 + i), "OK"));
	}
	for (unsigned i = 0; i < 300; i++) {
		enum oms_xresult x = collect1(self, mid(1000 + i), &r);

		if (x == OMS_X_WAITING)
			x = collect1(self, mid(1000 + i), &r);
		if (x == OMS_X_ANSWERED)
			answered++;
	}
	is_int(answered, 300, "300 acknowledgements at once: each answered "
	    "within two collects");
	is_int(count("ack", ".xml"), 0, "every one filed");

	rename(at("ack"), at("ack.saved"));
	put(at("ack"), "x", 1, 0);
	is_int(collect1(self, mid(30), &r), OMS_X_RETRY,
	    "bad: ack/ cannot be read: retry (%s)", r.why);
	ok(strstr(r.why, "ack") != NULL, "bad: the reason names ack/");
	unlink(at("ack"));
	rename(at("ack.saved"), at("ack"));
	is_int(collect1(self, mid(30), &r), OMS_X_WAITING,
	    "ack/ back: waiting again");
	is_int(collect1(self, "../../etc/passwd", &r), OMS_X_RETRY,
	    "bad: a collect of an id that is not a file name");
}

int
main(void)
{
	void *self;
	char cmd[300];

	umask(022);
	snprintf(base, sizeof(base), "/tmp/oms-filedrop-XXXXXX");
	if (mkdtemp(base) == NULL || (arena = oms_arena_new()) == NULL) {
		ok(0, "a temporary folder");
		return tap_done();
	}
	self = test_open();
	if (self != NULL) {
		test_send(self);
		test_send_errors(self);
		test_atomic(self);
		test_collect(self);
		test_quarantine(self);
		test_many_and_unreadable(self);
		ops->close(self);
	}
	ops->close(NULL);
	oms_arena_free(&arena);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (getenv("OMS_KEEP") == NULL && system(cmd) != 0)
		diag("could not remove %s", base);
	return tap_done();
}

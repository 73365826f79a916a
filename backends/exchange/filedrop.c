/*
 * filedrop.c: the XML file-drop adapter of the legacy exchange
 * (exchange.h; docs/integration-guide.md, "XML file drop").
 *
 * The exchange folder DIRECTORY of an [exchange NAME] section holds
 *
 *   out/         our requests, one file a message: out/<message id>.xml
 *   tmp/         where a request is written before it is renamed into
 *                out/ (same filesystem: the rename is atomic)
 *   ack/         the legacy system's acknowledgements, any file name
 *                ending in ".xml" (not starting with "."); each names
 *                our message id inside, or is called <message id>.xml
 *   ack/done/    acknowledgements read and filed by message id:
 *                ack/done/<message id>.xml, kept so that a collect
 *                repeated after a crash still finds its answer
 *   ack/old/     acknowledgements superseded by a later send of the
 *                same message, and second acknowledgements of one
 *   quarantine/  acknowledgements that could not be used, each with a
 *                <name>.why file beside it saying why
 *
 * A reader polling out/ never sees a partial file: the bytes are
 * written and fsync'ed under tmp/, renamed into out/, and out/ itself
 * is fsync'ed before send() says OMS_X_WAITING.
 *
 * Every acknowledgement file is read once: collect() files each new
 * file of ack/ under ack/done/ by the message id it names (or
 * quarantines it), then answers from ack/done/<id>.xml.  The scan and
 * send() hold an flock on tmp/.lock, so two dispatchers on one folder
 * do not file the same acknowledgement twice.
 *
 * Sections: names and paths; files; acknowledgements (reading, filing,
 * quarantine); the ops.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "arena.h"
#include "exchange.h"
#include "xmlin.h"

#define FD_ACK_MAX (1024 * 1024) /* bytes: a larger acknowledgement is
                                  * quarantined */
#define FD_ACK_DEPTH 32          /* element depth of an acknowledgement */
#define FD_SCAN_MAX 256          /* acknowledgements filed per collect */
#define FD_ID_MAX 128            /* bytes of a message id */
#define FD_SETTLE 5              /* seconds: a file changed more recently
                                  * that cannot be used yet is left for
                                  * the next collect (it may still be
                                  * being written) */

/* The adapter's state for one system. */
struct filedrop {
	char name[32];          /* the system, for the log */
	char dir[1024];         /* the exchange folder, no trailing '/' */
	int timeout;            /* seconds to wait for the folder's lock */
};

/* The folders below the exchange folder, with the modes open() gives
 * the ones it creates (before the umask).  out/ and ack/ are shared
 * with the legacy side, through their group. */
static const struct {
	const char *sub;        /* relative to the exchange folder */
	mode_t mode;            /* for mkdir */
} fd_dirs[] = {
	{"out", 0770},
	{"ack", 0770},
	{"quarantine", 0750},
	{"tmp", 0750},
	{"ack/done", 0750},
	{"ack/old", 0750},
};

/* ------------------------------------------------------ names and paths */

/*
 * 1 when id can name a file: 1 to FD_ID_MAX bytes of letters, digits,
 * '.', '_' and '-', starting with a letter or digit (so never "." or
 * ".." or a hidden file); 0 otherwise.
 */
static int
id_ok(const char *id)
{
	size_t n;

	if (id == NULL || !isalnum((unsigned char)id[0]))
		return 0;
	for (n = 0; id[n] != '\0'; n++)
		if (n >= FD_ID_MAX || !(isalnum((unsigned char)id[n]) ||
		    id[n] == '.' || id[n] == '_' || id[n] == '-'))
			return 0;
	return 1;
}

/*
 * 1 when the n bytes at s are one of our message ids: "oms-" and a
 * UUID in lower-case hex (8-4-4-4-12), as docs/exchange/common.xsd
 * writes them; 0 otherwise.
 */
static int
is_oms_id(const char *s, size_t n)
{
	static const char shape[] = "oms-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (n != sizeof(shape) - 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (shape[i] == 'x') {
			if (!isdigit((unsigned char)s[i]) &&
			    (s[i] < 'a' || s[i] > 'f'))
				return 0;
		} else if (s[i] != shape[i])
			return 0;
	}
	return 1;
}

/*
 * Write DIR/ followed by fmt's expansion into buf (sz bytes).  0, or -1
 * with errno ENAMETOOLONG when it does not fit.
 */
static int __attribute__((format(printf, 4, 5)))
mkpath(char *buf, size_t sz, const struct filedrop *fd, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, sz, "%s/", fd->dir);
	if (n < 0 || (size_t)n >= sz) {
		errno = ENAMETOOLONG;
		return -1;
	}
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sz - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= sz - (size_t)n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Format one line into reply->why.  Cannot fail (truncates). */
static void __attribute__((format(printf, 2, 3)))
setwhy(struct oms_xreply *reply, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reply->why, sizeof(reply->why), fmt, ap);
	va_end(ap);
}

/*
 * A UTC time stamp (YYYYMMDDTHHMMSSZ) into buf (at least 20 bytes),
 * for the names of superseded and quarantined files.  Cannot fail.
 */
static void
stamp(char *buf, size_t sz)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sz, "%Y%m%dT%H%M%SZ", &tm);
}

/* ---------------------------------------------------------------- files */

/*
 * fsync the folder at path, so that a rename into it lasts.  0, or -1
 * with errno.
 */
static int
fsync_dir(const char *path)
{
	int d = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, e;

	if (d < 0)
		return -1;
	rc = fsync(d);
	e = errno;
	close(d);
	errno = e;
	return rc;
}

/*
 * Write the len bytes at p to file descriptor f, through short writes
 * and interruptions.  0, or -1 with errno.
 */
static int
write_all(int f, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(f, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * Read the regular file at path, at most max bytes, into memory from
 * a (arena non-NULL) or malloc (a NULL: the caller frees *out).  *out
 * is NUL-terminated, *len its length.  Symbolic links are not
 * followed.  0; -1 with errno (ENOENT when there is no such file,
 * ELOOP for a link, EFTYPE-like EINVAL for a file that is not
 * regular, EFBIG when larger than max, ENOMEM).
 */
static int
read_file(const char *path, size_t max, struct oms_arena *a, char **out,
    size_t *len)
{
	struct stat sb;
	char *buf;
	size_t n = 0, cap;
	int f, e;

	*out = NULL;
	*len = 0;
	f = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (f < 0)
		return -1;
	if (fstat(f, &sb) < 0)
		goto err;
	if (!S_ISREG(sb.st_mode)) {
		errno = EINVAL;
		goto err;
	}
	if ((uintmax_t)sb.st_size > max) {
		errno = EFBIG;
		goto err;
	}
	/* One byte more than allowed, to see a file that grew. */
	cap = max + 1;
	buf = a != NULL ? oms_arena_alloc(a, cap + 1) : malloc(cap + 1);
	if (buf == NULL) {
		errno = ENOMEM;
		goto err;
	}
	for (;;) {
		ssize_t r = read(f, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			if (a == NULL)
				free(buf);
			errno = e;
			goto err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			if (a == NULL)
				free(buf);
			errno = EFBIG;
			goto err;
		}
	}
	close(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
err:
	e = errno;
	close(f);
	errno = e;
	return -1;
}

/*
 * Compare the file at path with the len bytes at p, and fsync it when
 * they are the same (a send repeated after a crash: the file may not
 * have reached the disk).  1 same, 0 no such file, 2 different, -1
 * another error with errno.
 */
static int
same_file(const char *path, const char *p, size_t len)
{
	struct stat sb;
	char buf[65536];
	size_t off = 0;
	int f, rc = 1, e;

	f = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (f < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(f, &sb) < 0)
		goto err;
	if (!S_ISREG(sb.st_mode) || (uintmax_t)sb.st_size != len) {
		close(f);
		return 2;
	}
	while (rc == 1) {
		ssize_t r = read(f, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto err;
		if (r == 0)
			break;
		if ((size_t)r > len - off ||
		    memcmp(buf, p + off, (size_t)r) != 0)
			rc = 2;
		off += (size_t)r;
	}
	if (rc == 1 && off != len)
		rc = 2;
	if (rc == 1 && fsync(f) < 0)
		goto err;
	close(f);
	return rc;
err:
	e = errno;
	close(f);
	errno = e;
	return -1;
}

/*
 * Take the folder's lock (an flock on tmp/.lock), waiting for another
 * dispatcher to finish, at most the section's timeout (send() never
 * blocks past it).  The descriptor to close, or -1 with errno
 * (EWOULDBLOCK when the lock stayed taken).
 */
static int
lock_folder(const struct filedrop *fd)
{
	struct timespec pause = {0, 10 * 1000 * 1000};
	char path[PATH_MAX];
	time_t end = time(NULL) + fd->timeout;
	int f, e;

	if (mkpath(path, sizeof(path), fd, "tmp/.lock") < 0)
		return -1;
	f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (f < 0)
		return -1;
	while (flock(f, LOCK_EX | LOCK_NB) < 0) {
		e = errno;
		if (e == EINTR)
			continue;
		if (e == EWOULDBLOCK && time(NULL) < end) {
			nanosleep(&pause, NULL);
			continue;
		}
		close(f);
		errno = e;
		return -1;
	}
	return f;
}

/* Say in reply->why why lock_folder() failed (errno).  Cannot fail. */
static void
lock_why(const struct filedrop *fd, struct oms_xreply *reply)
{
	if (errno == EWOULDBLOCK)
		setwhy(reply, "%s/tmp/.lock held by another process for more "
		    "than %d s", fd->dir, fd->timeout);
	else
		setwhy(reply, "lock %s/tmp/.lock: %s", fd->dir,
		    strerror(errno));
}

/*
 * Move DIR/from to a free name in DIR/todir: name, or
 * STAMP-N-name when name is taken there.  The new name (relative to
 * DIR/todir) into got (gotsz bytes).  0, or -1 with errno.  The
 * folder's lock must be held: the free name is checked, then taken.
 */
static int
move_aside(const struct filedrop *fd, const char *from, const char *todir,
    const char *name, char *got, size_t gotsz)
{
	char src[PATH_MAX], dst[PATH_MAX], ts[32];
	struct stat sb;

	if (mkpath(src, sizeof(src), fd, "%s", from) < 0)
		return -1;
	stamp(ts, sizeof(ts));
	for (int i = 0; i < 1000; i++) {
		int n = i == 0 ? snprintf(got, gotsz, "%s", name) :
		    snprintf(got, gotsz, "%s-%d-%s", ts, i, name);

		if (n < 0 || (size_t)n >= gotsz ||
		    mkpath(dst, sizeof(dst), fd, "%s/%s", todir, got) < 0) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (lstat(dst, &sb) == 0)
			continue;
		if (errno != ENOENT)
			return -1;
		return rename(src, dst);
	}
	errno = EEXIST;
	return -1;
}

/*
 * Before a message is written (again), move the acknowledgement filed
 * for it, if any, to ack/old/: it answered an earlier send (a message
 * rejected and resent by the operator), and the legacy side answers
 * the new file anew (it deduplicates on the message id).  0 (also when
 * there was none), or -1 with errno.  The lock must be held.
 */
static int
supersede(const struct filedrop *fd, const char *id)
{
	char from[FD_ID_MAX + 32], got[FD_ID_MAX + 64];

	snprintf(from, sizeof(from), "ack/done/%s.xml", id);
	if (move_aside(fd, from, "ack/old", from + 9, got, sizeof(got)) < 0)
		return errno == ENOENT ? 0 : -1;
	oms_info("filedrop %s: the acknowledgement of %s moved to ack/old/%s: "
	    "the message is sent again", fd->name, id, got);
	return 0;
}

/* ------------------------------------------------------ acknowledgements */

/* What the search of an acknowledgement for message ids found. */
struct idsearch {
	char first[FD_ID_MAX + 1]; /* the first id met, or "" */
	char other[FD_ID_MAX + 1]; /* a different second one, or "" */
};

/*
 * Note the value at s (n bytes, blanks around it ignored) in ids when
 * it is one of our message ids.  Cannot fail.
 */
static void
note_id(struct idsearch *ids, const char *s)
{
	size_t n;

	if (s == NULL)
		return;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (!is_oms_id(s, n))
		return;
	if (ids->first[0] == '\0')
		memcpy(ids->first, s, n), ids->first[n] = '\0';
	else if (ids->other[0] == '\0' && (strlen(ids->first) != n ||
	    memcmp(ids->first, s, n) != 0))
		memcpy(ids->other, s, n), ids->other[n] = '\0';
}

/*
 * Search the elements below and at node for text nodes and attribute
 * values that are exactly one of our message ids (blanks around them
 * ignored).  The parser bounded the depth (FD_ACK_DEPTH), so the
 * recursion is bounded.  Cannot fail.
 */
static void
find_ids(xmlNodePtr node, struct idsearch *ids)
{
	for (xmlNodePtr n = node; n != NULL; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			note_id(ids, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttrPtr at = n->properties; at != NULL; at = at->next)
			for (xmlNodePtr t = at->children; t != NULL;
			    t = t->next)
				if (t->type == XML_TEXT_NODE)
					note_id(ids, (const char *)t->content);
		find_ids(n->children, ids);
	}
}

/*
 * Move ack/name to quarantine/ with a .why file beside it holding
 * reason (one line), and log it.  The .why is written under tmp/ and
 * renamed, like a request.  0, or -1 with errno (the file then stays in
 * ack/ and is tried again by the next collect).  The lock must be held.
 */
static int
quarantine(const struct filedrop *fd, const char *name, const char *reason)
{
	char from[NAME_MAX + 8], got[NAME_MAX + 64], tmp[PATH_MAX],
	    why[PATH_MAX], line[600];
	int f, n;

	snprintf(from, sizeof(from), "ack/%s", name);
	if (move_aside(fd, from, "quarantine", name, got, sizeof(got)) < 0) {
		oms_error("filedrop %s: cannot quarantine ack/%s: %s",
		    fd->name, name, strerror(errno));
		return -1;
	}
	oms_warn("filedrop %s: ack/%s quarantined as quarantine/%s: %s",
	    fd->name, name, got, reason);
	n = snprintf(line, sizeof(line), "%s\n", reason);
	for (int i = 0; i < n - 1; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	if (n < 0 || (size_t)n >= sizeof(line))
		n = (int)strlen(line);
	if (mkpath(tmp, sizeof(tmp), fd, "tmp/%s.why.tmp", got) < 0 ||
	    mkpath(why, sizeof(why), fd, "quarantine/%s.why", got) < 0)
		return -1;
	f = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (f < 0 || write_all(f, line, (size_t)n) < 0 || close(f) < 0 ||
	    rename(tmp, why) < 0) {
		oms_error("filedrop %s: cannot write quarantine/%s.why: %s",
		    fd->name, got, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Quarantine ack/name for reason, unless young (changed in the last
 * FD_SETTLE seconds: perhaps still being written by a legacy side that
 * does not write under another name first), in which case it is left
 * for a later collect.  Cannot fail (quarantine() logs).
 */
static void
reject_ack(const struct filedrop *fd, const char *name, const char *reason,
    int young)
{
	if (young) {
		oms_debug("filedrop %s: ack/%s left for later: %s", fd->name,
		    name, reason);
		return;
	}
	quarantine(fd, name, reason);
}

/*
 * Read acknowledgement ack/name once and file it: under ack/done/ as
 * <message id>.xml (the id it names inside; failing that its file name
 * when that is a message id), under ack/old/ when one is already filed
 * for that id, or in quarantine/ when it cannot be used (not a regular
 * file, larger than FD_ACK_MAX, not XML, a DOCTYPE, too deep, no
 * message id, several, or another than its file name's).  Nothing it
 * holds can crash the process: it is read by oms_xml_read() under
 * limits.  Cannot fail: what goes wrong is logged and the file stays
 * for the next collect.  The lock must be held.
 */
static void
file_ack(const struct filedrop *fd, const char *name)
{
	struct oms_xml_limits lim = {FD_ACK_MAX, FD_ACK_DEPTH};
	struct idsearch ids = {{0}, {0}};
	char path[PATH_MAX], reason[512], err[256], to[PATH_MAX], from[PATH_MAX];
	char stem[NAME_MAX + 1], got[NAME_MAX + 64];
	const char *id;
	xmlDocPtr doc = NULL;
	struct stat sb;
	size_t len, sl;
	char *buf = NULL;
	enum oms_err e;
	int young;

	if (mkpath(path, sizeof(path), fd, "ack/%s", name) < 0)
		return;
	young = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_mtime > time(NULL) - FD_SETTLE;
	if (read_file(path, FD_ACK_MAX, NULL, &buf, &len) < 0) {
		switch (errno) {
		case ENOENT: /* gone meanwhile */
			return;
		case ELOOP:
			reject_ack(fd, name, "a symbolic link, not a file", young);
			return;
		case EINVAL:
			reject_ack(fd, name, "not a regular file", young);
			return;
		case EFBIG:
			snprintf(reason, sizeof(reason),
			    "larger than %d bytes", FD_ACK_MAX);
			reject_ack(fd, name, reason, young);
			return;
		default:
			oms_error("filedrop %s: cannot read ack/%s: %s",
			    fd->name, name, strerror(errno));
			return;
		}
	}
	e = oms_xml_read(buf, len, &lim, &doc, err, sizeof(err));
	free(buf);
	if (e != OMS_OK) {
		snprintf(reason, sizeof(reason), "not a usable XML document: %s",
		    err);
		reject_ack(fd, name, reason, young);
		return;
	}
	find_ids(xmlDocGetRootElement(doc), &ids);
	xmlFreeDoc(doc);

	sl = strlen(name) - 4; /* without ".xml" */
	memcpy(stem, name, sl);
	stem[sl] = '\0';
	if (ids.other[0] != '\0') {
		snprintf(reason, sizeof(reason), "names several message ids "
		    "(%s, %s)", ids.first, ids.other);
		reject_ack(fd, name, reason, young);
		return;
	}
	if (ids.first[0] != '\0' && is_oms_id(stem, sl) &&
	    strcmp(stem, ids.first) != 0) {
		snprintf(reason, sizeof(reason), "its name says %s but it "
		    "names %s", stem, ids.first);
		reject_ack(fd, name, reason, young);
		return;
	}
	if (ids.first[0] != '\0')
		id = ids.first;
	else if (is_oms_id(stem, sl))
		id = stem;
	else {
		reject_ack(fd, name, "names no message id (neither inside nor "
		    "as its file name)", young);
		return;
	}

	if (mkpath(to, sizeof(to), fd, "ack/done/%s.xml", id) < 0 ||
	    mkpath(from, sizeof(from), fd, "ack/%s", name) < 0)
		return;
	if (lstat(to, &sb) == 0) {
		/* The first acknowledgement filed answers; a second one
		 * (the legacy side answered twice) is kept aside. */
		snprintf(reason, sizeof(reason), "ack/%s", name);
		if (move_aside(fd, reason, "ack/old", name, got,
		    sizeof(got)) == 0)
			oms_info("filedrop %s: ack/%s is a second "
			    "acknowledgement of %s: kept as ack/old/%s",
			    fd->name, name, id, got);
		return;
	}
	if (rename(from, to) < 0)
		oms_error("filedrop %s: cannot file ack/%s as ack/done/%s.xml: "
		    "%s", fd->name, name, id, strerror(errno));
}

/*
 * Order two names for qsort: oldest first is not known from names, so
 * alphabetically (deterministic).
 */
static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * File every new acknowledgement of ack/ (at most FD_SCAN_MAX a call,
 * those read in name order): names ending in ".xml" not starting with "."
 * (the legacy side writes under another name and renames, as we do).
 * OMS_OK, or OMS_ERR_IO with a line in why when ack/ cannot be read;
 * OMS_ERR_NOMEM.  The lock must be held.
 */
static enum oms_err
scan_acks(const struct filedrop *fd, struct oms_xreply *reply)
{
	char path[PATH_MAX];
	char *names[FD_SCAN_MAX];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	if (mkpath(path, sizeof(path), fd, "ack") < 0 ||
	    (d = opendir(path)) == NULL) {
		setwhy(reply, "cannot read %s: %s", path, strerror(errno));
		return OMS_ERR_IO;
	}
	errno = 0;
	while (n < FD_SCAN_MAX && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= 4 ||
		    strcmp(de->d_name + l - 4, ".xml") != 0 ||
		    de->d_type == DT_DIR)
			continue;
		if ((names[n] = strdup(de->d_name)) == NULL) {
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			closedir(d);
			setwhy(reply, "out of memory");
			return OMS_ERR_NOMEM;
		}
		n++;
		errno = 0;
	}
	if (n < FD_SCAN_MAX && errno != 0) {
		setwhy(reply, "cannot read %s: %s", path, strerror(errno));
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		closedir(d);
		return OMS_ERR_IO;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		file_ack(fd, names[i]);
		free(names[i]);
	}
	return OMS_OK;
}

/*
 * The acknowledgement filed for id, if any: OMS_X_ANSWERED with its
 * bytes in a (reply->body, NUL-terminated), OMS_X_WAITING when there
 * is none, OMS_X_RETRY with reply->why when it cannot be read.
 */
static enum oms_xresult
answer(const struct filedrop *fd, const char *id, struct oms_arena *a,
    struct oms_xreply *reply)
{
	char path[PATH_MAX], *buf;
	size_t len;

	if (mkpath(path, sizeof(path), fd, "ack/done/%s.xml", id) < 0) {
		setwhy(reply, "path too long");
		return OMS_X_RETRY;
	}
	if (read_file(path, FD_ACK_MAX, a, &buf, &len) < 0) {
		if (errno == ENOENT)
			return OMS_X_WAITING;
		setwhy(reply, "cannot read %s: %s", path, strerror(errno));
		return OMS_X_RETRY;
	}
	reply->body = buf;
	reply->len = len;
	return OMS_X_ANSWERED;
}

/* ------------------------------------------------------------- the ops */

/*
 * Check the exchange folder of x (it must exist: a share that is not
 * mounted must not be written under its mount point) and create the
 * folders below it that are missing; all on one filesystem.  *self the
 * caller's to close().  OMS_OK; OMS_ERR_CONFIG (no directory, not a
 * folder, subfolders on different filesystems), OMS_ERR_IO (cannot
 * create or write), OMS_ERR_NOMEM, with one line in err.
 */
static enum oms_err
fd_open(const struct oms_exchange_conf *x, void **self, char *err,
    size_t errsz)
{
	struct filedrop *fd;
	struct stat sb;
	char path[PATH_MAX];
	dev_t dev = 0;
	size_t l;

	*self = NULL;
	if (x->directory[0] != '/') {
		snprintf(err, errsz, "[exchange %s] the filedrop adapter needs "
		    "directory, an absolute path", x->name);
		return OMS_ERR_CONFIG;
	}
	if ((fd = calloc(1, sizeof(*fd))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return OMS_ERR_NOMEM;
	}
	snprintf(fd->name, sizeof(fd->name), "%s", x->name);
	snprintf(fd->dir, sizeof(fd->dir), "%s", x->directory);
	fd->timeout = x->timeout > 0 ? x->timeout : 30;
	l = strlen(fd->dir);
	while (l > 1 && fd->dir[l - 1] == '/')
		fd->dir[--l] = '\0';
	if (stat(fd->dir, &sb) < 0) {
		snprintf(err, errsz, "[exchange %s] directory %s: %s", x->name,
		    fd->dir, strerror(errno));
		free(fd);
		return OMS_ERR_CONFIG;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errsz, "[exchange %s] directory %s: not a folder",
		    x->name, fd->dir);
		free(fd);
		return OMS_ERR_CONFIG;
	}
	for (size_t i = 0; i < OMS_NELEM(fd_dirs); i++) {
		if (mkpath(path, sizeof(path), fd, "%s", fd_dirs[i].sub) < 0) {
			snprintf(err, errsz, "[exchange %s] directory: path "
			    "too long", x->name);
			free(fd);
			return OMS_ERR_CONFIG;
		}
		if (mkdir(path, fd_dirs[i].mode) < 0 && errno != EEXIST) {
			snprintf(err, errsz, "[exchange %s] mkdir %s: %s",
			    x->name, path, strerror(errno));
			free(fd);
			return OMS_ERR_IO;
		}
		if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			snprintf(err, errsz, "[exchange %s] %s is not a folder",
			    x->name, path);
			free(fd);
			return OMS_ERR_CONFIG;
		}
		if (access(path, W_OK | X_OK) < 0) {
			snprintf(err, errsz, "[exchange %s] %s: %s", x->name,
			    path, strerror(errno));
			free(fd);
			return OMS_ERR_IO;
		}
		if (i > 0 && sb.st_dev != dev) {
			snprintf(err, errsz, "[exchange %s] %s is on another "
			    "filesystem than %s/out: renames would not be "
			    "atomic", x->name, path, fd->dir);
			free(fd);
			return OMS_ERR_CONFIG;
		}
		dev = sb.st_dev;
	}
	*self = fd;
	return OMS_OK;
}

/*
 * Write req->body (the mapped file; the canonical message when the
 * system has no request_xsl) as out/<message id>.xml: written and
 * fsync'ed under tmp/, renamed into out/, out/ fsync'ed.  An earlier
 * acknowledgement of the message is superseded first.  The same bytes
 * already in out/ (a send repeated after a crash) are left as they are;
 * different bytes (the mapping changed while the file waited) replace
 * them atomically, with a warning: the legacy side never read the old
 * one, and a message id always names one message.  OMS_X_WAITING;
 * OMS_X_REJECTED for a message id that cannot name a file or nothing to
 * write; OMS_X_RETRY with why when a file operation fails (no space,
 * no permission, a folder gone): nothing is left in out/ then.
 */
static enum oms_xresult
fd_send(void *self, const struct oms_xreq *req, struct oms_xreply *reply)
{
	const struct filedrop *fd = self;
	const char *body = req->body != NULL ? req->body : req->canonical;
	size_t len = req->body != NULL ? req->len : req->canonical_len;
	char tmp[PATH_MAX], out[PATH_MAX], outdir[PATH_MAX];
	enum oms_xresult r = OMS_X_RETRY;
	int lk, f = -1, same;

	reply->body = NULL;
	reply->len = 0;
	reply->why[0] = '\0';
	if (!id_ok(req->message_id)) {
		setwhy(reply, "message id not usable as a file name");
		return OMS_X_REJECTED;
	}
	if (body == NULL) {
		setwhy(reply, "nothing to write");
		return OMS_X_REJECTED;
	}
	if (mkpath(tmp, sizeof(tmp), fd, "tmp/%s.xml.tmp",
	    req->message_id) < 0 ||
	    mkpath(out, sizeof(out), fd, "out/%s.xml", req->message_id) < 0 ||
	    mkpath(outdir, sizeof(outdir), fd, "out") < 0) {
		setwhy(reply, "path too long");
		return OMS_X_REJECTED;
	}
	if ((lk = lock_folder(fd)) < 0) {
		lock_why(fd, reply);
		return OMS_X_RETRY;
	}
	if (supersede(fd, req->message_id) < 0) {
		setwhy(reply, "move %s/ack/done/%s.xml aside: %s", fd->dir,
		    req->message_id, strerror(errno));
		goto out;
	}
	same = same_file(out, body, len);
	if (same < 0) {
		setwhy(reply, "read %s: %s", out, strerror(errno));
		goto out;
	}
	if (same == 1) {
		if (fsync_dir(outdir) < 0) {
			setwhy(reply, "fsync %s: %s", outdir, strerror(errno));
			goto out;
		}
		r = OMS_X_WAITING;
		goto out;
	}
	if (same == 2)
		oms_warn("filedrop %s: out/%s.xml is still there with other "
		    "bytes (request_xsl changed?): replaced", fd->name,
		    req->message_id);
	f = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (f < 0 && errno == EEXIST) {
		/* Left by a send that died half way: ours, under the lock. */
		unlink(tmp);
		f = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0640);
	}
	if (f < 0) {
		setwhy(reply, "create %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (write_all(f, body, len) < 0) {
		setwhy(reply, "write %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fsync(f) < 0) {
		setwhy(reply, "fsync %s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(f) < 0) {
		f = -1;
		setwhy(reply, "close %s: %s", tmp, strerror(errno));
		goto out;
	}
	f = -1;
	if (rename(tmp, out) < 0) {
		setwhy(reply, "rename %s into out/: %s", tmp, strerror(errno));
		goto out;
	}
	if (fsync_dir(outdir) < 0) {
		/* The file is in out/ and complete; whether the rename
		 * lasts a power cut is not known: write it again later
		 * (the same bytes are then left as they are). */
		setwhy(reply, "fsync %s: %s", outdir, strerror(errno));
		goto out;
	}
	r = OMS_X_WAITING;
out:
	if (f >= 0)
		close(f);
	if (r != OMS_X_WAITING)
		unlink(tmp);
	close(lk);
	return r;
}

/*
 * The acknowledgement of message_id: looked up in ack/done/ first
 * (filed by an earlier collect, perhaps one whose dispatcher died
 * before it committed), then after filing the new files of ack/.
 * OMS_X_ANSWERED with the file's bytes in a; OMS_X_WAITING when none
 * has come; OMS_X_RETRY with why when the folder cannot be read.  The
 * answered file stays in ack/done/ (until the message is sent again):
 * the dispatcher may ask again.
 */
static enum oms_xresult
fd_collect(void *self, const char *message_id, struct oms_arena *a,
    struct oms_xreply *reply)
{
	const struct filedrop *fd = self;
	enum oms_xresult r;
	enum oms_err e;
	int lk;

	reply->body = NULL;
	reply->len = 0;
	reply->why[0] = '\0';
	if (!id_ok(message_id)) {
		setwhy(reply, "message id not usable as a file name");
		return OMS_X_RETRY;
	}
	if ((r = answer(fd, message_id, a, reply)) != OMS_X_WAITING)
		return r;
	if ((lk = lock_folder(fd)) < 0) {
		lock_why(fd, reply);
		return OMS_X_RETRY;
	}
	e = scan_acks(fd, reply);
	close(lk);
	if (e != OMS_OK)
		return OMS_X_RETRY;
	return answer(fd, message_id, a, reply);
}

/* Free the adapter's state; accepts NULL. */
static void
fd_close(void *self)
{
	free(self);
}

const struct oms_adapter_ops oms_adapter_filedrop = {
	.name = "filedrop",
	.open = fd_open,
	.send = fd_send,
	.collect = fd_collect,
	.close = fd_close,
};

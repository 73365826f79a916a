/*
 * test_view.c: the view layer (src/web/view.c) when memory runs out,
 * and its stylesheet loader.
 *
 * Out of memory, in the manner of SQLite's OOM loops: a document is
 * built, rendered through a stylesheet and serialized as XML, first
 * with no failure (the reference), then again and again with the 1st,
 * 2nd, ... Nth allocation of libxml2 failing (once, then from there
 * on), and with the arena unable to grow at its 1st, 2nd, ... Nth
 * allocation.  Every run must end cleanly: no crash (run it under
 * AddressSanitizer or valgrind to see the use-after-free this found),
 * no block of libxml2 memory left behind, and never a page reported
 * as rendered that differs from the reference.
 *
 * The loader: stylesheets whose xsl:import names a file with a DOCTYPE
 * or a file outside the stylesheet folder are refused at load, and
 * document() of a local file or a URL is refused at transform, each
 * with a log line that says so.
 *
 * The arena's blocks come from malloc; the program is linked with
 * -Wl,--wrap=malloc so that __wrap_malloc below can refuse them.  It
 * refuses only requests of an arena block's size (32 KiB and a little,
 * under the 64 KiB slabs of src/core/xmlmem.c), so libxml2 keeps its
 * memory while the arena cannot grow.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "arena.h"
#include "oms.h"
#include "view.h"
#include "xmlmem.h"
#include "../tap.h"

void *__real_malloc(size_t);
void *__wrap_malloc(size_t);

static int arena_full; /* 1: refuse new arena blocks */

/* malloc for the objects of this program and our libraries: refuses
 * an arena block while arena_full is set. */
void *
__wrap_malloc(size_t n)
{
	if (arena_full && n >= 32 * 1024 && n < 64 * 1024)
		return NULL;
	return __real_malloc(n);
}

static struct oms_views *views;
static char *ref_html, *ref_xml; /* the renders with no failure */
static size_t ref_html_len, ref_xml_len;

/* What one build-and-render run gave. */
struct run {
	int built;            /* oms_doc_new gave a document */
	enum oms_err html, xml; /* oms_view_render, oms_view_xml */
	const char *html_out, *xml_out;
	size_t html_len, xml_len;
};

/*
 * Build an error page the way the pipeline's builders do (without
 * checking each call), render it with error.xsl, then serialize it as
 * XML.  Outputs live in a.
 */
static void
build_and_render(struct oms_arena *a, struct run *r)
{
	xmlNodePtr root, e, list;
	xmlDocPtr d;
	const char *media;

	memset(r, 0, sizeof(*r));
	r->html = r->xml = OMS_ERR_NOMEM;
	d = oms_doc_new(a, "page", &root);
	if (d == NULL)
		return;
	r->built = 1;
	oms_attr(root, "name", "error");
	oms_attr(root, "title", "Not Found");
	list = oms_node(root, "crumbs");
	for (int i = 0; i < 20; i++) {
		xmlNodePtr c = oms_node_text(list, "crumb", "Ünïcødé & <crumb>");

		oms_attr(c, "href", "/customers");
		oms_attr_int(c, "n", i);
	}
	e = oms_node(root, "error");
	oms_attr_int(e, "status", 404);
	oms_attr(e, "title", "Not Found");
	oms_node_text(e, "message", "There is no such page: \"/x?a=1&b=2\".");
	r->html = oms_view_render(views, OMS_SHEET_ERROR, d, a, &r->html_out,
	    &r->html_len, &media);
	r->xml = oms_view_xml(d, a, &r->xml_out, &r->xml_len);
}

/* 1 when a run's outputs are each either an error or the reference. */
static int
run_is_clean(const struct run *r, const char *what, long n)
{
	int good = 1;

	if (r->html == OMS_OK && (r->html_len != ref_html_len ||
	    memcmp(r->html_out, ref_html, ref_html_len) != 0)) {
		printf("# %s %ld: a page different from the reference was "
		    "reported as rendered\n", what, n);
		good = 0;
	}
	if (r->xml == OMS_OK && (r->xml_len != ref_xml_len ||
	    memcmp(r->xml_out, ref_xml, ref_xml_len) != 0)) {
		printf("# %s %ld: an XML document different from the "
		    "reference was reported as serialized\n", what, n);
		good = 0;
	}
	if ((r->html != OMS_OK && r->html_out != NULL) ||
	    (r->xml != OMS_OK && r->xml_out != NULL)) {
		printf("# %s %ld: an error came with output\n", what, n);
		good = 0;
	}
	return good;
}

static void
test_reference(void)
{
	struct oms_arena *a = oms_arena_new();
	struct run r;

	build_and_render(a, &r);
	is_int(r.html, OMS_OK, "reference: rendered with error.xsl");
	is_int(r.xml, OMS_OK, "reference: serialized as XML");
	ok(r.html == OMS_OK && strstr(r.html_out, "There is no such page: "
	    "\"/x?a=1&amp;b=2\".") != NULL,
	    "reference: the page holds the message");
	ok(r.xml == OMS_OK && strstr(r.xml_out, "<crumb href=\"/customers\" "
	    "n=\"19\">") != NULL, "reference: the XML holds the last crumb");
	if (r.html == OMS_OK && r.xml == OMS_OK) {
		ref_html = malloc(r.html_len + 1);
		memcpy(ref_html, r.html_out, r.html_len + 1);
		ref_html_len = r.html_len;
		ref_xml = malloc(r.xml_len + 1);
		memcpy(ref_xml, r.xml_out, r.xml_len + 1);
		ref_xml_len = r.xml_len;
	}
	oms_arena_free(&a);
}

/* Fail libxml2's nth allocation (and, with persist, all after it) for
 * n = 1, 2, ... until a run sees no failure. */
static void
test_xml_nomem(int persist)
{
	const char *what = persist ? "persistent failure from allocation" :
	    "allocation";
	int clean = 1, leaks = 0, failed_runs = 0;
	long n, live0;

	xmlResetLastError();
	live0 = oms_xmlmem_live();
	for (n = 1; n < 100000; n++) {
		struct oms_arena *a = oms_arena_new();
		unsigned long f0 = oms_xmlmem_failures();
		struct run r;
		int injected;

		oms_xmlmem_fail_at((unsigned long)n, persist);
		build_and_render(a, &r);
		oms_xmlmem_fail_at(0, 0);
		injected = oms_xmlmem_failures() != f0;
		if (!run_is_clean(&r, what, n))
			clean = 0;
		if (injected && r.html == OMS_OK && r.xml == OMS_OK) {
			printf("# %s %ld failed, yet both renders reported "
			    "success\n", what, n);
			clean = 0;
		}
		if (injected)
			failed_runs++;
		oms_arena_free(&a);
		xmlResetLastError();
		if (oms_xmlmem_live() != live0) {
			printf("# %s %ld: %ld blocks leaked\n", what, n,
			    oms_xmlmem_live() - live0);
			live0 = oms_xmlmem_live();
			leaks++;
		}
		if (!injected) {
			ok(r.html == OMS_OK && r.xml == OMS_OK,
			    "nomem (%s): with no failure left, both succeed",
			    what);
			break;
		}
	}
	ok(failed_runs > 50, "nomem (%s): %d runs had an allocation fail",
	    what, failed_runs);
	ok(clean, "nomem (%s): every run gave errors or the reference, "
	    "never a different page", what);
	is_int(leaks, 0, "nomem (%s): no run leaked libxml2 memory", what);
}

/*
 * The arena cannot grow: its first block filled to leave room for only
 * k small allocations, for k = 0, 1, ... until a run succeeds.  This
 * is the path of the use-after-free: a failed oms_arena_defer() frees
 * what it was given.
 */
static void
test_arena_nomem(void)
{
	struct oms_arena *probe = oms_arena_new();
	int cap = 0, clean = 1, leaks = 0, k, failed_runs = 0;
	long live0;

	arena_full = 1;
	while (oms_arena_alloc(probe, 16) != NULL)
		cap++;
	arena_full = 0;
	oms_arena_free(&probe);
	ok(cap > 1000, "arena: a full first block holds %d small pieces", cap);
	xmlResetLastError();
	live0 = oms_xmlmem_live();
	for (k = 0; k < cap; k++) {
		struct oms_arena *a = oms_arena_new();
		struct run r;

		arena_full = 1;
		for (int i = 0; i < cap - k; i++)
			(void)oms_arena_alloc(a, 16);
		build_and_render(a, &r);
		arena_full = 0;
		if (!run_is_clean(&r, "arena room", k))
			clean = 0;
		oms_arena_free(&a);
		xmlResetLastError();
		if (oms_xmlmem_live() != live0) {
			printf("# arena room %d: %ld blocks leaked\n", k,
			    oms_xmlmem_live() - live0);
			live0 = oms_xmlmem_live();
			leaks++;
		}
		if (r.html == OMS_OK && r.xml == OMS_OK)
			break;
		failed_runs++;
	}
	ok(k < cap && failed_runs > 2, "arena: %d runs failed before one "
	    "had room enough", failed_runs);
	ok(clean, "arena: every run gave errors or the reference");
	is_int(leaks, 0, "arena: no run leaked libxml2 memory");
}

/* A builder that latches a failure of its own: the document is not
 * rendered. */
static void
test_latch(void)
{
	struct oms_arena *a = oms_arena_new();
	xmlNodePtr root;
	xmlDocPtr d = oms_doc_new(a, "page", &root);
	const char *out = "x", *media = NULL;
	size_t len = 1;

	ok(d != NULL && !oms_doc_failed(d), "latch: a new document is whole");
	oms_attr(root, "name", "error");
	oms_doc_fail(d);
	ok(oms_doc_failed(d), "bad: latch: oms_doc_fail marks it failed");
	is_int(oms_view_render(views, OMS_SHEET_ERROR, d, a, &out, &len,
	    &media), OMS_ERR_NOMEM, "bad: latch: a failed document is not "
	    "rendered");
	ok(out == NULL && len == 0, "bad: latch: no output");
	is_int(oms_view_xml(d, a, &out, &len), OMS_ERR_NOMEM,
	    "bad: latch: nor serialized");
	ok(oms_doc_failed(NULL), "bad: latch: no document counts as failed");
	oms_attr(NULL, "x", "y"); /* a NULL node: nothing, no crash */
	ok(oms_node(NULL, "x") == NULL && oms_node_text(NULL, "x", "y") == NULL,
	    "latch: building on a NULL parent gives NULL");

	/* A builder that ignores one failed call and carries on. */
	d = oms_doc_new(a, "page", &root);
	oms_xmlmem_fail_at(1, 0);
	oms_attr(root, "title", "lost");
	oms_xmlmem_fail_at(0, 0);
	oms_attr(root, "name", "error");
	ok(oms_doc_failed(d), "bad: latch: one failed oms_attr fails the document");
	out = "x";
	is_int(oms_view_render(views, OMS_SHEET_ERROR, d, a, &out, &len,
	    &media), OMS_ERR_NOMEM, "bad: latch: and it is not rendered");
	oms_arena_free(&a);
}

/* Write s to path; 1 on success. */
static int
put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int good;

	if (f == NULL)
		return 0;
	good = fputs(s, f) >= 0;
	return fclose(f) == 0 && good;
}

/* The whole of the file at path, NUL-terminated, or NULL; free it. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		return NULL;
	do {
		if (n + 4096 + 1 > cap && (s = realloc(s, cap = n + 8192)) == NULL)
			break;
		got = fread(s + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	if (s != NULL)
		s[n] = '\0';
	return s;
}

static char tmp[64], root_dir[128], logpath[160];
static int saved_stderr = -1;

/* Send standard error (our log) to logpath, emptied. */
static void
log_start(void)
{
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

/* Put standard error back; returns 1 when the log holds text. */
static int
log_says(const char *text)
{
	char *s;
	int found;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	s = slurp(logpath);
	found = s != NULL && strstr(s, text) != NULL;
	if (!found)
		printf("#   the log does not say '%s':\n# %s\n", text,
		    s ? s : "(nothing)");
	free(s);
	return found;
}

/* Copy every stylesheet of the source tree's xslt/pages into
 * root_dir/pages; 1 on success. */
static int
copy_sheets(const char *srcdir)
{
	char from[512], to[512];
	struct dirent *de;
	DIR *dir;
	int good = 1, n = 0;

	snprintf(from, sizeof(from), "%s/xslt/pages", srcdir);
	if ((dir = opendir(from)) == NULL)
		return 0;
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);
		char *s;

		if (len < 5 || strcmp(de->d_name + len - 4, ".xsl") != 0)
			continue;
		snprintf(from, sizeof(from), "%s/xslt/pages/%s", srcdir,
		    de->d_name);
		snprintf(to, sizeof(to), "%s/pages/%s", root_dir, de->d_name);
		if ((s = slurp(from)) == NULL || !put(to, s))
			good = 0;
		free(s);
		n++;
	}
	closedir(dir);
	return good && n >= OMS_SHEET__MAX;
}

#define SHEET_HEAD "<?xml version=\"1.0\"?>\n<xsl:stylesheet version=\"1.0\" " \
	"xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
#define SHEET_TAIL "</xsl:stylesheet>\n"

/* Replace pages/error.xsl with body; 1 on success. */
static int
error_sheet(const char *body)
{
	char path[256], s[2048];

	snprintf(path, sizeof(path), "%s/pages/error.xsl", root_dir);
	snprintf(s, sizeof(s), SHEET_HEAD "%s" SHEET_TAIL, body);
	return put(path, s);
}

/* Load the stylesheets of root_dir with the log captured. */
static enum oms_err
load(struct oms_views **v)
{
	enum oms_err e;

	log_start();
	e = oms_views_load(root_dir, v);
	return e;
}

/* Render a small document with error.xsl of v. */
static enum oms_err
render_error(struct oms_views *v)
{
	struct oms_arena *a;
	xmlNodePtr root;
	xmlDocPtr d;
	const char *out, *media;
	size_t len;
	enum oms_err e;

	if (v == NULL)
		return OMS_ERR_INVAL;
	a = oms_arena_new();
	d = oms_doc_new(a, "page", &root);
	e = oms_view_render(v, OMS_SHEET_ERROR, d, a, &out, &len, &media);
	oms_arena_free(&a);
	return e;
}

static void
test_loader(const char *srcdir)
{
	char path[256], s[1024];
	struct oms_views *v = NULL;

	snprintf(tmp, sizeof(tmp), "/tmp/oms-view.XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		ok(0, "loader: a temporary folder");
		return;
	}
	snprintf(root_dir, sizeof(root_dir), "%s/xslt", tmp);
	snprintf(logpath, sizeof(logpath), "%s/log", tmp);
	snprintf(path, sizeof(path), "%s/pages", root_dir);
	mkdir(root_dir, 0700);
	mkdir(path, 0700);
	ok(copy_sheets(srcdir), "loader: copied the stylesheets");

	/* The real stylesheets, copied, load (through the loader). */
	is_int(load(&v), OMS_OK, "loader: the stylesheets of the tree compile");
	log_says("");
	is_int(render_error(v), OMS_OK, "loader: and render");
	if (v == NULL)
		return;
	oms_views_free(&v);

	/* xsl:import of a file with a DOCTYPE declaring an entity. */
	snprintf(path, sizeof(path), "%s/pages/evil.xsl", root_dir);
	put(path, "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
	    SHEET_HEAD "<xsl:template name=\"e\">&e;</xsl:template>"
	    SHEET_TAIL);
	error_sheet("<xsl:import href=\"evil.xsl\"/>"
	    "<xsl:template match=\"/\"><p/></xsl:template>");
	ok(load(&v) != OMS_OK && v == NULL,
	    "bad: loader: an import with a DOCTYPE and an entity is refused");
	ok(log_says("DOCTYPE not allowed"), "bad: loader: the log says "
	    "\"DOCTYPE not allowed\"");

	/* xsl:import of a file outside the folder, by ".." and by an
	 * absolute path. */
	snprintf(path, sizeof(path), "%s/outside.xsl", tmp);
	put(path, SHEET_HEAD "<xsl:template name=\"o\"><o/></xsl:template>"
	    SHEET_TAIL);
	error_sheet("<xsl:import href=\"../../outside.xsl\"/>"
	    "<xsl:template match=\"/\"><p/></xsl:template>");
	ok(load(&v) != OMS_OK && v == NULL,
	    "bad: loader: an import through \"..\" out of the folder is refused");
	ok(log_says("not a file under"), "bad: loader: the log says it is not "
	    "a file under the folder");
	snprintf(s, sizeof(s), "<xsl:import href=\"%s\"/>"
	    "<xsl:template match=\"/\"><p/></xsl:template>", path);
	error_sheet(s);
	ok(load(&v) != OMS_OK && v == NULL,
	    "bad: loader: an import by absolute path out of the folder is "
	    "refused");
	ok(log_says("not a file under"), "bad: loader: the log says so");
	error_sheet("<xsl:import href=\"http://127.0.0.1:9/x.xsl\"/>"
	    "<xsl:template match=\"/\"><p/></xsl:template>");
	ok(load(&v) != OMS_OK && v == NULL,
	    "bad: loader: an import over http is refused");
	ok(log_says("refused"), "bad: loader: the log says refused");

	/* An import inside the folder by an absolute path is fine. */
	snprintf(path, sizeof(path), "%s/pages/inc.xsl", root_dir);
	put(path, SHEET_HEAD "<xsl:template name=\"i\"><i/></xsl:template>"
	    SHEET_TAIL);
	snprintf(s, sizeof(s), "<xsl:import href=\"%s\"/>"
	    "<xsl:template match=\"/\"><p><xsl:call-template name=\"i\"/></p>"
	    "</xsl:template>", path);
	error_sheet(s);
	is_int(load(&v), OMS_OK, "loader: an import inside the folder loads");
	log_says("");
	is_int(v ? render_error(v) : OMS_ERR_XML, OMS_OK,
	    "loader: and renders");
	oms_views_free(&v);

	/* document() of a local file and of a URL: refused at transform. */
	error_sheet("<xsl:template match=\"/\"><p>"
	    "<xsl:value-of select=\"document('/etc/passwd')\"/></p>"
	    "</xsl:template>");
	is_int(load(&v), OMS_OK, "loader: a sheet calling document() on a file "
	    "compiles");
	log_says("");
	log_start();
	ok(v != NULL && render_error(v) != OMS_OK,
	    "bad: loader: document('/etc/passwd') fails the transform");
	ok(log_says("Local file read for /etc/passwd refused"),
	    "bad: loader: the log says the file read was refused");
	oms_views_free(&v);
	error_sheet("<xsl:template match=\"/\"><p>"
	    "<xsl:value-of select=\"document('http://127.0.0.1:9/x')\"/></p>"
	    "</xsl:template>");
	is_int(load(&v), OMS_OK, "loader: a sheet calling document() on a URL "
	    "compiles");
	log_says("");
	log_start();
	ok(v != NULL && render_error(v) != OMS_OK,
	    "bad: loader: document('http://...') fails the transform");
	ok(log_says("Network file read for http://127.0.0.1:9/x refused"),
	    "bad: loader: the log says the network read was refused");
	oms_views_free(&v);

	snprintf(s, sizeof(s), "rm -rf '%s'", tmp);
	if (system(s) != 0)
		printf("# could not remove %s\n", tmp);
}

/*
 * The exchange's mapping stylesheets (oms_xmap_*): a stylesheet written
 * here maps a canonical message with a string parameter; a DOCTYPE in
 * the input is refused; a file that is not a stylesheet is an error.
 */
static void
test_xmap(void)
{
	const char *sheet =
	    "<xsl:stylesheet version='1.0' "
	    "xmlns:xsl='http://www.w3.org/1999/XSL/Transform' "
	    "xmlns:o='urn:oms:exchange:1' exclude-result-prefixes='o'>"
	    "<xsl:output method='xml' omit-xml-declaration='yes'/>"
	    "<xsl:param name='who'/>"
	    "<xsl:template match='/o:Ping'><Pong to='{$who}'>"
	    "<xsl:value-of select='o:n * 2'/></Pong></xsl:template>"
	    "</xsl:stylesheet>";
	const char *in = "<Ping xmlns='urn:oms:exchange:1'><n>21</n></Ping>";
	const char *params[] = {"who", "it's \"x\"", NULL};
	char dir[] = "/tmp/oms-xmap-XXXXXX", path[600], err[256];
	struct oms_arena *a = oms_arena_new();
	struct oms_xmap *m = NULL;
	const char *out = NULL;
	size_t n = 0;
	FILE *f;

	if (mkdtemp(dir) == NULL || a == NULL) {
		ok(0, "xmap: a temporary folder");
		return;
	}
	snprintf(path, sizeof(path), "%s/ping.xsl", dir);
	f = fopen(path, "w");
	fputs(sheet, f);
	fclose(f);
	ok(oms_xmap_load(dir, "ping.xsl", &m, err, sizeof(err)) == OMS_OK,
	    "xmap: a mapping stylesheet compiles (%s)", m ? "" : err);
	ok(m != NULL && oms_xmap_apply(m, in, strlen(in), params, a, &out, &n,
	    err, sizeof(err)) == OMS_OK && out != NULL &&
	    strcmp(out, "<Pong to=\"it's &quot;x&quot;\">42</Pong>\n") == 0,
	    "xmap: maps with a string parameter taken literally (%s)",
	    out ? out : err);

	ok(m != NULL && oms_xmap_apply(m, "<!DOCTYPE x [<!ENTITY e 'y'>]><x/>",
	    34, NULL, a, &out, &n, err, sizeof(err)) == OMS_ERR_XML &&
	    out == NULL && strstr(err, "DOCTYPE") != NULL,
	    "bad: a DOCTYPE in the input is refused (%s)", err);
	oms_xmap_free(&m);
	ok(m == NULL, "xmap: freed and cleared");
	f = fopen(path, "w");
	fputs("<notasheet/>", f);
	fclose(f);
	ok(oms_xmap_load(dir, path, &m, err, sizeof(err)) == OMS_ERR_XML &&
	    m == NULL, "bad: a file that is not a stylesheet (%s)", err);
	unlink(path);
	rmdir(dir);
	oms_arena_free(&a);
}

int
main(void)
{
	const char *srcdir = getenv("OMS_SRCDIR");
	char dir[512];

	if (srcdir == NULL)
		srcdir = "..";
	/* Before libxml2 allocates anything: the OOM loops and the leak
	 * counts need it. */
	oms_xmlmem_track(1);
	oms_views_init();
	snprintf(dir, sizeof(dir), "%s/xslt", srcdir);
	if (oms_views_load(dir, &views) != OMS_OK) {
		printf("Bail out! cannot load the stylesheets of %s\n", dir);
		return 1;
	}
	test_reference();
	if (ref_html == NULL) {
		printf("Bail out! no reference render\n");
		return 1;
	}
	/* The loops log every failure they cause; keep them out of the
	 * test's log. */
	snprintf(logpath, sizeof(logpath), "/dev/null");
	log_start();
	test_xml_nomem(0);
	test_xml_nomem(1);
	test_arena_nomem();
	test_latch();
	test_xmap();
	log_says("");
	oms_views_free(&views);
	test_loader(srcdir);
	free(ref_html);
	free(ref_xml);
	return tap_done();
}

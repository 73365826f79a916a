/*
 * billdocs.c: rendering the documents of issued invoices once and
 * storing them (billdocs.h).
 *
 * Each document comes from the page stylesheets over the same XML as
 * the pages (oms_invoice_xml, oms_report_xml under a <page> with
 * <links/> and <orders/>), so a stored body is byte for byte what the
 * page would render live.  PDFs: the printable pages are written to a
 * private temporary folder (the print stylesheet pointed at print.css
 * as a file), the renderer is run once over the batch as `renderer
 * IN.html OUT.pdf ...`, and each PDF is read back and stored.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "billdocs.h"
#include "billxml.h"
#include "documents.h"
#include "statement.h"
#include "store.h"
#include "view.h"

extern char **environ;

/* A PDF larger than this is refused (the renderer went wrong). */
#define PDF_MAX ((size_t)64 << 20)

/* The paper size of the print layout for a customer in country:
 * Letter in the United States and Canada, A4 elsewhere. */
static const char *
paper_of(const char *country)
{
	if (country != NULL && (strcmp(country, "US") == 0 ||
	    strcmp(country, "CA") == 0))
		return "letter";
	return "a4";
}

/* Described in billdocs.h: the <links/> of an invoice's documents. */
void
oms_billdocs_links(struct oms_arena *a, xmlNodePtr root,
    const struct oms_invoice *inv, unsigned have, const char *css)
{
	xmlNodePtr n = oms_node(root, "links");
	long long id = (long long)inv->id;

	oms_attr(n, "invoice", oms_arena_printf(a, "/invoices/%lld", id));
	oms_attr(n, "print", oms_arena_printf(a, "/invoices/%lld/print", id));
	oms_attr(n, "xml", oms_arena_printf(a, "/invoices/%lld?format=xml", id));
	oms_attr(n, "report", oms_arena_printf(a, "/invoices/%lld/report", id));
	oms_attr(n, "report-print", oms_arena_printf(a,
	    "/invoices/%lld/report?format=print", id));
	oms_attr(n, "report-csv", oms_arena_printf(a,
	    "/invoices/%lld/report.csv", id));
	oms_attr(n, "report-xml", oms_arena_printf(a,
	    "/invoices/%lld/report?format=xml", id));
	if (have & (1u << OMS_DOC_INVOICE_PDF))
		oms_attr(n, "pdf", oms_arena_printf(a,
		    "/invoices/%lld/invoice.pdf", id));
	if (have & (1u << OMS_DOC_REPORT_PDF))
		oms_attr(n, "report-pdf", oms_arena_printf(a,
		    "/invoices/%lld/report.pdf", id));
	oms_attr(n, "customer", oms_arena_printf(a, "/customers/%lld",
	    (long long)inv->customer));
	oms_attr(n, "statement", oms_arena_printf(a,
	    "/customers/%lld/statement", (long long)inv->customer));
	oms_attr(n, "invoices", oms_arena_printf(a, "/invoices?customer=%lld",
	    (long long)inv->customer));
	oms_attr(n, "paper", paper_of(inv->country));
	if (css != NULL)
		oms_attr(n, "css", css);
}

/* Described in billdocs.h: the <orders> behind the one-time lines. */
enum oms_err
oms_billdocs_orders(struct oms_store *st, struct oms_arena *a,
    xmlNodePtr root, int64_t invoice)
{
	struct oms_order_link *ol;
	size_t nol;
	xmlNodePtr n;
	enum oms_err e;

	if ((e = oms_invoice_order_links(st, a, invoice, &ol, &nol)) != OMS_OK)
		return e;
	n = oms_node(root, "orders");
	for (size_t i = 0; i < nol; i++) {
		xmlNodePtr o = oms_node(n, "order");

		oms_attr_int(o, "line", ol[i].order_line);
		oms_attr(o, "href", oms_arena_printf(a, "/orders/%lld",
		    (long long)ol[i].order));
	}
	return OMS_OK;
}

/* One invoice's rendered documents, before they are stored. */
struct rendered {
	int64_t id;                        /* the invoice */
	const char *body[OMS_DOC__MAX];    /* NULL: not rendered */
	size_t len[OMS_DOC__MAX];
};

/*
 * The two view documents of issued invoice id for rendering outside a
 * request, in arena a: *inv_doc (<page> with <links/>, <orders/> and
 * <invoice>) and *rep_doc (<page> with <links/> and <report>), links
 * naming css when not NULL.  OMS_OK; OMS_ERR_NOTFOUND; OMS_ERR_NOMEM;
 * the store's error.
 */
static enum oms_err
page_docs(struct oms_store *st, struct oms_arena *a, int64_t id,
    const char *css, xmlDocPtr *inv_doc, xmlDocPtr *rep_doc)
{
	struct oms_invoice inv;
	xmlNodePtr root;
	enum oms_err e;

	if ((e = oms_invoice_get(st, a, id, 0, &inv)) != OMS_OK)
		return e;
	if ((*inv_doc = oms_doc_new(a, "page", &root)) == NULL)
		return OMS_ERR_NOMEM;
	oms_billdocs_links(a, root, &inv, 0, css);
	if ((e = oms_billdocs_orders(st, a, root, id)) != OMS_OK)
		return e;
	oms_invoice_xml(root, &inv);
	if ((*rep_doc = oms_doc_new(a, "page", &root)) == NULL)
		return OMS_ERR_NOMEM;
	oms_billdocs_links(a, root, &inv, 0, css);
	oms_report_xml(root, &inv);
	return OMS_OK;
}

/* The stores of a rendered invoice's documents, as one unit of work. */
static enum oms_err
store_rendered(struct oms_store *st, void *arg)
{
	const struct rendered *r = arg;
	enum oms_err e;

	for (int k = 0; k < OMS_DOC__MAX; k++)
		if (r->body[k] != NULL && (e = oms_doc_put(st, r->id,
		    (enum oms_doc_kind)k, r->body[k], r->len[k])) != OMS_OK)
			return e;
	return OMS_OK;
}

/*
 * Render the page bodies and printable pages of invoice id into *r
 * (bodies in arena a).  OMS_OK or the error of reading or rendering.
 */
static enum oms_err
render_pages(struct oms_store *st, struct oms_views *v, struct oms_arena *a,
    int64_t id, struct rendered *r)
{
	static const struct {
		enum oms_doc_kind kind;
		enum oms_sheet sheet;
		int report;
	} plan[] = {
		{OMS_DOC_INVOICE_HTML, OMS_SHEET_INVOICE_BODY, 0},
		{OMS_DOC_INVOICE_PRINT, OMS_SHEET_INVOICE_PRINT, 0},
		{OMS_DOC_REPORT_HTML, OMS_SHEET_REPORT_BODY, 1},
		{OMS_DOC_REPORT_PRINT, OMS_SHEET_REPORT_PRINT, 1},
	};
	xmlDocPtr d[2];
	const char *media;
	enum oms_err e;

	memset(r, 0, sizeof(*r));
	r->id = id;
	if ((e = page_docs(st, a, id, NULL, &d[0], &d[1])) != OMS_OK)
		return e;
	for (size_t i = 0; i < OMS_NELEM(plan); i++)
		if ((e = oms_view_render(v, plan[i].sheet, d[plan[i].report],
		    a, &r->body[plan[i].kind], &r->len[plan[i].kind],
		    &media)) != OMS_OK)
			return e;
	return OMS_OK;
}

/* Described in billdocs.h: the pages of pending invoices. */
enum oms_err
oms_billdocs_pages(struct oms_store *st, struct oms_views *v,
    const struct oms_billdocs_pdf *p, size_t max, size_t *done)
{
	struct oms_arena *a = oms_arena_new(), *one;
	int64_t *ids;
	size_t n;
	enum oms_err e;

	*done = 0;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	e = oms_doc_pending(st, a, OMS_DOC_INVOICE_HTML, 0, max, &ids, &n);
	for (size_t i = 0; e == OMS_OK && i < n; i++) {
		struct rendered r;

		if ((one = oms_arena_new()) == NULL) {
			e = OMS_ERR_NOMEM;
			break;
		}
		e = render_pages(st, v, one, ids[i], &r);
		if (e == OMS_OK)
			e = oms_store_unit(st, store_rendered, &r);
		if (e == OMS_OK)
			(*done)++;
		else
			oms_warn("documents: invoice id %lld: pages not "
			    "stored: %s", (long long)ids[i], oms_strerror(e));
		oms_arena_free(&one);
		if (e == OMS_OK && p != NULL && p->tick != NULL &&
		    !p->tick(p->arg))
			e = OMS_ERR_DENIED;
	}
	oms_arena_free(&a);
	return e;
}

/* ------------------------------------------------------------------
 * PDFs
 */

/* Write len bytes of s to path (created, mode 0600).  0 or -1. */
static int
write_file(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, s + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	return close(fd);
}

/*
 * Read the whole file path into arena a: *out and *len.  0, or -1 when
 * it cannot be read, is empty, is larger than PDF_MAX or is no PDF.
 */
static int
read_pdf(struct oms_arena *a, const char *path, const char **out,
    size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	char *buf;
	size_t off = 0;

	if (fd < 0)
		return -1;
	if (fstat(fd, &sb) != 0 || sb.st_size < 5 ||
	    (size_t)sb.st_size > PDF_MAX ||
	    (buf = oms_arena_alloc(a, (size_t)sb.st_size)) == NULL) {
		close(fd);
		return -1;
	}
	while (off < (size_t)sb.st_size) {
		ssize_t r = read(fd, buf + off, (size_t)sb.st_size - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	if (off != (size_t)sb.st_size || memcmp(buf, "%PDF-", 5) != 0)
		return -1;
	*out = buf;
	*len = off;
	return 0;
}

/* Remove the files of folder dir (flat) and the folder. */
static void
remove_dir(const char *dir, const char *const *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (files[i] != NULL)
			unlink(files[i]);
	rmdir(dir);
}

/*
 * Run argv[0] with argv and wait for it, calling p->tick about every
 * 100 ms.  Its signal mask and dispositions are the defaults, whatever
 * the caller's.  Returns its exit status (0..255), 128 + the signal
 * that ended it, -1 when it could not be started, -2 when tick said
 * stop (it was killed).
 */
static int
run_renderer(const struct oms_billdocs_pdf *p, char *const argv[])
{
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int status, rc;

	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGCHLD);
	if (posix_spawnattr_init(&at) != 0)
		return -1;
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, argv[0], NULL, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		oms_warn("documents: cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			oms_warn("documents: lost the renderer: %s",
			    strerror(errno));
			return -1;
		}
		if (w == 0 && p->tick != NULL && !p->tick(p->arg)) {
			/* It stops its browser on SIGTERM. */
			kill(pid, SIGTERM);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return -2;
		}
		if (w == 0) {
			struct timespec ts = {0, 100 * 1000 * 1000};

			nanosleep(&ts, NULL);
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

/*
 * Render the PDFs of the n invoices ids[] in one run of the renderer
 * and store them, each invoice in its own unit.  *stored counts them.
 * OMS_OK; OMS_ERR_INVAL when the run failed (nothing stored);
 * OMS_ERR_DENIED when stopped; OMS_ERR_CONFIG when the renderer could
 * not be started; the error of reading or rendering the pages.
 */
static enum oms_err
pdf_batch(struct oms_store *st, struct oms_views *v,
    const struct oms_billdocs_pdf *p, const int64_t *ids, size_t n,
    size_t *stored)
{
	struct oms_arena *a = oms_arena_new();
	const char *tmp = getenv("TMPDIR");
	char *dir, **argv, **files, *css;
	size_t nf = 0;
	enum oms_err e = OMS_OK;
	int rc;

	*stored = 0;
	if (a == NULL)
		return OMS_ERR_NOMEM;
	dir = oms_arena_printf(a, "%s/oms-docs.XXXXXX",
	    tmp != NULL && tmp[0] == '/' ? tmp : "/tmp");
	argv = oms_arena_alloc(a, (4 * n + 2) * sizeof(*argv));
	files = oms_arena_alloc(a, 4 * n * sizeof(*files));
	css = oms_arena_printf(a, "file://%s", p->css_file);
	if (dir == NULL || argv == NULL || files == NULL || css == NULL) {
		oms_arena_free(&a);
		return OMS_ERR_NOMEM;
	}
	if (mkdtemp(dir) == NULL) {
		oms_warn("documents: cannot make a folder %s: %s", dir,
		    strerror(errno));
		oms_arena_free(&a);
		return OMS_ERR_IO;
	}
	argv[0] = (char *)p->renderer;
	for (size_t i = 0; e == OMS_OK && i < n; i++) {
		xmlDocPtr d[2];

		if (i > 0 && p->tick != NULL && !p->tick(p->arg)) {
			e = OMS_ERR_DENIED;
			break;
		}
		if ((e = page_docs(st, a, ids[i], css, &d[0], &d[1])) !=
		    OMS_OK)
			break;
		for (int k = 0; e == OMS_OK && k < 2; k++) {
			const char *out, *media;
			size_t len;
			char *in = oms_arena_printf(a, "%s/%lld-%d.html", dir,
			    (long long)ids[i], k);
			char *pdf = oms_arena_printf(a, "%s/%lld-%d.pdf", dir,
			    (long long)ids[i], k);

			if (in == NULL || pdf == NULL) {
				e = OMS_ERR_NOMEM;
				break;
			}
			if ((e = oms_view_render(v, k ? OMS_SHEET_REPORT_PRINT :
			    OMS_SHEET_INVOICE_PRINT, d[k], a, &out, &len,
			    &media)) != OMS_OK)
				break;
			files[nf++] = in;
			if (write_file(in, out, len) != 0) {
				oms_warn("documents: cannot write %s: %s", in,
				    strerror(errno));
				e = OMS_ERR_IO;
				break;
			}
			files[nf++] = pdf;
			argv[1 + 4 * i + 2 * k] = in;
			argv[2 + 4 * i + 2 * k] = pdf;
		}
	}
	if (e == OMS_OK) {
		argv[1 + 4 * n] = NULL;
		rc = run_renderer(p, argv);
		if (rc == -2)
			e = OMS_ERR_DENIED;
		else if (rc == -1 || rc == 3 || rc == 126 || rc == 127)
			e = OMS_ERR_CONFIG;
		else if (rc != 0) {
			oms_warn("documents: %s failed (status %d) on %zu "
			    "invoice(s) from id %lld", p->renderer, rc, n,
			    (long long)ids[0]);
			e = OMS_ERR_INVAL;
		}
	}
	for (size_t i = 0; e == OMS_OK && i < n; i++) {
		struct rendered r;

		memset(&r, 0, sizeof(r));
		r.id = ids[i];
		if (read_pdf(a, argv[2 + 4 * i], &r.body[OMS_DOC_INVOICE_PDF],
		    &r.len[OMS_DOC_INVOICE_PDF]) != 0 ||
		    read_pdf(a, argv[4 + 4 * i], &r.body[OMS_DOC_REPORT_PDF],
		    &r.len[OMS_DOC_REPORT_PDF]) != 0) {
			oms_warn("documents: invoice id %lld: the renderer "
			    "wrote no PDF", (long long)ids[i]);
			e = OMS_ERR_INVAL;
			break;
		}
		if ((e = oms_store_unit(st, store_rendered, &r)) == OMS_OK)
			(*stored)++;
	}
	remove_dir(dir, (const char *const *)files, nf);
	oms_arena_free(&a);
	return e;
}

/* Described in billdocs.h: the PDFs of pending invoices. */
enum oms_err
oms_billdocs_pdfs(struct oms_store *st, struct oms_views *v,
    const struct oms_billdocs_pdf *p, int64_t *before, size_t max,
    size_t *done, size_t *failed)
{
	struct oms_arena *a;
	int64_t *ids;
	size_t n, got;
	enum oms_err e;

	*done = 0;
	*failed = 0;
	if (p->renderer == NULL || p->renderer[0] == '\0')
		return OMS_OK;
	if ((a = oms_arena_new()) == NULL)
		return OMS_ERR_NOMEM;
	e = oms_doc_pending_short(st, a, OMS_DOC_INVOICE_PDF, *before,
	    p->max_lines, max, &ids, &n);
	if (e == OMS_OK && n > 0) {
		e = pdf_batch(st, v, p, ids, n, &got);
		*done += got;
		if (e == OMS_OK)
			*before = ids[n - 1];
		else if (e == OMS_ERR_INVAL) {
			/* One at a time: keep the good ones, skip the bad. */
			e = OMS_OK;
			for (size_t i = got; e == OMS_OK && i < n; i++) {
				e = pdf_batch(st, v, p, &ids[i], 1, &got);
				*done += got;
				if (e == OMS_ERR_INVAL) {
					oms_warn("documents: invoice id %lld: "
					    "no PDF; skipped until omsd "
					    "restarts", (long long)ids[i]);
					(*failed)++;
					e = OMS_OK;
				}
				if (e == OMS_OK)
					*before = ids[i];
			}
		}
	}
	oms_arena_free(&a);
	return e;
}

/*
 * job.c: the job processes of omsd (see job.h) and the job kinds.
 *
 * Signals: SIGTERM and SIGINT stay blocked (the master blocked them
 * before forking) and are only taken with sigtimedwait(2) while the
 * process waits, between steps; so a step always finishes, and no
 * system call inside a unit of work is ever interrupted.
 *
 * Timing: the lease lasts lease_time seconds and is renewed every third
 * of it; a process waiting for the lease tries again when the holder's
 * lease runs out (as the database said) or every third of lease_time,
 * whichever comes first, so a released lease is taken within a third
 * of lease_time and a crashed holder's within lease_time and a third.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "billdocs.h"
#include "billing.h"
#include "billrun.h"
#include "date.h"
#include "dispatch.h"
#include "job.h"
#include "migrate.h"
#include "stmts.h"
#include "sweep.h"
#include "view.h"

static enum oms_err run_sessions(struct oms_job_ctx *);
static enum oms_err run_billing(struct oms_job_ctx *);
static enum oms_err run_exchange(struct oms_job_ctx *);

const struct oms_job_def oms_jobs[OMS_JOB__MAX] = {
	{"sessions", run_sessions, 0}, /* OMS_JOB_SESSIONS */
	{"billing", run_billing, 0},   /* OMS_JOB_BILLING */
	{"exchange", run_exchange, 1}, /* OMS_JOB_EXCHANGE */
};

/* The enum oms_job_kind of the kind named name, or -1 for none. */
int
oms_job_lookup(const char *name)
{
	for (int i = 0; i < OMS_JOB__MAX; i++)
		if (strcmp(name, oms_jobs[i].name) == 0)
			return i;
	return -1;
}

/*
 * Parse a [jobs] run list ("sessions", "a, b": names separated by
 * commas or blanks) into want[kind] = 1 for each kind named, 0 for the
 * others.  Returns OMS_OK, or OMS_ERR_CONFIG with a message in err
 * (errsz bytes) naming the unknown kind.
 */
enum oms_err
oms_job_parse(const char *list, int want[OMS_JOB__MAX], char *err,
    size_t errsz)
{
	const char *p = list;

	for (int i = 0; i < OMS_JOB__MAX; i++)
		want[i] = 0;
	while (*p != '\0') {
		char name[64];
		size_t n;
		int k;

		p += strspn(p, " ,\t");
		if ((n = strcspn(p, " ,\t")) == 0)
			break;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, p, n);
		name[n] = '\0';
		p += strcspn(p, " ,\t");
		if ((k = oms_job_lookup(name)) < 0) {
			size_t o = (size_t)snprintf(err, errsz, "unknown job "
			    "'%s' in [jobs] run (known:", name);

			for (int i = 0; i < OMS_JOB__MAX && o < errsz; i++)
				o += (size_t)snprintf(err + o, errsz - o, " %s",
				    oms_jobs[i].name);
			if (o < errsz)
				snprintf(err + o, errsz - o, ")");
			return OMS_ERR_CONFIG;
		}
		want[k] = 1;
	}
	return OMS_OK;
}

/* Milliseconds of a third of the lease, at least 100. */
static int64_t
third(const struct oms_job_ctx *x)
{
	int64_t t = x->lease.ttl_ms / 3;

	return t < 100 ? 100 : t;
}

/*
 * Sleep up to ms milliseconds, or until SIGTERM or SIGINT arrives
 * (ms 0: only look).  Returns 1 when one did (x->stopping is set), 0
 * when the time passed.
 */
static int
nap(struct oms_job_ctx *x, int64_t ms)
{
	sigset_t set;
	struct timespec ts;
	int sig;

	if (x->stopping)
		return 1;
	if (ms < 0)
		ms = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	do
		sig = sigtimedwait(&set, NULL, &ts);
	while (sig < 0 && errno == EINTR && ms > 0);
	if (sig == SIGTERM || sig == SIGINT)
		x->stopping = 1;
	return x->stopping;
}

/*
 * For run functions: wait ms milliseconds (only there are SIGTERM and
 * SIGINT taken), renewing the lease whenever it is due.  Returns 1 to
 * go on with the next step, 0 to stop at once: asked to stop, or the
 * lease lost (taken by another holder, or not renewed before it ran
 * out).  A failed renewal with time left is retried, not fatal.
 */
int
oms_job_wait(struct oms_job_ctx *x, int64_t ms)
{
	int64_t deadline = oms_now_us() + ms * 1000;
	const char *name = oms_jobs[x->kind].name;

	if (oms_jobs[x->kind].shared)
		return !nap(x, ms); /* no lease to renew */
	for (;;) {
		int64_t now = oms_now_us();
		int64_t until = deadline < x->renew_at ? deadline : x->renew_at;
		enum oms_err e;

		if (nap(x, (until - now + 999) / 1000))
			return 0;
		now = oms_now_us();
		if (now >= x->renew_at) {
			e = oms_lease_renew(x->st, &x->lease);
			if (e == OMS_OK)
				x->renew_at = now + third(x) * 1000;
			else if (e == OMS_ERR_DENIED) {
				oms_warn("job %s: the lease passed to another "
				    "holder: stopping work", name);
				return 0;
			} else if (!oms_lease_held(&x->lease)) {
				oms_warn("job %s: the lease could not be renewed "
				    "before it ran out (%s): stopping work",
				    name, oms_strerror(e));
				return 0;
			} else {
				oms_warn("job %s: lease renewal failed (%s); "
				    "trying again", name, oms_strerror(e));
				x->renew_at = now + 200000;
			}
		}
		if (oms_now_us() >= deadline)
			return 1;
	}
}

/*
 * For run functions: one step, fn(st, arg) as a unit of work fenced by
 * the job's lease.  Returns fn's result, OMS_ERR_DENIED when the lease
 * is no longer held (nothing was committed; the run function must
 * return), or a store error.
 */
enum oms_err
oms_job_unit(struct oms_job_ctx *x, oms_unit_fn fn, void *arg)
{
	enum oms_err e;

	if (oms_jobs[x->kind].shared)
		return oms_store_unit(x->st, fn, arg);
	if (!oms_lease_held(&x->lease))
		return OMS_ERR_DENIED; /* it may have run out: do nothing */
	e = oms_lease_unit(x->st, &x->lease, fn, arg);
	if (e == OMS_ERR_DENIED && x->lease.epoch == 0)
		oms_warn("job %s: the lease passed to another holder: the "
		    "step was not committed", oms_jobs[x->kind].name);
	return e;
}

/*
 * The sessions job: every sessions_interval seconds, delete the
 * sessions past their idle or absolute timeout ([auth]), and log how
 * many when there were some.  Returns OMS_OK when asked to stop,
 * OMS_ERR_DENIED when the lease was lost.
 */
static enum oms_err
run_sessions(struct oms_job_ctx *x)
{
	enum oms_err e;

	do {
		struct oms_sweep sw = {&x->conf->auth, (int64_t)time(NULL), 0};

		e = oms_job_unit(x, oms_sweep_sessions, &sw);
		if (e == OMS_ERR_DENIED)
			return e;
		if (e != OMS_OK)
			oms_warn("job sessions: sweep failed: %s",
			    oms_strerror(e));
		else if (sw.deleted > 0)
			oms_info("job sessions: deleted %lld expired "
			    "session(s) under lease epoch %lld",
			    (long long)sw.deleted, (long long)x->lease.epoch);
	} while (oms_job_wait(x, (int64_t)x->conf->jobs.sessions_interval *
	    1000));
	return x->stopping ? OMS_OK : OMS_ERR_DENIED;
}

/* How often the billing job looks for a queued run (ms). */
#define BILLING_POLL_MS 2000
/* At most one progress update of a run a second (us). */
#define BILLING_PROGRESS_US 1000000

/* The state of one billing run in the job, for its progress callback. */
struct billing_run {
	struct oms_job_ctx *x;
	struct oms_billrun_step step; /* the run's row */
	struct oms_bill_opts opts;    /* what oms_bill_issue was given */
	int64_t last_us;              /* oms_now_us() of the last update */
	int stop;                     /* 1: asked to stop or lease lost */
};

/*
 * oms_bill_issue's progress callback: renew the lease when due (a run
 * may outlast it) and, at most once a second and at the end, write
 * done of total into the run's row in a unit of work of its own fenced
 * by the lease.  When the job is asked to stop or the lease is lost,
 * ask oms_bill_issue to stop after the customer just committed (through
 * its stop_after: the period is left half issued, as a crash would
 * leave it, and the next holder resumes the run).
 */
static void
billing_progress(void *arg, size_t done, size_t total)
{
	struct billing_run *r = arg;
	int64_t now = oms_now_us();
	enum oms_err e;

	if (!oms_job_wait(r->x, 0))
		r->stop = 1;
	if (!r->stop && (done == total ||
	    now - r->last_us >= BILLING_PROGRESS_US)) {
		r->step.done = (int64_t)done;
		r->step.total = (int64_t)total;
		r->last_us = now;
		e = oms_job_unit(r->x, oms_billrun_progress, &r->step);
		if (e == OMS_ERR_DENIED)
			r->stop = 1;
		else if (e != OMS_OK)
			oms_warn("job billing: run %lld: progress not recorded: "
			    "%s", (long long)r->step.id, oms_strerror(e));
	}
	if (r->stop)
		r->opts.stop_after = 1;
}

/*
 * Run the billing run r->step (marked running) at its business date:
 * oms_bill_issue with progress, then record done or failed.  Returns
 * OMS_OK; OMS_ERR_DENIED when the lease was lost or the job asked to
 * stop midway (the row stays running, for the next holder).
 */
static enum oms_err
billing_issue(struct billing_run *r)
{
	struct oms_job_ctx *x = r->x;
	struct oms_bill_result res;
	const char *why = NULL;
	char day[11];
	enum oms_err e;

	memset(&r->opts, 0, sizeof(r->opts));
	r->opts.currency = x->conf->currency;
	r->opts.backdate_days = x->conf->backdate_days;
	r->opts.progress = billing_progress;
	r->opts.progress_arg = r;
	r->last_us = 0;
	r->stop = 0;
	oms_info("job billing: run %lld: issuing %s at business date %s",
	    (long long)r->step.id, r->step.period,
	    oms_date_format(r->step.business_day, day));
	oms_date_set_today(r->step.business_day);
	e = oms_bill_issue(x->st, r->step.period, &r->opts, &res, &why);
	oms_date_set_today(0);
	if (r->stop) {
		oms_info("job billing: run %lld: stopped after %zu customers; "
		    "the next holder of the lease resumes it",
		    (long long)r->step.id, res.customers);
		return OMS_ERR_DENIED;
	}
	r->step.ok = e == OMS_OK;
	r->step.invoices = (int64_t)res.invoices;
	r->step.message = e == OMS_OK ? NULL : why != NULL ? why :
	    oms_strerror(e);
	if (e == OMS_OK)
		oms_info("job billing: run %lld: %s issued: %zu invoices for "
		    "%zu customers%s", (long long)r->step.id, r->step.period,
		    res.invoices, res.customers, res.already ?
		    " (issued already)" : "");
	else
		oms_warn("job billing: run %lld: %s failed: %s",
		    (long long)r->step.id, r->step.period, r->step.message);
	e = oms_job_unit(x, oms_billrun_end, &r->step);
	if (e != OMS_OK && e != OMS_ERR_DENIED)
		oms_warn("job billing: run %lld: its end not recorded: %s",
		    (long long)r->step.id, oms_strerror(e));
	return e == OMS_ERR_DENIED ? e : OMS_OK;
}

/* Invoices whose pages are rendered a step, and whose PDFs a batch. */
#define DOCS_PAGES_STEP 20
#define DOCS_PDF_BATCH 8
/* How long PDFs wait after the renderer could not run, or after a pass
 * that skipped an invoice it could not render (us). */
#define DOCS_PDF_BACKOFF_US (600 * 1000000LL)
/* How long PDFs wait after a pass that found nothing to do (us). */
#define DOCS_PDF_IDLE_US (30 * 1000000LL)

/* The billing job's documents (billdocs.h), across its steps. */
struct billing_docs {
	struct oms_views *v;      /* the stylesheets, loaded at first use */
	int broken;               /* 1: they could not be loaded */
	char css[PATH_MAX];       /* print.css for the renderer; "": none */
	int64_t before;           /* the PDF pass's position (invoice id;
	                           * 0: from the newest) */
	size_t skipped;           /* invoices the pass skipped */
	int64_t idle_until;       /* oms_now_us() before which no PDFs */
};

/* billdocs' tick while the PDF renderer runs (it waits between
 * ticks): renew the lease when due, see a stop.  1 to go on, 0 to
 * stop. */
static int
docs_tick(void *arg)
{
	return oms_job_wait(arg, 0);
}

/*
 * Load the stylesheets and find print.css (beside the stylesheets'
 * folder, as installed and in the source tree) at first use.  0 when
 * ready, -1 when the stylesheets cannot be loaded (logged once).
 */
static int
docs_ready(struct oms_job_ctx *x, struct billing_docs *d)
{
	char path[PATH_MAX + 32];

	if (d->v != NULL)
		return 0;
	if (d->broken)
		return -1;
	if (oms_views_load(x->conf->xslt_dir, &d->v) != OMS_OK) {
		oms_error("job billing: cannot load the stylesheets in %s: no "
		    "invoice documents are made", x->conf->xslt_dir);
		d->broken = 1;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/../www/static/print.css",
	    x->conf->xslt_dir);
	if (realpath(path, d->css) == NULL) {
		d->css[0] = '\0';
		if (x->conf->pdf_renderer[0] != '\0')
			oms_warn("job billing: %s not found: no PDFs are made",
			    path);
	}
	return 0;
}

/*
 * One step of the documents of issued invoices: the pages of up to
 * DOCS_PAGES_STEP invoices, else the PDFs of a batch.  Returns 1 when
 * it did something (more may be waiting), 0 when nothing was to do,
 * -1 when the job was asked to stop or lost the lease.
 */
static int
billing_documents(struct oms_job_ctx *x, struct billing_docs *d)
{
	struct oms_billdocs_pdf p;
	size_t done = 0, failed = 0;
	enum oms_err e;

	if (docs_ready(x, d) != 0)
		return 0;
	if (!oms_job_wait(x, 0))
		return -1;
	memset(&p, 0, sizeof(p));
	p.renderer = x->conf->pdf_renderer;
	p.css_file = d->css;
	p.max_lines = x->conf->pdf_max_lines;
	p.tick = docs_tick;
	p.arg = x;
	e = oms_billdocs_pages(x->st, d->v, &p, DOCS_PAGES_STEP, &done);
	if (done > 0)
		oms_info("job billing: pages of %zu invoice(s) stored", done);
	if (e == OMS_ERR_DENIED)
		return -1;
	if (e != OMS_OK)
		oms_warn("job billing: invoice pages: %s", oms_strerror(e));
	if (done > 0)
		return 1;
	if (x->conf->pdf_renderer[0] == '\0' || d->css[0] == '\0' ||
	    oms_now_us() < d->idle_until)
		return 0;
	e = oms_billdocs_pdfs(x->st, d->v, &p, &d->before, DOCS_PDF_BATCH,
	    &done, &failed);
	d->skipped += failed;
	if (done > 0)
		oms_info("job billing: PDFs of %zu invoice(s) stored", done);
	if (e == OMS_ERR_DENIED)
		return -1;
	if (e == OMS_ERR_CONFIG) {
		oms_warn("job billing: the PDF renderer %s cannot run; PDFs "
		    "are tried again in %lld minutes", p.renderer,
		    DOCS_PDF_BACKOFF_US / 60000000LL);
		d->idle_until = oms_now_us() + DOCS_PDF_BACKOFF_US;
		return 0;
	}
	if (e != OMS_OK) {
		oms_warn("job billing: PDFs: %s", oms_strerror(e));
		return 0;
	}
	if (done > 0 || failed > 0)
		return 1;
	/* The end of a pass: start again from the newest, after a pause
	 * (the pending query counts the lines of every invoice still
	 * without a PDF: not at every poll), a long one when some invoice
	 * was skipped. */
	d->idle_until = oms_now_us() + (d->skipped > 0 ? DOCS_PDF_BACKOFF_US :
	    DOCS_PDF_IDLE_US);
	d->before = 0;
	d->skipped = 0;
	return 0;
}

/*
 * The billing job: every BILLING_POLL_MS, take the oldest run queued
 * (or left running by a holder that lost the lease), mark it running
 * and issue its period; at once again after a run, in case another is
 * queued; with no run queued, a step of the documents of issued
 * invoices (billing_documents).  The job holds the lease named
 * "billing", the one `omsctl bill issue` takes: the two never issue
 * at the same time.  Returns
 * OMS_OK when asked to stop, OMS_ERR_DENIED when the lease was lost.
 */
static enum oms_err
run_billing(struct oms_job_ctx *x)
{
	struct billing_run r;
	struct billing_docs docs;
	enum oms_err e;
	int64_t wait;
	int did;

	memset(&docs, 0, sizeof(docs));
	do {
		memset(&r, 0, sizeof(r));
		r.x = x;
		wait = BILLING_POLL_MS;
		e = oms_job_unit(x, oms_billrun_next, &r.step);
		if (e == OMS_ERR_DENIED)
			return e;
		if (e != OMS_OK)
			oms_warn("job billing: cannot read the queue: %s",
			    oms_strerror(e));
		else if (r.step.found) {
			if (billing_issue(&r) == OMS_ERR_DENIED) {
				e = OMS_ERR_DENIED;
				break;
			}
			/* New invoices: their PDFs need not wait. */
			docs.idle_until = 0;
			wait = 0;
		} else if ((did = billing_documents(x, &docs)) < 0) {
			e = OMS_ERR_DENIED;
			break;
		} else if (did > 0)
			wait = 0;
		e = OMS_OK;
	} while (oms_job_wait(x, wait));
	oms_views_free(&docs.v);
	return x->stopping ? OMS_OK : OMS_ERR_DENIED;
}

/* How long the exchange job waits when nothing was due (ms). */
#define EXCHANGE_POLL_MS 250

/* The dispatcher's tick between two messages: 0 once the job is asked
 * to stop (a batch may take long), so the rest of it is given back. */
static int
exchange_tick(void *arg)
{
	return oms_job_wait(arg, 0);
}

/*
 * The exchange job: the outbox dispatcher (dispatch.h) over every
 * [exchange NAME] system of oms.conf, without a lease: any number of
 * hosts run it at once and the claims on the outbox rows keep each
 * message with one of them.  Steps at once while messages were due,
 * else every EXCHANGE_POLL_MS.  A system that cannot be set up is
 * logged and its messages wait (the others go on); with no section at
 * all the job idles.  Returns OMS_OK when asked to stop.
 */
static enum oms_err
run_exchange(struct oms_job_ctx *x)
{
	struct oms_dispatch_opts o;
	struct oms_dispatch *d = NULL;
	char err[1024];
	size_t did;
	enum oms_err e;

	memset(&o, 0, sizeof(o));
	o.skip_broken = 1;
	o.tick = exchange_tick;
	o.tick_arg = x;
	if (x->conf->nexchange == 0) {
		oms_warn("job exchange: no [exchange NAME] section in %s: "
		    "nothing to deliver to", x->conf->file);
		while (oms_job_wait(x, 3600 * 1000))
			;
		return OMS_OK;
	}
	if ((e = oms_dispatch_open(x->conf, x->st, &o, &d, err,
	    sizeof(err))) != OMS_OK) {
		oms_error("job exchange: %s", err);
		while (oms_job_wait(x, 3600 * 1000))
			;
		return OMS_OK;
	}
	do {
		e = oms_dispatch_step(d, &did);
		if (e != OMS_OK)
			did = 0; /* logged; try again after the pause */
	} while (oms_job_wait(x, did > 0 ? 0 : EXCHANGE_POLL_MS));
	oms_dispatch_close(&d);
	return OMS_OK;
}

/*
 * Wait for the lease and run the kind while holding it, until asked to
 * stop.  Logs each change of state once.
 */
static void
serve(struct oms_job_ctx *x)
{
	const char *name = oms_jobs[x->kind].name;
	char last[200] = "";

	/* A shared kind runs without the lease until asked to stop; a run
	 * that fails (the database away) starts again after a pause. */
	while (oms_jobs[x->kind].shared && !x->stopping) {
		enum oms_err e = oms_jobs[x->kind].run(x);

		if (e != OMS_OK) {
			oms_error("job %s: %s; starting again", name,
			    oms_strerror(e));
			nap(x, third(x));
		}
	}
	while (!x->stopping) {
		enum oms_err e = oms_lease_acquire(x->st, &x->lease);
		int64_t wait;

		if (e == OMS_OK) {
			oms_info("job %s: lease taken (epoch %lld, %lld ms)",
			    name, (long long)x->lease.epoch,
			    (long long)x->lease.ttl_ms);
			last[0] = '\0';
			x->renew_at = oms_now_us() + third(x) * 1000;
			e = oms_jobs[x->kind].run(x);
			if (e != OMS_OK && e != OMS_ERR_DENIED)
				oms_error("job %s: %s", name, oms_strerror(e));
			if (!x->stopping)
				oms_info("job %s: lease lost; waiting to take "
				    "it again", name);
			continue;
		}
		if (e == OMS_ERR_DENIED) {
			if (strcmp(last, x->lease.other) != 0) {
				oms_info("job %s: waiting for the lease held "
				    "by %s", name, x->lease.other);
				snprintf(last, sizeof(last), "%s",
				    x->lease.other);
			}
			wait = x->lease.other_ms + 20;
			if (wait > third(x))
				wait = third(x);
		} else {
			oms_warn("job %s: cannot take the lease: %s", name,
			    oms_strerror(e));
			wait = third(x);
		}
		nap(x, wait);
	}
	if (x->lease.epoch != 0) {
		if (oms_lease_release(x->st, &x->lease) == OMS_OK)
			oms_info("job %s: lease released", name);
		else
			oms_warn("job %s: could not release the lease; it "
			    "runs out by itself", name);
	}
}

/*
 * The body of a job process forked by the master: set up signals and
 * the process name, open its own store, check the schema, take part in
 * the lease of kind and run it until SIGTERM or SIGINT.  Writes one
 * byte to ready_fd (when >= 0) once ready.  Never returns: exits 0 on a
 * clean stop, OMS_JOB_EXIT_INIT when the store, schema or lease could
 * not be set up.
 */
void
oms_job_process(const struct oms_conf *c, enum oms_job_kind kind,
    int ready_fd)
{
	struct oms_job_ctx x;
	struct sigaction sa;
	sigset_t block;
	char comm[16];
	enum oms_err e;

	/* The master blocked SIGTERM, SIGINT, SIGHUP and SIGCHLD before
	 * forking; keep the first two blocked (see the top). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	snprintf(comm, sizeof(comm), "job:%s", oms_jobs[kind].name);
	prctl(PR_SET_NAME, comm);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);
	srandom((unsigned)getpid() ^ (unsigned)oms_now_us());

	memset(&x, 0, sizeof(x));
	x.conf = c;
	x.kind = kind;
	oms_log_set_level((enum oms_log_level)c->log_level);
	if ((e = oms_store_open(&c->store, 0, &oms_stmt_table, &x.st)) != OMS_OK) {
		oms_error("job %s: cannot open the %s store: %s",
		    oms_jobs[kind].name, oms_backend_names[c->store.backend],
		    oms_strerror(e));
		_exit(OMS_JOB_EXIT_INIT);
	}
	if (oms_migrate_current(x.st) != oms_migrate_latest(x.st)) {
		oms_error("job %s: the database schema is at version %d, this "
		    "program needs %d: run 'omsctl migrate'",
		    oms_jobs[kind].name, oms_migrate_current(x.st),
		    oms_migrate_latest(x.st));
		_exit(OMS_JOB_EXIT_INIT);
	}
	if (oms_lease_init(&x.lease, oms_jobs[kind].name,
	    (int64_t)c->jobs.lease_time * 1000) != OMS_OK) {
		oms_error("job %s: bad lease", oms_jobs[kind].name);
		_exit(OMS_JOB_EXIT_INIT);
	}
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "R", 1);
		close(ready_fd);
	}
	oms_info("job %s: started", oms_jobs[kind].name);
	serve(&x);
	oms_store_close(&x.st);
	oms_info("job %s: stopped", oms_jobs[kind].name);
	_exit(0);
}

/*
 * omsd.c: the OMS FastCGI server's master process.
 *
 * The master opens the listening socket, forks the workers, and then
 * only waits for signals:
 *
 *   SIGCHLD  a worker died: restart it (with back-off when it keeps
 *            dying young);  the same for a job process;
 *   SIGHUP   reload: read the configuration again, start a new
 *            generation of workers (which compile the stylesheets
 *            afresh), and once every one of them is ready, ask the old
 *            generation to finish its requests and leave.  If the new
 *            configuration or a stylesheet is broken, the old workers
 *            keep serving and the error is logged.  The listening
 *            socket is kept, so no connection is refused meanwhile;
 *   SIGTERM  stop: workers finish the requests in flight and leave
 *   SIGINT   (killed after shutdown_timeout seconds); then the master.
 *
 * Besides the request workers the master runs one job process for each
 * job kind named in [jobs] run (src/cmd/job.h).  Job processes belong to
 * a generation like the workers: a reload starts the new generation's
 * and retires the old ones with it; the database-wide lease of each job
 * sees to it that only one of them works at a time, on any host.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "conf.h"
#include "job.h"
#include "migrate.h"
#include "stmts.h"
#include "store.h"
#include "view.h"
#include "worker.h"

#define MAX_WORKERS 128
/* Slots: two generations of workers and of job processes. */
#define MAX_CHILDREN (MAX_WORKERS + 2 * OMS_JOB__MAX)

/* Kinds of child, for the restart state: request workers, then one a
 * job kind (KIND_JOB + enum oms_job_kind). */
#define KIND_WORKER 0
#define KIND_JOB 1
#define KINDS (KIND_JOB + OMS_JOB__MAX)

struct child {
	pid_t pid;       /* 0 for a free slot */
	int gen;         /* generation it belongs to */
	int kind;        /* KIND_WORKER or KIND_JOB + the job kind */
	int64_t started; /* monotonic us */
	int64_t kill_at; /* when asked to stop: SIGKILL after this */
};

static struct child children[MAX_CHILDREN];
static struct oms_conf conf;
static const char *conf_file = SYSCONFDIR "/oms.conf";
static int listen_fd = -1;
static int generation;
static struct stat sock_st; /* our unix socket, to remove only ours */
static int want_jobs[OMS_JOB__MAX]; /* [jobs] run of the running conf */

/* Usage, to stderr; exits 2. */
static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: omsd [-t] [-f oms.conf]\n");
	exit(2);
}

/* Number of workers the configuration asks for. */
static int
nworkers(const struct oms_conf *c)
{
	long n = c->workers > 0 ? c->workers : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return n > MAX_WORKERS / 2 ? MAX_WORKERS / 2 : (int)n;
}

/* 1 when something accepts connections on the unix socket at path. */
static int
socket_live(const char *path)
{
	struct sockaddr_un sa;
	int fd, live;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	live = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return live;
}

/*
 * Open the listening socket named by c->listen.  Returns the fd or -1.
 * A unix socket is made reachable by the web server (mode 0666: access
 * is controlled by the folder it lives in).
 */
static int
open_listen(const struct oms_conf *c)
{
	const char *spec = c->listen;
	struct stat sb;
	int fd;

	if (strncmp(spec, "unix:", 5) == 0) {
		const char *path = spec + 5;

		if (lstat(path, &sb) == 0 && S_ISSOCK(sb.st_mode)) {
			if (socket_live(path)) {
				oms_error("another server is listening on %s", path);
				return -1;
			}
			unlink(path); /* left behind by a crash */
		}
		fd = FCGX_OpenSocket(path, c->backlog);
		if (fd >= 0 && chmod(path, 0666) != 0)
			oms_warn("chmod %s: %s", path, strerror(errno));
		if (fd >= 0)
			lstat(path, &sock_st);
	} else
		fd = FCGX_OpenSocket(spec, c->backlog);
	if (fd < 0) {
		oms_error("cannot listen on %s: %s", spec, strerror(errno));
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
		oms_error("fcntl: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The name of a kind of child, for the log. */
static const char *
kind_name(int kind)
{
	return kind == KIND_WORKER ? "worker" : oms_jobs[kind - KIND_JOB].name;
}

/*
 * Number of children of kind the configuration c (whose job list is
 * want) asks for: nworkers() workers, one process a wanted job.
 */
static int
wanted(const struct oms_conf *c, const int want[OMS_JOB__MAX], int kind)
{
	return kind == KIND_WORKER ? nworkers(c) : want[kind - KIND_JOB];
}

/*
 * Fork one child of kind (a worker, or a job process) of generation
 * gen; it writes a byte to ready_fd once ready, and closes ready_rd
 * (the pipe's other end).  Returns its pid or -1.
 */
static pid_t
spawn(const struct oms_conf *c, int gen, int kind, int ready_fd, int ready_rd)
{
	pid_t pid;
	int slot;

	for (slot = 0; slot < MAX_CHILDREN && children[slot].pid != 0; slot++)
		;
	if (slot == MAX_CHILDREN) {
		oms_error("too many workers");
		return -1;
	}
	if ((pid = fork()) < 0) {
		oms_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (ready_rd >= 0)
			close(ready_rd);
		if (kind == KIND_WORKER)
			oms_worker_run(c, listen_fd, ready_fd);
		close(listen_fd); /* a job serves no requests */
		oms_job_process(c, (enum oms_job_kind)(kind - KIND_JOB),
		    ready_fd);
	}
	children[slot].pid = pid;
	children[slot].gen = gen;
	children[slot].kind = kind;
	children[slot].started = oms_now_us();
	children[slot].kill_at = 0;
	return pid;
}

/* Find the slot of pid, or -1. */
static int
slot_of(pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid == pid)
			return i;
	return -1;
}

/* Send sig to every worker of generation gen (all when gen < 0).  A
 * SIGTERM starts the shutdown timeout of each. */
static void
signal_gen(int gen, int sig)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid != 0 && (gen < 0 || children[i].gen == gen)) {
			kill(children[i].pid, sig);
			if (sig == SIGTERM && children[i].kill_at == 0)
				children[i].kill_at = oms_now_us() +
				    (int64_t)conf.shutdown_timeout * 1000000;
		}
}

/* Kill the stopping workers that outlived their shutdown timeout. */
static void
kill_overdue(void)
{
	int64_t now = oms_now_us();

	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid != 0 && children[i].kill_at != 0 &&
		    now > children[i].kill_at) {
			oms_warn("%s %ld still busy %d s after it was asked "
			    "to stop: killing it", kind_name(children[i].kind),
			    (long)children[i].pid, conf.shutdown_timeout);
			kill(children[i].pid, SIGKILL);
			children[i].kill_at = INT64_MAX;
		}
}

/* Children alive in generation gen (all when gen < 0). */
static int
alive(int gen)
{
	int n = 0;

	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid != 0 && (gen < 0 || children[i].gen == gen))
			n++;
	return n;
}

/* Children of kind alive in generation gen. */
static int
alive_kind(int gen, int kind)
{
	int n = 0;

	for (int i = 0; i < MAX_CHILDREN; i++)
		if (children[i].pid != 0 && children[i].gen == gen &&
		    children[i].kind == kind)
			n++;
	return n;
}

/*
 * Reap every dead child, of any generation.  Returns the number of
 * children of generation gen that died; *init_failed is set when one of
 * them exited with OMS_WORKER_EXIT_INIT (or OMS_JOB_EXIT_INIT), and
 * young[kind] (when young is not NULL) when one of that kind died
 * within 2 s of its start, died[kind] when one died at all.
 */
static int
reap(int gen, int *init_failed, int young[KINDS], int died[KINDS])
{
	int status, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int s = slot_of(pid);

		if (s < 0)
			continue;
		if (children[s].gen == gen) {
			int k = children[s].kind;

			n++;
			if (WIFEXITED(status) &&
			    WEXITSTATUS(status) == OMS_WORKER_EXIT_INIT)
				*init_failed = 1;
			if (died != NULL)
				died[k] = 1;
			if (young != NULL &&
			    oms_now_us() - children[s].started < 2000000)
				young[k] = 1;
			if (WIFSIGNALED(status))
				oms_error("%s %ld died of signal %d",
				    k == KIND_WORKER ? "worker" : "job process",
				    (long)pid, WTERMSIG(status));
			else if (WEXITSTATUS(status) != 0)
				oms_error("%s %ld exited with status %d",
				    k == KIND_WORKER ? "worker" : "job process",
				    (long)pid, WEXITSTATUS(status));
		}
		children[s].pid = 0;
	}
	return n;
}

/*
 * Start a generation of workers and job processes (those of want) and
 * wait until every one is ready.  Returns 0 when all are, -1 (having
 * stopped the ones started) when one failed to start or not all were
 * ready within 30 s.
 */
static int
start_generation(const struct oms_conf *c, const int want[OMS_JOB__MAX],
    int gen)
{
	int p[2], n = 0, ready = 0, failed = 0;
	int64_t deadline = oms_now_us() + 30000000;

	if (pipe(p) != 0) {
		oms_error("pipe: %s", strerror(errno));
		return -1;
	}
	for (int k = 0; k < KINDS && !failed; k++)
		for (int i = 0; i < wanted(c, want, k); i++, n++)
			if (spawn(c, gen, k, p[1], p[0]) < 0) {
				failed = 1;
				break;
			}
	close(p[1]);
	while (!failed && ready < n && oms_now_us() < deadline) {
		struct pollfd pfd = {p[0], POLLIN, 0};
		char buf[64];
		ssize_t r;

		if (poll(&pfd, 1, 100) > 0) {
			r = read(p[0], buf, sizeof(buf));
			if (r > 0)
				ready += (int)r;
		}
		reap(gen, &failed, NULL, NULL);
		if (alive(gen) < n)
			failed = 1; /* one died while starting */
	}
	close(p[0]);
	if (failed || ready < n) {
		signal_gen(gen, SIGTERM);
		while (alive(gen) > 0) {
			usleep(20000);
			reap(gen, &failed, NULL, NULL);
		}
		return -1;
	}
	return 0;
}

/* Stop generation gen (all when < 0) gracefully, killing stragglers
 * after the shutdown timeout.  Does not wait when wait is 0. */
static void
stop_generation(int gen, int wait)
{
	int failed = 0;

	signal_gen(gen, SIGTERM);
	if (!wait)
		return;
	while (alive(gen) > 0) {
		kill_overdue();
		usleep(20000);
		reap(generation, &failed, NULL, NULL);
	}
}

/* SIGHUP: reload configuration and stylesheets without dropping work. */
static void
reload(void)
{
	struct oms_conf nc;
	char err[1024];
	int old = generation, want[OMS_JOB__MAX];

	if (oms_conf_load(conf_file, &nc, err, sizeof(err)) != OMS_OK ||
	    oms_job_parse(nc.jobs.run, want, err, sizeof(err)) != OMS_OK) {
		oms_error("reload: %s; keeping the running configuration", err);
		return;
	}
	if (strcmp(nc.listen, conf.listen) != 0 || nc.backlog != conf.backlog)
		oms_warn("reload: 'listen' and 'backlog' take effect only "
		    "at restart");
	nc.backlog = conf.backlog;
	snprintf(nc.listen, sizeof(nc.listen), "%s", conf.listen);
	if (start_generation(&nc, want, old + 1) != 0) {
		oms_error("reload: the new workers could not start; the old "
		    "ones go on serving");
		return;
	}
	conf = nc;
	memcpy(want_jobs, want, sizeof(want_jobs));
	generation = old + 1;
	oms_log_set_level((enum oms_log_level)conf.log_level);
	stop_generation(old, 0);
	oms_info("reload: generation %d serving", generation);
}

/*
 * omsd [-f file] [-t]: load the configuration, then with -t check it
 * (stylesheets, store, schema version) and exit; otherwise open the
 * listening socket, start the workers and job processes and serve the
 * signals described at the top until stopped.  Returns (exit status) 0
 * on a clean stop or a good -t check, 1 when it cannot start.
 */
int
main(int argc, char *argv[])
{
	sigset_t set;
	char err[1024];
	int ch, test = 0, stopping = 0;
	int64_t respawn_at[KINDS], backoff[KINDS];

	while ((ch = getopt(argc, argv, "f:t")) != -1) {
		switch (ch) {
		case 'f':
			conf_file = optarg;
			break;
		case 't':
			test = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (oms_conf_load(conf_file, &conf, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "omsd: %s\n", err);
		return 1;
	}
	if (oms_job_parse(conf.jobs.run, want_jobs, err, sizeof(err)) != OMS_OK) {
		fprintf(stderr, "omsd: %s: %s\n", conf_file, err);
		return 1;
	}
	for (int k = 0; k < KINDS; k++) {
		respawn_at[k] = 0;
		backoff[k] = 100000;
	}
	oms_log_set_level((enum oms_log_level)conf.log_level);
	oms_views_init();

	if (test) {
		struct oms_views *v = NULL;
		struct oms_store *st = NULL;
		enum oms_err e;

		if ((e = oms_views_load(conf.xslt_dir, &v)) != OMS_OK) {
			fprintf(stderr, "omsd: stylesheets in %s: %s\n",
			    conf.xslt_dir, oms_strerror(e));
			return 1;
		}
		oms_views_free(&v);
		if ((e = oms_store_open(&conf.store, 0, &oms_stmt_table, &st)) != OMS_OK) {
			fprintf(stderr, "omsd: store: %s\n", oms_strerror(e));
			return 1;
		}
		if (oms_migrate_current(st) != oms_migrate_latest(st)) {
			fprintf(stderr, "omsd: the database schema is at version "
			    "%d, this program needs %d: run 'omsctl migrate'\n",
			    oms_migrate_current(st), oms_migrate_latest(st));
			oms_store_close(&st);
			return 1;
		}
		oms_store_close(&st);
		printf("omsd: configuration %s is good\n", conf_file);
		return 0;
	}

	/* Signals are handled synchronously with sigtimedwait(). */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (FCGX_Init() != 0) {
		oms_error("FCGX_Init failed");
		return 1;
	}
	if ((listen_fd = open_listen(&conf)) < 0)
		return 1;
	if (start_generation(&conf, want_jobs, generation) != 0) {
		oms_error("the workers could not start; see the messages above");
		return 1;
	}
	oms_info("omsd %s listening on %s with %d workers", PACKAGE_VERSION,
	    conf.listen, nworkers(&conf));
	for (int k = 0; k < OMS_JOB__MAX; k++)
		if (want_jobs[k])
			oms_info("running job %s", oms_jobs[k].name);

	while (!stopping) {
		struct timespec ts = {0, 100000000};
		siginfo_t si;
		int sig = sigtimedwait(&set, &si, &ts);
		int failed = 0, young[KINDS] = {0}, died[KINDS] = {0};

		switch (sig) {
		case SIGHUP:
			oms_info("SIGHUP: reloading %s", conf_file);
			reload();
			break;
		case SIGTERM:
		case SIGINT:
			oms_info("signal %d: stopping", sig);
			stopping = 1;
			continue;
		default:
			break;
		}
		kill_overdue();
		reap(generation, &failed, young, died);
		/* Each kind of child restarts with a back-off of its own,
		 * so a job that cannot start does not slow the workers. */
		for (int k = 0; k < KINDS; k++) {
			int n = wanted(&conf, want_jobs, k);

			if (died[k] && young[k]) {
				respawn_at[k] = oms_now_us() + backoff[k];
				backoff[k] = backoff[k] * 2 > 5000000 ? 5000000 :
				    backoff[k] * 2;
			} else if (died[k]) {
				respawn_at[k] = 0;
				backoff[k] = 100000;
			}
			if (alive_kind(generation, k) >= n ||
			    oms_now_us() < respawn_at[k])
				continue;
			while (alive_kind(generation, k) < n)
				if (spawn(&conf, generation, k, -1, -1) < 0)
					break;
			if (k == KIND_WORKER)
				oms_info("started replacement workers; %d running",
				    alive_kind(generation, k));
			else
				oms_info("started a replacement job process %s",
				    kind_name(k));
		}
	}
	stop_generation(-1, 1);
	/* Remove the socket only if it is still ours: a new omsd may have
	 * taken the path over while this one was draining. */
	if (strncmp(conf.listen, "unix:", 5) == 0) {
		struct stat sb;

		if (lstat(conf.listen + 5, &sb) == 0 &&
		    sb.st_ino == sock_st.st_ino && sb.st_dev == sock_st.st_dev)
			unlink(conf.listen + 5);
	}
	oms_info("stopped");
	return 0;
}

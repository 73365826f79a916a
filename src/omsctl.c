/*
 * omsctl.c: the OMS administration command line, over the same domain
 * code as omsd.  See omsctl(8).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "arena.h"
#include "conf.h"
#include "copy.h"
#include "migrate.h"
#include "seed.h"
#include "store.h"
#include "view.h"

static const char *conf_file = SYSCONFDIR "/oms.conf";
static struct oms_conf conf;

/* Usage to stderr; exits 2. */
static void __attribute__((noreturn))
usage(void)
{
	fputs("usage: omsctl [-f oms.conf] command [arguments]\n"
	    "commands:\n"
	    "  init                 create the database and its schema\n"
	    "  migrate              apply the schema migrations not yet applied\n"
	    "  seed-demo [--customers N] [--sites N] [--assets N] [--seed N]\n"
	    "                       fill an empty database with demo data\n"
	    "  render SHEET FILE    render an XML view document with a stylesheet\n"
	    "  copy [--force] TARGET.conf\n"
	    "                       copy the whole database to the one TARGET.conf\n"
	    "                       names (SQLite to MariaDB or back) and verify it\n"
	    "  version              print the version\n", stderr);
	exit(2);
}

/* Print a failure and exit 1. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs("omsctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* What the database of k is, for messages (a static buffer). */
static const char *
where_of(const struct oms_conf_store *k)
{
	static char buf[4400];

	if (k->backend == OMS_BACKEND_MARIADB)
		snprintf(buf, sizeof(buf), "mariadb database %s on %s", k->database,
		    k->socket[0] ? k->socket : k->host);
	else
		snprintf(buf, sizeof(buf), "sqlite database %s", k->path);
	return buf;
}

/* What the configured database is, for messages. */
static const char *
where(void)
{
	return where_of(&conf.store);
}

/* Open the configured store or exit. */
static struct oms_store *
open_store(int flags)
{
	struct oms_store *st;
	enum oms_err e;

	if ((e = oms_store_open(&conf.store, flags, &st)) != OMS_OK)
		die("cannot open the %s: %s", where(), oms_strerror(e));
	return st;
}

/* init and migrate. */
static int
cmd_migrate(int create)
{
	struct oms_store *st = open_store(create ? OMS_STORE_CREATE : 0);
	int applied, cur;
	enum oms_err e;

	if ((e = oms_migrate(st, &applied)) != OMS_OK) {
		oms_store_close(&st);
		die("migration failed: %s", oms_strerror(e));
	}
	cur = oms_migrate_current(st);
	printf("%s at schema version %d (%d applied now)\n", where(), cur,
	    applied);
	oms_store_close(&st);
	return 0;
}

/* A positive integer argument or exit. */
static long
num_arg(const char *opt, const char *v, long min, long max)
{
	char *end;
	long x;

	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		die("%s: expected a whole number from %ld to %ld, not '%s'",
		    opt, min, max, v);
	return x;
}

static int
cmd_seed(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"customers", required_argument, NULL, 'c'},
		{"sites", required_argument, NULL, 's'},
		{"assets", required_argument, NULL, 'a'},
		{"seed", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	struct oms_seed_opts o = {5, 0, 0, 1};
	struct oms_seed_stats s;
	struct oms_store *st;
	enum oms_err e;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o.customers = (int)num_arg("--customers", optarg, 1, 1000);
			break;
		case 's':
			o.sites = (int)num_arg("--sites", optarg, 1, 10000);
			break;
		case 'a':
			o.assets = (int)num_arg("--assets", optarg, 1, 100000);
			break;
		case 'r':
			o.seed = (uint64_t)num_arg("--seed", optarg, 1, 1L << 40);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	st = open_store(0);
	if (oms_migrate_current(st) != oms_migrate_latest(st)) {
		oms_store_close(&st);
		die("the database schema is not current: run 'omsctl migrate'");
	}
	e = oms_seed_demo(st, &o, &s);
	oms_store_close(&st);
	if (e == OMS_ERR_CONSTRAINT)
		die("the database already holds data; demo data goes only "
		    "into an empty database");
	if (e != OMS_OK)
		die("seeding failed: %s (nothing was stored)", oms_strerror(e));
	printf("seeded %lld customers, %lld sites, %lld cost centres, "
	    "%lld products, %lld assets\n", (long long)s.customers,
	    (long long)s.sites, (long long)s.cost_centres,
	    (long long)s.products, (long long)s.assets);
	return 0;
}

static int
cmd_copy(int argc, char *argv[])
{
	struct oms_conf target;
	struct oms_copy_table t[OMS_COPY_NTABLES];
	struct oms_store *src, *dst;
	char err[1024], from[4400];
	int force = 0, applied;
	enum oms_err e;

	if (argc == 3 && strcmp(argv[1], "--force") == 0)
		force = 1;
	else if (argc != 2)
		usage();
	if (oms_conf_load(argv[argc - 1], &target, err, sizeof(err)) != OMS_OK)
		die("%s", err);
	if (target.store.backend == conf.store.backend &&
	    ((conf.store.backend == OMS_BACKEND_SQLITE &&
	    strcmp(target.store.path, conf.store.path) == 0) ||
	    (conf.store.backend == OMS_BACKEND_MARIADB &&
	    strcmp(target.store.database, conf.store.database) == 0 &&
	    strcmp(target.store.socket, conf.store.socket) == 0 &&
	    strcmp(target.store.host, conf.store.host) == 0)))
		die("the source and the target are the same database");
	src = open_store(0);
	if (oms_migrate_current(src) != oms_migrate_latest(src)) {
		oms_store_close(&src);
		die("the source schema is not current: run 'omsctl migrate' "
		    "on it first");
	}
	if ((e = oms_store_open(&target.store, OMS_STORE_CREATE, &dst)) != OMS_OK) {
		oms_store_close(&src);
		die("cannot open the target %s: %s", where_of(&target.store),
		    oms_strerror(e));
	}
	if ((e = oms_migrate(dst, &applied)) != OMS_OK) {
		oms_store_close(&src);
		oms_store_close(&dst);
		die("cannot bring the target's schema up to date: %s",
		    oms_strerror(e));
	}
	e = oms_copy(src, dst, force, t);
	oms_store_close(&src);
	oms_store_close(&dst);
	snprintf(from, sizeof(from), "%s", where());
	if (e == OMS_ERR_CONSTRAINT)
		die("the target %s already holds data; nothing was copied "
		    "(--force replaces it)", where_of(&target.store));
	if (e != OMS_OK && t[0].name == NULL)
		die("the copy failed: %s; the target is unchanged",
		    oms_strerror(e));
	printf("%s -> %s\n", from, where_of(&target.store));
	printf("%-14s %10s %16s  %s\n", "table", "rows", "checksum", "target");
	for (int i = 0; i < OMS_COPY_NTABLES; i++)
		printf("%-14s %10lld %016llx  %s\n", t[i].name,
		    (long long)t[i].rows, (unsigned long long)t[i].sum,
		    t[i].rows == t[i].rows_after && t[i].sum == t[i].sum_after ?
		    "same" : "DIFFERENT");
	if (e != OMS_OK)
		die("the copy could not be verified: %s", oms_strerror(e));
	printf("copied and verified\n");
	return 0;
}

static int
cmd_render(int argc, char *argv[])
{
	struct oms_views *v;
	struct oms_arena *a;
	xmlDocPtr d;
	const char *out, *media;
	size_t len;
	int sheet = -1;

	if (argc != 3)
		usage();
	for (int i = 0; i < OMS_SHEET__MAX; i++) {
		char base[64];

		snprintf(base, sizeof(base), "%s", oms_sheet_files[i]);
		base[strlen(base) - 4] = '\0'; /* drop ".xsl" */
		if (strcmp(argv[1], base) == 0 ||
		    strcmp(argv[1], oms_sheet_files[i]) == 0)
			sheet = i;
	}
	if (sheet < 0)
		die("no stylesheet named '%s'", argv[1]);
	oms_views_init();
	if (oms_views_load(conf.xslt_dir, &v) != OMS_OK)
		die("cannot load the stylesheets in %s", conf.xslt_dir);
	/* Input from a file is input from outside: bounded in size, no
	 * network, no entities, no DTD; a DOCTYPE is refused. */
	{
		struct stat sb;

		if (stat(argv[2], &sb) != 0)
			die("%s: %s", argv[2], strerror(errno));
		if (sb.st_size > 16 * 1024 * 1024)
			die("%s: larger than 16 MiB", argv[2]);
	}
	d = xmlReadFile(argv[2], "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	if (d == NULL)
		die("%s: not a well-formed XML document", argv[2]);
	if (d->intSubset != NULL || d->extSubset != NULL) {
		xmlFreeDoc(d);
		die("%s: documents with a DOCTYPE are refused", argv[2]);
	}
	if ((a = oms_arena_new()) == NULL)
		die("out of memory");
	oms_arena_defer(a, (oms_cleanup_fn)xmlFreeDoc, d);
	if (oms_view_render(v, (enum oms_sheet)sheet, d, a, &out, &len,
	    &media) != OMS_OK)
		die("rendering %s with %s failed", argv[2],
		    oms_sheet_files[sheet]);
	fwrite(out, 1, len, stdout);
	oms_arena_free(&a);
	oms_views_free(&v);
	return 0;
}

int
main(int argc, char *argv[])
{
	char err[1024];
	int ch;

	while ((ch = getopt(argc, argv, "+f:")) != -1) {
		switch (ch) {
		case 'f':
			conf_file = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "version") == 0) {
		printf("omsctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* A command that does not exist is a usage error, whatever the
	 * state of the configuration. */
	if (!((strcmp(argv[0], "init") == 0 && argc == 1) ||
	    (strcmp(argv[0], "migrate") == 0 && argc == 1) ||
	    strcmp(argv[0], "seed-demo") == 0 || strcmp(argv[0], "render") == 0 ||
	    strcmp(argv[0], "copy") == 0))
		usage();
	if (oms_conf_load(conf_file, &conf, err, sizeof(err)) != OMS_OK)
		die("%s", err);
	oms_log_set_level((enum oms_log_level)conf.log_level);
	if (strcmp(argv[0], "init") == 0 && argc == 1) {
		if (conf.store.backend == OMS_BACKEND_SQLITE &&
		    access(conf.store.path, F_OK) == 0)
			printf("database %s exists; bringing it up to date\n",
			    conf.store.path);
		return cmd_migrate(1);
	}
	if (strcmp(argv[0], "migrate") == 0 && argc == 1)
		return cmd_migrate(0);
	if (strcmp(argv[0], "seed-demo") == 0)
		return cmd_seed(argc, argv);
	if (strcmp(argv[0], "render") == 0)
		return cmd_render(argc, argv);
	if (strcmp(argv[0], "copy") == 0)
		return cmd_copy(argc, argv);
	usage();
}

/*
 * omsctl.c: the OMS administration command line, over the same domain
 * code as omsd.  See omsctl(8).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <termios.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "billdocs.h"
#include "billing.h"
#include "billxml.h"
#include "conf.h"
#include "copy.h"
#include "csv.h"
#include "date.h"
#include "http.h"
#include "importer.h"
#include "inventory.h"
#include "lease.h"
#include "users.h"
#include "migrate.h"
#include "money.h"
#include "monitor.h"
#include "outbox.h"
#include "dispatch.h"
#include "distribution.h"
#include "seed.h"
#include "stmts.h"
#include "store.h"
#include "view.h"
#include "xmlin.h"

static const char *conf_file = SYSCONFDIR "/oms.conf";
static struct oms_conf conf;

static struct oms_actor local_actor(void);
static void read_password(char *, size_t);

/* Usage to stderr; exits 2. */
static void __attribute__((noreturn))
usage(void)
{
	fputs("usage: omsctl [-f oms.conf] [--today YYYY-MM-DD] command "
	    "[arguments]\n"
	    "commands:\n"
	    "  init                 create the database and its schema\n"
	    "  migrate              apply the schema migrations not yet applied\n"
	    "  seed-demo [--customers N] [--sites N] [--assets N] [--seed N]\n"
	    "            [--activity] [--demo-users]\n"
	    "                       (password of the demo users on stdin)\n"
	    "                       fill an empty database with demo data\n"
	    "  render SHEET FILE    render an XML view document with a stylesheet\n"
	    "  user add LOGIN --role ROLE --name NAME --email EMAIL\n"
	    "       --organisation ORG [--customer ID] [--site ID]... [--approver]\n"
	    "       [--system vendor|finance [--operations OP,OP...]]\n"
	    "                       create an account; the password is read\n"
	    "                       from standard input; role integration (a\n"
	    "                       legacy system calling /soap) needs --system\n"
	    "  customer approval CODE yes|no\n"
	    "                       whether the customer approves its own orders\n"
	    "  user passwd LOGIN    set a password (read from standard input)\n"
	    "  user disable LOGIN | user enable LOGIN\n"
	    "  user list            list the accounts\n"
	    "  audit verify         check the audit log's hash chain\n"
	    "  routes               list the routes and their permissions\n"
	    "  demo-users           the demo accounts (password on stdin; demo only)\n"
	    "  copy [--force] TARGET.conf\n"
	    "                       copy the whole database to the one TARGET.conf\n"
	    "                       names (SQLite to MariaDB or back) and verify it\n"
	    "  import KIND FILE.csv [--rejects FILE]\n"
	    "                       import a CSV file (all rows or none);\n"
	    "                       KIND: products, customers, sites,\n"
	    "                       cost-centres, prices, usage-prices, fees,\n"
	    "                       contract-prices, tax-rates, assets, orders,\n"
	    "                       usage, payments, adjustments\n"
	    "  export KIND [--out FILE]\n"
	    "                       write KIND in its import format\n"
	    "  bill preview --period YYYY-MM\n"
	    "                       every invoice of a period, without issuing\n"
	    "  bill issue --period YYYY-MM\n"
	    "                       issue a period (resumes a half-issued one)\n"
	    "  bill export --period YYYY-MM --out DIR\n"
	    "                       write every invoice and report of an issued\n"
	    "                       period as CUSTOMER-YYYY-MM-{invoice,report}.xml\n"
	    "  bill documents       make and store the pages and PDFs of every\n"
	    "                       issued invoice that has none yet\n"
	    "  outbox list [--state STATE] [--system SYSTEM] [--limit N]\n"
	    "                       the messages to legacy systems, newest first\n"
	    "  outbox show ID       one message with its canonical XML\n"
	    "  outbox resend ID     send a dead or delivered message again\n"
	    "  outbox drain [--system SYSTEM] [--timeout SECONDS]\n"
	    "                       deliver what is due now, in the foreground\n"
	    "  reconcile PERIOD [--format text|csv]\n"
	    "                       assets in service, vendor orders, leases and\n"
	    "                       billing of a period (YYYY-MM) compared; exit\n"
	    "                       1 when anything does not match\n"
	    "  customer contacts CODE\n"
	    "                       a customer's billing contacts and how its\n"
	    "                       invoices and reports are delivered\n"
	    "  customer contact-add CODE EMAIL [NAME]\n"
	    "  customer contact-remove CODE EMAIL\n"
	    "  customer delivery CODE mail|none|drop [SYSTEM]\n"
	    "                       by mail to the contacts, not at all, or by\n"
	    "                       the file drop of exchange system SYSTEM\n"
	    "  bill resend INVOICE  send an invoice's documents again (a new\n"
	    "                       message to the current contacts)\n"
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

	if ((e = oms_store_open(&conf.store, flags, &oms_stmt_table, &st)) != OMS_OK)
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

/*
 * The demo accounts admin, vendor, finance and customer (a user of the
 * first demo customer), all with the password read from standard
 * input.  For demonstrations only: the password rules are skipped so
 * that a short demo password works.
 */
static int
demo_users(void)
{
	static const struct {
		const char *login, *name, *org;
		enum oms_role role;
	} demo[] = {
		{"admin", "Olivia Operator", "OMS Operations", OMS_ROLE_ADMIN},
		{"vendor", "Victor Vendor", "Telecom Vendor", OMS_ROLE_VENDOR},
		{"finance", "Fiona Finance", "Finance Company", OMS_ROLE_FINANCE},
		{"customer", "Chris Customer", NULL, OMS_ROLE_CUSTOMER},
	};
	struct oms_actor who = local_actor();
	struct oms_arena *a = oms_arena_new();
	struct oms_store *st = open_store(0);
	struct oms_customer *cs;
	size_t ncs;
	char pw[1100];
	enum oms_err e;

	read_password(pw, sizeof(pw));
	if (a == NULL || oms_customer_names(st, a, &oms_scope_all, &cs, &ncs) !=
	    OMS_OK || ncs == 0)
		die("demo users need the demo customers");
	/* The first customer made: the lowest id. */
	for (size_t i = 1; i < ncs; i++)
		if (cs[i].id < cs[0].id)
			cs[0] = cs[i];
	for (size_t i = 0; i < OMS_NELEM(demo); i++) {
		struct oms_user_input in;
		const char *why = NULL;
		int64_t id;

		memset(&in, 0, sizeof(in));
		in.login = demo[i].login;
		in.display_name = demo[i].name;
		in.email = oms_arena_printf(a, "%s@example.com", demo[i].login);
		in.role = (int)demo[i].role;
		in.organisation = demo[i].org ? demo[i].org : cs[0].name;
		in.customer = demo[i].role == OMS_ROLE_CUSTOMER ? cs[0].id : 0;
		in.password = pw;
		in.demo = 1;
		if ((e = oms_user_create(st, a, &who, &in, &id, &why)) != OMS_OK)
			die("demo user %s: %s", demo[i].login, why ? why :
			    oms_strerror(e));
		printf("demo user %-9s %s\n", demo[i].login,
		    oms_role_labels[demo[i].role]);
	}
	sodium_memzero(pw, sizeof(pw));
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/*
 * omsctl seed-demo [--customers N] [--sites N] [--assets N] [--seed N]
 * [--activity] [--demo-users]: fill an empty, current database with
 * generated demo data in one unit of work (with a year of catalog and
 * order activity when asked), then the demo accounts, when asked.
 * Returns 0 (the exit status); on any failure it prints why and exits 1
 * through die(), with nothing stored; exits 2 on a usage error.
 */
static int
cmd_seed(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"customers", required_argument, NULL, 'c'},
		{"sites", required_argument, NULL, 's'},
		{"assets", required_argument, NULL, 'a'},
		{"seed", required_argument, NULL, 'r'},
		{"demo-users", no_argument, NULL, 'u'},
		{"activity", no_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	struct oms_seed_opts o = {5, 0, 0, 1, 0};
	int users = 0;
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
		case 'u':
			users = 1;
			break;
		case 'y':
			o.activity = 1;
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
	if (e == OMS_ERR_CONSTRAINT) {
		oms_store_close(&st);
		die("the database already holds data; demo data goes only "
		    "into an empty database");
	}
	if (e != OMS_OK) {
		oms_store_close(&st);
		die("seeding failed: %s (nothing was stored)", oms_strerror(e));
	}
	printf("seeded %lld customers, %lld sites, %lld cost centres, "
	    "%lld products, %lld assets, %lld orders\n", (long long)s.customers,
	    (long long)s.sites, (long long)s.cost_centres,
	    (long long)s.products, (long long)s.assets, (long long)s.orders);
	if (o.activity) {
		struct oms_bill_opts bo;
		long inv = 0;

		memset(&bo, 0, sizeof(bo));
		bo.currency = conf.currency;
		bo.backdate_days = conf.backdate_days;
		if ((e = oms_seed_billing(st, &bo, 6, &inv)) != OMS_OK) {
			oms_store_close(&st);
			die("the demo's billing history failed: %s",
			    oms_strerror(e));
		}
		printf("issued %ld invoices for the 6 months before last month\n", inv);
	}
	oms_store_close(&st);
	if (users)
		return demo_users();
	return 0;
}

static struct oms_actor local_actor(void);

/*
 * omsctl customer contacts|contact-add|contact-remove|delivery CODE
 * ...: a customer's billing contacts and the delivery method of its
 * invoice documents (src/domain/distribution.h), audited.  contacts
 * prints "delivery: METHOD [SYSTEM]" and one contact a line (address,
 * name).  Returns 0; exits 1 through die() for an unknown customer, a
 * refused change or a store error, 2 on a usage error.
 */
static int
customer_documents(int argc, char *argv[])
{
	struct oms_actor who = local_actor();
	struct oms_store *st;
	struct oms_arena *a;
	const char *verb = argv[1], *code = argv[2], *name = NULL;
	int64_t id = 0;
	enum oms_err e;

	if ((strcmp(verb, "contacts") == 0 && argc != 3) ||
	    (strcmp(verb, "contact-add") == 0 && argc != 4 && argc != 5) ||
	    (strcmp(verb, "contact-remove") == 0 && argc != 4) ||
	    (strcmp(verb, "delivery") == 0 && argc != 4 && argc != 5))
		usage();
	a = oms_arena_new();
	st = open_store(0);
	if ((e = oms_dist_customer(st, a, code, &id, &name)) ==
	    OMS_ERR_NOTFOUND)
		die("there is no customer %s", code);
	if (e != OMS_OK)
		die("cannot read customer %s: %s", code, oms_strerror(e));
	if (strcmp(verb, "contacts") == 0) {
		struct oms_contact *c;
		enum oms_dist_method m;
		const char *drop;
		size_t n;

		if ((e = oms_dist_method(st, a, id, &m, &drop)) != OMS_OK ||
		    (e = oms_dist_contacts(st, a, id, &c, &n)) != OMS_OK)
			die("cannot read customer %s: %s", code,
			    oms_strerror(e));
		printf("delivery: %s%s%s\n", oms_dist_method_names[m],
		    drop ? " " : "", drop ? drop : "");
		for (size_t i = 0; i < n; i++)
			printf("%s\t%s\n", c[i].email, c[i].name ? c[i].name :
			    "-");
	} else if (strcmp(verb, "contact-add") == 0) {
		e = oms_dist_contact_add(st, a, &who, id, argv[3],
		    argc == 5 ? argv[4] : NULL);
		if (e == OMS_ERR_INVAL)
			die("'%s' is not a mail address (or the name is too "
			    "long)", argv[3]);
		if (e == OMS_ERR_CONFLICT)
			die("%s is a billing contact of %s already (or it has "
			    "%d)", argv[3], code, OMS_DIST_MAX_CONTACTS);
		if (e != OMS_OK)
			die("cannot add the contact: %s", oms_strerror(e));
		printf("%s is a billing contact of %s\n", argv[3], code);
	} else if (strcmp(verb, "contact-remove") == 0) {
		e = oms_dist_contact_remove(st, a, &who, id, argv[3]);
		if (e == OMS_ERR_NOTFOUND)
			die("%s is not a billing contact of %s", argv[3], code);
		if (e != OMS_OK)
			die("cannot remove the contact: %s", oms_strerror(e));
		printf("%s is no longer a billing contact of %s\n", argv[3],
		    code);
	} else {
		int m = oms_dist_method_lookup(argv[3]);

		if (m < 0 || (m == OMS_DIST_DROP) != (argc == 5))
			usage();
		e = oms_dist_method_set(st, a, &who, id,
		    (enum oms_dist_method)m, argc == 5 ? argv[4] : NULL);
		if (e != OMS_OK)
			die("cannot set the delivery of %s: %s", code,
			    oms_strerror(e));
		printf("customer %s: documents by %s%s%s\n", code, argv[3],
		    argc == 5 ? " to " : "", argc == 5 ? argv[4] : "");
	}
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/*
 * omsctl bill resend INVOICE: the invoice's documents again, as a new
 * outbox message to the current contacts (or file drop), audited.
 * Returns 0; exits 1 through die() when refused or on a store error.
 */
static int
bill_resend(const char *arg)
{
	struct oms_actor who = local_actor();
	struct oms_store *st;
	struct oms_arena *a;
	const char *why = NULL;
	int64_t row = 0;
	long id = num_arg("INVOICE", arg, 1, 0x7fffffffL);
	enum oms_err e;

	a = oms_arena_new();
	st = open_store(0);
	e = oms_dist_resend(st, a, &who, id, &row, &why);
	if (e == OMS_ERR_NOTFOUND)
		die("there is no invoice %ld", id);
	if (e != OMS_OK)
		die("invoice %ld: documents not resent: %s", id, why ? why :
		    oms_strerror(e));
	printf("invoice %ld: documents queued again as outbox message %lld\n",
	    id, (long long)row);
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/*
 * omsctl customer approval CODE yes|no: whether the customer approves
 * its own orders before the vendor sees them (its approver users do,
 * see user add --approver).  Returns 0; exits 1 for an unknown
 * customer or a store error, 2 on a usage error.
 */
static int
cmd_customer(int argc, char *argv[])
{
	struct oms_actor who = local_actor();
	struct oms_store *st;
	enum oms_err e;
	int on;

	if (argc >= 3 && (strcmp(argv[1], "contacts") == 0 ||
	    strcmp(argv[1], "contact-add") == 0 ||
	    strcmp(argv[1], "contact-remove") == 0 ||
	    strcmp(argv[1], "delivery") == 0))
		return customer_documents(argc, argv);
	if (argc != 4 || strcmp(argv[1], "approval") != 0 ||
	    (strcmp(argv[3], "yes") != 0 && strcmp(argv[3], "no") != 0))
		usage();
	on = strcmp(argv[3], "yes") == 0;
	st = open_store(0);
	e = oms_customer_set_approval(st, &who, argv[2], on);
	oms_store_close(&st);
	if (e == OMS_ERR_NOTFOUND)
		die("there is no customer %s", argv[2]);
	if (e != OMS_OK)
		die("cannot change customer %s: %s", argv[2], oms_strerror(e));
	printf("customer %s %s its own orders\n", argv[2],
	    on ? "approves" : "does not approve");
	return 0;
}

/* Who runs omsctl, for the audit log. */
static struct oms_actor
local_actor(void)
{
	static char who[96];
	struct oms_actor a = {0, "omsctl", "local"};
	struct passwd *pw = getpwuid(getuid());

	snprintf(who, sizeof(who), "omsctl:%s", pw ? pw->pw_name : "?");
	a.login = who;
	return a;
}

/* One line from standard input (a password), without its newline. */
static void
read_password(char *buf, size_t sz)
{
	size_t n;

	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	char *got;

	if (tty) {
		/* Typed at a terminal: not shown. */
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs("password: ", stderr);
	}
	got = fgets(buf, (int)sz, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (got == NULL)
		die("no password on standard input");
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
}

/*
 * omsctl user add|passwd|disable|enable|list: manage accounts as the
 * local administrator (audited like the web pages); passwords are read
 * from standard input.  Returns 0 (the exit status); exits 1 through
 * die() on a refused or failed change, 2 on a usage error.
 */
static int
cmd_user(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"role", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'n'},
		{"email", required_argument, NULL, 'e'},
		{"organisation", required_argument, NULL, 'o'},
		{"customer", required_argument, NULL, 'c'},
		{"site", required_argument, NULL, 's'},
		{"approver", no_argument, NULL, 'p'},
		{"system", required_argument, NULL, 'y'},
		{"operations", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	struct oms_actor who = local_actor();
	struct oms_arena *a = oms_arena_new();
	struct oms_store *st;
	const char *why = NULL;
	char pw[1100];
	int64_t id, sites[256];
	enum oms_err e;

	if (argc < 2 || a == NULL)
		usage();
	st = open_store(0);
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		struct oms_user *v;
		size_t n;

		if ((e = oms_user_list(st, a, &v, &n)) != OMS_OK)
			die("cannot list the accounts: %s", oms_strerror(e));
		for (size_t i = 0; i < n; i++)
			printf("%-20s %-9s %-8s %s <%s> %s\n", v[i].login,
			    oms_role_names[v[i].role], v[i].disabled ?
			    "disabled" : "active", v[i].display_name,
			    v[i].email, v[i].organisation);
		oms_store_close(&st);
		oms_arena_free(&a);
		return 0;
	}
	if (argc < 3)
		usage();
	if (strcmp(argv[1], "add") == 0) {
		struct oms_user_input in;
		int ch;
		size_t ns = 0;

		memset(&in, 0, sizeof(in));
		in.login = argv[2];
		in.role = -1;
		optind = 3;
		while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
			switch (ch) {
			case 'r':
				if ((in.role = oms_role_lookup(optarg)) < 0)
					die("--role: admin, vendor, finance, "
					    "customer or integration, not '%s'",
					    optarg);
				break;
			case 'n':
				in.display_name = optarg;
				break;
			case 'e':
				in.email = optarg;
				break;
			case 'o':
				in.organisation = optarg;
				break;
			case 'c':
				in.customer = num_arg("--customer", optarg, 1,
				    INT32_MAX);
				break;
			case 's':
				if (ns == OMS_NELEM(sites))
					die("too many --site");
				sites[ns++] = num_arg("--site", optarg, 1, INT32_MAX);
				break;
			case 'p':
				in.approver = 1;
				break;
			case 'y':
				in.system = optarg;
				break;
			case 'O':
				in.operations = optarg;
				break;
			default:
				usage();
			}
		}
		if (optind != argc)
			usage();
		if ((in.system != NULL || in.operations != NULL) &&
		    in.role != OMS_ROLE_INTEGRATION)
			die("--system and --operations are for --role "
			    "integration");
		in.sites = sites;
		in.nsites = ns;
		read_password(pw, sizeof(pw));
		in.password = pw;
		e = oms_user_create(st, a, &who, &in, &id, &why);
		sodium_memzero(pw, sizeof(pw));
		if (e != OMS_OK)
			die("cannot create %s: %s", argv[2], why ? why :
			    oms_strerror(e));
		printf("created %s (%s)\n", argv[2], oms_role_names[in.role]);
	} else if (argc == 3 && (strcmp(argv[1], "passwd") == 0 ||
	    strcmp(argv[1], "disable") == 0 || strcmp(argv[1], "enable") == 0)) {
		if (oms_user_find(st, argv[2], &id) != OMS_OK)
			die("there is no account %s", argv[2]);
		if (strcmp(argv[1], "passwd") == 0) {
			read_password(pw, sizeof(pw));
			e = oms_user_set_password(st, a, &who, id, pw, &why);
			sodium_memzero(pw, sizeof(pw));
		} else
			e = oms_user_set_disabled(st, a, &who, id,
			    strcmp(argv[1], "disable") == 0);
		if (e != OMS_OK)
			die("%s %s: %s", argv[1], argv[2], why ? why :
			    oms_strerror(e));
		printf("%s: done\n", argv[2]);
	} else
		usage();
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/*
 * omsctl audit verify: check the audit log's hash chain and print how
 * many records it holds.  Returns 0 when the chain holds; exits 1
 * through die() when it is broken or cannot be read, 2 on a usage
 * error.
 */
static int
cmd_audit(int argc, char *argv[])
{
	struct oms_store *st;
	int64_t n, bad;
	char why[256];
	enum oms_err e;

	if (argc != 2 || strcmp(argv[1], "verify") != 0)
		usage();
	st = open_store(0);
	e = oms_audit_verify(st, &n, &bad, why, sizeof(why));
	oms_store_close(&st);
	if (e == OMS_ERR_CONSTRAINT)
		die("the audit log is broken: %s", why);
	if (e != OMS_OK)
		die("cannot read the audit log: %s", oms_strerror(e));
	printf("audit log: %lld records, the chain holds\n", (long long)n);
	return 0;
}

/*
 * omsctl outbox drain [--system S] [--timeout SECONDS]: the dispatcher
 * (dispatch.h) in the foreground, beside or instead of omsd's exchange
 * job (the claims keep them apart), until nothing of the systems is
 * due or in flight; with --timeout, also waiting for back-offs that end
 * within SECONDS, and never longer.  Prints "delivered N, retry N,
 * unknown N, dead N, left N".  Returns 0 when nothing is left pending,
 * sending or unknown; 3 when something is; exits 1 through die() when
 * the dispatcher cannot be set up (an [exchange] section missing, an
 * adapter not built in, a mapping that does not compile) or the
 * database fails, 2 on a usage error.
 */
static int
cmd_outbox_drain(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"system", required_argument, NULL, 'y'},
		{"timeout", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	struct oms_dispatch_opts o;
	struct oms_dispatch *d;
	const struct oms_dispatch_stats *s;
	struct oms_store *st;
	long timeout = 0;
	int64_t left = 0;
	char err[1024];
	enum oms_err e;
	int ch;

	memset(&o, 0, sizeof(o));
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'y':
			o.system = optarg;
			break;
		case 't':
			timeout = num_arg("--timeout", optarg, 1, 7 * 86400);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	st = open_store(0);
	if ((e = oms_dispatch_open(&conf, st, &o, &d, err, sizeof(err))) !=
	    OMS_OK)
		die("outbox drain: %s", err);
	e = oms_dispatch_drain(d, (int64_t)timeout * 1000, &left);
	s = oms_dispatch_stats(d);
	printf("delivered %lld, retry %lld, unknown %lld, dead %lld, left "
	    "%lld\n", (long long)s->delivered, (long long)s->retry,
	    (long long)s->unknown, (long long)s->dead, (long long)left);
	oms_dispatch_close(&d);
	oms_store_close(&st);
	if (e != OMS_OK)
		die("outbox drain: %s", oms_strerror(e));
	return left == 0 ? 0 : 3;
}

/*
 * omsctl outbox list|show|resend: the messages of the transactional
 * outbox (src/domain/outbox.h).  list prints one message a line (id,
 * state, system, kind, key and seq, order, asset, attempts, message id,
 * and the last error); show prints one message's fields and its body;
 * resend puts a dead or delivered message back to pending (audited).
 * Returns 0; exits 1 through die() on a failure or a refused resend, 2
 * on a usage error.  Sending is the dispatcher's (omsd), not omsctl's.
 */
static int
cmd_outbox(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"state", required_argument, NULL, 's'},
		{"system", required_argument, NULL, 'y'},
		{"limit", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	struct oms_arena *a;
	struct oms_store *st;
	const char *state = NULL, *system = NULL, *why = NULL;
	long limit = 100, id = 0;
	enum oms_err e;
	int ch;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "drain") == 0)
		return cmd_outbox_drain(argc, argv);
	if (strcmp(argv[1], "list") == 0) {
		optind = 2;
		while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
			switch (ch) {
			case 's':
				if (oms_outbox_state_lookup(optarg) < 0)
					die("--state: pending, sending, unknown, "
					    "delivered or dead, not '%s'", optarg);
				state = optarg;
				break;
			case 'y':
				system = optarg;
				break;
			case 'l':
				limit = num_arg("--limit", optarg, 1, 1000000);
				break;
			default:
				usage();
			}
		}
		if (optind != argc)
			usage();
	} else if ((strcmp(argv[1], "show") == 0 ||
	    strcmp(argv[1], "resend") == 0) && argc == 3)
		id = num_arg(argv[1], argv[2], 1, 0x7fffffffL);
	else
		usage();
	a = oms_arena_new();
	st = open_store(0);
	if (strcmp(argv[1], "list") == 0) {
		struct oms_outbox_msg *m;
		size_t n;

		if ((e = oms_outbox_list(st, a, state, system, limit, &m, &n)) != OMS_OK)
			die("cannot list the outbox: %s", oms_strerror(e));
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s#%lld\t%s\t%s\t%lld\t%s\t%s\n",
			    (long long)m[i].id, oms_outbox_state_names[m[i].state],
			    m[i].system, m[i].kind, m[i].seq_key,
			    (long long)m[i].seq, m[i].order_ref ? m[i].order_ref : "-",
			    m[i].asset_tag ? m[i].asset_tag : "-",
			    (long long)m[i].attempts, m[i].message_id,
			    m[i].last_error ? m[i].last_error : "-");
	} else if (strcmp(argv[1], "show") == 0) {
		struct oms_outbox_msg m;

		if ((e = oms_outbox_get(st, a, id, &m)) == OMS_ERR_NOTFOUND)
			die("no message %ld in the outbox", id);
		if (e != OMS_OK)
			die("cannot read the outbox: %s", oms_strerror(e));
		printf("id: %lld\nmessage-id: %s\nsystem: %s\nkind: %s\n"
		    "order-key: %s\nsequence: %lld\norder: %s\nasset: %s\n"
		    "state: %s\nattempts: %lld\nnext-attempt: %s\n"
		    "last-error: %s\ncreated: %s\nupdated: %s\n\n%s",
		    (long long)m.id, m.message_id, m.system, m.kind, m.seq_key,
		    (long long)m.seq, m.order_ref ? m.order_ref : "-",
		    m.asset_tag ? m.asset_tag : "-",
		    oms_outbox_state_names[m.state], (long long)m.attempts,
		    m.next_attempt_at, m.last_error ? m.last_error : "-",
		    m.created_at, m.updated_at, m.body ? m.body : "");
	} else {
		struct oms_actor who = local_actor();

		e = oms_outbox_resend(st, a, &who, id, &why);
		if (e == OMS_ERR_NOTFOUND)
			die("no message %ld in the outbox", id);
		if (e != OMS_OK)
			die("message %ld not resent: %s", id, why ? why :
			    oms_strerror(e));
		printf("message %ld is pending again\n", id);
	}
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/* How omsctl reconcile writes its rows (recon_out's argument). */
struct recon_out {
	int csv;                   /* 1: CSV, 0: text */
	struct oms_csv_writer w;   /* CSV: to stdout */
};

/*
 * A text cell of the CSV neutralised as xslt/pages/csv.xsl's csv-cell
 * does (a leading = + - @ tab or CR gets an apostrophe, a telephone
 * number "+1 555 0100" excepted), into buf of sz bytes; NULL stays
 * NULL.  Returns the text to write (v itself, or buf).
 */
static const char *
csv_text(const char *v, char *buf, size_t sz)
{
	int phone = 0, digit = 0;

	if (v == NULL || v[0] == '\0' || strchr("=+-@\t\r", v[0]) == NULL)
		return v;
	if (v[0] == '+' && v[1] != '\0') {
		phone = 1;
		for (const char *p = v + 1; *p; p++) {
			if (*p >= '0' && *p <= '9')
				digit = 1;
			else if (strchr(" ().-", *p) == NULL)
				phone = 0;
		}
		if (phone && digit)
			return v;
	}
	snprintf(buf, sz, "'%s", v);
	return buf;
}

/* Cents as "1234.50" (no thousands separator), "" when c < 0 (none),
 * into buf of at least 32 bytes.  Returns buf. */
static const char *
plain_amount(int64_t c, char *buf)
{
	if (c < 0)
		buf[0] = '\0';
	else
		snprintf(buf, 32, "%lld.%02lld", (long long)(c / 100),
		    (long long)(c % 100));
	return buf;
}

/* Write one mismatch (oms_recon_fn) as a CSV record or a text line.
 * OMS_OK, or OMS_ERR_IO when the output failed. */
static enum oms_err
recon_out(void *arg, const struct oms_recon_row *r)
{
	struct recon_out *o = arg;
	char inv[32], lease[32], billed[32], b1[256], b2[256], b3[256],
	    b4[256], b5[256];

	if (r->invoice_number > 0)
		snprintf(inv, sizeof(inv), "%lld", (long long)r->invoice_number);
	else
		inv[0] = '\0';
	plain_amount(r->lease_cents, lease);
	plain_amount(r->billed_cents, billed);
	if (o->csv) {
		const char *f[10] = {oms_recon_kind_names[r->kind],
		    csv_text(r->asset_tag, b1, sizeof(b1)),
		    csv_text(r->customer, b2, sizeof(b2)),
		    csv_text(r->order_ref, b3, sizeof(b3)),
		    csv_text(r->vendor_ref, b4, sizeof(b4)), r->vendor_status,
		    inv, csv_text(r->lease_number, b5, sizeof(b5)), lease,
		    billed};

		return oms_csv_write(&o->w, f, 10);
	}
#define DASH(s) ((s) != NULL && (s)[0] != '\0' ? (s) : "-")
	if (printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
	    oms_recon_kind_names[r->kind], DASH(r->asset_tag),
	    DASH(r->customer), DASH(r->order_ref), DASH(inv),
	    DASH(r->lease_number), DASH(lease), DASH(billed)) < 0)
		return OMS_ERR_IO;
#undef DASH
	return OMS_OK;
}

/*
 * omsctl reconcile PERIOD [--format text|csv]: the reconciliation of a
 * billing period (monitor.h gives the definitions), streamed to
 * standard output.  text: one mismatch a line, tab-separated (kind,
 * asset tag, customer, order, invoice number, lease number, lease
 * monthly, billed monthly; "-" for none), then "# " lines with the
 * totals; csv: a header and one record a mismatch, as the page's CSV.
 * Returns 0 when everything matches, 1 when there are mismatches;
 * exits 1 through die() on a failure, 2 on a usage error or a
 * malformed period.
 */
static int
cmd_reconcile(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	static const char *const head[10] = {"Kind", "Asset", "Customer",
	    "Order", "Vendor reference", "Vendor status", "Invoice", "Lease",
	    "Lease monthly", "Billed monthly"};
	struct recon_out o = {0, {oms_csv_sink_file, NULL, 0}};
	struct oms_recon_totals t;
	struct oms_period p;
	struct oms_store *st;
	const char *period = NULL;
	int64_t total = 0;
	enum oms_err e;
	int ch;

	/* 0: GNU getopt starts afresh, permuting (main's "+" does not). */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'F':
			if (strcmp(optarg, "csv") == 0)
				o.csv = 1;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "omsctl: --format: text or csv, "
				    "not '%s'\n", optarg);
				usage();
			}
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	period = argv[optind];
	if (oms_period_parse(period, &p) != OMS_OK) {
		fprintf(stderr, "omsctl: reconcile: expected a period YYYY-MM, "
		    "not '%s'\n", period);
		exit(2);
	}
	o.w.arg = stdout;
	st = open_store(0);
	if (o.csv && oms_csv_write(&o.w, head, 10) != OMS_OK)
		die("cannot write the report");
	if ((e = oms_reconcile(st, period, &t, recon_out, &o)) != OMS_OK)
		die("cannot reconcile %s: %s", period, oms_strerror(e));
	for (int k = 0; k < OMS_RECON__MAX; k++)
		total += t.mismatches[k];
	if (!o.csv) {
		printf("# %s: %lld assets in service, %lld billed, %lld leases "
		    "booked, %lld vendor orders\n# %lld mismatches", period,
		    (long long)t.in_service, (long long)t.billed,
		    (long long)t.leases, (long long)t.vendor_orders,
		    (long long)total);
		for (int k = 0; k < OMS_RECON__MAX; k++)
			printf("%s %s %lld", k ? "," : ":",
			    oms_recon_kind_names[k], (long long)t.mismatches[k]);
		printf("\n");
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		die("cannot write the report");
	oms_store_close(&st);
	return total > 0 ? 1 : 0;
}

/* The route table, for people and for the authorization tests. */
static int
cmd_routes(void)
{
	static const char *const methods[] = {"GET", "HEAD", "POST"};

	/* METHOD PATTERN PERMISSION AUTH BODY FORMATS: formats offered,
	 * comma-separated, or "-" for a route that answers plain text. */
	for (size_t i = 0; i < oms_nroutes; i++) {
		const struct oms_route *r = &oms_routes[i];
		int n = 0;

		printf("%s %s %s %s %s ", methods[r->method], r->pattern,
		    oms_perm_names[r->perm], oms_auth_names[r->auth],
		    oms_body_names[r->body]);
		for (int f = 0; f < OMS_FORMAT__MAX; f++)
			if (r->sheets[f] != OMS_SHEET_NONE)
				printf("%s%s", n++ ? "," : "", oms_format_names[f]);
		printf("%s\n", n ? "" : "-");
	}
	return 0;
}

/*
 * 1 when two store configurations name the same database: the same
 * file (by device and inode when it exists), or the same MariaDB
 * database on the same socket, or host and port.
 */
static int
same_database(const struct oms_conf_store *a, const struct oms_conf_store *b)
{
	struct stat sa, sb;

	if (a->backend != b->backend)
		return 0;
	if (a->backend == OMS_BACKEND_SQLITE) {
		if (stat(a->path, &sa) == 0 && stat(b->path, &sb) == 0)
			return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
		return strcmp(a->path, b->path) == 0;
	}
	if (strcmp(a->database, b->database) != 0)
		return 0;
	if (a->socket[0] || b->socket[0])
		return strcmp(a->socket, b->socket) == 0;
	return strcmp(a->host, b->host) == 0 && a->port == b->port;
}

/*
 * omsctl copy [--force] TARGET.conf: copy the whole (current) database
 * to the store TARGET.conf names, after migrating the target, and
 * verify the copy.  Refuses the same database as source and target, and
 * a target holding data without --force.  Returns 0; exits 1 through
 * die() on any failure, 2 on a usage error.
 */
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
	if (same_database(&conf.store, &target.store))
		die("the source and the target are the same database");
	src = open_store(0);
	if (oms_migrate_current(src) != oms_migrate_latest(src)) {
		oms_store_close(&src);
		die("the source schema is not current: run 'omsctl migrate' "
		    "on it first");
	}
	if ((e = oms_store_open(&target.store, OMS_STORE_CREATE, &oms_stmt_table, &dst)) != OMS_OK) {
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
	if (e == OMS_ERR_INVAL)
		die("the target %s already holds data; nothing was copied "
		    "(--force replaces it)", where_of(&target.store));
	if (e != OMS_OK && !t[0].checked)
		die("the copy failed (%s; see the message above); the target "
		    "is unchanged", oms_strerror(e));
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

/*
 * omsctl render SHEET FILE: transform the XML view document FILE with
 * the stylesheet SHEET (by name, base name or file) and write the
 * result to standard output.  Returns 0; exits 1 through die() when the
 * sheet is unknown, the stylesheets do not load, the document is bad or
 * the transform fails, 2 on a usage error.
 */
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
		const char *slash = strrchr(oms_sheet_files[i], '/');
		const char *file = slash ? slash + 1 : oms_sheet_files[i];

		/* "assets", "assets.xsl" and "pages/assets.xsl" all name
		 * the same stylesheet. */
		snprintf(base, sizeof(base), "%s", file);
		base[strlen(base) - 4] = '\0'; /* drop ".xsl" */
		if (strcmp(argv[1], base) == 0 || strcmp(argv[1], file) == 0 ||
		    strcmp(argv[1], oms_sheet_files[i]) == 0)
			sheet = i;
	}
	if (sheet < 0)
		die("no stylesheet named '%s'", argv[1]);
	oms_views_init();
	if (oms_views_load(conf.xslt_dir, &v) != OMS_OK)
		die("cannot load the stylesheets in %s", conf.xslt_dir);
	/* Input from a file is input from outside: oms_xml_read_file()
	 * bounds its size and depth, refuses a DOCTYPE, and never
	 * substitutes entities, loads a DTD or touches the network. */
	{
		char err[256];

		if (oms_xml_read_file(argv[2], NULL, NULL, &d, err,
		    sizeof(err)) != OMS_OK) {
			if (strncmp(err, "not well-formed at ", 19) == 0)
				die("%s: not a well-formed XML document (%s)",
				    argv[2], err + 19);
			die("%s: %s", argv[2], err);
		}
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

/* Progress of a long import on a terminal: one line, rewritten. */
static void
import_progress(void *arg, int64_t rows)
{
	fprintf(stderr, "\r%s: %lld rows read", (const char *)arg,
	    (long long)rows);
	fflush(stderr);
}

/* Write the rejects file of a refused import: line, column, reason and
 * the row as it was.  0, or -1 when it could not be written. */
static int
write_rejects(const char *file, const struct oms_import_report *rep)
{
	static const char *const head[] = {"line", "column", "reason", "row"};
	FILE *f = fopen(file, "w");
	struct oms_csv_writer w = {oms_csv_sink_file, f, 0};

	if (f == NULL)
		return -1;
	oms_csv_write(&w, head, 4);
	for (size_t i = 0; i < rep->nproblems; i++) {
		const struct oms_import_problem *p = &rep->problems[i];
		char line[24];
		const char *row[4];

		snprintf(line, sizeof(line), "%lld", (long long)p->line);
		row[0] = line;
		row[1] = p->column;
		row[2] = p->reason;
		row[3] = p->row;
		oms_csv_write(&w, row, 4);
	}
	if (fclose(f) != 0 || w.failed)
		return -1;
	return 0;
}

/*
 * omsctl import KIND FILE.csv [--rejects FILE]: import one file in one
 * unit of work at the business date.  Returns 0 when imported (the
 * counts on standard output); exits 1 through die() when the file was
 * refused (every bad row on standard error, and in the rejects file)
 * or the import failed, 2 on a usage error.
 */
static int
cmd_import(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"rejects", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *rejects = NULL, *file;
	struct oms_actor who = local_actor();
	struct oms_import_opts o;
	struct oms_import_report rep;
	struct oms_arena *a;
	struct oms_store *st;
	struct stat sb;
	const char *data = "";
	void *map = NULL;
	int kind, fd, ch;
	enum oms_err e;

	/* 0, not 1: glibc then starts afresh, permuting options after
	 * the operands too (main's "+" would otherwise stay in force). */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (ch != 'r')
			usage();
		rejects = optarg;
	}
	if (argc - optind != 2)
		usage();
	if ((kind = oms_import_kind_lookup(argv[optind])) < 0)
		die("unknown kind '%s' (omsctl with no arguments lists them)",
		    argv[optind]);
	file = argv[optind + 1];
	if ((fd = open(file, O_RDONLY)) < 0 || fstat(fd, &sb) != 0)
		die("%s: %s", file, strerror(errno));
	if (sb.st_size > 0) {
		map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED)
			die("%s: %s", file, strerror(errno));
		data = map;
	}
	close(fd);
	if ((a = oms_arena_new()) == NULL)
		die("out of memory");
	memset(&o, 0, sizeof(o));
	o.actor = &who;
	o.today = oms_date_today();
	o.backdate_days = conf.backdate_days;
	o.currency = conf.currency;
	if (isatty(STDERR_FILENO)) {
		o.progress = import_progress;
		o.progress_arg = (void *)file;
	}
	st = open_store(0);
	if (oms_migrate_current(st) != oms_migrate_latest(st)) {
		oms_store_close(&st);
		die("the database schema is not current: run 'omsctl migrate'");
	}
	e = oms_import(st, a, (enum oms_import_kind)kind, data,
	    (size_t)sb.st_size, &o, &rep);
	oms_store_close(&st);
	if (o.progress != NULL && rep.rows >= OMS_IMPORT_PROGRESS)
		fputc('\n', stderr);
	if (map != NULL)
		munmap(map, (size_t)sb.st_size);
	if (e == OMS_OK) {
		printf("%s: %s imported: %lld rows, %lld added, %lld updated, "
		    "%lld skipped\n", file, oms_import_kind_names[kind],
		    (long long)rep.rows, (long long)rep.added,
		    (long long)rep.updated, (long long)rep.skipped);
		oms_arena_free(&a);
		return 0;
	}
	if (e != OMS_ERR_INVAL)
		die("%s: the import failed: %s (nothing was imported)", file,
		    oms_strerror(e));
	for (size_t i = 0; i < rep.nproblems; i++) {
		const struct oms_import_problem *p = &rep.problems[i];

		fprintf(stderr, "%s:%lld: %s%s%s\n", file, (long long)p->line,
		    p->column, p->column[0] ? ": " : "", p->reason);
	}
	if (rep.problems_total > (int64_t)rep.nproblems)
		fprintf(stderr, "%s: %lld more problems not listed\n", file,
		    (long long)(rep.problems_total - (int64_t)rep.nproblems));
	if (rejects != NULL && write_rejects(rejects, &rep) != 0)
		fprintf(stderr, "omsctl: cannot write %s: %s\n", rejects,
		    strerror(errno));
	die("%s refused: %lld of %lld rows bad, nothing was imported", file,
	    (long long)rep.refused, (long long)rep.rows);
}

/*
 * omsctl export KIND [--out FILE]: write every row of KIND in its
 * import format, to FILE or standard output.  Returns 0; exits 1
 * through die() when the kind is not exportable or writing fails (a
 * partial FILE is removed), 2 on a usage error.
 */
static int
cmd_export(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	struct oms_csv_writer w = {oms_csv_sink_file, stdout, 0};
	struct oms_store *st;
	FILE *f = stdout;
	int kind, ch;
	enum oms_err e;

	/* 0, not 1: glibc then starts afresh, permuting options after
	 * the operands too (main's "+" would otherwise stay in force). */
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (ch != 'o')
			usage();
		out = optarg;
	}
	if (argc - optind != 1)
		usage();
	if ((kind = oms_import_kind_lookup(argv[optind])) < 0)
		die("unknown kind '%s'", argv[optind]);
	if (!oms_export_ready((enum oms_import_kind)kind))
		die("%s are not yet exportable: their module is not in this "
		    "version of OMS", argv[optind]);
	if (out != NULL && (f = fopen(out, "w")) == NULL)
		die("%s: %s", out, strerror(errno));
	w.arg = f;
	st = open_store(0);
	e = oms_export(st, (enum oms_import_kind)kind, &w);
	oms_store_close(&st);
	if (fflush(f) != 0 || ferror(f))
		e = e == OMS_OK ? OMS_ERR_IO : e;
	if (out != NULL && fclose(f) != 0 && e == OMS_OK)
		e = OMS_ERR_IO;
	if (e != OMS_OK) {
		if (out != NULL)
			unlink(out);
		die("export of %s failed: %s", argv[optind], oms_strerror(e));
	}
	return 0;
}

/* What a billing run's progress callback needs: the lease it renews
 * and whether to draw progress. */
struct bill_tick {
	const char *verb;
	int tty;
	struct oms_store *st;
	struct oms_lease *lease;   /* NULL for a preview */
	time_t renewed;
};

/* The billing lease lasts this long, renewed every third of it while
 * the run goes on: a run killed outright holds it at most this long. */
#define BILL_LEASE_MS 60000

/* Progress of a billing run (after each unit of work): the lease
 * renewed when a third of it has passed, and on a terminal one line,
 * rewritten. */
static void
bill_progress(void *arg, size_t done, size_t total)
{
	struct bill_tick *t = arg;

	if (t->lease != NULL && time(NULL) - t->renewed >=
	    BILL_LEASE_MS / 3000) {
		if (oms_lease_renew(t->st, t->lease) == OMS_OK)
			t->renewed = time(NULL);
	}
	if (t->tty) {
		fprintf(stderr, "\r%s: %zu of %zu customers", t->verb, done,
		    total);
		if (done == total)
			fputc('\n', stderr);
		fflush(stderr);
	}
}

/* Take the billing lease, waiting (up to twice its length) for a
 * holder's to run out: a run killed outright holds it until then.
 * OMS_OK, or the refusal with l->other set. */
static enum oms_err
bill_lease(struct oms_store *st, struct oms_lease *l)
{
	time_t until = time(NULL) + 2 * BILL_LEASE_MS / 1000 + 5;
	int told = 0;
	enum oms_err e;

	for (;;) {
		struct timespec ts;
		int64_t ms;

		if ((e = oms_lease_acquire(st, l)) == OMS_OK ||
		    e != OMS_ERR_DENIED || time(NULL) >= until)
			return e;
		/* A run of this host killed outright: its lease goes now. */
		if (oms_lease_break_dead(st, l) == OMS_OK)
			continue;
		if (!told) {
			fprintf(stderr, "omsctl: waiting for the billing lease "
			    "held by %s (%lld s at most)\n", l->other,
			    (long long)(l->other_ms / 1000 + 1));
			told = 1;
		}
		ms = l->other_ms > 0 && l->other_ms < 5000 ? l->other_ms + 50 :
		    5000;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

/* Write one XML document of invoice inv (report when report != 0) to
 * DIR/CODE-PERIOD-{invoice,report}.xml.  0, or -1 with errno. */
static int
bill_write(const char *dir, const struct oms_invoice *inv, int report)
{
	struct oms_arena *a = oms_arena_new();
	xmlNodePtr root;
	xmlDocPtr d;
	char path[4096];
	int rc = -1;

	if (a == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/%s-%s-%s.xml", dir,
	    inv->customer_code, inv->period, report ? "report" : "invoice");
	if ((d = oms_doc_new(a, report ? "billing" : "billing", &root)) != NULL) {
		if (report)
			oms_report_xml(root, inv);
		else
			oms_invoice_xml(root, inv);
		if (!oms_doc_failed(d) &&
		    xmlSaveFormatFileEnc(path, d, "UTF-8", 1) >= 0)
			rc = 0;
	}
	oms_arena_free(&a);
	return rc;
}

/* billdocs' tick while the PDF renderer runs: renew the billing lease
 * when a third of it has passed.  Always 1 (Ctrl-C stops omsctl and
 * the renderer alike). */
static int
docs_tick(void *arg)
{
	struct bill_tick *t = arg;

	bill_progress(t, 0, 1);
	return 1;
}

/*
 * omsctl bill documents: render and store the documents of every
 * issued invoice that has none yet (billdocs.h), under the billing
 * lease: the pages first, then the PDFs with [billing] pdf_renderer.
 * What the billing job of omsd does by itself, for installations
 * without it and for scripts.  Returns 0 when every document is
 * stored, 1 when some invoice's PDF could not be made; exits 1 through
 * die() on other failures.
 */
static int
bill_documents(void)
{
	struct oms_billdocs_pdf p;
	struct bill_tick tick;
	struct oms_views *v;
	struct oms_store *st;
	struct oms_lease l;
	char path[PATH_MAX + 32], css[PATH_MAX];
	size_t done, failed, pages = 0, pdfs = 0, skipped = 0;
	int64_t before = 0;
	enum oms_err e = OMS_ERR_CONFIG;

	oms_views_init();
	if (oms_views_load(conf.xslt_dir, &v) != OMS_OK)
		die("cannot load the stylesheets in %s", conf.xslt_dir);
	st = open_store(0);
	if (oms_migrate_current(st) != oms_migrate_latest(st)) {
		oms_store_close(&st);
		die("the database schema is not current: run 'omsctl migrate'");
	}
	if (oms_lease_init(&l, "billing", BILL_LEASE_MS) != OMS_OK ||
	    (e = bill_lease(st, &l)) != OMS_OK) {
		oms_store_close(&st);
		die("another billing run holds the lease (%s); try again when "
		    "it has finished", l.other[0] ? l.other : oms_strerror(e));
	}
	memset(&tick, 0, sizeof(tick));
	tick.st = st;
	tick.lease = &l;
	tick.renewed = time(NULL);
	snprintf(path, sizeof(path), "%s/../www/static/print.css",
	    conf.xslt_dir);
	memset(&p, 0, sizeof(p));
	p.renderer = conf.pdf_renderer;
	p.css_file = css;
	p.max_lines = conf.pdf_max_lines;
	p.tick = docs_tick;
	p.arg = &tick;
	while ((e = oms_billdocs_pages(st, v, &p, 50, &done)) == OMS_OK &&
	    done > 0) {
		pages += done;
		if (isatty(2))
			fprintf(stderr, "\rdocuments: pages of %zu invoices",
			    pages);
	}
	if (isatty(2) && pages > 0)
		fputc('\n', stderr);
	if (e != OMS_OK)
		die("invoice pages: %s", oms_strerror(e));
	if (conf.pdf_renderer[0] != '\0' && realpath(path, css) == NULL)
		die("%s: %s", path, strerror(errno));
	while (conf.pdf_renderer[0] != '\0') {
		e = oms_billdocs_pdfs(st, v, &p, &before, 8, &done, &failed);
		pdfs += done;
		skipped += failed;
		if (e == OMS_ERR_CONFIG)
			die("the PDF renderer %s cannot run", p.renderer);
		if (e != OMS_OK)
			die("PDFs: %s", oms_strerror(e));
		if (done == 0 && failed == 0)
			break;
		if (isatty(2))
			fprintf(stderr, "\rdocuments: PDFs of %zu invoices",
			    pdfs);
	}
	if (isatty(2) && pdfs > 0)
		fputc('\n', stderr);
	oms_lease_release(st, &l);
	oms_store_close(&st);
	oms_views_free(&v);
	printf("documents: pages of %zu invoices and PDFs of %zu stored", pages,
	    pdfs);
	if (skipped > 0)
		printf("; %zu invoices had no PDF (see the messages above)",
		    skipped);
	putchar('\n');
	return skipped > 0;
}

/*
 * omsctl bill preview|issue|export --period YYYY-MM [--out DIR] (and
 * bill documents: bill_documents): the billing runs of BILLING.md at
 * the business date.  Returns 0; exits 1
 * through die() when refused or failed, 2 on a usage error.
 */
static int
cmd_bill(int argc, char *argv[])
{
	static const struct option longs[] = {
		{"period", required_argument, NULL, 'p'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *period = NULL, *out = NULL, *why = NULL, *verb;
	struct bill_tick tick;
	struct oms_bill_opts o;
	struct oms_store *st;
	struct oms_arena *a;
	enum oms_err e;
	int ch;

	optind = 0;
	if (argc < 2)
		usage();
	if (argc == 2 && strcmp(argv[1], "documents") == 0)
		return bill_documents();
	if (argc == 3 && strcmp(argv[1], "resend") == 0)
		return bill_resend(argv[2]);
	verb = argv[1];
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		if (ch == 'p')
			period = optarg;
		else if (ch == 'o')
			out = optarg;
		else
			usage();
	}
	if (period == NULL || optind != argc)
		usage();
	memset(&o, 0, sizeof(o));
	o.currency = conf.currency;
	o.backdate_days = conf.backdate_days;
	memset(&tick, 0, sizeof(tick));
	tick.verb = verb;
	tick.tty = isatty(2);
	o.progress = bill_progress;
	o.progress_arg = &tick;
	if (getenv("OMS_TEST_BILL_STOP_AFTER") != NULL)
		o.stop_after = atol(getenv("OMS_TEST_BILL_STOP_AFTER"));
	if ((a = oms_arena_new()) == NULL)
		die("out of memory");
	st = open_store(0);
	if (oms_migrate_current(st) != oms_migrate_latest(st)) {
		oms_store_close(&st);
		die("the database schema is not current: run 'omsctl migrate'");
	}
	if (strcmp(verb, "preview") == 0 && out == NULL) {
		struct oms_bill_preview pv;
		char m1[32], m2[32], m3[32];

		e = oms_bill_preview(st, a, period, &o, &pv, &why);
		if (e != OMS_OK)
			die("preview of %s: %s", period, why ? why :
			    oms_strerror(e));
		if (pv.issued) {
			printf("period %s is issued: nothing to preview\n",
			    pv.period);
		} else {
			printf("%-16s %16s %16s %16s\n", "customer",
			    "current", "change", "total due");
			for (size_t i = 0; i < pv.n; i++) {
				const struct oms_invoice *v = &pv.invoices[i];

				printf("%-16s %16s %16s %16s\n",
				    v->customer_code,
				    oms_money_format(v->current, m1, sizeof(m1)),
				    v->previous_current < 0 ? "new" :
				    oms_money_format(v->current -
				    v->previous_current, m2, sizeof(m2)),
				    oms_money_format(v->total_due, m3,
				    sizeof(m3)));
			}
			printf("period %s: %zu invoices, current charges %s, "
			    "total due %s\n", pv.period, pv.n,
			    oms_money_format(pv.current, m1, sizeof(m1)),
			    oms_money_format(pv.total_due, m2, sizeof(m2)));
			for (size_t i = 0; i < pv.nwarnings; i++)
				printf("warning: %s: %s\n",
				    pv.warnings[i].customer_code,
				    pv.warnings[i].text);
		}
	} else if (strcmp(verb, "issue") == 0 && out == NULL) {
		struct oms_bill_result res;
		struct oms_lease l;

		if (oms_lease_init(&l, "billing", BILL_LEASE_MS) != OMS_OK ||
		    (e = bill_lease(st, &l)) != OMS_OK) {
			oms_store_close(&st);
			die("another billing run holds the lease (%s); try "
			    "again when it ends", l.other[0] ? l.other :
			    "unknown");
		}
		tick.st = st;
		tick.lease = &l;
		tick.renewed = time(NULL);
		e = oms_bill_issue(st, period, &o, &res, &why);
		oms_lease_release(st, &l);
		if (e != OMS_OK)
			die("issue of %s: %s", period, why ? why :
			    oms_strerror(e));
		if (res.already)
			printf("period %s is issued already: nothing issued\n",
			    period);
		else
			printf("period %s issued: %zu invoices for %zu "
			    "customers\n", period, res.invoices, res.customers);
	} else if (strcmp(verb, "export") == 0 && out != NULL) {
		struct oms_invoice_head *h;
		size_t n;

		if (mkdir(out, 0755) != 0 && errno != EEXIST)
			die("%s: %s", out, strerror(errno));
		if ((e = oms_invoice_list(st, a, 0, period, 0, &h, &n)) !=
		    OMS_OK)
			die("export of %s: %s", period, oms_strerror(e));
		if (n == 0)
			die("period %s has no issued invoice", period);
		for (size_t i = 0; i < n; i++) {
			struct oms_invoice inv;
			struct oms_arena *ia = oms_arena_new();

			if (ia == NULL)
				die("out of memory");
			if ((e = oms_invoice_get(st, ia, h[i].id, 0, &inv)) !=
			    OMS_OK)
				die("invoice %lld: %s", (long long)h[i].number,
				    oms_strerror(e));
			if (bill_write(out, &inv, 0) != 0 ||
			    bill_write(out, &inv, 1) != 0)
				die("%s: cannot write the documents of %s",
				    out, inv.customer_code);
			oms_arena_free(&ia);
		}
		printf("period %s: %zu invoices and reports written to %s\n",
		    period, n, out);
	} else
		usage();
	oms_store_close(&st);
	oms_arena_free(&a);
	return 0;
}

/*
 * omsctl [-f oms.conf] command [arguments]: check the command name,
 * load the configuration and dispatch to cmd_*().  Returns the
 * command's exit status: 0 on success, 1 on failure (most failures exit
 * through die()), 2 on a usage error (through usage()).
 */
int
main(int argc, char *argv[])
{
	static const struct option globals[] = {
		{"today", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	char err[1024];
	int32_t today;
	int ch;

	while ((ch = getopt_long(argc, argv, "+f:", globals, NULL)) != -1) {
		switch (ch) {
		case 'f':
			conf_file = optarg;
			break;
		case 't':
			/* The business date of BILLING.md for this run. */
			if (oms_date_parse(optarg, &today) != OMS_OK)
				die("--today: expected a date YYYY-MM-DD, not "
				    "'%s'", optarg);
			oms_date_set_today(today);
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
	if (strcmp(argv[0], "routes") == 0 && argc == 1)
		return cmd_routes();
	/* A command that does not exist is a usage error, whatever the
	 * state of the configuration. */
	if (!((strcmp(argv[0], "init") == 0 && argc == 1) ||
	    (strcmp(argv[0], "migrate") == 0 && argc == 1) ||
	    strcmp(argv[0], "seed-demo") == 0 || strcmp(argv[0], "render") == 0 ||
	    strcmp(argv[0], "copy") == 0 || strcmp(argv[0], "user") == 0 ||
	    strcmp(argv[0], "audit") == 0 || strcmp(argv[0], "routes") == 0 ||
	    strcmp(argv[0], "import") == 0 || strcmp(argv[0], "export") == 0 ||
	    strcmp(argv[0], "customer") == 0 || strcmp(argv[0], "bill") == 0 ||
	    strcmp(argv[0], "outbox") == 0 || strcmp(argv[0], "reconcile") == 0 ||
	    (strcmp(argv[0], "demo-users") == 0 && argc == 1)))
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
	if (strcmp(argv[0], "user") == 0)
		return cmd_user(argc, argv);
	if (strcmp(argv[0], "demo-users") == 0)
		return demo_users();
	if (strcmp(argv[0], "audit") == 0)
		return cmd_audit(argc, argv);
	if (strcmp(argv[0], "import") == 0)
		return cmd_import(argc, argv);
	if (strcmp(argv[0], "export") == 0)
		return cmd_export(argc, argv);
	if (strcmp(argv[0], "customer") == 0)
		return cmd_customer(argc, argv);
	if (strcmp(argv[0], "bill") == 0)
		return cmd_bill(argc, argv);
	if (strcmp(argv[0], "outbox") == 0)
		return cmd_outbox(argc, argv);
	if (strcmp(argv[0], "reconcile") == 0)
		return cmd_reconcile(argc, argv);

	usage();
}

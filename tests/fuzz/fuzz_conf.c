/*
 * fuzz_conf.c: libFuzzer target for the configuration parser
 * (oms_conf_load in src/core/conf.c, over inih).
 *
 * oms_conf_load reads a file by name, so each input is written to one
 * memfd made at the first input and read back through
 * /proc/self/fd/N: no file on disk, and conf.c unchanged.
 * Invariants checked on every input:
 *   - it returns OMS_OK, OMS_ERR_CONFIG or OMS_ERR_IO, and a refusal
 *     leaves a NUL-terminated message naming the file and a line;
 *   - loading the same text twice gives the same configuration.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "conf.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int fd = -1;      /* the memfd holding the current input */
static char path[64];    /* its /proc/self/fd name */
static struct oms_conf c1, c2;
static char err1[1024], err2[1024];

/* libFuzzer's entry: load one input twice and compare. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum oms_err e1, e2;

	if (fd < 0) {
		oms_log_set_level(OMS_LOG_ERR);
		if ((fd = memfd_create("fuzz_conf", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	memset(&c1, 0, sizeof(c1));
	memset(&c2, 0, sizeof(c2));
	e1 = oms_conf_load(path, &c1, err1, sizeof(err1));
	e2 = oms_conf_load(path, &c2, err2, sizeof(err2));
	CHECK(e1 == OMS_OK || e1 == OMS_ERR_CONFIG || e1 == OMS_ERR_IO);
	CHECK(e1 == e2);
	if (e1 == OMS_OK)
		CHECK(memcmp(&c1, &c2, sizeof(c1)) == 0);
	else {
		CHECK(memchr(err1, '\0', sizeof(err1)) != NULL);
		CHECK(strncmp(err1, path, strlen(path)) == 0);
		CHECK(strcmp(err1, err2) == 0);
	}
	return 0;
}

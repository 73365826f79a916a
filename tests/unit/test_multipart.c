/*
 * test_multipart.c: the multipart/form-data parser of the import page
 * (src/web/multipart.c): fields and a file as curl and browsers send
 * them, the boundary from the Content-Type (quoted or not), and every
 * malformed upload refused with a reason.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "multipart.h"
#include "../tap.h"

#define CT "multipart/form-data; boundary=XyZ"

/* Parse body s with content type ct; the number of parts, or -1 when
 * refused (with the reason in *why). */
static int
parse(struct oms_arena *a, const char *ct, const char *s, size_t len,
    struct oms_part *p, const char **why)
{
	size_t n;

	if (oms_multipart_parse(a, ct, s, len, p, 3, &n, why) != OMS_OK)
		return -1;
	return (int)n;
}

#define REFUSED(ct, s, name) do {                                          \
		const char *why_ = NULL;                                    \
		ok(parse(a, ct, s, sizeof(s) - 1, p, &why_) == -1 &&       \
		    why_ != NULL, "bad: %s", name);                         \
	} while (0)

int
main(void)
{
	struct oms_arena *a = oms_arena_new();
	struct oms_part p[3];
	const char *why;
	static const char good[] =
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
	    "tok\r\n"
	    "--XyZ\r\n"
	    "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\n"
	    "code,name\r\nC1,\"x\r\n--XY\"\r\n"
	    "--XyZ--\r\n";

	is_int(parse(a, CT, good, sizeof(good) - 1, p, &why), 2, "two parts");
	is_str(p[0].name, "csrf", "first part's name");
	ok(p[0].len == 3 && memcmp(p[0].data, "tok", 3) == 0, "its value");
	ok(p[0].filename == NULL, "a field has no file name");
	is_str(p[1].name, "file", "second part's name");
	is_str(p[1].filename, "a.csv", "its file name");
	ok(p[1].len == 23 && memcmp(p[1].data, "code,name\r\nC1,\"x\r\n--XY\"", 23) == 0,
	    "the file's bytes, a near-boundary inside kept");
	is_int(parse(a, "multipart/form-data; charset=utf-8; boundary=\"XyZ\"",
	    good, sizeof(good) - 1, p, &why), 2, "a quoted boundary after "
	    "another parameter");
	REFUSED("application/x-www-form-urlencoded", good, "another media type");
	REFUSED("multipart/form-data", good, "no boundary");
	REFUSED("multipart/form-data; boundary=", good, "an empty boundary");
	REFUSED("multipart/form-data; boundary=Other", good, "another boundary");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
	    "no closing boundary");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nx",
	    "no end of the headers");
	REFUSED(CT, "--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--",
	    "a part without Content-Disposition");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--",
	    "a part that is not form-data");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ--",
	    "an unquoted name");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--",
	    "an unterminated name");
	REFUSED(CT, "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--",
	    "a preamble");
	REFUSED(CT, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n3\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"d\"\r\n\r\n4\r\n--XyZ--",
	    "more parts than the form has");
	REFUSED(CT, "", "an empty body");
	oms_arena_free(&a);
	return tap_done();
}

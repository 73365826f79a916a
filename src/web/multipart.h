/*
 * multipart.h: the multipart/form-data request body of a file upload
 * (RFC 7578), for the import page.
 *
 * The parser is strict and bounded: the boundary comes from the
 * Content-Type (1 to 70 characters of RFC 2046's set), the body must
 * start with it (no preamble) and end with the closing delimiter, a
 * part's headers are at most OMS_MULTIPART_MAX_HEADERS bytes, each
 * part must say Content-Disposition: form-data with a name, and there
 * are at most `max` parts.  The parts point into the body (nothing is
 * copied but the names), so they live as long as the request.
 */
#ifndef OMS_MULTIPART_H
#define OMS_MULTIPART_H

#include <stddef.h>

#include "oms.h"

struct oms_arena;

#define OMS_MULTIPART_MAX_HEADERS 4096

struct oms_part {
	const char *name;     /* the form field's name (arena) */
	const char *filename; /* the file's name, or NULL (arena) */
	const char *data;     /* its bytes, in the body */
	size_t len;
};

/*
 * Split body[0..len-1] by the boundary of content_type into parts[]
 * (room for max), *n set.  OMS_OK; OMS_ERR_INVAL with *why (static) for
 * anything malformed, another media type, or more than max parts;
 * OMS_ERR_NOMEM.
 */
enum oms_err oms_multipart_parse(struct oms_arena *, const char *content_type,
    const char *body, size_t len, struct oms_part *parts, size_t max,
    size_t *n, const char **why);

#endif /* OMS_MULTIPART_H */

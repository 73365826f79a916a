/*
 * documents.c: storing and reading the documents of issued invoices
 * (documents.h).  Statements in documents_stmt.h.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "date.h"
#include "billing.h"
#include "documents.h"
#include "stmts.h"
#include "store.h"

const char *const oms_doc_names[OMS_DOC__MAX] = {
	"invoice.html", "invoice-print.html", "invoice.pdf",
	"report.html", "report-print.html", "report.pdf",
};

const char *const oms_doc_media[OMS_DOC__MAX] = {
	"text/html", "text/html", "application/pdf",
	"text/html", "text/html", "application/pdf",
};

/* Described in documents.h: store a document once. */
enum oms_err
oms_doc_put(struct oms_store *st, int64_t invoice, enum oms_doc_kind kind,
    const void *body, size_t len)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_PUT);
	char now[32];

	if ((unsigned)kind >= OMS_DOC__MAX || body == NULL)
		return OMS_ERR_INVAL;
	oms_query_int(q, invoice);
	oms_query_text(q, oms_doc_names[kind]);
	oms_query_text(q, oms_doc_media[kind]);
	oms_query_text(q, oms_now_iso(now, sizeof(now)));
	oms_query_blob(q, body, len);
	return oms_query_exec(q);
}

/* Described in documents.h: read a stored document. */
enum oms_err
oms_doc_get(struct oms_store *st, struct oms_arena *a, int64_t invoice,
    enum oms_doc_kind kind, const char **body, size_t *len)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_GET);
	enum oms_err e, found = OMS_ERR_NOTFOUND;

	*body = NULL;
	*len = 0;
	if ((unsigned)kind >= OMS_DOC__MAX)
		return OMS_ERR_INVAL;
	oms_query_int(q, invoice);
	oms_query_text(q, oms_doc_names[kind]);
	if (oms_query_row(q)) {
		size_t n;
		const char *v = oms_query_col_blob(q, 1, &n);
		char *copy;

		if (v == NULL)
			n = 0;
		if ((copy = oms_arena_alloc(a, n + 1)) == NULL)
			found = OMS_ERR_NOMEM;
		else {
			if (n > 0)
				memcpy(copy, v, n);
			copy[n] = '\0';
			*body = copy;
			*len = n;
			found = OMS_OK;
		}
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found;
}

/*
 * The pending list of oms_doc_pending (max_lines < 0) and
 * oms_doc_pending_short (max_lines >= 0, 0 meaning any).
 */
static enum oms_err
pending(struct oms_store *st, struct oms_arena *a, enum oms_doc_kind kind,
    int64_t before, int64_t max_lines, size_t max, int64_t **ids, size_t *n)
{
	struct oms_query *q = oms_query(st, max_lines < 0 ?
	    OMS_STMT_DOCUMENT_PENDING : OMS_STMT_DOCUMENT_PENDING_SHORT);
	int64_t *v;
	enum oms_err e;

	*ids = NULL;
	*n = 0;
	if ((unsigned)kind >= OMS_DOC__MAX || max == 0) {
		oms_query_end(q);
		return OMS_ERR_INVAL;
	}
	if ((v = oms_arena_alloc(a, max * sizeof(*v))) == NULL) {
		oms_query_end(q);
		return OMS_ERR_NOMEM;
	}
	oms_query_int(q, before > 0 ? before : INT64_MAX);
	oms_query_text(q, oms_doc_names[kind]);
	if (max_lines >= 0) {
		oms_query_int(q, max_lines);
		oms_query_int(q, max_lines);
	}
	oms_query_int(q, (int64_t)max);
	while (*n < max && oms_query_row(q))
		v[(*n)++] = oms_query_col_int(q, 0);
	if ((e = oms_query_end(q)) != OMS_OK) {
		*n = 0;
		return e;
	}
	*ids = v;
	return OMS_OK;
}

/* Described in documents.h: invoices still without a kind. */
enum oms_err
oms_doc_pending(struct oms_store *st, struct oms_arena *a,
    enum oms_doc_kind kind, int64_t before, size_t max, int64_t **ids,
    size_t *n)
{
	return pending(st, a, kind, before, -1, max, ids, n);
}

/* Described in documents.h: short invoices still without a kind. */
enum oms_err
oms_doc_pending_short(struct oms_store *st, struct oms_arena *a,
    enum oms_doc_kind kind, int64_t before, int64_t max_lines, size_t max,
    int64_t **ids, size_t *n)
{
	return pending(st, a, kind, before, max_lines < 0 ? 0 : max_lines,
	    max, ids, n);
}

/* Described in documents.h: the lines of an invoice. */
enum oms_err
oms_doc_lines(struct oms_store *st, int64_t invoice, int64_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_LINES);

	*n = 0;
	oms_query_int(q, invoice);
	if (oms_query_row(q))
		*n = oms_query_col_int(q, 0);
	return oms_query_end(q);
}

/* Described in documents.h: how many invoices lack a kind. */
enum oms_err
oms_doc_pending_count(struct oms_store *st, enum oms_doc_kind kind,
    int64_t *n)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_PENDING_COUNT);

	*n = 0;
	if ((unsigned)kind >= OMS_DOC__MAX)
		return OMS_ERR_INVAL;
	oms_query_text(q, oms_doc_names[kind]);
	if (oms_query_row(q))
		*n = oms_query_col_int(q, 0);
	return oms_query_end(q);
}

/* Described in documents.h: the kinds an invoice has. */
enum oms_err
oms_doc_kinds(struct oms_store *st, int64_t invoice, unsigned *have)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_KINDS);

	*have = 0;
	oms_query_int(q, invoice);
	while (oms_query_row(q)) {
		const char *k = oms_query_col_text(q, 0);

		for (int i = 0; k != NULL && i < OMS_DOC__MAX; i++)
			if (strcmp(k, oms_doc_names[i]) == 0)
				*have |= 1u << i;
	}
	return oms_query_end(q);
}

/* Described in documents.h: an invoice's heading alone. */
enum oms_err
oms_doc_invoice_head(struct oms_store *st, struct oms_arena *a, int64_t id,
    int64_t scope, struct oms_invoice *inv)
{
	struct oms_query *q = oms_query(st, OMS_STMT_DOCUMENT_INVOICE_HEAD);
	enum oms_err e;
	int found = 0;

	memset(inv, 0, sizeof(*inv));
	inv->previous_current = -1;
	oms_query_int(q, id);
	oms_query_int(q, scope);
	oms_query_int(q, scope);
	if (oms_query_row(q)) {
		const char *per = oms_query_col_text(q, 3);

		found = 1;
		inv->id = oms_query_col_int(q, 0);
		inv->number = oms_query_col_int(q, 1);
		inv->customer = oms_query_col_int(q, 2);
		snprintf(inv->period, sizeof(inv->period), "%s",
		    per ? per : "");
		inv->customer_code = oms_query_col_dup(q, 4, a);
		inv->customer_name = oms_query_col_dup(q, 5, a);
		inv->country = oms_query_col_dup(q, 6, a);
	}
	if ((e = oms_query_end(q)) != OMS_OK)
		return e;
	return found ? OMS_OK : OMS_ERR_NOTFOUND;
}

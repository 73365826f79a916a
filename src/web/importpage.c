/*
 * importpage.c: the import page /admin/import (administrators: the
 * route's permission OMS_PERM_IMPORT).
 *
 * GET shows the form: the kind and the file.  POST takes the form as
 * multipart/form-data (the pipeline checked its CSRF token, a part
 * like any form field), runs the import in one unit of work exactly as
 * omsctl import does, and shows the report: the counts, and every bad
 * row with its line, column, reason and text (the first
 * PAGE_PROBLEMS of them; the total is always said).  A refused file
 * answers 422 with the same page.  The document is described in
 * docs/views.md ("import").
 *
 * The upload is bounded by max_body in oms.conf (the pipeline answers
 * 413 beyond it), which the page states; larger files go through
 * omsctl import.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "csv.h"
#include "date.h"
#include "handlers.h"
#include "http.h"
#include "importer.h"
#include "multipart.h"
#include "view.h"

#define PAGE_PROBLEMS 1000 /* bad rows listed on the page */

/* Text safe for the document: invalid UTF-8 is replaced as a whole,
 * control characters but tab and newlines by '?'.  Arena memory; the
 * original when it needs nothing. */
static const char *
clean(struct oms_arena *a, const char *s, size_t n)
{
	char *c;

	if (!oms_utf8_valid(s, n))
		return "(not valid UTF-8 text)";
	if ((c = oms_arena_strndup(a, s, n)) == NULL)
		return "";
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n' &&
		    *p != '\r')
			*p = '?';
	return c;
}

/* The page with its form: <import max-body><kind name ready/>...;
 * chosen is the kind to preselect (-1: none).  NULL when out of
 * memory (resp set). */
static xmlNodePtr
page(struct oms_req *req, struct oms_resp *resp, int chosen)
{
	xmlNodePtr root, crumbs, imp, k;

	if ((root = oms_page(req, resp, "import", "Import", &crumbs)) == NULL)
		return NULL;
	oms_crumb(crumbs, NULL, "Import");
	imp = oms_node(root, "import");
	oms_attr_int(imp, "max-body", (int64_t)req->conf->max_body);
	for (int i = 0; i < OMS_IMPORT__MAX; i++) {
		k = oms_node(imp, "kind");
		oms_attr(k, "name", oms_import_kind_names[i]);
		oms_attr(k, "ready", oms_import_ready((enum oms_import_kind)i) ?
		    "yes" : "no");
		if (i == chosen)
			oms_attr(k, "selected", "yes");
	}
	return imp;
}

/* GET /admin/import: the form. */
void
oms_h_import_form(struct oms_req *req, struct oms_resp *resp)
{
	page(req, resp, -1);
}

/* A 400 for a malformed upload, with what is wrong. */
static void
refuse(struct oms_resp *resp, const char *why)
{
	resp->status = 400;
	resp->message = why;
}

/* POST /admin/import: run the import and show its report. */
void
oms_h_import(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_part parts[4];
	const struct oms_part *kind = NULL, *file = NULL;
	struct oms_import_opts o;
	struct oms_import_report rep;
	xmlNodePtr imp, r, p;
	const char *why, *kname;
	size_t n;
	int k;
	enum oms_err e;

	e = oms_multipart_parse(req->arena, req->content_type, req->body,
	    req->body_len, parts, OMS_NELEM(parts), &n, &why);
	if (e != OMS_OK) {
		if (e == OMS_ERR_NOMEM)
			oms_fail(resp, e, NULL);
		else
			refuse(resp, why);
		return;
	}
	/* Only the form's own fields, each once. */
	for (size_t i = 0; i < n; i++) {
		const struct oms_part **slot = NULL;

		if (strcmp(parts[i].name, "kind") == 0)
			slot = &kind;
		else if (strcmp(parts[i].name, "file") == 0)
			slot = &file;
		else if (strcmp(parts[i].name, "csrf") != 0) {
			refuse(resp, "The upload has a field this form does not "
			    "have.");
			return;
		}
		if (slot != NULL && *slot != NULL) {
			refuse(resp, "The upload names a field twice.");
			return;
		}
		if (slot != NULL)
			*slot = &parts[i];
	}
	if (kind == NULL || file == NULL) {
		refuse(resp, "Choose what the file holds and the file to import.");
		return;
	}
	kname = oms_arena_strndup(req->arena, kind->data, kind->len);
	if (kname == NULL || (k = oms_import_kind_lookup(kname)) < 0) {
		refuse(resp, "Unknown kind of file.");
		return;
	}
	memset(&o, 0, sizeof(o));
	o.actor = &req->actor;
	o.today = oms_date_today();
	o.backdate_days = req->conf->backdate_days;
	o.currency = req->conf->currency;
	e = oms_import(req->st, req->arena, (enum oms_import_kind)k, file->data,
	    file->len, &o, &rep);
	if (e != OMS_OK && e != OMS_ERR_INVAL) {
		oms_fail(resp, e, NULL);
		return;
	}
	if ((imp = page(req, resp, k)) == NULL)
		return;
	r = oms_node(imp, "report");
	oms_attr(r, "kind", oms_import_kind_names[k]);
	oms_attr(r, "file", file->filename ? clean(req->arena, file->filename,
	    strlen(file->filename)) : NULL);
	oms_attr(r, "imported", rep.imported ? "yes" : "no");
	oms_attr_int(r, "rows", rep.rows);
	oms_attr_int(r, "added", rep.added);
	oms_attr_int(r, "updated", rep.updated);
	oms_attr_int(r, "skipped", rep.skipped);
	oms_attr_int(r, "refused", rep.refused);
	oms_attr_int(r, "problems", rep.problems_total);
	for (size_t i = 0; i < rep.nproblems && i < PAGE_PROBLEMS; i++) {
		const struct oms_import_problem *q = &rep.problems[i];

		p = oms_node(r, "problem");
		oms_attr_int(p, "line", q->line);
		oms_attr(p, "column", clean(req->arena, q->column,
		    strlen(q->column)));
		oms_node_text(p, "reason", clean(req->arena, q->reason,
		    strlen(q->reason)));
		oms_node_text(p, "row", clean(req->arena, q->row, q->rowlen));
	}
	if (!rep.imported)
		resp->status = 422;
}

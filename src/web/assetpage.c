/*
 * assetpage.c: the asset page, GET /assets/{id}: an asset's tag, type,
 * product, identifiers and status, where it sits, its states (history)
 * with the order that caused each, its add-ons and its parent.
 *
 * The asset is read with the request's scope and then put to the
 * policy, so an asset of another customer, or at a site a limited
 * customer user does not have, answers 404 exactly as an id that does
 * not exist.  The document shape is in docs/views.md ("asset").
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "date.h"
#include "handlers.h"
#include "history.h"
#include "http.h"
#include "inventory.h"
#include "policy.h"

/* The label of an asset type as stored ("addon" has no enum of its
 * own in inventory.h: products name it); the name itself when unknown. */
static const char *
type_label(const char *name)
{
	if (name == NULL)
		return NULL;
	for (int i = 0; i < OMS_ASSET__MAX; i++)
		if (strcmp(oms_asset_type_names[i], name) == 0)
			return oms_asset_type_labels[i];
	if (strcmp(name, "addon") == 0)
		return "Add-on";
	return name;
}

/* Add an asset's identifiers to node x (absent ones add nothing). */
static void
identifiers(xmlNodePtr x, const char *number, const char *extension,
    const char *mailbox, const char *serial)
{
	oms_attr(x, "number", number);
	oms_attr(x, "extension", extension);
	oms_attr(x, "mailbox", mailbox);
	oms_attr(x, "serial", serial);
}

/*
 * GET /assets/{id}: the asset page (HTML, and the document as XML).
 * 404 for an asset outside the scope or the policy, as for a missing
 * one; 500/503 when a read fails.
 */
void
oms_h_asset(struct oms_req *req, struct oms_resp *resp)
{
	struct oms_arena *a = req->arena;
	struct oms_asset_detail d;
	struct oms_asset_state *hist;
	struct oms_asset *addons;
	size_t nhist, naddons;
	xmlNodePtr root, crumbs, n, list;
	enum oms_err e;
	char day[11];

	if ((e = oms_asset_get(req->st, a, &req->scope, req->ids[0], &d)) != OMS_OK ||
	    (e = oms_may(req, OMS_ACTION_READ, &(struct oms_object){
	    OMS_OBJECT_ASSET, d.a.id, d.customer, d.site})) != OMS_OK ||
	    (e = oms_history_list(req->st, a, d.a.id, &hist, &nhist)) != OMS_OK ||
	    (e = oms_asset_addons(req->st, a, d.a.id, &addons, &naddons)) != OMS_OK) {
		oms_fail(resp, e, "There is no such asset.");
		return;
	}
	if ((root = oms_page(req, resp, "asset", oms_arena_printf(a,
	    "Asset %s", d.a.tag ? d.a.tag : ""), &crumbs)) == NULL)
		return;
	oms_crumb(crumbs, "/customers", "Customers");
	oms_crumb(crumbs, oms_arena_printf(a, "/customers/%lld",
	    (long long)d.customer), d.customer_name);
	oms_crumb(crumbs, oms_arena_printf(a, "/sites/%lld/assets",
	    (long long)d.site), oms_arena_printf(a, "%s %s", d.site_code,
	    d.site_name));
	oms_crumb(crumbs, NULL, d.a.tag);

	n = oms_node(root, "customer");
	oms_attr_int(n, "id", d.customer);
	oms_attr(n, "code", d.customer_code);
	oms_attr(n, "name", d.customer_name);
	n = oms_node(root, "site");
	oms_attr_int(n, "id", d.site);
	oms_attr(n, "code", d.site_code);
	oms_attr(n, "name", d.site_name);

	n = oms_node(root, "asset");
	oms_attr_int(n, "id", d.a.id);
	oms_attr(n, "tag", d.a.tag);
	oms_attr(n, "type", d.type_name);
	oms_attr(n, "type-label", type_label(d.type_name));
	oms_attr(n, "status", oms_asset_status_names[d.a.status]);
	oms_attr(n, "status-label", oms_asset_status_labels[d.a.status]);
	oms_attr(n, "product", d.a.product);
	oms_attr(n, "product-code", d.product_code);
	oms_attr(n, "cc", d.a.cc);
	oms_attr(n, "cc-name", d.cc_name);
	oms_attr_int(n, "ports", d.a.ports);
	identifiers(n, d.a.number, d.a.extension, d.a.mailbox, d.a.serial);
	oms_attr(n, "installed", d.a.installed);
	oms_attr(n, "removed", d.a.removed);

	if (d.parent > 0) {
		n = oms_node(root, "parent");
		oms_attr_int(n, "id", d.parent);
		oms_attr(n, "tag", d.parent_tag);
	}

	/* The states, newest first as people read a history. */
	list = oms_node(root, "states");
	oms_attr_int(list, "count", (int64_t)nhist);
	for (size_t i = nhist; i-- > 0;) {
		const struct oms_asset_state *s = &hist[i];
		unsigned st = (unsigned)s->status < OMS_STATUS__MAX ?
		    (unsigned)s->status : OMS_STATUS_ACTIVE;
		xmlNodePtr x = oms_node(list, "state");

		oms_attr_int(x, "seq", s->seq);
		oms_attr(x, "from", oms_date_format(s->valid_from, day));
		if (s->valid_to != 0)
			oms_attr(x, "to", oms_date_format(s->valid_to, day));
		/* Two changes on one day leave the first empty: said so
		 * rather than left for the reader to work out. */
		if (s->valid_to != 0 && s->valid_to == s->valid_from)
			oms_attr(x, "empty", "yes");
		oms_attr_int(x, "site", s->site);
		oms_attr(x, "site-code", s->site_code);
		oms_attr(x, "cc", s->cc_code);
		oms_attr(x, "product", s->product_code);
		oms_attr_int(x, "ports", s->ports);
		oms_attr(x, "status", oms_asset_status_names[st]);
		oms_attr(x, "status-label", oms_asset_status_labels[st]);
		identifiers(x, s->number, s->extension, s->mailbox, s->serial);
		if (s->order_id > 0) {
			oms_attr_int(x, "order-id", s->order_id);
			oms_attr(x, "order", s->order_ref);
		}
	}

	list = oms_node(root, "addons");
	oms_attr_int(list, "count", (int64_t)naddons);
	for (size_t i = 0; i < naddons; i++) {
		const struct oms_asset *r = &addons[i];
		xmlNodePtr x = oms_node(list, "asset");

		oms_attr_int(x, "id", r->id);
		oms_attr(x, "tag", r->tag);
		oms_attr(x, "product", r->product);
		oms_attr_int(x, "ports", r->ports);
		oms_attr(x, "status", oms_asset_status_names[r->status]);
		oms_attr(x, "status-label", oms_asset_status_labels[r->status]);
		oms_attr(x, "installed", r->installed);
		oms_attr(x, "removed", r->removed);
	}
}

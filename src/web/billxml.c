/*
 * billxml.c: the XML of invoices and reports (billxml.h).
 */
#include "config.h"

#include <stdio.h>

#include "billxml.h"
#include "date.h"
#include "view.h"

/* <name>day</name>, nothing for 0. */
static void
day_node(xmlNodePtr parent, const char *name, int32_t day)
{
	char d[11];

	if (day != 0)
		oms_node_text(parent, name, oms_date_format(day, d));
}

/* <name>n</name>. */
static void
int_node(xmlNodePtr parent, const char *name, int64_t n)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)n);
	oms_node_text(parent, name, b);
}

/* The heading shared by the invoice and the report. */
static void
heading(xmlNodePtr n, const struct oms_invoice *inv)
{
	xmlNodePtr c;

	if (inv->number > 0)
		int_node(n, "number", inv->number);
	if (inv->id > 0)
		oms_attr_int(n, "id", inv->id);
	oms_node_text(n, "period", inv->period);
	oms_node_text(n, "currency", inv->currency);
	day_node(n, "invoice_date", inv->invoice_date);
	day_node(n, "due_date", inv->due_date);
	int_node(n, "terms_days", inv->terms_days);
	c = oms_node(n, "customer");
	oms_attr_int(c, "id", inv->customer);
	oms_node_text(c, "code", inv->customer_code);
	oms_node_text(c, "name", inv->customer_name);
	oms_node_text(c, "address", inv->address);
	oms_node_text(c, "city", inv->city);
	oms_node_text(c, "region", inv->region);
	oms_node_text(c, "postcode", inv->postcode);
	oms_node_text(c, "country", inv->country);
}

/* See billxml.h. */
xmlNodePtr
oms_invoice_xml(xmlNodePtr parent, const struct oms_invoice *inv)
{
	xmlNodePtr n = oms_node(parent, "invoice"), ls, ts, o, ag;
	static const char *const buckets[OMS_AGING__MAX] = {
		"not_due", "days_1_30", "days_31_60", "days_61_90",
		"days_over_90",
	};

	heading(n, inv);
	ls = oms_node(n, "lines");
	for (size_t i = 0; i < inv->nlines; i++) {
		const struct oms_invoice_line *l = &inv->lines[i];
		xmlNodePtr x = oms_node(ls, "line");

		oms_attr_int(x, "no", (int64_t)i + 1);
		oms_node_text(x, "kind", oms_line_kind_names[l->kind]);
		oms_node_text(x, "period", l->billed_period);
		if (l->correction)
			oms_node_text(x, "correction", l->billed_period);
		if (l->kind == OMS_LINE_ONETIME) {
			oms_node_text(x, "order_line", l->ref);
			if (l->order_line)
				oms_attr_int(x, "order_line_id", l->order_line);
		} else if (l->kind == OMS_LINE_ADJUSTMENT) {
			oms_node_text(x, "adjustment", l->ref);
			if (l->adjustment)
				oms_attr_int(x, "adjustment_id", l->adjustment);
		} else
			oms_node_text(x, "asset_tag", l->ref);
		if (l->asset)
			oms_attr_int(x, "asset_id", l->asset);
		oms_node_text(x, "site", l->site_code);
		oms_node_text(x, "cost_centre", l->cc_code);
		oms_node_text(x, "product", l->product_code);
		oms_node_text(x, "jurisdiction", l->jurisdiction);
		day_node(x, "from", l->from);
		day_node(x, "to", l->to);
		if (l->kind == OMS_LINE_RECURRING && !l->correction) {
			int_node(x, "days", l->days);
			int_node(x, "period_days", l->period_days);
		}
		int_node(x, "quantity", l->quantity);
		if (l->kind == OMS_LINE_USAGE && !l->correction)
			int_node(x, "billable", l->billable);
		if (l->rate != 0 || l->kind == OMS_LINE_RECURRING)
			int_node(x, "rate", l->rate);
		int_node(x, "amount", l->amount);
		oms_node_text(x, "taxable", l->taxable ? "yes" : "no");
		oms_node_text(x, "formula", l->description);
	}
	ts = oms_node(n, "taxes");
	for (size_t i = 0; i < inv->ntaxes; i++) {
		xmlNodePtr x = oms_node(ts, "tax");

		oms_node_text(x, "jurisdiction", inv->taxes[i].jurisdiction);
		oms_node_text(x, "code", inv->taxes[i].tax);
		int_node(x, "base", inv->taxes[i].base);
		int_node(x, "rate_ppm", inv->taxes[i].rate_ppm);
		int_node(x, "amount", inv->taxes[i].amount);
	}
	int_node(n, "subtotal", inv->subtotal);
	int_node(n, "tax_total", inv->tax);
	int_node(n, "current_charges", inv->current);
	int_node(n, "previous_balance", inv->previous);
	int_node(n, "payments", inv->payments);
	int_node(n, "total_due", inv->total_due);
	o = oms_node(n, "outstanding");
	for (size_t i = 0; i < inv->noutstanding; i++) {
		const struct oms_outstanding *e = &inv->outstanding[i];
		xmlNodePtr x = oms_node(o, "earlier");

		oms_attr_int(x, "id", e->invoice);
		int_node(x, "number", e->number);
		oms_node_text(x, "period", e->period);
		day_node(x, "due_date", e->due_date);
		int_node(x, "days_past_due", e->days_past_due);
		int_node(x, "amount_left", e->left);
	}
	ag = oms_node(n, "aging");
	for (int b = 0; b < OMS_AGING__MAX; b++)
		int_node(ag, buckets[b], inv->aging[b]);
	return n;
}

/* See billxml.h. */
xmlNodePtr
oms_report_xml(xmlNodePtr parent, const struct oms_invoice *inv)
{
	xmlNodePtr n = oms_node(parent, "report"), rs, t;

	heading(n, inv);
	rs = oms_node(n, "rows");
	for (size_t i = 0; i < inv->nrows; i++) {
		const struct oms_report_row *w = &inv->rows[i];
		xmlNodePtr x = oms_node(rs, w->subtotal ? "subtotal" : "row");

		oms_node_text(x, "site", w->site_code);
		oms_node_text(x, "site_name", w->site_name);
		if (!w->subtotal) {
			oms_node_text(x, "cost_centre", w->cc_code);
			oms_node_text(x, "cost_centre_name", w->cc_name);
		}
		int_node(x, "ports", w->ports);
		int_node(x, "charge", w->charge);
	}
	t = oms_node(n, "totals");
	int_node(t, "ports", inv->report_ports);
	int_node(t, "total_before_tax", inv->subtotal);
	for (size_t i = 0; i < inv->ntaxes; i++) {
		xmlNodePtr x = oms_node(t, "tax");

		oms_node_text(x, "jurisdiction", inv->taxes[i].jurisdiction);
		oms_node_text(x, "code", inv->taxes[i].tax);
		int_node(x, "base", inv->taxes[i].base);
		int_node(x, "rate_ppm", inv->taxes[i].rate_ppm);
		int_node(x, "amount", inv->taxes[i].amount);
	}
	int_node(t, "current_charges", inv->current);
	int_node(t, "total_due", inv->total_due);
	return n;
}

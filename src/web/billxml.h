/*
 * billxml.h: the XML of a Summary Invoice and of its Billing Report
 * (BILLING.md's last paragraph; docs/invoice.xsd), built from a struct
 * oms_invoice as issued or previewed.  Amounts are integer cents,
 * dates YYYY-MM-DD, rates parts per million; stylesheets format them.
 * Used by the pages and by `omsctl bill export`.
 */
#ifndef OMS_BILLXML_H
#define OMS_BILLXML_H

#include <libxml/tree.h>

#include "billing.h"

/* <invoice> under parent: heading, lines, taxes, totals, outstanding
 * earlier invoices and aging.  NULL when out of memory (latched). */
xmlNodePtr oms_invoice_xml(xmlNodePtr parent, const struct oms_invoice *);

/* <report> under parent: the Billing Report's rows, sub-totals and
 * totals. */
xmlNodePtr oms_report_xml(xmlNodePtr parent, const struct oms_invoice *);

#endif /* OMS_BILLXML_H */

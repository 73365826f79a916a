<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice.xsl: the Summary Invoice page (/invoices/{id}).

  Input: the "invoice" view document of docs/views.md: <links/>,
  <orders/> and <invoice> as oms_invoice_xml writes it.  Output: the
  heading and address, the lines with what each bills (linked), the
  taxes, the totals, the outstanding earlier invoices and the aging,
  and links to the print layout, the Billing Report, the XML and the
  customer's statement.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <ul class="actions">
      <li><a href="{links/@print}">Print</a></li>
      <li><a href="{links/@report}">Billing Report</a></li>
      <li><a href="{links/@xml}">XML</a></li>
      <li><a href="{links/@statement}">Account statement</a></li>
      <li><a href="{links/@invoices}">All invoices of this customer</a></li>
    </ul>
    <xsl:apply-templates select="invoice" mode="head"/>
    <div class="table-wrap" role="region" aria-label="Charges" tabindex="0">
      <xsl:apply-templates select="invoice/lines" mode="table"/>
    </div>
    <xsl:apply-templates select="invoice/taxes" mode="table"/>
    <xsl:apply-templates select="invoice" mode="totals"/>
    <xsl:apply-templates select="invoice" mode="outstanding"/>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-body.xsl: the body of the Summary Invoice page: heading and
  address, the lines with what each bills (linked), the taxes, the
  totals, the outstanding earlier invoices and the aging.

  invoice.xsl shows it live (mode "invoice-body"); the billing job
  renders it once per issued invoice through this sheet's "/" template
  (over a <page> holding <links/>, <orders/> and <invoice>) and stores
  it, and the page splices the stored bytes in: both come from
  invoice-common.xsl's "invoice-body" template, so they are the same.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="page" mode="invoice-body"/>
  </xsl:template>

</xsl:stylesheet>

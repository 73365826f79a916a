<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice.xsl: the Summary Invoice page (/invoices/{id}).

  Input: the "invoice" view document of docs/views.md: <links/>,
  <orders/> and <invoice> as oms_invoice_xml writes it.  Output: the
  heading and address, the lines with what each bills (linked), the
  taxes, the totals, the outstanding earlier invoices and the aging
  (invoice-body.xsl), and links to the print layout, the PDF, the
  Billing Report, the XML and the customer's statement.  Once the
  billing job has stored the invoice's documents the page holds
  <stored/> instead of <invoice>, and the stored body is put in place.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <ul class="actions">
      <li><a href="{links/@print}">Print</a></li>
      <xsl:if test="links/@pdf">
        <li><a href="{links/@pdf}">PDF</a></li>
      </xsl:if>
      <li><a href="{links/@report}">Billing Report</a></li>
      <li><a href="{links/@xml}">XML</a></li>
      <li><a href="{links/@statement}">Account statement</a></li>
      <li><a href="{links/@invoices}">All invoices of this customer</a></li>
    </ul>
    <xsl:choose>
      <!-- An issued invoice's body rendered once by the billing job
           (invoice-body.xsl): the server puts it in place of this
           comment. -->
      <xsl:when test="stored">
        <xsl:comment>oms:stored-document</xsl:comment>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="invoice-body"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

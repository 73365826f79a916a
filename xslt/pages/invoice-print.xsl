<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-print.xsl: the Summary Invoice for print (/invoices/{id}/print,
  /invoices/{id}?format=print).

  Input: the "invoice" view document (docs/views.md).  Output: a page
  without the application's menus, styled by /static/print.css: @page
  A4 or Letter (links/@paper, chosen by the server from the customer's
  country), page numbers through CSS counters in the page margin where
  the renderer supports them, and the remittance stub last, with the
  customer code, the invoice number and the total due.  No inline
  script or style (the Content-Security-Policy forbids them).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <title>Invoice <xsl:value-of select="page/invoice/number"/> · <xsl:value-of select="page/invoice/customer/name"/></title>
        <xsl:choose>
          <!-- The billing job's copy for the PDF renderer names the
               file itself (a file: address). -->
          <xsl:when test="page/links/@css">
            <link rel="stylesheet" href="{page/links/@css}"/>
          </xsl:when>
          <xsl:otherwise>
            <link rel="stylesheet" href="/static/print.css"/>
          </xsl:otherwise>
        </xsl:choose>
      </head>
      <body class="print paper-{page/links/@paper}">
        <xsl:apply-templates select="page/invoice"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="invoice">
    <header class="doc-head">
      <h1>Summary Invoice <xsl:value-of select="number"/></h1>
      <p class="period">Period <xsl:value-of select="period"/></p>
    </header>
    <xsl:apply-templates select="." mode="head"/>
    <xsl:apply-templates select="lines" mode="table"/>
    <xsl:apply-templates select="taxes" mode="table"/>
    <xsl:apply-templates select="." mode="totals"/>
    <xsl:apply-templates select="." mode="outstanding"/>
    <xsl:apply-templates select="." mode="stub"/>
  </xsl:template>

</xsl:stylesheet>

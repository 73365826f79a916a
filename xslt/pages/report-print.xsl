<?xml version="1.0" encoding="UTF-8"?>
<!--
  report-print.xsl: the Billing Report for print
  (/invoices/{id}/report?format=print): report.xsl's table in a page
  without menus, styled by /static/print.css (@page A4 or Letter from
  links/@paper, page numbers where supported).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="report.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <title>Billing Report <xsl:value-of select="page/report/customer/code"/> <xsl:text> </xsl:text><xsl:value-of select="page/report/period"/></title>
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
        <header class="doc-head">
          <h1>Billing Report</h1>
        </header>
        <xsl:apply-templates select="page/report" mode="lede"/>
        <xsl:apply-templates select="page/report" mode="table"/>
      </body>
    </html>
  </xsl:template>

</xsl:stylesheet>

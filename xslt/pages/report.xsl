<?xml version="1.0" encoding="UTF-8"?>
<!--
  report.xsl: the Billing Report page (/invoices/{id}/report).

  Input: the "report" view document of docs/views.md: <links/> and
  <report> as oms_report_xml writes it.  Output: a row for each site
  and cost centre with its ports and charge, each site's sub-total, and
  the totals (before tax, each tax, current charges, total due), every
  figure as the server computed it; links to print, CSV and XML.
  report-print.xsl imports the table from here.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <ul class="actions">
      <li><a href="{links/@invoice}">Summary Invoice</a></li>
      <li><a href="{links/@report-print}">Print</a></li>
      <li><a href="{links/@report-csv}">CSV</a></li>
      <li><a href="{links/@report-xml}">XML</a></li>
      <xsl:if test="links/@report-pdf">
        <li><a href="{links/@report-pdf}">PDF</a></li>
      </xsl:if>
    </ul>
    <xsl:choose>
      <!-- Rendered once by the billing job (report-body.xsl): the
           server puts it in place of this comment. -->
      <xsl:when test="stored">
        <xsl:comment>oms:stored-document</xsl:comment>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="report-body"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The body of the report page, live here and stored through
       report-body.xsl: one template, so the two are the same bytes. -->
  <xsl:template match="page" mode="report-body">
    <div class="report-doc">
      <xsl:apply-templates select="report" mode="lede"/>
      <div class="table-wrap" role="region" aria-label="Billing Report" tabindex="0">
        <xsl:apply-templates select="report" mode="table"/>
      </div>
    </div>
  </xsl:template>

  <xsl:template match="report" mode="lede">
    <p class="lede">
      <xsl:value-of select="customer/name"/>
      <xsl:text> (</xsl:text><xsl:value-of select="customer/code"/>
      <xsl:text>), period </xsl:text><xsl:value-of select="period"/>
      <xsl:text>, invoice </xsl:text><xsl:value-of select="number"/>
      <xsl:text> of </xsl:text><xsl:value-of select="invoice_date"/>
    </p>
  </xsl:template>

  <xsl:template match="report" mode="table">
    <table class="data report">
      <caption>Ports and monthly charges by site and cost centre</caption>
      <thead>
        <tr>
          <th scope="col">Site</th>
          <th scope="col">Cost centre</th>
          <th scope="col" class="num">Ports</th>
          <th scope="col" class="num">Charge</th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="rows/*">
          <xsl:choose>
            <xsl:when test="self::subtotal">
              <tr class="subtotal">
                <th scope="row" colspan="2">
                  <xsl:text>Sub-total </xsl:text>
                  <xsl:value-of select="site"/><xsl:text> </xsl:text>
                  <xsl:value-of select="site_name"/>
                </th>
                <td class="num"><xsl:value-of select="ports"/></td>
                <xsl:apply-templates select="charge" mode="amount-cell"/>
              </tr>
            </xsl:when>
            <xsl:otherwise>
              <tr>
                <td>
                  <xsl:choose>
                    <xsl:when test="site != ''">
                      <xsl:value-of select="site"/><xsl:text> </xsl:text>
                      <xsl:value-of select="site_name"/>
                    </xsl:when>
                    <xsl:otherwise>(no site)</xsl:otherwise>
                  </xsl:choose>
                </td>
                <td>
                  <xsl:value-of select="cost_centre"/><xsl:text> </xsl:text>
                  <xsl:value-of select="cost_centre_name"/>
                </td>
                <td class="num"><xsl:value-of select="ports"/></td>
                <xsl:apply-templates select="charge" mode="amount-cell"/>
              </tr>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colspan="2">Total before tax</th>
          <td class="num"><xsl:value-of select="totals/ports"/></td>
          <xsl:apply-templates select="totals/total_before_tax" mode="amount-cell"/>
        </tr>
        <xsl:for-each select="totals/tax">
          <tr>
            <th scope="row" colspan="3">
              <xsl:value-of select="code"/><xsl:text> </xsl:text>
              <xsl:value-of select="jurisdiction"/><xsl:text> </xsl:text>
              <xsl:call-template name="percent"><xsl:with-param name="ppm" select="rate_ppm"/></xsl:call-template>
              <xsl:text> %</xsl:text>
            </th>
            <xsl:apply-templates select="amount" mode="amount-cell"/>
          </tr>
        </xsl:for-each>
        <tr>
          <th scope="row" colspan="3">Total current charges for the month</th>
          <xsl:apply-templates select="totals/current_charges" mode="amount-cell"/>
        </tr>
        <tr class="total-due">
          <th scope="row" colspan="3">Total amount due <xsl:value-of select="currency"/></th>
          <td class="num total-due"><xsl:call-template name="money"><xsl:with-param name="cents" select="totals/total_due"/></xsl:call-template></td>
        </tr>
      </tfoot>
    </table>
  </xsl:template>

</xsl:stylesheet>

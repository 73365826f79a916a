<?xml version="1.0" encoding="UTF-8"?>
<!--
  report-csv.xsl: the Billing Report as CSV (/invoices/{id}/report.csv,
  /invoices/{id}/report?format=csv).

  Input: the "report" view document (docs/views.md).  Output: RFC 4180
  text, CRLF line ends: a header row (Type, Customer, Period, Invoice,
  Site, Site name, Cost centre, Cost centre name, Jurisdiction, Tax,
  Ports, Amount), one record a site and cost centre (type "row"), each
  site's sub-total (type "subtotal") after its rows, then the totals:
  "total_before_tax" (with all ports), one "tax" record a tax (its
  jurisdiction and code), "current_charges" and "total_due".  Amounts in the currency's units
  with two decimals and no separators; codes and names from people go
  through csv.xsl's "csv-cell".
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="csv.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Type,Customer,Period,Invoice,Site,Site name,Cost centre,Cost centre name,Jurisdiction,Tax,Ports,Amount&#13;&#10;</xsl:text>
    <xsl:for-each select="page/report/rows/*">
      <xsl:value-of select="local-name()"/>
      <xsl:call-template name="head-cells"/>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="site"/></xsl:call-template>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="site_name"/></xsl:call-template>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="cost_centre"/></xsl:call-template>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="cost_centre_name"/></xsl:call-template>
      <xsl:text>,,,</xsl:text>
      <xsl:value-of select="ports"/>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="plain-money"><xsl:with-param name="cents" select="charge"/></xsl:call-template>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
    <xsl:for-each select="page/report/totals">
      <xsl:text>total_before_tax</xsl:text>
      <xsl:call-template name="head-cells"/>
      <xsl:text>,,,,,,,</xsl:text>
      <xsl:value-of select="ports"/>
      <xsl:text>,</xsl:text>
      <xsl:call-template name="plain-money"><xsl:with-param name="cents" select="total_before_tax"/></xsl:call-template>
      <xsl:text>&#13;&#10;</xsl:text>
      <xsl:for-each select="tax">
        <xsl:text>tax</xsl:text>
        <xsl:call-template name="head-cells"/>
        <xsl:text>,,,,,</xsl:text>
        <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="jurisdiction"/></xsl:call-template>
        <xsl:text>,</xsl:text>
        <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="code"/></xsl:call-template>
        <xsl:text>,,</xsl:text>
        <xsl:call-template name="plain-money"><xsl:with-param name="cents" select="amount"/></xsl:call-template>
        <xsl:text>&#13;&#10;</xsl:text>
      </xsl:for-each>
      <xsl:text>current_charges</xsl:text>
      <xsl:call-template name="head-cells"/>
      <xsl:text>,,,,,,,,</xsl:text>
      <xsl:call-template name="plain-money"><xsl:with-param name="cents" select="current_charges"/></xsl:call-template>
      <xsl:text>&#13;&#10;</xsl:text>
      <xsl:text>total_due</xsl:text>
      <xsl:call-template name="head-cells"/>
      <xsl:text>,,,,,,,,</xsl:text>
      <xsl:call-template name="plain-money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- ,customer,period,invoice for the current record. -->
  <xsl:template name="head-cells">
    <xsl:variable name="r" select="/page/report"/>
    <xsl:text>,</xsl:text>
    <xsl:call-template name="csv-cell"><xsl:with-param name="value" select="$r/customer/code"/></xsl:call-template>
    <xsl:text>,</xsl:text>
    <xsl:value-of select="$r/period"/>
    <xsl:text>,</xsl:text>
    <xsl:value-of select="$r/number"/>
  </xsl:template>

  <!-- An amount without thousands separators. -->
  <xsl:template name="plain-money">
    <xsl:param name="cents"/>
    <xsl:call-template name="money">
      <xsl:with-param name="cents" select="$cents"/>
      <xsl:with-param name="group" select="'no'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>

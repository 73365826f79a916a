<?xml version="1.0" encoding="UTF-8"?>
<!--
  reconcile-csv.xsl: the reconciliation report as CSV
  (/integration/reconcile?period=YYYY-MM&format=csv): a header and one
  record a mismatch, the same columns and cells as
  omsctl reconcile PERIOD in CSV format writes (RFC 4180, CRLF; text
  through csv.xsl's "csv-cell"; amounts in the currency's units with
  two decimals and no thousands separator; empty when none).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="csv.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Kind,Asset,Customer,Order,Vendor reference,Vendor status,Invoice,Lease,Lease monthly,Billed monthly&#13;&#10;</xsl:text>
    <xsl:for-each select="page/mismatches/mismatch">
      <xsl:value-of select="@kind"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@asset" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@customer" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@order" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@vendor-ref" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@vendor-status"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@invoice"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@lease" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@lease-monthly" mode="amount"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@billed-monthly" mode="amount"/>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="@*" mode="field">
    <xsl:call-template name="csv-cell"/>
  </xsl:template>

  <!-- An amount of cents as "1234.50". -->
  <xsl:template match="@*" mode="amount">
    <xsl:call-template name="money">
      <xsl:with-param name="group" select="'no'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>

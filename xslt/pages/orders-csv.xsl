<?xml version="1.0" encoding="UTF-8"?>
<!--
  orders-csv.xsl: the order list as CSV (/orders?format=csv).

  Input: the "orders" view document of docs/views.md, as the server
  builds it for CSV: every matched order, no filter or pager.  Output:
  RFC 4180 text, a header row and one record an order, each line ended
  by CRLF.  Text that comes from people (references, names, codes,
  logins) goes through csv.xsl's "csv-cell", which neutralises
  formulas and quotes; states, dates and amounts are written as they
  are (fixed tables, YYYY-MM-DD, digits).  Amounts are in the
  currency's units with two decimals and no thousands separator.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="csv.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Reference,Customer,Site,Requester,Requested,State,Scheduled,Completed,One-time,Monthly before,Monthly after,Monthly change&#13;&#10;</xsl:text>
    <xsl:for-each select="page/orders/order">
      <xsl:apply-templates select="@ref" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@customer-code" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@site-code" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@requester" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@requested"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@state"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@scheduled"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@completed"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@fee" mode="amount"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@mrc-before" mode="amount"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@mrc-after" mode="amount"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@mrc-change" mode="amount"/>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- One text field through csv.xsl's csv-cell. -->
  <xsl:template match="@*" mode="field">
    <xsl:call-template name="csv-cell"/>
  </xsl:template>

  <!-- An amount of cents as "1234.50" (a change may be "-12.00"). -->
  <xsl:template match="@*" mode="amount">
    <xsl:call-template name="money">
      <xsl:with-param name="group" select="'no'"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>

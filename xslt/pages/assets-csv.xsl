<?xml version="1.0" encoding="UTF-8"?>
<!--
  assets-csv.xsl: the site asset query as CSV (/sites/{id}/assets?format=csv).

  Input: the "assets" view document of docs/views.md, as the server
  builds it for CSV: every matched asset, no filter, columns or pager.
  Output: RFC 4180 text, a header row and one record an asset, each line
  ended by CRLF.  A field is quoted when it holds a comma, a double
  quote, a CR or an LF, with each double quote doubled.  The site and
  the customer are in the file name, not in the rows.

  Type, status, ports and dates are written as they are: the server
  makes them from fixed tables, integers and YYYY-MM-DD dates, none of
  which can hold a character that needs quoting or starts a formula.
  The other fields go through the "csv-cell" template of csv.xsl, which
  neutralises formulas and quotes.  An absent attribute is an empty
  field.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="csv.xsl"/>

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Tag,Number,Extension,Mailbox,Serial,Type,Product,Cost centre,Ports,Status,Installed,Removed&#13;&#10;</xsl:text>
    <xsl:for-each select="page/assets/asset">
      <xsl:apply-templates select="@tag" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@number" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@extension" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@mailbox" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@serial" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@type-label"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@product" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@cc" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@ports"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@status-label"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@installed"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@removed"/>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- One field: an attribute through csv.xsl's csv-cell. -->
  <xsl:template match="@*" mode="field">
    <xsl:call-template name="csv-cell"/>
  </xsl:template>

</xsl:stylesheet>

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
  which can hold a character that needs quoting.  The other fields go
  through the "field" template.  An absent attribute is an empty field.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Number,Extension,Mailbox,Serial,Type,Product,Cost centre,Ports,Status,Installed,Removed&#13;&#10;</xsl:text>
    <xsl:for-each select="page/assets/asset">
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

  <!--
    One field, quoted when it holds a comma, a double quote, a CR or an
    LF.  The test maps the last three to commas and looks for a comma:
    one string cast of the value instead of four (measured).
  -->
  <xsl:template match="@*" mode="field">
    <xsl:choose>
      <xsl:when test="contains(translate(., '&quot;&#10;&#13;', ',,,'), ',')">
        <xsl:text>"</xsl:text>
        <xsl:call-template name="double-quotes">
          <xsl:with-param name="s" select="string(.)"/>
        </xsl:call-template>
        <xsl:text>"</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="."/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- s with every double quote doubled. -->
  <xsl:template name="double-quotes">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&quot;')">
        <xsl:value-of select="substring-before($s, '&quot;')"/>
        <xsl:text>""</xsl:text>
        <xsl:call-template name="double-quotes">
          <xsl:with-param name="s" select="substring-after($s, '&quot;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  integration-csv.xsl: the messages that need an operator
  (/integration?format=csv): every dead message, then every unknown one,
  one record each (RFC 4180, CRLF).  Text that comes from outside
  (keys, references, tags, reasons) goes through csv.xsl's "csv-cell".
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="csv.xsl"/>

  <xsl:output method="text" media-type="text/csv" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:text>Id,Message id,System,Kind,State,Order key,Sequence,Order,Asset,Attempts,Created,Updated,Last error&#13;&#10;</xsl:text>
    <xsl:for-each select="page/list/message">
      <xsl:value-of select="@id"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@message-id" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@system" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@kind" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@state"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@seq-key" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@seq"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@order" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="@asset" mode="field"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@attempts"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@created"/>
      <xsl:text>,</xsl:text>
      <xsl:value-of select="@updated"/>
      <xsl:text>,</xsl:text>
      <xsl:apply-templates select="error" mode="field"/>
      <xsl:text>&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- One text field through csv.xsl's csv-cell. -->
  <xsl:template match="@*|*" mode="field">
    <xsl:call-template name="csv-cell"/>
  </xsl:template>

</xsl:stylesheet>

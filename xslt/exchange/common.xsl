<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl: named templates the shipped exchange mappings share
  (xsl:import'ed by vendor-request.xsl and finance-request.xsl).  Values
  are only formatted here, never added up: the canonical message carries
  every amount the other side needs (CONVENTIONS.md).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:c="urn:oms:exchange:1"
    exclude-result-prefixes="c">

  <!-- An amount in minor units (7560) as a decimal with two places
       (75.60), by moving the point in the digits: exact for any
       length, no floating point. -->
  <xsl:template name="decimal">
    <xsl:param name="cents"/>
    <xsl:variable name="raw" select="normalize-space($cents)"/>
    <xsl:variable name="neg" select="starts-with($raw, '-')"/>
    <xsl:variable name="d" select="translate($raw, '-', '')"/>
    <xsl:variable name="s" select="concat(substring('000', 1, 3 - string-length($d)), $d)"/>
    <xsl:if test="$neg">-</xsl:if>
    <xsl:value-of select="concat(substring($s, 1, string-length($s) - 2), '.',
        substring($s, string-length($s) - 1))"/>
  </xsl:template>

  <!-- The order line as one reference: ORDER-REF/LINE. -->
  <xsl:template name="order-line">
    <xsl:value-of select="concat(/*/c:order/@ref, '/', /*/c:order/@line)"/>
  </xsl:template>

  <!-- The date the other side should act on: scheduled, else requested. -->
  <xsl:template name="wanted-date">
    <xsl:choose>
      <xsl:when test="/*/c:scheduledOn"><xsl:value-of select="/*/c:scheduledOn"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="/*/c:requestedOn"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The asset's identifiers, for a free-text remark: "; number
       +1555..., extension 12, mailbox 400, serial X" (only those
       present). -->
  <xsl:template name="identifiers">
    <xsl:for-each select="/*/c:number | /*/c:extension | /*/c:mailbox | /*/c:serial">
      <xsl:value-of select="concat('; ', local-name(), ' ', .)"/>
    </xsl:for-each>
  </xsl:template>

  <!-- An amount element (monthlyAmount, ...) as "75.60 USD". -->
  <xsl:template name="money">
    <xsl:param name="a"/>
    <xsl:call-template name="decimal">
      <xsl:with-param name="cents" select="$a"/>
    </xsl:call-template>
    <xsl:value-of select="concat(' ', $a/@currency)"/>
  </xsl:template>

  <!-- Anything the mapping has no template for: the transform fails
       with the message's root named, so the dispatcher records why. -->
  <xsl:template match="/*" priority="-10">
    <xsl:message terminate="yes">no mapping for <xsl:value-of select="local-name()"/> in namespace '<xsl:value-of select="namespace-uri()"/>'</xsl:message>
  </xsl:template>
</xsl:stylesheet>

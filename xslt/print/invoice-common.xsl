<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-common.xsl: the text helpers the two print stylesheets of a
  Summary Invoice share (invoice-print.xsl for HTML and CSS,
  invoice-fo.xsl for XSL-FO).  Amounts are integer cents and are
  written by order-money.xsl's "money" template (digits split, no
  floating point); this file adds a tax rate and the names of things.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:include href="../pages/order-money.xsl"/>

  <!--
    A tax rate of integer millionths (rate_ppm) as a percentage, by
    splitting the digits: "130000" is "13%", "99750" is "9.975%",
    "5" is "0.0005%".
  -->
  <xsl:template name="percent">
    <xsl:param name="ppm" select="string(.)"/>
    <xsl:variable name="m" select="normalize-space($ppm)"/>
    <xsl:variable name="p" select="concat(substring('0000', string-length($m)), $m)"/>
    <xsl:variable name="whole" select="substring($p, 1, string-length($p) - 4)"/>
    <xsl:variable name="frac" select="substring($p, string-length($p) - 3)"/>
    <xsl:if test="$m != ''">
      <xsl:value-of select="$whole"/>
      <xsl:call-template name="trim-zeros">
        <xsl:with-param name="s" select="$frac"/>
      </xsl:call-template>
      <xsl:text>%</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- ".975" for "9750", nothing for "0000": a fraction without its trailing zeros. -->
  <xsl:template name="trim-zeros">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="translate($s, '0', '') = ''"/>
      <xsl:when test="substring($s, string-length($s)) = '0'">
        <xsl:call-template name="trim-zeros">
          <xsl:with-param name="s" select="substring($s, 1, string-length($s) - 1)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat('.', $s)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The name a line's kind is printed with. -->
  <xsl:template name="kind-name">
    <xsl:param name="kind" select="@kind"/>
    <xsl:choose>
      <xsl:when test="$kind = 'recurring'">Recurring</xsl:when>
      <xsl:when test="$kind = 'usage'">Usage</xsl:when>
      <xsl:when test="$kind = 'one-time'">One-time</xsl:when>
      <xsl:when test="$kind = 'adjustment'">Adjustment</xsl:when>
      <xsl:otherwise><xsl:value-of select="$kind"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

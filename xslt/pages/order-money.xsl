<?xml version="1.0" encoding="UTF-8"?>
<!--
  order-money.xsl: writing an amount of integer cents, for the order
  pages and their CSV (orders.xsl, orders-csv.xsl, order.xsl).

  The server hands every amount over as integer cents, computed in C
  (DESIGN.md: stylesheets format, they do not add up money).  The
  template "money" writes one as text without arithmetic on the
  fraction: the digits are split, so no floating point touches the
  cents.  "1234567" is "12,345.67"; "-5" is "-0.05"; with sign="yes" a
  positive amount gets a "+" (a monthly change); with group="no" there
  are no thousands separators (CSV).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template name="money">
    <xsl:param name="cents" select="string(.)"/>
    <xsl:param name="sign" select="'no'"/>
    <xsl:param name="group" select="'yes'"/>
    <xsl:variable name="c" select="normalize-space($cents)"/>
    <xsl:variable name="abs" select="translate($c, '-', '')"/>
    <!-- At least three digits: "5" becomes "005". -->
    <xsl:variable name="p" select="concat(substring('00', string-length($abs)), $abs)"/>
    <xsl:variable name="whole" select="substring($p, 1, string-length($p) - 2)"/>
    <xsl:choose>
      <xsl:when test="$c = ''"/>
      <xsl:otherwise>
        <xsl:if test="starts-with($c, '-') and translate($abs, '0', '') != ''">-</xsl:if>
        <xsl:if test="$sign = 'yes' and not(starts-with($c, '-')) and translate($abs, '0', '') != ''">+</xsl:if>
        <xsl:choose>
          <xsl:when test="$group = 'yes'">
            <xsl:value-of select="format-number($whole, '#,##0')"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="$whole"/>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text>.</xsl:text>
        <xsl:value-of select="substring($p, string-length($p) - 1)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    A rate of integer millionths (a usage rate a unit) as "0.0350":
    four decimals at least, six at most, by splitting the digits as
    above.  "35000" is "0.0350"; "1234567" is "1.234567".
  -->
  <xsl:template name="rate">
    <xsl:param name="micros" select="string(.)"/>
    <xsl:variable name="m" select="normalize-space($micros)"/>
    <xsl:variable name="p" select="concat(substring('000000', string-length($m)), $m)"/>
    <xsl:variable name="frac" select="substring($p, string-length($p) - 5)"/>
    <xsl:if test="$m != ''">
      <xsl:value-of select="substring($p, 1, string-length($p) - 6)"/>
      <xsl:text>.</xsl:text>
      <xsl:choose>
        <xsl:when test="substring($frac, 5) = '00'">
          <xsl:value-of select="substring($frac, 1, 4)"/>
        </xsl:when>
        <xsl:when test="substring($frac, 6) = '0'">
          <xsl:value-of select="substring($frac, 1, 5)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="$frac"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>

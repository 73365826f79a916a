<?xml version="1.0" encoding="UTF-8"?>
<!--
  csv.xsl: the one way a CSV stylesheet writes a cell.  Every CSV
  stylesheet imports it and writes each cell that can hold text from
  outside with the named template "csv-cell" (docs/views.md, "CSV
  cells").

  Formula neutralisation (OWASP's rule for CSV injection): a cell that
  starts with = + - @ a tab or a CR would be run by a spreadsheet as a
  formula, so it is written with a leading apostrophe ('), which a
  spreadsheet shows as text and drops from the value.  One exception
  keeps telephone numbers as they are, so that a reader who re-imports
  the file gets them back unchanged: a + followed only by digits,
  spaces, parentheses, dots and dashes, with at least one digit
  ("+1 555 0100", "+33 (1) 23.45.67-89").  A spreadsheet reads such a
  cell as a number or as text, never as a call.

  Quoting (RFC 4180): a cell holding a comma, a double quote, a CR or
  an LF is quoted, each double quote doubled.  The apostrophe goes
  inside the quotes.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <!-- One cell: value neutralised, then quoted when it must be. -->
  <xsl:template name="csv-cell">
    <xsl:param name="value" select="string(.)"/>
    <xsl:variable name="v" select="string($value)"/>
    <xsl:variable name="first" select="substring($v, 1, 1)"/>
    <xsl:variable name="cell">
      <xsl:if test="$first != '' and contains('=+-@&#9;&#13;', $first)
          and not($first = '+' and string-length($v) &gt; 1
            and translate(substring($v, 2), '0123456789 ().-', '') = ''
            and translate(substring($v, 2), ' ().-', '') != '')">
        <xsl:text>'</xsl:text>
      </xsl:if>
      <xsl:value-of select="$v"/>
    </xsl:variable>
    <xsl:choose>
      <!-- The last three mapped to commas and one look for a comma:
           one string test instead of four (measured). -->
      <xsl:when test="contains(translate($cell, '&quot;&#10;&#13;', ',,,'), ',')">
        <xsl:text>"</xsl:text>
        <xsl:call-template name="csv-double-quotes">
          <xsl:with-param name="s" select="string($cell)"/>
        </xsl:call-template>
        <xsl:text>"</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$cell"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- s with every double quote doubled. -->
  <xsl:template name="csv-double-quotes">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&quot;')">
        <xsl:value-of select="substring-before($s, '&quot;')"/>
        <xsl:text>""</xsl:text>
        <xsl:call-template name="csv-double-quotes">
          <xsl:with-param name="s" select="substring-after($s, '&quot;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$s"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

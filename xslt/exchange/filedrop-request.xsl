<?xml version="1.0" encoding="UTF-8"?>
<!--
  filedrop-request.xsl: an example request mapping of a system reached
  by XML file drop (adapter = filedrop; docs/integration-guide.md, "XML
  file drop").  It turns any canonical message (PlaceOrder, ...,
  BookLease, ..., SendDocuments; docs/exchange/*.xsd) into one flat
  record, the whole content of the file out/<message id>.xml:

    <OmsRecord version="1" kind="PlaceOrder">
      <messageId>oms-...</messageId>
      <createdAt>2026-12-02T09:00:00Z</createdAt>
      <orderRef>ORD-1</orderRef>
      <orderLine>1</orderLine>
      <orderAction>add</orderAction>
      <customerCode>C1</customerCode>
      <siteAddress>1 Main St</siteAddress>
      <monthlyAmount>1250</monthlyAmount>
      <monthlyAmountCurrency>EUR</monthlyAmountCurrency>
      ...
    </OmsRecord>

  One element a value, in the canonical order, named by its path in
  the canonical message in camel case: an element's text under its own
  name (site/city: siteCity), an attribute under its element's name and
  its own (customer/@code: customerCode).  Empty values are left out;
  a repeated element (the documents of a SendDocuments) gives repeated
  fields, in order.  Nothing binary goes into a file: an element with
  an "encoding" attribute, or named content, data or pdf, or holding
  more than 4096 characters, is left out (the legacy side fetches a
  document by the invoice reference the record carries).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>

  <xsl:template match="/*">
    <OmsRecord version="1" kind="{local-name()}">
      <xsl:apply-templates select="*" mode="field">
        <xsl:with-param name="prefix" select="''"/>
      </xsl:apply-templates>
    </OmsRecord>
  </xsl:template>

  <!-- What is binary (or may be) is never written. -->
  <xsl:template mode="field" priority="2" match="*[@encoding or
      local-name() = 'content' or local-name() = 'data' or
      local-name() = 'pdf' or string-length(.) &gt; 4096]"/>

  <xsl:template match="*" mode="field">
    <xsl:param name="prefix"/>
    <xsl:variable name="name">
      <xsl:call-template name="camel">
        <xsl:with-param name="prefix" select="$prefix"/>
        <xsl:with-param name="name" select="local-name()"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:if test="not(*) and normalize-space(.) != ''">
      <xsl:element name="{$name}">
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:element>
    </xsl:if>
    <xsl:for-each select="@*[normalize-space(.) != '']">
      <xsl:variable name="attr">
        <xsl:call-template name="camel">
          <xsl:with-param name="prefix" select="$name"/>
          <xsl:with-param name="name" select="local-name()"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:element name="{$attr}">
        <xsl:value-of select="normalize-space(.)"/>
      </xsl:element>
    </xsl:for-each>
    <xsl:apply-templates select="*" mode="field">
      <xsl:with-param name="prefix" select="$name"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- prefix and name in camel case: "site" "city" is siteCity. -->
  <xsl:template name="camel">
    <xsl:param name="prefix"/>
    <xsl:param name="name"/>
    <xsl:choose>
      <xsl:when test="$prefix = ''">
        <xsl:value-of select="$name"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat($prefix,
            translate(substring($name, 1, 1), $lower, $upper),
            substring($name, 2))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

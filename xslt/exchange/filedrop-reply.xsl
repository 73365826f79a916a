<?xml version="1.0" encoding="UTF-8"?>
<!--
  filedrop-reply.xsl: an example reply mapping of a system reached by
  XML file drop (docs/integration-guide.md, "XML file drop"): the
  acknowledgement file the legacy side writes into ack/ becomes the
  canonical Ack (src/domain/exchange.h).  The example acknowledgement:

    <OmsAck>
      <messageId>oms-...</messageId>
      <result>OK | DUPLICATE | ERROR | NOTFOUND</result>
      <legacyRef>the system's own id</legacyRef>        (optional)
      <text>why, for ERROR</text>                       (optional)
    </OmsAck>

  OK is accepted, DUPLICATE duplicate, ERROR rejected (with text as
  the reason), NOTFOUND notfound; any other result is rejected with a
  reason that names it, so that the operator sees it.  The message id
  is the file's; when the file has none (an acknowledgement matched by
  its file name, <message id>.xml) it is the parameter messageId, when
  the caller passes one.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:oms:exchange:1">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="messageId" select="''"/>

  <xsl:template match="/">
    <xsl:variable name="ack" select="*[local-name() = 'OmsAck']"/>
    <xsl:variable name="result"
        select="normalize-space($ack/*[local-name() = 'result'])"/>
    <xsl:variable name="id"
        select="normalize-space($ack/*[local-name() = 'messageId'])"/>
    <xsl:variable name="ref"
        select="normalize-space($ack/*[local-name() = 'legacyRef'])"/>
    <xsl:variable name="text"
        select="normalize-space($ack/*[local-name() = 'text'])"/>
    <Ack>
      <messageId>
        <xsl:choose>
          <xsl:when test="$id != ''"><xsl:value-of select="$id"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$messageId"/></xsl:otherwise>
        </xsl:choose>
      </messageId>
      <status>
        <xsl:choose>
          <xsl:when test="$result = 'OK'">accepted</xsl:when>
          <xsl:when test="$result = 'DUPLICATE'">duplicate</xsl:when>
          <xsl:when test="$result = 'NOTFOUND'">notfound</xsl:when>
          <xsl:otherwise>rejected</xsl:otherwise>
        </xsl:choose>
      </status>
      <xsl:if test="$ref != ''">
        <reference><xsl:value-of select="$ref"/></reference>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="not($ack)">
          <reason>not an OmsAck acknowledgement</reason>
        </xsl:when>
        <xsl:when test="$result = 'ERROR' and $text != ''">
          <reason><xsl:value-of select="$text"/></reason>
        </xsl:when>
        <xsl:when test="$result = 'ERROR'">
          <reason>refused (no text given)</reason>
        </xsl:when>
        <xsl:when test="$result != 'OK' and $result != 'DUPLICATE' and
            $result != 'NOTFOUND'">
          <reason>result '<xsl:value-of select="$result"/>' not understood</reason>
        </xsl:when>
      </xsl:choose>
    </Ack>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  finance-reply.xsl: the FinCorp lease accounting system's answers
  (urn:fincorp:leasing:v2, tests/peers/lease.wsdl; the element the soap
  adapter took out of the SOAP Body) to OMS's canonical Ack
  (urn:oms:exchange:1, docs/exchange/Ack.xsd):

    BookLease/AmendLease/ReturnAssetResponse (a LeaseConfirmation)
        with a LeaseNumber                    accepted, LeaseNumber as reference
        without one                           rejected
    QueryLeaseResponse
        Outcome POSTED                        accepted, the LeaseNumber
        Outcome NOT_FOUND                     notfound
        another TransactionRef than ours      rejected (not our answer)
    anything else                             rejected, named

  FinCorp answers a TransactionRef it has posted with its first answer
  and does not say it is a replay: a resend maps to accepted with the
  same lease number.  Refusals come as SOAP Client Faults, which the
  soap adapter turns into rejected before this stylesheet is used.

  Parameters: messageId (our message id), kind (the canonical kind sent).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:f="urn:fincorp:leasing:v2"
    xmlns="urn:oms:exchange:1"
    exclude-result-prefixes="f">
  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>
  <xsl:param name="messageId" select="''"/>
  <xsl:param name="kind" select="''"/>

  <xsl:template match="/">
    <Ack>
      <messageId>
        <xsl:choose>
          <xsl:when test="$messageId != ''"><xsl:value-of select="$messageId"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="*/f:TransactionRef"/></xsl:otherwise>
        </xsl:choose>
      </messageId>
      <xsl:apply-templates select="*"/>
    </Ack>
  </xsl:template>

  <xsl:template match="f:BookLeaseResponse | f:AmendLeaseResponse | f:ReturnAssetResponse">
    <xsl:choose>
      <xsl:when test="normalize-space(f:LeaseNumber) != ''">
        <status>accepted</status>
        <reference><xsl:value-of select="f:LeaseNumber"/></reference>
      </xsl:when>
      <xsl:otherwise>
        <status>rejected</status>
        <reason><xsl:value-of select="concat(local-name(), ' without a LeaseNumber')"/></reason>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="f:QueryLeaseResponse">
    <xsl:choose>
      <xsl:when test="$messageId != '' and normalize-space(f:TransactionRef) != '' and f:TransactionRef != $messageId">
        <status>rejected</status>
        <reason><xsl:value-of select="concat('QueryLease answered for TransactionRef ', f:TransactionRef, ', not ours')"/></reason>
      </xsl:when>
      <xsl:when test="f:Outcome = 'POSTED'">
        <status>accepted</status>
        <xsl:if test="normalize-space(f:Confirmation/f:LeaseNumber) != ''">
          <reference><xsl:value-of select="f:Confirmation/f:LeaseNumber"/></reference>
        </xsl:if>
      </xsl:when>
      <xsl:when test="f:Outcome = 'NOT_FOUND'">
        <status>notfound</status>
      </xsl:when>
      <xsl:otherwise>
        <status>rejected</status>
        <reason><xsl:value-of select="concat('QueryLease answered Outcome ', f:Outcome)"/></reason>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*">
    <status>rejected</status>
    <reason><xsl:value-of select="concat('unexpected answer ', local-name(), ' in namespace ', namespace-uri())"/></reason>
  </xsl:template>
</xsl:stylesheet>

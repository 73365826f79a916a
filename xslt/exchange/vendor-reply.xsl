<?xml version="1.0" encoding="UTF-8"?>
<!--
  vendor-reply.xsl: the ACME Vendor Order System's answers
  (urn:acme-vos:orders, tests/peers/vendor.wsdl; the element the soap
  adapter took out of the SOAP Body) to OMS's canonical Ack
  (urn:oms:exchange:1, docs/exchange/Ack.xsd):

    PlaceOrder/ChangeOrder/DisconnectOrderResponse
        OrderStatus REJECTED or CANCELLED     rejected, the status as reason
        any other (RECEIVED)                  accepted, OrderRef as reference
    QueryOrderResponse
        RequestState RECEIVED                 accepted, OrderRef as reference
        RequestState UNKNOWN                  notfound
        another RequestId than ours           rejected (not our answer)
    anything else                             rejected, named

  The vendor answers a RequestId it has seen with its first answer, word
  for word, and does not say it is a replay: a resend maps to accepted
  with the same reference, which is what delivers it (duplicate is for
  platforms that say so).

  Parameters: messageId (our message id; the Ack carries it, as the
  vendor's order answers do not), kind (the canonical kind sent).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:v="urn:acme-vos:orders"
    xmlns="urn:oms:exchange:1"
    exclude-result-prefixes="v">
  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>
  <xsl:param name="messageId" select="''"/>
  <xsl:param name="kind" select="''"/>

  <xsl:template match="/">
    <Ack>
      <messageId>
        <xsl:choose>
          <xsl:when test="$messageId != ''"><xsl:value-of select="$messageId"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="*/v:RequestId"/></xsl:otherwise>
        </xsl:choose>
      </messageId>
      <xsl:apply-templates select="*"/>
    </Ack>
  </xsl:template>

  <xsl:template match="v:PlaceOrderResponse | v:ChangeOrderResponse | v:DisconnectOrderResponse">
    <xsl:choose>
      <xsl:when test="v:OrderStatus = 'REJECTED' or v:OrderStatus = 'CANCELLED'">
        <status>rejected</status>
        <xsl:if test="normalize-space(v:OrderRef) != ''">
          <reference><xsl:value-of select="v:OrderRef"/></reference>
        </xsl:if>
        <reason><xsl:value-of select="concat('the vendor answered OrderStatus ', v:OrderStatus)"/></reason>
      </xsl:when>
      <xsl:otherwise>
        <status>accepted</status>
        <reference><xsl:value-of select="v:OrderRef"/></reference>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="v:QueryOrderResponse">
    <xsl:choose>
      <xsl:when test="$messageId != '' and v:RequestId != $messageId">
        <status>rejected</status>
        <reason><xsl:value-of select="concat('QueryOrder answered for RequestId ', v:RequestId, ', not ours')"/></reason>
      </xsl:when>
      <xsl:when test="v:RequestState = 'RECEIVED'">
        <status>accepted</status>
        <xsl:if test="normalize-space(v:OrderRef) != ''">
          <reference><xsl:value-of select="v:OrderRef"/></reference>
        </xsl:if>
      </xsl:when>
      <xsl:when test="v:RequestState = 'UNKNOWN'">
        <status>notfound</status>
      </xsl:when>
      <xsl:otherwise>
        <status>rejected</status>
        <reason><xsl:value-of select="concat('QueryOrder answered RequestState ', v:RequestState)"/></reason>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*">
    <status>rejected</status>
    <reason><xsl:value-of select="concat('unexpected answer ', local-name(), ' in namespace ', namespace-uri())"/></reason>
  </xsl:template>
</xsl:stylesheet>

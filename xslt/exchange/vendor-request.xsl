<?xml version="1.0" encoding="UTF-8"?>
<!--
  vendor-request.xsl: OMS's canonical messages (urn:oms:exchange:1,
  docs/exchange/*.xsd) to the ACME Vendor Order System's requests
  (urn:acme-vos:orders, tests/peers/vendor.wsdl).  The result is the one
  element that goes into the SOAP Body; the soap adapter wraps it.

    PlaceOrder       -> PlaceOrder
    ChangeOrder      -> ChangeOrder (ChangeType MOVE, PORTCHANGE, ADDON)
    DisconnectOrder  -> DisconnectOrder
    Query            -> QueryOrder (is our message id known there?)

  The vendor applies a RequestId once, so RequestId is always our
  messageId: a resend is answered, never applied twice.
  docs/integration-guide.md, "Adapters and mappings", explains how to
  write such a mapping for another platform.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:c="urn:oms:exchange:1"
    xmlns="urn:acme-vos:orders"
    exclude-result-prefixes="c">
  <xsl:import href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- The vendor's equipment tag: ours, or for a new asset that has
       none until it is installed, the order line (ORDER-REF/LINE). -->
  <xsl:template name="tag">
    <xsl:choose>
      <xsl:when test="c:asset/@tag"><xsl:value-of select="c:asset/@tag"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="order-line"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="site">
    <CustomerSite>
      <AccountNo><xsl:value-of select="c:customer/@code"/></AccountNo>
      <SiteCode><xsl:value-of select="c:site/@code"/></SiteCode>
      <SiteName><xsl:value-of select="c:site/@name"/></SiteName>
      <AddressLine1><xsl:value-of select="c:site/c:address"/></AddressLine1>
      <AddressLine2><xsl:value-of select="normalize-space(concat(c:site/c:region, ' ', c:site/c:country))"/></AddressLine2>
      <City><xsl:value-of select="c:site/c:city"/></City>
      <PostCode><xsl:value-of select="c:site/c:postcode"/></PostCode>
    </CustomerSite>
  </xsl:template>

  <xsl:template name="equipment">
    <Equipment>
      <AssetTag><xsl:call-template name="tag"/></AssetTag>
      <ProductCode><xsl:value-of select="c:product/@code"/></ProductCode>
      <Description><xsl:value-of select="c:product/@name"/></Description>
      <xsl:if test="c:ports">
        <PortCount><xsl:value-of select="c:ports"/></PortCount>
      </xsl:if>
      <xsl:if test="c:serial">
        <SerialNo><xsl:value-of select="c:serial"/></SerialNo>
      </xsl:if>
    </Equipment>
  </xsl:template>

  <!-- Remarks: what the vendor's people read: the OMS order line, the
       customer, the cost centre, the identifiers and the charges. -->
  <xsl:template name="remarks">
    <Remarks>
      <xsl:value-of select="concat('OMS order ', c:order/@ref, ' line ', c:order/@line,
          ' (', c:order/@action, ') for ', c:customer/@name)"/>
      <xsl:if test="c:asset/@parentTag">
        <xsl:value-of select="concat('; add-on to ', c:asset/@parentTag)"/>
      </xsl:if>
      <xsl:if test="c:costCentre">
        <xsl:value-of select="concat('; cost centre ', c:costCentre/@code)"/>
      </xsl:if>
      <xsl:call-template name="identifiers"/>
      <xsl:if test="c:monthlyAmount">
        <xsl:text>; monthly </xsl:text>
        <xsl:call-template name="money"><xsl:with-param name="a" select="c:monthlyAmount"/></xsl:call-template>
      </xsl:if>
      <xsl:if test="c:oneTimeFee">
        <xsl:text>; one-time fee </xsl:text>
        <xsl:call-template name="money"><xsl:with-param name="a" select="c:oneTimeFee"/></xsl:call-template>
      </xsl:if>
    </Remarks>
  </xsl:template>

  <xsl:template match="/c:PlaceOrder">
    <PlaceOrder>
      <RequestId><xsl:value-of select="c:messageId"/></RequestId>
      <PurchaseOrderNo><xsl:call-template name="order-line"/></PurchaseOrderNo>
      <OrderDate><xsl:value-of select="substring(c:createdAt, 1, 10)"/></OrderDate>
      <RequestedDate><xsl:call-template name="wanted-date"/></RequestedDate>
      <xsl:call-template name="site"/>
      <xsl:call-template name="equipment"/>
      <xsl:call-template name="remarks"/>
    </PlaceOrder>
  </xsl:template>

  <xsl:template match="/c:ChangeOrder">
    <ChangeOrder>
      <RequestId><xsl:value-of select="c:messageId"/></RequestId>
      <PurchaseOrderNo><xsl:call-template name="order-line"/></PurchaseOrderNo>
      <ChangeType>
        <xsl:choose>
          <xsl:when test="c:order/@action = 'move'">MOVE</xsl:when>
          <xsl:when test="c:order/@action = 'change'">PORTCHANGE</xsl:when>
          <xsl:when test="c:order/@action = 'addon'">ADDON</xsl:when>
          <xsl:otherwise>OTHER</xsl:otherwise>
        </xsl:choose>
      </ChangeType>
      <RequestedDate><xsl:call-template name="wanted-date"/></RequestedDate>
      <xsl:call-template name="site"/>
      <xsl:call-template name="equipment"/>
      <xsl:call-template name="remarks"/>
    </ChangeOrder>
  </xsl:template>

  <xsl:template match="/c:DisconnectOrder">
    <DisconnectOrder>
      <RequestId><xsl:value-of select="c:messageId"/></RequestId>
      <PurchaseOrderNo><xsl:call-template name="order-line"/></PurchaseOrderNo>
      <AssetTag><xsl:call-template name="tag"/></AssetTag>
      <SiteCode><xsl:value-of select="c:site/@code"/></SiteCode>
      <DisconnectDate><xsl:call-template name="wanted-date"/></DisconnectDate>
      <Reason>
        <xsl:value-of select="concat('OMS order ', c:order/@ref, ' line ', c:order/@line,
            ': disconnect ', c:product/@name, ' at ', c:site/@name)"/>
      </Reason>
    </DisconnectOrder>
  </xsl:template>

  <!-- The canonical Query of a message whose outcome is unknown. -->
  <xsl:template match="/c:Query">
    <QueryOrder>
      <RequestId><xsl:value-of select="c:messageId"/></RequestId>
    </QueryOrder>
  </xsl:template>
</xsl:stylesheet>

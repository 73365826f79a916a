<?xml version="1.0" encoding="UTF-8"?>
<!--
  finance-request.xsl: OMS's canonical messages (urn:oms:exchange:1,
  docs/exchange/*.xsd) to the FinCorp lease accounting system's postings
  (urn:fincorp:leasing:v2, tests/peers/lease.wsdl).  The result is the
  one element that goes into the SOAP Body.

    BookLease    -> BookLease (TermMonths from the parameter termMonths)
    AmendLease   -> AmendLease on the leased asset (an add-on's parent)
    ReturnAsset  -> ReturnAsset; an add-on's removal -> AmendLease (OTHER)
                    of its parent's lease
    Query        -> QueryLease by TransactionRef

  TransactionRef is always our messageId: FinCorp posts a TransactionRef
  once.  Amounts go as decimals with two places, moved from the minor
  units of the canonical message digit by digit.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:c="urn:oms:exchange:1"
    xmlns="urn:fincorp:leasing:v2"
    exclude-result-prefixes="c">
  <xsl:import href="common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- The lease term OMS books, in months (FinCorp requires one; OMS
       leases run until the asset is returned).  Edit here, or pass the
       parameter. -->
  <xsl:param name="termMonths" select="'36'"/>

  <!-- The asset whose lease it is: an add-on's parent, else the asset. -->
  <xsl:template name="leased-tag">
    <xsl:choose>
      <xsl:when test="c:asset/@parentTag"><xsl:value-of select="c:asset/@parentTag"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="c:asset/@tag"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="narrative">
    <xsl:param name="what"/>
    <Narrative>
      <xsl:value-of select="concat('OMS order ', c:order/@ref, ' line ', c:order/@line, ': ', $what)"/>
      <xsl:call-template name="identifiers"/>
    </Narrative>
  </xsl:template>

  <xsl:template match="/c:BookLease">
    <BookLease>
      <TransactionRef><xsl:value-of select="c:messageId"/></TransactionRef>
      <ExternalOrderRef><xsl:call-template name="order-line"/></ExternalOrderRef>
      <Lessee>
        <ClientNo><xsl:value-of select="c:customer/@code"/></ClientNo>
        <ClientName><xsl:value-of select="c:customer/@name"/></ClientName>
        <Location><xsl:value-of select="concat(c:site/@code, ' ', c:site/@name, ', ', c:site/c:city)"/></Location>
      </Lessee>
      <Asset>
        <AssetTag><xsl:value-of select="c:asset/@tag"/></AssetTag>
        <AssetClass><xsl:value-of select="c:product/@code"/></AssetClass>
        <Description><xsl:value-of select="c:product/@name"/></Description>
        <xsl:if test="c:serial">
          <SerialNo><xsl:value-of select="c:serial"/></SerialNo>
        </xsl:if>
        <Ports><xsl:value-of select="c:ports"/></Ports>
      </Asset>
      <CommencementDate><xsl:value-of select="c:effectiveOn"/></CommencementDate>
      <TermMonths><xsl:value-of select="$termMonths"/></TermMonths>
      <MonthlyRental>
        <xsl:call-template name="decimal"><xsl:with-param name="cents" select="c:monthlyAmount"/></xsl:call-template>
      </MonthlyRental>
      <Currency><xsl:value-of select="c:monthlyAmount/@currency"/></Currency>
    </BookLease>
  </xsl:template>

  <xsl:template match="/c:AmendLease">
    <AmendLease>
      <TransactionRef><xsl:value-of select="c:messageId"/></TransactionRef>
      <ExternalOrderRef><xsl:call-template name="order-line"/></ExternalOrderRef>
      <AssetTag><xsl:call-template name="leased-tag"/></AssetTag>
      <AmendmentType>
        <xsl:choose>
          <xsl:when test="c:reason = 'addon'">ADDON</xsl:when>
          <xsl:when test="c:reason = 'change'">PORTCHANGE</xsl:when>
          <xsl:otherwise>OTHER</xsl:otherwise>
        </xsl:choose>
      </AmendmentType>
      <EffectiveDate><xsl:value-of select="c:effectiveOn"/></EffectiveDate>
      <!-- An add-on's amount is its own, not the lease's new rental:
           it goes into the narrative only. -->
      <xsl:if test="c:monthlyAmount and c:reason != 'addon'">
        <NewMonthlyRental>
          <xsl:call-template name="decimal"><xsl:with-param name="cents" select="c:monthlyAmount"/></xsl:call-template>
        </NewMonthlyRental>
      </xsl:if>
      <xsl:if test="c:reason != 'addon'">
        <Ports><xsl:value-of select="c:ports"/></Ports>
      </xsl:if>
      <xsl:call-template name="narrative">
        <xsl:with-param name="what">
          <xsl:choose>
            <xsl:when test="c:reason = 'addon'">
              <xsl:value-of select="concat('add-on ', c:asset/@tag, ' (', c:product/@name, ')')"/>
              <xsl:if test="c:monthlyAmount">
                <xsl:text>, monthly </xsl:text>
                <xsl:call-template name="money"><xsl:with-param name="a" select="c:monthlyAmount"/></xsl:call-template>
              </xsl:if>
            </xsl:when>
            <xsl:when test="c:reason = 'move'">
              <xsl:value-of select="concat('moved to ', c:site/@code, ' ', c:site/@name)"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat('changed to ', c:ports, ' ports of ', c:product/@name)"/>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
      </xsl:call-template>
    </AmendLease>
  </xsl:template>

  <!-- An add-on removed: its parent's lease goes on, amended. -->
  <xsl:template match="/c:ReturnAsset[c:asset/@parentTag]">
    <AmendLease>
      <TransactionRef><xsl:value-of select="c:messageId"/></TransactionRef>
      <ExternalOrderRef><xsl:call-template name="order-line"/></ExternalOrderRef>
      <AssetTag><xsl:value-of select="c:asset/@parentTag"/></AssetTag>
      <AmendmentType>OTHER</AmendmentType>
      <EffectiveDate><xsl:value-of select="c:effectiveOn"/></EffectiveDate>
      <xsl:call-template name="narrative">
        <xsl:with-param name="what" select="concat('add-on ', c:asset/@tag, ' (', c:product/@name, ') removed')"/>
      </xsl:call-template>
    </AmendLease>
  </xsl:template>

  <xsl:template match="/c:ReturnAsset">
    <ReturnAsset>
      <TransactionRef><xsl:value-of select="c:messageId"/></TransactionRef>
      <ExternalOrderRef><xsl:call-template name="order-line"/></ExternalOrderRef>
      <AssetTag><xsl:value-of select="c:asset/@tag"/></AssetTag>
      <ReturnDate><xsl:value-of select="c:effectiveOn"/></ReturnDate>
      <xsl:call-template name="narrative">
        <xsl:with-param name="what" select="concat('returned from ', c:site/@code, ' ', c:site/@name)"/>
      </xsl:call-template>
    </ReturnAsset>
  </xsl:template>

  <!-- The canonical Query of a posting whose outcome is unknown. -->
  <xsl:template match="/c:Query">
    <QueryLease>
      <TransactionRef><xsl:value-of select="c:messageId"/></TransactionRef>
    </QueryLease>
  </xsl:template>
</xsl:stylesheet>

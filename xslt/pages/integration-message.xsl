<?xml version="1.0" encoding="UTF-8"?>
<!--
  integration-message.xsl: one message to a legacy system
  (/integration/messages/{id}): its facts (system, kind, state, place
  in the per-asset order, order, asset, invoice, attempts, times, who
  claimed it), the reason of its last failure, its canonical body and
  the peer's reply (the canonical Ack), both indented by the server,
  and for a dead or delivered message the Resend form (a POST with the
  session's token; the operator's administrators only).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:if test="string(alert)">
      <p class="alert" role="alert"><xsl:value-of select="alert"/></p>
    </xsl:if>
    <xsl:apply-templates select="message"/>
    <xsl:if test="resend">
      <form class="resend" method="post" action="{resend/@action}">
        <input type="hidden" name="csrf" value="{session/@csrf}"/>
        <button type="submit">Resend</button>
      </form>
    </xsl:if>
    <p><a href="/integration">Back to integration</a></p>
  </xsl:template>

  <xsl:template match="message">
    <dl class="facts message">
      <dt>Message id</dt>
      <dd><xsl:value-of select="@message-id"/></dd>
      <dt>System</dt>
      <dd><xsl:value-of select="@system"/></dd>
      <dt>Kind</dt>
      <dd><xsl:value-of select="@kind"/></dd>
      <dt>State</dt>
      <dd class="st m-{@state}" role="status"><xsl:value-of select="@state"/></dd>
      <dt>Order kept for</dt>
      <dd>
        <xsl:value-of select="@seq-key"/>
        <xsl:text> #</xsl:text>
        <xsl:value-of select="@seq"/>
      </dd>
      <xsl:if test="@order">
        <dt>Order</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="@order-href"><a href="{@order-href}"><xsl:value-of select="@order"/></a></xsl:when>
            <xsl:otherwise><xsl:value-of select="@order"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:if>
      <xsl:if test="@asset">
        <dt>Asset</dt>
        <dd>
          <xsl:choose>
            <xsl:when test="@asset-href"><a href="{@asset-href}"><xsl:value-of select="@asset"/></a></xsl:when>
            <xsl:otherwise><xsl:value-of select="@asset"/></xsl:otherwise>
          </xsl:choose>
        </dd>
      </xsl:if>
      <xsl:if test="@invoice-href">
        <dt>Invoice</dt>
        <dd><a href="{@invoice-href}"><xsl:value-of select="@invoice-id"/></a></dd>
      </xsl:if>
      <dt>Attempts</dt>
      <dd><xsl:value-of select="@attempts"/></dd>
      <dt>Written</dt>
      <dd><xsl:value-of select="@created"/></dd>
      <dt>Updated</dt>
      <dd><xsl:value-of select="@updated"/></dd>
      <dt>Next attempt</dt>
      <dd><xsl:value-of select="@next-attempt"/><xsl:text> </xsl:text></dd>
      <xsl:if test="@delivered">
        <dt>Delivered</dt>
        <dd><xsl:value-of select="@delivered"/></dd>
      </xsl:if>
      <xsl:if test="@claimed-by">
        <dt>Claimed by</dt>
        <dd>
          <xsl:value-of select="@claimed-by"/>
          <xsl:text> until </xsl:text>
          <xsl:value-of select="@claim-until"/>
        </dd>
      </xsl:if>
      <xsl:if test="error">
        <dt>Last error</dt>
        <dd class="reason"><xsl:value-of select="error"/></dd>
      </xsl:if>
    </dl>
    <h2>Body</h2>
    <pre class="xml body"><xsl:value-of select="body"/><xsl:text> </xsl:text></pre>
    <h2>Reply</h2>
    <xsl:choose>
      <xsl:when test="reply">
        <pre class="xml reply"><xsl:value-of select="reply"/></pre>
      </xsl:when>
      <xsl:otherwise>
        <p class="note">No reply recorded.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  billing-run.xsl: a billing run asked for from the billing page
  (/billing/runs/{id}): its period, who asked and when, its state, its
  progress (customers done of total, invoices issued) and, when it
  failed, why.  While it is queued or running the document carries
  <refresh seconds="2"/> and layout.xsl makes the page reload itself.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <dl class="facts run">
      <dt>Period</dt>
      <dd><xsl:value-of select="run/@period"/></dd>
      <dt>Business date</dt>
      <dd><xsl:value-of select="run/@business-day"/><xsl:text> </xsl:text></dd>
      <dt>Asked by</dt>
      <dd>
        <xsl:value-of select="run/@requested-by"/>
        <xsl:text> at </xsl:text>
        <xsl:value-of select="run/@requested-at"/>
      </dd>
      <dt>State</dt>
      <dd class="st r-{run/@state}" role="status"><xsl:value-of select="run/@state"/></dd>
      <dt>Progress</dt>
      <dd>
        <progress max="100" value="{progress/@percent}">
          <xsl:value-of select="progress/@percent"/>
          <xsl:text>%</xsl:text>
        </progress>
        <xsl:text> </xsl:text>
        <xsl:value-of select="run/@done"/>
        <xsl:text> of </xsl:text>
        <xsl:value-of select="run/@total"/>
        <xsl:text> customers</xsl:text>
      </dd>
      <dt>Invoices issued</dt>
      <dd><xsl:value-of select="run/@invoices"/></dd>
      <xsl:if test="run/@finished-at">
        <dt>Finished</dt>
        <dd><xsl:value-of select="run/@finished-at"/></dd>
      </xsl:if>
    </dl>
    <xsl:if test="string(run/message)">
      <p class="alert" role="alert"><xsl:value-of select="run/message"/></p>
    </xsl:if>
    <xsl:if test="refresh">
      <p class="note">This page reloads itself until the run ends.</p>
    </xsl:if>
    <p><a href="/billing">Back to billing</a></p>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  report-body.xsl: the body of the Billing Report page (report.xsl's
  "report-body" template) alone, as the billing job renders it once per
  issued invoice and stores it (over a <page> holding <links/> and
  <report>); the page splices the stored bytes in.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="report.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="/">
    <xsl:apply-templates select="page" mode="report-body"/>
  </xsl:template>

</xsl:stylesheet>

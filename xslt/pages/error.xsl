<?xml version="1.0" encoding="UTF-8"?>
<!--
  error.xsl: the error page, for every status from 400 up.

  Input: the "error" view document of docs/views.md (built by
  error_doc() in src/http.c; it has no breadcrumbs).  Output: the
  status and its title as the heading, the message for the user, and a
  way back to the customer list.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="error/@status"/>
    <xsl:text> </xsl:text>
    <xsl:value-of select="error/@title"/>
  </xsl:template>

  <xsl:template match="page" mode="heading">
    <h1>
      <xsl:value-of select="error/@status"/>
      <xsl:text> </xsl:text>
      <xsl:value-of select="error/@title"/>
    </h1>
  </xsl:template>

  <xsl:template match="page" mode="body">
    <div class="error">
      <xsl:if test="string(error/message)">
        <p><xsl:value-of select="error/message"/></p>
      </xsl:if>
      <p><a href="/customers">Back to the customer list</a></p>
    </div>
  </xsl:template>

</xsl:stylesheet>

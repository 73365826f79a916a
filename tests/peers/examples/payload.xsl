<?xml version="1.0"?>
<!-- payload.xsl: the first element of a SOAP 1.1 Body, as a document. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <xsl:template match="/">
    <xsl:copy-of select="soap:Envelope/soap:Body/*[1]"/>
  </xsl:template>
</xsl:stylesheet>

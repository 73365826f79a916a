<?xml version="1.0"?>
<!-- schema.xsl: the XML Schema inside a WSDL, as a schema document of its
     own (xsltproc schema.xsl vendor.wsdl > vendor.xsd), to validate a
     request's payload with xmllint -schema. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsl:template match="/">
    <xsl:copy-of select="wsdl:definitions/wsdl:types/xsd:schema"/>
  </xsl:template>
</xsl:stylesheet>

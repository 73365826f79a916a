<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice.xsl: the Summary Invoice page (/invoices/{id}).

  Input: the "invoice" view document of docs/views.md: <links/>,
  <orders/> and <invoice> as oms_invoice_xml writes it.  Output: the
  heading and address, the lines with what each bills (linked), the
  taxes, the totals, the outstanding earlier invoices and the aging
  (invoice-body.xsl), and links to the print layout, the PDF, the
  Billing Report, the XML and the customer's statement.  Once the
  billing job has stored the invoice's documents the page holds
  <stored/> instead of <invoice>, and the stored body is put in place.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <ul class="actions">
      <li><a href="{links/@print}">Print</a></li>
      <xsl:if test="links/@pdf">
        <li><a href="{links/@pdf}">PDF</a></li>
      </xsl:if>
      <li><a href="{links/@report}">Billing Report</a></li>
      <li><a href="{links/@xml}">XML</a></li>
      <li><a href="{links/@statement}">Account statement</a></li>
      <li><a href="{links/@invoices}">All invoices of this customer</a></li>
    </ul>
    <xsl:apply-templates select="delivery"/>
    <xsl:choose>
      <!-- An issued invoice's body rendered once by the billing job
           (invoice-body.xsl): the server puts it in place of this
           comment. -->
      <xsl:when test="stored">
        <xsl:comment>oms:stored-document</xsl:comment>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="invoice-body"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Where the invoice's documents went (live, beside the stored
       body): one line a message to the customer, and Resend for
       billing users. -->
  <xsl:template match="delivery">
    <section class="delivery" aria-labelledby="h-delivery">
      <h2 id="h-delivery">Delivery</h2>
      <ul class="delivery-status">
        <xsl:for-each select="message">
          <li class="{@state}">
            <xsl:if test="@resend">Sent again: </xsl:if>
            <xsl:choose>
              <xsl:when test="@state = 'delivered' and @system = 'mail'">
                <xsl:text>Mailed to </xsl:text><xsl:value-of select="@to"/>
                <xsl:text> on </xsl:text><xsl:value-of select="@at"/>
              </xsl:when>
              <xsl:when test="@state = 'delivered'">
                <xsl:text>Delivered to </xsl:text><xsl:value-of select="@system"/>
                <xsl:text> on </xsl:text><xsl:value-of select="@at"/>
              </xsl:when>
              <xsl:when test="@state = 'dead'">
                <xsl:text>Failed: </xsl:text><xsl:value-of select="@error"/>
              </xsl:when>
              <xsl:when test="@state = 'unknown'">
                <xsl:text>Outcome unknown, being checked: </xsl:text>
                <xsl:value-of select="@to"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:text>Waiting: </xsl:text>
                <xsl:choose>
                  <xsl:when test="@system = 'mail'"><xsl:text>to </xsl:text><xsl:value-of select="@to"/></xsl:when>
                  <xsl:otherwise><xsl:text>to </xsl:text><xsl:value-of select="@system"/></xsl:otherwise>
                </xsl:choose>
                <xsl:if test="@attempts &gt; 0">
                  <xsl:text> (</xsl:text><xsl:value-of select="@attempts"/>
                  <xsl:text> attempts</xsl:text>
                  <xsl:if test="@error"><xsl:text>; </xsl:text><xsl:value-of select="@error"/></xsl:if>
                  <xsl:text>)</xsl:text>
                </xsl:if>
              </xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:for-each>
        <xsl:if test="not(message)">
          <li class="none">
            <xsl:choose>
              <xsl:when test="@method = 'none'">Not sent: this customer fetches its documents from these pages.</xsl:when>
              <xsl:when test="@method = 'mail' and @contacts = 0">Not mailed: the customer has no billing contacts.</xsl:when>
              <xsl:otherwise>Not sent.</xsl:otherwise>
            </xsl:choose>
          </li>
        </xsl:if>
      </ul>
      <xsl:if test="@may-resend">
        <form class="resend" method="post" action="/invoices/{@invoice}/resend">
          <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
          <button type="submit">Resend the documents</button>
        </form>
      </xsl:if>
    </section>
  </xsl:template>

</xsl:stylesheet>

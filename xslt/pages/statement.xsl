<?xml version="1.0" encoding="UTF-8"?>
<!--
  statement.xsl: a customer's account statement
  (/customers/{id}/statement).

  Input: the "statement" view document of docs/views.md.  Output: the
  invoices, payments and adjustments by date with the running balance
  the server computed (an adjustment moves nothing by itself: it is in
  the current charges of the invoice named beside it), the totals, and
  the aging of the latest invoice with its outstanding earlier ones.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="invoice-common.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <p class="lede">
      <xsl:text>Customer code </xsl:text>
      <xsl:value-of select="customer/@code"/>
      <xsl:text> · </xsl:text>
      <a href="{customer/@invoices}">Invoices</a>
    </p>
    <xsl:apply-templates select="statement"/>
    <xsl:if test="latest/invoice">
      <section class="latest">
        <h2>
          <xsl:text>Latest invoice: </xsl:text>
          <a href="{latest/@href}"><xsl:value-of select="latest/invoice/number"/></a>
          <xsl:text> (</xsl:text><xsl:value-of select="latest/invoice/period"/><xsl:text>)</xsl:text>
        </h2>
        <xsl:apply-templates select="latest/invoice" mode="outstanding"/>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="statement">
    <xsl:choose>
      <xsl:when test="entry">
        <div class="table-wrap" role="region" aria-label="Account statement" tabindex="0">
          <table class="data statement">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Kind</th>
                <th scope="col">Reference</th>
                <th scope="col">Details</th>
                <th scope="col" class="num">Charges</th>
                <th scope="col" class="num">Payments</th>
                <th scope="col" class="num">Balance</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="entry">
                <tr class="entry-{@kind}">
                  <td><xsl:value-of select="@date"/></td>
                  <td><xsl:value-of select="@kind"/></td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@kind = 'invoice'">
                        <a href="{@href}">Invoice <xsl:value-of select="@number"/></a>
                      </xsl:when>
                      <xsl:otherwise>
                        <xsl:value-of select="@ref"/><xsl:text> </xsl:text>
                      </xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@kind = 'invoice'">
                        <xsl:text>Period </xsl:text><xsl:value-of select="@text"/>
                        <xsl:text>, total due </xsl:text>
                        <xsl:call-template name="money"><xsl:with-param name="cents" select="@total-due"/></xsl:call-template>
                      </xsl:when>
                      <xsl:when test="@kind = 'payment'">
                        <xsl:value-of select="@text"/>
                        <xsl:if test="@href">
                          <xsl:text>, on </xsl:text>
                          <a href="{@href}">invoice <xsl:value-of select="@number"/></a>
                        </xsl:if>
                      </xsl:when>
                      <xsl:otherwise>
                        <xsl:value-of select="@text"/>
                        <xsl:text> (</xsl:text>
                        <xsl:call-template name="money"><xsl:with-param name="cents" select="@amount"/></xsl:call-template>
                        <xsl:choose>
                          <xsl:when test="@href">
                            <xsl:text>, billed on </xsl:text>
                            <a href="{@href}">invoice <xsl:value-of select="@number"/></a>
                          </xsl:when>
                          <xsl:otherwise>, not billed yet</xsl:otherwise>
                        </xsl:choose>
                        <xsl:text>)</xsl:text>
                      </xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="num">
                    <xsl:if test="@kind = 'invoice'">
                      <xsl:call-template name="money"><xsl:with-param name="cents" select="@change"/></xsl:call-template>
                    </xsl:if>
                    <xsl:text> </xsl:text>
                  </td>
                  <td class="num">
                    <xsl:if test="@kind = 'payment'">
                      <xsl:call-template name="money"><xsl:with-param name="cents" select="@amount"/></xsl:call-template>
                    </xsl:if>
                    <xsl:text> </xsl:text>
                  </td>
                  <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@balance"/></xsl:call-template></td>
                </tr>
              </xsl:for-each>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan="4">Totals</th>
                <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@charges"/></xsl:call-template></td>
                <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@paid"/></xsl:call-template></td>
                <td class="num balance"><xsl:call-template name="money"><xsl:with-param name="cents" select="@balance"/></xsl:call-template></td>
              </tr>
            </tfoot>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">No invoices, payments or adjustments yet.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

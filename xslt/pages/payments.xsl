<?xml version="1.0" encoding="UTF-8"?>
<!--
  payments.xsl: the payments (/payments), newest first, 50 a page,
  filtered by customer: a link to enter one, the filter, one row a
  payment (amount in cents as stored, formatted here), the pager.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <p class="lede"><a class="button" href="{links/@new}">New payment</a></p>
    <xsl:apply-templates select="filter"/>
    <p class="summary" role="status">
      <xsl:value-of select="result/@payments"/>
      <xsl:text> payment</xsl:text>
      <xsl:if test="result/@payments != 1">s</xsl:if>
      <xsl:text>.</xsl:text>
      <xsl:if test="result/@payments != 0">
        <xsl:text> Showing </xsl:text>
        <xsl:value-of select="result/@first"/>
        <xsl:text>–</xsl:text>
        <xsl:value-of select="result/@last"/>
        <xsl:text>.</xsl:text>
      </xsl:if>
    </p>
    <xsl:if test="payments/payment">
      <div class="table-wrap" role="region" aria-labelledby="caption" tabindex="0">
        <table class="data payments">
          <caption id="caption" class="vh">Payments</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Reference</th>
              <th scope="col">Customer</th>
              <th scope="col">Method</th>
              <th scope="col">Amount</th>
              <th scope="col">Entered by</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="payments/payment">
              <tr>
                <td><xsl:value-of select="@date"/></td>
                <td><xsl:value-of select="@reference"/></td>
                <td><xsl:value-of select="@customer-code"/><xsl:text> </xsl:text><xsl:value-of select="@customer-name"/></td>
                <td><xsl:value-of select="@method"/><xsl:text> </xsl:text></td>
                <td class="num">
                  <xsl:call-template name="money">
                    <xsl:with-param name="cents" select="@amount"/>
                  </xsl:call-template>
                </td>
                <td><xsl:value-of select="@created-by"/><xsl:text> </xsl:text></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </xsl:if>
    <xsl:apply-templates select="pager[link]"/>
  </xsl:template>

  <xsl:template match="filter">
    <form class="filter" method="get" action="{@action}" role="search"
      aria-label="Filter">
      <div class="field">
        <label for="f-customer">Customer</label>
        <select id="f-customer" name="customer">
          <option value="">Any</option>
          <xsl:apply-templates select="customers/option"/>
        </select>
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="clear" href="{@action}">Clear</a>
      </div>
    </form>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

  <xsl:template match="pager">
    <nav class="pager" aria-label="Pages">
      <ul>
        <xsl:for-each select="link">
          <li>
            <a href="{@href}" rel="{@rel}">
              <xsl:choose>
                <xsl:when test="@rel = 'prev'">Previous page</xsl:when>
                <xsl:otherwise>Next page</xsl:otherwise>
              </xsl:choose>
            </a>
          </li>
        </xsl:for-each>
        <li aria-current="page">
          <xsl:text>Page </xsl:text>
          <xsl:value-of select="../result/@page"/>
          <xsl:text> of </xsl:text>
          <xsl:value-of select="../result/@pages"/>
        </li>
      </ul>
    </nav>
  </xsl:template>

</xsl:stylesheet>

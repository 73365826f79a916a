<?xml version="1.0" encoding="UTF-8"?>
<!--
  reconcile.xsl: the reconciliation report of a billing period
  (/integration/reconcile?period=YYYY-MM): the form to choose the
  period, what was compared (assets in service, billed, leases booked,
  vendor orders), the count of each kind of mismatch, and one row a
  mismatch with links to its asset, order and invoice.  The kinds and
  the amounts compared are defined in src/domain/monitor.h and in the
  user guide ("Reconciliation").
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <form class="filter" method="get" action="{filter/@action}" role="search"
      aria-label="Period">
      <div class="field">
        <label for="f-period">Period (YYYY-MM)</label>
        <input id="f-period" name="period" type="text" value="{filter/@period}"
          pattern="[0-9]{{4}}-[0-9]{{2}}"/>
      </div>
      <div class="actions">
        <button type="submit">Reconcile</button>
      </div>
    </form>
    <p class="lede">
      <a href="{filter/@csv}">CSV</a>
      <xsl:text> · </xsl:text>
      <a href="{filter/@xml}">XML</a>
    </p>
    <dl class="facts totals">
      <dt>Assets in service</dt>
      <dd><xsl:value-of select="totals/@in-service"/></dd>
      <dt>Assets billed</dt>
      <dd><xsl:value-of select="totals/@billed"/></dd>
      <dt>Leases booked</dt>
      <dd><xsl:value-of select="totals/@leases"/></dd>
      <dt>Vendor orders</dt>
      <dd><xsl:value-of select="totals/@vendor-orders"/></dd>
    </dl>
    <p class="summary" role="status">
      <xsl:choose>
        <xsl:when test="mismatches/@count = 0">Everything matches.</xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="mismatches/@count"/>
          <xsl:text> mismatch</xsl:text>
          <xsl:if test="mismatches/@count != 1">es</xsl:if>
          <xsl:text>.</xsl:text>
          <xsl:if test="mismatches/@shown &lt; mismatches/@count">
            <xsl:text> The first </xsl:text>
            <xsl:value-of select="mismatches/@shown"/>
            <xsl:text> are shown; the CSV and omsctl reconcile have all.</xsl:text>
          </xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </p>
    <ul class="kinds">
      <xsl:for-each select="totals/kind">
        <li data-kind="{@name}">
          <xsl:value-of select="@label"/>
          <xsl:text>: </xsl:text>
          <xsl:value-of select="@count"/>
        </li>
      </xsl:for-each>
    </ul>
    <xsl:if test="mismatches/mismatch">
      <div class="table-wrap" role="region" aria-labelledby="caption" tabindex="0">
        <table class="data mismatches">
          <caption id="caption">Mismatches</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Asset</th>
              <th scope="col">Customer</th>
              <th scope="col">Order</th>
              <th scope="col">Vendor order</th>
              <th scope="col">Invoice</th>
              <th scope="col">Lease</th>
              <th scope="col">Lease monthly</th>
              <th scope="col">Billed monthly</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="mismatches/mismatch">
              <tr data-kind="{@kind}">
                <td><xsl:value-of select="@label"/></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@asset-href"><a href="{@asset-href}"><xsl:value-of select="@asset"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@asset"/><xsl:text> </xsl:text></xsl:otherwise>
                  </xsl:choose>
                </td>
                <td><xsl:value-of select="@customer"/><xsl:text> </xsl:text></td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@order-href"><a href="{@order-href}"><xsl:value-of select="@order"/></a></xsl:when>
                    <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
                  </xsl:choose>
                </td>
                <td>
                  <xsl:value-of select="@vendor-ref"/>
                  <xsl:if test="@vendor-status">
                    <xsl:text> (</xsl:text>
                    <xsl:value-of select="@vendor-status"/>
                    <xsl:text>)</xsl:text>
                  </xsl:if>
                  <xsl:text> </xsl:text>
                </td>
                <td>
                  <xsl:choose>
                    <xsl:when test="@invoice-href"><a href="{@invoice-href}"><xsl:value-of select="@invoice"/></a></xsl:when>
                    <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
                  </xsl:choose>
                </td>
                <td><xsl:value-of select="@lease"/><xsl:text> </xsl:text></td>
                <td class="num">
                  <xsl:if test="@lease-monthly">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@lease-monthly"/>
                    </xsl:call-template>
                  </xsl:if>
                  <xsl:text> </xsl:text>
                </td>
                <td class="num">
                  <xsl:if test="@billed-monthly">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@billed-monthly"/>
                    </xsl:call-template>
                  </xsl:if>
                  <xsl:text> </xsl:text>
                </td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoices.xsl: the list of issued invoices (/invoices).

  Input: the "invoices" view document of docs/views.md.  Output: the
  filter form (customer for staff, period), a refused filter's message
  as an alert, one row an invoice with its number linking to it, its
  customer, period, dates, current charges, payments and total due
  (integer cents, formatted by order-money.xsl), and the pager.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="filter"/>
    <p class="summary" role="status">
      <xsl:value-of select="result/@invoices"/>
      <xsl:text> invoice</xsl:text>
      <xsl:if test="result/@invoices != 1">s</xsl:if>
      <xsl:text>.</xsl:text>
      <xsl:if test="result/@invoices != 0">
        <xsl:text> Showing </xsl:text>
        <xsl:value-of select="result/@first"/>
        <xsl:text>–</xsl:text>
        <xsl:value-of select="result/@last"/>
        <xsl:text>.</xsl:text>
      </xsl:if>
    </p>
    <xsl:choose>
      <xsl:when test="invoices/invoice">
        <div class="table-wrap" role="region" aria-label="Invoices" tabindex="0">
          <table class="data">
            <thead>
              <tr>
                <th scope="col" class="num">Number</th>
                <th scope="col">Customer</th>
                <th scope="col">Period</th>
                <th scope="col">Invoice date</th>
                <th scope="col">Due date</th>
                <th scope="col" class="num">Current charges</th>
                <th scope="col" class="num">Payments</th>
                <th scope="col" class="num">Total due</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="invoices/invoice">
                <tr>
                  <td class="num"><a href="{@href}"><xsl:value-of select="@number"/></a></td>
                  <td><xsl:value-of select="@customer-code"/><xsl:text> </xsl:text><xsl:value-of select="@customer-name"/></td>
                  <td><xsl:value-of select="@period"/></td>
                  <td><xsl:value-of select="@invoice-date"/></td>
                  <td><xsl:value-of select="@due-date"/></td>
                  <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@current"/></xsl:call-template></td>
                  <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@payments"/></xsl:call-template></td>
                  <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="@total-due"/></xsl:call-template></td>
                  <td><a href="{@report}">Billing Report</a></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
        <xsl:apply-templates select="pager[*]"/>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">No issued invoice matches.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="filter">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="filter" method="get" action="{@action}" role="search"
      aria-label="Filter invoices">
      <xsl:if test="customers">
        <div class="field">
          <label for="f-customer">Customer</label>
          <select id="f-customer" name="customer">
            <option value="">Any</option>
            <xsl:for-each select="customers/option">
              <option value="{@value}">
                <xsl:copy-of select="@selected"/>
                <xsl:value-of select="@label"/>
              </option>
            </xsl:for-each>
          </select>
        </div>
      </xsl:if>
      <div class="field">
        <label for="f-period">Period</label>
        <input id="f-period" type="month" name="period" value="{@period}"/>
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="clear" href="{@action}">Clear</a>
      </div>
    </form>
  </xsl:template>

  <xsl:template match="pager">
    <nav class="pager" aria-label="Pages">
      <ul>
        <xsl:if test="prev">
          <li><a href="{first/@href}">First page</a></li>
          <li><a href="{prev/@href}" rel="prev">Previous page</a></li>
        </xsl:if>
        <xsl:if test="next">
          <li><a href="{next/@href}" rel="next">Next page</a></li>
          <li><a href="{last/@href}">Last page</a></li>
        </xsl:if>
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

<?xml version="1.0" encoding="UTF-8"?>
<!--
  orders.xsl: the order list (/orders).

  Input: the "orders" view document of docs/views.md.  Output: a link
  to a new order, the filter form (GET, so every result has its own
  address; the customer choice only for staff, whose documents carry
  filter/customers), a refused filter's message as an alert, the
  result summary with the export links, one table row an order (its
  one-time total and monthly change as the server computed them, in
  cents, formatted by order-money.xsl), and the pager.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:if test="links/@new">
      <p class="lede"><a class="button" href="{links/@new}">New order</a></p>
    </xsl:if>
    <xsl:apply-templates select="filter"/>
    <div class="bar">
      <xsl:apply-templates select="result"/>
      <p class="export">
        <xsl:text>Export </xsl:text>
        <a href="{export/@href}" type="text/csv">CSV</a>
        <xsl:text> </xsl:text>
        <a href="{export/@xml}" type="application/xml">XML</a>
      </p>
    </div>
    <xsl:choose>
      <xsl:when test="orders/order">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data orders">
            <caption id="caption" class="vh">Orders</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Customer</th>
                <th scope="col">Site</th>
                <th scope="col">Requested</th>
                <th scope="col">State</th>
                <th scope="col">By</th>
                <th scope="col">One-time</th>
                <th scope="col">Monthly change</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="orders/order">
                <tr>
                  <td><a href="{@href}"><xsl:value-of select="@ref"/></a></td>
                  <td><xsl:value-of select="@customer-name"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@site-code"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@requested"/></td>
                  <td class="st o-{@state}"><xsl:value-of select="@state-label"/></td>
                  <td><xsl:value-of select="@requester"/><xsl:text> </xsl:text></td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@fee"/>
                    </xsl:call-template>
                  </td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@mrc-change"/>
                      <xsl:with-param name="sign" select="'yes'"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
        <xsl:apply-templates select="pager[link]"/>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">
          <xsl:text>No orders match these filters. </xsl:text>
          <a href="{filter/@action}">Clear the filters</a>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="filter">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="filter" method="get" action="{@action}" role="search"
      aria-label="Filter orders">
      <div class="field">
        <label for="f-state">State</label>
        <select id="f-state" name="state">
          <option value="">Any</option>
          <xsl:apply-templates select="states/option"/>
        </select>
      </div>
      <xsl:if test="customers">
        <div class="field">
          <label for="f-customer">Customer</label>
          <select id="f-customer" name="customer">
            <option value="">Any</option>
            <xsl:apply-templates select="customers/option"/>
          </select>
        </div>
      </xsl:if>
      <xsl:if test="sites/option">
        <div class="field">
          <label for="f-site">Site</label>
          <select id="f-site" name="site">
            <option value="">Any</option>
            <xsl:apply-templates select="sites/option"/>
          </select>
        </div>
      </xsl:if>
      <div class="field">
        <label for="f-action">Action</label>
        <select id="f-action" name="action">
          <option value="">Any</option>
          <xsl:apply-templates select="actions/option"/>
        </select>
      </div>
      <div class="field">
        <label for="f-from">Requested from</label>
        <input id="f-from" type="date" name="from" value="{@from}"/>
      </div>
      <div class="field">
        <label for="f-to">Requested to</label>
        <input id="f-to" type="date" name="to" value="{@to}"/>
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

  <!-- "12 orders matched. Showing 1–12." -->
  <xsl:template match="result">
    <p class="summary" role="status">
      <xsl:value-of select="@orders"/>
      <xsl:text> order</xsl:text>
      <xsl:if test="@orders != 1">s</xsl:if>
      <xsl:text> matched.</xsl:text>
      <xsl:if test="@orders != 0">
        <xsl:text> Showing </xsl:text>
        <xsl:value-of select="@first"/>
        <xsl:text>–</xsl:text>
        <xsl:value-of select="@last"/>
        <xsl:text>.</xsl:text>
      </xsl:if>
    </p>
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

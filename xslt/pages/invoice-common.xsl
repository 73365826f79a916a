<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-common.xsl: the parts of a Summary Invoice shared by the
  invoice page (invoice.xsl) and its print layout (invoice-print.xsl):
  the heading with the customer's address, the lines, the taxes, the
  totals, the outstanding earlier invoices with the aging, and the
  remittance stub.

  Input: <invoice> as oms_invoice_xml writes it (src/web/billxml.c,
  docs/views.md), under a page that also holds <links/> and <orders/>
  (the order behind each one-time line).  Every amount is integer
  cents computed in C; order-money.xsl's "money" writes it by
  splitting digits.  Nothing here adds up money.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="order-money.xsl"/>

  <!-- An amount cell. -->
  <xsl:template match="*" mode="amount-cell">
    <td class="num"><xsl:call-template name="money"/><xsl:text> </xsl:text></td>
  </xsl:template>

  <!-- The heading: number, period, dates, terms, the customer. -->
  <xsl:template match="invoice" mode="head">
    <div class="invoice-head">
      <dl class="facts">
        <dt>Invoice number</dt><dd><xsl:value-of select="number"/></dd>
        <dt>Period</dt><dd><xsl:value-of select="period"/></dd>
        <dt>Invoice date</dt><dd><xsl:value-of select="invoice_date"/></dd>
        <dt>Due date</dt><dd><xsl:value-of select="due_date"/></dd>
        <dt>Terms</dt><dd><xsl:value-of select="terms_days"/> days</dd>
        <dt>Currency</dt><dd><xsl:value-of select="currency"/></dd>
      </dl>
      <address class="customer">
        <strong><xsl:value-of select="customer/name"/></strong>
        <xsl:text> (</xsl:text><xsl:value-of select="customer/code"/><xsl:text>)</xsl:text>
        <br/><xsl:value-of select="customer/address"/>
        <br/><xsl:value-of select="customer/city"/>
        <xsl:text> </xsl:text><xsl:value-of select="customer/region"/>
        <xsl:text> </xsl:text><xsl:value-of select="customer/postcode"/>
        <br/><xsl:value-of select="customer/country"/>
      </address>
    </div>
  </xsl:template>

  <!-- What a line bills, linked: the asset, the order, the adjustment. -->
  <xsl:template match="line" mode="what">
    <xsl:choose>
      <xsl:when test="asset_tag and @asset_id">
        <a href="/assets/{@asset_id}"><xsl:value-of select="asset_tag"/></a>
      </xsl:when>
      <xsl:when test="order_line">
        <xsl:variable name="ol" select="@order_line_id"/>
        <xsl:variable name="o" select="/page/orders/order[@line = $ol]"/>
        <xsl:choose>
          <xsl:when test="$o">
            <a href="{$o/@href}">Order <xsl:value-of select="order_line"/></a>
          </xsl:when>
          <xsl:otherwise>Order <xsl:value-of select="order_line"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@asset_id">
          <xsl:text> · </xsl:text>
          <a href="/assets/{@asset_id}">asset</a>
        </xsl:if>
      </xsl:when>
      <xsl:when test="adjustment">
        <xsl:text>Adjustment </xsl:text><xsl:value-of select="adjustment"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="asset_tag"/><xsl:text> </xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The lines: this period's, then corrections marked with the
       period they correct. -->
  <xsl:template match="lines" mode="table">
    <table class="data invoice-lines">
      <caption>Charges</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Kind</th>
          <th scope="col">Bills</th>
          <th scope="col">Site</th>
          <th scope="col">Cost centre</th>
          <th scope="col">Product</th>
          <th scope="col">From</th>
          <th scope="col">To</th>
          <th scope="col" class="num">Days</th>
          <th scope="col" class="num">Quantity</th>
          <th scope="col">Formula</th>
          <th scope="col" class="num">Amount</th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="line">
          <tr>
            <xsl:if test="correction">
              <xsl:attribute name="class">correction</xsl:attribute>
            </xsl:if>
            <td><xsl:value-of select="@no"/></td>
            <td>
              <xsl:value-of select="kind"/>
              <xsl:if test="correction">
                <xsl:text> (correction of </xsl:text>
                <xsl:value-of select="correction"/>
                <xsl:text>)</xsl:text>
              </xsl:if>
              <xsl:if test="taxable = 'no'"> · not taxable</xsl:if>
            </td>
            <td><xsl:apply-templates select="." mode="what"/></td>
            <td><xsl:value-of select="site"/><xsl:text> </xsl:text></td>
            <td><xsl:value-of select="cost_centre"/><xsl:text> </xsl:text></td>
            <td><xsl:value-of select="product"/><xsl:text> </xsl:text></td>
            <td><xsl:value-of select="from"/><xsl:text> </xsl:text></td>
            <td><xsl:value-of select="to"/><xsl:text> </xsl:text></td>
            <td class="num">
              <xsl:if test="days">
                <xsl:value-of select="days"/>/<xsl:value-of select="period_days"/>
              </xsl:if>
              <xsl:text> </xsl:text>
            </td>
            <td class="num">
              <xsl:value-of select="quantity"/>
              <xsl:if test="billable">
                <xsl:text> (</xsl:text><xsl:value-of select="billable"/><xsl:text> billable)</xsl:text>
              </xsl:if>
            </td>
            <td><xsl:value-of select="formula"/><xsl:text> </xsl:text></td>
            <xsl:apply-templates select="amount" mode="amount-cell"/>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <!-- Taxes per jurisdiction and code, rate in parts per million shown
       as a percent by splitting digits (4 decimals). -->
  <xsl:template match="taxes" mode="table">
    <xsl:if test="tax">
      <table class="data invoice-taxes">
        <caption>Taxes</caption>
        <thead>
          <tr>
            <th scope="col">Jurisdiction</th>
            <th scope="col">Tax</th>
            <th scope="col" class="num">Base</th>
            <th scope="col" class="num">Rate %</th>
            <th scope="col" class="num">Amount</th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="tax">
            <tr>
              <td><xsl:value-of select="jurisdiction"/></td>
              <td><xsl:value-of select="code"/></td>
              <xsl:apply-templates select="base" mode="amount-cell"/>
              <td class="num">
                <xsl:call-template name="percent">
                  <xsl:with-param name="ppm" select="rate_ppm"/>
                </xsl:call-template>
              </td>
              <xsl:apply-templates select="amount" mode="amount-cell"/>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
  </xsl:template>

  <!-- Parts per million as a percent with 4 decimals: 99750 is 9.9750. -->
  <xsl:template name="percent">
    <xsl:param name="ppm"/>
    <xsl:variable name="m" select="normalize-space($ppm)"/>
    <xsl:variable name="p" select="concat(substring('0000', string-length($m)), $m)"/>
    <xsl:value-of select="substring($p, 1, string-length($p) - 4)"/>
    <xsl:text>.</xsl:text>
    <xsl:value-of select="substring($p, string-length($p) - 3)"/>
  </xsl:template>

  <!-- The totals, as the invoice states them. -->
  <xsl:template match="invoice" mode="totals">
    <table class="data invoice-totals">
      <caption>Summary</caption>
      <tbody>
        <tr><th scope="row">Subtotal</th><xsl:apply-templates select="subtotal" mode="amount-cell"/></tr>
        <tr><th scope="row">Taxes</th><xsl:apply-templates select="tax_total" mode="amount-cell"/></tr>
        <tr><th scope="row">Current charges</th><xsl:apply-templates select="current_charges" mode="amount-cell"/></tr>
        <tr><th scope="row">Previous balance</th><xsl:apply-templates select="previous_balance" mode="amount-cell"/></tr>
        <tr><th scope="row">Payments</th><xsl:apply-templates select="payments" mode="amount-cell"/></tr>
      </tbody>
      <tfoot>
        <tr class="total-due">
          <th scope="row">Total due <xsl:value-of select="currency"/></th>
          <td class="num total-due"><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></td>
        </tr>
      </tfoot>
    </table>
  </xsl:template>

  <!-- Outstanding earlier invoices and the aging buckets. -->
  <xsl:template match="invoice" mode="outstanding">
    <section class="outstanding">
      <h2>Charges outstanding from previous months</h2>
      <xsl:choose>
        <xsl:when test="outstanding/earlier">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Period</th>
                <th scope="col">Due date</th>
                <th scope="col" class="num">Days past due</th>
                <th scope="col" class="num">Amount left</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="outstanding/earlier">
                <tr>
                  <td><a href="/invoices/{@id}"><xsl:value-of select="number"/></a></td>
                  <td><xsl:value-of select="period"/></td>
                  <td><xsl:value-of select="due_date"/></td>
                  <td class="num"><xsl:value-of select="days_past_due"/></td>
                  <xsl:apply-templates select="amount_left" mode="amount-cell"/>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">Nothing is outstanding from earlier invoices.</p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="aging" mode="table"/>
    </section>
  </xsl:template>

  <xsl:template match="aging" mode="table">
    <table class="data aging">
      <caption>Aging</caption>
      <thead>
        <tr>
          <th scope="col" class="num">Not yet due</th>
          <th scope="col" class="num">1–30 days</th>
          <th scope="col" class="num">31–60 days</th>
          <th scope="col" class="num">61–90 days</th>
          <th scope="col" class="num">Over 90 days</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <xsl:apply-templates select="not_due" mode="amount-cell"/>
          <xsl:apply-templates select="days_1_30" mode="amount-cell"/>
          <xsl:apply-templates select="days_31_60" mode="amount-cell"/>
          <xsl:apply-templates select="days_61_90" mode="amount-cell"/>
          <xsl:apply-templates select="days_over_90" mode="amount-cell"/>
        </tr>
      </tbody>
    </table>
  </xsl:template>

  <!-- The remittance stub: to be torn off and sent with the payment. -->
  <xsl:template match="invoice" mode="stub">
    <section class="remittance" aria-label="Remittance">
      <h2>Remittance</h2>
      <p>Please return this part with your payment.</p>
      <dl class="facts">
        <dt>Customer code</dt><dd class="stub-customer"><xsl:value-of select="customer/code"/></dd>
        <dt>Invoice number</dt><dd class="stub-number"><xsl:value-of select="number"/></dd>
        <dt>Due date</dt><dd><xsl:value-of select="due_date"/></dd>
        <dt>Total due</dt>
        <dd class="stub-total"><xsl:value-of select="currency"/><xsl:text> </xsl:text><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></dd>
        <dt>Amount paid</dt><dd class="blank"><xsl:text> </xsl:text></dd>
      </dl>
    </section>
  </xsl:template>

  <!-- The body of the invoice page (invoice.xsl live, invoice-body.xsl
       stored): one template, so the two are the same bytes. -->
  <xsl:template match="page" mode="invoice-body">
    <div class="invoice-doc">
      <xsl:apply-templates select="invoice" mode="head"/>
      <div class="table-wrap" role="region" aria-label="Charges" tabindex="0">
        <xsl:apply-templates select="invoice/lines" mode="table"/>
      </div>
      <xsl:apply-templates select="invoice/taxes" mode="table"/>
      <xsl:apply-templates select="invoice" mode="totals"/>
      <xsl:apply-templates select="invoice" mode="outstanding"/>
    </div>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-print.xsl: a Summary Invoice (the invoice XML of BILLING.md,
  root <invoice>) as one HTML document with print CSS, for paper and
  for the PDF renderer (docs/pdf-rendering.md: WeasyPrint through
  src/cmd/oms-render-pdf).

  Parameter "paper": 'A4' (default) or 'Letter', the CSS @page size.
  Every page has the invoice number and customer in its top margin and
  "Page N of M" in its bottom margin (CSS page-margin boxes, which
  WeasyPrint and Chromium 131 and later draw; a browser printing
  without them just has no page numbers).  The line table's header
  repeats on every page; the summary, taxes, outstanding invoices with
  their aging and the remittance stub follow the lines, the stub kept
  whole on the last page behind a cut line.

  Amounts are integer cents, formatted by order-money.xsl's "money"
  (through invoice-common.xsl): no arithmetic on money here, every
  total comes from the XML.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:include href="invoice-common.xsl"/>

  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:param name="paper" select="'A4'"/>

  <xsl:variable name="cur" select="string(/invoice/@currency)"/>

  <xsl:template match="/">
    <xsl:apply-templates select="invoice"/>
  </xsl:template>

  <!-- The document: head with the CSS, then the invoice's parts in order. -->
  <xsl:template match="invoice">
    <xsl:variable name="size">
      <xsl:choose>
        <xsl:when test="$paper = 'Letter' or $paper = 'letter'">letter</xsl:when>
        <xsl:otherwise>A4</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- Text put into CSS strings: no quote, backslash or line break can end them. -->
    <xsl:variable name="css-customer"
                  select="translate(normalize-space(customer/name), '&quot;\&#10;&#13;', '')"/>
    <html lang="en">
      <head>
        <meta charset="UTF-8"/>
        <title>Invoice <xsl:value-of select="number"/> — <xsl:value-of select="customer/name"/></title>
        <style>
@page {
  size: <xsl:value-of select="$size"/>;
  margin: 20mm 14mm 18mm 14mm;
  @top-left { content: "Summary Invoice <xsl:value-of select="translate(number, '&quot;\', '')"/> · <xsl:value-of select="translate(period, '&quot;\', '')"/>"; font: 8pt "DejaVu Sans", sans-serif; color: #555; }
  @top-right { content: "<xsl:value-of select="$css-customer"/>"; font: 8pt "DejaVu Sans", sans-serif; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans", sans-serif; }
}
html { font: 9pt/1.3 "DejaVu Sans", sans-serif; color: #000; }
body { margin: 0; }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
h2 { font-size: 11pt; margin: 5mm 0 2mm 0; break-after: avoid; }
.top { display: flex; justify-content: space-between; }
.top table td { padding: 0 3mm 0 0; }
.addr { font-size: 10pt; }
.addr .name { font-weight: bold; }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { padding: 0.6mm 1.2mm; vertical-align: top; }
table.grid thead th { border-bottom: 0.6pt solid #000; text-align: left; font-size: 7.5pt; }
table.grid tbody tr { break-inside: avoid; }
table.lines { font-size: 7.5pt; }
table.lines tbody tr:nth-child(even) { background: #f2f2f2; }
table.grid tfoot td { border-top: 0.6pt solid #000; font-weight: bold; }
.num, table.grid th.num { text-align: right; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.formula { color: #333; }
.summary { margin-top: 4mm; width: 60%; margin-left: auto; break-inside: avoid; }
.summary td { padding: 0.5mm 1.2mm; }
.summary tr.due td { border-top: 0.8pt solid #000; font-weight: bold; font-size: 11pt; }
.keep { break-inside: avoid; }
.stub { break-inside: avoid; margin-top: 10mm; border-top: 1pt dashed #000; padding-top: 4mm; }
.stub h2 { margin-top: 0; }
.stub table td { padding: 0.8mm 3mm 0.8mm 0; }
.stub .blank { border-bottom: 0.6pt solid #000; min-width: 40mm; display: inline-block; }
        </style>
      </head>
      <body>
        <div class="top">
          <div>
            <h1>Summary Invoice</h1>
            <table>
              <tr><td>Invoice number</td><td><xsl:value-of select="number"/></td></tr>
              <tr><td>Customer</td><td><xsl:value-of select="customer/@code"/></td></tr>
              <tr><td>Period</td><td><xsl:value-of select="period"/></td></tr>
              <tr><td>Invoice date</td><td><xsl:value-of select="invoice_date"/></td></tr>
              <tr><td>Due date</td><td><xsl:value-of select="due_date"/></td></tr>
            </table>
          </div>
          <div class="addr">
            <div class="name"><xsl:value-of select="customer/name"/></div>
            <xsl:for-each select="customer/address/line">
              <div><xsl:value-of select="."/></div>
            </xsl:for-each>
          </div>
        </div>

        <xsl:call-template name="summary"/>

        <h2>Charges</h2>
        <table class="grid lines">
          <thead>
            <tr>
              <th>Kind</th><th>Ref</th><th>Site</th><th>Cost centre</th><th>Product</th>
              <th>Dates</th><th class="num">Days</th><th class="num">Qty</th>
              <th>Formula</th><th class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            <xsl:apply-templates select="lines/line"/>
          </tbody>
          <tfoot>
            <tr>
              <td colspan="9">Subtotal</td>
              <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="subtotal"/></xsl:call-template></td>
            </tr>
          </tfoot>
        </table>

        <div class="keep">
          <h2>Taxes</h2>
          <table class="grid">
            <thead>
              <tr><th>Jurisdiction</th><th>Tax</th><th class="num">Base</th><th class="num">Rate</th><th class="num">Amount</th></tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="taxes/tax"/>
            </tbody>
          </table>
        </div>

        <xsl:call-template name="summary"/>

        <xsl:apply-templates select="outstanding"/>

        <div class="stub">
          <h2>Remittance — please return this part with your payment</h2>
          <table>
            <tr><td>Customer</td><td><xsl:value-of select="customer/@code"/> — <xsl:value-of select="customer/name"/></td></tr>
            <tr><td>Invoice number</td><td><xsl:value-of select="number"/></td></tr>
            <tr><td>Due date</td><td><xsl:value-of select="due_date"/></td></tr>
            <tr><td>Total due</td><td><b><xsl:value-of select="$cur"/><xsl:text> </xsl:text><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></b></td></tr>
            <tr><td>Amount enclosed</td><td><span class="blank"> </span></td></tr>
          </table>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- The balance forward: previous balance, payments, current charges, total due. -->
  <xsl:template name="summary">
    <table class="summary">
      <tr><td>Previous balance</td><td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="previous_balance"/></xsl:call-template></td></tr>
      <tr><td>Payments received</td><td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="concat('-', payments)"/></xsl:call-template></td></tr>
      <tr><td>Current charges (subtotal <xsl:call-template name="money"><xsl:with-param name="cents" select="subtotal"/></xsl:call-template> plus taxes)</td>
          <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="current_charges"/></xsl:call-template></td></tr>
      <tr class="due"><td>Total due <xsl:value-of select="$cur"/></td><td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></td></tr>
    </table>
  </xsl:template>

  <!-- One charge line. -->
  <xsl:template match="line">
    <tr>
      <td><xsl:call-template name="kind-name"/><xsl:if test="@correction_of"> (correction of <xsl:value-of select="@correction_of"/>)</xsl:if></td>
      <td class="nowrap"><xsl:value-of select="ref"/><xsl:if test="order"><br/><xsl:value-of select="order"/>/<xsl:value-of select="order_line"/></xsl:if></td>
      <td class="nowrap"><xsl:value-of select="site"/></td>
      <td class="nowrap"><xsl:value-of select="cost_centre"/></td>
      <td class="nowrap"><xsl:value-of select="product"/></td>
      <td class="nowrap"><xsl:value-of select="from"/><xsl:if test="to != from"> –<br/><xsl:value-of select="to"/></xsl:if></td>
      <td class="num"><xsl:value-of select="days"/></td>
      <td class="num"><xsl:value-of select="quantity"/></td>
      <td class="formula"><xsl:value-of select="formula"/></td>
      <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="amount"/></xsl:call-template></td>
    </tr>
  </xsl:template>

  <!-- One tax of one jurisdiction. -->
  <xsl:template match="tax">
    <tr>
      <td><xsl:value-of select="jurisdiction"/></td>
      <td><xsl:value-of select="code"/></td>
      <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="base"/></xsl:call-template></td>
      <td class="num"><xsl:call-template name="percent"><xsl:with-param name="ppm" select="rate_ppm"/></xsl:call-template></td>
      <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="amount"/></xsl:call-template></td>
    </tr>
  </xsl:template>

  <!-- The earlier invoices with something left, and the aging buckets. -->
  <xsl:template match="outstanding">
    <div class="keep">
      <h2>Outstanding earlier invoices</h2>
      <xsl:if test="invoice">
        <table class="grid">
          <thead>
            <tr><th>Invoice</th><th>Period</th><th>Due date</th><th class="num">Days past due</th><th>Bucket</th><th class="num">Amount left</th></tr>
          </thead>
          <tbody>
            <xsl:for-each select="invoice">
              <tr>
                <td><xsl:value-of select="number"/></td>
                <td><xsl:value-of select="period"/></td>
                <td><xsl:value-of select="due_date"/></td>
                <td class="num"><xsl:value-of select="days_past_due"/></td>
                <td><xsl:value-of select="bucket"/></td>
                <td class="num"><xsl:call-template name="money"><xsl:with-param name="cents" select="amount"/></xsl:call-template></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </xsl:if>
      <h2>Aging</h2>
      <table class="grid">
        <thead>
          <tr><th class="num">Not yet due</th><th class="num">1–30 days</th><th class="num">31–60 days</th><th class="num">61–90 days</th><th class="num">Over 90 days</th></tr>
        </thead>
        <tbody>
          <tr>
            <xsl:for-each select="aging/not_yet_due | aging/days_1_30 | aging/days_31_60 | aging/days_61_90 | aging/over_90">
              <td class="num"><xsl:call-template name="money"/></td>
            </xsl:for-each>
          </tr>
        </tbody>
      </table>
    </div>
  </xsl:template>

</xsl:stylesheet>

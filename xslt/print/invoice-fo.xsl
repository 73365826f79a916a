<?xml version="1.0" encoding="UTF-8"?>
<!--
  invoice-fo.xsl: a Summary Invoice (root <invoice>) as XSL-FO for
  Apache FOP, the same content as invoice-print.xsl: kept as the FO
  candidate of docs/pdf-rendering.md's measurements (tests/bench/pdf.sh
  runs it with fop -c fop.xconf -xml INVOICE -xsl invoice-fo.xsl).

  Parameter "paper": 'A4' (default) or 'Letter'.  "Page N of M" uses
  fo:page-number and a citation of the last block; the lines' table
  header repeats on every page; the remittance stub is kept whole.
  Amounts are integer cents formatted by order-money.xsl's "money".
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:fo="http://www.w3.org/1999/XSL/Format">

  <xsl:include href="invoice-common.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="paper" select="'A4'"/>

  <xsl:variable name="cur" select="string(/invoice/@currency)"/>

  <!-- The page master (A4 or Letter) and the one flow. -->
  <xsl:template match="/">
    <xsl:variable name="letter" select="$paper = 'Letter' or $paper = 'letter'"/>
    <fo:root font-family="DejaVu Sans" font-size="9pt" line-height="1.3">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="page" margin="8mm 14mm 8mm 14mm">
          <xsl:attribute name="page-width"><xsl:choose><xsl:when test="$letter">8.5in</xsl:when><xsl:otherwise>210mm</xsl:otherwise></xsl:choose></xsl:attribute>
          <xsl:attribute name="page-height"><xsl:choose><xsl:when test="$letter">11in</xsl:when><xsl:otherwise>297mm</xsl:otherwise></xsl:choose></xsl:attribute>
          <fo:region-body margin-top="12mm" margin-bottom="10mm"/>
          <fo:region-before extent="8mm"/>
          <fo:region-after extent="8mm"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <fo:page-sequence master-reference="page">
        <fo:static-content flow-name="xsl-region-before">
          <fo:block font-size="8pt" color="#555555" text-align-last="justify">
            <xsl:text>Summary Invoice </xsl:text><xsl:value-of select="invoice/number"/>
            <xsl:text> · </xsl:text><xsl:value-of select="invoice/period"/>
            <fo:leader leader-pattern="space"/>
            <xsl:value-of select="invoice/customer/name"/>
          </fo:block>
        </fo:static-content>
        <fo:static-content flow-name="xsl-region-after">
          <fo:block font-size="8pt" text-align="end">
            <xsl:text>Page </xsl:text><fo:page-number/>
            <xsl:text> of </xsl:text><fo:page-number-citation ref-id="invoice-end"/>
          </fo:block>
        </fo:static-content>
        <fo:flow flow-name="xsl-region-body">
          <xsl:apply-templates select="invoice"/>
          <fo:block id="invoice-end"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>

  <!-- The invoice's parts in the order of invoice-print.xsl. -->
  <xsl:template match="invoice">
    <fo:table table-layout="fixed" width="100%">
      <fo:table-column column-width="50%"/>
      <fo:table-column column-width="50%"/>
      <fo:table-body>
        <fo:table-row>
          <fo:table-cell>
            <fo:block font-size="16pt" font-weight="bold" space-after="2mm">Summary Invoice</fo:block>
            <fo:block>Invoice number  <xsl:value-of select="number"/></fo:block>
            <fo:block>Customer  <xsl:value-of select="customer/@code"/></fo:block>
            <fo:block>Period  <xsl:value-of select="period"/></fo:block>
            <fo:block>Invoice date  <xsl:value-of select="invoice_date"/></fo:block>
            <fo:block>Due date  <xsl:value-of select="due_date"/></fo:block>
          </fo:table-cell>
          <fo:table-cell font-size="10pt">
            <fo:block font-weight="bold"><xsl:value-of select="customer/name"/></fo:block>
            <xsl:for-each select="customer/address/line">
              <fo:block><xsl:value-of select="."/></fo:block>
            </xsl:for-each>
          </fo:table-cell>
        </fo:table-row>
      </fo:table-body>
    </fo:table>

    <xsl:call-template name="summary"/>

    <fo:block font-size="11pt" font-weight="bold" space-before="5mm" space-after="2mm" keep-with-next="always">Charges</fo:block>
    <fo:table table-layout="fixed" width="100%" font-size="7.5pt" border-collapse="collapse">
      <fo:table-column column-width="16mm"/>
      <fo:table-column column-width="22mm"/>
      <fo:table-column column-width="15mm"/>
      <fo:table-column column-width="15mm"/>
      <fo:table-column column-width="18mm"/>
      <fo:table-column column-width="21mm"/>
      <fo:table-column column-width="8mm"/>
      <fo:table-column column-width="10mm"/>
      <fo:table-column column-width="proportional-column-width(1)"/>
      <fo:table-column column-width="18mm"/>
      <fo:table-header>
        <fo:table-row font-weight="bold" border-bottom="0.6pt solid black">
          <xsl:call-template name="th"><xsl:with-param name="t">Kind</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Ref</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Site</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Cost centre</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Product</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Dates</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Days</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Qty</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Formula</xsl:with-param></xsl:call-template>
          <xsl:call-template name="th"><xsl:with-param name="t">Amount</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
        </fo:table-row>
      </fo:table-header>
      <fo:table-footer>
        <fo:table-row font-weight="bold">
          <fo:table-cell number-columns-spanned="9" border-top="0.6pt solid black" padding="0.6mm"><fo:block>Subtotal</fo:block></fo:table-cell>
          <fo:table-cell border-top="0.6pt solid black" padding="0.6mm"><fo:block text-align="end"><xsl:call-template name="money"><xsl:with-param name="cents" select="subtotal"/></xsl:call-template></fo:block></fo:table-cell>
        </fo:table-row>
      </fo:table-footer>
      <fo:table-body>
        <xsl:apply-templates select="lines/line"/>
      </fo:table-body>
    </fo:table>

    <fo:block keep-together.within-page="always">
      <fo:block font-size="11pt" font-weight="bold" space-before="5mm" space-after="2mm">Taxes</fo:block>
      <fo:table table-layout="fixed" width="100%">
        <fo:table-column column-width="proportional-column-width(1)" number-columns-repeated="5"/>
        <fo:table-header>
          <fo:table-row font-weight="bold" font-size="7.5pt">
            <xsl:call-template name="th"><xsl:with-param name="t">Jurisdiction</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">Tax</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">Base</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">Rate</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">Amount</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body>
          <xsl:for-each select="taxes/tax">
            <fo:table-row>
              <xsl:call-template name="td"><xsl:with-param name="t" select="jurisdiction"/></xsl:call-template>
              <xsl:call-template name="td"><xsl:with-param name="t" select="code"/></xsl:call-template>
              <xsl:call-template name="td-money"><xsl:with-param name="c" select="base"/></xsl:call-template>
              <fo:table-cell padding="0.6mm"><fo:block text-align="end"><xsl:call-template name="percent"><xsl:with-param name="ppm" select="rate_ppm"/></xsl:call-template></fo:block></fo:table-cell>
              <xsl:call-template name="td-money"><xsl:with-param name="c" select="amount"/></xsl:call-template>
            </fo:table-row>
          </xsl:for-each>
        </fo:table-body>
      </fo:table>
    </fo:block>

    <xsl:call-template name="summary"/>

    <xsl:apply-templates select="outstanding"/>

    <fo:block keep-together.within-page="always" space-before="10mm" border-top="1pt dashed black" padding-top="4mm">
      <fo:block font-size="11pt" font-weight="bold" space-after="2mm">Remittance — please return this part with your payment</fo:block>
      <fo:block>Customer  <xsl:value-of select="customer/@code"/> — <xsl:value-of select="customer/name"/></fo:block>
      <fo:block>Invoice number  <xsl:value-of select="number"/></fo:block>
      <fo:block>Due date  <xsl:value-of select="due_date"/></fo:block>
      <fo:block font-weight="bold">Total due  <xsl:value-of select="$cur"/><xsl:text> </xsl:text><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></fo:block>
      <fo:block>Amount enclosed  <fo:leader leader-pattern="rule" leader-length="40mm"/></fo:block>
    </fo:block>
  </xsl:template>

  <!-- The balance forward, right half of the page. -->
  <xsl:template name="summary">
    <fo:table table-layout="fixed" width="100%" space-before="4mm" keep-together.within-page="always">
      <fo:table-column column-width="40%"/>
      <fo:table-column column-width="40%"/>
      <fo:table-column column-width="20%"/>
      <fo:table-body>
        <xsl:call-template name="summary-row"><xsl:with-param name="t">Previous balance</xsl:with-param><xsl:with-param name="c" select="previous_balance"/></xsl:call-template>
        <xsl:call-template name="summary-row"><xsl:with-param name="t">Payments received</xsl:with-param><xsl:with-param name="c" select="concat('-', payments)"/></xsl:call-template>
        <xsl:call-template name="summary-row">
          <xsl:with-param name="t">Current charges (subtotal <xsl:call-template name="money"><xsl:with-param name="cents" select="subtotal"/></xsl:call-template> plus taxes)</xsl:with-param>
          <xsl:with-param name="c" select="current_charges"/>
        </xsl:call-template>
        <fo:table-row font-weight="bold" font-size="11pt">
          <fo:table-cell><fo:block/></fo:table-cell>
          <fo:table-cell border-top="0.8pt solid black"><fo:block>Total due <xsl:value-of select="$cur"/></fo:block></fo:table-cell>
          <fo:table-cell border-top="0.8pt solid black"><fo:block text-align="end"><xsl:call-template name="money"><xsl:with-param name="cents" select="total_due"/></xsl:call-template></fo:block></fo:table-cell>
        </fo:table-row>
      </fo:table-body>
    </fo:table>
  </xsl:template>

  <!-- A summary row: text T, amount of cents C. -->
  <xsl:template name="summary-row">
    <xsl:param name="t"/>
    <xsl:param name="c"/>
    <fo:table-row>
      <fo:table-cell><fo:block/></fo:table-cell>
      <fo:table-cell><fo:block><xsl:copy-of select="$t"/></fo:block></fo:table-cell>
      <fo:table-cell><fo:block text-align="end"><xsl:call-template name="money"><xsl:with-param name="cents" select="$c"/></xsl:call-template></fo:block></fo:table-cell>
    </fo:table-row>
  </xsl:template>

  <!-- A header cell with text T, aligned A (start or end). -->
  <xsl:template name="th">
    <xsl:param name="t"/>
    <xsl:param name="a" select="'start'"/>
    <fo:table-cell padding="0.6mm" border-bottom="0.6pt solid black"><fo:block text-align="{$a}"><xsl:value-of select="$t"/></fo:block></fo:table-cell>
  </xsl:template>

  <!-- A body cell with text T. -->
  <xsl:template name="td">
    <xsl:param name="t"/>
    <fo:table-cell padding="0.6mm"><fo:block><xsl:value-of select="$t"/></fo:block></fo:table-cell>
  </xsl:template>

  <!-- A body cell with the amount of cents C, right-aligned. -->
  <xsl:template name="td-money">
    <xsl:param name="c"/>
    <fo:table-cell padding="0.6mm"><fo:block text-align="end"><xsl:call-template name="money"><xsl:with-param name="cents" select="$c"/></xsl:call-template></fo:block></fo:table-cell>
  </xsl:template>

  <!-- One charge line; every other row shaded. -->
  <xsl:template match="line">
    <fo:table-row keep-together.within-page="always">
      <xsl:if test="position() mod 2 = 0">
        <xsl:attribute name="background-color">#f2f2f2</xsl:attribute>
      </xsl:if>
      <fo:table-cell padding="0.6mm"><fo:block><xsl:call-template name="kind-name"/><xsl:if test="@correction_of"> (correction of <xsl:value-of select="@correction_of"/>)</xsl:if></fo:block></fo:table-cell>
      <fo:table-cell padding="0.6mm"><fo:block><xsl:value-of select="ref"/></fo:block><xsl:if test="order"><fo:block><xsl:value-of select="order"/>/<xsl:value-of select="order_line"/></fo:block></xsl:if></fo:table-cell>
      <xsl:call-template name="td"><xsl:with-param name="t" select="site"/></xsl:call-template>
      <xsl:call-template name="td"><xsl:with-param name="t" select="cost_centre"/></xsl:call-template>
      <xsl:call-template name="td"><xsl:with-param name="t" select="product"/></xsl:call-template>
      <fo:table-cell padding="0.6mm"><fo:block><xsl:value-of select="from"/><xsl:if test="to != from"> –</xsl:if></fo:block><xsl:if test="to != from"><fo:block><xsl:value-of select="to"/></fo:block></xsl:if></fo:table-cell>
      <fo:table-cell padding="0.6mm"><fo:block text-align="end"><xsl:value-of select="days"/></fo:block></fo:table-cell>
      <fo:table-cell padding="0.6mm"><fo:block text-align="end"><xsl:value-of select="quantity"/></fo:block></fo:table-cell>
      <xsl:call-template name="td"><xsl:with-param name="t" select="formula"/></xsl:call-template>
      <xsl:call-template name="td-money"><xsl:with-param name="c" select="amount"/></xsl:call-template>
    </fo:table-row>
  </xsl:template>

  <!-- The earlier invoices with something left, and the aging buckets. -->
  <xsl:template match="outstanding">
    <fo:block keep-together.within-page="always">
      <fo:block font-size="11pt" font-weight="bold" space-before="5mm" space-after="2mm">Outstanding earlier invoices</fo:block>
      <xsl:if test="invoice">
        <fo:table table-layout="fixed" width="100%">
          <fo:table-column column-width="proportional-column-width(1)" number-columns-repeated="6"/>
          <fo:table-header>
            <fo:table-row font-weight="bold" font-size="7.5pt">
              <xsl:call-template name="th"><xsl:with-param name="t">Invoice</xsl:with-param></xsl:call-template>
              <xsl:call-template name="th"><xsl:with-param name="t">Period</xsl:with-param></xsl:call-template>
              <xsl:call-template name="th"><xsl:with-param name="t">Due date</xsl:with-param></xsl:call-template>
              <xsl:call-template name="th"><xsl:with-param name="t">Days past due</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
              <xsl:call-template name="th"><xsl:with-param name="t">Bucket</xsl:with-param></xsl:call-template>
              <xsl:call-template name="th"><xsl:with-param name="t">Amount left</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            </fo:table-row>
          </fo:table-header>
          <fo:table-body>
            <xsl:for-each select="invoice">
              <fo:table-row>
                <xsl:call-template name="td"><xsl:with-param name="t" select="number"/></xsl:call-template>
                <xsl:call-template name="td"><xsl:with-param name="t" select="period"/></xsl:call-template>
                <xsl:call-template name="td"><xsl:with-param name="t" select="due_date"/></xsl:call-template>
                <fo:table-cell padding="0.6mm"><fo:block text-align="end"><xsl:value-of select="days_past_due"/></fo:block></fo:table-cell>
                <xsl:call-template name="td"><xsl:with-param name="t" select="bucket"/></xsl:call-template>
                <xsl:call-template name="td-money"><xsl:with-param name="c" select="amount"/></xsl:call-template>
              </fo:table-row>
            </xsl:for-each>
          </fo:table-body>
        </fo:table>
      </xsl:if>
      <fo:block font-size="11pt" font-weight="bold" space-before="5mm" space-after="2mm">Aging</fo:block>
      <fo:table table-layout="fixed" width="100%">
        <fo:table-column column-width="proportional-column-width(1)" number-columns-repeated="5"/>
        <fo:table-header>
          <fo:table-row font-weight="bold" font-size="7.5pt">
            <xsl:call-template name="th"><xsl:with-param name="t">Not yet due</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">1–30 days</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">31–60 days</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">61–90 days</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
            <xsl:call-template name="th"><xsl:with-param name="t">Over 90 days</xsl:with-param><xsl:with-param name="a">end</xsl:with-param></xsl:call-template>
          </fo:table-row>
        </fo:table-header>
        <fo:table-body>
          <fo:table-row>
            <xsl:for-each select="aging/not_yet_due | aging/days_1_30 | aging/days_31_60 | aging/days_61_90 | aging/over_90">
              <xsl:call-template name="td-money"><xsl:with-param name="c" select="."/></xsl:call-template>
            </xsl:for-each>
          </fo:table-row>
        </fo:table-body>
      </fo:table>
    </fo:block>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  adjustments-new.xsl: the form of an adjustment or credit
  (/adjustments/new).  A customer picker (GET); once a customer is
  chosen, the form: date, signed amount (a credit is negative, at most
  2 decimals), description (printed on the invoice), taxable, an
  optional site and cost centre of that customer, and the reason
  (required, kept in the audit log).  A refused value comes back as
  form/message with the values typed.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="form"/>
  </xsl:template>

  <xsl:template match="form">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="filter" method="get" action="{@action}" aria-label="Choose the customer">
      <div class="field">
        <label for="a-pick">Customer</label>
        <select id="a-pick" name="customer">
          <option value="">Choose…</option>
          <xsl:apply-templates select="customers/option"/>
        </select>
      </div>
      <div class="actions">
        <button type="submit">Choose</button>
      </div>
    </form>
    <xsl:if test="customer">
      <form class="edit adjustment" method="post" action="{@action}">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <input type="hidden" name="customer" value="{customer/@id}"/>
        <p class="lede">
          <xsl:text>Customer </xsl:text>
          <strong><xsl:value-of select="customer/@code"/><xsl:text> </xsl:text><xsl:value-of select="customer/@name"/></strong>
        </p>
        <div class="field">
          <label for="a-date">Date</label>
          <input id="a-date" type="date" name="date" value="{@date}" required="required"/>
        </div>
        <div class="field">
          <label for="a-amount">Amount (negative for a credit)</label>
          <input id="a-amount" type="text" name="amount" value="{@amount}"
            inputmode="decimal" required="required" maxlength="32"/>
        </div>
        <div class="field">
          <label for="a-desc">Description</label>
          <input id="a-desc" type="text" name="description" value="{description}"
            required="required" maxlength="200"/>
        </div>
        <div class="field">
          <label for="a-taxable">Taxable</label>
          <select id="a-taxable" name="taxable">
            <option value="1">
              <xsl:if test="@taxable = 'yes'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:text>Yes</xsl:text>
            </option>
            <option value="0">
              <xsl:if test="@taxable = 'no'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:text>No</xsl:text>
            </option>
          </select>
        </div>
        <div class="field">
          <label for="a-site">Site (optional)</label>
          <select id="a-site" name="site">
            <option value="">None</option>
            <xsl:apply-templates select="sites/option"/>
          </select>
        </div>
        <div class="field">
          <label for="a-cc">Cost centre (optional)</label>
          <select id="a-cc" name="cc">
            <option value="">None</option>
            <xsl:apply-templates select="costcentres/option"/>
          </select>
        </div>
        <div class="field">
          <label for="a-reason">Reason</label>
          <input id="a-reason" type="text" name="reason" value="{reason}"
            required="required" maxlength="200"/>
        </div>
        <div class="actions">
          <button type="submit">Record adjustment</button>
        </div>
      </form>
    </xsl:if>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  order-line.xsl: the inputs of one order line, shared by the new-order
  form (order-new.xsl, form/line) and the add-line form of a draft
  (order.xsl, order/lineform).

  Input: an element with the choices of docs/views.md "Line forms":
  actions, assets (in service at the site), products, costcentres,
  sites (each a list of <option value label [selected]/>), @override
  ("yes" for the vendor and the administrator, who may override a fee)
  and <value/> with what was typed when the form is shown again.
  Output: the fields, named as the server's request fields: action,
  asset (the asset acted on; for an add-on its parent), product, cc,
  ports, number, extension, mailbox, serial, tag, and fee and reason
  when @override is "yes".  Which fields an action needs is said in
  the hints; the server decides.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template match="*" mode="line-fields">
    <xsl:param name="id" select="'l'"/>
    <xsl:param name="site" select="'no'"/>
    <div class="field">
      <label for="{$id}-action">Action</label>
      <select id="{$id}-action" name="action" required="required">
        <xsl:apply-templates select="actions/option" mode="line-option"/>
      </select>
    </div>
    <div class="field">
      <label for="{$id}-asset">Asset</label>
      <select id="{$id}-asset" name="asset" aria-describedby="{$id}-asset-hint">
        <option value="">— none (a new asset) —</option>
        <xsl:apply-templates select="assets/option" mode="line-option"/>
      </select>
      <p class="hint" id="{$id}-asset-hint">The asset moved, changed or disconnected; for an add-on, the asset it goes on.</p>
    </div>
    <div class="field">
      <label for="{$id}-product">Product</label>
      <select id="{$id}-product" name="product">
        <option value="">— unchanged —</option>
        <xsl:apply-templates select="products/option" mode="line-option"/>
      </select>
    </div>
    <div class="field">
      <label for="{$id}-cc">Cost centre</label>
      <select id="{$id}-cc" name="cc">
        <option value="">— unchanged —</option>
        <xsl:apply-templates select="costcentres/option" mode="line-option"/>
      </select>
    </div>
    <xsl:if test="$site = 'yes'">
      <div class="field">
        <label for="{$id}-site">Site</label>
        <select id="{$id}-site" name="site" aria-describedby="{$id}-site-hint">
          <option value="">— the order's —</option>
          <xsl:apply-templates select="sites/option" mode="line-option"/>
        </select>
        <p class="hint" id="{$id}-site-hint">For a move, the site it goes to; for an add, where it is installed.</p>
      </div>
    </xsl:if>
    <div class="field">
      <label for="{$id}-ports">Ports</label>
      <input id="{$id}-ports" type="number" name="ports" min="0" max="100000"
        value="{value/@ports}"/>
    </div>
    <div class="field">
      <label for="{$id}-number">Number</label>
      <input id="{$id}-number" type="text" name="number" maxlength="32"
        value="{value/@number}" autocomplete="off"/>
    </div>
    <div class="field">
      <label for="{$id}-extension">Extension</label>
      <input id="{$id}-extension" type="text" name="extension" maxlength="16"
        value="{value/@extension}" autocomplete="off"/>
    </div>
    <div class="field">
      <label for="{$id}-mailbox">Mailbox</label>
      <input id="{$id}-mailbox" type="text" name="mailbox" maxlength="16"
        value="{value/@mailbox}" autocomplete="off"/>
    </div>
    <div class="field">
      <label for="{$id}-serial">Serial</label>
      <input id="{$id}-serial" type="text" name="serial" maxlength="64"
        value="{value/@serial}" autocomplete="off"/>
    </div>
    <div class="field">
      <label for="{$id}-tag">Tag</label>
      <input id="{$id}-tag" type="text" name="tag" maxlength="40"
        value="{value/@tag}" autocomplete="off" aria-describedby="{$id}-tag-hint"/>
      <p class="hint" id="{$id}-tag-hint">A new asset's tag; empty: one from the series.</p>
    </div>
    <xsl:if test="@override = 'yes'">
      <div class="field">
        <label for="{$id}-fee">Fee override</label>
        <input id="{$id}-fee" type="text" name="fee" maxlength="16"
          inputmode="decimal" pattern="[0-9]+([.][0-9]{{1,2}})?"
          autocomplete="off">
          <xsl:if test="value/@fee">
            <xsl:attribute name="value">
              <xsl:call-template name="money">
                <xsl:with-param name="cents" select="value/@fee"/>
                <xsl:with-param name="group" select="'no'"/>
              </xsl:call-template>
            </xsl:attribute>
          </xsl:if>
        </input>
      </div>
      <div class="field">
        <label for="{$id}-reason">Reason for the override</label>
        <input id="{$id}-reason" type="text" name="reason" maxlength="200"
          value="{value/@reason}" autocomplete="off"/>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="option" mode="line-option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>

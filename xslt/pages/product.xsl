<?xml version="1.0" encoding="UTF-8"?>
<!--
  product.xsl: one product of the catalog (/catalog/{id}).

  Input: the "product" view document: product with its prices (newest
  first, the one in effect on product/@date marked current="yes"), its
  usage prices with their tiers (rates in millionths of the currency a
  unit), the fees that apply to it (its own and the any-product ones,
  the one charged today for each action marked applies="yes"), and the
  contract prices the user may see (a customer user: its own; each
  customer's one in effect marked current="yes").  For a customer user
  product/@your-cents is what it pays a month today (@your-contract
  "yes" when that is its contract price).  Vendor and admin users
  (product/@edit = "yes") get a form for each kind of price; a refused
  one comes back with why in product/message (its @form names which)
  and the typed values in product/form.

  Amounts are formatted here from integer cents, rates from integer
  millionths; nothing is added up or chosen here.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="product"/>
  </xsl:template>

  <!-- Cents as "1,234.56", and rates: order-money.xsl, which splits
       the digits (no floating point touches an amount). -->


  <xsl:template match="product">
    <p class="lede">
      <strong><xsl:value-of select="@name"/></strong>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="@type"/>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="@charge-label"/>
      <xsl:if test="string(@unit)">
        <xsl:text> · usage by </xsl:text>
        <xsl:value-of select="@unit"/>
      </xsl:if>
      <xsl:text> · </xsl:text>
      <xsl:value-of select="@min-ports"/>
      <xsl:text> to </xsl:text>
      <xsl:value-of select="@max-ports"/>
      <xsl:text> ports</xsl:text>
      <xsl:if test="@assets">
        <xsl:text> · </xsl:text>
        <xsl:value-of select="@assets"/>
        <xsl:text> assets</xsl:text>
      </xsl:if>
    </p>
    <xsl:if test="@your-cents">
      <p class="summary">
        <xsl:text>Your monthly price on </xsl:text>
        <xsl:value-of select="@date"/>
        <xsl:text>: </xsl:text>
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="@your-cents"/>
        </xsl:call-template>
        <xsl:if test="@your-contract = 'yes'">
          <xsl:text> </xsl:text>
          <span class="st s-active">contract</span>
        </xsl:if>
      </p>
    </xsl:if>
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <xsl:apply-templates select="prices"/>
    <xsl:apply-templates select="usage-prices"/>
    <xsl:apply-templates select="fees"/>
    <xsl:apply-templates select="contracts"/>
    <xsl:if test="@edit = 'yes'">
      <div class="forms">
        <xsl:apply-templates select="." mode="price-form"/>
        <xsl:apply-templates select="." mode="fee-form"/>
        <xsl:apply-templates select="." mode="contract-form"/>
        <xsl:apply-templates select="." mode="usage-form"/>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- "in effect" for a row the server marked. -->
  <xsl:template name="mark">
    <xsl:param name="on"/>
    <xsl:choose>
      <xsl:when test="$on = 'yes'"><span class="st s-active">in effect</span></xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="prices">
    <section aria-labelledby="h-prices">
      <h2 id="h-prices">Monthly prices</h2>
      <xsl:choose>
        <xsl:when test="price">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Valid from</th>
                <th scope="col" class="num">Monthly</th>
                <th scope="col">Today</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="price">
                <tr>
                  <td><xsl:value-of select="@valid-from"/></td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@monthly-cents"/>
                    </xsl:call-template>
                  </td>
                  <td>
                    <xsl:call-template name="mark">
                      <xsl:with-param name="on" select="@current"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No monthly price yet.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="usage-prices">
    <section aria-labelledby="h-usage">
      <h2 id="h-usage">Usage prices</h2>
      <xsl:choose>
        <xsl:when test="usage">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Valid from</th>
                <th scope="col">Unit</th>
                <th scope="col" class="num">Included a month</th>
                <th scope="col">Tiers (from units: rate a unit)</th>
                <th scope="col">Today</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="usage">
                <tr>
                  <td><xsl:value-of select="@valid-from"/></td>
                  <td><xsl:value-of select="@unit"/></td>
                  <td class="num"><xsl:value-of select="@included"/></td>
                  <td>
                    <xsl:for-each select="tier">
                      <xsl:if test="position() &gt; 1">; </xsl:if>
                      <xsl:value-of select="@from"/>
                      <xsl:text>: </xsl:text>
                      <xsl:call-template name="rate">
                        <xsl:with-param name="micros" select="@rate-micros"/>
                      </xsl:call-template>
                    </xsl:for-each>
                    <xsl:text> </xsl:text>
                  </td>
                  <td>
                    <xsl:call-template name="mark">
                      <xsl:with-param name="on" select="@current"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No usage price.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="fees">
    <section aria-labelledby="h-fees">
      <h2 id="h-fees">One-time fees</h2>
      <xsl:choose>
        <xsl:when test="fee">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">For</th>
                <th scope="col">Valid from</th>
                <th scope="col" class="num">Amount</th>
                <th scope="col">Today</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="fee">
                <tr>
                  <td><xsl:value-of select="@action-label"/></td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@any = 'yes'">any product</xsl:when>
                      <xsl:otherwise><xsl:value-of select="@product"/></xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td><xsl:value-of select="@valid-from"/></td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@amount-cents"/>
                    </xsl:call-template>
                  </td>
                  <td>
                    <xsl:call-template name="mark">
                      <xsl:with-param name="on" select="@applies"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No one-time fee applies.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="contracts">
    <section aria-labelledby="h-contracts">
      <h2 id="h-contracts">Contract prices</h2>
      <xsl:choose>
        <xsl:when test="contract">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Valid from</th>
                <th scope="col">Valid to (excluded)</th>
                <th scope="col" class="num">Monthly</th>
                <th scope="col">Today</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="contract">
                <tr>
                  <td><xsl:value-of select="@customer"/></td>
                  <td><xsl:value-of select="@valid-from"/></td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@valid-to"><xsl:value-of select="@valid-to"/></xsl:when>
                      <xsl:otherwise>open</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@monthly-cents"/>
                    </xsl:call-template>
                  </td>
                  <td>
                    <xsl:call-template name="mark">
                      <xsl:with-param name="on" select="@current"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No contract price.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- The date a form's price is valid from. -->
  <xsl:template name="from-field">
    <xsl:param name="id"/>
    <xsl:param name="value"/>
    <div class="field">
      <label for="{$id}">Valid from</label>
      <input id="{$id}" type="date" name="valid_from" value="{$value}"
        required="required"/>
    </div>
  </xsl:template>

  <xsl:template match="product" mode="price-form">
    <section class="card" aria-labelledby="h-new-price">
      <h2 id="h-new-price">New monthly price</h2>
      <form class="edit" method="post" action="{@action}/prices">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <xsl:call-template name="from-field">
          <xsl:with-param name="id">pr-from</xsl:with-param>
          <xsl:with-param name="value" select="form[@for = 'price']/@valid_from"/>
        </xsl:call-template>
        <div class="field">
          <label for="pr-monthly">Monthly</label>
          <input id="pr-monthly" type="text" name="monthly" inputmode="decimal"
            value="{form[@for = 'price']/@monthly}" required="required"
            pattern="[0-9][0-9,]*(\.[0-9]{{1,2}})?" autocomplete="off"/>
        </div>
        <div class="actions">
          <button type="submit">Add price</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="product" mode="fee-form">
    <section class="card" aria-labelledby="h-new-fee">
      <h2 id="h-new-fee">New one-time fee</h2>
      <form class="edit" method="post" action="{@action}/fees">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <div class="field">
          <label for="fe-action">Action</label>
          <select id="fe-action" name="action" required="required">
            <xsl:apply-templates select="actions/option"/>
          </select>
        </div>
        <div class="field">
          <label for="fe-product">For</label>
          <select id="fe-product" name="product_code">
            <option value="{@code}">this product (<xsl:value-of select="@code"/>)</option>
            <option value="">
              <xsl:if test="form[@for = 'fee'] and not(form[@for = 'fee']/@product)">
                <xsl:attribute name="selected">selected</xsl:attribute>
              </xsl:if>
              <xsl:text>any product</xsl:text>
            </option>
          </select>
        </div>
        <xsl:call-template name="from-field">
          <xsl:with-param name="id">fe-from</xsl:with-param>
          <xsl:with-param name="value" select="form[@for = 'fee']/@valid_from"/>
        </xsl:call-template>
        <div class="field">
          <label for="fe-amount">Amount</label>
          <input id="fe-amount" type="text" name="amount" inputmode="decimal"
            value="{form[@for = 'fee']/@amount}" required="required"
            pattern="[0-9][0-9,]*(\.[0-9]{{1,2}})?" autocomplete="off"/>
        </div>
        <div class="actions">
          <button type="submit">Add fee</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="product" mode="contract-form">
    <section class="card" aria-labelledby="h-new-contract">
      <h2 id="h-new-contract">New contract price</h2>
      <form class="edit" method="post" action="{@action}/contracts">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <div class="field">
          <label for="co-customer">Customer</label>
          <select id="co-customer" name="customer">
            <option value="">— by code below —</option>
            <xsl:apply-templates select="customers/option"/>
          </select>
        </div>
        <div class="field">
          <label for="co-code">or customer code</label>
          <input id="co-code" type="text" name="customer_code" maxlength="32"
            value="{form[@for = 'contract']/@customer_code}" autocomplete="off"/>
        </div>
        <xsl:call-template name="from-field">
          <xsl:with-param name="id">co-from</xsl:with-param>
          <xsl:with-param name="value" select="form[@for = 'contract']/@valid_from"/>
        </xsl:call-template>
        <div class="field">
          <label for="co-to">Valid to (excluded)</label>
          <input id="co-to" type="date" name="valid_to"
            value="{form[@for = 'contract']/@valid_to}" aria-describedby="co-to-hint"/>
          <p class="hint" id="co-to-hint">Empty: open-ended.</p>
        </div>
        <div class="field">
          <label for="co-monthly">Monthly</label>
          <input id="co-monthly" type="text" name="monthly" inputmode="decimal"
            value="{form[@for = 'contract']/@monthly}" required="required"
            pattern="[0-9][0-9,]*(\.[0-9]{{1,2}})?" autocomplete="off"/>
        </div>
        <div class="actions">
          <button type="submit">Add contract price</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="product" mode="usage-form">
    <section class="card" aria-labelledby="h-new-usage">
      <h2 id="h-new-usage">New usage price</h2>
      <form class="edit" method="post" action="{@action}/usage">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <xsl:call-template name="from-field">
          <xsl:with-param name="id">us-from</xsl:with-param>
          <xsl:with-param name="value" select="form[@for = 'usage']/@valid_from"/>
        </xsl:call-template>
        <div class="field">
          <label for="us-unit">Unit</label>
          <input id="us-unit" type="text" name="unit" maxlength="16"
            autocomplete="off">
            <xsl:attribute name="value">
              <xsl:choose>
                <xsl:when test="form[@for = 'usage']/@unit"><xsl:value-of select="form[@for = 'usage']/@unit"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@unit"/></xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
          </input>
        </div>
        <div class="field">
          <label for="us-included">Included a month</label>
          <input id="us-included" type="number" name="included" min="0"
            value="{form[@for = 'usage']/@included}"/>
        </div>
        <div class="field">
          <label for="us-tiers">Tiers</label>
          <input id="us-tiers" type="text" name="tiers" maxlength="2000"
            value="{form[@for = 'usage']/@tiers}" required="required"
            autocomplete="off" spellcheck="false" aria-describedby="us-tiers-hint"/>
          <p class="hint" id="us-tiers-hint">from:rate a unit, separated by ';', the first from 0: 0:0.0350;1000:0.0300</p>
        </div>
        <div class="actions">
          <button type="submit">Add usage price</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  catalog.xsl: the product catalog (/catalog).

  Input: the "catalog" view document: catalog/product, one a product,
  with its monthly price in effect on catalog/@date in integer cents
  (@monthly-cents, absent when there is none; @contract="yes" when it
  is the customer user's contract price), and for vendor and admin
  users (catalog/@edit = "yes") the new-product form (new-product, with
  its options, the typed values of a refused form in new-product/form
  and why in new-product/message).

  Amounts are formatted here from integer cents; nothing is added up or
  chosen here: the server decides which price is in effect.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="catalog"/>
    <xsl:apply-templates select="new-product"/>
  </xsl:template>

  <!-- Cents as "1,234.56", and rates: order-money.xsl, which splits
       the digits (no floating point touches an amount). -->

  <xsl:template match="catalog">
    <div class="bar">
      <p class="summary">
        <xsl:value-of select="@count"/>
        <xsl:text> product</xsl:text>
        <xsl:if test="@count != 1">s</xsl:if>
        <xsl:text>, prices in effect on </xsl:text>
        <xsl:value-of select="@date"/>
      </p>
    </div>
    <xsl:choose>
      <xsl:when test="product">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data catalog">
            <caption id="caption" class="vh">Products</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Charge</th>
                <th scope="col">Usage unit</th>
                <th scope="col" class="num">Monthly</th>
                <xsl:if test="@customer = 'no'">
                  <th scope="col" class="num">Assets</th>
                </xsl:if>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="product">
                <tr>
                  <td><a href="{@href}"><xsl:value-of select="@code"/></a></td>
                  <td><xsl:value-of select="@name"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@type"/></td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@charge = 'per_port'">per port</xsl:when>
                      <xsl:otherwise>flat</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td><xsl:value-of select="@unit"/><xsl:text> </xsl:text></td>
                  <td class="num">
                    <xsl:choose>
                      <xsl:when test="@monthly-cents">
                        <xsl:call-template name="money">
                          <xsl:with-param name="cents" select="@monthly-cents"/>
                        </xsl:call-template>
                        <xsl:if test="@contract = 'yes'">
                          <xsl:text> </xsl:text>
                          <span class="st s-active">contract</span>
                        </xsl:if>
                      </xsl:when>
                      <xsl:otherwise>—</xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <xsl:if test="../@customer = 'no'">
                    <td class="num"><xsl:value-of select="@assets"/></td>
                  </xsl:if>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">The catalog has no products yet.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!--
    A new product, or new values for the product of a known code.  The
    checks written into the inputs are the server's (src/domain/
    catalog.c), repeated for the browser; the server checks again.
  -->
  <xsl:template match="new-product">
    <section class="card" aria-labelledby="h-new">
      <h2 id="h-new">New product</h2>
      <xsl:if test="string(message)">
        <p class="alert" role="alert"><xsl:value-of select="message"/></p>
      </xsl:if>
      <form class="edit" method="post" action="{@action}">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <div class="field">
          <label for="p-code">Code</label>
          <input id="p-code" type="text" name="code" value="{form/@code}"
            maxlength="32" required="required" pattern="[!-~]{{1,32}}"
            autocomplete="off" spellcheck="false" aria-describedby="p-code-hint"/>
          <p class="hint" id="p-code-hint">Up to 32 characters without spaces. The code of an existing product updates it.</p>
        </div>
        <div class="field">
          <label for="p-name">Name</label>
          <input id="p-name" type="text" name="name" value="{form/@name}"
            maxlength="200" required="required" autocomplete="off"/>
        </div>
        <div class="field">
          <label for="p-type">Asset type</label>
          <select id="p-type" name="asset_type" required="required">
            <xsl:apply-templates select="types/option"/>
          </select>
        </div>
        <div class="field">
          <label for="p-charge">Charge</label>
          <select id="p-charge" name="charge" required="required">
            <xsl:apply-templates select="charges/option"/>
          </select>
        </div>
        <div class="field">
          <label for="p-unit">Usage unit</label>
          <input id="p-unit" type="text" name="unit" value="{form/@unit}"
            maxlength="16" autocomplete="off" aria-describedby="p-unit-hint"/>
          <p class="hint" id="p-unit-hint">minute, message, GB; empty when the product has no usage.</p>
        </div>
        <div class="field">
          <label for="p-min">Ports, at least</label>
          <input id="p-min" type="number" name="min_ports" min="0"
            max="1000000" value="{form/@min_ports}"/>
        </div>
        <div class="field">
          <label for="p-max">Ports, at most</label>
          <input id="p-max" type="number" name="max_ports" min="0"
            max="1000000" value="{form/@max_ports}"/>
        </div>
        <div class="actions">
          <button type="submit">Save product</button>
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

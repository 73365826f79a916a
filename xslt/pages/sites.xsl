<?xml version="1.0" encoding="UTF-8"?>
<!--
  sites.xsl: the sites of one customer (/customers/{id}).

  Input: the "sites" view document of docs/views.md.  Output: one table
  row a site, each name linking to the site's asset query, and a totals
  row whose figures the server computed (stylesheets never add up
  numbers).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <p class="lede">
      <xsl:text>Customer code </xsl:text>
      <xsl:value-of select="customer/@code"/>
      <xsl:if test="session/may/invoices">
        <xsl:text> · </xsl:text>
        <a href="/invoices?customer={customer/@id}">Invoices</a>
        <xsl:text> · </xsl:text>
        <a href="/customers/{customer/@id}/statement">Account statement</a>
      </xsl:if>
    </p>
    <xsl:apply-templates select="sites"/>
    <xsl:apply-templates select="distribution"/>
  </xsl:template>

  <!-- Where the customer's Summary Invoice and Billing Report go after
       a billing run (billing users only: the server adds
       <distribution> for them): the delivery method and the billing
       contacts, with their forms. -->
  <xsl:template match="distribution">
    <xsl:variable name="base" select="concat('/customers/', ../customer/@id)"/>
    <section aria-labelledby="h-distribution">
      <h2 id="h-distribution">Invoice delivery</h2>
      <form class="edit delivery" method="post" action="{$base}/delivery">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <label for="method">Documents go</label>
        <select id="method" name="method">
          <option value="mail">
            <xsl:if test="@method = 'mail'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:text>by mail to the billing contacts</xsl:text>
          </option>
          <option value="drop">
            <xsl:if test="@method = 'drop'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:text>by XML file drop</xsl:text>
          </option>
          <option value="none">
            <xsl:if test="@method = 'none'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:text>nowhere (fetched from the pages)</xsl:text>
          </option>
        </select>
        <label for="system">File drop system</label>
        <input id="system" name="system" type="text" maxlength="31" value="{@system}"/>
        <div class="actions"><button type="submit">Save</button></div>
      </form>
      <xsl:choose>
        <xsl:when test="contact">
          <table class="data contacts">
            <caption>Billing contacts</caption>
            <thead>
              <tr><th scope="col">Address</th><th scope="col">Name</th><th scope="col"><span class="vh">Remove</span></th></tr>
            </thead>
            <tbody>
              <xsl:for-each select="contact">
                <tr>
                  <td><xsl:value-of select="@email"/></td>
                  <td><xsl:value-of select="@name"/><xsl:text> </xsl:text></td>
                  <td>
                    <form method="post" action="{$base}/contacts/remove">
                      <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
                      <input type="hidden" name="email" value="{@email}"/>
                      <button type="submit">Remove</button>
                    </form>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No billing contacts: invoices are not mailed.</p>
        </xsl:otherwise>
      </xsl:choose>
      <form class="edit contact" method="post" action="{$base}/contacts">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <label for="email">Address</label>
        <input id="email" name="email" type="email" maxlength="254" required="required"/>
        <label for="name">Name</label>
        <input id="name" name="name" type="text" maxlength="100"/>
        <div class="actions"><button type="submit">Add contact</button></div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="sites">
    <xsl:choose>
      <xsl:when test="site">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data">
            <caption id="caption" class="vh">
              <xsl:value-of select="../@title"/>
            </caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">Address</th>
                <th scope="col">City</th>
                <th scope="col">Region</th>
                <th scope="col">Postcode</th>
                <th scope="col" class="num">Assets</th>
                <th scope="col" class="num">Ports</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="site">
                <tr>
                  <td><xsl:value-of select="@code"/><xsl:text> </xsl:text></td>
                  <td><a href="/sites/{@id}/assets"><xsl:value-of select="@name"/><xsl:text> </xsl:text></a></td>
                  <td><xsl:value-of select="@address"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@city"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@region"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@postcode"/><xsl:text> </xsl:text></td>
                  <td class="num"><xsl:value-of select="@assets"/></td>
                  <td class="num"><xsl:value-of select="@ports"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan="6">
                  <xsl:text>Total: </xsl:text>
                  <xsl:value-of select="@count"/>
                  <xsl:text> site</xsl:text>
                  <xsl:if test="@count != 1">s</xsl:if>
                </th>
                <td class="num"><xsl:value-of select="@assets"/></td>
                <td class="num"><xsl:value-of select="@ports"/></td>
              </tr>
            </tfoot>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">This customer has no sites yet.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

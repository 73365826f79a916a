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

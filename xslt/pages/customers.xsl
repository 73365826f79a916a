<?xml version="1.0" encoding="UTF-8"?>
<!--
  customers.xsl: the customer list (/customers).

  Input: the "customers" view document of docs/views.md.  Output: one
  table row a customer, each name linking to the customer's sites, and
  a totals row whose figures the server computed (stylesheets never add
  up numbers).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="customers"/>
  </xsl:template>

  <xsl:template match="customers">
    <xsl:choose>
      <xsl:when test="customer">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data">
            <caption id="caption" class="vh">Customers</caption>
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col" class="num">Sites</th>
                <th scope="col" class="num">Assets</th>
                <th scope="col" class="num">Ports</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="customer">
                <tr>
                  <td><xsl:value-of select="@code"/><xsl:text> </xsl:text></td>
                  <td><a href="/customers/{@id}"><xsl:value-of select="@name"/><xsl:text> </xsl:text></a></td>
                  <td class="num"><xsl:value-of select="@sites"/></td>
                  <td class="num"><xsl:value-of select="@assets"/></td>
                  <td class="num"><xsl:value-of select="@ports"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan="2">
                  <xsl:text>Total: </xsl:text>
                  <xsl:value-of select="@count"/>
                  <xsl:text> customer</xsl:text>
                  <xsl:if test="@count != 1">s</xsl:if>
                </th>
                <td class="num"><xsl:value-of select="@sites"/></td>
                <td class="num"><xsl:value-of select="@assets"/></td>
                <td class="num"><xsl:value-of select="@ports"/></td>
              </tr>
            </tfoot>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">There are no customers yet.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

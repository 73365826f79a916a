<?xml version="1.0" encoding="UTF-8"?>
<!--
  asset.xsl: one asset (/assets/{id}).

  Input: the "asset" view document of docs/views.md.  Output: the
  asset's facts as a description list (tag, type, product, identifiers,
  status, where it sits, its parent), its states newest first with the
  site, cost centre and product codes and the order that caused each,
  and its add-ons.  Nothing is computed here: the server gives every
  date and label.  An empty state (two changes on one day) is marked as
  such.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="asset"/>
    <h2 id="h-states">History</h2>
    <xsl:apply-templates select="states"/>
    <h2 id="h-addons">Add-ons</h2>
    <xsl:apply-templates select="addons"/>
    <p class="export">
      <xsl:text>Export </xsl:text>
      <a href="/assets/{asset/@id}?format=xml" type="application/xml">XML</a>
    </p>
  </xsl:template>

  <!-- The asset's facts. -->
  <xsl:template match="asset">
    <dl class="facts">
      <dt>Tag</dt>
      <dd><xsl:value-of select="@tag"/></dd>
      <dt>Type</dt>
      <dd><xsl:value-of select="@type-label"/></dd>
      <dt>Product</dt>
      <dd>
        <xsl:value-of select="@product"/>
        <xsl:text> (</xsl:text>
        <xsl:value-of select="@product-code"/>
        <xsl:text>)</xsl:text>
      </dd>
      <dt>Status</dt>
      <dd class="st s-{@status}"><xsl:value-of select="@status-label"/></dd>
      <dt>Site</dt>
      <dd>
        <a href="/sites/{../site/@id}/assets">
          <xsl:value-of select="../site/@code"/>
          <xsl:text> </xsl:text>
          <xsl:value-of select="../site/@name"/>
        </a>
      </dd>
      <dt>Cost centre</dt>
      <dd>
        <xsl:value-of select="@cc"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="@cc-name"/>
      </dd>
      <dt>Ports</dt>
      <dd><xsl:value-of select="@ports"/></dd>
      <xsl:apply-templates select="@number | @extension | @mailbox | @serial"
        mode="fact"/>
      <dt>Installed</dt>
      <dd><xsl:value-of select="@installed"/></dd>
      <xsl:if test="@removed">
        <dt>Removed</dt>
        <dd><xsl:value-of select="@removed"/></dd>
      </xsl:if>
      <xsl:if test="../parent">
        <dt>Add-on of</dt>
        <dd>
          <a href="/assets/{../parent/@id}">
            <xsl:value-of select="../parent/@tag"/>
          </a>
        </dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <!-- An identifier the asset has, with its label. -->
  <xsl:template match="@*" mode="fact">
    <dt>
      <xsl:choose>
        <xsl:when test="name() = 'number'">Telephone number</xsl:when>
        <xsl:when test="name() = 'extension'">Extension</xsl:when>
        <xsl:when test="name() = 'mailbox'">Mailbox</xsl:when>
        <xsl:otherwise>Serial</xsl:otherwise>
      </xsl:choose>
    </dt>
    <dd><xsl:value-of select="."/></dd>
  </xsl:template>

  <!-- The states, newest first, as the server sends them. -->
  <xsl:template match="states">
    <xsl:choose>
      <xsl:when test="state">
        <div class="table-wrap" role="region" aria-labelledby="h-states"
          tabindex="0">
          <table class="data states">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Site</th>
                <th scope="col">Cost centre</th>
                <th scope="col">Product</th>
                <th scope="col" class="num">Ports</th>
                <th scope="col">Status</th>
                <th scope="col">Identifiers</th>
                <th scope="col">Order</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="state">
                <tr>
                  <td><xsl:value-of select="@from"/></td>
                  <td>
                    <xsl:value-of select="@to"/>
                    <xsl:if test="@empty = 'yes'"> (replaced the same day)</xsl:if>
                    <xsl:text> </xsl:text>
                  </td>
                  <td><xsl:value-of select="@site-code"/></td>
                  <td><xsl:value-of select="@cc"/></td>
                  <td><xsl:value-of select="@product"/></td>
                  <td class="num"><xsl:value-of select="@ports"/></td>
                  <td class="st s-{@status}"><xsl:value-of select="@status-label"/></td>
                  <td>
                    <xsl:for-each select="@number | @extension | @mailbox | @serial">
                      <xsl:if test="position() != 1">, </xsl:if>
                      <xsl:value-of select="."/>
                    </xsl:for-each>
                    <xsl:text> </xsl:text>
                  </td>
                  <td>
                    <xsl:choose>
                      <xsl:when test="@order-id">
                        <a href="/orders/{@order-id}"><xsl:value-of select="@order"/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
                    </xsl:choose>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">This asset has no recorded states.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The add-ons on this asset, each linking to its own page. -->
  <xsl:template match="addons">
    <xsl:choose>
      <xsl:when test="asset">
        <div class="table-wrap" role="region" aria-labelledby="h-addons"
          tabindex="0">
          <table class="data addons">
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Product</th>
                <th scope="col" class="num">Ports</th>
                <th scope="col">Status</th>
                <th scope="col">Installed</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="asset">
                <tr>
                  <td><a href="/assets/{@id}"><xsl:value-of select="@tag"/></a></td>
                  <td><xsl:value-of select="@product"/></td>
                  <td class="num"><xsl:value-of select="@ports"/></td>
                  <td class="st s-{@status}"><xsl:value-of select="@status-label"/></td>
                  <td>
                    <xsl:value-of select="@installed"/>
                    <xsl:if test="@removed">
                      <xsl:text> to </xsl:text>
                      <xsl:value-of select="@removed"/>
                    </xsl:if>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">This asset has no add-ons.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

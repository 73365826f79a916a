<?xml version="1.0" encoding="UTF-8"?>
<!--
  assets.xsl: the site asset query page (/sites/{id}/assets).

  Input: the "assets" view document of docs/views.md.  Output: the
  "New order" link for a session that may order (session/may/orders),
  the filter form, the result summary, the export links, one table row an
  asset, and the pager.  Every count comes from the document.

  The page renders 50 rows by default and up to 500, so the row is
  written for speed (each choice measured with callgrind; a row costs
  about 65,000 instructions, almost all of it libxslt's own work per
  value-of and per element): one for-each straight down assets/asset,
  one value-of a cell, one xsl:if (the removal date, shown in the
  Installed cell rather than in a column of its own), attribute value
  templates (the first cell, the tag, links to the asset page with one
  of them), no class but the status one (CSS aligns the ports column
  by position, and draws the status dot from the class on the cell).  The cells
  follow the order of page/columns, which the server always sends in the
  same order (docs/views.md).  The identifiers an asset may lack
  (number, extension, mailbox, serial) get a trailing space so that an
  empty cell is not written as <td/> (see layout.xsl).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="site"/>
    <xsl:if test="session/may/orders">
      <p class="neworder"><a class="button" href="/orders/new?site={site/@id}">New order</a></p>
    </xsl:if>
    <xsl:apply-templates select="filter"/>
    <div class="bar">
      <xsl:apply-templates select="result"/>
      <p class="export">
        <xsl:text>Export </xsl:text>
        <a href="{export/@href}" type="text/csv">CSV</a>
        <xsl:text> </xsl:text>
        <a href="{export/@xml}" type="application/xml">XML</a>
      </p>
    </div>
    <xsl:choose>
      <xsl:when test="assets/asset">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data assets">
            <caption id="caption" class="vh">
              <xsl:value-of select="@title"/>
            </caption>
            <thead>
              <tr>
                <xsl:apply-templates select="columns/column"/>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="assets/asset">
                <tr>
                  <td><a href="/assets/{@id}"><xsl:value-of select="@tag"/></a></td>
                  <td><xsl:value-of select="@number"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@extension"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@mailbox"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@serial"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@type-label"/></td>
                  <td><xsl:value-of select="@product"/></td>
                  <td><xsl:value-of select="@cc"/></td>
                  <td><xsl:value-of select="@ports"/></td>
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
        <xsl:apply-templates select="pager[../result/@pages &gt; 1]"/>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">
          <xsl:text>No assets match these filters. </xsl:text>
          <a href="{filter/@action}">Clear the filters</a>
        </p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The site's postal address under the heading. -->
  <xsl:template match="site">
    <xsl:if test="@address != '' or @city != ''">
      <p class="lede">
        <xsl:value-of select="@address"/>
        <xsl:if test="@address != '' and @city != ''">, </xsl:if>
        <xsl:value-of select="@city"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="@region"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="@postcode"/>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- The filter form: GET, so every result has its own address. -->
  <xsl:template match="filter">
    <form class="filter" method="get" action="{@action}" role="search"
      aria-label="Filter assets">
      <div class="field">
        <label for="f-type">Type</label>
        <select id="f-type" name="type">
          <option value="">Any</option>
          <xsl:apply-templates select="types/option"/>
        </select>
      </div>
      <div class="field">
        <label for="f-status">Status</label>
        <select id="f-status" name="status">
          <option value="">Any</option>
          <xsl:apply-templates select="statuses/option"/>
        </select>
      </div>
      <div class="field">
        <label for="f-cc">Cost centre</label>
        <select id="f-cc" name="cc">
          <option value="">Any</option>
          <xsl:apply-templates select="costcentres/option"/>
        </select>
      </div>
      <div class="field field-q">
        <label for="f-q">Search</label>
        <input id="f-q" type="search" name="q" maxlength="100"
          value="{@q}" placeholder="Number, extension, mailbox, serial"/>
      </div>
      <div class="field">
        <label for="f-asof">As of</label>
        <input id="f-asof" type="date" name="asof" value="{@asof}"/>
      </div>
      <div class="field">
        <label for="f-sort">Sort by</label>
        <select id="f-sort" name="sort">
          <xsl:apply-templates select="sorts/option"/>
        </select>
      </div>
      <div class="field">
        <label for="f-dir">Order</label>
        <select id="f-dir" name="dir">
          <xsl:apply-templates select="dirs/option"/>
        </select>
      </div>
      <div class="field">
        <label for="f-per">Rows per page</label>
        <select id="f-per" name="per">
          <xsl:apply-templates select="pers/option"/>
        </select>
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="clear" href="{@action}">Clear</a>
      </div>
    </form>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

  <!-- "224 assets, 241 ports matched. Showing 1–50." -->
  <xsl:template match="result">
    <p class="summary" role="status">
      <xsl:value-of select="@assets"/>
      <xsl:text> asset</xsl:text>
      <xsl:if test="@assets != 1">s</xsl:if>
      <xsl:text>, </xsl:text>
      <xsl:value-of select="@ports"/>
      <xsl:text> port</xsl:text>
      <xsl:if test="@ports != 1">s</xsl:if>
      <xsl:text> matched.</xsl:text>
      <xsl:if test="@assets != 0">
        <xsl:text> Showing </xsl:text>
        <xsl:value-of select="@first"/>
        <xsl:text>–</xsl:text>
        <xsl:value-of select="@last"/>
        <xsl:text>.</xsl:text>
      </xsl:if>
      <xsl:apply-templates select="../asof"/>
    </p>
  </xsl:template>

  <!-- " As of 2026-01-31." (or "As of today, ..."): the day the rows
       describe. -->
  <xsl:template match="asof">
    <xsl:text> As of </xsl:text>
    <xsl:if test="@today = 'yes'">today, </xsl:if>
    <time datetime="{@date}"><xsl:value-of select="@date"/></time>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <!-- A column header links to sort by it; aria-sort on the sorted one. -->
  <xsl:template match="column">
    <th scope="col">
      <xsl:if test="@sort != 'none'">
        <xsl:attribute name="aria-sort">
          <xsl:value-of select="@sort"/>
        </xsl:attribute>
      </xsl:if>
      <a href="{@href}"><xsl:value-of select="@label"/></a>
    </th>
  </xsl:template>

  <!--
    The pager: first and previous at the left, the position in the
    middle, next and last at the right.  A link the document leaves out
    (there is no page before the first) is shown dimmed, without a
    link, so the others keep their places from page to page.
  -->
  <xsl:template match="pager">
    <nav class="pager" aria-label="Pages">
      <span class="back">
        <xsl:choose>
          <xsl:when test="link[@rel = 'first']">
            <a href="{link[@rel = 'first']/@href}" aria-label="First page">« First</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">« First</span>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text> </xsl:text>
        <xsl:choose>
          <xsl:when test="link[@rel = 'prev']">
            <a href="{link[@rel = 'prev']/@href}" rel="prev" aria-label="Previous page">‹ Previous</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">‹ Previous</span>
          </xsl:otherwise>
        </xsl:choose>
      </span>
      <span class="at">
        <xsl:text>Page </xsl:text>
        <xsl:value-of select="../result/@page"/>
        <xsl:text> of </xsl:text>
        <xsl:value-of select="../result/@pages"/>
      </span>
      <span class="fwd">
        <xsl:choose>
          <xsl:when test="link[@rel = 'next']">
            <a href="{link[@rel = 'next']/@href}" rel="next" aria-label="Next page">Next ›</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">Next ›</span>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:text> </xsl:text>
        <xsl:choose>
          <xsl:when test="link[@rel = 'last']">
            <a href="{link[@rel = 'last']/@href}" aria-label="Last page">Last »</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">Last »</span>
          </xsl:otherwise>
        </xsl:choose>
      </span>
    </nav>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  audit.xsl: the audit log (/admin/audit, administrators only).

  Input: the "audit" view document of docs/views.md.  Output: the
  filter form (GET, so every filtered view has its own address; oms.js
  leaves empty fields out of it), the number of records matched, one
  table row a record, newest first, and the pager.

  The time is shown as "YYYY-MM-DD HH:MM:SS" UTC, the full value
  (with milliseconds) kept in the datetime attribute.  The values before
  and after a change are "key: value" lines; they are shown in <pre>,
  which keeps the lines, and oms.css lets long lines wrap.  A record of
  entity "user" links to the account.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="filter"/>
    <div class="bar">
      <xsl:apply-templates select="result"/>
    </div>
    <xsl:choose>
      <xsl:when test="records/record">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data audit">
            <caption id="caption" class="vh">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col" class="num">No.</th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Address</th>
                <th scope="col">Entity</th>
                <th scope="col">Action</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="records/record"/>
            </tbody>
          </table>
        </div>
        <xsl:apply-templates select="pager[../result/@pages &gt; 1]"/>
      </xsl:when>
      <xsl:when test="result/@records &gt; 0">
        <p class="empty">
          <xsl:text>There is no page </xsl:text>
          <xsl:value-of select="result/@page"/>
          <xsl:text>: these records fill </xsl:text>
          <xsl:value-of select="result/@pages"/>
          <xsl:text> page</xsl:text>
          <xsl:if test="result/@pages != 1">s</xsl:if>
          <xsl:text>. </xsl:text>
          <a href="/admin/audit">Back to the newest records</a>
        </p>
      </xsl:when>
      <xsl:when test="filter/@entity or filter/@action or filter/@user">
        <p class="empty">
          <xsl:text>No records match these filters. </xsl:text>
          <a href="/admin/audit">Clear the filters</a>
        </p>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">The audit log is empty.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The filter form: each field matches its value exactly. -->
  <xsl:template match="filter">
    <form class="filter" method="get" action="/admin/audit" role="search"
      aria-label="Filter the audit log">
      <div class="field">
        <label for="f-entity">Entity</label>
        <input id="f-entity" type="text" name="entity" value="{@entity}"
          maxlength="32" placeholder="e.g. user" autocomplete="off"
          autocapitalize="none" spellcheck="false"/>
      </div>
      <div class="field">
        <label for="f-action">Action</label>
        <input id="f-action" type="text" name="action" value="{@action}"
          maxlength="32" placeholder="e.g. update" autocomplete="off"
          autocapitalize="none" spellcheck="false"/>
      </div>
      <div class="field">
        <label for="f-user">User (login name)</label>
        <input id="f-user" type="text" name="user" value="{@user}"
          maxlength="64" autocomplete="off" autocapitalize="none"
          spellcheck="false"/>
      </div>
      <div class="actions">
        <button type="submit">Apply</button>
        <a class="clear" href="/admin/audit">Clear</a>
      </div>
    </form>
  </xsl:template>

  <!-- "120 records." -->
  <xsl:template match="result">
    <p class="summary" role="status">
      <xsl:value-of select="@records"/>
      <xsl:text> record</xsl:text>
      <xsl:if test="@records != 1">s</xsl:if>
      <xsl:text>.</xsl:text>
    </p>
  </xsl:template>

  <xsl:template match="record">
    <tr>
      <td class="num"><xsl:value-of select="@id"/></td>
      <td>
        <time datetime="{@at}">
          <xsl:value-of select="substring(@at, 1, 10)"/>
          <xsl:text> </xsl:text>
          <xsl:value-of select="substring(@at, 12, 8)"/>
        </time>
      </td>
      <td><xsl:value-of select="@login"/><xsl:text> </xsl:text></td>
      <td><xsl:value-of select="@address"/><xsl:text> </xsl:text></td>
      <td>
        <xsl:choose>
          <xsl:when test="@entity = 'user' and @entity-id">
            <a href="/admin/users/{@entity-id}">
              <xsl:value-of select="@entity"/>
              <xsl:text> </xsl:text>
              <xsl:value-of select="@entity-id"/>
            </a>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="@entity"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="@entity-id"/>
          </xsl:otherwise>
        </xsl:choose>
      </td>
      <td><xsl:value-of select="@action"/><xsl:text> </xsl:text></td>
      <td class="kv"><xsl:apply-templates select="before[. != '']"/><xsl:text> </xsl:text></td>
      <td class="kv"><xsl:apply-templates select="after[. != '']"/><xsl:text> </xsl:text></td>
    </tr>
  </xsl:template>

  <xsl:template match="before | after">
    <pre><xsl:value-of select="."/></pre>
  </xsl:template>

  <!--
    The pager: previous at the left, the position in the middle, next at
    the right; a link the document leaves out is shown dimmed, without a
    link, as on the asset page.
  -->
  <xsl:template match="pager">
    <nav class="pager" aria-label="Pages">
      <span class="back">
        <xsl:choose>
          <xsl:when test="link[@rel = 'prev']">
            <a href="{link[@rel = 'prev']/@href}" rel="prev" aria-label="Newer records">‹ Newer</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">‹ Newer</span>
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
            <a href="{link[@rel = 'next']/@href}" rel="next" aria-label="Older records">Older ›</a>
          </xsl:when>
          <xsl:otherwise>
            <span class="off" aria-hidden="true">Older ›</span>
          </xsl:otherwise>
        </xsl:choose>
      </span>
    </nav>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  integration.xsl: the integration page (/integration): the messages
  OMS sends to the legacy systems, counted by system and state (one row
  a system, a column a state); the oldest message of each system still
  waiting to go, with its age; the dead messages with the reason of
  their last failure (paged); the unknown ones (sent, no answer: the
  dispatcher asks the other system).  Each message links to its page.
  Every count and age is computed by the server (src/web/integration.c).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <p class="lede">
      <xsl:if test="filter/@reconcile">
        <a class="button" href="{filter/@reconcile}">Reconciliation report</a>
        <xsl:text> </xsl:text>
      </xsl:if>
      <a href="{filter/@csv}">Dead and unknown messages as CSV</a>
      <xsl:text> · </xsl:text>
      <a href="{filter/@xml}">XML</a>
    </p>
    <xsl:if test="not(filter/@fixed)">
      <form class="filter" method="get" action="{filter/@action}" role="search"
        aria-label="Filter">
        <div class="field">
          <label for="f-system">System</label>
          <input id="f-system" name="system" type="text" value="{filter/@system}"/>
        </div>
        <div class="actions">
          <button type="submit">Apply</button>
          <a class="clear" href="{filter/@action}">Clear</a>
        </div>
      </form>
    </xsl:if>

    <h2 id="h-counts">Messages by system and state</h2>
    <xsl:choose>
      <xsl:when test="counts/system">
        <div class="table-wrap" role="region" aria-labelledby="h-counts" tabindex="0">
          <table class="data counts">
            <thead>
              <tr>
                <th scope="col">System</th>
                <th scope="col">Pending</th>
                <th scope="col">Sending</th>
                <th scope="col">Unknown</th>
                <th scope="col">Delivered</th>
                <th scope="col">Dead</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="counts/system">
                <tr data-system="{@name}">
                  <th scope="row"><a href="{@href}"><xsl:value-of select="@name"/></a></th>
                  <td class="num"><xsl:value-of select="@pending"/></td>
                  <td class="num"><xsl:value-of select="@sending"/></td>
                  <td class="num"><xsl:value-of select="@unknown"/></td>
                  <td class="num"><xsl:value-of select="@delivered"/></td>
                  <td class="num"><xsl:value-of select="@dead"/></td>
                  <td class="num"><xsl:value-of select="@total"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="note">No message has been written yet.</p>
      </xsl:otherwise>
    </xsl:choose>

    <h2>Oldest waiting</h2>
    <xsl:choose>
      <xsl:when test="oldest/waiting">
        <ul class="oldest">
          <xsl:for-each select="oldest/waiting">
            <li>
              <xsl:value-of select="@system"/>
              <xsl:text>: </xsl:text>
              <a href="{@href}">
                <xsl:text>message </xsl:text>
                <xsl:value-of select="@id"/>
              </a>
              <xsl:text>, written </xsl:text>
              <xsl:value-of select="@created"/>
              <xsl:if test="@age">
                <xsl:text> (</xsl:text>
                <xsl:value-of select="@age"/>
                <xsl:text> ago)</xsl:text>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:when>
      <xsl:otherwise>
        <p class="note">Nothing is waiting.</p>
      </xsl:otherwise>
    </xsl:choose>

    <h2 id="h-dead">Dead messages</h2>
    <p class="summary" role="status">
      <xsl:value-of select="result/@dead"/>
      <xsl:text> dead message</xsl:text>
      <xsl:if test="result/@dead != 1">s</xsl:if>
      <xsl:text>: the last attempt failed; resend one from its page once the cause is fixed.</xsl:text>
    </p>
    <xsl:apply-templates select="list[@state = 'dead'][message]"/>
    <xsl:apply-templates select="pager[link]"/>

    <h2 id="h-unknown">Unknown outcome</h2>
    <p class="summary">
      <xsl:value-of select="result/@unknown"/>
      <xsl:text> message</xsl:text>
      <xsl:if test="result/@unknown != 1">s</xsl:if>
      <xsl:text> sent without an answer: the dispatcher asks the other system about each, never sends it blind.</xsl:text>
    </p>
    <xsl:apply-templates select="list[@state = 'unknown'][message]"/>
  </xsl:template>

  <xsl:template match="list">
    <div class="table-wrap" role="region" aria-labelledby="h-{@state}" tabindex="0">
      <table class="data messages {@state}">
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">System</th>
            <th scope="col">Kind</th>
            <th scope="col">Order</th>
            <th scope="col">Asset</th>
            <th scope="col">Attempts</th>
            <th scope="col">Updated</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="message">
            <tr data-id="{@id}">
              <td><a href="{@href}"><xsl:value-of select="@id"/></a></td>
              <td><xsl:value-of select="@system"/></td>
              <td><xsl:value-of select="@kind"/></td>
              <td>
                <xsl:choose>
                  <xsl:when test="@order-href"><a href="{@order-href}"><xsl:value-of select="@order"/></a></xsl:when>
                  <xsl:otherwise><xsl:value-of select="@order"/><xsl:text> </xsl:text></xsl:otherwise>
                </xsl:choose>
              </td>
              <td>
                <xsl:choose>
                  <xsl:when test="@asset-href"><a href="{@asset-href}"><xsl:value-of select="@asset"/></a></xsl:when>
                  <xsl:otherwise><xsl:value-of select="@asset"/><xsl:text> </xsl:text></xsl:otherwise>
                </xsl:choose>
              </td>
              <td class="num"><xsl:value-of select="@attempts"/></td>
              <td><xsl:value-of select="@updated"/></td>
              <td class="reason"><xsl:value-of select="error"/><xsl:text> </xsl:text></td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <xsl:template match="pager">
    <nav class="pager" aria-label="Pages">
      <ul>
        <xsl:for-each select="link">
          <li>
            <a href="{@href}" rel="{@rel}">
              <xsl:choose>
                <xsl:when test="@rel = 'prev'">Previous page</xsl:when>
                <xsl:otherwise>Next page</xsl:otherwise>
              </xsl:choose>
            </a>
          </li>
        </xsl:for-each>
        <li aria-current="page">
          <xsl:text>Page </xsl:text>
          <xsl:value-of select="../result/@page"/>
          <xsl:text> of </xsl:text>
          <xsl:value-of select="../result/@pages"/>
        </li>
      </ul>
    </nav>
  </xsl:template>

</xsl:stylesheet>

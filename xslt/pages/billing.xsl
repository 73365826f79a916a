<?xml version="1.0" encoding="UTF-8"?>
<!--
  billing.xsl: the billing page (/billing), for finance and admin.

  Input: the "billing" document (src/web/billing.c): the business
  date, the next period to issue, the periods issued, the recent runs,
  the form to preview a period, the Issue form (or why the period
  cannot be issued now) and the preview: one row a customer with its
  current charges, the change against its previous invoice ("new" for
  a first invoice) and the total due, in cents as the server computed
  them, the totals, and the warnings.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <p class="lede">
      <xsl:text>Business date </xsl:text>
      <strong><xsl:value-of select="business-date/@date"/></strong>
      <xsl:text>. Next period to issue: </xsl:text>
      <a href="{next/@href}"><xsl:value-of select="next/@period"/></a>
      <xsl:text>. </xsl:text>
      <a href="/payments">Payments</a>
      <xsl:text> · </xsl:text>
      <a href="/adjustments">Adjustments</a>
    </p>
    <form class="filter" method="get" action="{filter/@action}" role="search"
      aria-label="Preview a period">
      <div class="field">
        <label for="b-period">Period (YYYY-MM)</label>
        <input id="b-period" type="text" name="period" value="{filter/@period}"
          pattern="[0-9]{{4}}-[0-9]{{2}}" maxlength="7"/>
      </div>
      <div class="actions">
        <button type="submit">Preview</button>
      </div>
    </form>
    <xsl:apply-templates select="preview"/>
    <section aria-labelledby="h-issue">
      <h2 id="h-issue">Issue <xsl:value-of select="issue/@period"/></h2>
      <xsl:choose>
        <xsl:when test="issue/@action">
          <form class="edit issue" method="post" action="{issue/@action}">
            <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
            <input type="hidden" name="period" value="{issue/@period}"/>
            <div class="actions">
              <button type="submit">Issue <xsl:value-of select="issue/@period"/></button>
            </div>
          </form>
        </xsl:when>
        <xsl:otherwise>
          <p class="note"><xsl:value-of select="issue/why"/><xsl:text> </xsl:text></p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
    <section aria-labelledby="h-runs">
      <h2 id="h-runs">Recent runs</h2>
      <xsl:choose>
        <xsl:when test="runs/run">
          <div class="table-wrap" role="region" aria-labelledby="h-runs" tabindex="0">
            <table class="data runs">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Period</th>
                  <th scope="col">Requested by</th>
                  <th scope="col">State</th>
                  <th scope="col">Customers</th>
                  <th scope="col">Invoices</th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="runs/run">
                  <tr>
                    <td><a href="{@href}"><xsl:value-of select="@id"/></a></td>
                    <td><xsl:value-of select="@period"/></td>
                    <td><xsl:value-of select="@requested-by"/><xsl:text> </xsl:text></td>
                    <td class="st r-{@state}"><xsl:value-of select="@state"/></td>
                    <td class="num"><xsl:value-of select="@done"/> of <xsl:value-of select="@total"/></td>
                    <td class="num"><xsl:value-of select="@invoices"/></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No run was asked for from this page yet.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
    <section aria-labelledby="h-periods">
      <h2 id="h-periods">Periods issued</h2>
      <xsl:choose>
        <xsl:when test="periods/period">
          <ul class="periods">
            <xsl:for-each select="periods/period">
              <li>
                <xsl:value-of select="@period"/>
                <xsl:text>: </xsl:text>
                <xsl:value-of select="@state"/>
                <xsl:text> on </xsl:text>
                <xsl:value-of select="@business-day"/>
                <xsl:text>, </xsl:text>
                <xsl:value-of select="@invoices"/>
                <xsl:text> invoices</xsl:text>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No period has been issued yet.</p>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="preview[@state = 'refused']">
    <p class="alert" role="alert"><xsl:value-of select="why"/></p>
  </xsl:template>

  <xsl:template match="preview[@state = 'issued']">
    <p class="note">
      <xsl:text>Period </xsl:text>
      <xsl:value-of select="@period"/>
      <xsl:text> is issued: nothing to preview.</xsl:text>
    </p>
  </xsl:template>

  <xsl:template match="preview">
    <section aria-labelledby="h-preview">
      <h2 id="h-preview">Preview of <xsl:value-of select="@period"/></h2>
      <p class="summary" role="status">
        <xsl:value-of select="invoices/@count"/>
        <xsl:text> invoices (</xsl:text>
        <xsl:value-of select="invoices/@new"/>
        <xsl:text> first, </xsl:text>
        <xsl:value-of select="invoices/@changed"/>
        <xsl:text> changed); current charges </xsl:text>
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="invoices/@current"/>
        </xsl:call-template>
        <xsl:text>, total due </xsl:text>
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="invoices/@total-due"/>
        </xsl:call-template>
        <xsl:text>. </xsl:text>
        <a href="{@xml}" type="application/xml">XML</a>
      </p>
      <xsl:if test="warnings/warning">
        <div class="warnings" role="note">
          <h3>Warnings (<xsl:value-of select="warnings/@count"/>)</h3>
          <ul>
            <xsl:for-each select="warnings/warning">
              <li>
                <strong><xsl:value-of select="@customer-code"/></strong>
                <xsl:text>: </xsl:text>
                <xsl:value-of select="."/>
              </li>
            </xsl:for-each>
          </ul>
        </div>
      </xsl:if>
      <xsl:if test="invoices/invoice">
        <div class="table-wrap" role="region" aria-labelledby="h-preview" tabindex="0">
          <table class="data preview">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">Name</th>
                <th scope="col">Current charges</th>
                <th scope="col">Change</th>
                <th scope="col">Total due</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="invoices/invoice">
                <tr>
                  <td><xsl:value-of select="@customer-code"/></td>
                  <td><xsl:value-of select="@customer-name"/><xsl:text> </xsl:text></td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@current"/>
                    </xsl:call-template>
                  </td>
                  <td class="num">
                    <xsl:choose>
                      <xsl:when test="@change = 'new'">new</xsl:when>
                      <xsl:otherwise>
                        <xsl:call-template name="money">
                          <xsl:with-param name="cents" select="@change"/>
                          <xsl:with-param name="sign" select="'yes'"/>
                        </xsl:call-template>
                      </xsl:otherwise>
                    </xsl:choose>
                  </td>
                  <td class="num">
                    <xsl:call-template name="money">
                      <xsl:with-param name="cents" select="@total-due"/>
                    </xsl:call-template>
                  </td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:if>
    </section>
  </xsl:template>

</xsl:stylesheet>

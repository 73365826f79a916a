<?xml version="1.0" encoding="UTF-8"?>
<!--
  order.xsl: one MAC order (/orders/{id}).

  Input: the "order" view document of docs/views.md.  Output: the
  order's facts (customer, site, requester, dates, state, version),
  a refused change's message as an alert, the notes, exactly the
  workflow buttons the server offers (order/verbs: one small POST form
  each, carrying the verb, the version shown and the session's token;
  schedule and complete with a date; each with an optional comment),
  the lines with their prices (cents, formatted by order-money.xsl:
  the one-time fee due, an override with its reason and the catalog
  fee, the monthly charge before and after) and per line the forms
  the server offers (@remove on a draft, @fill for the vendor's
  identifiers), the totals as computed by the server, the add-line
  form of a draft (order/lineform), the history of transitions and
  the comment thread with its form.

  No button is drawn that the server did not list: the page never
  offers what the workflow would refuse.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>
  <xsl:import href="order-line.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="order"/>
  </xsl:template>

  <xsl:template match="order">
    <dl class="facts">
      <dt>Customer</dt>
      <dd><xsl:value-of select="@customer-name"/><xsl:text> </xsl:text></dd>
      <dt>Site</dt>
      <dd>
        <xsl:choose>
          <xsl:when test="@site-href">
            <a href="{@site-href}">
              <xsl:value-of select="@site-code"/>
              <xsl:text> </xsl:text>
              <xsl:value-of select="@site-name"/>
            </a>
          </xsl:when>
          <xsl:otherwise>Several sites</xsl:otherwise>
        </xsl:choose>
      </dd>
      <dt>Requested by</dt>
      <dd><xsl:value-of select="@requester"/><xsl:text> </xsl:text></dd>
      <dt>Requested for</dt>
      <dd><xsl:value-of select="@requested"/><xsl:text> </xsl:text></dd>
      <dt>State</dt>
      <dd class="st o-{@state}" id="order-state"><xsl:value-of select="@state-label"/></dd>
      <xsl:if test="@scheduled">
        <dt>Scheduled for</dt>
        <dd><xsl:value-of select="@scheduled"/></dd>
      </xsl:if>
      <xsl:if test="@completed">
        <dt>Completed on</dt>
        <dd><xsl:value-of select="@completed"/></dd>
      </xsl:if>
      <dt>Version</dt>
      <dd><xsl:value-of select="@version"/></dd>
    </dl>
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <xsl:if test="string(notes)">
      <section class="notes" aria-labelledby="h-notes">
        <h2 id="h-notes">Notes</h2>
        <p><xsl:value-of select="notes"/></p>
      </section>
    </xsl:if>
    <xsl:apply-templates select="verbs[verb]"/>
    <xsl:apply-templates select="lines"/>
    <xsl:apply-templates select="lineform"/>
    <xsl:apply-templates select="history"/>
    <section class="comments" aria-labelledby="h-comments">
      <h2 id="h-comments">Comments</h2>
      <xsl:choose>
        <xsl:when test="comments/comment">
          <ol class="thread">
            <xsl:for-each select="comments/comment">
              <li>
                <p class="meta">
                  <xsl:value-of select="@login"/>
                  <xsl:text>, </xsl:text>
                  <xsl:value-of select="@at"/>
                </p>
                <p><xsl:value-of select="."/></p>
              </li>
            </xsl:for-each>
          </ol>
        </xsl:when>
        <xsl:otherwise>
          <p class="empty">No comments yet.</p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@comment">
        <form class="edit comment" method="post" action="{@comment}">
          <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
          <div class="field">
            <label for="c-comment">Add a comment</label>
            <textarea id="c-comment" name="comment" rows="3" maxlength="4000"
              required="required"><xsl:text>&#10;</xsl:text></textarea>
          </div>
          <div class="actions">
            <button type="submit">Comment</button>
          </div>
        </form>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- The workflow buttons: one form a verb the user may take. -->
  <xsl:template match="verbs">
    <section class="card verbs" aria-labelledby="h-verbs">
      <h2 id="h-verbs">Actions</h2>
      <xsl:for-each select="verb">
        <form class="verb verb-{@name}" method="post" action="{../@action}">
          <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
          <input type="hidden" name="verb" value="{@name}"/>
          <input type="hidden" name="version" value="{../../@version}"/>
          <xsl:if test="@date">
            <div class="field">
              <label for="v-{@name}-date">
                <xsl:choose>
                  <xsl:when test="@name = 'complete'">Completion date</xsl:when>
                  <xsl:otherwise>Scheduled date</xsl:otherwise>
                </xsl:choose>
              </label>
              <input id="v-{@name}-date" type="date" name="date"
                value="{@date}" required="required"/>
            </div>
          </xsl:if>
          <div class="field">
            <label for="v-{@name}-comment">Comment (optional)</label>
            <input id="v-{@name}-comment" type="text" name="comment"
              maxlength="4000" autocomplete="off"/>
          </div>
          <div class="actions">
            <button type="submit">
              <xsl:if test="@name = 'cancel' or @name = 'reject'">
                <xsl:attribute name="class">danger</xsl:attribute>
              </xsl:if>
              <xsl:value-of select="@label"/>
            </button>
          </div>
        </form>
      </xsl:for-each>
    </section>
  </xsl:template>

  <xsl:template match="lines">
    <section aria-labelledby="h-lines">
      <h2 id="h-lines">Lines</h2>
      <div class="table-wrap" role="region" aria-labelledby="h-lines" tabindex="0">
        <table class="data lines">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Action</th>
              <th scope="col">Asset</th>
              <th scope="col">Product</th>
              <th scope="col">Ports</th>
              <th scope="col">Identifiers</th>
              <th scope="col">One-time</th>
              <th scope="col">Monthly</th>
              <xsl:if test="line/@remove or line/@fill">
                <th scope="col"><span class="vh">Changes</span></th>
              </xsl:if>
            </tr>
          </thead>
          <tbody>
            <xsl:apply-templates select="line"/>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan="6">Total</th>
              <td class="num">
                <xsl:call-template name="money">
                  <xsl:with-param name="cents" select="../totals/@fee"/>
                </xsl:call-template>
              </td>
              <td class="num">
                <xsl:call-template name="money">
                  <xsl:with-param name="cents" select="../totals/@mrc-before"/>
                </xsl:call-template>
                <xsl:text> → </xsl:text>
                <xsl:call-template name="money">
                  <xsl:with-param name="cents" select="../totals/@mrc-after"/>
                </xsl:call-template>
                <xsl:text> (</xsl:text>
                <xsl:call-template name="money">
                  <xsl:with-param name="cents" select="../totals/@mrc-change"/>
                  <xsl:with-param name="sign" select="'yes'"/>
                </xsl:call-template>
                <xsl:text>)</xsl:text>
              </td>
              <xsl:if test="line/@remove or line/@fill">
                <td><xsl:text> </xsl:text></td>
              </xsl:if>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  </xsl:template>

  <xsl:template match="line">
    <tr>
      <td><xsl:value-of select="@no"/></td>
      <td><xsl:value-of select="@action-label"/></td>
      <td>
        <xsl:choose>
          <xsl:when test="@asset-href">
            <a class="asset" href="{@asset-href}">
              <xsl:value-of select="@tag"/>
              <xsl:if test="not(@tag)">
                <xsl:text>Asset </xsl:text>
                <xsl:value-of select="@asset"/>
              </xsl:if>
            </a>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="@tag"/>
            <xsl:if test="not(@tag)">New</xsl:if>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="@parent-href">
          <xsl:text> on </xsl:text>
          <a href="{@parent-href}">
            <xsl:value-of select="@parent-tag"/>
            <xsl:if test="not(@parent-tag)"><xsl:value-of select="@parent"/></xsl:if>
          </a>
        </xsl:if>
        <xsl:if test="@site-code or @cc-code">
          <span class="where">
            <xsl:text> (</xsl:text>
            <xsl:value-of select="@site-code"/>
            <xsl:if test="@site-code and @cc-code">, </xsl:if>
            <xsl:value-of select="@cc-code"/>
            <xsl:text>)</xsl:text>
          </span>
        </xsl:if>
      </td>
      <td>
        <xsl:value-of select="@product-code"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="@product-name"/>
      </td>
      <td class="num"><xsl:value-of select="@ports"/><xsl:text> </xsl:text></td>
      <td>
        <xsl:for-each select="@number | @extension | @mailbox | @serial">
          <xsl:if test="position() != 1">, </xsl:if>
          <xsl:value-of select="."/>
        </xsl:for-each>
        <xsl:text> </xsl:text>
      </td>
      <td class="num">
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="@fee-due"/>
        </xsl:call-template>
        <xsl:if test="@override">
          <span class="override">
            <xsl:text> override: </xsl:text>
            <xsl:value-of select="@reason"/>
            <xsl:if test="@fee">
              <xsl:text> (catalog </xsl:text>
              <xsl:call-template name="money">
                <xsl:with-param name="cents" select="@fee"/>
              </xsl:call-template>
              <xsl:text>)</xsl:text>
            </xsl:if>
          </span>
        </xsl:if>
      </td>
      <td class="num">
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="@mrc-before"/>
        </xsl:call-template>
        <xsl:text> → </xsl:text>
        <xsl:call-template name="money">
          <xsl:with-param name="cents" select="@mrc-after"/>
        </xsl:call-template>
      </td>
      <xsl:if test="../line/@remove or ../line/@fill">
        <td>
          <xsl:if test="@remove">
            <form class="remove" method="post" action="{@remove}">
              <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
              <input type="hidden" name="version" value="{../../@version}"/>
              <button type="submit" class="danger">Remove line <xsl:value-of select="@no"/></button>
            </form>
          </xsl:if>
          <xsl:if test="@fill">
            <form class="fill" method="post" action="{@fill}">
              <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
              <input type="hidden" name="version" value="{../../@version}"/>
              <label for="f{@no}-number">Number</label>
              <input id="f{@no}-number" type="text" name="number" maxlength="32" value="{@number}"/>
              <label for="f{@no}-extension">Extension</label>
              <input id="f{@no}-extension" type="text" name="extension" maxlength="16" value="{@extension}"/>
              <label for="f{@no}-mailbox">Mailbox</label>
              <input id="f{@no}-mailbox" type="text" name="mailbox" maxlength="16" value="{@mailbox}"/>
              <label for="f{@no}-serial">Serial</label>
              <input id="f{@no}-serial" type="text" name="serial" maxlength="64" value="{@serial}"/>
              <button type="submit">Save line <xsl:value-of select="@no"/></button>
            </form>
          </xsl:if>
          <xsl:text> </xsl:text>
        </td>
      </xsl:if>
    </tr>
  </xsl:template>

  <!-- A draft's add-line form. -->
  <xsl:template match="lineform">
    <section class="card" aria-labelledby="h-addline">
      <h2 id="h-addline">Add a line</h2>
      <form class="edit addline" method="post" action="{@action}">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <input type="hidden" name="version" value="{../@version}"/>
        <xsl:apply-templates select="." mode="line-fields">
          <xsl:with-param name="id" select="'a'"/>
          <xsl:with-param name="site" select="'yes'"/>
        </xsl:apply-templates>
        <div class="actions">
          <button type="submit">Add line</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <xsl:template match="history">
    <section class="history" aria-labelledby="h-history">
      <h2 id="h-history">History</h2>
      <ol>
        <xsl:for-each select="transition">
          <li>
            <xsl:value-of select="@at"/>
            <xsl:text> </xsl:text>
            <xsl:value-of select="@login"/>
            <xsl:text>: </xsl:text>
            <xsl:choose>
              <xsl:when test="@from and @from != @to">
                <xsl:value-of select="@from-label"/>
                <xsl:text> → </xsl:text>
                <xsl:value-of select="@to-label"/>
              </xsl:when>
              <xsl:when test="@from">
                <xsl:text>edited (</xsl:text>
                <xsl:value-of select="@to-label"/>
                <xsl:text>)</xsl:text>
              </xsl:when>
              <xsl:otherwise>
                <xsl:text>created (</xsl:text>
                <xsl:value-of select="@to-label"/>
                <xsl:text>)</xsl:text>
              </xsl:otherwise>
            </xsl:choose>
            <xsl:if test="string(.)">
              <xsl:text>: </xsl:text>
              <q><xsl:value-of select="."/></q>
            </xsl:if>
          </li>
        </xsl:for-each>
      </ol>
    </section>
  </xsl:template>

</xsl:stylesheet>

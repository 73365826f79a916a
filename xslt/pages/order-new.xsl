<?xml version="1.0" encoding="UTF-8"?>
<!--
  order-new.xsl: a new order (/orders/new).

  Input: the "order-new" view document of docs/views.md: either
  <picker> (no site chosen yet: each customer in scope with its sites,
  each linking to the form for that site) or <form> (the form for one
  site: requested date, notes and the first line, order-line.xsl's
  fields).  A refusal's message shows as an alert; the form then holds
  what was typed.  The form posts to form/@action with the session's
  token; the server records a draft and shows it, where more lines are
  added before submitting.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>
  <xsl:import href="order-line.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="picker"/>
    <xsl:apply-templates select="form"/>
  </xsl:template>

  <xsl:template match="picker">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <p class="lede">Choose the site the order is for.</p>
    <xsl:choose>
      <xsl:when test="customer/site">
        <xsl:for-each select="customer[site]">
          <section class="card picker" aria-labelledby="pick-{@id}">
            <h2 id="pick-{@id}">
              <xsl:value-of select="@code"/>
              <xsl:text> </xsl:text>
              <xsl:value-of select="@name"/>
            </h2>
            <ul>
              <xsl:for-each select="site">
                <li>
                  <a href="{@href}">
                    <xsl:value-of select="@code"/>
                    <xsl:text> </xsl:text>
                    <xsl:value-of select="@name"/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </section>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">There is no site to order for.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="form">
    <p class="lede">
      <xsl:text>Customer </xsl:text>
      <strong><xsl:value-of select="customer/@name"/></strong>
      <xsl:text> · site </xsl:text>
      <strong>
        <xsl:value-of select="site/@code"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="site/@name"/>
      </strong>
    </p>
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="edit order-new" method="post" action="{@action}">
      <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
      <input type="hidden" name="site" value="{site/@id}"/>
      <div class="field">
        <label for="o-requested">Requested date</label>
        <input id="o-requested" type="date" name="requested"
          value="{@requested}" required="required"/>
      </div>
      <div class="field">
        <label for="o-notes">Notes</label>
        <textarea id="o-notes" name="notes" rows="3" maxlength="4000">
          <!-- HTML drops a newline right after the start tag: so the
             element is never empty (layout.xsl) and holds just the notes. -->
          <xsl:text>&#10;</xsl:text>
          <xsl:value-of select="notes"/>
        </textarea>
      </div>
      <fieldset class="line">
        <legend>First line</legend>
        <xsl:apply-templates select="line" mode="line-fields">
          <xsl:with-param name="id" select="'n'"/>
        </xsl:apply-templates>
      </fieldset>
      <div class="actions">
        <button type="submit">Create draft</button>
        <a href="/orders">Cancel</a>
      </div>
    </form>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  layout.xsl: the HTML5 frame shared by every page stylesheet.

  A page stylesheet imports this one, declares its own xsl:output (the
  server reads the media type from the page stylesheet itself) and
  supplies the page body with a template for "page" in mode "body".
  It may replace the document title and the heading with templates for
  "page" in modes "title" and "heading"; both default to page/@title.

  The frame: doctype, head (charset, viewport, title, the stylesheet,
  the icon and the deferred script), a skip link, the header with the
  product name, the breadcrumbs and, when someone is logged in
  (page/session), the account menu, the main landmark, and the footer.
  No inline script or style: the Content-Security-Policy forbids them.

  Output method.  Every page is serialized with method="xml" and no XML
  declaration: it costs less than method="html" (whose serializer looks
  up every element in a table and also inserts a second, http-equiv
  charset declaration next to <meta charset>), and what it writes is
  HTML5 as long as no element other than a void one (meta, link, input,
  br, img, hr, col, wbr) is ever empty, since XML writes an empty
  element as <x/>.  So: every non-void element gets content, or a single
  space where the value may be missing; tests/golden.sh checks the
  renders for "/>" on anything but a void element.  The doctype is
  written as text because XSLT 1.0 cannot declare "<!DOCTYPE html>".

  Written for speed: direct paths only, no "//", no keys.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:apply-templates select="page" mode="title"/> · OMS</title>
        <link rel="stylesheet" href="/static/oms.css"/>
        <link rel="icon" type="image/svg+xml" href="/static/favicon.svg"/>
        <script src="/static/oms.js" defer="defer"><xsl:text> </xsl:text></script>
        <!-- A page that follows work in progress (a billing run) asks to
             be reloaded: page/refresh/@seconds. -->
        <xsl:if test="page/refresh/@seconds">
          <meta http-equiv="refresh" content="{page/refresh/@seconds}"/>
        </xsl:if>
      </head>
      <body class="page-{page/@name}">
        <a class="skip" href="#main">Skip to main content</a>
        <header class="top">
          <a class="brand" href="/customers">OMS</a>
          <xsl:apply-templates select="page/crumbs[crumb]"/>
          <xsl:apply-templates select="page/session"/>
        </header>
        <main id="main" tabindex="-1">
          <xsl:apply-templates select="page" mode="heading"/>
          <xsl:apply-templates select="page" mode="body"/>
        </main>
        <footer class="foot">
          <p>OMS: order management and billing for leased telecom assets</p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- The breadcrumbs: every crumb links but the last, the current page. -->
  <xsl:template match="crumbs">
    <nav class="crumbs" aria-label="Breadcrumb">
      <ol>
        <xsl:for-each select="crumb">
          <xsl:choose>
            <xsl:when test="@href">
              <li><a href="{@href}"><xsl:value-of select="."/></a></li>
            </xsl:when>
            <xsl:otherwise>
              <li aria-current="page"><xsl:value-of select="."/></li>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </ol>
    </nav>
  </xsl:template>

  <!--
    The account menu: who is logged in and in what role, the
    links the session's permissions allow (the catalog, orders, invoices, users,
    the audit log, the integration page) (one
    empty child of <may> per permission the role holds: the menu
    follows permissions, never role names), and "Log out", a POST
    form carrying the session's token (the server refuses a POST
    without it).  The role labels are those of oms_role_labels in
    src/domain/auth.c.
  -->
  <xsl:template match="session">
    <div class="account">
      <xsl:if test="may/catalog or may/orders or may/invoices">
        <nav class="admin work" aria-label="Work">
          <ul>
            <xsl:if test="may/catalog">
              <li>
                <a href="/catalog">
                  <xsl:if test="../@name = 'catalog' or ../@name = 'product'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Catalog</xsl:text>
                </a>
              </li>
            </xsl:if>
            <xsl:if test="may/orders">
              <li>
                <a href="/orders">
                  <xsl:if test="../@name = 'orders' or ../@name = 'order' or ../@name = 'order-new'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Orders</xsl:text>
                </a>
              </li>
            </xsl:if>
            <xsl:if test="may/invoices">
              <li>
                <a href="/invoices">
                  <xsl:if test="../@name = 'invoices' or ../@name = 'invoice' or ../@name = 'report'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Invoices</xsl:text>
                </a>
              </li>
            </xsl:if>
          </ul>
        </nav>
      </xsl:if>
      <xsl:if test="may/billing">
        <nav class="admin billing" aria-label="Billing">
          <ul>
            <li>
              <a href="/billing">
                <xsl:if test="../@name = 'billing' or ../@name = 'billing-run'">
                  <xsl:attribute name="aria-current">page</xsl:attribute>
                </xsl:if>
                <xsl:text>Billing</xsl:text>
              </a>
            </li>
            <li>
              <a href="/payments">
                <xsl:if test="../@name = 'payments' or ../@name = 'payment-new'">
                  <xsl:attribute name="aria-current">page</xsl:attribute>
                </xsl:if>
                <xsl:text>Payments</xsl:text>
              </a>
            </li>
            <li>
              <a href="/adjustments">
                <xsl:if test="../@name = 'adjustments' or ../@name = 'adjustment-new'">
                  <xsl:attribute name="aria-current">page</xsl:attribute>
                </xsl:if>
                <xsl:text>Adjustments</xsl:text>
              </a>
            </li>
          </ul>
        </nav>
      </xsl:if>
      <xsl:if test="may/integration">
        <nav class="admin integration" aria-label="Integration">
          <ul>
            <li>
              <a href="/integration">
                <xsl:if test="../@name = 'integration' or ../@name = 'integration-message' or ../@name = 'reconcile'">
                  <xsl:attribute name="aria-current">page</xsl:attribute>
                </xsl:if>
                <xsl:text>Integration</xsl:text>
              </a>
            </li>
          </ul>
        </nav>
      </xsl:if>
      <xsl:if test="may/users or may/audit or may/import">
        <nav class="admin" aria-label="Administration">
          <ul>
            <xsl:if test="may/users">
              <li>
                <a href="/admin/users">
                  <xsl:if test="../@name = 'users'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Users</xsl:text>
                </a>
              </li>
            </xsl:if>
            <xsl:if test="may/audit">
              <li>
                <a href="/admin/audit">
                  <xsl:if test="../@name = 'audit'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Audit log</xsl:text>
                </a>
              </li>
            </xsl:if>
            <xsl:if test="may/import">
              <li>
                <a href="/admin/import">
                  <xsl:if test="../@name = 'import'">
                    <xsl:attribute name="aria-current">page</xsl:attribute>
                  </xsl:if>
                  <xsl:text>Import</xsl:text>
                </a>
              </li>
            </xsl:if>
          </ul>
        </nav>
      </xsl:if>
      <p class="who">
        <span class="vh">Logged in as </span>
        <span class="name"><xsl:value-of select="@name"/><xsl:text> </xsl:text></span>
        <span class="role">
          <xsl:choose>
            <xsl:when test="@role = 'admin'">Operator administrator</xsl:when>
            <xsl:when test="@role = 'vendor'">Vendor</xsl:when>
            <xsl:when test="@role = 'finance'">Finance</xsl:when>
            <xsl:when test="@role = 'customer'">Customer</xsl:when>
            <xsl:otherwise><xsl:value-of select="@role"/><xsl:text> </xsl:text></xsl:otherwise>
          </xsl:choose>
        </span>
      </p>
      <form class="logout" method="post" action="/logout">
        <input type="hidden" name="csrf" value="{@csrf}"/>
        <button type="submit">Log out</button>
      </form>
    </div>
  </xsl:template>

  <!-- The text of <title>, before " · OMS". -->
  <xsl:template match="page" mode="title">
    <xsl:value-of select="@title"/>
  </xsl:template>

  <xsl:template match="page" mode="heading">
    <h1><xsl:value-of select="@title"/></h1>
  </xsl:template>

  <!-- A page stylesheet overrides this; nothing for an unknown page. -->
  <xsl:template match="page" mode="body"/>

</xsl:stylesheet>

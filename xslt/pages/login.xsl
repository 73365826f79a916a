<?xml version="1.0" encoding="UTF-8"?>
<!--
  login.xsl: the login page (GET and POST /login).

  Input: the "login" view document of docs/views.md.  Output: one
  centred form posting the login name, the password and the address to
  go back to (login/@next) to /login.  After a refused attempt the
  document carries the login name typed (login/@login, shown again) and
  a message, shown as an alert so that a screen reader reads it out.
  The password is never sent back.

  The form carries the pre-session token login/@csrf as the hidden
  field "csrf": POST /login is refused unless it equals the oms_login
  cookie that GET /login set (login CSRF; docs/views.md).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="login"/>
  </xsl:template>

  <xsl:template match="login">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="card login" method="post" action="/login">
      <div class="field">
        <label for="f-login">Login name</label>
        <input id="f-login" type="text" name="login" value="{@login}"
          maxlength="64" required="required" autocomplete="username"
          autocapitalize="none" spellcheck="false" autofocus="autofocus"/>
      </div>
      <div class="field">
        <label for="f-password">Password</label>
        <input id="f-password" type="password" name="password"
          maxlength="1024" required="required"
          autocomplete="current-password"/>
      </div>
      <input type="hidden" name="csrf" value="{@csrf}"/>
      <input type="hidden" name="next" value="{@next}"/>
      <div class="actions">
        <button type="submit">Log in</button>
      </div>
    </form>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  user.xsl: the form of one account (/admin/users/new and
  /admin/users/{id}, administrators only).

  Input: the "user" view document of docs/views.md.  Output: the
  refusal message, if any, as an alert; the account form, posting to
  user/@action (login name and first password only when user/@new is
  "yes": the login name never changes); and for an existing account two
  more forms, one setting a new password ({action}/password) and one
  disabling or enabling the account ({action}/disable or /enable).

  Every form carries the session's token (page/session/@csrf) as the
  hidden field "csrf": the server refuses a POST without it.  The
  checks written into the inputs (required, pattern, minlength) are the
  server's own (src/users.c, src/auth.c), repeated so that the browser
  says what is wrong before sending; the server checks again.

  The site checkboxes are those of the account's customer as stored;
  oms.js disables them while another customer is chosen, since they
  would not belong to it.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="user"/>
  </xsl:template>

  <xsl:template match="user">
    <xsl:if test="@new = 'no'">
      <p class="lede">
        <xsl:text>Login name </xsl:text>
        <strong><xsl:value-of select="@login"/></strong>
        <xsl:text> · </xsl:text>
        <xsl:choose>
          <xsl:when test="@disabled = 'yes'">
            <span class="st s-disabled">Disabled</span>
          </xsl:when>
          <xsl:otherwise>
            <span class="st s-active">Active</span>
          </xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <div class="forms">
      <xsl:choose>
        <xsl:when test="@new = 'yes'">
          <div class="card">
            <xsl:apply-templates select="." mode="details"/>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <section class="card" aria-labelledby="h-details">
            <h2 id="h-details">Details</h2>
            <xsl:apply-templates select="." mode="details"/>
          </section>
          <div class="side">
            <xsl:apply-templates select="." mode="password"/>
            <xsl:apply-templates select="." mode="status"/>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- The account form: create (new="yes") or save. -->
  <xsl:template match="user" mode="details">
    <form class="edit" method="post" action="{@action}">
      <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
      <xsl:if test="@new = 'yes'">
        <div class="field">
          <label for="u-login">Login name</label>
          <input id="u-login" type="text" name="login" value="{@login}"
            maxlength="64" pattern="[a-z][a-z0-9._-]{{1,63}}"
            required="required" autocomplete="off" autocapitalize="none"
            spellcheck="false" aria-describedby="u-login-hint"/>
          <p class="hint" id="u-login-hint">2 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter. It cannot be changed later.</p>
        </div>
        <div class="field">
          <label for="u-password">Password</label>
          <input id="u-password" type="password" name="password"
            minlength="10" maxlength="1024" required="required"
            autocomplete="new-password" aria-describedby="u-password-hint"/>
          <p class="hint" id="u-password-hint">At least 10 characters, not a common password.</p>
        </div>
      </xsl:if>
      <div class="field">
        <label for="u-name">Name</label>
        <input id="u-name" type="text" name="name" value="{@name}"
          maxlength="200" required="required" autocomplete="off"/>
      </div>
      <div class="field">
        <label for="u-email">E-mail</label>
        <input id="u-email" type="email" name="email" value="{@email}"
          maxlength="254" required="required" autocomplete="off"
          spellcheck="false"/>
      </div>
      <div class="field">
        <label for="u-role">Role</label>
        <select id="u-role" name="role" required="required">
          <xsl:apply-templates select="roles/option"/>
        </select>
      </div>
      <div class="field">
        <label for="u-organisation">Organisation</label>
        <input id="u-organisation" type="text" name="organisation"
          value="{@organisation}" maxlength="200" required="required"
          autocomplete="off"/>
      </div>
      <div class="field">
        <label for="u-customer">Customer</label>
        <select id="u-customer" name="customer"
          aria-describedby="u-customer-hint">
          <option value="">— none —</option>
          <xsl:apply-templates select="customers/option"/>
        </select>
        <p class="hint" id="u-customer-hint">Required for the Customer role, whose user sees only this customer; none for the other roles.</p>
      </div>
      <div class="field check">
        <input id="u-approver" type="checkbox" name="approver" value="1">
          <xsl:if test="@approver = 'yes'">
            <xsl:attribute name="checked">checked</xsl:attribute>
          </xsl:if>
        </input>
        <label for="u-approver">Approves the customer's orders</label>
        <p class="hint">For a Customer user whose company approves its own orders before the vendor sees them.</p>
      </div>
      <xsl:if test="sites/option">
        <fieldset class="sites">
          <legend>Limit to these sites (none ticked: all sites)</legend>
          <ul class="checks">
            <xsl:for-each select="sites/option">
              <li>
                <input id="u-site-{@value}" type="checkbox" name="sites"
                  value="{@value}">
                  <xsl:if test="@selected">
                    <xsl:attribute name="checked">checked</xsl:attribute>
                  </xsl:if>
                </input>
                <label for="u-site-{@value}"><xsl:value-of select="@label"/></label>
              </li>
            </xsl:for-each>
          </ul>
        </fieldset>
      </xsl:if>
      <div class="actions">
        <button type="submit">
          <xsl:choose>
            <xsl:when test="@new = 'yes'">Create user</xsl:when>
            <xsl:otherwise>Save</xsl:otherwise>
          </xsl:choose>
        </button>
        <a href="/admin/users">Cancel</a>
      </div>
    </form>
  </xsl:template>

  <!-- A new password for an existing account. -->
  <xsl:template match="user" mode="password">
    <section class="card" aria-labelledby="h-password">
      <h2 id="h-password">Password</h2>
      <form class="edit" method="post" action="{@action}/password">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <div class="field">
          <label for="u-new-password">New password</label>
          <input id="u-new-password" type="password" name="password"
            minlength="10" maxlength="1024" required="required"
            autocomplete="new-password"
            aria-describedby="u-new-password-hint"/>
          <p class="hint" id="u-new-password-hint">At least 10 characters. Setting it logs the account out everywhere.</p>
        </div>
        <div class="actions">
          <button type="submit">Set password</button>
        </div>
      </form>
    </section>
  </xsl:template>

  <!--
    Disable or enable.  An administrator cannot disable their own
    account (the server refuses it), so that button is not offered on
    it.
  -->
  <xsl:template match="user" mode="status">
    <section class="card" aria-labelledby="h-status">
      <h2 id="h-status">Status</h2>
      <xsl:choose>
        <xsl:when test="@disabled = 'yes'">
          <p>This account is disabled: it cannot log in.</p>
          <form method="post" action="{@action}/enable">
            <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
            <div class="actions">
              <button type="submit">Enable account</button>
            </div>
          </form>
        </xsl:when>
        <xsl:when test="@login = /page/session/@login">
          <p>This is your own account. Another administrator can disable it.</p>
        </xsl:when>
        <xsl:otherwise>
          <p>Disabling the account logs it out everywhere and refuses its logins until it is enabled again.</p>
          <form method="post" action="{@action}/disable">
            <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
            <div class="actions">
              <button type="submit" class="danger">Disable account</button>
            </div>
          </form>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>

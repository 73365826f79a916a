<?xml version="1.0" encoding="UTF-8"?>
<!--
  users.xsl: the user list (/admin/users, administrators only).

  Input: the "users" view document of docs/views.md.  Output: the
  number of accounts and the "New user" link, then one table row an
  account, its login name linking to the account's form.  A disabled
  account's row is dimmed and its status says so; the word, not only
  the colour, carries the state.  The customer of a non-customer
  account is absent: its cell gets a single space (see layout.xsl).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="users"/>
  </xsl:template>

  <xsl:template match="users">
    <div class="bar">
      <p class="summary">
        <xsl:value-of select="@count"/>
        <xsl:text> user</xsl:text>
        <xsl:if test="@count != 1">s</xsl:if>
      </p>
      <p class="tools"><a class="button" href="/admin/users/new">New user</a></p>
    </div>
    <xsl:choose>
      <xsl:when test="user">
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data users">
            <caption id="caption" class="vh">Users</caption>
            <thead>
              <tr>
                <th scope="col">Login</th>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Organisation</th>
                <th scope="col">Customer</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="user">
                <tr>
                  <xsl:if test="@disabled = 'yes'">
                    <xsl:attribute name="class">off</xsl:attribute>
                  </xsl:if>
                  <td><a href="/admin/users/{@id}"><xsl:value-of select="@login"/></a></td>
                  <td><xsl:value-of select="@name"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@email"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@role-label"/></td>
                  <td><xsl:value-of select="@organisation"/><xsl:text> </xsl:text></td>
                  <td><xsl:value-of select="@customer"/><xsl:text> </xsl:text></td>
                  <xsl:choose>
                    <xsl:when test="@disabled = 'yes'">
                      <td class="st s-disabled">Disabled</td>
                    </xsl:when>
                    <xsl:otherwise>
                      <td class="st s-active">Active</td>
                    </xsl:otherwise>
                  </xsl:choose>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <p class="empty">There are no user accounts yet.</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

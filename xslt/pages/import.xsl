<?xml version="1.0" encoding="UTF-8"?>
<!--
  import.xsl: bulk import of a CSV file (/admin/import, administrators
  only).

  Input: the "import" view document of docs/views.md.  Output: the
  report of the import just run, if any (its counts; when the file was
  refused, every bad row listed with its line, column, reason and text),
  then the upload form: what the file holds (the kinds not importable
  yet are shown but disabled) and the file.  The form posts as
  multipart/form-data with the session's token (page/session/@csrf) as
  its hidden "csrf" field.  The largest upload is max_body of oms.conf
  (import/@max-body bytes); larger files go through "omsctl import".
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="import/report"/>
    <xsl:apply-templates select="import"/>
  </xsl:template>

  <xsl:template match="report">
    <xsl:choose>
      <xsl:when test="@imported = 'yes'">
        <p class="lede" role="status">
          <xsl:text>Imported </xsl:text>
          <strong><xsl:value-of select="@kind"/></strong>
          <xsl:if test="@file">
            <xsl:text> from </xsl:text>
            <xsl:value-of select="@file"/>
          </xsl:if>
          <xsl:text>: </xsl:text>
          <xsl:value-of select="@rows"/>
          <xsl:text> rows, </xsl:text>
          <xsl:value-of select="@added"/>
          <xsl:text> added, </xsl:text>
          <xsl:value-of select="@updated"/>
          <xsl:text> updated, </xsl:text>
          <xsl:value-of select="@skipped"/>
          <xsl:text> skipped.</xsl:text>
        </p>
      </xsl:when>
      <xsl:otherwise>
        <p class="alert" role="alert">
          <xsl:text>Nothing was imported: </xsl:text>
          <xsl:value-of select="@refused"/>
          <xsl:text> of </xsl:text>
          <xsl:value-of select="@rows"/>
          <xsl:text> rows of this </xsl:text>
          <xsl:value-of select="@kind"/>
          <xsl:text> file are bad (</xsl:text>
          <xsl:value-of select="@problems"/>
          <xsl:text> problems</xsl:text>
          <xsl:if test="count(problem) &lt; @problems">
            <xsl:text>, the first </xsl:text>
            <xsl:value-of select="count(problem)"/>
            <xsl:text> listed</xsl:text>
          </xsl:if>
          <xsl:text>). Correct them and import the whole file again.</xsl:text>
        </p>
        <div class="table-wrap" role="region" aria-labelledby="caption"
          tabindex="0">
          <table class="data problems">
            <caption id="caption" class="vh">The bad rows of the file</caption>
            <thead>
              <tr>
                <th scope="col" class="num">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Reason</th>
                <th scope="col">Row</th>
              </tr>
            </thead>
            <tbody>
              <xsl:for-each select="problem">
                <tr>
                  <td class="num"><xsl:value-of select="@line"/></td>
                  <td><xsl:value-of select="@column"/></td>
                  <td><xsl:value-of select="reason"/></td>
                  <td><code><xsl:value-of select="row"/></code></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="import">
    <form class="edit card" method="post" action="/admin/import"
      enctype="multipart/form-data">
      <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
      <div class="field">
        <label for="i-kind">The file holds</label>
        <select id="i-kind" name="kind" required="required">
          <xsl:for-each select="kind">
            <option value="{@name}">
              <xsl:if test="@ready = 'no'">
                <xsl:attribute name="disabled">disabled</xsl:attribute>
              </xsl:if>
              <xsl:if test="@selected = 'yes'">
                <xsl:attribute name="selected">selected</xsl:attribute>
              </xsl:if>
              <xsl:value-of select="@name"/>
              <xsl:if test="@ready = 'no'"> (not yet)</xsl:if>
            </option>
          </xsl:for-each>
        </select>
      </div>
      <div class="field">
        <label for="i-file">CSV file</label>
        <input id="i-file" type="file" name="file" accept=".csv,text/csv"
          required="required" aria-describedby="i-file-hint"/>
        <p class="hint" id="i-file-hint">
          <xsl:text>UTF-8, a header row with the columns of the kind (BILLING.md), at most </xsl:text>
          <xsl:value-of select="@max-body"/>
          <xsl:text> bytes with the form (max_body in oms.conf); larger files: omsctl import. All rows or none: a file with a bad row imports nothing.</xsl:text>
        </p>
      </div>
      <button type="submit">Import</button>
    </form>
  </xsl:template>

</xsl:stylesheet>

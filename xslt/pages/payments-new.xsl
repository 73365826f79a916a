<?xml version="1.0" encoding="UTF-8"?>
<!--
  payments-new.xsl: the payment form (/payments/new).  A customer
  picker (GET, so choosing one shows its invoices); once a customer is
  chosen, its issued invoices with their total due (newest first) and
  the form: date, amount (positive, at most 2 decimals), method, an
  optional reference.  A refused value comes back as form/message.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:import href="order-money.xsl"/>

  <xsl:output method="xml" omit-xml-declaration="yes" media-type="text/html"
    encoding="UTF-8" indent="no"/>

  <xsl:template match="page" mode="body">
    <xsl:apply-templates select="form"/>
  </xsl:template>

  <xsl:template match="form">
    <xsl:if test="string(message)">
      <p class="alert" role="alert"><xsl:value-of select="message"/></p>
    </xsl:if>
    <form class="filter" method="get" action="{@action}" aria-label="Choose the customer">
      <div class="field">
        <label for="p-pick">Customer</label>
        <select id="p-pick" name="customer">
          <option value="">Choose…</option>
          <xsl:apply-templates select="customers/option"/>
        </select>
      </div>
      <div class="actions">
        <button type="submit">Choose</button>
      </div>
    </form>
    <xsl:if test="customer">
      <section aria-labelledby="h-open">
        <h2 id="h-open">Invoices of <xsl:value-of select="customer/@code"/><xsl:text> </xsl:text><xsl:value-of select="customer/@name"/></h2>
        <xsl:choose>
          <xsl:when test="invoices/invoice">
            <table class="data invoices">
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Period</th>
                  <th scope="col">Due</th>
                  <th scope="col">Current charges</th>
                  <th scope="col">Payments</th>
                  <th scope="col">Total due</th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="invoices/invoice">
                  <tr>
                    <td><xsl:value-of select="@number"/></td>
                    <td><xsl:value-of select="@period"/></td>
                    <td><xsl:value-of select="@due"/></td>
                    <td class="num">
                      <xsl:call-template name="money">
                        <xsl:with-param name="cents" select="@current"/>
                      </xsl:call-template>
                    </td>
                    <td class="num">
                      <xsl:call-template name="money">
                        <xsl:with-param name="cents" select="@payments"/>
                      </xsl:call-template>
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
          </xsl:when>
          <xsl:otherwise>
            <p class="empty">No invoice has been issued to this customer.</p>
          </xsl:otherwise>
        </xsl:choose>
      </section>
      <form class="edit payment" method="post" action="{@action}">
        <input type="hidden" name="csrf" value="{/page/session/@csrf}"/>
        <input type="hidden" name="customer" value="{customer/@id}"/>
        <div class="field">
          <label for="p-date">Date</label>
          <input id="p-date" type="date" name="date" value="{@date}" required="required"/>
        </div>
        <div class="field">
          <label for="p-amount">Amount</label>
          <input id="p-amount" type="text" name="amount" value="{@amount}"
            inputmode="decimal" required="required" maxlength="32"/>
        </div>
        <div class="field">
          <label for="p-method">Method</label>
          <input id="p-method" type="text" name="method" value="{@method}"
            required="required" maxlength="32"/>
        </div>
        <div class="field">
          <label for="p-ref">Reference (optional)</label>
          <input id="p-ref" type="text" name="reference" value="{@reference}" maxlength="64"/>
        </div>
        <div class="actions">
          <button type="submit">Record payment</button>
        </div>
      </form>
    </xsl:if>
  </xsl:template>

  <xsl:template match="option">
    <option value="{@value}">
      <xsl:copy-of select="@selected"/>
      <xsl:value-of select="@label"/>
    </option>
  </xsl:template>

</xsl:stylesheet>

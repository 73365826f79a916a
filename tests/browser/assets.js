'use strict';
// The asset query in a real browser: Debian's Chromium driven by
// playwright-core, through nginx and omsd as a user would, with the
// session of the operator's admin.  Open the customer list, follow the
// first customer and one of its sites, filter
// by type Line and status Active with the form, and check the rows, the
// row count and the matched count against sqlite3; then search for a
// known row's number.  A screenshot is left in the instance folder
// (kept with OMS_KEEP=1) or in $OMS_SCREENSHOT_DIR.

const fs = require('fs');
const path = require('path');

const t = require('../tap.js');
const { ok, is, done, sql } = t;

// The text of every cell of the asset table, by column label.
async function readTable(page) {
  return page.evaluate(() => {
    const heads = [...document.querySelectorAll('main table thead th')].map((th) => th.textContent.trim());
    const rows = [...document.querySelectorAll('main table tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()));
    return { heads, rows };
  });
}

// The matched count the page shows: the number before "asset(s)" in the
// result summary.
async function shownCount(page) {
  const text = await page.locator('main').innerText();
  const m = text.match(/(\d+)\s+assets?\b[^.]*matched/) || text.match(/(\d+)\s+assets?\b/);
  return m ? Number(m[1]) : NaN;
}

async function main() {
  const chromium = t.chromiumOrSkip();

  const stack = await t.startStack({ login: true });
  let browser;
  try {
    browser = await t.launch(chromium);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The session of the operator's admin that oms_start opened (the
    // login form itself is tested by tests/browser/customer.js).
    const [cname, cvalue] = stack.cookie.split('=');
    await context.addCookies([{ name: cname, value: cvalue, url: stack.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`); });

    // The customer list, then the first customer.
    let resp = await page.goto(`${stack.url}/customers`);
    is(resp.status(), 200, 'the customer list loads');
    const custLinks = page.locator('main a[href^="/customers/"]');
    is(await custLinks.count(), Number(sql(stack.dir, 'SELECT COUNT(*) FROM customers')),
      'the customer list links every customer of the database');
    const custHref = await custLinks.first().getAttribute('href');
    await Promise.all([page.waitForURL(`**${custHref}`), custLinks.first().click()]);
    const cust = Number(custHref.split('/').pop());
    ok(cust > 0, `clicking the first customer opens ${custHref}`);

    // A site of that customer: the first one with active lines.
    const siteLinks = page.locator('main a[href^="/sites/"]');
    is(await siteLinks.count(), Number(sql(stack.dir, `SELECT COUNT(*) FROM sites WHERE customer_id = ${cust}`)),
      "the customer's page links each of its sites");
    const hrefs = await siteLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const withLines = sql(stack.dir, `SELECT a.site_id FROM assets a JOIN products p ON p.id = a.product_id
      JOIN sites s ON s.id = a.site_id WHERE s.customer_id = ${cust} AND p.asset_type = 'line'
      AND a.status = 'active' GROUP BY 1`).split('\n');
    const idx = hrefs.findIndex((h) => withLines.includes(h.split('/')[2]));
    ok(idx >= 0, 'one of the sites has active lines');
    const siteHref = hrefs[Math.max(idx, 0)];
    const site = Number(siteHref.split('/')[2]);
    await Promise.all([page.waitForURL(`**${siteHref}`), siteLinks.nth(Math.max(idx, 0)).click()]);
    ok(page.url().endsWith(siteHref), `clicking a site opens its asset page ${siteHref}`);

    // The filter form: type Line, status Active, submit.
    await page.selectOption('select[name="type"]', { label: 'Line' });
    await page.selectOption('select[name="status"]', { label: 'Active' });
    const submit = page.locator('form:has(select[name="type"]) [type="submit"]');
    await Promise.all([page.waitForURL(/type=line/), submit.first().click()]);
    const url = new URL(page.url());
    is(`${url.searchParams.get('type')}/${url.searchParams.get('status')}`, 'line/active',
      'submitting the form asks for type=line and status=active');
    is(await page.locator('select[name="type"]').inputValue(), 'line', 'the form keeps type Line selected');
    is(await page.locator('select[name="status"]').inputValue(), 'active', 'the form keeps status Active selected');

    const per = Number(await page.locator('select[name="per"]').inputValue());
    const want = Number(sql(stack.dir, `SELECT COUNT(*) FROM assets a JOIN products p ON p.id = a.product_id
      WHERE a.site_id = ${site} AND p.asset_type = 'line' AND a.status = 'active'`));
    const shown = await shownCount(page);
    is(shown, want, `the matched count shown (${shown}) equals sqlite3's count`);
    const { heads, rows } = await readTable(page);
    const ti = heads.findIndex((h) => /^Type\b/.test(h));
    const si = heads.findIndex((h) => /^Status\b/.test(h));
    const ni = heads.findIndex((h) => /^Number\b/.test(h));
    ok(ti >= 0 && si >= 0 && ni >= 0, 'the table has Number, Type and Status columns', heads.join(' | '));
    is(rows.length, Math.min(per, want), `the table shows min(per ${per}, matched ${want}) rows`);
    const wrong = rows.filter((r) => r[ti] !== 'Line' || r[si] !== 'Active');
    ok(rows.length > 0 && wrong.length === 0, 'every row shown is a Line and Active',
      wrong.slice(0, 3).map((r) => r.join(' | ')).join('\n'));
    const numbers = rows.map((r) => r[ni]);
    const sorted = [...numbers].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    is(numbers.join(','), sorted.join(','), 'the rows are in number order (the default sort)');

    const dir = process.env.OMS_SCREENSHOT_DIR || stack.dir;
    const shot = path.join(dir, 'assets-line-active.png');
    await page.screenshot({ path: shot, fullPage: true });
    const size = fs.existsSync(shot) ? fs.statSync(shot).size : 0;
    ok(size > 1000, `a screenshot was written to ${shot}`, `size ${size}`);

    // Search for a known row's number: that row appears.
    const known = numbers[numbers.length - 1];
    await page.fill('input[name="q"]', known);
    await Promise.all([page.waitForURL(/[?&]q=/), submit.first().click()]);
    const after = await readTable(page);
    ok(after.rows.some((r) => r[ni] === known), `searching for ${known} shows its row`,
      after.rows.map((r) => r[ni]).join(' '));
    const wantQ = Number(sql(stack.dir, `SELECT COUNT(*) FROM assets a JOIN products p ON p.id = a.product_id
      WHERE a.site_id = ${site} AND p.asset_type = 'line' AND a.status = 'active'
      AND (instr(COALESCE(a.phone_number, ''), '${known}') OR instr(COALESCE(a.extension, ''), '${known}')
      OR instr(COALESCE(a.mailbox, ''), '${known}') OR instr(COALESCE(a.serial, ''), '${known}'))`));
    is(await shownCount(page), wantQ, `the matched count for ${known} equals sqlite3's (${wantQ})`);
    is(await page.locator('input[name="q"]').inputValue(), known, 'the search box keeps the text');

    // Follow the crumbs back to the customer.
    const crumb = page.locator(`header a[href="/customers/${cust}"], nav a[href="/customers/${cust}"]`);
    ok(await crumb.count() > 0, 'the breadcrumbs link back to the customer');

    ok(problems.length === 0, 'no console error, script error or 5xx response on the way', problems.join('\n'));
    await context.close();
  } finally {
    if (browser) await browser.close().catch(() => {});
    await stack.stop();
  }
  done();
}

main().catch((e) => {
  console.log(`Bail out! ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' ') : e}`);
  process.exitCode = 1;
});

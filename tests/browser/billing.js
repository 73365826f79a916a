'use strict';
// Billing in a real browser (Debian's Chromium, playwright-core,
// through nginx and omsd with its billing job and the real PDF
// renderer): finance opens the billing page, whose preview has a row a
// customer with the same amounts as the page's XML; presses Issue (the
// form with its CSRF token), lands on the run's page, which reloads
// itself until the job says done; opens the Invoices list (one row an
// invoice of the period, as SQL has them), clicks an invoice, whose
// total due is the one of its XML; reloads it until the job has stored
// its PDF and links it, and the PDF (fetched with the browser's
// session) carries the invoice's number and total due; the same for
// the Billing Report and its PDF.  Then a customer user of one customer
// (made with omsctl user add) sees only its customer's invoices, opens
// its invoice and PDF, and another customer's invoice is the 404 page.
// On the backend of OMS_BACKEND (mariadb: tests/mariadb/billing_browser.sh).

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const t = require('../tap.js');
const { ok, is, done, sql } = t;
const PASSWORD = process.env.OMS_TEST_PASSWORD || 'test-password-1';
const CPW = 'Browser-billing-customer-1';
// Deadlines of the waits on the billing job (a run, the PDFs).
const RUN_MS = 300000;
const PDF_MS = 300000;

// Log page's context in as user through the login form.
async function login(page, url, user, password = PASSWORD) {
  await page.goto(`${url}/login`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', password);
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator('form.login [type="submit"]').click()]);
  return resp;
}

// Click link or button (a locator) and wait for the page it leads to.
async function press(page, button) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  return resp;
}

// Integer cents as the pages write them (order-money.xsl): 1234567 is
// "12,345.67", -5 is "-0.05".
function money(cents) {
  const c = BigInt(cents);
  const a = c < 0n ? -c : c;
  const whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${c < 0n ? '-' : ''}${whole}.${(a % 100n).toString().padStart(2, '0')}`;
}

// The columns of a row of sql() (sqlite writes "|" between them,
// mariadb a tab): for rows of numbers and codes only.
function cols(s) {
  return s.split(/[|\t]/);
}

function lines(s) {
  return s === '' ? [] : s.split('\n');
}

// The month before the current one (UTC), "YYYY-MM": the period that
// can be issued at today's business date.
function lastMonth() {
  const d = new Date();
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  return m.toISOString().slice(0, 7);
}

async function main() {
  const chromium = t.chromiumOrSkip();
  const renderer = path.join(t.builddir, 'oms-render-pdf');
  if (!fs.existsSync(renderer)) t.skipAll(`${renderer} is missing (build first)`);
  if (spawnSync('pdftotext', ['-v']).error) t.skipAll('pdftotext (poppler-utils) is not installed');
  // A small demo (PDFs of a page or two), omsd running the billing job
  // with the build's PDF renderer (tests/lib.sh writes both in oms.conf).
  process.env.OMS_SEED_ARGS = '--customers 2 --sites 1 --assets 3 --seed 42';
  process.env.OMS_PDF_RENDERER = renderer;
  process.env.OMS_CONF_EXTRA = '\n[jobs]\nrun = billing\nlease_time = 3';

  const stack = await t.startStack({ login: false });
  let browser;
  try {
    browser = await t.launch(chromium);
    const problems = [];
    const newPage = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15000);
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`); });
      return page;
    };
    // XML documents are read with the browser's own parser, on a page
    // of their own.
    const xpage = await (await browser.newContext()).newPage();
    // xml(page, path, xpaths): the string values of xpaths in the XML
    // that path answers to page's session.
    const xml = async (page, p, xpaths) => {
      const r = await page.request.get(`${stack.url}${p}`);
      if (r.status() !== 200) throw new Error(`GET ${p}: ${r.status()}`);
      return xpage.evaluate(([s, xs]) => {
        const d = new DOMParser().parseFromString(s, 'application/xml');
        return xs.map((x) => d.evaluate(x, d, null, XPathResult.STRING_TYPE, null).stringValue);
      }, [await r.text(), xpaths]);
    };
    // pdf(page, href, name): GET href with page's session; its status,
    // type, first bytes and text (pdftotext -layout, spaces squeezed).
    const pdf = async (page, href, name) => {
      const r = await page.request.get(`${stack.url}${href}`);
      const body = await r.body();
      const file = path.join(stack.dir, `${name}.pdf`);
      fs.writeFileSync(file, body);
      const txt = spawnSync('pdftotext', ['-layout', file, '-']);
      return {
        status: r.status(), type: r.headers()['content-type'] || '',
        magic: body.subarray(0, 5).toString('latin1'),
        text: txt.status === 0 ? txt.stdout.toString().replace(/[ \t]+/g, ' ') : '',
      };
    };
    // Reload page until selector is there (the billing job stores the
    // documents after the run): true when it came before the deadline.
    const reloadUntil = async (page, selector, ms) => {
      const end = Date.now() + ms;
      for (;;) {
        if (await page.locator(selector).count() > 0) return true;
        if (Date.now() > end) return false;
        await page.waitForTimeout(250);
        await page.reload();
      }
    };

    // ------------------------------------------------ the preview
    const fi = await newPage();
    await login(fi, stack.url, 'finance');
    let resp = await fi.goto(`${stack.url}/billing`);
    is(resp.status(), 200, 'finance opens the billing page');
    const P = lastMonth();
    const [next, count, current, due, issueAction] = await xml(fi, '/billing?format=xml',
      ['string(/page/next/@period)', 'string(/page/preview/invoices/@count)',
        'string(/page/preview/invoices/@current)', 'string(/page/preview/invoices/@total-due)',
        'string(/page/issue/@action)']);
    is(next, P, `the next period to issue is last month, ${P}`);
    is(issueAction, '/billing/issue', 'and it can be issued');
    is((await fi.locator('#h-preview').innerText()).trim(), `Preview of ${P}`, `the page previews ${P}`);
    const customers = Number(sql(stack.dir, 'SELECT COUNT(*) FROM customers'));
    ok(customers >= 2, `the demo has ${customers} customers`);
    is(Number(count), customers, 'the preview has an invoice for every customer');
    const rows = await fi.locator('table.preview tbody tr').evaluateAll(
      (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
    is(rows.length, customers, 'the preview table has a row a customer');
    const want = [];
    for (let k = 1; k <= customers; k++) {
      const [code, cur, chg, tot] = await xml(fi, '/billing?format=xml',
        [`string(/page/preview/invoices/invoice[${k}]/@customer-code)`,
          `string(/page/preview/invoices/invoice[${k}]/@current)`,
          `string(/page/preview/invoices/invoice[${k}]/@change)`,
          `string(/page/preview/invoices/invoice[${k}]/@total-due)`]);
      want.push([code, money(cur), chg === 'new' ? 'new' : money(chg), money(tot)]);
    }
    is(JSON.stringify(rows.map((r) => [r[0], r[2], r[3], r[4]])), JSON.stringify(want),
      "each row's customer, current charges, change and total due are the XML's");
    ok(want.every((r) => r[1] !== '0.00'), 'every customer has charges to issue', JSON.stringify(want));
    const summary = await fi.locator('section[aria-labelledby="h-preview"] p.summary').innerText();
    ok(summary.includes(`current charges ${money(current)}`) && summary.includes(`total due ${money(due)}`),
      `the summary has the totals of the XML (${money(current)}, ${money(due)})`, summary);

    // ------------------------------------------------ issue
    is(await fi.locator('form.issue input[name="csrf"]').count(), 1, 'the Issue form carries the CSRF token');
    resp = await press(fi, fi.locator('form.issue [type="submit"]'));
    const runPath = new URL(fi.url()).pathname;
    ok(/^\/billing\/runs\/\d+$/.test(runPath) && resp.status() === 200, `Issue leads to the run's page (${runPath})`);
    const run = Number(runPath.split('/').pop());
    is(cols(sql(stack.dir, `SELECT period, requested_by FROM billing_runs WHERE id = ${run}`)).join(' '),
      `${P} finance`, `the run of ${P} asked by finance is recorded`);
    // The page reloads itself (meta refresh) while queued or running.
    await fi.locator('dd.st.r-done, dd.st.r-failed').waitFor({ timeout: RUN_MS });
    ok((await fi.locator('dd.st').innerText()).trim() === 'done', "the run's page comes to say done by itself",
      await fi.locator('main').innerText());
    const issued = sql(stack.dir, `SELECT COUNT(*) FROM invoices WHERE period = '${P}'`);
    is(issued, String(customers), `an invoice a customer is issued for ${P}`);
    const facts = (await fi.locator('dl.run').innerText()).replace(/\s+/g, ' ');
    ok(facts.includes(`Invoices issued ${issued}`) && facts.includes(`${customers} of ${customers} customers`),
      `the run's page says ${issued} invoices issued, every customer done`, facts);
    is(await fi.locator('meta[http-equiv="refresh"]').count(), 0, 'the finished run no longer reloads');
    await fi.goto(`${stack.url}/billing?period=${P}`);
    is(await fi.locator('form.issue').count(), 0, `bad: the billing page of ${P} offers no Issue button any more`);

    // ------------------------------------------------ the invoices
    resp = await press(fi, fi.locator('header a[href="/invoices"]'));
    is(resp.status(), 200, 'the Invoices link opens the list');
    const listed = await fi.locator('main table tbody tr td:first-child a').evaluateAll(
      (as) => as.map((a) => `${a.textContent.trim()} ${a.getAttribute('href')}`).sort());
    const inDb = lines(sql(stack.dir, `SELECT number, id FROM invoices WHERE period = '${P}'`))
      .map((l) => { const [n, id] = cols(l); return `${n} /invoices/${id}`; }).sort();
    is(listed.join(', '), inDb.join(', '), 'the list links every invoice issued, by number');
    // The invoice of the customer with the most charges.
    const [id, number] = cols(sql(stack.dir,
      `SELECT id, number FROM invoices WHERE period = '${P}' ORDER BY total_due_cents DESC, id LIMIT 1`));
    resp = await press(fi, fi.locator('main table tbody td a', { hasText: new RegExp(`^${number}$`) }));
    is(`${new URL(fi.url()).pathname} ${resp.status()}`, `/invoices/${id} 200`, `clicking ${number} opens its page`);
    const [xNumber, xDue] = await xml(fi, `/invoices/${id}?format=xml`,
      ['string(/page/invoice/number)', 'string(/page/invoice/total_due)']);
    is(xNumber, number, "the invoice's XML has its number");
    is(xDue, sql(stack.dir, `SELECT total_due_cents FROM invoices WHERE id = ${id}`), 'and the total due stored');
    is((await fi.locator('td.total-due').first().innerText()).trim(), money(xDue),
      `the page shows the XML's total due, ${money(xDue)}`);
    ok(await reloadUntil(fi, 'ul.actions a[href$="/invoice.pdf"]', PDF_MS),
      'once the job has rendered it, the page links the PDF');
    const pdfHref = await fi.locator('ul.actions a[href$="/invoice.pdf"]').getAttribute('href');
    is(pdfHref, `/invoices/${id}/invoice.pdf`, 'the PDF link is the invoice\'s');
    is((await fi.locator('td.total-due').first().innerText()).trim(), money(xDue),
      'the stored page shows the same total due');
    let got = await pdf(fi, pdfHref, 'finance-invoice');
    is(`${got.status} ${got.type} ${got.magic}`, '200 application/pdf %PDF-', 'the PDF answers 200, application/pdf, %PDF-');
    ok(got.text.includes(`Summary Invoice ${number}`), `its text has the invoice number (${number})`, got.text.slice(0, 400));
    ok(got.text.includes(money(xDue)), `and the total due (${money(xDue)})`);

    // The Billing Report, from the invoice page.
    resp = await press(fi, fi.locator('ul.actions a', { hasText: /^Billing Report$/ }));
    is(`${new URL(fi.url()).pathname} ${resp.status()}`, `/invoices/${id}/report 200`, 'the Billing Report link opens the report');
    const [rSub, rTotal] = await xml(fi, `/invoices/${id}/report?format=xml`,
      ['string(/page/report/totals/total_before_tax)', 'string(/page/report/totals/total_due)']);
    is(rSub, sql(stack.dir, `SELECT subtotal_cents FROM invoices WHERE id = ${id}`), "the report's XML has the invoice's subtotal");
    ok(await reloadUntil(fi, 'ul.actions a[href$="/report.pdf"]', PDF_MS), 'the report page links its PDF');
    const rHref = await fi.locator('ul.actions a[href$="/report.pdf"]').getAttribute('href');
    is(rHref, `/invoices/${id}/report.pdf`, 'the report PDF link is the invoice\'s');
    got = await pdf(fi, rHref, 'finance-report');
    is(`${got.status} ${got.type} ${got.magic}`, '200 application/pdf %PDF-', 'the report PDF answers 200, application/pdf, %PDF-');
    ok(got.text.includes('Billing Report') && got.text.includes(`period ${P}, invoice ${number} of `),
      `its text is the Billing Report of invoice ${number}`, got.text.slice(0, 600));
    ok(got.text.includes(money(rSub)), `with the total before tax (${money(rSub)})`);
    is(rTotal, xDue, "the report's total due is the invoice's");
    ok(got.text.includes(money(rTotal)), `and its PDF has it (${money(rTotal)})`);

    // ------------------------------------------------ a customer user
    // A customer other than the one of the invoice finance opened.
    const own = Number(sql(stack.dir, `SELECT MIN(customer_id) FROM invoices WHERE period = '${P}' AND id <> ${id}`));
    const ownName = sql(stack.dir, `SELECT name FROM customers WHERE id = ${own}`);
    const add = spawnSync(path.join(t.builddir, 'omsctl'),
      ['-f', path.join(stack.dir, 'oms.conf'), 'user', 'add', 'bb-cust', '--role', 'customer',
        '--name', 'Browser Billing Customer', '--email', 'bb-cust@example.com',
        '--organisation', ownName, '--customer', String(own)],
      { input: `${CPW}\n`, env: process.env });
    is(add.status, 0, `omsctl user add makes a customer user of customer ${own}`, String(add.stderr));
    const cu = await newPage();
    resp = await login(cu, stack.url, 'bb-cust', CPW);
    ok(resp && resp.status() === 200 && new URL(cu.url()).pathname !== '/login', 'the customer user logs in');
    resp = await cu.goto(`${stack.url}/invoices`);
    is(resp.status(), 200, 'it opens the invoice list');
    const mine = await cu.locator('main table tbody tr td:first-child a').evaluateAll(
      (as) => as.map((a) => a.getAttribute('href')).sort());
    const ownIds = lines(sql(stack.dir, `SELECT id FROM invoices WHERE customer_id = ${own}`)).map((i) => `/invoices/${i}`).sort();
    ok(ownIds.length > 0, 'its customer has invoices');
    is(mine.join(' '), ownIds.join(' '), "the list links its customer's invoices and no other");
    const others = lines(sql(stack.dir, `SELECT name FROM customers WHERE id <> ${own}`));
    const text = await cu.locator('main').innerText();
    is(others.filter((n) => text.includes(n)).join(', '), '', 'and names no other customer');
    const [mid, mnum, mdue] = cols(sql(stack.dir,
      `SELECT id, number, total_due_cents FROM invoices WHERE customer_id = ${own} AND period = '${P}'`));
    resp = await press(cu, cu.locator('main table tbody td a', { hasText: new RegExp(`^${mnum}$`) }));
    is(`${new URL(cu.url()).pathname} ${resp.status()}`, `/invoices/${mid} 200`, `it opens its invoice ${mnum}`);
    is((await cu.locator('td.total-due').first().innerText()).trim(), money(mdue), `which shows its total due, ${money(mdue)}`);
    ok(await reloadUntil(cu, 'ul.actions a[href$="/invoice.pdf"]', PDF_MS), 'and links its PDF');
    got = await pdf(cu, await cu.locator('ul.actions a[href$="/invoice.pdf"]').getAttribute('href'), 'customer-invoice');
    is(`${got.status} ${got.type} ${got.magic}`, '200 application/pdf %PDF-', 'its PDF answers 200, application/pdf, %PDF-');
    ok(got.text.includes(`Summary Invoice ${mnum}`), `with its number (${mnum})`, got.text.slice(0, 400));
    ok(got.text.includes(money(mdue)), `and its total due (${money(mdue)})`);

    const oid = id;
    resp = await cu.goto(`${stack.url}/invoices/${oid}`);
    is(resp.status(), 404, `bad: another customer's invoice /invoices/${oid} answers 404`);
    const page404 = await cu.locator('main').innerText();
    ok(/404/.test(await cu.title()), 'bad: with the 404 page', `${await cu.title()}: ${page404}`);
    is(others.filter((n) => page404.includes(n)).join(', '), '', 'bad: which names no other customer');
    const none = Number(sql(stack.dir, 'SELECT MAX(id) + 1000 FROM invoices'));
    resp = await cu.goto(`${stack.url}/invoices/${none}`);
    is(`${resp.status()} ${await cu.locator('main').innerText()}`, `404 ${page404}`,
      'bad: the very page of an invoice that does not exist');
    got = await pdf(cu, `/invoices/${oid}/invoice.pdf`, 'customer-other');
    is(got.status, 404, "bad: another customer's invoice PDF answers 404");
    ok(got.magic !== '%PDF-', 'bad: and is no PDF');
    resp = await cu.goto(`${stack.url}/invoices/${oid}/report`);
    is(resp.status(), 404, "bad: another customer's Billing Report answers 404");
    got = await pdf(cu, `/invoices/${oid}/report.pdf`, 'customer-other-report');
    is(got.status, 404, "bad: and so does its PDF");

    is(problems.join('\n'), '', 'no page error and no 5xx');
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

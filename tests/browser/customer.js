'use strict';
// A customer user in a real browser: Debian's Chromium driven by
// playwright-core, through nginx and omsd.  Not logged in, the
// customer list leads to the login form; the demo customer user logs
// in through it and is brought back; it sees only its own customer and
// that customer's sites (compared with SQL through tests/sql.sh); the
// address of another customer's site and of another customer show the
// 404 page, as a site that does not exist does; "Log out" returns to
// the login page and the session is gone.


const t = require('../tap.js');
const { ok, is, done, sql } = t;
const PASSWORD = process.env.OMS_TEST_PASSWORD || 'test-password-1';

function lines(s) {
  return s === '' ? [] : s.split('\n');
}

function sortedNums(a) {
  return [...a].map(Number).sort((x, y) => x - y).join(',');
}

// The other customers' names that appear in the page's HTML or text.
async function leaks(page, names) {
  const html = await page.content();
  const text = await page.locator('body').innerText();
  return names.filter((nm) => html.includes(nm) || text.includes(nm) ||
    html.includes(nm.replace(/&/g, '&amp;')));
}

async function main() {
  const chromium = t.chromiumOrSkip();

  const stack = await t.startStack({ login: false });
  let browser;
  try {
    const own = Number(sql(stack.dir, "SELECT customer_id FROM users WHERE login = 'customer'"));
    ok(own > 0, `the demo customer user belongs to customer ${own}`);
    const ownName = sql(stack.dir, `SELECT name FROM customers WHERE id = ${own}`);
    const others = lines(sql(stack.dir, `SELECT name FROM customers WHERE id <> ${own}`));
    ok(others.length > 0, 'there are other customers not to see');
    const ownSites = lines(sql(stack.dir, `SELECT id FROM sites WHERE customer_id = ${own}`));
    const other = Number(sql(stack.dir, `SELECT MIN(customer_id) FROM sites WHERE customer_id <> ${own}`));
    const otherSite = Number(sql(stack.dir, `SELECT MIN(id) FROM sites WHERE customer_id = ${other}`));
    const noSite = Number(sql(stack.dir, 'SELECT MAX(id) + 1000 FROM sites'));

    browser = await t.launch(chromium);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => { if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`); });

    // Not logged in: the login form, then back to the customer list.
    let resp = await page.goto(`${stack.url}/customers`);
    let url = new URL(page.url());
    is(url.pathname, '/login', 'not logged in, /customers leads to the login page');
    is(url.searchParams.get('next'), '/customers', 'which will come back to /customers');
    ok(await page.locator('input[name="password"][type="password"]').count() === 1, 'the login page has a password field');

    // A wrong password first: refused, on the login page still.
    await page.fill('input[name="login"]', 'customer');
    await page.fill('input[name="password"]', `${PASSWORD}-wrong`);
    [resp] = await Promise.all([page.waitForNavigation(), page.locator('form.login [type="submit"]').click()]);
    is(resp && resp.status(), 401, 'a wrong password is refused (401)');
    if (resp && resp.status() === 403)
      throw new Error(`the login form itself is refused: ${(await page.locator('main').innerText()).replace(/\s+/g, ' ')}`);
    ok(/wrong/i.test(await page.locator('main').innerText()), 'and the page says the login or password is wrong',
      await page.locator('main').innerText());

    await page.fill('input[name="login"]', 'customer');
    await page.fill('input[name="password"]', PASSWORD);
    [resp] = await Promise.all([page.waitForNavigation(), page.locator('form.login [type="submit"]').click()]);
    url = new URL(page.url());
    is(`${url.pathname} ${resp && resp.status()}`, '/customers 200', 'logging in through the form brings the customer list');
    const cookies = await context.cookies();
    const sess = cookies.find((c) => c.name === 'oms_session');
    ok(sess && sess.httpOnly && sess.sameSite === 'Lax', 'the session cookie is HttpOnly and SameSite=Lax',
      JSON.stringify(sess));
    ok(await page.evaluate(() => !document.cookie.includes('oms_session')), 'script cannot read the session cookie');

    // Only its own customer.
    const custHrefs = await page.locator('main a[href^="/customers/"]').evaluateAll(
      (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    is(custHrefs.join(' '), `/customers/${own}`, 'the customer list links only its own customer');
    ok((await page.locator('main').innerText()).includes(ownName), `and names it (${ownName})`);
    let leaked = await leaks(page, others);
    is(leaked.join(', '), '', 'the customer list names no other customer');

    // Its sites: exactly those SQL has for the customer.
    [resp] = await Promise.all([page.waitForNavigation(), page.locator(`main a[href="/customers/${own}"]`).first().click()]);
    is(resp && resp.status(), 200, "the customer's page opens");
    const siteHrefs = await page.locator('main a[href^="/sites/"]').evaluateAll(
      (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    is(sortedNums(siteHrefs.map((h) => h.split('/')[2])), sortedNums(ownSites),
      `it links the asset page of each of its ${ownSites.length} sites and no other`);
    leaked = await leaks(page, others);
    is(leaked.join(', '), '', "its customer's page names no other customer");

    // One of its sites opens.
    const mine = siteHrefs[0];
    resp = await page.goto(`${stack.url}${mine}`);
    is(resp.status(), 200, `its own site's asset page ${mine} opens`);
    const want = Number(sql(stack.dir, `SELECT COUNT(*) FROM assets WHERE site_id = ${mine.split('/')[2]}`));
    ok((await page.locator('main').innerText()).includes(String(want)), `and shows its ${want} assets`);

    // Another customer's site: the 404 page, as for a missing site.
    resp = await page.goto(`${stack.url}/sites/${otherSite}/assets`);
    is(resp.status(), 404, `another customer's site /sites/${otherSite}/assets answers 404`);
    const text404 = await page.locator('main').innerText();
    ok(/404/.test(await page.title()) && /no such site/i.test(text404), 'and shows the 404 page', text404);
    leaked = await leaks(page, others);
    is(leaked.join(', '), '', 'which names no other customer');
    resp = await page.goto(`${stack.url}/sites/${noSite}/assets`);
    is(resp.status(), 404, 'a site that does not exist answers 404');
    is(await page.locator('main').innerText(), text404, 'with the very same page');
    resp = await page.goto(`${stack.url}/customers/${other}`);
    is(resp.status(), 404, `another customer /customers/${other} answers 404`);
    leaked = await leaks(page, others);
    is(leaked.join(', '), '', 'naming no other customer');
    resp = await page.goto(`${stack.url}/admin/users`);
    is(resp.status(), 403, 'the user administration answers 403');

    // Log out: back to the login page, and the session is gone.
    await page.goto(`${stack.url}/customers`);
    [resp] = await Promise.all([page.waitForNavigation(), page.locator('form.logout [type="submit"]').click()]);
    is(new URL(page.url()).pathname, '/login', 'logging out returns to the login page');
    ok(!(await context.cookies()).some((c) => c.name === 'oms_session' && c.value), 'the session cookie is cleared');
    await page.goto(`${stack.url}/customers/${own}`);
    is(new URL(page.url()).pathname, '/login', 'afterwards its customer page leads to the login page again');

    ok(problems.length === 0, 'no script error or 5xx response on the way', problems.join('\n'));
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

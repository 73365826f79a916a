'use strict';
// MAC orders in a real browser (Debian's Chromium, playwright-core,
// through nginx and omsd): the demo customer user logs in, opens the
// new-order form from its site's asset page, requests a new line and
// adds two more on the draft, submits; the vendor approves, schedules,
// enters each line's number and completes; the site asset query then
// shows the three numbers, and the order page shows the completed
// state with each line linked to its asset.  Expected values from SQL.

const t = require('../tap.js');
const { ok, is, done, sql } = t;
const PASSWORD = process.env.OMS_TEST_PASSWORD || 'test-password-1';

// Log page's context in as user through the login form.
async function login(page, url, user) {
  await page.goto(`${url}/login`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('form.login [type="submit"]').click()]);
}

// Submit the form that holds button (a locator) and wait for the page.
async function press(page, button) {
  const [resp] = await Promise.all([page.waitForNavigation(), button.click()]);
  return resp;
}

async function main() {
  const chromium = t.chromiumOrSkip();
  const stack = await t.startStack({ login: false });
  let browser;
  try {
    const own = Number(sql(stack.dir, "SELECT customer_id FROM users WHERE login = 'customer'"));
    const site = Number(sql(stack.dir, `SELECT MIN(id) FROM sites WHERE customer_id = ${own}`));
    const product = sql(stack.dir, "SELECT MIN(id) FROM products WHERE asset_type = 'line'");
    const cc = sql(stack.dir, `SELECT MIN(id) FROM cost_centres WHERE customer_id = ${own}`);
    const before = Number(sql(stack.dir, `SELECT COUNT(*) FROM assets WHERE site_id = ${site} AND status <> 'removed'`));

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

    // The customer user: the form from the site's asset page.
    const cu = await newPage();
    await login(cu, stack.url, 'customer');
    await cu.goto(`${stack.url}/sites/${site}/assets`);
    await press(cu, cu.locator('a', { hasText: 'New order' }));
    is(new URL(cu.url()).pathname + new URL(cu.url()).search, `/orders/new?site=${site}`,
      "the site's asset page links the new-order form of the site");
    await cu.selectOption('#n-action', 'add');
    await cu.selectOption('#n-product', product);
    await cu.selectOption('#n-cc', cc);
    await cu.fill('#n-ports', '1');
    let resp = await press(cu, cu.locator('form.order-new [type="submit"]'));
    const orderPath = new URL(cu.url()).pathname;
    ok(/^\/orders\/\d+$/.test(orderPath) && resp.status() === 200, `the draft is recorded and shown (${orderPath})`);
    const id = Number(orderPath.split('/').pop());
    for (const k of [2, 3]) {
      await cu.selectOption('#a-action', 'add');
      await cu.selectOption('#a-product', product);
      await cu.selectOption('#a-cc', cc);
      await cu.fill('#a-ports', '1');
      resp = await press(cu, cu.locator('form.addline [type="submit"]'));
      is(await cu.locator('table.lines tbody tr').count(), k, `line ${k} is added`);
    }
    resp = await press(cu, cu.locator('form.verb-submit [type="submit"]'));
    is(sql(stack.dir, `SELECT state FROM orders WHERE id = ${id}`), 'submitted', 'the customer user submits the order');
    ok(await cu.locator('form.verb-approve').count() === 0, 'and is offered no approval');

    // The vendor.
    const ve = await newPage();
    await login(ve, stack.url, 'vendor');
    await ve.goto(`${stack.url}${orderPath}`);
    await press(ve, ve.locator('form.verb-approve [type="submit"]'));
    is(sql(stack.dir, `SELECT state FROM orders WHERE id = ${id}`), 'approved', 'the vendor approves');
    const day = sql(stack.dir, `SELECT requested_on FROM orders WHERE id = ${id}`);
    await ve.fill('#v-schedule-date', day);
    await press(ve, ve.locator('form.verb-schedule [type="submit"]'));
    is(`${sql(stack.dir, `SELECT state FROM orders WHERE id = ${id}`)} ${sql(stack.dir, `SELECT scheduled_on FROM orders WHERE id = ${id}`)}`, `scheduled ${day}`,
      `the vendor schedules it for ${day}`);
    const base = 5550200 + Math.floor(Math.random() * 700);
    for (const k of [1, 2, 3]) {
      await ve.fill(`#f${k}-number`, `+1 647 ${base + k}`);
      await press(ve, ve.locator(`form.fill:has(#f${k}-number) [type="submit"]`));
    }
    is(sql(stack.dir, `SELECT COUNT(*) FROM order_lines WHERE order_id = ${id} AND phone_number LIKE '+1 647 %'`), '3',
      'the vendor enters the three numbers');
    await ve.fill('#v-complete-date', day);
    await press(ve, ve.locator('form.verb-complete [type="submit"]'));
    is(`${sql(stack.dir, `SELECT state FROM orders WHERE id = ${id}`)} ${sql(stack.dir, `SELECT completed_on FROM orders WHERE id = ${id}`)}`, `completed ${day}`,
      `the vendor completes it on ${day}`);

    // The customer user sees the result.
    await cu.goto(`${stack.url}/sites/${site}/assets?q=${encodeURIComponent('+1 647')}`);
    const text = await cu.locator('table.assets').innerText();
    ok([1, 2, 3].every((k) => text.includes(`+1 647 ${base + k}`)), 'the site asset query shows the three new numbers');
    is(Number(sql(stack.dir, `SELECT COUNT(*) FROM assets WHERE site_id = ${site} AND status <> 'removed'`)), before + 3,
      'the site has three assets more');
    // From the completion date, not before: the query as of a day.
    const eve = new Date(Date.parse(`${day}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
    const q = encodeURIComponent('+1 647');
    await cu.goto(`${stack.url}/sites/${site}/assets?q=${q}&asof=${eve}`);
    const beforeText = await cu.locator('main').innerText();
    ok([1, 2, 3].every((k) => !beforeText.includes(`+1 647 ${base + k}`)),
      `as of ${eve}, the day before completion, none of the three is there`);
    await cu.goto(`${stack.url}/sites/${site}/assets?q=${q}&asof=${day}`);
    const onText = await cu.locator('table.assets').innerText();
    ok([1, 2, 3].every((k) => onText.includes(`+1 647 ${base + k}`)),
      `as of ${day}, the completion date, all three are`);
    // The asset page names the order that installed it.
    await cu.locator('table.assets tbody tr td a').first().click();
    await cu.waitForLoadState();
    const ref = sql(stack.dir, `SELECT ref FROM orders WHERE id = ${id}`);
    ok((await cu.locator('main').innerText()).includes(ref), `the asset page shows the order ${ref}`);
    await cu.goto(`${stack.url}${orderPath}`);
    is((await cu.locator('#order-state').innerText()).trim(), 'Completed', 'the order page shows it completed');
    is(await cu.locator('table.lines a.asset[href^="/assets/"]').count(), 3, 'each line links its asset');
    is(await cu.locator('form.verb').count(), 0, 'and offers no button');
    is(problems.join('\n'), '', 'no page error and no 5xx');
  } finally {
    if (browser) await browser.close();
    await stack.stop();
  }
  done();
}

main().catch((e) => {
  console.log(`Bail out! ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' ') : e}`);
  process.exitCode = 1;
});

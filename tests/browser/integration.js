'use strict';
// The integration page in a real browser (Debian's Chromium,
// playwright-core, through nginx and omsd; issue 10, item 6).  A dead
// message to the vendor is planted as the dispatcher would leave it
// (straight into the database: the dispatcher is another component);
// the demo admin follows "Integration" in the menu, finds the message
// counted and listed with its reason, opens it, presses Resend, and
// the message is pending again (SQL); the reconciliation report opens
// from the page and counts as many mismatches as `omsctl reconcile`.
// Vendor staff find the link too, and see only their own system.

const path = require('path');
const { spawnSync } = require('child_process');
const t = require('../tap.js');
const { ok, is, done, sql } = t;
const PASSWORD = process.env.OMS_TEST_PASSWORD || 'test-password-1';

// Run a statement that writes, on the instance in dir.
function sqlWrite(dir, q) {
  const r = spawnSync('bash', ['-c', '. "$OMS_SRCDIR/tests/lib.sh"; oms_use "$1"; oms_sql_write "$2"',
    'sqlw', dir, q], { env: { ...process.env, OMS_SRCDIR: t.srcdir } });
  if (r.status !== 0) throw new Error(`sql: ${r.stderr}`);
}

// omsctl on the instance in dir; its standard output and status.
function omsctl(dir, ...args) {
  const r = spawnSync(path.join(t.builddir, 'omsctl'), ['-f', path.join(dir, 'oms.conf'), ...args]);
  return { out: r.stdout.toString(), status: r.status };
}

// Log page's context in as user through the login form.
async function login(page, url, user) {
  await page.goto(`${url}/login`);
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.locator('form.login [type="submit"]').click()]);
}

// Follow a link or press a button (a locator) and wait for the page.
async function press(page, el) {
  const [resp] = await Promise.all([page.waitForNavigation(), el.click()]);
  return resp;
}

async function main() {
  const chromium = t.chromiumOrSkip();
  const stack = await t.startStack({ login: false });
  let browser;
  try {
    const at = '2026-01-01T00:00:00.000Z';
    sqlWrite(stack.dir, `INSERT INTO outbox (message_id, system, kind, seq_key, seq, state,
      attempts, next_attempt_at, last_error, body, created_at, updated_at)
      VALUES ('oms-browser-1', 'vendor', 'PlaceOrder', 'BROWSER/1', 1, 'dead', 8, '${at}',
      'SOAP Fault: the vendor refused it', '<PlaceOrder xmlns="urn:oms:exchange:1"/>', '${at}', '${at}')`);
    const id = sql(stack.dir, "SELECT id FROM outbox WHERE message_id = 'oms-browser-1'");

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

    const ad = await newPage();
    await login(ad, stack.url, 'admin');
    await press(ad, ad.locator('nav.integration a', { hasText: 'Integration' }));
    is(new URL(ad.url()).pathname, '/integration', 'the menu leads the admin to the integration page');
    is((await ad.locator('table.counts tr[data-system="vendor"] td').nth(4).textContent()).trim(), '1',
      'the dead vendor message is counted');
    ok((await ad.locator('table.messages.dead').textContent()).includes('SOAP Fault: the vendor refused it'),
      'and listed with its reason');
    await press(ad, ad.locator(`table.messages.dead tr[data-id="${id}"] a`).first());
    is(new URL(ad.url()).pathname, `/integration/messages/${id}`, "the message's page opens");
    await press(ad, ad.locator('form.resend button'));
    is(sql(stack.dir, `SELECT state FROM outbox WHERE id = ${id}`), 'pending', 'Resend puts it back to pending');
    is((await ad.locator('dd.st').textContent()).trim(), 'pending', 'and the page shows it');

    await ad.goto(`${stack.url}/integration`);
    await press(ad, ad.locator('a', { hasText: 'Reconciliation report' }));
    ok(new URL(ad.url()).pathname === '/integration/reconcile', 'the reconciliation report opens');
    const period = await ad.locator('#f-period').inputValue();
    const r = omsctl(stack.dir, 'reconcile', period);
    const rows = r.out.split('\n').filter((l) => l && !l.startsWith('#')).length;
    is(await ad.locator('table.mismatches tbody tr').count(), Math.min(rows, 5000),
      `as many rows as omsctl reconcile ${period} prints (${rows})`);

    const ve = await newPage();
    await login(ve, stack.url, 'vendor');
    await press(ve, ve.locator('nav.integration a', { hasText: 'Integration' }));
    is(await ve.locator('table.counts tbody tr').count(), 1, 'the vendor sees one system');
    is(await ve.locator('form.filter').count(), 0, 'and no system filter');
    ok(problems.length === 0, 'no page error and no 5xx', problems.join('; '));
  } finally {
    if (browser) await browser.close();
    await stack.stop();
  }
  done();
}

main().catch((e) => { console.log(`Bail out! ${e.stack || e}`); process.exit(1); });

// tests/bench/pdf-chromium.js OUTDIR HTML...: render every HTML file to
// OUTDIR/NAME.pdf with one headless Chromium (Debian's, through
// playwright-core) and a page each, then print "N docs in S s" on
// stdout.  The batch figure of docs/pdf-rendering.md for Chromium;
// tests/bench/pdf.sh runs it.  Paper size and page numbers come from
// the document's CSS @page (preferCSSPageSize).
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require('playwright-core');

/* main(): launch, render each file in turn, print the count and time. */
async function main() {
  const [out, ...files] = process.argv.slice(2);
  if (!out || files.length === 0) {
    process.stderr.write('usage: pdf-chromium.js OUTDIR HTML...\n');
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oms-pdf-chromium-'));
  const t0 = process.hrtime.bigint();
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.OMS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    for (const f of files) {
      await page.goto('file://' + path.resolve(f));
      await page.pdf({ path: path.join(out, path.basename(f, '.html') + '.pdf'),
        preferCSSPageSize: true, printBackground: true });
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${files.length} docs in ${s.toFixed(3)} s\n`);
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });

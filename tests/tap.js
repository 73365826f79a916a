'use strict';
// tests/tap.js: what the node tests share: TAP output, starting omsd
// and nginx through tests/lib.sh, and SQL on the instance's database.
//
//   const t = require('../tap.js');
//   t.ok(cond, name, diag); t.is(got, want, name); t.skipAll(why);
//   const stack = await t.startStack({ login: true });  // admin's cookie
//   t.sql(stack.dir, 'SELECT ...'); await stack.stop(); t.done();

const { spawn, spawnSync } = require('child_process');
const path = require('path');

const srcdir = process.env.OMS_SRCDIR || path.resolve(__dirname, '..');
const builddir = process.env.OMS_BUILDDIR || process.cwd();
const state = { n: 0, failed: 0 };

function ok(cond, name, diag) {
  state.n++;
  const safe = String(name).replace(/#/g, '\\x23').replace(/[\r\n]/g, ' ');
  console.log(`${cond ? 'ok' : 'not ok'} ${state.n} - ${safe}`);
  if (!cond) {
    state.failed++;
    if (diag !== undefined) for (const l of String(diag).split('\n')) console.log(`# ${l}`);
  }
  return cond;
}

function is(got, want, name) {
  return ok(got === want, name, `   got: ${JSON.stringify(got)}\n  want: ${JSON.stringify(want)}`);
}

function skipAll(why) {
  console.log(`1..0 # SKIP ${why}`);
  process.exit(0);
}

// The plan, and the exit status.
function done() {
  console.log(`1..${state.n}`);
  if (state.failed) console.log(`# ${state.failed} of ${state.n} failed`);
  process.exitCode = state.failed ? 1 : 0;
}

/*
 * Start omsd and nginx with tests/lib.sh in a bash child.  Resolves to
 * the instance's variables (url, pid, db, log, dir, and with login the
 * admin's session cookie) and a stop() that closes the child's stdin:
 * its EXIT trap then stops both servers by pid (as it does when this
 * process dies and the pipe closes).
 */
function startStack({ login = true } = {}) {
  const script = `
    . "$OMS_SRCDIR/tests/lib.sh"
    oms_need_stack
    ${login ? '' : 'OMS_LOGIN_AS=none'} oms_start >&2
    echo "READY $OMS_URL $OMS_PID $OMS_DB $OMS_LOG $OMS_DIR $(oms_session_cookie)"
    read -r _
    exit 0`;
  const child = spawn('bash', ['-c', script], {
    env: { ...process.env, OMS_SRCDIR: srcdir, OMS_BUILDDIR: builddir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr.on('data', (d) => {
    for (const l of String(d).split('\n')) if (l) console.log(`# ${l.replace(/^# /, '')}`);
  });
  return new Promise((resolve, reject) => {
    // oms_start has deadlines of its own; this one (5 minutes) only
    // keeps a stuck start from hanging the test: the child's TERM trap
    // then stops what it started.
    const deadline = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the stack did not start within 5 minutes: ${out.trim()}`));
    }, 300000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^READY (\S+) (\d+) (\S+) (\S+) (\S+) ?(oms_session=\S+)?$/m);
      if (m) {
        clearTimeout(deadline);
        resolve({
          url: m[1], pid: Number(m[2]), db: m[3], log: m[4], dir: m[5], cookie: m[6] || '',
          stop: () => { child.stdin.end(); return exited; },
        });
      }
    });
    exited.then((code) => {
      clearTimeout(deadline);
      const skip = out.match(/^1\.\.0 # SKIP (.*)$/m);
      if (skip) skipAll(skip[1]);
      reject(new Error(`the stack did not start (exit ${code}): ${out.trim()}`));
    });
  });
}

// Run q on the instance's database, whichever its backend.
function sql(dir, q) {
  const r = spawnSync('bash', [path.join(srcdir, 'tests', 'sql.sh'), dir, q], {
    env: { ...process.env, OMS_SRCDIR: srcdir },
  });
  if (r.status !== 0) throw new Error(`sql: ${r.stderr}`);
  return r.stdout.toString().trim();
}

const fs = require('fs');
const CHROMIUM = '/usr/bin/chromium';

// playwright-core's chromium, Debian's browser and our binaries, or a
// skip of the whole test saying which is missing.
function chromiumOrSkip() {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    skipAll('npm module playwright-core is not installed (cd tests && npm ci)');
  }
  if (!fs.existsSync(CHROMIUM)) skipAll(`${CHROMIUM} is not installed`);
  for (const f of ['omsd', 'omsctl'])
    if (!fs.existsSync(path.join(builddir, f))) skipAll(`${builddir}/${f} is missing (build first)`);
  return chromium;
}

// Launch it headless with the options this machine needs (no sandbox as
// root, no background network: only loopback is reachable).
function launch(chromium) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

module.exports = {
  srcdir, builddir, state, ok, is, skipAll, done, startStack, sql, chromiumOrSkip, launch,
};

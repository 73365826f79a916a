'use strict';
// smtp.js: the mail server the distribution tests and ./demo send
// invoices to: npm `smtp-server` on 127.0.0.1 keeping every message.
//
//   node tests/peers/smtp.js --dir DIR [options]
//
//   --dir DIR           where messages go: DIR/NNNNNN.eml (the message
//                       as received) and DIR/index.json (one entry each,
//                       parsed by mailparser: from, to, subject,
//                       attachments with their size and sha256)
//   --port N            SMTP port (default 0: any free one)
//   --control-port N    control port (default 0)
//   --starttls          offer STARTTLS with a self-signed certificate made
//                       by openssl at start (DIR/tls/cert.pem: the CA
//                       a client is told to trust)
//   --require-tls       refuse MAIL FROM before STARTTLS (implies --starttls)
//   --user NAME --password-file FILE   require AUTH PLAIN/LOGIN
//   --refuse-domain D   answer 550 to RCPT TO any address at domain D
//                       (a recipient the server does not know)
//
// When both ports listen, one line goes to stdout:
//   READY smtp port=P control=C
//
// Control API (JSON), on the control port:
//   GET  /_peer/messages   the index (an array, oldest first)
//   GET  /_peer/stats      {"up":..,"messages":N,"refused":N,"sessions":N,...}
//   POST /_peer/down       {"mode":"refuse"} (default: the port closed,
//                          connections refused) or {"mode":"421"} (the
//                          greeting is 421, the message not taken)
//   POST /_peer/up         listen and accept again
//   POST /_peer/stall      {"seconds":N}: keep the message but hold the
//                          reply to its data N seconds (0: at once), as
//                          a server whose answer is lost after it took
//                          the mail
//   POST /_peer/reset      forget the messages (files and index)

const http = require('http');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

function usage(msg) {
  process.stderr.write(`smtp.js: ${msg}\nusage: node smtp.js --dir DIR [--port N] ` +
    '[--control-port N] [--starttls] [--require-tls] [--user U --password-file F]\n');
  process.exit(2);
}

const opt = { port: 0, controlPort: 0, starttls: false, requireTls: false };
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--dir') opt.dir = val();
    else if (a === '--port') opt.port = Number(val());
    else if (a === '--control-port') opt.controlPort = Number(val());
    else if (a === '--starttls') opt.starttls = true;
    else if (a === '--require-tls') opt.starttls = opt.requireTls = true;
    else if (a === '--user') opt.user = val();
    else if (a === '--password-file') opt.passwordFile = val();
    else if (a === '--refuse-domain') opt.refuseDomain = val().toLowerCase();
    else usage(`unknown option ${a}`);
  }
  if (!opt.dir) usage('--dir is required');
  if (!!opt.user !== !!opt.passwordFile) usage('--user and --password-file go together');
  if (opt.passwordFile) opt.password = fs.readFileSync(opt.passwordFile, 'utf8').replace(/\r?\n$/, '');
}

fs.mkdirSync(opt.dir, { recursive: true });
const INDEX = path.join(opt.dir, 'index.json');
let index = fs.existsSync(INDEX) ? JSON.parse(fs.readFileSync(INDEX, 'utf8')) : [];
const counters = { sessions: 0, refused: 0, auth_failures: 0 };
let down = null; // null: up; 'refuse' or '421'
let stallMs = 0; // the reply to the data held this long

// writeIndex: index.json replaced atomically.
function writeIndex() {
  const tmp = `${INDEX}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(index, null, 1));
  fs.renameSync(tmp, INDEX);
}

function tlsFiles() {
  const d = path.join(opt.dir, 'tls');
  fs.mkdirSync(d, { recursive: true });
  const key = path.join(d, 'key.pem');
  const cert = path.join(d, 'cert.pem');
  if (!fs.existsSync(key) || !fs.existsSync(cert)) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
      '-out', cert, '-days', '30', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  }
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

const options = {
  name: 'smtp-sink.localhost',
  banner: 'OMS test mail sink',
  size: 50 * 1024 * 1024,
  authOptional: !opt.user,
  allowInsecureAuth: true,
  disabledCommands: [],
  logger: false,
  onConnect(session, cb) {
    counters.sessions++;
    if (down === '421') {
      counters.refused++;
      const e = new Error('Service not available, try again later');
      e.responseCode = 421;
      return cb(e);
    }
    return cb();
  },
  onAuth(auth, session, cb) {
    if (opt.user && auth.username === opt.user && auth.password === opt.password) {
      return cb(null, { user: auth.username });
    }
    counters.auth_failures++;
    return cb(new Error('Invalid username or password'));
  },
  onMailFrom(address, session, cb) {
    if (opt.requireTls && !session.secure) {
      const e = new Error('Must issue a STARTTLS command first');
      e.responseCode = 530;
      return cb(e);
    }
    return cb();
  },
  onRcptTo(address, session, cb) {
    if (opt.refuseDomain && address.address.toLowerCase().endsWith(`@${opt.refuseDomain}`)) {
      counters.refused_rcpt = (counters.refused_rcpt || 0) + 1;
      const e = new Error(`No such user here: ${address.address}`);
      e.responseCode = 550;
      return cb(e);
    }
    return cb();
  },
  onData(stream, session, cb) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const e = new Error('Message too big');
        e.responseCode = 552;
        return cb(e);
      }
      const raw = Buffer.concat(chunks);
      store(raw, session).then(() => setTimeout(cb, stallMs), (err) => cb(err));
      return undefined;
    });
  },
};
if (!opt.user) options.disabledCommands.push('AUTH');
if (opt.starttls) Object.assign(options, tlsFiles());
else options.disabledCommands.push('STARTTLS');

// store(raw, session): the message to NNNNNN.eml (written to a temporary
// name, renamed), parsed, and its entry appended to the index before
// the 250 is given.
async function store(raw, session) {
  const n = index.length + 1;
  const file = `${String(n).padStart(6, '0')}.eml`;
  const tmp = path.join(opt.dir, `.${file}.tmp`);
  fs.writeFileSync(tmp, raw);
  fs.renameSync(tmp, path.join(opt.dir, file));
  const m = await simpleParser(raw);
  const addr = (a) => (a ? a.value.map((v) => v.address) : []);
  index.push({
    file,
    envelope_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
    envelope_to: session.envelope.rcptTo.map((r) => r.address),
    from: addr(m.from),
    to: addr(m.to),
    cc: addr(m.cc),
    subject: m.subject || '',
    message_id: m.messageId || null,
    date: m.date ? m.date.toISOString() : null,
    secure: !!session.secure,
    user: session.user || null,
    size: raw.length,
    text: (m.text || '').slice(0, 2000),
    attachments: m.attachments.map((a) => ({ filename: a.filename || null,
      content_type: a.contentType, size: a.size,
      sha256: crypto.createHash('sha256').update(a.content).digest('hex') })),
    received_at: new Date().toISOString(),
  });
  writeIndex();
}

const smtp = new SMTPServer(options);
smtp.on('error', (err) => process.stderr.write(`smtp.js: ${err.message}\n`));
let smtpPort = opt.port;

function sendJson(res, code, obj) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(obj)}\n`);
}

function goDown(mode, cb) {
  if (mode === '421') {
    down = '421';
    return cb();
  }
  if (down === 'refuse') return cb();
  down = 'refuse';
  smtp.server.close(() => {});
  for (const c of smtp.connections) {
    if (c._socket) c._socket.destroy();
  }
  return cb();
}

function goUp(cb) {
  if (down !== 'refuse') {
    down = null;
    return cb();
  }
  let tries = 0;
  const attempt = () => {
    smtp.server.once('error', (err) => {
      if (err.code === 'EADDRINUSE' && ++tries < 50) setTimeout(attempt, 100);
      else cb(err);
    });
    smtp.server.listen(smtpPort, '127.0.0.1', () => {
      smtp.server.removeAllListeners('error');
      smtp.server.on('error', (err) => process.stderr.write(`smtp.js: ${err.message}\n`));
      down = null;
      cb();
    });
  };
  return attempt();
}

const control = http.createServer((req, res) => {
  const p = new URL(req.url, 'http://127.0.0.1').pathname;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body = {};
    try {
      if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'body is not JSON' });
    }
    if (req.method === 'GET' && p === '/_peer/messages') return sendJson(res, 200, index);
    if (req.method === 'GET' && p === '/_peer/stats') {
      return sendJson(res, 200, { system: 'smtp', up: down === null, down, port: smtpPort,
        messages: index.length, starttls: opt.starttls, ...counters });
    }
    if (req.method === 'POST' && p === '/_peer/down') {
      const mode = body.mode || 'refuse';
      if (!['refuse', '421'].includes(mode)) return sendJson(res, 400, { error: 'mode is refuse or 421' });
      return goDown(mode, () => sendJson(res, 200, { up: false, down: mode }));
    }
    if (req.method === 'POST' && p === '/_peer/up') {
      return goUp((err) => (err ? sendJson(res, 500, { error: err.message })
        : sendJson(res, 200, { up: true, port: smtpPort })));
    }
    if (req.method === 'POST' && p === '/_peer/stall') {
      const n = Number(body.seconds || 0);
      if (!(n >= 0 && n <= 600)) return sendJson(res, 400, { error: 'seconds is 0 to 600' });
      stallMs = n * 1000;
      return sendJson(res, 200, { stall: n });
    }
    if (req.method === 'POST' && p === '/_peer/reset') {
      for (const e of index) fs.rmSync(path.join(opt.dir, e.file), { force: true });
      index = [];
      writeIndex();
      return sendJson(res, 200, { reset: true });
    }
    return sendJson(res, 404, { error: 'unknown control request' });
  });
});

smtp.listen(smtpPort, '127.0.0.1', () => {
  smtpPort = smtp.server.address().port;
  control.listen(opt.controlPort, '127.0.0.1', () => {
    process.stdout.write(`READY smtp port=${smtpPort} control=${control.address().port}\n`);
  });
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));

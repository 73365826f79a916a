'use strict';
// peer.js: the legacy systems OMS exchanges with, played for the tests
// and ./demo by npm `soap` servers built from the systems' own WSDLs:
//
//   node tests/peers/peer.js vendor|lease [options]
//
//   vendor  the ACME Vendor Order System, tests/peers/vendor.wsdl
//           (urn:acme-vos:orders), SOAP path /vos/OrderIntake
//   lease   the FinCorp lease accounting system, tests/peers/lease.wsdl
//           (urn:fincorp:leasing:v2), SOAP path /fincorp/LeasePosting
//
// Options:
//   --port N           SOAP port on 127.0.0.1 (0, the default: any free one)
//   --control-port N   control port on 127.0.0.1 (default 0)
//   --state DIR        where the state is kept (state.json, a snapshot, and
//                      journal.jsonl, one line per event since it); default
//                      a folder under the system's temporary folder
//   --auth none|wsse|basic   credentials required on every SOAP request:
//                      a WS-Security UsernameToken (PasswordText or
//                      PasswordDigest) or HTTP basic; default none
//   --user NAME --password-file FILE   the credentials checked
//   --strict           refuse (SOAP Fault, not applied) a request out of
//                      order for its asset; default: apply it and record
//                      the violation
//   --fsync            fsync the journal after every event
//
// When both ports listen, one line goes to stdout:
//   READY vendor port=P control=C path=/vos/OrderIntake
//
// Each change request is applied exactly once, keyed by the caller's
// message id (vendor RequestId, lease TransactionRef): the same id again
// gets the first answer and is counted as a replay (and as a conflict if
// the body differs).  The state survives restarts.  The control API on
// the control port (JSON in and out) is described in
// docs/integration-guide.md, "Test peers", and by handleControl below.

const http = require('http');
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');
const soap = require('soap');

// ---------------------------------------------------------------- options

const SYSTEMS = {
  vendor: {
    wsdl: 'vendor.wsdl', path: '/vos/OrderIntake', service: 'VendorOrderService',
    port: 'OrderIntake', ns: 'urn:acme-vos:orders', idField: 'RequestId',
    realm: 'ACME VOS',
  },
  lease: {
    wsdl: 'lease.wsdl', path: '/fincorp/LeasePosting', service: 'LeaseAccountingService',
    port: 'LeasePosting', ns: 'urn:fincorp:leasing:v2', idField: 'TransactionRef',
    realm: 'FinCorp Leasing',
  },
};

function usage(msg) {
  process.stderr.write(`peer.js: ${msg}\nusage: node peer.js vendor|lease [--port N] ` +
    '[--control-port N] [--state DIR] [--auth none|wsse|basic] [--user U] ' +
    '[--password-file F] [--strict] [--fsync]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { port: 0, controlPort: 0, auth: 'none', strict: false, fsync: false };
  if (!SYSTEMS[argv[0]]) usage('first argument must be vendor or lease');
  o.system = argv[0];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') o.port = Number(val());
    else if (a === '--control-port') o.controlPort = Number(val());
    else if (a === '--state') o.state = val();
    else if (a === '--auth') o.auth = val();
    else if (a === '--user') o.user = val();
    else if (a === '--password-file') o.passwordFile = val();
    else if (a === '--strict') o.strict = true;
    else if (a === '--fsync') o.fsync = true;
    else usage(`unknown option ${a}`);
  }
  if (!['none', 'wsse', 'basic'].includes(o.auth)) usage('--auth must be none, wsse or basic');
  if (o.auth !== 'none') {
    if (!o.user || !o.passwordFile) usage('--auth needs --user and --password-file');
    o.password = fs.readFileSync(o.passwordFile, 'utf8').replace(/\r?\n$/, '');
  }
  if (!Number.isInteger(o.port) || !Number.isInteger(o.controlPort)) usage('bad port');
  if (!o.state) o.state = path.join(os.tmpdir(), `oms-peer-${o.system}`);
  return o;
}

const opt = parseArgs(process.argv.slice(2));
const sys = SYSTEMS[opt.system];

// ---------------------------------------------------------------- state
//
// The state is changed only by events (applyEvent); each event is
// appended to the journal before its effect is answered, so a kill -9
// loses nothing the peer answered or committed.  At start the snapshot
// and the journal are read back and folded into a new snapshot.

function emptyState() {
  return {
    system: opt.system,
    seq: 0,
    totals: { http: 0, received: 0, applied: 0, replays: 0, conflicts: 0, queries: 0,
      rejected: 0, faults: 0, violations: 0, auth_failures: 0 },
    requests: {},   // message id -> { op, asset, count, conflicts, digest, at, answer }
    assets: {},     // asset tag -> { ops: [[op, message id], ...], active: bool }
    records: {},    // vendor: OrderRef -> order; lease: LeaseNumber -> lease
    violations: [], // [{ id, op, asset, reason }]
    faults: [],     // [{ kind, op, id, applied }] of the last 1000 injected
  };
}

// applyEvent(st, ev): folds one event into the state; the only writer.
// Events carry a number (n): one already folded into a snapshot is
// skipped when the journal is read again (a stop between writing the
// snapshot and emptying the journal counts nothing twice).
function applyEvent(st, ev) {
  if (ev.n !== undefined) {
    if (ev.n <= (st.evn || 0)) return;
    st.evn = ev.n;
  }
  switch (ev.e) {
    case 'apply': {
      st.seq = Math.max(st.seq, ev.seq || 0);
      st.totals.received++;
      st.totals.applied++;
      st.requests[ev.id] = { op: ev.op, asset: ev.asset, count: 1, conflicts: 0,
        digest: ev.digest, at: ev.at, answer: ev.answer };
      if (ev.asset !== undefined) {
        const a = st.assets[ev.asset] || (st.assets[ev.asset] = { ops: [], active: false });
        a.ops.push([ev.op, ev.id]);
        if (ev.active !== undefined) a.active = ev.active;
        if (ev.lease !== undefined) a.lease = ev.lease;
      }
      for (const [k, v] of Object.entries(ev.records || {})) st.records[k] = v;
      if (ev.violation) {
        st.totals.violations++;
        st.violations.push({ id: ev.id, op: ev.op, asset: ev.asset, reason: ev.violation });
      }
      break;
    }
    case 'replay': {
      const r = st.requests[ev.id];
      st.totals.received++;
      st.totals.replays++;
      if (r) {
        r.count++;
        if (ev.conflict) {
          r.conflicts++;
          st.totals.conflicts++;
        }
      }
      break;
    }
    case 'reject':
      st.totals.received++;
      st.totals.rejected++;
      if (ev.violation) {
        st.totals.violations++;
        st.violations.push({ id: ev.id, op: ev.op, asset: ev.asset, reason: ev.violation,
          rejected: true });
      }
      break;
    case 'query':
      st.totals.queries++;
      break;
    case 'fault':
      st.totals.faults++;
      st.faults.push({ kind: ev.kind, op: ev.op, id: ev.id, applied: !!ev.applied });
      if (st.faults.length > 1000) st.faults.shift();
      break;
    case 'auth':
      st.totals.auth_failures++;
      break;
    case 'http':
      st.totals.http += ev.count || 1;
      break;
    default:
      break;
  }
}

const SNAP = path.join(opt.state, 'state.json');
const JOURNAL = path.join(opt.state, 'journal.jsonl');
let state;
let journalFd;

// loadState: snapshot + journal into `state`, a fresh snapshot written
// atomically, the journal emptied and opened for appending.
function loadState() {
  fs.mkdirSync(opt.state, { recursive: true });
  state = fs.existsSync(SNAP) ? JSON.parse(fs.readFileSync(SNAP, 'utf8')) : emptyState();
  if (fs.existsSync(JOURNAL)) {
    for (const line of fs.readFileSync(JOURNAL, 'utf8').split('\n')) {
      if (!line) continue;
      let ev;
      try {
        ev = JSON.parse(line);
      } catch {
        continue; // a line cut by a kill -9 was never answered
      }
      applyEvent(state, ev);
    }
  }
  writeSnapshot();
  fs.writeFileSync(JOURNAL, '');
  journalFd = fs.openSync(JOURNAL, 'a');
}

function writeSnapshot() {
  const tmp = `${SNAP}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, JSON.stringify(state));
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, SNAP);
}

// record(ev): journal one event, then fold it into the state.
function record(ev) {
  ev.n = (state.evn || 0) + 1;
  fs.writeSync(journalFd, `${JSON.stringify(ev)}\n`);
  if (opt.fsync) fs.fsyncSync(journalFd);
  applyEvent(state, ev);
}

// HTTP requests are counted in memory and journalled in batches.
let httpPending = 0;
function countHttp() {
  httpPending++;
  state.totals.http++;
}
setInterval(() => {
  if (httpPending) {
    fs.writeSync(journalFd, `${JSON.stringify({ e: 'http', count: httpPending })}\n`);
    httpPending = 0;
  }
}, 200).unref();

// ---------------------------------------------------------------- helpers

function soapFault(code, text, detail) {
  const f = { faultcode: `soap:${code}`, faultstring: text, statusCode: 500 };
  if (detail) f.detail = detail;
  return { Fault: f };
}

// str(v): a request value as a string (node-soap turns xsd:date into a
// Date, xsd:int into a number), undefined when absent or not a value.
function str(v) {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString().slice(0, 10);
  if (typeof v === 'object' && '$value' in v) return String(v.$value);
  if (typeof v === 'object') return undefined;
  return String(v);
}

function need(args, name) {
  const v = str(args[name]);
  if (v === undefined || v === '') throw soapFault('Client', `${name} is required`);
  return v;
}

function isoNow() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function isDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) &&
    !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

function cents(s, name) {
  const v = str(s);
  if (v === undefined || !/^\d{1,12}(\.\d{1,2})?$/.test(v)) {
    throw soapFault('Client', `${name} must be an amount with at most two decimals`);
  }
  const [i, f = ''] = v.split('.');
  return Number(i) * 100 + Number((f + '00').slice(0, 2));
}

function amount(c) {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}

// addMonths('2026-01-31', 1) is '2026-02-28': the day clamped to the month.
function addMonths(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  const t = (y * 12 + (m - 1)) + n;
  const ny = Math.floor(t / 12);
  const nm = (t % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function digest(args) {
  return crypto.createHash('sha256').update(JSON.stringify(args)).digest('hex');
}

// ---------------------------------------------------------------- vendor

// Each vendor handler takes the request's args and returns
// { asset, answer, records, active, violation } for an apply event, or
// throws a { Fault } for a request refused without applying it.

function site(args) {
  const s = args.CustomerSite;
  if (!s || typeof s !== 'object') return undefined;
  const out = {};
  for (const k of ['AccountNo', 'SiteCode', 'SiteName', 'AddressLine1', 'AddressLine2',
    'City', 'PostCode', 'ContactName', 'ContactPhone']) {
    if (str(s[k]) !== undefined) out[k] = str(s[k]);
  }
  return out;
}

function equipment(args) {
  const e = args.Equipment;
  if (!e || typeof e !== 'object') throw soapFault('Client', 'Equipment is required');
  const out = {};
  for (const k of ['AssetTag', 'ProductCode', 'Description', 'PortCount', 'SerialNo']) {
    if (str(e[k]) !== undefined) out[k] = str(e[k]);
  }
  if (!out.AssetTag) throw soapFault('Client', 'Equipment/AssetTag is required');
  return out;
}

function nextRef(prefix, seq) {
  return `${prefix}${String(seq).padStart(6, '0')}`;
}

const vendorOps = {
  PlaceOrder(args) {
    const po = need(args, 'PurchaseOrderNo');
    const s = site(args);
    if (!s || !s.AccountNo || !s.SiteCode) {
      throw soapFault('Client', 'CustomerSite/AccountNo and CustomerSite/SiteCode are required');
    }
    const eq = equipment(args);
    const a = state.assets[eq.AssetTag];
    const violation = a && a.active ? `PlaceOrder for equipment ${eq.AssetTag} already on order` : undefined;
    const seq = state.seq + 1;
    const ref = nextRef('VOS-', seq);
    const at = isoNow();
    const answer = { OrderRef: ref, OrderStatus: 'RECEIVED', ReceivedAt: at };
    return { seq, asset: eq.AssetTag, active: true, violation, answer,
      records: { [ref]: { OrderRef: ref, Type: 'NEW', PurchaseOrderNo: po, CustomerSite: s,
        Equipment: eq, RequestedDate: str(args.RequestedDate), Remarks: str(args.Remarks),
        OrderStatus: 'RECEIVED', ReceivedAt: at } } };
  },
  ChangeOrder(args) {
    const po = need(args, 'PurchaseOrderNo');
    const type = need(args, 'ChangeType');
    if (!['ADDON', 'PORTCHANGE', 'MOVE', 'OTHER'].includes(type)) {
      throw soapFault('Client', `ChangeType ${type} is not ADDON, PORTCHANGE, MOVE or OTHER`);
    }
    const eq = equipment(args);
    const a = state.assets[eq.AssetTag];
    const violation = !a || !a.active ? `ChangeOrder for equipment ${eq.AssetTag} not on order` : undefined;
    const seq = state.seq + 1;
    const ref = nextRef('VOS-', seq);
    const at = isoNow();
    const answer = { OrderRef: ref, OrderStatus: 'RECEIVED', ReceivedAt: at };
    return { seq, asset: eq.AssetTag, violation, answer,
      records: { [ref]: { OrderRef: ref, Type: type, PurchaseOrderNo: po,
        OriginalOrderRef: str(args.OriginalOrderRef), CustomerSite: site(args), Equipment: eq,
        Remarks: str(args.Remarks), OrderStatus: 'RECEIVED', ReceivedAt: at } } };
  },
  DisconnectOrder(args) {
    const po = need(args, 'PurchaseOrderNo');
    const tag = need(args, 'AssetTag');
    const a = state.assets[tag];
    const violation = !a || !a.active ? `DisconnectOrder for equipment ${tag} not on order` : undefined;
    const seq = state.seq + 1;
    const ref = nextRef('VOS-', seq);
    const at = isoNow();
    const answer = { OrderRef: ref, OrderStatus: 'RECEIVED', ReceivedAt: at };
    return { seq, asset: tag, active: false, violation, answer,
      records: { [ref]: { OrderRef: ref, Type: 'DISCONNECT', PurchaseOrderNo: po,
        AssetTag: tag, SiteCode: str(args.SiteCode), DisconnectDate: str(args.DisconnectDate),
        Reason: str(args.Reason), OrderStatus: 'RECEIVED', ReceivedAt: at } } };
  },
};

function vendorQuery(args) {
  const id = need(args, 'RequestId');
  const r = state.requests[id];
  if (!r) return { RequestState: 'UNKNOWN', RequestId: id };
  return { RequestState: 'RECEIVED', RequestId: id, Operation: r.op, OrderRef: r.answer.OrderRef,
    OrderStatus: r.answer.OrderStatus, ReceivedAt: r.answer.ReceivedAt };
}

// ---------------------------------------------------------------- lease

function schedule(from, months, rentalCents) {
  const out = [];
  for (let i = 0; i < months; i++) {
    out.push({ No: i + 1, DueDate: addMonths(from, i), Amount: amount(rentalCents) });
  }
  return out;
}

function confirmation(l, at) {
  const c = { LeaseNumber: l.LeaseNumber, LeaseStatus: l.LeaseStatus };
  if (l.AmendmentNo) c.AmendmentNo = l.AmendmentNo;
  Object.assign(c, { CommencementDate: l.CommencementDate, TermMonths: l.TermMonths,
    MonthlyRental: l.MonthlyRental, Currency: l.Currency,
    Schedule: { Instalment: l.Schedule }, PostedAt: at });
  return c;
}

function leaseOf(tag) {
  const a = state.assets[tag];
  return a && a.lease ? state.records[a.lease] : undefined;
}

const leaseOps = {
  BookLease(args) {
    const ext = need(args, 'ExternalOrderRef');
    const l = args.Lessee;
    if (!l || typeof l !== 'object' || !str(l.ClientNo)) throw soapFault('Client', 'Lessee/ClientNo is required');
    const as = args.Asset;
    if (!as || typeof as !== 'object' || !str(as.AssetTag)) throw soapFault('Client', 'Asset/AssetTag is required');
    const start = need(args, 'CommencementDate');
    if (!isDate(start)) throw soapFault('Client', 'CommencementDate must be a date (YYYY-MM-DD)');
    const term = Number(need(args, 'TermMonths'));
    if (!Number.isInteger(term) || term < 1 || term > 120) throw soapFault('Client', 'TermMonths must be 1 to 120');
    const rental = cents(args.MonthlyRental, 'MonthlyRental');
    const tag = str(as.AssetTag);
    const a = state.assets[tag];
    const violation = a && a.active ? `BookLease for asset ${tag} already leased (${a.lease})` : undefined;
    const seq = state.seq + 1;
    const num = nextRef('FL-', seq);
    const at = isoNow();
    const lease = { LeaseNumber: num, LeaseStatus: 'ACTIVE', AmendmentNo: 0,
      ExternalOrderRef: ext, Lessee: { ClientNo: str(l.ClientNo), ClientName: str(l.ClientName),
        Location: str(l.Location) },
      Asset: { AssetTag: tag, AssetClass: str(as.AssetClass), Description: str(as.Description),
        SerialNo: str(as.SerialNo), Ports: str(as.Ports) },
      CommencementDate: start, TermMonths: term, MonthlyRental: amount(rental),
      Currency: str(args.Currency) || 'USD', Schedule: schedule(start, term, rental),
      BookedAt: at };
    return { seq, asset: tag, active: true, lease: num, violation,
      answer: confirmation(lease, at), records: { [num]: lease } };
  },
  AmendLease(args) {
    const ext = need(args, 'ExternalOrderRef');
    const tag = need(args, 'AssetTag');
    const type = need(args, 'AmendmentType');
    if (!['ADDON', 'PORTCHANGE', 'OTHER'].includes(type)) {
      throw soapFault('Client', `AmendmentType ${type} is not ADDON, PORTCHANGE or OTHER`);
    }
    const eff = need(args, 'EffectiveDate');
    if (!isDate(eff)) throw soapFault('Client', 'EffectiveDate must be a date (YYYY-MM-DD)');
    const rental = args.NewMonthlyRental !== undefined ? cents(args.NewMonthlyRental, 'NewMonthlyRental') : undefined;
    const cur = leaseOf(tag);
    const a = state.assets[tag];
    const seq = state.seq + 1;
    const at = isoNow();
    let violation;
    let lease;
    if (!cur || !a.active) {
      violation = `AmendLease for asset ${tag} with no active lease`;
      lease = { LeaseNumber: nextRef('FL-', seq), LeaseStatus: 'AMENDED', AmendmentNo: 1, Orphan: true,
        Asset: { AssetTag: tag }, CommencementDate: eff, TermMonths: 0,
        MonthlyRental: rental !== undefined ? amount(rental) : '0.00', Currency: 'USD', Schedule: [] };
    } else {
      lease = JSON.parse(JSON.stringify(cur));
      lease.LeaseStatus = 'AMENDED';
      lease.AmendmentNo = (lease.AmendmentNo || 0) + 1;
      if (rental !== undefined) {
        lease.MonthlyRental = amount(rental);
        for (const i of lease.Schedule) if (i.DueDate >= eff) i.Amount = amount(rental);
      }
      if (args.Ports !== undefined) lease.Asset.Ports = str(args.Ports);
    }
    lease.Amendments = (lease.Amendments || []).concat([{ No: lease.AmendmentNo, Type: type,
      ExternalOrderRef: ext, EffectiveDate: eff, Narrative: str(args.Narrative), At: at }]);
    return { seq, asset: tag, active: true, lease: lease.LeaseNumber, violation,
      answer: confirmation(lease, at), records: { [lease.LeaseNumber]: lease } };
  },
  ReturnAsset(args) {
    const ext = need(args, 'ExternalOrderRef');
    const tag = need(args, 'AssetTag');
    const date = need(args, 'ReturnDate');
    if (!isDate(date)) throw soapFault('Client', 'ReturnDate must be a date (YYYY-MM-DD)');
    const cur = leaseOf(tag);
    const a = state.assets[tag];
    const seq = state.seq + 1;
    const at = isoNow();
    let violation;
    let lease;
    if (!cur || !a.active) {
      violation = `ReturnAsset for asset ${tag} with no active lease`;
      lease = { LeaseNumber: nextRef('FL-', seq), Orphan: true, Asset: { AssetTag: tag },
        CommencementDate: date, TermMonths: 0, MonthlyRental: '0.00', Currency: 'USD', Schedule: [] };
    } else {
      lease = JSON.parse(JSON.stringify(cur));
      lease.Schedule = lease.Schedule.filter((i) => i.DueDate < date);
    }
    Object.assign(lease, { LeaseStatus: 'RETURNED', ReturnDate: date, ReturnRef: ext,
      ReturnNarrative: str(args.Narrative) });
    return { seq, asset: tag, active: false, lease: lease.LeaseNumber, violation,
      answer: confirmation(lease, at), records: { [lease.LeaseNumber]: lease } };
  },
};

function leaseQuery(args) {
  const id = str(args.TransactionRef);
  const tag = str(args.AssetTag);
  if (id) {
    const r = state.requests[id];
    if (!r) return { Outcome: 'NOT_FOUND', TransactionRef: id };
    return { Outcome: 'POSTED', TransactionRef: id, Operation: r.op, Confirmation: r.answer };
  }
  if (tag) {
    const l = leaseOf(tag);
    if (!l) return { Outcome: 'NOT_FOUND' };
    return { Outcome: 'POSTED', Confirmation: confirmation(l, l.BookedAt || isoNow()) };
  }
  throw soapFault('Client', 'TransactionRef or AssetTag is required');
}

// ---------------------------------------------------------------- requests

// checkWsse(headers): the UsernameToken of the SOAP header matches the
// configured credentials (PasswordText, or PasswordDigest =
// base64(sha1(nonce + created + password))).
function checkWsse(headers) {
  const tok = headers && headers.Security && headers.Security.UsernameToken;
  if (!tok) return false;
  if (str(tok.Username) !== opt.user) return false;
  const pw = tok.Password;
  const pwText = str(pw);
  const type = pw && typeof pw === 'object' && pw.attributes ? String(pw.attributes.Type || '') : '';
  if (type.endsWith('#PasswordDigest')) {
    const nonce = Buffer.from(str(tok.Nonce) || '', 'base64');
    const created = str(tok.Created) || '';
    const want = crypto.createHash('sha1')
      .update(Buffer.concat([nonce, Buffer.from(created + opt.password)])).digest('base64');
    return pwText === want;
  }
  return pwText === opt.password;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// change(op, fn): a service method for a change operation.  Replays get
// the first answer; a new id is applied (journalled) and answered, with
// the fault chosen for this HTTP request (req.peerFault) acted out
// around the apply.
function change(op, fn) {
  return (args, callback, headers, req) => {
    (async () => {
      const f = req.peerFault;
      if (opt.auth === 'wsse' && !checkWsse(headers)) {
        record({ e: 'auth' });
        throw soapFault('Client', 'wsse:FailedAuthentication: the security token could not be authenticated');
      }
      const id = need(args, sys.idField);
      if (f && (f.kind === 'slow' || (f.kind === 'stall' && f.apply === 'after'))) await sleep(f.ms);
      let answer;
      const prev = state.requests[id];
      if (prev) {
        record({ e: 'replay', id, conflict: prev.digest !== digest(args) });
        answer = prev.answer;
      } else {
        let r;
        try {
          r = fn(args);
        } catch (err) {
          record({ e: 'reject', id, op });
          throw err;
        }
        if (r.violation && opt.strict) {
          record({ e: 'reject', id, op, asset: r.asset, violation: r.violation });
          throw soapFault('Client', r.violation);
        }
        record({ e: 'apply', id, op, asset: r.asset, seq: r.seq, digest: digest(args),
          at: isoNow(), answer: r.answer, records: r.records, active: r.active,
          violation: r.violation, lease: r.lease });
        answer = r.answer;
      }
      if (f) record({ e: 'fault', kind: f.kind, op, id, applied: true });
      if (f && f.kind === 'drop') {
        req.socket.destroy();
        return undefined;
      }
      if (f && f.kind === 'stall' && f.apply === 'before') await sleep(f.ms);
      return answer;
    })().then((answer) => {
      if (answer !== undefined && !req.socket.destroyed) callback(null, answer);
    }, (err) => {
      if (req.socket.destroyed) return;
      if (err && err.Fault) callback(err);
      else callback(soapFault('Server', String(err && err.stack ? err.message : err)));
    });
  };
}

function query(fn) {
  return (args, callback, headers, req) => {
    (async () => {
      const f = req.peerFault;
      if (opt.auth === 'wsse' && !checkWsse(headers)) {
        record({ e: 'auth' });
        throw soapFault('Client', 'wsse:FailedAuthentication: the security token could not be authenticated');
      }
      if (f && (f.kind === 'slow' || f.kind === 'stall')) await sleep(f.ms);
      record({ e: 'query' });
      const answer = fn(args);
      if (f) record({ e: 'fault', kind: f.kind, op: 'query', applied: false });
      if (f && f.kind === 'drop') {
        req.socket.destroy();
        return undefined;
      }
      return answer;
    })().then((answer) => {
      if (answer !== undefined && !req.socket.destroyed) callback(null, answer);
    }, (err) => {
      if (req.socket.destroyed) return;
      callback(err && err.Fault ? err : soapFault('Server', String(err)));
    });
  };
}

const methods = {};
if (opt.system === 'vendor') {
  for (const [k, fn] of Object.entries(vendorOps)) methods[k] = change(k, fn);
  methods.QueryOrder = query(vendorQuery);
} else {
  for (const [k, fn] of Object.entries(leaseOps)) methods[k] = change(k, fn);
  methods.QueryLease = query(leaseQuery);
}

// ---------------------------------------------------------------- faults
//
// A fault rule: { kind, count, ops, fraction, seed, kinds, ms, apply }.
// The first rule that matches a SOAP request (its operation in ops, if
// given; a count left, if given; a draw under fraction, if given) acts
// on it; kind "random" picks one of kinds with the rule's PRNG.

let rules = [];

// mulberry32: a small seeded PRNG, so a fraction of failures repeats.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = ['http500', 'soapfault', 'stall', 'slow', 'drop', 'reset', 'duplicate'];

function setRules(list) {
  if (!Array.isArray(list)) throw new Error('faults must be an array');
  rules = list.map((r) => {
    if (!r || typeof r !== 'object') throw new Error('a fault rule must be an object');
    if (r.kind !== 'random' && !KINDS.includes(r.kind)) throw new Error(`unknown fault kind ${r.kind}`);
    if (r.kind === 'random' && (!Array.isArray(r.kinds) || !r.kinds.length ||
        r.kinds.some((k) => !KINDS.includes(k)))) throw new Error('kind random needs kinds');
    if (r.apply !== undefined && !['before', 'after', 'never'].includes(r.apply)) {
      throw new Error('apply must be before, after or never');
    }
    const out = { kind: r.kind, count: r.count === undefined ? null : Number(r.count),
      ops: r.ops || null, fraction: r.fraction === undefined ? null : Number(r.fraction),
      seed: r.seed === undefined ? 1 : Number(r.seed), kinds: r.kinds || null,
      ms: r.ms === undefined ? null : Number(r.ms), apply: r.apply || 'after', hits: 0 };
    out.rand = prng(out.seed);
    return out;
  });
}

function publicRules() {
  return rules.map(({ rand, ...r }) => r);
}

function pickFault(op) {
  for (const r of rules) {
    if (r.count !== null && r.count <= 0) continue;
    if (r.ops && !r.ops.includes(op)) continue;
    if (r.fraction !== null && r.rand() >= r.fraction) continue;
    if (r.count !== null) r.count--;
    r.hits++;
    const kind = r.kind === 'random' ? r.kinds[Math.floor(r.rand() * r.kinds.length)] : r.kind;
    const ms = r.ms !== null ? r.ms : (kind === 'stall' ? 30000 : 1000);
    return { kind, ms, apply: r.apply };
  }
  return null;
}

// ---------------------------------------------------------------- servers

const wsdlText = fs.readFileSync(path.join(__dirname, sys.wsdl), 'utf8');
// the SOAPAction of each operation, from the WSDL's binding
const ACTIONS = {};
for (const m of wsdlText.matchAll(/<wsdl:operation name="(\w+)">\s*<soap:operation soapAction="([^"]*)"/g)) {
  ACTIONS[m[1]] = m[2];
}
let soapPort = opt.port;
let down = false;
const server = http.createServer();
server.keepAliveTimeout = 5000;
const sockets = new Set();
server.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});

function opOf(body, req) {
  const m = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(body);
  if (m) return m[1];
  const a = String(req.headers.soapaction || '').replace(/"/g, '');
  return a.replace(/^.*[#/]/, '');
}

// nsOf(body, op): the namespace of the operation element (its prefix's
// declaration, or its own default namespace), or '' when undeclared.
function nsOf(body, op) {
  const m = new RegExp(`<(?:([\\w.-]+):)?${op}\\b([^>]*)>`).exec(body);
  if (!m) return '';
  if (m[1]) {
    const d = new RegExp(`xmlns:${m[1]}\\s*=\\s*["']([^"']*)["']`).exec(body);
    return d ? d[1] : '';
  }
  const d = /xmlns\s*=\s*["']([^"']*)["']/.exec(m[2]);
  if (d) return d[1];
  // a default namespace declared further out (Envelope or Body)
  const outer = [...body.slice(0, m.index).matchAll(/xmlns\s*=\s*["']([^"']*)["']/g)];
  return outer.length ? outer[outer.length - 1][1] : '';
}

function idOf(body) {
  const m = new RegExp(`<(?:[\\w.-]+:)?${sys.idField}>([^<]*)<`).exec(body);
  return m ? m[1] : undefined;
}

function faultXml(code, text) {
  return '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring>` +
    '</soap:Fault></soap:Body></soap:Envelope>';
}

function basicOk(req) {
  const h = String(req.headers.authorization || '');
  const m = /^Basic\s+(\S+)$/i.exec(h);
  if (!m) return false;
  const dec = Buffer.from(m[1], 'base64').toString('utf8');
  const i = dec.indexOf(':');
  if (i < 0) return false;
  const u = Buffer.from(dec.slice(0, i));
  const p = Buffer.from(dec.slice(i + 1));
  const wu = Buffer.from(opt.user);
  const wp = Buffer.from(opt.password);
  return u.length === wu.length && p.length === wp.length &&
    crypto.timingSafeEqual(u, wu) && crypto.timingSafeEqual(p, wp);
}

function start(soapListener) {
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    countHttp();
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method === 'GET' && /^\?wsdl/i.test(url.search)) {
      // the WSDL with its address pointing at this peer
      res.setHeader('Content-Type', 'text/xml; charset=utf-8');
      res.end(wsdlText.replace(/location="http:\/\/127\.0\.0\.1:\d+/,
        `location="http://127.0.0.1:${soapPort}`));
      return;
    }
    if (url.pathname !== sys.path || req.method !== 'POST') {
      res.statusCode = 404;
      res.end('not found\n');
      return;
    }
    if (opt.auth === 'basic' && !basicOk(req)) {
      record({ e: 'auth' });
      res.writeHead(401, { 'WWW-Authenticate': `Basic realm="${sys.realm}"`,
        'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const op = opOf(text, req);
      if (!methods[op]) {
        res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end(faultXml('Client', `no operation ${String(op).replace(/[<>&]/g, '')} at this endpoint`));
        return;
      }
      const ns = nsOf(text, op);
      if (ns !== sys.ns) {
        res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end(faultXml('Client', `${op} in namespace '${ns.replace(/[<>&]/g, '')}' is not known here; ` +
          `expected ${sys.ns}`));
        return;
      }
      const action = req.headers.soapaction === undefined ? ''
        : String(req.headers.soapaction).replace(/^"(.*)"$/, '$1');
      if (action !== '' && action !== ACTIONS[op]) {
        res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.end(faultXml('Client', `SOAPAction '${action.replace(/[<>&]/g, '')}' is not ${op}'s ` +
          `(${ACTIONS[op]})`));
        return;
      }
      const f = pickFault(op);
      if (f) {
        const id = idOf(text);
        if (f.kind === 'http500') {
          record({ e: 'fault', kind: f.kind, op, id, applied: false });
          res.writeHead(500, { 'Content-Type': 'text/html' });
          res.end('<html><body><h1>500 Internal Server Error</h1></body></html>\n');
          return;
        }
        if (f.kind === 'soapfault') {
          record({ e: 'fault', kind: f.kind, op, id, applied: false });
          res.writeHead(500, { 'Content-Type': 'text/xml; charset=utf-8' });
          res.end(faultXml('Server', `${sys.realm} is temporarily unavailable, try again later`));
          return;
        }
        if (f.kind === 'reset') {
          record({ e: 'fault', kind: f.kind, op, id, applied: false });
          req.socket.destroy();
          return;
        }
        if (f.kind === 'stall' && f.apply === 'never') {
          record({ e: 'fault', kind: f.kind, op, id, applied: false });
          setTimeout(() => req.socket.destroy(), f.ms);
          return;
        }
        if (f.kind === 'duplicate') {
          // answer, then write the same HTTP response once more, unasked
          const end = res.end.bind(res);
          const parts = [];
          res.write = (data) => {
            parts.push(Buffer.from(data));
            return true;
          };
          res.end = (data) => {
            if (data) parts.push(Buffer.from(data));
            const all = Buffer.concat(parts);
            if (!res.headersSent) res.setHeader('Content-Length', all.length);
            res.on('finish', () => {
              if (req.socket.destroyed) return;
              req.socket.write(Buffer.concat([Buffer.from(`HTTP/1.1 ${res.statusCode} OK\r\n` +
                `Content-Type: ${res.getHeader('Content-Type')}\r\n` +
                `Content-Length: ${all.length}\r\n\r\n`), all]));
            });
            return end(all);
          };
        }
        req.peerFault = f;
      }
      req.body = body;
      soapListener(req, res);
    });
  });
}

function listenSoap(cb) {
  server.listen(soapPort, '127.0.0.1', () => {
    soapPort = server.address().port;
    cb();
  });
}

// goDown: stop listening (connections are refused) and cut the open ones.
function goDown(cb) {
  if (down) return cb();
  down = true;
  server.close(() => cb());
  for (const s of sockets) s.destroy();
}

function goUp(cb) {
  if (!down) return cb();
  down = false;
  let tries = 0;
  const attempt = () => {
    server.once('error', (err) => {
      if (err.code === 'EADDRINUSE' && ++tries < 50) setTimeout(attempt, 100);
      else cb(err);
    });
    server.listen(soapPort, '127.0.0.1', () => {
      server.removeAllListeners('error');
      cb();
    });
  };
  attempt();
}

// ---------------------------------------------------------------- control

function sendJson(res, code, obj) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(obj)}\n`);
}

function stats() {
  let maxCount = 0;
  let multi = 0;
  for (const r of Object.values(state.requests)) {
    if (r.count > maxCount) maxCount = r.count;
    if (r.count > 1) multi++;
  }
  return { system: opt.system, up: !down, port: soapPort, totals: state.totals,
    ids: Object.keys(state.requests).length, replayed_ids: multi, max_count: maxCount,
    assets: Object.keys(state.assets).length, records: Object.keys(state.records).length,
    violations: state.violations.length, faults: publicRules() };
}

// handleControl: the control API (JSON).
//   GET  /_peer/state            the whole state
//   GET  /_peer/stats            totals and counts, no per-id detail
//   GET  /_peer/requests/ID      one message id: op, count, answer...
//   GET  /_peer/assets/TAG       one asset: its operations in order
//   GET  /_peer/faults           the fault rules with what is left of them
//   POST /_peer/faults           {"faults":[rule,...]} replaces them ([] clears)
//   POST /_peer/down | /_peer/up stop / start listening on the SOAP port
//   POST /_peer/reset            forget everything (a new, empty state)
function handleControl(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const p = url.pathname;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body = {};
    if (chunks.length) {
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        sendJson(res, 400, { error: 'body is not JSON' });
        return;
      }
    }
    let m;
    if (req.method === 'GET' && p === '/_peer/state') return sendJson(res, 200, state);
    if (req.method === 'GET' && p === '/_peer/stats') return sendJson(res, 200, stats());
    if (req.method === 'GET' && (m = /^\/_peer\/requests\/(.+)$/.exec(p))) {
      const r = state.requests[decodeURIComponent(m[1])];
      return r ? sendJson(res, 200, r) : sendJson(res, 404, { error: 'no such message id' });
    }
    if (req.method === 'GET' && (m = /^\/_peer\/assets\/(.+)$/.exec(p))) {
      const a = state.assets[decodeURIComponent(m[1])];
      return a ? sendJson(res, 200, a) : sendJson(res, 404, { error: 'no such asset' });
    }
    if (req.method === 'GET' && p === '/_peer/faults') return sendJson(res, 200, { faults: publicRules() });
    if (req.method === 'POST' && p === '/_peer/faults') {
      try {
        setRules(body.faults === undefined ? [] : body.faults);
      } catch (err) {
        return sendJson(res, 400, { error: err.message });
      }
      return sendJson(res, 200, { faults: publicRules() });
    }
    if (req.method === 'POST' && p === '/_peer/down') {
      return goDown(() => sendJson(res, 200, { up: false, port: soapPort }));
    }
    if (req.method === 'POST' && p === '/_peer/up') {
      return goUp((err) => (err ? sendJson(res, 500, { error: err.message })
        : sendJson(res, 200, { up: true, port: soapPort })));
    }
    if (req.method === 'POST' && p === '/_peer/reset') {
      state = emptyState();
      writeSnapshot();
      fs.ftruncateSync(journalFd, 0);
      return sendJson(res, 200, { reset: true });
    }
    return sendJson(res, 404, { error: 'unknown control request' });
  });
}

// ---------------------------------------------------------------- main

loadState();
const control = http.createServer(handleControl);
// soap.listen installs its request listener once the WSDL is read;
// start() then puts the fault layer in front of it.
soap.listen(server, {
  path: sys.path,
  services: { [sys.service]: { [sys.port]: methods } },
  xml: wsdlText,
  suppressStack: true,
  enableChunkedEncoding: false, // one res.end(body): a Content-Length, and duplicates can copy it
  callback: (err) => {
    if (err) {
      process.stderr.write(`peer.js: ${err.message}\n`);
      process.exit(1);
    }
    start(server.listeners('request')[0]);
    listenSoap(() => {
      control.listen(opt.controlPort, '127.0.0.1', () => {
        process.stdout.write(`READY ${opt.system} port=${soapPort} ` +
          `control=${control.address().port} path=${sys.path}\n`);
      });
    });
  },
});

function shutdown() {
  try {
    writeSnapshot();
    fs.ftruncateSync(journalFd, 0);
  } catch {
    // the journal still has everything
  }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

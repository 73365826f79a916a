'use strict';
// client.js: an npm `soap` client for the test peers (not OMS's code), for
// shell tests and by hand:
//
//   node tests/peers/client.js vendor|lease URL OPERATION 'JSON ARGS' [options]
//   node tests/peers/client.js raw URL 'ENVELOPE' SOAPACTION   (see below)
//
//   URL        the SOAP endpoint, e.g. http://127.0.0.1:P/vos/OrderIntake
//              (the WSDL is read from tests/peers/, not fetched)
//   --timeout MS           the request's total timeout (default 10000)
//   --wsse USER:PASSWORD   a WS-Security UsernameToken (PasswordText)
//   --wsse-digest USER:PASSWORD   the same with PasswordDigest
//   --basic USER:PASSWORD  HTTP basic
//
// Prints one line and exits 0:
//   OK {json result}           the operation answered
//   FAULT faultcode faultstring    a SOAP Fault (with the HTTP status after #)
//   HTTP status                 an HTTP error that is not a SOAP Fault
//   ERROR code                  no answer: ECONNREFUSED, ECONNRESET, TIMEOUT...
//
// raw mode posts ENVELOPE over a plain TCP socket and prints the number
// of HTTP responses that came back on it ("RESPONSES n") within 3 s or
// until the peer closes: a peer told to duplicate its replies sends 2.

const net = require('net');
const path = require('path');
const soap = require('soap');

function out(line) {
  process.stdout.write(`${line}\n`);
}

async function raw(url, envelope, action) {
  const u = new URL(url);
  const body = Buffer.from(envelope);
  const sock = net.connect(Number(u.port), u.hostname);
  let data = '';
  const count = () => (data.match(/HTTP\/1\.1 \d{3}/g) || []).length;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    sock.on('connect', () => {
      sock.write(`POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\n` +
        `Content-Type: text/xml; charset=utf-8\r\nSOAPAction: "${action}"\r\n` +
        `Content-Length: ${body.length}\r\n\r\n`);
      sock.write(body);
    });
    sock.on('data', (d) => {
      data += d.toString('latin1');
      // two complete responses: no need to wait for more
      if (count() >= 2 && /<\/soap:Envelope>[\s\S]*<\/soap:Envelope>/.test(data)) {
        clearTimeout(timer);
        resolve();
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  sock.destroy();
  out(`RESPONSES ${count()}`);
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === 'raw') return raw(argv[1], argv[2], argv[3] || '');
  const [system, url, op, json] = argv;
  if (!['vendor', 'lease'].includes(system) || !url || !op) {
    process.stderr.write('usage: node client.js vendor|lease URL OPERATION JSON [options]\n');
    process.exit(2);
  }
  let timeout = 10000;
  let security;
  for (let i = 4; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[++i] || '';
    const c = v.indexOf(':');
    const user = v.slice(0, c);
    const pw = v.slice(c + 1);
    if (a === '--timeout') timeout = Number(v);
    else if (a === '--wsse') security = new soap.WSSecurity(user, pw, { passwordType: 'PasswordText', hasTimeStamp: false });
    else if (a === '--wsse-digest') security = new soap.WSSecurity(user, pw, { passwordType: 'PasswordDigest', hasTimeStamp: false });
    else if (a === '--basic') security = new soap.BasicAuthSecurity(user, pw);
    else {
      process.stderr.write(`client.js: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  const client = await soap.createClientAsync(path.join(__dirname, `${system}.wsdl`), { endpoint: url });
  if (security) client.setSecurity(security);
  if (typeof client[`${op}Async`] !== 'function') {
    process.stderr.write(`client.js: no operation ${op}\n`);
    process.exit(2);
  }
  try {
    const [result] = await client[`${op}Async`](json ? JSON.parse(json) : {}, { timeout });
    out(`OK ${JSON.stringify(result)}`);
  } catch (err) {
    const fault = err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
    if (fault) {
      out(`FAULT ${fault.faultcode} ${fault.faultstring} #${err.response ? err.response.status : ''}`);
    } else if (err.response && err.response.status) {
      out(`HTTP ${err.response.status}`);
    } else if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' || /timeout/i.test(err.message)) {
      out('ERROR TIMEOUT');
    } else {
      out(`ERROR ${err.code || err.message}`);
    }
  }
  return undefined;
}

main().catch((err) => {
  process.stderr.write(`client.js: ${err.stack || err}\n`);
  process.exit(1);
});

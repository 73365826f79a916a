'use strict';
// soap_client.js: an npm `soap` client (not OMS's code) for OMS's own
// inbound service, built from the WSDL OMS serves:
//
//   node soap_client.js WSDL_URL OPERATION 'JSON ARGS' [--wsse U:P | --basic U:P]
//
// Prints one line: OK {json}, FAULT faultcode faultstring #status,
// HTTP status, or ERROR code.
const soap = require('soap');

async function main() {
  const [wsdl, op, json, how, cred] = process.argv.slice(2);
  let client;
  try {
    client = await soap.createClientAsync(wsdl);
  } catch (e) {
    process.stdout.write(`ERROR wsdl ${e.message}\n`);
    return;
  }
  if (how === '--wsse') {
    const [u, p] = cred.split(':');
    client.setSecurity(new soap.WSSecurity(u, p, { passwordType: 'PasswordText' }));
  } else if (how === '--basic') {
    const [u, p] = cred.split(':');
    client.setSecurity(new soap.BasicAuthSecurity(u, p));
  }
  try {
    const [res] = await client[`${op}Async`](JSON.parse(json));
    process.stdout.write(`OK ${JSON.stringify(res)}\n`);
  } catch (e) {
    const f = e.root && e.root.Envelope && e.root.Envelope.Body && e.root.Envelope.Body.Fault;
    if (f) {
      process.stdout.write(`FAULT ${f.faultcode} ${f.faultstring} #${e.response && e.response.status}\n`);
    } else if (e.response) {
      process.stdout.write(`HTTP ${e.response.status}\n`);
    } else {
      process.stdout.write(`ERROR ${e.code || e.message}\n`);
    }
  }
}
main();

// SPDX-License-Identifier: MIT
// Hostile requests against a running `dyad serve` (port, token as
// arguments): every one must be refused or harmless, every response of the
// server must carry the security headers, and the server must stay up and
// correct. Also slow clients and abrupt disconnects. Prints "ok - ..." /
// "not ok - ..." lines and "done".
'use strict';
const net = require('net');
const [port, token] = process.argv.slice(2);

let failed = 0;
function ok(cond, what) {
  console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
  if (!cond) failed++;
}

// Sends raw bytes, resolves with {status, headers, body, raw} or
// {closed:true} when the server closed without a response.
function raw(bytes, { timeout = 5000, destroyAfterWrite = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    const chunks = [];
    const t = setTimeout(() => { s.destroy(); resolve({ timeout: true, raw: Buffer.concat(chunks).toString('latin1') }); }, timeout);
    s.on('connect', () => {
      s.write(bytes);
      if (destroyAfterWrite) { s.destroy(); clearTimeout(t); resolve({ destroyed: true }); }
    });
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(t);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      if (!m) { resolve({ closed: true, raw: text }); return; }
      const [head, ...rest] = text.split('\r\n\r\n');
      const headers = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers, body: rest.join('\r\n\r\n'), raw: text });
    });
  });
}
function req(method, path, { headers = {}, body = '' } = {}) {
  let h = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
  for (const [k, v] of Object.entries(headers)) h += `${k}: ${v}\r\n`;
  if (body !== null && (body.length || method === 'POST')) h += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
  return raw(Buffer.concat([Buffer.from(h + '\r\n', 'latin1'), Buffer.from(body || '')]));
}
const auth = (t) => ({ Authorization: `Bearer ${t}` });

async function main() {
  const before = JSON.parse((await req('GET', '/api/health')).body);
  ok(before.events > 0, `health before: ${before.articles} articles, ${before.events} events`);

  // [what, method, path, options, allowed statuses, check(body)]
  const cases = [
    ['traversal ../', 'GET', '/../../../../etc/passwd', {}, [400, 404]],
    ['traversal %2e%2e', 'GET', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', {}, [400, 404]],
    ['traversal ..%2f', 'GET', '/..%2f..%2f..%2fetc%2fpasswd', {}, [400, 404]],
    ['traversal from a subdirectory', 'GET', '/vendor/../../../Makefile', {}, [400, 404]],
    ['traversal double slash', 'GET', '//etc/passwd', {}, [400, 404]],
    ['traversal backslashes', 'GET', '/..\\..\\..\\etc\\passwd', {}, [400, 404]],
    ['dot file', 'GET', '/.git/config', {}, [400, 404]],
    ['NUL byte in path', 'GET', '/index.html%00.js', {}, [400, 404]],
    ['overlong UTF-8 dot', 'GET', '/%c0%ae%c0%ae/etc/passwd', {}, [400, 404, 414]],
    ['source SQL injection', 'GET', "/api/events?source=RUS'%20OR%201=1--", {}, [400]],
    ['target SQL injection', 'GET', '/api/events?target=PRK%22%3B%20DROP%20TABLE%20events%3B--', {}, [400]],
    ['code SQL injection', 'GET', "/api/events?code=05'--", {}, [400]],
    ['root SQL injection', 'GET', '/api/events?root=1%20OR%201', {}, [400]],
    ['quad SQL injection', 'GET', '/api/events?quad=1%20OR%201=1', {}, [400]],
    ['from SQL injection', 'GET', "/api/events?from=2024-01-01'%20OR%20'1'='1", {}, [400]],
    ['to SQL injection', 'GET', "/api/events?to=2030-01-01%27)--", {}, [400]],
    ['country SQL injection', 'GET', "/api/events?country=RU'", {}, [400]],
    ['article SQL injection', 'GET', '/api/events?article=1%20OR%201=1', {}, [400]],
    ['order SQL injection', 'GET', '/api/events?order=id;DROP%20TABLE%20events', {}, [400]],
    ['place injection is bound (harmless)', 'GET', "/api/events?place=%25'%20OR%201=1--", {}, [200],
      (b) => JSON.parse(b).total === 0],
    ['LIKE wildcard in place matches literally', 'GET', '/api/events?place=%25%25', {}, [200],
      (b) => JSON.parse(b).total === 0],
    // the words reach FTS5 quoted, as words: a list of articles (those
    // holding the words), never SQL; the database is checked unchanged below
    ['search injection is bound (harmless)', 'GET', "/api/search?q=%25'%20OR%201=1%20--", {}, [200],
      (b) => { const r = JSON.parse(b); return Array.isArray(r.articles) && r.total === r.articles.length && r.total <= 20; }],
    ['search operators are words, not FTS5 syntax', 'GET', '/api/search?q=NEAR(a%20b)%20*%20%22', {}, [200],
      (b) => Array.isArray(JSON.parse(b).articles)],
    ['series injection', 'GET', "/api/series?source=RUS'%20UNION%20SELECT%201", {}, [400]],
    ['article id injection', 'GET', '/api/articles/1%20OR%201=1', {}, [404]],
    ['feed id injection', 'GET', "/feeds/1'.atom", {}, [404]],
    ['ask injection is harmless', 'GET', "/api/ask?q=Robert');%20DROP%20TABLE%20events;--", {}, [200]],
    ['alignments bad date', 'GET', "/api/alignments?date=2024-06-30'--", {}, [400]],
    // every filter at once, both directions: 17 bound values (the server
    // once had room for 16 and wrote past its array: found by fuzz_http)
    ['every filter at once', 'GET', '/api/events?source=RUS&target=PRK&either=1&code=0&root=01&quad=1&from=2024-01-01&to=2024-12-31&country=USA&place=Seoul&article=5', {}, [200],
      (b) => JSON.parse(b).total === 0],
    ['every filter at once, series', 'GET', '/api/series?source=RUS&target=PRK&either=1&code=0&root=01&quad=1&from=2024-01-01&to=2024-12-31&country=USA&place=Seoul', {}, [200]],
    ['negative limit', 'GET', '/api/events?limit=-1', {}, [400]],
    ['huge limit', 'GET', '/api/events?limit=100000000', {}, [400]],
    ['huge offset', 'GET', '/api/events?offset=99999999999999999999', {}, [400]],
    ['bad format', 'GET', '/api/events?format=xml', {}, [400]],
    ['query string over the cap', 'GET', `/api/events?place=${'a'.repeat(10000)}`, {}, [414, 400, 431]],
    ['too many arguments', 'GET', `/api/events?${Array.from({ length: 40 }, (_, i) => `k${i}=1`).join('&')}`, {}, [414]],
    ['path over the cap', 'GET', `/${'a'.repeat(3000)}.html`, {}, [414, 404]],
    ['ingest without token', 'POST', '/api/ingest', { body: 'Russia threatened Ukraine.' }, [401]],
    ['ingest with a wrong token', 'POST', '/api/ingest', { headers: auth('0'.repeat(64)), body: 'Russia threatened Ukraine.' }, [401]],
    ['ingest with a token prefix', 'POST', '/api/ingest', { headers: auth(token.slice(0, 32)), body: 'x' }, [401]],
    ['ingest with the token not as Bearer', 'POST', '/api/ingest', { headers: { Authorization: token }, body: 'x' }, [401]],
    ['ingest with the token in the query string', 'POST', `/api/ingest?token=${token}`, { body: 'x' }, [401]],
    ['saved query without token', 'POST', '/api/saved', { headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' }, [401]],
    ['saved query delete without token', 'DELETE', '/api/saved/1', {}, [401]],
    ['saved query delete with a wrong token', 'DELETE', '/api/saved/1', { headers: auth('f'.repeat(64)) }, [401]],
    ['declared body over the cap', 'POST', '/api/ingest', { headers: { ...auth(token), 'Content-Length': '104857600' }, body: null }, [413]],
    ['JSON body over the cap', 'POST', '/api/saved', { headers: auth(token), body: `{"name":"${'x'.repeat(20000)}"}` }, [413]],
    ['malformed JSON', 'POST', '/api/saved', { headers: auth(token), body: '{"name": "x", ' }, [400]],
    ['JSON array instead of object', 'POST', '/api/saved', { headers: auth(token), body: '["name"]' }, [400]],
    ['JSON with an injected filter', 'POST', '/api/saved', { headers: auth(token), body: '{"name":"x","query":{"source":"RUS\' OR 1=1"}}' }, [400]],
    ['JSON with a non-UTF-8 body', 'POST', '/api/saved', { headers: auth(token), body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }, [400]],
    ['empty ingest body', 'POST', '/api/ingest', { headers: auth(token), body: '' }, [400]],
    ['binary ingest body', 'POST', '/api/ingest', { headers: auth(token), body: Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0]) }, [422]],
    ['PUT', 'PUT', '/api/events', { body: '' }, [405]],
    ['TRACE', 'TRACE', '/', {}, [405]],
    ['PATCH', 'PATCH', '/api/saved/1', { body: '' }, [405]],
    ['GET on the ingest endpoint', 'GET', '/api/ingest', {}, [405]],
    ['unknown API path', 'GET', '/api/../../etc/passwd', {}, [404, 400]],
  ];
  for (const [what, method, path, opt, want, check] of cases) {
    const r = await req(method, path, opt);
    let good = want.includes(r.status);
    if (good && check) { try { good = check(r.body); } catch (e) { good = false; } }
    ok(good, `${what}: ${method} ${path.slice(0, 60)} -> ${r.status || (r.closed ? 'closed' : 'timeout')}`);
    if (r.status) {
      ok(/script-src 'self'/.test(r.headers['content-security-policy'] || '') && r.headers['x-content-type-options'] === 'nosniff' &&
        r.headers['x-frame-options'] === 'DENY' && !!r.headers['referrer-policy'], `  security headers on ${r.status}`);
    }
    if (r.status === 200 || r.status === 404) ok(!/root:x:0:0|\[core\]|^# dyad: plain/m.test(r.body || ''), '  no file outside the web directory leaked');
  }

  // malformed HTTP: refused or closed, never a crash
  const malformed = [
    ['garbage request line', 'HELLO THERE\r\n\r\n'],
    ['HTTP/1.1 without Host', 'GET /api/health HTTP/1.1\r\n\r\n'],
    ['binary bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff))],
    ['header without colon', 'GET / HTTP/1.1\r\nHost: x\r\nbroken header line\r\n\r\n'],
    ['headers over the memory cap', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(200000)}\r\n\r\n`],
    ['bad chunk size', 'POST /api/saved HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    ['negative Content-Length', 'POST /api/saved HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'],
  ];
  for (const [what, bytes] of malformed) {
    const r = await raw(bytes);
    ok(r.closed || (r.status >= 400 && r.status < 500), `malformed HTTP, ${what}: ${r.status || (r.closed ? 'closed' : 'timeout')}`);
  }

  // abrupt disconnects: requests abandoned mid-way
  const drops = [];
  for (let i = 0; i < 40; i++) {
    drops.push(raw(`GET /api/events?limit=1000 HTTP/1.1\r\nHost: x\r\n\r\n`, { destroyAfterWrite: true }));
    drops.push(raw(`POST /api/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: 100000\r\n\r\npartial body`, { destroyAfterWrite: true }));
    drops.push(raw(`GET /api/ev`, { destroyAfterWrite: true }));
  }
  await Promise.all(drops);
  let h = await req('GET', '/api/health');
  ok(h.status === 200, 'abrupt disconnects (120): server answers afterwards');

  // slow clients: 30 connections that send half a request and stall; the
  // server keeps answering others and closes the stalled ones at its timeout
  const slow = [];
  for (let i = 0; i < 30; i++) slow.push(raw('GET /api/health HTTP/1.1\r\nHost: x\r\n', { timeout: 30000 }));
  h = await req('GET', '/api/events?limit=5');
  ok(h.status === 200 && JSON.parse(h.body).events.length === 5, 'slow clients: other requests still answered');
  const ends = await Promise.all(slow);
  ok(ends.every((r) => !r.timeout), `slow clients: all 30 stalled connections closed by the server (${ends.filter((r) => !r.timeout).length})`);

  const after = JSON.parse((await req('GET', '/api/health')).body);
  ok(after.events === before.events && after.articles === before.articles,
    `database unchanged by the hostile requests (${after.articles} articles, ${after.events} events)`);
  const ev = await req('GET', '/api/events?source=RUS&target=PRK&code=057');
  ok(ev.status === 200 && JSON.parse(ev.body).total >= 1, 'events still answered correctly (RUS 057 PRK present)');
  console.log('done');
}
main().catch((e) => { console.log(`not ok - security.js crashed: ${e.stack}`); });

// SPDX-License-Identifier: MIT
// Browser tests of the dyad pages in Debian's chromium, driven by
// playwright-core (port, token, artifacts directory as arguments). The
// server's database holds the seed article (pact-article.txt, 2024-06-19)
// and the wikinews corpus. Screenshots go to the artifacts directory.
// Fails on any console error or CSP violation. Prints ok/not ok and "done".
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', '..', 'web', 'node_modules', 'playwright-core'));
const [port, token, artDir] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;

function ok(cond, what) { console.log(`${cond ? 'ok' : 'not ok'} - ${what}`); }

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'], headless: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`status ${r.status()}: ${r.url()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push(`off-site request: ${r.url()}`); });
  const shot = async (name) => {
    const file = path.join(artDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`# screenshot ${file}`);
  };
  const api = async (p) => (await page.request.get(base + p)).json();

  // dashboard
  await page.goto(`${base}/`);
  await page.waitForSelector('#latest table tr[data-id]');
  await page.waitForSelector('#map svg path.has');
  const health = await api('/api/health');
  const latestRows = await page.locator('#latest table tr[data-id]').count();
  ok(latestRows === Math.min(15, health.events), `dashboard: ${latestRows} latest events listed`);
  const shaded = Number(await page.getAttribute('#map', 'data-shaded'));
  ok(shaded >= 5, `dashboard: world map shades ${shaded} countries`);
  ok(await page.locator('path[data-country="RUS"]').count() === 1, 'dashboard: Russia shaded on the map');
  const dyadRows = await page.locator('#dyads tr').count() - 1;
  ok(dyadRows >= 5, `dashboard: ${dyadRows} most active dyads`);
  ok((await page.textContent('#health')).includes(`${health.events} events`), 'dashboard: counts from the database');
  await shot('dashboard');

  // event explorer: filter by source RUS and root 11
  await page.goto(`${base}/events.html`);
  await page.waitForSelector('#table table');
  await page.fill('input[name=source]', 'RUS');
  await page.selectOption('select[name=quad]', '3');
  await page.click('#apply');
  await page.waitForURL(/source=RUS/);
  await page.waitForFunction(() => document.querySelector('#count').textContent.includes('events'));
  const want = await api('/api/events?source=RUS&quad=3');
  const rows = page.locator('#table table tr[data-id]');
  const n = await rows.count();
  ok(n === Math.min(50, want.total) && n > 0, `explorer: filter source=RUS quad=3 shows ${n} of ${want.total} events`);
  const sources = await page.locator('#table table tr[data-id] td:nth-child(2) a').allTextContents();
  ok(sources.every((s) => s.startsWith('RUS')), 'explorer: every row has a RUS source');
  const csvHref = await page.getAttribute('#csv', 'href');
  const csv = await (await page.request.get(base + csvHref)).text();
  ok(csv.startsWith('id,article_id,date') && csv.trim().split('\n').length === want.total + 1, `explorer: CSV download has ${want.total} rows`);
  await shot('explorer');

  // article reader: the seed article, the pact event with its evidence
  const pact = await api('/api/events?source=RUS&target=PRK&code=057');
  ok(pact.total >= 1, 'seed article: the pact event (RUS 057 PRK) is stored');
  const ev = pact.events[0];
  await page.goto(`${base}/article.html?id=${ev.article_id}#ev${ev.id}`);
  await page.waitForSelector('#article mark.verb');
  const verbMarks = await page.locator('#article mark.verb').allTextContents();
  ok(verbMarks.includes('signed'), 'article: the verb "signed" is highlighted');
  const actorMarks = await page.locator('#article mark.actor').allTextContents();
  ok(actorMarks.includes('Russian President Vladimir Putin') && actorMarks.includes('North Korean leader Kim Jong Un'),
    'article: source and target of the pact highlighted');
  const hot = await page.locator('#article mark.hot').allTextContents();
  ok(hot.includes('signed'), 'article: the permalinked event is marked in the text');
  const box = page.locator(`#ev${ev.id}`);
  const why = await box.textContent();
  ok(why.includes('057') && /pattern SIGN .*agreement\|pact/.test(why) && /verbs\.dict line \d+/.test(why) &&
    /people\.dict line \d+/.test(why) && /actors\.dict line \d+/.test(why), 'article: the pact event shows its pattern and dictionary lines');
  ok((await page.inputValue('#permalink-text')).endsWith(`/article.html?id=${ev.article_id}`), 'article: permalink');
  await page.waitForSelector('#similar p.muted');
  await shot('article-pact');

  // dyad view
  await page.goto(`${base}/dyad.html?source=RUS&target=PRK`);
  await page.waitForSelector('#events table');
  const points = Number(await page.getAttribute('#chart', 'data-points'));
  ok(points >= 1, `dyad: timeline with ${points} periods`);
  ok(await page.locator('#events table tr[data-id]').count() >= 1, 'dyad: events under the timeline');
  await shot('dyad-rus-prk');

  // alignments
  await page.goto(`${base}/alignments.html?date=2024-06-30`);
  await page.waitForSelector('#graph canvas');
  ok(Number(await page.getAttribute('#graph', 'data-nodes')) >= 2, 'alignments: network drawn');
  await shot('alignments');

  // subscribe: a wrong token is refused, the right one saves; read the feed
  await page.goto(`${base}/subscribe.html?source=RUS&target=PRK`);
  await page.waitForSelector('#saved tr');
  await page.fill('input[name=name]', 'Russia and North Korea');
  await page.fill('input[name=token]', 'not-the-token');
  await page.click('#create button[type=submit]');
  await page.waitForSelector('#status .error');
  // the refused POST logs its 401 in the console: expected here
  const i401 = problems.findIndex((p) => p.startsWith('status 401'));
  if (i401 >= 0) problems.splice(i401, 1);
  ok((await page.textContent('#status')).includes('Not saved'), 'subscribe: a wrong token is refused');
  await page.fill('input[name=token]', token);
  await page.click('#create button[type=submit]');
  await page.waitForSelector('#new-feed');
  const feedUrl = await page.getAttribute('#new-feed', 'href');
  ok(/^\/feeds\/\d+\.atom$/.test(feedUrl), `subscribe: saved with feed ${feedUrl}`);
  await page.waitForSelector('#saved a.feed');
  await shot('subscribe');
  const feedResp = await page.request.get(base + feedUrl);
  const feed = await feedResp.text();
  ok(feedResp.headers()['content-type'].startsWith('application/atom+xml') && feed.includes('<feed xmlns="http://www.w3.org/2005/Atom">'),
    'feed: an Atom document');
  ok(/<entry>[\s\S]*RUSGOV 057 PRKGOV/.test(feed), 'feed: lists the pact event');
  await page.goto(base + feedUrl);
  await shot('feed');

  // ask
  await page.goto(`${base}/ask.html`);
  await page.fill('#ask input[name=q]', 'what did Russia do to North Korea in June 2024');
  await page.click('#ask button');
  await page.waitForSelector('#understood li');
  const understood = await page.locator('#understood li').allTextContents();
  ok(understood.includes('source RUS (Russia)') && understood.includes('target PRK (North Korea)') &&
    understood.includes('dates 2024-06-01 to 2024-06-30'), `ask: read as ${JSON.stringify(understood)}`);
  const codes = await page.locator('#answer table tr[data-id] td:nth-child(3) .pill').allTextContents();
  ok(codes.includes('057'), `ask: the answer lists the pact event (${codes.join(', ')})`);
  await shot('ask');
  // the header box on every page asks too
  await page.goto(`${base}/`);
  await page.fill('header input[name=q]', 'Did Putin threaten anyone in 2024?');
  await page.press('header input[name=q]', 'Enter');
  await page.waitForSelector('#understood li');
  const u2 = await page.locator('#understood li').allTextContents();
  ok(u2.some((x) => x.startsWith('source RUS')) && u2.some((x) => x.includes('root 13')), `ask from the header: ${JSON.stringify(u2)}`);

  ok(problems.length === 0, `no console errors, CSP violations or off-site requests${problems.length ? ': ' + problems.join('; ') : ''}`);
  await browser.close();
  console.log('done');
}
main().catch((e) => { console.log(`not ok - browser.js crashed: ${e.stack}`); process.exit(0); });

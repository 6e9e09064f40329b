// SPDX-License-Identifier: MIT
// Shared helpers of the dyad pages: navigation, fetch, safe DOM building
// (text nodes only, never innerHTML with data) and the event table.
'use strict';
const dyad = {};
dyad.el = function (tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const kid of kids) {
    if (kid === null || kid === undefined) continue;
    e.append(typeof kid === 'string' ? document.createTextNode(kid) : kid);
  }
  return e;
};
dyad.get = async function (url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({ error: 'not JSON' }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
};
dyad.params = () => new URLSearchParams(location.search);
dyad.qs = function (obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== '' && v !== undefined && v !== null) p.set(k, v);
  return p.toString();
};
dyad.quadName = ['', 'verbal cooperation', 'material cooperation', 'verbal conflict', 'material conflict'];
dyad.nav = function () {
  const pages = [['/', 'Dashboard'], ['/events.html', 'Events'], ['/dyad.html', 'Dyads'],
    ['/alignments.html', 'Alignments'], ['/subscribe.html', 'Subscribe'], ['/ask.html', 'Ask']];
  const h = document.querySelector('header');
  h.append(dyad.el('a', { href: '/', class: 'brand' }, 'dyad'));
  for (const [href, name] of pages) {
    const here = location.pathname === href || (href === '/' && location.pathname === '/index.html');
    h.append(dyad.el('a', { href, class: here ? 'here' : null }, name));
  }
  const input = dyad.el('input', { name: 'q', placeholder: 'How can I help you?', 'aria-label': 'Ask a question' });
  h.append(dyad.el('form', { action: '/ask.html', method: 'get' }, input, dyad.el('button', { type: 'submit' }, 'Ask')));
};
// A table of events; rows link to the article reader.
dyad.eventTable = function (events) {
  const t = dyad.el('table', { class: 'events' });
  t.append(dyad.el('tr', {}, ...['Date', 'Source', 'Event', 'Target', 'Goldstein', 'Sentence'].map((h) => dyad.el('th', {}, h))));
  for (const e of events) {
    const link = dyad.el('a', { href: `/article.html?id=${e.article_id}#ev${e.id}` }, e.sentence || e.headline || '(article)');
    t.append(dyad.el('tr', { 'data-id': e.id },
      dyad.el('td', {}, e.date),
      dyad.el('td', {}, dyad.el('a', { href: `/dyad.html?${dyad.qs({ source: e.source_country || e.source, target: e.target_country || e.target })}` }, e.source), dyad.el('div', { class: 'muted' }, e.source_name)),
      dyad.el('td', {}, dyad.el('span', { class: `pill q${e.quad}` }, e.code), dyad.el('div', { class: 'muted' }, dyad.quadName[e.quad] || '')),
      dyad.el('td', {}, e.target, dyad.el('div', { class: 'muted' }, e.target_name)),
      dyad.el('td', { class: 'num' }, e.goldstein.toFixed(1)),
      dyad.el('td', {}, link)));
  }
  if (!events.length) t.append(dyad.el('tr', {}, dyad.el('td', { colspan: 6, class: 'muted' }, 'No events match.')));
  return t;
};
dyad.fail = function (where, err) {
  where.append(dyad.el('p', { class: 'error' }, String(err.message || err)));
};
document.addEventListener('DOMContentLoaded', dyad.nav);

// SPDX-License-Identifier: MIT
// Event explorer: filters in the URL, a page of events, CSV of the same
// filters, a link to subscribe to them.
'use strict';
const KEYS = ['source', 'target', 'code', 'root', 'quad', 'from', 'to', 'country', 'place'];
const PAGE = 50;
function current() {
  const p = dyad.params(), f = {};
  for (const k of KEYS) f[k] = p.get(k) || '';
  f.offset = Number(p.get('offset') || 0);
  return f;
}
async function load() {
  const f = current();
  const form = document.getElementById('filters');
  for (const k of KEYS) form.elements[k].value = f[k];
  const q = {};
  for (const k of KEYS) q[k] = f[k];
  const where = document.getElementById('table');
  where.textContent = '';
  document.getElementById('csv').href = `/api/events.csv?${dyad.qs({ ...q, limit: 1000 })}`;
  document.getElementById('subscribe').href = `/subscribe.html?${dyad.qs(q)}`;
  try {
    const r = await dyad.get(`/api/events?${dyad.qs({ ...q, limit: PAGE, offset: f.offset })}`);
    document.getElementById('count').textContent =
      `${r.total} events` + (r.total ? `, showing ${f.offset + 1}–${f.offset + r.events.length}` : '');
    document.getElementById('prev').disabled = f.offset === 0;
    document.getElementById('next').disabled = f.offset + PAGE >= r.total;
    where.append(dyad.eventTable(r.events));
  } catch (e) { dyad.fail(where, e); }
}
function go(extra) {
  const form = document.getElementById('filters'), q = {};
  for (const k of KEYS) q[k] = form.elements[k].value.trim();
  history.pushState(null, '', `/events.html?${dyad.qs({ ...q, ...extra })}`);
  load();
}
document.addEventListener('DOMContentLoaded', () => {
  const root = document.querySelector('select[name=root]');
  for (let i = 1; i <= 20; i++) { const v = String(i).padStart(2, '0'); root.append(dyad.el('option', { value: v }, v)); }
  document.getElementById('filters').addEventListener('submit', (e) => { e.preventDefault(); go({}); });
  document.getElementById('prev').addEventListener('click', () => go({ offset: Math.max(0, current().offset - PAGE) }));
  document.getElementById('next').addEventListener('click', () => go({ offset: current().offset + PAGE }));
  window.addEventListener('popstate', load);
  load();
});

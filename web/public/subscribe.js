// SPDX-License-Identifier: MIT
// Subscribe: save a filter as a query (token needed) and get its feed URL;
// list and delete saved queries.
'use strict';
const FIELDS = ['source', 'target', 'code', 'root', 'quad', 'from', 'to', 'country'];
function token() { return document.querySelector('input[name=token]').value.trim() || sessionStorage.getItem('dyad-token') || ''; }
async function list() {
  const t = document.getElementById('saved');
  t.textContent = '';
  t.append(dyad.el('tr', {}, ...['Name', 'Query', 'Feed', ''].map((h) => dyad.el('th', {}, h))));
  const r = await dyad.get('/api/saved');
  for (const s of r.saved) {
    const del = dyad.el('button', { class: 'danger', type: 'button' }, 'Delete');
    del.addEventListener('click', async () => {
      const res = await fetch(`/api/saved/${s.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token()}` } });
      const body = await res.json().catch(() => ({}));
      document.getElementById('status').textContent = res.ok ? `Deleted ${s.name}.` : `Not deleted: ${body.error || res.status}`;
      list();
    });
    t.append(dyad.el('tr', { 'data-id': s.id },
      dyad.el('td', {}, s.name),
      dyad.el('td', {}, dyad.el('a', { href: `/events.html?${dyad.qs(s.params)}` }, dyad.qs(s.params) || '(everything)')),
      dyad.el('td', {}, dyad.el('a', { href: s.feed, class: 'feed' }, `${location.origin}${s.feed}`)),
      dyad.el('td', {}, del)));
  }
}
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('create');
  const p = dyad.params();
  for (const k of FIELDS) form.elements[k].value = p.get(k) || '';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const query = {};
    for (const k of FIELDS) if (form.elements[k].value.trim()) query[k] = form.elements[k].value.trim();
    const st = document.getElementById('status');
    const res = await fetch('/api/saved', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token()}` },
      body: JSON.stringify({ name: form.elements.name.value.trim(), query }),
    });
    const body = await res.json().catch(() => ({}));
    st.textContent = '';
    if (res.ok) {
      sessionStorage.setItem('dyad-token', token());
      st.append('Saved. Feed: ', dyad.el('a', { href: body.feed, id: 'new-feed' }, `${location.origin}${body.feed}`));
    } else {
      st.append(dyad.el('span', { class: 'error' }, `Not saved: ${body.error || res.status}`));
    }
    list();
  });
  list().catch((err) => dyad.fail(document.querySelector('main'), err));
});

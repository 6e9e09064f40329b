// SPDX-License-Identifier: MIT
// Alignment view: the network of country pairs at a date (edge colour:
// cooperative or hostile) and what changed since an earlier date.
'use strict';
async function main() {
  const p = dyad.params();
  let date = p.get('date');
  if (!date) date = (await dyad.get('/api/health')).latest_date || new Date().toISOString().slice(0, 10);
  const since = p.get('since') || '';
  const form = document.getElementById('pick');
  form.elements.date.value = date; form.elements.since.value = since;
  const a = await dyad.get(`/api/alignments?${dyad.qs({ date, since })}`);
  document.getElementById('method').textContent = a.available ? `${a.method}; changes since ${a.since}.` : (a.reason || 'not available in this database');
  const elements = [];
  for (const n of a.nodes || []) elements.push({ data: { id: n, label: n } });
  for (const e of a.edges || []) elements.push({ data: { id: `${e.a}-${e.b}`, source: e.a, target: e.b, w: Math.min(8, 1 + e.events), stance: e.stance } });
  const g = document.getElementById('graph');
  g.textContent = '';
  g.setAttribute('data-nodes', String((a.nodes || []).length));
  cytoscape({
    container: g, elements, layout: { name: 'cose', animate: false },
    style: [
      { selector: 'node', style: { label: 'data(label)', 'background-color': '#1f5f99', color: '#1c2430', 'font-size': 11 } },
      { selector: 'edge', style: { width: 'data(w)', 'line-color': '#999' } },
      { selector: 'edge[stance = "cooperative"]', style: { 'line-color': '#2e8b57' } },
      { selector: 'edge[stance = "hostile"]', style: { 'line-color': '#c0392b' } }],
  });
  const ul = document.getElementById('changes');
  ul.textContent = '';
  for (const c of a.changes || []) ul.append(dyad.el('li', {}, `${c.a}–${c.b}: ${c.was} → ${c.now}`));
  if (!(a.changes || []).length) ul.append(dyad.el('li', { class: 'muted' }, 'No change.'));
}
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('pick').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target.elements;
    history.pushState(null, '', `/alignments.html?${dyad.qs({ date: f.date.value, since: f.since.value })}`);
    main().catch((err) => dyad.fail(document.querySelector('main'), err));
  });
  main().catch((e) => dyad.fail(document.querySelector('main'), e));
});

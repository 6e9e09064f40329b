// SPDX-License-Identifier: MIT
// Dyad view: monthly (or daily) counts and Goldstein between two actors,
// with their events under the chart.
'use strict';
let chart = null;
async function main() {
  const p = dyad.params();
  const q = { source: p.get('source') || '', target: p.get('target') || '', either: p.get('either') || '1' };
  const interval = p.get('interval') || 'month';
  const form = document.getElementById('pick');
  form.elements.source.value = q.source; form.elements.target.value = q.target;
  form.elements.either.value = q.either; form.elements.interval.value = interval;
  if (!q.source && !q.target) { document.getElementById('title').textContent = 'Dyad: pick two actors'; return; }
  document.getElementById('title').textContent = `Dyad ${q.source || 'any'} ${q.either === '1' ? '↔' : '→'} ${q.target || 'any'}`;
  const s = await dyad.get(`/api/series?${dyad.qs({ ...q, interval })}`);
  const labels = s.points.map((x) => x.period);
  if (chart) chart.destroy();
  chart = new Chart(document.getElementById('chart'), {
    data: {
      labels,
      datasets: [
        { type: 'bar', label: 'events', data: s.points.map((x) => x.events), yAxisID: 'y', backgroundColor: '#8fb4d9' },
        { type: 'line', label: 'Goldstein (sum)', data: s.points.map((x) => x.goldstein_sum), yAxisID: 'g', borderColor: '#c0392b' }],
    },
    options: { animation: false, scales: { y: { beginAtZero: true, position: 'left' }, g: { position: 'right' } } },
  });
  document.getElementById('chart').setAttribute('data-points', String(s.points.length));
  const ev = await dyad.get(`/api/events?${dyad.qs({ ...q, limit: 200 })}`);
  const where = document.getElementById('events');
  where.textContent = '';
  where.append(dyad.el('p', { class: 'muted' }, `${ev.total} events`), dyad.eventTable(ev.events));
}
document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('pick').addEventListener('submit', (e) => {
    e.preventDefault();
    const f = e.target.elements;
    history.pushState(null, '', `/dyad.html?${dyad.qs({ source: f.source.value.trim(), target: f.target.value.trim(), either: f.either.value, interval: f.interval.value })}`);
    main().catch((err) => dyad.fail(document.querySelector('main'), err));
  });
  main().catch((e) => dyad.fail(document.querySelector('main'), e));
});

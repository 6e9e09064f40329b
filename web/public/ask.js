// SPDX-License-Identifier: MIT
// Ask: a plain question in, the query it was read as and the matching
// events out.
'use strict';
async function ask(q) {
  const where = document.getElementById('answer');
  where.textContent = '';
  if (!q) return;
  try {
    const r = await dyad.get(`/api/ask?${dyad.qs({ q })}`);
    const ul = dyad.el('ul', { id: 'understood' });
    for (const n of r.understood) ul.append(dyad.el('li', {}, n));
    if (!r.understood.length) ul.append(dyad.el('li', { class: 'muted' }, 'Nothing recognised: name a country, a person or an organisation, a month or year, and a verb.'));
    where.append(dyad.el('h2', {}, 'I read this as'), ul);
    where.append(dyad.el('p', {}, dyad.el('a', { href: `/events.html?${dyad.qs(r.query)}` }, 'Open in the event explorer'), ' · ',
      dyad.el('a', { href: `/subscribe.html?${dyad.qs(r.query)}` }, 'Subscribe')));
    const n = r.answer.total;
    where.append(dyad.el('h2', { id: 'answer-count' }, `${n} matching event${n === 1 ? '' : 's'}`), dyad.eventTable(r.answer.events));
  } catch (e) { dyad.fail(where, e); }
}
document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('ask');
  const q = dyad.params().get('q') || '';
  form.elements.q.value = q;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = form.elements.q.value.trim();
    history.pushState(null, '', `/ask.html?${dyad.qs({ q: v })}`);
    ask(v);
  });
  ask(q);
});

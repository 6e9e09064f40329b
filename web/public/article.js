// SPDX-License-Identifier: MIT
// Article reader: the clean article with actor and verb spans highlighted,
// each event with its evidence (pattern and dictionary lines), more like
// this, permalink.
'use strict';
function why(rec) {
  const ev = rec.evidence || {}, ul = dyad.el('ul', { class: 'why' });
  for (const side of ['source', 'target']) {
    const s = ev[side];
    if (!s) continue;
    for (const en of s.entries || []) ul.append(dyad.el('li', {}, `${side}: “${en.text}” — ${en.entry} (${en.dict} line ${en.line})`));
  }
  if (ev.verb) ul.append(dyad.el('li', {}, `verb: “${ev.verb.text}” (lemma ${ev.verb.lemma}) — pattern ${ev.verb.pattern} (${ev.verb.dict} line ${ev.verb.line})`));
  return ul;
}
function highlight(evIndex, on) {
  document.querySelectorAll(`mark[data-events~="${evIndex}"]`).forEach((m) => m.classList.toggle('hot', on));
}
async function main() {
  const id = dyad.params().get('id');
  const art = document.getElementById('article');
  if (!id || !/^[0-9]+$/.test(id)) { dyad.fail(art, 'no article id'); return; }
  const a = await dyad.get(`/api/articles/${id}`);
  document.title = `${a.headline || a.name} · dyad`;
  art.append(dyad.el('h1', {}, a.headline || a.name));
  art.append(dyad.el('p', { class: 'muted' }, [a.dateline, a.date, a.agency].filter(Boolean).join(' · ')));
  for (const para of a.paragraphs) {
    const p = dyad.el('p');
    for (const run of para) {
      if (!run.m.length) { p.append(run.t); continue; }
      const kinds = run.m.map((i) => a.spans[i].kind);
      const evs = [...new Set(run.m.flatMap((i) => a.spans[i].events))];
      p.append(dyad.el('mark', { class: kinds.includes('verb') ? 'verb' : 'actor', 'data-events': evs.join(' '), title: `event ${evs.map((i) => i + 1).join(', ')}` }, run.t));
    }
    art.append(p);
  }
  const link = `${location.origin}/article.html?id=${a.id}`;
  document.getElementById('permalink').href = link;
  document.getElementById('permalink-text').value = link;
  const evs = document.getElementById('events');
  if (!a.events.length) evs.append(dyad.el('p', { class: 'muted' }, 'No events coded in this article.'));
  a.events.forEach((e, i) => {
    const r = e.record || {};
    const box = dyad.el('div', { class: 'event', id: `ev${e.id}`, 'data-code': r.code },
      dyad.el('strong', {}, `${i + 1}. ${r.source} ${r.code} ${r.target}`),
      dyad.el('span', { class: `pill q${r.quad}` }, `${dyad.quadName[r.quad] || ''}, Goldstein ${r.goldstein}`),
      dyad.el('div', { class: 'muted' }, `${r.source_name} → ${r.target_name}`), why(r));
    box.addEventListener('mouseenter', () => highlight(i, true));
    box.addEventListener('mouseleave', () => highlight(i, false));
    evs.append(box);
  });
  const hash = location.hash.match(/^#ev([0-9]+)$/);
  if (hash) {
    const i = a.events.findIndex((e) => String(e.id) === hash[1]);
    if (i >= 0) { highlight(i, true); document.getElementById(`ev${hash[1]}`).scrollIntoView(); }
  }
  const sim = document.getElementById('similar');
  try {
    const s = await dyad.get(`/api/articles/${id}/similar`);
    if (!s.available) sim.append(dyad.el('p', { class: 'muted' }, s.reason || 'not available in this database'));
    else if (!s.articles.length) sim.append(dyad.el('p', { class: 'muted' }, 'Nothing similar yet.'));
    const ul = dyad.el('ul');
    for (const x of s.articles || []) ul.append(dyad.el('li', {}, dyad.el('a', { href: `/article.html?id=${x.id}` }, x.headline || x.name), dyad.el('span', { class: 'muted' }, ` ${x.date}`)));
    sim.append(ul, dyad.el('p', { class: 'muted' }, s.method || ''));
  } catch (e) { dyad.fail(sim, e); }
}
document.addEventListener('DOMContentLoaded', () => main().catch((e) => dyad.fail(document.querySelector('main'), e)));

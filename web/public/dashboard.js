// SPDX-License-Identifier: MIT
// Dashboard: health line, world map of events per country, top dyads,
// latest events.
'use strict';
const SVGNS = 'http://www.w3.org/2000/svg';
// Equirectangular; a ring crossing the antimeridian is unwrapped (each
// longitude kept within 180 degrees of the previous one) so it spills past
// the map's edge instead of striping across the whole map.
function ringPath(ring, W, H) {
  let d = '', prev = null;
  ring.forEach(([lon0, lat], i) => {
    let lon = lon0;
    if (prev !== null) { while (lon - prev > 180) lon -= 360; while (prev - lon > 180) lon += 360; }
    prev = lon;
    const x = ((lon + 180) / 360) * W, y = ((90 - lat) / 180) * H;
    d += (i ? 'L' : 'M') + x.toFixed(1) + ',' + y.toFixed(1);
  });
  return d + 'Z';
}
function geomPath(g, W, H) {
  if (!g) return '';
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((p) => p.map((r) => ringPath(r, W, H)).join('')).join('');
}
async function drawMap() {
  const where = document.getElementById('map');
  const [world, iso, counts] = await Promise.all([
    fetch('/vendor/countries-110m.json').then((r) => r.json()),
    fetch('/vendor/iso3166.json').then((r) => r.json()),
    dyad.get('/api/countries')]);
  const byNum = {};
  let max = 1;
  for (const c of counts.countries) {
    const e = iso[c.country];
    if (!e) continue;
    byNum[e.n] = { code: c.country, name: e.name, events: c.events };
    max = Math.max(max, c.events);
  }
  const W = 960, H = 480;
  const svg = document.createElementNS(SVGNS, 'svg');
  svg.setAttribute('viewBox', `0 ${H * 0.05} ${W} ${H * 0.8}`);
  svg.setAttribute('class', 'map');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'World map of events per country');
  const fc = topojson.feature(world, world.objects.countries);
  let shaded = 0;
  for (const f of fc.features) {
    const p = document.createElementNS(SVGNS, 'path');
    p.setAttribute('d', geomPath(f.geometry, W, H));
    const hit = byNum[f.id];
    const title = document.createElementNS(SVGNS, 'title');
    title.textContent = hit ? `${hit.name} (${hit.code}): ${hit.events} events` : (f.properties && f.properties.name) || '';
    p.append(title);
    if (hit) {
      const t = Math.sqrt(hit.events / max);
      p.style.fill = `rgb(${Math.round(255 - 200 * t)},${Math.round(214 - 150 * t)},${Math.round(170 - 120 * t)})`;
      p.setAttribute('class', 'has');
      p.setAttribute('data-country', hit.code);
      p.addEventListener('click', () => { location.href = `/events.html?country=${hit.code}`; });
      shaded++;
    }
    svg.append(p);
  }
  where.append(svg);
  where.setAttribute('data-shaded', String(shaded));
}
async function main() {
  const h = await dyad.get('/api/health');
  document.getElementById('health').textContent =
    `${h.articles} articles, ${h.events} events in the database; latest event date ${h.latest_date || 'none'}.`;
  const d = await dyad.get('/api/dyads');
  const t = document.getElementById('dyads');
  t.append(dyad.el('tr', {}, dyad.el('th', {}, 'Dyad'), dyad.el('th', {}, 'Events'), dyad.el('th', {}, 'Mean Goldstein')));
  for (const x of d.dyads) {
    t.append(dyad.el('tr', {},
      dyad.el('td', {}, dyad.el('a', { href: `/dyad.html?${dyad.qs({ source: x.source, target: x.target })}` }, `${x.source} → ${x.target}`)),
      dyad.el('td', { class: 'num' }, String(x.events)),
      dyad.el('td', { class: 'num' }, x.goldstein_mean.toFixed(2))));
  }
  const ev = await dyad.get('/api/events?limit=15');
  document.getElementById('latest').append(dyad.eventTable(ev.events));
  await drawMap();
}
document.addEventListener('DOMContentLoaded', () => main().catch((e) => dyad.fail(document.querySelector('main'), e)));

// SPDX-License-Identifier: MIT
// Copies the npm packages the pages use into web/public/vendor (served by
// `dyad serve`; nothing is fetched at run time) and writes the ISO 3166
// alpha-3 -> numeric table the world map needs, from Debian's iso-codes.
'use strict';
const fs = require('fs');
const path = require('path');

const here = __dirname;
const out = path.join(here, 'public', 'vendor');
const files = [
  ['chart.js/dist/chart.umd.js', 'chart.umd.js'],
  ['cytoscape/dist/cytoscape.min.js', 'cytoscape.min.js'],
  ['topojson-client/dist/topojson-client.min.js', 'topojson-client.min.js'],
  ['world-atlas/countries-110m.json', 'countries-110m.json'],
];
fs.mkdirSync(out, { recursive: true });
for (const [from, to] of files) {
  fs.copyFileSync(path.join(here, 'node_modules', from), path.join(out, to));
}
const iso = '/usr/share/iso-codes/json/iso_3166-1.json';
const table = {};
for (const c of JSON.parse(fs.readFileSync(iso, 'utf8'))['3166-1']) {
  if (c.alpha_3 && c.numeric) table[c.alpha_3] = { n: c.numeric, name: c.name };
}
table.KOS = { n: '-99', name: 'Kosovo' }; // CAMEO's own code; no ISO number
fs.writeFileSync(path.join(out, 'iso3166.json'), JSON.stringify(table));
console.log(`web: ${files.length + 1} files in ${path.relative(process.cwd(), out) || out}`);

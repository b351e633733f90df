// Dev-time tool: build the bundled basemap from Natural Earth (public domain) via the npm
// package world-atlas. Output: docs/assets/atlas/basemap.geojson, clipped to the region,
// simplified and rounded, so no map needs a tile server.
//   npm install world-atlas@2.0.2 topojson-client@3.1.0 @turf/bbox-clip@7 @turf/simplify@7
//   node tools/make_basemap.mjs node_modules/world-atlas/countries-50m.json docs/assets/atlas/basemap.geojson
import fs from "node:fs";
import { feature } from "topojson-client";
import bboxClip from "@turf/bbox-clip";
import simplify from "@turf/simplify";

const [src, out] = process.argv.slice(2);
const BBOX = [38, 16, 128, 60]; // west, south, east, north: Central Asia, China, the Urals and Volga
const ISO = { 398: "KZ", 417: "KG", 762: "TJ", 860: "UZ", 795: "TM", 156: "CN", 643: "RU", 356: "IN", 586: "PK", 4: "AF", 364: "IR", 496: "MN" };
const topo = JSON.parse(fs.readFileSync(src, "utf8"));
const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100] : c.map(round));
const features = [];
for (const f of feature(topo, topo.objects.countries).features) {
  let g = bboxClip(f, BBOX);
  if (!g.geometry || !g.geometry.coordinates.length) continue;
  g = simplify(g, { tolerance: 0.08, highQuality: true });
  const coords = round(g.geometry.coordinates).filter((p) => p.length);
  if (!coords.length) continue;
  const iso = ISO[Number(f.id)] || "";
  features.push({ type: "Feature", properties: { name: f.properties.name, iso, focus: ["KZ", "KG", "TJ", "UZ", "TM"].includes(iso) }, geometry: { type: g.geometry.type, coordinates: coords } });
}
fs.writeFileSync(out, JSON.stringify({ type: "FeatureCollection", bbox: BBOX, attribution: "Natural Earth (public domain), via world-atlas 2.0.2", features }));
console.log(out, features.length, "features", fs.statSync(out).size, "bytes");

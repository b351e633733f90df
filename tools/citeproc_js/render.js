// Render CSL-JSON items with citeproc-js, each as a bibliography of its own (no disambiguation
// between them): node render.js STYLE.csl LOCALE.xml < items.json > {id: text}
const CSL = require("citeproc");
const fs = require("fs");
const [styleFile, localeFile] = process.argv.slice(2);
const style = fs.readFileSync(styleFile, "utf8");
const locale = fs.readFileSync(localeFile, "utf8");
const items = {};
for (const item of JSON.parse(fs.readFileSync(0, "utf8"))) items[item.id] = item;
const sys = { retrieveLocale: () => locale, retrieveItem: (id) => items[id] };
const engine = new CSL.Engine(sys, style, "en-US", true);
engine.setOutputFormat("text");
const out = {};
for (const id of Object.keys(items)) {
  engine.updateItems([id]);
  out[id] = engine.makeBibliography()[1].join("").trim();
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");

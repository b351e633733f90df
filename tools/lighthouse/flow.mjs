// A Lighthouse user flow for one map page: the page's navigation (as `make bench` scores it),
// then a timespan in which the reader opens the map, so its bytes and main-thread work count.
//   node tools/lighthouse/flow.mjs http://127.0.0.1:8000/atlas/ report.json
// Run with Debian's Chromium (CHROME_PATH); mobile settings, as Lighthouse's default.
import fs from "node:fs";
import puppeteer from "puppeteer-core";
import { startFlow } from "lighthouse";

const [url, out] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless=new"],
});
const page = await browser.newPage();
const flow = await startFlow(page, { config: { extends: "lighthouse:default", settings: { onlyCategories: ["performance"] } } });
await flow.navigate(url);
await flow.startTimespan();
await page.evaluate(() => document.querySelector(".atlas-map").scrollIntoView({ block: "center" }));
await page.click(".atlas-map-start");
await page.waitForSelector(".atlas-map[data-ready=true]", { timeout: 20000 });
await new Promise((r) => setTimeout(r, 1500));
await flow.endTimespan();
const result = await flow.createFlowResult();
await browser.close();
const steps = result.steps.map((s) => {
  const lhr = s.lhr;
  const a = lhr.audits;
  const num = (k) => (a[k] && typeof a[k].numericValue === "number" ? a[k].numericValue : null);
  return {
    mode: lhr.gatherMode,
    score: lhr.categories.performance.score === null ? null : Math.round(lhr.categories.performance.score * 100),
    tbt_ms: num("total-blocking-time"),
    cls: num("cumulative-layout-shift"),
    bytes: num("total-byte-weight"),
  };
});
fs.writeFileSync(out, JSON.stringify(steps, null, 1));
console.log(JSON.stringify(steps));

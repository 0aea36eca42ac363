// End-to-end test of the classroom page in headless Chromium.
//
// Starts `tiaokuai serve --port 0` (binary from TIAOKUAI_BIN), opens the
// page, changes a lever, presses Run, checks that the plot and the network
// view changed and that the numbers shown equal the API's for the same
// settings, steps through time, switches to Chinese and takes screenshots.
//
//   TIAOKUAI_BIN=target/release/tiaokuai CHROMIUM=/usr/bin/chromium node e2e/serve.test.mjs
//
// Screenshots go to E2E_OUT (default e2e/out/).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { strict as assert } from "node:assert";
import { chromium } from "playwright-core";

const BIN = process.env.TIAOKUAI_BIN || "target/release/tiaokuai";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OUT = process.env.E2E_OUT || "e2e/out";
mkdirSync(OUT, { recursive: true });

function startServer() {
  const child = spawn(BIN, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start")), 20000);
    child.on("exit", code => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", line => {
      const m = line.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[0] }); }
    });
  });
}

const fmt = v => (v === null || v === undefined ? "—" : Number(v).toFixed(2));
let step = 0;
const ok = what => console.log(`ok ${++step} - ${what}`);

const { child, url } = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on("pageerror", e => errors.push(e.message));
  await page.goto(url + "/");
  await page.waitForSelector("body[data-runs='1']", { timeout: 20000 });
  assert.equal(await page.locator("#preset").inputValue(), "classroom");
  ok("page opens on the classroom scenario and runs it");
  await page.screenshot({ path: `${OUT}/classroom.png` });

  const plotBefore = await page.locator("#chart-collab path.line").first().getAttribute("d");
  const fills = () => page.locator("#network circle").evaluateAll(cs => cs.map(c => c.getAttribute("fill")).join(";"));
  const netBefore = await fills();
  assert.ok((await page.locator("#network circle").count()) > 50, "network view drawn");

  // Change levers of strategy A (local builds): a provincial standard, a bigger budget, a reform.
  await page.click("#edit-a");
  await page.selectOption(".lever[data-lever='standards'] select", "provincial");
  await page.click("details[data-group='investment'] summary");
  const budget = page.locator(".lever[data-lever='investment.budget'] input[type=range]");
  await budget.fill("2");
  assert.equal(await page.locator(".lever[data-lever='investment.budget'] output").textContent(), "2");
  await page.click("details[data-group='institutions'] summary");
  await page.locator(".lever[data-lever='institutions.property_rights.strength'] input[type=range]").fill("0.8");
  await page.click("#run");
  await page.waitForSelector("body[data-runs='2']", { timeout: 20000 });
  ok("lever changed and Run pressed");

  const plotAfter = await page.locator("#chart-collab path.line").first().getAttribute("d");
  assert.notEqual(plotAfter, plotBefore, "the collaboration plot did not change");
  assert.notEqual(await fills(), netBefore, "the network view did not change");
  ok("plot and network view changed");

  // The same settings straight to the API.
  const api = await page.evaluate(async () => {
    const res = await fetch("/api/run", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        preset: "classroom", strategies: ["local", "provincial"], replicates: 10, years: 5, seed: 7,
        levers: { local: { standards: "provincial", "investment.budget": 2, "institutions.property_rights.strength": 0.8 } },
      }),
    });
    return res.json();
  });
  assert.ok(api.series, JSON.stringify(api).slice(0, 300));
  const rows = await page.locator("#compare tr[data-metric]").evaluateAll(trs => trs.map(tr => ({
    metric: tr.dataset.metric,
    cells: [...tr.querySelectorAll("td.num")].map(td => td.textContent),
  })));
  assert.equal(rows.length, api.metrics.length);
  const last = api.time.length - 1;
  for (const r of rows) {
    const d = api.compare.metrics[r.metric];
    const want = [
      fmt(api.series[0][r.metric].mean[last]),
      fmt(api.series[1][r.metric].mean[last]),
      `${fmt(d.mean[last])} [${fmt(d.ci95_low[last])}, ${fmt(d.ci95_high[last])}]`,
    ];
    assert.deepEqual(r.cells, want, r.metric);
  }
  ok(`all ${rows.length} numbers in the comparison table equal the API's`);

  // Hover a node: its numbers are the API's network values at the horizon.
  const node = page.locator("#network circle").nth(3);
  await node.hover();
  const tip = await page.locator("#tooltip").textContent();
  const v = api.network.values[0][last][3];
  assert.ok(tip.includes(fmt(v[0])) && tip.includes(fmt(v[2])), `tooltip ${tip} vs ${v}`);
  ok("hovering a node shows its numbers");

  // Step through time.
  const label = await page.locator("#time-label").textContent();
  await page.click("#step");
  assert.notEqual(await page.locator("#time-label").textContent(), label);
  assert.equal(await page.locator("#time").inputValue(), "0");
  await page.click("#step");
  assert.equal(await page.locator("#time").inputValue(), "1");
  ok("Step moves through the quarters");
  await page.locator("#time").fill(String(last));
  await page.locator("#time").dispatchEvent("input");
  await page.screenshot({ path: `${OUT}/classroom-en.png` });

  // Downloads of the current run.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  assert.equal(csv.suggestedFilename(), "classroom.csv");
  const csvText = await (await import("node:fs/promises")).readFile(await csv.path(), "utf8");
  assert.ok(csvText.startsWith("strategy,year,quarter,metric,mean,p05,p95"));
  const wanted = `local,5,4,collab_index,${api.series[0].collab_index.mean[last]},`;
  assert.ok(csvText.includes(wanted), `CSV lacks ${wanted}`);
  const [report] = await Promise.all([page.waitForEvent("download"), page.click("#download-html")]);
  assert.equal(report.suggestedFilename(), "classroom.html");
  ok("CSV and HTML report of the current run download");

  // A bad setting shows the server's message.
  await page.fill("#replicates", "0");
  await page.click("#run");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.locator("#error").textContent(), /replicates = 0 is out of range/);
  await page.fill("#replicates", "10");
  ok("a bad setting shows a clear message");

  // Chinese.
  await page.click("#lang");
  assert.equal(await page.locator("#run").textContent(), "运行");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  assert.match(await page.locator("#compare th").first().textContent(), /指标/);
  assert.match(await page.locator("#info-about").textContent(), /演示省/);
  assert.match(await page.locator(".lever[data-lever='standards'] label span").first().textContent(), /数据标准/);
  await page.screenshot({ path: `${OUT}/classroom-zh.png` });
  ok("language switched to Chinese");

  // Upload a scenario file: it becomes the current scenario and runs.
  const mine = [
    'name = "mine"', "[run]", "replicates = 3", "years = 2",
    "[world]", "cities = 2", "counties_per_city = 2", "townships_per_county = 2",
    "[[strategy]]", 'name = "alone"', 'platforms = "local"',
    "[[strategy]]", 'name = "together"', 'platforms = "provincial"', 'standards = "national"',
  ].join("\n");
  await page.setInputFiles("#upload", { name: "mine.toml", mimeType: "text/plain", buffer: Buffer.from(mine) });
  await page.waitForSelector("body[data-runs='3']", { timeout: 20000 });
  assert.match(await page.locator("#preset option:checked").textContent(), /mine/);
  assert.equal(await page.locator("#strat-b").inputValue(), "together");
  assert.equal(await page.locator("#network circle").count(), 1 + 2 + 4 + 8);
  ok("an uploaded scenario file runs");

  assert.deepEqual(errors, [], "no script errors");
  ok("no script errors");
} finally {
  await browser.close();
  child.kill();
}
console.log("e2e: all passed");

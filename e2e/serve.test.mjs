// End-to-end test of the classroom page in headless Chromium.
//
// Starts `tiaokuai serve --port 0` (binary from TIAOKUAI_BIN) and drives the
// page as a teacher would at 1366×768 (a projector), at 150% zoom on the
// same screen, and at 1920×1080: the layout rules (Run and the run status
// visible without scrolling, chart text ≥ 14 px, table text ≥ 16 px, nodes
// ≥ 10 px, nothing wider than its box), the numbers shown against the API's,
// stale results, A == B, run history and overlays, the B − A difference
// mode, keyboard-reachable nodes, both languages, accessible names, the
// <noscript> message; then every lesson claim (e2e/claims.mjs) through the API.
//
//   TIAOKUAI_BIN=target/release/tiaokuai CHROMIUM=/usr/bin/chromium node e2e/serve.test.mjs
//
// Screenshots go to E2E_OUT (default e2e/out/); docs/img/classroom-*.png are copies.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { strict as assert } from "node:assert";
import { chromium } from "playwright-core";
import { CLAIMS, LESSON, LINKS, makeContext } from "./claims.mjs";

const BIN = process.env.TIAOKUAI_BIN || "target/release/tiaokuai";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OUT = process.env.E2E_OUT || "e2e/out";
const ROOT = new URL("..", import.meta.url).pathname;
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

let passed = 0, failed = 0;
const ok = what => { passed++; console.log(`ok ${passed + failed} - ${what}`); };

// The page's layout rules at the current viewport; returns the numbers seen.
async function layoutRules(page, label) {
  const seen = await page.evaluate(() => {
    const vis = el => { const b = el.getBoundingClientRect(); return b.width > 0 && b.top >= 0 && b.bottom <= innerHeight && b.left >= 0 && b.right <= innerWidth; };
    const px = el => parseFloat(getComputedStyle(el).fontSize);
    const out = { runTop: vis(document.getElementById("run")), statusTop: vis(document.getElementById("status")) };
    window.scrollTo(0, document.body.scrollHeight);
    out.runBottom = vis(document.getElementById("run"));
    out.statusBottom = vis(document.getElementById("status"));
    window.scrollTo(0, 0);
    // Chart text: CSS size times the SVG's scale (drawn in screen pixels, so about 1).
    let chartMin = Infinity;
    for (const svg of document.querySelectorAll("svg.chart")) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll("text")) if (t.textContent) chartMin = Math.min(chartMin, px(t) * scale);
    }
    for (const t of document.querySelectorAll(".chart-legend .item")) chartMin = Math.min(chartMin, px(t));
    let tableMin = Infinity;
    for (const t of document.querySelectorAll("#compare td, #compare th")) tableMin = Math.min(tableMin, px(t));
    let nodeMin = Infinity;
    for (const c of document.querySelectorAll("#network circle.node")) nodeMin = Math.min(nodeMin, c.getBoundingClientRect().width);
    // Nothing wider than its box: no page-wide horizontal scroll, every control inside its panel.
    const over = [];
    if (document.documentElement.scrollWidth > innerWidth + 1) over.push(`page ${document.documentElement.scrollWidth} > ${innerWidth}`);
    for (const el of document.querySelectorAll("select, button, input, .legend-row .item, .chart-legend .item, #compare, #edit-name")) {
      const box = el.closest("aside, .panel, .chart-box, header");
      if (!box || el.getBoundingClientRect().width === 0) continue;
      const a = el.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (a.right > b.right + 1 || a.left < b.left - 1) over.push(`${el.id || el.className || el.tagName} ${Math.round(a.left)}–${Math.round(a.right)} outside ${Math.round(b.left)}–${Math.round(b.right)}`);
    }
    for (const t of document.querySelectorAll("svg.chart text, #network text")) {
      const svg = t.ownerSVGElement.getBoundingClientRect(), b = t.getBoundingClientRect();
      if (b.width && (b.left < svg.left - 1 || b.right > svg.right + 1)) over.push(`text "${t.textContent}" clipped`);
    }
    return { ...out, chartMin, tableMin, nodeMin, over };
  });
  assert.ok(seen.runTop && seen.runBottom, `${label}: Run not visible ${JSON.stringify(seen)}`);
  assert.ok(seen.statusTop && seen.statusBottom, `${label}: status not visible`);
  assert.ok(seen.chartMin >= 14, `${label}: chart text ${seen.chartMin} px`);
  assert.ok(seen.tableMin >= 16, `${label}: table text ${seen.tableMin} px`);
  // A thousandth of a pixel absorbs the rounding of the SVG scale.
  assert.ok(seen.nodeMin >= 10 - 1e-3, `${label}: nodes ${seen.nodeMin} px`);
  assert.deepEqual(seen.over, [], `${label}: overflow`);
  return `${label}: Run and status visible at top and bottom; chart text ≥ ${seen.chartMin.toFixed(1)} px, table ${seen.tableMin} px, nodes ≥ ${seen.nodeMin.toFixed(1)} px, no overflow`;
}

// Every control has an accessible name (aria-label, its label, or its text).
async function accessibleNames(page) {
  const missing = await page.evaluate(() => [...document.querySelectorAll("button, select, input, [role=img], svg#network")].filter(el => {
    if (el.closest("[hidden]") || el.type === "hidden") return false;
    const name = el.getAttribute("aria-label") || (el.labels && [...el.labels].map(l => l.textContent).join("")) || el.textContent;
    return !name || !name.trim();
  }).map(el => el.id || el.className.baseVal || el.className || el.tagName));
  assert.deepEqual(missing, [], "controls without an accessible name");
}

const runs = page => page.evaluate(() => Number(document.body.dataset.runs || 0));
async function clickRun(page) {
  const n = await runs(page);
  await page.click("#run");
  await page.waitForFunction(k => Number(document.body.dataset.runs || 0) > k, n, { timeout: 60000 });
}

const { child, url } = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
  // ---- 1366×768: the projector ---------------------------------------------------
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30000);
  const errors = [];
  page.on("pageerror", e => errors.push(e.message));
  await page.goto(url + "/");
  await page.waitForSelector("body[data-runs='1']", { timeout: 30000 });
  assert.equal(await page.locator("#preset").inputValue(), "classroom");
  ok("page opens on the classroom scenario and runs it");
  LINKS.usabOk = await page.evaluate(() => window.TKCharts.USAB_OK);
  console.log("  " + await layoutRules(page, "1366×768"));
  ok("layout rules at 1366×768");
  await accessibleNames(page);
  ok("every control has an accessible name");

  const plotBefore = await page.locator("#chart-0 path.line").first().getAttribute("d");
  const fills = () => page.locator("#network circle.node").evaluateAll(cs => cs.map(c => c.getAttribute("fill")).join(";"));
  const netBefore = await fills();
  assert.ok((await page.locator("#network circle.node").count()) > 50, "network view drawn");

  // Change levers of strategy A (local builds): the results are marked out of date until Run.
  assert.equal(await page.evaluate(() => document.body.dataset.stale), "0");
  await page.click("#edit-a");
  await page.selectOption(".lever[data-lever='standards'] select", "provincial");
  assert.equal(await page.evaluate(() => document.body.dataset.stale), "1");
  assert.ok(await page.locator("#stale").isVisible(), "out-of-date note shown");
  await page.click("details[data-group='investment'] summary");
  const budget = page.locator(".lever[data-lever='investment.budget'] input[type=range]");
  await budget.fill("2");
  assert.equal(await page.locator(".lever[data-lever='investment.budget'] output").textContent(), "2");
  await page.click("details[data-group='institutions'] summary");
  await page.locator(".lever[data-lever='institutions.property_rights.strength'] input[type=range]").fill("0.8");
  await clickRun(page);
  assert.equal(await page.evaluate(() => document.body.dataset.stale), "0");
  assert.ok(!(await page.locator("#stale").isVisible()), "out-of-date note gone after Run");
  ok("changed levers mark the results out of date until Run");

  const plotAfter = await page.locator("#chart-0 path.line").first().getAttribute("d");
  assert.notEqual(plotAfter, plotBefore, "the collaboration plot did not change");
  assert.notEqual(await fills(), netBefore, "the network view did not change");
  ok("plot and network view changed");

  // The same settings straight to the API: the table shows its numbers.
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
    cells: [...tr.querySelectorAll("td.num")].map(td => ({ text: td.textContent, cls: td.className })),
  })));
  assert.equal(rows.length, api.metrics.length);
  const last = api.time.length - 1;
  const close = (text, v) => {
    const m = text.match(/-?\d+(\.\d+)?/);
    assert.ok(m, `no number in ${text}`);
    const d = (m[1] || ".").length - 1;
    assert.ok(Math.abs(Number(m[0]) - v) <= 0.5 * 10 ** -d + 1e-12, `${text} shows ${v}`);
    return d;
  };
  let symbols = 0;
  for (const r of rows) {
    const dm = api.compare.metrics[r.metric];
    close(r.cells[0].text, api.series[0][r.metric].mean[last]);
    close(r.cells[1].text, api.series[1][r.metric].mean[last]);
    const [mean, lo, hi] = [dm.mean[last], dm.ci95_low[last], dm.ci95_high[last]];
    const nums = r.cells[2].text.match(/-?\d+(\.\d+)?/g).map(Number);
    const d = close(r.cells[2].text, mean);
    assert.ok(Math.abs(nums[1] - lo) <= 0.5 * 10 ** -d + 1e-12 && Math.abs(nums[2] - hi) <= 0.5 * 10 ** -d + 1e-12, `${r.metric} interval ${r.cells[2].text}`);
    assert.ok(!/(^|[\s[])-0(\.0+)?(?![\d.])/.test(r.cells[2].text), `${r.metric}: a signed zero in ${r.cells[2].text}`);
    const m = api.metrics.find(x => x.id === r.metric);
    const clear = lo > 0 || hi < 0;
    if (clear && m.direction !== "neutral") {
      const good = (m.direction === "higher" ? 1 : -1) * mean > 0;
      assert.ok(r.cells[2].text.startsWith(good ? "▲" : "▼") && r.cells[2].cls.includes(good ? "better" : "worse"), `${r.metric}: ${r.cells[2].text}`);
      symbols++;
      // The difference is visible: a non-zero interval never reads as 0.
      assert.ok(nums[0] !== 0 && nums[1] !== 0 && nums[2] !== 0, `${r.metric}: ${r.cells[2].text}`);
    } else if (!clear) {
      assert.ok(r.cells[2].text.startsWith("≈") && !/better|worse/.test(r.cells[2].cls), `${r.metric}: ${r.cells[2].text}`);
    }
  }
  assert.ok(symbols > 3, "better/worse symbols shown");
  ok(`all ${rows.length} rows of the comparison equal the API's, with ▲/▼/≈ (${symbols} clear differences) and no signed zero`);

  // Keyboard: Tab reaches a node, whose numbers are read out and shown.
  await page.locator("#network .unit").nth(3).focus();
  const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-label"));
  const v = api.network.values[0][last][3];
  assert.ok(focused.includes(v[0].toFixed(2)) && focused.includes(v[2].toFixed(2)), `aria-label ${focused} vs ${v}`);
  assert.ok(await page.locator("#tooltip").isVisible());
  await page.locator("#network .unit").nth(4).hover();
  assert.ok((await page.locator("#tooltip").textContent()).includes(api.network.values[0][last][4][0].toFixed(2)));
  ok("nodes reachable by keyboard and by hover, their numbers read out");

  // Difference mode: B − A on a diverging scale with its legend.
  await page.selectOption("#net-strategy", "diff");
  const diffFills = await page.locator("#network circle.node").evaluateAll(cs => cs.map(c => c.getAttribute("fill")));
  const want = await page.evaluate(({ a, b }) => {
    let max = 0;
    for (let t = 0; t < a.length; t++) for (let i = 0; i < a[t].length; i++) max = Math.max(max, Math.abs(b[t][i][0] - a[t][i][0]));
    const mag = Math.pow(10, Math.floor(Math.log10(max)));
    max = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= max);
    const t = a.length - 1;
    return a[t].map((x, i) => window.TKCharts.divergingColor(b[t][i][0] - x[0], max));
  }, { a: api.network.values[0], b: api.network.values[1] });
  assert.deepEqual(diffFills, want);
  assert.match(await page.locator("#net-legend").textContent(), /B lower.*B higher/);
  assert.match(await page.locator("#chart-domains .chart-title").textContent(), /B − A/);
  await page.screenshot({ path: `${OUT}/classroom-diff.png` });
  ok("difference mode colours each unit by B − A, with its legend; the domain plot shows B − A");
  await page.selectOption("#net-strategy", "0");

  // Plots of any metric of the catalogue, growing as the quarters play.
  await page.selectOption(".chart-box[data-chart='1'] .metric-pick", "barrier_unwilling");
  assert.match(await page.locator("#chart-1 .chart-title").textContent(), /unwilling/);
  assert.match(await page.locator("#chart-1").textContent(), /share 0–1/);
  const pathLen = () => page.locator("#chart-1 path.line").first().evaluate(p => (p.getAttribute("d").match(/[ML]/g) || []).length);
  const full = await pathLen();
  await page.click("#step");
  assert.equal(await page.locator("#time").inputValue(), "0");
  assert.equal(await pathLen(), 1);
  await page.click("#step");
  assert.equal(await page.locator("#time").inputValue(), "1");
  assert.equal(await pathLen(), 2);
  assert.equal(full, api.time.length);
  await page.selectOption("#speed", "4");
  await page.click("#play");
  await page.waitForFunction(() => Number(document.getElementById("time").value) >= 6, null, { timeout: 10000 });
  await page.click("#play");
  ok("any catalogue metric is plotted with axis units; plots grow with Step and Play (speed control)");
  await page.locator("#time").fill(String(last));
  await page.locator("#time").dispatchEvent("input");

  // Reset: levers, strategies and run settings back to the scenario's; the run on screen is out of date.
  await page.click("#reset");
  assert.equal(await page.locator(".lever[data-lever='standards'] select").inputValue(), "none");
  assert.equal(await page.evaluate(() => document.body.dataset.stale), "1");
  assert.match(await page.locator("#compare th").nth(1).textContent(), /local/);
  await clickRun(page);
  assert.equal(await page.evaluate(() => document.body.dataset.stale), "0");
  ok("Reset restores the scenario's settings and marks the shown run out of date");

  // Run history: earlier runs listed side by side and overlaid.
  const hist = await page.locator("#history tbody tr").count();
  assert.ok(hist >= 3, `history rows ${hist}`);
  const firstTwo = await page.locator("#history tbody tr").evaluateAll(trs => trs.slice(0, 2).map(tr => tr.cells[4].textContent));
  assert.notEqual(firstTwo[0], firstTwo[1], "history rows name their settings");
  await page.selectOption("#overlay", { index: 1 });
  const lines = await page.locator("#chart-0 path.line").count();
  assert.equal(lines, 4, "A, B and the earlier run's A and B");
  assert.match(await page.locator(".chart-box[data-chart='0'] .chart-legend").textContent(), /run \d+ A/);
  ok(`run history: ${hist} runs listed, an earlier run overlaid on the plots`);

  // A == B: one column, B's levers not editable separately.
  await page.selectOption("#strat-b", "local");
  assert.ok(await page.locator("#same-note").isVisible());
  assert.ok(await page.locator("#edit-b").isDisabled());
  await clickRun(page);
  assert.equal(await page.locator("#compare thead th").count(), 2);
  assert.equal(await page.locator("#net-strategy option[value='diff']").count(), 0);
  await page.selectOption("#strat-b", "provincial");
  await clickRun(page);
  ok("A == B: the page says so, runs one column and edits A only");

  // Presenter mode, one key away.
  await page.keyboard.press("p");
  assert.ok(await page.evaluate(() => document.body.classList.contains("presenter")));
  assert.ok(!(await page.locator("#controls").isVisible()));
  console.log("  " + await layoutRules(page, "presenter 1366×768"));
  await page.keyboard.press("p");
  ok("presenter mode on P and off again");

  await page.screenshot({ path: `${OUT}/classroom-1366.png` });

  // Downloads of the current run.
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  assert.equal(csv.suggestedFilename(), "classroom.csv");
  const csvText = readFileSync(await csv.path(), "utf8");
  assert.ok(csvText.startsWith("strategy,year,quarter,metric,mean,p05,p95"));
  const [report] = await Promise.all([page.waitForEvent("download"), page.click("#download-html")]);
  assert.equal(report.suggestedFilename(), "classroom.html");
  ok("CSV and HTML report of the current run download");

  // A bad setting shows the server's message in the top bar, on screen.
  await page.fill("#replicates", "0");
  await page.click("#run");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.locator("#error").textContent(), /replicates = 0 is out of range/);
  assert.ok(await page.evaluate(() => { const b = document.getElementById("error").getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }));
  await page.fill("#replicates", "10");
  ok("a bad setting shows a clear message next to Run");

  // Chinese.
  await clickRun(page);
  await page.click("#lang");
  assert.equal(await page.locator("#run").textContent(), "运行");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
  assert.equal(await page.title(), "条块协同课堂");
  assert.match(await page.locator("#status").textContent(), /完成 — \d+ 毫秒/);
  assert.match(await page.locator("#compare th").first().textContent(), /指标/);
  assert.match(await page.locator("#info-about").textContent(), /演示省/);
  assert.match(await page.locator(".lever[data-lever='standards'] label span").first().textContent(), /数据标准/);
  assert.equal(await page.locator("#time").getAttribute("aria-label"), "显示的季度");
  assert.match(await page.locator("#net-legend").textContent(), /向上流动/);
  assert.match(await page.locator("#chart-0").textContent(), /指数 0–100/);
  // No English word left in the page's own strings (scenario names and units of ids aside).
  const english = await page.evaluate(() => {
    const skip = el => el.closest("#history td:nth-child(5), option, #edit-name, .upload input, #lang, code");
    const words = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || skip(n.parentElement) || n.parentElement.closest("noscript, script")) continue;
      const st = getComputedStyle(n.parentElement);
      if (st.display === "none" || st.visibility === "hidden") continue;
      for (const w of n.textContent.match(/[A-Za-z]{4,}/g) || []) words.push(w);
    }
    return words;
  });
  const allowed = new Set(["Excel", "local", "provincial", "English", "classroom", "CSV"]);
  assert.deepEqual(english.filter(w => !allowed.has(w)), [], "English left in Chinese mode");
  await accessibleNames(page);
  ok("language switched to Chinese: strings, title, status, ARIA labels, legends, units");
  await page.click("#lang");

  // Upload a scenario file: it becomes the current scenario and runs.
  const mine = [
    'name = "mine"', "[run]", "replicates = 3", "years = 2",
    "[world]", "cities = 2", "counties_per_city = 2", "townships_per_county = 2",
    "[[strategy]]", 'name = "alone"', 'platforms = "local"',
    "[[strategy]]", 'name = "together"', 'platforms = "provincial"', 'standards = "national"',
  ].join("\n");
  const before = await runs(page);
  await page.setInputFiles("#upload", { name: "mine.toml", mimeType: "text/plain", buffer: Buffer.from(mine) });
  await page.waitForFunction(k => Number(document.body.dataset.runs) > k, before, { timeout: 20000 });
  assert.match(await page.locator("#preset option:checked").textContent(), /mine/);
  assert.equal(await page.locator("#strat-b").inputValue(), "together");
  assert.equal(await page.locator("#network circle.node").count(), 1 + 2 + 4 + 8);
  ok("an uploaded scenario file runs");
  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();

  // ---- 150% zoom on the projector: 1366×768 at device scale 1.5 ------------------------
  const zoom = await browser.newContext({ viewport: { width: 911, height: 512 }, deviceScaleFactor: 1.5 });
  const zp = await zoom.newPage();
  await zp.goto(url + "/");
  await zp.waitForSelector("body[data-runs='1']", { timeout: 30000 });
  console.log("  " + await layoutRules(zp, "1366×768 at 150%"));
  ok("layout rules at 150% zoom");
  await zoom.close();

  // ---- 1920×1080, Chinese, the china tile map ------------------------------------------
  const big = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const bp = await big.newPage();
  await bp.goto(url + "/");
  await bp.waitForSelector("body[data-runs='1']", { timeout: 30000 });
  await bp.click("#lang");
  console.log("  " + await layoutRules(bp, "1920×1080 zh"));
  await bp.selectOption("#net-strategy", "diff");
  await bp.screenshot({ path: `${OUT}/classroom-1920-zh.png` });
  ok("layout rules at 1920×1080 in Chinese");
  await bp.fill("#replicates", "2");
  await bp.fill("#years", "1");
  await bp.selectOption("#preset", "regional-coordination");
  await bp.waitForFunction(() => document.querySelector("#preset").value === "regional-coordination" && Number(document.body.dataset.runs) >= 2, null, { timeout: 120000 });
  const tiles = await bp.locator("#network rect.tile").evaluateAll(rs => rs.map(r => r.getAttribute("class")));
  assert.equal(tiles.length, 31, "31 province tiles");
  for (const reg of ["east", "central", "west", "northeast"]) assert.ok(tiles.some(c => c.includes(`region-${reg}`)), reg);
  assert.match(await bp.locator("#net-legend").textContent(), /东部.*中部.*西部.*东北/);
  await bp.screenshot({ path: `${OUT}/classroom-china.png` });
  ok("the china preset is a province tile map with its four regions");
  await big.close();

  // ---- JavaScript off: the <noscript> message ------------------------------------------
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const np = await nojs.newPage();
  await np.goto(url + "/");
  assert.match(await np.locator("body").innerText(), /needs JavaScript[\s\S]*需要 JavaScript/);
  await nojs.close();
  ok("with JavaScript off the page says what is needed");
} finally {
  await browser.close();
}

// ---- Lesson claims, through the API ------------------------------------------------------
try {
  const c = makeContext(url);
  const general = (await c.desc("classroom")).general;
  for (const [id, group] of Object.entries(CLAIMS)) {
    const info = id === "general" ? general : (await c.desc(id)).info;
    for (const kind of ["notice", "try"]) {
      assert.equal(info.en[kind].length, group[kind].length, `${id} ${kind}: one check per line (English)`);
      assert.equal(info.zh[kind].length, group[kind].length, `${id} ${kind}: one check per line (Chinese)`);
      for (const [i, check] of group[kind].entries()) {
        try {
          const seen = await check(c);
          ok(`${id} ${kind} ${i + 1}: "${info.en[kind][i].slice(0, 70)}…" — ${seen}`);
        } catch (e) {
          failed++;
          console.log(`not ok ${passed + failed} - ${id} ${kind} ${i + 1}: "${info.en[kind][i]}" — ${e.message}`);
        }
      }
    }
  }
  const doc = readFileSync(`${ROOT}docs/classroom.md`, "utf8");
  const notices = doc.match(/^Students should notice:/gm).length;
  assert.equal(LESSON.length, notices + 1, "one check per 'Students should notice' paragraph of docs/classroom.md, and the reuse homework");
  for (const [i, check] of LESSON.entries()) {
    try {
      ok(`docs/classroom.md claim ${i + 1} — ${await check(c)}`);
    } catch (e) {
      failed++;
      console.log(`not ok ${passed + failed} - docs/classroom.md claim ${i + 1} — ${e.message}`);
    }
  }
} finally {
  child.kill();
}
console.log(`${passed} passed, ${failed} failed`);
if (failed) process.exit(1);

// End-to-end test of the role-play (`tiaokuai serve --class`) in headless
// Chromium: a teacher's console and five students, each in its own browser
// context on a phone-sized screen, join by code, play three rounds with
// different choices while the teacher advances (from year 2 a city copies
// a neighbour's innovation when one has any); a student reloads and
// another changes device (both rejoin their role); a student cannot
// advance or change another's choices; the debrief shows the class against
// every scripted strategy, in English and Chinese; the workbook and the
// report download from the console; a round timer plays a round on time.
//
//   TIAOKUAI_BIN=target/release/tiaokuai CHROMIUM=/usr/bin/chromium node e2e/class.test.mjs
//
// Screenshots go to E2E_OUT (default e2e/out/): class-teacher.png and
// class-student.png (docs/img/ holds copies).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { strict as assert } from "node:assert";
import { chromium } from "playwright-core";

const BIN = process.env.TIAOKUAI_BIN || "target/release/tiaokuai";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const OUT = process.env.E2E_OUT || "e2e/out";
mkdirSync(OUT, { recursive: true });
const SAVE = join(mkdtempSync(join(tmpdir(), "tk-class-")), "class.json");

function startServer() {
  const child = spawn(BIN, ["serve", "--port", "0", "--class", "--class-save", SAVE], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start")), 60000);
    child.on("exit", code => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", line => {
      const m = line.match(/\(code (\w+)\); teacher: (http:\/\/127\.0\.0\.1:\d+)(\/class\/teacher#\w+)/);
      if (m) { clearTimeout(timer); resolve({ child, code: m[1], base: m[2], teacher: m[2] + m[3] }); }
    });
  });
}

let passed = 0, failed = 0;
async function check(what, f) {
  try { const seen = await f(); passed++; console.log(`ok ${passed + failed} - ${what}${seen ? ` — ${seen}` : ""}`); }
  catch (e) { failed++; console.log(`not ok ${passed + failed} - ${what} — ${e.message}`); }
}

const { child, code, base, teacher } = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const NAMES = ["Ann", "Bo", "Chen", "Dai", "Eve"];
try {
  const tctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const tp = await tctx.newPage();
  await tp.goto(teacher);
  await check("the teacher's console shows the join code, the address and its QR code", async () => {
    await tp.waitForFunction(c => document.getElementById("code").textContent === c, code);
    const url = await tp.textContent("#join-url");
    assert.match(url, /\/class$/);
    const qr = await tp.evaluate(() => document.getElementById("qr").naturalWidth);
    assert.ok(qr > 0, "QR code image loaded");
    return `${code}, ${url}`;
  });

  // Five students, each in its own context (a phone each).
  const students = [];
  for (const name of NAMES) {
    const ctx = await browser.newContext(PHONE);
    const page = await ctx.newPage();
    await page.goto(`${base}/class`);
    await page.fill("#code", code);
    await page.fill("#name", name);
    await page.click("#join");
    await page.waitForSelector("#play:not([hidden])");
    const token = await page.evaluate(() => localStorage.getItem("tk-class-token"));
    const role = await page.evaluate(async t => (await (await fetch(`/api/class/me?token=${t}`)).json()).role, token);
    students.push({ name, ctx, page, token, role });
  }
  await check("five students joined by code, each with a role of their own", async () => {
    const roles = new Set(students.map(s => s.role.id));
    assert.equal(roles.size, 5);
    return [...roles].join(", ");
  });

  await check("a student cannot advance the round, nor change another student's choices", async () => {
    const [a, b] = students;
    const adv = await a.page.evaluate(async t => (await fetch("/api/class/advance", { method: "POST", body: JSON.stringify({ token: t }) })).status, a.token);
    assert.equal(adv, 403);
    const other = await a.page.evaluate(async ([t, r]) => {
      const res = await fetch("/api/class/choose", { method: "POST", body: JSON.stringify({ token: t, role: r, choice: { share: true } }) });
      return [res.status, (await res.json()).error];
    }, [a.token, b.role.id]);
    assert.equal(other[0], 400);
    return `advance: 403; choose for ${b.role.id}: 400 (${other[1]})`;
  });

  // Three rounds with different choices.
  const copies = [];
  for (let round = 1; round <= 3; round++) {
    for (const [i, s] of students.entries()) {
      const p = s.page;
      const levers = s.role.levers;
      if (levers.includes("platform")) await p.selectOption("#platform", (i + round) % 2 ? "join" : "own");
      if (levers.includes("share")) await p.selectOption("#share", (i + round) % 3 === 0 ? "false" : "true");
      if (levers.includes("standard")) await p.selectOption("#standard", round === 1 ? "none" : i % 2 ? "national" : "provincial");
      if (levers.includes("transfer") && !levers.includes("platform")) await p.check("#transfer");
      // Copy the first neighbour on the list, when the list has one.
      if (levers.includes("copy") && round > 1) {
        const from = await p.$$eval("#copy option", os => os.map(o => o.value).filter(Boolean)[0] || "");
        if (from) { await p.selectOption("#copy", from); copies.push([round, s.role.id, from]); }
      }
      // Keep within the budget: drop the platform when the points run over.
      if (await p.isDisabled("#ready")) await p.selectOption("#platform", "");
      await p.click("#ready");
      await p.waitForSelector("#ready-state .ok");
    }
    await check(`round ${round}: the teacher sees every student ready and advances`, async () => {
      await tp.waitForFunction(() => [...document.querySelectorAll("#roles td:nth-child(4)")].filter(td => td.textContent === "✓").length === 5, null, { timeout: 10000 });
      await tp.click("#advance");
      await tp.waitForFunction(r => document.getElementById("year").textContent.includes(`Year ${r} `), round, { timeout: 20000 });
      return await tp.textContent("#year");
    });
    await check(`round ${round}: each student sees the new year and their own results`, async () => {
      for (const s of students) {
        await s.page.waitForFunction(r => document.getElementById("year").textContent.includes(`Year ${r} `), round, { timeout: 10000 });
        const kpi = await s.page.textContent("#own-kpi");
        assert.match(kpi, /Collaboration index\d/);
      }
      return (await students[0].page.textContent("#class-kpi")).slice(0, 80);
    });
    if (round === 1) {
      await check("a student who reloads the page is back in their role", async () => {
        const s = students[0];
        await s.page.reload();
        await s.page.waitForSelector("#play:not([hidden])");
        const who = await s.page.textContent("#who");
        assert.ok(who.startsWith(s.name), who);
        return who;
      });
      await check("a student on a new device rejoins with name and code", async () => {
        const s = students[1];
        const ctx = await browser.newContext(PHONE);
        const page = await ctx.newPage();
        await page.goto(`${base}/class`);
        await page.fill("#code", code.toLowerCase());
        await page.fill("#name", s.name.toUpperCase());
        await page.click("#join");
        await page.waitForSelector("#play:not([hidden])");
        const token = await page.evaluate(() => localStorage.getItem("tk-class-token"));
        assert.equal(token, s.token);
        await s.ctx.close();
        s.ctx = ctx; s.page = page;
        return await page.textContent("#who");
      });
    }
  }

  await check("the debrief shows the class against every scripted strategy, with intervals", async () => {
    await tp.waitForSelector("#compare tr:nth-child(2)");
    const rows = await tp.$$eval("#compare tr", trs => trs.slice(1).map(tr => tr.textContent));
    assert.equal(rows.length, 3, rows.join(" | "));
    for (const r of rows) assert.match(r, /\[-?\d+\.\d+, -?\d+\.\d+\]/);
    const lines = await tp.$$eval("#chart polyline", p => p.length);
    assert.equal(lines, 4);
    const sharers = await tp.$$eval("#sharers tr", trs => trs.length - 1);
    assert.equal(sharers, 5);
    const levels = await tp.textContent("#levels");
    assert.match(levels, /township/);
    return rows.join(" | ").replace(/\s+/g, " ").slice(0, 160);
  });
  await check("a student copied a neighbour's innovation: the debrief and the export say who copied whom", async () => {
    assert.ok(copies.length > 0, "a city had a neighbour's innovation to copy in year 2 or 3");
    const rows = await tp.$$eval("#copiers tr", trs => trs.slice(1).map(tr => tr.textContent));
    const [round, role, from] = copies[0];
    assert.ok(rows.some(r => r.startsWith(role) && r.includes(`${round}: ${from}`)), rows.join(" | "));
    const href = await tp.getAttribute("#dl-choices", "href");
    const csv = await tp.evaluate(async h => await (await fetch(h)).text(), href);
    assert.ok(csv.split("\n").some(l => l.startsWith(`${round},${role},`) && l.includes(`,${from},`)), csv.slice(0, 300));
    return copies.map(c => `year ${c[0]}: ${c[1]} copied from ${c[2]}`).join("; ");
  });
  await check("the teacher's exports hold the three rounds", async () => {
    const href = await tp.getAttribute("#dl-choices", "href");
    const csv = await tp.evaluate(async h => await (await fetch(h)).text(), href);
    const lines = csv.trim().split("\n");
    assert.equal(lines.length, 1 + 3 * 19);
    return `${lines.length - 1} rows`;
  });
  await check("the console's buttons download the workbook and the self-contained report", async () => {
    const got = await tp.evaluate(async () => {
      const out = {};
      for (const id of ["dl-workbook", "dl-workbook-zh", "dl-report", "dl-report-zh"]) {
        const r = await fetch(document.getElementById(id).href);
        const b = new Uint8Array(await r.arrayBuffer());
        out[id] = { status: r.status, head: String.fromCharCode(...b.slice(0, 2)), text: new TextDecoder().decode(b), size: b.length };
      }
      return out;
    });
    for (const id of ["dl-workbook", "dl-workbook-zh"]) { assert.equal(got[id].status, 200); assert.equal(got[id].head, "PK"); }
    for (const id of ["dl-report", "dl-report-zh"]) {
      assert.equal(got[id].status, 200);
      assert.match(got[id].text, /data-figure="class-collab_index"/);
      assert.doesNotMatch(got[id].text, /<script|https:\/\//);
    }
    assert.match(got["dl-report-zh"].text, /复盘/);
    return `workbook ${got["dl-workbook"].size} B, report ${got["dl-report"].size} B`;
  });
  await tp.screenshot({ path: `${OUT}/class-teacher.png` });
  await students[2].page.screenshot({ path: `${OUT}/class-student.png`, fullPage: true });
  await check("the console and the student page switch to Chinese", async () => {
    await tp.click("#lang");
    const h = await tp.textContent("h1");
    assert.equal(h, "角色扮演 — 教师控制台");
    await tp.waitForFunction(() => document.getElementById("compare").textContent.includes("策略"));
    await students[2].page.click("#lang");
    const y = await students[2].page.textContent("#year");
    assert.match(y, /第 3 年/);
    await tp.screenshot({ path: `${OUT}/class-teacher-zh.png` });
    return `${h}; ${y}`;
  });
  await check("a round timer set on the console counts down on the pages and plays the round on time", async () => {
    await tp.fill("#timer-seconds", "3");
    await tp.click("#timer-set");
    const st = students[2].page;
    await st.waitForFunction(() => /⏱/.test(document.getElementById("timer").textContent), null, { timeout: 5000 });
    const shown = await st.textContent("#timer");
    await st.waitForFunction(() => /第 4 年/.test(document.getElementById("year").textContent), null, { timeout: 20000 });
    await tp.click("#timer-stop");
    await tp.waitForFunction(() => document.getElementById("timer").textContent === "", null, { timeout: 5000 });
    return `${shown}; then ${await st.textContent("#year")}`;
  });
} finally {
  await browser.close();
  child.kill();
}
console.log(`${passed} passed, ${failed} failed`);
if (failed) process.exit(1);

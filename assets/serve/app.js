// The classroom page: pick a scenario, set levers for strategies A and B,
// run on the server (POST /api/run), watch the network and the plots.
// Every number shown comes from the API's answer.
"use strict";

const UI = {
  en: {
    title: "tiaokuai classroom", preset: "Scenario", upload: "Upload scenario…", stratA: "Strategy A",
    stratB: "Strategy B", editing: "Levers of", replicates: "Replicates", years: "Years", seed: "Seed",
    run: "Run", reset: "Reset levers", download: "Download", report: "Report", network: "Network of governments",
    show: "Show", play: "Play", pause: "Pause", step: "Step", keyUp: "data flowing up",
    keyDown: "data flowing down", keyDash: "dashed: standards break the flow (usability < 0.5)",
    keyRing: "ring: sharing between departments", keyFill: "fill: collaboration 0–100",
    compare: "A vs B at the horizon", about: "About this model", notice: "What to notice",
    try: "Things to try", howto: "How to read the page", initial: "start", year: "Year", q: "Q",
    metric: "Metric", diff: "B − A [95% interval]", running: "running…", done: "done",
    ms: "ms", replicatesNote: "mean of {n} replicates; band = 5–95% of replicates",
    collabTitle: "Tiao-kuai collaboration index", maturityTitle: "Maturity index",
    domainsTitle: "Collaboration by domain", costTitle: "Total cost (million yuan)",
    uploaded: "uploaded", expected: "expected", help: "help",
    tip: ["collaboration", "flow up", "flow down", "sharing", "usability", "maturity"],
    units: "units",
    groups: { platforms: "Platforms", standards: "Standards", investment: "Investment", institutions: "Institutions",
      coordination: "Coordination", regional: "Regional coordination", reuse: "Reuse of innovations" },
  },
  zh: {
    title: "条块协同课堂", preset: "情景", upload: "上传情景文件…", stratA: "策略A",
    stratB: "策略B", editing: "正在设置", replicates: "重复次数", years: "年数", seed: "随机种子",
    run: "运行", reset: "恢复默认", download: "下载", report: "报告", network: "政府网络",
    show: "显示", play: "播放", pause: "暂停", step: "单步", keyUp: "数据向上流动",
    keyDown: "数据向下流动", keyDash: "虚线：标准不统一阻断流动（可用性 < 0.5）",
    keyRing: "外圈：部门间共享", keyFill: "填色：协同指数 0–100",
    compare: "期末 A 与 B 对比", about: "关于本模型", notice: "观察要点",
    try: "动手试一试", howto: "如何阅读本页", initial: "初始", year: "第", q: "季",
    metric: "指标", diff: "B − A [95%区间]", running: "运行中…", done: "完成",
    ms: "毫秒", replicatesNote: "{n} 次重复的平均值；色带 = 重复结果的 5–95%",
    collabTitle: "条块协同指数", maturityTitle: "成熟度指数",
    domainsTitle: "各领域协同", costTitle: "总成本（百万元）",
    uploaded: "已上传", expected: "应为", help: "提示",
    tip: ["协同指数", "向上流动", "向下流动", "部门共享", "跨系统可用", "成熟度"],
    units: "个单位",
    groups: { platforms: "平台部署", standards: "数据标准", investment: "投入", institutions: "数据制度",
      coordination: "统筹协调", regional: "区域协调", reuse: "创新复用" },
  },
};

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const $ = id => document.getElementById(id);
const clientId = "page-" + Math.random().toString(36).slice(2, 12);

const state = {
  lang: "en",
  presets: [],
  preset: null,        // id, or null for an uploaded scenario
  uploadText: null,
  desc: null,          // GET /api/presets/{id} answer
  values: {},          // strategy name -> lever id -> current value
  editing: "a",
  result: null,        // last POST /api/run answer
  lastRequest: null,
  t: 0,
  timer: null,
  pending: 0,
};

const tr = key => UI[state.lang][key] ?? key;
const pick = (en, zh) => (state.lang === "zh" && zh ? zh : en);
const fmt = v => (v === null || v === undefined ? "—" : Number(v).toFixed(2));

async function api(path, options) {
  const res = await fetch(path, options);
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) { const e = new Error(body.error); e.body = body; e.status = res.status; throw e; }
  return body;
}

function showError(e) {
  const box = $("error");
  if (!e) { box.hidden = true; box.textContent = ""; return; }
  const b = e.body || {};
  let text = b.error || String(e.message || e);
  if (b.key && !text.startsWith(b.key)) text = `${b.key}: ${text}`;
  if (b.expected) text += `\n${tr("expected")}: ${b.expected}`;
  if (b.suggestion) text += `\n${tr("help")}: ${b.suggestion}`;
  box.textContent = text;
  box.hidden = false;
}

// ---- Scenario and levers -------------------------------------------------

async function loadPresets() {
  const r = await api("/api/presets");
  state.presets = r.presets;
  fillPresetSelect();
  await choosePreset(r.default);
}

function fillPresetSelect() {
  const sel = $("preset");
  sel.innerHTML = "";
  for (const p of state.presets) {
    const o = new Option(pick(p.name, p.name_zh), p.id);
    o.title = p.description;
    sel.add(o);
  }
  if (state.uploadText && state.desc) sel.add(new Option(`${state.desc.name} (${tr("uploaded")})`, ""));
  sel.value = state.preset ?? "";
}

async function choosePreset(id) {
  showError(null);
  state.preset = id;
  state.uploadText = null;
  setDescription(await api(`/api/presets/${encodeURIComponent(id)}`));
  fillPresetSelect();
  await run();
}

function setDescription(desc) {
  state.desc = desc;
  state.values = {};
  desc.strategies.forEach((s, i) => {
    state.values[s.name] = {};
    for (const l of desc.levers) state.values[s.name][l.id] = structuredClone(l.values[i]);
  });
  $("replicates").value = desc.replicates;
  $("years").value = desc.years;
  $("seed").value = desc.seed;
  const names = desc.strategies.map(s => s.name);
  const a = desc.baseline, b = names.find(n => n !== a) ?? a;
  fillStrategySelects(a, b);
  state.editing = "a";
  renderStatic();
}

function fillStrategySelects(a, b) {
  for (const [id, v] of [["strat-a", a], ["strat-b", b]]) {
    const sel = $(id);
    sel.innerHTML = "";
    for (const s of state.desc.strategies) {
      const o = new Option(pick(s.name, s.name_zh), s.name);
      o.title = s.description;
      sel.add(o);
    }
    sel.value = v;
  }
}

const editedName = () => $(state.editing === "a" ? "strat-a" : "strat-b").value;
const strategyIndex = name => state.desc.strategies.findIndex(s => s.name === name);

function originalValue(name, lever) {
  return lever.values[strategyIndex(name)];
}

function renderLevers() {
  const box = $("levers");
  box.innerHTML = "";
  const name = editedName();
  const s = state.desc.strategies[strategyIndex(name)];
  $("edit-name").textContent = s ? pick(s.name, s.name_zh) : "";
  $("edit-a").classList.toggle("on", state.editing === "a");
  $("edit-b").classList.toggle("on", state.editing === "b");
  for (const g of state.desc.groups) {
    const levers = state.desc.levers.filter(l => l.group === g.id);
    if (!levers.length) continue;
    const det = document.createElement("details");
    det.open = g.id === "platforms" || g.id === "standards";
    det.dataset.group = g.id;
    const sum = document.createElement("summary");
    sum.textContent = tr("groups")[g.id] ?? g.id;
    sum.title = pick(g.en, g.zh);
    det.appendChild(sum);
    for (const l of levers) det.appendChild(leverControl(name, l));
    box.appendChild(det);
  }
}

function leverControl(name, l) {
  const wrap = document.createElement("div");
  wrap.className = "lever";
  wrap.dataset.lever = l.id;
  const label = document.createElement("label");
  const text = document.createElement("span");
  text.textContent = pick(l.label_en, l.label_zh);
  label.title = pick(l.help_en, l.help_zh);
  label.appendChild(text);
  const value = state.values[name][l.id];
  const set = v => {
    state.values[name][l.id] = v;
    if (l.group === "investment" && l.kind === "number" && l.id !== "investment.budget") rebalance(name, l.id);
    markChanged();
  };
  let input;
  if (l.kind === "choice") {
    input = document.createElement("select");
    for (const o of l.options) input.add(new Option(pick(o.en, o.zh), o.id));
    input.value = value;
    input.addEventListener("change", () => set(input.value));
    label.appendChild(input);
  } else if (l.kind === "switch") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = !!value;
    input.addEventListener("change", () => set(input.checked));
    label.appendChild(input);
  } else if (l.kind === "domains") {
    wrap.classList.add("domains");
    wrap.appendChild(label);
    for (const o of l.options) {
      const lab = document.createElement("label");
      const cb = document.createElement("input");
      cb.type = "checkbox";
      cb.value = o.id;
      cb.checked = (value || []).includes(o.id);
      cb.addEventListener("change", () => {
        set([...wrap.querySelectorAll("input:checked")].map(x => x.value));
      });
      lab.append(cb, " ", pick(o.en, o.zh));
      wrap.appendChild(lab);
    }
  } else {
    const out = document.createElement("output");
    out.textContent = +Number(value).toFixed(3);
    label.appendChild(out);
    input = document.createElement("input");
    input.type = "range";
    input.min = l.min; input.max = l.max; input.step = l.step;
    input.value = value;
    input.addEventListener("input", () => { out.textContent = +Number(input.value).toFixed(3); set(Number(input.value)); });
  }
  if (l.kind !== "domains") wrap.appendChild(label);
  if (input && input.type === "range") wrap.appendChild(input);
  const help = document.createElement("p");
  help.className = "help";
  help.textContent = pick(l.help_en, l.help_zh);
  wrap.appendChild(help);
  wrap.classList.toggle("changed", JSON.stringify(value) !== JSON.stringify(originalValue(name, l)));
  return wrap;
}

// Keep the four budget shares summing to 1: scale the others to the rest.
function rebalance(name, moved) {
  const ids = ["investment.hardware", "investment.platforms", "investment.talent", "investment.data_governance"];
  const v = state.values[name];
  const others = ids.filter(i => i !== moved);
  const rest = 1 - v[moved];
  const sum = others.reduce((a, i) => a + v[i], 0);
  others.forEach(i => { v[i] = sum > 0 ? v[i] * rest / sum : rest / others.length; });
  // Exact sum: the last share takes the rounding remainder.
  const last = others[others.length - 1];
  v[last] = 1 - ids.filter(i => i !== last).reduce((a, i) => a + v[i], 0);
  for (const i of others) {
    const box = document.querySelector(`.lever[data-lever="${i}"]`);
    if (!box) continue;
    box.querySelector("input").value = v[i];
    box.querySelector("output").textContent = +v[i].toFixed(3);
  }
}

function markChanged() {
  const name = editedName();
  for (const l of state.desc.levers) {
    const box = document.querySelector(`.lever[data-lever="${l.id}"]`);
    if (box) box.classList.toggle("changed", JSON.stringify(state.values[name][l.id]) !== JSON.stringify(originalValue(name, l)));
  }
}

// ---- Running --------------------------------------------------------------

function buildRequest() {
  const a = $("strat-a").value, b = $("strat-b").value;
  const strategies = a === b ? [a] : [a, b];
  const levers = {};
  for (const name of strategies) {
    const changed = {};
    for (const l of state.desc.levers) {
      const v = state.values[name][l.id];
      if (JSON.stringify(v) !== JSON.stringify(originalValue(name, l))) changed[l.id] = v;
    }
    if (Object.keys(changed).length) levers[name] = changed;
  }
  const req = {
    strategies, levers, client: clientId,
    replicates: Number($("replicates").value),
    years: Number($("years").value),
    seed: Number($("seed").value),
  };
  if (state.preset !== null) req.preset = state.preset; else req.scenario_toml = state.uploadText;
  return req;
}

async function run() {
  showError(null);
  stopPlay();
  const req = buildRequest();
  const mine = ++state.pending;
  const started = performance.now();
  $("status").textContent = tr("running");
  const bar = $("progress");
  bar.hidden = false; bar.value = 0;
  const poll = setInterval(async () => {
    try {
      const p = await api(`/api/progress/${clientId}`);
      if (p.total) bar.value = p.done / p.total;
    } catch (_) { /* progress is a nicety */ }
  }, 250);
  try {
    const r = await api("/api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
    if (mine !== state.pending) return;
    state.result = r;
    state.lastRequest = req;
    state.t = r.time.length - 1;
    $("status").textContent = `${tr("done")} — ${Math.round(performance.now() - started)} ${tr("ms")}`;
    document.body.dataset.runs = String(Number(document.body.dataset.runs || 0) + 1);
    renderResult();
  } catch (e) {
    if (e.status === 409) return; // superseded by a newer run of this page
    if (mine === state.pending) { showError(e); $("status").textContent = ""; }
  } finally {
    clearInterval(poll);
    if (mine === state.pending) bar.hidden = true;
  }
}

async function download(format) {
  if (!state.lastRequest) return;
  showError(null);
  $("status").textContent = tr("running");
  try {
    const res = await fetch(`/api/export/${format}?lang=${state.lang}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...state.lastRequest, network: false, client: undefined }) });
    if (!res.ok) { showError({ body: await res.json() }); return; }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url; a.download = `${state.result.scenario}.${format}`;
    $("status").textContent = tr("done");
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) { showError(e); }
}

// ---- Rendering --------------------------------------------------------------

function timeLabel(i) {
  const [y, q] = state.result.time[i];
  if (y === 0) return tr("initial");
  return state.lang === "zh" ? `第${y}年第${q}季度` : `${tr("year")} ${y} ${tr("q")}${q}`;
}

function metricName(id) {
  const m = state.result.metrics.find(x => x.id === id);
  return m ? pick(m.name_en, m.name_zh) : id;
}

function strategyName(i) {
  const s = state.result.strategies[i];
  return pick(s.name, s.name_zh);
}

function renderResult() {
  const r = state.result;
  if (!r) return;
  const sel = $("net-strategy");
  const keep = sel.value;
  sel.innerHTML = "";
  r.strategies.forEach((s, i) => sel.add(new Option(`${"AB"[i] ?? i + 1}: ${strategyName(i)}`, String(i))));
  sel.value = keep && Number(keep) < r.strategies.length ? keep : "0";
  const slider = $("time");
  slider.max = r.time.length - 1;
  slider.value = state.t;
  renderTime();
  renderCompare();
}

function renderTime() {
  const r = state.result;
  if (!r) return;
  $("time-label").textContent = timeLabel(state.t);
  $("time").value = state.t;
  renderNetwork();
  renderPlots();
}

function xLabels() {
  return state.result.time.map(([y, q], i) => (q === 0 || q === 4 ? (i === 0 ? "0" : String(y)) : null));
}

function renderPlots() {
  const r = state.result;
  const bandLines = id => r.series.map((s, i) => s[id] && {
    label: `${"AB"[i] ?? i + 1}: ${strategyName(i)}`, color: COLORS[i], mean: s[id].mean, lo: s[id].p05, hi: s[id].p95,
  }).filter(Boolean);
  const C = window.TKCharts;
  C.lineChart($("chart-collab"), { title: tr("collabTitle"), lines: bandLines("collab_index"), xLabels: xLabels(), cursor: state.t });
  C.lineChart($("chart-maturity"), { title: tr("maturityTitle"), lines: bandLines("maturity_index"), xLabels: xLabels(), cursor: state.t });
  C.lineChart($("chart-cost"), { title: tr("costTitle"), lines: bandLines("cost_total"), xLabels: xLabels(), cursor: state.t });
  const k = Number($("net-strategy").value || 0);
  const domains = r.metrics.filter(m => m.id.startsWith("domain_"));
  C.lineChart($("chart-domains"), {
    title: `${tr("domainsTitle")} — ${"AB"[k] ?? ""}: ${strategyName(k)}`,
    lines: domains.map((m, j) => ({ label: pick(m.name_en, m.name_zh).replace(/^Collaboration: |^协同：/, ""), color: COLORS[j % COLORS.length], mean: r.series[k][m.id].mean })),
    xLabels: xLabels(), cursor: state.t,
  });
}

function renderNetwork() {
  const r = state.result;
  const svg = $("network");
  if (!r.network) { svg.innerHTML = ""; return; }
  const k = Number($("net-strategy").value || 0);
  const values = r.network.values[k][state.t];
  window.TKCharts.drawNetwork(svg, r.network.nodes, values, (i, ev) => {
    const tip = $("tooltip");
    if (i === null) { tip.hidden = true; return; }
    const n = r.network.nodes[i], v = values[i];
    const name = pick(n.name_en, n.name_zh) + (n.aggregated ? "" : "");
    tip.textContent = `${name}\n` + tr("tip").map((t, f) => `${t}: ${fmt(v[f])}`).join("\n");
    tip.style.left = `${ev.clientX + 12}px`;
    tip.style.top = `${ev.clientY + 12}px`;
    tip.hidden = false;
  });
}

function renderCompare() {
  const r = state.result;
  const table = $("compare");
  table.innerHTML = "";
  const last = r.time.length - 1;
  $("compare-note").textContent = tr("replicatesNote").replace("{n}", r.replicates);
  const head = table.insertRow();
  const cols = [tr("metric"), ...r.strategies.map((_, i) => `${"AB"[i] ?? i + 1}: ${strategyName(i)}`)];
  if (r.compare) cols.push(tr("diff"));
  for (const c of cols) { const th = document.createElement("th"); th.textContent = c; head.appendChild(th); }
  for (const m of r.metrics) {
    const row = table.insertRow();
    row.dataset.metric = m.id;
    const name = row.insertCell();
    name.textContent = metricName(m.id);
    name.title = m.unit;
    r.series.forEach((s, i) => {
      const td = row.insertCell();
      const v = s[m.id] ? s[m.id].mean[last] : null;
      td.className = "num"; td.dataset.col = "ABCD"[i]; td.dataset.value = v;
      td.textContent = fmt(v);
    });
    if (r.compare) {
      const d = r.compare.metrics[m.id];
      const td = row.insertCell();
      const mean = d.mean[last], lo = d.ci95_low[last], hi = d.ci95_high[last];
      td.className = "num"; td.dataset.col = "diff"; td.dataset.value = mean;
      td.textContent = `${fmt(mean)} [${fmt(lo)}, ${fmt(hi)}]`;
      const sign = m.direction === "higher" ? 1 : m.direction === "lower" ? -1 : 0;
      if (sign && lo !== null && hi !== null && (lo > 0 || hi < 0)) td.classList.add(sign * mean > 0 ? "better" : "worse");
    }
  }
}

function renderInfo() {
  const d = state.desc;
  const own = d.info[state.lang], gen = d.general[state.lang];
  $("info-about").textContent = own.about;
  for (const [id, items] of [["info-notice", own.notice], ["info-try", own.try], ["info-general", [gen.about, ...gen.try]]]) {
    const ul = $(id);
    ul.innerHTML = "";
    for (const t of items) { const li = document.createElement("li"); li.textContent = t; ul.appendChild(li); }
  }
}

// Everything that depends on the language or the scenario, not on the run.
function renderStatic() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = tr(e.dataset.i18n);
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  $("play").textContent = state.timer ? tr("pause") : tr("play");
  if (!state.desc) return;
  fillPresetSelect();
  fillStrategySelects($("strat-a").value || state.desc.baseline, $("strat-b").value || state.desc.baseline);
  renderLevers();
  renderInfo();
  renderResult();
}

// ---- Play / Pause / Step ------------------------------------------------------

function stopPlay() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  $("play").textContent = tr("play");
}

function play() {
  if (!state.result) return;
  if (state.timer) { stopPlay(); return; }
  if (state.t >= state.result.time.length - 1) state.t = 0;
  state.timer = setInterval(() => {
    if (state.t >= state.result.time.length - 1) { stopPlay(); return; }
    state.t += 1;
    renderTime();
  }, 350);
  $("play").textContent = tr("pause");
  renderTime();
}

function step() {
  if (!state.result) return;
  stopPlay();
  state.t = (state.t + 1) % state.result.time.length;
  renderTime();
}

// ---- Wiring -------------------------------------------------------------------

function wire() {
  $("preset").addEventListener("change", e => { if (e.target.value) choosePreset(e.target.value).catch(showError); });
  $("upload").addEventListener("change", async e => {
    const f = e.target.files[0];
    if (!f) return;
    try {
      const text = await f.text();
      const desc = await api("/api/scenario", { method: "POST", headers: { "Content-Type": "text/plain" }, body: text });
      state.preset = null;
      state.uploadText = text;
      setDescription(desc);
      fillPresetSelect();
      await run();
    } catch (err) { showError(err); }
  });
  $("lang").addEventListener("click", () => { state.lang = state.lang === "en" ? "zh" : "en"; renderStatic(); });
  $("edit-a").addEventListener("click", () => { state.editing = "a"; renderLevers(); });
  $("edit-b").addEventListener("click", () => { state.editing = "b"; renderLevers(); });
  $("strat-a").addEventListener("change", renderLevers);
  $("strat-b").addEventListener("change", renderLevers);
  $("run").addEventListener("click", run);
  $("reset").addEventListener("click", () => { setDescription(state.desc); });
  for (const f of ["csv", "xlsx", "html"]) $(`download-${f}`).addEventListener("click", () => download(f));
  $("play").addEventListener("click", play);
  $("step").addEventListener("click", step);
  $("time").addEventListener("input", e => { stopPlay(); state.t = Number(e.target.value); renderTime(); });
  $("net-strategy").addEventListener("change", () => { renderNetwork(); renderPlots(); });
}

wire();
renderStatic();
loadPresets().catch(showError);

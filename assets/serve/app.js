// The classroom page: pick a scenario, set levers for strategies A and B,
// run on the server (POST /api/run), watch the network and the plots.
// Every number shown comes from the API's answer.
"use strict";

const UI = {
  en: {
    title: "tiaokuai classroom", preset: "Scenario", upload: "Upload scenario…", stratA: "Strategy A",
    stratB: "Strategy B", editing: "Levers of", replicates: "Replicates", years: "Years", seed: "Seed",
    run: "Run", reset: "Reset", download: "Download", report: "Report", network: "Network of governments",
    show: "Show", play: "Play", pause: "Pause", step: "Step", speed: "Speed", progress: "Progress of the run",
    timeAria: "Quarter shown", pickMetric: "Metric to plot", presenter: "Presenter (P)",
    stale: "Settings changed: results out of date — press Run",
    sameNote: "A and B are the same strategy: the run shows one column. Choose another B to compare.",
    keyUp: "orange: data flowing up (thicker = more)", keyDown: "purple: data flowing down",
    keyOk: "solid: usable across systems (usability ≥ {ok})", keyPartial: "dashed: partly usable ({low}–{ok})",
    keyLow: "dotted: standards break the flow (< {low})", keyAbsent: "thin grey: no data flows",
    keyRing: "teal ring: sharing between departments (thicker = more)", keyFill: "fill: collaboration",
    keyDiff: "fill: B − A collaboration", keyLower: "B lower", keyHigher: "B higher",
    keyRegions: "regions:", regions: { east: "east", central: "central", west: "west", northeast: "northeast" },
    diffShow: "B − A (difference)",
    compare: "A vs B at the horizon", about: "About this model", notice: "What to notice",
    try: "Things to try", howto: "How to read the page", initial: "start", year: "Year", q: "Q",
    metric: "Metric", diff: "B − A [95% interval]", running: "running…", done: "done",
    ms: "ms", replicatesNote: "mean of {n} replicates; band = 5–95% of replicates",
    domainsTitle: "Collaboration by domain", domainsDiffTitle: "Collaboration by domain: B − A (band = 95% interval)",
    xTitle: "year", uploaded: "uploaded", expected: "expected", help: "help",
    better: "B better", worse: "B worse", same: "no clear difference",
    tip: ["collaboration", "flow up", "flow down", "sharing", "usability", "maturity"],
    history: "Earlier runs", overlay: "Overlay in plots", none: "none", runNo: "run",
    histCols: ["Run", "Scenario", "A", "B", "Settings", "A", "B", "B − A"],
    histMetric: "at the horizon: {m}", defaults: "scenario's values",
    units: { "index 0-100": "index 0–100", "share 0-1": "share 0–1", "stage 1-5": "stage 1–5" },
    groups: { platforms: "Platforms", standards: "Standards", investment: "Investment", institutions: "Institutions",
      coordination: "Coordination", regional: "Regional coordination", reuse: "Reuse of innovations" },
  },
  zh: {
    title: "条块协同课堂", preset: "情景", upload: "上传情景文件…", stratA: "策略A",
    stratB: "策略B", editing: "正在设置", replicates: "重复次数", years: "年数", seed: "随机种子",
    run: "运行", reset: "恢复默认", download: "下载", report: "报告", network: "政府网络",
    show: "显示", play: "播放", pause: "暂停", step: "单步", speed: "速度", progress: "运行进度",
    timeAria: "显示的季度", pickMetric: "选择要绘制的指标", presenter: "演示模式 (P)",
    stale: "设置已更改：结果已过期——请点击运行",
    sameNote: "A 与 B 是同一策略：结果只有一列。请为 B 选择另一策略以便比较。",
    keyUp: "橙色：数据向上流动（越粗越多）", keyDown: "紫色：数据向下流动",
    keyOk: "实线：跨系统可用（可用性 ≥ {ok}）", keyPartial: "虚线：部分可用（{low}–{ok}）",
    keyLow: "点线：标准不统一阻断流动（< {low}）", keyAbsent: "灰色细线：没有数据流动",
    keyRing: "青色外圈：部门间共享（越粗越多）", keyFill: "填色：协同指数",
    keyDiff: "填色：B − A 协同指数之差", keyLower: "B 较低", keyHigher: "B 较高",
    keyRegions: "地区：", regions: { east: "东部", central: "中部", west: "西部", northeast: "东北" },
    diffShow: "B − A（差值）",
    compare: "期末 A 与 B 对比", about: "关于本模型", notice: "观察要点",
    try: "动手试一试", howto: "如何阅读本页", initial: "初始", year: "第", q: "季",
    metric: "指标", diff: "B − A [95%区间]", running: "运行中…", done: "完成",
    ms: "毫秒", replicatesNote: "{n} 次重复的平均值；色带 = 重复结果的 5–95%",
    domainsTitle: "各领域协同", domainsDiffTitle: "各领域协同：B − A（色带 = 95%区间）",
    xTitle: "年", uploaded: "已上传", expected: "应为", help: "提示",
    better: "B 更好", worse: "B 更差", same: "无明显差异",
    tip: ["协同指数", "向上流动", "向下流动", "部门共享", "跨系统可用", "成熟度"],
    history: "历次运行", overlay: "叠加到图中", none: "无", runNo: "第几次",
    histCols: ["运行", "情景", "A", "B", "设置", "A", "B", "B − A"],
    histMetric: "期末：{m}", defaults: "情景默认值",
    units: { "index 0-100": "指数 0–100", "share 0-1": "比例 0–1", "stage 1-5": "阶段 1–5", "% of catalogue": "占服务目录的 %",
      "million yuan": "百万元", "yuan per person": "元/人", platforms: "个平台", innovations: "项创新", "Theil T": "泰尔指数 T",
      "index points": "指数点" },
    groups: { platforms: "平台部署", standards: "数据标准", investment: "投入", institutions: "数据制度",
      coordination: "统筹协调", regional: "区域协调", reuse: "创新复用" },
  },
};

// Okabe–Ito colours: A blue and solid, B vermilion and dashed (told apart in greyscale too).
const STRAT = [
  { color: "#0072b2", dash: "none" },
  { color: "#d55e00", dash: "9 5" },
  { color: "#009e73", dash: "2 4" },
  { color: "#cc79a7", dash: "12 4 2 4" },
];
const COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442", "#8c564b"];
const DOMAIN_DASH = ["none", "8 4", "2 3", "12 4 2 4", "none", "8 4", "2 3", "12 4 2 4", "none"];
const $ = id => document.getElementById(id);
const clientId = "page-" + Math.random().toString(36).slice(2, 12);
const HISTORY_MAX = 8;

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
  lastKey: null,       // the settings of the run shown (see settingsKey)
  history: [],         // earlier runs: {n, req, result}
  runs: 0,
  show: "0",           // network and domain plot: strategy index, or "diff"
  charts: ["collab_index", "maturity_index", "cost_total"],
  overlay: "",         // run number of an earlier run drawn in the plots
  t: 0,
  timer: null,
  pending: 0,
};

const tr = key => UI[state.lang][key] ?? UI.en[key] ?? key;
const pick = (en, zh) => (state.lang === "zh" ? (zh || en) : en);
const letter = i => "AB"[i] ?? String(i + 1);

// ---- Numbers --------------------------------------------------------------

// toFixed without a "-0.00": a value that rounds to zero is written without its sign.
function fixed(v, d) {
  const s = Number(v).toFixed(d);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

// Decimals that show a metric's values: whole numbers for counts, else 2,
// more when the values are small, so that a value that differs from 0 never reads 0.
function decimalsFor(values, unit) {
  const xs = values.filter(v => v !== null && v !== undefined && v !== 0).map(Math.abs);
  if (!xs.length) return 0;
  if ((unit === "platforms" || unit === "innovations") && xs.every(v => Number.isInteger(Math.round(v * 1e9) / 1e9))) return 0;
  let d = unit === "platforms" || unit === "innovations" ? 1 : 2;
  const small = Math.min(...xs);
  while (d < 6 && Number(small.toFixed(d)) === 0) d++;
  return d;
}

const fmt = (v, d = 2) => (v === null || v === undefined ? "—" : fixed(v, d));

// "▲ 1.23 [0.80, 1.66]": the symbol says better or worse for the metric's direction,
// and only when the 95% interval excludes 0; "≈" when it does not.
function diffText(m, mean, lo, hi) {
  if (mean === null || mean === undefined) return { text: "—", cls: "" };
  const d = decimalsFor(lo !== null && hi !== null ? [mean, lo, hi] : [mean], m.unit === "platforms" || m.unit === "innovations" ? "" : m.unit);
  const sign = m.direction === "higher" ? 1 : m.direction === "lower" ? -1 : 0;
  const clear = lo !== null && hi !== null && (lo > 0 || hi < 0);
  let sym = "≈", cls = "same", what = tr("same");
  if (clear && sign) {
    const good = sign * mean > 0;
    sym = good ? "▲" : "▼"; cls = good ? "better" : "worse"; what = tr(good ? "better" : "worse");
  } else if (clear) { sym = mean > 0 ? "+" : "−"; cls = ""; what = ""; }
  const iv = lo !== null && hi !== null ? ` [${fixed(lo, d)}, ${fixed(hi, d)}]` : "";
  return { text: `${fixed(mean, d)}${iv}`, sym, cls, what };
}

function unitName(u) {
  return (UI[state.lang].units || {})[u] ?? UI.en.units[u] ?? u;
}
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
    o.title = pick(p.description, p.description_zh || p.name_zh);
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
  updateStale();
}

function fillStrategySelects(a, b) {
  for (const [id, v] of [["strat-a", a], ["strat-b", b]]) {
    const sel = $(id);
    sel.innerHTML = "";
    for (const s of state.desc.strategies) {
      const o = new Option(pick(s.name, s.name_zh), s.name);
      o.title = pick(s.description, s.description_zh || s.name_zh);
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
  const same = $("strat-a").value === $("strat-b").value;
  $("same-note").hidden = !same;
  $("edit-b").disabled = same;
  if (same) state.editing = "a";
  const box = $("levers");
  box.innerHTML = "";
  const name = editedName();
  const s = state.desc.strategies[strategyIndex(name)];
  $("edit-name").textContent = s ? pick(s.name, s.name_zh) : "";
  for (const k of ["a", "b"]) {
    $(`edit-${k}`).classList.toggle("on", state.editing === k);
    $(`edit-${k}`).setAttribute("aria-pressed", String(state.editing === k));
  }
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
    updateStale();
  };
  let input;
  if (l.kind === "choice") {
    input = document.createElement("select");
    for (const o of l.options) input.add(new Option(pick(o.en, o.zh), o.id));
    input.value = value;
    input.setAttribute("aria-label", text.textContent);
    input.addEventListener("change", () => set(input.value));
    label.appendChild(input);
  } else if (l.kind === "switch") {
    input = document.createElement("input");
    input.type = "checkbox";
    input.checked = !!value;
    input.setAttribute("aria-label", text.textContent);
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
    input.setAttribute("aria-label", text.textContent);
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

// The settings a run depends on (everything of the request but the page's id).
function settingsKey(req) {
  const { client, ...rest } = req;
  return JSON.stringify(rest);
}

// Results on screen that no longer match the settings are marked out of date until Run.
function updateStale() {
  if (!state.desc) return;
  const stale = state.lastKey !== null && settingsKey(buildRequest()) !== state.lastKey;
  document.body.classList.toggle("stale", stale);
  $("stale").hidden = !stale;
  document.body.dataset.stale = stale ? "1" : "0";
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
    state.runs += 1;
    state.result = r;
    state.lastRequest = req;
    state.lastKey = settingsKey(req);
    state.history.push({ n: state.runs, req, result: r });
    // Older runs keep their series for the plots and the table, not their network.
    if (state.history.length > 1) state.history[state.history.length - 2].result = { ...state.history[state.history.length - 2].result, network: null };
    if (state.history.length > HISTORY_MAX) state.history.shift();
    state.t = r.time.length - 1;
    state.elapsed = Math.round(performance.now() - started);
    setStatusDone();
    document.body.dataset.runs = String(state.runs);
    renderResult();
    renderHistory();
    updateStale();
  } catch (e) {
    if (e.status === 409) return; // superseded by a newer run of this page
    if (mine === state.pending) { showError(e); $("status").textContent = ""; }
  } finally {
    clearInterval(poll);
    if (mine === state.pending) bar.hidden = true;
  }
}

function setStatusDone() {
  if (state.elapsed === undefined) { $("status").textContent = ""; return; }
  $("status").textContent = `${tr("done")} — ${state.elapsed} ${tr("ms")}`;
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

function timeLabel(i, r = state.result) {
  const [y, q] = r.time[i];
  if (y === 0) return tr("initial");
  return state.lang === "zh" ? `第${y}年第${q}季度` : `${tr("year")} ${y} ${tr("q")}${q}`;
}

function metricDef(id, r = state.result) {
  return r.metrics.find(x => x.id === id);
}

function metricName(id, r = state.result) {
  const m = metricDef(id, r);
  return m ? pick(m.name_en, m.name_zh) : id;
}

function strategyName(i, r = state.result) {
  const s = r.strategies[i];
  return pick(s.name, s.name_zh);
}

const hasDiff = () => !!(state.result && state.result.compare);

function renderResult() {
  const r = state.result;
  if (!r) return;
  const sel = $("net-strategy");
  sel.innerHTML = "";
  r.strategies.forEach((s, i) => sel.add(new Option(`${letter(i)}: ${strategyName(i)}`, String(i))));
  if (hasDiff()) sel.add(new Option(tr("diffShow"), "diff"));
  if (state.show === "diff" ? !hasDiff() : Number(state.show) >= r.strategies.length) state.show = "0";
  sel.value = state.show;
  for (const box of document.querySelectorAll(".chart-box[data-chart] .metric-pick")) {
    const k = Number(box.closest(".chart-box").dataset.chart);
    const keep = state.charts[k];
    box.innerHTML = "";
    for (const m of r.metrics) box.add(new Option(pick(m.name_en, m.name_zh), m.id));
    if (!metricDef(keep)) state.charts[k] = r.metrics[k]?.id ?? r.metrics[0].id;
    box.value = state.charts[k];
  }
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
  $("time").setAttribute("aria-valuetext", timeLabel(state.t));
  renderNetwork();
  renderPlots();
}

function xLabels(r = state.result) {
  return r.time.map(([y, q], i) => (q === 0 || q === 4 ? (i === 0 ? "0" : String(y)) : null));
}

function overlayRun() {
  if (!state.overlay) return null;
  const h = state.history.find(x => String(x.n) === state.overlay);
  return h && h.result !== state.result ? h : null;
}

// A chart of one metric: A and B (mean and 5–95% band), and an earlier run's means when overlaid.
function metricLines(id) {
  const r = state.result;
  const lines = r.series.map((s, i) => s[id] && {
    label: `${letter(i)}: ${strategyName(i)}`, ...STRAT[i % STRAT.length],
    mean: s[id].mean, lo: s[id].p05, hi: s[id].p95,
  }).filter(Boolean);
  const h = overlayRun();
  if (h) {
    h.result.series.forEach((s, i) => {
      if (!s[id]) return;
      lines.push({ label: `${tr("runNo")} ${h.n} ${letter(i)}: ${strategyName(i, h.result)}`, color: i ? "#7a3a00" : "#003b5c",
        dash: i ? "3 3" : "1 3", width: 2, mean: s[id].mean });
    });
  }
  return lines;
}

function renderPlots() {
  const r = state.result;
  const C = window.TKCharts;
  const labels = h => (h && h.result.time.length > r.time.length ? xLabels(h.result) : xLabels());
  const xl = labels(overlayRun());
  state.charts.forEach((id, k) => {
    const box = document.querySelector(`.chart-box[data-chart="${k}"]`);
    const m = metricDef(id);
    const lines = metricLines(id);
    const svg = $(`chart-${k}`);
    C.lineChart(svg, { title: metricName(id), yTitle: m ? unitName(m.unit) : "", xTitle: tr("xTitle"),
      lines, xLabels: xl, upto: state.t, cursor: state.t });
    svg.setAttribute("aria-label", `${metricName(id)} — ${timeLabel(state.t)}`);
    C.legend(box.querySelector(".chart-legend"), lines);
  });
  const domains = r.metrics.filter(m => m.id.startsWith("domain_"));
  const diff = state.show === "diff" && r.compare;
  const k = diff ? 0 : Number(state.show);
  const short = m => pick(m.name_en, m.name_zh).replace(/^Collaboration: |^协同：/, "");
  const lines = domains.map((m, j) => {
    const base = { label: short(m), color: COLORS[j % COLORS.length], dash: DOMAIN_DASH[j % DOMAIN_DASH.length] };
    if (diff) { const d = r.compare.metrics[m.id]; return { ...base, mean: d.mean, lo: d.ci95_low, hi: d.ci95_high }; }
    return { ...base, mean: r.series[k][m.id].mean };
  });
  const title = diff ? tr("domainsDiffTitle") : `${tr("domainsTitle")} — ${letter(k)}: ${strategyName(k)}`;
  const svg = $("chart-domains");
  C.lineChart(svg, { title, yTitle: unitName("index 0-100"), xTitle: tr("xTitle"), lines, xLabels: xLabels(), upto: state.t, cursor: state.t, zero: !!diff });
  svg.setAttribute("aria-label", title);
  C.legend(document.querySelector('.chart-box[data-chart="domains"] .chart-legend'), lines);
}

// The words read out for a node (screen readers, keyboard focus) and shown in its tooltip.
function describeNode(i) {
  const r = state.result, n = r.network.nodes[i];
  const name = pick(n.name_en, n.name_zh);
  const at = v => v[state.t][i];
  if (state.show === "diff") {
    const a = at(r.network.values[0]), b = at(r.network.values[1]);
    return `${name}\n${tr("tip")[0]} A ${fmt(a[0])}, B ${fmt(b[0])}, B − A ${fmt(b[0] - a[0])}`;
  }
  const v = at(r.network.values[Number(state.show)]);
  return `${name}\n` + tr("tip").map((t, f) => `${t}: ${fmt(v[f])}`).join("\n");
}

function renderNetwork() {
  const r = state.result;
  const svg = $("network");
  if (!r.network) { svg.innerHTML = ""; $("net-legend").innerHTML = ""; return; }
  const diffMode = state.show === "diff" && r.network.values.length > 1;
  const k = diffMode ? 1 : Number(state.show);
  const values = r.network.values[k][state.t];
  let diff = null, diffMax = 0;
  if (diffMode) {
    const a = r.network.values[0], b = r.network.values[1];
    diff = values.map((v, i) => b[state.t][i][0] - a[state.t][i][0]);
    // One scale for every quarter, so colours can be compared while playing.
    for (let t = 0; t < a.length; t++) for (let i = 0; i < a[t].length; i++) diffMax = Math.max(diffMax, Math.abs(b[t][i][0] - a[t][i][0]));
    diffMax = niceCeil(diffMax);
  }
  window.TKCharts.drawNetwork(svg, {
    nodes: r.network.nodes, values, diff, diffMax, lang: state.lang, describe: describeNode,
    onFocus: (i, x, y) => {
      const tip = $("tooltip");
      if (i === null) { tip.hidden = true; return; }
      tip.textContent = describeNode(i);
      tip.style.left = `${Math.min(x + 8, window.innerWidth - 260)}px`;
      tip.style.top = `${Math.min(y + 8, window.innerHeight - 170)}px`;
      tip.hidden = false;
    },
  });
  renderNetLegend(diffMode, diffMax, r.network.nodes.some(n => n.tile));
}

function niceCeil(x) {
  if (!(x > 0)) return 1;
  const mag = Math.pow(10, Math.floor(Math.log10(x)));
  return [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= x);
}

function renderNetLegend(diffMode, diffMax, geo) {
  const C = window.TKCharts;
  const box = $("net-legend");
  box.innerHTML = "";
  const item = (html, text) => {
    const s = document.createElement("span");
    s.className = "item";
    if (html) s.appendChild(html);
    s.append(text);
    box.appendChild(s);
    return s;
  };
  const lineKey = (color, dash, width) => {
    const sv = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    sv.setAttribute("width", 30); sv.setAttribute("height", 12); sv.setAttribute("aria-hidden", "true");
    sv.innerHTML = `<line x1="1" x2="29" y1="6" y2="6" stroke="${color}" stroke-width="${width}" stroke-dasharray="${dash}"/>`;
    return sv;
  };
  const sub = s => s.replace("{ok}", C.USAB_OK).replace("{low}", C.USAB_LOW);
  if (diffMode) {
    const lo = item(null, `−${diffMax} (${tr("keyLower")})`);
    lo.dataset.key = "diff-low";
    const g = document.createElement("span");
    g.className = "grad";
    g.style.background = `linear-gradient(90deg, ${[-1, -0.5, 0, 0.5, 1].map(t => C.divergingColor(t, 1)).join(", ")})`;
    item(g, "");
    item(null, `+${diffMax} (${tr("keyHigher")})`);
    item(null, tr("keyDiff"));
  } else {
    if (!geo) {
      item(lineKey("#e07b00", "none", 4), tr("keyUp"));
      item(lineKey("#6a3d9a", "none", 4), tr("keyDown"));
      item(lineKey("#555", "none", 2), sub(tr("keyOk")));
      item(lineKey("#555", "7 4", 2), sub(tr("keyPartial")));
      item(lineKey("#555", "2 3", 2), sub(tr("keyLow")));
      item(lineKey("#9aa5b1", "1 4", 1), tr("keyAbsent"));
    }
    item(lineKey("#0b7c86", "none", 3), tr("keyRing"));
    const g = document.createElement("span");
    g.className = "grad";
    g.style.background = `linear-gradient(90deg, ${C.collabColor(0)}, ${C.collabColor(50)}, ${C.collabColor(100)})`;
    item(null, tr("keyFill"));
    item(null, "0");
    item(g, "100");
  }
  if (geo) {
    item(null, tr("keyRegions"));
    for (const reg of C.REGION_ORDER) {
      const sw = document.createElement("span");
      sw.className = `swatch region-${reg}`;
      sw.style.background = { east: "#dbe9f6", central: "#fbe3c9", west: "#e4dcef", northeast: "#d7efe4" }[reg];
      item(sw, tr("regions")[reg]);
    }
  }
}

function renderCompare() {
  const r = state.result;
  const table = $("compare");
  table.innerHTML = "";
  const last = r.time.length - 1;
  $("compare-note").textContent = tr("replicatesNote").replace("{n}", r.replicates);
  const head = table.createTHead().insertRow();
  const cols = [tr("metric"), ...r.strategies.map((_, i) => `${letter(i)}: ${strategyName(i)}`)];
  if (r.compare) cols.push(tr("diff"));
  for (const c of cols) { const th = document.createElement("th"); th.scope = "col"; th.textContent = c; head.appendChild(th); }
  const body = table.createTBody();
  for (const m of r.metrics) {
    const row = body.insertRow();
    row.dataset.metric = m.id;
    const name = row.insertCell();
    name.textContent = metricName(m.id);
    name.title = unitName(m.unit);
    const vals = r.series.map(s => (s[m.id] ? s[m.id].mean[last] : null));
    const d = decimalsFor(vals, m.unit);
    vals.forEach((v, i) => {
      const td = row.insertCell();
      td.className = "num"; td.dataset.col = "ABCD"[i]; td.dataset.value = v;
      td.textContent = fmt(v, d);
    });
    if (r.compare) {
      const c = r.compare.metrics[m.id];
      const td = row.insertCell();
      const x = diffText(m, c.mean[last], c.ci95_low[last], c.ci95_high[last]);
      td.className = `num ${x.cls}`; td.dataset.col = "diff"; td.dataset.value = c.mean[last];
      const sym = document.createElement("span");
      sym.className = "sym"; sym.textContent = x.sym ?? "";
      if (x.what) { sym.title = x.what; sym.setAttribute("aria-label", x.what); }
      td.append(sym, " ", x.text);
    }
  }
}

// Earlier runs side by side: settings and the first plotted metric at the horizon.
function renderHistory() {
  const table = $("history");
  table.innerHTML = "";
  const sel = $("overlay");
  sel.innerHTML = "";
  sel.add(new Option(tr("none"), ""));
  const metric = state.charts[0];
  const cap = table.createCaption();
  cap.textContent = tr("histMetric").replace("{m}", state.result ? metricName(metric) : metric);
  const head = table.createTHead().insertRow();
  for (const c of tr("histCols")) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const h of [...state.history].reverse()) {
    const r = h.result, last = r.time.length - 1;
    const row = body.insertRow();
    row.dataset.run = h.n;
    const cell = t => { const td = row.insertCell(); td.textContent = t; return td; };
    cell(String(h.n));
    cell(pick(r.scenario, r.scenario_zh));
    cell(strategyName(0, r));
    cell(r.strategies.length > 1 ? strategyName(1, r) : "—");
    const changes = Object.entries(h.req.levers).map(([s, ls]) => `${s}: ` + Object.entries(ls).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", "));
    cell([`${tr("replicates")} ${r.replicates}, ${tr("years")} ${r.years}, ${tr("seed")} ${r.seed}`, ...(changes.length ? changes : [tr("defaults")])].join("; "));
    const m = metricDef(metric, r);
    const vals = r.series.map(s => (s[metric] ? s[metric].mean[last] : null));
    const d = m ? decimalsFor(vals, m.unit) : 2;
    const a = cell(fmt(vals[0], d)); a.className = "num";
    const b = cell(vals.length > 1 ? fmt(vals[1], d) : "—"); b.className = "num";
    const c = r.compare && r.compare.metrics[metric];
    const x = c && m ? diffText(m, c.mean[last], c.ci95_low[last], c.ci95_high[last]) : { text: "—", sym: "" };
    const td = cell(`${x.sym} ${x.text}`.trim());
    td.className = `num ${x.cls || ""}`;
    if (h.result !== state.result) sel.add(new Option(`${tr("runNo")} ${h.n}`, String(h.n)));
  }
  if (![...sel.options].some(o => o.value === state.overlay)) state.overlay = "";
  sel.value = state.overlay;
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
  document.title = tr("title");
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = tr(e.dataset.i18n);
  for (const e of document.querySelectorAll("[data-i18n-aria]")) e.setAttribute("aria-label", tr(e.dataset.i18nAria));
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  $("lang").lang = state.lang === "zh" ? "en" : "zh-CN";
  $("play").textContent = state.timer ? tr("pause") : tr("play");
  if ($("status").textContent && state.elapsed !== undefined) setStatusDone();
  if (!state.desc) return;
  fillPresetSelect();
  fillStrategySelects($("strat-a").value || state.desc.baseline, $("strat-b").value || state.desc.baseline);
  renderLevers();
  renderInfo();
  renderResult();
  renderHistory();
}

// ---- Play / Pause / Step ------------------------------------------------------

function stopPlay() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
  $("play").textContent = tr("play");
}

function tickMs() {
  return Math.round(500 / Number($("speed").value || 1));
}

function play() {
  if (!state.result) return;
  if (state.timer) { stopPlay(); return; }
  if (state.t >= state.result.time.length - 1) state.t = 0;
  state.timer = setInterval(() => {
    if (state.t >= state.result.time.length - 1) { stopPlay(); return; }
    state.t += 1;
    renderTime();
  }, tickMs());
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
  for (const id of ["strat-a", "strat-b"]) $(id).addEventListener("change", () => { renderLevers(); updateStale(); });
  for (const id of ["replicates", "years", "seed"]) $(id).addEventListener("input", updateStale);
  $("run").addEventListener("click", run);
  // Reset: the scenario's levers, strategies and run settings; results stay marked out of date until Run.
  $("reset").addEventListener("click", () => { setDescription(state.desc); });
  for (const f of ["csv", "xlsx", "html"]) $(`download-${f}`).addEventListener("click", () => download(f));
  $("play").addEventListener("click", play);
  $("step").addEventListener("click", step);
  $("speed").addEventListener("change", () => { if (state.timer) { stopPlay(); play(); } });
  $("time").addEventListener("input", e => { stopPlay(); state.t = Number(e.target.value); renderTime(); });
  $("net-strategy").addEventListener("change", e => { state.show = e.target.value; renderNetwork(); renderPlots(); });
  for (const box of document.querySelectorAll(".metric-pick")) {
    box.addEventListener("change", e => {
      state.charts[Number(e.target.closest(".chart-box").dataset.chart)] = e.target.value;
      renderPlots();
      renderHistory();
    });
  }
  $("overlay").addEventListener("change", e => { state.overlay = e.target.value; renderPlots(); });
  $("presenter").addEventListener("click", togglePresenter);
  document.addEventListener("keydown", e => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)) return;
    if (e.key === "p" || e.key === "P") { e.preventDefault(); togglePresenter(); }
  });
  let resize = null;
  window.addEventListener("resize", () => { clearTimeout(resize); resize = setTimeout(() => { if (state.result) renderTime(); }, 100); });
}

function togglePresenter() {
  const on = document.body.classList.toggle("presenter");
  $("presenter").setAttribute("aria-pressed", String(on));
  if (state.result) renderTime();
}

wire();
renderStatic();
loadPresets().catch(showError);

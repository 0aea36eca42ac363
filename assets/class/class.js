// Role-play pages (docs/classroom.md, "Role-play"): the student page
// (/class) and the teacher's console (/class/teacher). Plain JavaScript,
// no remote resources; both poll the JSON API every two seconds.
"use strict";

const T = {
  en: {
    title: "Role-play", join: "Join the class", code: "Join code", name: "Your name", join_btn: "Join",
    platform: "Platform", as_strategy: "as the class strategy", own: "build our own",
    joinp: "join the province's platform", share: "Share data through the data agency",
    yes_share: "yes, share with all levels and departments", no_share: "no, keep our data",
    standard: "Standard our platforms adopt", std_none: "our own (none)", std_prov: "the provincial standard",
    std_nat: "the national (line) standard", transfer: "Ask the province for a transfer",
    ready_btn: "Save and Ready", unready_btn: "Not ready", own_results: "Your results",
    class_results: "The whole class", year: (y, n) => `Year ${y} of ${n}`, ended: "The session has ended",
    ready: "Ready ✓", not_ready: "not ready yet", points: (u, b) => `Points: ${u} of ${b}`,
    collab: "Collaboration index", flow_down: "Data flowing down", flow_up: "Data flowing up",
    sharing: "Sharing between departments", cost: "Cost (million yuan)", maturity: "Maturity",
    players_ready: (r, n) => `${r} of ${n} ready`, class_collab: "Class collaboration index by year",
    sharers: "Students sharing", console: "Role-play — teacher's console", advance: "Advance one year",
    reset: "Reset", end: "End", open: "Students open", with_code: "with the code", map: "Units",
    colour_by: "Colour by", trajectory: "Class against the strategies", metric: "Metric",
    roles: "Roles and choices", debrief: "Debrief", who_shared: "Who shared, who free-rode",
    where_stopped: "Where data stopped flowing", downloads: "Downloads:", role: "Role", kind: "Kind",
    player: "Student", choice: "Choice", strategy: "Strategy", diff: "Class − strategy (95% interval)",
    class: "Class", shared: "Rounds shared", played: "Rounds played", points_spent: "Points spent",
    free_rider: "Free-rider", level: "Level", units: "Units", stopped: "Least data flowing down: ",
    better: "better", worse: "worse", same: "no clear difference", unit: "Unit", you: "You play",
    confirm_reset: "Reset the session to year 0?", confirm_end: "End the session?",
    kinds: { province: "province government (kuai)", city: "city government (kuai)", line: "department line (tiao)" },
    levels: { province: "province", city: "city", county: "county", township: "township" },
    none: "—", yes: "yes", no: "no", lang: "中文",
    timer: "Round timer (s)", timer_set: "Start", timer_stop: "Stop", exports: "Workbook and report:",
    left: (s) => `⏱ ${s} left`,
    copy: "Copy a neighbour's innovation", no_copy: "no copy this year",
    copy_none: "No neighbour has an innovation yours lack yet.", to_copy: (n) => `${n} to copy`,
    copy_from: "copy from", who_copied: "Who copied whom", copied_from: "Copied from (year: role)",
    copied: "Innovations copied", innovations: "Innovations held",
    innovations_short: "Innovations", copied_n: (n) => `${n} copied`,
  },
  zh: {
    title: "角色扮演", join: "加入课堂", code: "加入码", name: "你的名字", join_btn: "加入",
    platform: "平台", as_strategy: "沿用课堂默认策略", own: "自建平台", joinp: "接入省级平台",
    share: "通过数据管理机构共享数据", yes_share: "共享：向各层级各部门开放", no_share: "不共享：保留本地数据",
    standard: "平台采用的标准", std_none: "自有标准（不统一）", std_prov: "省级标准", std_nat: "国家（条线）标准",
    transfer: "向省里申请转移支付", ready_btn: "保存并就绪", unready_btn: "取消就绪", own_results: "你的结果",
    class_results: "全班情况", year: (y, n) => `第 ${y} 年 / 共 ${n} 年`, ended: "本场已结束",
    ready: "已就绪 ✓", not_ready: "尚未就绪", points: (u, b) => `点数：已用 ${u} / 共 ${b}`,
    collab: "协同指数", flow_down: "向下数据流", flow_up: "向上数据流", sharing: "部门间共享",
    cost: "成本（百万元）", maturity: "成熟度", players_ready: (r, n) => `${r} / ${n} 已就绪`,
    class_collab: "全班协同指数（逐年）", sharers: "参与共享的学生", console: "角色扮演 — 教师控制台",
    advance: "推进一年", reset: "重置", end: "结束", open: "学生打开", with_code: "输入加入码", map: "单位",
    colour_by: "着色指标", trajectory: "全班与各策略对比", metric: "指标", roles: "角色与选择",
    debrief: "复盘", who_shared: "谁在共享，谁在搭便车", where_stopped: "数据在哪里停止流动",
    downloads: "下载：", role: "角色", kind: "类型", player: "学生", choice: "选择", strategy: "策略",
    diff: "全班 − 策略（95%区间）", class: "全班", shared: "共享轮数", played: "参与轮数",
    points_spent: "已用点数", free_rider: "搭便车", level: "层级", units: "单位数",
    stopped: "向下数据流最少的单位：", better: "更好", worse: "更差", same: "无明显差别", unit: "单位",
    you: "你扮演", confirm_reset: "将本场重置到第0年？", confirm_end: "结束本场？",
    kinds: { province: "省政府（块）", city: "市政府（块）", line: "部门条线（条）" },
    levels: { province: "省", city: "市", county: "县", township: "乡镇" },
    none: "—", yes: "是", no: "否", lang: "English",
    timer: "本轮计时（秒）", timer_set: "开始", timer_stop: "停止", exports: "工作簿与报告：",
    left: (s) => `⏱ 剩余 ${s}`,
    copy: "借鉴邻近地区的创新", no_copy: "本年不借鉴", copy_none: "暂无可借鉴的创新（邻近地区的创新你们都已采用）。",
    to_copy: (n) => `可借鉴 ${n} 项`, copy_from: "借鉴自", who_copied: "谁借鉴了谁",
    copied_from: "借鉴对象（年：角色）", copied: "借鉴的创新", innovations: "已采用的创新",
    innovations_short: "创新", copied_n: (n) => `借鉴 ${n}`,
  },
};

let lang = localStorage.getItem("tk-class-lang") || "en";
const $ = (id) => document.getElementById(id);
const t = (k, ...a) => { const v = T[lang][k]; return typeof v === "function" ? v(...a) : v; };
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
const fmt = (x, d = 2) => (x === null || x === undefined || !isFinite(x) ? "—" : Number(x).toFixed(d));

function applyLang() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  $("lang").textContent = t("lang");
}

async function api(path, body) {
  const opt = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(path, opt);
  const j = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  if (!r.ok) { const e = new Error(j.error + (j.suggestion ? ` — ${j.suggestion}` : "")); e.status = r.status; throw e; }
  return j;
}
function showError(e) { $("error").textContent = e ? e.message || String(e) : ""; }

// The round timer: the server says how long is left at each poll; the
// page counts down between polls (the server advances, not the page).
const timerState = { end: null };
function setTimer(timer) {
  timerState.end = timer && timer.left_ms !== null && timer.left_ms !== undefined ? Date.now() + timer.left_ms : null;
  showTimer();
}
function showTimer() {
  const el = $("timer");
  if (!el) return;
  if (timerState.end === null) { el.textContent = ""; return; }
  const s = Math.max(0, Math.ceil((timerState.end - Date.now()) / 1000));
  el.textContent = t("left", `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`);
}
setInterval(showTimer, 500);

// ---------------------------------------------------------------- student
const S = { token: localStorage.getItem("tk-class-token"), me: null, dirty: false };

function choiceFromForm(levers) {
  const c = {};
  if (levers.includes("platform") && $("platform").value) c.platform = $("platform").value;
  if (levers.includes("share") && $("share").value) c.share = $("share").value === "true";
  if (levers.includes("standard") && $("standard").value) c.standard = $("standard").value;
  if (levers.includes("transfer") && $("transfer").checked) c.transfer = true;
  if (levers.includes("copy") && $("copy").value) c.copy = $("copy").value;
  return c;
}
function cost(c, costs) {
  return (c.platform === "own" ? costs.platform_own : c.platform === "join" ? costs.platform_join : 0)
    + (c.share === true ? costs.share : 0) + (c.standard && c.standard !== "none" ? costs.standard : 0)
    + (c.transfer ? costs.transfer : 0) + (c.copy ? costs.copy : 0);
}
// The roles this one can copy from (most to copy first), keeping the choice in force listed.
function renderCopyOptions(m) {
  const sel = $("copy"), keep = S.dirty ? sel.value : (m.choice.copy || "");
  const opts = m.copy_from.map((o) => [o.id, `${lang === "zh" && o.name_zh ? o.name_zh : o.name} (${t("to_copy", o.innovations)})`]);
  if (keep && !opts.some(([id]) => id === keep)) opts.push([keep, keep]);
  sel.innerHTML = `<option value="">${esc(t("no_copy"))}</option>` + opts.map(([id, label]) => `<option value="${esc(id)}">${esc(label)}</option>`).join("");
  sel.value = keep;
  $("copy-none").hidden = !m.role.levers.includes("copy") || m.copy_from.length > 0;
}
function renderStudent() {
  const m = S.me;
  if (!m) return;
  $("join-box").hidden = true;
  for (const id of ["play", "own", "classwide"]) $(id).hidden = false;
  const r = m.role;
  $("who").textContent = `${m.name} — ${lang === "zh" && r.name_zh ? r.name_zh : r.name}`;
  $("role-desc").textContent = `${t("you")}: ${T[lang].kinds[r.kind]} · ${r.units.join(", ")}`;
  $("year").textContent = m.ended ? t("ended") : t("year", m.year, m.years);
  $("ready-state").innerHTML = m.ready ? `<span class="ok">${t("ready")}</span>` : t("not_ready");
  for (const el of document.querySelectorAll("[data-lever]")) el.hidden = !r.levers.includes(el.dataset.lever);
  if (!S.dirty) {
    $("platform").value = m.choice.platform || "";
    $("share").value = m.choice.share === undefined || m.choice.share === null ? "" : String(m.choice.share);
    $("standard").value = m.choice.standard || "";
    $("transfer").checked = !!m.choice.transfer;
  }
  renderCopyOptions(m);
  const used = cost(choiceFromForm(r.levers), m.costs);
  $("points").textContent = t("points", used, r.budget);
  $("ready").disabled = m.ended || used > r.budget;
  setTimer(m.timer);
  const o = m.own || {};
  $("own-kpi").innerHTML = ["collab", "flow_down", "flow_up", "sharing", "cost"].map((k) =>
    `<div>${t(k)}<b>${fmt(o[k], k === "collab" || k === "cost" ? 1 : 2)}</b></div>`).join("");
  $("own-units").innerHTML = `<tr><th>${t("unit")}</th><th class="num">${t("collab")}</th><th>${t("platform")}</th><th class="num">${t("innovations_short")}</th></tr>` +
    m.units.slice(0, 8).map((u) => `<tr><td>${esc(lang === "zh" ? u.name_zh : u.name_en)}</td><td class="num">${fmt(u.collab, 1)}</td><td>${esc(u.platform)}</td><td class="num">${u.innovations}${u.copied ? ` (${t("copied_n", u.copied)})` : ""}</td></tr>`).join("");
  const path = m.class_collab || [];
  $("class-kpi").innerHTML = `<div>${t("class_collab")}<b>${path.map((x) => fmt(x, 1)).join(" → ")}</b></div>` +
    `<div>${t("players_ready", m.ready_count, m.players)}<b>${m.ready_count}/${m.players}</b></div>` +
    `<div>${t("sharers")}<b>${m.class_sharers}</b></div>`;
}
async function refreshStudent() {
  if (!S.token) return;
  try { S.me = await api(`/api/class/me?token=${encodeURIComponent(S.token)}`); showError(null); renderStudent(); }
  catch (e) {
    if (e.status === 403) { // the session no longer knows this device: rejoin by name and code
      S.token = null; localStorage.removeItem("tk-class-token");
      if (localStorage.getItem("tk-class-name")) await joinClass(localStorage.getItem("tk-class-code"), localStorage.getItem("tk-class-name"));
    } else showError(e);
  }
}
async function joinClass(code, name) {
  try {
    const j = await api("/api/class/join", { code, name });
    S.token = j.token;
    localStorage.setItem("tk-class-token", j.token);
    localStorage.setItem("tk-class-code", code);
    localStorage.setItem("tk-class-name", j.name);
    showError(null);
    await refreshStudent();
  } catch (e) { showError(e); }
}
async function sendChoice(ready) {
  try {
    await api("/api/class/choose", { token: S.token, choice: choiceFromForm(S.me.role.levers), ready });
    S.dirty = false; showError(null); await refreshStudent();
  } catch (e) { showError(e); }
}
function initStudent() {
  api("/api/class").then((p) => { $("scenario").textContent = `${lang === "zh" ? p.name_zh : p.name}`; }).catch(showError);
  $("code").value = localStorage.getItem("tk-class-code") || new URLSearchParams(location.search).get("code") || "";
  $("name").value = localStorage.getItem("tk-class-name") || "";
  $("join").onclick = () => joinClass($("code").value.trim(), $("name").value.trim());
  for (const id of ["platform", "share", "standard", "transfer", "copy"]) $(id).onchange = () => { S.dirty = true; renderStudent(); };
  $("ready").onclick = () => sendChoice(true);
  $("unready").onclick = async () => { try { await api("/api/class/ready", { token: S.token, ready: false }); await refreshStudent(); } catch (e) { showError(e); } };
  if (S.token) refreshStudent();
  else if (localStorage.getItem("tk-class-name") && localStorage.getItem("tk-class-code")) joinClass(localStorage.getItem("tk-class-code"), localStorage.getItem("tk-class-name"));
  setInterval(refreshStudent, 2000);
}

// ---------------------------------------------------------------- teacher
const TT = { token: location.hash.slice(1), data: null };

function choiceText(c) {
  if (!c) return t("none");
  const parts = [];
  if (c.platform) parts.push(c.platform === "own" ? t("own") : t("joinp"));
  if (c.share !== undefined && c.share !== null) parts.push(c.share ? t("yes_share").split(/[,：:]/)[0] : t("no_share").split(/[,：:]/)[0]);
  if (c.standard) parts.push(`${t("standard")}: ${c.standard}`);
  if (c.transfer) parts.push(t("transfer"));
  if (c.copy) parts.push(`${t("copy_from")} ${c.copy}`);
  return parts.length ? parts.join("; ") : t("as_strategy");
}
function colour(v, lo, hi) {
  const x = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  const l = 92 - 62 * Math.max(0, Math.min(1, x));
  return [`hsl(140, 45%, ${l}%)`, l < 55];
}
function renderTiles(d) {
  const key = $("metric").value;
  const units = d.results.units;
  const provinces = units.filter((u) => u.level === "province");
  const shown = provinces.length > 1 ? provinces : units.filter((u) => u.level === "city" || u.level === "province");
  const vals = shown.map((u) => u[key]).filter(isFinite);
  const lo = Math.min(...vals), hi = Math.max(...vals);
  $("tiles").innerHTML = shown.map((u) => {
    const [bg, dark] = colour(u[key], lo, hi);
    return `<div class="tile${dark ? " dark" : ""}" style="background:${bg}" title="${esc(u.id)} ${esc(u.role || "")}: ${fmt(u[key], 3)}">${esc(lang === "zh" ? u.name_zh : u.name_en)}<br><b>${fmt(u[key], key === "collab" || key === "maturity" ? 1 : 2)}</b></div>`;
  }).join("");
  $("legend").textContent = `${t(key)}: ${fmt(lo, 2)} (pale) – ${fmt(hi, 2)} (dark) · ${t("year", d.results.year, d.results.years)}`;
}
function renderChart(d) {
  const r = d.results;
  const m = Math.max(0, r.metrics.findIndex((x) => x.id === $("traj-metric").value));
  const series = [{ name: t("class"), path: r.class_path.map((y) => y[m]), colour: "#c0392b", width: 3 }]
    .concat(r.strategies.map((s, i) => ({ name: lang === "zh" && s.name_zh ? s.name_zh : s.name, path: s.path.map((y) => y[m]), colour: ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"][i % 5], width: 1.5, dash: "5 3" })));
  const all = series.flatMap((s) => s.path).filter(isFinite);
  const lo = Math.min(...all), hi = Math.max(...all) + 1e-9;
  const W = 460, H = 220, L = 46, B = 24;
  const x = (i) => L + (i / Math.max(1, r.years)) * (W - L - 110);
  const y = (v) => H - B - ((v - lo) / (hi - lo)) * (H - B - 10);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img">`;
  svg += `<text x="4" y="14">${fmt(hi, 1)}</text><text x="4" y="${H - B}">${fmt(lo, 1)}</text>`;
  for (let i = 0; i <= r.years; i++) svg += `<text x="${x(i) - 4}" y="${H - 6}">${i}</text>`;
  series.forEach((s, k) => {
    const pts = s.path.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    svg += `<polyline fill="none" stroke="${s.colour}" stroke-width="${s.width}" ${s.dash ? `stroke-dasharray="${s.dash}"` : ""} points="${pts}"/>`;
    svg += `<text x="${W - 104}" y="${16 + 16 * k}" style="fill:${s.colour}">${esc(s.name)}</text>`;
  });
  $("chart").innerHTML = svg + "</svg>";
  const rows = r.comparisons.filter((c) => c.metric === r.metrics[m].id);
  $("compare").innerHTML = `<tr><th>${t("strategy")}</th><th class="num">${t("class")}</th><th class="num">${t("strategy")}</th><th class="num">${t("diff")}</th><th></th></tr>` +
    rows.map((c) => `<tr><td>${esc(c.strategy)}</td><td class="num">${fmt(c.class_mean)}</td><td class="num">${fmt(c.strategy_mean)}</td><td class="num">${fmt(c.diff)} [${fmt(c.ci95_low)}, ${fmt(c.ci95_high)}]</td><td class="${c.verdict}">${t(c.verdict)}</td></tr>`).join("");
}
function renderTeacher() {
  const d = TT.data;
  if (!d) return;
  $("join-url").textContent = d.join_url;
  $("code").textContent = d.code;
  $("year").textContent = d.ended ? t("ended") : t("year", d.year, d.years);
  const ready = d.roles.filter((r) => r.ready).length;
  $("ready-count").textContent = t("players_ready", ready, d.players.length);
  $("advance").disabled = d.ended || d.advancing;
  const sel = $("traj-metric");
  if (!sel.options.length) for (const m of d.results.metrics) sel.add(new Option(lang === "zh" ? m.name_zh : m.name_en, m.id));
  renderTiles(d);
  renderChart(d);
  const res = new Map(d.results.roles.map((r) => [r.id, r]));
  $("roles").innerHTML = `<tr><th>${t("role")}</th><th>${t("kind")}</th><th>${t("player")}</th><th>✓</th><th>${t("choice")}</th><th class="num">${t("collab")}</th></tr>` +
    d.roles.map((r) => `<tr data-role="${esc(r.id)}"><td>${esc(lang === "zh" && r.name_zh ? r.name_zh : r.name)}</td><td>${T[lang].kinds[r.kind]}</td><td>${esc(r.player || "—")}</td><td>${r.ready ? "✓" : ""}</td><td>${esc(r.player ? choiceText(r.choice) : d.class_strategy)}</td><td class="num">${fmt(res.get(r.id)?.collab, 1)}</td></tr>`).join("");
  $("sharers").innerHTML = `<tr><th>${t("role")}</th><th>${t("player")}</th><th class="num">${t("shared")}</th><th class="num">${t("played")}</th><th class="num">${t("points_spent")}</th><th class="num">${t("flow_down")}</th><th>${t("free_rider")}</th></tr>` +
    d.results.roles.filter((r) => r.player).map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.player)}</td><td class="num">${r.rounds_shared}</td><td class="num">${r.rounds_played}</td><td class="num">${r.points_spent}</td><td class="num">${fmt(r.flow_down)}</td><td class="${r.free_rider ? "worse" : ""}">${r.free_rider ? t("yes") : t("no")}</td></tr>`).join("");
  const copiers = d.results.roles.filter((r) => r.choices.some((c) => c && c.copy));
  $("copiers").innerHTML = `<tr><th>${t("role")}</th><th>${t("player")}</th><th>${t("copied_from")}</th><th class="num">${t("copied")}</th><th class="num">${t("innovations")}</th></tr>` +
    copiers.map((r) => `<tr><td>${esc(r.id)}</td><td>${esc(r.player || "—")}</td><td>${r.choices.map((c, y) => (c && c.copy ? `${y + 1}: ${esc(c.copy)}` : "")).filter(Boolean).join(", ")}</td><td class="num">${r.copied}</td><td class="num">${r.innovations}</td></tr>`).join("");
  $("levels").innerHTML = `<tr><th>${t("level")}</th><th class="num">${t("units")}</th><th class="num">${t("flow_up")}</th><th class="num">${t("flow_down")}</th><th class="num">${t("sharing")}</th></tr>` +
    d.results.levels.map((l) => `<tr><td>${T[lang].levels[l.level]}</td><td class="num">${l.units}</td><td class="num">${fmt(l.flow_up)}</td><td class="num">${fmt(l.flow_down)}</td><td class="num">${fmt(l.sharing)}</td></tr>`).join("");
  $("stopped").textContent = t("stopped") + d.results.stopped.join(", ");
  for (const f of ["choices", "trajectory", "comparison"]) $(`dl-${f}`).href = `/api/class/export/${f}.csv?token=${encodeURIComponent(TT.token)}`;
  $("dl-session").href = `/api/class/export/session.json?token=${encodeURIComponent(TT.token)}`;
  for (const [id, f] of [["workbook", "workbook.xlsx"], ["workbook-zh", "workbook.zh.xlsx"], ["report", "report.html"], ["report-zh", "report.zh.html"]])
    $(`dl-${id}`).href = `/api/class/export/${f}?token=${encodeURIComponent(TT.token)}`;
  setTimer(d.timer);
  if (d.timer && d.timer.seconds && document.activeElement !== $("timer-seconds")) $("timer-seconds").value = d.timer.seconds;
}
async function refreshTeacher() {
  try { TT.data = await api(`/api/class/teacher?token=${encodeURIComponent(TT.token)}`); showError(null); renderTeacher(); }
  catch (e) { showError(e); }
}
async function teacherAction(what) {
  if (what === "reset" && !confirm(t("confirm_reset"))) return;
  if (what === "end" && !confirm(t("confirm_end"))) return;
  $("advance").disabled = true;
  try { await api(`/api/class/${what}`, { token: TT.token }); await refreshTeacher(); }
  catch (e) { showError(e); await refreshTeacher(); }
}
function initTeacher() {
  $("advance").onclick = () => teacherAction("advance");
  $("reset").onclick = () => teacherAction("reset");
  $("end").onclick = () => teacherAction("end");
  const timer = async (seconds) => {
    try { await api("/api/class/timer", { token: TT.token, seconds }); await refreshTeacher(); } catch (e) { showError(e); }
  };
  $("timer-set").onclick = () => timer(Number($("timer-seconds").value));
  $("timer-stop").onclick = () => timer(null);
  $("metric").onchange = () => renderTeacher();
  $("traj-metric").onchange = () => renderTeacher();
  refreshTeacher();
  setInterval(refreshTeacher, 2000);
}

$("lang").onclick = () => {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem("tk-class-lang", lang);
  applyLang();
  if (document.body.dataset.page === "teacher") { $("traj-metric").innerHTML = ""; renderTeacher(); } else renderStudent();
};
applyLang();
if (document.body.dataset.page === "teacher") initTeacher(); else initStudent();

// Plain-SVG drawing for the classroom page: line charts with a replicate
// band, and the network view of the government. No libraries, no network.
//
// Both are drawn in screen pixels (the viewBox is the element's own size),
// so the font sizes set in style.css are the sizes the audience sees.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function clear(svg) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
}

// Round "nice" tick values covering [lo, hi].
// At most a dozen ticks, whatever the range (a flat line gets one).
function ticks(lo, hi, n) {
  if (!(hi > lo)) { hi = lo + 1; }
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || raw;
  const out = [];
  const first = Math.ceil(lo / step);
  for (let k = 0; k < 12; k++) {
    const v = (first + k) * step;
    if (v > hi + step * 1e-9) break;
    out.push(+v.toPrecision(12));
  }
  return out;
}

// Width of the element in CSS pixels (a fallback when it is not laid out).
function widthOf(svg, fallback) {
  const w = svg.getBoundingClientRect().width;
  return w > 50 ? Math.round(w) : fallback;
}

// Set a text, shortened with "…" when it is wider than `max` pixels (the full text as its tooltip).
function fitText(t, text, max) {
  t.textContent = text;
  if (!t.getComputedTextLength || t.getComputedTextLength() <= max) return;
  el("title", {}, t).textContent = text;
  let n = text.length;
  while (n > 1 && t.getComputedTextLength() > max) { n--; t.firstChild.textContent = text.slice(0, n) + "…"; }
}

// A line chart. spec: {title, xTitle, yTitle, lines: [{label, color, dash, width, mean, lo, hi}],
// xLabels, upto (last time index drawn: the plot grows as the quarters play), cursor, zero}.
// The y range covers every value of every line (also those not drawn yet), so axes stay put.
function lineChart(svg, spec) {
  clear(svg);
  const W = widthOf(svg, 420), H = Math.max(220, Math.min(300, Math.round(W * 0.55)));
  const R = 14, T = 32, B = 50;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("height", H);
  const title = el("text", { x: 8, y: 22, class: "chart-title" }, svg);
  fitText(title, spec.title, W - 16);
  const n = spec.xLabels.length;
  const upto = Math.min(n - 1, spec.upto ?? n - 1);
  let lo = Infinity, hi = -Infinity;
  for (const l of spec.lines) {
    for (const arr of [l.mean, l.lo || [], l.hi || []]) {
      for (const v of arr) if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (spec.zero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (!spec.zero && lo > 0 && lo < (hi - lo)) lo = 0;
  // A flat line (or one that differs only in rounding noise) gets a range around its value.
  if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi), Math.abs(lo))) { const m = (hi + lo) / 2, h = Math.max(Math.abs(m) * 0.05, 0.01); lo = m - h; hi = m + h; }
  const pad = (hi - lo) * 0.05;
  lo -= lo === 0 ? 0 : pad; hi += pad;
  // Room on the left for the longest tick label (about 9 px a digit at 14 px) and the axis title.
  const tickLabels = ticks(lo, hi, 4).map(t => String(+t.toPrecision(4)));
  const L = Math.max(76, 40 + 9 * Math.max(...tickLabels.map(t => t.length)));
  const x = i => L + (W - L - R) * (n > 1 ? i / (n - 1) : 0.5);
  const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  for (const t of ticks(lo, hi, 4)) {
    el("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), class: t === 0 && spec.zero ? "zero" : "grid" }, svg);
    el("text", { x: L - 6, y: y(t) + 5, class: "tick", "text-anchor": "end" }, svg).textContent = +t.toPrecision(4);
  }
  // Year labels, thinned so that they never run into each other.
  const years = spec.xLabels.map((lab, i) => [lab, i]).filter(([lab]) => lab !== null);
  const every = Math.max(1, Math.ceil(years.length * 34 / (W - L - R)));
  years.forEach(([lab, i], k) => {
    if (k % every && k !== years.length - 1) return;
    el("line", { x1: x(i), x2: x(i), y1: H - B, y2: H - B + 4, class: "axis" }, svg);
    el("text", { x: x(i), y: H - B + 19, class: "tick", "text-anchor": "middle" }, svg).textContent = lab;
  });
  el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }, svg);
  el("text", { x: L + (W - L - R) / 2, y: H - 6, class: "axis-title", "text-anchor": "middle" }, svg).textContent = spec.xTitle || "";
  const yt = el("text", { x: 22, y: T + (H - T - B) / 2, class: "axis-title", "text-anchor": "middle",
    transform: `rotate(-90 22 ${T + (H - T - B) / 2})` }, svg);
  fitText(yt, spec.yTitle || "", H - T - B);
  for (const l of spec.lines) {
    if (l.lo && l.hi) {
      const up = [], down = [];
      for (let i = 0; i <= upto; i++) {
        if (l.lo[i] === null || l.hi[i] === null || l.lo[i] === undefined) continue;
        up.push(`${x(i).toFixed(1)},${y(l.hi[i]).toFixed(1)}`);
        down.unshift(`${x(i).toFixed(1)},${y(l.lo[i]).toFixed(1)}`);
      }
      if (up.length) el("polygon", { points: up.concat(down).join(" "), fill: l.color, class: "band" }, svg);
    }
  }
  for (const l of spec.lines) {
    let d = "", pen = false;
    for (let i = 0; i <= upto && i < l.mean.length; i++) {
      const v = l.mean[i];
      if (v === null || v === undefined) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    el("path", { d, stroke: l.color, class: "line", "stroke-width": l.width || 2.5,
      "stroke-dasharray": l.dash || "none", "data-label": l.label }, svg);
  }
  if (spec.cursor !== undefined && spec.cursor !== null) {
    el("line", { x1: x(spec.cursor), x2: x(spec.cursor), y1: T, y2: H - B, class: "cursor" }, svg);
  }
}

// An HTML legend for a chart: a short line of each line's colour and dash, then its label.
function legend(box, lines) {
  box.innerHTML = "";
  for (const l of lines) {
    const item = document.createElement("span");
    item.className = "item";
    const sw = el("svg", { width: 28, height: 12, "aria-hidden": "true" });
    el("line", { x1: 1, x2: 27, y1: 6, y2: 6, stroke: l.color, "stroke-width": 3, "stroke-dasharray": l.dash || "none" }, sw);
    item.appendChild(sw);
    item.append(l.label);
    box.appendChild(item);
  }
}

// Colour of a collaboration value 0-100: pale yellow to deep green.
function collabColor(v) {
  const t = Math.max(0, Math.min(1, (v || 0) / 100));
  const a = [255, 247, 188], b = [0, 104, 55];
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * Math.pow(t, 0.8)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// Diverging, colour-blind-safe scale for B − A (ColorBrewer PuOr): orange where
// B is lower, white at 0, purple where B is higher; d in [-max, max].
const PUOR = [[179, 88, 6], [241, 163, 64], [254, 224, 182], [247, 247, 247], [216, 218, 235], [153, 142, 195], [84, 39, 136]];
function divergingColor(d, max) {
  const t = Math.max(-1, Math.min(1, max > 0 ? d / max : 0));
  const pos = (t + 1) / 2 * (PUOR.length - 1);
  const i = Math.min(PUOR.length - 2, Math.floor(pos)), f = pos - i;
  const c = PUOR[i].map((x, j) => Math.round(x + (PUOR[i + 1][j] - x) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const LEVEL_ROW = { province: 0, city: 1, county: 2, township: 3 };
// Radii in screen pixels; the smallest node is 10 px across.
const LEVEL_R = { province: 15, city: 10, county: 7, township: 5 };
const REGION_ORDER = ["east", "central", "west", "northeast"];

// Thresholds of the link styles (cross-system usability of the link's lower end):
// solid at or above USAB_OK, dashed below it, dotted below USAB_LOW; a link with
// (almost) no flow either way is drawn as a thin grey dotted line.
const USAB_OK = 0.8, USAB_LOW = 0.7, FLOW_ABSENT = 0.05;
function linkStyle(v) {
  if (v[1] < FLOW_ABSENT && v[2] < FLOW_ABSENT) return "absent";
  if (v[4] < USAB_LOW) return "low";
  if (v[4] < USAB_OK) return "partial";
  return "ok";
}
const DASH = { ok: "none", partial: "7 4", low: "2 3", absent: "1 4" };

// Node positions: one row per level, children ordered under their parents;
// a crowded row is split into two staggered rows so that no two nodes overlap.
function layoutRows(nodes, W, H) {
  const rows = [[], [], [], []];
  nodes.forEach((n, i) => rows[LEVEL_ROW[n.level] ?? 3].push(i));
  const pos = new Array(nodes.length);
  const used = rows.filter(r => r.length);
  const rowY = {};
  used.forEach((r, k) => { rowY[LEVEL_ROW[nodes[r[0]].level]] = 28 + (H - 56) * (used.length > 1 ? k / (used.length - 1) : 0.5); });
  for (const r of rows) {
    if (!r.length) continue;
    r.sort((a, b) => {
      const pa = nodes[a].parent, pb = nodes[b].parent;
      const xa = pa === null ? 0 : pos[pa][0], xb = pb === null ? 0 : pos[pb][0];
      return xa - xb || a - b;
    });
    const rad = LEVEL_R[nodes[r[0]].level] || 5;
    const gap = (W - 40) / Math.max(1, r.length - 1);
    const stagger = r.length > 1 && gap < 2 * rad + 3 ? rad + 3 : 0;
    r.forEach((i, k) => {
      const y0 = rowY[LEVEL_ROW[nodes[i].level] ?? 3];
      pos[i] = [20 + (W - 40) * (r.length > 1 ? k / (r.length - 1) : 0.5), y0 + (k % 2 ? stagger : -stagger)];
    });
  }
  return pos;
}

// The china preset: provinces on a tile-grid map, grouped by region; the
// aggregated cities and counties of a province sit inside its tile.
function layoutTiles(nodes, W) {
  const tiles = nodes.filter(n => n.tile);
  const cols = Math.max(...tiles.map(n => n.tile[0])) + 1, rows = Math.max(...tiles.map(n => n.tile[1])) + 1;
  const size = Math.min(Math.floor((W - 20) / cols), 78);
  const H = rows * size + 20;
  const x0 = (W - cols * size) / 2;
  const pos = new Array(nodes.length);
  const box = new Array(nodes.length);
  nodes.forEach((n, i) => {
    if (!n.tile) return;
    box[i] = [x0 + n.tile[0] * size, 10 + n.tile[1] * size, size];
    pos[i] = [box[i][0] + size / 2, box[i][1] + size * 0.34];
  });
  // Children (aggregated city and county nodes) below the province's own circle.
  const depth = i => { let d = 0; for (let p = nodes[i].parent; p !== null && !nodes[p].tile; p = nodes[p].parent) d++; return d; };
  const tileOf = i => { let p = i; while (p !== null && !nodes[p].tile) p = nodes[p].parent; return p; };
  nodes.forEach((n, i) => {
    if (n.tile) return;
    const t = tileOf(i);
    if (t === null || t === undefined) { pos[i] = [10, 10]; return; }
    const [bx, by, s] = box[t];
    const d = depth(i);
    pos[i] = [bx + s * (d === 0 ? 0.3 : 0.7), by + s * 0.74];
  });
  return { pos, box, H, size };
}

// The network view at one time point. view: {nodes, values, diff (B − A values or null),
// diffMax, lang, describe(i) -> text, onFocus(i, x, y)}.
// values[node] = [collab, up, down, share, usab, maturity].
function drawNetwork(svg, view) {
  clear(svg);
  const { nodes, values } = view;
  const W = widthOf(svg, 900);
  const geo = nodes.some(n => n.tile);
  let pos, H, tiles = null;
  if (geo) { tiles = layoutTiles(nodes, W); pos = tiles.pos; H = tiles.H; } else {
    H = Math.max(260, Math.min(380, Math.round(W * 0.4)));
    pos = layoutRows(nodes, W, H);
  }
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("height", H);
  if (tiles) {
    const g = el("g", { class: "tiles" }, svg);
    nodes.forEach((n, i) => {
      if (!tiles.box[i]) return;
      const [bx, by, s] = tiles.box[i];
      el("rect", { x: bx + 1, y: by + 1, width: s - 2, height: s - 2, rx: 4, class: `tile region-${n.region}` }, g);
      el("text", { x: bx + 4, y: by + 14, class: "tile-label" }, g).textContent = view.lang === "zh" ? n.name_zh.slice(0, 3) : n.name_en.slice(0, 5);
    });
  }
  const links = el("g", { class: "links" }, svg);
  nodes.forEach((n, i) => {
    if (n.parent === null || tiles) return;
    const [x1, y1] = pos[i], [x2, y2] = pos[n.parent];
    const v = values[i];
    const style = linkStyle(v);
    if (view.diff || style === "absent") {
      el("line", { x1, y1, x2, y2, class: `link ${style}`, "stroke-dasharray": DASH[style] }, links);
      return;
    }
    // Up: child to parent, left of the pair; down: parent to child, right.
    el("line", { x1: x1 - 2.5, y1, x2: x2 - 2.5, y2, class: `up ${style}`, "stroke-width": (0.8 + 4 * v[1]).toFixed(2), "stroke-dasharray": DASH[style] }, links);
    el("line", { x1: x1 + 2.5, y1, x2: x2 + 2.5, y2, class: `down ${style}`, "stroke-width": (0.8 + 4 * v[2]).toFixed(2), "stroke-dasharray": DASH[style] }, links);
  });
  const g = el("g", { class: "nodes" }, svg);
  nodes.forEach((n, i) => {
    const v = values[i];
    const r = tiles ? (n.tile ? 11 : 8) : (LEVEL_R[n.level] || 5);
    const fill = view.diff ? divergingColor(view.diff[i], view.diffMax) : collabColor(v[0]);
    const grp = el("g", { class: "unit", tabindex: "0", role: "img", "data-i": i, "aria-label": view.describe(i) }, g);
    // The sharing ring: its width grows with cross-department sharing.
    if (!view.diff) el("circle", { cx: pos[i][0].toFixed(1), cy: pos[i][1].toFixed(1), r: r + 3, class: "ring", "stroke-width": (0.5 + 4 * v[3]).toFixed(2) }, grp);
    el("circle", {
      cx: pos[i][0].toFixed(1), cy: pos[i][1].toFixed(1), r,
      fill, class: n.aggregated ? "node agg" : "node", "data-id": n.id,
    }, grp);
    const show = () => { const b = grp.getBoundingClientRect(); view.onFocus(i, b.right, b.bottom); };
    grp.addEventListener("mouseenter", show);
    grp.addEventListener("focus", show);
    grp.addEventListener("mouseleave", () => view.onFocus(null));
    grp.addEventListener("blur", () => view.onFocus(null));
  });
}

window.TKCharts = { lineChart, legend, drawNetwork, collabColor, divergingColor, linkStyle, USAB_OK, USAB_LOW, FLOW_ABSENT, REGION_ORDER };

// Plain-SVG drawing for the classroom page: line charts with a replicate
// band, and the network view of the government. No libraries, no network.
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
function ticks(lo, hi, n) {
  if (!(hi > lo)) { hi = lo + 1; }
  const raw = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

// A line chart. spec: {title, lines: [{label, color, mean, lo, hi}], xLabels, cursor}
function lineChart(svg, spec) {
  clear(svg);
  const legendRows = Math.ceil(spec.lines.length / 3);
  const W = 420, H = 200 + 11 * legendRows, L = 46, R = 10, T = 24, B = 28 + 11 * legendRows;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  el("text", { x: L, y: 15, class: "chart-title" }, svg).textContent = spec.title;
  const n = spec.xLabels.length;
  let lo = Infinity, hi = -Infinity;
  for (const l of spec.lines) {
    for (const arr of [l.mean, l.lo || [], l.hi || []]) {
      for (const v of arr) if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
  }
  if (!isFinite(lo)) { lo = 0; hi = 1; }
  if (lo > 0 && lo < (hi - lo)) lo = 0;
  const pad = (hi - lo) * 0.05 || 0.5;
  lo -= lo === 0 ? 0 : pad; hi += pad;
  const x = i => L + (W - L - R) * (n > 1 ? i / (n - 1) : 0.5);
  const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  for (const t of ticks(lo, hi, 4)) {
    el("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), class: "grid" }, svg);
    el("text", { x: L - 4, y: y(t) + 3, class: "tick", "text-anchor": "end" }, svg).textContent = +t.toPrecision(4);
  }
  spec.xLabels.forEach((lab, i) => {
    if (lab === null) return;
    el("line", { x1: x(i), x2: x(i), y1: H - B, y2: H - B + 3, class: "axis" }, svg);
    el("text", { x: x(i), y: H - B + 13, class: "tick", "text-anchor": "middle" }, svg).textContent = lab;
  });
  el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, class: "axis" }, svg);
  spec.lines.forEach((l, k) => {
    if (l.lo && l.hi) {
      const up = [], down = [];
      for (let i = 0; i < n; i++) {
        if (l.lo[i] === null || l.hi[i] === null) continue;
        up.push(`${x(i).toFixed(1)},${y(l.hi[i]).toFixed(1)}`);
        down.unshift(`${x(i).toFixed(1)},${y(l.lo[i]).toFixed(1)}`);
      }
      if (up.length) el("polygon", { points: up.concat(down).join(" "), fill: l.color, class: "band" }, svg);
    }
    let d = "", pen = false;
    for (let i = 0; i < n; i++) {
      const v = l.mean[i];
      if (v === null || v === undefined) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    }
    el("path", { d, stroke: l.color, class: "line", "data-label": l.label }, svg);
    const lx = 8 + (k % 3) * 138, ly = H - B + 28 + Math.floor(k / 3) * 11;
    el("rect", { x: lx, y: ly - 7, width: 10, height: 4, fill: l.color }, svg);
    el("text", { x: lx + 14, y: ly - 3, class: "legend" }, svg).textContent = l.label;
  });
  if (spec.cursor !== undefined && spec.cursor !== null) {
    el("line", { x1: x(spec.cursor), x2: x(spec.cursor), y1: T, y2: H - B, class: "cursor" }, svg);
  }
}

// Colour of a collaboration value 0-100: pale yellow to deep green.
function collabColor(v) {
  const t = Math.max(0, Math.min(1, (v || 0) / 100));
  const a = [255, 247, 188], b = [0, 104, 55];
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * Math.pow(t, 0.8)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const LEVEL_ROW = { province: 0, city: 1, county: 2, township: 3 };
const LEVEL_R = { province: 14, city: 8, county: 5, township: 3.5 };

// Node positions: one row per level, children ordered under their parents.
function layoutNetwork(nodes, W, H) {
  const rows = [[], [], [], []];
  nodes.forEach((n, i) => rows[LEVEL_ROW[n.level] ?? 3].push(i));
  const pos = new Array(nodes.length);
  const used = rows.filter(r => r.length);
  const rowY = {};
  used.forEach((r, k) => { rowY[LEVEL_ROW[nodes[r[0]].level]] = 30 + (H - 60) * (used.length > 1 ? k / (used.length - 1) : 0.5); });
  for (const r of rows) {
    if (!r.length) continue;
    r.sort((a, b) => {
      const pa = nodes[a].parent, pb = nodes[b].parent;
      const xa = pa === null ? 0 : pos[pa][0], xb = pb === null ? 0 : pos[pb][0];
      return xa - xb || a - b;
    });
    r.forEach((i, k) => {
      pos[i] = [20 + (W - 40) * (r.length > 1 ? k / (r.length - 1) : 0.5), rowY[LEVEL_ROW[nodes[i].level] ?? 3]];
    });
  }
  return pos;
}

// The network view at one time point. values[node] = [collab, up, down, share, usab, maturity].
function drawNetwork(svg, nodes, values, onHover) {
  clear(svg);
  const W = 900, H = 330;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const pos = layoutNetwork(nodes, W, H);
  const links = el("g", { class: "links" }, svg);
  nodes.forEach((n, i) => {
    if (n.parent === null) return;
    const [x1, y1] = pos[i], [x2, y2] = pos[n.parent];
    const v = values[i];
    const broken = v[4] < 0.5 ? "4 3" : "none";
    // Up: child to parent, left of the pair; down: parent to child, right.
    el("line", { x1: x1 - 2, y1, x2: x2 - 2, y2, class: "up", "stroke-width": (0.2 + 3.5 * v[1]).toFixed(2), "stroke-dasharray": broken }, links);
    el("line", { x1: x1 + 2, y1, x2: x2 + 2, y2, class: "down", "stroke-width": (0.2 + 3.5 * v[2]).toFixed(2), "stroke-dasharray": broken }, links);
  });
  const g = el("g", { class: "nodes" }, svg);
  nodes.forEach((n, i) => {
    const v = values[i];
    const c = el("circle", {
      cx: pos[i][0].toFixed(1), cy: pos[i][1].toFixed(1), r: LEVEL_R[n.level] || 4,
      fill: collabColor(v[0]), "stroke-width": (0.3 + 2.5 * v[3]).toFixed(2),
      class: n.aggregated ? "node agg" : "node", "data-id": n.id,
    }, g);
    c.addEventListener("mouseenter", ev => onHover(i, ev));
    c.addEventListener("mouseleave", () => onHover(null));
  });
}

window.TKCharts = { lineChart, drawNetwork, collabColor };

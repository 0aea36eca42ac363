// Every "What to notice" and "Things to try" line of the classroom page
// (src/serve/info.rs, both languages) and every "Students should notice"
// paragraph of docs/classroom.md, checked against the API's numbers.
//
// Claims are directions, checked with paired 95% intervals (B − A in one
// run, where both strategies face the same random draws), never exact
// figures, so they survive model changes that keep the lesson true and fail
// when the lesson no longer holds. A lever's own effect is measured by
// making B a copy of A (every lever set to A's values) plus that lever:
// the copy alone gives differences of exactly 0 (the negative control).
//
// Each check returns a short line of the numbers it saw, printed by the test.
import { strict as assert } from "node:assert";

export function makeContext(url) {
  const descs = new Map();
  const runs = new Map();
  const desc = async id => {
    if (!descs.has(id)) descs.set(id, await (await fetch(`${url}/api/presets/${id}`)).json());
    return descs.get(id);
  };
  const run = async body => {
    const key = JSON.stringify(body);
    if (!runs.has(key)) {
      const res = await fetch(`${url}/api/run`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ network: false, ...body }),
      });
      const j = await res.json();
      assert.ok(res.ok, `${key}: ${JSON.stringify(j)}`);
      runs.set(key, j);
    }
    return runs.get(key);
  };
  // Levers that make strategy `b` a copy of strategy `a`, with `extra` on top.
  const copy = async (preset, a, b, extra = {}) => {
    const d = await desc(preset);
    const i = d.strategies.findIndex(s => s.name === a);
    assert.ok(i >= 0, `${preset} has no strategy ${a}`);
    const levers = {};
    for (const l of d.levers) levers[l.id] = l.values[i];
    return { preset, strategies: [a, b], levers: { [b]: { ...levers, ...extra } } };
  };
  return { url, desc, run, copy };
}

const last = r => r.time.length - 1;
// Paired difference B − A of a metric at time t (default: the horizon): {mean, lo, hi}.
export function diff(r, m, t = last(r)) {
  const c = r.compare.metrics[m];
  assert.ok(c, `no metric ${m}`);
  return { mean: c.mean[t], lo: c.ci95_low[t], hi: c.ci95_high[t] };
}
const mean = (r, k, m, t = last(r)) => r.series[k][m].mean[t];
const band = (r, k, m, t = last(r)) => r.series[k][m].p95[t] - r.series[k][m].p05[t];
const show = d => `${d.mean.toFixed(4)} [${d.lo.toFixed(4)}, ${d.hi.toFixed(4)}]`;
const above = (d, what) => { assert.ok(d.lo > 0, `${what}: expected B − A above 0, got ${show(d)}`); return `${what} ${show(d)}`; };
const below = (d, what) => { assert.ok(d.hi < 0, `${what}: expected B − A below 0, got ${show(d)}`); return `${what} ${show(d)}`; };
// "Barely moves": the mean difference is smaller than `tol` either way.
const barely = (d, what, tol) => { assert.ok(Math.abs(d.mean) < tol, `${what}: expected |B − A| < ${tol}, got ${show(d)}`); return `${what} ${show(d)}`; };
const none = (d, what) => { assert.ok(d.lo <= 1e-12 && d.hi >= -1e-12, `${what}: expected no difference, got ${show(d)}`); return `${what} ${show(d)}`; };
// The first time index of year y (its Q1).
const yearStart = (r, y) => r.time.findIndex(([yy, q]) => yy === y && q === 1);

// Upward flow above downward flow for every strategy of a run.
function upOverDown(r) {
  return r.strategies.map((s, k) => {
    const up = mean(r, k, "flow_up"), down = mean(r, k, "flow_down");
    assert.ok(up > down, `${s.name}: flow up ${up} not above flow down ${down}`);
    return `${s.name} up ${up.toFixed(3)} > down ${down.toFixed(3)}`;
  }).join("; ");
}

// Each unit's collaboration lies between its weakest and strongest part (vertical flow,
// sharing, usability, on 0–100), and sharing is the weakest part of most units.
function weakestPart(r) {
  let n = 0, weakShare = 0;
  for (const values of r.network.values) {
    for (const v of values[last(r)]) {
      const [c, up, down, share, usab] = v;
      const parts = [(up + down) / 2, share, usab].map(x => 100 * x);
      assert.ok(c >= Math.min(...parts) - 1e-6 && c <= Math.max(...parts) + 1e-6, `collab ${c} outside its parts ${parts}`);
      n++;
      if (parts[1] === Math.min(...parts)) weakShare++;
    }
  }
  assert.ok(weakShare >= 0.9 * n, `sharing is the weakest part of only ${weakShare} of ${n} units`);
  return `${n} units between weakest and strongest part; sharing weakest in ${weakShare}`;
}

// Links of a strategy's network that are not drawn solid: usability below the
// solid threshold of the page (charts.js USAB_OK; the test passes the page's own).
export const LINKS = { usabOk: 0.8 };
const nonSolid = (r, k, t = last(r)) => r.network.values[k][t].filter((v, i) => r.network.nodes[i].parent !== null && v[4] < LINKS.usabOk).length;

export const CLAIMS = {
  general: {
    notice: [
      async c => upOverDown(await c.run({ preset: "classroom" })) + " | " + upOverDown(await c.run({ preset: "institutions", strategies: ["no-reform", "all-reforms"] })),
      async c => weakestPart(await c.run({ preset: "classroom", network: true })),
    ],
    try: [
      async c => {
        const same = await c.run(await c.copy("classroom", "local", "provincial"));
        for (const [m, d] of Object.entries(same.compare.metrics)) {
          assert.ok(d.mean.every(x => x === null || x === 0), `copy of A: ${m} differs`);
        }
        const one = await c.run(await c.copy("classroom", "local", "provincial", { "institutions.property_rights.strength": 0.8 }));
        return `copy: all ${Object.keys(same.compare.metrics).length} differences 0; one lever: ` + above(diff(one, "collab_index"), "collab");
      },
      async c => {
        const r10 = await c.run({ preset: "classroom", replicates: 10 }), r50 = await c.run({ preset: "classroom", replicates: 50 });
        const w = r => { const d = diff(r, "collab_index"); return d.hi - d.lo; };
        assert.ok(w(r50) < 0.85 * w(r10), `interval ${w(r10)} -> ${w(r50)} did not narrow`);
        assert.ok(band(r50, 0, "collab_index") > 0.9 * band(r10, 0, "collab_index"), "band narrowed");
        return `interval ${w(r10).toFixed(3)} -> ${w(r50).toFixed(3)}; band ${band(r10, 0, "collab_index").toFixed(3)} -> ${band(r50, 0, "collab_index").toFixed(3)}`;
      },
    ],
  },
  classroom: {
    notice: [
      async c => {
        const r = await c.run({ preset: "classroom", network: true });
        const y1 = yearStart(r, 2) - 1;
        const early = diff(r, "collab_index", y1), end = diff(r, "collab_index");
        assert.ok(end.lo > early.hi, `lead at the horizon ${show(end)} not above year 1's ${show(early)}`);
        above(end, "collab at horizon");
        const tEnd = last(r);
        const a = r.network.values[0][tEnd], b = r.network.values[1][tEnd];
        const low = r.network.nodes.map((n, i) => i).filter(i => ["county", "township"].includes(r.network.nodes[i].level));
        const purple = low.filter(i => b[i][0] > a[i][0]).length;
        assert.ok(purple >= 0.6 * low.length, `B higher in only ${purple} of ${low.length} counties and townships`);
        return `year 1 ${show(early)} < horizon ${show(end)}; B higher in ${purple}/${low.length} counties+townships at the horizon`;
      },
      async c => {
        const r = await c.run({ preset: "classroom" });
        return below(diff(r, "duplicate_platforms"), "duplicates") + "; " + below(diff(r, "cost_total"), "cost");
      },
      async c => {
        const r = await c.run({ preset: "classroom", network: true });
        const tEnd = last(r);
        const na = nonSolid(r, 0, tEnd), nb = nonSolid(r, 1, tEnd);
        assert.ok(na > nb, `dashed or dotted links at the horizon A ${na} not above B ${nb}`);
        return above(diff(r, "cross_system_usability"), "usability") + `; dashed or dotted links at the horizon: A ${na}, B ${nb}`;
      },
    ],
    try: [
      async c => {
        const before = await c.run({ preset: "classroom" });
        const after = await c.run({ preset: "classroom", levers: { local: { standards: "provincial" } } });
        const u0 = diff(before, "cross_system_usability"), u1 = diff(after, "cross_system_usability");
        assert.ok(u1.mean < 0.25 * u0.mean, `usability gap ${show(u0)} -> ${show(u1)}`);
        const c1 = diff(after, "collab_index");
        assert.ok(c1.lo < 0.5 && c1.mean < 0.25 * diff(before, "collab_index").mean, `collab lead remains ${show(c1)}`);
        return `usability ${show(u0)} -> ${show(u1)}; collab -> ${show(c1)}; ` + below(diff(after, "cost_total"), "cost");
      },
      async c => {
        const r = await c.run(await c.copy("classroom", "local", "provincial", {
          "institutions.property_rights.strength": 0.8, "institutions.property_rights.year": 2,
        }));
        return below(diff(r, "barrier_unwilling"), "unwilling") + "; " + none(diff(r, "barrier_dare_not"), "dare not");
      },
      async c => {
        const a = await c.run(await c.copy("classroom", "local", "provincial", { "investment.budget": 0.5 }));
        const b = await c.run(await c.copy("classroom", "provincial", "local", { "investment.budget": 0.5 }));
        return [below(diff(a, "collab_index"), "A collab"), below(diff(b, "collab_index"), "B collab")].join("; ");
      },
    ],
  },
  "provincial-vs-local": {
    notice: [
      async c => {
        const r = await c.run({ preset: "provincial-vs-local", strategies: ["local", "provincial"], replicates: 5 });
        return [above(diff(r, "collab_index"), "collab"), above(diff(r, "cross_system_usability"), "usability"),
          below(diff(r, "cost_total"), "cost"), below(diff(r, "duplicate_platforms"), "duplicates")].join("; ");
      },
      async c => {
        const lp = await c.run({ preset: "provincial-vs-local", strategies: ["local", "provincial"], replicates: 5 });
        const ph = await c.run({ preset: "provincial-vs-local", strategies: ["provincial", "hybrid"], replicates: 5 });
        return below(diff(lp, "platform_fit"), "fit local->provincial") + "; " + above(diff(ph, "platform_fit"), "fit provincial->hybrid");
      },
    ],
    try: [
      async c => {
        const r = await c.run({ preset: "provincial-vs-local", strategies: ["provincial", "hybrid"], replicates: 5 });
        return [above(diff(r, "platform_fit"), "fit"), above(diff(r, "collab_index"), "collab"), above(diff(r, "cost_total"), "cost")].join("; ");
      },
      async c => {
        const r = await c.run({ preset: "provincial-vs-local", strategies: ["local", "provincial"], replicates: 5, levers: { local: { standards: "national" } } });
        return [below(diff(r, "collab_index"), "collab (B provincial)"), below(diff(r, "cost_total"), "cost"), below(diff(r, "duplicate_platforms"), "duplicates")].join("; ");
      },
    ],
  },
  institutions: {
    notice: [
      async c => {
        const r = await c.run({ preset: "institutions", strategies: ["no-reform", "all-reforms"] });
        const before = yearStart(r, 2) - 1, after = yearStart(r, 3);
        const s0 = diff(r, "sharing_horizontal", before), s1 = diff(r, "sharing_horizontal", after);
        none(s0, "sharing before year 2");
        return [below(diff(r, "barrier_dare_not"), "dare not"), below(diff(r, "barrier_unwilling"), "unwilling"),
          none(diff(r, "barrier_unable"), "unable"), `sharing before year 2 ${show(s0)}`, above(s1, "sharing in year 3")].join("; ");
      },
    ],
    try: [
      async c => {
        const r = await c.run(await c.copy("institutions", "all-reforms", "no-reform", { "institutions.property_rights.year": 4 }));
        const ds = r.compare.metrics.collab_index.mean;
        const worst = ds.indexOf(Math.min(...ds));
        const w = diff(r, "collab_index", worst), end = diff(r, "collab_index");
        below(w, "collab while waiting");
        assert.ok(end.mean > w.mean, `no catching up: ${show(w)} -> ${show(end)}`);
        return `collab B − A worst ${show(w)} at t=${worst}, horizon ${show(end)}`;
      },
      async c => {
        const r = await c.run({ preset: "institutions", strategies: ["no-reform", "security-only"] });
        return [below(diff(r, "barrier_dare_not"), "dare not"), none(diff(r, "barrier_unwilling"), "unwilling"), none(diff(r, "barrier_unable"), "unable")].join("; ");
      },
    ],
  },
  "sector-coordination": {
    notice: [
      async c => {
        const r = await c.run({ preset: "sector-coordination", strategies: ["social-sector", "services-sector"] });
        return below(diff(r, "domain_social_management"), "social management") + "; " + above(diff(r, "domain_public_services"), "public services");
      },
    ],
    try: [
      async c => {
        const s = diff(await c.run({ preset: "sector-coordination", strategies: ["none", "social-sector"] }), "collab_index");
        const v = diff(await c.run({ preset: "sector-coordination", strategies: ["none", "services-sector"] }), "collab_index");
        assert.ok(s.lo > v.hi, `social ${show(s)} not above services ${show(v)}`);
        return `collab gain social ${show(s)} > services ${show(v)}`;
      },
      async c => {
        const full = diff(await c.run({ preset: "sector-coordination", strategies: ["none", "social-sector"] }), "domain_social_management");
        const half = diff(await c.run({ preset: "sector-coordination", strategies: ["none", "social-sector"], levers: { "social-sector": { "coordination.sector_strength": 0.5 } } }), "domain_social_management");
        above(half, "gain at 0.5");
        assert.ok(half.hi < full.lo, `gain ${show(full)} -> ${show(half)} did not shrink`);
        return `social management gain ${show(full)} -> ${show(half)}`;
      },
    ],
  },
  reuse: {
    notice: [
      async c => {
        const r = await c.run({ preset: "reuse", strategies: ["spontaneous", "provincial"] });
        const ys = r.time.map(([y, q], t) => (q === 4 ? t : -1)).filter(t => t >= 0);
        const ds = ys.map(t => diff(r, "adoption_share", t).mean);
        for (let k = 1; k < ds.length; k++) assert.ok(ds[k] > ds[k - 1], `adoption lead fell in year ${k + 1}: ${ds}`);
        return above(diff(r, "adoption_share"), "adoption") + `; lead by year ${ds.map(x => x.toFixed(3)).join(" ")}`;
      },
    ],
    try: [
      async c => {
        const r = await c.run({ preset: "reuse", strategies: ["spontaneous", "provincial"] });
        return above(diff(r, "adoption_share"), "adoption") + "; " + below(diff(r, "cost_total"), "cost");
      },
    ],
  },
  "regional-coordination": {
    notice: [
      async c => {
        const r = await c.run({ preset: "regional-coordination", strategies: ["none", "transfers-backstop"], replicates: 3 });
        return below(diff(r, "east_west_gap"), "east-west gap") + "; " + barely(diff(r, "disparity_theil"), "Theil", 0.001);
      },
    ],
    try: [
      async c => barely(diff(await c.run({ preset: "regional-coordination", strategies: ["none", "backstop"], replicates: 3 }), "disparity_theil"), "Theil", 0.001),
      async c => {
        const r = await c.run({ ...(await c.copy("regional-coordination", "transfers", "none", { "regional.transfers": 0.4 })), replicates: 3 });
        const m = diff(r, "maturity_index");
        assert.ok(Math.abs(m.mean) < 0.2, `average maturity moved ${show(m)}`);
        return below(diff(r, "east_west_gap"), "east-west gap") + `; maturity ${show(m)}`;
      },
    ],
  },
  baseline: {
    notice: [
      async c => {
        const r = await c.run({ preset: "baseline", replicates: 3, network: true });
        return upOverDown(r) + "; " + weakestPart(r);
      },
    ],
    try: [
      async c => {
        const r0 = await c.run({ preset: "baseline", replicates: 3 });
        const r1 = await c.run({ preset: "baseline", replicates: 3, levers: { "status-quo": { standards: "provincial" } } });
        const u0 = mean(r0, 0, "cross_system_usability"), u1 = mean(r1, 0, "cross_system_usability");
        assert.ok(u1 > u0 + band(r0, 0, "cross_system_usability"), `usability ${u0} -> ${u1}`);
        return `usability ${u0.toFixed(3)} -> ${u1.toFixed(3)} (band ${band(r0, 0, "cross_system_usability").toFixed(3)})`;
      },
    ],
  },
};

// docs/classroom.md: one check per "Students should notice" paragraph and per homework item, in order.
export const LESSON = [
  // 2. Reading the network.
  async c => upOverDown(await c.run({ preset: "classroom" })),
  // 3. Comparing A and B: the paired interval is narrower than the band.
  async c => {
    const r = await c.run({ preset: "classroom" });
    const d = diff(r, "collab_index"), b = band(r, 0, "collab_index");
    assert.ok(d.hi - d.lo < b, `interval ${d.hi - d.lo} vs band ${b}`);
    return `interval width ${(d.hi - d.lo).toFixed(3)} < band ${b.toFixed(3)}`;
  },
  // 4. Is it the platform or the standard?
  CLAIMS.classroom.try[0],
  async c => {
    const r0 = await c.run({ preset: "classroom", network: true });
    const r1 = await c.run({ preset: "classroom", network: true, levers: { local: { standards: "provincial" } } });
    const n0 = nonSolid(r0, 0), n1 = nonSolid(r1, 0);
    assert.ok(n1 < n0, `A's non-solid links ${n0} -> ${n1}`);
    return `A's dashed or dotted links at the horizon ${n0} -> ${n1}`;
  },
  // 5. Data institutions.
  CLAIMS.institutions.notice[0],
  CLAIMS.institutions.try[0],
  // 6. Domains and regions.
  CLAIMS["sector-coordination"].notice[0],
  CLAIMS["regional-coordination"].notice[0],
  // Homework: reuse.
  CLAIMS.reuse.notice[0],
];

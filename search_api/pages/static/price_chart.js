/* A small inline SVG line chart of a print's price history (one line per condition x finish
   [x grade]), drawn from GET /api/catalog/prints/{id}/price-history. No library: the SVG is
   built here, with a <title> and a <desc> that say what it shows; the caller keeps a table of
   the same points beside it for screen readers and for reading exact values. */
"use strict";
window.SDPriceChart = (function () {
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 240, PAD = { top: 12, right: 16, bottom: 28, left: 64 };
  //: line colours (contrast >= 3:1 on white) and dash patterns, so lines differ without colour
  const COLORS = ["#3730a3", "#b45309", "#047857", "#be123c", "#0369a1", "#6d28d9", "#4d7c0f", "#9f1239"];
  const DASHES = ["", "6 3", "2 3", "8 3 2 3"];
  const DAY_MS = 86400000;
  const METRIC_LABEL = { market: "Market price", lowest: "Lowest price", median: "Median price" };

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function label(series) {
    return [series.condition, series.finish, series.grade].filter(Boolean).join(" · ");
  }

  function style(i) {
    return { color: COLORS[i % COLORS.length], dash: DASHES[i % DASHES.length] };
  }

  function day(iso) { return Date.parse(`${iso}T00:00:00Z`); }

  /** Series with at least one value of `metric`, each point as {t, v, point}. */
  function lines(history, metric) {
    return history.series.map((s, i) => ({
      series: s, index: i,
      points: s.points.filter((p) => p[metric] !== null && p[metric] !== undefined).map((p) => ({ t: day(p.date), v: p[metric], point: p })),
    })).filter((l) => l.points.length);
  }

  function niceTicks(lo, hi, count) {
    if (hi <= lo) { hi = lo + 1; lo = Math.max(0, lo - 1); }
    const raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
    const ticks = [];
    for (let v = Math.floor(lo / step) * step; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 100) / 100);
    return ticks;
  }

  /** The chart of `history` (the API's answer) for `metric`, or null when nothing has a value. */
  function draw(history, metric, money) {
    const drawn = lines(history, metric);
    if (!drawn.length) return null;
    const currency = drawn[0].series.currency;
    const t0 = day(history.from), t1 = Math.max(day(history.to), t0 + DAY_MS);
    const values = drawn.flatMap((l) => l.points.map((p) => p.v));
    const ticks = niceTicks(Math.min(...values), Math.max(...values), 4);
    const v0 = ticks[0], v1 = ticks[ticks.length - 1];
    const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
    const y = (v) => H - PAD.bottom - ((v - v0) / (v1 - v0 || 1)) * (H - PAD.top - PAD.bottom);
    const uid = `price-chart-${Math.random().toString(36).slice(2, 8)}`;
    const what = METRIC_LABEL[metric] || metric;
    const summary = drawn.map((l) => {
      const first = l.points[0], last = l.points[l.points.length - 1];
      return l.points.length === 1
        ? `${label(l.series)}: ${money(last.v, currency)} on ${last.point.date}`
        : `${label(l.series)}: from ${money(first.v, currency)} on ${first.point.date} to ${money(last.v, currency)} on ${last.point.date}`;
    }).join("; ");
    const chart = svg("svg", {
      viewBox: `0 0 ${W} ${H}`, role: "img", class: "price-chart-svg",
      "aria-labelledby": `${uid}-title ${uid}-desc`, "data-metric": metric,
    },
    svg("title", { id: `${uid}-title` }, `${what} over the last ${history.days} days`),
    svg("desc", { id: `${uid}-desc` }, `${summary}.`));
    const grid = svg("g", { class: "grid", "aria-hidden": "true" });
    for (const v of ticks) {
      grid.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
        svg("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end" }, money(v, currency)));
    }
    grid.append(svg("text", { x: PAD.left, y: H - 8, "text-anchor": "start" }, history.from),
      svg("text", { x: W - PAD.right, y: H - 8, "text-anchor": "end" }, history.to));
    chart.append(grid);
    for (const l of drawn) {
      const { color, dash } = style(l.index);
      const g = svg("g", { class: "series", "data-sku": l.series.sku, "aria-hidden": "true" });
      // a day's price holds until the next point: draw steps, extended to the window's end
      let d = "";
      l.points.forEach((p, i) => {
        d += i === 0 ? `M${x(p.t)},${y(p.v)}` : `H${x(p.t)}V${y(p.v)}`;
      });
      d += `H${x(t1)}`;
      g.append(svg("path", { d, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": dash || null }));
      for (const p of l.points) {
        g.append(svg("circle", { cx: x(p.t), cy: y(p.v), r: 3.5, fill: color, class: "point", "data-date": p.point.date, "data-value": p.v },
          svg("title", {}, `${label(l.series)} · ${p.point.date}: ${money(p.v, currency)}`)));
      }
      chart.append(g);
    }
    return chart;
  }

  /** The legend: one item per drawn series, with its line's colour and dash. */
  function legend(history, metric) {
    const list = document.createElement("ul");
    list.className = "price-legend";
    for (const l of lines(history, metric)) {
      const { color, dash } = style(l.index);
      const item = document.createElement("li");
      item.append(svg("svg", { width: 28, height: 10, "aria-hidden": "true" },
        svg("line", { x1: 0, x2: 28, y1: 5, y2: 5, stroke: color, "stroke-width": 3, "stroke-dasharray": dash || null })),
      document.createTextNode(` ${label(l.series)}`));
      list.append(item);
    }
    return list;
  }

  return { draw, legend, label, METRIC_LABEL };
})();

/* The card page: the card, every print, and every print's SKUs with their market data. */
"use strict";
(function () {
  const { el, api, art, money, priceSpan, availability, GAME_LABEL, showError } = window.SD;
  const $ = (id) => document.getElementById(id);
  const root = $("card");
  const cardId = root.dataset.cardId;
  const MAX_SKU_PRINTS = 40;
  if (document.referrer && new URL(document.referrer).origin === location.origin && new URL(document.referrer).pathname === "/") {
    $("back-link").href = document.referrer;
  }

  const ATTRS = [["type_line", "Type"], ["mana_cost", "Mana cost"], ["mana_value", "Mana value"], ["power_text", "Power"],
    ["toughness_text", "Toughness"], ["loyalty", "Loyalty"], ["hp", "HP"], ["energy_types", "Energy"], ["retreat_cost", "Retreat"],
    ["evolves_from", "Evolves from"], ["attributes", "Attribute"], ["level", "Level"], ["rank", "Rank"], ["link_rating", "Link"],
    ["atk", "ATK"], ["def", "DEF"], ["cost", "Cost"], ["counter", "Counter"], ["life", "Life"], ["colors", "Colors"], ["keywords", "Keywords"]];

  async function load() {
    let data;
    try {
      data = await api(`/api/catalog/cards/${encodeURIComponent(cardId)}`);
    } catch (err) {
      showError($("error"), err, err.status === 404 ? "Card not found" : "Could not load the card");
      $("card-name").textContent = "Card unavailable";
      root.removeAttribute("aria-busy");
      return;
    }
    const card = data.card, prints = data.prints || [];
    document.title = `${card.name} · SideDecked Catalog`;
    $("card-name").textContent = card.name;
    $("card-meta").textContent = `${GAME_LABEL[card.game] || card.game} · ${prints.length} print${prints.length === 1 ? "" : "s"}`;
    const attrs = [];
    for (const [k, label] of ATTRS) {
      let v = card[k];
      if (Array.isArray(v)) v = v.join(", ");
      if (v === null || v === undefined || v === "") continue;
      attrs.push(el("dt", { text: label }), el("dd", { text: String(v) }));
    }
    $("card-attrs").replaceChildren(...attrs);
    $("card-rules").textContent = card.rules_text || "";
    if (prints[0]) $("card-image").replaceChildren(art(prints[0]));
    $("print-count").textContent = `(${prints.length})`;
    $("prints").replaceChildren(...prints.map((p) => el("li.result", { dataset: { printId: p.print_id } },
      art(p),
      el("div.body", {},
        el("h3", { text: p.set_name || p.set_code }),
        el("span.sub", { text: `${p.set_code} #${p.collector_number || "?"} · ${p.language || ""}` }),
        el("div.badges", {}, p.rarity ? el("span.badge", { text: p.rarity }) : null,
          ...(p.finishes || []).map((f) => el("span.badge", { text: f }))),
        el("span.price", { text: priceSpan(p) || "No price yet" }),
        availability(p)))));
    root.removeAttribute("aria-busy");
    setUpPrices(prints);
    await loadSkus(prints.slice(0, MAX_SKU_PRINTS));
  }

  async function loadSkus(prints) {
    const tbody = $("skus").querySelector("tbody");
    tbody.replaceChildren(el("tr", {}, el("td.empty", { colspan: "10", text: "Loading SKUs…" })));
    // count_view=false: the card page's table is no view of each print (popularity)
    const details = await Promise.all(prints.map((p) => api(`/api/catalog/prints/${p.print_id}?count_view=false`).catch(() => null)));
    const rows = [];
    for (const d of details) {
      if (!d) continue;
      for (const s of d.skus || []) {
        const avail = [s.is_available_b2c ? "vendors" : null, s.is_available_c2c ? "players" : null].filter(Boolean).join(", ");
        const lo = money(s.min_price, s.currency), hi = money(s.max_price, s.currency);
        rows.push(el("tr", {},
          el("td.mono", { text: s.sku }), el("td", { text: d.print.set_code }), el("td", { text: d.print.collector_number || "" }),
          el("td", { text: s.language }), el("td", { text: s.condition }), el("td", { text: s.finish }),
          el("td", { text: lo ? (hi && hi !== lo ? `${lo} – ${hi}` : lo) : "–" }),
          el("td", { text: money(s.market_price, s.currency) || "–" }),
          el("td", { text: String(s.total_listings) }), el("td", { text: avail || "no" })));
      }
    }
    if (!rows.length) rows.push(el("tr", {}, el("td.empty", { colspan: "10", text: "No SKUs for these prints yet." })));
    tbody.replaceChildren(...rows);
  }

  // -- price history: one line per condition x finish of the chosen print -----------------------
  const chart = window.SDPriceChart;
  let pricePrints = [];
  let priceRequest = 0;

  function setUpPrices(prints) {
    pricePrints = prints;
    const select = $("price-print");
    select.replaceChildren(...prints.map((p) => el("option", { value: String(p.print_id),
      text: `${p.set_code} #${p.collector_number || "?"} · ${p.language || ""}${p.set_name ? ` (${p.set_name})` : ""}` })));
    // start on the newest print that has market data
    const priced = prints.find((p) => p.market_price !== null && p.market_price !== undefined) || prints.find((p) => p.price_min != null);
    if (priced) select.value = String(priced.print_id);
    for (const id of ["price-print", "price-condition", "price-finish", "price-metric", "price-days"]) {
      $(id).addEventListener("change", () => { if (id === "price-print") setFinishes(); loadPrices(); });
    }
    $("price-controls").addEventListener("submit", (e) => e.preventDefault());
    setFinishes();
    loadPrices();
  }

  function setFinishes() {
    const p = pricePrints.find((x) => String(x.print_id) === $("price-print").value);
    const finish = $("price-finish"), was = finish.value;
    finish.replaceChildren(el("option", { value: "", text: "All" }), ...((p && p.finishes) || []).map((f) => el("option", { value: f, text: f })));
    finish.value = [...finish.options].some((o) => o.value === was) ? was : "";
  }

  async function loadPrices() {
    const printId = $("price-print").value;
    if (!printId) { $("price-status").textContent = "No prints."; return; }
    const request = ++priceRequest;
    const params = new URLSearchParams({ days: $("price-days").value });
    if ($("price-condition").value) params.set("condition", $("price-condition").value);
    if ($("price-finish").value) params.set("finish", $("price-finish").value);
    $("price-status").textContent = "Loading prices…";
    let history;
    try {
      history = await api(`/api/catalog/prints/${encodeURIComponent(printId)}/price-history?${params}`);
    } catch (err) {
      if (request !== priceRequest) return;
      $("price-status").textContent = `Could not load the price history: ${err.message}`;
      $("price-chart").hidden = true; $("price-table-wrap").hidden = true;
      return;
    }
    if (request !== priceRequest) return;  // a newer choice was made meanwhile
    showPrices(history);
  }

  function showPrices(history) {
    const metric = $("price-metric").value;
    const svg = chart.draw(history, metric, money);
    const points = history.series.reduce((n, s) => n + s.points.length, 0);
    $("price-chart").hidden = !svg;
    $("price-table-wrap").hidden = !points;
    $("price-chart-svg").replaceChildren(...(svg ? [svg] : []));
    $("price-legend").replaceChildren(chart.legend(history, metric));
    const lines = history.series.length;
    $("price-status").textContent = !points
      ? `No price history for this print in the last ${history.days} days.`
      : `${chart.METRIC_LABEL[metric]} of ${lines} SKU${lines === 1 ? "" : "s"}, ${history.from} to ${history.to}.`;
    const rows = [];
    for (const s of history.series) {
      for (const p of s.points) {
        rows.push(el("tr", {}, el("td", { text: chart.label(s) }), el("td", { text: p.date }),
          el("td", { text: money(p.lowest, s.currency) || "–" }), el("td", { text: money(p.median, s.currency) || "–" }),
          el("td", { text: money(p.market, s.currency) || "–" }), el("td", { text: String(p.listings) }), el("td", { text: String(p.sales) })));
      }
    }
    $("price-table").querySelector("tbody").replaceChildren(...rows);
  }

  load();
})();

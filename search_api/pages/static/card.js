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
    await loadSkus(prints.slice(0, MAX_SKU_PRINTS));
  }

  async function loadSkus(prints) {
    const tbody = $("skus").querySelector("tbody");
    tbody.replaceChildren(el("tr", {}, el("td.empty", { colspan: "10", text: "Loading SKUs…" })));
    const details = await Promise.all(prints.map((p) => api(`/api/catalog/prints/${p.print_id}`).catch(() => null)));
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

  load();
})();

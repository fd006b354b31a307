/* The search page: query box with suggestions, game tabs, multi-select facets, sort, paging. */
"use strict";
(function () {
  const { el, api, qs, art, priceSpan, availability, GAME_LABEL } = window.SD;
  const FACETS = ["set", "rarity", "type", "color", "finish", "condition", "language", "available"];
  const FACET_LABEL = { set: "Set", rarity: "Rarity", type: "Type", color: "Color", finish: "Finish", condition: "Condition", language: "Language", available: "Availability" };
  const PAGE_SIZE = 24;
  const $ = (id) => document.getElementById(id);
  const input = $("q"), list = $("suggestions"), results = $("results"), facetsBox = $("facets");

  const state = readUrl();
  let inflight = null;
  let lastPage = 1; // of the last answer: Previous from a page past the end goes here

  function readUrl() {
    const p = new URLSearchParams(location.search);
    const s = { q: p.get("q") || "", game: p.get("game") || "", order: p.get("order") || "relevance",
      dir: p.get("dir") || "auto", unique: p.get("unique") || "cards", page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1),
      price_min: p.get("price_min") || "", price_max: p.get("price_max") || "", filters: {} };
    for (const f of FACETS) s.filters[f] = p.getAll(f);
    return s;
  }

  function params() {
    const out = { q: state.q, game: state.game, order: state.order === "relevance" ? "" : state.order,
      dir: state.dir === "auto" ? "" : state.dir, unique: state.unique === "cards" ? "" : state.unique,
      price_min: state.price_min, price_max: state.price_max };
    for (const f of FACETS) out[f] = state.filters[f];
    return out;
  }

  function writeUrl(push) {
    const query = qs(Object.assign(params(), { page: state.page > 1 ? state.page : "" }));
    const url = query ? `/?${query}` : "/";
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function syncControls() {
    input.value = state.q;
    $("order").value = state.order; $("dir").value = state.dir; $("unique").value = state.unique;
    $("price-min").value = state.price_min; $("price-max").value = state.price_max;
    for (const tab of document.querySelectorAll("#game-tabs [role=tab]")) {
      const on = tab.dataset.game === state.game;
      tab.setAttribute("aria-selected", String(on)); tab.tabIndex = on ? 0 : -1;
    }
  }

  async function run(push) {
    writeUrl(push);
    syncControls();
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const errorBox = $("error"), warnBox = $("warnings");
    $("summary").textContent = "Searching…";
    document.querySelector(".results-pane").setAttribute("aria-busy", "true");
    const fetchPage = (page, size) => api(`/api/catalog/search?${qs(Object.assign(params(), { page, page_size: size }))}`, { signal: inflight.signal });
    try {
      let data;
      try {
        data = await fetchPage(state.page, PAGE_SIZE);
      } catch (err) {
        if (err.code !== "page_too_deep") throw err;
        // deeper than numbered pages reach: ask page 1 for the total and the facets only
        data = Object.assign(await fetchPage(1, 1), { data: [], max_page: err.body.max_page });
      }
      errorBox.hidden = true;
      renderWarnings(data.warnings || []);
      renderResults(data);
      renderFacets(data.facets || {});
      renderTabs((data.facets || {}).game || []);
    } catch (err) {
      if (err.name === "AbortError") return;
      showQueryError(err);
      warnBox.hidden = true;
    } finally {
      document.querySelector(".results-pane").removeAttribute("aria-busy");
    }
  }

  function showQueryError(err) {
    const box = $("error");
    box.hidden = false; box.replaceChildren();
    const title = err.code === "bad_query" ? "Your query could not be read" : "The search failed";
    box.append(el("strong", { text: title }), document.createTextNode(`: ${err.message}`));
    const pos = err.body && typeof err.body.position === "number" ? err.body.position : null;
    if (pos !== null && state.q) {
      box.append(el("span.caret", { "aria-hidden": "true", text: `${state.q}\n${" ".repeat(Math.min(pos, state.q.length))}^` }));
      box.append(el("span.visually-hidden", { text: ` (at character ${pos + 1})` }));
    }
    // nothing of the previous query stays on screen: results, facets, counts and paging go
    results.replaceChildren();
    facetsBox.replaceChildren();
    renderTabs([]);
    $("filter-count").textContent = "";
    $("summary").textContent = err.code === "bad_query" ? "No results: fix the query and search again." : "No results: the search failed, try again.";
    $("prev").disabled = true; $("next").disabled = true; $("page-label").textContent = "";
  }

  function renderWarnings(warnings) {
    const box = $("warnings");
    box.hidden = !warnings.length;
    box.replaceChildren(...warnings.map((w) => el("div", { text: `Note: ${w}` })));
  }

  function renderResults(data) {
    const total = data.total || 0;
    const what = state.unique === "prints" ? "print" : "card";
    const first = (state.page - 1) * PAGE_SIZE + 1, last = first + data.data.length - 1;
    const pages = Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), data.max_page || Infinity));
    lastPage = pages;
    $("page-label").textContent = `Page ${state.page.toLocaleString()} of ${pages.toLocaleString()}`;
    $("prev").disabled = state.page <= 1;
    $("next").disabled = state.page >= pages;
    if (!data.data.length && total && state.page > pages) { renderPastLast(pages); return; }
    $("summary").textContent = total ? `${total.toLocaleString()} ${what}${total === 1 ? "" : "s"} · showing ${first}–${last}` : `No ${what}s match.`;
    results.replaceChildren(...data.data.map(resultCard));
    if (!data.data.length) results.append(el("li.empty", { text: "Nothing found. Try fewer filters, another game, or check the spelling." }));
  }

  /** A page number beyond the results (an old link, a hand-edited URL): say so, link the last. */
  function renderPastLast(pages) {
    const message = `Page ${state.page.toLocaleString()} is past the last page (${pages.toLocaleString()}).`;
    $("summary").textContent = message;
    const href = `/?${qs(Object.assign(params(), { page: pages > 1 ? pages : "" }))}`;
    const link = el("a", { id: "last-page-link", href, text: `Go to the last page (${pages.toLocaleString()})`,
      onclick: (e) => { e.preventDefault(); state.page = pages; run(true); } });
    results.replaceChildren(el("li.empty.past-last", {}, link));
  }

  function resultCard(item) {
    const href = `/cards/${item.card_id}`;
    const price = priceSpan(item);
    // every matching print of the card (the `prints` list itself is capped)
    const nprints = item.prints_total ?? (item.prints || []).length;
    return el("li.result", { dataset: { cardId: item.card_id, printId: item.print_id } },
      el("a.cover", { href, tabindex: "-1", "aria-hidden": "true" }, art(item)),
      el("div.body", {},
        el("h3", {}, el("a", { href, text: item.name })),
        el("span.sub", { text: `${item.set_name || item.set_code} · ${item.set_code} #${item.collector_number || "?"}` }),
        el("div.badges", {},
          el("span.badge", { text: GAME_LABEL[item.game] || item.game }),
          item.rarity ? el("span.badge", { text: item.rarity }) : null,
          nprints > 1 ? el("span.badge", { text: `${nprints} prints` }) : null),
        el("span.price", { text: price || "No price yet" }),
        availability(item)));
  }

  function renderTabs(counts) {
    const by = Object.fromEntries(counts.map((c) => [c.value, c.count]));
    const code = { mtg: "MTG", pokemon: "POKEMON", ygo: "YUGIOH", op: "OPTCG" };
    for (const tab of document.querySelectorAll("#game-tabs [role=tab]")) {
      let n = tab.querySelector(".n");
      if (!n) { n = el("span.n"); tab.append(n); }
      const g = tab.dataset.game;
      const c = g ? by[code[g]] ?? (counts.length ? 0 : undefined) : undefined;
      n.textContent = c !== undefined ? `(${c.toLocaleString()})` : "";
    }
  }

  function renderFacets(facets) {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    const nodes = [];
    for (const name of FACETS) {
      const values = (facets[name] || []).slice();
      const selected = state.filters[name];
      for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
      if (!values.length) continue;
      const legendId = `facet-${name}`;
      nodes.push(el("fieldset.facet", { "data-facet": name, "aria-describedby": "facet-keys" },
        el("legend", { id: legendId, text: FACET_LABEL[name] }),
        el("ul", {}, values.map((v) => {
          const key = `${name}:${v.value}`;
          const label = name === "available" ? { b2c: "From vendors", c2c: "From players", true: "Any" }[v.value] || v.value : v.label || v.value;
          const box = el("input", { type: "checkbox", value: v.value, "data-facet": name, "data-key": key, checked: selected.includes(v.value) });
          box.addEventListener("change", () => toggleFacet(name, v.value, box.checked));
          return el("li", {}, el("label", {}, box, el("span", { text: label }), el("span.count", { text: v.count.toLocaleString(), "data-count-for": key })));
        }))));
    }
    facetsBox.replaceChildren(...nodes);
    for (const group of facetsBox.querySelectorAll("fieldset.facet")) rove(group, null);
    const n = FACETS.reduce((a, f) => a + state.filters[f].length, 0) + (state.price_min ? 1 : 0) + (state.price_max ? 1 : 0);
    $("filter-count").textContent = n ? `(${n} on)` : "";
    if (focused) {
      const again = facetsBox.querySelector(`[data-key="${CSS.escape(focused)}"]`);
      if (again) { rove(again.closest("fieldset"), again); again.focus(); }
    }
  }

  // A facet group is one Tab stop (roving tabindex): Tab moves between groups, arrows within.
  function rove(group, to) {
    const boxes = [...group.querySelectorAll("input[type=checkbox]")];
    const stop = to || boxes.find((b) => b.checked) || boxes[0];
    for (const b of boxes) b.tabIndex = b === stop ? 0 : -1;
  }

  facetsBox.addEventListener("keydown", (e) => {
    const box = e.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const group = box.closest("fieldset");
    const boxes = [...group.querySelectorAll("input[type=checkbox]")];
    const i = boxes.indexOf(box);
    const to = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: boxes.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = boxes[Math.max(0, Math.min(boxes.length - 1, to))];
    rove(group, next); next.focus();
  });

  function toggleFacet(name, value, on) {
    const set = new Set(state.filters[name]);
    if (on) set.add(value); else set.delete(value);
    state.filters[name] = [...set];
    state.page = 1;
    run(true);
  }

  // -- suggestions ---------------------------------------------------------------------------
  let active = -1, items = [], sugTimer = null, sugCtl = null;

  function closeSuggestions() {
    list.hidden = true; list.replaceChildren(); items = []; active = -1;
    input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant");
  }

  function setActive(i) {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) { input.setAttribute("aria-activedescendant", `sug-${i}`); list.children[i].scrollIntoView({ block: "nearest" }); }
    else input.removeAttribute("aria-activedescendant");
  }

  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2 || /[:()"!<>=]/.test(text)) { closeSuggestions(); return; }
    if (sugCtl) sugCtl.abort();
    sugCtl = new AbortController();
    try {
      const data = await api(`/api/catalog/autocomplete?${qs({ q: text, game: state.game })}`, { signal: sugCtl.signal });
      items = (data.data || []).slice(0, 10);
      if (!items.length || document.activeElement !== input) { closeSuggestions(); return; }
      list.replaceChildren(...items.map((s, i) => el("li", { id: `sug-${i}`, role: "option", "aria-selected": "false",
        onmousedown: (e) => { e.preventDefault(); pick(i); } }, el("span.name", { text: s.name }), el("span.game", { text: GAME_LABEL[s.game] || s.game }))));
      list.dataset.for = text;
      list.hidden = false; input.setAttribute("aria-expanded", "true"); active = -1;
    } catch (err) { if (err.name !== "AbortError") closeSuggestions(); }
  }

  function pick(i) {
    const s = items[i];
    if (!s) return;
    closeSuggestions();
    state.q = `!"${s.name.replace(/"/g, "")}"`;
    state.page = 1;
    run(true);
  }

  input.addEventListener("input", () => { clearTimeout(sugTimer); sugTimer = setTimeout(suggest, 120); });
  input.addEventListener("keydown", (e) => {
    const open = !list.hidden && items.length;
    if (e.key === "ArrowDown" && open) { e.preventDefault(); setActive((active + 1) % items.length); }
    else if (e.key === "ArrowUp" && open) { e.preventDefault(); setActive(active <= 0 ? items.length - 1 : active - 1); }
    else if (e.key === "Enter" && open && active >= 0) { e.preventDefault(); pick(active); }
    else if (e.key === "Escape" && open) { e.preventDefault(); closeSuggestions(); }
  });
  input.addEventListener("blur", () => setTimeout(closeSuggestions, 100));

  // -- controls ------------------------------------------------------------------------------
  $("search-form").addEventListener("submit", (e) => {
    e.preventDefault(); clearTimeout(sugTimer); closeSuggestions();
    state.q = input.value.trim(); state.page = 1; run(true);
  });
  const tabs = [...document.querySelectorAll("#game-tabs [role=tab]")];
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => { state.game = tab.dataset.game; state.page = 1; for (const f of FACETS) state.filters[f] = []; run(true); });
    tab.addEventListener("keydown", (e) => {
      const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (d) { e.preventDefault(); const t = tabs[(i + d + tabs.length) % tabs.length]; t.focus(); t.click(); }
    });
  });
  for (const id of ["order", "dir", "unique"]) $(id).addEventListener("change", () => { state[id] = $(id).value; state.page = 1; run(true); });
  for (const [id, key] of [["price-min", "price_min"], ["price-max", "price_max"]]) {
    $(id).addEventListener("change", () => { state[key] = $(id).value; state.page = 1; run(true); });
  }
  $("skip-results").addEventListener("click", (e) => { e.preventDefault(); $("results-heading").focus(); });
  $("clear-filters").addEventListener("click", () => { for (const f of FACETS) state.filters[f] = []; state.price_min = state.price_max = ""; state.page = 1; run(true); });
  $("prev").addEventListener("click", () => { if (state.page > 1) { state.page = Math.min(state.page - 1, lastPage); run(true); window.scrollTo(0, 0); } });
  $("next").addEventListener("click", () => { state.page += 1; run(true); window.scrollTo(0, 0); });
  window.addEventListener("popstate", () => { Object.assign(state, readUrl()); run(false); });

  if (window.matchMedia("(max-width: 800px)").matches) $("filters-panel").open = false;
  run(false);
})();

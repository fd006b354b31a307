/* The admin review console: pending matches beside their candidates; approve, pick another
   candidate, search another SKU, or reject; keyboard shortcuts; 409 conflicts shown clearly. */
"use strict";
(function () {
  const { el, api, qs, art, pct, confClass, keyBox, getKey, showError, GAME_LABEL } = window.SD;
  const $ = (id) => document.getElementById(id);
  const LIMIT = 20;
  let offset = 0, total = 0, current = -1, loads = 0;
  const state = new Map(); // match id -> {match, picked: sku, node}

  keyBox((key) => { if (key) load(); else { $("queue").replaceChildren(); $("queue-summary").textContent = ""; } });

  function flash(kind, title, text) {
    const box = $("flash");
    box.className = `alert ${kind}`; box.hidden = false;
    box.replaceChildren(el("strong", { text: title }), document.createTextNode(text ? ` ${text}` : ""));
  }

  function filters() {
    return { seller_id: $("f-seller").value.trim(), game: $("f-game").value, min_confidence: $("f-min").value, max_confidence: $("f-max").value };
  }

  async function load() {
    if (!getKey()) { $("queue-summary").textContent = "Paste an admin API key to see the queue."; return; }
    $("queue").setAttribute("aria-busy", "true");
    const mine = ++loads;
    try {
      const data = await api(`/api/matching/review?${qs(Object.assign(filters(), { limit: LIMIT, offset }))}`, { auth: true });
      if (mine !== loads) return; // a newer load (other filters) answers instead
      $("flash").hidden = true;
      total = data.total;
      state.clear();
      $("queue").replaceChildren(...data.items.map(itemNode));
      $("queue-summary").textContent = total ? `${total} pending match${total === 1 ? "" : "es"}` : "The queue is empty. Nothing to review.";
      $("q-label").textContent = total ? `${offset + 1}–${Math.min(offset + LIMIT, total)} of ${total}` : "";
      $("q-prev").disabled = offset <= 0; $("q-next").disabled = offset + LIMIT >= total;
      current = -1;
      if (data.items.length) focusItem(0, false);
    } catch (err) {
      if (mine !== loads) return;
      $("queue").replaceChildren();
      const title = err.status === 401 ? "The API key was refused" : err.status === 403 ? "This page needs an admin key" : "Could not load the queue";
      flash("error", `${title}:`, err.message);
      $("queue-summary").textContent = "";
    } finally { $("queue").removeAttribute("aria-busy"); }
  }

  function itemNode(m) {
    const st = { match: m, picked: m.catalog_sku, node: null };
    state.set(m.id, st);
    const cands = m.candidates || [];
    const group = `pick-${m.id}`;
    const candList = el("ol.cands", { "aria-label": "Candidates" }, cands.map((c, i) => {
      const radio = el("input", { type: "radio", name: group, value: c.sku, checked: c.sku === m.catalog_sku, "aria-label": `Candidate ${i + 1}: ${c.name} ${c.set_code} ${c.number}` });
      radio.addEventListener("change", () => pick(st, c.sku));
      const fields = Object.entries(c.matched_fields || {}).map(([k, v]) => el(`span.badge${v >= 0.99 ? ".ok" : ""}`, { text: `${k} ${Math.round(v * 100)}%` }));
      const frame = art({ name: c.name, game: c.game, set_code: c.set_code, collector_number: c.number }, "small");
      loadImage(c.print_id, frame, c);
      return el("li.cand", { "data-sku": c.sku, "data-index": i + 1 },
        el("label", {}, radio, frame,
          el("span.info", {},
            el("strong", { text: `${i + 1}. ${c.name}` }),
            el("span", { text: `${c.set_name || ""} · ${c.set_code} #${c.number}${c.rarity ? ` · ${c.rarity}` : ""}` }),
            el("span.mono", { text: c.sku }),
            el("span", {}, "Confidence ", el(`span.conf.${confClass(c.confidence)}`, { text: pct(c.confidence) })),
            el("span.fields", {}, fields))));
    }));
    if (!cands.length) candList.append(el("li.hint", { text: "No candidates: search for a SKU." }));
    const custom = el("p.hint.custom-pick", { hidden: true });
    const skuInput = el("input", { type: "search", placeholder: "Search the catalog: name, set:code, cn:number…", "aria-label": "Search for another SKU" });
    const skuResults = el("ul.sku-results", { "aria-label": "Catalog results" });
    const searchForm = el("form.sku-search", { role: "search" }, skuInput, el("button.btn", { type: "submit", text: "Search" }));
    searchForm.addEventListener("submit", (e) => { e.preventDefault(); searchSku(st, skuInput.value, skuResults); });
    const statusLine = el("p.status-line", { role: "status", "aria-live": "polite" });
    const node = el("li.item", { tabindex: "-1", "data-match-id": m.id, "aria-label": `Match ${m.id}: ${m.source_text}` },
      el("div.seller-text", {},
        el("h3", { text: "Seller's listing" }),
        el("blockquote", { text: m.source_text || "(no text)" }),
        el("div.sub", {}, `Seller ${m.seller_id} · ${GAME_LABEL[m.game] || m.game || "?"}`),
        el("div.sub", { text: `${m.product_ref || ""}${m.job_id ? ` · job ${m.job_id}` : ""}` }),
        el("div.sub", {}, "Proposed ", el("span.mono", { text: m.catalog_sku || "–" }), " at ", el(`span.conf.${confClass(m.confidence_score || 0)}`, { text: pct(m.confidence_score) })),
        el("div.sub", { text: `Decision ${m.decision} · method ${m.match_method} · version ${m.version}` })),
      el("div", {},
        candList, custom,
        el("details.other", {}, el("summary", { text: "Search for a different SKU (s)" }), searchForm, skuResults),
        el("div.actions", {},
          el("button.btn.ok", { type: "button", "data-action": "approve", text: "Approve (a)", onclick: () => verify(st) }),
          el("button.btn.danger", { type: "button", "data-action": "reject", text: "Reject (r)", onclick: () => reject(st) })),
        statusLine));
    node.addEventListener("focusin", () => { const i = [...$("queue").children].indexOf(node); if (i >= 0) setCurrent(i); });
    st.node = node; st.statusLine = statusLine; st.custom = custom; st.skuInput = skuInput;
    return node;
  }

  async function loadImage(printId, frame, c) {
    try {
      const d = await api(`/api/catalog/prints/${printId}`);
      if (d.print && d.print.image) frame.replaceWith(art(Object.assign({}, d.print, { name: c.name }), "small"));
    } catch (e) { /* the placeholder stays */ }
  }

  function pick(st, sku, label) {
    st.picked = sku;
    for (const li of st.node.querySelectorAll(".cand")) li.classList.toggle("picked", li.dataset.sku === sku);
    const radio = [...st.node.querySelectorAll(".cand input[type=radio]")].find((r) => r.value === sku);
    if (radio) { radio.checked = true; st.custom.hidden = true; }
    else {
      for (const r of st.node.querySelectorAll(".cand input[type=radio]")) r.checked = false;
      st.custom.hidden = false; st.custom.replaceChildren("Picked from search: ", el("span.mono", { text: sku }), label ? ` (${label})` : "");
    }
  }

  async function searchSku(st, text, box) {
    text = text.trim();
    if (!text) return;
    box.replaceChildren(el("li.hint", { text: "Searching…" }));
    try {
      const game = { MTG: "mtg", POKEMON: "pokemon", YUGIOH: "ygo", OPTCG: "op" }[st.match.game] || "";
      const data = await api(`/api/catalog/search?${qs({ q: text, game, unique: "prints", page_size: 15 })}`);
      box.replaceChildren(...data.data.map((p) => el("li", {}, el("button", { type: "button",
        text: `${p.name} · ${p.set_code} #${p.collector_number} · ${p.language}${p.rarity ? ` · ${p.rarity}` : ""}`,
        onclick: () => chooseSku(st, p, box) }))));
      if (!data.data.length) box.append(el("li.hint", { text: "Nothing found." }));
    } catch (err) { box.replaceChildren(el("li.hint", { text: `Search failed: ${err.message}` })); }
  }

  async function chooseSku(st, p, box) {
    try {
      const d = await api(`/api/catalog/prints/${p.print_id}`);
      const skus = d.skus || [];
      const want = (st.match.catalog_sku || "").split("-");
      const cond = want.length > 4 ? want[want.length - 2] : "NM";
      const finish = want.length > 4 ? want[want.length - 1] : "";
      const label = `${p.name} ${p.set_code} #${p.collector_number}`;
      if (!skus.length) { box.replaceChildren(el("li.hint", { text: "That print has no SKUs." })); return; }
      box.replaceChildren(...skus.map((s) => el("li", {}, el("button", { type: "button", text: `${s.sku}${s.condition === cond && s.finish === finish ? " (same condition and finish)" : ""}`,
        onclick: () => { pick(st, s.sku, label); box.replaceChildren(); } }))));
    } catch (err) { box.replaceChildren(el("li.hint", { text: `Could not load the SKUs: ${err.message}` })); }
  }

  function done(st, row, verb) {
    st.match = row;
    st.node.classList.add("done");
    st.statusLine.className = `status-line alert ${row.status === "rejected" ? "info" : "ok"}`;
    st.statusLine.textContent = `${verb}: ${row.status}${row.catalog_sku ? ` → ${row.catalog_sku}` : ""} (by ${row.verified_by || "you"})`;
    st.node.dataset.status = row.status;
    for (const b of st.node.querySelectorAll("button, input")) b.disabled = true;
    total = Math.max(0, total - 1);
    $("queue-summary").textContent = `${total} pending match${total === 1 ? "" : "es"}`;
    next();
  }

  async function conflict(st, err) {
    let now = null;
    try { now = await api(`/api/matching/matches/${st.match.id}`, { auth: true }); } catch (e) { /* keep the message */ }
    const who = now ? ` It is now ${now.status}${now.verified_by ? ` by ${now.verified_by}` : ""}${now.catalog_sku ? ` (${now.catalog_sku})` : ""}, version ${now.version}.` : "";
    flash("warn", `Conflict on match ${st.match.id}:`, `${err.message}.${who} Your action was not applied.`);
    st.node.classList.add("done");
    st.node.dataset.status = "conflict";
    st.statusLine.className = "status-line alert warn";
    st.statusLine.textContent = `409 conflict: someone acted first.${who} Nothing was changed.`;
    for (const b of st.node.querySelectorAll("button, input")) b.disabled = true;
  }

  async function act(st, path, body, verb) {
    try {
      const row = await api(`/api/matching/matches/${st.match.id}/${path}`, { method: "POST", json: body, auth: true });
      flash("ok", `${verb}:`, `match ${row.id} ${row.status}${row.catalog_sku ? ` → ${row.catalog_sku}` : ""}.`);
      done(st, row, verb);
    } catch (err) {
      if (err.status === 409) conflict(st, err);
      else flash("error", `${verb} failed (${err.status || "network"}):`, err.message);
    }
  }

  function verify(st) {
    const body = { version: st.match.version };
    if (st.picked && st.picked !== st.match.catalog_sku) body.sku = st.picked;
    return act(st, "verify", body, body.sku ? "Reassigned" : "Approved");
  }
  function reject(st) { return act(st, "reject", { version: st.match.version }, "Rejected"); }

  // -- keyboard --------------------------------------------------------------------------------
  function items() { return [...$("queue").children]; }
  function setCurrent(i) {
    items().forEach((n, j) => n.classList.toggle("current", j === i));
    current = i;
  }
  function focusItem(i, focus = true) {
    const list = items();
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    setCurrent(i);
    if (focus) { list[i].focus({ preventScroll: true }); list[i].scrollIntoView({ block: "nearest" }); }
  }
  function next() {
    const list = items();
    const j = list.findIndex((n, k) => k > current && !n.classList.contains("done"));
    if (j >= 0) focusItem(j);
  }
  function currentState() {
    const node = items()[current];
    return node ? state.get(Number(node.dataset.matchId)) : null;
  }

  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" && t.type !== "radio" && t.type !== "checkbox" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    const st = currentState();
    if (e.key === "j") { e.preventDefault(); focusItem(current + 1); }
    else if (e.key === "k") { e.preventDefault(); focusItem(current - 1); }
    else if (!st || st.node.classList.contains("done")) return;
    else if (/^[1-5]$/.test(e.key)) {
      const c = (st.match.candidates || [])[Number(e.key) - 1];
      if (c) { e.preventDefault(); pick(st, c.sku); }
    } else if (e.key === "a") { e.preventDefault(); verify(st); }
    else if (e.key === "r") { e.preventDefault(); reject(st); }
    else if (e.key === "s") {
      e.preventDefault();
      const d = st.node.querySelector("details.other"); d.open = true; st.skuInput.focus();
    }
  });

  $("filters").addEventListener("submit", (e) => { e.preventDefault(); offset = 0; load(); });
  $("q-prev").addEventListener("click", () => { offset = Math.max(0, offset - LIMIT); load(); });
  $("q-next").addEventListener("click", () => { offset += LIMIT; load(); });
  load();
})();

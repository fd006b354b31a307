/* The admin review console: pending matches beside their candidates, filtered and sorted, paged
   by cursor; approve, pick another candidate, search the catalog's prints for another SKU, or
   reject (after a confirmation); identical proposals verified as a group (after a confirmation);
   undo of the last action; keyboard shortcuts; 409 conflicts shown clearly. */
"use strict";
(function () {
  const { el, api, qs, art, pct, confClass, keyBox, getKey, showError, GAME_LABEL } = window.SD;
  const $ = (id) => document.getElementById(id);
  const LIMIT = 20;
  let total = 0, current = -1, loads = 0, view = "items", lastAction = null;
  let cursors = [null]; // the cursor of each page seen so far (keyset paging)
  const state = new Map(); // match id -> {match, picked: sku, node}

  keyBox((key) => {
    if (key) { reload(); loadLastAction(); }
    else { $("queue").replaceChildren(); $("groups").replaceChildren(); $("queue-summary").textContent = ""; }
  });

  function flash(kind, title, text) {
    const box = $("flash");
    box.className = `alert ${kind}`; box.hidden = false;
    box.replaceChildren(el("strong", { text: title }), document.createTextNode(text ? ` ${text}` : ""));
  }

  function filters() {
    return {
      seller_id: $("f-seller").value.trim(), game: $("f-game").value, min_confidence: $("f-min").value,
      max_confidence: $("f-max").value, job_id: $("f-job").value, set: $("f-set").value.trim(), reason: $("f-reason").value,
    };
  }
  const plural = (n, word) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : word.endsWith("ch") ? "es" : "s"}`;

  function reload() { cursors = [null]; return view === "groups" ? loadGroups() : load(); }

  function fillReasons(reasons) {
    const select = $("f-reason");
    if (select.options.length > 1 || !reasons) return;
    select.append(...reasons.map((r) => el("option", { value: r.code, text: r.label })));
  }

  async function load() {
    if (!getKey()) { $("queue-summary").textContent = "Paste an admin API key to see the queue."; return; }
    $("queue").setAttribute("aria-busy", "true");
    const mine = ++loads;
    const page = cursors.length - 1;
    try {
      const params = Object.assign(filters(), { sort: $("f-sort").value, limit: LIMIT, cursor: cursors[page] });
      const data = await api(`/api/matching/review?${qs(params)}`, { auth: true });
      if (mine !== loads) return; // a newer load (other filters) answers instead
      $("flash").hidden = true;
      fillReasons(data.reasons);
      total = data.total;
      state.clear();
      $("queue").replaceChildren(...data.items.map(itemNode));
      $("queue-summary").textContent = total ? `${plural(total, "pending match")}` : "The queue is empty. Nothing to review.";
      const first = page * LIMIT;
      $("q-label").textContent = total ? `${first + 1}–${first + data.items.length} of ${total}` : "";
      $("q-prev").disabled = page <= 0; $("q-next").disabled = !data.next_cursor;
      $("q-next").dataset.cursor = data.next_cursor || "";
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
    const skuInput = el("input", { type: "search", name: "q", placeholder: "Card name (or the query language)", "aria-label": "Card name" });
    const setInput = el("input.narrow", { name: "set", placeholder: "Set code", "aria-label": "Set code" });
    const numberInput = el("input.narrow", { name: "number", placeholder: "Number", "aria-label": "Collector number" });
    const skuResults = el("ul.sku-results", { "aria-label": "Catalog prints" });
    const searchForm = el("form.sku-search", { role: "search", "aria-label": "Search the catalog's prints" },
      skuInput, setInput, numberInput, el("button.btn", { type: "submit", text: "Search" }));
    searchForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const words = [skuInput.value.trim(), setInput.value.trim() && `s:${setInput.value.trim()}`, numberInput.value.trim() && `cn:${numberInput.value.trim()}`];
      searchSku(st, words.filter(Boolean).join(" "), skuResults);
    });
    const statusLine = el("p.status-line", { role: "status", "aria-live": "polite" });
    const node = el("li.item", { tabindex: "-1", "data-match-id": m.id, "aria-label": `Match ${m.id}: ${m.source_text}` },
      el("div.seller-text", {},
        el("h3", { text: "Seller's listing" }),
        el("blockquote", { text: m.source_text || "(no text)" }),
        el("div.sub", {}, `Seller ${m.seller_id} · ${GAME_LABEL[m.game] || m.game || "?"}`),
        el("div.sub", { text: m.row_label || `${m.product_ref || ""}${m.job_id ? ` · job ${m.job_id}` : ""}` }),
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
      box.replaceChildren(...data.data.map((p) => el("li.print-result", {}, el("button", { type: "button",
        "aria-label": `${p.name}, ${p.set_name || p.set_code} number ${p.collector_number}, ${p.rarity || "no rarity"}, ${p.language}`,
        onclick: () => chooseSku(st, p, box) },
        art(p, "small"),
        el("span.info", {},
          el("strong", { text: p.name }),
          el("span", { text: `${p.set_name || ""} (${p.set_code}) #${p.collector_number}` }),
          el("span", { text: [p.rarity, p.language, (p.finishes || []).join(" / ")].filter(Boolean).join(" · ") }))))));
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
      box.replaceChildren(el("li.hint", { text: `${label}: pick the copy (condition, finish, language)` }),
        ...skus.map((s) => el("li.sku-choice", {}, el("button", { type: "button",
          onclick: () => { pick(st, s.sku, label); box.replaceChildren(); } },
          el("span", { text: [s.condition, s.finish, s.language, s.grade].filter(Boolean).join(" · ") }),
          el("span.mono", { text: ` ${s.sku}` }),
          s.condition === cond && s.finish === finish ? el("span.badge.ok", { text: "same condition and finish" }) : null))));
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
      setLastAction({ id: row.action_id, match_count: 1, kind: path, match_ids: [row.id] });
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
  async function reject(st) {
    const ok = await confirmAction({ title: `Reject match ${st.match.id}?`, danger: true, okLabel: "Reject",
      text: `“${st.match.source_text || ""}” will leave the queue as wrong (undo brings it back).` });
    if (ok) return act(st, "reject", { version: st.match.version }, "Rejected");
  }

  // -- confirmation ----------------------------------------------------------------------------
  /** Ask before a destructive or bulk action: resolves true on confirm, false on cancel / Esc. */
  function confirmAction({ title, text, okLabel, danger }) {
    const dialog = $("confirm"), ok = $("confirm-ok");
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    ok.textContent = okLabel; ok.className = `btn ${danger ? "danger" : "ok"}`;
    const back = document.activeElement;
    return new Promise((resolve) => {
      const finish = (answer) => {
        dialog.removeEventListener("close", onClose);
        if (dialog.open) dialog.close();
        if (back && back.focus) back.focus({ preventScroll: true });
        resolve(answer);
      };
      const onClose = () => finish(false);
      dialog.addEventListener("close", onClose);
      ok.onclick = () => finish(true);
      $("confirm-cancel").onclick = () => finish(false);
      dialog.onkeydown = (e) => {
        if (e.key === "y") { e.preventDefault(); finish(true); }
        else if (e.key === "n") { e.preventDefault(); finish(false); }
      };
      dialog.showModal();
      ok.focus();
    });
  }

  // -- undo ------------------------------------------------------------------------------------
  const ACTION_WORDS = { verify: "verified", reassign: "reassigned", reject: "rejected", group_verify: "verified as a group" };
  function setLastAction(action) {
    lastAction = action && action.id ? action : null;
    const button = $("undo");
    button.hidden = !lastAction;
    if (lastAction) {
      const what = lastAction.match_count === 1 ? `match ${lastAction.match_ids[0]}` : plural(lastAction.match_count, "match");
      button.textContent = `Undo (u): ${what} ${ACTION_WORDS[lastAction.kind] || lastAction.kind}`;
    }
  }
  async function loadLastAction() {
    try { setLastAction((await api("/api/matching/review/actions/last", { auth: true })).action); }
    catch (e) { setLastAction(null); }
  }
  async function undo() {
    if (!lastAction) return;
    try {
      const data = await api(`/api/matching/review/actions/${lastAction.id}/undo`, { method: "POST", auth: true });
      await loadLastAction();
      await (view === "groups" ? loadGroups() : load());
      flash("ok", "Undone:", `${plural(data.undone, "match")} back as ${data.undone === 1 ? "it was" : "they were"} before.`);
    } catch (err) {
      flash(err.status === 409 ? "warn" : "error", "Undo failed:", err.message);
      if (err.status === 409) await loadLastAction();
    }
  }
  $("undo").addEventListener("click", undo);

  // -- identical proposals ---------------------------------------------------------------------
  function setView(name) {
    view = name;
    $("view-items").setAttribute("aria-pressed", String(name === "items"));
    $("view-groups").setAttribute("aria-pressed", String(name === "groups"));
    $("queue").hidden = name !== "items"; $("groups").hidden = name !== "groups";
    reload();
  }
  $("view-items").addEventListener("click", () => setView("items"));
  $("view-groups").addEventListener("click", () => setView("groups"));

  async function loadGroups() {
    if (!getKey()) return;
    const mine = ++loads;
    const page = cursors.length - 1;
    $("groups").setAttribute("aria-busy", "true");
    try {
      const data = await api(`/api/matching/review/groups?${qs(Object.assign(filters(), { limit: LIMIT, offset: page * LIMIT }))}`, { auth: true });
      if (mine !== loads) return;
      $("flash").hidden = true;
      $("groups").replaceChildren(...data.groups.map(groupNode));
      const matches = data.groups.reduce((n, g) => n + g.count, 0);
      $("queue-summary").textContent = data.total
        ? `${plural(data.total, "group")} of identical proposals (${plural(matches, "match")} on this page)`
        : "No identical proposals: every pending match is one of a kind.";
      $("q-label").textContent = data.total ? `groups ${page * LIMIT + 1}–${page * LIMIT + data.groups.length} of ${data.total}` : "";
      $("q-prev").disabled = page <= 0; $("q-next").disabled = (page + 1) * LIMIT >= data.total;
      $("q-next").dataset.cursor = "next";
    } catch (err) {
      if (mine !== loads) return;
      flash("error", "Could not load the groups:", err.message);
    } finally { $("groups").removeAttribute("aria-busy"); }
  }

  function groupNode(g) {
    const p = g.proposal || {};
    const frame = art({ name: p.name, game: p.game || g.game, set_code: p.set_code, collector_number: p.number }, "small");
    if (p.print_id) loadImage(p.print_id, frame, p);
    const range = g.min_confidence === g.max_confidence ? pct(g.min_confidence) : `${pct(g.min_confidence)}–${pct(g.max_confidence)}`;
    const button = el("button.btn.ok", { type: "button", "data-action": "verify-group", text: `Verify all ${g.count}` });
    const node = el("li.item.group", { "data-sku": g.catalog_sku, "data-count": g.count, "aria-label": `${g.count} matches proposing ${g.catalog_sku}` },
      el("div.seller-text", {},
        el("h3", { text: `${plural(g.count, "match")} with the same text` }),
        el("blockquote", { text: g.source_text || "(no text)" }),
        el("div.sub", { text: `${plural(g.sellers, "seller")} · ${GAME_LABEL[g.game] || g.game || "?"} · confidence ${range}` })),
      el("div", {},
        el("div.cand.picked", {}, frame,
          el("span.info", {},
            el("strong", { text: `Proposed: ${p.name || g.catalog_sku}` }),
            el("span", { text: `${p.set_name || ""} · ${p.set_code || ""} #${p.number || ""}${p.rarity ? ` · ${p.rarity}` : ""}` }),
            el("span.mono", { text: g.catalog_sku }))),
        el("div.actions", {}, button),
        el("p.status-line", { role: "status", "aria-live": "polite" })));
    button.addEventListener("click", () => verifyGroup(g, node));
    return node;
  }

  async function verifyGroup(g, node) {
    const ok = await confirmAction({ title: `Verify ${plural(g.count, "match")} at once?`, okLabel: `Verify ${g.count}`,
      text: `Every one proposes ${g.catalog_sku} for “${g.source_text || ""}”. Matches someone changed since this list was loaded are reported, not overwritten.` });
    if (!ok) return;
    const line = node.querySelector(".status-line");
    try {
      const data = await api("/api/matching/review/groups/verify", { method: "POST", auth: true,
        json: { catalog_sku: g.catalog_sku, source_key: g.source_key, members: g.members } });
      const lost = data.conflicts.length;
      const text = `${data.verified} of ${g.count} verified${lost ? `; ${lost} changed by someone else first and left as they are` : ""}.`;
      flash(lost ? "warn" : "ok", "Group verified:", text);
      line.className = `status-line alert ${lost ? "warn" : "ok"}`; line.textContent = text;
      node.classList.add("done"); node.dataset.status = "verified";
      for (const b of node.querySelectorAll("button")) b.disabled = true;
      if (data.action_id) setLastAction({ id: data.action_id, match_count: data.verified, kind: "group_verify", match_ids: [] });
    } catch (err) {
      flash(err.status === 409 ? "warn" : "error", `Group verification failed (${err.status || "network"}):`, err.message);
    }
  }

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
    if (e.ctrlKey || e.metaKey || e.altKey || $("confirm").open) return;
    if (t && (t.tagName === "INPUT" && t.type !== "radio" && t.type !== "checkbox" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      return;
    }
    if (e.key === "u") { e.preventDefault(); undo(); return; }
    if (e.key === "g") { e.preventDefault(); setView(view === "groups" ? "items" : "groups"); return; }
    if (view !== "items") return;
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

  $("filters").addEventListener("submit", (e) => { e.preventDefault(); reload(); });
  $("q-prev").addEventListener("click", () => { if (cursors.length > 1) cursors.pop(); view === "groups" ? loadGroups() : load(); });
  $("q-next").addEventListener("click", () => { cursors.push($("q-next").dataset.cursor || null); view === "groups" ? loadGroups() : load(); });
  load();
  if (getKey()) loadLastAction();
})();

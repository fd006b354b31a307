/* The vendor page: upload an export, follow the job's progress, browse and download results. */
"use strict";
(function () {
  const { el, api, qs, pct, confClass, keyBox, getKey, showError } = window.SD;
  const $ = (id) => document.getElementById(id);
  const ROWS = 50;
  let jobId = null, status = "", reason = "", offset = 0, timer = null;

  keyBox((key) => { if (key) loadJobs(); else $("jobs").replaceChildren(); });

  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const errBox = $("upload-error");
    errBox.hidden = true;
    if (!getKey()) { showError(errBox, new Error("paste your API key above first"), "No API key"); return; }
    const file = $("file").files[0];
    if (!file) return;
    if (await refuseOversize(file)) return;
    const form = new FormData();
    form.append("file", file);
    for (const [id, name] of [["format", "format"], ["game", "game"], ["seller-id", "seller_id"], ["mapping-json", "mapping"]]) {
      const v = $(id).value.trim();
      if (v) form.append(name, v);
    }
    const btn = $("upload-btn");
    btn.disabled = true; btn.textContent = "Uploading…";
    try {
      const job = await api("/api/matching/jobs", { method: "POST", body: form, auth: true });
      watch(job);
      loadJobs();
    } catch (err) {
      showError(errBox, err, err.status === 401 ? "The API key was refused" : "Upload failed");
    } finally {
      btn.disabled = false; btn.textContent = "Upload and match";
    }
  });

  // A file over the upload limit the API publishes is refused here, before it is sent.
  /** Shows why `file` is too large (true) or clears that message (false). */
  async function refuseOversize(file) {
    const message = await window.SD.oversizeMessage(file);
    const errBox = $("upload-error");
    if (!message) {
      if (errBox.dataset.code === "upload_too_large") errBox.hidden = true;
      return false;
    }
    showError(errBox, Object.assign(new Error(message), { code: "upload_too_large" }), "File too large");
    return true;
  }
  $("file").addEventListener("change", () => refuseOversize($("file").files[0]));

  function renderJob(job) {
    $("job").hidden = false;
    $("job-title").textContent = `Job ${job.id} · ${job.filename || "upload"} (${job.format || "?"})`;
    const p = Math.round((job.progress || 0) * 100);
    const prog = $("job-progress");
    prog.value = job.status === "succeeded" ? 100 : p;
    const label = { queued: "Queued", running: "Matching", succeeded: "Finished", failed: "Failed" }[job.status] || job.status;
    // a job whose worker stopped beating says so (the API's stale flag; the broker hands it on)
    const stalled = job.stale ? ` · no progress for ${Math.round(job.heartbeat_age_s || 0)} s, waiting for a worker to take it over` : "";
    $("job-progress-label").textContent = `${label} · ${job.processed_rows || 0} / ${job.total_rows ?? "?"} rows (${job.status === "succeeded" ? 100 : p}%)${stalled}`;
    $("job").dataset.stale = String(Boolean(job.stale));
    $("job").dataset.status = job.status;
    const c = job.counts || {};
    $("job-counts").replaceChildren(...["auto", "review", "none", "error"].map((k) =>
      el("div", {}, el("dt", { text: k }), el("dd", { text: String(c[k] || 0), "data-count": k }))));
    for (const t of document.querySelectorAll("#status-tabs [role=tab]")) {
      let n = t.querySelector(".n");
      if (!n) { n = el("span.n"); t.append(n); }
      const v = t.dataset.status ? c[t.dataset.status] : job.total_rows;
      n.textContent = v === null || v === undefined ? "" : `(${v})`;
    }
    if (job.error) showError($("upload-error"), new Error(job.error), "The job stopped");
  }

  async function watch(job) {
    clearTimeout(timer);
    jobId = job.id; status = ""; reason = ""; offset = 0;
    renderJob(job);
    $("results-panel").hidden = true;
    const poll = async () => {
      try {
        const j = await api(`/api/matching/jobs/${jobId}`, { auth: true });
        renderJob(j);
        if (j.status === "succeeded" || j.status === "failed") { showResults(); loadJobs(); return; }
      } catch (err) { showError($("upload-error"), err, "Could not read the job"); return; }
      timer = setTimeout(poll, 500);
    };
    if (job.status === "succeeded" || job.status === "failed") showResults(); else timer = setTimeout(poll, 300);
  }

  function showResults() {
    $("results-panel").hidden = false;
    loadReasons();
    loadRows();
  }

  // "Why not matched": the reasons the job's rows have (summary counts, the API's labels).
  async function loadReasons() {
    const pick = $("reason-filter");
    try {
      const job = await api(`/api/matching/jobs/${jobId}`, { auth: true });
      const rows = {};
      for (const byCode of Object.values(job.reasons || {})) for (const [code, n] of Object.entries(byCode)) rows[code] = (rows[code] || 0) + n;
      const codes = Object.keys(job.reason_labels || {});
      pick.replaceChildren(el("option", { value: "", text: "Any reason" }),
        ...codes.map((code) => el("option", { value: code, text: `${job.reason_labels[code]} (${rows[code] || 0})` })));
      pick.value = reason;
      $("reason-row").hidden = !codes.length;
    } catch (err) { showError($("upload-error"), err, "Could not read the job's reasons"); }
  }
  $("reason-filter").addEventListener("change", () => { reason = $("reason-filter").value; offset = 0; loadRows(); });

  // A none row names no card: its best candidate is only a suggestion, under its reason.
  function matchCell(r, shown) {
    if (shown) return `${shown.name} (${shown.set_code} #${shown.number})`;
    const hint = r.status === "none" && r.candidates && r.candidates[0];
    return [r.reason || "–", ...(hint ? [el("div.hint", { text: `Suggestion: ${hint.name} (${hint.set_code} #${hint.number})` })] : [])];
  }

  // The row's current state (an admin's or the seller's decision since the match), who and when.
  function stateCell(r) {
    const state = r.state || r.status;
    const out = [el(`span.badge.${state}`, { text: state, title: r.review_note || "" })];
    if (r.decided_by) out.push(el("div.hint", { text: `by ${r.decided_by}${r.decided_at ? ` · ${new Date(r.decided_at).toLocaleString()}` : ""}` }));
    if (r.review_note) out.push(el("div.hint", { text: `“${r.review_note}”` }));
    return out;
  }

  // A seller decides their own review / none rows: the proposal or another candidate.
  function decisionCell(r) {
    const state = r.state || r.status;
    const candidates = r.candidates || [];
    if (!["review", "none"].includes(state) || !candidates.length) return "";
    const pick = el("select", { "aria-label": `Card for line ${r.line_number}` },
      ...candidates.map((c) => el("option", { value: c.sku, text: `${c.name} (${c.set_code} #${c.number}) · ${pct(c.confidence)}` })));
    if (r.sku) pick.value = r.sku;
    const go = el("button.btn", { type: "button", text: state === "review" && pick.value === r.sku ? "Accept" : "Use this card" });
    pick.addEventListener("change", () => { go.textContent = pick.value === r.sku ? "Accept" : "Use this card"; });
    go.addEventListener("click", async () => {
      go.disabled = true;
      try {
        await api(`/api/matching/jobs/${jobId}/rows/${r.line_number}/decision`, { method: "POST", auth: true, json: { sku: pick.value } });
        loadRows();
      } catch (err) { go.disabled = false; showError($("upload-error"), err, "Your choice was not recorded"); }
    });
    return el("div.decide", {}, pick, go);
  }

  // Tabs, the reason filter and paging can each start a load before the last one answers:
  // only the newest request may paint the table, or a slow earlier answer overwrites it.
  let rowsRequest = 0;
  async function loadRows() {
    const request = ++rowsRequest;
    const tbody = $("rows").querySelector("tbody");
    for (const t of document.querySelectorAll("#status-tabs [role=tab]")) t.setAttribute("aria-selected", String(t.dataset.status === status));
    $("download").href = `/api/matching/jobs/${jobId}/results?${qs({ format: "csv", status, reason })}`;
    try {
      const data = await api(`/api/matching/jobs/${jobId}/results?${qs({ status, reason, limit: ROWS, offset })}`, { auth: true });
      if (request !== rowsRequest) return;
      const rows = data.items.map((r) => {
        const shown = r.sku ? (r.candidates || []).find((c) => c.sku === r.sku) : null; // a none row's candidates are only suggestions
        const text = r.input && typeof r.input === "object" ? Object.values(r.input).filter(Boolean).join(" · ") : String(r.input || "");
        return el("tr", { "data-status": r.status, "data-state": r.state || r.status, "data-line": String(r.line_number) },
          el("td", { text: String(r.line_number ?? r.row_index + 1) }),
          el("td.listing", { text: text.length > 120 ? `${text.slice(0, 119)}…` : text, title: text }),
          el("td", {}, ...stateCell(r)),
          el("td", {}, matchCell(r, shown)),
          el("td.mono", {}, r.sku || "–", ...(r.original_sku && r.original_sku !== r.sku ? [el("div.hint", { text: `was ${r.original_sku}` })] : [])),
          el("td", {}, r.confidence !== null && r.confidence !== undefined ? el(`span.conf.${confClass(r.confidence)}`, { text: pct(r.confidence) }) : "–"),
          el("td", { text: String(r.quantity ?? "") }),
          el("td", {}, decisionCell(r)));
      });
      if (!rows.length) rows.push(el("tr", {}, el("td.empty", { colspan: "8", text: "No rows with this status and reason." })));
      tbody.replaceChildren(...rows);
      const end = Math.min(offset + ROWS, data.total);
      $("rows-label").textContent = data.total ? `${offset + 1}–${end} of ${data.total}` : "0 rows";
      $("rows-prev").disabled = offset <= 0;
      $("rows-next").disabled = end >= data.total;
    } catch (err) { if (request === rowsRequest) showError($("upload-error"), err, "Could not load the results"); }
  }

  // The download link needs the key too: fetch it and save the blob.
  $("download").addEventListener("click", async (e) => {
    e.preventDefault();
    try {
      const resp = await fetch($("download").href, { headers: { Authorization: `Bearer ${getKey()}` } });
      if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
      const blob = await resp.blob();
      const a = el("a", { href: URL.createObjectURL(blob), download: `match-job-${jobId}-${status || "all"}.csv` });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 5000);
    } catch (err) { showError($("upload-error"), err, "Download failed"); }
  });

  for (const t of document.querySelectorAll("#status-tabs [role=tab]")) {
    t.addEventListener("click", () => { status = t.dataset.status; offset = 0; loadRows(); });
  }
  $("rows-prev").addEventListener("click", () => { offset = Math.max(0, offset - ROWS); loadRows(); });
  $("rows-next").addEventListener("click", () => { offset += ROWS; loadRows(); });

  async function loadJobs() {
    if (!getKey()) return;
    try {
      const data = await api("/api/matching/jobs?limit=10", { auth: true });
      $("jobs").replaceChildren(...data.items.map((j) => el("li", {},
        el("strong", { text: `#${j.id}` }), el("span", { text: j.filename || "" }),
        el(`span.badge.${j.status === "succeeded" ? "auto" : j.status === "failed" ? "error" : "review"}`, { text: j.status }),
        el("span.hint", { text: `${j.total_rows ?? "?"} rows · auto ${j.counts.auto} · review ${j.counts.review} · none ${j.counts.none} · error ${j.counts.error}` }),
        el("button.btn", { type: "button", text: "Open", onclick: () => watch(j) }))));
      if (!data.items.length) $("jobs").append(el("li.hint", { text: "No jobs yet." }));
    } catch (err) {
      $("jobs").replaceChildren(el("li", {}, el("span.badge.error", { text: err.status === 401 || err.status === 403 ? "key refused" : "error" }), ` ${err.message}`));
    }
  }
  loadJobs();
})();

/* The vendor page's mapping editor: when a file is chosen, the API's preview shows the detected
   format and every column with a sample of its values; the seller picks the field each column
   holds and re-runs. The chosen mapping goes in the upload form's hidden `mapping` field (and the
   format it overrides in the Format option), so the upload sends it; the API saves it for the
   seller and applies it to the next upload of the same header by itself. */
"use strict";
(function () {
  const { el, api, getKey, showError } = window.SD;
  const $ = (id) => document.getElementById(id);
  let preview = null; // the last preview answer
  let token = 0; // the latest preview request (older answers are dropped)
  let formatFromEditor = false; // the Format option was filled in by the editor, not the seller

  async function loadPreview() {
    const file = $("file").files[0];
    $("mapping-json").value = "";
    if (!file || !getKey() || (await window.SD.oversizeMessage(file))) { $("mapping").hidden = true; return; }
    const mine = ++token;
    const form = new FormData();
    form.append("file", file);
    for (const [id, name] of [["format", "format"], ["game", "game"], ["seller-id", "seller_id"]]) {
      const v = $(id).value.trim();
      if (v) form.append(name, v);
    }
    try {
      const answer = await api("/api/matching/jobs/preview", { method: "POST", body: form, auth: true });
      if (mine !== token) return;
      preview = answer;
      render();
      $("mapping-error").hidden = true;
    } catch (err) {
      if (mine !== token) return;
      $("mapping").hidden = false;
      $("mapping-table").hidden = true;
      $("mapping-summary").textContent = "";
      const missing = err.body && err.body.missing_columns;
      showError($("mapping-error"), err, missing ? "The format does not fit this file" : "Could not read the file's columns");
    }
  }

  function fieldOptions(current) {
    const options = [el("option", { value: "", text: "— not used —" })];
    const known = new Set(preview.fields.map((f) => f.name));
    for (const f of preview.fields) {
      options.push(el("option", { value: f.name, text: `${f.label} (${f.name})`, selected: f.name === current }));
    }
    if (current && !known.has(current)) options.push(el("option", { value: current, text: current, selected: true }));
    return options;
  }

  function render() {
    const fieldOf = {}; // column -> field
    for (const [field, column] of Object.entries(preview.mapping)) fieldOf[column] = field;
    const samples = preview.sample.slice(0, 3);
    const rows = preview.header.map((column, i) => {
      const id = `map-col-${i}`;
      return el("tr", {},
        el("th", { scope: "row" }, el("label", { for: id, text: column || `(column ${i + 1})` })),
        el("td.sample", { text: samples.map((r) => r.values[i]).filter((v) => v).join(" · ") || "–" }),
        el("td", {}, el("select", { id, "data-column": column, onchange: updateMapping }, fieldOptions(fieldOf[column]))));
    });
    $("mapping-table").querySelector("tbody").replaceChildren(...rows);
    $("mapping-table").hidden = false;
    const saved = preview.saved_mapping;
    const what = preview.format ? `Detected format: ${preview.format}` : "No known format has these columns: choose the field of each column";
    $("mapping-summary").textContent = [
      what,
      saved ? "your saved mapping for these columns is applied" : "",
      `${preview.header.length} columns, encoding ${preview.encoding || "?"}`,
    ].filter(Boolean).join(" · ");
    $("mapping").dataset.format = preview.format || "";
    $("mapping").dataset.saved = saved ? "applied" : "";
    $("mapping").hidden = false;
  }

  /** The editor's choices as the API's mapping (field -> column); fields the format read from a
   *  column the seller cleared are sent empty, so the format stops reading them. */
  function updateMapping() {
    const chosen = {};
    for (const select of $("mapping-table").querySelectorAll("select")) {
      if (select.value) chosen[select.value] = select.dataset.column;
    }
    for (const field of Object.keys(preview.mapping)) if (!(field in chosen)) chosen[field] = "";
    const same = Object.keys(chosen).length === Object.keys(preview.mapping).length &&
      Object.entries(chosen).every(([f, c]) => preview.mapping[f] === c);
    $("mapping-json").value = same ? "" : JSON.stringify(chosen);
    if (!same && preview.format && preview.format !== "generic" && !$("format").value.trim()) {
      $("format").value = preview.format;
      formatFromEditor = true;
    }
    $("mapping-status").textContent = same ? "" : "Mapping changed: run again to use it.";
  }

  $("file").addEventListener("change", () => {
    if (formatFromEditor) { $("format").value = ""; formatFromEditor = false; }
    loadPreview();
  });
  $("format").addEventListener("change", loadPreview);
  $("mapping-run").addEventListener("click", () => $("upload-form").requestSubmit());
})();

/* Shared helpers of the pages: DOM building, the JSON API, the API key, card art. */
"use strict";
window.SD = (function () {
  const GAME_LABEL = { MTG: "Magic", POKEMON: "Pokémon", YUGIOH: "Yu-Gi-Oh!", OPTCG: "One Piece" };
  const GAME_MARK = { MTG: "MTG", POKEMON: "PKM", YUGIOH: "YGO", OPTCG: "OP" };
  const KEY_STORE = "sidedecked.apiKey";

  /** el("div.cls", {attr: v}, child...) — text children are always text nodes (no HTML). */
  function el(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split(".");
    const node = document.createElement(tag || "div");
    if (classes.length) node.className = classes.join(" ");
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(node.dataset, v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  class ApiError extends Error {
    constructor(status, body) {
      const details = body && body.details !== undefined ? body.details : body;
      super(formatDetails(details) || `HTTP ${status}`);
      this.status = status; this.code = body && body.code; this.body = body || {};
    }
  }

  function formatDetails(details) {
    if (details === null || details === undefined) return "";
    if (typeof details === "string") return details;
    if (Array.isArray(details)) {
      return details.map((d) => (d && d.message ? d.message : d && d.msg ? `${(d.loc || []).slice(1).join(".")}: ${d.msg}` : JSON.stringify(d))).join("; ");
    }
    if (typeof details === "object" && details.message) return String(details.message);
    return JSON.stringify(details);
  }

  function getKey() { try { return sessionStorage.getItem(KEY_STORE) || ""; } catch (e) { return ""; } }
  function setKey(k) { try { if (k) sessionStorage.setItem(KEY_STORE, k); else sessionStorage.removeItem(KEY_STORE); } catch (e) { /* private mode */ } }

  async function api(path, opts = {}) {
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    if (opts.auth) {
      const key = getKey();
      if (key) headers.Authorization = `Bearer ${key}`;
    }
    let body = opts.body;
    if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(opts.json); }
    let resp;
    try {
      resp = await fetch(path, { method: opts.method || "GET", headers, body, signal: opts.signal });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new ApiError(0, { code: "network", details: "The server could not be reached." });
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { code: "bad_response", details: text.slice(0, 200) }; }
    if (!resp.ok) throw new ApiError(resp.status, data);
    return data;
  }

  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) v.forEach((x) => u.append(k, x));
      else if (v !== null && v !== undefined && v !== "") u.append(k, v);
    }
    return u.toString();
  }

  /** The card frame: a styled placeholder, replaced by the image only once it has loaded. */
  function art(item, size) {
    const game = item.game || "";
    const frame = el(`div.art${size === "small" ? ".small" : ""}`, {});
    const ph = el(`div.placeholder.g-${game}`, { "aria-hidden": "true" },
      el("span.ph-name", { text: item.name || "Unknown card" }),
      el("span.ph-window", {}, el("span", { text: GAME_MARK[game] || "?" }),
        item.type_line ? el("span.ph-type", { text: item.type_line }) : null),
      el("span.ph-foot", {},
        el("span", { text: item.set_code || "" }),
        el("span", { text: item.collector_number || item.number ? `#${item.collector_number || item.number}` : "" })));
    frame.append(ph);
    const url = item.image;
    if (url) {
      // a mirrored image's blurhash (static/blurhash.js) covers the placeholder while it loads
      const blur = item.image_blurhash && window.SDBlurhash ? window.SDBlurhash.canvas(item.image_blurhash) : null;
      if (blur) frame.append(blur);
      const img = new Image();
      img.alt = "";
      img.decoding = "async";
      img.referrerPolicy = "no-referrer";
      img.onload = () => { img.alt = `${item.name} (${item.set_code} ${item.collector_number || ""})`; frame.append(img); ph.remove(); if (blur) blur.remove(); };
      img.onerror = () => { if (blur) blur.remove(); };
      if (item.image_srcset) {
        img.sizes = size === "small" ? "88px" : "(max-width: 700px) 90vw, 280px";
        img.srcset = item.image_srcset;
      }
      img.src = url;
    }
    return frame;
  }

  function money(v, currency) {
    if (v === null || v === undefined) return null;
    try { return new Intl.NumberFormat("en-US", { style: "currency", currency: currency || "USD" }).format(v); }
    catch (e) { return `${Number(v).toFixed(2)} ${currency || ""}`; }
  }

  function priceSpan(item) {
    const lo = money(item.price_min, item.currency), hi = money(item.price_max, item.currency);
    if (lo && hi && lo !== hi) return `${lo} – ${hi}`;
    if (lo || hi) return lo || hi;
    if (item.market_price !== null && item.market_price !== undefined) return `Market ${money(item.market_price, item.currency)}`;
    return null;
  }

  function availability(item) {
    const a = item.available || [];
    if (!a.length) return el("span.badge", { text: "Not on offer" });
    const parts = [];
    if (a.includes("b2c")) parts.push("Vendors");
    if (a.includes("c2c")) parts.push("Players");
    const n = item.total_listings ? ` · ${item.total_listings} listing${item.total_listings === 1 ? "" : "s"}` : "";
    return el("span.badge.ok", { text: `In stock: ${parts.join(" & ")}${n}` });
  }

  /** A size for people, as the API says it (matching/jobs/upload_checks.py file_size):
   * "25 MB", "1.5 MB", "2 KB", "20 bytes"; roundUp for a size compared with a limit. */
  function fileSize(size, roundUp) {
    if (size < 1024) return `${size} byte${size === 1 ? "" : "s"}`;
    const [unit, scale] = size >= 1048576 ? ["MB", 1048576] : ["KB", 1024];
    const v = roundUp ? Math.ceil((size / scale) * 10) / 10 : size / scale;
    return `${v.toFixed(1).replace(/\.0$/, "")} ${unit}`;
  }

  let uploadLimits = null; // GET /api/matching/limits, asked once

  /** Why `file` is over the upload limit the API publishes, or "" (also when it is unknown). */
  async function oversizeMessage(file) {
    uploadLimits = uploadLimits || api("/api/matching/limits").catch(() => { uploadLimits = null; return null; });
    const limits = await uploadLimits;
    if (!limits || !file || file.size <= limits.max_upload_bytes) return "";
    return `This file is ${fileSize(file.size, true)}; the largest file a matching job accepts is ${limits.max_upload}. Split the export into smaller files and upload them one by one.`;
  }

  function pct(x) { return x === null || x === undefined ? "–" : `${(x * 100).toFixed(1)}%`; }
  function confClass(x) { return x >= 0.9 ? "hi" : x >= 0.5 ? "mid" : "lo"; }

  /** Who a key is (`GET /api/matching/whoami`: role, seller); throws the API's ApiError. */
  function whoami(key) {
    return api("/api/matching/whoami", { headers: { Authorization: `Bearer ${key}` } });
  }

  /** "an admin key" / "a vendor key for seller S". */
  function describeKey(who) {
    return who.role === "admin" ? "an admin key" : `a ${who.role} key for seller ${who.seller_id}`;
  }

  /** The key form shared by the vendor and admin pages. A key is checked against the API when
   * it is entered and kept only when it is valid and has a role the page takes (the form's
   * data-roles, "vendor or admin"); a saved key is checked again when the page opens.
   * onKey(key, who) runs when a key is set ("" when it is forgotten or no longer valid). */
  function keyBox(onKey) {
    const form = document.getElementById("key-form");
    const input = document.getElementById("api-key");
    const status = document.getElementById("key-status");
    const roles = (form.dataset.roles || "").split(/\s+or\s+/).filter(Boolean);
    const show = (msg, cls) => { status.textContent = msg; status.className = `key-status ${cls || ""}`; };
    const refuse = (msg) => { show(msg, "bad"); input.setAttribute("aria-invalid", "true"); };
    const unfit = (who) => roles.length && !roles.includes(who.role)
      ? `This is ${describeKey(who)}; this page needs ${/^[aeiou]/.test(roles[0]) ? "an" : "a"} ${roles.join(" or ")} key.` : "";
    const unchecked = (err) => err.status === 401 ? err.message : `The key could not be checked: ${err.message}`;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const k = input.value.trim();
      if (!k) return;
      show("Checking the key…", "");
      let who;
      try { who = await whoami(k); } catch (err) { refuse(unchecked(err)); return; }
      if (unfit(who)) { refuse(unfit(who)); return; }
      setKey(k); input.value = ""; input.removeAttribute("aria-invalid");
      show(`Key saved for this tab: ${describeKey(who)}.`, "ok");
      onKey(k, who);
    });
    document.getElementById("key-forget").addEventListener("click", () => { setKey(""); show("No key: paste an API key to continue.", "bad"); onKey(""); });
    const saved = getKey();
    if (!saved) { show("No key: paste an API key to continue.", "bad"); return { show }; }
    show("Checking the key saved in this tab…", "");
    whoami(saved).then((who) => {
      if (unfit(who)) { setKey(""); refuse(unfit(who)); onKey(""); return; }
      show(`Using the key saved in this tab: ${describeKey(who)}.`, "ok");
    }).catch((err) => {
      if (err.status === 401) { setKey(""); onKey(""); refuse(`The key saved in this tab no longer works: ${err.message}`); }
      else show(unchecked(err), "bad");
    });
    return { show };
  }

  function showError(box, err, prefix) {
    box.hidden = false;
    box.replaceChildren();
    box.dataset.code = (err && err.code) || "";
    const msg = err instanceof ApiError ? err.message : String(err && err.message ? err.message : err);
    box.append(el("strong", { text: prefix || "Error" }), document.createTextNode(`: ${msg}`));
    if (err && err.code) box.append(el("span.badge", { text: err.code, style: "margin-left:.5rem" }));
    return box;
  }

  return { el, api, qs, art, money, priceSpan, availability, pct, confClass, keyBox, whoami, fileSize, oversizeMessage, getKey, setKey, showError, ApiError, GAME_LABEL, formatDetails };
})();

/* The offline verification page (issue 45; certificates/README.md, "Offline verification").
   Reads a certificate's QR code (BarcodeDetector where the browser has it, the vendored jsQR otherwise),
   takes the payload after the link's "#", checks its Ed25519 signature against the published keys (WebCrypto,
   or the vendored @noble/ed25519 where WebCrypto has no Ed25519) and shows the signed fields: 真实 / 签名无效
   / 无法识别, and 已撤销 for a code in the kept, signed revocation list. Online, it also asks the portal. */
(function () {
  "use strict";
  const root = document.getElementById("offline-verify");
  if (!root) return;
  const config = JSON.parse(document.getElementById("offline-config").textContent);
  const t = root.dataset;
  const PREFIX = "JNDJ1:";
  const LIST_STORE = "jndj-revocation-list";
  const $ = (selector) => root.querySelector(selector);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

  // --- base64url, one spelling only (as offline.py: the unused low bits of the last character are 0) ---
  function b64uDecode(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return null;
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    let binary;
    try { binary = atob(padded); } catch (e) { return null; }
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    if (b64uEncode(bytes) !== text) return null;
    return bytes;
  }
  function b64uEncode(bytes) {
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // --- Ed25519 ---
  let noble = null;
  async function ed25519Verify(publicRaw, signature, message) {
    try {
      const key = await crypto.subtle.importKey("raw", publicRaw, { name: "Ed25519" }, false, ["verify"]);
      return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      noble = noble || (await import(t.nobleUrl));
      try { return await noble.verifyAsync(signature, message, publicRaw); } catch (e) { return false; }
    }
  }
  function keyById(id) {
    return config.keys.find((k) => k.id === id) || null;
  }
  async function signedBy(keyId, body, signature) {
    const key = keyById(keyId);
    if (!key) return false;
    return ed25519Verify(b64uDecode(key.public), signature, body);
  }

  // --- The payload: JNDJ1:<body>.<signature> ---
  const FIELDS = ["code", "name", "masked_id", "occupation_code", "level", "issued", "issuer", "document_kind"];
  async function readPayload(text) {
    text = (text || "").trim();
    const hash = text.indexOf("#");
    const payload = hash >= 0 ? text.slice(hash + 1) : text;
    if (!payload.startsWith(PREFIX)) return { verdict: "unreadable" };
    const parts = payload.slice(PREFIX.length).split(".");
    if (parts.length !== 2) return { verdict: "unreadable" };
    const body = b64uDecode(parts[0]);
    const signature = b64uDecode(parts[1]);
    if (!body || !signature) return { verdict: "unreadable" };
    let values;
    try { values = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)); } catch (e) { return { verdict: "unreadable" }; }
    if (!Array.isArray(values) || values.length !== 2 + FIELDS.length || values[0] !== 1) return { verdict: "unreadable" };
    if (!(await signedBy(values[1], body, signature))) return { verdict: "bad" };
    const fields = {};
    FIELDS.forEach((name, i) => { fields[name] = values[2 + i]; });
    return { verdict: "genuine", fields, link: hash >= 0 ? text.slice(0, hash) : "" };
  }

  // --- The signed revocation list, kept in localStorage ---
  async function readList(document) {
    const body = b64uDecode(document && document.body);
    const signature = b64uDecode(document && document.signature);
    if (!body || !signature) return null;
    let values;
    try { values = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)); } catch (e) { return null; }
    if (!values || values.v !== 1 || !Array.isArray(values.revoked)) return null;
    return (await signedBy(values.key, body, signature)) ? values : null;
  }
  function keptList() {
    try { return JSON.parse(localStorage.getItem(LIST_STORE) || "null"); } catch (e) { return null; }
  }
  let list = null;  // {values, fetched}
  async function refreshList() {
    const kept = keptList();
    if (kept) list = { values: await readList(kept.document), fetched: kept.fetched };
    if (navigator.onLine) {
      try {
        const response = await fetch(t.revokedUrl, { cache: "no-store" });
        const document = await response.json();
        const values = await readList(document);
        if (values) {
          const fetched = new Date().toISOString();
          localStorage.setItem(LIST_STORE, JSON.stringify({ document, fetched }));
          list = { values, fetched };
        } else {
          $("[data-testid=revocation-age]").dataset.bad = "1";
        }
      } catch (e) { /* offline after all: the kept list stands */ }
    }
    showListAge();
  }
  function age(since) {
    const minutes = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60000));
    if (minutes >= 1440) return fill(t.tDays, { n: Math.floor(minutes / 1440) });
    if (minutes >= 60) return fill(t.tHours, { n: Math.floor(minutes / 60) });
    return fill(t.tMinutes, { n: minutes });
  }
  function showListAge() {
    const line = $("[data-testid=revocation-age]");
    if (!list || !list.values) {
      line.textContent = line.dataset.bad ? t.tListBad : t.tListNone;
      return;
    }
    line.textContent = fill(t.tListAge, {
      time: new Date(list.fetched).toLocaleString(),
      age: age(list.fetched),
      count: list.values.revoked.length,
    });
  }
  function revokedOn(code) {
    if (!list || !list.values) return null;
    const row = list.values.revoked.find((r) => r[0] === code);
    return row ? row[1] : null;
  }

  // --- Showing a result ---
  const dateText = (yyyymmdd) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  async function show(text) {
    const result = await readPayload(text);
    const section = $("[data-testid=offline-result]");
    section.className = result.verdict === "genuine" && !revokedOn(result.fields.code) ? "alert alert-success" : "alert alert-danger";
    section.dataset.verdict = result.verdict;
    const verdict = $("[data-testid=offline-verdict]");
    const help = $("[data-testid=offline-verdict-help]");
    const fieldList = $("[data-testid=offline-fields]");
    $("[data-testid=online-check]").textContent = "";
    verdict.className = "h4";
    if (result.verdict !== "genuine") {
      verdict.textContent = result.verdict === "bad" ? t.tBad : t.tUnreadable;
      help.textContent = result.verdict === "bad" ? t.tBadHelp : t.tUnreadableHelp;
      verdict.classList.add("text-danger");
      fieldList.classList.add("d-none");
      return;
    }
    const f = result.fields;
    const revoked = revokedOn(f.code);
    if (revoked) {
      section.dataset.verdict = "revoked";
      verdict.textContent = t.tRevoked;
      help.textContent = t.tRevokedHelp + dateText(revoked);
      verdict.classList.add("text-danger");
    } else {
      verdict.textContent = t.tGenuine;
      help.textContent = t.tGenuineHelp;
      verdict.classList.add("text-success");
    }
    fieldList.classList.remove("d-none");
    const shown = {
      code: f.code,
      name: f.name,
      document_kind: config.documents[f.document_kind] || f.document_kind,
      masked_id: f.masked_id,
      occupation_code: f.occupation_code,
      level: config.levels[String(f.level)] || String(f.level),
      issued: dateText(f.issued),
      issuer: f.issuer,
    };
    fieldList.querySelectorAll("[data-field]").forEach((dd) => { dd.textContent = shown[dd.dataset.field]; });
    if (navigator.onLine) askThePortal(f, section);
  }
  async function askThePortal(fields, section) {
    const line = $("[data-testid=online-check]");
    try {
      const query = new URLSearchParams({ code: fields.code, name: fields.name });
      const response = await fetch(`${t.apiUrl}?${query}`, { cache: "no-store" });
      if (response.status === 404) { line.textContent = t.tOnlineMissing; return; }
      if (!response.ok) { line.textContent = t.tOnlineFailed; return; }
      const answer = await response.json();
      if (answer.status === "revoked") {
        line.textContent = t.tOnlineRevoked;
        section.dataset.verdict = "revoked";
        const verdict = $("[data-testid=offline-verdict]");
        verdict.textContent = t.tRevoked;
        verdict.className = "h4 text-danger";
        section.className = "alert alert-danger";
        if (answer.revoked_on) $("[data-testid=offline-verdict-help]").textContent = t.tRevokedHelp + answer.revoked_on;
      } else {
        line.textContent = t.tOnlineValid;
      }
    } catch (e) {
      line.textContent = t.tOnlineFailed;
    }
  }

  // --- Reading the QR code ---
  const decodeImage = window.PortalQR.decode;  // static/portal/qr_read.js

  $("#qr-photo").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    let text = "";
    try {
      const bitmap = await createImageBitmap(file);
      const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      text = await decodeImage(bitmap, Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
    } catch (e) { text = ""; }
    await show(text);
  });
  $("#qr-text-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show($("#qr-text").value);
  });
  $("#qr-camera").addEventListener("click", async () => {
    const video = $("#qr-video");
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      $("[data-testid=online-check]").textContent = t.tNoCamera;
      $("[data-testid=offline-result]").classList.remove("d-none");
      return;
    }
    video.srcObject = stream;
    video.classList.remove("d-none");
    await video.play();
    const scan = async () => {
      if (!video.videoWidth) { setTimeout(scan, 300); return; }
      const text = await decodeImage(video, video.videoWidth, video.videoHeight);
      if (text) {
        stream.getTracks().forEach((track) => track.stop());
        video.classList.add("d-none");
        await show(text);
      } else {
        setTimeout(scan, 300);
      }
    };
    scan();
  });

  // --- Kept for offline use: the service worker and a first copy of everything this page loads ---
  function showNetwork() {
    $("[data-testid=network-state]").textContent = navigator.onLine ? t.tOnline : t.tOffline;
  }
  window.addEventListener("online", () => { showNetwork(); refreshList(); });
  window.addEventListener("offline", showNetwork);
  showNetwork();
  async function keepForOffline() {
    if (!("serviceWorker" in navigator) || !("caches" in window)) return;
    await navigator.serviceWorker.register(t.swUrl);
    if (navigator.onLine) {
      const urls = [location.pathname, t.keysUrl, t.revokedUrl];
      document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]").forEach((el) => {
        urls.push(el.getAttribute("src") || el.getAttribute("href"));
      });
      urls.push(t.nobleUrl);
      const cache = await caches.open(t.cacheName);
      await cache.addAll([...new Set(urls)]);
    }
    await navigator.serviceWorker.ready;
    $("[data-testid=offline-ready]").textContent = t.tReady;
  }
  Promise.all([refreshList(), keepForOffline()])
    .catch(() => {})
    .finally(() => { root.dataset.ready = "1"; });
})();

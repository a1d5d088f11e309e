// The demo page: one image, six versions (source, automatic, four fixed thresholds),
// each one produced and recognised by this server's public API, exactly as a client would:
//   POST /v5.0/ocr/Preprocess      {"image": b64, "filters": [...]}        -> task id
//   POST /v5.0/ocr/RecognizeImage  {"image": b64, "settings": {...}, "filters": [...]} -> task id
//   GET  ...?id=<task id>  until taskStatus is Completed (or Error); the server holds the GET
//        until the task ends (--result-wait), so one GET is usually enough
// and, under "More operations":
//   POST /v5.0/ocr/DeskewImage, /v5.0/ocr/UpscaleImage  {"image": b64}     -> the processed page
//   POST /v5.0/ocr/RecognizeImage {"image": b64, "settings": {"resultType": "Pdf"}} -> a searchable PDF
"use strict";

(function () {
  const SETTINGS = ["source", "auto", "50", "100", "150", "200"];
  const $ = (id) => document.getElementById(id);
  const view = $("view"), text = $("text"), snippetEl = $("snippet"), caption = $("caption");
  const statusEl = $("status"), words = $("words");

  const state = {
    token: sessionStorage.getItem("ocrprep-token"),
    authRequired: false,
    current: "auto",
    run: 0,
    filename: "sample.png",
    b64: null,
    width: 0,
    height: 0,
    items: {},
  };
  window.ocrprepDemo = state; // read by the browser test

  function filtersFor(setting) {
    if (setting === "source") return [];
    if (setting === "auto") return [{ name: "binarize", params: { method: "auto" } }];
    return [{ name: "threshold", params: { value: Number(setting) } }];
  }

  function label(setting) {
    if (setting === "source") return "the page as uploaded";
    if (setting === "auto") return "automatic binarization";
    return "fixed threshold " + setting;
  }

  // ---- the Python snippet for a setting ----------------------------------------
  function snippet(setting) {
    const name = JSON.stringify(state.filename || "sample.png");
    const out = [];
    if (setting === "source") {
      out.push("from ocrprep import InputType, OcrEngine, OcrInput, RecognitionSettings", "");
      out.push("doc = OcrInput(InputType.SINGLE_IMAGE)  # no preprocessing: the page as it is");
    } else {
      const call = setting === "auto" ? "PreprocessingFilter.binarize()" : "PreprocessingFilter.threshold(" + setting + ")";
      const why = setting === "auto" ? "automatic: parameters from the page" : "lighter than " + setting + " -> white";
      out.push("from ocrprep import (ImageProcessing, InputType, OcrEngine, OcrInput,");
      out.push("                     PreprocessingFilter, RecognitionSettings)", "");
      out.push("filters = PreprocessingFilter()");
      out.push("filters.add(" + call + ")  # " + why);
      out.push("doc = OcrInput(InputType.SINGLE_IMAGE, filters)");
    }
    out.push("doc.add(" + name + ")");
    if (setting !== "source") out.push('ImageProcessing.save(doc, "result")  # the black-and-white page');
    out.push('results = OcrEngine().recognize(doc, RecognitionSettings(language="English"))');
    out.push("print(results[0].recognition_text)");
    if (setting === "auto") {
      out.push("", "# numpy-first: import ocrprep; bw = ocrprep.binarize(ocrprep.imread(" + name + "))");
    } else if (setting !== "source") {
      out.push("", "# numpy-first: import ocrprep", "# bw = ocrprep.threshold(ocrprep.imread(" + name + ', mode="gray"), ' + setting + ")");
    }
    return out.join("\n");
  }

  // ---- HTTP --------------------------------------------------------------------------
  class AuthNeeded extends Error {}

  async function api(method, path, body) {
    const headers = {};
    if (state.token) headers["Authorization"] = "Bearer " + state.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    for (;;) {
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (r.status === 429) { // queue full: wait as told, then try again
        const wait = Number(r.headers.get("Retry-After") || "1");
        await sleep(Math.min(30, Math.max(1, wait)) * 1000);
        continue;
      }
      if (r.status === 401) {
        state.token = null;
        sessionStorage.removeItem("ocrprep-token");
        showAuth(true);
        throw new AuthNeeded("sign in first");
      }
      if (!r.ok) {
        let msg = r.status + " " + r.statusText;
        try { msg = (await r.json()).detail || msg; } catch (e) { /* not JSON */ }
        throw new Error(msg);
      }
      return method === "POST" ? (await r.text()).trim() : await r.json();
    }
  }

  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

  async function task(endpoint, body, run) {
    const id = await api("POST", endpoint, body);
    let delay = 200;
    for (;;) {
      if (run !== state.run) return null; // a newer image replaced this one
      const env = await api("GET", endpoint + "?id=" + encodeURIComponent(id));
      if (env.taskStatus === "Completed") return env;
      if (env.taskStatus === "Error" || env.taskStatus === "NotExist") {
        const msgs = (env.error && env.error.messages) || [env.taskStatus];
        throw new Error(msgs.join("; "));
      }
      await sleep(delay);
      delay = Math.min(1000, delay * 1.5);
    }
  }

  function utf8(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new TextDecoder("utf-8").decode(bytes);
  }

  // ---- running one image ---------------------------------------------------------------
  async function start(b64, filename) {
    const run = ++state.run;
    state.filename = filename;
    state.b64 = b64;
    for (const id of ["tool-deskew", "tool-upscale", "tool-pdf"]) $(id).disabled = false;
    state.items = {};
    for (const s of SETTINGS) {
      state.items[s] = { image: null, text: null, error: null };
      setButton(s, "pending");
    }
    render();
    setStatus("Working: 6 images and 6 recognitions queued…");
    const jobs = [];
    for (const s of SETTINGS) {
      const filters = filtersFor(s);
      jobs.push(task("/v5.0/ocr/Preprocess", { image: b64, filters }, run).then((env) => {
        if (!env) return;
        state.items[s].image = "data:image/png;base64," + env.results[0].data;
        update(s, run);
      }).catch((e) => fail(s, e, run)));
      const settings = {
        language: "English", makeSkewCorrect: false, makeContrastCorrection: false,
        makeBinarization: false, resultType: "Text",
      };
      jobs.push(task("/v5.0/ocr/RecognizeImage", { image: b64, settings, filters }, run).then((env) => {
        if (!env) return;
        state.items[s].text = utf8(env.results[0].data);
        update(s, run);
      }).catch((e) => fail(s, e, run)));
    }
    await Promise.all(jobs);
    if (run !== state.run) return;
    const bad = SETTINGS.filter((s) => state.items[s].error);
    setStatus(bad.length ? "Done, with errors (" + bad.join(", ") + ")." : "Done: click a button to compare.", bad.length > 0);
    document.body.dataset.done = String(run);
  }

  function fail(setting, err, run) {
    if (run !== state.run) return;
    if (err instanceof AuthNeeded) {
      setStatus("Sign in to use this server.", true);
    }
    state.items[setting].error = err.message || String(err);
    setButton(setting, "error");
    if (setting === state.current) render();
  }

  function update(setting, run) {
    if (run !== state.run) return;
    const it = state.items[setting];
    if (it.image && it.text !== null) setButton(setting, "ready");
    const ready = SETTINGS.filter((s) => state.items[s].image && state.items[s].text !== null).length;
    document.body.dataset.ready = String(ready);
    if (ready < SETTINGS.length) setStatus("Working: " + ready + " of 6 versions ready…");
    if (setting === state.current) render();
  }

  function setButton(setting, st) {
    $("btn-" + setting).dataset.state = st;
  }

  function setStatus(msg, isError) {
    statusEl.textContent = msg;
    statusEl.className = isError ? "error" : "";
  }

  function render() {
    const s = state.current;
    for (const b of document.querySelectorAll("#settings button")) {
      b.setAttribute("aria-pressed", String(b.dataset.setting === s));
    }
    const it = state.items[s];
    snippetEl.textContent = snippet(s);
    if (!it) {
      caption.textContent = "No image yet.";
      return;
    }
    if (it.image) {
      if (view.getAttribute("src") !== it.image) view.src = it.image;
    } else {
      view.removeAttribute("src");
    }
    view.dataset.setting = it.image ? s : "";
    caption.textContent = it.error ? label(s) + ": " + it.error : (it.image ? label(s) : label(s) + ": working…");
    text.textContent = it.text !== null ? (it.text || "(no text found)") : (it.error ? "" : "working…");
    text.dataset.setting = it.text !== null ? s : "";
    words.textContent = it.text ? "(" + it.text.split(/\s+/).filter(Boolean).length + " words)" : "";
  }

  // ---- more operations: deskew, upscale, searchable PDF ------------------------------------
  function stem() {
    return (state.filename || "page").replace(/\.[^.]*$/, "") || "page";
  }

  function bytesOf(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  function offer(link, b64, type, name) {
    if (link.href && link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(new Blob([bytesOf(b64)], { type }));
    link.download = name;
    link.hidden = false;
  }

  const TOOLS = {
    deskew: { endpoint: "/v5.0/ocr/DeskewImage", label: "straightened (DeskewImage, ocrprep.deskew)" },
    upscale: { endpoint: "/v5.0/ocr/UpscaleImage", label: "enlarged 2x (UpscaleImage, ocrprep.upscale)" },
  };

  async function runTool(op) {
    if (!state.b64) return;
    const run = state.run;
    const status = $("tool-status");
    status.className = "";
    if (op === "pdf") {
      status.textContent = "Recognising and writing the PDF…";
      const settings = { language: "English", makeSkewCorrect: true, makeBinarization: true, resultType: "Pdf" };
      const env = await task("/v5.0/ocr/RecognizeImage", { image: state.b64, settings }, run);
      if (!env) return;
      offer($("pdf-download"), env.results[0].data, "application/pdf", stem() + ".pdf");
      $("pdf-download").dataset.bytes = String(bytesOf(env.results[0].data).length);
      status.textContent = "The searchable PDF is ready.";
      document.body.dataset.tool = "pdf";
      return;
    }
    const tool = TOOLS[op];
    status.textContent = "Working…";
    const env = await task(tool.endpoint, { image: state.b64 }, run);
    if (!env) return;
    const view = $("tool-view");
    view.src = "data:image/png;base64," + env.results[0].data;
    view.dataset.op = op;
    $("tool-caption").textContent = "The page " + tool.label;
    $("tool-figure").hidden = false;
    offer($("tool-download"), env.results[0].data, "image/png", stem() + "-" + op + ".png");
    status.textContent = "";
    document.body.dataset.tool = op;
  }

  for (const op of ["deskew", "upscale", "pdf"]) {
    $("tool-" + op).addEventListener("click", () => {
      runTool(op).catch((e) => {
        $("tool-status").textContent = op + ": " + (e.message || String(e));
        $("tool-status").className = "error";
      });
    });
  }

  // ---- inputs --------------------------------------------------------------------------
  function readAsBase64(blob) {
    return new Promise((ok, bad) => {
      const fr = new FileReader();
      fr.onload = () => ok(String(fr.result).replace(/^data:[^,]*,/, ""));
      fr.onerror = () => bad(fr.error);
      fr.readAsDataURL(blob);
    });
  }

  async function useSample() {
    setStatus("Loading the sample page…");
    const r = await fetch("/demo/sample.png");
    if (!r.ok) { setStatus("cannot load the sample (" + r.status + ")", true); return; }
    start(await readAsBase64(await r.blob()), "sample.png");
  }

  async function useFile(file) {
    if (!file) return;
    start(await readAsBase64(file), file.name);
  }

  // ---- auth ----------------------------------------------------------------------------
  function showAuth(show) {
    $("auth").hidden = !show;
  }

  async function signIn(ev) {
    ev.preventDefault();
    $("auth-error").textContent = "";
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: $("client-id").value,
      client_secret: $("client-secret").value,
    });
    const r = await fetch("/connect/token", { method: "POST", body: form });
    const j = await r.json().catch(() => ({}));
    if (!r.ok) {
      $("auth-error").textContent = j.error_description || ("sign-in failed (" + r.status + ")");
      return;
    }
    state.token = j.access_token;
    sessionStorage.setItem("ocrprep-token", state.token);
    showAuth(false);
    setStatus("Signed in. Choose an image to start.");
  }

  // ---- wiring ----------------------------------------------------------------------------
  for (const b of document.querySelectorAll("#settings button")) {
    b.addEventListener("click", () => { state.current = b.dataset.setting; render(); });
  }
  $("use-sample").addEventListener("click", () => { useSample().catch((e) => setStatus(String(e), true)); });
  $("file").addEventListener("change", (ev) => { useFile(ev.target.files[0]).catch((e) => setStatus(String(e), true)); });
  $("auth").addEventListener("submit", (ev) => { signIn(ev).catch((e) => { $("auth-error").textContent = String(e); }); });
  $("copy").addEventListener("click", () => {
    if (navigator.clipboard) navigator.clipboard.writeText(snippetEl.textContent).catch(() => {});
  });

  fetch("/health").then((r) => r.json()).then((h) => {
    state.authRequired = !!h.auth;
    if (h.auth && !state.token) showAuth(true);
    document.body.dataset.auth = String(!!h.auth);
  }).catch(() => {});
  render();
})();

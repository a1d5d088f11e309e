// Renders /openapi.json: every operation with its parameters, body and responses, then the schemas.
"use strict";

(function () {
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return e;
  };
  const refName = (ref) => ref.split("/").pop();

  function typeOf(s) {
    if (!s || Object.keys(s).length === 0) return "any";
    if (s.$ref) return refName(s.$ref);
    if (s.anyOf) return s.anyOf.map(typeOf).join(" | ");
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
    if (s.const !== undefined) return JSON.stringify(s.const);
    if (s.type === "array") return typeOf(s.items) + "[]";
    if (s.type === "object" && s.additionalProperties) return "map of " + typeOf(s.additionalProperties);
    return s.type + (s.format ? " (" + s.format + ")" : "");
  }

  function schemaTable(s) {
    const props = s.properties || {};
    const req = new Set(s.required || []);
    const t = el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "default"), el("th", {}, "description")));
    for (const [name, p] of Object.entries(props)) {
      t.append(el("tr", {},
        el("td", {}, name + (req.has(name) ? " *" : "")),
        el("td", {}, typeOf(p)),
        el("td", {}, p.default === undefined ? "" : JSON.stringify(p.default)),
        el("td", {}, p.description || "")));
    }
    return t;
  }

  function render(api) {
    document.title = api.info.title + " " + api.info.version + " – API reference";
    if (api.info.description) {
      document.getElementById("intro").after(el("p", { id: "description" }, api.info.description));
    }
    const ops = document.getElementById("ops");
    ops.textContent = "";
    for (const [path, item] of Object.entries(api.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const sec = el("section", { class: "panel op " + method, id: op.operationId || (method + path) });
        const h = el("h3", {}, el("span", { class: "method" }, method), path);
        if (op.tags) h.append(el("span", { class: "tag" }, op.tags.join(", ")));
        if (op.security && op.security.length) h.append(el("span", { class: "lock" }, "bearer token"));
        sec.append(h, el("p", {}, op.summary || ""));
        if (op.description) sec.append(el("p", {}, op.description));
        const params = op.parameters || [];
        if (params.length) {
          const t = el("table", {}, el("tr", {}, el("th", {}, "parameter"), el("th", {}, "in"), el("th", {}, "type"), el("th", {}, "description")));
          for (const p of params) t.append(el("tr", {}, el("td", {}, p.name), el("td", {}, p.in), el("td", {}, typeOf(p.schema)), el("td", {}, p.description || "")));
          sec.append(t);
        }
        if (op.requestBody) {
          const kinds = Object.entries(op.requestBody.content || {});
          sec.append(el("p", {}, "Body: " + kinds.map(([ct, c]) => ct + " " + typeOf(c.schema)).join("; ")));
        }
        const rt = el("table", {}, el("tr", {}, el("th", {}, "status"), el("th", {}, "body"), el("th", {}, "meaning")));
        for (const [code, r] of Object.entries(op.responses || {})) {
          const c = r.content || {};
          const body = Object.entries(c).map(([ct, x]) => ct + " " + typeOf(x.schema)).join("; ");
          rt.append(el("tr", {}, el("td", {}, code), el("td", {}, body), el("td", {}, r.description || "")));
        }
        sec.append(rt);
        ops.append(sec);
      }
    }
    const schemas = document.getElementById("schemas");
    for (const [name, s] of Object.entries((api.components || {}).schemas || {})) {
      if (name === "HTTPValidationError" || name === "ValidationError") continue;
      schemas.append(el("h3", { id: "schema-" + name }, name));
      if (s.description) schemas.append(el("p", {}, s.description));
      if (s.properties) schemas.append(schemaTable(s));
      else schemas.append(el("p", {}, typeOf(s)));
    }
  }

  fetch("/openapi.json").then((r) => r.json()).then(render).catch((e) => {
    document.getElementById("ops").textContent = "Cannot load /openapi.json: " + e;
  });
})();

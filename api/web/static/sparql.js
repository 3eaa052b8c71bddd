// SPARQL editor: CodeMirror with SPARQL highlighting, example queries, results table, CSV/JSON downloads.
(function () {
  var form = document.getElementById("sparql-form"), status = document.getElementById("status"), out = document.getElementById("results");
  var examples = JSON.parse(document.getElementById("examples-data").textContent);
  var editor = CodeMirror.fromTextArea(document.getElementById("query"), { mode: "application/sparql-query", lineNumbers: true,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run, "Tab": false, "Shift-Tab": false } });
  function href(fmt) { return "/sparql?" + new URLSearchParams({ query: editor.getValue(), format: fmt }).toString(); }
  function links() { document.getElementById("dl-csv").href = href("csv"); document.getElementById("dl-json").href = href("json"); }
  editor.on("change", links); links();
  document.querySelectorAll("[data-example]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault(); editor.setValue(examples[a.dataset.example]); history.replaceState(null, "", a.href); run();
    });
  });
  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && /^https?:\/\//.test(term.value)) {
      var a = document.createElement("a"), v = term.value, m;
      a.textContent = v;
      if ((m = /\/decision\/([^/]+)$/.exec(v))) a.href = "/ui/decisions/" + encodeURIComponent(m[1]);
      else if ((m = /\/org\/([^/]+)$/.exec(v))) a.href = "/ui/organisations/" + m[1];
      else if ((m = /\/document\/([0-9a-f]{16})$/.exec(v))) a.href = "/ui/documents/" + m[1];
      else if ((m = /legislation\.gov\.uk\/id\/(.+)$/.exec(v))) a.href = "/ui/legislation/" + m[1];
      else a.href = v;
      td.appendChild(a);
    } else td.textContent = term.value;
    return td;
  }
  function render(json) {
    out.textContent = "";
    if (typeof json.boolean === "boolean") { out.textContent = "Answer: " + json.boolean; return; }
    var vars = json.head.vars, rows = json.results.bindings, table = document.createElement("table");
    var cap = document.createElement("caption"); cap.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s"); table.appendChild(cap);
    var tr = document.createElement("tr"); vars.forEach(function (v) { var th = document.createElement("th"); th.scope = "col"; th.textContent = v; tr.appendChild(th); });
    var thead = document.createElement("thead"); thead.appendChild(tr); table.appendChild(thead);
    var tbody = document.createElement("tbody");
    rows.forEach(function (b) { var r = document.createElement("tr"); vars.forEach(function (v) { r.appendChild(cell(b[v])); }); tbody.appendChild(r); });
    table.appendChild(tbody); out.appendChild(table);
  }
  function run(ev) {
    if (ev && ev.preventDefault) ev.preventDefault();
    status.textContent = "Running…";
    var t0 = performance.now();
    fetch("/sparql", { method: "POST", headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" }, body: editor.getValue() })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (r) {
        if (!r.ok) { status.textContent = ""; out.innerHTML = ""; var p = document.createElement("p"); p.className = "error"; p.textContent = (r.body.error && r.body.error.message) || "query failed"; out.appendChild(p); return; }
        render(r.body); status.textContent = "Done in " + Math.round(performance.now() - t0) + " ms";
      })
      .catch(function (e) { status.textContent = "Failed: " + e; });
  }
  form.addEventListener("submit", run);
})();

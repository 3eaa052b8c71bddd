// Draw the decision's lineage (JSON in #lineage-data) with cytoscape; click an edge to read its evidence.
(function () {
  var data = JSON.parse(document.getElementById("lineage-data").textContent);
  var colours = { supersedes: "#b91c1c", amends: "#c2410c", varies: "#a16207", extends: "#ca8a04", followsOn: "#15803d", endsAgreementOf: "#6b21a8",
    reallocatesFundingFrom: "#0e7490", references: "#6b7280", proposes: "#1d4ed8" };
  function label(n) { return (n.number ? n.number + " " : "") + (n.title || n.id).slice(0, 48) + (n.date ? "\n" + n.date : n.year ? "\n" + n.year : ""); }
  var elements = data.nodes.map(function (n) {
    return { data: { id: n.id, label: label(n), kind: n.kind, root: n.id === data.root ? "yes" : "no" } };
  }).concat(data.edges.map(function (e, i) {
    return { data: { id: "e" + i, source: e.from, target: e.to, type: e.type, colour: colours[e.type] || "#555",
      label: e.type + " " + e.confidence.toFixed(2), confidence: e.confidence, index: i } };
  }));
  var cy = cytoscape({
    container: document.getElementById("lineage-graph"), elements: elements, wheelSensitivity: 0.3,
    layout: { name: "breadthfirst", directed: true, padding: 16, spacingFactor: 1.1 },
    style: [
      { selector: "node", style: { "label": "data(label)", "text-wrap": "wrap", "text-max-width": 160, "font-size": 10,
        "text-valign": "bottom", "background-color": "#1d4ed8", "width": 18, "height": 18 } },
      { selector: "node[kind != 'Decision']", style: { "shape": "round-rectangle", "background-color": "#6b7280" } },
      { selector: "node[root = 'yes']", style: { "background-color": "#d4351c", "width": 26, "height": 26 } },
      { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "width": "mapData(confidence, 0, 1, 1, 5)",
        "line-color": "data(colour)", "target-arrow-color": "data(colour)", "font-size": 10, "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.9 } },
      { selector: "edge:selected, edge.hover", style: { "width": 7, "label": "data(label)" } }
    ]
  });
  var detail = document.getElementById("edge-detail");
  function showEdge(i) {
    var e = data.edges[i], ev = e.evidence || {};
    detail.textContent = "";
    var head = document.createElement("strong"); head.textContent = e.from + " " + e.type + " " + e.to + " (confidence " + e.confidence.toFixed(2) + ", rule " + e.rule + ")";
    detail.appendChild(head);
    if (ev.quote) {
      var q = document.createElement("blockquote"); q.textContent = "“" + ev.quote + "”"; detail.appendChild(q);
      var a = document.createElement("a"); a.href = "/ui/documents/" + encodeURIComponent(ev.document) + "#s-" + ev.start + "-" + ev.end;
      a.textContent = "Read it in the paper (" + (ev.source || ev.document) + ")"; detail.appendChild(a);
    }
    document.querySelectorAll(".edge-row").forEach(function (r) { r.classList.remove("selected"); });
    var row = document.getElementById("edge-" + (i + 1)); if (row) row.classList.add("selected");
  }
  cy.on("mouseover", "edge", function (evt) { evt.target.addClass("hover"); });
  cy.on("mouseout", "edge", function (evt) { evt.target.removeClass("hover"); });
  cy.on("tap", "edge", function (evt) { showEdge(evt.target.data("index")); });
  cy.on("tap", "node", function (evt) { var n = evt.target; if (n.data("kind") === "Decision" && n.id() !== data.root) location.href = "/ui/decisions/" + encodeURIComponent(n.id()); });
  window.kgraphLineage = { cy: cy, showEdge: showEdge };
})();

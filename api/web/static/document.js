// Highlight the passage named by the URL fragment (#s-START-END) and bring it into view.
(function () {
  function show() {
    var m = /^#s-(\d+)-(\d+)$/.exec(location.hash);
    document.querySelectorAll(".paper .current").forEach(function (el) { el.classList.remove("current"); });
    if (!m) return;
    var start = +m[1], end = +m[2], first = null, pos = 0;
    var pre = document.getElementById("paper-text");
    // walk the text nodes, wrapping the characters in [start, end) so any quoted range shows
    var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT), nodes = [], n;
    while ((n = walker.nextNode())) nodes.push(n);
    nodes.forEach(function (node) {
      var a = pos, b = pos + node.data.length; pos = b;
      if (b <= start || a >= end) return;
      var s = Math.max(start, a) - a, e = Math.min(end, b) - a;
      var mid = node.splitText(s); mid.splitText(e - s);
      var mark = document.createElement("mark"); mark.className = "current";
      mid.parentNode.replaceChild(mark, mid); mark.appendChild(mid);
      if (!first) first = mark;
    });
    if (first) { first.scrollIntoView({ block: "center" }); first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
  }
  window.addEventListener("hashchange", show);
  show();
})();

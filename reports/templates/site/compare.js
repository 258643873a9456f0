/* The compare page of the static site (reports/site.py): pick frameworks, see the headline counts
   and the grid. Data: data/compare.js (window.FRAMEWORKS_COMPARE, loaded by a <script> element so
   that the page works from disk as well as from a server; data/compare.json holds the same), built
   from the same Comparison as every other output. relation() and headline() follow
   reports/comparison.py (relation_of, Comparison.agreement) rule for rule; the browser test checks
   that both give the same words for the same choice.
   The address (#ost,us-eo-2020) gives the frameworks in the order shown; anything in it that names
   no framework (an unknown id, a bad percent escape, markup) is ignored and said so.
   Record text and the address go into the page only as text (textContent), never as markup. */
(function () {
  "use strict";

  var form = document.getElementById("picker");
  if (!form) return;
  var root = form.getAttribute("data-root");
  var data = window.FRAMEWORKS_COMPARE;

  function relation(stances) {
    var spoken = new Set(stances.filter(function (s) { return data.comparable.indexOf(s) >= 0 && s !== data.silent; }));
    var silent = stances.indexOf(data.silent) >= 0;
    var grants = data.grants.some(function (s) { return spoken.has(s); });
    if (grants && spoken.has(data.denies)) return "opposed";
    if (spoken.size > 1) return "differ-in-degree";
    var incomparable = stances.some(function (s) { return data.comparable.indexOf(s) < 0; });
    if (stances.length > 1 && incomparable) return "not-comparable";
    if (spoken.size && silent) return "one-side-silent";
    if (!spoken.size && !silent) return "not-comparable";
    return spoken.size ? "agree" : "all-silent";
  }

  function words(rel, chosen) {
    var entry = data.relations[rel];
    return chosen.length === 2 ? entry.words_two : entry.words;
  }

  function headline(chosen, relations) {
    var topics = data.topics.length;
    var plural = topics !== 1 ? "s" : "";
    if (chosen.length < 2) return "one framework, " + topics + " topic" + plural;
    var parts = data.order.map(function (rel) {
      var n = relations.filter(function (r) { return r === rel; }).length;
      return words(rel, chosen) + " on " + n;
    });
    return parts.join(" \u00b7 ") + " (of " + topics + " topic" + plural + ")";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(stance) {
    return el("span", { "class": "stance s-" + stance.replace(/ /g, "-") }, data.words[stance] || stance);
  }

  var byId = {};
  var order = [];  // the frameworks chosen, in the order shown

  // The address's choice: ids or aliases separated by commas, each percent-decoded on its own, so
  // that one bad piece ('100%') spoils nothing else. Returns [ids in order, pieces ignored].
  function parseHash(hash) {
    var ids = [], ignored = [];
    hash.replace(/^#/, "").split(",").forEach(function (piece) {
      if (!piece) return;
      var name;
      try { name = decodeURIComponent(piece); } catch (e) { name = null; }
      var id = name === null ? null : (byId[name] ? name : data.aliases[name.toLowerCase()] || (byId[name.toLowerCase()] ? name.toLowerCase() : null));
      if (id === null) { ignored.push(name === null ? piece : name); return; }
      if (ids.indexOf(id) < 0) ids.push(id);
    });
    return [ids, ignored];
  }

  function sayIgnored(ignored) {
    var note = document.getElementById("ignored");
    if (!ignored.length) { note.hidden = true; note.textContent = ""; return; }
    var shown = ignored.slice(0, 5).map(function (p) { return "\u201c" + (p.length > 40 ? p.slice(0, 40) + "\u2026" : p) + "\u201d"; });
    note.textContent = "Ignored in the address (no framework of that id): " + shown.join(", ") + (ignored.length > 5 ? " and " + (ignored.length - 5) + " more" : "") + ".";
    note.hidden = false;
  }

  function render() {
    var result = document.getElementById("result");
    var grid = document.getElementById("grid");
    history.replaceState(null, "", order.length ? "#" + order.join(",") : location.pathname + location.search);
    grid.textContent = "";
    if (!order.length) { result.hidden = true; return; }
    var frameworks = order.map(function (id) { return byId[id]; });
    var relations = data.topics.map(function (_, t) {
      return relation(frameworks.map(function (f) { return f.cells[t][0]; }));
    });
    document.getElementById("headline").textContent = headline(order, relations);

    var table = el("table", { "class": "grid compare" });
    var head = el("tr");
    head.appendChild(el("th", { scope: "col", "class": "fw-head" }, "Topic"));
    frameworks.forEach(function (f) {
      var th = el("th", { scope: "col" });
      th.appendChild(el("a", { href: root + "frameworks/" + f.id + "/" }, f.short_title));
      th.appendChild(el("span", { "class": "meta" }, f.status));
      head.appendChild(th);
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    data.topics.forEach(function (topic, t) {
      var tr = el("tr", { "class": "r-row-" + relations[t], "data-topic": topic.id });
      var th = el("th", { scope: "row" });
      th.appendChild(el("a", { href: root + "topics/" + topic.id + "/" }, topic.label));
      if (order.length > 1) {
        th.appendChild(document.createTextNode(" "));
        th.appendChild(el("span", { "class": "rel r-" + relations[t] }, words(relations[t], order)));
      }
      tr.appendChild(th);
      frameworks.forEach(function (f) {
        var cell = f.cells[t];
        var td = el("td", { "class": "text" });
        var link = el("a", { "class": "cell", href: root + "frameworks/" + f.id + "/#" + topic.id });
        link.appendChild(badge(cell[0]));
        td.appendChild(link);
        if (cell[1]) td.appendChild(el("div", {}, cell[1]));
        if (cell[2]) td.appendChild(el("div", { "class": "ref" }, cell[2]));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.appendChild(body);
    grid.appendChild(table);
    result.hidden = false;
  }

  function tick() {
    Array.from(form.querySelectorAll("input[name=framework]")).forEach(function (input) {
      input.checked = order.indexOf(input.value) >= 0;
    });
  }

  function fromAddress() {
    var parsed = parseHash(location.hash);
    order = parsed[0];
    sayIgnored(parsed[1]);
    tick();
    render();
  }

  if (!data || !data.frameworks) {
    document.getElementById("needs-script").textContent = "The comparison data could not be loaded (data/compare.js is missing). The ready-made comparisons below work as they are.";
    return;
  }
  data.frameworks.forEach(function (f) { byId[f.id] = f; });
  data.aliases = data.aliases || {};
  form.hidden = false;
  document.getElementById("needs-script").hidden = true;
  // A box ticked goes to the end of the choice, a box cleared leaves it: the order stays the reader's.
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.name !== "framework") return;
    order = order.filter(function (id) { return id !== input.value; });
    if (input.checked) order.push(input.value);
    sayIgnored([]);
    render();
  });
  document.getElementById("clear").addEventListener("click", function () { order = []; tick(); sayIgnored([]); render(); });
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
  document.documentElement.setAttribute("data-compare-ready", "yes");
})();

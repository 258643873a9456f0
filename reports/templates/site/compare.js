/* The compare page of the static site (reports/site.py): pick frameworks, see the headline counts
   and the grid. Data: data/compare.json, built from the same Comparison as every other output.
   relation() and headline() follow reports/comparison.py (relation_of, Comparison.agreement)
   rule for rule; the browser test checks that both give the same words for the same choice.
   Record text goes into the page only as text (textContent), never as markup. */
(function () {
  "use strict";

  var form = document.getElementById("picker");
  if (!form) return;
  var root = form.getAttribute("data-root");

  function relation(stances, data) {
    var spoken = new Set(stances.filter(function (s) { return data.comparable.indexOf(s) >= 0 && s !== data.silent; }));
    var silent = stances.indexOf(data.silent) >= 0;
    var grants = data.grants.some(function (s) { return spoken.has(s); });
    if (grants && spoken.has(data.denies)) return "opposed";
    if (spoken.size > 1) return "differ-in-degree";
    if (spoken.size && silent) return "one-side-silent";
    var incomparable = stances.some(function (s) { return data.comparable.indexOf(s) < 0; });
    if ((stances.length > 1 && incomparable) || (!spoken.size && !silent)) return "not-comparable";
    return spoken.size ? "agree" : "all-silent";
  }

  function words(rel, chosen, data) {
    var entry = data.relations[rel];
    return chosen.length === 2 ? entry.words_two : entry.words;
  }

  function headline(chosen, relations, data) {
    var topics = data.topics.length;
    var plural = topics !== 1 ? "s" : "";
    if (chosen.length < 2) return "one framework, " + topics + " topic" + plural;
    var parts = data.order.map(function (rel) {
      var n = relations.filter(function (r) { return r === rel; }).length;
      return words(rel, chosen, data) + " on " + n;
    });
    return parts.join(" \u00b7 ") + " (of " + topics + " topic" + plural + ")";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function badge(stance, data) {
    return el("span", { "class": "stance s-" + stance.replace(/ /g, "-") }, data.words[stance] || stance);
  }

  function render(data, byId) {
    var chosen = Array.from(form.querySelectorAll("input[name=framework]:checked")).map(function (i) { return i.value; })
      .filter(function (id) { return byId[id]; });
    var result = document.getElementById("result");
    var grid = document.getElementById("grid");
    history.replaceState(null, "", chosen.length ? "#" + chosen.join(",") : location.pathname + location.search);
    grid.textContent = "";
    if (!chosen.length) { result.hidden = true; return; }
    var frameworks = chosen.map(function (id) { return byId[id]; });
    var relations = data.topics.map(function (_, t) {
      return relation(frameworks.map(function (f) { return f.cells[t][0]; }), data);
    });
    document.getElementById("headline").textContent = headline(chosen, relations, data);

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
      if (chosen.length > 1) {
        th.appendChild(document.createTextNode(" "));
        th.appendChild(el("span", { "class": "rel r-" + relations[t] }, words(relations[t], chosen, data)));
      }
      tr.appendChild(th);
      frameworks.forEach(function (f) {
        var cell = f.cells[t];
        var td = el("td", { "class": "text" });
        var link = el("a", { "class": "cell", href: root + "frameworks/" + f.id + "/#" + topic.id });
        link.appendChild(badge(cell[0], data));
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

  function choose(ids) {
    Array.from(form.querySelectorAll("input[name=framework]")).forEach(function (input) {
      input.checked = ids.indexOf(input.value) >= 0;
    });
  }

  fetch(form.getAttribute("data-source"))
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      var byId = {};
      data.frameworks.forEach(function (f) { byId[f.id] = f; });
      var fromHash = function () { return decodeURIComponent(location.hash.slice(1)).split(",").filter(Boolean); };
      choose(fromHash());
      form.hidden = false;
      document.getElementById("needs-script").hidden = true;
      form.addEventListener("change", function () { render(data, byId); });
      document.getElementById("clear").addEventListener("click", function () { choose([]); render(data, byId); });
      window.addEventListener("hashchange", function () { choose(fromHash()); render(data, byId); });
      render(data, byId);
      document.documentElement.setAttribute("data-compare-ready", "yes");
    })
    .catch(function (error) {
      var note = document.getElementById("needs-script");
      note.textContent = "The comparison data could not be loaded (" + error.message + "). Serve this site over HTTP, for example with: python3 -m http.server. The ready-made comparisons below work as they are.";
    });
})();

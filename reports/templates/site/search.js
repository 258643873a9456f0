/* The search page of the static site (reports/site.py): every framework, topic, position and quote,
   searched in the browser over data/search.js (window.FRAMEWORKS_SEARCH: [kind, title, text, link]
   entries built with the site). A result holds every word asked for, in any order, ignoring case and
   accents; titles that hold them come first. The query stays in the address (#q=words) so that a
   search can be shared. Text goes into the page only as text (textContent), never as markup. */
(function () {
  "use strict";

  var form = document.getElementById("search");
  var entries = window.FRAMEWORKS_SEARCH;
  if (!form || !entries) return;
  var root = form.getAttribute("data-root");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var LIMIT = 60;
  var KINDS = { framework: "Framework", topic: "Topic", position: "Position", quote: "Quote" };

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var folded = entries.map(function (e) { return [fold(e[1]), fold(e[2])]; });

  function snippet(text, term) {
    var at = fold(text).indexOf(term);
    if (at < 0 || text.length <= 220) return text.length > 220 ? text.slice(0, 220) + "\u2026" : text;
    var start = Math.max(0, at - 80);
    return (start ? "\u2026" : "") + text.slice(start, start + 220) + (start + 220 < text.length ? "\u2026" : "");
  }

  var KIND_RANK = ["framework", "topic", "position", "quote"];

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var found = [];
    entries.forEach(function (entry, i) {
      var title = folded[i][0], text = folded[i][1];
      if (!terms.every(function (t) { return title.indexOf(t) >= 0 || text.indexOf(t) >= 0; })) return;
      var inTitle = terms.filter(function (t) { return title.indexOf(t) >= 0; }).length;
      found.push([-inTitle, KIND_RANK.indexOf(entry[0]), i]);
    });
    // Most words in the title first; then frameworks, topics, positions, quotes; then the site's order.
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    status.textContent = found.length === 0 ? "Nothing found for \u201c" + query + "\u201d."
      : found.length + " result" + (found.length === 1 ? "" : "s") + " for \u201c" + query + "\u201d" + (found.length > LIMIT ? ", the first " + LIMIT + " shown." : ".");
    found.slice(0, LIMIT).forEach(function (hit) {
      var entry = entries[hit[2]];
      var li = document.createElement("li");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KINDS[entry[0]] || entry[0];
      var link = document.createElement("a");
      link.href = root + entry[3];
      link.textContent = entry[1];
      var text = document.createElement("p");
      text.textContent = snippet(entry[2], terms[0]);
      li.appendChild(kind);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link);
      li.appendChild(text);
      list.appendChild(li);
    });
  }

  function fromAddress() {
    var query = "";
    var match = /^#q=(.*)$/.exec(location.hash);
    if (match) {
      try { query = decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { query = match[1]; }
    }
    input.value = query;
    search(query);
  }

  form.hidden = false;
  document.getElementById("search-needs-script").hidden = true;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  input.addEventListener("input", function () {
    history.replaceState(null, "", input.value ? "#q=" + encodeURIComponent(input.value) : location.pathname);
    search(input.value);
  });
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
  document.documentElement.setAttribute("data-search-ready", "yes");
})();

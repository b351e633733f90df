/* Record tables: sort buttons in the header cells (aria-sort), a text filter, a year range and a
   live count. The tables are plain HTML tables that work and print without this script.
   Own code, not a library: the job is ~100 lines and needs the ISO sort key and the count. */
(function () {
  "use strict";

  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ""; }
    var iso = cell.querySelector("[data-sort]");
    if (iso) { return iso.getAttribute("data-sort"); }
    var link = cell.querySelector("a");
    return (link || cell).textContent.trim().toLowerCase();
  }

  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text) { e.textContent = text; }
    return e;
  }

  function enhance(table) {
    if (table.hasAttribute("data-enhanced") || !table.tBodies[0]) { return; }
    table.setAttribute("data-enhanced", "");
    var body = table.tBodies[0];
    var rows, text, years;
    function collect() {
      rows = Array.prototype.slice.call(body.rows);
      text = rows.map(function (r) { return fold(r.textContent); });
      years = rows.map(function (r) { return parseInt(key(r, 0).slice(0, 4), 10); });
    }
    collect();
    var known = years.filter(function (y) { return !isNaN(y); });
    var lo = Math.min.apply(null, known), hi = Math.max.apply(null, known);
    // The records index holds its newest rows; the others (data-rest: the generator's own escaped
    // rows) are fetched when the reader filters, sorts or scrolls to the last row, not while the
    // page loads (appending them then re-laid out the page for seconds).
    var wrap = table.closest(".atlas-records") || table;
    var restUrl = wrap.getAttribute("data-rest");
    var total = restUrl ? parseInt(wrap.getAttribute("data-total"), 10) : rows.length;
    var span = (wrap.getAttribute("data-years") || "").split(" ").map(Number);
    if (span.length === 2 && !isNaN(span[0])) { lo = span[0]; hi = span[1]; known = span; }
    var loading = null;
    function loadRest() {
      if (!restUrl) { return Promise.resolve(); }
      if (!loading) {
        loading = fetch(restUrl).then(function (r) { return r.json(); }).then(function (data) {
          var holder = document.createElement("tbody");
          holder.innerHTML = data.html;
          var part = document.createDocumentFragment();
          Array.prototype.slice.call(holder.rows).forEach(function (r) { part.appendChild(r); });
          body.appendChild(part);
          restUrl = null;
          collect();
          sort(state.col, state.dir);
          table.setAttribute("data-complete", "");
        });
      }
      return loading;
    }
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var state = { col: 0, dir: "descending" }; // the generator writes them newest first

    function sort(col, dir) {
      var order = rows.map(function (r, i) { return { r: r, i: i, k: key(r, col) }; });
      order.sort(function (a, b) {
        if (!a.k !== !b.k) { return a.k ? -1 : 1; } // undated and empty cells last either way
        var c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
        return (dir === "ascending" ? c : -c) || a.i - b.i;
      });
      order.forEach(function (o) { body.appendChild(o.r); });
      heads.forEach(function (th, i) {
        if (i === col) { th.setAttribute("aria-sort", dir); } else { th.removeAttribute("aria-sort"); }
      });
      state = { col: col, dir: dir };
    }

    heads.forEach(function (th, i) {
      var label = th.textContent.trim();
      var button = el("button", { type: "button", class: "atlas-sort" }, label);
      th.textContent = "";
      button.appendChild(el("span", { class: "atlas-sort-icon", "aria-hidden": "true" }));
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = state.col === i && state.dir === "ascending" ? "descending" : "ascending";
        loadRest().then(function () { sort(i, dir); apply(); });
      });
    });
    heads[0].setAttribute("aria-sort", "descending");
    var small = rows.length < 6; // no tools for a few rows, but they follow the map's filter

    var tools = el("div", { class: "atlas-table-tools" });
    var query = el("input", { type: "search", autocomplete: "off", spellcheck: "false" });
    var from = el("input", { type: "number", inputmode: "numeric", min: lo, max: hi, placeholder: lo });
    var to = el("input", { type: "number", inputmode: "numeric", min: lo, max: hi, placeholder: hi, "aria-label": "To year" });
    var status = el("p", { class: "atlas-table-count", role: "status" });
    function labelled(name, input, cls) {
      var l = el("label", { class: cls }, name + " ");
      l.appendChild(input);
      tools.appendChild(l);
    }
    labelled("Filter records", query, "atlas-filter");
    if (known.length && hi > lo) {
      labelled("From year", from, "atlas-year");
      labelled("to", to, "atlas-year");
    }
    tools.appendChild(status);
    var slot = wrap.previousElementSibling; // the generator reserves the tools' place: no layout shift
    while (slot && slot.tagName === "NOSCRIPT") { slot = slot.previousElementSibling; }
    if (slot && slot.classList.contains("atlas-table-slot")) {
      while (tools.firstChild) { slot.appendChild(tools.firstChild); }
      slot.classList.add("atlas-table-tools");
      tools = slot;
    } else if (!small) { wrap.parentNode.insertBefore(tools, wrap); }

    var timer;
    var map = null; // the page map's filter (kinds, country, years), when it has one
    function byMap(r, i) {
      if (!map) { return true; }
      var kind = r.getAttribute("data-kind"), codes = "," + (r.getAttribute("data-countries") || "") + ",";
      return !(
        (map.kinds && kind && map.kinds.indexOf(kind) < 0) ||
        (map.country && codes.indexOf("," + map.country + ",") < 0) ||
        (map.from && (isNaN(years[i]) || years[i] < map.from)) ||
        (map.to && (isNaN(years[i]) || years[i] > map.to))
      );
    }
    function apply() {
      var words = fold(query.value).split(/\s+/).filter(Boolean);
      var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = byMap(r, i) && words.every(function (w) { return text[i].indexOf(w) !== -1; });
        if (ok && (!isNaN(a) || !isNaN(b))) {
          ok = !isNaN(years[i]) && (isNaN(a) || years[i] >= a) && (isNaN(b) || years[i] <= b);
        }
        r.hidden = !ok;
        shown += ok ? 1 : 0;
      });
      status.textContent = shown + " of " + total + " records shown" + (restUrl ? " (the newest; filter, sort or scroll for the others)" : "") + (map && active(map) ? " (with the map's filter)" : "");
    }
    function active(f) { return Boolean(f.kinds || f.country || f.from || f.to); }
    document.addEventListener("atlas:mapfilter", function (e) {
      if (!table.isConnected) { return; }
      map = e.detail;
      apply();
    });
    [query, from, to].forEach(function (input) {
      input.addEventListener("focus", loadRest);
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { loadRest().then(apply); }, 150);
      });
    });
    if (restUrl && "IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); loadRest().then(apply); }
      }, { rootMargin: "800px 0px" });
      seen.observe(rows[rows.length - 1]);
    }
    if (!restUrl) { table.setAttribute("data-complete", ""); }
    apply();
  }

  function init() {
    document.querySelectorAll(".atlas-records table").forEach(enhance);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

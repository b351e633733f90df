/* The explorer (atlas/explore/): facets with live counts, a paged table, a per-year chart and a
 * map that follow the selection, the selection in the URL, and the selection as CSV, JSON,
 * GeoJSON, BibTeX or RIS cut from the site's own published files. Runs only on the page that
 * holds #atlas-explore (generator/pages/explore.py writes it, its config and the data file). Record
 * text reaches the page through textContent only, never as HTML. Own code, not a library: the
 * facets are a few loops over one array, and the map reuses the site's Leaflet and basemap. */
(function () {
  "use strict";
  if (window.atlasExploreInit) { window.atlasExploreInit(); return; } // loaded once per visit

  // [URL key, label, how many choices before the list folds away (0: never)]
  var FACETS = [
    ["country", "Country"], ["kind", "Kind"], ["topic", "Topic"], ["org", "Organisation"],
    ["place", "Place"], ["source", "Source"], ["conflict", "Sources disagree"],
    ["date", "Date certainty"], ["precision", "Place precision"]
  ];
  var BIG = { org: 1, place: 1, source: 1 }; // long lists: folded, drawn when opened

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fold(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  /* The data file's compact rows as records, each with its values per facet (URL keys). */
  function expand(d) {
    var ids = function (table) { return table.map(function (t) { return t[0]; }); };
    var names = {}, order = {};
    function named(key, table, labelAt) {
      names[key] = {};
      order[key] = [];
      table.forEach(function (t) { names[key][t[0]] = t[labelAt]; order[key].push(t[0]); });
    }
    named("country", d.countries, 1);
    named("kind", d.kinds, 1);
    named("topic", d.topics, 1);
    named("org", d.orgs, 1);
    named("place", d.places, 1);
    named("source", d.sources, 1);
    named("conflict", [["yes", "Sources disagree"], ["no", "Sources agree"]], 1);
    named("date", d.certainty, 1);
    named("precision", d.precision, 1);
    var kinds = ids(d.kinds), topics = ids(d.topics), orgs = ids(d.orgs), places = ids(d.places), sources = ids(d.sources);
    var certainty = ids(d.certainty);
    var precisionOf = {};
    d.places.forEach(function (p) { precisionOf[p[0]] = p[4]; });
    var records = d.records.map(function (r) {
      var pl = r[7].map(function (i) { return places[i]; });
      return {
        id: r[0], title: r[1], date: r[3], year: r[3] ? parseInt(r[3].slice(0, 4), 10) : NaN,
        text: null, first: pl[0] || null, // folded for the word filter when first needed
        f: {
          country: r[4] ? r[4].split(",") : [],
          kind: [kinds[r[2]]],
          topic: r[5].map(function (i) { return topics[i]; }),
          org: r[6].map(function (i) { return orgs[i]; }),
          place: pl,
          source: r[8].map(function (i) { return sources[i]; }),
          conflict: [r[9] ? "yes" : "no"],
          date: [certainty[r[10]]],
          precision: [pl.length ? precisionOf[pl[0]] : "none"]
        }
      };
    });
    records.sort(function (a, b) { return a.date < b.date ? 1 : a.date > b.date ? -1 : 0; }); // newest first, undated last
    var coords = {};
    d.places.forEach(function (p) { coords[p[0]] = [p[2], p[3]]; });
    return { records: records, names: names, order: order, coords: coords };
  }

  /* --- the state, kept in the query string --------------------------------------------------- */
  function readState() {
    var q = new URLSearchParams(location.search), s = { sel: {}, from: null, to: null, q: q.get("q") || "", page: 1 };
    FACETS.forEach(function (f) {
      var v = q.get(f[0]);
      s.sel[f[0]] = v ? v.split(",").filter(Boolean) : [];
    });
    ["from", "to", "page"].forEach(function (k) {
      var n = parseInt(q.get(k) || "", 10);
      if (!isNaN(n)) s[k] = n;
    });
    if (!s.page || s.page < 1) s.page = 1;
    return s;
  }
  function query(s, withPage) {
    var parts = [];
    FACETS.forEach(function (f) {
      if (s.sel[f[0]].length) parts.push(f[0] + "=" + s.sel[f[0]].map(encodeURIComponent).join(","));
    });
    if (s.from) parts.push("from=" + s.from);
    if (s.to) parts.push("to=" + s.to);
    if (s.q) parts.push("q=" + encodeURIComponent(s.q));
    if (withPage && s.page > 1) parts.push("page=" + s.page);
    return parts.length ? "?" + parts.join("&") : "";
  }

  /* --- filtering and counting ------------------------------------------------------------------ */
  function passes(r, s, skip, words) {
    for (var i = 0; i < FACETS.length; i++) {
      var key = FACETS[i][0], want = s.sel[key];
      if (key === skip || !want.length) continue;
      var have = r.f[key], hit = false;
      for (var j = 0; j < have.length && !hit; j++) hit = want.indexOf(have[j]) >= 0;
      if (!hit) return false;
    }
    if (skip !== "year" && (s.from || s.to)) {
      if (isNaN(r.year) || (s.from && r.year < s.from) || (s.to && r.year > s.to)) return false;
    }
    if (s.q) {
      if (r.text === null) r.text = fold(r.title + " " + r.id);
      for (var w = 0; w < words.length; w++) if (r.text.indexOf(words[w]) < 0) return false;
    }
    return true;
  }
  function wordsOf(s) { return s.q ? fold(s.q).split(/\s+/).filter(Boolean) : []; }
  function counts(data, s) {
    var out = {}, words = wordsOf(s);
    FACETS.forEach(function (f) {
      var key = f[0], c = {};
      data.records.forEach(function (r) {
        if (!passes(r, s, key, words)) return;
        r.f[key].forEach(function (v) { c[v] = (c[v] || 0) + 1; });
      });
      out[key] = c;
    });
    return out;
  }

  /* --- the page -------------------------------------------------------------------------------- */
  function App(root, cfg, d) {
    this.root = root;
    this.cfg = cfg;
    this.data = expand(d);
    this.edition = d.edition;
    this.recordUrl = d.record;
    this.colour = d.colour;
    this.boxes = {};
    this.counts = {};
    var years = this.data.records.map(function (r) { return r.year; }).filter(function (y) { return !isNaN(y); });
    this.lo = Math.min.apply(null, years);
    this.hi = Math.max.apply(null, years);
    this.state = readState();
    this.path = location.pathname;
    this.build();
    this.update();
  }

  App.prototype.build = function () {
    var app = this, root = this.root;
    root.textContent = "";
    var form = el("form", { class: "atlas-explore-facets", "aria-label": "Filters" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    var words = el("label", { class: "atlas-explore-words" }, "Words in the title ");
    this.words = el("input", { type: "search", name: "q", autocomplete: "off", spellcheck: "false" });
    words.appendChild(this.words);
    form.appendChild(words);
    var years = el("fieldset", { class: "atlas-explore-years" });
    years.appendChild(el("legend", {}, "Years"));
    this.from = el("input", { type: "number", name: "from", inputmode: "numeric", min: this.lo, max: this.hi, placeholder: this.lo, "aria-label": "From year" });
    this.to = el("input", { type: "number", name: "to", inputmode: "numeric", min: this.lo, max: this.hi, placeholder: this.hi, "aria-label": "To year" });
    years.appendChild(this.from);
    years.appendChild(document.createTextNode(" to "));
    years.appendChild(this.to);
    form.appendChild(years);
    var timer = null;
    [this.words, this.from, this.to].forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { app.readForm(); app.changed(true); }, 200);
      });
    });
    FACETS.forEach(function (f) { form.appendChild(app.facet(f[0], f[1])); });
    var clear = el("button", { type: "button", class: "md-button atlas-explore-clear" }, "Clear all filters");
    clear.addEventListener("click", function () {
      app.state = { sel: {}, from: null, to: null, q: "", page: 1 };
      FACETS.forEach(function (f) { app.state.sel[f[0]] = []; });
      app.changed();
    });
    form.appendChild(clear);

    var main = el("div", { class: "atlas-explore-main" });
    this.status = el("p", { class: "atlas-explore-count", role: "status", "aria-live": "polite" });
    main.appendChild(this.status);
    this.chart = el("figure", { class: "atlas-explore-chart" });
    main.appendChild(this.chart);
    var mapWrap = el("div", { class: "atlas-explore-map" });
    this.mapButton = el("button", { type: "button", class: "md-button atlas-explore-map-show" }, "Show the map of this selection");
    this.mapButton.addEventListener("click", function () { app.showMap(mapWrap); });
    mapWrap.appendChild(this.mapButton);
    main.appendChild(mapWrap);
    main.appendChild(this.downloads());
    this.table = el("table", {});
    var head = el("thead"), tr = el("tr");
    ["Date", "Record", "Source"].forEach(function (h) { tr.appendChild(el("th", { scope: "col" }, h)); });
    head.appendChild(tr);
    this.table.appendChild(head);
    this.tbody = el("tbody");
    this.table.appendChild(this.tbody);
    var wrap = el("div", { class: "atlas-records atlas-explore-records" });
    wrap.appendChild(this.table);
    main.appendChild(wrap);
    this.pager = el("nav", { class: "atlas-explore-pager", "aria-label": "Pages of the table" });
    main.appendChild(this.pager);

    root.appendChild(form);
    root.appendChild(main);
  };

  /* One facet: a fieldset of checkboxes, each with its live count; long lists are folded. */
  App.prototype.facet = function (key, label) {
    var app = this;
    var box = el("details", { class: "atlas-explore-facet", "data-facet": key });
    var summary = el("summary", {}, label);
    var picked = el("span", { class: "atlas-explore-picked" });
    summary.appendChild(picked);
    box.appendChild(summary);
    var list = el("fieldset", {});
    list.appendChild(el("legend", { class: "atlas-visually-hidden" }, label));
    box.appendChild(list);
    // on a phone every list starts folded, so the results are near the top
    box.open = !BIG[key] && key !== "date" && key !== "precision" && !window.matchMedia("(max-width: 60em)").matches;
    var entry = { box: box, list: list, picked: picked, inputs: null, key: key };
    this.boxes[key] = entry;
    var fill = function () {
      if (entry.inputs || !box.open) return;
      entry.inputs = {};
      var all = app.data.order[key].slice();
      if (BIG[key]) { // the most used first
        var total = counts(app.data, { sel: emptySel(), q: "" })[key];
        all.sort(function (a, b) { return (total[b] || 0) - (total[a] || 0) || (app.data.names[key][a] < app.data.names[key][b] ? -1 : 1); });
      }
      all.forEach(function (v) {
        var l = el("label", { "data-value": v });
        var input = el("input", { type: "checkbox", name: key, value: v });
        l.appendChild(input);
        l.appendChild(document.createTextNode(" " + app.data.names[key][v] + " "));
        var n = el("span", { class: "atlas-explore-n" });
        l.appendChild(n);
        list.appendChild(l);
        entry.inputs[v] = { label: l, input: input, n: n };
        input.addEventListener("change", function () {
          var sel = app.state.sel[key], at = sel.indexOf(v);
          if (input.checked && at < 0) sel.push(v);
          if (!input.checked && at >= 0) sel.splice(at, 1);
          app.state.page = 1;
          app.changed();
        });
      });
      app.paintFacet(entry);
    };
    box.addEventListener("toggle", fill);
    entry.fill = fill;
    return box;
  };

  function emptySel() {
    var sel = {};
    FACETS.forEach(function (f) { sel[f[0]] = []; });
    return sel;
  }

  App.prototype.paintFacet = function (entry) {
    var sel = this.state.sel[entry.key], c = this.counts[entry.key] || {};
    entry.picked.textContent = sel.length ? " (" + sel.length + " chosen)" : "";
    if (!entry.inputs) return;
    Object.keys(entry.inputs).forEach(function (v) {
      var o = entry.inputs[v], n = c[v] || 0, on = sel.indexOf(v) >= 0;
      o.input.checked = on;
      o.n.textContent = String(n);
      o.label.hidden = !n && !on;
    });
  };

  App.prototype.readForm = function () {
    var n = function (input) { var v = parseInt(input.value, 10); return isNaN(v) ? null : v; };
    this.state.q = this.words.value.trim();
    this.state.from = n(this.from);
    this.state.to = n(this.to);
    this.state.page = 1;
  };

  /* A new selection is a new history entry (back returns to the one before); typing replaces it. */
  App.prototype.changed = function (typing) {
    var url = location.pathname + query(this.state, true) + location.hash;
    if (url !== location.pathname + location.search + location.hash) history[typing ? "replaceState" : "pushState"]({ atlasExplore: true }, "", url);
    this.update();
  };

  /* Everything follows the state, in one task (about 15 ms for 715 records on a phone-speed CPU,
     measured with Chromium's 4x slowdown): drawn piecemeal, the chart and counts arriving after
     the table moved it (a layout shift). */
  App.prototype.update = function () {
    var app = this, s = this.state, words = wordsOf(s);
    if (document.activeElement !== this.words) this.words.value = s.q;
    if (document.activeElement !== this.from) this.from.value = s.from ? String(s.from) : "";
    if (document.activeElement !== this.to) this.to.value = s.to ? String(s.to) : "";
    this.selected = this.data.records.filter(function (r) { return passes(r, s, null, words); });
    var n = this.selected.length, total = this.data.records.length;
    this.status.textContent = n + " of " + total + " records";
    this.dlNote.textContent = "Download these " + n + " records:";
    this.drawTable();
    var rest = function () {
      app.counts = counts(app.data, s);
      FACETS.forEach(function (f) {
        var entry = app.boxes[f[0]];
        if (s.sel[f[0]].length && !entry.box.open) { entry.box.open = true; entry.fill(); }
        app.paintFacet(entry);
      });
      app.drawChart();
      app.drawMap();
      app.cite.textContent = app.citation();
      app.root.setAttribute("data-state", query(s, true) || "?"); // all drawn: tests wait for it
    };
    rest();
  };

  App.prototype.drawTable = function () {
    var app = this, size = this.cfg.page, pages = Math.max(1, Math.ceil(this.selected.length / size));
    if (this.state.page > pages) this.state.page = pages;
    var start = (this.state.page - 1) * size, rows = this.selected.slice(start, start + size);
    var frag = document.createDocumentFragment(), names = this.data.names;
    rows.forEach(function (r) {
      var tr = el("tr", { "data-id": r.id });
      tr.appendChild(el("td", {}, r.date));
      var td = el("td", {});
      var a = el("a", { href: app.recordUrl.replace("RID", r.id) }, r.title);
      td.appendChild(a);
      if (r.f.conflict[0] === "yes") td.appendChild(el("span", { class: "atlas-explore-flag", title: "Sources disagree" }, " \u2696"));
      var detail = [names.kind[r.f.kind[0]]];
      var where = r.f.country.map(function (c) { return names.country[c]; }).join(", ");
      if (where) detail.push(where);
      if (r.first) detail.push(names.place[r.first]);
      td.appendChild(el("br"));
      td.appendChild(el("small", { class: "atlas-detail" }, detail.join(" \u00b7 ")));
      tr.appendChild(td);
      var more = r.f.source.length - 1; // the first source, as the site's record tables show it
      tr.appendChild(el("td", {}, names.source[r.f.source[0]] + (more > 0 ? " and " + more + " more" : "")));
      frag.appendChild(tr);
    });
    this.tbody.textContent = "";
    this.tbody.appendChild(frag);
    if (rows.length && window.performance && performance.mark && !this.marked) {
      this.marked = true;
      performance.mark("atlas-explore-first-result");
    }
    this.pager.textContent = "";
    if (pages < 2) return;
    var go = function (p, label, disabled) {
      var b = el("button", { type: "button", class: "md-button" }, label);
      b.disabled = disabled;
      b.addEventListener("click", function () { app.state.page = p; app.changed(); app.table.scrollIntoView({ block: "start" }); });
      app.pager.appendChild(b);
    };
    go(this.state.page - 1, "Previous", this.state.page <= 1);
    this.pager.appendChild(el("span", {}, " Page " + this.state.page + " of " + pages + " (rows " + (start + 1) + "\u2013" + (start + rows.length) + ") "));
    go(this.state.page + 1, "Next", this.state.page >= pages);
  };

  /* Records per year of the selection: one bar a year, drawn as SVG. */
  App.prototype.drawChart = function () {
    var NS = "http://www.w3.org/2000/svg", lo = this.lo, hi = this.hi, per = {}, undated = 0, top = 1;
    this.selected.forEach(function (r) {
      if (isNaN(r.year)) { undated++; return; }
      per[r.year] = (per[r.year] || 0) + 1;
    });
    Object.keys(per).forEach(function (y) { top = Math.max(top, per[y]); });
    var w = 600, h = 100, span = hi - lo + 1, bw = w / span;
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + w + " " + (h + 24));
    svg.setAttribute("role", "img");
    var said = [];
    for (var y = lo; y <= hi; y++) {
      var n = per[y] || 0;
      if (n) said.push(y + ": " + n);
      var bh = n ? Math.max(1, Math.round((n / top) * h)) : 0;
      var rect = document.createElementNS(NS, "rect");
      rect.setAttribute("x", String((y - lo) * bw + 0.5));
      rect.setAttribute("y", String(h - bh));
      rect.setAttribute("width", String(Math.max(1, bw - 1)));
      rect.setAttribute("height", String(bh));
      rect.setAttribute("fill", this.colour);
      var t = document.createElementNS(NS, "title");
      t.textContent = y + ": " + n + " record" + (n === 1 ? "" : "s");
      rect.appendChild(t);
      svg.appendChild(rect);
      if (y === lo || y === hi || (y % 5 === 0 && y - lo > 2 && hi - y > 2)) {
        var label = document.createElementNS(NS, "text");
        label.setAttribute("x", String((y - lo) * bw + bw / 2));
        label.setAttribute("y", String(h + 20));
        label.setAttribute("text-anchor", y === lo ? "start" : y === hi ? "end" : "middle");
        label.textContent = String(y);
        svg.appendChild(label);
      }
    }
    svg.setAttribute("aria-label", "Records of the selection per year: " + (said.join(", ") || "none") + (undated ? "; undated: " + undated : ""));
    this.chart.textContent = "";
    this.chart.appendChild(svg);
    this.chart.appendChild(el("figcaption", {}, "Records per year (highest bar: " + top + ")" + (undated ? "; " + undated + " undated, not drawn" : "")));
  };

  /* --- the map: the site's Leaflet, basemap and gesture handling, loaded when asked for -------- */
  App.prototype.showMap = function (wrap) {
    var app = this, cfg = this.cfg;
    this.mapButton.disabled = true;
    this.mapButton.textContent = "Loading the map\u2026";
    var ready = function () { return window.L && window.atlasMaps && window.atlasMaps.calm; };
    if (!ready() && !document.querySelector("script[data-atlas-leaflet]")) {
      var link = el("link", { rel: "stylesheet", href: new URL(cfg.leaflet[0], document.baseURI).href });
      document.head.appendChild(link);
      cfg.leaflet.slice(1).forEach(function (u, i) {
        var s = el("script", { src: new URL(u, document.baseURI).href });
        s.async = false;
        if (!i) s.setAttribute("data-atlas-leaflet", "");
        document.head.appendChild(s);
      });
    }
    var base = document.baseURI, tries = 0;
    var wait = setInterval(function () {
      if (!ready() && ++tries < 200) return;
      clearInterval(wait);
      if (!ready() || !wrap.isConnected) return;
      var box = el("div", { class: "atlas-map", "data-base": base, role: "region", "aria-label": "Map of the selection" });
      wrap.replaceChild(box, app.mapButton);
      app.mapNote = el("p", { class: "atlas-map-note" });
      wrap.appendChild(app.mapNote);
      var map = L.map(box, { center: [41.5, 66], zoom: 4, minZoom: 2, maxZoom: 10 });
      window.atlasMaps.basemap(map, cfg.basemap);
      window.atlasMaps.calm(map, box);
      app.map = map;
      app.layer = L.layerGroup().addTo(map);
      app.drawMap();
    }, 50);
  };

  App.prototype.drawMap = function () {
    if (!this.map) return;
    var app = this, at = {}, unplaced = 0;
    this.selected.forEach(function (r) {
      if (!r.first) { unplaced++; return; }
      at[r.first] = (at[r.first] || 0) + 1;
    });
    this.layer.clearLayers();
    var placeSel = this.state.sel.place;
    Object.keys(at).forEach(function (p) {
      var n = at[p], ll = app.data.coords[p], name = app.data.names.place[p];
      var m = L.circleMarker(ll, {
        radius: 4 + Math.sqrt(n) * 2.5, color: "#1a1a1a", weight: placeSel.indexOf(p) >= 0 ? 3 : 1,
        fillColor: app.colour, fillOpacity: 0.8, count: n
      });
      m.bindTooltip(name + ": " + n + " record" + (n === 1 ? "" : "s"));
      m.on("click", function () { // choose (or drop) the place as a filter
        var at2 = placeSel.indexOf(p);
        if (at2 < 0) placeSel.push(p); else placeSel.splice(at2, 1);
        app.state.page = 1;
        app.changed();
      });
      m.addTo(app.layer);
    });
    var drawn = this.selected.length - unplaced;
    this.mapNote.textContent = drawn + " records of the selection drawn at the first place each names (a circle's size: how many); " +
      unplaced + " name no place. Click a circle to filter by its place.";
  };

  /* --- downloads of the selection ---------------------------------------------------------------- */
  App.prototype.downloads = function () {
    var app = this;
    var box = el("div", { class: "atlas-explore-downloads" });
    this.dlNote = el("span", {});
    box.appendChild(this.dlNote);
    [["csv", "CSV"], ["json", "JSON"], ["geojson", "GeoJSON"], ["bib", "BibTeX"], ["ris", "RIS"]].forEach(function (f) {
      var b = el("button", { type: "button", class: "md-button atlas-explore-download", "data-format": f[0] }, f[1]);
      b.addEventListener("click", function () {
        b.disabled = true;
        app.file(f[0]).then(function (text) {
          save(text, app.filename(f[0]), f[0]);
        }).catch(function (err) {
          if (window.console) console.error("atlas explore:", err);
        }).then(function () { b.disabled = false; });
      });
      box.appendChild(b);
    });
    var p = el("p", { class: "atlas-explore-cite" });
    p.appendChild(el("strong", {}, "Cite this selection: "));
    this.cite = el("span", {});
    p.appendChild(this.cite);
    box.appendChild(p);
    return box;
  };

  var texts = {}; // absolute URL -> Promise of the file's text, fetched once per visit
  function fetchText(url) {
    var abs = new URL(url, document.baseURI).href;
    if (!texts[abs]) {
      texts[abs] = fetch(abs).then(function (r) {
        if (!r.ok) throw new Error(abs + ": " + r.status);
        return r.text();
      });
      texts[abs].catch(function () { delete texts[abs]; });
    }
    return texts[abs];
  }

  function save(text, name, fmt) {
    var types = { csv: "text/csv", json: "application/json", geojson: "application/geo+json", bib: "application/x-bibtex", ris: "application/x-research-info-systems" };
    var url = URL.createObjectURL(new Blob([text], { type: types[fmt] + ";charset=utf-8" }));
    var a = el("a", { href: url, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  App.prototype.url = function () {
    return new URL(location.pathname + query(this.state, false), location.href).href;
  };
  App.prototype.filename = function (fmt) {
    return "atlas-" + this.edition + "-selection-" + this.selected.length + "." + fmt;
  };
  App.prototype.citation = function () {
    var sc = this.cfg.selection;
    return sc.publisher + ". " + sc.name + ", edition " + this.edition + " (" + sc.date + "): " +
      this.selected.length + " records selected at " + this.url() + " (accessed " + new Date().toISOString().slice(0, 10) + ").";
  };
  App.prototype.meta = function () {
    var sc = this.cfg.selection;
    return {
      title: sc.name + ": a selection of " + this.selected.length + " records",
      url: this.url(), edition: this.edition, edition_date: sc.date, count: this.selected.length,
      publisher: sc.publisher, citation: this.citation()
    };
  };

  App.prototype.file = function (fmt) {
    var app = this, want = {};
    this.selected.forEach(function (r) { want[r.id] = true; });
    if (fmt === "csv") {
      return fetchText(this.cfg.csv).then(function (text) {
        var lines = csvLines(text);
        return lines[0] + lines.slice(1).filter(function (l) { return want[l.slice(0, l.indexOf(","))]; }).join("");
      });
    }
    if (fmt === "json") { // the published file holds one record a line: those lines, as they are
      return fetchText(this.cfg.json).then(function (text) {
        var rows = text.split("\n").slice(1, -2).map(function (l) { return l.replace(/,$/, ""); });
        var kept = rows.filter(function (l) { return want[JSON.parse(l).id]; });
        return '{"selection": ' + JSON.stringify(app.meta()) + ',\n"records": [\n' + kept.join(",\n") + "\n]}\n";
      });
    }
    if (fmt === "geojson") {
      return fetchText(this.cfg.geojson).then(function (text) {
        var g = JSON.parse(text);
        g.features = g.features.filter(function (f) { return want[f.properties.id]; });
        g.selection = app.meta();
        return JSON.stringify(g) + "\n";
      });
    }
    return fetchText(this.cfg.cite).then(function (text) {
      var entries = JSON.parse(text), at = fmt === "bib" ? 0 : 1;
      var head = fmt === "bib" ? app.bibHead() : app.risHead();
      return head + app.selected.map(function (r) { return entries[r.id][at]; }).join(fmt === "bib" ? "\n" : "");
    });
  };

  /* The selection itself as the first entry: a dataset at the URL with its filters. */
  App.prototype.bibHead = function () {
    var sc = this.cfg.selection, m = this.meta(), d = sc.date;
    var url = m.url.replace(/[%#]/g, function (c) { return "\\" + c; });
    return "@dataset{atlas-selection,\n    author = {{" + sc.bib_publisher + "}},\n    title = {{" + sc.bib_name +
      ": a selection of " + m.count + " records}},\n    version = {" + this.edition + "},\n    year = {" + d.slice(0, 4) +
      "},\n    date = {" + d + "},\n    url = {" + url + "},\n    urldate = {" + new Date().toISOString().slice(0, 10) + "},\n    langid = {english}\n}\n\n";
  };
  App.prototype.risHead = function () {
    var sc = this.cfg.selection, m = this.meta(), one = function (s) { return String(s).replace(/\s+/g, " "); };
    return "TY  - DATA\nAU  - " + one(sc.publisher) + "\nTI  - " + one(m.title) + "\nPY  - " + sc.date.slice(0, 4) +
      "\nDA  - " + sc.date.replace(/-/g, "/") + "\nET  - " + one(this.edition) + "\nUR  - " + m.url +
      "\nY2  - " + new Date().toISOString().slice(0, 10).replace(/-/g, "/") + "\nLA  - en\nER  - \n\n";
  };

  /* A CSV file's lines, each a whole row with its line ending (a quoted cell may hold one). */
  function csvLines(text) {
    var out = [], start = 0, quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 34) quoted = !quoted;
      else if (c === 10 && !quoted) { out.push(text.slice(start, i + 1)); start = i + 1; }
    }
    if (start < text.length) out.push(text.slice(start));
    return out;
  }

  /* --- start, after every instant navigation; back and forward restore the state --------------- */
  var current = null;
  function init() {
    var root = document.getElementById("atlas-explore");
    if (!root || root.hasAttribute("data-ready")) return;
    root.setAttribute("data-ready", "");
    var cfg = JSON.parse(root.getAttribute("data-config")), url = new URL(cfg.data, document.baseURI).href;
    var early = window.atlasExploreFetch; // started by the page's inline script as it was parsed
    window.atlasExploreFetch = null;
    var data = early && early.url === url ? early.data : fetch(url).then(function (r) { return r.json(); });
    data.then(function (d) {
      if (!root.isConnected) return;
      current = new App(root, cfg, d);
      window.atlasExplore = current; // for the tests and the benchmark
    }).catch(function (err) {
      root.textContent = "The records could not be loaded (" + err + "). The downloads page has every record.";
    });
  }
  window.atlasExploreInit = init;
  // Back and forward between two selections: the state comes from the URL, on this page. Taken
  // first (a capture listener); where the theme's instant navigation still fetches the page again
  // (the browser tests saw it under Material, not under Zensical), the new page is drawn from the
  // same URL, so the reader sees the same selection either way.
  window.addEventListener("popstate", function (ev) {
    if (current && current.root.isConnected && location.pathname === current.path) {
      ev.stopImmediatePropagation();
      current.state = readState();
      current.update();
    }
  }, true);
  // The page's inline script loads this one (and calls init on later visits); Material's or
  // Zensical's instant navigation announces each new page on document$.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

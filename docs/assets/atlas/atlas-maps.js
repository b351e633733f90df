/* Atlas maps: runs the map scripts that folium generated (queued on window.atlasQ), after
 * Leaflet has loaded and again after every instant navigation of Material for MkDocs.
 * Record text only ever reaches the page through textContent, never as HTML. */
(function () {
  "use strict";
  var basemaps = {}; // absolute URL -> Promise of GeoJSON, fetched once per visit
  var pending = [];  // [kind, feature, layer] bound since the last register()
  var api = {
    instances: {},
    labels: {},
    expand: function (rows) {
      return {
        type: "FeatureCollection",
        features: rows.map(function (r) {
          return { type: "Feature", geometry: { type: "Point", coordinates: [r[0], r[1]] }, properties: { i: r[2], t: r[3], y: r[4], c: r[5] } };
        })
      };
    },
    bind: function (kind) {
      return function (feature, layer) { pending.push([kind, feature, layer]); };
    },
    basemap: function (map, url) {
      var el = map.getContainer();
      if (!el.isConnected) return;  // the reader has moved on (instant navigation)
      var abs = new URL(url, base(el)).href;
      if (!basemaps[abs]) {
        basemaps[abs] = fetch(abs).then(function (r) { return r.json(); });
      }
      basemaps[abs].then(function (data) {
        if (!el.isConnected) return;
        if (data.bbox) {  // keep readers inside the area the basemap covers: never a grey edge
          var cover = L.latLngBounds([[data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]]);
          map.setMaxBounds(cover);
          map.options.maxBoundsViscosity = 1;
          var fill = function () { map.setMinZoom(map.getBoundsZoom(cover, true)); };
          fill();
          map.on("resize", fill);
        }
        map.attributionControl.addAttribution("Basemap: Natural Earth");
        var layer = L.geoJSON(null, {
          interactive: false,
          style: function (f) {
            var focus = f.properties && f.properties.focus;
            return { color: "#7a7a7a", weight: focus ? 1.2 : 0.6, fillColor: focus ? "#e8e1cf" : "#f4f4f2", fillOpacity: 1 };
          }
        }).addTo(map);
        // drawn a few hundred points per task, so that no task keeps the reader waiting
        var features = data.features.slice();
        var step = function () {
          if (!el.isConnected) return;
          var batch = [], points = 0;
          while (features.length && points < 400) {
            var f = features.shift();
            points += JSON.stringify(f.geometry.coordinates).length / 12;
            batch.push(f);
          }
          layer.addData({ type: "FeatureCollection", features: batch });
          layer.bringToBack();
          if (features.length) return setTimeout(step, 0);
          var preview = el.querySelector(".atlas-map-preview");  // the static stand-in
          if (preview) preview.parentNode.removeChild(preview);
        };
        step();
      });
    },
    register: function (map, layers, options) {
      var el = map.getContainer();
      if (!el.isConnected) return;  // the reader has moved on (instant navigation)
      calm(map, el);
      var bounds = JSON.parse(el.getAttribute("data-bounds") || "null");
      var entries = pending; pending = [];
      if (!map.options.maxZoom) { map.setMaxZoom(10); }
      if (!map.options.minZoom) { map.setMinZoom(2); }
      var labels = api.labels;
      Object.keys(options.labels || {}).forEach(function (k) { labels[k] = options.labels[k]; });
      var toggles = {};   // one empty layer per kind (the legend below the map filters kinds)
      Object.keys(layers).forEach(function (kind) {
        map.removeLayer(layers[kind]);
        toggles[kind] = L.layerGroup().addTo(map);
      });
      var markers = entries.map(function (e) {
        var kind = e[0], feature = e[1], layer = e[2], p = feature.properties;
        var tip = p.t + (p.y ? " (" + p.y + ")" : "");
        layer.bindTooltip(function () { return textNode(tip); });  // made when shown, not 600 at once
        layer.bindPopup(function () { return popup([{ p: p, kind: kind }], options.records); });
        layer.on("add", function () { keyboard(layer, tip); });
        return { kind: kind, p: p, layer: layer };
      });
      map.options.zoomSnap = 0;  // fitted closely: whole zoom levels left half the frame empty
      if (bounds) {
        map.fitBounds(bounds, { padding: [16, 16], maxZoom: 7, animate: false });
      }
      popupFocus(map);
      readData(el).then(function (extra) {  // the country layer and labels, fetched with the map
        if (!el.isConnected) return;  // the reader navigated away meanwhile
        var inst = { map: map, toggles: toggles, markers: markers, options: options, filter: {}, shown: markers.length, visible: L.layerGroup().addTo(map), levels: [] };
        inst.labels = placeLabels(map, extra.placeLabels || []);
        inst.levelLayer = L.layerGroup().addTo(map);
        inst.levels = (extra.countryLevel || []).map(function (g) {
          return { g: g, rows: g.r.map(function (r) { return { p: { i: r[0], t: r[1], y: r[2], c: r[4] || g.c }, kind: r[3] }; }) };
        });
        api.instances[options.id] = inst;
        map.on("zoomend", function () { cluster(inst); declutter(inst); });
        // the markers, circles and labels drawn in a task of their own: a reader's input is
        // never kept waiting behind one long task (Lighthouse's total blocking time)
        setTimeout(function () {
          if (!el.isConnected) return;
          filterForm(inst, el);
          el.setAttribute("data-ready", "true");
        }, 0);
      });
    }
  };

  /* The address of the page a map belongs to (set by its loader as the page came in), not
   * document.baseURI: a map that starts after instant navigation has moved on would resolve its
   * files against the wrong page. */
  function base(el) { return el.getAttribute("data-base") || document.baseURI; }

  var extras = {}; // absolute URL -> Promise of a map's data file (country layer, labels)
  function readData(el) {
    var src = el.getAttribute("data-extra");
    if (!src) return Promise.resolve({});
    var abs = new URL(src, base(el)).href;
    if (!extras[abs]) {
      extras[abs] = fetch(abs).then(function (r) { return r.json(); });
    }
    return extras[abs];
  }

  /* A map never traps the page. The mouse wheel scrolls the page past a map and zooms it only
   * with Ctrl (or Cmd) held; on a touch screen one finger scrolls the page and two fingers move
   * and zoom the map (Leaflet's pinch). A short hint says so, the way gesture-handling plugins
   * do; hand-written because it is these few lines, not a dependency to vendor. */
  function calm(map, el) {
    map.scrollWheelZoom.disable();
    var hint = document.createElement("div");
    hint.className = "atlas-map-hint";
    hint.setAttribute("aria-hidden", "true");
    el.appendChild(hint);
    var timer = null;
    function show(text) {
      hint.textContent = text;
      hint.classList.add("atlas-map-hint--on");
      clearTimeout(timer);
      timer = setTimeout(function () { hint.classList.remove("atlas-map-hint--on"); }, 1400);
    }
    var mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
    el.addEventListener("wheel", function (ev) {
      if (ev.ctrlKey || ev.metaKey) { map.scrollWheelZoom.enable(); hint.classList.remove("atlas-map-hint--on"); }
      else { map.scrollWheelZoom.disable(); show(mac ? "Use \u2318 + scroll to zoom the map" : "Use Ctrl + scroll to zoom the map"); }
    }, { capture: true, passive: true });
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
      map.dragging.disable();  // touch-action: pan-x pan-y: the browser scrolls the page
      el.addEventListener("touchmove", function (ev) {
        if (ev.touches.length === 1) show("Use two fingers to move the map");
      }, { passive: true });
    }
  }

  /* Markers are SVG paths: give each a tab stop, a name and Enter/Space to open its popup. */
  function keyboard(layer, label) {
    var path = layer.getElement && layer.getElement();
    if (!path) return;
    if (!path || path.getAttribute("tabindex")) return;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "button");
    path.setAttribute("aria-label", label);
    path.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); layer.openPopup(); }
    });
  }

  /* Country and city names from the atlas's own data (no tile server). Cities other than
   * capitals appear from zoom 6 on. Names reach the page through textContent only. Labels and
   * their dots lie in a pane above markers and circles, so nothing drawn hides a capital;
   * declutter() places each label where it collides with nothing. */
  function placeLabels(map, rows) {
    if (!map.getPane("atlasLabels")) {
      var pane = map.createPane("atlasLabels");
      pane.style.zIndex = 620;  // above markers and clusters (names stay legible), below tooltips and popups
      pane.style.pointerEvents = "none";
    }
    var cities = L.layerGroup(), main = L.layerGroup().addTo(map), out = [];
    rows.forEach(function (r) {
      var span = document.createElement("span");
      span.textContent = r[2];
      var icon = L.divIcon({ className: "atlas-label atlas-label--" + r[3], html: span, iconSize: null });
      var m = L.marker([r[1], r[0]], { icon: icon, interactive: false, keyboard: false, pane: "atlasLabels" });
      var group = r[3] === "city" ? cities : main;
      group.addLayer(m);
      if (r[3] !== "country") {
        group.addLayer(L.circleMarker([r[1], r[0]], { radius: 2.5, weight: 1, color: "#fff", fillColor: "#333", fillOpacity: 1, interactive: false, pane: "atlasLabels" }));
      }
      out.push({ marker: m, span: span, kind: r[3], at: L.latLng(r[1], r[0]) });
    });
    var order = { country: 0, capital: 1, city: 2 };
    out.sort(function (a, b) { return order[a.kind] - order[b.kind]; });
    var sync = function () { if (map.getZoom() >= 6) cities.addTo(map); else map.removeLayer(cities); };
    map.on("zoomend", sync);
    sync();
    return out;
  }

  /* Labels never collide: by priority (the map's controls, country names, capitals, then the
   * country-level circles, then other cities), each takes the first place beside its point
   * (right, left, above, below; a country's name its centre, or just above or below it) that
   * overlaps nothing placed before it; a label with no free place is hidden until a zoom makes
   * room. */
  function declutter(inst) {
    var map = inst.map, placed = [];
    var frame = map.getContainer().getBoundingClientRect();
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {  // zoom, scale, credits
      var b = c.getBoundingClientRect();
      if (b.width) placed.push([b.left - frame.left, b.top - frame.top, b.right - frame.left, b.bottom - frame.top]);
    });
    var sizes = inst.labels.map(function (lb) {  // every size read before any label moves: one layout, not one per label
      return map.hasLayer(lb.marker) && lb.span.isConnected ? [lb.span.offsetWidth, lb.span.offsetHeight] : null;
    });
    inst.labels.forEach(function (lb, i) { lb.size = sizes[i]; });
    var place = function (lb) {
      var span = lb.span;
      if (!lb.size) return;
      var w = lb.size[0], h = lb.size[1], p = map.latLngToContainerPoint(lb.at), r = 6;
      var spots = lb.kind === "country"
        ? [[-w / 2, -h / 2], [-w / 2, -1.6 * h], [-w / 2, 0.6 * h]]
        : [[r, -h / 2], [-r - w, -h / 2], [-w / 2, -r - h], [-w / 2, r]];
      var spot = null;
      for (var i = 0; i < spots.length && !spot; i++) {
        var b = [p.x + spots[i][0], p.y + spots[i][1], p.x + spots[i][0] + w, p.y + spots[i][1] + h];
        if (!collides(placed, b)) { spot = spots[i]; placed.push(b); }
      }
      span.style.transform = spot ? "translate(" + spot[0] + "px," + spot[1] + "px)" : "";
      span.style.visibility = spot ? "" : "hidden";
      span.toggleAttribute("data-hidden", !spot);
    };
    inst.labels.filter(function (lb) { return lb.kind !== "city"; }).forEach(place);
    placeLevels(inst, placed);
    inst.labels.filter(function (lb) { return lb.kind === "city"; }).forEach(place);
  }

  /* A popup takes the focus when it opens (its first link), and Escape closes it and gives the
   * focus back to the marker or cluster that opened it. */
  function popupFocus(map) {
    var opener = null;
    map.on("popupopen", function (e) {
      var src = e.popup._source;
      opener = src && (src.getElement ? src.getElement() : src._path) || null;
      var box = e.popup.getElement();
      if (!box) return;
      var target = box.querySelector("a.atlas-popup-link") || box.querySelector("a, button");
      if (target) target.focus({ preventScroll: true });
      box.addEventListener("keydown", function (ev) {
        if (ev.key !== "Escape") return;
        ev.preventDefault();
        var back = opener;
        map.closePopup();
        if (back && back.isConnected) back.focus({ preventScroll: true });
      });
    });
  }

  /* Records known only at country level: a dashed circle with their count, tied by a short line
   * to the capital and set beside it (away from the other capitals), so it never hides the
   * capital, its name or the records located there. It is not the place where they happened. */
  function drawLevels(inst) {
    inst.levelLayer.clearLayers();
    inst.levelMarks = [];
    var total = 0;
    inst.levels.forEach(function (lv) {
      var on = lv.rows.filter(function (row) { return row.on; });
      if (!on.length) return;
      total += on.length;
      var label = on.length + " country-level record" + (on.length === 1 ? "" : "s") + ", " + lv.g.n + " (no place given)";
      var capital = L.latLng(lv.g.at[1], lv.g.at[0]);
      var r = 10 + 0.8 * Math.sqrt(on.length);
      var marker = L.circleMarker(capital, {
        radius: r, color: "#1a1a1a", weight: 2, dashArray: "4 3",
        fillColor: "#ffffff", fillOpacity: 0.8, className: "atlas-level"
      });
      marker.bindTooltip(textNode(label));
      marker.bindPopup(function () {
        var div = document.createElement("div");
        var head = document.createElement("p");
        head.className = "atlas-popup-head";
        head.textContent = label;
        div.appendChild(head);
        div.appendChild(popup(on.map(function (row) { return { p: row.p, kind: row.kind }; }), inst.options.records));
        return div;
      }, { maxHeight: 260 });
      marker.on("add", function () { keyboard(marker, label); });
      var count = L.marker(capital, {
        icon: L.divIcon({ className: "atlas-level-count", html: textNode(String(on.length)), iconSize: [28, 16] }),
        interactive: false, keyboard: false
      });
      var line = L.polyline([capital, capital], { color: "#1a1a1a", weight: 1.5, interactive: false });
      inst.levelLayer.addLayer(line);
      inst.levelLayer.addLayer(marker);
      inst.levelLayer.addLayer(count);
      inst.levelMarks.push({ capital: capital, r: r, marker: marker, count: count, line: line });
    });
    inst.levelShown = total;
    inst.map.getContainer().setAttribute("data-level-shown", String(total));
  }

  /* Each country-level circle goes beside its capital: the first of eight directions (away from
   * the other capitals first) where it overlaps nothing placed before it; `placed` holds boxes in
   * container pixels and gets the circle's. */
  function placeLevels(inst, placed) {
    var map = inst.map, marks = inst.levelMarks || [], z = map.getZoom();
    var pts = marks.map(function (m) { return map.project(m.capital, z); });
    var origin = map.getPixelOrigin();
    var diag = Math.SQRT1_2;
    marks.forEach(function (m, i) {
      var away = L.point(0, 1);
      if (pts.length > 1) {
        var others = pts.filter(function (_, j) { return j !== i; });
        var mean = others.reduce(function (a, p) { return a.add(p); }, L.point(0, 0)).divideBy(others.length);
        var v = pts[i].subtract(mean), len = Math.sqrt(v.x * v.x + v.y * v.y);
        if (len > 0) away = v.divideBy(len);
      }
      var dirs = [away, L.point(0, 1), L.point(1, 0), L.point(-1, 0), L.point(0, -1),
        L.point(diag, diag), L.point(-diag, diag), L.point(diag, -diag), L.point(-diag, -diag)];
      var r = m.r + 2, chosen = null, box = null;
      for (var k = 0; k < dirs.length && !chosen; k++) {
        var c = pts[i].add(dirs[k].multiplyBy(m.r + 9));
        c = map.layerPointToContainerPoint(c.subtract(origin));
        var b = [c.x - r, c.y - r, c.x + r, c.y + r];
        if (!placed || !collides(placed, b)) { chosen = dirs[k]; box = b; }
      }
      if (!chosen) {
        chosen = away;
        var c0 = map.layerPointToContainerPoint(pts[i].add(away.multiplyBy(m.r + 9)).subtract(origin));
        box = [c0.x - r, c0.y - r, c0.x + r, c0.y + r];
      }
      if (placed) placed.push(box);
      var at = map.unproject(pts[i].add(chosen.multiplyBy(m.r + 9)), z);
      m.marker.setLatLng(at);
      m.count.setLatLng(at);
      m.line.setLatLngs([m.capital, map.unproject(pts[i].add(chosen.multiplyBy(9)), z)]);
    });
  }

  function collides(placed, b) {
    return placed.some(function (o) { return b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]; });
  }

  /* Clustering, small and dependency-free: markers whose screen positions fall in the same
   * 36-pixel cell are drawn as one numbered circle. A click zooms in when that separates them,
   * and otherwise lists the records (many records share a capital). */
  var CELL = 36;

  function cluster(inst) {
    var map = inst.map;
    inst.visible.clearLayers();
    var cells = {};
    inst.markers.forEach(function (m) {
      if (!m.on) return;
      var pt = map.project(m.layer.getLatLng(), map.getZoom());
      var key = Math.floor(pt.x / CELL) + ":" + Math.floor(pt.y / CELL);
      (cells[key] = cells[key] || []).push(m);
    });
    var shown = 0;
    Object.keys(cells).forEach(function (key) {
      var members = cells[key];
      shown += members.length;
      if (members.length === 1) {
        inst.visible.addLayer(members[0].layer);
        return;
      }
      inst.visible.addLayer(clusterMarker(inst, members));
    });
    inst.shown = shown;
    map.getContainer().setAttribute("data-shown", String(shown));
    return shown;
  }

  function clusterMarker(inst, members) {
    var lat = 0, lng = 0;
    members.forEach(function (m) { var ll = m.layer.getLatLng(); lat += ll.lat; lng += ll.lng; });
    var size = members.length < 10 ? 30 : members.length < 100 ? 36 : 42;
    var label = members.length + " records";
    var icon = L.divIcon({ className: "atlas-cluster", iconSize: [size, size], html: "<span>" + members.length + "</span>" });
    var marker = L.marker([lat / members.length, lng / members.length], { icon: icon, title: label, alt: label, keyboard: true });
    marker.on("add", function () {
      var el = marker.getElement();
      if (el) { el.setAttribute("aria-label", label); el.setAttribute("role", "button"); }
    });
    var spread = L.latLngBounds(members.map(function (m) { return m.layer.getLatLng(); }));
    var separable = spread.getNorthEast().distanceTo(spread.getSouthWest()) > 50;
    if (separable && inst.map.getZoom() < inst.map.getMaxZoom()) {
      marker.on("click", function () { inst.map.fitBounds(spread, { padding: [40, 40] }); });
    } else {
      marker.bindPopup(function () {
        return popup(members.map(function (m) { return { p: m.p, kind: m.kind }; }), inst.options.records);
      }, { maxHeight: 260 });
    }
    return marker;
  }

  function textNode(s) {
    var span = document.createElement("span");
    span.textContent = s;
    return span;
  }

  function popup(items, recordsUrl) {
    var div = document.createElement("div");
    var list = document.createElement(items.length > 1 ? "ol" : "div");
    list.className = "atlas-popup-list";
    items.forEach(function (it) {
      var row = document.createElement(items.length > 1 ? "li" : "div");
      var a = document.createElement("a");
      a.className = "atlas-popup-link";
      a.href = new URL(recordsUrl + encodeURIComponent(it.p.i) + "/", document.baseURI).href;
      a.textContent = it.p.t;
      var meta = document.createElement("div");
      meta.className = "atlas-popup-meta";
      meta.textContent = ((api.labels[it.kind] || {}).single || it.kind) + (it.p.y ? ", " + it.p.y : "");
      row.appendChild(a);
      row.appendChild(meta);
      list.appendChild(row);
    });
    div.appendChild(list);
    return div;
  }

  function passes(f, kind, p) {
    return !(
      (f.kinds && f.kinds.indexOf(kind) < 0) ||
      (f.country && ("," + p.c + ",").indexOf("," + f.country + ",") < 0) ||
      (f.from && (!p.y || p.y < f.from)) ||
      (f.to && (!p.y || p.y > f.to))
    );
  }

  /* What the map shows under a filter, counted as the page counts: each record once, however
   * many countries' capitals it is drawn at. Returns the number shown and the count per kind
   * under the other filters (the legend's live counts). */
  function apply(inst, f) {
    inst.markers.forEach(function (m) { m.on = passes(f, m.kind, m.p); });
    inst.levels.forEach(function (lv) { lv.rows.forEach(function (row) { row.on = passes(f, row.kind, row.p); }); });
    drawLevels(inst);
    cluster(inst);
    declutter(inst);
    var shown = {}, perKind = {}, all = { kinds: null, country: f.country, from: f.from, to: f.to };
    everyRecord(inst, function (kind, p, on) {
      if (on) shown[p.i] = true;
      if (passes(all, kind, p)) (perKind[kind] = perKind[kind] || {})[p.i] = true;
    });
    var counts = {};
    Object.keys(perKind).forEach(function (k) { counts[k] = Object.keys(perKind[k]).length; });
    return { shown: Object.keys(shown).length, perKind: counts };
  }

  function everyRecord(inst, fn) {
    inst.markers.forEach(function (m) { fn(m.kind, m.p, m.on); });
    inst.levels.forEach(function (lv) { lv.rows.forEach(function (row) { fn(row.kind, row.p, row.on); }); });
  }

  function readFilters() {
    var q = new URLSearchParams(location.search);
    var num = function (k) { var v = parseInt(q.get(k) || "", 10); return isNaN(v) ? null : v; };
    return {
      kinds: q.get("kinds") ? q.get("kinds").split(",") : null,
      country: q.get("country") || null,
      from: num("from"),
      to: num("to")
    };
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  /* The legend is the kind filter, below the map (it never covers it): each kind's marker, name
   * and live count; then country (overview), years with a slider that plays through time, and
   * the count shown. The state is kept in the URL, and the page's record tables follow it
   * (event "atlas:mapfilter", read by atlas-tables.js). */
  function filterForm(inst, mapEl) {
    var f = readFilters();
    var form = mapEl.parentNode.querySelector("form.atlas-filters");  // in the page (maps.py _filter_form)
    if (!form) return;
    var allKinds = inst.options.order || Object.keys(inst.options.labels || {});
    var countOf = {};
    form.querySelectorAll(".atlas-kind-count[data-kind]").forEach(function (c) { countOf[c.getAttribute("data-kind")] = c; });
    form.querySelectorAll("input[name=kind]").forEach(function (box) { box.checked = !f.kinds || f.kinds.indexOf(box.value) >= 0; });
    var country = form.elements.country;
    country.value = f.country || "";
    ["from", "to"].forEach(function (k) { if (f[k]) form.elements[k].value = String(f[k]); });
    var years = [];
    everyRecord(inst, function (kind, p) { if (p.y) years.push(p.y); });
    var lo = years.length ? Math.min.apply(null, years) : 1990, hi = years.length ? Math.max.apply(null, years) : 2030;
    var slider = form.elements.year || el("input", { type: "range" });
    var play = form.querySelector(".atlas-play") || el("button", {});
    var yearOut = form.querySelector(".atlas-time-year") || el("span", {});
    var out = form.querySelector("output");
    Array.prototype.forEach.call(form.elements, function (c) { c.disabled = false; });
    var all = {};
    everyRecord(inst, function (kind, p) { all[p.i] = true; });
    var total = Object.keys(all).length;
    var update = function (push) {
      var kindsOn = Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (b) { return b.checked; }).map(function (b) { return b.value; });
      var state = {
        kinds: kindsOn.length === allKinds.length ? null : kindsOn,
        country: country.value || null,
        from: parseInt(form.elements.from.value, 10) || null,
        to: parseInt(form.elements.to.value, 10) || null
      };
      var r = apply(inst, state);
      allKinds.forEach(function (k) { if (countOf[k]) countOf[k].textContent = " " + (r.perKind[k] || 0); });
      out.textContent = r.shown + " of " + total + " records on the map shown";
      slider.value = String(state.to || hi);
      yearOut.textContent = state.to ? "up to " + state.to : "all years";
      document.dispatchEvent(new CustomEvent("atlas:mapfilter", { detail: state }));
      document.querySelectorAll(".atlas-kinds tbody tr").forEach(function (tr) {  // the page's kinds table
        var a = tr.querySelector("a[id]");
        if (a) tr.hidden = Boolean(state.kinds) && state.kinds.indexOf(a.id) < 0;
      });
      if (push) {
        var q = new URLSearchParams(location.search);
        ["kinds", "country", "from", "to"].forEach(function (k) { q.delete(k); });
        if (state.kinds) q.set("kinds", state.kinds.join(","));
        if (state.country) q.set("country", state.country);
        if (state.from) q.set("from", String(state.from));
        if (state.to) q.set("to", String(state.to));
        var qs = q.toString();
        history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
      }
    };
    slider.addEventListener("input", function () {
      form.elements.to.value = slider.value === String(hi) ? "" : slider.value;
      update(true);
    });
    var timer = null;
    var stop = function () { clearInterval(timer); timer = null; play.setAttribute("aria-pressed", "false"); play.textContent = "\u25B6 Play years"; };
    play.addEventListener("click", function () {
      if (timer) return stop();
      var start = parseInt(form.elements.from.value, 10) || lo;
      form.elements.to.value = String(start);
      play.setAttribute("aria-pressed", "true");
      play.textContent = "\u275A\u275A Pause";
      update(true);
      timer = setInterval(function () {
        var next = (parseInt(form.elements.to.value, 10) || lo) + 1;
        if (next > hi || !mapEl.isConnected) { form.elements.to.value = ""; update(true); return stop(); }
        form.elements.to.value = String(next);
        update(true);
      }, 900);
    });
    form.addEventListener("change", function (e) { if (e.target !== slider) update(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
    update(false);
  }

  api.calm = calm;  // the explorer's own map (atlas-explore.js) never traps the page either
  window.atlasMaps = api;
  var queued = window.atlasQ || [];
  var run = function (fn) {
    try { fn(); } catch (err) { if (window.console) console.error("atlas map:", err); }
  };
  window.atlasQ = { push: run };
  queued.forEach(function (fn) { setTimeout(function () { run(fn); }, 0); });  // one task per map
})();

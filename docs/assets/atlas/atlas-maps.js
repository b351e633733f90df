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
        var layer = L.geoJSON(data, {
          interactive: false,
          style: function (f) {
            var focus = f.properties && f.properties.focus;
            return { color: "#7a7a7a", weight: focus ? 1.2 : 0.6, fillColor: focus ? "#e8e1cf" : "#f4f4f2", fillOpacity: 1 };
          }
        });
        layer.addTo(map);
        layer.bringToBack();
        var preview = map.getContainer().querySelector(".atlas-map-preview");  // the static stand-in
        if (preview) preview.parentNode.removeChild(preview);
        if (data.bbox) {  // keep readers inside the area the basemap covers
          map.setMaxBounds([[data.bbox[1] - 4, data.bbox[0] - 8], [data.bbox[3] + 4, data.bbox[2] + 8]]);
        }
        map.attributionControl.addAttribution("Basemap: Natural Earth");
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
      var toggles = {};   // one empty layer per kind: the layer control switches kinds on and off
      var overlays = {};
      Object.keys(layers).forEach(function (kind) {
        map.removeLayer(layers[kind]);
        toggles[kind] = L.layerGroup().addTo(map);
        var meta = labels[kind] || { label: kind, colour: "#777" };
        overlays['<i style="background:' + meta.colour + '"></i>' + escapeHtml(meta.label)] = toggles[kind];
      });
      var markers = entries.map(function (e) {
        var kind = e[0], feature = e[1], layer = e[2], p = feature.properties;
        var tip = p.t + (p.y ? " (" + p.y + ")" : "");
        layer.bindTooltip(textNode(tip));
        layer.bindPopup(function () { return popup([{ p: p, kind: kind }], options.records); });
        layer.on("add", function () { keyboard(layer, tip); });
        return { kind: kind, p: p, layer: layer };
      });
      if (bounds) {
        map.fitBounds(bounds, { padding: [12, 12], maxZoom: 7 });
      }
      readData(el).then(function (extra) {  // the country layer and labels, fetched with the map
        if (!el.isConnected) return;  // the reader navigated away meanwhile
        placeLabels(map, extra.placeLabels || []);
        var inst = { map: map, toggles: toggles, markers: markers, options: options, filter: {}, shown: markers.length, visible: L.layerGroup().addTo(map), levels: [] };
        inst.levelLayer = L.layerGroup().addTo(map);
        inst.levels = (extra.countryLevel || []).map(function (g) {
          return { g: g, rows: g.r.map(function (r) { return { p: { i: r[0], t: r[1], y: r[2], c: r[4] || g.c }, kind: r[3] }; }) };
        });
        api.instances[options.id] = inst;
        map.on("zoomend overlayadd overlayremove", function () { cluster(inst); });
        L.control.layers(null, overlays, { collapsed: true }).addTo(map);
        legend(map, Object.keys(labels).filter(function (k) { return options.labels[k]; }), inst.levels.length > 0);
        filterForm(inst, el);
        el.setAttribute("data-ready", "true");
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
   * capitals appear from zoom 6 on. Names reach the page through textContent only. */
  function placeLabels(map, rows) {
    var cities = L.layerGroup(), main = L.layerGroup().addTo(map);
    rows.forEach(function (r) {
      var span = document.createElement("span");
      span.textContent = r[2];
      var icon = L.divIcon({ className: "atlas-label atlas-label--" + r[3], html: span, iconSize: null });
      var m = L.marker([r[1], r[0]], { icon: icon, interactive: false, keyboard: false });
      (r[3] === "city" ? cities : main).addLayer(m);
      if (r[3] !== "country") {
        var dot = L.circleMarker([r[1], r[0]], { radius: 2, weight: 0, fillColor: "#444", fillOpacity: 1, interactive: false });
        (r[3] === "city" ? cities : main).addLayer(dot);
      }
    });
    var sync = function () { if (map.getZoom() >= 6) cities.addTo(map); else map.removeLayer(cities); };
    map.on("zoomend", sync);
    sync();
  }

  /* Records known only at country level: a dashed circle at the capital, sized by count and
   * labelled "country-level" (it is not the place where they happened). */
  function drawLevels(inst) {
    inst.levelLayer.clearLayers();
    var total = 0;
    inst.levels.forEach(function (lv) {
      var on = lv.rows.filter(function (row) { return row.on; });
      if (!on.length) return;
      total += on.length;
      var label = on.length + " country-level record" + (on.length === 1 ? "" : "s") + ", " + lv.g.n + " (no place given)";
      var marker = L.circleMarker([lv.g.at[1], lv.g.at[0]], {
        radius: 9 + 3 * Math.sqrt(on.length), color: "#1a1a1a", weight: 2, dashArray: "4 3",
        fillColor: "#ffffff", fillOpacity: 0.55, className: "atlas-level"
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
      var count = L.marker([lv.g.at[1], lv.g.at[0]], {
        icon: L.divIcon({ className: "atlas-level-count", html: textNode(String(on.length)), iconSize: [28, 16] }),
        interactive: false, keyboard: false
      });
      inst.levelLayer.addLayer(marker);
      inst.levelLayer.addLayer(count);
    });
    inst.levelShown = total;
    inst.map.getContainer().setAttribute("data-level-shown", String(total));
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
      if (!m.on || !map.hasLayer(inst.toggles[m.kind])) return;
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

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
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

  /* The legend is a <details>: open on wide screens, one line ("Legend") on a phone, so it
   * never hides the country it explains. */
  function legend(map, kinds, levels) {
    var ctl = L.control({ position: "bottomleft" });
    ctl.onAdd = function () {
      var box = L.DomUtil.create("div", "atlas-legend");
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "atlas-legend-toggle";
      toggle.textContent = "Legend";
      var body = document.createElement("div");
      var setOpen = function (open) {
        toggle.setAttribute("aria-expanded", String(open));
        body.hidden = !open;
      };
      setOpen(!window.matchMedia("(max-width: 600px)").matches);
      toggle.addEventListener("click", function () { setOpen(body.hidden); });
      box.appendChild(toggle);
      box.appendChild(body);
      kinds.forEach(function (k) {
        var row = document.createElement("div");
        var dot = document.createElement("i");
        dot.style.background = (api.labels[k] || {}).colour || "#777";
        row.appendChild(dot);
        row.appendChild(document.createTextNode((api.labels[k] || {}).label || k));
        body.appendChild(row);
      });
      if (levels) {
        var row = document.createElement("div");
        var ring = document.createElement("i");
        ring.className = "atlas-legend-level";
        row.appendChild(ring);
        row.appendChild(document.createTextNode("Country-level records (no place given), at the capital"));
        body.appendChild(row);
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
  }

  function passes(f, kind, p) {
    return !(
      (f.kinds && f.kinds.indexOf(kind) < 0) ||
      (f.country && ("," + p.c + ",").indexOf("," + f.country + ",") < 0) ||
      (f.from && (!p.y || p.y < f.from)) ||
      (f.to && (!p.y || p.y > f.to))
    );
  }

  function apply(inst, f) {
    inst.markers.forEach(function (m) { m.on = passes(f, m.kind, m.p); });
    inst.levels.forEach(function (lv) { lv.rows.forEach(function (row) { row.on = passes(f, row.kind, row.p); }); });
    drawLevels(inst);
    return cluster(inst) + inst.levelShown;
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

  function filterForm(inst, el) {
    var f = readFilters();
    var form = document.createElement("form");
    form.className = "atlas-filters";
    form.setAttribute("aria-label", "Filter the map");
    var kinds = document.createElement("fieldset");
    var legendEl = document.createElement("legend");
    legendEl.textContent = "Kinds";
    kinds.appendChild(legendEl);
    var allKinds = Object.keys(inst.options.labels || {});
    allKinds.forEach(function (k) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.name = "kind"; box.value = k;
      box.checked = !f.kinds || f.kinds.indexOf(k) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + ((api.labels[k] || {}).label || k) + " "));
      kinds.appendChild(label);
    });
    form.appendChild(kinds);
    var country = document.createElement("select");
    if (!inst.options.filters) country.hidden = true;  // country pages and topics: kinds and years only
    country.name = "country";
    country.setAttribute("aria-label", "Country");
    [["", "All countries"], ["KZ", "Kazakhstan"], ["KG", "Kyrgyzstan"], ["TJ", "Tajikistan"], ["UZ", "Uzbekistan"], ["TM", "Turkmenistan"]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0]; opt.textContent = o[1];
      opt.selected = (f.country || "") === o[0];
      country.appendChild(opt);
    });
    form.appendChild(country);
    ["from", "to"].forEach(function (k) {
      var label = document.createElement("label");
      label.className = "atlas-year";
      label.textContent = k === "from" ? "From year " : "to year ";
      var input = document.createElement("input");
      input.type = "number"; input.name = k; input.min = "1990"; input.max = "2030"; input.step = "1";
      input.placeholder = k === "from" ? "1990" : "2030";
      if (f[k]) input.value = String(f[k]);
      label.appendChild(input);
      form.appendChild(label);
    });
    var out = document.createElement("output");
    form.appendChild(out);
    el.parentNode.insertBefore(form, el.nextSibling);  // below the map: adding it moves nothing above
    var update = function (push) {
      var kindsOn = Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (b) { return b.checked; }).map(function (b) { return b.value; });
      var all = kindsOn.length === allKinds.length;
      var state = {
        kinds: all ? null : kindsOn,
        country: country.value || null,
        from: parseInt(form.elements.from.value, 10) || null,
        to: parseInt(form.elements.to.value, 10) || null
      };
      var n = apply(inst, state);
      var total = inst.markers.length + inst.levels.reduce(function (a, lv) { return a + lv.rows.length; }, 0);
      out.textContent = n + " of " + total + " records shown";
      if (push) {
        var q = new URLSearchParams();
        if (state.kinds) q.set("kinds", state.kinds.join(","));
        if (state.country) q.set("country", state.country);
        if (state.from) q.set("from", String(state.from));
        if (state.to) q.set("to", String(state.to));
        var qs = q.toString();
        history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : "") + location.hash);
      }
    };
    form.addEventListener("change", function () { update(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); update(true); });
    update(false);
  }

  window.atlasMaps = api;
  var queued = window.atlasQ || [];
  var run = function (fn) {
    try { fn(); } catch (err) { if (window.console) console.error("atlas map:", err); }
  };
  window.atlasQ = { push: run };
  queued.forEach(run);
})();

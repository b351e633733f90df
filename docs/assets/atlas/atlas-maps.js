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
    bind: function (kind) {
      return function (feature, layer) { pending.push([kind, feature, layer]); };
    },
    basemap: function (map, url) {
      var abs = new URL(url, document.baseURI).href;
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
        map.attributionControl.addAttribution("Basemap: Natural Earth");
      });
    },
    register: function (map, layers, options) {
      var el = map.getContainer();
      var bounds = JSON.parse(el.getAttribute("data-bounds") || "null");
      var entries = pending; pending = [];
      if (!map.options.maxZoom) { map.setMaxZoom(10); }
      if (!map.options.minZoom) { map.setMinZoom(2); }
      var labels = api.labels;
      Object.keys(options.labels || {}).forEach(function (k) { labels[k] = options.labels[k]; });
      var groups = {};
      var overlays = {};
      Object.keys(layers).forEach(function (kind) {
        var geo = layers[kind];
        map.removeLayer(geo);
        var group = L.markerClusterGroup({ maxClusterRadius: 28, showCoverageOnHover: false, spiderfyOnMaxZoom: true });
        group.addTo(map);
        groups[kind] = group;
        var meta = labels[kind] || { label: kind, colour: "#777" };
        overlays['<i style="background:' + meta.colour + '"></i>' + escapeHtml(meta.label)] = group;
      });
      var markers = entries.map(function (e) {
        var kind = e[0], feature = e[1], layer = e[2], p = feature.properties;
        var tip = p.t + (p.y ? " (" + p.y + ")" : "");
        layer.bindTooltip(textNode(tip));
        layer.bindPopup(function () { return popup(p, options.records, kind); });
        layer.on("add", function () {
          var path = layer.getElement && layer.getElement();
          if (path) { path.setAttribute("aria-label", tip); path.setAttribute("role", "img"); }
        });
        return { kind: kind, p: p, layer: layer };
      });
      var inst = { map: map, groups: groups, markers: markers, options: options, shown: markers.length };
      api.instances[options.id] = inst;
      if (options.filters) {
        filterForm(inst, el);
      } else {
        apply(inst, {});
      }
      L.control.layers(null, overlays, { collapsed: true }).addTo(map);
      legend(map, Object.keys(layers));
      if (bounds) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 7 });
      }
      el.setAttribute("data-ready", "true");
    }
  };

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

  function popup(p, recordsUrl, kind) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.className = "atlas-popup-link";
    a.href = new URL(recordsUrl + encodeURIComponent(p.i) + "/", document.baseURI).href;
    a.textContent = p.t;
    var meta = document.createElement("div");
    meta.textContent = ((api.labels[kind] || {}).single || kind) + (p.y ? ", " + p.y : "");
    div.appendChild(a);
    div.appendChild(meta);
    return div;
  }

  function legend(map, kinds) {
    var ctl = L.control({ position: "bottomleft" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "atlas-legend");
      kinds.forEach(function (k) {
        var row = document.createElement("div");
        var dot = document.createElement("i");
        dot.style.background = (api.labels[k] || {}).colour || "#777";
        row.appendChild(dot);
        row.appendChild(document.createTextNode((api.labels[k] || {}).label || k));
        div.appendChild(row);
      });
      return div;
    };
    ctl.addTo(map);
  }

  function apply(inst, f) {
    var shown = 0;
    Object.keys(inst.groups).forEach(function (kind) {
      var group = inst.groups[kind];
      group.clearLayers();
      var keep = inst.markers.filter(function (m) {
        if (m.kind !== kind) return false;
        if (f.kinds && f.kinds.indexOf(m.kind) < 0) return false;
        if (f.country && ("," + m.p.c + ",").indexOf("," + f.country + ",") < 0) return false;
        if (f.from && (!m.p.y || m.p.y < f.from)) return false;
        if (f.to && (!m.p.y || m.p.y > f.to)) return false;
        return true;
      });
      group.addLayers(keep.map(function (m) { return m.layer; }));
      shown += keep.length;
    });
    inst.shown = shown;
    inst.map.getContainer().setAttribute("data-shown", String(shown));
    return shown;
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
    Object.keys(inst.groups).forEach(function (k) {
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
      label.textContent = k === "from" ? "From " : "to ";
      var input = document.createElement("input");
      input.type = "number"; input.name = k; input.min = "1990"; input.max = "2030";
      if (f[k]) input.value = String(f[k]);
      label.appendChild(input);
      form.appendChild(label);
    });
    var out = document.createElement("output");
    form.appendChild(out);
    el.parentNode.insertBefore(form, el);
    var update = function (push) {
      var kindsOn = Array.prototype.filter.call(form.querySelectorAll("input[name=kind]"), function (b) { return b.checked; }).map(function (b) { return b.value; });
      var all = kindsOn.length === Object.keys(inst.groups).length;
      var state = {
        kinds: all ? null : kindsOn,
        country: country.value || null,
        from: parseInt(form.elements.from.value, 10) || null,
        to: parseInt(form.elements.to.value, 10) || null
      };
      var n = apply(inst, state);
      out.textContent = n + " of " + inst.markers.length + " located records shown";
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

/* Atlas search page: Pagefind's UI, loaded only on this page. The index itself is fetched in
 * small fragments once the reader types (nothing on first view of any other page). The page
 * also runs after Material's instant navigation, so everything is (re)started from here. */
(function () {
  "use strict";
  var el = document.getElementById("atlas-search");
  if (!el || el.getAttribute("data-ready")) return;
  var form = document.querySelector(".atlas-header-search");
  var page = form ? form.action : location.href; // absolute URL of this page, from the header form
  var bundle = new URL("../pagefind/", page).href;
  var query = new URLSearchParams(location.search).get("q") || "";

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var key = attrs.src || attrs.href;
      if (document.querySelector(tag + '[data-atlas-src="' + key + '"]')) return resolve();
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { node[k] = attrs[k]; });
      node.setAttribute("data-atlas-src", key);
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" });
  load("script", { src: bundle + "pagefind-ui.js" }).then(function () {
    var ui = new window.PagefindUI({
      element: el,
      bundlePath: bundle,
      baseUrl: new URL("../", page).pathname,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      autofocus: !query
    });
    el.setAttribute("data-ready", "true");
    if (query) ui.triggerSearch(query);
    var input = el.querySelector("input");
    if (input) input.setAttribute("aria-label", "Search the atlas");  // a placeholder is no label (axe)
    if (input) {  // keep the query in the URL, so a search can be shared and survives reload
      input.addEventListener("input", function () {
        var q = new URLSearchParams(location.search);
        if (input.value) q.set("q", input.value); else q.delete("q");
        var qs = q.toString();
        history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : ""));
      });
    }
  }, function () {
    el.textContent = "The search index is missing: it is built by `make site` (python -m generator build), " +
      "not by the live preview. Every record is listed in the table of records.";
    el.setAttribute("data-ready", "missing");
  });
})();

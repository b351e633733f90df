/* Atlas search page: Pagefind's UI, loaded only on this page. The index itself is fetched in
 * small fragments once the reader types (nothing on first view of any other page). The page
 * also runs after Material's instant navigation, so everything is (re)started from here. */
(function () {
  "use strict";
  var el = document.getElementById("atlas-search");
  if (!el || el.getAttribute("data-ready")) return;
  var form = document.querySelector(".atlas-header-search");
  var header = document.getElementById("atlas-q");
  var page = form ? form.action : location.href; // absolute URL of this page, from the header form
  var bundle = new URL("../pagefind/", page).href;
  var query = new URLSearchParams(location.search).get("q") || "";
  // Pagefind's ranking (https://pagefind.app/docs/ranking/). The page about a thing carries its
  // names, abbreviation and aliases in metadata (generator/core/search.py): `names` (a country,
  // place or topic), `short` (an organisation's abbreviation and aliases), `organisation` (its
  // name), `native` (names in other scripts). A match there outweighs any
  // number of mentions elsewhere, so the page about a thing comes first; a place or country before
  // an organisation named after it, an organisation's own abbreviation before a word of another's
  // Russian name. Pagefind adds a field's weight times the cube of the words of the field that
  // extend the query (a title with "Kyrgyzstan" and "Kyrgyzstan-China" counts 8 times): hence
  // the large weights. `terms` (the glossary's) comes next, then titles (Pagefind's default 5);
  // `fields`, a record's field values, counts like text. Page length counts for little, so short
  // record pages do not beat long essays.
  var RANKING = {
    metaWeights: { names: 200, short: 180, organisation: 160, native: 120, terms: 10, title: 5, fields: 1 },
    pageLength: 0.25,
    termSimilarity: 2
  };

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

  function keepInUrl(value) {  // the query stays in the URL, so a search can be shared and survives reload
    var q = new URLSearchParams(location.search);
    if (value) q.set("q", value); else q.delete("q");
    var qs = q.toString();
    history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : ""));
  }

  load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" });
  load("script", { src: bundle + "pagefind-ui.js" }).then(function () {
    var ui = new window.PagefindUI({
      element: el,
      bundlePath: bundle,
      baseUrl: new URL("../", page).pathname,
      showSubResults: false,  // the first sub-result repeated the page's title
      showImages: false,
      resetStyles: false,
      excerptLength: 24,
      processResult: function (result) {  // the metadata that ranks pages is not for show
        ["names", "short", "organisation", "native", "terms", "fields"].forEach(function (k) { delete result.meta[k]; });
        return result;
      },
      ranking: RANKING,
      autofocus: !query && !(header && document.activeElement === header)
    });
    el.setAttribute("data-ready", "true");
    var input = el.querySelector("input");
    if (input) input.setAttribute("aria-label", "Search the atlas");  // a placeholder is no label (axe)
    if (query) {
      ui.triggerSearch(query);
      if (header) header.value = query;
      if (input && !(header && document.activeElement === header)) {  // go on typing where the header box left off
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      }
    }
    if (input) {
      input.addEventListener("input", function () {
        keepInUrl(input.value);
        if (header) header.value = input.value;
      });
    }
    // the header box, on this page, searches in place
    window.atlasSearchPage = function (value) {
      if (!document.body.contains(el)) { window.atlasSearchPage = null; return; }
      ui.triggerSearch(value);
      if (input) input.value = value;
      keepInUrl(value);
    };
  }, function () {
    el.textContent = "The search index is missing: it is built by `make site` (python -m generator build), " +
      "not by the live preview. Every record is listed in the table of records.";
    el.setAttribute("data-ready", "missing");
  });
})();

/* Accessibility fixes for markup that Material's scripts add after the page loads.
 * 1. Material wraps each code block's copy button in a <nav>; with several code blocks on a page
 *    these navigation landmarks share one (empty) name (axe landmark-unique). They are a toolbar,
 *    not site navigation, so they lose the landmark role and keep their buttons.
 * 2. A table wider than the screen scrolls sideways in Material's wrapper; when the table holds
 *    no link or control, the keyboard could not reach it to scroll (axe scrollable-region-focusable):
 *    such a wrapper becomes a named, focusable region, measured after each page (and resize). */
(function () {
  "use strict";
  function fix(root) {
    var navs = (root || document).querySelectorAll("nav.md-code__nav:not([role])");
    for (var i = 0; i < navs.length; i++) navs[i].setAttribute("role", "none");
  }
  function scrollables() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap");
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i], scrolls = w.scrollWidth > w.clientWidth + 1;
      var own = w.getAttribute("data-atlas-scroll") === "1";
      if (scrolls && !own && !w.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        w.setAttribute("aria-label", "Table " + (i + 1) + " of the page, scrolls sideways");  // unique: axe landmark-unique
        w.setAttribute("data-atlas-scroll", "1");
      } else if (!scrolls && own) {
        ["tabindex", "role", "aria-label", "data-atlas-scroll"].forEach(function (a) { w.removeAttribute(a); });
      }
    }
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) if (records[i].addedNodes.length) { fix(document); return; }
  }).observe(document.documentElement, { childList: true, subtree: true });
  fix(document);
  var later = function () { setTimeout(scrollables, 0); };
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(later);
  else window.addEventListener("load", later);
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(scrollables, 200); });
})();

/* Accessibility fixes for markup that Material's scripts add after the page loads.
 * Material wraps each code block's copy button in a <nav>; with several code blocks on a page
 * these navigation landmarks share one (empty) name (axe landmark-unique). They are a toolbar,
 * not site navigation, so they lose the landmark role and keep their buttons. */
(function () {
  "use strict";
  function fix(root) {
    var navs = (root || document).querySelectorAll("nav.md-code__nav:not([role])");
    for (var i = 0; i < navs.length; i++) navs[i].setAttribute("role", "none");
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) if (records[i].addedNodes.length) { fix(document); return; }
  }).observe(document.documentElement, { childList: true, subtree: true });
  fix(document);
})();

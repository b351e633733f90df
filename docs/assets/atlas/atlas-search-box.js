/* The header search box, on every page (< 2 KB; nothing else is loaded before the reader types).
 * Typing opens the search page with the results, which then update as the reader goes on typing
 * there (atlas-search.js); Enter does the same at once. */
(function () {
  "use strict";
  var timer = null;
  function searchPage(form, q) {
    return form.action + (q ? "?q=" + encodeURIComponent(q) : "");
  }
  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input || input.id !== "atlas-q") return;
    var form = input.form;
    clearTimeout(timer);
    if (window.atlasSearchPage) { window.atlasSearchPage(input.value); return; }  // results update in place
    if (!input.value.trim()) return;
    timer = setTimeout(function () { location.assign(searchPage(form, input.value)); }, 350);
  });
})();

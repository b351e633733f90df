/* "Cite this page": today's date as the access date, copy and download buttons.
   Without scripts the placeholder "[date accessed]" stays visible and the buttons stay hidden. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function today(format) {
    var d = new Date();
    var sep = format === "ris" ? "/" : "-";
    return d.getFullYear() + sep + pad(d.getMonth() + 1) + sep + pad(d.getDate());
  }

  function copy(text, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    done();
  }

  function download(text, filename) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function init() {
    document.querySelectorAll(".atlas-accessed").forEach(function (span) {
      span.textContent = today(span.getAttribute("data-date-format"));
    });
    document.querySelectorAll(".atlas-cite-format").forEach(function (box) {
      var body = box.querySelector(".atlas-cite-text, .atlas-cite-code");
      var actions = box.querySelector(".atlas-cite-actions");
      if (!body || !actions) { return; }
      actions.hidden = false;
      box.querySelector(".atlas-cite-copy").addEventListener("click", function (e) {
        copy(body.textContent, e.currentTarget);
      });
      var dl = box.querySelector(".atlas-cite-download");
      dl.addEventListener("click", function () { download(body.textContent, dl.getAttribute("data-filename")); });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init); // Material's instant navigation swaps pages without a reload
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

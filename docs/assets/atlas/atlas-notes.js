/* Note markers in the essays: the note (reference and locator) in a popover while the pointer is
   on the marker or the marker has keyboard focus; Escape closes it. Without scripts a marker is a
   plain link to its note in the page's Notes (generator/prose.py, partials/notes.md.j2). */
(function () {
  "use strict";
  var pop = null;

  function hide() {
    if (pop) { pop.remove(); pop = null; }
  }

  function show(link) {
    var sup = link.parentNode;
    var note = document.getElementById(link.hash.slice(1));  // Material makes hrefs absolute
    if (!note || (pop && pop.parentNode === sup)) return;
    hide();
    pop = document.createElement("span");
    pop.className = "atlas-note-pop";
    pop.setAttribute("role", "tooltip");
    pop.appendChild(document.createTextNode(link.textContent + ". "));
    for (var i = 0; i < note.childNodes.length; i++) pop.appendChild(note.childNodes[i].cloneNode(true));
    var back = pop.querySelector(".atlas-note-back");
    if (back) back.remove();
    sup.appendChild(pop);
    var r = pop.getBoundingClientRect(), width = document.documentElement.clientWidth;
    if (r.right > width - 8) pop.style.left = Math.max(8 - r.left, width - 8 - r.right) + "px";
  }

  function marker(node) {
    return node && node.closest ? node.closest(".atlas-note-ref > a") : null;
  }

  document.addEventListener("mouseover", function (e) { var a = marker(e.target); if (a) show(a); });
  document.addEventListener("focusin", function (e) { var a = marker(e.target); if (a) show(a); });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (e) {
      if (pop && !pop.parentNode.contains(e.relatedTarget)) hide();
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();

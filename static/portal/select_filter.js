// Type-ahead for long selects (issue 29 item 11g): the occupation list has 86 entries. Every
// <select data-type-ahead>, and every single select of more than 30 options, gets a search box
// above it; typing keeps only the options whose text contains what was typed (name or code, case
// and spaces ignored). Without JavaScript the plain select works as before. No library, no CDN.
(function () {
  "use strict";
  var script = document.currentScript;
  var placeholder = (script && script.getAttribute("data-placeholder")) || "";
  var noMatch = (script && script.getAttribute("data-no-match")) || "";
  function norm(text) { return text.replace(/\s+/g, "").toLowerCase(); }
  function attach(select) {
    if (select.multiple || select.hasAttribute("data-type-ahead-ready")) { return; }
    select.setAttribute("data-type-ahead-ready", "");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = placeholder;
    box.setAttribute("aria-label", placeholder);
    box.setAttribute("data-type-ahead-for", select.name);
    box.autocomplete = "off";
    var status = document.createElement("div");
    status.className = "form-text text-danger";
    status.hidden = true;
    status.textContent = noMatch;
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    box.addEventListener("input", function () {
      var wanted = norm(box.value);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = !option.value || !wanted || norm(option.text).indexOf(wanted) !== -1;
        option.hidden = !keep;
        if (keep && option.value && first === null) { first = option; }
      });
      var current = select.options[select.selectedIndex];
      if (wanted && first && (!current || current.hidden || !current.value)) {
        select.value = first.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      status.hidden = !wanted || first !== null;
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }
  function scan(root) {
    root.querySelectorAll("select").forEach(function (select) {
      if (select.hasAttribute("data-type-ahead") || select.options.length > 30) { attach(select); }
    });
  }
  scan(document);
  // Rows added later (the formsets' "add row" buttons) get their box too.
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) { if (node.querySelectorAll) { scan(node); } });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();

// "Add row" for the Django formsets of the self-check page: clones the empty form of a fieldset
// [data-formset], numbers it with TOTAL_FORMS and stops at MAX_NUM_FORMS.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = fieldset.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var rows = fieldset.querySelector("[data-rows]");
    var template = fieldset.querySelector("template[data-empty-row]");
    var button = fieldset.querySelector("[data-add-row]");
    function update() {
      button.disabled = max && parseInt(total.value, 10) >= parseInt(max.value, 10);
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      update();
      var first = rows.lastElementChild.querySelector("select, input");
      if (first) { first.focus(); }
    });
    update();
  });
})();

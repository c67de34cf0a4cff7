// "Add a row" for the filing form's formsets: copies the empty form and bumps TOTAL_FORMS.
// A static file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
// The focus moves to the new row's first control (issue 40): a keyboard user would otherwise stay on
// the button, below the row, and have to Shift+Tab back through it.
document.querySelectorAll(".formset").forEach(function (box) {
  var prefix = box.dataset.prefix;
  box.querySelector(".formset-add").addEventListener("click", function () {
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var html = box.querySelector("template.formset-empty").innerHTML.replace(/__prefix__/g, total.value);
    var rows = box.querySelector(".formset-rows");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
    var row = rows.lastElementChild;
    // After the type-ahead script (static/portal/select_filter.js) has put its box before a long select.
    setTimeout(function () {
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    }, 0);
  });
});

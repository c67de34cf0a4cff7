// "Add a row" for the filing form's formsets: copies the empty form and bumps TOTAL_FORMS.
// A static file, not an inline script: the Content-Security-Policy allows scripts from 'self' only.
document.querySelectorAll(".formset").forEach(function (box) {
  var prefix = box.dataset.prefix;
  box.querySelector(".formset-add").addEventListener("click", function () {
    var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var html = box.querySelector("template.formset-empty").innerHTML.replace(/__prefix__/g, total.value);
    box.querySelector(".formset-rows").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
});

// The 签发证书 page: "select all" / "select none" buttons and the count of ticked candidates.
// Without JavaScript the page works the same (every box starts ticked; the buttons stay hidden).
(function () {
  "use strict";
  var form = document.getElementById("candidate-selection");
  if (!form) {
    return;
  }
  var boxes = form.querySelectorAll('input[type="checkbox"][name="candidates"]');
  var tools = form.querySelector("[data-selection-tools]");
  var count = form.querySelector("[data-selected-count]");

  function update() {
    var ticked = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        ticked++;
      }
    }
    count.textContent = String(ticked);
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select]");
    if (!button) {
      return;
    }
    var on = button.dataset.select === "all";
    for (var i = 0; i < boxes.length; i++) {
      if (!boxes[i].disabled) {  // a candidate the pre-flight refuses stays unticked
        boxes[i].checked = on;
      }
    }
    update();
  });
  form.addEventListener("change", update);
  tools.hidden = false;
  update();
})();

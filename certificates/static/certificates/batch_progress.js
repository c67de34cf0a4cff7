// Polls the batch status endpoint and moves the progress bar; reloads once the batch is over so the
// server renders the report and the download links. No framework, no CDN.
(function () {
  "use strict";
  var section = document.getElementById("batch-progress");
  if (!section || section.dataset.over === "1") {
    return;
  }
  var bar = document.getElementById("batch-progressbar");
  var fill = bar.querySelector(".progress-bar");
  var statusEl = document.getElementById("batch-status");
  var countsEl = document.getElementById("batch-counts");
  var noteEl = document.getElementById("batch-note");
  var template = section.dataset.countsTemplate;
  var delay = 1000;

  function render(data) {
    fill.style.width = data.percent + "%";
    fill.textContent = data.percent + "%";
    bar.setAttribute("aria-valuenow", String(data.percent));
    statusEl.textContent = data.status_label;
    countsEl.textContent = template.replace(/\{(\w+)\}/g, function (match, key) {
      return key in data ? String(data[key]) : match;
    });
    noteEl.textContent = "";
  }

  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        render(data);
        if (data.over) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        noteEl.textContent = section.dataset.failedText;
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, 500);
})();

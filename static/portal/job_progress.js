// Polls a job's status (portal.jobs) and moves its progress bar; reloads once the job is over so the page
// shows the download or the reason. No framework, no CDN.
(function () {
  "use strict";
  var section = document.getElementById("job-progress");
  if (!section || section.dataset.over === "1") {
    return;
  }
  var bar = document.getElementById("job-progressbar");
  var fill = bar.querySelector(".progress-bar");
  var statusEl = document.getElementById("job-status");
  var countsEl = document.getElementById("job-counts");
  var delay = 1000;

  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        fill.style.width = data.percent + "%";
        fill.textContent = data.percent + "%";
        bar.setAttribute("aria-valuenow", String(data.percent));
        statusEl.textContent = data.status_label;
        countsEl.textContent = countsEl.textContent.replace(/\d+\s*\/\s*\d+/, data.done + " / " + data.total);
        if (data.over) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();

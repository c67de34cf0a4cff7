/* The centre's dashboard charts (issue 37): Apache ECharts (static/vendor/echarts), fed by the JSON
   endpoint named in #dashboard-charts[data-src]. Each chart's numbers are also in the table under it. */
(function () {
  "use strict";
  var box = document.getElementById("dashboard-charts");
  if (!box || !window.echarts) { return; }
  var drawn = [];
  function draw(chart) {
    var el = box.querySelector('[data-chart="' + chart.key + '"]');
    if (!el) { return; }
    var stacked = chart.kind === "stack";
    var instance = window.echarts.init(el, null, { renderer: "svg", locale: "ZH" });
    instance.setOption({
      animation: false,
      color: ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997"],
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: chart.months },
      yAxis: { type: "value", minInterval: 1 },
      series: chart.series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "total" : undefined, data: s.data };
      })
    });
    el.setAttribute("data-rendered", "1");
    drawn.push(instance);
  }
  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) { data.charts.forEach(draw); box.setAttribute("data-ready", "1"); });
  function resize() { drawn.forEach(function (c) { c.resize(); }); }
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();

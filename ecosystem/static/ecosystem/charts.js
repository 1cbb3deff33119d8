/* The ecosystem statistics charts, drawn with the vendored ECharts from the data embedded in
   the page (json_script "eco-charts"): a list of {id, type: "bar"|"hbar"|"line", names,
   series: [{name, values}]}. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("eco-charts");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var specs = JSON.parse(source.textContent);
    var charts = [];
    specs.forEach(function (spec) {
      var el = document.getElementById(spec.id);
      if (!el) {
        return;
      }
      var horizontal = spec.type === "hbar";
      var category = { type: "category", data: spec.names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
      var value = { type: "value", minInterval: 1 };
      var chart = echarts.init(el);
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: spec.series.length > 1 ? { top: 0 } : undefined,
        grid: { left: horizontal ? 110 : 48, right: 16, top: spec.series.length > 1 ? 32 : 16, bottom: 40 },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? category : value,
        series: spec.series.map(function (s) {
          return { name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.values };
        })
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

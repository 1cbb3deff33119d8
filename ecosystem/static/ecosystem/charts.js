/* The ecosystem statistics charts (portal/charts.js, from the data embedded in the page as
   json_script "eco-charts"): a list of {id, type: "bar"|"hbar"|"line", names,
   series: [{name, values}]}. */
PortalCharts.draw("eco-charts", function (specs) {
  "use strict";
  specs.forEach(function (spec) {
    var horizontal = spec.type === "hbar";
    var category = { type: "category", data: spec.names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    PortalCharts.chart(spec.id, {
      tooltip: { trigger: "axis" },
      legend: spec.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 110 : 48, right: 16, top: spec.series.length > 1 ? 32 : 16, bottom: 40 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.values };
      })
    });
  });
});

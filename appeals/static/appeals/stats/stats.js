/* The appeal statistics charts (portal/charts.js, from the data embedded in the page as
   json_script "appeal-stats-data"). */
PortalCharts.draw("appeal-stats-data", function (data) {
  "use strict";

  function names(rows) { return rows.map(function (r) { return r.name; }); }

  function hbar(element, rows, key, seriesName) {
    PortalCharts.chart(element, {
      tooltip: { trigger: "axis" },
      grid: { left: 100, right: 16, top: 16, bottom: 40 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names(rows), axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
      series: [{ name: seriesName, type: "bar", data: rows.map(function (r) { return r[key]; }) }]
    });
  }

  hbar("chart-category", data.byCategory, "count", data.labels.count);
  hbar("chart-platform", data.byPlatform, "count", data.labels.count);
  PortalCharts.chart("chart-month", {
    tooltip: { trigger: "axis" },
    grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: "category", data: data.byMonth.map(function (r) { return r.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.labels.count, type: "line", data: data.byMonth.map(function (r) { return r.count; }) }]
  });
  hbar("chart-level", data.perLevel, "hours", data.labels.hours);
});

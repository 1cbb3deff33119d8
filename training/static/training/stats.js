/* The training statistics charts (portal/charts.js, from the data embedded in the page):
   sessions and person-times by month, person-times and audiences by industry. */
PortalCharts.draw("training-chart-data", function (data) {
  "use strict";
  var labels = data.labels;

  function bars(element, rows, keys, kinds) {
    PortalCharts.chart(element, {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 50, top: 40, bottom: 40 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.label; }) },
      yAxis: [{ type: "value" }, { type: "value" }],
      series: keys.map(function (key, i) {
        return {
          name: labels[key],
          type: kinds[i],
          yAxisIndex: i === 0 ? 0 : 1,
          data: rows.map(function (r) { return r[key]; })
        };
      })
    });
  }

  bars("chart-months", data.months, ["sessions", "person_times"], ["bar", "line"]);
  bars("chart-industries", data.industries, ["person_times", "outreach_audience"], ["bar", "bar"]);
});

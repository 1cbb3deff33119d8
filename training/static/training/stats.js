/* The training statistics charts, drawn with the vendored ECharts from data embedded in the
   page (json_script): sessions and person-times by month, person-times and audiences by
   industry. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("training-chart-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var charts = [];

    function bars(element, rows, keys, kinds) {
      var chart = echarts.init(element);
      chart.setOption({
        animation: false,
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
      element.setAttribute("data-ready", "true");
      charts.push(chart);
    }

    var months = document.getElementById("chart-months");
    if (months) {
      bars(months, data.months, ["sessions", "person_times"], ["bar", "line"]);
    }
    var industries = document.getElementById("chart-industries");
    if (industries) {
      bars(industries, data.industries, ["person_times", "outreach_audience"], ["bar", "bar"]);
    }
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

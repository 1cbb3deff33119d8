/* The dashboard's two charts, drawn with the vendored ECharts from data embedded in the page
   (json_script): coverage by industry and coverage over the months. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("coverage-chart-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var charts = [];

    function tooltip(rows, key) {
      return function (params) {
        return params.map(function (p) {
          var row = rows[p.dataIndex];
          var numerator = p.seriesIndex === 0 ? row.organization_covered : row.shuangyou;
          var rate = p.value === null || p.value === undefined ? "—" : p.value + "%";
          return p.marker + p.seriesName + ": " + numerator + " / " + row.enterprises + " (" + rate + ")";
        }).join("<br>") + "<br>" + rows[params[0].dataIndex][key];
      };
    }

    var byIndustry = document.getElementById("chart-by-industry");
    if (byIndustry) {
      var rows = data.byIndustry;
      var chart = echarts.init(byIndustry);
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis", formatter: tooltip(rows, "industry") },
        legend: { top: 0 },
        grid: { left: 40, right: 10, top: 40, bottom: 40 },
        xAxis: { type: "category", data: rows.map(function (r) { return r.industry; }) },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: labels.organization, type: "bar", data: rows.map(function (r) { return r.organization_rate; }) },
          { name: labels.shuangyou, type: "bar", data: rows.map(function (r) { return r.shuangyou_rate; }) }
        ]
      });
      charts.push(chart);
    }

    var trend = document.getElementById("chart-trend");
    if (trend) {
      var points = data.trend;
      var line = echarts.init(trend);
      line.setOption({
        animation: false,
        tooltip: { trigger: "axis", formatter: tooltip(points, "day") },
        legend: { top: 0 },
        grid: { left: 40, right: 10, top: 40, bottom: 40 },
        xAxis: { type: "category", data: points.map(function (p) { return p.day; }) },
        yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: labels.organization, type: "line", data: points.map(function (p) { return p.organization_rate; }) },
          { name: labels.shuangyou, type: "line", data: points.map(function (p) { return p.shuangyou_rate; }) }
        ]
      });
      charts.push(line);
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

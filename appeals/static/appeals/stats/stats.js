/* The appeal statistics charts, drawn with the vendored ECharts from the data embedded in
   the page (json_script "appeal-stats-data"). */
(function () {
  "use strict";

  function bar(el, names, values, seriesName, horizontal) {
    var chart = echarts.init(el);
    var category = { type: "category", data: names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: horizontal ? 100 : 40, right: 16, top: 16, bottom: 40 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [{ name: seriesName, type: "bar", data: values }]
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("appeal-stats-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var el = document.getElementById("chart-category");
    if (el) {
      charts.push(bar(el, data.byCategory.map(function (r) { return r.name; }),
        data.byCategory.map(function (r) { return r.count; }), data.labels.count, true));
    }
    el = document.getElementById("chart-platform");
    if (el) {
      charts.push(bar(el, data.byPlatform.map(function (r) { return r.name; }),
        data.byPlatform.map(function (r) { return r.count; }), data.labels.count, true));
    }
    el = document.getElementById("chart-month");
    if (el) {
      var line = echarts.init(el);
      line.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 40 },
        xAxis: { type: "category", data: data.byMonth.map(function (r) { return r.month; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: data.labels.count, type: "line", data: data.byMonth.map(function (r) { return r.count; }) }]
      });
      charts.push(line);
    }
    el = document.getElementById("chart-level");
    if (el) {
      charts.push(bar(el, data.perLevel.map(function (r) { return r.name; }),
        data.perLevel.map(function (r) { return r.hours; }), data.labels.hours, true));
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

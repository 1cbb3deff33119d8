/* The assistance totals page: amount by purpose and by industry, drawn with the vendored
   ECharts from the data embedded in the page (json_script). Amounts travel as exact decimal
   strings; they become numbers only for drawing. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("assistance-chart-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];

    function bars(elementId, rows) {
      var element = document.getElementById(elementId);
      if (!element) {
        return;
      }
      var chart = echarts.init(element);
      chart.setOption({
        animation: false,
        tooltip: {
          trigger: "axis",
          formatter: function (params) {
            var row = rows[params[0].dataIndex];
            return row.label + "<br>" + data.labels.amount + ": " + row.amount +
              "<br>" + data.labels.beneficiaries + ": " + row.beneficiaries;
          }
        },
        grid: { left: 70, right: 10, top: 20, bottom: 60 },
        xAxis: {
          type: "category",
          data: rows.map(function (r) { return r.label; }),
          axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 }
        },
        yAxis: { type: "value", name: data.labels.amount },
        series: [{
          name: data.labels.amount,
          type: "bar",
          data: rows.map(function (r) { return Number(r.amount); })
        }]
      });
      charts.push(chart);
      element.setAttribute("data-ready", "true");
    }

    bars("chart-by-purpose", data.byPurpose);
    bars("chart-by-industry", data.byIndustry);
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

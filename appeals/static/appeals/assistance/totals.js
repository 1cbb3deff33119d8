/* The assistance totals page (portal/charts.js): amount by purpose and by industry. Amounts
   travel as exact decimal strings; they become numbers only for drawing. */
PortalCharts.draw("assistance-chart-data", function (data) {
  "use strict";

  function bars(element, rows) {
    PortalCharts.chart(element, {
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
  }

  bars("chart-by-purpose", data.byPurpose);
  bars("chart-by-industry", data.byIndustry);
});

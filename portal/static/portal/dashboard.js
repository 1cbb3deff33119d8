/* The dashboard's two charts (portal/charts.js, from the data embedded in the page): coverage
   by industry and coverage over the months. */
PortalCharts.draw("coverage-chart-data", function (data) {
  "use strict";
  var labels = data.labels;

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

  function rates(element, rows, key, type) {
    PortalCharts.chart(element, {
      tooltip: { trigger: "axis", formatter: tooltip(rows, key) },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 40, bottom: 40 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[key]; }) },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.organization, type: type, data: rows.map(function (r) { return r.organization_rate; }) },
        { name: labels.shuangyou, type: type, data: rows.map(function (r) { return r.shuangyou_rate; }) }
      ]
    });
  }

  rates("chart-by-industry", data.byIndustry, "industry", "bar");
  rates("chart-trend", data.trend, "day", "line");
});

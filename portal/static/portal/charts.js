/* What every chart page of the portal shares, with the vendored ECharts (loaded before this
   file): reading the page's data (json_script) once the page is read, drawing a chart that
   follows the window's size and says when it is drawn (data-ready, for the browser tests).
   A page's own script calls PortalCharts.draw(dataId, function (data) { ... }) and draws each
   chart with PortalCharts.chart(element, option). */
(function () {
  "use strict";

  var charts = [];

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });

  function whenRead(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  window.PortalCharts = {
    /* Calls draw(data) with the parsed json_script #dataId, when the page has it and ECharts
       is there (a page without data, or a failed script load, draws nothing). */
    draw: function (dataId, draw) {
      whenRead(function () {
        var source = document.getElementById(dataId);
        if (!source || typeof echarts === "undefined") {
          return;
        }
        draw(JSON.parse(source.textContent));
      });
    },
    /* A chart on element (an element or its id; nothing when the page lacks it), drawn
       without animation. */
    chart: function (element, option) {
      var el = typeof element === "string" ? document.getElementById(element) : element;
      if (!el) {
        return null;
      }
      var chart = echarts.init(el);
      chart.setOption(Object.assign({ animation: false }, option));
      charts.push(chart);
      el.setAttribute("data-ready", "true");
      return chart;
    }
  };
})();

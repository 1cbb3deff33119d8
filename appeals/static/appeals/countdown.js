// Countdown to each appeal's due time: <time data-countdown datetime="ISO">due time</time>.
// Without JavaScript the element keeps showing the due time itself.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "zh-hans";
  var zh = lang.indexOf("zh") === 0;
  function part(n, unitZh, unitEn) { return n + (zh ? unitZh : " " + unitEn + " "); }
  function render(ms) {
    var overdue = ms < 0;
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var text = (d ? part(d, "天", "d") : "") + part(h, "小时", "h") + part(m, "分", "min");
    if (zh) { return overdue ? "已逾期 " + text : "剩余 " + text; }
    return overdue ? "overdue by " + text.trim() : text.trim() + " left";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time[data-countdown]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("datetime"));
      if (isNaN(due)) { return; }
      if (!el.dataset.dueText) { el.dataset.dueText = el.textContent; el.title = el.textContent; }
      el.textContent = render(due - now);
      el.classList.toggle("countdown--overdue", due <= now);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
})();

/* The copy button beside an appeal's reference number. Served from the repo (no CDN, no inline
 * script): the button stays hidden where the browser cannot copy, and the number can still be
 * selected by hand. */
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-10000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // A clipboard write that neither succeeds nor fails (a browser waiting on focus or on a
  // permission prompt) falls back after a second, so the button always answers.
  function withinASecond(promise) {
    return Promise.race([promise, new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("clipboard did not answer")); }, 1000);
    })]);
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return withinASecond(navigator.clipboard.writeText(text))
        .catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  var canCopy = (navigator.clipboard && window.isSecureContext) ||
    (document.queryCommandSupported && document.queryCommandSupported("copy"));
  if (!canCopy) return;

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (!target) return;
    var status = button.nextElementSibling;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(target.textContent.trim()).then(function () {
        if (status) status.textContent = button.getAttribute("data-copied");
      }, function () {
        if (status) status.textContent = button.getAttribute("data-failed");
      });
    });
  });
})();

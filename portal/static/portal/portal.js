/* Portal shell behaviour. Everything works without it; it only tidies htmx requests. */
(function () {
  "use strict";

  // Filter forms marked data-drop-empty send only the filters that have a value, so the
  // pushed URL and the export link stay short (?industry=express, not ?q=&industry=express&...).
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!source || !source.closest || !source.closest("form[data-drop-empty]")) {
      return;
    }
    var formData = event.detail.formData;
    if (!formData) {
      return;
    }
    var empty = [];
    formData.forEach(function (value, key) {
      if (value === "" && empty.indexOf(key) === -1) {
        empty.push(key);
      }
    });
    empty.forEach(function (key) {
      var kept = formData.getAll(key).filter(function (value) { return value !== ""; });
      formData.delete(key);
      kept.forEach(function (value) { formData.append(key, value); });
    });
  });
})();

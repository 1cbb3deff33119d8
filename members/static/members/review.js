/* Keyboard use of the review queue: j/k or ↓/↑ move between proposals, y/c confirm, n/r reject.
   The buttons are ordinary form buttons (htmx posts them; without JavaScript they post and
   come back), so this file only adds shortcuts and keeps the focus on the decided row. */
(function () {
  "use strict";

  var queue = document.querySelector("[data-review-queue]");
  if (!queue) {
    return;
  }

  function proposals() {
    return Array.prototype.slice.call(queue.querySelectorAll(".proposal"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest(".proposal") : null;
  }

  function move(delta) {
    var list = proposals();
    if (!list.length) {
      return;
    }
    var index = list.indexOf(current());
    var next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + delta));
    list[next].focus();
    list[next].scrollIntoView({ block: "nearest" });
  }

  function press(action) {
    var proposal = current();
    var button = proposal && proposal.querySelector("button[data-action='" + action + "']");
    if (button) {
      button.click();
      return true;
    }
    return false;
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var key = event.key;
    var inQueue = current() !== null;
    if (key === "j" || (key === "ArrowDown" && inQueue)) {
      event.preventDefault();
      move(1);
    } else if (key === "k" || (key === "ArrowUp" && inQueue)) {
      event.preventDefault();
      move(-1);
    } else if ((key === "y" || key === "c") && press("confirm")) {
      event.preventDefault();
    } else if ((key === "n" || key === "r") && press("reject")) {
      event.preventDefault();
    }
  });

  // The decided row replaces the proposal (outerHTML): keep the focus where it was, so
  // "j" goes on to the next proposal.
  var focusAfterSwap = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("proposal")) {
      focusAfterSwap = target.id;
    }
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (focusAfterSwap) {
      var row = document.getElementById(focusAfterSwap);
      focusAfterSwap = null;
      if (row) {
        row.focus();
      }
    }
  });
})();

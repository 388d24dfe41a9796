// Progressive enhancement for the moderator action bars: the check boxes and the
// bars are plain form controls (each box names its bar with form="..."); this only
// shows how many are ticked and stops an empty submission.
(function () {
  "use strict";
  const bars = document.querySelectorAll("[data-mod-bar]");
  if (!bars.length) return;
  function boxesFor(bar) {
    return document.querySelectorAll('input.js-mod-select[form="' + bar.id + '"]');
  }
  function refresh(bar) {
    const ticked = Array.from(boxesFor(bar)).filter((box) => box.checked).length;
    const count = bar.querySelector(".js-mod-count");
    if (count) count.textContent = ticked ? "(" + ticked + " selected)" : "";
    return ticked;
  }
  bars.forEach((bar) => {
    boxesFor(bar).forEach((box) => box.addEventListener("change", () => refresh(bar)));
    bar.addEventListener("submit", (event) => {
      if (refresh(bar) === 0) {
        event.preventDefault();
        const count = bar.querySelector(".js-mod-count");
        if (count) count.textContent = "(select something first)";
      }
    });
    refresh(bar);
  });
})();

// The header's Alerts link opens the most recent alerts in a drop-down; without
// JavaScript (or with a modifier key) it is the link to the alerts page.
(function () {
  "use strict";
  const toggle = document.querySelector(".js-alerts");
  if (!toggle || !window.fetch) return;
  let popup = null;

  function close(refocus) {
    if (!popup || popup.hidden) return;
    popup.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }
  async function open() {
    if (!popup) {
      popup = document.createElement("div");
      popup.id = "alerts-popup";
      popup.className = "alerts-popup";
      popup.setAttribute("role", "dialog");
      popup.setAttribute("aria-label", "Recent alerts");
      toggle.closest(".site-header__inner").appendChild(popup);
      toggle.setAttribute("aria-controls", popup.id);
    }
    popup.hidden = false;
    popup.textContent = "Loading…";
    toggle.setAttribute("aria-expanded", "true");
    const next = encodeURIComponent(location.pathname + location.search);
    try {
      const response = await fetch(toggle.dataset.recentUrl + "?next=" + next, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error("alerts: " + response.status);
      popup.innerHTML = await response.text();  // our own escaped HTML, no script
    } catch (error) {
      location.href = toggle.href;
      return;
    }
    const first = popup.querySelector(".alerts-popup__list a, .empty, a");
    if (first) {
      if (!first.matches("a")) first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }
  toggle.setAttribute("aria-haspopup", "dialog");
  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (popup && !popup.hidden) close(false);
    else open();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close(true);
  });
  document.addEventListener("click", (event) => {
    if (popup && !popup.hidden && !popup.contains(event.target) && !toggle.contains(event.target)) close(false);
  });
})();

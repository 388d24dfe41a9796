// Bookmarks and the share menu of each post. Progressive enhancement: every
// bookmark control is a plain form, and the share menu a link, without this.
(function () {
  "use strict";

  async function send(form) {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("application/json")) throw new Error("not a bookmark reply");
    return response.json();
  }

  // A refusal, said beside the control (an alert region: it appears with it).
  function tell(form, text) {
    const control = form.closest(".bookmark");
    if (!control) { window.alert(text); return; }
    let box = control.querySelector(".bookmark__error");
    if (!box) {
      box = document.createElement("span");
      box.className = "bookmark__error";
      box.setAttribute("role", "alert");
      control.append(box);
    }
    box.textContent = text;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest(".js-bookmark-form");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    const adding = form.classList.contains("bookmark__add");
    let data;
    try {
      data = await send(form);
    } catch (error) {
      form.submit(); // the plain post and its redirect
      return;
    } finally {
      delete form.dataset.busy;
    }
    if (!data.post) {
      if (data.error) tell(form, data.error); // refused: too long, too many
      return;
    }
    const old = document.getElementById("bookmark-" + data.post);
    if (!old) return;
    const holder = document.createElement("div");
    holder.innerHTML = data.control.trim();
    const fresh = holder.firstElementChild;
    old.replaceWith(fresh);
    const menu = fresh.querySelector("details");
    if (adding && menu) {
      menu.open = true; // a new bookmark: offer the note and labels at once
      const note = menu.querySelector("textarea");
      if (note) note.focus();
    } else {
      const toggle = fresh.querySelector("summary, button");
      if (toggle) toggle.focus();
      const status = fresh.querySelector(".bookmark__status");
      if (status && data.message) status.textContent = data.message;
    }
  });

  // The share menu: copy the link, or the platform's share sheet where offered.
  function reveal() {
    const canCopy = !!(navigator.clipboard && navigator.clipboard.writeText);
    const canShare = typeof navigator.share === "function";
    document.querySelectorAll(".js-share-copy").forEach((b) => { b.hidden = !canCopy; });
    document.querySelectorAll(".js-share-native").forEach((b) => { b.hidden = !canShare; });
  }

  function say(menu, text) {
    const status = menu.querySelector(".js-share-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", async (event) => {
    const copy = event.target.closest(".js-share-copy");
    const native = event.target.closest(".js-share-native");
    if (!copy && !native) return;
    const menu = (copy || native).closest(".share-menu");
    const url = menu.querySelector(".js-share-url").value;
    if (copy) {
      try {
        await navigator.clipboard.writeText(url);
        say(menu, "Link copied.");
      } catch (error) {
        menu.querySelector(".js-share-url").select();
        say(menu, "Press Ctrl+C to copy the selected link.");
      }
      return;
    }
    try {
      await navigator.share({ title: native.dataset.title || document.title, url });
    } catch (error) {
      // Dismissed: nothing to say.
    }
  });

  // Opening a menu selects its link, ready to copy by hand.
  document.addEventListener("toggle", (event) => {
    const menu = event.target;
    if (!menu.classList || !menu.classList.contains("share-menu") || !menu.open) return;
    say(menu, "");
    const field = menu.querySelector(".js-share-url");
    if (field) field.select();
  }, true);

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".share-menu[open], .bookmark__menu[open]").forEach((d) => {
      d.open = false;
      const summary = d.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", reveal);
  else reveal();
})();

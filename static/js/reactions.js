// Reactions without a page reload. Progressive enhancement: every React button is a
// plain form that also works without this script.
(function () {
  "use strict";

  function replace(id, html) {
    const old = document.getElementById(id);
    if (!old || !html) return null;
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const fresh = holder.firstElementChild;
    if (!fresh) return null;
    old.replaceWith(fresh);
    return fresh;
  }

  async function send(form, submitter) {
    // The pressed button carries the chosen reaction (name="reaction").
    const body = new FormData(form);
    if (submitter && submitter.name) body.set(submitter.name, submitter.value);
    const response = await fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!type.includes("application/json")) throw new Error("not a reactions reply");
    return response.json();
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest(".js-react-form");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    let data;
    try {
      data = await send(form, event.submitter);
    } catch (error) {
      // Fall back to the plain form post (and its redirect), keeping the choice.
      if (event.submitter) form.requestSubmit(event.submitter);
      else form.submit();
      return;
    } finally {
      delete form.dataset.busy;
    }
    if (!data.post) {
      if (data.error) window.alert(data.error);
      return;
    }
    replace("reactions-" + data.post, data.html);
    const control = replace("react-control-" + data.post, data.control);
    const toggle = control && control.querySelector("summary");
    if (toggle) toggle.focus();
  });

  // Close an open picker on Escape or a click elsewhere.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".react-control[open]").forEach((details) => {
      details.open = false;
      details.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", (event) => {
    document.querySelectorAll(".react-control[open]").forEach((details) => {
      if (!details.contains(event.target)) details.open = false;
    });
  });
})();

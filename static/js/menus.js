// Progressive enhancement for the menus (<details>: they open and close without
// JavaScript) and for destructive moderator actions (without JavaScript the
// server asks on a confirmation page; with it, a dialog asks the same here and
// the form goes with confirm=1).
(function () {
  "use strict";
  const menus = () => document.querySelectorAll("details.site-menu[open], details.menu[open]");

  // Escape closes the open menu and puts focus back on its button; a click
  // elsewhere closes it; opening one closes the others.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    menus().forEach((menu) => {
      const hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", (event) => {
    menus().forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("toggle", (event) => {
    const opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.open) return;
    if (!opened.matches(".site-menu, .menu")) return;
    menus().forEach((menu) => { if (menu !== opened && !menu.contains(opened)) menu.open = false; });
  }, true);

  // --- confirmation dialog ---------------------------------------------------
  function ask(text, button) {
    return new Promise((resolve) => {
      const dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
      const message = document.createElement("p");
      message.id = "confirm-dialog-text";
      message.textContent = text;
      const actions = document.createElement("div");
      actions.className = "form-actions";
      const yes = document.createElement("button");
      yes.type = "button";
      yes.className = "button button--danger";
      yes.textContent = button;
      const no = document.createElement("button");
      no.type = "button";
      no.className = "button";
      no.textContent = "Cancel";
      actions.append(yes, no);
      dialog.append(message, actions);
      document.body.append(dialog);
      const done = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
      yes.addEventListener("click", () => done(true));
      no.addEventListener("click", () => done(false));
      dialog.addEventListener("cancel", (event) => { event.preventDefault(); done(false); });
      dialog.showModal();
      no.focus();
    });
  }
  function sendConfirmed(form) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "confirm";
    input.value = "1";
    form.append(input);
    form.submit();
  }
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if (form.querySelector('input[name="confirm"]')) return;
    let text = form.dataset.confirm;
    if (!text && form.matches("[data-mod-bar]")) {
      const action = form.querySelector('select[name="action"]');
      if (!action || action.value !== "delete") return;
      const ticked = document.querySelectorAll('input.js-mod-select[form="' + form.id + '"]:checked').length;
      const noun = form.id === "inline-threads" ? "thread" : "post";
      text = "Delete " + ticked + " selected " + noun + (ticked === 1 ? "" : "s") +
        "? Members will no longer see " + (ticked === 1 ? "it" : "them") +
        "; Undo in the moderator log restores " + (ticked === 1 ? "it." : "them.");
    }
    if (!text) return;
    event.preventDefault();
    if (await ask(text, "Delete")) sendConfirmed(form);
  });
})();

// "Reply" at the top of a thread: to the reply box, ready to type.
(function () {
  "use strict";
  const editor = document.querySelector("#reply textarea");
  if (!editor) return;
  document.querySelectorAll('a[href="#reply"]').forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.scrollIntoView({ block: "center" });
      editor.focus();
      history.replaceState(null, "", "#reply");
    });
  });
})();

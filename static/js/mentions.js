// The @mention picker: typing "@De" in a post's text offers the members whose
// name starts so; choosing one writes @Name, or @"Desert Hawk" for a name with
// a space. Without JavaScript, both forms are typed by hand.
(function () {
  "use strict";
  const areas = document.querySelectorAll(".post-form textarea");
  if (!areas.length || !window.fetch) return;
  const source = "/mentions/names?q=";
  const typed = /(?:^|[\s(])@"?([^\s@"[\]][^@"[\]\n]{0,29})$/;
  let picker = null;
  let names = [];
  let active = 0;
  let area = null;
  let timer = null;

  function words(text) {
    const match = typed.exec(text);
    return match ? match[1] : null;
  }
  function hide() {
    if (!picker) return;
    picker.hidden = true;
    if (area) {
      area.setAttribute("aria-expanded", "false");
      area.removeAttribute("aria-activedescendant");
    }
  }
  function draw() {
    if (!picker) {
      picker = document.createElement("ul");
      picker.id = "mention-picker";
      picker.className = "mention-picker";
      picker.setAttribute("role", "listbox");
      picker.setAttribute("aria-label", "Members to mention");
      picker.addEventListener("mousedown", (event) => {
        const item = event.target.closest("li");
        if (!item) return;
        event.preventDefault();
        choose(Number(item.dataset.index));
      });
    }
    area.insertAdjacentElement("afterend", picker);
    area.setAttribute("aria-controls", picker.id);
    picker.replaceChildren(...names.map((name, index) => {
      const item = document.createElement("li");
      item.id = "mention-picker-" + index;
      item.dataset.index = String(index);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", index === active ? "true" : "false");
      item.textContent = name;
      return item;
    }));
    picker.hidden = names.length === 0;
    area.setAttribute("aria-expanded", names.length ? "true" : "false");
    if (names.length) area.setAttribute("aria-activedescendant", "mention-picker-" + active);
  }
  function choose(index) {
    const name = names[index];
    if (!name || !area) return;
    const caret = area.selectionStart;
    const before = area.value.slice(0, caret);
    const query = words(before);
    if (query === null) return hide();
    const start = before.lastIndexOf("@", caret - query.length);
    const written = /^[\w.-]+$/.test(name) ? "@" + name : '@"' + name + '"';
    area.value = area.value.slice(0, start) + written + " " + area.value.slice(caret);
    const at = start + written.length + 1;
    area.setSelectionRange(at, at);
    area.focus();
    hide();
  }
  async function suggest(current, query) {
    try {
      const response = await fetch(source + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || current !== area) return;
      names = (await response.json()).names || [];
      active = 0;
      draw();
    } catch (error) {
      hide();
    }
  }
  areas.forEach((textarea) => {
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.addEventListener("input", () => {
      area = textarea;
      const query = words(textarea.value.slice(0, textarea.selectionStart));
      clearTimeout(timer);
      if (query === null || query.length < 2) return hide();
      timer = setTimeout(() => suggest(textarea, query), 200);
    });
    textarea.addEventListener("keydown", (event) => {
      if (!picker || picker.hidden || area !== textarea) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : names.length - 1)) % names.length;
        draw();
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        hide();
      }
    });
    textarea.addEventListener("blur", () => setTimeout(hide, 150));
  });
})();

// Tag suggestions for the comma-separated tag field (data-tag-suggest holds the
// address of the JSON list). Without JavaScript the field is plain text.
(function () {
  "use strict";

  function lastTerm(value) {
    var parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function replaceLast(value, name) {
    var parts = value.split(",");
    parts[parts.length - 1] = " " + name;
    return parts.map(function (p) { return p.trim(); }).filter(Boolean).join(", ") + ", ";
  }

  function setUp(input) {
    var list = document.createElement("ul");
    var id = input.id + "-suggestions";
    list.id = id;
    list.className = "tag-suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    var timer = null;
    var active = -1;
    var asked = "";

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      input.value = replaceLast(input.value, name);
      close();
      input.focus();
    }

    function mark(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
      }
    }

    function show(tags) {
      list.textContent = "";
      if (!tags.length) { close(); return; }
      tags.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = id + "-" + i;
        item.className = "tag-suggest__item";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = tag.name + (tag.official ? " ★" : "");
        var count = document.createElement("span");
        count.className = "tag-suggest__count";
        count.textContent = tag.threads + (tag.threads === 1 ? " thread" : " threads");
        item.appendChild(name);
        item.appendChild(count);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(tag.name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var term = lastTerm(input.value);
      if (term.length < 1) { close(); return; }
      if (term === asked) { return; }
      asked = term;
      var url = input.dataset.tagSuggest + "?q=" + encodeURIComponent(term);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
        .then(function (data) {
          if (lastTerm(input.value) === term) { show(data.tags || []); }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = asked === lastTerm(input.value) ? asked : "";
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        mark((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark((active - 1 + items.length) % items.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active].firstChild.textContent.replace(/ ★$/, ""));
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-tag-suggest]").forEach(setUp);
  });
})();

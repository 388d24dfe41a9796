// Progressive enhancement only: every action here also works as a plain link or form.
(function () {
  "use strict";
  const list = document.querySelector(".message-list");
  const editor = document.querySelector(".reply-box textarea");
  if (!list || !editor) return;
  const key = "multiquote:" + list.dataset.threadId;
  const insertButton = document.querySelector(".js-insert-quotes");
  const countLabel = document.querySelector(".js-quote-count");
  const load = () => JSON.parse(sessionStorage.getItem(key) || "[]");
  const save = (ids) => sessionStorage.setItem(key, JSON.stringify(ids));

  async function fetchQuotes(ids) {
    const url = list.dataset.quotesUrl + "?" + ids.map((id) => "quote=" + encodeURIComponent(id)).join("&") + "&format=bbcode";
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "text/plain" } });
    if (!response.ok) throw new Error("quote fetch failed");
    return response.text();
  }
  function insert(text) {
    const before = editor.value && !editor.value.endsWith("\n") ? "\n" : "";
    editor.value += before + text;
    editor.focus();
    editor.setSelectionRange(editor.value.length, editor.value.length);
    editor.scrollIntoView({ block: "center" });
  }
  function refresh() {
    const ids = load();
    insertButton.hidden = ids.length === 0;
    countLabel.textContent = String(ids.length);
    list.querySelectorAll(".message").forEach((message) => {
      const button = message.querySelector(".js-multiquote");
      if (button) button.setAttribute("aria-pressed", ids.includes(message.dataset.postId) ? "true" : "false");
    });
  }
  list.addEventListener("click", async (event) => {
    const quote = event.target.closest(".js-quote");
    const multi = event.target.closest(".js-multiquote");
    const message = event.target.closest(".message");
    if (!message) return;
    if (quote) {
      event.preventDefault();
      try { insert(await fetchQuotes([message.dataset.postId])); }
      catch (error) { window.location.href = quote.href; }
    } else if (multi) {
      const ids = load();
      const id = message.dataset.postId;
      save(ids.includes(id) ? ids.filter((x) => x !== id) : ids.concat([id]));
      refresh();
    }
  });
  insertButton.addEventListener("click", async () => {
    const ids = load();
    if (!ids.length) return;
    try { insert(await fetchQuotes(ids)); save([]); refresh(); }
    catch (error) { window.location.href = list.dataset.quotesUrl + "?" + ids.map((id) => "quote=" + id).join("&"); }
  });
  list.querySelectorAll(".js-multiquote").forEach((button) => { button.hidden = false; });
  refresh();
})();

// Sign-up: the browser's own time zone, so times read right from the first page
// (without JavaScript the member gets the forum's until they choose one).
(function () {
  "use strict";
  const zone = (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone || "";
  document.querySelectorAll('input[type="hidden"][name="time_zone"]').forEach((input) => {
    if (!input.value) input.value = zone;
  });
})();

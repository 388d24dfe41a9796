// "Already discussed?" on the new-thread form: threads with titles like the one
// being typed, fetched after a pause. Without a script, a preview shows them.
(function () {
  "use strict";
  const box = document.querySelector(".js-similar-titles");
  if (!box) return;
  const form = box.closest("form");
  const input = form && form.querySelector("input[name='title']");
  if (!input) return;
  let timer = null;
  let asked = input.value.trim();
  let controller = null;

  async function ask(title) {
    if (controller) controller.abort();
    controller = new AbortController();
    const url = box.dataset.url + "?title=" + encodeURIComponent(title);
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      box.innerHTML = data.html;
    } catch (error) {
      // Aborted by a newer request, or offline: keep what is shown.
    }
  }

  input.addEventListener("input", () => {
    const title = input.value.trim();
    if (title === asked) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      asked = title;
      if (title.length < 4) { box.innerHTML = ""; return; }
      ask(title);
    }, 400);
  });
})();

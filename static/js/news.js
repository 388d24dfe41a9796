// "Already discussed", live: while a new thread is being written, ask the server
// whether an article it links is already quoted elsewhere. Without this script
// the same notice appears after the first submit.
(function () {
  "use strict";
  const box = document.querySelector(".js-news-discussed");
  const form = box && box.closest("form");
  const editor = form && form.querySelector("textarea[name=body]");
  const token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!editor || !token) return;
  const mayEmbed = /https?:\/\/|\[news=/i;
  let timer = null;
  let lastChecked = null;

  async function check() {
    const text = editor.value;
    if (text === lastChecked) return;
    lastChecked = text;
    if (!mayEmbed.test(text)) {
      if (!box.querySelector("input[name=post_anyway]:checked")) box.innerHTML = "";
      return;
    }
    const data = new FormData();
    data.append("body", text);
    data.append("csrfmiddlewaretoken", token.value);
    let response;
    try {
      response = await fetch(box.dataset.checkUrl, {
        method: "POST", body: data, credentials: "same-origin",
      });
    } catch (error) {
      return; // the check on submit still happens
    }
    if (!response.ok || editor.value !== text) return;
    const confirmed = box.querySelector("input[name=post_anyway]:checked");
    box.innerHTML = await response.text();
    const checkbox = box.querySelector("input[name=post_anyway]");
    if (checkbox && confirmed) checkbox.checked = true;
  }

  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(check, 800);
  });
  editor.addEventListener("blur", () => {
    clearTimeout(timer);
    check();
  });
})();

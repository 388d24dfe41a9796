// The composer (forum/posts/composer.py): a formatting toolbar and shortcuts,
// preview in place, drafts saved while typing, uploads with a progress bar,
// drag-and-drop and paste. Progressive enhancement only: without this script
// every one of these is a button of the form itself.
(function () {
  "use strict";

  // The no-JS multi-quote (checkboxes and "Quote selected") gives way to the
  // script's own Multi-quote buttons.
  document.querySelectorAll(".multiquote-pick, .quote-selected").forEach((el) => { el.hidden = true; });

  const SAVE_AFTER_MS = 3000;

  function setup(root) {
    const form = root.closest("form");
    const editor = root.querySelector("textarea");
    if (!form || !editor) return;
    const title = form.querySelector("input[name=title]");
    const token = () => (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
    const place = root.dataset.place;
    const status = root.querySelector(".composer__status");
    const conflict = root.querySelector(".composer__conflict");
    const versionInput = () => root.querySelector(".js-draft-version");
    let submitting = false;
    let dirty = false;
    let timer = null;
    let other = null;

    function say(text, isError) {
      status.textContent = text;
      status.classList.toggle("composer__status--error", Boolean(isError));
    }

    // --- toolbar and shortcuts -------------------------------------------------
    function wrap(open, close, list) {
      const start = editor.selectionStart;
      const end = editor.selectionEnd;
      let inner = editor.value.slice(start, end);
      if (list && inner) inner = inner.split("\n").join("\n[*]");
      editor.setRangeText(open + inner + close, start, end, "end");
      if (!inner) editor.setSelectionRange(start + open.length, start + open.length);
      else editor.setSelectionRange(start + open.length, start + open.length + inner.length);
      editor.focus();
      editor.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function apply(button) {
      let open = button.dataset.open;
      if (button.dataset.ask) {
        const selected = editor.value.slice(editor.selectionStart, editor.selectionEnd);
        const address = window.prompt(button.dataset.ask, /^https?:\/\//.test(selected) ? selected : "https://");
        if (!address) return;
        open = open + address + "]";
      }
      wrap(open, button.dataset.close, button.dataset.list);
    }
    const toolbar = root.querySelector(".composer__toolbar");
    if (toolbar) {
      toolbar.hidden = false;
      toolbar.addEventListener("click", (event) => {
        const button = event.target.closest(".composer__tool");
        if (button) { event.preventDefault(); apply(button); }
      });
    }
    const shortcuts = { b: "[B]", i: "[I]", u: "[U]", k: "[URL=" };
    const shifted = { x: "[S]", c: "[CODE]" };
    editor.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === "enter") { event.preventDefault(); form.requestSubmit(); return; }
      const open = event.shiftKey ? shifted[key] : shortcuts[key];
      const button = open && toolbar && toolbar.querySelector(`.composer__tool[data-open="${CSS.escape(open)}"]`);
      if (button) { event.preventDefault(); apply(button); }
    });

    // --- preview -----------------------------------------------------------
    const previewButton = form.querySelector(".js-preview");
    const box = (form.closest(".reply-box") || document).querySelector(".preview");
    if (previewButton && box) {
      previewButton.addEventListener("click", async (event) => {
        event.preventDefault();
        const data = new FormData();
        data.append("body", editor.value);
        data.append("place", place);
        data.append("csrfmiddlewaretoken", token());
        try {
          const response = await fetch(root.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" });
          if (!response.ok) throw new Error(await response.text());
          box.querySelector(".preview__body").innerHTML = await response.text();
          box.hidden = false;
          box.scrollIntoView({ block: "nearest" });
        } catch (error) {
          say("The preview could not be made: " + (error.message || "please try again"), true);
        }
      });
    }

    // --- drafts ------------------------------------------------------------
    function draftData(force) {
      const data = new FormData();
      data.append("place", place);
      data.append("body", editor.value);
      if (title) data.append("title", title.value);
      data.append("version", versionInput() ? versionInput().value : "0");
      data.append("csrfmiddlewaretoken", token());
      if (force) data.append("force", "1");
      return data;
    }
    async function save(force) {
      clearTimeout(timer);
      if (submitting || (!dirty && !force)) return;
      dirty = false;
      try {
        const response = await fetch(root.dataset.draftUrl, { method: "POST", body: draftData(force), credentials: "same-origin" });
        const answer = await response.json();
        if (response.status === 409) {
          other = answer;
          conflict.hidden = false;
          say("");
          return;
        }
        if (!response.ok) { say(answer.error || "The draft could not be saved.", true); return; }
        if (versionInput()) versionInput().value = String(answer.version);
        say(answer.saved ? "Draft saved" : "");
      } catch (error) {
        dirty = true;  // tried again on the next change or blur
      }
    }
    function changed() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(() => save(false), SAVE_AFTER_MS);
    }
    editor.addEventListener("input", changed);
    if (title) title.addEventListener("input", changed);
    editor.addEventListener("blur", () => save(false));
    const beacon = () => {
      if (submitting || !dirty || !navigator.sendBeacon) return;
      dirty = false;
      navigator.sendBeacon(root.dataset.draftUrl, draftData(false));
    };
    window.addEventListener("pagehide", beacon);
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") beacon(); });
    form.addEventListener("submit", (event) => {
      const button = event.submitter;
      if (!button || !button.name) submitting = true;  // posting, not a form tool
    });
    if (conflict) {
      conflict.querySelector(".js-keep-mine").addEventListener("click", () => {
        conflict.hidden = true;
        dirty = true;
        if (other && versionInput()) versionInput().value = String(other.version);
        save(true);
      });
      conflict.querySelector(".js-load-other").addEventListener("click", () => {
        conflict.hidden = true;
        if (!other) return;
        editor.value = other.body;
        if (title && other.title) title.value = other.title;
        if (versionInput()) versionInput().value = String(other.version);
        say("The other text is loaded.");
      });
    }

    // --- uploads -----------------------------------------------------------
    const files = root.querySelector(".composer__files");
    const input = root.querySelector("input[type=file][name=attachment]");
    const progress = root.querySelector(".composer__progress");
    const drop = root.querySelector(".composer__drop");
    const uploadButton = root.querySelector(".composer__upload");
    if (!files || !input) return;
    if (uploadButton) uploadButton.hidden = true;

    function showFile(item) {
      const li = document.createElement("li");
      li.className = "composer__file";
      li.dataset.id = String(item.id);
      if (item.preview) {
        const img = document.createElement("img");
        img.src = item.preview; img.alt = ""; img.width = 64; img.height = 64;
        img.className = "composer__thumb";
        li.appendChild(img);
      }
      const name = document.createElement("span");
      name.className = "composer__filename";
      name.textContent = item.name;
      li.appendChild(name);
      const insert = document.createElement("button");
      insert.type = "button"; insert.className = "link-button js-insert-attach";
      insert.dataset.bbcode = item.bbcode; insert.textContent = "Insert";
      li.appendChild(insert);
      const remove = document.createElement("button");
      remove.type = "submit"; remove.className = "link-button";
      remove.name = "remove_attachment"; remove.value = String(item.id); remove.textContent = "Remove";
      li.appendChild(remove);
      files.appendChild(li);
    }
    function upload(file, inline) {
      return new Promise((resolve) => {
        const data = new FormData();
        data.append("place", place);
        data.append("file", file, file.name || "pasted.png");
        data.append("csrfmiddlewaretoken", token());
        const request = new XMLHttpRequest();
        request.open("POST", root.dataset.uploadUrl);
        progress.hidden = false;
        progress.value = 0;
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) progress.value = Math.round((100 * event.loaded) / event.total);
        });
        request.addEventListener("loadend", () => {
          progress.hidden = true;
          let answer = {};
          try { answer = JSON.parse(request.responseText || "{}"); } catch (error) { answer = {}; }
          if (request.status === 201) {
            showFile(answer);
            if (inline) wrap(answer.bbcode, "", false);
            say(answer.name + " is attached.");
          } else {
            say((file.name || "The file") + ": " + (answer.error || "the upload failed; please try again."), true);
          }
          resolve();
        });
        request.send(data);
      });
    }
    async function uploadAll(list, inline) {
      for (const file of list) await upload(file, inline);
    }
    input.addEventListener("change", async () => {
      const chosen = Array.from(input.files);
      input.value = "";  // sent here, not again with the form
      await uploadAll(chosen, false);
    });
    [drop, editor].forEach((zone) => {
      zone.addEventListener("dragover", (event) => {
        if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
          event.preventDefault();
          drop.classList.add("composer__drop--over");
        }
      });
      zone.addEventListener("dragleave", () => drop.classList.remove("composer__drop--over"));
      zone.addEventListener("drop", (event) => {
        if (!event.dataTransfer || !event.dataTransfer.files.length) return;
        event.preventDefault();
        drop.classList.remove("composer__drop--over");
        uploadAll(Array.from(event.dataTransfer.files), zone === editor);
      });
    });
    editor.addEventListener("paste", (event) => {
      const pasted = Array.from((event.clipboardData && event.clipboardData.files) || []);
      if (!pasted.length) return;
      event.preventDefault();
      uploadAll(pasted, true);
    });
    files.querySelectorAll(".js-insert-attach").forEach((button) => { button.hidden = false; });
    files.addEventListener("click", async (event) => {
      const insert = event.target.closest(".js-insert-attach");
      const remove = event.target.closest("button[name=remove_attachment]");
      if (insert) { event.preventDefault(); wrap(insert.dataset.bbcode, "", false); }
      if (remove) {
        event.preventDefault();
        const data = new FormData();
        data.append("csrfmiddlewaretoken", token());
        const response = await fetch(`/attachments/${remove.value}/remove`, { method: "POST", body: data, credentials: "same-origin" });
        if (response.ok) { remove.closest("li").remove(); say("The file is removed."); }
        else say("The file could not be removed.", true);
      }
    });
  }

  document.querySelectorAll(".composer").forEach(setup);
})();

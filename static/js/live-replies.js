// Live "new replies" on a thread's last page (forum/posts/live.py): while the tab
// is shown, ask every 15 s how many posts came since the last one on the page,
// and offer a link to them, announced politely. Nothing is added to the page by
// surprise; without JavaScript, nothing changes.
(function () {
  "use strict";
  const box = document.querySelector(".js-live-replies");
  if (!box || !window.fetch) return;
  const link = box.querySelector("a");
  const every = Number(window.forumLiveRepliesEvery) || 15000;  // tests shorten it
  let etag = null;
  let timer = null;
  let shown = 0;

  function show(data) {
    if (!data.count || data.count === shown) return;
    shown = data.count;
    link.textContent = data.count === 1 ? "1 new reply — show" : data.count + " new replies — show";
    link.href = data.url;
    link.hidden = false;
  }
  async function poll() {
    timer = null;
    if (document.visibilityState !== "visible") return;
    try {
      const headers = { Accept: "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      const response = await fetch(box.dataset.liveUrl, { credentials: "same-origin", cache: "no-store", headers });
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        show(await response.json());
      }
    } catch (error) {
      // Offline for a moment: ask again next time.
    }
    schedule();
  }
  function schedule() {
    if (!timer && document.visibilityState === "visible") timer = setTimeout(poll, every);
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      if (!timer) poll();
    } else if (timer) {
      clearTimeout(timer);
      timer = null;
    }
  });
  schedule();
})();

// session-monitor.js — the progress of a running session, kept current.
//
// Follows the grades office's live events through the page's one socket
// (live.js sends {"type": "watch_office", "office": "grades"}): every
// "sheet.closed" event (a sheet closed, or reopened by an approved change)
// refetches the figures of the page's term and scope from the server, so a
// repeated or missed event can never leave a wrong count. Without a live
// socket the figures are refetched every minute.

import * as live from "/static/js/live.js";

const root = document.querySelector("[data-session-monitor]");
const REFRESH_DELAY_MS = 500;
let timer = null;

function set(key, item) {
  if (!item) return;
  for (const node of root.querySelectorAll(`[data-closed="${key}"]`)) node.textContent = String(item.closed);
  for (const node of root.querySelectorAll(`[data-sheets="${key}"]`)) node.textContent = String(item.sheets);
  for (const bar of root.querySelectorAll(`[data-progress="${key}"]`)) {
    bar.max = Math.max(item.sheets, 1);
    bar.value = item.closed;
    bar.textContent = `${item.sheets ? Math.floor((item.closed * 100) / item.sheets) : 0}%`;
  }
}

async function refresh() {
  timer = null;
  try {
    const response = await fetch(root.dataset.url, { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    set("total", data.total);
    for (const faculty of data.faculties) {
      const known = root.querySelector(`[data-progress="f${faculty.id}"]`);
      // A faculty or group that had no sheet when the page was drawn: draw it again.
      if (!known) return window.location.reload();
      set(`f${faculty.id}`, faculty);
      for (const group of faculty.groups) {
        if (!root.querySelector(`[data-progress="g${group.id}"]`)) return window.location.reload();
        set(`g${group.id}`, group);
      }
    }
  } catch {
    /* offline: the next event or round tries again */
  }
}

function schedule() {
  // A whole group's sheets are often closed in a burst: fetch once for it.
  if (timer === null) timer = window.setTimeout(refresh, REFRESH_DELAY_MS);
}

if (root) {
  live.on("sheet.closed", schedule);
  live.watchOffice("grades");
}

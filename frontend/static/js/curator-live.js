// curator-live.js — the curator's group on one screen, kept current.
//
// Watches the group's live events through the page's notification socket
// (live.js): a student moved by an order reloads the roster; presence is
// refreshed every 30 seconds from the server's shared presence store.

import { on, watch } from "/static/js/live.js";

const root = document.querySelector("[data-curator-live]");
const groupId = Number(root.dataset.group);

async function refreshOnline() {
  try {
    const response = await fetch(root.dataset.onlineUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const online = new Set((await response.json()).online);
    for (const row of root.querySelectorAll("[data-user]")) {
      row.querySelector("[data-online]").textContent = online.has(Number(row.dataset.user)) ? "●" : "—";
    }
  } catch {
    /* offline: try again next round */
  }
}

watch(groupId);
on("student.moved", (data) => {
  if (data.from_group === groupId || data.to_group === groupId) window.location.reload();
});
setInterval(refreshOnline, 30000);

// proctor-live.js — the proctor's grid of a running test (TS-8), kept current over
// /ws/proctor/<test id>/.
//
// On every (re)connect the server sends `proctor.synced` with every attempt in
// progress, so a dropped connection loses nothing; then `proctor.frame` (a new
// thumbnail and flags; without a frame and thumbnail, the server's "camera silent"
// flag), `proctor.page_event` and `proctor.attempt` (extended or ended) update one
// tile each. Tiles of students who start later are built here.

const grid = document.getElementById("proctor-live");

if (grid) {
  const status = document.querySelector("[data-live-status]");
  const labels = JSON.parse(document.getElementById("proctor-labels")?.textContent || "{}");
  const label = (codes) => codes.map((code) => labels[code] || code).join(", ");
  let retry = 0;
  let socket = null;

  let lastSync = 0;
  function askSync() {
    // A student who started after the snapshot: fetch the grid again for their name.
    if (Date.now() - lastSync < 5000 || socket?.readyState !== WebSocket.OPEN) return;
    lastSync = Date.now();
    socket.send(JSON.stringify({ type: "sync" }));
  }

  // The page's blank tile (live.html): the same markup and acts as the tiles it rendered.
  const blank = document.getElementById("proctor-tile");

  function tile(id, student) {
    let found = grid.querySelector(`[data-attempt="${id}"]`);
    if (found) {
      if (student) found.querySelector(".proctor-tile__name").textContent = student;
      return found;
    }
    if (!student) askSync();
    grid.querySelector("[data-empty]")?.remove();
    found = blank.content.firstElementChild.cloneNode(true);
    found.dataset.attempt = id;
    for (const part of found.querySelectorAll("[href], [action]")) {
      for (const name of ["href", "action"]) {
        const address = part.getAttribute(name);
        if (address) part.setAttribute(name, address.replace("/attempts/0/", `/attempts/${id}/`));
      }
    }
    found.querySelector(".proctor-tile__name").textContent = student || `#${id}`;
    grid.append(found);
    return found;
  }

  function set(el, selector, value) {
    const part = el.querySelector(selector);
    if (part && value !== undefined && value !== null) part.textContent = value;
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function fill(el, data) {
    if (data.thumbnail) el.querySelector("[data-thumb]").src = data.thumbnail;
    if (data.flags) set(el, "[data-flags]", label(data.flags));
    if (data.suspicion !== undefined) set(el, "[data-suspicion]", Math.round(data.suspicion));
    set(el, "[data-flag-count]", data.flag_count);
    set(el, "[data-event-count]", data.event_count);
    if (data.deadline) set(el, "[data-deadline]", time(data.deadline));
    el.classList.toggle("proctor-tile--flagged", Boolean(data.flags?.length));
    // A frame (or a snapshot) that is not the silence's flag ends it.
    if (data.flags) el.classList.toggle("proctor-tile--silent", data.flags.includes("camera_silent"));
  }

  const handlers = {
    "proctor.synced": (data) => {
      const live = new Set(data.attempts.map((row) => String(row.attempt)));
      for (const el of grid.querySelectorAll("[data-attempt]")) {
        if (!live.has(el.dataset.attempt)) el.classList.add("proctor-tile--ended");
      }
      for (const row of data.attempts) fill(tile(row.attempt, row.student), row);
    },
    "proctor.frame": (data) => fill(tile(data.attempt), data),
    "proctor.page_event": (data) => {
      const el = tile(data.attempt);
      fill(el, data);
      set(el, "[data-flags]", label(data.events.map((e) => e.kind)));
    },
    "proctor.attempt": (data) => {
      const el = tile(data.attempt);
      fill(el, data);
      if (data.status !== "progress") {
        el.classList.add("proctor-tile--ended");
        set(el, "[data-flags]", grid.dataset.endedText + (data.reason ? `: ${data.reason}` : ""));
      }
    },
  };

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${window.location.host}${grid.dataset.socket}`);
    socket.addEventListener("open", () => {
      retry = 0;
      status.textContent = grid.dataset.onlineText;
    });
    socket.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      handlers[event.type]?.(event.data);
    });
    socket.addEventListener("close", (closed) => {
      status.textContent = grid.dataset.offlineText;
      // 4401: signed out; 4404: not a proctor of this test. Reconnecting would not help.
      if (closed.code === 4401 || closed.code === 4404) return;
      retry += 1;
      setTimeout(connect, Math.min(1000 * 2 ** retry, 30000));
    });
  }

  setInterval(() => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "ping" }));
  }, 25000);
  connect();
}

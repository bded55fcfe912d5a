// live.js — the page's one WebSocket to /ws/notifications/.
//
//   import { on } from "/static/js/live.js";
//   on("job.progress", (data) => { ... });
//
// Importing the module opens the socket (ES modules run once per page, so
// every importer shares it). It reconnects with exponential backoff and
// resumes with ?after=<last notification id seen>, kept in sessionStorage so a
// reload of the tab resumes too. It keeps every [data-unread-count] element
// current and shows a small toast for notification.created.
// Server close codes: 4401 = signed out (stop), 4429 = too many messages.

const PATH = "/ws/notifications/";
const STORAGE_KEY = "ebilim.live.lastNotificationId";
const PING_MS = 25000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const TOAST_MS = 6000;
const CLOSE_UNAUTHENTICATED = 4401;

const handlers = new Map(); // event type -> Set of handlers
let socket = null;
let attempts = 0;
let pingTimer = null;
let reconnectTimer = null;
let stopped = false;
let synced = false; // the open connection has replayed what was missed and said so

/** Call `handler(data, event)` for every event of `type`; returns an unsubscribe function. */
export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type).delete(handler);
}

/** Call `handler()` each time the socket is in step: now if it already is, and after every
 * reconnect. A module that loads after the socket synced would otherwise wait for the next one. */
export function onSynced(handler) {
  const off = on("notification.synced", () => handler());
  if (synced) handler();
  return off;
}

// What this page follows besides the user's own events, re-sent on every
// reconnect: the server forgets a connection's watches when it closes.
const watched = new Set(); // academic group ids
const watchedCourses = new Set(); // grades course ids (journal, sheets)
const watchedOffices = new Set(); // office codes ("grades")

/** Follow the live events of academic group `groupId` (the server checks access). */
export function watch(groupId) {
  watched.add(groupId);
  send({ type: "watch", group: groupId });
}

/** Follow a course's journal and sheets live (the server checks access). */
export function watchCourse(courseId) {
  watchedCourses.add(courseId);
  send({ type: "watch_course", course: courseId });
}

/** Follow an office's live lists, e.g. "grades" for sheets closing in a session. */
export function watchOffice(office) {
  watchedOffices.add(office);
  send({ type: "watch_office", office });
}

function sendWatches() {
  for (const groupId of watched) send({ type: "watch", group: groupId });
  for (const courseId of watchedCourses) send({ type: "watch_course", course: courseId });
  for (const office of watchedOffices) send({ type: "watch_office", office });
}

/** The id of the newest notification this tab has seen (0 when none). */
export function lastSeenId() {
  const value = Number.parseInt(readStorage() || "0", 10);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function readStorage() {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: resume only within this page's life
  }
}

let memoryLastSeen = 0;
function remember(id) {
  if (!Number.isInteger(id) || id <= Math.max(lastSeenId(), memoryLastSeen)) return;
  memoryLastSeen = id;
  try {
    window.sessionStorage.setItem(STORAGE_KEY, String(id));
  } catch {
    /* see readStorage */
  }
}

function url() {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const after = Math.max(lastSeenId(), memoryLastSeen);
  const query = after > 0 ? `?after=${after}` : "";
  return `${scheme}//${window.location.host}${PATH}${query}`;
}

function connect() {
  if (stopped || socket) return;
  socket = new WebSocket(url());
  socket.addEventListener("open", () => {
    attempts = 0;
    pingTimer = window.setInterval(() => send({ type: "ping" }), PING_MS);
    sendWatches();
  });
  socket.addEventListener("message", (message) => {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (event && typeof event.type === "string") dispatch(event);
  });
  socket.addEventListener("close", (close) => {
    window.clearInterval(pingTimer);
    socket = null;
    synced = false;
    if (close.code === CLOSE_UNAUTHENTICATED) {
      stopped = true; // signed out: the next page load will sign in again
      return;
    }
    scheduleReconnect();
  });
}

function scheduleReconnect() {
  if (stopped || reconnectTimer) return;
  attempts += 1;
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (attempts - 1));
  // Full jitter: a restarted server is not hit by every tab at the same moment.
  const delay = BACKOFF_MIN_MS / 2 + Math.random() * ceiling;
  reconnectTimer = window.setTimeout(() => {
    reconnectTimer = null;
    connect();
  }, delay);
}

function send(content) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(content));
}

function dispatch(event) {
  const data = event.data || {};
  if (event.type === "notification.created") remember(data.id);
  if (event.type === "notification.synced") {
    remember(data.last_id);
    synced = true;
  }
  if (typeof data.unread === "number") setUnreadCount(data.unread);
  for (const handler of handlers.get(event.type) || []) {
    try {
      handler(data, event);
    } catch (error) {
      console.error("live.js handler for", event.type, "failed:", error);
    }
  }
}

function setUnreadCount(count) {
  for (const badge of document.querySelectorAll("[data-unread-count]")) {
    badge.textContent = String(count);
    badge.hidden = count === 0;
  }
}

function toastRegion() {
  let region = document.querySelector("[data-live-toasts]");
  if (!region) {
    region = document.createElement("div");
    region.setAttribute("data-live-toasts", "");
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.className = "live-toasts";
    document.body.append(region);
  }
  return region;
}

function showToast(data) {
  const toast = document.createElement(data.url ? "a" : "div");
  toast.className = "live-toast";
  // Same-site paths only: the server refuses other links, and we check again.
  if (data.url && data.url.startsWith("/") && !data.url.startsWith("//")) toast.href = data.url;
  const title = document.createElement("strong");
  title.textContent = data.title || "";
  toast.append(title);
  if (data.body) {
    const body = document.createElement("span");
    body.textContent = data.body;
    toast.append(body);
  }
  toastRegion().append(toast);
  window.setTimeout(() => toast.remove(), TOAST_MS);
}

on("notification.created", (data) => {
  // A replay after reconnecting brings only what this tab missed.
  if (!data.read) showToast(data);
});

// A tab in the back/forward cache must not keep a socket; a restored one reconnects.
window.addEventListener("pagehide", () => {
  stopped = true;
  if (socket) socket.close(1000);
});
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    stopped = false;
    connect();
  }
});

connect();

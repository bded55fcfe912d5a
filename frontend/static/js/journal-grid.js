// journal-grid.js — the teacher's keyboard-friendly journal grid (TC-2).
//
// Each input is one cell: an attendance mark (p/a/l/e, Cyrillic п/н/о/у too)
// or a score. A cell is saved as it is typed: a mark at once, a score after a
// short pause, Enter, or leaving the cell. Saves go through a queue kept in
// localStorage, so a dropped connection or a reload loses nothing: they are
// retried with backoff and when the browser comes back online. Each input
// shows its state (data-state = unsaved | saving | saved | conflict | error).
// Every save names the cell's version; a 409 answer means someone else saved
// first: the grid shows their value and keeps ours in the cell's title.
// Other open grids of the course follow through the page's one socket
// (live.js): grade.changed and attendance.changed update cells and totals.

import * as live from "/static/js/live.js";

const root = document.querySelector("[data-journal-grid]");
const courseId = Number(root?.dataset.course);
const writable = root?.dataset.writable === "1";
const statusLine = document.querySelector("[data-journal-status]");
const STORAGE_KEY = `ebilim.journal.${courseId}.queue`;
const SCORE_PAUSE_MS = 700;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;

const KEYS = { p: "p", a: "a", l: "l", e: "e", "п": "p", "н": "a", "о": "l", "у": "e" };
const MARKS = { p: "present", a: "absent", l: "late", e: "excused" };
const LETTERS = Object.fromEntries(Object.entries(MARKS).map(([letter, mark]) => [mark, letter]));

const message = (name) => root.dataset[`msg${name}`] || "";

// --- Cells ------------------------------------------------------------------

function cellKey(input) {
  return `${input.closest("tr").dataset.student}:${input.dataset.lesson}:${input.dataset.field}`;
}

function findCell(student, lesson, field) {
  return root.querySelector(
    `tr[data-student="${student}"] [data-lesson="${lesson}"][data-field="${field}"]`,
  );
}

function setState(input, state, title = "") {
  if (input.tagName !== "INPUT") return;
  input.dataset.state = state;
  input.title = title || message(state === "saved" ? "Saved" : state === "unsaved" || state === "saving" ? "Unsaved" : "") || "";
}

function shownValue(field, value) {
  if (value === null || value === undefined) return "";
  if (field === "mark") return LETTERS[value] || "";
  return trimNumber(value);
}

function trimNumber(value) {
  const number = Number.parseFloat(value);
  if (!Number.isFinite(number)) return String(value ?? "");
  return String(Math.round(number * 100) / 100);
}

function setTotals(student, checkpoint, checkpointTotal, total) {
  const row = root.querySelector(`tr[data-student="${student}"]`);
  if (!row) return;
  if (checkpoint && checkpointTotal !== null && checkpointTotal !== undefined) {
    const cell = row.querySelector(`[data-total="${checkpoint}"]`);
    if (cell) cell.textContent = trimNumber(checkpointTotal);
  }
  if (total !== null && total !== undefined) {
    const cell = row.querySelector('[data-total="all"]');
    if (cell) cell.textContent = trimNumber(total);
  }
}

// --- The save queue -----------------------------------------------------------

let queue = loadQueue(); // cell key -> {student, lesson, field, value, version}
let inFlight = null;
let retryDelay = RETRY_MIN_MS;
let retryTimer = null;

function loadQueue() {
  try {
    return new Map(Object.entries(JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "{}")));
  } catch {
    return new Map();
  }
}

function storeQueue() {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(queue)));
  } catch {
    /* storage full or disabled: the queue still lives while the page does */
  }
}

function showStatus(text) {
  if (statusLine) statusLine.textContent = text;
}

function enqueue(input, value) {
  const item = {
    student: Number(input.closest("tr").dataset.student),
    lesson: Number(input.dataset.lesson),
    field: input.dataset.field,
    value,
    version: Number(input.dataset.version || 0),
  };
  queue.set(cellKey(input), item);
  storeQueue();
  setState(input, "unsaved");
  showStatus(`${message("Pending")}: ${queue.size}`);
  pump();
}

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

async function pump() {
  if (inFlight || retryTimer || queue.size === 0) return;
  const [key, item] = queue.entries().next().value;
  inFlight = key;
  const input = findCell(item.student, item.lesson, item.field);
  if (input) setState(input, "saving");
  let response;
  try {
    response = await fetch(root.dataset.cellUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item),
    });
  } catch {
    inFlight = null;
    if (input) setState(input, "unsaved");
    showStatus(message("Offline"));
    scheduleRetry();
    return;
  }
  inFlight = null;
  if (response.status >= 500 || response.status === 429) {
    if (input) setState(input, "unsaved");
    scheduleRetry();
    return;
  }
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    /* a non-JSON answer (login page): treated as an error below */
  }
  // A newer edit of the same cell may have been queued meanwhile: keep it.
  const newer = queue.get(key) !== item;
  if (!newer) queue.delete(key);
  retryDelay = RETRY_MIN_MS;
  if (response.ok) {
    if (input) {
      input.dataset.version = String(answer.version);
      if (newer) queue.get(key).version = answer.version;
      else setState(input, "saved");
    }
    setTotals(item.student, answer.checkpoint, answer.checkpoint_total, answer.total);
  } else if (response.status === 409 && input) {
    input.dataset.version = String(answer.version);
    input.value = shownValue(item.field, answer.value);
    setState(input, "conflict", `${answer.detail} ${message("Conflict")}: ${shownValue(item.field, item.value) || "—"}`);
    if (newer) queue.delete(key);
  } else if (input) {
    setState(input, "error", answer.detail || String(response.status));
  }
  storeQueue();
  showStatus(queue.size ? `${message("Pending")}: ${queue.size}` : conflictsOrErrors() || message("AllSaved"));
  pump();
}

function conflictsOrErrors() {
  const bad = root.querySelector('[data-state="conflict"], [data-state="error"]');
  return bad ? bad.title : "";
}

function scheduleRetry() {
  if (retryTimer) return;
  retryTimer = window.setTimeout(() => {
    retryTimer = null;
    pump();
  }, retryDelay);
  retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
}

window.addEventListener("online", () => {
  window.clearTimeout(retryTimer);
  retryTimer = null;
  retryDelay = RETRY_MIN_MS;
  pump();
});

// --- Typing and moving --------------------------------------------------------

function inputs() {
  return [...root.querySelectorAll("input.jg-in")];
}

function move(input, rowStep, colStep) {
  const row = input.closest("tr");
  const cells = [...row.querySelectorAll("input.jg-in")];
  if (colStep) {
    const next = cells[cells.indexOf(input) + colStep];
    if (next) next.focus();
    return;
  }
  const key = `[data-lesson="${input.dataset.lesson}"][data-field="${input.dataset.field}"]`;
  let other = rowStep > 0 ? row.nextElementSibling : row.previousElementSibling;
  while (other) {
    const target = other.querySelector(`input.jg-in${key}`);
    if (target) {
      target.focus();
      return;
    }
    other = rowStep > 0 ? other.nextElementSibling : other.previousElementSibling;
  }
}

const scoreTimers = new WeakMap();

function saveScore(input) {
  window.clearTimeout(scoreTimers.get(input));
  const text = input.value.trim().replace(",", ".");
  if (text === (input.dataset.saved ?? input.defaultValue)) return;
  input.dataset.saved = text;
  const max = Number(input.dataset.max);
  const number = Number(text);
  if (text !== "" && (!Number.isFinite(number) || number < 0 || number > max)) {
    setState(input, "error", `0–${max}`);
    delete input.dataset.saved;
    return;
  }
  enqueue(input, text === "" ? null : text);
}

function onKeyDown(event) {
  const input = event.target;
  if (!input.matches("input.jg-in")) return;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0] };
  if (input.dataset.field === "mark" || event.altKey) {
    Object.assign(moves, { ArrowLeft: [0, -1], ArrowRight: [0, 1] });
  } else {
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    if (atStart) moves.ArrowLeft = [0, -1];
    if (atEnd) moves.ArrowRight = [0, 1];
  }
  if (input.dataset.field === "mark") {
    const letter = KEYS[event.key?.toLowerCase()];
    if (letter && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      if (input.value !== letter) {
        input.value = letter;
        enqueue(input, MARKS[letter]);
      }
      move(input, 1, 0);
      return;
    }
    if (event.key === "Backspace" || event.key === "Delete") {
      event.preventDefault();
      if (input.value) {
        input.value = "";
        enqueue(input, null);
      }
      return;
    }
    if (event.key.length === 1 && !event.ctrlKey && !event.metaKey) {
      event.preventDefault(); // only the mark keys go into a mark cell
      return;
    }
  }
  if (moves[event.key]) {
    event.preventDefault();
    if (input.dataset.field === "score") saveScore(input);
    move(input, ...moves[event.key]);
  }
}

function onInput(event) {
  const input = event.target;
  if (!input.matches("input.jg-score")) return;
  setState(input, "unsaved");
  window.clearTimeout(scoreTimers.get(input));
  scoreTimers.set(input, window.setTimeout(() => saveScore(input), SCORE_PAUSE_MS));
}

function onBlur(event) {
  if (event.target.matches?.("input.jg-score")) saveScore(event.target);
}

// --- Live updates from other editors -------------------------------------------

function applyRemote(student, lesson, field, value, version) {
  const cell = findCell(student, lesson, field);
  if (!cell) return;
  if (cell.tagName !== "INPUT") {
    cell.textContent = shownValue(field, value);
    return;
  }
  if (Number(version) === 0 && value === null) {
    // a cleared cell: version 0 again
  } else if (Number(cell.dataset.version) >= Number(version)) {
    return; // our own save, already applied
  }
  const pending = queue.has(`${student}:${lesson}:${field}`);
  cell.dataset.version = String(version);
  if (pending) {
    queue.get(`${student}:${lesson}:${field}`).version = Number(version);
    storeQueue();
    return; // ours goes next and will be judged against this version
  }
  if (document.activeElement !== cell) {
    cell.value = shownValue(field, value);
    cell.dataset.saved = cell.value;
  }
}

live.on("grade.changed", (data) => {
  if (data.course !== courseId) return;
  if (data.lesson) applyRemote(data.student, data.lesson, "score", data.value, data.version);
  setTotals(data.student, data.checkpoint, data.checkpoint_total, data.total);
});
live.on("attendance.changed", (data) => {
  if (data.course !== courseId) return;
  applyRemote(data.student, data.lesson, "mark", data.mark, data.version);
});

async function resync() {
  // Course events are not replayed after a reconnect: read the grid's state
  // instead, each time the socket (re)connects (the server then says "synced").
  try {
    const response = await fetch(root.dataset.dataUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const grid = await response.json();
    for (const row of grid.rows) {
      for (const [lesson, cell] of Object.entries(row.cells)) {
        if (cell.mark_version) applyRemote(row.student, lesson, "mark", cell.mark, cell.mark_version);
        if (cell.score_version) applyRemote(row.student, lesson, "score", cell.score, cell.score_version);
      }
      for (const [checkpoint, points] of Object.entries(row.totals)) setTotals(row.student, checkpoint, points, null);
      setTotals(row.student, null, null, row.total);
    }
    root.dataset.synced = "true"; // the grid now shows the server's state (tests wait for it)
  } catch {
    /* offline: the next reconnect reads it again */
  }
}

if (root) {
  live.watchCourse(courseId);
  live.onSynced(resync);
  if (writable) {
    root.addEventListener("keydown", onKeyDown);
    root.addEventListener("input", onInput);
    root.addEventListener("focusout", onBlur);
    for (const input of inputs()) input.dataset.saved = input.value;
    // Edits left unsaved by a previous visit (offline, closed tab) go out now.
    for (const item of queue.values()) {
      const input = findCell(item.student, item.lesson, item.field);
      if (input) {
        input.value = shownValue(item.field, item.value);
        setState(input, "unsaved");
      }
    }
    if (queue.size) showStatus(`${message("Pending")}: ${queue.size}`);
    pump();
  }
}

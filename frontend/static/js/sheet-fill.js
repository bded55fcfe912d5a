// sheet-fill.js — the examiner fills an exam sheet line by line (GB-4).
//
// Each line saves as it is typed (after a short pause, on Enter or on leaving
// the field) by POSTing {final_score, absent, version} to the line's address.
// A 409 answer means someone else saved the line first: the page shows their
// value and the line's new version. Failed saves (offline, server busy) are
// retried with backoff. Other open pages of the course follow through the
// page's one socket (live.js): sheet.line_changed updates the line, and
// sheet.closed reloads the page.

import * as live from "/static/js/live.js";

const form = document.querySelector("[data-sheet]");
const sheetId = Number(form?.dataset.sheetId);
const courseId = Number(form?.dataset.course);
const writable = form?.dataset.writable === "1";
const status = document.querySelector("[data-sheet-message]");
const PAUSE_MS = 700;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30000;
const message = (name) => form?.dataset[`msg${name}`] || "";

const timers = new Map();
const pending = new Map(); // line id -> {row, body}
let retryDelay = RETRY_MIN_MS;
let retryTimer = null;
let inFlight = false;

function csrfToken() {
  const field = form.querySelector("[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

function say(text) {
  if (status) status.textContent = text;
}

function number(value) {
  if (value === null || value === undefined || value === "") return "";
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? String(Math.round(parsed * 100) / 100) : String(value);
}

function showLine(row, data) {
  row.dataset.version = String(data.version);
  const hidden = row.querySelector('input[type="hidden"][name^="version-"]');
  if (hidden) hidden.value = String(data.version);
  const score = row.querySelector("[data-score]");
  if (score && document.activeElement !== score) score.value = number(data.final_score);
  const absent = row.querySelector("[data-absent]");
  if (absent) absent.checked = Boolean(data.absent);
  row.querySelector("[data-total]").textContent = number(data.total);
  let result = "";
  if (data.absent) result = message("Absent");
  else if (data.mark) result = `${data.letter} (${data.mark})`;
  else if (data.passed === true) result = message("Passed");
  else if (data.passed === false) result = message("Failed");
  row.querySelector("[data-result]").textContent = result;
}

function mark(row, state, title = "") {
  row.dataset.state = state;
  row.title = title;
}

function queue(row) {
  const score = row.querySelector("[data-score]");
  const absent = row.querySelector("[data-absent]");
  pending.set(row.dataset.line, {
    row,
    body: {
      final_score: absent?.checked ? null : score.value.trim(),
      absent: Boolean(absent?.checked),
      version: Number(row.dataset.version),
    },
  });
  mark(row, "unsaved");
  pump();
}

async function pump() {
  if (inFlight || retryTimer || pending.size === 0) return;
  const [lineId, item] = pending.entries().next().value;
  inFlight = true;
  say(message("Saving"));
  let response;
  try {
    response = await fetch(form.dataset.lineUrl.replace(/\/0\/$/, `/${lineId}/`), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(item.body),
    });
  } catch {
    inFlight = false;
    say(message("Offline"));
    retry();
    return;
  }
  inFlight = false;
  if (response.status >= 500 || response.status === 429) {
    retry();
    return;
  }
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    /* not JSON: shown as an error */
  }
  if (pending.get(lineId) === item) pending.delete(lineId);
  retryDelay = RETRY_MIN_MS;
  if (response.ok) {
    showLine(item.row, answer);
    mark(item.row, "saved", message("Saved"));
    say(message("Saved"));
  } else if (response.status === 409) {
    showLine(item.row, answer);
    mark(item.row, "conflict", answer.detail || message("Conflict"));
    say(answer.detail || message("Conflict"));
  } else {
    mark(item.row, "error", answer.detail || String(response.status));
    say(answer.detail || String(response.status));
  }
  pump();
}

function retry() {
  if (retryTimer) return;
  retryTimer = window.setTimeout(() => {
    retryTimer = null;
    pump();
  }, retryDelay);
  retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
}

if (form && writable) {
  for (const row of form.querySelectorAll("tr[data-line]")) {
    const score = row.querySelector("[data-score]");
    const absent = row.querySelector("[data-absent]");
    if (!score) continue;
    const later = () => {
      window.clearTimeout(timers.get(row));
      timers.set(row, window.setTimeout(() => queue(row), PAUSE_MS));
    };
    score.addEventListener("input", later);
    score.addEventListener("change", () => {
      window.clearTimeout(timers.get(row));
      queue(row);
    });
    score.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      window.clearTimeout(timers.get(row));
      queue(row);
      const next = row.nextElementSibling?.querySelector("[data-score]");
      if (next) next.focus();
    });
    absent?.addEventListener("change", () => queue(row));
  }
  window.addEventListener("online", () => {
    window.clearTimeout(retryTimer);
    retryTimer = null;
    pump();
  });
}

if (form) {
  live.watchCourse(courseId);
  live.on("sheet.line_changed", (data) => {
    if (data.sheet !== sheetId) return;
    const row = form.querySelector(`tr[data-line="${data.line}"]`);
    if (row && Number(row.dataset.version) < data.version && !pending.has(String(data.line))) {
      showLine(row, data);
    }
  });
  live.on("sheet.closed", (data) => {
    if (data.sheet === sheetId) window.location.reload();
  });
}

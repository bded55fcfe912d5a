// my-grades.js — a student's (or parent's) grades, kept current live.
//
// The student's own tabs receive grade.changed and attendance.changed on
// user.<id> through the page's one socket (live.js); a parent's page reads
// the summary again when the socket reconnects or the tab becomes visible.
// One dispatch map from event type to handler.

import { on } from "/static/js/live.js";

const root = document.querySelector("[data-my-grades]");
const studentId = Number(root?.dataset.student);

function trimNumber(value) {
  const number = Number.parseFloat(value);
  return Number.isFinite(number) ? String(Math.round(number * 100) / 100) : "";
}

function flash(element) {
  element.classList.remove("live-updated");
  void element.offsetWidth; // restart the highlight
  element.classList.add("live-updated");
  element.style.transition = "background-color 1.5s";
  element.style.backgroundColor = "#fef9c3";
  window.setTimeout(() => {
    element.style.backgroundColor = "";
  }, 1500);
}

function courseRow(course) {
  return root.querySelector(`[data-course="${course}"]`);
}

function setText(element, text) {
  if (element && element.textContent !== text) {
    element.textContent = text;
    flash(element);
  }
}

function markLabels() {
  try {
    return JSON.parse(document.getElementById("mark-labels")?.textContent || "{}");
  } catch {
    return {};
  }
}

async function refreshSummary() {
  const url = root.dataset.refreshUrl;
  if (!url) return;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    for (const course of (await response.json()).courses) {
      const row = courseRow(course.course);
      if (!row) continue;
      for (const [checkpoint, points] of Object.entries(course.totals)) {
        setText(row.querySelector(`[data-checkpoint-total="${checkpoint}"]`), trimNumber(points));
      }
      setText(row.querySelector("[data-course-total]"), trimNumber(course.total));
      for (const cell of row.querySelectorAll("[data-attendance] b")) {
        const mark = cell.parentElement.dataset.attendance;
        setText(cell, String(course.attendance[mark] || 0));
      }
    }
  } catch {
    /* offline: the next event or visit tries again */
  }
}

const handlers = {
  "grade.changed": (data) => {
    const row = courseRow(data.course);
    if (!row) return;
    setText(row.querySelector(`[data-checkpoint-total="${data.checkpoint}"]`), trimNumber(data.checkpoint_total));
    setText(row.querySelector("[data-course-total]"), trimNumber(data.total));
    if (data.lesson) {
      const lesson = root.querySelector(`tr[data-lesson="${data.lesson}"] [data-score]`);
      setText(lesson, data.value === null ? "" : trimNumber(data.value));
    }
  },
  "attendance.changed": (data) => {
    if (!courseRow(data.course)) return;
    const lesson = root.querySelector(`tr[data-lesson="${data.lesson}"] [data-mark]`);
    if (lesson) setText(lesson, markLabels()[data.mark] || "");
    refreshSummary();
  },
};

if (root) {
  for (const [type, handler] of Object.entries(handlers)) {
    on(type, (data) => {
      if (data.student === studentId) handler(data);
    });
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refreshSummary();
  });
}

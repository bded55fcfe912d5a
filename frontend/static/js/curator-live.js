// curator-live.js — the curator's group on one screen, kept current.
//
// Watches the group's live events through the page's notification socket
// (live.js): a student moved by an order reloads the roster; presence is
// refreshed every 30 seconds from the server's shared presence store; the
// journal's attendance.changed (today's lessons) and grade.changed events
// fill the "attendance today" and "latest scores" columns.

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

const LATEST_SCORES = 3;
const readJson = (id, fallback) => {
  try {
    return JSON.parse(document.getElementById(id)?.textContent ?? "null") ?? fallback;
  } catch {
    return fallback;
  }
};
const courses = readJson("curator-courses", {});
const markLabels = readJson("curator-marks", {});
const today = readJson("curator-today", "");

function studentRow(studentId) {
  return root.querySelector(`tr[data-student="${studentId}"]`);
}

function label(course) {
  return courses[String(course)] || `#${course}`;
}

function cleared(cell) {
  if (cell.textContent.trim() === "—") cell.textContent = "";
  return cell;
}

function dashIfEmpty(cell) {
  if (!cell.textContent.trim()) cell.textContent = "—";
}

on("attendance.changed", (data) => {
  if (data.date !== today) return;
  const row = studentRow(data.student);
  if (!row) return;
  const cell = cleared(row.querySelector("[data-attendance]"));
  let mark = cell.querySelector(`[data-course="${data.course}"]`);
  if (!data.mark) {
    mark?.remove();
    dashIfEmpty(cell);
    return;
  }
  if (!mark) {
    mark = document.createElement("span");
    mark.dataset.course = String(data.course);
    cell.append(mark, " ");
  }
  mark.dataset.mark = data.mark;
  mark.textContent = `${label(data.course)}: ${markLabels[data.mark] || data.mark}`;
});

on("grade.changed", (data) => {
  if (data.value === null || data.value === undefined) return;
  const row = studentRow(data.student);
  if (!row) return;
  const cell = cleared(row.querySelector("[data-scores]"));
  const score = document.createElement("span");
  score.textContent = `${label(data.course)}: ${Number.parseFloat(data.value)}`;
  cell.prepend(score, " ");
  const all = cell.querySelectorAll("span");
  for (const old of [...all].slice(LATEST_SCORES)) old.remove();
});

// Live progress bar of one background job (jobs/<id>/).
//
// Updates come from the per-user socket (`job.progress`, `job.finished` via
// /static/js/live.js). While the socket is down — or live.js cannot load —
// the page polls jobs/<id>/status.json every 2 s instead. live.js does not
// expose the socket's state, so "down" means: no live event for this job in
// the last two poll periods (a quiet job costs one small request per 2 s).
// When the job finishes, the page reloads so the server renders the result.

const POLL_MS = 2000;

const root = document.querySelector("[data-job-id]");

function start(section) {
  const jobId = Number(section.dataset.jobId);
  const statusUrl = section.dataset.jobStatusUrl;
  const bar = section.querySelector("[data-job-bar]");
  const percent = section.querySelector("[data-job-percent]");
  const message = section.querySelector("[data-job-message]");
  const status = section.querySelector("[data-job-status]");
  let finished = section.dataset.jobFinished === "true";
  let live = null;
  let lastLiveAt = 0;

  function show(data) {
    if (finished || Number(data.id) !== jobId) return;
    if (typeof data.percent === "number") {
      bar.value = data.percent;
      bar.textContent = `${data.percent}%`;
      percent.textContent = `${data.percent}%`;
    } else if (data.total) {
      const value = Math.min(100, Math.floor((data.done * 100) / data.total));
      bar.value = value;
      percent.textContent = `${value}%`;
    }
    if (typeof data.message === "string") message.textContent = data.message;
    if (data.status_label) status.textContent = data.status_label;
    if (data.finished || data.status === "succeeded" || data.status === "failed") {
      finished = true;
      window.location.reload();
    }
  }

  async function poll() {
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) show(await response.json());
    } catch {
      // Offline: try again on the next tick.
    }
  }

  function socketIsUp() {
    if (!live) return false;
    if (typeof live.isConnected === "function") return Boolean(live.isConnected());
    return Date.now() - lastLiveAt < 2 * POLL_MS;
  }

  function fromSocket(data) {
    if (Number(data.id) === jobId) lastLiveAt = Date.now();
    return data;
  }

  const timer = window.setInterval(() => {
    if (finished) window.clearInterval(timer);
    else if (!socketIsUp()) poll();
  }, POLL_MS);

  import("../js/live.js")
    .then((module) => {
      live = module;
      live.on("job.progress", (data) => show(fromSocket(data)));
      live.on("job.finished", (data) => show({ ...fromSocket(data), finished: true }));
      // Anything that happened between rendering and subscribing.
      poll();
    })
    .catch(() => {
      live = null;
    });
}

if (root) start(root);

// proctoring-camera.js — the camera of a proctored test (TS-8), loaded by the attempt
// page only when the test requires it.
//
// The questions stay disabled until the student allows the camera; a refused or lost
// camera disables them again with a clear message (a proctored test cannot go on
// without it). Every `interval` seconds a 320x240 JPEG of the camera is posted to the
// frame endpoint; page events (tab hidden, window left, full screen left, copy, paste,
// a second screen where the browser tells) are posted in small batches. While offline
// both wait in a queue (frames: the newest few only) and are retried with back-off;
// a 409 means the attempt is over, and the page reloads to its result.

const box = document.getElementById("proctoring-camera");
const page = document.getElementById("test-attempt");

if (box && page) {
  const WIDTH = 320;
  const HEIGHT = 240;
  const MAX_QUEUED_FRAMES = 5;
  const interval = Math.max(Number(box.dataset.interval) || 5, 2) * 1000;
  const csrf = box.dataset.csrf;
  const video = box.querySelector("[data-camera-video]");
  const status = box.querySelector("[data-camera-status]");
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const context = canvas.getContext("2d");
  const frames = []; // {blob, takenAt}
  let events = []; // {kind, at, detail}
  let stream = null;
  let failures = 0;
  let sending = false;
  let finished = false;

  const say = (text) => {
    status.textContent = text;
  };

  function lock(locked) {
    for (const part of page.querySelectorAll("fieldset[data-question], [data-nav] button, [data-submit-form] button")) {
      part.disabled = locked;
    }
    page.classList.toggle("attempt--locked", locked);
  }

  function over() {
    finished = true;
    window.location.reload();
  }

  async function post(url, body, type) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": type },
      body,
    });
    if (response.status === 409) over();
    // 4xx other than 409: the server refused this item for good; do not resend it.
    return response.ok || (response.status >= 400 && response.status < 500);
  }

  async function flush() {
    if (sending || finished) return;
    sending = true;
    try {
      while (frames.length && !finished) {
        const { blob, takenAt } = frames[0];
        const url = `${box.dataset.frameUrl}?taken_at=${takenAt}`;
        if (!(await post(url, blob, "image/jpeg"))) throw new Error("not sent");
        frames.shift();
      }
      if (events.length && !finished) {
        const batch = events.slice(0, 100);
        if (!(await post(box.dataset.eventsUrl, JSON.stringify(batch), "application/json"))) {
          throw new Error("not sent");
        }
        events = events.slice(batch.length);
      }
      failures = 0;
      if (stream) say("");
    } catch {
      failures += 1;
      say(box.dataset.offlineText);
      setTimeout(flush, Math.min(1000 * 2 ** failures, 30000));
    } finally {
      sending = false;
    }
  }

  function capture() {
    if (!stream || finished || video.readyState < 2) return;
    context.drawImage(video, 0, 0, WIDTH, HEIGHT);
    const takenAt = Date.now();
    canvas.toBlob(
      (blob) => {
        if (!blob) return;
        frames.push({ blob, takenAt });
        // Offline for long: keep the newest frames, the proctor needs the present.
        while (frames.length > MAX_QUEUED_FRAMES) frames.shift();
        flush();
      },
      "image/jpeg",
      0.7,
    );
  }

  function record(kind, detail = "") {
    if (finished) return;
    events.push({ kind, at: new Date().toISOString(), detail: String(detail).slice(0, 255) });
    flush();
  }

  function refused(text) {
    stream = null;
    lock(true);
    say(text);
    box.classList.add("proctoring-camera--refused");
  }

  async function start() {
    lock(true);
    if (!navigator.mediaDevices?.getUserMedia) {
      refused(box.dataset.unsupportedText);
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: WIDTH }, height: { ideal: HEIGHT }, facingMode: "user" },
        audio: false,
      });
    } catch {
      refused(box.dataset.refusedText);
      return;
    }
    video.srcObject = stream;
    for (const track of stream.getVideoTracks()) {
      // The camera unplugged or its permission revoked mid-test: stop the test until it is back.
      track.addEventListener("ended", () => refused(box.dataset.refusedText));
    }
    box.classList.remove("proctoring-camera--refused");
    lock(false);
    say("");
    // The first frame once the picture plays: at "loadeddata" (and on the first frame
    // presented) Chrome still draws black, which the server would flag "camera dark".
    video.addEventListener(
      "playing",
      () => {
        if (typeof video.requestVideoFrameCallback === "function") {
          video.requestVideoFrameCallback(() => capture());
        } else {
          capture();
        }
      },
      { once: true },
    );
    setInterval(capture, interval);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") record("tab_hidden");
  });
  window.addEventListener("blur", () => record("window_blur"));
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement) record("fullscreen_exit");
  });
  document.addEventListener("copy", () => record("copy"));
  document.addEventListener("paste", () => record("paste"));
  if (window.screen && "isExtended" in window.screen) {
    const check = () => {
      if (window.screen.isExtended) record("second_screen", "screen.isExtended");
    };
    check();
    window.screen.addEventListener?.("change", check);
  }
  window.addEventListener("online", flush);

  start();
}

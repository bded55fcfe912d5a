// The attempt page (SC-4): every answer is sent to the server as it is given, with a
// per-question version; while offline the latest answer per question waits in
// localStorage and is resent on reconnect (and on the next page load). The timer
// counts down from the server's remaining time and submits the attempt at zero.

const root = document.getElementById("test-attempt");

if (root) {
  const attempt = root.dataset.attempt;
  const storeKey = `test-attempt:${attempt}:queue`;
  const versions = JSON.parse(document.getElementById("attempt-versions").textContent || "{}");
  const status = root.querySelector("[data-status]");
  const submitForm = root.querySelector("[data-submit-form]");
  let submitting = false;

  // The start answers with this page: the attempt's own address goes into the history, so
  // a reload reads the page again instead of repeating the start.
  if (window.location.pathname !== root.dataset.pageUrl) {
    window.history.replaceState(null, "", root.dataset.pageUrl);
  }

  const readQueue = () => {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}");
    } catch {
      return {};
    }
  };
  const writeQueue = (queue) => {
    try {
      if (Object.keys(queue).length) localStorage.setItem(storeKey, JSON.stringify(queue));
      else localStorage.removeItem(storeKey);
    } catch {
      // Private mode or a full storage: the answer is still sent while online.
    }
  };
  const say = (text) => {
    status.textContent = text;
  };

  function responseOf(fieldset) {
    const kind = fieldset.dataset.kind;
    const inputs = [...fieldset.querySelectorAll("input, select")];
    if (kind === "single") {
      const checked = inputs.find((i) => i.checked);
      return { option: checked ? Number(checked.value) : null };
    }
    if (kind === "multiple") {
      return { options: inputs.filter((i) => i.checked).map((i) => Number(i.value)) };
    }
    if (kind === "truefalse") {
      const checked = inputs.find((i) => i.checked);
      return { value: checked ? checked.value === "true" : null };
    }
    if (kind === "short") return { text: inputs[0].value };
    const matches = {};
    for (const select of inputs) if (select.value) matches[select.dataset.pair] = Number(select.value);
    return { matches };
  }

  function finish() {
    if (submitting) return;
    submitting = true;
    submitForm.submit();
  }

  async function send(question, item) {
    const response = await fetch(root.dataset.answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ question: Number(question), response: item.response, version: item.version }),
    });
    if (response.status >= 500) {
      // Busy or failing, not refused: the answer stays queued and is sent again.
      const error = new Error(root.dataset.busyText);
      error.retryAfter = Number(response.headers.get("Retry-After")) || 0;
      throw error;
    }
    const body = await response.json().catch(() => ({}));
    if (response.ok) return body;
    const error = new Error(body.detail || root.dataset.errorText);
    error.refused = true; // the server answered: resending will not help
    error.submitted = Boolean(body.submitted);
    throw error;
  }

  // A save neither taken nor refused (the server busy, restarting or out of reach) is
  // sent again later: after the server's Retry-After, else backing off from 2 s to 30 s,
  // spread at random so that students who failed together do not return together.
  let retryTimer = null;
  let retryDelay = 0;
  function retryLater(seconds) {
    clearTimeout(retryTimer);
    retryDelay = seconds || Math.min(Math.max(retryDelay * 2, 2), 30);
    retryTimer = setTimeout(flush, retryDelay * (0.5 + Math.random()) * 1000);
  }

  async function flush() {
    const queue = readQueue();
    for (const [question, item] of Object.entries(queue)) {
      try {
        await send(question, item);
        retryDelay = 0;
        const now = readQueue();
        if (now[question] && now[question].version <= item.version) delete now[question];
        writeQueue(now);
        say(root.dataset.savedText);
      } catch (error) {
        if (!error.refused) {
          say(error.retryAfter === undefined ? root.dataset.queuedText : error.message);
          retryLater(error.retryAfter);
          return; // keep the queue: the retry or the next "online" event sends it
        }
        const now = readQueue();
        delete now[question];
        writeQueue(now);
        say(error.message);
        if (error.submitted) window.location.reload();
      }
    }
  }

  function changed(fieldset) {
    const question = fieldset.dataset.question;
    versions[question] = (versions[question] || 0) + 1;
    const queue = readQueue();
    queue[question] = { response: responseOf(fieldset), version: versions[question] };
    writeQueue(queue);
    flush();
  }

  for (const fieldset of root.querySelectorAll("fieldset[data-question]")) {
    const kind = fieldset.dataset.kind;
    const event = kind === "short" ? "input" : "change";
    let timer = null;
    fieldset.addEventListener(event, () => {
      if (kind !== "short") return changed(fieldset);
      clearTimeout(timer); // typing: send once the student pauses
      timer = setTimeout(() => changed(fieldset), 600);
    });
  }
  window.addEventListener("online", flush);
  // Answers queued before a reload or a lost connection: newer than the server's, resent.
  const pending = readQueue();
  for (const [question, item] of Object.entries(pending)) {
    versions[question] = Math.max(versions[question] || 0, item.version);
  }
  flush();

  // One question per screen: the others are hidden, with previous/next.
  if (root.dataset.onePerScreen === "1") {
    const fieldsets = [...root.querySelectorAll("fieldset[data-question]")];
    const nav = root.querySelector("[data-nav]");
    let index = 0;
    const show = () => {
      fieldsets.forEach((f, i) => {
        f.hidden = i !== index;
      });
      nav.querySelector("[data-prev]").disabled = index === 0;
      nav.querySelector("[data-next]").disabled = index === fieldsets.length - 1;
    };
    nav.hidden = fieldsets.length < 2;
    nav.querySelector("[data-prev]").addEventListener("click", () => { index -= 1; show(); });
    nav.querySelector("[data-next]").addEventListener("click", () => { index += 1; show(); });
    show();
  }

  // The server's remaining time, counted down from this page load.
  const timerNode = root.querySelector("[data-timer]");
  const endsAt = Date.now() + Number(root.dataset.remaining) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    timerNode.textContent = `${minutes}:${String(left % 60).padStart(2, "0")}`;
    if (left === 0) {
      flush().finally(finish);
      return;
    }
    setTimeout(tick, 1000);
  };
  tick();
  // Finishing sends what is still queued first (submitForm.submit() skips this handler).
  submitForm.addEventListener("submit", (event) => {
    event.preventDefault();
    flush().finally(finish);
  });
}

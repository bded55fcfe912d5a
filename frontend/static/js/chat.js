// chat.js — one chat page, live over /ws/chat/.
//
// Nothing typed is lost: a message gets a client key and waits in an outbox
// kept in localStorage until the server acknowledges it (chat.ack); on every
// (re)connect the page subscribes after the last message id it shows, so the
// server replays what it missed, then re-sends the outbox. The server
// recognises a re-sent key and stores it once. Text is always inserted as
// text (textContent), links are built as elements: nothing a user types runs.

const root = document.querySelector("[data-chat]");
const chatId = Number(root.dataset.chat);
const me = Number(root.dataset.me);
const moderator = root.dataset.moderator === "1";
const list = root.querySelector("[data-chat-messages]");
const form = root.querySelector("[data-chat-form]");
const statusLine = root.querySelector("[data-chat-status]");
const typingLine = root.querySelector("[data-chat-typing]");
const strings = JSON.parse(document.getElementById("chat-strings").textContent);
const OUTBOX_KEY = `ebilim.chat.outbox.${chatId}`;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15000;
const TYPING_EVERY_MS = 3000;
const URL_PATTERN = /(https?:\/\/[^\s<]+)/g;

let lastId = Number(root.dataset.lastId) || 0;
let firstId = null;
let socket = null;
let attempts = 0;
let lastTyping = 0;
let typingTimer = null;
const shown = new Set();

function outbox() {
  try {
    return JSON.parse(window.localStorage.getItem(OUTBOX_KEY) || "[]");
  } catch {
    return [];
  }
}

function saveOutbox(items) {
  try {
    window.localStorage.setItem(OUTBOX_KEY, JSON.stringify(items));
  } catch {
    /* storage disabled: the outbox lives as long as the page */
  }
}

function appendText(element, text) {
  // Links become anchors built from text; everything else stays text.
  for (const part of text.split(URL_PATTERN)) {
    if (URL_PATTERN.test(part)) {
      const link = document.createElement("a");
      link.href = part;
      link.textContent = part;
      link.rel = "noopener noreferrer nofollow";
      link.target = "_blank";
      element.append(link);
    } else {
      element.append(document.createTextNode(part));
    }
    URL_PATTERN.lastIndex = 0;
  }
}

function render(message, { pending = false } = {}) {
  const item = document.createElement("li");
  item.className = "chat-message" + (message.author === me ? " chat-message--mine" : "");
  if (message.id) item.dataset.id = message.id;
  if (message.client_key) item.dataset.key = message.client_key;
  const who = document.createElement("strong");
  who.textContent = message.author_name || "";
  const body = document.createElement("span");
  body.className = "chat-message__text";
  if (message.deleted) {
    body.textContent = strings.deleted;
  } else {
    appendText(body, message.text);
  }
  item.append(who, document.createTextNode(": "), body);
  if (message.attachment) {
    const file = document.createElement("a");
    file.className = "chat-message__file";
    file.href = message.attachment.url;
    file.textContent = ` 📎 ${message.attachment.name}`;
    item.append(file);
  }
  const note = document.createElement("small");
  note.className = "chat-message__note";
  if (pending) note.textContent = ` ${strings.sending}`;
  else if (message.edited_at) note.textContent = ` (${strings.edited})`;
  item.append(note);
  if (message.id && !message.deleted && (message.author === me || moderator)) {
    item.append(actionButton(strings.delete, () => send({ type: "delete", message: message.id })));
    if (message.author === me) {
      item.append(
        actionButton(strings.edit, () => {
          const text = window.prompt(strings.edit, message.text);
          if (text && text.trim()) send({ type: "edit", message: message.id, text });
        }),
      );
    }
  }
  return item;
}

function actionButton(label, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link chat-message__action";
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

function show(message) {
  if (message.id && shown.has(message.id)) return;
  const pending = message.client_key && list.querySelector(`[data-key="${CSS.escape(message.client_key)}"]`);
  const item = render(message);
  if (pending) pending.replaceWith(item);
  else list.append(item);
  if (message.id) {
    shown.add(message.id);
    if (firstId === null || message.id < firstId) firstId = message.id;
    if (message.id > lastId) lastId = message.id;
  }
  if (message.client_key) saveOutbox(outbox().filter((m) => m.key !== message.client_key));
  item.scrollIntoView({ block: "nearest" });
  markRead();
}

function replace(message) {
  const item = list.querySelector(`[data-id="${message.id}"]`);
  if (item) item.replaceWith(render(message));
}

function send(payload) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(payload));
    return true;
  }
  return false;
}

function flushOutbox() {
  for (const item of outbox()) {
    send({ type: "send", chat: chatId, text: item.text, key: item.key, reply_to: item.reply_to || null });
  }
}

function markRead() {
  if (document.visibilityState === "visible" && lastId) {
    send({ type: "read", chat: chatId, up_to: lastId });
  }
}

const handlers = {
  "chat.message": (data) => data.chat === chatId && show(data),
  "chat.message_changed": (data) => data.chat === chatId && replace(data),
  "chat.ack": (data) => {
    const item = list.querySelector(`[data-key="${CSS.escape(data.key)}"]`);
    if (item) item.dataset.id = data.id;
    if (item) item.querySelector(".chat-message__note").textContent = "";
    shown.add(data.id);
    if (data.id > lastId) lastId = data.id;
    saveOutbox(outbox().filter((m) => m.key !== data.key));
  },
  "chat.error": (data) => {
    statusLine.textContent = data.detail;
    if (data.key) saveOutbox(outbox().filter((m) => m.key !== data.key));
  },
  "chat.subscribed": () => {
    statusLine.textContent = strings.online;
    flushOutbox();
    markRead();
  },
  "chat.typing": (data) => {
    if (data.chat !== chatId) return;
    typingLine.hidden = false;
    typingLine.textContent = `${data.name} ${strings.typing}`;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => (typingLine.hidden = true), TYPING_EVERY_MS + 1000);
  },
};

function connect() {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${window.location.host}/ws/chat/`);
  socket.addEventListener("open", () => {
    attempts = 0;
    send({ type: "subscribe", chat: chatId, after: lastId });
  });
  socket.addEventListener("message", (event) => {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    const handler = handlers[message.type];
    if (handler) handler(message.data || {});
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) return; // signed out: the login page is the answer
    statusLine.textContent = strings.offline;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts++);
    setTimeout(connect, delay);
  });
}

async function sendFile(file, text) {
  // Files go over HTTP (a socket frame is no place for 20 MB); the live event follows.
  const body = new FormData();
  body.append("file", file);
  body.append("text", text);
  body.append("key", crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
  statusLine.textContent = strings.sending;
  const response = await fetch(form.dataset.attachUrl, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
  });
  const answer = await response.json().catch(() => ({}));
  statusLine.textContent = response.ok ? "" : answer.detail || "";
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = form.elements.text.value.trim();
  const file = form.elements.file.files[0];
  if (file) {
    form.elements.file.value = "";
    form.elements.text.value = "";
    sendFile(file, text);
    return;
  }
  if (!text) return;
  const key = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  saveOutbox([...outbox(), { key, text }]);
  list.append(render({ author: me, author_name: "", text, client_key: key }, { pending: true }));
  form.elements.text.value = "";
  send({ type: "send", chat: chatId, text, key });
});

form.elements.text.addEventListener("input", () => {
  const now = Date.now();
  if (now - lastTyping > TYPING_EVERY_MS) {
    lastTyping = now;
    send({ type: "typing", chat: chatId });
  }
});

root.querySelector("[data-chat-earlier]").addEventListener("click", async () => {
  if (!firstId) return;
  const response = await fetch(`${root.dataset.historyUrl}?before=${firstId}`, {
    credentials: "same-origin",
  });
  if (!response.ok) return;
  const { messages } = await response.json();
  for (const message of messages.reverse()) {
    if (shown.has(message.id)) continue;
    shown.add(message.id);
    list.prepend(render(message));
    if (message.id < firstId) firstId = message.id;
  }
});

document.addEventListener("visibilitychange", markRead);

// Presence: who of the members is online, refreshed while the page is open.
const membersBox = root.querySelector("[data-online-url]");
async function refreshOnline() {
  try {
    const response = await fetch(membersBox.dataset.onlineUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const online = new Set((await response.json()).online);
    for (const item of membersBox.querySelectorAll("[data-member]")) {
      item.classList.toggle("online", online.has(Number(item.dataset.member)));
    }
  } catch {
    /* offline: the next round tries again */
  }
}
setInterval(refreshOnline, 30000);

for (const message of JSON.parse(document.getElementById("chat-initial").textContent)) show(message);
for (const item of outbox()) {
  list.append(render({ author: me, author_name: "", text: item.text, client_key: item.key }, { pending: true }));
}
connect();

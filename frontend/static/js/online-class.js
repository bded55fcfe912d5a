// online-class.js — the page of a live online class (DL-7, TC-8).
//
// One socket to /ws/class/<id>/ carries everything: the WebRTC signalling
// with the built-in media server (offer/answer/ice as {"type": "signal"}),
// the class's chat, raised hands and the teacher's moderation. The teacher
// publishes the camera and microphone (and the screen, as a second video);
// students watch and publish only once the teacher allows them. The server
// labels every track it sends ("tracks": mid -> participant and source), so
// the page knows which video is the teacher's camera and which the screen.
// When the class runs on an external SFU (mode "sfu") the page says so: its
// client SDK is not bundled here.
// Close codes: 4401 signed out, 4403 removed, 4404 not a member, 4410 ended:
// these stop; anything else reconnects with back-off and rebuilds the media:
// the page offers again what it published (the camera and microphone, the
// teacher's shared screen; a student's only while the server says the
// teacher's allowance stands: "can_publish" of class.joined).

const root = document.querySelector("[data-online-class]");
const classId = Number(root?.dataset.class);
const teacher = root?.dataset.teacher === "1";
const statusLine = document.querySelector("[data-class-status]");
const videos = root?.querySelector("[data-class-videos]");
const selfView = root?.querySelector("[data-class-self]");
const people = root?.querySelector("[data-class-people]");
const chatLog = root?.querySelector("[data-class-chat]");
const chatForm = root?.querySelector("[data-class-chat-form]");
const handButton = root?.querySelector("[data-class-hand]");
const cameraButton = root?.querySelector("[data-class-camera]");
const screenButton = root?.querySelector("[data-class-screen]");

const FINAL_CLOSES = { 4401: "refused", 4403: "removed", 4404: "refused", 4410: "ended" };
const PING_MS = 25000;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 30000;

const text = (name) => root.dataset[`msg${name}`] || "";
const label = (name) => root.dataset[`label${name}`] || name;
// Events carry a name in Cyrillic and its Latin form (`<key>_en`): English pages show the Latin one.
const english = document.documentElement.lang === "en";
const nameIn = (data, key = "name") => (english && data[`${key}_en`]) || data[key] || "";

let socket = null;
let pc = null;
let me = null; // my user id, from class.joined
let labels = {}; // mid -> {participant, source}
let local = null; // my camera + microphone stream
let screen = null; // the teacher's shared screen
let handRaised = false;
let attempts = 0;
let pingTimer = null;
let stopped = false;
const roster = new Map(); // user id -> {name, hand_raised, allowed, teacher}

function say(message) {
  if (statusLine) statusLine.textContent = message;
}

function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

// --- media ------------------------------------------------------------------------

// Remove the videos and sounds whose mid `keep` refuses (all of them by default): their tracks are gone.
function dropTiles(keep = () => false) {
  for (const element of root.querySelectorAll("[data-class-videos] figure[data-mid], audio[data-mid]")) {
    if (!keep(element.dataset.mid)) element.remove();
  }
}

function newConnection(iceServers) {
  pc?.close();
  // A closed connection's tracks end without an "ended" event: their tiles go with it.
  dropTiles();
  labels = {};
  pc = new RTCPeerConnection({ iceServers });
  pc.onicecandidate = ({ candidate }) => {
    if (candidate) {
      send({ type: "signal", data: { type: "ice", candidate: candidate.candidate,
        sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex } });
    }
  };
  pc.ontrack = (event) => show(event.transceiver.mid, event.track);
  // The state of the media connection, on the page for whoever needs it (the browser tests wait on it).
  const current = pc;
  root.dataset.media = pc.connectionState;
  pc.onconnectionstatechange = () => {
    if (pc === current) root.dataset.media = current.connectionState;
  };
  return pc;
}

function tile(mid) {
  let figure = videos.querySelector(`[data-mid="${CSS.escape(mid)}"]`);
  if (!figure) {
    figure = document.createElement("figure");
    figure.dataset.mid = mid;
    videos.append(figure);
  }
  return figure;
}

function caption(mid) {
  const owner = labels[mid];
  if (!owner) return "";
  const who = roster.get(Number(owner.participant));
  const name = who ? who.name : "";
  return `${name}${who?.teacher ? ` (${label("Teacher")})` : ""} · ${owner.source === "screen" ? label("Screen") : label("Camera")}`;
}

function show(mid, track) {
  const stream = new MediaStream([track]);
  if (track.kind === "audio") {
    const audio = document.createElement("audio");
    audio.autoplay = true;
    audio.srcObject = stream;
    audio.dataset.mid = mid;
    root.append(audio);
    return;
  }
  const figure = tile(mid);
  figure.replaceChildren();
  const video = document.createElement("video");
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true; // the sound comes on its own audio track
  video.srcObject = stream;
  const under = document.createElement("figcaption");
  under.textContent = caption(mid);
  figure.append(video, under);
  track.onended = () => figure.remove();
  // Frames counted for the browser test (TC-8): a decodable video plays.
  video.requestVideoFrameCallback?.(function count() {
    figure.dataset.frames = String(Number(figure.dataset.frames || 0) + 1);
    video.requestVideoFrameCallback(count);
  });
}

function relabel() {
  for (const figure of videos.querySelectorAll("figure[data-mid]")) {
    const under = figure.querySelector("figcaption");
    if (under) under.textContent = caption(figure.dataset.mid);
  }
}

async function offer() {
  // Name what we send, so the server knows the camera from the screen.
  const sources = {};
  await pc.setLocalDescription(await pc.createOffer());
  for (const transceiver of pc.getTransceivers()) {
    const track = transceiver.sender.track;
    if (!track || transceiver.mid === null) continue;
    sources[transceiver.mid] = track.kind === "audio" ? "microphone" : track === screen?.getVideoTracks()[0] ? "screen" : "camera";
  }
  send({ type: "signal", data: { type: "offer", sdp: pc.localDescription.sdp, sources } });
}

async function onSignal(data) {
  if (data.tracks) {
    // The server sends its whole current map: a mid it no longer labels carried the
    // track of someone who left (or reconnected, whose new tracks come on new mids).
    labels = data.tracks;
    dropTiles((mid) => mid in labels);
  }
  if (data.type === "answer") {
    await pc.setRemoteDescription({ type: "answer", sdp: data.sdp });
  } else if (data.type === "offer") {
    await pc.setRemoteDescription({ type: "offer", sdp: data.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    send({ type: "signal", data: { type: "answer", sdp: pc.localDescription.sdp } });
  }
  relabel();
}

async function openCamera() {
  if (local) return true;
  try {
    local = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360, frameRate: 15 }, audio: true });
  } catch {
    say(text("NoMedia"));
    return false;
  }
  selfView.srcObject = local;
  selfView.hidden = false;
  for (const track of local.getTracks()) {
    // After closeCamera the old transceivers are still negotiated and the
    // server still relays what arrives on them: putting the new tracks back
    // there resumes everyone's video. New transceivers would be new sources
    // under the same names, which the server does not offer to the others.
    const idle = pc.getTransceivers().find(
      (t) => t.mid !== null && !t.sender.track && t.receiver.track.kind === track.kind && t.direction === "sendrecv",
    );
    if (idle) await idle.sender.replaceTrack(track);
    else pc.addTransceiver(track, { direction: "sendrecv" });
  }
  return true;
}

function closeCamera() {
  for (const track of local?.getTracks() || []) track.stop();
  // A closed connection (the class ended, the socket dropped) refuses replaceTrack.
  if (pc && pc.signalingState !== "closed") {
    for (const transceiver of pc.getTransceivers()) {
      if (local?.getTracks().includes(transceiver.sender.track)) {
        transceiver.sender.replaceTrack(null).catch(() => {});
      }
    }
  }
  local = null;
  if (selfView) selfView.hidden = true;
}

function sharing() {
  return screen?.getVideoTracks()[0]?.readyState === "live" ? screen.getVideoTracks()[0] : null;
}

async function startMedia(join) {
  newConnection(join.ice_servers || []);
  // The teacher publishes from the start; so does a student the teacher had
  // allowed before this (re)connect: the server kept the allowance.
  if (join.can_publish) await openCamera();
  // A screen shared before the socket dropped is still being captured: offer it again.
  if (teacher && sharing()) pc.addTransceiver(sharing(), { direction: "sendonly" });
  if (!teacher) {
    // Slots for what the teacher sends: camera, screen and microphone; the
    // server offers more (other students allowed to speak) when needed.
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
  }
  await offer();
}

// --- participants, hands, chat ---------------------------------------------------

function renderPeople() {
  if (!people) return;
  people.replaceChildren();
  for (const [id, who] of roster) {
    if (who.teacher) continue;
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.className = "oc-name";
    name.textContent = `${who.hand_raised ? "✋ " : ""}${who.name}`;
    item.append(name);
    for (const action of ["allow", "mute", "remove"]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label(action[0].toUpperCase() + action.slice(1));
      button.addEventListener("click", () => send({ type: action, user: id }));
      item.append(button);
    }
    people.append(item);
  }
}

function addMessage(message) {
  if (chatLog.querySelector(`[data-id="${message.id}"]`)) return;
  const line = document.createElement("p");
  line.dataset.id = message.id;
  const author = document.createElement("strong");
  author.textContent = `${nameIn(message, "author_name")}: `;
  line.append(author, document.createTextNode(message.text));
  chatLog.append(line);
  chatLog.scrollTop = chatLog.scrollHeight;
}

const handlers = {
  "class.joined": async (data) => {
    me = data.user;
    roster.clear();
    for (const who of data.participants) roster.set(who.user, { ...who, name: nameIn(who) });
    renderPeople();
    chatLog.replaceChildren();
    data.messages.forEach(addMessage);
    if (data.join.mode === "sfu") {
      say(text("Sfu"));
      return;
    }
    say(text("Connected"));
    await startMedia(data.join);
  },
  "class.signal": onSignal,
  "class.error": (data) => say(data.detail),
  "class.message": addMessage,
  "class.presence": (data) => {
    if (data.status === "joined") {
      roster.set(data.user, { name: nameIn(data), hand_raised: false, allowed: false, ...roster.get(data.user), teacher: Boolean(data.teacher) });
    } else {
      roster.delete(data.user);
      // Their tracks stopped with their connection; frozen tiles would look like a stalled video.
      dropTiles((mid) => labels[mid]?.participant !== String(data.user));
    }
    renderPeople();
    relabel();
  },
  "class.hand": (data) => {
    const who = roster.get(data.user);
    if (who) who.hand_raised = data.raised;
    if (teacher && data.raised) say(`${nameIn(data)} ${text("Hand")}`);
    renderPeople();
  },
  "class.moderated": async (data) => {
    const who = roster.get(data.user);
    if (who) who.allowed = data.action === "allow";
    renderPeople();
    if (data.user !== me) return;
    if (data.action === "allow") {
      say(text("Allowed"));
      handRaised = false;
      handButton?.setAttribute("aria-pressed", "false");
      if (await openCamera()) await offer();
    } else if (data.action === "mute") {
      say(text("Muted"));
      closeCamera();
    }
  },
  "class.ended": (data) => {
    say(text("Ended"));
    if (teacher && data.url) window.location.assign(data.url);
  },
};

// --- the socket -------------------------------------------------------------------

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${location.host}/ws/class/${classId}/`);
  say(text(attempts ? "Reconnecting" : "Connecting"));
  socket.onopen = () => {
    attempts = 0;
    clearInterval(pingTimer);
    pingTimer = setInterval(() => send({ type: "ping" }), PING_MS);
  };
  socket.onmessage = async (event) => {
    const message = JSON.parse(event.data);
    try {
      await handlers[message.type]?.(message.data || {});
    } catch (error) {
      console.error("online class:", error);
    }
  };
  socket.onclose = (event) => {
    clearInterval(pingTimer);
    const reason = FINAL_CLOSES[event.code];
    if (reason) {
      stopped = true;
      pc?.close();
      closeCamera();
      say(text(reason[0].toUpperCase() + reason.slice(1)));
      return;
    }
    if (stopped) return;
    // The server dropped its end of the media with the socket: start afresh
    // (the camera too: the next join opens it again on the new connection;
    // a shared screen keeps being captured and is offered again).
    pc?.close();
    closeCamera();
    attempts += 1;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts) * (0.5 + Math.random() / 2);
    say(text("Reconnecting"));
    setTimeout(connect, delay);
  };
}

if (root) {
  chatForm?.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = chatForm.elements.text;
    if (input.value.trim()) send({ type: "chat", text: input.value });
    input.value = "";
  });
  handButton?.addEventListener("click", () => {
    handRaised = !handRaised;
    handButton.setAttribute("aria-pressed", String(handRaised));
    send({ type: "hand", raised: handRaised });
  });
  cameraButton?.addEventListener("click", async () => {
    if (local) {
      closeCamera();
    } else if (await openCamera()) {
      await offer();
    }
  });
  screenButton?.addEventListener("click", async () => {
    if (screen) {
      for (const track of screen.getTracks()) track.stop();
      screen = null;
      return;
    }
    try {
      screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
    } catch {
      return;
    }
    const shared = screen;
    // Stopped from the browser's own "stop sharing" bar: not offered again on a reconnect.
    shared.getVideoTracks()[0].addEventListener("ended", () => {
      if (screen === shared) screen = null;
    });
    pc.addTransceiver(shared.getVideoTracks()[0], { direction: "sendonly" });
    await offer();
  });
  connect();
}

// The sandbox page: a small Discord client and a Reddit visitor. Everything goes through the stand-ins' endpoints
// (Discord REST with a user token, Reddit's public listing and the sandbox submit form); nothing talks to the bot.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { world: null, user: null, channels: [], channel: null, messages: new Map(), unread: new Map(), file: null, commands: [] };

async function discord(method, path, body) {
  const init = { method, headers: { Authorization: state.user.token } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(state.world.discord.api + path, init);
  if (!response.ok) {
    let message = `${response.status}`;
    try { message = (await response.json()).message || message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

// ---- channels and messages ----

async function loadChannels() {
  state.channels = await discord("GET", `/guilds/${state.world.discord.guild_id}/channels`);
  renderChannels();
  if (!state.channel) await selectChannel(state.channels[0].id);
}

function renderChannels() {
  const list = $("channels");
  list.replaceChildren(...state.channels.map((c) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.channel = c.name;
    button.setAttribute("aria-current", String(c.id === state.channel));
    const name = document.createElement("span");
    name.textContent = `# ${c.name}`;
    button.append(name);
    const unread = state.unread.get(c.id) || 0;
    if (unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(unread);
      badge.setAttribute("aria-label", `${unread} new`);
      button.append(badge);
    }
    button.addEventListener("click", () => selectChannel(c.id));
    item.append(button);
    return item;
  }));
}

async function selectChannel(id) {
  state.channel = id;
  state.unread.delete(id);
  const channel = state.channels.find((c) => c.id === id);
  $("channel-name").textContent = `# ${channel.name}`;
  $("channel-topic").textContent = channel.topic;
  renderChannels();
  state.messages.clear();
  $("messages").replaceChildren();
  const messages = await discord("GET", `/channels/${id}/messages?limit=100`);
  for (const m of messages.reverse()) upsert(m);
}

function upsert(message) {
  if (message.channel_id !== state.channel) return;
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const element = renderMessage(message);
  const old = state.messages.get(message.id);
  if (old) old.replaceWith(element);
  else {
    const after = [...state.messages.keys()].map(BigInt).filter((k) => k > BigInt(message.id)).sort((a, b) => (a < b ? -1 : 1))[0];
    if (after !== undefined) state.messages.get(String(after)).before(element);
    else list.append(element);
  }
  state.messages.set(message.id, element);
  if (atBottom || !old) list.scrollTop = list.scrollHeight;
}

// An image that finishes loading grows the list; keep the newest message in view when we were showing it.
function stickToBottom() {
  const list = $("messages");
  if (list.scrollHeight - list.scrollTop - list.clientHeight < 400) list.scrollTop = list.scrollHeight;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

// Discord's markdown, the little the bot uses: **bold** and `code`.
function markdown(text) {
  const out = document.createDocumentFragment();
  for (const part of text.split(/(\*\*[^*]+\*\*|`[^`]+`)/)) {
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) out.append(el("strong", "", part.slice(2, -2)));
    else if (part.startsWith("`") && part.endsWith("`") && part.length > 2) out.append(el("code", "", part.slice(1, -1)));
    else if (part) out.append(document.createTextNode(part));
  }
  return out;
}

function renderMessage(m) {
  const item = el("li", "message");
  item.dataset.id = m.id;
  const isBot = !!m.author.bot;
  const role = isBot ? "bot" : (m.author.id === operator().id ? "operator" : "member");
  item.dataset.author = role;
  const avatar = el("div", `avatar ${role}`, (m.author.global_name || m.author.username || "?")[0].toUpperCase());
  avatar.setAttribute("aria-hidden", "true");
  const body = el("div", "body");
  if (m.message_reference) {
    const target = state.messages.get(m.message_reference.message_id);
    body.append(el("div", "context", `↪ replying to ${target ? target.querySelector(".author").textContent : "a message"}`));
  }
  if (m.interaction_metadata) body.append(el("div", "context", `↪ ${m.interaction_metadata.user.username} used /${m.interaction_metadata.name}`));
  const meta = el("div", "meta");
  meta.append(el("span", "author", m.author.global_name || m.author.username));
  if (isBot) meta.append(el("span", "tag", "BOT"));
  const time = el("time", "", new Date(m.timestamp).toLocaleTimeString());
  time.dateTime = m.timestamp;
  meta.append(time);
  body.append(meta);
  if ((m.flags & 128) !== 0) body.append(el("div", "thinking", `${m.author.username} is thinking…`));
  if (m.content) { const c = el("div", "content"); c.append(markdown(m.content)); body.append(c); }
  const embedImages = new Set((m.embeds || []).map((e) => e.image && e.image.url).filter(Boolean));
  for (const a of m.attachments || []) {
    if (embedImages.has(a.url)) continue;
    if ((a.content_type || "").startsWith("image/")) {
      const figure = el("div", "attachment");
      const img = el("img");
      img.src = a.url;
      img.alt = a.filename;
      img.addEventListener("load", stickToBottom);
      figure.append(img);
      body.append(figure);
    } else body.append(el("div", "attachment", `📎 ${a.filename}`));
  }
  for (const e of m.embeds || []) body.append(renderEmbed(e));
  if ((m.flags & 64) !== 0) body.append(el("div", "ephemeral", "Only you can see this"));
  if (m.reactions && m.reactions.length) {
    const row = el("div", "reactions");
    for (const r of m.reactions) {
      const b = el("button", "reaction", `${r.emoji.name} ${r.count}`);
      b.type = "button";
      b.dataset.emoji = r.emoji.name;
      b.setAttribute("aria-pressed", String(r.me));
      b.setAttribute("aria-label", `${r.emoji.name}: ${r.count}; ${r.me ? "remove your reaction" : "add your reaction"}`);
      b.addEventListener("click", () => toggleReaction(m, r).catch(showError));
      row.append(b);
    }
    body.append(row);
  }
  item.append(avatar, body);
  return item;
}

function renderEmbed(e) {
  const box = el("div", "embed");
  if (e.color !== undefined && e.color !== null) box.style.borderLeftColor = `#${e.color.toString(16).padStart(6, "0")}`;
  if (e.title) box.append(el("div", "embed-title", e.title));
  if (e.description) { const d = el("div", "embed-description"); d.append(markdown(e.description)); box.append(d); }
  if (e.fields && e.fields.length) {
    const fields = el("div", "embed-fields");
    for (const f of e.fields) {
      const field = el("div", f.inline ? "embed-field" : "embed-field wide");
      field.append(el("b", "", f.name));
      const v = el("span");
      v.append(markdown(f.value));
      field.append(v);
      fields.append(field);
    }
    box.append(fields);
  }
  if (e.image && e.image.url) {
    const img = el("img", "embed-image");
    img.src = e.image.url;
    img.alt = e.title ? `${e.title}: image` : "embedded image";
    img.addEventListener("load", stickToBottom);
    box.append(img);
  }
  if (e.footer && e.footer.text) box.append(el("div", "embed-footer", e.footer.text));
  return box;
}

async function toggleReaction(m, r) {
  const path = `/channels/${m.channel_id}/messages/${m.id}/reactions/${encodeURIComponent(r.emoji.name)}/@me`;
  await discord(r.me ? "DELETE" : "PUT", path);
}

function listen() {
  const feed = new EventSource(state.world.discord.feed);
  feed.addEventListener("message", async (event) => {
    const notice = JSON.parse(event.data);
    if (notice.channel_id === state.channel) {
      try { upsert(await discord("GET", `/channels/${notice.channel_id}/messages/${notice.message_id}`)); }
      catch { /* an ephemeral message for someone else */ }
    } else if (state.channels.some((c) => c.id === notice.channel_id) && !state.messages.has(notice.message_id)) {
      state.unread.set(notice.channel_id, (state.unread.get(notice.channel_id) || 0) + 1);
      renderChannels();
    }
  });
}

// ---- the composer: messages, photos, slash commands ----

function attach(file) {
  if (!file) return;
  if (!file.type.startsWith("image/")) { showError(`${file.name} is not an image.`); return; }
  state.file = file;
  $("pending-name").textContent = `📎 ${file.name}`;
  $("pending").hidden = false;
  $("composer-input").focus();
}

function clearAttachment() {
  state.file = null;
  $("pending").hidden = true;
  $("file-input").value = "";
}

function showError(error) {
  $("composer-error").textContent = error instanceof Error ? error.message : String(error);
}

async function send(event) {
  event.preventDefault();
  showError("");
  const input = $("composer-input");
  const text = input.value.trim();
  const file = state.file;
  if (!text && !file) return;
  const form = new FormData();
  if (text.startsWith("/")) {
    const name = text.slice(1).split(/\s+/)[0];
    const options = [];
    if (file) { options.push({ type: 11, name: "image", value: "0" }); form.append("files[0]", file, file.name); }
    else if (name === "classify") { showError("Attach a photo to /classify (＋, drop or paste)."); return; }
    form.append("payload_json", JSON.stringify({
      type: 2, application_id: state.world.discord.application_id, guild_id: state.world.discord.guild_id, channel_id: state.channel,
      data: { name, type: 1, options },
    }));
    await discord("POST", "/interactions", form);
  } else {
    form.append("payload_json", JSON.stringify({ content: text, attachments: file ? [{ id: "0", filename: file.name }] : [] }));
    if (file) form.append("files[0]", file, file.name);
    await discord("POST", `/channels/${state.channel}/messages`, form);
  }
  input.value = "";
  clearAttachment();
}

async function loadCommands() {
  try {
    const index = await discord("GET", `/guilds/${state.world.discord.guild_id}/application-command-index`);
    const list = $("commands");
    list.replaceChildren(...index.application_commands.map((c) => { const o = el("option"); o.value = `/${c.name}`; o.label = c.description; return o; }));
    return index.application_commands.length > 0;
  } catch { return false; }
}

function wireComposer() {
  $("composer").addEventListener("submit", (e) => send(e).catch(showError));
  $("file-input").addEventListener("change", (e) => attach(e.target.files[0]));
  $("pending-remove").addEventListener("click", clearAttachment);
  document.addEventListener("paste", (e) => {
    const file = [...(e.clipboardData ? e.clipboardData.files : [])].find((f) => f.type.startsWith("image/"));
    if (file) { e.preventDefault(); attach(file); }
  });
  const chat = $("chat");
  chat.addEventListener("dragover", (e) => { e.preventDefault(); $("drop-hint").hidden = false; });
  chat.addEventListener("dragleave", (e) => { if (e.target === chat || !chat.contains(e.relatedTarget)) $("drop-hint").hidden = true; });
  chat.addEventListener("drop", (e) => { e.preventDefault(); $("drop-hint").hidden = true; attach(e.dataTransfer.files[0]); });
  for (const radio of document.querySelectorAll("input[name=role]"))
    radio.addEventListener("change", () => switchUser(radio.value));
  $("toggle-reddit").addEventListener("click", () => {
    const open = $("reddit").classList.toggle("open");
    $("toggle-reddit").setAttribute("aria-expanded", String(open));
  });
}

function operator() { return state.world.users.find((u) => u.role === "operator"); }

async function switchUser(role) {
  state.user = state.world.users.find((u) => u.role === role);
  if (state.channel) await selectChannel(state.channel);
}

// ---- the sandbox's own progress (first training) ----

async function pollStatus() {
  try {
    const s = await (await fetch("/sandbox/status")).json();
    const banner = $("status");
    banner.className = `status ${s.phase}`;
    $("status-message").textContent = s.message;
    $("status-line").textContent = s.phase === "training" && s.lines.length ? s.lines[s.lines.length - 1] : "";
    if (s.phase === "ready" && state.commands.length === 0) state.commands = (await loadCommands()) ? ["loaded"] : [];
    setTimeout(pollStatus, s.phase === "ready" ? 10000 : 1500);
  } catch { setTimeout(pollStatus, 3000); }
}

// ---- the subreddit panel ----

let postsTimer;
async function loadPosts() {
  clearTimeout(postsTimer);
  const sub = $("subreddit").value;
  try {
    const listing = await (await fetch(`${state.world.reddit.www}/r/${encodeURIComponent(sub)}/new.json?limit=25&raw_json=1`)).json();
    $("posts").replaceChildren(...listing.data.children.map(({ data: p }) => {
      const item = el("li", "post");
      const img = el("img");
      const preview = p.preview && p.preview.images[0] && p.preview.images[0].source.url;
      img.src = preview || p.url;
      img.alt = "";
      const text = el("div");
      text.append(el("div", "title", p.title));
      const seen = p.sandbox_delivered_utc;
      text.append(el("div", seen ? "state seen" : "state", seen
        ? `picked up by the bot at ${new Date(seen * 1000).toLocaleTimeString()}`
        : "waiting for the scanner…"));
      item.append(img, text);
      return item;
    }));
  } catch { /* the next poll retries */ }
  postsTimer = setTimeout(loadPosts, 2500);
}

async function redditForm(path, fields) {
  const form = new FormData();
  form.append("subreddit", $("subreddit").value);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const response = await fetch(`${state.world.reddit.sandbox}${path}`, { method: "POST", body: form });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || String(response.status));
  return body;
}

function wireReddit() {
  $("subreddit").replaceChildren(...state.world.reddit.subreddits.map((s) => { const o = el("option", "", s); o.value = s; return o; }));
  $("subreddit").addEventListener("change", loadPosts);
  $("reddit-submit").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("reddit-file").files[0];
    if (!file) return;
    try {
      await redditForm("/submit", { title: $("reddit-title").value, file });
      $("reddit-message").textContent = "Posted.";
      e.target.reset();
      loadPosts();
    } catch (error) { $("reddit-message").textContent = error.message; }
  });
  $("reddit-feed").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await redditForm("/feed", { folder: $("reddit-folder").value, every: $("reddit-every").value });
      $("reddit-message").textContent = `Posting ${r.count} photos from ${r.folder}.`;
    } catch (error) { $("reddit-message").textContent = error.message; }
  });
  loadPosts();
}

async function main() {
  state.world = await (await fetch("/sandbox/world")).json();
  state.user = state.world.users.find((u) => u.role === "member");
  wireComposer();
  wireReddit();
  listen();
  pollStatus();
  await loadChannels();
}

main().catch(showError);

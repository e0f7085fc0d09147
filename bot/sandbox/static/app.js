// The page: who you act as, the sidebar, the open conversation or Home tab, the message
// box, the clock, and live updates by long-polling the fake Slack's event log.
"use strict";

const App = {
  info: null,
  me: null,
  channel: null,
  state: null,
  seq: 0,
  loading: null,

  async start() {
    this.info = await getJson("/sandbox/info");
    while (!this.info.ready) {
      if (this.info.error) return showStarting(this.info.error);
      await sleep(200);
      this.info = await getJson("/sandbox/info");
    }
    document.getElementById("starting").hidden = true;
    document.getElementById("workspace-name").textContent = this.info.team;
    document.getElementById("folder").textContent = `Data: ${this.info.folder}`;
    this.people = Object.fromEntries(this.info.people.map((p) => [p.id, p]));
    const saved = localStorage.getItem("perkbot-sandbox-user");
    this.me = this.people[saved] ? saved : this.info.people.find((p) => p.role === "rep").id;
    this.wire();
    this.fillSwitcher();
    await this.actAs(this.me);
    this.listen();
  },

  wire() {
    document.getElementById("acting-as").addEventListener("change", (ev) => this.actAs(ev.target.value));
    document.getElementById("home-tab").addEventListener("click", () => this.open("home"));
    document.getElementById("composer").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const box = document.getElementById("message-box");
      const text = box.value.trim();
      if (!text) return;
      box.value = "";
      this.post("send", { channel: this.channel, text });
    });
    document.querySelectorAll("[data-advance-hours], [data-advance-days]").forEach((b) =>
      b.addEventListener("click", () => this.advance({
        hours: Number(b.dataset.advanceHours || 0), days: Number(b.dataset.advanceDays || 0) })));
    document.getElementById("clock-until").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const until = document.getElementById("clock-date").value;
      if (until) this.advance({ until });
    });
    document.getElementById("sample-data").addEventListener("click", () => this.busy(
      "Adding sample data…", () => this.post("sample", {})));
  },

  fillSwitcher() {
    const select = document.getElementById("acting-as");
    select.replaceChildren(...this.info.people.map((p) =>
      el("option", { value: p.id }, `${p.real_name} — ${p.role}`)));
  },

  async actAs(userId) {
    this.me = userId;
    localStorage.setItem("perkbot-sandbox-user", userId);
    document.getElementById("acting-as").value = userId;
    const person = this.people[userId];
    document.getElementById("role-line").textContent = `${person.role} · ${person.tz}`;
    ModalLayer.render(null);
    this.channel = null;
    await this.refresh();
    const dm = this.state.channels.find((c) => c.kind === "dm");
    await this.open(dm ? dm.id : "home");
  },

  async open(channelId) {
    this.channel = channelId;
    if (channelId === "home") await this.post("home", {});
    await this.refresh();
    document.getElementById("message-box").focus();
  },

  // One fetch of everything this person sees; overlapping calls collapse into one more.
  async refresh() {
    if (this.loading) { this.again = true; return this.loading; }
    this.loading = (async () => {
      do {
        this.again = false;
        const query = new URLSearchParams({ user: this.me, channel: this.channel || "" });
        this.state = await getJson(`/sandbox/state?${query}`);
        this.draw();
      } while (this.again);
    })();
    try { await this.loading; } finally { this.loading = null; }
  },

  async listen() {
    for (;;) {
      try {
        const answer = await getJson(`/sandbox/events?after=${this.seq}`);
        if (answer.seq !== this.seq) {
          this.seq = answer.seq;
          await this.refresh();
        }
        this.drawClock(answer.now);
      } catch (err) {
        await sleep(1000);
      }
    }
  },

  context(extra) {
    const channels = Object.fromEntries(this.state.channels.map((c) => [c.id, c]));
    return {
      people: this.people, channels, tz: this.people[this.me].tz,
      act: (element, block, value) => this.act(element, block, value, extra),
      suggest: (element, query, blockId) => this.post("suggest",
        { view: extra.viewId, action_id: element.action_id, block_id: blockId, query }),
      ...extra,
    };
  },

  act(element, block, value, where) {
    const values = where.inputs ? readValues(where.inputs) : undefined;
    return this.post("click", { source: where.source, action_id: element.action_id,
      block_id: block.block_id, value, values });
  },

  closeModal(viewId) { return this.post("close", { view: viewId }); },

  async submitModal(viewId, values) {
    const answer = await this.post("submit", { view: viewId, values });
    if (answer && answer.errors) showErrors(document.getElementById("modal-layer"), answer.errors);
  },

  async advance(span) {
    await this.busy("Advancing the clock and running the scheduled jobs…", () => this.post("clock", span));
  },

  async busy(text, work) {
    toast(text, true);
    try { await work(); } finally { toast(null); }
    await this.refresh();
  },

  async post(name, body) {
    const answer = await postJson(`/sandbox/${name}`, { user: this.me, ...body });
    if (answer.problems && answer.problems.length) toast(answer.problems.join(" "));
    return answer;
  },

  draw() {
    const s = this.state;
    this.drawSidebar(s.channels);
    this.drawClock(s.now);
    if (s.channel === "home") this.drawHome(s.home);
    else this.drawConversation(s.messages || []);
    ModalLayer.render(s.modal, s.modal_depth, this);
  },

  drawSidebar(channels) {
    const item = (c) => el("button", { class: `nav-item ${c.id === this.channel ? "active" : ""}`,
      "data-channel": c.id, onclick: () => this.open(c.id) }, c.kind === "dm" ? `💬 ${c.name}` : `# ${c.name}`);
    document.getElementById("channel-list").replaceChildren(...channels.filter((c) => c.kind === "channel").map(item));
    document.getElementById("dm-list").replaceChildren(...channels.filter((c) => c.kind === "dm").map(item));
    document.getElementById("home-tab").classList.toggle("active", this.channel === "home");
    const current = channels.find((c) => c.id === this.channel);
    document.getElementById("conversation-title").textContent =
      this.channel === "home" ? "Perkbot · Home" : current ? (current.kind === "dm" ? "Perkbot" : `#${current.name}`) : "";
    document.getElementById("composer").hidden = this.channel === "home";
  },

  drawClock(now) {
    if (!now) return;
    const tz = this.people[this.me].tz;
    const text = new Intl.DateTimeFormat("en-US", { weekday: "short", month: "short", day: "numeric",
      year: "numeric", hour: "numeric", minute: "2-digit", timeZone: tz, timeZoneName: "short" })
      .format(new Date(now * 1000));
    document.getElementById("clock-now").textContent = text;
  },

  drawHome(home) {
    const box = document.getElementById("conversation");
    if (!home) return box.replaceChildren(el("p", { class: "empty" }, "Opening Home…"));
    const ctx = this.context({ source: { view: home.id } });
    box.replaceChildren(el("div", { class: "home", "data-view-id": home.id }, renderBlocks(home.blocks, ctx)));
  },

  drawConversation(messages) {
    const box = document.getElementById("conversation");
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    box.replaceChildren(...messages.map((m) => this.drawMessage(m)));
    if (!messages.length) box.append(el("p", { class: "empty" }, "Nothing here yet. Try /perk help."));
    if (atBottom || this.lastChannel !== this.channel) box.scrollTop = box.scrollHeight;
    this.lastChannel = this.channel;
  },

  drawMessage(m) {
    const who = m.bot ? "Perkbot" : (this.people[m.user] || { real_name: m.user }).real_name;
    const source = { channel: this.channel, ts: m.ts, ephemeral: m.ephemeral };
    const ctx = this.context({ source });
    const when = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit",
      month: "short", day: "numeric", timeZone: this.people[this.me].tz }).format(new Date(Number(m.ts) * 1000));
    const body = m.blocks && m.blocks.length ? renderBlocks(m.blocks, ctx) : el("div", { class: "text", html: mrkdwn(m.text, ctx) });
    return el("article", { class: `message ${m.ephemeral ? "ephemeral" : ""}`, "data-ts": m.ts },
      el("div", { class: "meta" },
        el("strong", {}, who), m.bot ? el("span", { class: "app-badge" }, "APP") : null,
        el("time", {}, when), m.edited ? el("span", { class: "edited" }, "(edited)") : null,
        m.ephemeral ? el("span", { class: "only-you" }, "👁 Only visible to you") : null,
        m.ephemeral ? null : this.messageMenu(m)),
      body,
      (m.files || []).map((f) => el("a", { class: "file", href: `/sandbox/file/${encodeURIComponent(f.id)}`,
        download: f.name }, `📎 ${f.title}`)));
  },

  // A message's "More actions" menu: the app's message shortcuts, as in Slack.
  messageMenu(m) {
    const menu = el("div", { class: "menu", role: "menu", hidden: true });
    for (const s of this.info.shortcuts) {
      menu.append(el("button", { type: "button", role: "menuitem", onclick: () => {
        menu.hidden = true;
        this.post("shortcut", { channel: this.channel, ts: m.ts, callback_id: s.callback_id });
      } }, s.name));
    }
    const toggle = el("button", { type: "button", class: "message-actions", "aria-label": "More actions",
      onclick: () => { menu.hidden = !menu.hidden; } }, "⋮");
    return el("span", { class: "overflow-wrap" }, toggle, menu);
  },
};

function sleep(ms) { return new Promise((done) => setTimeout(done, ms)); }

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  return response.json();
}

async function postJson(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) });
  return response.json();
}

function toast(text, sticky) {
  const node = document.getElementById("toast");
  clearTimeout(toast.timer);
  node.hidden = !text;
  node.textContent = text || "";
  if (text && !sticky) toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
}

function showStarting(text) {
  document.getElementById("starting").textContent = text;
}

App.start();

// Console panels: tabs, traffic lights, terminal health with help requests (and their
// sound), counters, and statistics with charts and CSV.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const P = { terminals: [], poll: null, alarm: null, audio: null, soundBlocked: false };
  const isSupervisor = () => BT.state.me && (BT.state.me.role === "supervisor" || BT.state.me.role === "admin");

  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t === tab);
      for (const v of document.querySelectorAll(".view")) v.classList.toggle("hidden", v.id !== tab.dataset.view);
      if (tab.dataset.view === "view-stats") loadStats();
      if (tab.dataset.view === "view-settings") BT.renderSettings();
    });
  }

  BT.renderLights = function () {
    const list = $("lights");
    list.replaceChildren();
    const q = BT.state.queue;
    if (!q) return;
    for (const l of q.lights) {
      const li = BT.el("li", "light-row");
      li.dataset.service = l.service_id;
      li.append(BT.el("span", "light light-" + l.light), BT.el("span", "light-name", BT.serviceName(l.service_id)),
        BT.el("span", "light-count", `${l.waiting} ${BT.t("lights.waiting")}`));
      list.append(li);
    }
  };

  function problemText(p) {
    const device = BT.t("device." + p.device);
    const state = BT.t("problem." + p.state);
    return p.device === "terminal" ? state : `${device}: ${state}`;
  }

  BT.renderTerminals = function () {
    const box = $("terminals");
    box.replaceChildren();
    for (const t of P.terminals) {
      const card = BT.el("div", "terminal " + (t.online ? "online" : "offline") + (t.problems.some((p) => p.severity === "error") ? " faulty" : ""));
      card.dataset.terminal = t.id;
      const head = BT.el("div", "terminal-head");
      head.append(BT.el("strong", "", t.name), BT.el("span", "badge " + (t.online ? "ok" : "bad"), BT.t(t.online ? "terminals.online" : "terminals.offline")));
      card.append(head);
      const problems = BT.el("ul", "problems");
      for (const p of t.problems) problems.append(BT.el("li", "problem " + p.severity, problemText(p)));
      if (!t.problems.length) problems.append(BT.el("li", "fine", BT.t("terminals.ok")));
      card.append(problems);
      card.append(BT.el("div", "meta", `${BT.t("terminals.last")}: ${t.last_heartbeat ? BT.time(t.last_heartbeat) : "–"} · ${BT.t("terminals.version")} ${t.app_version || "–"} · ${BT.t("terminals.config")} ${t.config_version || "–"}`));
      if (t.lock) card.append(BT.el("div", "locked", `${BT.t("terminals.locked")}: „${t.lock.message}“`));
      if (isSupervisor()) card.append(lockControls(t));
      box.append(card);
    }
    renderHelp();
  };

  function lockControls(t) {
    const form = BT.el("form", "lock-form");
    if (t.lock) {
      const b = BT.el("button", "", BT.t("terminals.unlock"));
      b.type = "submit";
      form.append(b);
      form.addEventListener("submit", (e) => { e.preventDefault(); post(`/api/v1/staff/console/terminals/${t.id}/unlock`); });
    } else {
      const input = BT.el("input");
      input.maxLength = 200;
      input.required = true;
      input.placeholder = BT.t("terminals.lock_message");
      const b = BT.el("button", "", BT.t("terminals.lock"));
      b.type = "submit";
      form.append(input, b);
      form.addEventListener("submit", (e) => { e.preventDefault(); post(`/api/v1/staff/console/terminals/${t.id}/lock`, { message: input.value }); });
    }
    return form;
  }

  async function post(path, body) {
    try { await BT.call("POST", path, body || {}); await BT.loadTerminals(); } catch (e) { BT.showError(e); }
  }

  function renderHelp() {
    const box = $("help-alerts");
    box.replaceChildren();
    const open = P.terminals.filter((t) => t.help);
    for (const t of open) {
      const alert = BT.el("div", "help-alert" + (t.help.acknowledged ? " acked" : ""));
      alert.dataset.terminal = t.id;
      alert.append(BT.el("strong", "", `${BT.t("help.at")} ${t.name}`));
      if (t.help.acknowledged) alert.append(BT.el("span", "", ` – ${BT.t("help.acked")} ${t.help.acknowledged_by}`));
      else {
        const b = BT.el("button", "primary help-ack", BT.t("help.ack"));
        b.type = "button";
        b.addEventListener("click", () => post(`/api/v1/staff/console/terminals/${t.id}/help-ack`));
        alert.append(b);
      }
      box.append(alert);
    }
    if (P.soundBlocked && open.some((t) => !t.help.acknowledged)) {
      const b = BT.el("button", "sound-enable", BT.t("sound.enable"));
      b.type = "button";
      b.addEventListener("click", () => { P.soundBlocked = false; ring(); renderHelp(); });
      box.append(b);
    }
    const ringing = open.some((t) => !t.help.acknowledged);
    document.body.classList.toggle("help-ringing", ringing);
    if (ringing && !P.alarm) { ring(); P.alarm = setInterval(ring, 4000); }
    if (!ringing && P.alarm) { clearInterval(P.alarm); P.alarm = null; }
  }

  function ring() {
    if (!P.audio) P.audio = new Audio("/assets/alert.wav");
    P.audio.currentTime = 0;
    const played = P.audio.play();
    if (played && played.catch) played.catch(() => { if (!P.soundBlocked) { P.soundBlocked = true; renderHelp(); } });
  }

  async function loadCounters() {
    try {
      const counters = await BT.call("GET", "/api/v1/staff/console/counters");
      const list = $("counters");
      list.replaceChildren();
      for (const c of counters) {
        const li = BT.el("li", "counter-row" + (c.staff.length ? " staffed" : ""));
        li.dataset.counter = c.id;
        li.append(BT.el("strong", "", c.name), BT.el("span", "", c.staff.length ? c.staff.join(", ") : BT.t("counters.free")));
        list.append(li);
      }
    } catch (e) { if (e.status === 401) BT.sessionEnded(); }
  }
  BT.loadCounters = loadCounters;

  BT.loadTerminals = async function () {
    try {
      P.terminals = await BT.call("GET", "/api/v1/staff/console/terminals");
      BT.renderTerminals();
    } catch (e) { if (e.status === 401) BT.sessionEnded(); else BT.showError(e); }
  };

  async function loadStats() {
    const from = $("stats-from").value;
    const to = $("stats-to").value;
    const query = new URLSearchParams();
    if (from) query.set("from", from);
    if (to) query.set("to", to);
    const qs = query.toString() ? "?" + query.toString() : "";
    $("stats-csv").href = "/api/v1/staff/console/stats.csv" + qs;
    try {
      const s = await BT.call("GET", "/api/v1/staff/console/stats" + qs);
      if (!from) $("stats-from").value = s.from;
      if (!to) $("stats-to").value = s.to;
      const dl = $("stats-summary");
      dl.replaceChildren();
      const min = (v) => (v === null || v === undefined ? "–" : `${v.toFixed(1)} ${BT.t("stats.minutes")}`);
      const pct = (v) => (v === null || v === undefined ? "–" : `${Math.round(v * 100)} %`);
      for (const [k, v] of [["stats.tickets", s.tickets], ["stats.finished", s.finished], ["stats.no_shows", s.no_shows],
        ["stats.mean_wait", min(s.mean_wait_minutes)], ["stats.estimate_error", min(s.estimate_mean_abs_error_minutes)],
        ["stats.within", pct(s.estimate_within_range)]]) {
        const div = BT.el("div", "figure");
        div.append(BT.el("dt", "", BT.t(k)), BT.el("dd", "", v));
        dl.append(div);
      }
      const charts = $("stats-charts");
      charts.replaceChildren();
      for (const c of ["hourly", "waits", "processing"]) {
        const img = BT.el("img", "chart");
        img.alt = c;
        // Answers are never cached, and the element is new: the chart is fetched afresh.
        img.src = `/api/v1/staff/console/stats/charts/${c}${qs}`;
        charts.append(img);
      }
    } catch (e) { BT.showError(e); }
  }
  $("stats-form").addEventListener("submit", (e) => { e.preventDefault(); loadStats(); });

  BT.startPanels = function () {
    BT.loadTerminals();
    loadCounters();
    // Heartbeats that stop produce no event, nor does a colleague taking a counter: look again
    // every few seconds.
    clearInterval(P.poll);
    P.poll = setInterval(() => { BT.loadTerminals(); loadCounters(); }, 4000);
  };
  BT.stopPanels = function () {
    clearInterval(P.poll);
    P.poll = null;
    if (P.alarm) { clearInterval(P.alarm); P.alarm = null; }
  };
})();

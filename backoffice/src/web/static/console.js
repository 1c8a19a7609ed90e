// The staff console: login, counter, the live queue with its actions and keyboard shortcuts.
// Panels (terminals, help, lights, statistics, settings) live in console-panels.js.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const S = (BT.state = { me: null, services: [], queue: null, selected: null, stream: null });
  const ACTIONS_BY_STATUS = {
    waiting: ["call", "cancel"],
    forwarded: ["call", "cancel"],
    parked: ["unpark", "cancel"],
    called: ["recall", "start", "no_show", "park", "finish"],
    in_service: ["park", "forward", "finish"],
  };

  function serviceName(id) {
    const s = S.services.find((x) => x.id === id);
    return s ? s.names[BT.lang] || s.names.de : id;
  }
  BT.serviceName = serviceName;

  function counterName(id) {
    const c = S.me && S.me.counters.find((x) => x.id === id);
    return c ? c.name : id || "";
  }

  function showError(err) {
    const key = err && err.code ? "error." + err.code : null;
    const text = key && BT.t(key) !== key ? BT.t(key) : (err && err.message) || String(err);
    $("action-error").textContent = text;
    clearTimeout(showError.timer);
    showError.timer = setTimeout(() => ($("action-error").textContent = ""), 6000);
  }
  BT.showError = showError;

  BT.toast = function (text) {
    const t = $("toast");
    t.textContent = text;
    t.classList.remove("hidden");
    clearTimeout(BT.toast.timer);
    BT.toast.timer = setTimeout(() => t.classList.add("hidden"), 4000);
  };

  async function act(id, action, body) {
    try {
      await BT.call("POST", `/api/v1/staff/tickets/${id}/${action}`, body || {});
      await loadQueue();
    } catch (e) { handleAuth(e); }
  }

  async function callNext() {
    try {
      const t = await BT.call("POST", "/api/v1/staff/call-next", {});
      BT.toast(`${t.display_number} ${BT.t("toast.called")} ${counterName(t.counter_id)}`);
      await loadQueue();
    } catch (e) { handleAuth(e); }
  }

  function myTicket() {
    if (!S.queue || !S.me || !S.me.counter_id) return null;
    return S.queue.tickets.find((t) => t.counter_id === S.me.counter_id && (t.status === "called" || t.status === "in_service")) || null;
  }

  function actionButton(ticket, action) {
    const b = BT.el("button", "action action-" + action, BT.t("action." + action));
    b.type = "button";
    b.dataset.action = action;
    // Cancelling takes a visitor out of the queue: it needs a second click within 4 s (kept
    // across re-renders of the table).
    const armed = action === "cancel" && S.armedCancel && S.armedCancel.id === ticket.id && Date.now() < S.armedCancel.until;
    if (armed) b.textContent = BT.t("action.cancel_confirm");
    b.addEventListener("click", () => {
      if (action === "forward") return forward(ticket);
      if (action === "cancel" && !armed) {
        S.armedCancel = { id: ticket.id, until: Date.now() + 4000 };
        setTimeout(renderQueue, 4100);
        return renderQueue();
      }
      S.armedCancel = null;
      act(ticket.id, action);
    });
    return b;
  }

  function forward(ticket) {
    const select = $("forward-select");
    if (!select || !select.value) { if (select) select.focus(); return; }
    act(ticket.id, "forward", { service_id: select.value });
  }

  function renderMine() {
    const box = $("mine");
    box.replaceChildren();
    const t = myTicket();
    if (!t) { box.append(BT.el("p", "muted", BT.t("mine.none"))); return; }
    const head = BT.el("div", "mine-head");
    head.append(BT.el("span", "mine-number", t.display_number), BT.el("span", "mine-service", serviceName(t.service_id)),
      BT.el("span", "status status-" + t.status, BT.t("status." + t.status)));
    const buttons = BT.el("div", "mine-actions");
    for (const a of ["recall", "start", "no_show", "park", "finish"]) {
      if ((ACTIONS_BY_STATUS[t.status] || []).includes(a)) buttons.append(actionButton(t, a));
    }
    const select = BT.el("select");
    select.id = "forward-select";
    select.append(new Option(BT.t("mine.forward_to"), ""));
    for (const s of S.services) if (s.id !== t.service_id) select.append(new Option(serviceName(s.id), s.id));
    buttons.append(select, actionButton(t, "forward"));
    box.append(head, buttons);
  }

  // "13:46 (12 Min.)": when the visitor joined the queue and how long ago.
  function since(iso) {
    if (!iso) return "";
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return `${BT.time(iso)} (${minutes} ${BT.t("stats.minutes")})`;
  }

  function renderQueue() {
    const body = $("queue-body");
    body.replaceChildren();
    if (!S.queue) return;
    const filter = $("service-filter").value;
    for (const t of S.queue.tickets) {
      if (filter && t.service_id !== filter) continue;
      const tr = BT.el("tr", "status-" + t.status + (S.selected === t.id ? " selected" : ""));
      tr.dataset.id = t.id;
      tr.dataset.number = t.display_number;
      const wait = t.wait_minutes ? `${t.wait_minutes[0]}–${t.wait_minutes[1]} ${BT.t("stats.minutes")}` : "";
      tr.append(BT.el("td", "number", t.display_number), BT.el("td", "", serviceName(t.service_id)),
        BT.el("td", "", BT.t("status." + t.status)), BT.el("td", "", since(t.waiting_since)),
        BT.el("td", "", BT.time(t.appointment_at)), BT.el("td", "", t.position || ""), BT.el("td", "", wait),
        BT.el("td", "", t.status === "waiting" || t.status === "forwarded" ? "" : counterName(t.counter_id)));
      const cell = BT.el("td", "actions");
      for (const a of ACTIONS_BY_STATUS[t.status] || []) if (a === "call" || a === "unpark" || a === "cancel") cell.append(actionButton(t, a));
      tr.append(cell);
      tr.addEventListener("click", (e) => { if (e.target.tagName !== "BUTTON") { S.selected = t.id; renderQueue(); } });
      body.append(tr);
    }
  }

  function render() {
    renderMine();
    renderQueue();
    if (BT.renderLights) BT.renderLights();
  }
  BT.render = render;

  async function loadQueue() {
    S.queue = await BT.call("GET", "/api/v1/staff/queue");
    render();
  }
  BT.loadQueue = loadQueue;

  let reloadTimer = null;
  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => loadQueue().catch(handleAuth), 150);
  }

  function setLive(state) {
    const el = $("live-state");
    el.className = "live " + state;
    el.dataset.i18n = "live." + state;
    el.textContent = BT.t("live." + state);
  }

  function applyTicketEvent(data) {
    if (!data || !data.ticket || !S.queue) return scheduleReload();
    const t = data.ticket;
    const i = S.queue.tickets.findIndex((x) => x.id === t.id);
    if (i >= 0) S.queue.tickets[i] = Object.assign({}, S.queue.tickets[i], t);
    else S.queue.tickets.push(t);
    render();
    scheduleReload();
  }

  function startStream() {
    if (S.stream) S.stream.close();
    S.stream = BT.live("/api/v1/staff/events", {
      open: () => { scheduleReload(); if (BT.loadTerminals) BT.loadTerminals(); },
      ticket: applyTicketEvent,
      called: (d) => d && BT.toast(`${d.display_number} ${BT.t("toast.called")} ${d.counter}`),
      terminal: () => BT.loadTerminals && BT.loadTerminals(),
      resync: () => { scheduleReload(); if (BT.loadTerminals) BT.loadTerminals(); },
      // The server refused the stream: find out whether the session is still valid.
      closed: () => BT.call("GET", "/api/v1/staff/me").catch(handleAuth),
    }, setLive);
  }

  // The session ended (expired, logged out elsewhere): back to the login form.
  BT.sessionEnded = showLogin;

  function handleAuth(e) {
    if (e && e.status === 401) showLogin();
    else showError(e);
  }

  function showLogin() {
    if (S.stream) S.stream.close();
    S.stream = null;
    if (BT.stopPanels) BT.stopPanels();
    $("app").classList.add("hidden");
    $("login").classList.remove("hidden");
    $("login-user").focus();
  }

  function fillCounters() {
    const select = $("counter-select");
    select.replaceChildren(new Option(BT.t("counter.none"), ""));
    for (const c of S.me.counters) select.append(new Option(c.name, c.id));
    select.value = S.me.counter_id || "";
  }

  function fillServiceFilter() {
    const select = $("service-filter");
    const keep = select.value;
    select.replaceChildren(new Option(BT.t("queue.all"), ""));
    for (const s of S.services) select.append(new Option(`${s.prefix} · ${serviceName(s.id)}`, s.id));
    select.value = keep;
  }

  async function enter(me) {
    S.me = me;
    BT.csrf = me.csrf_token;
    $("me-name").textContent = me.display_name;
    document.body.dataset.role = me.role;
    fillCounters();
    BT.call("GET", `/api/v1/public/offices/${encodeURIComponent(me.office_id)}/calls`)
      .then((r) => ($("office-name").textContent = r.office_name))
      .catch(() => {});
    S.services = await BT.call("GET", "/api/v1/staff/console/services");
    fillServiceFilter();
    $("login").classList.add("hidden");
    $("app").classList.remove("hidden");
    await loadQueue();
    startStream();
    if (BT.startPanels) BT.startPanels();
  }

  $("login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("login-error").textContent = "";
    try {
      const me = await BT.call("POST", "/api/v1/staff/login", { username: $("login-user").value, password: $("login-password").value });
      $("login-password").value = "";
      await enter(me);
    } catch (err) { $("login-error").textContent = err.message; }
  });

  $("logout").addEventListener("click", async () => {
    try { await BT.call("POST", "/api/v1/staff/logout", {}); } catch (e) { /* already gone */ }
    showLogin();
  });

  $("counter-select").addEventListener("change", async (e) => {
    if (!e.target.value) return;
    // Hand the keyboard back to the shortcuts.
    e.target.blur();
    try { S.me = await BT.call("POST", "/api/v1/staff/counter", { counter_id: e.target.value }); render(); } catch (err) { showError(err); }
  });

  $("service-filter").addEventListener("change", renderQueue);
  $("btn-next").addEventListener("click", callNext);
  $("lang-toggle").addEventListener("click", () => { BT.toggleLanguage(); fillCounters(); fillServiceFilter(); render(); if (BT.renderTerminals) BT.renderTerminals(); });

  $("call-number-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const number = $("call-number-input").value.trim().toUpperCase();
    const t = S.queue && S.queue.tickets.find((x) => x.display_number === number);
    if (!t) return showError({ code: "unknown_number" });
    $("call-number-input").value = "";
    act(t.id, t.status === "parked" ? "unpark" : "call");
  });

  function moveSelection(step) {
    const rows = [...document.querySelectorAll("#queue-body tr")];
    if (!rows.length) return;
    let i = rows.findIndex((r) => Number(r.dataset.id) === S.selected);
    i = Math.max(0, Math.min(rows.length - 1, i + step));
    S.selected = Number(rows[i].dataset.id);
    renderQueue();
  }

  document.addEventListener("keydown", (e) => {
    if ($("app").classList.contains("hidden") || e.ctrlKey || e.altKey || e.metaKey) return;
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(e.target.tagName);
    if (typing) return;
    const mine = myTicket();
    const selected = S.queue && S.queue.tickets.find((t) => t.id === S.selected);
    const key = e.key.toLowerCase();
    const onMine = { r: "recall", b: "start", x: "no_show", p: "park", f: "finish" }[key];
    if (key === "n") callNext();
    else if (onMine && mine) act(mine.id, onMine);
    else if (key === "w" && mine) $("forward-select").focus();
    else if (key === "z") $("call-number-input").focus();
    else if (e.key === "ArrowDown") moveSelection(1);
    else if (e.key === "ArrowUp") moveSelection(-1);
    else if (e.key === "Enter" && selected && (selected.status === "waiting" || selected.status === "forwarded")) act(selected.id, "call");
    else if (key === "u" && selected && selected.status === "parked") act(selected.id, "unpark");
    else return;
    e.preventDefault();
  });

  setInterval(() => { if (S.queue) renderQueue(); }, 30000);
  BT.applyTexts();
  BT.call("GET", "/api/v1/staff/me").then(enter).catch(showLogin);
})();

// The visitor's phone page (from the ticket's QR code): number, people ahead, estimate, and
// the counter once called, live. The token in the address is the only key; no personal data.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  // From the catalogs of the kiosk's screens and tickets (/assets/visitor-texts.js).
  const TEXTS = window.BT_TEXTS.phone;
  const NAMES = { de: "Deutsch", en: "English", fr: "Français", tr: "Türkçe", ar: "العربية", uk: "Українська" };
  const pick = (tag) => (TEXTS[(tag || "").slice(0, 2)] ? (tag || "").slice(0, 2) : null);
  let lang = pick(localStorage.getItem("bt-phone-lang")) || pick(navigator.language) || "de";
  const t = (k) => TEXTS[lang][k];
  const token = location.pathname.split("/").filter(Boolean)[1] || "";
  let ticket = null;
  let gone = false;
  let wasCalled = false;

  function fact(label, value) {
    const div = BT.el("div");
    div.append(BT.el("dt", "", label), BT.el("dd", "", value));
    return div;
  }

  // Status → the message shown large, if any.
  function message(tk) {
    switch (tk.status) {
      case "called": return tk.counter ? `${t("called")} ${tk.counter}` : null;
      case "in_service": return tk.counter ? `${t("serving")} ${tk.counter}` : null;
      case "finished": return t("done");
      case "parked": return t("parked");
      case "no_show": return t("missed");
      case "cancelled": return t("cancelled");
      default: return null;
    }
  }

  function render() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    $("ticket").classList.toggle("hidden", !ticket || gone);
    $("gone").classList.toggle("hidden", !gone);
    $("gone").textContent = t("gone");
    if (!ticket || gone) return;
    $("office-name").textContent = ticket.office_name;
    $("label-number").textContent = t("number");
    $("number").textContent = ticket.display_number;
    $("service").textContent = ticket.service_name[lang] || ticket.service_name.de || "";
    const text = message(ticket);
    const called = ticket.status === "called" && ticket.counter;
    $("called").classList.toggle("hidden", !text);
    $("called").textContent = text || "";
    const facts = $("facts");
    facts.replaceChildren();
    if (ticket.status === "waiting" || ticket.status === "forwarded") {
      facts.append(fact(t("ahead"), String(ticket.people_ahead)));
      facts.append(fact(t("wait"), `${ticket.wait_minutes[0]}–${ticket.wait_minutes[1]} ${t("min")}`));
    }
    if (ticket.appointment_at) facts.append(fact(t("appointment"), BT.time(ticket.appointment_at)));
    const area = ticket.waiting_area[lang] || ticket.waiting_area.de;
    if (area) facts.append(fact(t("area"), area));
    facts.append(fact(t("status"), new Date().toLocaleTimeString(lang === "de" ? "de-DE" : "en-GB", { hour: "2-digit", minute: "2-digit" })));
    if (called && !wasCalled && navigator.vibrate) navigator.vibrate([300, 150, 300]);
    wasCalled = !!called;
  }

  async function load() {
    try {
      ticket = await BT.call("GET", `/api/v1/public/tickets/${encodeURIComponent(token)}`);
      gone = false;
    } catch (e) {
      if (e.status === 404) { gone = true; if (stream) stream.close(); }
    }
    render();
  }

  let timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(load, 800);
  }

  function setState(state) {
    const c = $("connection");
    c.className = "connection " + state;
    c.textContent = t(state);
  }

  const choice = $("lang-select");
  for (const [code, name] of Object.entries(NAMES)) choice.append(new Option(name, code));
  choice.value = lang;
  choice.addEventListener("change", () => {
    lang = choice.value;
    localStorage.setItem("bt-phone-lang", lang);
    render();
    setState($("connection").classList.contains("lost") ? "lost" : "live");
  });

  let stream = null;
  load().then(() => {
    if (gone) return;
    stream = BT.live(`/api/v1/public/tickets/${encodeURIComponent(token)}/events`, { open: soon, changed: soon, resync: soon }, setState, 25000);
  });
  // Estimates drift with time even when nothing happens: refresh every minute.
  setInterval(() => { if (!gone) load(); }, 60000);
})();

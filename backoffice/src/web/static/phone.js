// The visitor's phone page (from the ticket's QR code): number, people ahead, estimate, and
// the counter once called, live. The token in the address is the only key; no personal data.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TEXTS = {
    de: { number: "Ihre Nummer", ahead: "Personen vor Ihnen", wait: "Geschätzte Wartezeit", area: "Warten Sie in", min: "Min.",
      called: "Bitte gehen Sie jetzt zu", status: "Stand", gone: "Diese Nummer ist nicht mehr gültig (sie gilt nur am Tag der Ausgabe).",
      done: "Ihr Besuch ist abgeschlossen. Vielen Dank!", parked: "Bitte warten Sie – Sie werden erneut aufgerufen.",
      lost: "Verbindung unterbrochen – wird wiederhergestellt …", live: "Wird live aktualisiert", other: "English", appointment: "Termin" },
    en: { number: "Your number", ahead: "People ahead of you", wait: "Estimated wait", area: "Please wait in", min: "min",
      called: "Please go now to", status: "As of", gone: "This number is no longer valid (it is valid on the day it was issued only).",
      done: "Your visit is complete. Thank you!", parked: "Please wait – you will be called again.",
      lost: "Connection lost – reconnecting …", live: "Updates live", other: "Deutsch", appointment: "Appointment" },
  };
  let lang = (localStorage.getItem("bt-lang") || navigator.language || "de").slice(0, 2) === "de" ? "de" : "en";
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

  function render() {
    document.documentElement.lang = lang;
    $("lang-toggle").textContent = t("other");
    $("ticket").classList.toggle("hidden", !ticket || gone);
    $("gone").classList.toggle("hidden", !gone);
    $("gone").textContent = t("gone");
    if (!ticket || gone) return;
    $("office-name").textContent = ticket.office_name;
    $("label-number").textContent = t("number");
    $("number").textContent = ticket.display_number;
    $("service").textContent = ticket.service_name[lang] || ticket.service_name.de || "";
    const called = ticket.status === "called" && ticket.counter;
    $("called").classList.toggle("hidden", !called && ticket.status !== "finished" && ticket.status !== "parked");
    $("called").textContent = called ? `${t("called")} ${ticket.counter}` : ticket.status === "finished" ? t("done") : t("parked");
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

  $("lang-toggle").addEventListener("click", () => {
    lang = lang === "de" ? "en" : "de";
    localStorage.setItem("bt-lang", lang);
    render();
  });

  let stream = null;
  load().then(() => {
    if (gone) return;
    stream = BT.live(`/api/v1/public/tickets/${encodeURIComponent(token)}/events`, { open: soon, changed: soon, resync: soon }, setState);
  });
  // Estimates drift with time even when nothing happens: refresh every minute.
  setInterval(() => { if (!gone) load(); }, 60000);
})();

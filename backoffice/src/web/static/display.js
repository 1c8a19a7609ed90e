// The call display: the newest call large (blinking, with a chime and optionally spoken),
// the previous calls below, live over the office's public call stream. Only numbers and
// counters. Add ?speech=1 to the address to have calls spoken in German and English.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const office = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] || "");
  const params = new URLSearchParams(location.search);
  const speech = params.get("speech") === "1" && "speechSynthesis" in window;
  const chime = new Audio("/assets/chime.wav");
  let calls = [];

  // German and English side by side, from the kiosk's catalogs (/assets/visitor-texts.js).
  const TEXTS = window.BT_TEXTS.display;
  const both = (key) => `${TEXTS.de[key]} · ${TEXTS.en[key]}`;
  $("label-now").textContent = both("now");
  $("label-previous").textContent = both("previous");
  $("connection").textContent = both("lost");
  $("sound-enable").textContent = both("sound");

  function tick() {
    $("clock").textContent = new Date().toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" });
  }
  tick();
  setInterval(tick, 10000);

  function render(blink) {
    const [first, ...rest] = calls;
    $("current-number").textContent = first ? first.display_number : "–";
    $("current-counter").textContent = first ? first.counter : "";
    const list = $("history");
    list.replaceChildren();
    for (const c of rest.slice(0, 8)) {
      const li = BT.el("li");
      li.append(BT.el("span", "number", c.display_number), BT.el("span", "counter", c.counter));
      list.append(li);
    }
    if (blink) {
      const current = $("current");
      current.classList.remove("blink");
      void current.offsetWidth; // restart the animation
      current.classList.add("blink");
    }
  }

  function spell(number) {
    // "A017" → "A 17", read more clearly than "A null siebzehn".
    return number.replace(/^([A-Z]+)0*(\d+)$/, "$1 $2");
  }

  function speak(call) {
    if (!speech) return;
    const de = new SpeechSynthesisUtterance(`Nummer ${spell(call.display_number)}, bitte zu ${call.counter}.`);
    de.lang = "de-DE";
    const en = new SpeechSynthesisUtterance(`Number ${spell(call.display_number)}, please go to ${call.counter.replace(/^Platz/, "counter")}.`);
    en.lang = "en-GB";
    speechSynthesis.speak(de);
    speechSynthesis.speak(en);
  }

  function ring(call) {
    chime.currentTime = 0;
    const played = chime.play();
    const after = () => speak(call);
    if (played && played.then) {
      played.then(() => setTimeout(after, 1600)).catch(() => { $("sound-enable").classList.remove("hidden"); after(); });
    } else after();
  }

  $("sound-enable").addEventListener("click", () => {
    $("sound-enable").classList.add("hidden");
    chime.play().catch(() => {});
  });

  async function load() {
    try {
      const recent = await BT.call("GET", `/api/v1/public/offices/${encodeURIComponent(office)}/calls`);
      $("office-name").textContent = recent.office_name;
      calls = recent.calls;
      render(false);
    } catch (e) { /* the stream's state already shows the problem */ }
  }

  function setState(state) {
    $("connection").className = "connection " + state;
    document.body.dataset.connection = state;
  }

  BT.live(`/api/v1/public/offices/${encodeURIComponent(office)}/calls/events`, {
    open: load,
    resync: load,
    called: (call) => {
      if (!call) return;
      calls = [call, ...calls.filter((c) => !(c.display_number === call.display_number && c.at === call.at))].slice(0, 9);
      render(true);
      ring(call);
    },
  }, setState, 25000);
})();

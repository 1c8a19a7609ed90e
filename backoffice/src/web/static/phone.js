// The visitor's phone page (from the ticket's QR code): number, people ahead, estimate, and
// the counter once called, live. The token in the address is the only key; no personal data.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const TEXTS = {
    de: { number: "Ihre Nummer", ahead: "Personen vor Ihnen", wait: "Geschätzte Wartezeit", area: "Warten Sie in", min: "Min.",
      called: "Bitte gehen Sie jetzt zu", serving: "Sie werden bedient an", status: "Stand",
      gone: "Diese Nummer ist nicht mehr gültig (sie gilt nur am Tag der Ausgabe).",
      done: "Ihr Besuch ist abgeschlossen. Vielen Dank!", parked: "Bitte warten Sie – Sie werden erneut aufgerufen.",
      missed: "Sie wurden aufgerufen und waren nicht da. Bitte melden Sie sich an der Information.",
      cancelled: "Diese Nummer wurde storniert.", lost: "Verbindung unterbrochen – wird wiederhergestellt …",
      live: "Wird live aktualisiert", appointment: "Termin" },
    en: { number: "Your number", ahead: "People ahead of you", wait: "Estimated wait", area: "Please wait in", min: "min",
      called: "Please go now to", serving: "You are being served at", status: "As of",
      gone: "This number is no longer valid (it is valid on the day it was issued only).",
      done: "Your visit is complete. Thank you!", parked: "Please wait – you will be called again.",
      missed: "You were called but were not there. Please go to the information desk.",
      cancelled: "This number was cancelled.", lost: "Connection lost – reconnecting …",
      live: "Updates live", appointment: "Appointment" },
    fr: { number: "Votre numéro", ahead: "Personnes avant vous", wait: "Attente estimée", area: "Veuillez attendre en", min: "min",
      called: "Veuillez vous rendre maintenant à", serving: "Vous êtes servi(e) à", status: "Mis à jour",
      gone: "Ce numéro n'est plus valable (uniquement le jour de son émission).",
      done: "Votre visite est terminée. Merci !", parked: "Veuillez patienter – vous serez rappelé(e).",
      missed: "Vous avez été appelé(e) mais étiez absent(e). Veuillez vous adresser à l'accueil.",
      cancelled: "Ce numéro a été annulé.", lost: "Connexion interrompue – reconnexion …",
      live: "Mise à jour en direct", appointment: "Rendez-vous" },
    tr: { number: "Numaranız", ahead: "Önünüzdeki kişi sayısı", wait: "Tahmini bekleme süresi", area: "Bekleme yeri", min: "dk",
      called: "Lütfen şimdi şuraya gidin:", serving: "Size hizmet verilen yer:", status: "Güncelleme",
      gone: "Bu numara artık geçerli değil (yalnızca verildiği gün geçerlidir).",
      done: "Ziyaretiniz tamamlandı. Teşekkür ederiz!", parked: "Lütfen bekleyin – tekrar çağrılacaksınız.",
      missed: "Çağrıldınız ancak orada değildiniz. Lütfen danışmaya başvurun.",
      cancelled: "Bu numara iptal edildi.", lost: "Bağlantı kesildi – yeniden bağlanılıyor …",
      live: "Canlı güncelleniyor", appointment: "Randevu" },
    ar: { number: "رقمك", ahead: "عدد الأشخاص قبلك", wait: "مدة الانتظار المتوقعة", area: "يرجى الانتظار في", min: "دقيقة",
      called: "يرجى التوجه الآن إلى", serving: "تتم خدمتك في", status: "آخر تحديث",
      gone: "هذا الرقم لم يعد صالحًا (صالح فقط في يوم إصداره).",
      done: "انتهت زيارتك. شكرًا لك!", parked: "يرجى الانتظار – سيتم استدعاؤك مرة أخرى.",
      missed: "تم استدعاؤك ولم تكن موجودًا. يرجى التوجه إلى مكتب الاستعلامات.",
      cancelled: "تم إلغاء هذا الرقم.", lost: "انقطع الاتصال – جارٍ إعادة الاتصال …",
      live: "يتم التحديث مباشرة", appointment: "الموعد" },
    uk: { number: "Ваш номер", ahead: "Людей перед вами", wait: "Орієнтовне очікування", area: "Будь ласка, чекайте в", min: "хв",
      called: "Будь ласка, підійдіть зараз до", serving: "Вас обслуговують на", status: "Станом на",
      gone: "Цей номер більше не дійсний (дійсний лише в день видачі).",
      done: "Ваш візит завершено. Дякуємо!", parked: "Будь ласка, зачекайте – вас викличуть знову.",
      missed: "Вас викликали, але вас не було. Будь ласка, зверніться до довідкової.",
      cancelled: "Цей номер скасовано.", lost: "З'єднання втрачено – відновлюємо …",
      live: "Оновлюється наживо", appointment: "Запис" },
  };
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

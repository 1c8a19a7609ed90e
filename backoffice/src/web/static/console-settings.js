// The console's settings tab: traffic-light thresholds and calls before a no-show for the
// office, and per service its names, waiting area, average time, walk-in hours per weekday,
// daily quota and "closed today". Only supervisors may save; the back office checks it too.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const DAYS = { de: ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"], en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] };
  const isSupervisor = () => BT.state.me && (BT.state.me.role === "supervisor" || BT.state.me.role === "admin");

  async function loadOffice() {
    try {
      const o = await BT.call("GET", "/api/v1/staff/console/office");
      $("tl-green").value = o.traffic_light[0];
      $("tl-yellow").value = o.traffic_light[1];
      $("max-calls").value = o.max_calls;
      for (const id of ["tl-green", "tl-yellow", "max-calls"]) $(id).disabled = !isSupervisor();
      $("office-form").querySelector("button").disabled = !isSupervisor();
    } catch (e) { BT.showError(e); }
  }

  $("office-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const settings = { traffic_light: [Number($("tl-green").value), Number($("tl-yellow").value)], max_calls: Number($("max-calls").value) };
    try {
      await BT.call("PUT", "/api/v1/staff/console/office", settings);
      BT.toast(BT.t("settings.saved"));
      await BT.loadQueue();
    } catch (err) { BT.toast(err.message); }
  });

  // "08:00:00" → "08:00"; the end of the day ("23:59:59.999…") → "24:00".
  function hhmm(t) {
    return t.startsWith("23:59:59") ? "24:00" : t.slice(0, 5);
  }
  function fromHhmm(t) {
    return t === "24:00" ? "23:59:59.999999999" : `${t}:00`;
  }
  function formatDay(ranges) {
    return ranges.map((r) => `${hhmm(r.from)}-${hhmm(r.until)}`).join(", ");
  }
  // "08:00-12:00, 14:00-16:00" → ranges; throws on anything else.
  function parseDay(text) {
    const out = [];
    for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
      const m = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/.exec(part);
      if (!m) throw new Error(`${part}: HH:MM-HH:MM`);
      out.push({ from: fromHhmm(m[1]), until: fromHhmm(m[2]) });
    }
    return out;
  }

  function input(value, type, editable) {
    const i = BT.el("input");
    i.type = type || "text";
    i.value = value === null || value === undefined ? "" : value;
    i.disabled = !editable;
    return i;
  }

  function cell(tr, ...elements) {
    const td = BT.el("td");
    td.append(...elements);
    tr.append(td);
    return td;
  }

  BT.renderSettings = function () {
    loadOffice();
    const body = $("settings-body");
    body.replaceChildren();
    const editable = isSupervisor();
    $("settings-note").textContent = editable ? "" : BT.t("settings.supervisor_only");
    const days = DAYS[BT.lang] || DAYS.de;
    for (const s of BT.state.services) {
      const tr = BT.el("tr");
      tr.dataset.service = s.id;
      const de = input(s.names.de, "text", editable);
      const en = input(s.names.en || "", "text", editable);
      const area = input(s.waiting_area.de || "", "text", editable);
      const minutes = input(s.average_minutes, "number", editable);
      const quota = input(s.walk_in.daily_quota, "number", editable);
      const closed = input("", "checkbox", editable);
      closed.checked = s.closed_today;
      const hoursRow = BT.el("tr", "hours-row hidden");
      const hoursCell = BT.el("td");
      hoursCell.colSpan = 8;
      const hours = s.walk_in.hours.map((ranges, i) => {
        const label = BT.el("label", "day");
        const field = input(formatDay(ranges), "text", editable);
        field.dataset.day = i;
        label.append(BT.el("span", "", days[i]), field);
        hoursCell.append(label);
        return field;
      });
      hoursRow.append(hoursCell);
      const toggle = BT.el("button", "", BT.t("settings.hours"));
      toggle.type = "button";
      toggle.addEventListener("click", () => hoursRow.classList.toggle("hidden"));
      const save = BT.el("button", "primary", BT.t("settings.save"));
      save.type = "button";
      save.disabled = !editable;
      save.addEventListener("click", async () => {
        try {
          const names = Object.assign({}, s.names, { de: de.value });
          if (en.value) names.en = en.value; else delete names.en;
          const update = {
            names,
            waiting_area: Object.assign({}, s.waiting_area, { de: area.value }),
            average_minutes: Number(minutes.value),
            walk_in: { hours: hours.map((h) => parseDay(h.value)), daily_quota: quota.value === "" ? null : Number(quota.value) },
            closed_today: closed.checked,
          };
          const saved = await BT.call("PUT", `/api/v1/staff/console/services/${s.id}`, update);
          Object.assign(s, saved);
          BT.toast(BT.t("settings.saved"));
          BT.render();
        } catch (e) { BT.toast(e.message); }
      });
      cell(tr, de);
      cell(tr, en);
      cell(tr, area);
      cell(tr, minutes);
      cell(tr, quota);
      cell(tr, closed);
      cell(tr, toggle);
      cell(tr, save);
      body.append(tr, hoursRow);
    }
  };
})();

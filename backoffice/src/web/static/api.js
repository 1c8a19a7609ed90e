// Shared by all pages: JSON calls with the CSRF token, and a live event stream that
// reconnects by itself and reports whether it is connected.
"use strict";
const BT = (window.BT = window.BT || {});

BT.csrf = null;

BT.call = async function (method, path, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && BT.csrf) headers["X-CSRF-Token"] = BT.csrf;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = null; }
  }
  if (!response.ok) {
    const detail = data && data.error;
    const error = new Error((detail && detail.message) || response.statusText);
    error.status = response.status;
    error.code = detail && detail.code;
    throw error;
  }
  return data;
};

// Opens an EventSource on `url`. `handlers` maps event names to functions taking the parsed
// data; `open` is called on every (re)connection, so the page can reload its snapshot.
// `onState("live" | "lost")` tells the page whether it is connected. With `silenceMs`, a
// stream that sends nothing (not even its `ping`) for that long counts as dead and is reopened.
BT.live = function (url, handlers, onState, silenceMs) {
  let source = null;
  let timer = null;
  let stopped = false;
  let heard = Date.now();
  const hear = () => { heard = Date.now(); };
  if (silenceMs) {
    setInterval(() => {
      if (stopped || !source || Date.now() - heard < silenceMs) return;
      onState("lost");
      source.close();
      hear();
      connect();
    }, 2000);
  }
  function connect() {
    source = new EventSource(url);
    source.addEventListener("open", () => {
      hear();
      onState("live");
      if (handlers.open) handlers.open();
    });
    source.addEventListener("ping", hear);
    source.addEventListener("error", () => {
      onState("lost");
      // The browser retries by itself after network errors, but gives up when the server
      // refuses (e.g. restarting); then we retry ourselves.
      if (source.readyState === EventSource.CLOSED && !stopped) {
        clearTimeout(timer);
        timer = setTimeout(connect, 3000);
        if (handlers.closed) handlers.closed();
      }
    });
    for (const [name, fn] of Object.entries(handlers)) {
      if (name === "open" || name === "closed") continue;
      source.addEventListener(name, (event) => {
        hear();
        let data = null;
        try { data = JSON.parse(event.data); } catch (e) { data = null; }
        fn(data);
      });
    }
  }
  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (source) source.close();
    },
  };
};

// Creates an element with a class and text (never HTML).
BT.el = function (tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
};

BT.time = function (iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleTimeString(BT.lang === "de" ? "de-DE" : "en-GB", { hour: "2-digit", minute: "2-digit" });
};

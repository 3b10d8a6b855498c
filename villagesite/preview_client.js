// villagesite preview: reload after each rebuild, refresh stylesheets in place, and show
// build errors over the last good page. Injected into pages by `villagesite serve` only;
// it speaks the LiveReload protocol (7) with the server's livereload socket.
(function () {
  "use strict";
  // The overlay's words, in the editor's language: the server writes them in (preview/http.py).
  var words = /*villagesite:words*/ {};
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "villagesite-error";
      if (words.lang) overlay.lang = words.lang;
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-labelledby", "villagesite-error-title");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
        "padding:1.25rem;background:rgba(24,18,14,.92);color:#fff;" +
        "font:15px/1.6 system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif";
      var title = document.createElement("h2");
      title.id = "villagesite-error-title";
      title.textContent = words.title || "";
      title.style.cssText = "margin:0 0 .5rem;font-size:1.2rem;color:#ffb4a2";
      var note = document.createElement("p");
      note.textContent = words.note || "";
      note.style.cssText = "margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;word-break:break-word;margin:0 0 1rem;" +
        "font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;background:#000;padding:1rem;border-radius:6px";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = words.close || "×";
      close.style.cssText = "font:inherit;min-height:44px;padding:.4rem 1rem;border-radius:6px;border:0;cursor:pointer";
      close.onclick = function () { overlay.hidden = true; };
      overlay.append(title, note, pre, close);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
    overlay.hidden = false;
  }

  function refreshStyles(path) {
    var found = false;
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (url.pathname !== path) return;
      found = true;
      url.searchParams.set("villagesite", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function () { link.remove(); };
      link.after(fresh);
    });
    return found;
  }

  function connect(again) {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/_villagesite/livereload");
    socket.onopen = function () {
      socket.send(JSON.stringify({ command: "hello", protocols: ["http://livereload.com/protocols/official-7"] }));
      socket.send(JSON.stringify({ command: "info", url: location.href, plugins: {} }));
      if (again) location.reload(); // the server was restarted: this page may be out of date
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.command === "alert") {
        showError(message.message);
      } else if (message.command === "reload") {
        if (message.liveCSS && /\.css$/.test(message.path)) {
          refreshStyles(message.path);
        } else {
          location.reload();
        }
      }
    };
    socket.onclose = function () {
      setTimeout(function () { connect(true); }, 1000);
    };
  }

  connect(false);
})();

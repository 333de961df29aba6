/* A counsellor's replies for a page that cannot be pushed to (the chat page, the widget):
 * GET /api/updates, often just after a message, then less and less (up to maxMs), never while
 * the page is hidden or `active()` says no, at once when it is back. `after` acknowledges what
 * was shown (bot/handoff/outbox.py). The server prepends this file to /widget.js.
 * The counsellors' desk polls its own endpoints with it: `url(last)` gives the address
 * (then `sender` is not needed), and `whileHidden()`, when it says yes, keeps a hidden tab
 * polling at the slowest pace (the counsellor asked to be alerted). */
window.IndyNews = window.IndyNews || function (o) {
  "use strict";
  var last = 0;
  var delay = o.minMs;
  var timer = null;
  function hidden() { return document.hidden && !(o.whileHidden && o.whileHidden()); }
  function schedule(ms) {
    clearTimeout(timer);
    timer = hidden() || !o.active() ? null
      : setTimeout(poll, document.hidden ? Math.max(ms, o.maxMs) : ms);
  }
  function slower() { delay = Math.min(o.maxMs, delay * 2); }
  function poll() {
    timer = null;
    Promise.resolve(o.url ? null : o.sender()).then(function (id) {
      return fetch(o.url ? o.url(last)
        : o.base + "/api/updates?sender=" + encodeURIComponent(id) + "&after=" + last);
    }).then(function (r) { return r.json(); }).then(function (data) {
      var first = null;
      (data.messages || []).forEach(function (m) {
        if (m.id > last) { last = m.id; var shown = o.show(m); first = first || shown; }
      });
      if (first) { o.reveal(first); delay = o.minMs; } else { slower(); }
    }).catch(slower).then(function () { if (timer === null) { schedule(delay); } });
  }
  function stop() { clearTimeout(timer); timer = null; }
  function wake() { delay = o.minMs; schedule(0); }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { wake(); } else if (hidden()) { stop(); }
  });
  return {
    wake: wake,                                          // news now, then often
    soon: function () { delay = o.minMs; schedule(o.minMs); },  // a message was just sent
    stop: stop,
    seen: function (id) { last = Math.max(last, id || 0); }     // shown by /api/history
  };
};

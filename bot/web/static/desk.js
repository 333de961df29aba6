/* The counsellors' desk without reloads: the queue redraws itself when a request comes in or
 * changes (GET /conseillers/file), a ticket's conversation shows the young person's new
 * messages (GET /conseillers/demandes/<id>/nouveau). news.js polls: often after news, then
 * less and less, not while the tab is hidden. A sound and a browser notification only when the
 * counsellor asked for them (the « Me prévenir » button; then a hidden tab keeps polling,
 * slowly). */
(function () {
  "use strict";
  var MIN_MS = 3000;
  var MAX_MS = 60000;
  var KEY = "indy-desk-alerts";
  var button = document.getElementById("alerts");
  var audio = null;

  function alertsOn() {
    try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function setAlerts(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "🔔 Alertes activées" : "🔔 Me prévenir";
  }
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 660;
      gain.gain.value = 0.08;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (e) { /* no sound here */ }
  }
  function warn(text) {
    if (!alertsOn()) { return; }
    beep();
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      new Notification("Indy · conseillers", { body: text });
    }
  }
  if (button) {
    button.hidden = false;
    setAlerts(alertsOn());
    button.addEventListener("click", function () {
      if (alertsOn()) { setAlerts(false); return; }
      setAlerts(true);
      beep();  // a click lets the page play sound, and says what it will sound like
      if ("Notification" in window && Notification.permission === "default") {
        Notification.requestPermission();
      }
    });
  }

  function poller(url, show, reveal) {
    return window.IndyNews({ url: url, show: show, reveal: reveal, minMs: MIN_MS, maxMs: MAX_MS,
      active: function () { return true; }, whileHidden: alertsOn });
  }

  var list = document.getElementById("queue-list");
  if (list) {
    var live = document.getElementById("live");
    var queue = poller(function (last) { return "/conseillers/file?after=" + last; },
      function (m) {
        var before = Number(list.getAttribute("data-waiting"));
        list.innerHTML = m.html;  // rendered by the server's template (escaped there)
        list.setAttribute("data-waiting", m.waiting);
        var now = new Date();
        live.textContent = "Mis à jour à " + now.getHours() + " h "
          + String(now.getMinutes()).padStart(2, "0") + ".";
        if (m.waiting > before) { warn("Nouvelle demande en attente"); }
        return list;
      }, function () {});
    queue.seen(Number(list.getAttribute("data-marker")));
    queue.soon();
  }

  // Canned replies (content/canned_replies.yml): put into the reply box, to read over.
  var canned = document.getElementById("canned");
  if (canned) {
    var reply = document.getElementById("reply");
    canned.parentNode.hidden = false;
    document.getElementById("insert-canned").addEventListener("click", function () {
      if (!canned.value) { canned.focus(); return; }
      var at = reply.selectionStart === undefined ? reply.value.length : reply.selectionStart;
      var before = reply.value.slice(0, at);
      var glue = before && !/\s$/.test(before) ? " " : "";
      reply.value = before + glue + canned.value + reply.value.slice(reply.selectionEnd || at);
      reply.focus();
      var end = (before + glue + canned.value).length;
      reply.setSelectionRange(end, end);
      canned.value = "";
    });
  }

  var conversation = document.getElementById("conversation");
  if (conversation) {
    var id = conversation.getAttribute("data-ticket");
    conversation.scrollTop = conversation.scrollHeight;  // the newest line in view
    var ticket = poller(function (last) {
      return "/conseillers/demandes/" + id + "/nouveau?after=" + last;
    }, function (m) {
      var line = document.createElement("p");
      line.className = "msg " + m.author;
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = m.who;
      var when = document.createElement("span");
      when.className = "when";
      when.textContent = m.when;
      line.append(who, " ", when, document.createElement("br"), m.text);
      conversation.appendChild(line);
      if (m.author === "user") { warn("Nouveau message : " + m.text.slice(0, 80)); }
      return line;
    }, function () { conversation.scrollTop = conversation.scrollHeight; });
    ticket.seen(Number(conversation.getAttribute("data-last")));
    ticket.soon();
  }
}());

// Mina sidor: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // A SAML response form marked data-autosubmit goes on by itself; without JavaScript the user
  // presses its button.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.submit();
  });

  // Session warning (WCAG 2.2.1): two minutes before the session ends, a dialog offers to stay
  // logged in. When the time is up, the browser goes to the logged-out page.
  var bar = document.querySelector("[data-session-ends]");
  if (!bar) return;
  var dialog = bar.querySelector("dialog");
  var endsAt = Date.parse(bar.getAttribute("data-session-ends"));
  var warnBefore = 2 * 60 * 1000;
  var warnTimer, endTimer;
  var timedOut = "/utloggad?orsak=inaktivitet&return=" +
    encodeURIComponent(window.location.pathname + window.location.search);

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var now = Date.now();
    warnTimer = setTimeout(warn, Math.max(0, endsAt - warnBefore - now));
    endTimer = setTimeout(function () {
      window.location.assign(timedOut);
    }, Math.max(0, endsAt - now));
  }

  function warn() {
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
      dialog.showModal();
    }
  }

  function extend(event) {
    event.preventDefault();
    var form = event.currentTarget;
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin"
    }).then(function (res) {
      if (!res.ok) throw new Error("session ended");
      return res.json();
    }).then(function (data) {
      endsAt = Date.parse(data.sessionEnds);
      var clock = bar.querySelector(".session-ends");
      if (clock) clock.setAttribute("data-updated", "1");
      if (dialog && dialog.open) dialog.close();
      schedule();
    }).catch(function () {
      window.location.assign(timedOut);
    });
  }

  bar.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", extend);
  });
  schedule();
})();

// Mina sidor: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A form that came back with errors: move focus to the summary, so that it is read first.
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();

  // Conditional fields: a field that depends on another answer in the same step is shown only
  // while that answer matches, as the server decides on the next post. A field that depends on
  // a hidden field is hidden too. Hidden inputs are disabled, so their answers are not sent.
  var conditional = Array.prototype.slice.call(document.querySelectorAll("[data-show-if-field]"));
  function answerOf(form, name) {
    var values = [];
    form.querySelectorAll("[name]").forEach(function (el) {
      if (el.name !== name || el.disabled) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value.trim() !== "") values.push(el.value.trim());
    });
    return values;
  }
  function applyConditions() {
    conditional.forEach(function (wrap) {
      var form = wrap.closest("form");
      var wanted = wrap.getAttribute("data-show-if-values").split(",");
      var op = wrap.getAttribute("data-show-if-op");
      var match = answerOf(form, wrap.getAttribute("data-show-if-field")).some(function (v) {
        return wanted.indexOf(v) >= 0;
      });
      var show = op === "notEquals" ? !match : match;
      wrap.hidden = !show;
      wrap.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }
  if (conditional.length) {
    document.addEventListener("change", applyConditions);
    document.addEventListener("input", applyConditions);
    applyConditions();
  }

  // A SAML response form marked data-autosubmit goes on by itself; without JavaScript the user
  // presses its button.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.submit();
  });

  // Session warning (WCAG 2.2.1): two minutes before the session ends, a dialog offers to stay
  // logged in. When the time is up, the page logs out (a form post, so that the server's session
  // is gone before the logged-out page shows; the server ends it at the same time anyway).
  var bar = document.querySelector("[data-session-ends]");
  if (!bar) return;
  var dialog = bar.querySelector("dialog");
  var endsAt = Date.parse(bar.getAttribute("data-session-ends"));
  var warnBefore = 2 * 60 * 1000;
  var warnTimer, endTimer;
  function timedOut() {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/logout";
    [["orsak", "inaktivitet"], ["return", window.location.pathname + window.location.search]].forEach(function (kv) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = kv[0];
      input.value = kv[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var now = Date.now();
    warnTimer = setTimeout(warn, Math.max(0, endsAt - warnBefore - now));
    endTimer = setTimeout(timedOut, Math.max(0, endsAt - now));
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
      if (clock) {
        var time = new Intl.DateTimeFormat("sv-SE", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Stockholm" })
          .format(new Date(endsAt));
        clock.textContent = clock.textContent.replace(/\d{1,2}[:.]\d{2}/, time);
        clock.setAttribute("data-updated", "1");
      }
      if (dialog && dialog.open) dialog.close();
      schedule();
    }).catch(timedOut);
  }

  bar.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", extend);
  });
  schedule();
})();

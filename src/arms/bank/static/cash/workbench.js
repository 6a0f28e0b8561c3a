// The clerk's cash workbench, keyboard-first: j/k next/previous line, a accept, e edit or split, i set aside
// (then 1-5 for its kind), Ctrl+Enter applies the edited decision, Escape leaves a field. Keys are ignored while
// typing in a field. Every action is an element on the page (a link or button htmx drives); a key only clicks it.
(function () {
  "use strict";

  var script = document.currentScript;
  var loginUrl = script ? script.getAttribute("data-login-url") : "";

  function review() { return document.getElementById("review"); }

  // signed out meanwhile: the request was redirected to the login page; go there rather than show it in the panel
  document.addEventListener("htmx:beforeSwap", function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (loginUrl && url && new URL(url).pathname === loginUrl) {
      event.detail.shouldSwap = false;
      window.location.href = url;
    }
  });

  function show(panelId) {
    var root = review();
    if (!root) return;
    ["edit-panel", "ignore-panel"].forEach(function (id) {
      var panel = root.querySelector("#" + id);
      if (panel && id !== panelId) panel.classList.add("cw-hidden");
    });
    var panel = root.querySelector("#" + panelId);
    if (!panel) return;
    panel.classList.toggle("cw-hidden");
    if (!panel.classList.contains("cw-hidden")) {
      var first = panel.querySelector(".customer-search, input[type=checkbox], input[type=text]");
      if (first && panelId === "edit-panel") first.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-toggle]");
    if (toggle) {
      event.preventDefault();
      show(toggle.getAttribute("data-toggle"));
    }
  });

  // a ticked item with no amount takes its open amount; an unticked one forgets it
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".cw-share input[type=checkbox]")) return;
    var row = box.closest("tr");
    var amount = row && row.querySelector("input.amount");
    if (!amount) return;
    if (box.checked && !amount.value) amount.value = box.getAttribute("data-open") || "";
    if (!box.checked) amount.value = "";
  });

  // a new share gets the next free number
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.id !== "add-share") return;
    var highest = -1;
    document.querySelectorAll("#shares .cw-share").forEach(function (share) {
      highest = Math.max(highest, parseInt(share.getAttribute("data-share"), 10));
    });
    event.detail.parameters.share = String(highest + 1);
  });

  // htmx swaps only a 200: anything else (signed out, 403, a dropped connection) is said above the panel
  function requestError(shown) {
    var alert = document.getElementById("cw-request-error");
    if (alert) alert.classList.toggle("cw-hidden", !shown);
  }
  document.addEventListener("htmx:responseError", function () { requestError(true); });
  document.addEventListener("htmx:sendError", function () { requestError(true); });
  document.addEventListener("htmx:afterSwap", function () { requestError(false); });

  document.addEventListener("keydown", function (event) {
    var root = review();
    if (!root) return;
    var target = event.target;
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var form = target.closest && target.closest("#apply-form");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.matches && target.matches("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    var click = function (selector) {
      var element = root.querySelector(selector);
      if (element) {
        event.preventDefault();
        element.click();
      }
    };
    if (event.key === "j") click("#next-line");
    else if (event.key === "k") click("#prev-line");
    else if (event.key === "a") click("#accept-button");
    else if (event.key === "e") click("#edit-button");
    else if (event.key === "i") click("#ignore-button");
    else if (/^[1-9]$/.test(event.key) && root.querySelector("#ignore-panel:not(.cw-hidden)")) {
      click('#ignore-panel button[data-key="' + event.key + '"]');
    }
  });
})();

// Makers' School: small behaviours without inline scripts (the CSP allows 'self' only).
// Loaded before the Bootstrap Italia bundle: its bundled video.js would otherwise
// inject an inline <style> element, which the CSP blocks.
window.VIDEOJS_NO_DYNAMIC_STYLE = true;

(function () {
  "use strict";

  // Forms or buttons with data-confirm="question" ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Shared pages (served from the page cache, the same for everyone) show the
  // visitor's header and enrolment buttons. For a signed-in person (the
  // ms_signed_in hint cookie), one request brings their own menu and enrolments,
  // which replace those parts by id (htmx out-of-band swaps; portal.fragments).
  document.addEventListener("DOMContentLoaded", function () {
    var account = document.querySelector("[data-island=account]");
    if (!account || !window.htmx || !/(?:^|;\s*)ms_signed_in=1/.test(document.cookie)) {
      return;
    }
    var editions = Array.prototype.map.call(
      document.querySelectorAll("[data-island-edition]"),
      function (element) { return element.getAttribute("data-island-edition"); }
    );
    var query = "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    if (editions.length) {
      query += "&editions=" + editions.join(",");
    }
    window.htmx.ajax("GET", account.getAttribute("data-island-url") + query, {
      target: account, swap: "none"
    });
  });

  // htmx: send the CSRF token (from the cookie) with every non-GET request.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
    }
  });
})();

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

  // htmx: send the CSRF token (from the cookie) with every non-GET request.
  document.addEventListener("htmx:configRequest", function (event) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
    }
  });
})();

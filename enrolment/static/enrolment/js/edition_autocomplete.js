// The staff enrolment listing's edition filter: as a code or course title is
// typed, ask the admin's autocomplete endpoint and offer its editions in the
// input's <datalist>. Without this script the full code still filters.
(function () {
  "use strict";
  var timers = new WeakMap();

  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var q = input.value.trim();
    if (!list || q.length < 2) {
      return;
    }
    var url = input.dataset.editionAutocomplete + "?q=" + encodeURIComponent(q);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        list.replaceChildren();
        data.results.forEach(function (edition) {
          var option = document.createElement("option");
          option.value = edition.code;
          option.label = edition.label;
          list.appendChild(option);
        });
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-edition-autocomplete]")) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { fill(input); }, 200));
  });
})();

// Fill the skills <datalist> from /v1/skills/suggest as the recruiter types.
// The form works without this script; it only adds suggestions.
(function () {
  "use strict";
  var input = document.getElementById("skills");
  var list = document.getElementById("skill-suggestions");
  if (!input || !list) { return; }
  var timer = null;
  var lastQuery = "";

  function refresh() {
    // Suggest for the name after the last comma, keeping the earlier names.
    var parts = input.value.split(",");
    var current = parts.pop().trim();
    var kept = parts.map(function (p) { return p.trim(); }).filter(Boolean);
    if (current.length < 2 || current === lastQuery) { return; }
    lastQuery = current;
    fetch("/v1/skills/suggest?size=8&q=" + encodeURIComponent(current))
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { return; }
        list.replaceChildren();
        body.suggestions.forEach(function (suggestion) {
          var option = document.createElement("option");
          option.value = kept.concat([suggestion.label]).join(", ");
          option.textContent = suggestion.framework + " · " + suggestion.candidate_count + " candidates";
          list.appendChild(option);
        });
      })
      .catch(function () { /* Suggestions are optional; typing still works. */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
}());

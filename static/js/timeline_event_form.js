// The unit picker of the event form: a search box narrows the check boxes (accents and case ignored), and a line
// names the units chosen, so a phone user sees the choice without scrolling the whole list.
(function () {
  "use strict";
  var picker = document.getElementById("id_units_picker");
  if (!picker) { return; }
  var filter = document.getElementById("unit-filter");
  var chosen = document.getElementById("units-chosen");
  var noMatch = document.getElementById("no-unit-match");
  var options = Array.prototype.slice.call(picker.querySelectorAll(".unit-choices input[type=checkbox]"));
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function row(input) { return input.closest("div") || input.parentNode; }
  function labelOf(input) { return input.parentNode.textContent.trim(); }
  function showChosen() {
    var names = options.filter(function (input) { return input.checked; }).map(function (input) {
      return labelOf(input).split(" · ")[0];
    });
    chosen.textContent = names.length ? picker.dataset.labelChosen + " " + names.join(", ") : picker.dataset.labelNone;
  }
  function narrow() {
    var words = folded(filter.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    options.forEach(function (input) {
      var text = folded(labelOf(input));
      var match = input.checked || words.every(function (word) { return text.indexOf(word) !== -1; });
      row(input).hidden = !match;
      if (match) { shown += 1; }
    });
    noMatch.hidden = shown > 0;
  }
  filter.addEventListener("input", narrow);
  picker.addEventListener("change", showChosen);
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
  showChosen();
})();

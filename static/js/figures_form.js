// The figures and monitor forms: the unit list follows the level chosen, without reloading the page.
(function () {
  "use strict";
  const data = document.getElementById("units-by-level");
  const level = document.getElementById("id_level");
  const unit = document.getElementById("id_unit");
  if (!data || !level || !unit) return;
  const units = JSON.parse(data.textContent);
  level.addEventListener("change", function () {
    const choices = units[level.value] || [];
    unit.replaceChildren(...choices.map((choice) => new Option(choice[1], choice[0])));
  });
})();

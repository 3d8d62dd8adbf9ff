// A pair's review page: one key per decision and one to go on to the next pair (the elements holding them say
// which in data-shortcut), so a committee works through the queue without the mouse. Keys typed in the note, or
// with a modifier, are left alone.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    const control = Array.from(document.querySelectorAll("[data-shortcut]")).find(function (element) {
      return element.dataset.shortcut.split(" ").indexOf(key) !== -1;
    });
    if (!control) return;
    event.preventDefault();
    control.click();
  });
})();

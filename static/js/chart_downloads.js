// "Download PNG" for the charts drawn with Chart.js: a button with data-canvas (the canvas's id) and
// data-filename saves the chart as drawn, on a white background. Hidden until this script runs, since it needs it;
// the CSV and API links beside it are plain links and work without JavaScript.
(function () {
  "use strict";
  function savePng(canvas, filename) {
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(canvas, 0, 0);
    const link = document.createElement("a");
    link.href = copy.toDataURL("image/png");
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
  }

  document.querySelectorAll("button.chart-png[data-canvas]").forEach(function (button) {
    const canvas = document.getElementById(button.dataset.canvas);
    if (!canvas) return;
    button.hidden = false;
    button.addEventListener("click", () => savePng(canvas, button.dataset.filename || "chart.png"));
  });
})();

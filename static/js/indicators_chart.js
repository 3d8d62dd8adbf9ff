// Charts of the indicator pages, drawn with the vendored Chart.js from the data the page embeds.
(function () {
  "use strict";
  function numberOrNull(value) {
    return typeof value === "number" ? value : null;
  }
  var figures = document.getElementById("figures-data");
  var figuresCanvas = document.getElementById("figures-chart");
  if (figures && figuresCanvas) {
    var months = JSON.parse(figures.textContent);
    new Chart(figuresCanvas, {
      data: {
        labels: months.map(function (month) { return month.month; }),
        datasets: [
          {type: "bar", label: figuresCanvas.dataset.countLabel || "count", yAxisID: "count",
           data: months.map(function (month) { return numberOrNull(month.count); })},
          {type: "line", label: figuresCanvas.dataset.rateLabel || "rate (12 months)", yAxisID: "rate",
           data: months.map(function (month) { return numberOrNull(month.rolling_rate); }), spanGaps: false}
        ]
      },
      options: {animation: false, scales: {count: {position: "left", beginAtZero: true},
                                           rate: {position: "right", beginAtZero: true, grid: {drawOnChartArea: false}}}}
    });
  }
  var monitor = document.getElementById("monitor-data");
  var monitorCanvas = document.getElementById("monitor-chart");
  if (monitor && monitorCanvas) {
    var chart = JSON.parse(monitor.textContent);
    var names = JSON.parse(document.getElementById("monitor-names").textContent);
    var labels = [];
    Object.keys(chart).forEach(function (key) {
      if (chart[key].months.length > labels.length) { labels = chart[key].months; }
    });
    new Chart(monitorCanvas, {
      type: "line",
      data: {labels: labels, datasets: Object.keys(chart).map(function (key) {
        var offset = labels.length - chart[key].months.length;
        return {label: names[key] || key, data: new Array(offset).fill(null).concat(chart[key].rolling),
                borderWidth: key === "homicide" ? 3 : 1.5};
      })},
      options: {animation: false, scales: {y: {beginAtZero: true}}}
    });
  }
})();

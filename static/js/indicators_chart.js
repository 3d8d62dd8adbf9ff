// Charts of the indicator pages, drawn with the vendored Chart.js from the data the page embeds.
(function () {
  "use strict";
  function numberOrNull(value) {
    return typeof value === "number" ? value : null;
  }
  // Diagonal stripes: the fill of a provisional month's bar.
  function hatched(color) {
    var tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    var context = tile.getContext("2d");
    context.strokeStyle = color;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(0, 8);
    context.lineTo(8, 0);
    context.stroke();
    return context.createPattern(tile, "repeat");
  }
  // A dashed line into a provisional point.
  function dashedWhere(provisional) {
    return {borderDash: function (segment) { return provisional[segment.p1DataIndex] ? [6, 4] : undefined; }};
  }
  var BLUE = "rgb(54, 112, 180)", ORANGE = "rgb(214, 110, 40)";
  // Numbers on the axes and in the tooltips as the page's language writes them (1.234,5 or 1,234.5).
  var LOCALE = document.documentElement.lang || "es";
  function downloads(chart, id, filename) {
    var container = document.getElementById(id);
    if (container && window.attachChartDownloads) {
      window.attachChartDownloads(chart, {container: container, filename: filename});
    }
  }
  // Taller on a phone, so the months stay readable.
  function aspectRatio(canvas) { return canvas.parentNode.clientWidth < 600 ? 1.1 : 2; }
  var figures = document.getElementById("figures-data");
  var figuresCanvas = document.getElementById("figures-chart");
  if (figures && figuresCanvas) {
    var months = JSON.parse(figures.textContent);
    var provisional = months.map(function (month) { return month.status === "provisional"; });
    var stripes = hatched(BLUE);
    var figuresChart = new Chart(figuresCanvas, {
      data: {
        labels: months.map(function (month) { return month.month; }),
        datasets: [
          {type: "bar", label: figuresCanvas.dataset.countLabel || "count", yAxisID: "count", borderColor: BLUE,
           borderWidth: provisional.map(function (flag) { return flag ? 1 : 0; }),
           backgroundColor: provisional.map(function (flag) { return flag ? stripes : "rgba(54, 112, 180, 0.6)"; }),
           data: months.map(function (month) { return numberOrNull(month.count); })},
          {type: "line", label: figuresCanvas.dataset.rateLabel || "rate (12 months)", yAxisID: "rate",
           borderColor: ORANGE, backgroundColor: ORANGE, segment: dashedWhere(provisional),
           pointStyle: provisional.map(function (flag) { return flag ? "triangle" : "circle"; }),
           data: months.map(function (month) { return numberOrNull(month.rolling_rate); }), spanGaps: false}
        ]
      },
      options: {animation: false, locale: LOCALE, aspectRatio: aspectRatio(figuresCanvas),
                plugins: {tooltip: {callbacks: {afterLabel: function (item) {
                  return provisional[item.dataIndex] ? figuresCanvas.dataset.provisionalLabel || "provisional" : "";
                }}}},
                scales: {count: {position: "left", beginAtZero: true},
                                           rate: {position: "right", beginAtZero: true, grid: {drawOnChartArea: false}}}}
    });
    downloads(figuresChart, "figures-downloads", figuresCanvas.dataset.filename);
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
    var monitorChart = new Chart(monitorCanvas, {
      type: "line",
      data: {labels: labels, datasets: Object.keys(chart).map(function (key) {
        var offset = labels.length - chart[key].months.length;
        var provisional = new Array(offset).fill(false).concat(chart[key].provisional);
        return {label: names[key] || key, data: new Array(offset).fill(null).concat(chart[key].rolling),
                borderWidth: key === "homicide" ? 3 : 1.5, segment: dashedWhere(provisional),
                pointRadius: provisional.map(function (flag) { return flag ? 4 : 2; }),
                pointBackgroundColor: function (context) {
                  return provisional[context.dataIndex] ? "#fff" : context.dataset.borderColor;
                }};
      })},
      options: {animation: false, locale: LOCALE, aspectRatio: aspectRatio(monitorCanvas),
                scales: {y: {beginAtZero: true}}}
    });
    downloads(monitorChart, "monitor-downloads", monitorCanvas.dataset.filename);
  }
})();

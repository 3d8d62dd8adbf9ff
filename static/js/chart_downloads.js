/* Download buttons under a chart: the chart as a PNG image, its data as CSV, and a link to the API call that
   returns the figures.

   Usage, once the Chart.js chart is drawn:

     attachChartDownloads(chart, {
       container: element,          // where the buttons go; render it with {% include "_chart_downloads.html" %}
                                    // so that its labels are translated (data-label-png, -csv, -api)
       filename: "homicide-0108",   // without extension: gives homicide-0108.png and homicide-0108.csv
       csvRows: [["month", "count"], ["2024-01", 3]],  // optional: the rows of the CSV, header first
       csvUrl: "/indicators/?...&format=csv",           // optional: a server's CSV instead of csvRows
       apiUrl: "/api/v1/indicators/monthly/?unit=...",  // optional: the API call that returns the figures
     });

   Without csvRows or csvUrl the CSV is the chart's own data: one row per label (its column headed by the
   container's data-label-axis), one column per dataset.

   The container's data-api-url and data-csv-url are used when the options do not give them.

   Pages whose buttons are in the template (the unit pages) need no call: a button.chart-png with data-canvas (the
   canvas's id) and data-filename is shown and wired when this script runs (it needs it; the CSV and API links
   beside it are plain links and work without JavaScript). Both save the chart as drawn, on a white background. */
(function () {
  "use strict";

  function csvCell(value) {
    if (value === null || value === undefined) return "";
    const text = typeof value === "object" && "y" in value ? String(value.y ?? "") : String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function chartRows(chart, axisLabel) {
    const datasets = chart.data.datasets;
    const header = [axisLabel].concat(datasets.map((set) => set.label || ""));
    const rows = (chart.data.labels || []).map((label, index) => [label].concat(datasets.map((set) => set.data[index])));
    return [header].concat(rows);
  }

  function download(href, name) {
    const link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function savePng(canvas, filename) {
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(canvas, 0, 0);
    download(copy.toDataURL("image/png"), filename);
  }

  function button(text, className) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "chart-download " + className;
    element.textContent = text;
    return element;
  }

  function anchor(text, href, className, fileName) {
    const element = document.createElement("a");
    element.className = "button chart-download " + className;
    element.href = href;
    element.textContent = text;
    if (fileName) element.download = fileName;
    return element;
  }

  function attachChartDownloads(chart, options) {
    const container = options.container;
    const labels = container.dataset;
    const filename = options.filename || "chart";
    const csvUrl = options.csvUrl || labels.csvUrl;
    const apiUrl = options.apiUrl || labels.apiUrl;
    container.replaceChildren();
    const png = button(labels.labelPng || "PNG", "download-png");
    png.addEventListener("click", () => savePng(chart.canvas, filename + ".png"));
    container.appendChild(png);
    if (csvUrl) {
      container.appendChild(anchor(labels.labelCsv || "CSV", csvUrl, "download-csv", filename + ".csv"));
    } else {
      const csv = button(labels.labelCsv || "CSV", "download-csv");
      csv.addEventListener("click", () => {
        const rows = options.csvRows || chartRows(chart, labels.labelAxis || "");
        const text = rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
        const url = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" }));
        download(url, filename + ".csv");
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      });
      container.appendChild(csv);
    }
    if (apiUrl) container.appendChild(anchor(labels.labelApi || "API", apiUrl, "api-link"));
    container.hidden = false;
  }

  window.attachChartDownloads = attachChartDownloads;

  document.querySelectorAll("button.chart-png[data-canvas]").forEach(function (pngButton) {
    const canvas = document.getElementById(pngButton.dataset.canvas);
    if (!canvas) return;
    pngButton.hidden = false;
    pngButton.addEventListener("click", () => savePng(canvas, pngButton.dataset.filename || "chart.png"));
  });
})();

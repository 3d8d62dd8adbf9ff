// The charts of a unit's page, drawn with the vendored Chart.js from the figures the page embeds: the month by
// month chart (victims as bars, outlined when provisional, the 12-month rate as a line inside its shaded 95% interval), the sources side by
// side, and the hidden-violence series; a line into a provisional month is dashed. Numbers follow the page's
// language.
(function () {
  "use strict";
  const locale = document.documentElement.lang || "es";
  const names = JSON.parse(document.getElementById("series-names").textContent);
  const COLORS = ["#3670b4", "#d66e28", "#2e8b57", "#7b4fa0", "#b8323c", "#5d6475"];
  const RATE = "#b8323c";
  const onPhone = () => window.matchMedia("(max-width: 40rem)").matches;

  function read(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  function options(extra) {
    return Object.assign({
      locale: locale,
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { boxWidth: 14 } } },
      scales: { x: { ticks: { maxRotation: 0, autoSkipPadding: onPhone() ? 12 : 4 } } },
    }, extra);
  }

  function number(value) {
    return typeof value === "number" ? value : null;
  }

  function monthly() {
    const canvas = document.getElementById("monthly-chart");
    const labels = canvas.dataset;
    const months = read("monthly-data");
    const provisional = months.map((month) => month.status === "provisional");
    return new Chart(canvas, {
      data: {
        labels: months.map((month) => month.month),
        datasets: [
          { type: "line", label: labels.highLabel, data: months.map((month) => number(month.rolling_rate_high)), yAxisID: "rate",
            borderWidth: 0, pointRadius: 0, fill: "+1", backgroundColor: "rgba(184, 50, 60, 0.15)" },
          { type: "line", label: labels.lowLabel, data: months.map((month) => number(month.rolling_rate_low)), yAxisID: "rate",
            borderWidth: 0, pointRadius: 0, fill: false },
          { type: "line", label: labels.rateLabel, data: months.map((month) => number(month.rolling_rate)), yAxisID: "rate",
            borderColor: RATE, backgroundColor: RATE, pointRadius: 0, borderWidth: 2,
            segment: { borderDash: (segment) => (provisional[segment.p1DataIndex] ? [6, 4] : undefined) } },
          { type: "bar", label: labels.countLabel, data: months.map((month) => number(month.count)), yAxisID: "count",
            backgroundColor: provisional.map((flag) => (flag ? "rgba(54, 112, 180, 0.12)" : "rgba(54, 112, 180, 0.55)")),
            borderColor: COLORS[0], borderWidth: provisional.map((flag) => (flag ? 1.5 : 0)) },
        ],
      },
      options: options({
        plugins: {
          legend: { labels: { boxWidth: 14, filter: (item) => item.datasetIndex > 1 } },
          tooltip: { filter: (item) => item.datasetIndex !== 1,
                     callbacks: { afterBody: (items) => (items.length && provisional[items[0].dataIndex] ? labels.provisionalLabel : "") } },
        },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkipPadding: onPhone() ? 12 : 4 } },
          count: { position: "left", beginAtZero: true, title: { display: !onPhone(), text: labels.countLabel } },
          rate: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: !onPhone(), text: labels.rateLabel } },
        },
      }),
    });
  }

  function lines(canvasId, dataId, widths) {
    const chart = read(dataId);
    return new Chart(document.getElementById(canvasId), {
      type: "line",
      data: {
        labels: chart.months,
        datasets: Object.keys(chart.values).map((key, index) => ({
          label: names[key] || key,
          data: chart.values[key],
          borderColor: COLORS[index % COLORS.length],
          backgroundColor: COLORS[index % COLORS.length],
          borderWidth: widths(key),
          pointRadius: 0,
          spanGaps: false,
          segment: { borderDash: (segment) => (chart.provisional[key][segment.p1DataIndex] ? [6, 4] : undefined) },
        })),
      },
      options: options({ scales: { x: { ticks: { maxRotation: 0 } }, y: { beginAtZero: true } } }),
    });
  }

  // The timeline's events (templates/indicators/_timeline_events.html lists them under the monthly chart) marked
  // on every chart of the page.
  function markEvents(charts) {
    const section = document.querySelector("section.timeline-events[data-chart]");
    if (!section || !window.ObservatoryTimelineEvents) return;
    const events = JSON.parse(document.getElementById(section.dataset.events).textContent);
    charts.forEach((chart) =>
      window.ObservatoryTimelineEvents.attach(chart, events, { heading: section.dataset.labelEvents, listId: section.id }),
    );
  }

  markEvents([
    monthly(),
    lines("sources-chart", "sources-data", (key) => (key === "reconciled" ? 3 : 1.5)),
    lines("hidden-chart", "hidden-data", (key) => (key === "homicide" ? 3 : 1.5)),
  ]);
})();

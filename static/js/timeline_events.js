// Events on the timeline of a chart: a vertical line at the day an event started, a shaded span to the day it
// ended, and above each the number of its entry in the list under the chart (templates/indicators/
// _timeline_events.html). Pointing at (or tapping) a marker shows its kind, title and dates; the chart's accessible
// label names every event. Works on any Chart.js chart whose x axis is months labelled "YYYY-MM".
//
// Every `section.timeline-events[data-chart]` is attached to the chart of that canvas id on load; other pages call
// `ObservatoryTimelineEvents.attach(chart, events)` with the same items (selectors.timeline_event_items).
(function () {
  "use strict";
  if (!window.Chart) { return; }
  var COLORS = {
    truce: "31, 107, 58", police_operation: "138, 31, 31", programme_start: "102, 51, 153",
    source_definition_change: "90, 90, 90", source_coverage_change: "90, 90, 90", other: "60, 60, 60"
  };
  var LABEL_HEIGHT = 16, HIT_SLOP = 8;

  function day(text) {
    var parts = text.split("-");
    return {year: +parts[0], month: +parts[1], day: +(parts[2] || 1)};
  }
  function daysInMonth(year, month) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }
  // A day as a position on the month axis, in months: 0 is the middle of the first labelled month, so the month
  // i spans i - 0.5 to i + 0.5. `through` places a day's end rather than its start.
  function axisPosition(firstLabel, text, through) {
    var first = day(firstLabel), when = day(text);
    var months = (when.year - first.year) * 12 + when.month - first.month;
    return months - 0.5 + (when.day - (through ? 0 : 1)) / daysInMonth(when.year, when.month);
  }
  function pixelOf(scale, labels, position) {
    var first = scale.getPixelForValue(0);
    var step = labels.length > 1 ? (scale.getPixelForValue(labels.length - 1) - first) / (labels.length - 1)
      : scale.width;
    return first + position * step;
  }
  function dateText(text, language) {
    var when = day(text);
    return new Intl.DateTimeFormat(language, {year: "numeric", month: "short", day: "numeric", timeZone: "UTC"})
      .format(new Date(Date.UTC(when.year, when.month - 1, when.day)));
  }
  function describe(event, language) {
    var dates = dateText(event.start, language) + (event.end ? " – " + dateText(event.end, language) : "");
    return {heading: event.number + ". " + event.kind_label + " · " + dates, title: event.title};
  }

  // Where each event falls on the chart as drawn (null: outside the months shown).
  function place(chart, state) {
    var labels = chart.data.labels, scale = chart.scales.x, area = chart.chartArea;
    state.markers = state.events.map(function (event) {
      var start = pixelOf(scale, labels, axisPosition(labels[0], event.start, false));
      var end = event.end ? pixelOf(scale, labels, axisPosition(labels[0], event.end, true)) : null;
      if ((end === null ? start : end) < area.left || start > area.right) { return null; }
      return {number: event.number, x: Math.max(start, area.left), end: end === null ? null : Math.min(end, area.right)};
    });
  }

  function drawMarker(context, area, marker, color) {
    if (marker.end !== null) {
      context.fillStyle = "rgba(" + color + ", 0.10)";
      context.fillRect(marker.x, area.top, Math.max(marker.end - marker.x, 2), area.bottom - area.top);
      context.setLineDash([4, 3]);
      context.strokeStyle = "rgba(" + color + ", 0.7)";
      context.beginPath();
      context.moveTo(marker.end, area.top);
      context.lineTo(marker.end, area.bottom);
      context.stroke();
      context.setLineDash([]);
    }
    context.strokeStyle = "rgb(" + color + ")";
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(marker.x, area.top);
    context.lineTo(marker.x, area.bottom);
    context.stroke();
    context.lineWidth = 1;
    // The number at the top of the plot, inside it: above it is the legend's place.
    var text = String(marker.number), width = context.measureText(text).width + 8;
    var left = Math.min(Math.max(marker.x - width / 2, area.left), area.right - width);
    context.fillStyle = "rgb(" + color + ")";
    context.fillRect(left, area.top, width, LABEL_HEIGHT);
    context.fillStyle = "#fff";
    context.fillText(text, left + width / 2, area.top + LABEL_HEIGHT / 2);
  }

  function drawTooltip(chart, state) {
    var marker = state.markers[state.active], event = state.events[state.active];
    if (!marker) { return; }
    var context = chart.ctx, area = chart.chartArea, text = describe(event, state.language);
    context.save();
    context.font = "bold 12px system-ui, sans-serif";
    var width = Math.min(Math.max(context.measureText(text.heading).width,
      context.measureText(text.title).width) + 12, area.right - area.left);
    var left = Math.min(Math.max(marker.x + 6, area.left), area.right - width);
    context.fillStyle = "rgba(31, 36, 48, 0.92)";
    context.fillRect(left, area.top + LABEL_HEIGHT + 4, width, 38);
    context.fillStyle = "#fff";
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(text.heading, left + 6, area.top + LABEL_HEIGHT + 8, width - 12);
    context.font = "12px system-ui, sans-serif";
    context.fillText(text.title, left + 6, area.top + LABEL_HEIGHT + 24, width - 12);
    context.restore();
  }

  function markerAt(state, x, y, area) {
    if (y > area.bottom || x < area.left - HIT_SLOP || x > area.right + HIT_SLOP) { return null; }
    for (var index = state.markers.length - 1; index >= 0; index -= 1) {
      var marker = state.markers[index];
      if (marker && Math.abs(x - marker.x) <= HIT_SLOP) { return index; }
    }
    return null;
  }

  Chart.register({
    id: "observatoryTimelineEvents",
    afterDatasetsDraw: function (chart) {
      var state = chart.$timelineEvents;
      if (!state || !chart.data.labels.length) { return; }
      place(chart, state);
      var context = chart.ctx;
      context.save();
      context.font = "bold 11px system-ui, sans-serif";
      context.textAlign = "center";
      context.textBaseline = "middle";
      state.markers.forEach(function (marker, index) {
        if (marker) { drawMarker(context, chart.chartArea, marker, COLORS[state.events[index].kind] || COLORS.other); }
      });
      context.restore();
    },
    afterDraw: function (chart) {
      var state = chart.$timelineEvents;
      if (state && state.active !== null) { drawTooltip(chart, state); }
    },
    afterEvent: function (chart, args) {
      var state = chart.$timelineEvents, event = args.event;
      if (!state || !state.markers) { return; }
      var active = event.type === "mouseout" ? null : markerAt(state, event.x, event.y, chart.chartArea);
      if (active !== state.active) {
        state.active = active;
        args.changed = true;
      }
    }
  });

  function accessibleLabel(canvas, events, heading, language) {
    var base = canvas.dataset.baseLabel || canvas.getAttribute("aria-label") || "";
    canvas.dataset.baseLabel = base;
    var names = events.map(function (event) {
      var text = describe(event, language);
      return text.heading + ": " + text.title;
    });
    canvas.setAttribute("aria-label", base + ". " + heading + ": " + names.join("; "));
  }

  function attach(chart, events, options) {
    options = options || {};
    var language = document.documentElement.lang || "es";
    chart.$timelineEvents = {events: events, markers: [], active: null, language: language};
    if (options.heading) { accessibleLabel(chart.canvas, events, options.heading, language); }
    if (options.listId) { chart.canvas.setAttribute("aria-describedby", options.listId); }
    chart.update("none");
  }

  window.ObservatoryTimelineEvents = {attach: attach};

  Array.prototype.forEach.call(document.querySelectorAll("section.timeline-events[data-chart]"), function (section) {
    var chart = Chart.getChart(section.dataset.chart), data = document.getElementById(section.dataset.events);
    if (chart && data) {
      attach(chart, JSON.parse(data.textContent), {heading: section.dataset.labelEvents, listId: section.id});
    }
  });
})();

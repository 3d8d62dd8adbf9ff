// The CompStat page: the incident map (counts in squares far out, points close in, from the API) and the daily chart.
(function () {
  "use strict";
  var configElement = document.getElementById("map-config");
  var element = document.getElementById("incident-map");
  if (configElement && element && window.L) {
    var config = JSON.parse(configElement.textContent);
    var labels = config.labels;
    var status = document.getElementById("map-status");
    var map = L.map(element, {preferCanvas: true});
    if (config.tile_url) {
      L.tileLayer(config.tile_url, {attribution: config.tile_attribution, maxZoom: 19}).addTo(map);
    }
    var outlines = L.geoJSON(config.outlines, {style: {color: "#1f2933", weight: 1.5, fill: false}}).addTo(map);
    if (outlines.getLayers().length) { map.fitBounds(outlines.getBounds()); } else { map.setView([15.6, -90.3], 7); }
    var layer = L.layerGroup().addTo(map);
    var sequence = 0;
    var timer = null;

    function escapeText(value) {
      var span = document.createElement("span");
      span.textContent = value == null ? "" : String(value);
      return span.innerHTML;
    }
    function format(template, values) {
      return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
    }
    function showIncident(marker, id) {
      fetch(config.incident_url + id + "/", {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (incident) {
          var rows = [
            [labels.incident, incident.incident_number], [labels.date, incident.day],
            [labels.time, incident.time ? incident.time.slice(0, 5) : "–"], [labels.category, incident.category_label],
            [labels.weapon, incident.weapon_label || "–"], [labels.place_type, incident.place_type_label || "–"]
          ];
          marker.bindPopup('<dl class="incident">' + rows.map(function (row) {
            return "<dt>" + escapeText(row[0]) + "</dt><dd>" + escapeText(row[1]) + "</dd>";
          }).join("") + "</dl>").openPopup();
        });
    }
    function draw(data) {
      layer.clearLayers();
      var total = 0;
      if (data.mode === "cells") {
        var most = Math.max.apply(null, data.cells.map(function (cell) { return cell.count; }).concat([1]));
        data.cells.forEach(function (cell) {
          total += cell.count;
          L.rectangle([[cell.bounds[1], cell.bounds[0]], [cell.bounds[3], cell.bounds[2]]], {
            stroke: false, fillColor: "#b2182b", fillOpacity: 0.15 + 0.75 * cell.count / most
          }).bindTooltip(cell.count + " " + labels.incidents).addTo(layer);
        });
        status.textContent = format(labels.cells, {count: total, metres: Math.round(data.cell_metres)});
      } else {
        data.points.forEach(function (point) {
          total += 1;
          var marker = L.circleMarker([point.lon_lat[1], point.lon_lat[0]], {
            radius: 6, color: "#7f0f1e", weight: 1, fillColor: "#b2182b", fillOpacity: 0.8
          }).addTo(layer);
          marker.on("click", function () { showIncident(marker, point.id); });
        });
        status.textContent = total ? format(labels.points, {count: total}) : labels.none;
      }
      element.dataset.mode = data.mode;
      element.dataset.total = String(total);
    }
    function load() {
      var bounds = map.getBounds();
      var params = new URLSearchParams(config.query);
      params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
        .map(function (value) { return Math.max(-180, Math.min(180, value)).toFixed(5); }).join(","));
      params.set("zoom", String(map.getZoom()));
      var mine = ++sequence;
      status.textContent = labels.loading;
      element.dataset.mode = "";
      fetch(config.cells_url + "?" + params.toString(), {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (data) { if (mine === sequence) { draw(data); } });
    }
    map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(load, 150); });
    load();
  }

  var chartData = document.getElementById("daily-data");
  var canvas = document.getElementById("daily-chart");
  if (chartData && canvas && window.Chart) {
    var series = JSON.parse(chartData.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.days,
        datasets: [
          {type: "bar", label: canvas.dataset.dailyLabel, data: series.daily, backgroundColor: "rgba(54, 112, 180, 0.45)"},
          {type: "line", label: canvas.dataset.meanLabel, data: series.mean, borderColor: "rgb(178, 24, 43)",
           borderWidth: 2, pointRadius: 0}
        ]
      },
      options: {
        animation: false, maintainAspectRatio: false,
        scales: {x: {ticks: {maxTicksLimit: 12}}, y: {beginAtZero: true}}
      }
    });
  }
})();

// The home page's map of rates: one cached request per period (a TopoJSON topology whose units carry their figures
// and classes), drawn with Leaflet; hover for a unit's figure, click for its page.
(function () {
  "use strict";
  const element = document.getElementById("rate-map");
  if (!element) return;
  const labels = element.dataset;
  const status = document.getElementById("map-status");
  const select = document.getElementById("period");
  const legendClasses = document.getElementById("legend-classes");
  const legendMethod = document.getElementById("legend-method");
  const legendProvisional = document.getElementById("legend-provisional");
  const legendNoRate = document.getElementById("legend-no-rate");
  const tableBody = document.querySelector("#map-table tbody");
  const locale = labels.locale || "es";
  const decimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: "always" });
  const whole = new Intl.NumberFormat(locale, { useGrouping: "always" });
  // ColorBrewer's YlOrRd, by number of classes: light for low rates, dark red for high.
  const PALETTES = {
    1: ["#fd8d3c"],
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
  };
  const NO_DATA = "#c4c8cf";
  const canHover = window.matchMedia("(hover: hover)").matches;
  const map = L.map(element, { zoomSnap: 0.25 }).setView([15.6, -90.3], 7);
  if (labels.tileUrl) L.tileLayer(labels.tileUrl, { attribution: labels.tileAttribution }).addTo(map);
  let drawn = [];
  let fitted = false;

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function kindOf(properties) {
    if (properties.no_data) return "no-data";
    if (properties.rate === null) return typeof properties.count === "number" ? "no-rate" : "withheld";
    return "rated";
  }

  function countText(count) {
    return typeof count === "number" ? whole.format(count) : String(count);
  }

  function describe(properties) {
    const lines = ["<strong>" + escapeHtml(properties.name) + "</strong>"];
    const kind = kindOf(properties);
    if (kind === "no-data") {
      lines.push(escapeHtml(labels.labelNoData));
    } else {
      if (kind === "rated") {
        lines.push(escapeHtml(labels.labelRate) + ": " + decimal.format(properties.rate));
        lines.push(escapeHtml(labels.labelInterval) + ": " + decimal.format(properties.rate_low) + " – " + decimal.format(properties.rate_high));
      } else if (kind === "withheld") {
        lines.push(escapeHtml(labels.labelWithheld));
      } else {
        lines.push(escapeHtml(labels.labelNoPopulation));
      }
      lines.push(escapeHtml(labels.labelCount) + ": " + escapeHtml(countText(properties.count)));
      const flags = [];
      if (properties.unstable) flags.push(labels.labelUnstable);
      if (properties.status === "provisional") flags.push(labels.labelProvisional);
      if (flags.length) lines.push("<em>" + escapeHtml(flags.join(" · ")) + "</em>");
    }
    return lines.join("<br>");
  }

  // The unit's page, on the year of the period when the period is a calendar year.
  function unitUrl(properties, period) {
    const url = labels.unitUrl.replace("CODE", encodeURIComponent(properties.code));
    return period.is_year ? url + "?" + new URLSearchParams({ year: period.code }).toString() : url;
  }

  function style(colors) {
    return function (feature) {
      const properties = feature.properties;
      const kind = kindOf(properties);
      const base = { className: "unit " + kind + " unit-" + properties.code, color: "#ffffff", weight: 0.6, fillOpacity: 0.9 };
      if (kind === "rated") return Object.assign(base, { fillColor: colors[properties.class] });
      if (kind === "withheld") return Object.assign(base, { fillColor: "url(#hatch-withheld)", fillOpacity: 1 });
      return Object.assign(base, { fillColor: kind === "no-data" ? NO_DATA : "#ffffff" });
    };
  }

  function drawLegend(data, colors, features) {
    legendClasses.replaceChildren();
    data.classification.classes.forEach(function (bounds, index) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colors[index];
      item.append(swatch, decimal.format(bounds.low) + " – " + decimal.format(bounds.high));
      legendClasses.append(item);
    });
    const method = data.classification.method;
    legendMethod.textContent = method === "fisher_jenks" ? labels.labelJenks : method === "quantiles" ? labels.labelQuantiles : labels.labelNoRates;
    legendProvisional.hidden = !data.period.provisional;
    legendNoRate.hidden = !features.some((feature) => kindOf(feature.properties) === "no-rate");
  }

  function drawTable(features, period) {
    tableBody.replaceChildren();
    features
      .filter((feature) => !feature.properties.no_data)
      .sort((a, b) => a.properties.name.localeCompare(b.properties.name, locale))
      .forEach(function (feature) {
        const properties = feature.properties;
        const row = tableBody.insertRow();
        const link = document.createElement("a");
        link.href = unitUrl(properties, period);
        link.textContent = properties.name;
        row.insertCell().append(link);
        const cells = [
          countText(properties.count),
          properties.rate === null ? "—" : decimal.format(properties.rate),
          properties.rate === null ? "—" : decimal.format(properties.rate_low) + " – " + decimal.format(properties.rate_high),
        ];
        cells.forEach(function (text) {
          const cell = row.insertCell();
          cell.className = "number";
          cell.textContent = text;
        });
        const flags = [];
        if (properties.unstable) flags.push(labels.labelUnstable);
        if (properties.status === "provisional") flags.push(labels.labelProvisional);
        row.insertCell().textContent = flags.join(" · ");
      });
  }

  function draw(data) {
    drawn.forEach((layer) => layer.remove());
    const topology = data.topology;
    const collection = topojson.feature(topology, topology.objects.units);
    const colors = PALETTES[data.classification.classes.length] || [];
    const units = L.geoJSON(collection, {
      style: style(colors),
      // A pointer that hovers reads the figure in a tooltip and clicks through; a finger taps for a popup with a link.
      onEachFeature: function (feature, layer) {
        const properties = feature.properties;
        const url = properties.no_data ? null : unitUrl(properties, data.period);
        if (canHover) {
          layer.bindTooltip(describe(properties), { sticky: true, className: "unit-tooltip" });
          if (url) layer.on("click", () => window.location.assign(url));
        } else {
          const link = url ? '<br><a href="' + escapeHtml(url) + '">' + escapeHtml(labels.labelOpen) + "</a>" : "";
          layer.bindPopup(describe(properties) + link, { className: "unit-tooltip", maxWidth: 240, autoPanPaddingTopLeft: [44, 10] });
        }
      },
    }).addTo(map);
    const unstable = collection.features.filter((feature) => feature.properties.unstable && feature.properties.rate !== null);
    const hatching = L.geoJSON({ type: "FeatureCollection", features: unstable }, {
      style: { className: "unstable-hatch", fillColor: "url(#hatch-unstable)", fillOpacity: 1, stroke: false },
      interactive: false,
    }).addTo(map);
    const borders = L.geoJSON(
      topojson.mesh(topology, topology.objects.units, (a, b) => a !== b && a.properties.parent !== b.properties.parent),
      { style: { className: "parent-border", color: "#3b3b58", weight: 1.4, fill: false }, interactive: false },
    ).addTo(map);
    drawn = [units, hatching, borders];
    drawLegend(data, colors, collection.features);
    drawTable(collection.features, data.period);
    if (!fitted && collection.features.length) {
      // Where the figures are: the units with data, or the whole map when none has any.
      const withData = collection.features.filter((feature) => !feature.properties.no_data);
      const bounds = L.geoJSON({ type: "FeatureCollection", features: withData.length ? withData : collection.features }).getBounds();
      map.fitBounds(bounds, { padding: [20, 20], animate: false });
      fitted = true;
    }
    element.dataset.loaded = data.period.code;
  }

  async function load(code) {
    status.textContent = labels.labelLoading;
    const query = new URLSearchParams({ period: code });
    if (labels.vintage) query.set("vintage", labels.vintage);
    const response = await fetch(labels.url + "?" + query.toString(), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    draw(await response.json());
    status.textContent = "";
  }

  function failed(error) {
    status.textContent = labels.labelError + ": " + error.message;
    element.dataset.loaded = "error";
  }

  if (select) {
    select.addEventListener("change", function () {
      const url = new URL(window.location.href);
      url.searchParams.set("period", select.value);
      window.history.replaceState(null, "", url);
      load(select.value).catch(failed);
    });
  }
  if (labels.period) load(labels.period).catch(failed);
})();

// The hotspot page: follows a computing analysis until it is ready; then draws its cells and colonias with Leaflet,
// one layer at a time with its legend, and lets the commander draw or pick an operation area for the displacement
// check (Leaflet.draw).
(function () {
  "use strict";
  const progress = document.getElementById("analysis-progress");
  if (progress) {
    const bar = progress.querySelector("progress");
    const note = progress.querySelector(".progress-note");
    const follow = async () => {
      const response = await fetch(progress.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const analysis = await response.json();
        bar.value = analysis.progress;
        note.textContent = analysis.progress_note || analysis.status;
        if (analysis.status === "done" || analysis.status === "failed") return window.location.reload();
      }
      window.setTimeout(follow, 2000);
    };
    window.setTimeout(follow, 1500);
  }

  const element = document.getElementById("hotspot-map");
  if (!element) return;
  const labels = element.dataset;
  const status = document.getElementById("map-status");
  const numberFormat = new Intl.NumberFormat(labels.numberLocale || "es", { maximumFractionDigits: 2 });
  const palettes = {
    confidence: { 3: "#b2182b", 2: "#ef8a62", 1: "#fddbc7", 0: "#f7f7f7", "-1": "#d1e5f0", "-2": "#67a9cf", "-3": "#2166ac" },
    emerging: { new: "#fdae61", intensifying: "#a50026", persistent: "#e34a33", diminishing: "#fee08b", sporadic: "#c994c7", no_pattern: "#f7f7f7" },
    moran: { HH: "#d7191c", LL: "#2c7bb6", HL: "#fdae61", LH: "#abd9e9", "": "#eeeeee" },
    density: { low: "#fff5eb", high: "#7f2704" },
  };
  const legendPalette = { "grid-gi colonia-gi": palettes.confidence, emerging: palettes.emerging, moran: palettes.moran, density: palettes.density };
  const legend = document.getElementById("hotspot-legend");
  legend.querySelectorAll("ul").forEach((list) => {
    const palette = legendPalette[list.dataset.layer];
    list.querySelectorAll("li").forEach((item) => { item.querySelector(".swatch").style.background = palette[item.dataset.key]; });
  });

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function densityColour(value, highest) {
    const share = highest > 0 ? Math.sqrt(value / highest) : 0;
    const low = [255, 245, 235], high = [127, 39, 4];
    return "rgb(" + low.map((start, i) => Math.round(start + (high[i] - start) * share)).join(",") + ")";
  }

  const map = L.map(element, { preferCanvas: true });
  const areaInput = document.querySelector("#displacement-form input[name=area]");
  function chooseArea(geometry) {
    if (!areaInput) return;
    areaInput.value = JSON.stringify(geometry);
    status.textContent = labels.labelAreaChosen;
  }

  function describe(properties) {
    const lines = ["<strong>" + escapeHtml(properties.name || properties.code) + "</strong>",
      escapeHtml(labels.labelIncidents) + ": " + properties.count, "Gi* z: " + numberFormat.format(properties.gi_z)];
    if (properties.density !== null) lines.push(numberFormat.format(properties.density) + " " + escapeHtml(labels.labelDensityUnit));
    return lines.join("<br>") + '<br><button type="button" class="use-area">' + escapeHtml(labels.labelUseArea) + "</button>";
  }

  function layerOf(collection, fill) {
    return L.geoJSON(collection, {
      style: (feature) => ({ color: "#555", weight: 0.4, fillColor: fill(feature.properties), fillOpacity: 0.75 }),
      onEachFeature: (feature, layer) => {
        layer.bindPopup(describe(feature.properties));
        layer.on("popupopen", (event) => {
          event.popup.getElement().querySelector(".use-area").addEventListener("click", () => {
            chooseArea(feature.geometry);
            map.closePopup();
          });
        });
      },
    });
  }

  function showLegend(key) {
    legend.querySelectorAll("[data-layer]").forEach((list) => { list.hidden = !list.dataset.layer.split(" ").includes(key); });
  }

  async function load() {
    status.textContent = labels.labelLoading;
    const get = async (kind) => {
      const response = await fetch(labels.areasUrl + "?kind=" + kind, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    };
    const [cells, colonias] = await Promise.all([get("grid"), get("colonia")]);
    const highest = Math.max(0, ...cells.features.map((feature) => feature.properties.density || 0));
    const layers = [
      ["grid-gi", labels.labelGridGi, layerOf(cells, (p) => palettes.confidence[p.confidence])],
      ["emerging", labels.labelEmerging, layerOf(cells, (p) => palettes.emerging[p.emerging || "no_pattern"])],
      ["density", labels.labelDensity, layerOf(cells, (p) => densityColour(p.density || 0, highest))],
      ["colonia-gi", labels.labelColoniaGi, layerOf(colonias, (p) => palettes.confidence[p.confidence])],
      ["moran", labels.labelMoran, layerOf(colonias, (p) => palettes.moran[p.moran_cluster])],
    ];
    const baseLayers = {};
    layers.forEach(([key, label, layer]) => { layer.legendKey = key; baseLayers[label] = layer; });
    layers[0][2].addTo(map);
    L.control.layers(baseLayers, null, { collapsed: window.innerWidth < 600 }).addTo(map);
    map.on("baselayerchange", (event) => showLegend(event.layer.legendKey));
    const extent = L.featureGroup([layers[0][2], layers[3][2]]).getBounds();
    if (extent.isValid()) map.fitBounds(extent); else map.setView([14.62, -90.53], 12);
    const drawn = new L.FeatureGroup().addTo(map);
    map.addControl(new L.Control.Draw({
      draw: { polygon: { showArea: false }, rectangle: { showArea: false }, polyline: false, circle: false, marker: false, circlemarker: false },
      edit: { featureGroup: drawn, edit: false, remove: false },
    }));
    map.on(L.Draw.Event.CREATED, (event) => {
      drawn.clearLayers();
      drawn.addLayer(event.layer);
      chooseArea(event.layer.toGeoJSON().geometry);
    });
    element.dataset.loaded = String(cells.features.length);
    status.textContent = "";
  }

  load().catch((error) => { status.textContent = labels.labelError + ": " + error.message; });
}());

// The public geography map: administrative units and police jurisdictions from the API, drawn with Leaflet.
(function () {
  "use strict";
  const element = document.getElementById("geography-map");
  if (!element) return;
  const labels = element.dataset;
  const status = document.getElementById("map-status");
  const numberFormat = new Intl.NumberFormat(labels.numberLocale || "es");
  const map = L.map(element, { preferCanvas: false }).setView([15.6, -90.3], 7);

  const styles = {
    department: { className: "unit-department", color: "#3b3b58", weight: 2, fill: false },
    municipality: { className: "unit-municipality", color: "#2b6f8e", weight: 1, fillColor: "#9ccbe0", fillOpacity: 0.35 },
    colonia: { className: "unit-colonia", color: "#8e4b2b", weight: 1, dashArray: "3", fillColor: "#f0c9a0", fillOpacity: 0.4 },
    jurisdiction: { className: "police-jurisdiction", color: "#6a2b8e", weight: 2, dashArray: "6 4", fill: false },
  };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function describe(properties) {
    let population = labels.labelNoPopulation;
    if (properties.population !== null && properties.population !== undefined) {
      population = numberFormat.format(properties.population) + " (" + properties.population_year + ")";
      if (properties.population_is_demo) population += " · " + labels.labelDemo;
    }
    return "<strong>" + escapeHtml(properties.name) + "</strong><br>" + escapeHtml(labels.labelCode) + ": " +
      escapeHtml(properties.code) + "<br>" + escapeHtml(labels.labelPopulation) + ": " + escapeHtml(population);
  }

  async function fetchAll(url) {
    const features = [];
    let next = url;
    while (next) {
      const response = await fetch(next, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      const page = await response.json();
      features.push(...page.features);
      next = page.next;
    }
    return { type: "FeatureCollection", features: features };
  }

  function layerOf(collection, style, interactive) {
    return L.geoJSON(collection, {
      style: style,
      interactive: interactive,
      onEachFeature: interactive ? (feature, layer) => {
        layer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
        layer.bindPopup(describe(feature.properties));
      } : undefined,
    });
  }

  async function load() {
    status.textContent = labels.labelLoading;
    const unitsUrl = labels.unitsUrl + "?page_size=400&level=";
    const [departments, municipalities, colonias, jurisdictions] = await Promise.all([
      fetchAll(unitsUrl + "department"),
      fetchAll(unitsUrl + "municipality"),
      fetchAll(unitsUrl + "colonia"),
      fetchAll(labels.jurisdictionsUrl + "?page_size=400"),
    ]);
    const municipalityLayer = layerOf(municipalities, styles.municipality, true).addTo(map);
    const departmentLayer = layerOf(departments, styles.department, false).addTo(map);
    const coloniaLayer = layerOf(colonias, styles.colonia, true);
    const jurisdictionLayer = layerOf(jurisdictions, styles.jurisdiction, true);
    const overlays = {};
    overlays[labels.labelDepartments] = departmentLayer;
    overlays[labels.labelMunicipalities] = municipalityLayer;
    overlays[labels.labelColonias] = coloniaLayer;
    overlays[labels.labelJurisdictions] = jurisdictionLayer;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    if (municipalities.features.length) map.fitBounds(municipalityLayer.getBounds());
    element.dataset.loaded = String(municipalities.features.length);
    status.textContent = "";
  }

  load().catch((error) => {
    status.textContent = labels.labelError + ": " + error.message;
    element.dataset.loaded = "error";
  });
})();

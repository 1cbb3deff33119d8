/* The service-circle map: district outlines and names, h3 cells coloured by uncovered workers,
 * station markers and suggested sites, and from a street zoom the streets' names and
 * approximate areas (portal/offline-map.js), on a blank background unless a tile URL is
 * configured. Data comes from two json_script blocks and the vendored district boundaries (a
 * static file of this site, URL in data-boundaries); nothing else is fetched except the
 * configured tiles. */
(function () {
  "use strict";
  var el = document.getElementById("circle-map");
  if (!el || typeof L === "undefined" || !window.OfflineMap) return;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var cfg = JSON.parse(document.getElementById("map-config").textContent);
  var view = OfflineMap.create(el, cfg);
  var map = view.map, place = view.place;

  var bounds = L.latLngBounds([]);
  var districtLayer = L.layerGroup().addTo(map);
  var most = data.cells.reduce(function (m, c) { return Math.max(m, c.workers); }, 1);
  var cellLayer = L.layerGroup().addTo(map);
  data.cells.forEach(function (c) {
    var ring = h3.cellToBoundary(c.cell).map(function (p) { return place(p[0], p[1]); });
    var share = c.workers / most;
    var poly = L.polygon(ring, {
      className: "hotspot-cell", weight: 0.5, color: "#7a1c1c",
      fillColor: share > 0.66 ? "#b71c1c" : share > 0.33 ? "#e65100" : "#f9a825",
      fillOpacity: 0.25 + 0.5 * share,
    }).bindTooltip(cfg.labels.uncovered + " " + c.workers);
    poly.addTo(cellLayer);
    bounds.extend(poly.getBounds());
  });
  var stationLayer = L.layerGroup().addTo(map);
  data.stations.forEach(function (s) {
    var p = place(s.lat, s.lng);
    L.circleMarker(p, {
      className: "station-marker", radius: 5, weight: 1, color: "#fff",
      fillColor: s.compliant ? "#c62828" : "#6d4c41", fillOpacity: 0.95,
    }).bindTooltip(s.name).addTo(stationLayer);
    bounds.extend(p);
  });
  var siteLayer = L.layerGroup().addTo(map);
  data.sites.forEach(function (s) {
    var p = place(s.lat, s.lng);
    L.circleMarker(p, {
      className: "site-marker", radius: 9, weight: 3, color: "#0d47a1", fillColor: "#fff",
      fillOpacity: 0.9,
    }).bindTooltip("#" + s.rank + " · " + cfg.labels.newlyCovered + " " + s.newly_covered)
      .addTo(siteLayer);
    bounds.extend(p);
  });
  var overlays = {};
  overlays[cfg.labels.districts] = districtLayer;
  overlays[cfg.labels.cells] = cellLayer;
  overlays[cfg.labels.stations] = stationLayer;
  overlays[cfg.labels.sites] = siteLayer;
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  var hasData = bounds.isValid();
  if (hasData) map.fitBounds(bounds, { padding: [16, 16] });
  else map.setView(place(cfg.center[0], cfg.center[1]), 10);
  OfflineMap.drawStreets(view, el, data.streets, data.street_areas, cfg.labels.approximate);
  el.dataset.stations = String(data.stations.length);
  el.dataset.cells = String(data.cells.length);
  el.dataset.sites = String(data.sites.length);

  OfflineMap.loadDistricts(view, el, districtLayer, cfg.districtUrl, function (outlines) {
    if (outlines && !hasData) map.fitBounds(outlines.getBounds(), { padding: [8, 8] });
  });
})();

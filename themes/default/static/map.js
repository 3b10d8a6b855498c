/* villagesite maps. The page works without this script: every map is also a list of places with
   their coordinates and links to map apps. With it, Leaflet (about 160 KB) is fetched only when a
   map comes into view, so a visitor who never scrolls there never downloads it. */
(function () {
  "use strict";
  var blocks = document.querySelectorAll("[data-map]");
  if (!blocks.length) return;
  var loading = null;

  function load(settings) {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var waiting = 2; /* the stylesheet too: Leaflet lays out its panes with it */
      function done() { if (--waiting === 0) resolve(window.L); }
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = settings.css;
      css.onload = done;
      css.onerror = reject;
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = settings.js;
      js.onload = done;
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return loading;
  }

  /* WGS-84 -> GCJ-02, for tiles drawn in China's datum (the same formula as villagesite/geo.py). */
  function gcj02(lat, lon) {
    if (lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) return [lat, lon];
    var a = 6378245.0, ee = 0.00669342162296594323, pi = Math.PI, x = lon - 105, y = lat - 35;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += (20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2 / 3;
    dLat += (20 * Math.sin(y * pi) + 40 * Math.sin(y / 3 * pi)) * 2 / 3;
    dLat += (160 * Math.sin(y / 12 * pi) + 320 * Math.sin(y * pi / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLon += (20 * Math.sin(6 * x * pi) + 20 * Math.sin(2 * x * pi)) * 2 / 3;
    dLon += (20 * Math.sin(x * pi) + 40 * Math.sin(x / 3 * pi)) * 2 / 3;
    dLon += (150 * Math.sin(x / 12 * pi) + 300 * Math.sin(x / 30 * pi)) * 2 / 3;
    var rad = lat / 180 * pi, magic = 1 - ee * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = dLat * 180 / ((a * (1 - ee)) / (magic * sq) * pi);
    dLon = dLon * 180 / (a / sq * Math.cos(rad) * pi);
    return [lat + dLat, lon + dLon];
  }

  /* The places of a map: the items of its list, or the features of a GeoJSON file. */
  function places(block) {
    var url = block.getAttribute("data-geojson");
    if (!url) {
      return Promise.resolve(Array.prototype.map.call(block.querySelectorAll("[data-lat]"), function (item) {
        return {
          lat: +item.getAttribute("data-lat"), lon: +item.getAttribute("data-lon"),
          name: item.getAttribute("data-name"), style: item.getAttribute("data-style") || "",
          url: item.getAttribute("data-url"), note: item.getAttribute("data-note") || ""
        };
      }));
    }
    return fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      return data.features.map(function (f) {
        var p = f.properties;
        return { lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0], name: p.name,
                 style: p.style, url: p.url, note: [p.city, p.style_name].filter(Boolean).join(" · ") };
      });
    });
  }

  function popup(place) {
    var box = document.createElement("div");
    var title = document.createElement(place.url ? "a" : "strong");
    title.textContent = place.name;
    if (place.url) title.href = place.url;
    box.appendChild(title);
    if (place.note) {
      var note = document.createElement("div");
      note.textContent = place.note;
      box.appendChild(note);
    }
    return box;
  }

  function draw(block, canvas) {
    var s = JSON.parse(block.getAttribute("data-map"));
    Promise.all([load(s), places(block)]).then(function (results) {
      var L = results[0], list = results[1];
      var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false, maxZoom: s.maxZoom });
      var labels = s.labels || {};
      var zoom = {};  // the theme's words (t('zoom_in')...); Leaflet's own where a page gives none
      if (labels.zoomIn) zoom.zoomInTitle = labels.zoomIn;
      if (labels.zoomOut) zoom.zoomOutTitle = labels.zoomOut;
      L.control.zoom(zoom).addTo(map);
      /* Leaflet names a popup's close button in English; say it in the page's language. */
      map.on("popupopen", function (e) {
        var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (close && labels.close) close.setAttribute("aria-label", labels.close);
      });
      map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      L.tileLayer(s.tiles, { attribution: s.attribution, subdomains: s.subdomains, maxZoom: s.maxZoom }).addTo(map);
      var bounds = [];
      var villages = L.layerGroup().addTo(map);
      list.forEach(function (place) {
        var at = s.datum === "gcj02" ? gcj02(place.lat, place.lon) : [place.lat, place.lon];
        var icon = L.divIcon({ className: "pin " + (place.style ? "style-" + place.style : "pin-here"), iconSize: [26, 26], iconAnchor: [13, 13],
                               html: "<span></span>" });
        L.marker(at, { icon: icon, title: place.name, alt: place.name, riseOnHover: true })
          .bindPopup(popup(place)).addTo(villages);
        bounds.push(at);
      });
      /* The site's places (homestays, restaurants...): a second layer, off until a visitor switches it on
         (near their villages, their pins would crowd the villages' at the map's first zoom). */
      var placesUrl = block.getAttribute("data-places");
      if (placesUrl) {
        fetch(placesUrl).then(function (r) { return r.json(); }).then(function (data) {
          var layer = L.layerGroup();
          data.features.forEach(function (f) {
            var p = f.properties, c = f.geometry.coordinates;
            var at = s.datum === "gcj02" ? gcj02(c[1], c[0]) : [c[1], c[0]];
            var icon = L.divIcon({ className: "pin pin-place place-" + p.kind, iconSize: [24, 24], iconAnchor: [12, 12], html: "<span></span>" });
            var note = [p.kind_name, p.village_name, p.price_range].filter(Boolean).join(" · ");
            L.marker(at, { icon: icon, title: p.name, alt: p.name, riseOnHover: true })
              .bindPopup(popup({ name: p.name, url: p.url, note: note })).addTo(layer);
          });
          var overlays = {};
          overlays[block.getAttribute("data-layer-villages")] = villages;
          overlays[block.getAttribute("data-layer-places")] = layer;
          L.control.layers(null, overlays, { collapsed: false }).addTo(map);
          block.classList.add("map-layers");
        }).catch(function () { /* the villages are drawn; the places are listed on their own page */ });
      }
      if (bounds.length === 1) map.setView(bounds[0], s.zoom || 14);
      else if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: s.zoom || 14 });
      block.classList.add("map-ready");
      var list_ = block.querySelector("details[data-collapse]");
      if (list_) list_.open = false;
    }).catch(function () {
      canvas.hidden = true; /* offline or blocked: the list below still says where everything is */
    });
  }

  Array.prototype.forEach.call(blocks, function (block) {
    var canvas = block.querySelector(".map-canvas");
    if (!canvas) return;
    canvas.hidden = false;
    if (!("IntersectionObserver" in window)) { draw(block, canvas); return; }
    var watcher = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        watcher.disconnect();
        draw(block, canvas);
      }
    }, { rootMargin: "200px 0px" });
    watcher.observe(canvas);
  });
})();

/* The finder's "use my location": asks the browser for the phone's position (WGS-84, which is
 * what the directory stores), puts it in the form's hidden fields and searches. The messages
 * come from data attributes on the button, so they are translated in the template. */
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  var form = document.getElementById("find-form");
  if (!button || !form || !navigator.geolocation) return;
  var status = document.getElementById("location-status");
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.locating;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = button.dataset.unavailable;
    }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
  // A district, a street or words replace the position: the search is then about that place.
  var clear = document.getElementById("clear-location");
  if (clear) {
    clear.addEventListener("click", function () {
      lat.value = "";
      lng.value = "";
      clear.parentNode.hidden = true;
    });
  }
})();

// The station finder: "Use my location" fills the coordinates (stations/find.html).
(function () {
  var button = document.getElementById("use-location");
  if (!navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var status = document.getElementById("location-status");
    status.textContent = status.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      // Phones report WGS-84, which is what the directory stores.
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      document.getElementById("find-form").submit();
    }, function () {
      status.textContent = status.dataset.unavailable;
    }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();

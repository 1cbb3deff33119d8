"""Every Leaflet map draws the city's districts from the vendored boundary file: no tile server,
no CDN, the file and its licence in the repository, served by the site itself."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = ROOT / "portal" / "static" / "vendor" / "boundaries"
BOUNDARY_FILE = "vendor/boundaries/changzhou-districts.geojson"

#: template of every page with a Leaflet map → the URL that renders it.
MAP_PAGES = {"stations/map.html": "/stations/map/", "grid/map.html": "/grid/map/"}


def _map_templates() -> set[str]:
    found = set()
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        if "vendor/leaflet/leaflet.js" in path.read_text(encoding="utf-8"):
            found.add(path.as_posix().split("/templates/", 1)[1])
    return found


def test_every_map_page_is_known():
    # A new page with a map must be added to MAP_PAGES so the checks below cover it.
    assert _map_templates() == set(MAP_PAGES)


def test_every_map_page_loads_the_boundaries_and_no_tiles_or_cdn(client, world, settings):
    settings.PORTAL_MAP_TILE_URL = ""
    client.force_login(world.staff)
    for url in MAP_PAGES.values():
        html = client.get(url).content.decode()
        assert f'data-boundaries="{static(BOUNDARY_FILE)}"' in html, url
        assert "{z}" not in html and "tile.openstreetmap" not in html, url
        sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert sources, url
        assert all(not re.match(r"(https?:)?//", s) for s in sources), sources


def test_the_boundary_file_is_vendored_with_its_licence_and_names_the_districts():
    licence = (BOUNDARIES / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence
    data = json.loads((BOUNDARIES / "changzhou-districts.geojson").read_text(encoding="utf-8"))
    demo = json.loads((ROOT / "demo" / "data" / "changzhou.json").read_text(encoding="utf-8"))
    districts = {d["code"]: d["name"] for d in demo["districts"]}
    drawn = {f["id"]: f["properties"]["name"] for f in data["features"]}
    assert drawn == districts  # ids are the Region codes, names are the portal's names
    for feature in data["features"]:
        ring = feature["geometry"]["coordinates"][0]
        if feature["geometry"]["type"] == "MultiPolygon":
            ring = ring[0]
        assert all(119 < lng < 120.5 and 31 < lat < 32.3 for lng, lat in ring)


def test_the_boundary_file_is_served_by_the_site(client):
    assert settings.STATIC_URL
    response = client.get(static(BOUNDARY_FILE))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(json.loads(body)["features"]) == 6

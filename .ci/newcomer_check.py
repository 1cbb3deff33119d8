"""Sign in with the staff login that `make demo` printed and check the dashboard.

Standard library only (it runs with the machine's python3, outside any venv):
``python3 .ci/newcomer_check.py DEMO_LOG PORT``. Exits 1 with the reason on any failure.
"""

import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path


def fail(message: str) -> None:
    print(f"newcomer: {message}")
    sys.exit(1)


def main(log_path: str, port: str) -> None:
    log = Path(log_path).read_text(encoding="utf-8")
    match = re.search(r"^\S+\s+zuzhibu\s+(\S+)\s", log, re.M)
    if not match:
        fail("the demo log prints no staff login (zuzhibu)")
    password = match.group(1)
    for username in ("sec_express", "officer_tianning", "officer_jingkai", "partner_meituan"):
        if not re.search(rf"^\S+\s+{username}\s", log, re.M):
            fail(f"the demo log does not print the login {username}")
    if f"http://127.0.0.1:{port}/api/v1/" not in log:
        fail(f"the printed curl line does not use the served port {port}")

    base = f"http://127.0.0.1:{port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "zh-CN")]
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        fail("the login page has no CSRF token")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "zuzhibu", "password": password}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data)
    request.add_header("Referer", f"{base}/accounts/login/")
    response = opener.open(request)
    if "/accounts/login/" in response.geturl():
        fail("signing in with the printed staff password failed")

    response = opener.open(f"{base}/")
    if response.status != 200:
        fail(f"the dashboard answered {response.status}")
    html = response.read().decode()
    # Each card: <article class="kpi kpi--KEY"> ... <data value="N">
    cards = dict(re.findall(r'class="kpi kpi--([a-z_]+)".*?<data value="(\d+)"', html, flags=re.S))
    wanted = {
        "workers": "workers",
        "members_found": "party members found",
        "stations_active": "stations",
        "training_classes": "training classes",
        "appeals_open": "open appeals",
    }
    missing = [label for key, label in wanted.items() if int(cards.get(key, "0")) <= 0]
    if missing:
        fail(f"the dashboard shows no {', '.join(missing)} (cards found: {cards})")
    print(
        "newcomer: signed in as zuzhibu; the dashboard shows "
        + ", ".join(f"{label} {cards[key]}" for key, label in wanted.items())
    )
    # The figures, for comparing a second `make demo` with the first.
    print("cards:" + ",".join(f"{key}={cards[key]}" for key in sorted(wanted)))


if __name__ == "__main__":
    main(*sys.argv[1:3])

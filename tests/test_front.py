"""The nginx front of docs/deployment.md, run as written there in front of gunicorn: the API
answers through it, and behind it no forwarding header a client writes changes its count."""

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.live import ROOT, live_server
from tests.services import free_port, wait_for_port

NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None
)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


def documented() -> str:
    """The nginx configuration that docs/deployment.md ships, as it stands there."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    return re.search(r"```nginx\n(.*?)```", text, re.S).group(1)


def main_config(folder: Path, app: str, port: int) -> str:
    """The documented server block, pointed at the test's gunicorn and port, in a main
    configuration whose files all live in `folder`."""
    block = documented().replace("127.0.0.1:8000", app).replace("listen 80;", f"listen {port};")
    block = block.replace("server_name kpdata.example.org;", "server_name 127.0.0.1;")
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"};
events {{}}
http {{
    access_log off;
    {temp} uwsgi_temp_path {folder / "uwsgi"}; scgi_temp_path {folder / "scgi"};
{block}
}}
"""


def get(url: str, forwarded: str | None = None) -> tuple[int, dict]:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
            return answer.status, dict(answer.headers) | {"body": answer.read()}
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_behind_the_documented_nginx_forged_forwarding_headers_change_nothing(
    live_database, tmp_path
):
    variables = {"KPDATA_TRUSTED_PROXIES": "1", "THROTTLE_ANON_RATE": "3/min"}
    with live_server(live_database, tmp_path, workers=1, **variables) as (base, _):
        port = free_port()
        config = tmp_path / "nginx.conf"
        config.write_text(main_config(tmp_path, base.removeprefix("http://"), port))
        nginx = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.PIPE)
        try:
            front = f"http://127.0.0.1:{port}"
            wait_for_port(port)
            answers = [get(f"{front}/api/v1/blocs/", f"10.0.0.{n}") for n in range(6)]
            assert [status for status, _ in answers] == [200, 200, 200, 429, 429, 429]
            assert answers[0][1]["RateLimit-Limit"] == "3"
            assert b'"url":"http://127.0.0.1/api/v1/blocs/' in answers[0][1]["body"]
            assert int(answers[-1][1]["Retry-After"]) > 0
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)

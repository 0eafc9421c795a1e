"""Production settings never route downloads to the sample web: only the demo's and the tests'
settings module (``newsbot.sampleweb.settings``) does, whatever ``NEWSBOT_SAMPLE_WEB`` says.

Each case crawls one URL on a closed local port with the download handlers the settings module
configures: through the stock handler the connection is refused; through the sample web's
handler the request is answered by the sample-web server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

PROBE = r'''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

url = sys.argv[1]
project = get_project_settings()
out = {
    "module": project.get("SETTINGS_MODULE") or "",
    "handlers": project.getwithbase("DOWNLOAD_HANDLERS").copy_to_dict(),
}


class Probe(scrapy.Spider):
    name = "probe"

    async def start(self):
        yield scrapy.Request(url, callback=self.got, errback=self.failed, dont_filter=True)

    def got(self, response):
        out["status"] = response.status

    def failed(self, failure):
        out["error"] = failure.type.__name__


process = CrawlerProcess({
    # the project's download handlers and sample-web address, nothing else of the project
    "DOWNLOAD_HANDLERS": project.getdict("DOWNLOAD_HANDLERS"),
    "NEWSBOT_SAMPLE_WEB": project.get("NEWSBOT_SAMPLE_WEB") or "",
    "ROBOTSTXT_OBEY": False,
    "RETRY_ENABLED": False,
    "HTTPERROR_ALLOW_ALL": True,
    "DOWNLOAD_TIMEOUT": 20,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "ERROR",
})
process.crawl(Probe)
process.start()
print(json.dumps(out))
'''


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _probe(tmp_path: Path, module: str, sample_web: str | None) -> dict[str, Any]:
    """Crawl a URL on a closed port with settings module ``module`` in a clean environment
    (plus ``NEWSBOT_SAMPLE_WEB`` when given)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path),
        "SCRAPY_SETTINGS_MODULE": module,
    }
    if sample_web is not None:
        env["NEWSBOT_SAMPLE_WEB"] = sample_web
    script = tmp_path / "probe.py"  # a file: Scrapy reads callbacks' source
    script.write_text(PROBE, encoding="utf-8")
    url = f"http://127.0.0.1:{_closed_port()}/robots.txt"
    proc = subprocess.run([sys.executable, str(script), url], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _routes_to_sample_web(result: dict[str, Any]) -> bool:
    return any("sampleweb" in str(path) for path in result["handlers"].values())


@pytest.mark.parametrize("with_variable", [False, True], ids=["clean-env", "NEWSBOT_SAMPLE_WEB"])
def test_production_settings_never_route_to_the_sample_web(
    sample_web: str, tmp_path: Path, with_variable: bool
) -> None:
    result = _probe(tmp_path, "newsbot.settings", sample_web if with_variable else None)
    assert not _routes_to_sample_web(result), result["handlers"]
    assert "status" not in result, "a production crawl was answered by the sample web"
    assert "ConnectionRefused" in result["error"], result


def test_the_sample_web_settings_route_every_download_there(
    sample_web: str, tmp_path: Path
) -> None:
    result = _probe(tmp_path, "newsbot.sampleweb.settings", sample_web)
    assert _routes_to_sample_web(result)
    # the closed port was never asked: the sample-web server answered (an unknown host: 404)
    assert result.get("status") == 404, result


def test_production_settings_module_has_no_sample_web_setting() -> None:
    source = (REPO / "newsbot" / "settings.py").read_text(encoding="utf-8")
    assert "sampleweb" not in source and "NEWSBOT_SAMPLE_WEB" not in source

import sys
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from shop_server import ShopServer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def base_url():
    """Serves tests/examples/app on a free localhost port for the whole session."""
    server = ShopServer(port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


def make_driver():
    options = webdriver.ChromeOptions()
    # Debian's Chromium + chromedriver: Selenium Manager never downloads anything.
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@pytest.fixture
def driver():
    drv = make_driver()
    yield drv
    drv.quit()


@pytest.fixture
def browser_for_unittest(request, driver, base_url):
    """Hands the driver to unittest.TestCase classes (they can't take fixtures as arguments)."""
    request.instance.driver = driver
    request.instance.base_url = base_url

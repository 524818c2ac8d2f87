#!/usr/bin/env python3
"""Local server for the example shop: the static files in app/ plus one JSON endpoint.

    python3 shop_server.py --port 4173

GET /api/stock?id=p1 answers {"id": "p1", "stock": 12}. Like the real inventory
service it fronts a cache that starts cold: the first lookup of each product id
takes COLD_START_DELAY seconds, later ones are instant. Tests that wait only a
short time for the stock badge therefore fail on their first try and pass on a
retry against the same server (a "flaky" test). Binds to 127.0.0.1 only.
"""
import argparse
import json
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

APP_DIR = Path(__file__).resolve().parent / "app"
STOCK = {"p1": 12, "p2": 3, "p3": 7, "p4": 0}
COLD_START_DELAY = 2.5


class ShopHandler(SimpleHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/api/stock":
            self.send_stock(parse_qs(url.query).get("id", [""])[0])
        else:
            super().do_GET()

    def send_stock(self, product_id):
        server = self.server
        with server.lock:
            cold = product_id not in server.warm
            server.warm.add(product_id)
        if cold:
            time.sleep(COLD_START_DELAY)
        if product_id not in STOCK:
            self.send_error(404, "unknown product")
            return
        body = json.dumps({"id": product_id, "stock": STOCK[product_id]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # keep test output quiet
        pass


class ShopServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port=0):
        super().__init__(("127.0.0.1", port), partial(ShopHandler, directory=str(APP_DIR)))
        self.lock = threading.Lock()
        self.warm = set()

    def handle_error(self, request, client_address):
        # A browser that closes while a slow stock lookup is pending is normal in tests.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=4173)
    args = parser.parse_args()
    server = ShopServer(args.port)
    print(f"serving {APP_DIR} on {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

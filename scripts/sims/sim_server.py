"""Shared plumbing for the simulators: a threading HTTP server on 127.0.0.1 that prints its port, JSON replies,
and an optional stdin watch so a simulator exits with the process that started it.

Python standard library only.
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SimServer(ThreadingHTTPServer):
    """A threading server whose handler threads never keep the process alive."""

    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # Clients that time out and hang up (the stall faults) are expected, not errors worth a traceback.
        pass


class JSONHandler(BaseHTTPRequestHandler):
    """A request handler with helpers for JSON answers; HTTP/1.1 with Content-Length on every reply."""

    protocol_version = "HTTP/1.1"
    server_version = "nightshift-sim/1.0"

    def log_message(self, format, *args):
        if getattr(self.server, "verbose", False):
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(self, status, body, content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value, headers=None):
        body = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.send_bytes(status, body, headers=headers)


def serve(handler_class, port, configure=None, watch_stdin=False):
    """Binds 127.0.0.1:`port` (0 = ephemeral), prints the port as the first stdout line, and serves forever."""
    server = SimServer(("127.0.0.1", port), handler_class)
    if configure is not None:
        configure(server)
    print(server.server_address[1], flush=True)
    if watch_stdin:
        def watch():
            while sys.stdin.buffer.read(4096):
                pass
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass

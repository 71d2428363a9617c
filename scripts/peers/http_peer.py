#!/usr/bin/env python3
"""A real HTTP/1.1 test peer on 127.0.0.1 with behaviours chosen by path.

Prints the ephemeral port it listens on as the first line of stdout, then serves until killed.

Paths (query parameters in brackets):
  /ok                         200 "ok"
  /echo                       200 JSON {method, path, headers (lower-cased), body (UTF-8 text)}
  /flaky[key, fails]          503 for the first `fails` requests with that key, then 200 "recovered"
  /ratelimited[after]         429 with Retry-After: `after` (default 7)
  /slow[seconds]              waits `seconds` (default 30) before answering 200
  /large[bytes, chunked]      200 with `bytes` bytes of "x"; chunked=1 omits Content-Length
  /gzip                       200 gzip-encoded "compressed hello" with Content-Encoding: gzip
  /redirect                   302 to /ok
  /connections                200 with the number of TCP connections accepted so far
  anything else               404

Options:
  --tls-cert FILE --tls-key FILE  serve HTTPS instead of HTTP
  --watch-stdin                   exit when stdin reaches end of file (the test process holds it open)
"""

import argparse
import gzip
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class CountingServer(ThreadingHTTPServer):
    """A threading server that counts accepted connections and remembers per-key failure counters."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler):
        super().__init__(address, handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.flaky_counts = {}

    def handle_error(self, request, client_address):
        # Clients that refuse the certificate or hang up early are part of the tests, not errors.
        pass

    def count_connection(self):
        with self.lock:
            self.connections += 1

    def next_flaky(self, key):
        with self.lock:
            self.flaky_counts[key] = self.flaky_counts.get(key, 0) + 1
            return self.flaky_counts[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.server.count_connection()

    def log_message(self, format, *args):
        pass

    # MARK: - helpers

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_chunked(self, total):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        remaining = total
        while remaining > 0:
            size = min(remaining, 65536)
            self.wfile.write(b"%x\r\n" % size + b"x" * size + b"\r\n")
            remaining -= size
        self.wfile.write(b"0\r\n\r\n")

    # MARK: - routing

    def handle_any(self):
        body = self.read_body()
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path
        try:
            if path == "/ok":
                self.reply(200, b"ok", [("Content-Type", "text/plain"), ("X-Peer", "nightshift-test")])
            elif path == "/echo":
                payload = {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8", "replace"),
                }
                self.reply(200, json.dumps(payload).encode(), [("Content-Type", "application/json")])
            elif path == "/flaky":
                fails = int(query.get("fails", "2"))
                count = self.server.next_flaky(query.get("key", "default"))
                if count <= fails:
                    self.reply(503, b"unavailable", [("Content-Type", "text/plain")])
                else:
                    self.reply(200, b"recovered", [("Content-Type", "text/plain")])
            elif path == "/ratelimited":
                self.reply(429, b"slow down", [("Retry-After", query.get("after", "7"))])
            elif path == "/slow":
                time.sleep(float(query.get("seconds", "30")))
                self.reply(200, b"late")
            elif path == "/large":
                total = int(query.get("bytes", "1048576"))
                if query.get("chunked") == "1":
                    self.reply_chunked(total)
                else:
                    self.reply(200, b"x" * total)
            elif path == "/gzip":
                self.reply(200, gzip.compress(b"compressed hello"), [("Content-Encoding", "gzip")])
            elif path == "/redirect":
                self.reply(302, b"", [("Location", "/ok")])
            elif path == "/connections":
                with self.server.lock:
                    count = self.server.connections
                self.reply(200, str(count).encode())
            else:
                self.reply(404, b"not found")
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a timeout or a size cap); nothing to answer.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


def exit_when_stdin_closes():
    """Exit as soon as stdin reaches end of file, so a peer never outlives a test process that died."""

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def unblock_signals():
    """A parent's blocked signal mask is inherited; undo it so SIGTERM and SIGINT stop the peer."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--watch-stdin", action="store_true")
    args = parser.parse_args()
    unblock_signals()
    if args.watch_stdin:
        exit_when_stdin_closes()

    server = CountingServer(("127.0.0.1", 0), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # The handshake happens in the handler thread, so a client that refuses the certificate cannot stall accept().
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

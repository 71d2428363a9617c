#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that a test can blackhole, to cut a client off its server without closing anything.

Prints the port of its HTTP control interface as the first line of stdout, then serves until killed (or, with
--watch-stdin, until stdin reaches end of file). Forwards connections on a second port to --target-port.

Control (HTTP on the first port):
  GET  /_sim/stats       {"proxy_port", "connections", "bytes_up", "bytes_down", "blackholed"}
  POST /_sim/blackhole   from now on nothing passes in either direction: open connections stay open but silent,
                         new connections are accepted and never forwarded (a dead peer behind a live network)
  POST /_sim/restore     forwarding resumes for new connections (held ones stay dead)
  POST /_sim/cut         closes every open connection at once (as a server ending a session would); new
                         connections are forwarded as before
"""

import argparse
import json
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Proxy:
    def __init__(self, target_port):
        self.target_port = target_port
        self.lock = threading.Lock()
        self.blackholed = False
        self.generation = 0
        self.held = []
        self.live = []
        self.stats = {"connections": 0, "bytes_up": 0, "bytes_down": 0}
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]

    def serve(self):
        while True:
            client, _ = self.listener.accept()
            with self.lock:
                self.stats["connections"] += 1
                if self.blackholed:
                    self.held.append(client)
                    continue
                generation = self.generation
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.live += [client, server]
            for source, sink, key in ((client, server, "bytes_up"), (server, client, "bytes_down")):
                threading.Thread(target=self.pump, args=(source, sink, key, generation), daemon=True).start()

    def pump(self, source, sink, key, generation):
        """Copies one direction until either side closes; once blackholed, data read is dropped, never forwarded."""
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                if not self.silenced(generation):
                    try:
                        sink.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                return
            if self.silenced(generation):
                continue
            with self.lock:
                self.stats[key] += len(data)
            try:
                sink.sendall(data)
            except OSError:
                return

    def silenced(self, generation):
        with self.lock:
            return self.blackholed or generation != self.generation

    def blackhole(self):
        with self.lock:
            self.blackholed = True
            self.generation += 1

    def cut(self):
        with self.lock:
            live, self.live = self.live, []
            self.stats["cuts"] = self.stats.get("cuts", 0) + 1
        for connection in live:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()

    def restore(self):
        with self.lock:
            self.blackholed = False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--watch-stdin", action="store_true")
    options = parser.parse_args()
    proxy = Proxy(options.target_port)
    threading.Thread(target=proxy.serve, daemon=True).start()

    class Control(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, body):
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            with proxy.lock:
                self.answer(dict(proxy.stats, proxy_port=proxy.port, blackholed=int(proxy.blackholed)))

        def do_POST(self):
            if self.path == "/_sim/blackhole":
                proxy.blackhole()
            elif self.path == "/_sim/cut":
                proxy.cut()
            elif self.path == "/_sim/restore":
                proxy.restore()
            self.answer({"blackholed": int(proxy.blackholed)})

    control = ThreadingHTTPServer(("127.0.0.1", 0), Control)
    control.daemon_threads = True
    print(control.server_address[1], flush=True)
    if options.watch_stdin:
        def watch():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    control.serve_forever()


if __name__ == "__main__":
    main()

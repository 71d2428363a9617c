#!/usr/bin/env python3
"""A real WebSocket test peer on 127.0.0.1 with behaviours chosen by path.

Prints the ephemeral port it listens on as the first line of stdout, then serves until killed.

Paths (query parameters in brackets):
  /echo                          echo every message back, text as text, binary as binary
  /burst[n]                      send n (default 100) text messages "msg-0".."msg-{n-1}", then echo
  /drop[after]                   send `after` (default 3) messages, then cut the TCP connection without a close frame
  /close-immediately[code,reason] close at once with code (default 4000) and reason (default "bye")
  /silent                        stop reading: pings go unanswered, as on a half-open link
  /fragmented                    send one text message split into several frames, then "after"
  /huge[bytes]                   send one text message of `bytes` (default 4 MiB) bytes
  /garbage                       write bytes that are not a WebSocket frame, then wait
  /invalid-utf8                  send a text frame whose payload is not UTF-8, then wait
  /headers                       send the request headers as one JSON text message, then echo
  /binary                        send one binary message [0, 1, 2, 255], then echo
  /stream[data,reject,then]      a small market-data protocol in the shape of Alpaca's stream: greet with
                                 [{"T":"success","msg":"connected"}]; answer {"action":"auth"} with "authenticated",
                                 or with [{"T":"error","code":<reject>}] when reject is given; answer
                                 {"action":"subscribe"} with a subscription and `data` (default 3) trades
                                 [{"T":"t",...}]; then, with then=drop, cut the TCP connection without a close frame,
                                 otherwise keep answering

Options:
  --tls-cert FILE --tls-key FILE  serve wss:// instead of ws://
  --blackhole                     accept TCP connections and never answer (for handshake timeouts)
  --watch-stdin                   exit when stdin reaches end of file (the test process holds it open)
  --frame-log FILE                /stream appends "<connection> <frame>" for every frame it receives, and
                                  "<connection> closed <code>" when a connection ends; connections count from 1
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed


async def echo(ws):
    async for message in ws:
        await ws.send(message)


async def wait_forever(ws):
    await ws.wait_closed()


FRAME_LOG = None
STREAM_CONNECTIONS = 0


def record(connection, line):
    if FRAME_LOG:
        with open(FRAME_LOG, "a", encoding="utf-8") as log:
            log.write(f"{connection} {line}\n")


async def market_stream(ws, query):
    global STREAM_CONNECTIONS
    STREAM_CONNECTIONS += 1
    connection = STREAM_CONNECTIONS
    try:
        await ws.send(json.dumps([{"T": "success", "msg": "connected"}]))
        async for message in ws:
            record(connection, message)
            try:
                request = json.loads(message)
            except ValueError:
                request = None
            action = request.get("action") if isinstance(request, dict) else None
            if action == "auth":
                if "reject" in query:
                    await ws.send(json.dumps([{"T": "error", "code": int(query["reject"]), "msg": "auth failed"}]))
                else:
                    await ws.send(json.dumps([{"T": "success", "msg": "authenticated"}]))
            elif action == "subscribe":
                trades = request.get("trades", [])
                await ws.send(json.dumps([{"T": "subscription", "trades": trades}]))
                symbol = trades[0] if trades else "FAKEPACA"
                for index in range(int(query.get("data", "3"))):
                    trade = {"T": "t", "S": symbol, "i": index, "x": "V", "p": 100 + index, "s": 1,
                             "t": "2024-01-02T15:04:05.000000000Z", "z": "C"}
                    await ws.send(json.dumps([trade]))
                if query.get("then") == "drop":
                    await ws.drain()
                    ws.transport.abort()
                    return
    finally:
        record(connection, f"closed {ws.close_code}")


async def handler(ws):
    url = urlsplit(ws.request.path)
    query = {k: v[-1] for k, v in parse_qs(url.query).items()}
    path = url.path
    try:
        if path == "/echo":
            await echo(ws)
        elif path == "/burst":
            for index in range(int(query.get("n", "100"))):
                await ws.send(f"msg-{index}")
            await echo(ws)
        elif path == "/drop":
            for index in range(int(query.get("after", "3"))):
                await ws.send(f"msg-{index}")
            await ws.drain()
            ws.transport.abort()
        elif path == "/close-immediately":
            await ws.close(code=int(query.get("code", "4000")), reason=query.get("reason", "bye"))
        elif path == "/silent":
            ws.transport.pause_reading()
            await asyncio.sleep(3600)
        elif path == "/fragmented":
            await ws.send(["frag", "mented ", "message ✓"])
            await ws.send("after")
            await echo(ws)
        elif path == "/huge":
            await ws.send("x" * int(query.get("bytes", str(4 << 20))))
            await echo(ws)
        elif path == "/garbage":
            ws.transport.write(b"\xff\xff\xff\xff garbage that is not a frame \x00\x01\x02")
            await wait_forever(ws)
        elif path == "/invalid-utf8":
            # FIN + text opcode, unmasked, two payload bytes that are not UTF-8.
            ws.transport.write(b"\x81\x02\xff\xfe")
            await wait_forever(ws)
        elif path == "/headers":
            headers = {name.lower(): value for name, value in ws.request.headers.raw_items()}
            await ws.send(json.dumps(headers))
            await echo(ws)
        elif path == "/binary":
            await ws.send(bytes([0, 1, 2, 255]))
            await echo(ws)
        elif path == "/stream":
            await market_stream(ws, query)
        else:
            await ws.close(code=4004, reason="unknown path")
    except ConnectionClosed:
        pass


async def blackhole(reader, writer):
    # Hold the connection open and say nothing until the client gives up.
    try:
        await reader.read()
    finally:
        writer.close()


def exit_when_stdin_closes():
    """Exit as soon as stdin reaches end of file, so a peer never outlives a test process that died."""

    def watch():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def unblock_signals():
    """A parent's blocked signal mask is inherited; undo it so SIGTERM and SIGINT stop the peer."""
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--blackhole", action="store_true")
    parser.add_argument("--watch-stdin", action="store_true")
    parser.add_argument("--frame-log")
    args = parser.parse_args()
    global FRAME_LOG
    FRAME_LOG = args.frame_log
    unblock_signals()
    if args.watch_stdin:
        exit_when_stdin_closes()

    if args.blackhole:
        server = await asyncio.start_server(blackhole, "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()
        return

    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    async with serve(
        handler, "127.0.0.1", 0, ssl=context, ping_interval=None, max_size=None, compression=None
    ) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    sys.exit(0)

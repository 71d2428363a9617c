#!/usr/bin/python3
"""A Type=notify service that stands in for the nightshift host in systemd harness tests.

It speaks the sd_notify protocol by hand (no libsystemd), like the host does:
  - READY=1 with a STATUS= line once started, naming the credentials it could read (names only, never contents)
    and whether $STATE_DIRECTORY is writable;
  - WATCHDOG=1 every WATCHDOG_USEC/2 while its "loop" is healthy;
  - SIGUSR1: exits with status 78 (a configuration error; the unit must not restart);
  - SIGUSR2: the loop stalls, so it stops feeding the watchdog (systemd must kill and restart it);
  - SIGTERM: sends STOPPING=1 and exits 0 (a clean stop).
Only the Python standard library is used.
"""

import os
import signal
import socket
import sys
import time

CONFIG_ERROR = 78


def notify(message: str) -> None:
    """Sends one datagram to $NOTIFY_SOCKET; a no-op when the variable is unset."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.sendto(message.encode(), address)


def watchdog_interval() -> float | None:
    """Half of WATCHDOG_USEC in seconds, if the watchdog is on for this process."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and int(pid) != os.getpid()):
        return None
    return int(usec) / 2_000_000


def readable_credentials() -> list[str]:
    """The names of the files in $CREDENTIALS_DIRECTORY that this process can read."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY")
    if not directory:
        return []
    names = []
    for name in sorted(os.listdir(directory)):
        try:
            with open(os.path.join(directory, name), "rb") as credential:
                credential.read()
            names.append(name)
        except OSError:
            pass
    return names


def state_directory() -> str:
    """Whether this process can write to $STATE_DIRECTORY: "writable", "read-only" or "none"."""
    directory = os.environ.get("STATE_DIRECTORY")
    if not directory:
        return "none"
    probe = os.path.join(directory.split(":")[0], ".stand-in-probe")
    try:
        with open(probe, "w") as file:
            file.write("probe")
        os.remove(probe)
        return "writable"
    except OSError:
        return "read-only"


def main() -> int:
    stalled = False

    def on_stall(_signum, _frame):
        nonlocal stalled
        stalled = True
        notify("STATUS=loop stalled")

    def on_config_error(_signum, _frame):
        notify("STATUS=configuration error")
        sys.exit(CONFIG_ERROR)

    def on_terminate(_signum, _frame):
        notify("STOPPING=1\nSTATUS=stopping")
        sys.exit(0)

    signal.signal(signal.SIGUSR1, on_config_error)
    signal.signal(signal.SIGUSR2, on_stall)
    signal.signal(signal.SIGTERM, on_terminate)

    interval = watchdog_interval()
    credentials = ",".join(readable_credentials()) or "none"
    status = f"serving; credentials: {credentials}; state: {state_directory()}"
    notify(f"READY=1\nSTATUS={status}\nMAINPID={os.getpid()}")
    while True:
        time.sleep(interval or 0.5)
        if interval and not stalled:
            notify("WATCHDOG=1")


if __name__ == "__main__":
    sys.exit(main())

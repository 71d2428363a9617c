"""The soaked host's lives: start, restart as systemd would, SIGKILL on schedule, sample memory and descriptors.

Each life is one `nightshift run` process with its stdout (the JSON event lines) and stderr in files of its own.
A life that ends by itself (exit 75 while the database is away at start, an escalation) is started again after
`restart_delay`, like `Restart=always` with `RestartSec=1`; exit 78 (a configuration error) is not restarted, as
with the unit's `RestartPreventExitStatus=78`. A life the schedule kills is started again the same way.
"""

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Life:
    """One host process: its files, how it ended, and its (monotonic seconds, VmRSS KiB, open fds) samples."""

    number: int
    pid: int
    started: float
    stdout: str
    stderr: str
    ended: float = 0.0
    status: int = None
    killed: bool = False
    kill_wall: float = 0.0
    samples: list = field(default_factory=list)


class HostSupervisor:
    """Keeps one host life running until `stop()`; thread-safe for the injector's `kill()`."""

    def __init__(self, command: list, env: dict, directory: str, sample_every: float = 2.0,
                 restart_delay: float = 1.0, until: float = None):
        self.command, self.env, self.directory, self.until = command, env, directory, until
        self.sample_every, self.restart_delay = sample_every, restart_delay
        self.lives = []
        self.lock = threading.Lock()
        self.stopping = False
        self.process = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._spawn()
        self.thread.start()

    def kill(self):
        """SIGKILLs the current life (the loop starts the next); False when no life is running."""
        with self.lock:
            process, life = self.process, self.lives[-1] if self.lives else None
            if process is None or process.poll() is not None:
                return False
            life.killed = True
            life.kill_wall = time.time()
            process.send_signal(signal.SIGKILL)
            return True

    def running(self) -> bool:
        with self.lock:
            return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 30.0) -> int:
        """Ends the run: SIGTERM to the current life (a graceful stop that flushes the event log); its exit status.

        With `until` set, each life was started with `--for` up to that monotonic time and stops by itself: the
        same graceful stop without a signal (valgrind does not pass SIGTERM to the host's dispatch signal source).
        """
        with self.lock:
            self.stopping = True
            process = self.process
        if process is not None and process.poll() is None:
            if self.until is None:
                process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self.thread.join(timeout)
        return self.lives[-1].status if self.lives else None

    # MARK: - The loop

    def _spawn(self):
        number = len(self.lives) + 1
        out = os.path.join(self.directory, "life-%03d.jsonl" % number)
        err = os.path.join(self.directory, "life-%03d.err" % number)
        command = list(self.command)
        if self.until is not None:
            command += ["--for", "%dms" % max(1000, int((self.until - time.monotonic()) * 1000))]
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(command, env=self.env, stdout=stdout, stderr=stderr,
                                       stdin=subprocess.DEVNULL)
        with self.lock:
            self.process = process
            self.lives.append(Life(number, process.pid, time.monotonic(), out, err))

    def _run(self):
        while True:
            with self.lock:
                process, life = self.process, self.lives[-1]
            next_sample = time.monotonic()
            while process.poll() is None:
                if time.monotonic() >= next_sample:
                    sample = read_sample(process.pid)
                    if sample is not None and process.poll() is None:
                        life.samples.append((time.monotonic() - life.started,) + sample)
                    next_sample += self.sample_every
                time.sleep(0.05)
            life.ended, life.status = time.monotonic(), process.returncode
            with self.lock:
                # 78 is a configuration error: systemd's RestartPreventExitStatus=78 stops there too.
                if self.stopping or life.status == 78:
                    return
            time.sleep(self.restart_delay)
            with self.lock:
                if self.stopping:
                    return
            self._spawn()


def read_sample(pid: int):
    """(VmRSS in KiB, open file descriptors) of a live process, or None once it is gone."""
    try:
        with open("/proc/%d/status" % pid) as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        return rss, len(os.listdir("/proc/%d/fd" % pid))
    except (OSError, StopIteration, ValueError):
        return None

"""What the soaked host talks to: the four simulators, the credentials and the PostgreSQL server.

The simulators are started once for the whole run (their order books must outlive host lives, so a client_order_id
sent twice by two lives would be seen) and take faults while running through their /_sim/faults routes.
The PostgreSQL server is the private one scripts/with-postgres.sh started; it is stopped and started with pg_ctl.
"""

import datetime
import json
import os
import signal
import subprocess
import time
import urllib.request

SIMS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sims")


class World:
    """The simulators and the database around one soak run; `close()` stops the simulators."""

    def __init__(self, work: str, seed: int):
        self.work = work
        self.seed = seed
        self.processes = []
        self.ports = {}
        self.credentials = os.path.join(work, "credentials")
        os.makedirs(self.credentials, mode=0o700, exist_ok=True)
        self.pg_url = os.environ["NIGHTSHIFT_TEST_PG_URL"]
        self.pg_data = os.environ["NIGHTSHIFT_TEST_PG_DATA"]
        self.pg_ctl = os.environ["NIGHTSHIFT_TEST_PG_CTL"]
        self.pg_log = os.environ["NIGHTSHIFT_TEST_PG_LOG"]

    # MARK: - Simulators

    def start(self):
        """Writes the credentials and starts the simulators with the run's standing (non-scheduled) behaviour."""
        key_path = self._write_credentials()
        market_date = (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()
        self._spawn("open_meteo", "open_meteo_sim.py", "--seed", str(self.seed), "--hang", "4")
        center = self._market_center(market_date)
        key, secret = self._read("alpaca-key-id"), self._read("alpaca-secret")
        self._spawn("kalshi", "kalshi_sim.py", "--public-key", key_path, "--key-id", self._read("kalshi-key-id"),
                    "--date", market_date, "--center", str(center), "--stall", "4", "--partial",
                    "--fill-interval", "1")
        self._spawn("alpaca_stream", "alpaca_stream_sim.py", "--key", key, "--secret", secret, "--rate", "10",
                    "--seed", str(self.seed))
        self._spawn("alpaca_orders", "alpaca_orders_sim.py", "--key", key, "--secret", secret, "--partial",
                    "--partial-steps", "3", "--fill-interval", "1", "--hang", "4")

    def environment(self) -> dict:
        """The variables scripts/soak/soak.yaml reads."""
        return {
            "CREDENTIALS_DIRECTORY": self.credentials,
            "SOAK_PG_URL": self.pg_url,
            "SOAK_OPEN_METEO_URL": "http://127.0.0.1:%d" % self.ports["open_meteo"],
            "SOAK_KALSHI_URL": "http://127.0.0.1:%d/trade-api/v2" % self.ports["kalshi"],
            "SOAK_ALPACA_STREAM_URL": "ws://127.0.0.1:%d/v2" % self.ports["alpaca_stream"],
            "SOAK_ALPACA_ORDERS_URL": "http://127.0.0.1:%d" % self.ports["alpaca_orders"],
        }

    def control(self, sim: str, query: str) -> dict:
        """Arms faults on a simulator through its /_sim/faults route (GET on the WebSocket simulator)."""
        method = "GET" if sim == "alpaca_stream" else "POST"
        url = "http://127.0.0.1:%d/_sim/faults?%s" % (self.ports[sim], query)
        request = urllib.request.Request(url, data=b"" if method == "POST" else None, method=method)
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.load(answer)

    def stats(self, sim: str) -> dict:
        with urllib.request.urlopen("http://127.0.0.1:%d/_sim/stats" % self.ports[sim], timeout=5) as answer:
            return json.load(answer)

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()

    def _spawn(self, name: str, script: str, *args: str):
        out = open(os.path.join(self.work, name + ".err"), "wb")
        process = subprocess.Popen(["python3", os.path.join(SIMS, script), *args], stdout=subprocess.PIPE,
                                   stderr=out, stdin=subprocess.DEVNULL)
        self.processes.append(process)
        line = process.stdout.readline().strip()
        if not line.isdigit():
            raise RuntimeError("%s did not start (see %s.err)" % (script, name))
        self.ports[name] = int(line)

    def _market_center(self, day: str) -> float:
        """A market priced 4°F above the ensemble's mean high, so the weather bot finds an edge (as scripts/demo.sh)."""
        url = ("http://127.0.0.1:%d/v1/ensemble?latitude=40.7794&longitude=-73.9692&hourly=temperature_2m"
               "&models=gfs_seamless&forecast_days=3&temperature_unit=fahrenheit&timezone=America/New_York"
               % self.ports["open_meteo"])
        hourly = json.load(urllib.request.urlopen(url, timeout=10))["hourly"]
        hours = [i for i, stamp in enumerate(hourly["time"]) if stamp.startswith(day)]
        members = [series for name, series in hourly.items() if name.startswith("temperature_2m")]
        highs = [max(series[i] for i in hours) for series in members]
        return round(sum(highs) / len(highs) + 4, 1)

    def _write_credentials(self) -> str:
        """Dummy keys only the simulators know; returns the Kalshi public key's path."""
        private = os.path.join(self.credentials, "kalshi-private-key")
        public = os.path.join(self.work, "kalshi-public-key.pem")
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                        private], check=True, capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", public], check=True,
                       capture_output=True)
        for name, value in (("kalshi-key-id", "soak-kalshi-%d" % self.seed), ("alpaca-key-id", "soak-alpaca"),
                            ("alpaca-secret", os.urandom(16).hex())):
            with open(os.path.join(self.credentials, name), "w") as handle:
                handle.write(value + "\n")
        return public

    def _read(self, name: str) -> str:
        with open(os.path.join(self.credentials, name)) as handle:
            return handle.read().strip()

    # MARK: - PostgreSQL

    def pg_stop(self):
        self._pg("-D", self.pg_data, "-m", "immediate", "-w", "stop")

    def pg_start(self):
        self._pg("-D", self.pg_data, "-l", self.pg_log, "-w", "-t", "60", "start")

    def psql(self, sql: str) -> str:
        return subprocess.run(["psql", self.pg_url, "-qtAX", "-c", sql], check=True, capture_output=True,
                              text=True).stdout

    def _pg(self, *args: str):
        command = [self.pg_ctl, *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


def unblock_signals():
    """Children of a test runner may inherit a blocked SIGTERM; the host and simulators must not."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})


def wait_until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()

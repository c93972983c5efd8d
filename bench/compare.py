#!/usr/bin/env python3
"""nginx next to tollgate on this machine: one command, one run, one table.

Both servers run one worker pinned to core 0 and serve the same files; `tollgate load` runs
pinned to core 1. Each cell is measured for SECONDS, twice (256 MiB: four times): the cells
of a row (nginx's and tollgate's) are measured one after the other and then again in the
opposite order, so a machine that drifts (a shared VM does) weighs on both alike. A cell's
figures are the median of its measurements'. Server CPU comes from /proc (tollgate and
redis-server together for the Redis row). A measurement is taken again, once, when the
machine was disturbed while it ran: other processes used more than a sixth of a core, or a
CPU probe before it ran more than 30 % slower than the first probe. The table says so.

Usage: bench/compare.sh [BUILD_DIR] [SECONDS]
"""
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SERVER_CORE, CLIENT_CORE = "0", "1"
CONNECTIONS = 64
# Fewer connections for big files: a handful already fill the loopback.
CONNECTIONS_FOR = {"4k.bin": CONNECTIONS, "1m.bin": 16, "256m.bin": 4}
TICKS = os.sysconf("SC_CLK_TCK")
DISTURBED_CPU_SHARE = 1 / 6
DISTURBED_PROBE_SLOWDOWN = 1.3
FILES = {"4k.bin": 4096, "1m.bin": 1 << 20, "256m.bin": 256 << 20}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"compare: {what} did not come up")


def cpu_seconds(pids):
    """User + system CPU of the processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def machine_busy_seconds():
    """CPU seconds every core spent busy since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / TICKS


def cpu_probe():
    """Seconds a fixed loop takes on the server's core."""
    out = subprocess.run(
        ["taskset", "-c", SERVER_CORE, sys.executable, "-c",
         "import time; t = time.perf_counter(); sum(range(3_000_000)); "
         "print(time.perf_counter() - t)"],
        check=True, capture_output=True, text=True).stdout
    return float(out)


def reservation_evalsha(sha):
    """EVALSHA of tollgate's reservation script: one download of a token whose download
    limit is never reached, every request a new download (no dedupe window)."""
    return ["EVALSHA", sha, "4", "tollgate:{tok:b}:usage:p", "tollgate:{tok:b}:clients:p",
            "tollgate:{tok:b}:recent:p:x", "tollgate:{tok:b}:periods", "10.0.0.1", "4096",
            str(10**12), "-1", "-1", "0", "1700000000000000", "0", "p", "0"]


def resp_command(words):
    """`words` as a Redis protocol request, written as the body of a Lua string literal."""
    wire = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    return wire.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")


def load_reserve_script(port):
    source = (Path(__file__).parent.parent / "storage/redis/src/usage_script.h").read_text()
    script = source.split('R"lua(', 1)[1].split(')lua"', 1)[0]
    return subprocess.run(["redis-cli", "-p", str(port), "SCRIPT", "LOAD", script],
                          check=True, capture_output=True, text=True).stdout.strip()


class Processes:
    """Everything started here, stopped by pid at the end."""

    def __init__(self):
        self.started = []

    def start(self, args, **kwargs):
        process = subprocess.Popen(args, **kwargs)
        self.started.append(process)
        return process

    def stop(self, process):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)


class Tollgate:
    def __init__(self, processes, binary, work, name, extra_args):
        self.processes = processes
        data = work / f"data-{name}"
        data.mkdir()
        self.log = work / f"tollgate-{name}.log"
        with open(self.log, "w") as log:
            self.process = processes.start(
                ["taskset", "-c", SERVER_CORE, binary, "serve", "--threads", "1",
                 "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                 "--data-dir", str(data), "--artifacts", str(work / "artifacts"),
                 "--log-format", "text", *extra_args],
                stderr=log)
        wait_until(lambda: " listening " in self.log.read_text(), f"tollgate ({name})")
        line = next(l for l in self.log.read_text().splitlines() if " listening " in l)
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        self.download, self.admin = fields["download"], fields["admin"]
        self.key = (data / "admin-api-key").read_text().strip()
        self.pid = self.process.pid

    def api(self, method, path, body):
        request = urllib.request.Request(
            f"http://{self.admin}/api/v1/{path}", method=method,
            data=json.dumps(body).encode(), headers={"X-Api-Key": self.key})
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def token(self, **limits):
        """A new token of default/bench (created on first use) with `limits`."""
        try:
            self.api("POST", "repos/default/", {"slug": "bench", "repository_type": "private"})
        except urllib.error.HTTPError as e:
            if e.code != 409:
                raise
        return self.api("POST", "entitlements/default/bench/", {"name": "bench", **limits})["token"]


class Bench:
    def __init__(self, build, seconds):
        self.binary = str(Path(build, "gateway", "tollgate").resolve())
        self.seconds = seconds
        self.work = Path(tempfile.mkdtemp(prefix="tollgate-compare-"))
        self.work.chmod(0o755)  # nginx may run unprivileged workers
        self.processes = Processes()
        self.baseline_probe = None
        self.rows = []

    # --- the servers -----------------------------------------------------------------------
    def make_files(self):
        folder = self.work / "artifacts" / "default" / "bench"
        folder.mkdir(parents=True)
        for name, size in FILES.items():
            with open(folder / name, "wb") as f:
                remaining = size
                while remaining:
                    chunk = min(remaining, 1 << 20)
                    f.write(os.urandom(chunk))
                    remaining -= chunk
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-days", "1", "-keyout", str(self.work / "key.pem"),
             "-out", str(self.work / "cert.pem"), "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)

    def start_nginx(self, redis_port, reserve_sha):
        """One nginx process (no master), sendfile on, access log off: a plain port, a TLS
        port, and a port where Lua asks Redis for a reservation (one EVALSHA of tollgate's own
        script over a kept-alive connection) before serving the file — a gateway built from
        nginx the usual way."""
        plain, tls, lua = free_port(), free_port(), free_port()
        command = resp_command(reservation_evalsha(reserve_sha))
        conf = self.work / "nginx.conf"
        conf.write_text(f"""
load_module /usr/lib/nginx/modules/ndk_http_module.so;
load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;
master_process off; daemon off; worker_processes 1;
pid {self.work}/nginx.pid; error_log {self.work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off; sendfile on; tcp_nopush on; tcp_nodelay on; keepalive_requests 1000000;
  client_body_temp_path {self.work}/nginx-body;
  server {{ listen 127.0.0.1:{plain}; root {self.work}/artifacts; }}
  server {{ listen 127.0.0.1:{tls} ssl; root {self.work}/artifacts;
            ssl_certificate {self.work}/cert.pem; ssl_certificate_key {self.work}/key.pem; }}
  server {{
    listen 127.0.0.1:{lua}; root {self.work}/artifacts;
    location / {{
      access_by_lua_block {{
        local redis = ngx.socket.tcp()
        if not redis:connect("127.0.0.1", {redis_port}) then return ngx.exit(503) end
        redis:send("{command}")
        local header, answer = redis:receive("*l"), redis:receive("*l")
        redis:setkeepalive(60000, 256)
        if header ~= "*1" or answer ~= ":0" then return ngx.exit(403) end
      }}
    }}
  }}
}}
""")
        process = self.processes.start(
            ["taskset", "-c", SERVER_CORE, "nginx", "-c", str(conf), "-p", str(self.work)],
            stderr=subprocess.DEVNULL)
        wait_until(lambda: socket.create_connection(("127.0.0.1", plain)).close() or True,
                   "nginx")
        return process, (f"http://127.0.0.1:{plain}", f"https://127.0.0.1:{tls}",
                         f"http://127.0.0.1:{lua}")

    def start_redis(self):
        port = free_port()
        process = self.processes.start(
            ["taskset", "-c", SERVER_CORE, "redis-server", "--port", str(port), "--bind",
             "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(self.work),
             "--logfile", str(self.work / "redis.log")])
        wait_until(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"],
                                          capture_output=True).returncode == 0, "redis-server")
        return process, port

    # --- one cell ----------------------------------------------------------------------------
    def load(self, url, connections=CONNECTIONS, rate=None):
        report = self.work / "load.json"
        args = ["taskset", "-c", CLIENT_CORE, self.binary, "load", url,
                "--connections", str(connections), "--duration", f"{self.seconds}s",
                "--json", str(report), "--cacert", str(self.work / "cert.pem")]
        if rate:
            args += ["--rate", str(int(rate))]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return json.loads(report.read_text())

    def measure(self, pids, url, **load_args):
        """One measurement of a cell, taken again once when the machine was disturbed."""
        for attempt in (1, 2):
            probe = cpu_probe()
            if self.baseline_probe is None:
                self.baseline_probe = probe
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            server_before, busy_before = cpu_seconds(pids), machine_busy_seconds()
            result = self.load(url, **load_args)
            server = cpu_seconds(pids) - server_before
            busy = machine_busy_seconds() - busy_before
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            client = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
            others = max(0.0, busy - server - client) / result["duration_s"]
            slow = probe / self.baseline_probe
            disturbed = others > DISTURBED_CPU_SHARE or slow > DISTURBED_PROBE_SLOWDOWN
            result["server_cpu_s"] = server
            result["note"] = ""
            if disturbed:
                why = f"others {others:.2f} core" if others > DISTURBED_CPU_SHARE else \
                      f"probe {slow:.2f}x"
                result["note"] = f"re-run ({why})" if attempt == 1 else f"disturbed ({why})"
            if not disturbed:
                if attempt == 2:
                    result["note"] = "re-run once: disturbed"
                return result
        return result

    def there_and_back(self, cells, rounds=1):
        """Measures `cells` (table, key, server pids, url, connections, open-loop rate) in
        order and then in reverse, `rounds` times, so the measurements of every cell centre
        on the same moment; each cell keeps them all."""
        for _ in range(rounds):
            for into, key, pids, url, connections, rate in [*cells, *reversed(cells)]:
                result = self.measure(pids, url, connections=connections, rate=rate)
                into.setdefault(key, []).append(result)

    def row(self, name, ours, theirs, ratio_of="rps", reference="nginx"):
        self.rows.append((name, ours, theirs, ratio_of, reference))

    # --- the table ---------------------------------------------------------------------------
    @staticmethod
    def figures(result):
        requests = max(result["requests"], 1)
        seconds = result["duration_s"]
        gib = result["bytes"] / (1 << 30)
        return {
            "rps": result["requests_per_s"],
            "mbps": result["bytes"] / seconds / 1e6,
            "cpu_us": 1e6 * result["server_cpu_s"] / requests,
            "cpu_per_gib": result["server_cpu_s"] / gib if gib else 0.0,
            "p50": result["latency_ms"]["p50"],
            "p99": result["latency_ms"]["p99"],
        }

    @classmethod
    def cells(cls, results):
        """A cell's figures: the median of its measurements' (of two, their mean)."""
        each = [cls.figures(result) for result in results]
        cell = {name: statistics.median(f[name] for f in each) for name in each[0]}
        cell["errors"] = sum(result["errors"] for result in results)
        cell["note"] = "; ".join(result["note"] for result in results if result["note"])
        return cell

    def print_table(self):
        print(f"| case | server | requests/s | MB/s | server CPU µs/req | p50 ms | p99 ms | "
              "tollgate / reference | note |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---|")
        for name, ours, theirs, ratio_of, reference in self.rows:
            o, t = self.cells(ours), self.cells(theirs)
            if ratio_of == "cpu_per_gib":
                ratio = f"{o['cpu_per_gib'] / t['cpu_per_gib']:.2f}× CPU-s/GiB " \
                        f"({o['cpu_per_gib']:.2f} vs {t['cpu_per_gib']:.2f})"
            elif ratio_of == "p99":
                ratio = f"{o['p99'] / t['p99']:.2f}× p99"
            else:
                ratio = f"{o['rps'] / t['rps']:.2f}× req/s, {o['cpu_us'] / t['cpu_us']:.2f}× CPU"
            for server, c, shown in ((reference, t, ""), ("tollgate", o, ratio)):
                errors = f", {c['errors']} errors" if c["errors"] else ""
                print(f"| {name} | {server} | {c['rps']:,.0f} | {c['mbps']:,.1f} | "
                      f"{c['cpu_us']:.1f} | {c['p50']:.3f} | {c['p99']:.3f} | {shown} | "
                      f"{c['note']}{errors} |")

    # --- the run -----------------------------------------------------------------------------
    def run(self):
        self.make_files()
        redis, redis_port = self.start_redis()
        reserve_sha = load_reserve_script(redis_port)
        nginx, (nginx_url, nginx_tls_url, nginx_lua_url) = self.start_nginx(redis_port,
                                                                            reserve_sha)
        # Every server stays up for the whole run; one not being measured sits idle.
        plain = Tollgate(self.processes, self.binary, self.work, "plain",
                         ["--dedupe-window", "0"])
        tls = Tollgate(self.processes, self.binary, self.work, "tls",
                       ["--tls-cert", str(self.work / "cert.pem"),
                        "--tls-key", str(self.work / "key.pem")])
        on_redis = Tollgate(self.processes, self.binary, self.work, "redis",
                            ["--dedupe-window", "0", "--redis", f"redis://127.0.0.1:{redis_port}"])
        unlimited = plain.token()
        counted = plain.token(limit_num_downloads=10**12)
        redis_token = on_redis.token(limit_num_downloads=10**12)
        base = f"http://{plain.download}"

        n, t = {}, {}

        def nginx_cell(key, url, connections=CONNECTIONS, pids=(nginx.pid,), rate=None):
            return n, key, list(pids), url, connections, rate

        def our_cell(key, server, url, connections=CONNECTIONS, rate=None):
            pids = [server.pid] + ([redis.pid] if server is on_redis else [])
            return t, key, pids, url, connections, rate

        def file_url(name, token=unlimited):
            return f"{base}/{token}/default/bench/{name}"

        # The 4 KiB rows share nginx's cells; then one group per other row.
        self.there_and_back([
            nginx_cell("4k.bin", f"{nginx_url}/default/bench/4k.bin"),
            nginx_cell("lua", f"{nginx_lua_url}/default/bench/4k.bin",
                       pids=(nginx.pid, redis.pid)),
            our_cell("4k.bin", plain, file_url("4k.bin")),
            our_cell("counted", plain, file_url("4k.bin", counted)),
            our_cell("redis", on_redis,
                     f"http://{on_redis.download}/{redis_token}/default/bench/4k.bin")])
        # Four measurements of each 256 MiB cell: the kernel sometimes frees the sent buffers
        # on the sender's core (a mode that can triple a server's CPU per GiB, whichever
        # server it is), and the median of four leaves such a measurement out.
        for name, rounds in (("1m.bin", 1), ("256m.bin", 2)):
            self.there_and_back([
                nginx_cell(name, f"{nginx_url}/default/bench/{name}", CONNECTIONS_FOR[name]),
                our_cell(name, plain, file_url(name), CONNECTIONS_FOR[name])], rounds)
        self.there_and_back([
            nginx_cell("tls", f"{nginx_tls_url}/default/bench/4k.bin"),
            our_cell("tls", tls, f"https://{tls.download}/{tls.token()}/default/bench/4k.bin")])
        half_rate = self.cells(n["4k.bin"])["rps"] / 2
        self.there_and_back([
            nginx_cell("half", f"{nginx_url}/default/bench/4k.bin", rate=half_rate),
            our_cell("half", plain, file_url("4k.bin"), rate=half_rate)])

        self.row("4 KiB, unlimited token", t["4k.bin"], n["4k.bin"])
        self.row("4 KiB, counted token, embedded", t["counted"], n["4k.bin"])
        self.row("4 KiB, counted token, Redis", t["redis"], n["4k.bin"])
        self.row("4 KiB, counted token, Redis, vs nginx + Lua + one EVALSHA per request",
                 t["redis"], n["lua"], reference="nginx + Lua")
        self.row("1 MiB, unlimited token", t["1m.bin"], n["1m.bin"])
        self.row("256 MiB, unlimited token", t["256m.bin"], n["256m.bin"], "cpu_per_gib")
        self.row("4 KiB over TLS", t["tls"], n["tls"])
        self.row(f"4 KiB open loop at {half_rate:,.0f}/s (half nginx's max)", t["half"], n["half"],
                 "p99")
        self.print_table()


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    for tool in ("nginx", "redis-server", "redis-cli", "openssl", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"compare: {tool} is missing (deploy/install-deps.sh installs it)")
    if not Path("/usr/lib/nginx/modules/ngx_http_lua_module.so").exists():
        sys.exit("compare: nginx's Lua module is missing (deploy/install-deps.sh installs it)")
    if os.cpu_count() < 2:
        sys.exit("compare: needs two cores (server on core 0, load on core 1)")
    bench = Bench(build, seconds)
    try:
        started = time.strftime("%Y-%m-%d %H:%M %Z")
        print(f"# tollgate vs nginx, {started}, {os.uname().nodename}, "
              f"{os.cpu_count()} cores, 2 × {seconds} s per cell (256 MiB: 4 ×), {CONNECTIONS} connections "
              f"(1 MiB: 16, 256 MiB: 4)")
        bench.run()
    finally:
        bench.processes.stop_all()
        shutil.rmtree(bench.work, ignore_errors=True)


if __name__ == "__main__":
    main()

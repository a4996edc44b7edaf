"""``setup/adv load``: the suite under many users at once, in Odoo's worker mode, with faults and a
read replica (issue 12, items 3 and 4).

The harness owns everything it starts: a PostgreSQL cluster of its own (initdb in a temporary folder,
its own port; the shared cluster is only read, to copy the dependency template), the Odoo servers and
the replica. All of it is stopped and removed at the end, also on Ctrl-C or an error.

Steps: two databases at the benchmark scale (tests/bench's generator), one with the suite installed and
one without it (the native baseline, same Odoo modules); for each number of clients N, Odoo in worker
mode on each database, driven for ``--duration`` seconds by N external-API clients over real HTTP
(JSON-RPC, one Odoo user per client); a table of throughput, p50/p95 latency and errors, suite vs native.
``--faults`` adds a step on the suite's database at the top N during which one worker is killed,
PostgreSQL restarts (fast shutdown) and the daily crons run twice at once; end-state checks follow.
``--replica`` starts a streaming replica and checks the suite's read-only screens are served by it.

Only the standard library: this runs with the interpreter of setup/adv.py; the data generator runs in
the virtualenv (tests/load/load_datagen.py).
"""

import contextlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

# Client errors that a fault explains (a killed worker, a restarted database): an integration retries them.
TRANSIENT = (
    "OperationalError",
    "InterfaceError",
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "the database system is",
    "Connection refused",
    "connection to server",
)
USER_ERRORS = ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError")
# Refusals that the rules intend (credit blocks, a cron already running): not errors.
INTENDED = (
    "credit limit",
    "is blocked",
    "overdue invoices",
    "new customer",
    "credit hold",
    "currently being executed",
)
PKG_RESOURCES_SHIM = """from importlib.metadata import entry_points


def iter_entry_points(group, name=None):
    return [ep for ep in entry_points(group=group) if name is None or ep.name == name]
"""
EXPOSURE_COLUMNS = (
    "partner_id, company_id, amount_not_due, amount_overdue, amount_draft, amount_to_invoice, "
    "amount_disputed, amount_total, amount_decision, oldest_due_date"
)


def add_parser(sub):
    load = sub.add_parser("load", help="load and fault harness: worker mode, N clients, suite vs native")
    load.add_argument("--scale", type=float, default=0.1, help="benchmark data scale (1 = 1000 customers)")
    load.add_argument("--clients", default="1,8,32", help="numbers of concurrent clients (default 1,8,32)")
    load.add_argument("--duration", type=int, default=60, help="seconds per step (default 60)")
    load.add_argument("--faults", action="store_true", help="add a fault step on the suite at the top N")
    load.add_argument("--replica", action="store_true", help="check the read-only screens on a replica")
    load.add_argument("--no-native", action="store_true", help="skip the native baseline")
    load.add_argument("--keep", action="store_true", help="keep the cluster folder (stopped) for inspection")


# ---------------------------------------------------------------- the harness's own cluster
class Cluster:
    """A PostgreSQL cluster in a folder of the harness: started, restarted and stopped by it only."""

    def __init__(self, adv, base, name):
        self.adv = adv
        self.bindir = adv._pg_bindir()
        self.owner = adv._unprivileged_user()
        self.data = os.path.join(base, name)
        self.run = os.path.join(base, name + "-run")
        self.log = os.path.join(base, name + ".log")
        self.port = adv._free_port()
        self.started = False
        os.makedirs(self.run, exist_ok=True)
        self._chown(base, self.run)

    def _chown(self, *paths):
        if self.owner:
            for path in paths:
                shutil.chown(path, self.owner)

    def _as_owner(self, cmd, **kw):
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--", *cmd]
        kw.setdefault("check", True)
        return subprocess.run(cmd, **kw)

    @property
    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return dict(env, PGHOST=self.run, PGPORT=str(self.port), PGUSER="odoo")

    def tool(self, name):
        return os.path.join(self.bindir, name)

    def initdb(self):
        self._as_owner(
            [
                self.tool("initdb"),
                "-D",
                self.data,
                "-U",
                "odoo",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            stdout=subprocess.DEVNULL,
        )

    def basebackup(self, primary):
        """A streaming replica of ``primary`` (``-R`` writes standby.signal and primary_conninfo)."""
        self._as_owner(
            [
                self.tool("pg_basebackup"),
                "-D",
                self.data,
                "-R",
                "-X",
                "stream",
                # An immediate checkpoint: the default spread one waits up to minutes on an idle primary.
                "--checkpoint=fast",
                "-h",
                primary.run,
                "-p",
                str(primary.port),
                "-U",
                "odoo",
            ]
        )

    def start(self, *options):
        # Durability traded for speed as in setup/adv's private cluster; a fast shutdown stays clean.
        opts = (
            f"-p {self.port} -k {self.run} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=300 " + " ".join(options)
        )
        self._pg_ctl("start", "-o", opts, "-l", self.log)
        self.started = True

    def restart_fast(self):
        self._pg_ctl("restart", "-m", "fast")

    def stop(self):
        if self.started:
            self._pg_ctl("stop", "-m", "fast", check=False)
            self.started = False

    def _pg_ctl(self, action, *args, check=True):
        return self._as_owner(
            [self.tool("pg_ctl"), "-D", self.data, "-w", "-s", action, *args],
            check=check,
            stdout=subprocess.DEVNULL,
        )

    def psql(self, sql, db="postgres", check=True):
        res = subprocess.run(
            [self.tool("psql"), "-X", "-Atq", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and res.returncode:
            raise RuntimeError(f"psql failed: {res.stderr.strip()}\n{sql}")
        return res.stdout.strip()


# ---------------------------------------------------------------- Odoo servers
class OdooServer:
    """Odoo in worker mode on one database of the harness's cluster."""

    def __init__(self, harness, db, replica=None):
        self.harness, self.db = harness, db
        self.port = harness.adv._free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = os.path.join(harness.adv.LOG_DIR, f"load-{db}-odoo.log")
        args = [
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--workers=4",
            "--max-cron-threads=2",
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(harness.adv._free_port()),
            "--limit-time-real=600",
            "--limit-time-cpu=300",
            "--limit-request=100000",
            "--logfile",
            self.log,
        ]
        if replica:
            args += ["--db_replica_host", replica.run, "--db_replica_port", str(replica.port)]
        self.proc = subprocess.Popen(
            harness.odoo_cmd(*args), env=harness.server_env(), start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Odoo stopped at start: see {self.log}")
            with contextlib.suppress(OSError, RpcError, http.client.HTTPException):
                jsonrpc(self.url, "common", "version")
                return
            time.sleep(1)
        raise RuntimeError(f"Odoo did not answer within {timeout}s: see {self.log}")

    def children(self):
        """Worker processes (HTTP and cron) forked by the master; the gevent server is not one."""
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            with contextlib.suppress(OSError):
                with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/cmdline", encoding="utf-8") as f:
                    cmdline = f.read()
                # The gevent server runs as `odoo-bin gevent ...`; forked workers keep the master's argv.
                if int(fields[1]) == self.proc.pid and "gevent" not in cmdline.split("\0")[:3]:
                    found.append((int(fields[11]), int(pid)))  # (user CPU time, pid)
        return [pid for _cpu, pid in sorted(found, reverse=True)]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        # Workers of this server only (its own session), also when the master died first.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def log_lines(self, needle):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            return [line.rstrip() for line in f if needle in line]


# ---------------------------------------------------------------- clients
class Stats:
    """Latencies and outcomes per operation, merged from every client thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ops = {}  # op -> {"lat": [...], "refused": n, "errors": n, "retried": n}
        self.samples = []  # unexpected error messages (first few)

    def add(self, op, seconds=None, outcome="ok", message=""):
        with self.lock:
            entry = self.ops.setdefault(op, {"lat": [], "refused": 0, "errors": 0, "retried": 0})
            if outcome == "ok":
                entry["lat"].append(seconds)
            else:
                entry[outcome] += 1
                if outcome == "errors" and len(self.samples) < 8:
                    self.samples.append(f"{op}: {message[-600:]}")

    def errors(self):
        return sum(entry["errors"] for entry in self.ops.values())


def _percentile(values, pct):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}\n{data.get('debug', '')[-1500:]}")


def jsonrpc(url, service, method, *args):
    """Odoo's external API over JSON-RPC (``/jsonrpc``): JSON carries the ``None`` of wizards' actions,
    which XML-RPC cannot marshal."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"service": service, "method": method, "args": args},
        }
    ).encode()
    request = urllib.request.Request(f"{url}/jsonrpc", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        answer = json.loads(response.read())
    if answer.get("error"):
        raise RpcError(answer["error"])
    return answer["result"]


class Client(threading.Thread):
    """One Odoo user calling the external API (JSON-RPC over HTTP) in a loop until ``deadline``."""

    def __init__(self, url, db, user, data, stats, deadline, retry, work):
        super().__init__(daemon=True)
        self.url, self.db, self.user, self.data = url, db, user, data
        self.stats, self.deadline, self.retry = stats, deadline, retry
        self.work = work  # ADV client: orders to invoice, its own share
        self.rng = random.Random(user["login"])
        self.uid = None

    def rpc(self, op, model, method, *args, **kwargs):
        """One measured call; returns its result, or None when refused or failed."""
        for attempt in range(6 if self.retry else 1):
            start = time.perf_counter()
            try:
                result = jsonrpc(
                    self.url,
                    "object",
                    "execute_kw",
                    self.db,
                    self.uid,
                    self.user["login"],
                    model,
                    method,
                    list(args),
                    kwargs,
                )
            except RpcError as exc:
                message = exc.message
                if exc.name in USER_ERRORS and any(text in message for text in INTENDED):
                    self.stats.add(op, outcome="refused")
                    return None
                transient = any(text in message for text in TRANSIENT)
            except (OSError, http.client.HTTPException) as exc:
                message, transient = repr(exc), True
            else:
                self.stats.add(op, time.perf_counter() - start)
                return result
            if not (self.retry and transient) or attempt == 5:
                self.stats.add(op, outcome="errors", message=message)
                return None
            self.stats.add(op, outcome="retried")
            time.sleep(1 + attempt)
        return None

    def login(self):
        self.uid = jsonrpc(
            self.url, "common", "authenticate", self.db, self.user["login"], self.user["login"], {}
        )
        return self.uid

    def run(self):
        for attempt in range(6 if self.retry else 1):
            try:
                self.login()
                break
            except (RpcError, OSError, http.client.HTTPException) as exc:
                if attempt == (5 if self.retry else 0):
                    self.stats.add("login", outcome="errors", message=repr(exc))
                    return
                self.stats.add("login", outcome="retried")
                time.sleep(1 + attempt)
        step = getattr(self, f"_{self.user['role']}")
        while time.time() < self.deadline:
            step()

    def _sales(self):
        customer = self.rng.choice(self.data["customers"])
        order = self.rpc(
            "order.create",
            "sale.order",
            "create",
            {
                "partner_id": customer,
                "order_line": [
                    (0, 0, {"product_id": self.data["product"], "product_uom_qty": self.rng.choice([1, 2])})
                ],
            },
        )
        if order:
            self.rpc("order.confirm", "sale.order", "action_confirm", [order])

    def _consultant(self):
        self.rpc(
            "timesheet.log",
            "account.analytic.line",
            "create",
            {
                "name": "Load work",
                "project_id": self.data["project"],
                "unit_amount": self.rng.choice([0.5, 1.0, 2.0]),
            },
        )

    def _adv(self):
        if not self.work:
            time.sleep(1)
            return
        order = self.work.pop()
        ctx = {"active_model": "sale.order", "active_ids": [order], "active_id": order}
        wizard = self.rpc(
            "invoice.create",
            "sale.advance.payment.inv",
            "create",
            {"advance_payment_method": "delivered"},
            context=ctx,
        )
        if (
            not wizard
            or self.rpc(
                "invoice.create", "sale.advance.payment.inv", "create_invoices", [wizard], context=ctx
            )
            is None
        ):
            return
        invoices = self.rpc(
            "invoice.read",
            "account.move",
            "search",
            [("invoice_line_ids.sale_line_ids.order_id", "=", order), ("state", "=", "draft")],
        )
        if not invoices:
            return
        if self.rpc("invoice.post", "account.move", "action_post", invoices) is None:
            return
        if self.data["dispute_reason"] and self.rng.random() < 0.25:
            self.rpc(
                "dispute.open",
                "adv.dispute",
                "create",
                {
                    "partner_id": self.rpc(
                        "invoice.read", "account.move", "read", invoices, ["commercial_partner_id"]
                    )[0]["commercial_partner_id"][0],
                    "invoice_ids": [(6, 0, invoices)],
                    "reason_id": self.data["dispute_reason"],
                    "amount_disputed": 100.0,
                },
            )
            return
        pay_ctx = {"active_model": "account.move", "active_ids": invoices}
        wizard = self.rpc("payment.register", "account.payment.register", "create", {}, context=pay_ctx)
        if wizard:
            self.rpc(
                "payment.register",
                "account.payment.register",
                "action_create_payments",
                [wizard],
                context=pay_ctx,
            )


# ---------------------------------------------------------------- the harness
class Harness:
    def __init__(self, adv, suite, args):
        self.adv, self.suite, self.args = adv, suite, args
        self.counts = sorted({int(n) for n in args.clients.split(",") if n.strip()})
        if not self.counts or self.counts[0] < 1:
            adv.die("--clients takes numbers of clients, e.g. 1,8,32")
        self.base = tempfile.mkdtemp(prefix="adv-load-", dir="/var/tmp")
        os.chmod(self.base, 0o755)
        self.data_dir = os.path.join(self.base, "odoo-data")
        self.cluster = Cluster(adv, self.base, "primary")
        self.replica = None
        self.servers = []
        self.config = os.path.join(self.base, "odoo.conf")
        self.results = {}  # (variant, n) -> Stats
        self.checks = []  # (label, ok, detail)
        self.faulted = Stats()  # the fault step's figures, kept out of the table

    # -- plumbing
    def odoo_cmd(self, *args, command=()):
        return [
            self.suite.python,
            os.path.join(self.suite.source, "odoo-bin"),
            *command,
            "-c",
            self.config,
            *args,
        ]

    def server_env(self):
        """Odoo's environment; gevent 22 (the websocket process of worker mode) imports pkg_resources,
        which recent setuptools no longer ship: a stand-in from importlib.metadata when it is missing."""
        env = dict(os.environ, TZ="UTC")
        probe = [self.suite.python, "-c", "import pkg_resources"]
        if subprocess.run(probe, capture_output=True, check=False).returncode:
            shim = os.path.join(self.base, "shim")
            os.makedirs(shim, exist_ok=True)
            with open(os.path.join(shim, "pkg_resources.py"), "w", encoding="utf-8") as f:
                f.write(PKG_RESOURCES_SHIM)
            env["PYTHONPATH"] = shim
        return env

    def odoo(self, log, *args):
        with open(log, "w", encoding="utf-8") as out:
            res = subprocess.run(
                self.odoo_cmd(*args),
                env=dict(os.environ, TZ="UTC"),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if res.returncode:
            raise RuntimeError(f"Odoo failed: see {log}")

    def close(self):
        for server in self.servers:
            server.stop()
        for cluster in (self.replica, self.cluster):
            if cluster:
                cluster.stop()
        if self.args.keep:
            self.adv.say(f"kept {self.base}")
        else:
            shutil.rmtree(self.base, ignore_errors=True)

    # -- databases
    def prepare(self):
        adv = self.adv
        self.cluster.initdb()
        self.cluster.start()
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(
                "[options]\n"
                f"addons_path = {adv.addons_path(self.suite.source)}\n"
                f"data_dir = {self.data_dir}\n"
                f"db_host = {self.cluster.run}\ndb_port = {self.cluster.port}\ndb_user = odoo\n"
                "db_password = False\nlist_db = False\n"
            )
        template = self.suite.template(demo=False)
        adv.say(f"load: copying the dependency template {template} into the harness's own cluster")
        self.cluster.psql("CREATE DATABASE adv_load_base")
        dump = subprocess.Popen(
            [self.suite.pg.tool("pg_dump"), "-d", template, "--no-owner"],
            env=self.suite.pg.env,
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            [self.cluster.tool("psql"), "-X", "-q", "-d", "adv_load_base", "-o", "/dev/null"],
            env=dict(self.cluster.env, PGOPTIONS="-c client_min_messages=error"),
            stdin=dump.stdout,
            check=True,
        )
        dump.stdout.close()
        if dump.wait():
            raise RuntimeError("pg_dump of the template failed")
        store = os.path.join(adv.DATA_DIR, "filestore", template)
        variants = ["suite"] + ([] if self.args.no_native else ["native"])
        self.data = {}
        for variant in variants:
            db = f"adv_load_{variant}"
            self.cluster.psql(f"CREATE DATABASE {db} TEMPLATE adv_load_base")
            if os.path.isdir(store):
                shutil.copytree(store, os.path.join(self.data_dir, "filestore", db))
            if variant == "suite":
                adv.say(f"load: installing the suite in {db}")
                log = os.path.join(adv.LOG_DIR, "load-install.log")
                self.odoo(
                    log, "-d", db, "-i", ",".join(adv.MODULES), "--stop-after-init", "--without-demo=all"
                )
            adv.say(f"load: generating the data of {db} (scale {self.args.scale})")
            self.data[variant] = self._generate(db, variant == "suite")

    def _generate(self, db, suite):
        script = os.path.join(self.adv.REPO, "tests", "load", "load_datagen.py")
        cmd = [self.suite.python, script, "--scale", str(self.args.scale), "--users", str(max(self.counts))]
        env = dict(os.environ, TZ="UTC", ADV_ODOO_CONFIG=self.config, ADV_BENCH_DB=db)
        res = subprocess.run(
            cmd + (["--suite"] if suite else []), env=env, capture_output=True, text=True, check=False
        )
        if res.returncode:
            raise RuntimeError(f"data generation failed on {db}:\n{res.stderr[-3000:]}")
        return json.loads(res.stdout.strip().splitlines()[-1])

    # -- load steps
    def step(self, variant, n, faults=False):
        db, data = f"adv_load_{variant}", self.data[variant]
        server = OdooServer(self, db)
        self.servers.append(server)
        try:
            self._warm_up(server, db, data)
            stats = Stats()
            deadline = time.time() + self.args.duration
            users = data["users"][:n]
            adv_users = [u for u in users if u["role"] == "adv"]
            pending = self._orders_to_invoice(server, db, data)
            clients = []
            for user in users:
                share = pending[adv_users.index(user) :: len(adv_users)] if user in adv_users else []
                clients.append(Client(server.url, db, user, data, stats, deadline, faults, share))
            label = f"{variant}, {n} client(s)" + (", with faults" if faults else "")
            self.adv.say(f"load: {label} for {self.args.duration}s")
            for client in clients:
                client.start()
            if faults:
                self._faults(server, db, data, stats)
            for client in clients:
                client.join(self.args.duration + 120)
            return stats
        finally:
            server.stop()
            self.servers.remove(server)

    def _warm_up(self, server, db, data):
        """Each worker loads the registry at its first request: a few calls at once beforehand, so that
        no step measures that."""

        def call():
            client = Client(server.url, db, {"login": "admin", "role": "admin"}, data, Stats(), 0, False, [])
            client.login()
            client.rpc("warm-up", "sale.order", "search_count", [])

        threads = [threading.Thread(target=call) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _orders_to_invoice(self, server, db, data):
        admin = Client(server.url, db, {"login": "admin", "role": "admin"}, data, Stats(), 0, False, [])
        admin.login()
        domain = [("id", "in", data["orders"]), ("invoice_status", "=", "to invoice")]
        return admin.rpc("orders.read", "sale.order", "search", domain) or []

    def _faults(self, server, db, data, stats):
        """A quarter in: one worker SIGKILLed; half-way: PostgreSQL restarted (fast shutdown); three
        quarters: the suite's daily crons run twice at once, and reminders processed by hand meanwhile."""
        duration = self.args.duration
        time.sleep(duration / 4)
        workers = server.children()
        if workers:
            os.kill(workers[0], signal.SIGKILL)
            self.adv.say(f"load: fault: worker {workers[0]} killed (SIGKILL)")
        time.sleep(duration / 4)
        self.cluster.restart_fast()
        self.adv.say("load: fault: PostgreSQL restarted (pg_ctl restart -m fast)")
        time.sleep(duration / 4)
        self.adv.say("load: fault: the daily crons twice at once")
        threads = [threading.Thread(target=self._run_crons, args=(server, db, stats)) for _ in range(2)]
        adv_user = next(u for u in data["users"] if u["role"] == "adv")
        threads.append(
            threading.Thread(target=self._process_reminders, args=(server, db, data, adv_user, stats))
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _run_crons(self, server, db, stats):
        client = Client(server.url, db, {"login": "admin", "role": "admin"}, {}, stats, 0, True, [])
        client.login()
        crons = client.rpc(
            "cron.read",
            "ir.cron",
            "search_read",
            [("interval_type", "=", "days"), ("model_id.model", "like", "adv.")],
            ["id", "name"],
        )
        for cron in crons or []:
            client.rpc("cron.run", "ir.cron", "method_direct_trigger", [cron["id"]])

    def _process_reminders(self, server, db, data, user, stats):
        client = Client(server.url, db, user, data, stats, 0, True, [])
        client.login()
        client.rpc("reminders.process", "account.move", "action_adv_process_reminders", data["invoices"])

    # -- end-state checks (suite database, Odoo stopped)
    def end_checks(self, stats):
        db = "adv_load_suite"
        self._check("zero unexpected errors", stats.errors() == 0, f"{stats.errors()} unexpected")
        over = self.cluster.psql(
            """
            SELECT count(*) FROM adv_credit_exposure e
              JOIN res_partner p ON p.id = e.partner_id
             WHERE (p.credit_limit ->> e.company_id::text)::numeric > 0
               AND e.amount_decision > (p.credit_limit ->> e.company_id::text)::numeric + 0.5
               AND NOT EXISTS (SELECT 1 FROM adv_credit_override o WHERE o.partner_id = e.partner_id)
            """,
            db,
        )
        self._check("no customer over its limit without a logged override", over == "0", f"{over} over")
        diff = self.cluster.psql(
            f"""
            BEGIN;
            CREATE TEMP TABLE adv_load_before AS
                SELECT {EXPOSURE_COLUMNS} FROM adv_credit_exposure;
            SELECT adv_credit_refresh_exposure(ARRAY(SELECT id FROM res_partner));
            CREATE TEMP TABLE adv_load_after AS
                SELECT {EXPOSURE_COLUMNS} FROM adv_credit_exposure;
            SELECT (SELECT count(*) FROM (TABLE adv_load_before EXCEPT TABLE adv_load_after) a)
                 + (SELECT count(*) FROM (TABLE adv_load_after EXCEPT TABLE adv_load_before) b);
            ROLLBACK;
            """,
            db,
        )
        self._check("exposure equals a from-scratch recomputation", diff == "0", f"{diff} rows differ")
        dup = self.cluster.psql(
            "SELECT count(*) FROM (SELECT move_id, level_id FROM adv_dunning_reminder "
            "GROUP BY move_id, level_id HAVING count(*) > 1) d",
            db,
        )
        reminders = self.cluster.psql("SELECT count(*) FROM adv_dunning_reminder", db)
        self._check("one reminder per invoice and level", dup == "0", f"{reminders} reminders, {dup} doubled")

    def _check(self, label, ok, detail):
        self.checks.append((label, ok, detail))

    # -- report
    def table(self):
        top = max(self.counts)
        print("\n== load: throughput (ops/s), latency p50/p95 (ms), refusals intended by the rules, errors")
        head = f"{'N':>3} {'operation':<17}{'suite ops/s':>12}{'p50':>7}{'p95':>7}{'refused':>8}{'errors':>7}"
        head += f"{'native ops/s':>13}{'p50':>7}{'p95':>7}{'errors':>7}{'p95 ratio':>10}"
        print(head)
        for n in self.counts:
            suite, native = self.results.get(("suite", n)), self.results.get(("native", n))
            ops = sorted(set(suite.ops if suite else ()) | set(native.ops if native else ()))
            for op in ops:
                row = f"{n:>3} {op:<17}"
                cells = {}
                for variant, stats in (("suite", suite), ("native", native)):
                    entry = (stats.ops.get(op) if stats else None) or {"lat": [], "refused": 0, "errors": 0}
                    lat = entry["lat"]
                    cells[variant] = (
                        len(lat) / self.args.duration,
                        _percentile(lat, 50),
                        _percentile(lat, 95),
                        entry["refused"],
                        entry["errors"],
                    )
                s, nat = cells["suite"], cells["native"]
                row += f"{s[0]:>12.2f}{_ms(s[1]):>7}{_ms(s[2]):>7}{s[3]:>8}{s[4]:>7}"
                row += f"{nat[0]:>13.2f}{_ms(nat[1]):>7}{_ms(nat[2]):>7}{nat[4]:>7}"
                ratio = s[2] / nat[2] if s[2] and nat[2] else None
                row += f"{(f'{ratio:.2f}' if ratio else '-'):>10}"
                print(row)
        suite, native = self.results.get(("suite", top)), self.results.get(("native", top))
        if suite and native:
            s95 = _percentile(suite.ops.get("order.confirm", {}).get("lat", []), 95)
            n95 = _percentile(native.ops.get("order.confirm", {}).get("lat", []), 95)
            ok = bool(s95 and n95 and s95 <= 1.2 * n95)
            self._check(
                f"p95 of order confirmation <= 1.2 x native at {top} clients",
                ok,
                f"{_ms(s95)} ms vs {_ms(n95)} ms" + (f" ({s95 / n95:.2f}x)" if s95 and n95 else ""),
            )
        for variant_stats in self.results.values():
            for sample in variant_stats.samples:
                print(f"  unexpected: {sample}")
        print("\n== load: end-state checks")
        for label, ok, detail in self.checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {label} ({detail})")
        return all(ok for _label, ok, _detail in self.checks)

    # -- the read replica (item 4)
    def replica_checks(self):
        self.adv.say("load: streaming replica (pg_basebackup -R) and Odoo with --db_replica_host/port")
        self.replica = Cluster(self.adv, self.base, "replica")
        self.replica.basebackup(self.cluster)
        self.replica.start("-c log_statement=all", "-c hot_standby=on")
        server = OdooServer(self, "adv_load_suite", replica=self.replica)
        self.servers.append(server)
        try:
            user = next(u for u in self.data["suite"]["users"] if u["role"] == "adv")
            ReplicaCheck(self, server, user).run()
        finally:
            server.stop()
            self.servers.remove(server)
            self.replica.stop()


def _ms(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


class ReplicaCheck:
    """The ADV user's read-only screens over JSON-RPC (web client routes), each checked to be read on
    the replica (its statement log) without any write retried on the primary (Odoo's warning)."""

    def __init__(self, harness, server, user):
        self.harness, self.server, self.user = harness, server, user
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}).encode()
        request = urllib.request.Request(
            self.server.url + path, body, {"Content-Type": "application/json"}, method="POST"
        )
        with self.opener.open(request, timeout=300) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def on_replica(self, label, table, func, expect_replica=True):
        """Run ``func``; PASS when it worked, read ``table`` on the replica (or not, for a read/write
        route) and made Odoo retry nothing on the primary."""
        with open(self.harness.replica.log, "rb") as f:
            f.seek(0, os.SEEK_END)
            offset = f.tell()
        retried = len(self.server.log_lines("retrying with a read/write cursor"))
        try:
            func()
        except Exception as exc:  # any failure of a screen is reported, and the next ones run
            self.harness._check(f"replica: {label}", False, str(exc)[:300])
            return
        time.sleep(0.5)
        with open(self.harness.replica.log, "rb") as f:
            f.seek(offset)
            served = table.encode() in f.read()
        writes = len(self.server.log_lines("retrying with a read/write cursor")) - retried
        ok = served == expect_replica and not writes
        where = "read on the replica" if served else "read on the primary"
        self.harness._check(f"replica: {label}", ok, f"{where}, {writes} write(s) retried on the primary")

    def run(self):
        self.post(
            "/web/session/authenticate",
            {"db": self.server.db, "login": self.user["login"], "password": self.user["login"]},
        )
        ctx = {"lang": "en_US", "tz": "UTC"}
        dashboard = self.call(
            "spreadsheet.dashboard", "search_read", [("name", "=", "ADV KPIs")], fields=["id"], context=ctx
        )

        def open_dashboard():
            if not dashboard:
                raise RuntimeError("the ADV KPIs dashboard is missing")
            data = self.call(
                "spreadsheet.dashboard", "get_readonly_dashboard", [dashboard[0]["id"]], context=ctx
            )
            snapshot = data["snapshot"]
            for pivot in snapshot.get("pivots", {}).values():
                measures = [f"{m['fieldName']}:sum" for m in pivot["measures"]]
                groupby = [g["fieldName"] for g in pivot.get("rows", [])[:1]]
                self.call(
                    pivot["model"], "read_group", pivot["domain"], measures, groupby, lazy=True, context=ctx
                )

        self.on_replica("KPI dashboard data", "adv_kpi_snapshot", open_dashboard)
        self.on_replica(
            "credit exposure list",
            "adv_credit_exposure",
            lambda: self.call(
                "adv.credit.exposure",
                "web_search_read",
                [],
                specification={
                    "partner_id": {"fields": {"display_name": {}}},
                    "amount_total": {},
                    "amount_decision": {},
                },
                limit=80,
                context=ctx,
            ),
        )
        self.on_replica(
            "cash forecast read_group",
            "account_move_line",
            lambda: self.call(
                "adv.cash.forecast", "web_read_group", [], ["amount:sum"], ["week_start:week"], context=ctx
            ),
        )
        self.on_replica(
            "KPI pivot read_group",
            "adv_kpi_snapshot",
            lambda: self.call(
                "adv.kpi.snapshot",
                "read_group",
                [("dimension", "=", "company")],
                ["credit_sales:sum", "invoice_count:sum"],
                ["month:month"],
                context=ctx,
            ),
        )
        self.on_replica(
            "KPI invoice report list",
            "account_move",
            lambda: self.call(
                "adv.kpi.invoice.report",
                "web_search_read",
                [],
                specification={"amount_total": {}},
                limit=80,
                context=ctx,
            ),
        )

        holder = {}

        def export_kpis():
            wizard = self.call("adv.kpi.export.wizard", "create", [{}], context=ctx)[0]
            action = self.post(
                "/web/dataset/call_button/adv.kpi.export.wizard/action_export",
                {
                    "model": "adv.kpi.export.wizard",
                    "method": "action_export",
                    "args": [[wizard]],
                    "kwargs": {"context": ctx},
                },
            )
            holder["url"] = action["url"]

        self.on_replica(
            "KPI XLSX export (wizard: writes its file, on the primary)", "ir_attachment", export_kpis, False
        )

        def download():
            time.sleep(0.5)  # the attachment's row reaches the replica
            with self.opener.open(self.server.url + holder["url"], timeout=300) as response:
                content = response.read()
            if not content.startswith(b"PK"):
                raise RuntimeError("the download is not an XLSX file")

        if holder.get("url"):
            self.on_replica("KPI XLSX download (/web/content)", "ir_attachment", download)

        def list_export():
            data = json.dumps(
                {
                    "import_compat": False,
                    "context": ctx,
                    "domain": [],
                    "fields": [
                        {"name": "partner_id", "label": "Customer", "type": "many2one"},
                        {"name": "amount_total", "label": "Total", "type": "monetary"},
                    ],
                    "groupby": [],
                    "ids": False,
                    "model": "adv.credit.exposure",
                }
            )
            with self.opener.open(self.server.url + "/odoo", timeout=300) as response:
                token = re.search(rb'csrf_token: "(\w+)"', response.read())
            if not token:
                raise RuntimeError("no CSRF token in the web client's page")
            body = urllib.parse.urlencode({"data": data, "csrf_token": token.group(1).decode()}).encode()
            with self.opener.open(self.server.url + "/web/export/xlsx", body, timeout=300) as response:
                if not response.read().startswith(b"PK"):
                    raise RuntimeError("the export is not an XLSX file")

        # Odoo's own list export route is read/write in Odoo 18 (not routed to the replica): it must work.
        self.on_replica(
            "credit exposure XLSX list export (/web/export/xlsx)", "adv_credit_exposure", list_export, False
        )


# ---------------------------------------------------------------- the verb
def verb_load(adv, suite, args):
    # A request stuck past Odoo's own limits fails the client instead of hanging the run.
    socket.setdefaulttimeout(600)
    harness = Harness(adv, suite, args)
    try:
        harness.prepare()
        variants = ["suite"] + ([] if args.no_native else ["native"])
        for n in harness.counts:
            for variant in variants:
                harness.results[(variant, n)] = harness.step(variant, n)
        if args.faults:
            faulted = harness.step("suite", max(harness.counts), faults=True)
            _print_fault_step(faulted, args.duration)
            harness.faulted = faulted
        harness.end_checks(_merged([*harness.results.values(), harness.faulted]))
        if args.replica:
            try:
                harness.replica_checks()
            except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
                harness._check("replica: started and answering", False, str(exc)[:300])
        ok = harness.table()
        verdict = "PASS" if ok else "FAIL"
        print(f"\nload: {verdict} (scale {args.scale}, clients {args.clients}, {args.duration}s per step)")
        return 0 if ok else 1
    finally:
        harness.close()


def _merged(all_stats):
    merged = Stats()
    for stats in all_stats:
        for op, entry in stats.ops.items():
            target = merged.ops.setdefault(op, {"lat": [], "refused": 0, "errors": 0, "retried": 0})
            for key in ("refused", "errors", "retried"):
                target[key] += entry[key]
            target["lat"] += entry["lat"]
        merged.samples += stats.samples
    return merged


def _print_fault_step(stats, duration):
    print("\n== load: fault step (suite): ops, retried after a fault, refused, errors")
    for op, entry in sorted(stats.ops.items()):
        print(
            f"  {op:<20}{len(entry['lat']) / duration:>8.2f} ops/s  retried {entry['retried']:>3}  "
            f"refused {entry['refused']:>3}  errors {entry['errors']:>3}"
        )
    for sample in stats.samples:
        print(f"  unexpected: {sample}")

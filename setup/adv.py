#!/usr/bin/env python3
"""Bootstrap of the ADV suite: finds Odoo 18, prepares a virtualenv, PostgreSQL and a
browser, then serves Odoo with the suite (``run``), tests it (``test``), lints it
(``lint``), runs the benchmarks (``bench``), the load and fault harness (``load``, in load.py) or takes the
Apps pages' screenshots (``screenshots``).

Only the standard library is used here: this script is what builds the virtualenv.
"""

import argparse
import ast
import concurrent.futures
import contextlib
import glob
import hashlib
import os
import pwd
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET

import load

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STATE = os.path.join(REPO, ".adv")
VENV = os.path.join(REPO, ".venv")
LOG_DIR = os.path.join(STATE, "log")
DATA_DIR = os.path.join(STATE, "data")
ALL_MODULES = ["adv_order_control", "adv_credit_mgmt", "adv_billing_close", "adv_kpi", "adv_einvoicing"]
# Every add-on of the repo (the suite's modules and their auto-installed bridges): linted and tested.
ADDONS = sorted(d for d in os.listdir(REPO) if os.path.isfile(os.path.join(REPO, d, "__manifest__.py")))
# Bridges to OCA's modules (the commission bridge): outside the repo's root, so that an Odoo given only that
# root does not offer what cannot install there; on the addons path together with OCA's modules
# (oca_addons_dir), installed and tested like the other bridges.
EXTRAS_DIR = os.path.join(REPO, "extras")
# OCA's 18.0 wheels that the bridges and the side-by-side benchmarks need (installed by ensure_oca).
OCA_REQUIREMENTS = os.path.join(REPO, "setup", "requirements-oca.txt")
# The wheels' build backend (setup/adv wheels), installed when first needed.
WHOOL = {"whool": "1.3.1"}
EXTRAS = (
    sorted(
        d for d in os.listdir(EXTRAS_DIR) if os.path.isfile(os.path.join(EXTRAS_DIR, d, "__manifest__.py"))
    )
    if os.path.isdir(EXTRAS_DIR)
    else []
)
# ADV_MODULES installs a subset (each module must work with only its declared dependencies).
MODULES = [m for m in os.environ.get("ADV_MODULES", ",".join(ALL_MODULES)).split(",") if m]
DEMO_DB = os.environ.get("ADV_DB", "adv_demo")
TEST_DB = os.environ.get("ADV_TEST_DB", "adv_test")
HTTP_PORT = os.environ.get("ADV_HTTP_PORT", "8069")


def say(msg):
    print(f"[adv] {msg}", flush=True)


def die(msg):
    print(f"[adv] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def sh(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, **kw)


# ---------------------------------------------------------------- Odoo source
def _release_version(source):
    release = os.path.join(source, "odoo", "release.py")
    if not os.path.isfile(release):
        return None
    with open(release, encoding="utf-8") as f:
        match = re.search(r"^version_info\s*=\s*\((\d+),\s*(\d+)", f.read(), re.M)
    return (int(match.group(1)), int(match.group(2))) if match else None


def find_odoo():
    """Return (source_root, python_with_odoo_or_None)."""
    probe = "import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))"
    for python in dict.fromkeys([sys.executable, shutil.which("python3") or ""]):
        if not python:
            continue
        res = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
        root = res.stdout.strip()
        if res.returncode == 0 and root and _release_version(root):
            return _check_version(root, "the interpreter " + python), python
    candidates = []
    if os.environ.get("ODOO_SOURCE"):
        candidates.append((os.environ["ODOO_SOURCE"], "ODOO_SOURCE"))
    candidates.append(("/opt/odoo", "/opt/odoo"))
    for path, origin in candidates:
        if _release_version(path):
            return _check_version(os.path.abspath(path), origin), None
        if origin == "ODOO_SOURCE":
            die(
                f"ODOO_SOURCE={path} is not an Odoo source tree (no odoo/release.py there). "
                "Point ODOO_SOURCE at the folder that holds odoo-bin, odoo/ and addons/."
            )
    die(
        "No Odoo 18 found. Either make `import odoo` work for python3, or set ODOO_SOURCE to an "
        "Odoo 18.0 source folder (the one holding odoo-bin), or put that source at /opt/odoo. "
        "Odoo 18.0 Community sources: https://github.com/odoo/odoo/tree/18.0"
    )


def _check_version(root, origin):
    version = _release_version(root)
    if version != (18, 0):
        die(
            f"The Odoo found through {origin} ({root}) is version {version[0]}.{version[1]}; "
            "the ADV suite needs Odoo 18.0. Set ODOO_SOURCE to an Odoo 18.0 source folder."
        )
    return root


def addons_path(source):
    # odoo/addons first: Odoo always searches it first, whatever the configured order.
    paths = [os.path.join(source, "odoo", "addons"), os.path.join(source, "addons"), REPO]
    oca = oca_addons_dir()
    if oca and os.path.isdir(oca):
        paths += [oca, EXTRAS_DIR]
    return ",".join(p for p in paths if os.path.isdir(p))


def venv_site_packages(venv=VENV):
    """The site-packages folder of a virtualenv (None before it exists)."""
    found = sorted(glob.glob(os.path.join(venv, "lib", "python3*", "site-packages")))
    return found[-1] if found else None


def oca_addons_dir():
    """Where pip puts OCA's wheels: the venv's site-packages/odoo/addons (None before the venv exists).

    ``site-packages/odoo`` is a namespace folder (no __init__.py): ``import odoo`` still finds the Odoo
    source (a regular package, through odoo-source.pth), which extends its path with that folder."""
    site = venv_site_packages()
    return os.path.join(site, "odoo", "addons") if site else None


def _pins(path):
    pins = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line:
                name, _sep, version = line.partition("==")
                pins[name.strip()] = version.strip()
    return pins


def _missing(pins):
    """Distributions of ``pins`` ({name: version}) that the venv lacks at that version."""
    site = venv_site_packages() or ""
    return [
        name
        for name, version in pins.items()
        if not os.path.isdir(
            os.path.join(site, f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}.dist-info")
        )
    ]


def ensure_oca(python):
    """OCA's wheels of setup/requirements-oca.txt in the venv; pip runs only when one is missing or at
    another version (their dist-info folders are looked at, no process is started)."""
    if not _missing(_pins(OCA_REQUIREMENTS)):
        return
    say("installing OCA's 18.0 modules of setup/requirements-oca.txt (pip, without their dependencies)")
    # --no-deps: each requires odoo==18.0.*, which no registry has; their OCA dependencies are all pinned.
    sh([*_pip(python), "--no-deps", "-r", OCA_REQUIREMENTS])


def ensure_whool(python):
    if _missing(WHOOL):
        say("installing whool, the build backend of Odoo add-on wheels")
        sh([*_pip(python), *(f"{name}=={version}" for name, version in WHOOL.items())])


def _pip(python):
    return [python, "-m", "pip", "install", "--disable-pip-version-check", "-q"]


# ---------------------------------------------------------------- virtualenv
def _odoo_requirements(source):
    """Odoo's requirements, rewritten so that they install from wheels on a clean machine."""
    path = os.path.join(source, "requirements.txt")
    if not os.path.isfile(path):
        return []
    lines, seen_psycopg = [], False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            name = re.split(r"[=<>!~; \[]", line, maxsplit=1)[0].lower()
            if name == "cbor2":
                # 5.4.2 has no wheel for 3.11 and its sdist needs setuptools_scm to build.
                line = re.sub(r"cbor2==5\.4\.\d+", "cbor2==5.6.2", line)
            elif name == "psycopg2":
                # The binary wheel avoids needing libpq headers and a compiler.
                if seen_psycopg:
                    continue
                seen_psycopg, line = True, "psycopg2-binary==2.9.9"
            elif name == "python-ldap":
                # Only auth_ldap needs it, and it builds only against OpenLDAP headers.
                continue
            lines.append(line)
    return lines


def ensure_venv(source, odoo_python):
    python = os.path.join(VENV, "bin", "python")
    reqs = [] if odoo_python else _odoo_requirements(source)
    with open(os.path.join(REPO, "setup", "requirements.txt"), encoding="utf-8") as f:
        ours = f.read()
    stamp_text = "\n".join([source, odoo_python or "", sys.version, *reqs, ours])
    stamp = hashlib.sha256(stamp_text.encode()).hexdigest()
    stamp_file = os.path.join(VENV, ".adv-stamp")
    if os.path.isfile(stamp_file) and open(stamp_file, encoding="utf-8").read() == stamp:
        return python
    say("preparing the virtualenv in .venv (first time: a few minutes)")
    if not os.path.isfile(python):
        base = odoo_python or sys.executable
        cmd = [base, "-m", "venv", VENV]
        if odoo_python:
            cmd.insert(3, "--system-site-packages")
        sh(cmd)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    sh(pip + ["--upgrade", "pip", "setuptools", "wheel"])
    os.makedirs(STATE, exist_ok=True)
    req_file = os.path.join(STATE, "requirements-odoo.txt")
    with open(req_file, "w", encoding="utf-8") as f:
        f.write("\n".join(reqs) + "\n")
    sh(pip + ["-r", req_file, "-r", os.path.join(REPO, "setup", "requirements.txt")])
    if not odoo_python:
        site = subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        with open(os.path.join(site, "odoo-source.pth"), "w", encoding="utf-8") as f:
            f.write(source + "\n")
    with open(stamp_file, "w", encoding="utf-8") as f:
        f.write(stamp)
    return python


# ---------------------------------------------------------------- PostgreSQL
class Postgres:
    """Connection settings, and the private cluster when no server answers."""

    def __init__(self):
        self.env = dict(os.environ)
        self.bindir = None
        self.private = None  # data folder of the private cluster
        self.owner = None
        self.started = False

    # -- shared
    def tool(self, name):
        if self.bindir:
            return os.path.join(self.bindir, name)
        return shutil.which(name) or os.path.join(_pg_bindir(), name)

    def psql(self, sql, db="postgres"):
        res = subprocess.run(
            [self.tool("psql"), "-X", "-Atq", "-d", db, "-c", sql],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        return res.returncode, res.stdout.strip()

    def db_exists(self, name):
        rc, out = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        return rc == 0 and out == "1"

    def odoo_args(self):
        args = []
        for opt, var in (
            ("--db_host", "PGHOST"),
            ("--db_port", "PGPORT"),
            ("--db_user", "PGUSER"),
            ("--db_password", "PGPASSWORD"),
        ):
            if self.env.get(var):
                args += [opt, self.env[var]]
        return args

    # -- an existing server
    def try_existing(self):
        if os.environ.get("ADV_PRIVATE_PG"):
            return False
        if not (set(os.environ) & {"PGHOST", "PGPORT", "PGUSER"}) and not os.path.exists(
            "/var/run/postgresql/.s.PGSQL.5432"
        ):
            return False
        rc, out = self.psql(
            "SELECT current_user || ',' || (rolcreatedb OR rolsuper)::text "
            "FROM pg_roles WHERE rolname = current_user"
        )
        if rc != 0 or not out:
            return False
        user, can_create = out.split(",")
        if user == "postgres" or can_create != "true":
            say(
                f"PostgreSQL answers as {user!r}, which Odoo cannot use (it needs a role with "
                "CREATEDB that is not 'postgres'); using a private cluster instead"
            )
            return False
        self.env.setdefault("PGUSER", user)
        say(f"using the PostgreSQL server of the PG* settings (role {user})")
        return True

    # -- the private cluster
    def start_private(self):
        self.bindir = _pg_bindir()
        self.owner = _unprivileged_user()
        base = os.path.join(STATE, "pg")
        if self.owner and not _can_reach(self.owner, STATE):
            # The unprivileged owner cannot traverse the repo's parents (e.g. under /root).
            base = os.path.join("/var/tmp", "adv-pg-" + hashlib.sha1(REPO.encode()).hexdigest()[:8])
        data, run = os.path.join(base, "data"), os.path.join(base, "run")
        os.makedirs(run, exist_ok=True)
        self.private = data
        if self.owner:
            shutil.chown(base, self.owner)
            shutil.chown(run, self.owner)
        if not os.path.isfile(os.path.join(data, "PG_VERSION")):
            say(f"initialising a private PostgreSQL cluster in {base}")
            self._as_owner(
                [
                    os.path.join(self.bindir, "initdb"),
                    "-D",
                    data,
                    "-U",
                    "odoo",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                stdout=subprocess.DEVNULL,
            )
        port = self._running_port(data)
        if port is None:
            port = _free_port()
            # A disposable development cluster: durability is traded for speed.
            opts = (
                f"-p {port} -k {run} -c listen_addresses='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            )
            self._as_owner(
                [
                    os.path.join(self.bindir, "pg_ctl"),
                    "-D",
                    data,
                    "-o",
                    opts,
                    "-l",
                    os.path.join(base, "server.log"),
                    "-w",
                    "-s",
                    "start",
                ]
            )
            self.started = True
        self.env.update(PGHOST=run, PGPORT=str(port), PGUSER="odoo")
        self.env.pop("PGPASSWORD", None)
        self.env.pop("PGDATABASE", None)
        users = os.path.join(base, "users")
        os.makedirs(users, exist_ok=True)
        self._user_file = os.path.join(users, str(os.getpid()))
        open(self._user_file, "w").close()
        say(f"private PostgreSQL on socket {run}, port {port}")

    def _running_port(self, data):
        pid_file = os.path.join(data, "postmaster.pid")
        if not os.path.isfile(pid_file):
            return None
        res = self._as_owner(
            [os.path.join(self.bindir, "pg_ctl"), "-D", data, "status"],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if res.returncode != 0:
            return None
        with open(pid_file, encoding="utf-8") as f:
            return int(f.read().splitlines()[3])

    def _as_owner(self, cmd, **kw):
        if self.owner:
            cmd = ["runuser", "-u", self.owner, "--"] + cmd
        return sh(cmd, **kw)

    def stop(self):
        """Stop the private cluster when no other verb of this repo still uses it."""
        if not self.private:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._user_file)
        users_dir = os.path.dirname(self._user_file)
        for name in os.listdir(users_dir):
            if _pid_alive(int(name)):
                return
            os.unlink(os.path.join(users_dir, name))
        self._as_owner(
            [os.path.join(self.bindir, "pg_ctl"), "-D", self.private, "-w", "-s", "-m", "fast", "stop"],
            check=False,
        )


def _pg_bindir():
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if not found:
        die(
            "No PostgreSQL server binaries found in /usr/lib/postgresql/*/bin. Install them "
            "(Debian: apt-get install postgresql-15) or set PGHOST/PGPORT/PGUSER to a running server."
        )
    return os.path.dirname(found[-1])


def _unprivileged_user():
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    die("PostgreSQL refuses to run as root and no 'postgres' or 'nobody' user exists: create one.")


def _can_reach(user, path):
    os.makedirs(path, exist_ok=True)
    return (
        subprocess.run(["runuser", "-u", user, "--", "test", "-x", path], check=False).returncode == 0
        and os.stat(path).st_uid == 0
    )


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- browser
def ensure_browser():
    if not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        _apt_install("Chromium for the browser tests", ["chromium", "fonts-dejavu-core"])


def ensure_pdf_renderer():
    """Odoo prints PDFs (invoices, reminders, statements) with wkhtmltopdf."""
    if not shutil.which("wkhtmltopdf"):
        _apt_install("wkhtmltopdf, which Odoo prints PDFs with", ["wkhtmltopdf", "fonts-dejavu-core"])


def _apt_install(what, packages):
    say(f"installing {what} (Debian packages {', '.join(packages)})")
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None or not shutil.which("apt-get"):
        die(f"{what} is missing and cannot be installed here: install {' '.join(packages)}, then run again.")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    sh(prefix + ["apt-get", "update", "-qq"], env=env)
    sh(
        prefix + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env=env,
        stdout=subprocess.DEVNULL,
    )


# ---------------------------------------------------------------- Odoo commands
class Suite:
    def __init__(self):
        self.source, odoo_python = find_odoo()
        self.python = ensure_venv(self.source, odoo_python)
        ensure_oca(self.python)
        self.pg = Postgres()
        if not self.pg.try_existing():
            self.pg.start_private()
        os.makedirs(LOG_DIR, exist_ok=True)
        self.config = self._write_config()

    def _write_config(self):
        path = os.path.join(STATE, "odoo.conf")
        options = {
            "addons_path": addons_path(self.source),
            "data_dir": DATA_DIR,
            "db_host": self.pg.env.get("PGHOST", ""),
            "db_port": self.pg.env.get("PGPORT", ""),
            "db_user": self.pg.env.get("PGUSER", ""),
            "db_password": self.pg.env.get("PGPASSWORD", ""),
            "http_port": HTTP_PORT,
        }
        with open(path, "w", encoding="utf-8") as f:
            f.write("[options]\n")
            for key, value in options.items():
                f.write(f"{key} = {value or 'False'}\n")
        return path

    def odoo_cmd(self, *args, command=()):
        """Odoo's command line; ``command`` is a sub-command such as ("shell",), which goes first."""
        odoo_bin = os.path.join(self.source, "odoo-bin")
        launcher = [odoo_bin] if os.path.isfile(odoo_bin) else ["-m", "odoo"]
        return [self.python, *launcher, *command, "-c", self.config, *args]

    def odoo(self, *args, log=None, check=True):
        env = dict(self.pg.env, TZ="UTC")
        if log is None:
            return sh(self.odoo_cmd(*args), env=env, check=check)
        with open(log, "w", encoding="utf-8") as out:
            return sh(self.odoo_cmd(*args), env=env, check=check, stdout=out, stderr=subprocess.STDOUT)

    # -- databases
    def dependencies(self, peers=False):
        """Odoo modules the suite needs, plus those of every bridge that can be installed here
        (e.g. sale_stock for adv_credit_mgmt_stock), so that the bridges auto-install and are tested.
        With ``peers``, the OCA modules of the bridges in extras/ too (the test template only: Odoo's own
        tests, the benchmarks and the demo run without them)."""
        paths = addons_path(self.source).split(",")

        def available(name):
            return any(os.path.isdir(os.path.join(path, name)) for path in paths)

        ours = set(ADDONS) | set(EXTRAS)
        deps = set()
        for folder, modules in ((REPO, ADDONS), (EXTRAS_DIR, EXTRAS if peers else [])):
            for module in modules:
                with open(os.path.join(folder, module, "__manifest__.py"), encoding="utf-8") as f:
                    needed = set(ast.literal_eval(f.read()).get("depends", [])) - ours
                if module in ALL_MODULES or all(available(name) for name in needed):
                    deps |= needed
        return sorted(deps)

    def template(self, demo=True):
        """A cached database with the suite's dependencies installed, with or without demo data; the one
        with demo data (tests, modcheck) holds the OCA modules of the bridges in extras/ too."""
        deps = self.dependencies(peers=demo)
        key = hashlib.sha1(
            "|".join(
                [self.source, str(os.path.getmtime(os.path.join(self.source, "odoo", "release.py"))), *deps]
            ).encode()
        ).hexdigest()[:10]
        name = f"adv_tmpl_{key}" + ("" if demo else "_nodemo")
        if self.pg.db_exists(name):
            return name
        # Per process: two commands sharing a server build side by side; the first to finish wins.
        building = f"{name}_building_{os.getpid()}"
        self.drop(building)
        say(f"building the dependency template {name} ({', '.join(deps)}): a few minutes, once")
        log = os.path.join(LOG_DIR, f"template-{name}.log")
        no_demo = [] if demo else ["--without-demo=all"]
        res = self.odoo(
            "-d", building, "-i", ",".join(deps), *no_demo, "--stop-after-init", log=log, check=False
        )
        if res.returncode != 0 or _log_errors(log):
            die(f"installing the dependencies failed: see {log}")
        if self.pg.db_exists(name):
            self.drop(building)
            return name
        self.pg.psql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        _move_filestore(building, name)
        return name

    def clone(self, template, name):
        self.drop(name)
        sh([self.pg.tool("createdb"), "-T", template, name], env=self.pg.env)
        src = os.path.join(DATA_DIR, "filestore", template)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(DATA_DIR, "filestore", name))

    def drop(self, name):
        quiet = dict(self.pg.env, PGOPTIONS="-c client_min_messages=warning")
        sh([self.pg.tool("dropdb"), "--if-exists", "-f", name], env=quiet, stdout=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(DATA_DIR, "filestore", name), ignore_errors=True)

    def installed(self, db):
        modules = ",".join(f"'{m}'" for m in MODULES)
        rc, out = self.pg.psql(
            "SELECT count(*) FROM ir_module_module WHERE state = 'installed' " f"AND name IN ({modules})",
            db=db,
        )
        return rc == 0 and out == str(len(MODULES))

    def shell(self, db, script, log):
        """Run ``script`` in Odoo's shell on ``db``."""
        with open(log, "w", encoding="utf-8") as out:
            return subprocess.run(
                self.odoo_cmd("-d", db, "--no-http", command=("shell",)),
                input=script,
                text=True,
                env=dict(self.pg.env, TZ="UTC"),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )

    def french_template(self):
        """The demo's template (``run`` only): French installed, a French main company, then the
        suite's dependencies, so that ``account`` brings l10n_fr and its chart. Cached like ``template``."""
        deps = self.dependencies()
        key = hashlib.sha1("|".join(["fr", self.source, FRENCH_COMPANY, *deps]).encode()).hexdigest()[:10]
        name = f"adv_tmpl_fr_{key}"
        if self.pg.db_exists(name):
            return name
        building = f"{name}_building_{os.getpid()}"
        self.drop(building)
        say(f"building the French demo template {name}: a few minutes, once")
        log = os.path.join(LOG_DIR, f"template-{name}.log")
        steps = (
            lambda: self.odoo(
                "-d",
                building,
                "-i",
                "base",
                "--load-language",
                "fr_FR",
                "--stop-after-init",
                log=log,
                check=False,
            ),
            lambda: self.shell(building, FRENCH_COMPANY, log + ".company"),
            lambda: self.odoo(
                "-d", building, "-i", ",".join(deps), "--stop-after-init", log=log + ".deps", check=False
            ),
        )
        for step in steps:
            if step().returncode != 0:
                self.drop(building)
                die(f"building the French demo template failed: see {log}*")
        if _log_errors(log + ".deps"):
            self.drop(building)
            die(f"installing the dependencies failed: see {log}.deps")
        if self.pg.db_exists(name):
            self.drop(building)
            return name
        self.pg.psql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
        _move_filestore(building, name)
        return name


def _move_filestore(old, new):
    src = os.path.join(DATA_DIR, "filestore", old)
    if os.path.isdir(src):
        shutil.rmtree(os.path.join(DATA_DIR, "filestore", new), ignore_errors=True)
        os.rename(src, os.path.join(DATA_DIR, "filestore", new))


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) (\S+) (\S+): (.*)$")


def _log_errors(path, ours_only_warnings=True):
    """Lines of an Odoo log that make a run fail: any ERROR/CRITICAL, and WARNINGs of our code."""
    bad = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            match = LOG_LINE.match(line)
            if not match:
                continue
            level, logger = match.group(1), match.group(3)
            if level in ("ERROR", "CRITICAL"):
                bad.append(line.rstrip())
            elif level == "WARNING" and (
                not ours_only_warnings or "adv_" in logger or "adv_" in match.group(4)
            ):
                bad.append(line.rstrip())
    return bad


# ---------------------------------------------------------------- verbs
# The demo company is French (l10n_fr chart, EUR, SIREN/SIRET, French customers and payment terms), set before
# `account` installs so that Odoo installs the French localisation and its chart by itself.
FRENCH_COMPANY = """
company = env.ref("base.main_company")
company.write({
    "name": "ADV Démo SAS",
    "street": "12 rue de la Paix",
    "zip": "75002",
    "city": "Paris",
    "state_id": False,
    "country_id": env.ref("base.fr").id,
    "currency_id": env.ref("base.EUR").id,
    "phone": "+33 1 23 45 67 89",
    "company_registry": "732829304",
})
company.partner_id.lang = "fr_FR"
env.ref("base.user_admin").write({"lang": "fr_FR", "tz": "Europe/Paris"})
env.cr.commit()
"""
# After the suite's install: what only exists with l10n_fr and account (SIRET, VAT, terms, customers).
FRENCH_DEMO = """
from odoo import Command

# English stays offered beside French (a database created in French has only French active).
env["res.lang"]._activate_lang("en_US")
company = env.ref("base.main_company")
# Odoo's own demo data (stock) renames the main company: its French name again.
company.write({"name": "ADV Démo SAS", "siret": "73282930400003", "vat": "FR93732829304"})
penalties = (
    "En cas de retard de paiement, des pénalités de retard sont exigibles au taux de trois fois le taux "
    "d'intérêt légal, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € "
    "(articles L441-10 et D441-5 du Code de commerce). Pas d'escompte pour paiement anticipé."
)
env["ir.config_parameter"].set_param("account.use_invoice_terms", True)
company.write({"terms_type": "plain"})
# Terms are translated sentence by sentence (HTML): the English text, then its French translation.
terms = (
    "Late payment: penalties at three times the French legal interest rate, plus a fixed indemnity of 40 EUR "
    "for recovery costs (French Commercial Code, articles L441-10 and D441-5). No discount for early payment."
)
company.with_context(lang="en_US").invoice_terms = f"<p>{terms}</p>"
company.update_field_translations("invoice_terms", {"fr_FR": {terms: penalties}})
end_of_month = env["account.payment.term"].with_context(lang="en_US").create({
    "name": "30 days end of month",
    "company_id": company.id,
    "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": 30,
                                 "delay_type": "days_after_end_of_month"})],
})
end_of_month.with_context(lang="fr_FR").name = "30 jours fin de mois"
on_receipt = env.ref("account.account_payment_term_immediate")
customers = {
    "base.res_partner_12": ("4 rue du Faubourg Saint-Honoré", "75008", "Paris"),
    "base.res_partner_2": ("18 quai Saint-Antoine", "69002", "Lyon"),
    "base.res_partner_3": ("7 cours Xavier Arnozan", "33000", "Bordeaux"),
    "base.res_partner_4": ("25 rue Nationale", "59000", "Lille"),
    "base.res_partner_10": ("3 place du Capitole", "31000", "Toulouse"),
    "base.res_partner_1": ("9 rue de la République", "13001", "Marseille"),
}
for xmlid, (street, zip_code, city) in customers.items():
    env.ref(xmlid).write({
        "street": street, "street2": False, "zip": zip_code, "city": city, "state_id": False,
        "country_id": env.ref("base.fr").id, "lang": "fr_FR",
        "property_payment_term_id": end_of_month.id,
    })
env.ref("base.res_partner_12").property_payment_term_id = on_receipt
env.cr.commit()
"""


def _demo_database(suite):
    """The French demo database of ``run`` and ``screenshots``, made the first time."""
    if suite.pg.db_exists(DEMO_DB) and suite.installed(DEMO_DB):
        return
    template = suite.french_template()
    suite.clone(template, DEMO_DB)
    say(f"installing the ADV suite with its demo data in {DEMO_DB} (a French company)")
    log = os.path.join(LOG_DIR, "install-demo.log")
    res = suite.odoo("-d", DEMO_DB, "-i", ",".join(MODULES), "--stop-after-init", log=log, check=False)
    if res.returncode == 0 and suite.installed(DEMO_DB):
        res = suite.shell(DEMO_DB, FRENCH_DEMO, os.path.join(LOG_DIR, "install-demo-fr.log"))
    if res.returncode != 0 or not suite.installed(DEMO_DB):
        suite.drop(DEMO_DB)
        die(f"installing the suite failed: see {log}")


def _stop(server):
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def verb_run(suite, args):
    ensure_pdf_renderer()
    _demo_database(suite)
    extra = ["-u", ",".join(MODULES)] if args.update else []
    say(f"Odoo serves the ADV suite on http://localhost:{HTTP_PORT}  (login admin / admin; Ctrl-C stops)")
    server = subprocess.Popen(
        suite.odoo_cmd("-d", DEMO_DB, "--db-filter", f"^{DEMO_DB}$", *extra), env=dict(suite.pg.env, TZ="UTC")
    )
    try:
        server.wait()
    except KeyboardInterrupt:
        # Ctrl-C reaches Odoo too; a SIGTERM sent to this script alone must stop it as well.
        _stop(server)


def verb_screenshots(suite, args):
    """Serve the French demo on ADV_HTTP_PORT for a moment and take the Apps pages' screenshots."""
    ensure_browser()
    _demo_database(suite)
    url = f"http://localhost:{HTTP_PORT}"
    log = os.path.join(LOG_DIR, "screenshots.log")
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen(
            suite.odoo_cmd("-d", DEMO_DB, "--db-filter", f"^{DEMO_DB}$"),
            env=dict(suite.pg.env, TZ="UTC"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(120):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/web/login", timeout=5):
                break
            time.sleep(1)
        else:
            die(f"Odoo did not answer on {url}: see {log}")
        script = os.path.join(REPO, "setup", "screenshots.py")
        cmd = [suite.python, script, "--url", url, "--db", DEMO_DB, "--out", REPO, *args.names]
        return sh(cmd, check=False).returncode
    finally:
        _stop(server)


def verb_test(suite, args):
    """Two lanes side by side (the suite's own tests, then Odoo's own tests with the suite installed):
    each Odoo test process uses one core, and Odoo's tests are cut in groups that either lane takes."""
    ensure_browser()
    ensure_pdf_renderer()
    native = None if args.no_compat else NativeRun(suite, args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        lint = None if args.no_lint else pool.submit(verb_lint, suite, args, False)
        own = pool.submit(_own_lane, suite, args, native)
        helper = native and pool.submit(native.work, 2)
        results = [own.result()] + ([helper.result()] if helper else [])
    if native:
        results.append(native.retry_late())
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    retried = sum(r.retried for r in results)
    if lint:
        passed, failed = (passed + 1, failed) if lint.result() else (passed, failed + 1)
    if native:
        say(
            f"Odoo's own tests with the suite installed: {native.tally.passed} passed, "
            f"{native.tally.failed} failed, {native.tally.retried} retried (logs: test-*native*.log)"
        )
        suite.drop(native.base)
    print(f"{passed} passed, {failed} failed" + (f", {retried} retried" if retried else ""), flush=True)
    return 1 if failed or not passed else 0


class Tally:
    """Tests passed and failed; ``late`` holds the tags of Odoo's own tours to retry (see _odoo_results)."""

    def __init__(self, passed=0, failed=0, retried=0, late=()):
        self.passed, self.failed, self.retried, self.late = passed, failed, retried, list(late)

    def add(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.retried += other.retried
        self.late += other.late
        return self


def _own_lane(suite, args, native):
    """The suite installed with its demo data and its tests, pytest-odoo, then Odoo's tests left over."""
    tally = Tally()
    template = suite.template()
    suite.clone(template, TEST_DB)
    # Users of the template live in Brussels while the server's SQL dates are UTC: for an hour each night
    # "today" differs between the two, and so would the tests' figures. The test database runs in UTC.
    suite.pg.psql("UPDATE res_partner SET tz = 'UTC' WHERE tz IS DISTINCT FROM 'UTC'", db=TEST_DB)
    say(f"installing {', '.join(MODULES)} in {TEST_DB} with Odoo's test runner")
    log = os.path.join(LOG_DIR, f"test-{TEST_DB}.log")
    tags = args.test_tags or ",".join(f"/{m}" for m in ADDONS + EXTRAS)
    suite.odoo(
        "-d",
        TEST_DB,
        "-i",
        ",".join(MODULES),
        "--test-enable",
        "--test-tags",
        tags,
        "--stop-after-init",
        "--http-port",
        str(_free_port()),
        log=log,
        check=False,
    )
    own = _odoo_results(log)
    say(f"Odoo runner: {own.passed} passed, {own.failed} failed (log: {log})")
    tally.add(own)
    if not args.no_pytest:
        tally.add(_pytest(suite, args))
    if native:
        tally.add(native.work(1))
    return tally


def _odoo_results(log, tolerate_late=False):
    """Counts of an Odoo test log. With ``tolerate_late``, the failures of Odoo's own tours (a step that
    timed out, or an error the browser logged after the tour had succeeded: a request cut by the page
    closing) count as failures whose tags are kept to run again alone (see NativeRun.retry_late): on a
    loaded machine they come and go with or without the suite. Anything else fails for good."""
    text = open(log, encoding="utf-8", errors="replace").read()
    summaries = re.findall(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading", text)
    if not summaries:
        say(f"the Odoo runner printed no test summary ({log}); its last lines:")
        print("\n".join(text.splitlines()[-30:]))
        return Tally(0, 1)
    fails, errors, total = (int(g) for g in summaries[-1])
    bad = _log_errors(log)
    tours = tolerate_late and bad and _retryable_tours(text, bad)
    if tours:
        say(f"{', '.join(tours)}: one of Odoo's own tours failed in the browser, to run again alone")
        return Tally(total - fails - errors, max(fails + errors, 1), late=tours)
    skipped_tours = [
        ln for ln in text.splitlines() if " skipped " in ln and re.search(r"[Cc]hrome|browser|websocket", ln)
    ]
    for line in bad + skipped_tours:
        print(line)
    extra = 0
    if skipped_tours:
        say(f"{len(skipped_tours)} browser test(s) skipped: counted as failures")
        extra += len(skipped_tours)
    if bad and not (fails or errors):
        say(f"the log {log} has ERROR or WARNING lines (above): counted as one failure")
        extra += 1
    return Tally(total - fails - errors - len(skipped_tours), fails + errors + extra)


BROWSER_LOGGER = re.compile(r"^odoo\.addons\.(\w+)\.tests\.[\w.]*?\.(\w+)\.(test\w*)\.browser$")
FAILED_TEST = re.compile(r"^(?:FAIL|ERROR): (\w+)\.(test\w*)")
TEST_MODULE = re.compile(r"^odoo\.addons\.(\w+)\.tests\.")
TOUR_CALL = re.compile(r"\b(?:start_tour|browser_js)\(")


def _browser_error(line):
    """The test tag of one of Odoo's own tours when ``line`` was logged by its browser (a failed step,
    or an error received after the tour ended)."""
    match = LOG_LINE.match(line)
    if not match:
        return None
    tour = BROWSER_LOGGER.match(match.group(3))
    if not tour or tour.group(1).startswith("adv_"):
        return None
    return f"/{tour.group(1)}:{tour.group(2)}.{tour.group(3)}"


def _retryable_tours(text, bad):
    """Tags of Odoo's own tests when they explain every line of ``bad`` (a tour that failed, what its
    browser logged, an error of a request served while one of them ran, the runner's summary); None
    when anything else failed."""
    details, during, current, test = {}, {}, None, None
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if match:
            current = line.rstrip()
            details[current] = ""
            starting = re.match(r"^Starting (\w+)\.(test\w*) \.\.\.", match.group(4))
            module = TEST_MODULE.match(match.group(3))
            if starting and module:
                test = f"/{module.group(1)}:{starting.group(1)}.{starting.group(2)}"
            during[current] = test
        elif current:
            details[current] += line + "\n"
    tags, requests = set(), []
    for line in bad:
        match = LOG_LINE.match(line)
        logger, message = match.group(3), match.group(4)
        failed, module = FAILED_TEST.match(message), TEST_MODULE.match(logger)
        if _browser_error(line):
            tags.add(_browser_error(line))
        elif logger == "odoo.tests.result" and "tests when loading" in message:
            continue
        elif logger == "odoo.http":
            requests.append(line)
        elif (
            failed
            and module
            and not module.group(1).startswith("adv_")
            and TOUR_CALL.search(details.get(line, ""))
        ):
            tags.add(f"/{module.group(1)}:{failed.group(1)}.{failed.group(2)}")
        else:
            return None
    # A request that failed while one of Odoo's own tests ran (e.g. CPython 3.11's "AST constructor
    # recursion depth mismatch" when two threads of a fresh server parse manifests at once) reruns that
    # test too, even if it passed.
    for line in requests:
        test = during.get(line)
        if not test or test.startswith("/adv_"):
            return None
        tags.add(test)
    return sorted(tags) or None


# Odoo's own tests that must still pass with the suite installed in its default configuration, in
# groups of similar length that the two lanes share: sale's, sale_timesheet's, sale_management's, and
# account's on moves, reconciliation, payments and partners (the suite's triggers and guards sit
# there). The attribute tour is left out: it fails on any database without demo data, suite or not.
# Longest first: a lane that frees up late takes a short group, not the longest one alone at the end.
NATIVE_GROUPS = [
    "post_install/sale,-/sale:TestProductAttributeValue.test_attribute_values_deletion_or_archiving",
    # Where the stock bridges are installed (the templates hold sale_stock whenever Odoo has it).
    "post_install/sale_stock",
    ",".join(
        f"/account:{name}"
        for name in (
            "TestAccountMoveReconcile",
            "TestAccountPaymentRegister",
            "TestAccountMoveOutInvoiceOnchanges",
            "TestAccountMoveOutRefundOnchanges",
            "TestAccountMovePaymentsWidget",
            "TestAccountPartner",
            "TestMergePartner",
        )
    ),
    "post_install/sale_timesheet",
    "post_install/sale_management",
    # Without TestStockPickingTour: its lot/serial tours fail on such a database without the suite too
    # (7 of 9 here, the 8th when run alone), they expect the state stock's own test install leaves.
    "post_install/stock,-/stock:TestStockPickingTour",
]


# Bundles Odoo's web client and portal load on demand by name. Odoo pregenerates before its HTTP tests
# only the bundles its views call, not these: a tour then generates one (1-2 s on this machine) inside
# its rolled-back transaction, and when the tour ends first the browser's pending fetch fails after
# termination (sale_management's portal-signature tour and the portal chatter). Generated once, committed.
LAZY_BUNDLES_SCRIPT = """
names = ["portal.assets_chatter", "portal.assets_chatter_style", "web.assets_emoji", "web.chartjs_lib",
         "web.fullcalendar_lib", "web.ace_lib", "spreadsheet.o_spreadsheet"]
qweb = env["ir.qweb"]
for name in names:
    bundle = qweb._get_asset_bundle(name)
    if bundle.javascripts or bundle.templates:
        bundle.js()
    if bundle.stylesheets:
        bundle.css()
env.cr.commit()
"""


class NativeRun:
    """Odoo's own tests on a database where the suite is installed without demo data. The first lane
    to arrive installs it; each lane then tests on its own copy, taking the groups one by one."""

    def __init__(self, suite, args):
        self.suite = suite
        self.base = TEST_DB + "_native"
        self.groups = queue.Queue()
        for group in [args.native_tags] if args.native_tags else NATIVE_GROUPS:
            self.groups.put(group)
        self.lock = threading.Lock()
        self.ready = None  # whether the suite installed; None until tried
        self.install_failure_counted = False
        self.tally = Tally()
        self.group_results = []

    def _prepare(self):
        with self.lock:
            if self.ready is None:
                self.ready = self._install()
            return self.ready

    def _install(self):
        self.suite.clone(self.suite.template(demo=False), self.base)
        say(f"installing the suite without demo data in {self.base} for Odoo's own tests")
        log = os.path.join(LOG_DIR, f"install-{self.base}.log")
        res = self.suite.odoo(
            "-d", self.base, "-i", ",".join(MODULES), "--stop-after-init", log=log, check=False
        )
        if res.returncode != 0 or not self.suite.installed(self.base):
            say(f"the suite did not install without demo data: see {log}")
            return False
        self.suite.shell(self.base, LAZY_BUNDLES_SCRIPT, os.path.join(LOG_DIR, f"assets-{self.base}.log"))
        return True

    def work(self, lane):
        if not self._prepare():
            # One failure for the install, counted by the lane that reports first.
            with self.lock:
                counted, self.install_failure_counted = self.install_failure_counted, True
            return Tally(0, 0 if counted else 1)
        db = f"{self.base}_{lane}"
        tally = Tally()
        while True:
            try:
                tags = self.groups.get_nowait()
            except queue.Empty:
                break
            if not tally.passed + tally.failed:
                self.suite.clone(self.base, db)
            name = tags.split(",")[0].replace("/", "_").replace(":", "_")
            say(f"lane {lane}: Odoo's own tests {tags}")
            result = _odoo_results(self._run(db, tags, name), tolerate_late=True)
            say(f"lane {lane}: {tags.split(',')[0]}: {result.passed} passed, {result.failed} failed")
            tally.add(result)
            with self.lock:
                self.group_results.append(result)
        self.suite.drop(db)
        with self.lock:
            self.tally.add(tally)
        return tally

    def _run(self, db, tags, name):
        log = os.path.join(LOG_DIR, f"test-{db}-{name}.log")
        self.suite.odoo(
            "-d",
            db,
            "--test-enable",
            "--test-tags",
            tags,
            "--stop-after-init",
            "--http-port",
            str(_free_port()),
            log=log,
            check=False,
        )
        return log

    def retry_late(self):
        """Once both lanes are done (the machine less loaded), each tour kept by _odoo_results runs
        again, alone, once; their failures are lifted when every rerun is clean."""
        late = self.tally.late
        if not late or not self.ready:
            return Tally()
        for tag in late:
            name = "retry" + re.sub(r"\W", "_", tag)
            again = _odoo_results(self._run(self.base, tag, name))
            if not again.passed or again.failed:
                say(f"{tag} failed again when retried: see test-{self.base}-{name}.log")
                return Tally()
        say(f"retried once, clean: {', '.join(late)}")
        # The failures counted for those tours are lifted.
        lifted = sum(result.failed for result in self.group_results if result.late)
        self.tally.failed -= lifted
        self.tally.retried += len(late)
        return Tally(0, -lifted, len(late))


def _pytest(suite, args):
    junit = os.path.join(LOG_DIR, "pytest.xml")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(junit)
    cmd = [
        suite.python,
        "-m",
        "pytest",
        os.path.join(REPO, "tests"),
        "-p",
        "no:cacheprovider",
        "--odoo-config",
        suite.config,
        "--odoo-database",
        TEST_DB,
        "--junitxml",
        junit,
        "--ignore",
        os.path.join(REPO, "tests", "bench"),
        "-q",
    ]
    # tests/test_wheels.py installs the suite's wheels in a copy of the template without demo data.
    env = dict(suite.pg.env, TZ="UTC", ADV_TEST_DB=TEST_DB, ADV_WHEELS_TEMPLATE=suite.template(demo=False))
    res = sh(cmd, check=False, env=env, cwd=REPO)
    if res.returncode == 5 or not os.path.isfile(junit):
        say("pytest collected no test: counted as a failure")
        return Tally(0, 1)
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return Tally(total - bad - skipped, bad)


def verb_lint(suite, args, standalone=True):
    say("lint: ruff and pylint-odoo (OCA 18.0 mandatory checks)")
    bindir = os.path.dirname(suite.python)
    addons = [os.path.join(REPO, a) for a in ADDONS if any(a.startswith(m) for m in MODULES)]
    addons += [os.path.join(EXTRAS_DIR, a) for a in EXTRAS if any(a.startswith(m) for m in MODULES)]
    paths = addons + [
        os.path.join(REPO, "tests"),
        os.path.join(REPO, "setup"),
    ]
    ruff = os.path.join(bindir, "ruff")
    config = ["--config", os.path.join(REPO, "ruff.toml")]
    checks = [
        [ruff, "check", *config, *paths],
        [ruff, "format", "--check", *config, *paths],
        [os.path.join(bindir, "pylint"), "--rcfile", os.path.join(REPO, ".pylintrc"), *paths[:-2]],
    ]
    # Every check runs, so that one report shows all that is wrong.
    results = [sh(cmd, check=False).returncode == 0 for cmd in checks]
    ok = all(results)
    say("lint: clean" if ok else "lint: FAILED (see above)")
    return ok if not standalone else (0 if ok else 1)


def verb_modcheck(suite, args):
    """Each module alone: installs with only its declared dependencies, upgrades, uninstalls. The bridges to
    OCA's modules too: their template holds OCA's side."""
    template = suite.template()
    failures = 0
    for module in args.names or MODULES + EXTRAS:
        db = f"adv_modcheck_{module}"
        suite.clone(template, db)
        log = os.path.join(LOG_DIR, f"modcheck-{module}.log")
        steps = [
            ("install", ["-i", module, "--stop-after-init"]),
            ("upgrade", ["-u", module, "--stop-after-init"]),
        ]
        ok = True
        for step, odoo_args in steps:
            res = suite.odoo("-d", db, *odoo_args, log=log, check=False)
            bad = _log_errors(log)
            ok = ok and res.returncode == 0 and not bad
            for line in bad:
                print(line)
            say(f"{module}: {step} {'ok' if ok else 'FAILED (see ' + log + ')'}")
        uninstall = (
            f"env['ir.module.module'].search([('name', '=', '{module}')]).button_immediate_uninstall()\n"
            "env.cr.commit()\n"
        )
        with open(log, "w", encoding="utf-8") as out:
            res = subprocess.run(
                suite.odoo_cmd("-d", db, "--no-http", command=("shell",)),
                input=uninstall,
                text=True,
                env=dict(suite.pg.env, TZ="UTC"),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        left = suite.pg.psql(
            f"SELECT count(*) FROM ir_module_module WHERE name = '{module}' AND state = 'installed'", db=db
        )[1]
        bad = _log_errors(log)
        ok = ok and res.returncode == 0 and left == "0" and not bad
        for line in bad:
            print(line)
        say(f"{module}: uninstall {'ok' if left == '0' and not bad else 'FAILED (see ' + log + ')'}")
        failures += not ok
        suite.drop(db)
    return 1 if failures else 0


BENCH_PREFIX = os.environ.get("ADV_BENCH_PREFIX", "adv_bench_")


def _bench_databases(path):
    """{variant: modules to install} of a benchmark file: its ``BENCH_DATABASES`` literal if it has one
    (side-by-side benchmarks: one database per variant, ``None`` standing for the suite's modules),
    else one database with the suite (variant "")."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "BENCH_DATABASES" for t in node.targets
        ):
            variants = ast.literal_eval(node.value)
            return {name: MODULES if modules is None else modules for name, modules in variants.items()}
    return {"": MODULES}


def verb_bench(suite, args):
    bench_dir = os.path.join(REPO, "tests", "bench")
    names = args.names or sorted(
        os.path.basename(p)[6:-3] for p in glob.glob(os.path.join(bench_dir, "bench_*.py"))
    )
    if not names:
        die("no benchmark found in tests/bench (files named bench_<name>.py)")
    template = suite.template(demo=False)
    rc = 0
    for name in names:
        script = os.path.join(bench_dir, f"bench_{name}.py")
        databases = {}
        for variant, modules in _bench_databases(script).items():
            db = f"{BENCH_PREFIX}{name}" + (f"_{variant}" if variant else "")
            suite.clone(template, db)
            databases[variant] = db
            if not modules:
                continue
            say(f"benchmark {name}: installing {', '.join(modules)} in {db}")
            log = os.path.join(LOG_DIR, f"bench-{name}{'-' + variant if variant else ''}.log")
            res = suite.odoo(
                "-d",
                db,
                "-i",
                ",".join(modules),
                "--stop-after-init",
                "--without-demo=all",
                log=log,
                check=False,
            )
            if res.returncode != 0:
                say(f"benchmark {name}: installing in {db} failed, see {log}")
        env = dict(
            suite.pg.env,
            TZ="UTC",
            ADV_ODOO_CONFIG=suite.config,
            ADV_BENCH_DB=next(iter(databases.values())),
            # Where OCA's modules are (the side-by-side benchmarks install their peers).
            ADV_OCA_ADDONS=oca_addons_dir(),
            # Side-by-side benchmarks open each variant's database: variant=database,...
            ADV_BENCH_DBS=",".join(f"{variant}={db}" for variant, db in databases.items()),
        )
        res = sh([suite.python, script, *args.bench_args], env=env, check=False, cwd=REPO)
        rc = rc or res.returncode
        if not args.keep:
            for db in databases.values():
                suite.drop(db)
    return rc


def addon_dirs():
    """Folders of every add-on of the repo, the bridges of extras/ included: what ships as wheels."""
    return [os.path.join(REPO, m) for m in ADDONS] + [os.path.join(EXTRAS_DIR, m) for m in EXTRAS]


# whool's PEP 517 hook run for each add-on in one process (pip would start one per add-on): the wheel of an
# add-on holds odoo/addons/<name> and its metadata, versioned from the manifest (+ commits since).
BUILD_WHEELS = """
import os, sys
from whool.buildapi import build_wheel
for addon in sys.argv[2:]:
    os.chdir(addon)
    print(build_wheel(sys.argv[1]), flush=True)
"""


def build_wheels(python, dest):
    """Build the wheel of each add-on (pyproject.toml, whool) into ``dest``; return their paths."""
    ensure_whool(python)
    os.makedirs(dest, exist_ok=True)
    res = subprocess.run(
        [python, "-c", BUILD_WHEELS, os.path.abspath(dest), *addon_dirs()],
        capture_output=True,
        text=True,
        check=False,
    )
    if res.returncode != 0:
        print(res.stdout + res.stderr)
        raise RuntimeError("building the wheels failed (above)")
    return [os.path.join(dest, line) for line in res.stdout.splitlines() if line.endswith(".whl")]


def verb_wheels(suite, args):
    """The suite as OCA ships its modules: one wheel per add-on (odoo-addon-<name>) in dist/."""
    dest = os.path.join(REPO, "dist")
    for wheel in build_wheels(suite.python, dest):
        say(f"built {os.path.relpath(wheel, REPO)}")
    say(
        "install them with `pip install --no-deps dist/*.whl` (plus setup/requirements-oca.txt for the "
        "commission bridge) in the Python that runs Odoo 18; put its site-packages/odoo/addons on addons_path"
    )
    return 0


def _interrupt(*_args):
    # SIGTERM stops a verb like Ctrl-C does, so that the private cluster is stopped too.
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(prog="setup/adv", description=__doc__)
    sub = parser.add_subparsers(dest="verb", required=True)
    run = sub.add_parser("run", help="serve Odoo with the suite and its demo data")
    run.add_argument("--update", action="store_true", help="upgrade the suite's modules first")
    test = sub.add_parser("test", help="install the suite in a fresh database and run all tests")
    test.add_argument("--test-tags", help="Odoo test tags (default: the suite's modules)")
    test.add_argument("--no-lint", action="store_true")
    test.add_argument("--no-pytest", action="store_true")
    test.add_argument(
        "--no-compat", action="store_true", help="skip Odoo's own tests with the suite installed"
    )
    test.add_argument("--native-tags", help="Odoo's own tests to run with the suite (default: NATIVE_GROUPS)")
    sub.add_parser("lint", help="ruff and pylint-odoo")
    screenshots = sub.add_parser("screenshots", help="screenshots of the French demo for the Apps pages")
    screenshots.add_argument("names", nargs="*", help="screenshot names (setup/screenshots.py; default all)")
    modcheck = sub.add_parser("modcheck", help="install, upgrade and uninstall each module alone")
    modcheck.add_argument("names", nargs="*", help="modules (default: the suite's and extras/)")
    bench = sub.add_parser("bench", help="run benchmarks from tests/bench, each on its own database")
    bench.add_argument("names", nargs="*", help="benchmark names (bench_<name>.py); default all")
    bench.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    bench.add_argument("--bench-args", nargs=argparse.REMAINDER, default=[])
    sub.add_parser("wheels", help="build a wheel of each add-on into dist/ (whool, the way OCA ships)")
    load.add_parser(sub)
    args = parser.parse_args()

    suite = Suite()
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        verbs = {
            "run": verb_run,
            "test": verb_test,
            "lint": verb_lint,
            "bench": verb_bench,
            "modcheck": verb_modcheck,
            "screenshots": verb_screenshots,
            "wheels": verb_wheels,
            "load": lambda suite, args: load.verb_load(sys.modules[__name__], suite, args),
        }
        return verbs[args.verb](suite, args) or 0
    except KeyboardInterrupt:
        return 130
    finally:
        suite.pg.stop()


if __name__ == "__main__":
    sys.exit(main())

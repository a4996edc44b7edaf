"""The suite as OCA ships its modules: the wheels of `setup/adv wheels` (whool), installed with pip into a
fresh virtualenv, serve Odoo run from its source with that venv's site-packages/odoo/addons on the addons
path (the repo is not on it), and install in a fresh database."""

import ast
import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "setup" / "adv.py"
REPO = SCRIPT.parent.parent
# Odoo run from its source as `odoo-bin -i ... --stop-after-init` does (the registry loaded with the modules
# to install), then one line of JSON: {module: [state, folder of the package Odoo imported]}.
INSTALL = """
import json, os, sys
source, *args = sys.argv[1:]
sys.path.insert(0, source)
import odoo
from odoo.modules.registry import Registry
odoo.tools.config.parse_config(args, setup_logging=True)
registry = Registry.new(odoo.tools.config["db_name"], update_module=True)
with registry.cursor() as cr:
    cr.execute("SELECT name, state FROM ir_module_module WHERE name LIKE 'adv%'")
    states = dict(cr.fetchall())
packages = {name: sys.modules.get("odoo.addons." + name) for name in states}
found = {name: [states[name], pkg and os.path.dirname(pkg.__file__)] for name, pkg in packages.items()}
print("ADV-WHEELS " + json.dumps(found), flush=True)
"""


@pytest.fixture(scope="module")
def adv():
    spec = importlib.util.spec_from_file_location("adv_setup_wheels", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def wheel_env(adv, tmp_path_factory):
    """A fresh virtualenv holding the suite's wheels; the suite's Python dependencies (Odoo's requirements)
    come from the project's venv through a .pth file, the suite's code only from the wheels."""
    tmp = tmp_path_factory.mktemp("wheels")
    wheels = adv.build_wheels(sys.executable, tmp / "dist")
    assert sorted(os.path.basename(w).split("-")[0] for w in wheels) == sorted(
        f"odoo_addon_{os.path.basename(d)}" for d in adv.addon_dirs()
    )
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = pathlib.Path(adv.venv_site_packages(str(venv)))
    (site / "adv-deps.pth").write_text(adv.venv_site_packages() + "\n", encoding="utf-8")
    python = str(venv / "bin" / "python")
    # pip comes from the project's venv too; --no-deps: the wheels require odoo==18.0.*, not a wheel here.
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-index",
            *wheels,
        ],
        check=True,
    )
    return python, site / "odoo" / "addons", wheels


def test_wheel_holds_the_addon_and_its_manifest_version(adv, wheel_env):
    _python, _addons, wheels = wheel_env
    wheel = next(w for w in wheels if os.path.basename(w).startswith("odoo_addon_adv_order_control-"))
    with open(os.path.join(REPO, "adv_order_control", "__manifest__.py"), encoding="utf-8") as f:
        version = ast.literal_eval(f.read())["version"]
    assert os.path.basename(wheel).startswith(f"odoo_addon_adv_order_control-{version}")
    names = zipfile.ZipFile(wheel).namelist()
    assert "odoo/addons/adv_order_control/__manifest__.py" in names
    assert "odoo/addons/adv_order_control/i18n/fr.po" in names
    assert not [n for n in names if n.endswith("pyproject.toml")]


def test_suite_installs_from_its_wheels(adv, wheel_env):
    template = os.environ.get("ADV_WHEELS_TEMPLATE")
    if not template:
        pytest.skip("needs the dependency template that `setup/adv test` gives in ADV_WHEELS_TEMPLATE")
    python, addons, _wheels = wheel_env
    source = adv.find_odoo()[0]
    db = os.environ.get("ADV_TEST_DB", "adv_test") + "_wheels"
    env = dict(os.environ, TZ="UTC")
    filestore = pathlib.Path(adv.DATA_DIR) / "filestore"
    quiet = dict(env, PGOPTIONS="-c client_min_messages=warning")
    dropdb = [shutil.which("dropdb") or os.path.join(adv._pg_bindir(), "dropdb"), "--if-exists", "-f", db]
    subprocess.run(dropdb, env=quiet, check=True)
    shutil.rmtree(filestore / db, ignore_errors=True)
    subprocess.run(
        [os.path.join(os.path.dirname(dropdb[0]), "createdb"), "-T", template, db], env=env, check=True
    )
    if (filestore / template).is_dir():
        shutil.copytree(filestore / template, filestore / db)
    # Odoo's own addons and the wheels' folder: the repo is not on the path.
    path = ",".join([os.path.join(source, "odoo", "addons"), os.path.join(source, "addons"), str(addons)])
    log = pathlib.Path(adv.LOG_DIR) / f"install-{db}.log"
    log.unlink(missing_ok=True)  # Odoo appends to its --logfile
    try:
        install = subprocess.run(
            [python, "-c", INSTALL, source, "-d", db, "--addons-path", path, "--data-dir", adv.DATA_DIR]
            + ["--logfile", str(log), "-i", ",".join(adv.MODULES), "--no-http"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert install.returncode == 0, f"{install.stderr}\nsee {log}"
        assert not adv._log_errors(str(log)), f"see {log}"
        line = next((ln for ln in install.stdout.splitlines() if ln.startswith("ADV-WHEELS ")), None)
        assert line, install.stdout + install.stderr
        modules = json.loads(line[len("ADV-WHEELS ") :])
    finally:
        subprocess.run(dropdb, env=quiet, check=False)
        shutil.rmtree(filestore / db, ignore_errors=True)
    installed = {name: where for name, (state, where) in modules.items() if state == "installed"}
    assert set(adv.MODULES) <= set(installed)
    for name, where in installed.items():
        assert where == str(addons / name), f"{name} is loaded from {where}, not from its wheel"


def test_oca_wheels_are_on_the_addons_path_beside_the_odoo_source(adv):
    """OCA's wheels of setup/requirements-oca.txt, which setup/adv installed, are on its addons path with the
    bridges of extras/; their site-packages/odoo namespace folder does not hide the Odoo source."""
    assert not adv._missing(adv._pins(adv.OCA_REQUIREMENTS))
    assert adv._missing({"odoo-addon-commission-oca": "0.0"}), "another version counts as missing"
    oca = adv.oca_addons_dir()
    assert os.path.isfile(os.path.join(oca, "sale_commission_oca", "__manifest__.py"))
    source = adv.find_odoo()[0]
    paths = adv.addons_path(source).split(",")
    assert paths[-2:] == [oca, adv.EXTRAS_DIR]
    probe = "import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == source

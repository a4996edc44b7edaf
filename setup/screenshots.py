"""Screenshots of the French demo for the modules' Apps pages (``setup/adv screenshots``).

Run with the virtualenv's Python (it has ``websocket-client`` and Pillow) against a served demo: drives
Chromium headless through the DevTools protocol, logged in as the demo's ADV manager (admin, in French),
and writes ``<module>/static/description/screenshot_<name>.png`` (1440x900, 256 colours).
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import websocket
from PIL import Image

# (module, name, action's external id [/record id], notebook page to open)
SHOTS = [
    ("adv_order_control", "overview", "adv_order_control.action_adv_work_queue_overview", None),
    ("adv_order_control", "order_documents", "sale.action_orders/{order}", "adv_documents"),
    ("adv_order_control", "documents", "adv_order_control.action_adv_document", None),
    ("adv_billing_close", "preinvoice", "adv_billing_close.action_adv_preinvoice", None),
    ("adv_billing_close", "calendar", "adv_billing_close.action_adv_billing_calendar", None),
    ("adv_billing_close", "timesheets", "adv_billing_close.action_adv_timesheet_submission", None),
    ("adv_credit_mgmt", "customer_credit", "adv_credit_mgmt.action_adv_credit_customers", None),
    ("adv_credit_mgmt", "credit_tab", "adv_credit_mgmt.action_adv_credit_customers/{customer}", "adv_credit"),
    ("adv_credit_mgmt", "reminders", "adv_credit_mgmt.action_adv_dunning_reminder", None),
    ("adv_credit_mgmt", "dispute", "adv_credit_mgmt.action_adv_dispute/{dispute}", None),
    ("adv_credit_mgmt", "cash_forecast", "adv_credit_mgmt.action_adv_cash_forecast", None),
    ("adv_kpi", "health", "adv_kpi.action_adv_kpi_health", None),
    ("adv_kpi", "pivot", "adv_kpi.action_adv_kpi_snapshot", None),
    ("adv_einvoicing", "lifecycle", "adv_einvoicing.action_adv_einvoice_moves", None),
]
# Busy while no view is shown or a request is in flight.
BUSY = (
    "!document.querySelector('.o_action_manager .o_view_controller, .o_action_manager .o_action')"
    " || !!document.querySelector('.o_loading_indicator, .o_blockUI')"
)
# Not part of the screen: the "page is outdated" notice, the focus ring of the search box.
TIDY = (
    "document.querySelectorAll('.o_notification').forEach(n => n.remove());"
    "document.activeElement && document.activeElement.blur();"
)


class Browser:
    """One Chromium tab driven through the DevTools protocol."""

    def __init__(self, port=9399):
        self.profile = tempfile.mkdtemp(prefix="adv_screens_")
        chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        self.process = subprocess.Popen(
            [chrome, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--hide-scrollbars", "--no-first-run", "--lang=fr-FR", f"--remote-debugging-port={port}",
             f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            self._connect(port)
        except Exception:
            self.close()
            raise

    def _connect(self, port):
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as resp:
                    tabs = [t for t in json.loads(resp.read()) if t["type"] == "page"]
                if tabs:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        # Chromium refuses a DevTools connection that names an origin.
        url = tabs[0]["webSocketDebuggerUrl"]
        self.ws = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.seq = 0
        size = {"width": 1440, "height": 900, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", **size)

    def call(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.seq:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]

    def js(self, expr):
        res = self.call("Runtime.evaluate", expression=expr, awaitPromise=True, returnByValue=True)
        return res["result"].get("value")

    def open(self, url, timeout=30):
        """Go to ``url`` and wait until the web client has been idle for two seconds."""
        self.call("Page.navigate", url=url)
        time.sleep(1.5)
        end, quiet = time.time() + timeout, 0
        while time.time() < end and quiet < 4:
            quiet = 0 if self.js(BUSY) else quiet + 1
            time.sleep(0.5)

    def close(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def post(browser, route, params):
    """A JSON-RPC request sent by the page (in the browser's session)."""
    body = json.dumps(json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}))
    headers = "{'Content-Type': 'application/json'}"
    return browser.js(
        f"fetch('{route}', {{method: 'POST', headers: {headers}, body: {body}}})"
        ".then(r => r.json()).then(r => r.result)"
    )


def rpc(browser, model, method, *args, **kwargs):
    """An ORM call as the logged-in user."""
    return post(
        browser, "/web/dataset/call_kw", {"model": model, "method": method, "args": args, "kwargs": kwargs}
    )


def save(data, path):
    img = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    buf = io.BytesIO()
    img = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    img.save(buf, "PNG", optimize=True)
    with open(path, "wb") as f:
        f.write(buf.getvalue())
    print(f"{os.path.relpath(path)}: {len(buf.getvalue()) // 1024} KB", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, help="the repository (one folder per module)")
    parser.add_argument("names", nargs="*", help="screenshots to take (default all)")
    args = parser.parse_args()
    browser = Browser()
    try:
        browser.open(f"{args.url}/web/login?db={args.db}")
        post(browser, "/web/session/authenticate", {"db": args.db, "login": "admin", "password": "admin"})
        ids = {
            "order": rpc(browser, "sale.order", "search", [["adv_contract_status", "=", "provisional"]],
                         order="amount_total desc", limit=1)[0],
            "customer": rpc(browser, "res.partner", "search", [["credit_limit", ">", 0]],
                            order="credit_limit", limit=1)[0],
            "dispute": rpc(browser, "adv.dispute", "search", [], order="id", limit=1)[0],
            "menu": rpc(browser, "ir.model.data", "search_read", [["module", "=", "adv_order_control"],
                        ["name", "=", "menu_adv_root"]], ["res_id"])[0]["res_id"],
        }  # fmt: skip
        for module, name, action, page in SHOTS:
            if args.names and name not in args.names:
                continue
            # In the ADV app, also for Odoo's own actions (sales orders).
            browser.open(f"{args.url}/odoo/action-{action.format(**ids)}?menu_id={ids['menu']}")
            if page:
                browser.js(f"document.querySelector('.o_notebook a.nav-link[name=\"{page}\"]').click()")
                time.sleep(1)
                browser.js("document.querySelector('.o_notebook').scrollIntoView({block: 'start'})")
            browser.js(TIDY)
            time.sleep(1)
            data = browser.call("Page.captureScreenshot", format="png")["data"]
            save(data, os.path.join(args.out, module, "static", "description", f"screenshot_{name}.png"))
    finally:
        browser.close()


if __name__ == "__main__":
    main()

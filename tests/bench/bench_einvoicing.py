"""E-invoicing lifecycle (adv_einvoicing): importing status messages, against Odoo posting a message.

setup/adv bench einvoicing [--bench-args --scale 0.1]
  scale 1 (the default): the issue's 10,000 posted customer invoices and 10,000 status messages
  (Déposée), in 100 CDAR files of 100 statuses each, the way the upload wizard and the mail alias
  receive them.

Prints: the time and query count of importing the files (parse, match each invoice, record, react,
import log), the same for Odoo's ``message_post`` of one note on each of those invoices, their
ratio (target at most 3), and the queries per message for 100 messages and for all of them (bounded:
the count per message must not grow with the number of messages).
"""

import base64

import benchlib
from benchlib import Measure, report

PER_FILE = 100
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossDomainAcknowledgementAndResponse
    xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument>
    <ram:ID>{message_id}</ram:ID>
    <ram:IssueDateTime>
      <udt:DateTimeString format="204">20260901090000</udt:DateTimeString>
    </ram:IssueDateTime>
    <ram:SenderTradeParty><ram:RoleCode>WK</ram:RoleCode></ram:SenderTradeParty>
  </rsm:ExchangedDocument>
  <rsm:AcknowledgementDocument>
    <ram:TypeCode>305</ram:TypeCode>
    <ram:IssueDateTime>
      <udt:DateTimeString format="204">20260901090000</udt:DateTimeString>
    </ram:IssueDateTime>
"""
REFERENCE = """    <ram:ReferenceReferencedDocument>
      <ram:IssuerAssignedID>{number}</ram:IssuerAssignedID>
      <ram:ProcessConditionCode>200</ram:ProcessConditionCode>
    </ram:ReferenceReferencedDocument>
"""
FOOTER = """  </rsm:AcknowledgementDocument>
</rsm:CrossDomainAcknowledgementAndResponse>
"""


def make_data(env, count):
    env.company.adv_einvoicing_enabled = True
    partner_ids = benchlib.make_customers(env, max(count // 10, 1))
    invoice_ids = benchlib.make_invoices(env, partner_ids, count, amount=1000.0, days=60)
    env.cr.execute("SELECT name FROM account_move WHERE id = ANY(%s) ORDER BY id", [invoice_ids])
    numbers = [row[0] for row in env.cr.fetchall()]
    return env["account.move"].browse(invoice_ids), numbers


def cdar_files(env, numbers):
    """CDAR files of PER_FILE Déposée statuses each, as the upload wizard stores them."""
    contents = []
    for start in range(0, len(numbers), PER_FILE):
        chunk = numbers[start : start + PER_FILE]
        body = "".join(REFERENCE.format(number=number) for number in chunk)
        xml = HEADER.format(message_id=f"BENCH-{start // PER_FILE:05d}") + body + FOOTER
        contents.append(
            {
                "name": f"cdar_{start // PER_FILE:05d}.xml",
                "datas": base64.b64encode(xml.encode()),
                "mimetype": "application/xml",
            }
        )
    return env["ir.attachment"].create(contents)


def import_files(env, attachments):
    logs = env["adv.einvoice.status"]._receive_files(attachments)
    failed = logs.filtered(lambda log: log.state != "done")
    assert not failed, failed[:3].mapped("error")
    return logs


def post_notes(invoices):
    for invoice in invoices:
        invoice.message_post(body="Déposée sur la plateforme", message_type="comment")


def measured(env, label, func):
    """Measure ``func`` once and roll it back, so that each measure starts from the same data."""
    with env.cr.savepoint(flush=False) as savepoint:
        with Measure(env, label) as measure:
            func()
        env.invalidate_all()
        savepoint.rollback()
    return measure


def main():
    args = benchlib.parse_args(__doc__, scale=1.0)
    count = max(int(10_000 * args.scale), PER_FILE * 2)
    with benchlib.bench_env() as env:
        invoices, numbers = make_data(env, count)
        small = cdar_files(env, numbers[:PER_FILE])
        files = cdar_files(env, numbers)
        env.flush_all()
        first = measured(env, "import 100", lambda: import_files(env, small))
        ours = measured(env, "import all", lambda: import_files(env, files))
        native = measured(env, "message_post", lambda: post_notes(invoices))
        per_small = first.queries / PER_FILE
        per_all = ours.queries / count
        ratio = ours.seconds / native.seconds
        report(
            f"E-invoicing: {count:,} status messages for {count:,} invoices, {len(files):,} CDAR files",
            [
                ("import (parse, match, record, react, log)", ours.seconds, "s"),
                ("  queries", ours.queries, ""),
                ("Odoo message_post, one note per invoice", native.seconds, "s"),
                ("  queries", native.queries, ""),
                ("import / message_post (target <= 3)", ratio, "PASS" if ratio <= 3 else "MISS"),
                ("queries per message, 100 messages", per_small, ""),
                (
                    f"queries per message, {count:,} messages (bounded)",
                    per_all,
                    "PASS" if per_all <= per_small + 1 else "MISS",
                ),
                ("messages per second", count / ours.seconds, ""),
            ],
        )


if __name__ == "__main__":
    main()

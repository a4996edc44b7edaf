"""pytest-odoo runs these tests against the database that `setup/adv test` prepared.

Classes need ``@tagged(...)``: pytest-odoo reads ``test_tags`` from every Odoo test case.
"""

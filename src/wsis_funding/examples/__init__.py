"""Example values for the demo, the tests, the benchmarks and the documentation (fictitious).

Pure values only (no database): partners, editions and rates (:mod:`.books`), issuer settings
and document snapshots (:mod:`.documents`), bank statements paying invoices
(:mod:`.statements`). ``tests/factories.py`` builds on these.
"""

from wsis_funding.examples.books import (
    DEMO_PARTNERS,
    DEMO_RATES,
    RATES,
    SIGNED,
    example_edition,
    example_partner,
)
from wsis_funding.examples.documents import (
    EXAMPLE_ISSUER,
    PAYMENT_LETTER_CASES,
    example_credit_note,
    example_invoice,
    example_issuer,
    example_letter,
    example_partly_paid_invoice,
    example_party,
    example_payment_letter,
    example_reminder,
)
from wsis_funding.examples.statements import ExampleCredit, camt053, statement_paying

__all__ = [
    "DEMO_PARTNERS",
    "DEMO_RATES",
    "EXAMPLE_ISSUER",
    "PAYMENT_LETTER_CASES",
    "RATES",
    "SIGNED",
    "ExampleCredit",
    "camt053",
    "example_credit_note",
    "example_edition",
    "example_invoice",
    "example_issuer",
    "example_letter",
    "example_partly_paid_invoice",
    "example_partner",
    "example_party",
    "example_payment_letter",
    "example_reminder",
    "statement_paying",
]

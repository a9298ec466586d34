"""Record a payment: amount, currency, transaction id (a generated one offered), visitor and customer.

Times typed as `YYYY-MM-DD HH:MM` are read in the site's timezone; the dialog shows the
UTC instant that will be sent. Returns the API's `PaymentRecorded`, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone, tzinfo

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Static

from datafast_tui.api.models import PaymentRecorded
from datafast_tui.api.writes import PaymentRequest, iso_utc
from datafast_tui.data.write_forms import (
    FormError,
    Parsed,
    PaymentFields,
    new_transaction_id,
    parse_moment,
    payment_form,
)
from datafast_tui.data.write_scope import payment_sentence, post_preview
from datafast_tui.dialogs.write import Description, Sender, WriteDialog, form_row
from datafast_tui.safe_text import clean
from datafast_tui.widgets.field_input import FieldInput


class PaymentDialog(WriteDialog[PaymentRequest, PaymentRecorded]):
    TITLE_TEXT = "Record a payment"
    CONFIRM_TITLE = "Record this payment?"
    CONFIRM_LABEL = "yes, record it"

    BINDINGS = [
        Binding("ctrl+g", "new_transaction_id", "New id", tooltip="Generate a fresh transaction id"),
    ]

    def __init__(self, sender: Sender, *, visitor_id: str = "", currency: str | None = None,
                 zone: tzinfo = timezone.utc, zone_name: str = "UTC",
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        super().__init__(sender)
        self.visitor_id = visitor_id
        self.currency = (currency or "USD").upper()
        self.zone = zone
        self.zone_name = zone_name
        self.clock = clock

    def compose_fields(self) -> ComposeResult:
        yield form_row("Amount", FieldInput(placeholder="29.99 (0 for a free trial)", compact=True, id="f-amount"))
        yield form_row("Currency", FieldInput(self.currency, placeholder="USD", max_length=3, compact=True,
                                         id="f-currency"), hint="ISO code: USD, EUR, GBP…")
        yield form_row("Transaction", FieldInput(new_transaction_id(), compact=True, id="f-transaction"),
                       hint="required · ctrl+g: new")
        yield form_row("Visitor", FieldInput(self.visitor_id, placeholder="datafast_visitor_id (recommended)",
                                        compact=True, id="f-visitor"))
        yield form_row("Email", FieldInput(placeholder="optional", compact=True, id="f-email"))
        yield form_row("Name", FieldInput(placeholder="optional", compact=True, id="f-name"))
        yield form_row("Customer id", FieldInput(placeholder="optional, from your payment provider", compact=True,
                                            id="f-customer"))
        yield Horizontal(
            Static("Kind", classes="field-label", markup=False),
            Checkbox("renewal", compact=True, id="f-renewal"),
            Checkbox("refunded", compact=True, id="f-refunded"),
            Checkbox("free trial", compact=True, id="f-free-trial"),
            classes="field",
        )
        yield form_row("Timestamp", FieldInput(placeholder=f"now, or YYYY-MM-DD HH:MM ({self.zone_name}) or ISO 8601",
                                          compact=True, id="f-timestamp"))
        yield Static("", id="timestamp-reading", classes="under-field", markup=False)

    def on_mount(self) -> None:
        self.query_one("#f-amount", Input).focus()

    def fields(self) -> PaymentFields:
        def text(key: str) -> str:
            return self.query_one(f"#f-{key}", Input).value

        return PaymentFields(
            amount=text("amount"), currency=text("currency"), transaction_id=text("transaction"),
            visitor_id=text("visitor"), email=text("email"), name=text("name"), customer_id=text("customer"),
            renewal=self.query_one("#f-renewal", Checkbox).value, refunded=self.query_one("#f-refunded", Checkbox).value,
            timestamp=text("timestamp"), free_trial=self.query_one("#f-free-trial", Checkbox).value,
        )

    def parse(self) -> Parsed[PaymentRequest]:
        return payment_form(self.fields(), self.zone, self.clock())

    def refresh_live(self) -> Parsed[PaymentRequest]:
        parsed = super().refresh_live()
        self.query_one("#timestamp-reading", Static).update(self._timestamp_reading())
        return parsed

    def _timestamp_reading(self) -> str:
        """What the typed timestamp means: the site-local time and the UTC instant sent."""
        raw = self.query_one("#f-timestamp", Input).value
        try:
            moment = parse_moment(raw, self.zone)
        except FormError:
            return ""
        if moment is None:
            return "empty: DataFast dates the payment when it receives it"
        local = moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
        return f"→ {iso_utc(moment)} (= {local} {self.zone_name})"

    def describe(self, request: PaymentRequest) -> Description:
        return Description("This will record", payment_sentence(request, self.zone, self.zone_name),
                           post_preview("payments", request.to_json()))

    def success_text(self, answer: PaymentRecorded) -> str:
        return f"{clean(answer.message, placeholder='Payment recorded')} (transaction {clean(answer.transaction_id)})"

    def action_new_transaction_id(self) -> None:
        if not self._in_flight:
            self.query_one("#f-transaction", Input).value = new_transaction_id()

"""Write requests in words, for the confirmations: what will be created or deleted, and sent.

A sentence is a tuple of segments `(text, emphasized)`; the dialogs style the emphasized
ones (values the user typed) and never parse any of it as markup. Deletion scopes follow
the docs' "Deletion Behavior" lists, and say loudly when no time range limits them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import tzinfo
from urllib.parse import urlencode

from datafast_tui.api.writes import (
    GoalDeletion,
    GoalRequest,
    PaymentDeletion,
    PaymentRequest,
    TimeSpan,
)
from datafast_tui.data.visitor_facts import local_time

Segment = tuple[str, bool]
Sentence = tuple[Segment, ...]

ALL_TIME_WARNING = (
    "No time range: every matching record across ALL TIME will be deleted. This cannot be undone."
)
UNDO_WARNING = "This cannot be undone."


def plain(sentence: Sentence) -> str:
    """The sentence as plain text (values in backquotes), for tests and notifications."""
    return "".join(f"`{text}`" if emphasized else text for text, emphasized in sentence)


@dataclass(frozen=True)
class Scope:
    """What a deletion will remove, in words, and how loud the warning must be."""

    sentence: Sentence
    unbounded: bool  # no time range limits it: everything matching, all time
    warning: str


def _span_words(span: TimeSpan | None, zone: tzinfo, zone_name: str) -> tuple[Segment, ...]:
    if span is None:
        return ((", all time", False),)
    return ((" from ", False), (local_time(span.start, zone), True), (" to ", False),
            (local_time(span.end, zone), True), (f" ({zone_name})", False))


def goal_deletion_scope(scope: GoalDeletion, zone: tzinfo, zone_name: str) -> Scope:
    """"all goals named `signup` for all visitors, all time" and the other combinations."""
    words: list[Segment] = [("all goals", False)]
    if scope.name:
        words += [(" named ", False), (scope.name, True)]
    if scope.visitor_id:
        words += [(" of visitor ", False), (scope.visitor_id, True)]
    else:
        words.append((" for all visitors" if scope.name else " of all visitors", False))
    words += _span_words(scope.span, zone, zone_name)
    unbounded = scope.span is None
    return Scope(tuple(words), unbounded, ALL_TIME_WARNING if unbounded else UNDO_WARNING)


def payment_deletion_scope(scope: PaymentDeletion, zone: tzinfo, zone_name: str) -> Scope:
    """"the payment with transaction id `x`", "all payments of visitor `v`, all time", ..."""
    if scope.transaction_id:
        return Scope((("the payment with transaction id ", False), (scope.transaction_id, True)), False,
                     UNDO_WARNING)
    words: list[Segment] = [("all payments", False)]
    if scope.visitor_id:
        words += [(" of visitor ", False), (scope.visitor_id, True)]
    else:
        words.append((" of all visitors", False))
    words += _span_words(scope.span, zone, zone_name)
    unbounded = scope.span is None
    return Scope(tuple(words), unbounded, ALL_TIME_WARNING if unbounded else UNDO_WARNING)


def goal_sentence(goal: GoalRequest) -> Sentence:
    """"a goal `signup` for visitor `v`, with 2 metadata parameters"."""
    count = len(goal.metadata)
    extra = f", with {count} metadata parameter{'s' if count != 1 else ''}" if count else ", without metadata"
    words: list[Segment] = [("a goal ", False), (goal.name, True), (" for visitor ", False), (goal.visitor_id, True)]
    if goal.description:
        words += [(", described as ", False), (goal.description, True)]
    return (*words, (extra, False))


def payment_sentence(payment: PaymentRequest, zone: tzinfo, zone_name: str) -> Sentence:
    """"a refunded renewal of `29.99 USD`, transaction `tui-…`, for visitor `v`, dated now"."""
    kind = "free trial" if payment.free_trial else "payment"
    if payment.renewal:
        kind = "renewal payment"
    if payment.refunded:
        kind = f"refunded {kind}"
    words: list[Segment] = [(f"a {kind} of ", False), (f"{payment.amount:,.2f} {payment.currency}", True),
                            (", transaction ", False), (payment.transaction_id, True)]
    if payment.visitor_id:
        words += [(", for visitor ", False), (payment.visitor_id, True)]
    else:
        words.append((", not attributed to a visitor", False))
    who = ", ".join(v for v in (payment.name, payment.email, payment.customer_id) if v)
    if who:
        words += [(", customer ", False), (who, True)]
    if payment.timestamp is not None:
        words += [(", dated ", False), (local_time(payment.timestamp, zone), True), (f" ({zone_name})", False)]
    else:
        words.append((", dated now", False))
    return tuple(words)


def post_preview(path: str, body: dict[str, object]) -> str:
    """Exactly what a POST sends: the method and path, then the JSON body."""
    return f"POST /{path}\n{json.dumps(body, indent=2, ensure_ascii=False)}"


def delete_preview(path: str, params: dict[str, str]) -> str:
    """Exactly what a DELETE sends: the method, path and query string."""
    return f"DELETE /{path}?{urlencode(params)}"

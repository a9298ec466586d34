"""The absurd but plausible, pasted into every field of every dialog: a message, never a crash.

Each field of each dialog gets each value (as a paste: one Changed event, the live check
runs), then Enter; the app must still be running and its dialog still answering keys. The pure checks behind the fields are exercised
with arbitrary text by tests/property/test_form_fields.py; this proves the dialogs call them
safely (the payment dialog's Timestamp `0001-01-01T00:00:00+14:00` once crashed the app).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from datafast_tui.dialogs.base import Dialog
from tests.ui.conftest import SIZE, settle
from tests.ui.visitor_support import state_dir, visitor_app  # noqa: F401 - fixtures

VID = "a3ab2331-989f-4cfa-91c6-2461c9e3c6bd"
ABSURD = ("9999-12-31", "0001-01-01T00:00:00+14:00", "123456789012345678901234567890", "x" * 10_000,
          "\x1b[2J\x07", "[bold red]markup[/]")

#: The screen each dialog opens from (its argv), and for each dialog with typed fields there the keys that open it.
SCREENS = {
    "overview": (("--screen", "overview"), {"filter": ("slash",), "custom range": ("d", "c")}),
    "breakdowns": (("--screen", "breakdowns"), {"export": ("e",)}),
    "visitor": (("--visitor", VID), {"goal": ("n",), "payment": ("p",), "delete goals": ("x",),
                                      "delete payments": ("X",), "visitor lookup": ("o",)}),
    "funnels": (("--screen", "funnels"), {"funnel lookup": ("o",)}),
    "people": (("--screen", "people"), {"people export": ("e",), "people search": ("s",)}),
}


async def open_dialog(pilot, app, name: str, keys: tuple[str, ...]) -> Dialog:
    await settle(pilot, app)
    await pilot.press(*keys)
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, Dialog), f"{keys} did not open the {name} dialog"
    return dialog


@pytest.mark.parametrize("screen", list(SCREENS))
async def test_every_field_takes_every_absurd_value(visitor_app, screen: str) -> None:
    """The dialogs of one screen in one app, one after the other (an app per dialog cost the
    suite a dozen seconds of CPU)."""
    argv, dialogs = SCREENS[screen]
    app, _ = visitor_app(*argv)
    async with app.run_test(size=SIZE) as pilot:
        for name, keys in dialogs.items():
            dialog = await open_dialog(pilot, app, name, keys)
            fields = [f for f in dialog.query(Input) if f.display]
            assert fields, f"the {name} dialog has no fields"
            for index in range(len(fields)):
                for value in ABSURD:
                    if app.screen is not dialog and dialog in app.screen_stack:
                        await pilot.press("escape")  # Enter took it to a confirmation: back to the form
                        await pilot.pause()
                    elif dialog not in app.screen_stack:  # Enter did its job (opened, exported): again
                        dialog = await open_dialog(pilot, app, name, keys)
                    field = list(dialog.query(Input))[index]
                    field.value = value  # a paste
                    dialog.set_focus(field)
                    await pilot.press("enter")
                    await pilot.pause()
                    assert app.is_running, f"{name}: {value[:30]!r} in field {index} stopped the app"
            # Enter never confirms a write (y does), so nothing was sent; the dialog still answers.
            while isinstance(app.screen, Dialog):
                await pilot.press("escape")
                await pilot.pause()
            await settle(pilot, app)
            assert not isinstance(app.screen, Dialog), f"{name}: escape did not close the dialog"

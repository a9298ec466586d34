"""Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer recomposes (a new widget per key, each styled anew) on every
`bindings_updated_signal`, which a screen publishes on each focus move, screen switch and
mount. Most of those leave the shown keys as they were: in a test of five screen switches
the rebuilds took 15% of the CPU. This one remembers what its last compose showed and skips
a rebuild that would draw the same keys.

Each key it does draw is born in the footer's own style: Textual's FooterKey starts compact
and is switched back by its data binding once mounted, two restyles of every key on every
rebuild (in the soak test, 5 s of its 65 s of CPU).

Below COMPACT_BELOW columns the keys are drawn compact (no padding around each) and the
"^p palette" key is left out (Ctrl+P still opens it; `?` lists it): at 80 columns the full
style cut the last keys of most screens (Realtime lost `a` and `?`, Breakdowns `r` and `q`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets; the type Footer yields

from datafast_tui.widgets.kept_lines import KeptLines

if TYPE_CHECKING:
    from textual import events
    from textual.screen import Screen

#: Narrower than this, the footer is compact (its keys data-bind to `compact` and follow).
COMPACT_BELOW = 100


def shown_keys(screen: Screen) -> Hashable:
    """Everything of the screen's active bindings that Footer.compose draws."""
    app = screen.app
    keys = tuple(
        (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled, tooltip,
         binding.group)
        for (_node, binding, enabled, tooltip) in screen.active_bindings.values() if binding.show
    )
    palette = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
    palette_key = (palette[1].key, palette[2]) if palette is not None else None
    return keys, palette_key


class KeyFooter(KeptLines, Footer):
    def __init__(self) -> None:
        super().__init__()
        self._composed_for: Hashable = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._composed_for = shown_keys(self.screen)
        compact = self.app.size.width < COMPACT_BELOW  # as on_resize will find it: keys born right
        self.set_reactive(Footer.compact, compact)
        self.set_reactive(Footer.show_command_palette, not compact)
        self.set_class(compact, "-compact", update=False)
        for widget in super().compose():
            # As its data binding will make it: no restyle when mounted (the palette key has no
            # binding to the footer and stays compact, as Textual draws it).
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow  # a reactive: only a change restyles the keys
        if self.show_command_palette == narrow:  # crossed the width: the palette key comes or goes
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and self.is_attached and screen is self.screen \
                and shown_keys(screen) == self._composed_for:
            return  # the same keys: a rebuild would draw what is there
        super().bindings_changed(screen)

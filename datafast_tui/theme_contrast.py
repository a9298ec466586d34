"""Theme colours that stay readable as text on the theme's own surfaces (light themes too).

Textual's themes pick their accent and status colours for looks, and light themes pick ones
that vanish as text: in textual-light the orange accent and warning read at 1.1:1 on its grey
surfaces and the success green at 1.3:1, and even the `$text-*` variants Textual derives for
text stay under 3:1 there. `readable_variables` returns extra or corrected CSS variables for
a theme's variables (App.get_css_variables adds them; they serve TCSS and Content styles):

- `$text-primary`, `$text-secondary`, `$text-success`, `$text-warning`, `$text-error`,
  `$text-accent` and `$footer-key-foreground`: where one reads under 3:1 on the background,
  surface, panel or a table's zebra stripe, it is moved towards the theme's contrast text
  (black or white) until it reads at 4.5:1; otherwise left exactly as it is (so the dark
  themes' text colours do not change);
- `$readable-accent`, `$readable-success`, `$readable-warning`, `$readable-error`: the theme's
  colour itself where it reads at 3:1 on those surfaces, else its `$text-` variant (as
  corrected): for text and key letters that should keep the theme's own colour if they can;
- `$text-muted` and `$text-disabled` ("auto 60%", "auto 38%": black or white at that
  opacity over the background): replaced by the solid colour that opacity gives over the
  background, raised until it reads at 3:1 on those surfaces (textual-light's 38% gave
  input placeholders, which carry format hints here, 2.5:1); they stay fainter than other
  text. Solid, because in a Content style or markup (`Content.styled(…, "$text-muted")`)
  Textual 8 draws "auto 60%" as pure white or black, its opacity dropped, so muted hints
  came out brighter than the text around them;
- `$on-success`, `$on-warning`, `$on-error`: text on that colour as a background (the
  DEMO DATA badge, the `y` key of a confirmation): the theme's background colour where it
  reads at 3:1 there, else black or white, whichever reads better.

Themes built on the terminal's ANSI colours are left alone: their real colours are unknown.
"""

from __future__ import annotations

import re

from textual.color import Color, ColorParseError

#: Text under this contrast ratio (WCAG 2) against a surface is corrected.
MIN_CONTRAST = 3.0
#: A corrected colour reads at least this well (WCAG AA for normal text).
TARGET_CONTRAST = 4.5
#: What text is drawn on (the first is the screen's); surface-darken-1 is under zebra stripes.
SURFACES = ("background", "surface", "panel", "surface-darken-1")
TEXT_VARIABLES = ("text-primary", "text-secondary", "text-success", "text-warning", "text-error", "text-accent",
                  "footer-key-foreground")
STATUS_COLOURS = ("accent", "success", "warning", "error")
#: Colours used as a background under text (badges, key caps): `$on-success` etc. read on them.
ON_COLOURS = ("success", "warning", "error")
#: Faint text as Textual defines it, "auto N%": black or white at N% over whatever is under it.
AUTO_VARIABLES = ("text-muted", "text-disabled")
AUTO = re.compile(r"auto (\d+)%")


def luminance(color: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _parse(value: str | None) -> Color | None:
    if not value:
        return None
    try:
        color = Color.parse(value)
    except ColorParseError:
        return None  # "auto 87%" and the like: Textual works those out per background
    return None if color.ansi is not None or color.auto else color


def _worst(color: Color, surfaces: list[Color]) -> float:
    return min(contrast_ratio(color, surface) for surface in surfaces)


def _corrected(color: Color, surfaces: list[Color], towards: Color) -> Color:
    """`color` as it is if it reads at MIN_CONTRAST on every surface, else blended towards `towards` until TARGET."""
    if _worst(color, surfaces) >= MIN_CONTRAST:
        return color
    for step in range(1, 21):
        candidate = color.blend(towards, step / 20, alpha=1)
        if _worst(candidate, surfaces) >= TARGET_CONTRAST:
            return candidate
    return towards


def _solid_auto(percent: int, surfaces: list[Color], towards: Color) -> Color:
    """"auto `percent`%" as one solid colour: `towards` (the background's contrast text) over the
    background at the least opacity from `percent` up at which it reads at MIN_CONTRAST on every
    surface (dialogs and panels are lighter or darker than the background it is blended over)."""
    background = surfaces[0]
    for candidate in range(percent, 101):
        color = background.blend(towards, candidate / 100, alpha=1)
        if _worst(color, surfaces) >= MIN_CONTRAST:
            return color
    return towards


def readable_variables(variables: dict[str, str]) -> dict[str, str]:
    """The variables to add to (or replace in) a theme's `variables` (see the module docstring)."""
    # Defaults first: every variable exists whatever the theme (the stylesheets use them).
    extra = {f"readable-{name}": variables[name] for name in STATUS_COLOURS if name in variables}
    if "background" in variables:
        extra.update({f"on-{name}": variables["background"] for name in ON_COLOURS})
    parsed = [_parse(variables.get(name)) for name in SURFACES]
    surfaces = [surface for surface in parsed if surface is not None]
    if len(surfaces) < len(SURFACES):
        return extra  # an ANSI theme: the terminal decides what its colours look like
    background = surfaces[0]
    towards = background.get_contrast_text(1.0)
    for name in TEXT_VARIABLES:
        color = _parse(variables.get(name))
        if color is not None:
            color = color.with_alpha(1.0)
            fixed = _corrected(color, surfaces, towards)
            if fixed != color:
                extra[name] = fixed.hex
    for name in AUTO_VARIABLES:
        match = AUTO.fullmatch(variables.get(name, "").strip())
        if match is not None:
            extra[name] = _solid_auto(int(match.group(1)), surfaces, towards).hex
    for name in STATUS_COLOURS:
        color = _parse(variables.get(name))
        if color is not None and _worst(color, surfaces) < MIN_CONTRAST:
            text_name = f"text-{name}"
            extra[f"readable-{name}"] = extra.get(text_name, variables.get(text_name, variables[name]))
    for name in ON_COLOURS:
        color = _parse(variables.get(name))
        if color is not None and contrast_ratio(background, color) < MIN_CONTRAST:
            extra[f"on-{name}"] = color.get_contrast_text(1.0).hex
    return extra

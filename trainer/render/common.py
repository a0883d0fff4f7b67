"""Console construction and small shared pieces of rendering.

Every piece of user or content text a renderer prints goes through ``clean``
(``trainer.text.printable``: control characters shown as ␛ etc., never sent to
the terminal), or ``markup_clean`` when it is interpolated into rich markup. As a
net under that, the product console (``make_console``) cleans every text segment
it renders, so a renderer that forgets still cannot emit an escape sequence.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.markup import escape
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme

from trainer.text import UNSAFE_RE, fmt_mmss, printable, wrap_cells

clean = printable  # the one sanitiser (trainer.text), under its rendering name


def markup_clean(text: object) -> str:
    """User text safe inside a rich markup string: no control characters, no markup."""
    return escape(printable(str(text)))


THEME = Theme(
    {
        "hit": "bold green",
        "partial": "yellow",
        "miss": "red",
        "muted": "dim",
        "title": "bold cyan",
        "warn": "bold yellow",
        "err": "bold red",
        "section": "bold magenta",
    }
)

VERDICT_MARK = {"full": "[hit]✓[/]", "partial": "[partial]½[/]", "miss": "[miss]✗[/]"}


class _Console(Console):
    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Rendered segments with any control character in their text made visible.

        rich's own styling and cursor moves are added later or travel as control
        segments, so only text that came from somewhere else is touched.
        """
        for seg in super().render(renderable, options):
            if seg.control is None and UNSAFE_RE.search(seg.text):
                yield Segment(printable(seg.text), seg.style)
            else:
                yield seg

    def on_broken_pipe(self) -> None:
        """``trainer … | head`` closed the pipe: what was wanted got out, so exit 0.

        rich's default exits 1, which fails ``set -o pipefail`` scripts; like the CLI's
        own BrokenPipeError handler, quietly stop writing and exit 0.
        """
        import os

        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def make_console(stderr: bool = False, width: int | None = None, file=None) -> Console:
    """A console using the product theme (plain text when not a terminal)."""
    return _Console(theme=THEME, stderr=stderr, width=width, file=file, highlight=False)


def error_line(message: str) -> None:
    """Print a one-line error to stderr (no traceback, no markup interpretation)."""
    for line in printable(str(message)).splitlines() or [""]:
        sys.stderr.write(f"错误：{line}\n" if not _looks_like_location(line) else f"{line}\n")
    sys.stderr.flush()


def _looks_like_location(line: str) -> bool:
    """Content problems already read ``path:line: field: message``."""
    head = line.split(":", 2)
    return len(head) == 3 and head[1].isdigit()


fmt_seconds = fmt_mmss  # the one m:ss rule (trainer.text)

#: Colour style of each examiners' band, on every screen.
BAND_STYLE = {"好": "hit", "中": "partial", "差": "miss"}


def fit(text: Text | str, width: int, indent: int = 0) -> Text:
    """``text`` (styles kept) broken into lines of ``width`` columns by our own rules.

    rich breaks Chinese anywhere (a line may start with 。 or ）) and splits ASCII words
    at the edge; this breaks with ``trainer.text.wrap_cells`` (CJK = 2 columns, 禁则, no
    break inside APP) and gives rich lines that already fit. ``indent`` columns are taken
    by a prefix (a Padding) on every line.
    """
    text = Text(text) if isinstance(text, str) else text
    plain = text.plain
    if "\n" in plain:
        return text
    starts, pos = [], 0
    for line in wrap_cells(plain, max(8, width - indent)):
        if not line:
            continue
        start = plain.find(line, pos)
        if start < 0:  # pragma: no cover - wrap_cells keeps the text's characters
            return text
        starts.append((start, start + len(line)))
        pos = start + len(line)
    if len(starts) <= 1:
        return text
    out = Text()
    for i, (a, b) in enumerate(starts):
        if i:
            out.append("\n")
        out.append_text(text[a:b])
    return out

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
from rich.theme import Theme

from trainer.text import UNSAFE_RE, fmt_mmss, printable

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

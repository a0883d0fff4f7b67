"""The terminal input source: prompt_toolkit thinking countdown, answer editor, menus.

``TerminalSource`` implements ``trainer.session.flow.InputSource``; all timing rules
stay in ``AnswerController`` — this module only draws and reports text. The
editor is an inline (not full-screen) ``Application`` so the question panel
printed above stays visible; its text area is capped below the terminal height
and scrolls. A background task ticks the controller every half second
(autosave, warnings with a bell, time-out) and the status bar is redrawn by
``refresh_interval``. At time-out the app exits with the buffer's text, so
nothing typed is lost. Keys: Enter = new line; Ctrl-D, or Esc then Enter (as in
prompt_toolkit's multi-line prompts) = submit; Ctrl-C = save draft and stop.
prompt_toolkit handles wide characters, IME input and bracketed paste.

SIGHUP (terminal closed) force-saves the draft and exits at once; SIGTERM
saves it and takes the Ctrl-C path.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from prompt_toolkit.application import Application
from prompt_toolkit.filters import to_filter
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import HSplit, Layout, Window
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.styles import Style
from prompt_toolkit.widgets import TextArea

from trainer.models import Question
from trainer.session.timing import AnswerController, AnswerOutcome, ThinkController
from trainer.text import fmt_spoken

STYLE = Style.from_dict(
    {
        "status": "reverse",
        "status.urgent": "bg:ansired fg:ansiwhite bold",
        "status.message": "bg:ansiyellow fg:ansiblack bold",
        "help": "ansicyan",
        "think": "bold ansicyan",
        "hint": "ansiyellow",
        "key": "bold",
    }
)
#: Terminal rows kept free above the editor for the question panel.
RESERVED_ROWS = 14
#: Height of the empty answer area.
MIN_ROWS = 8
TICK = 0.5


def fmt_clock(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))  # count down like a wall clock: 0:01 until it is over
    return f"{s // 60}:{s % 60:02d}"


def fmt_elapsed(seconds: float) -> str:
    s = max(0, int(seconds))  # time used, like a stopwatch
    return f"{s // 60}:{s % 60:02d}"


class TerminalSource:
    """Answers typed in the terminal (or in ``$EDITOR`` when ``editor`` is given)."""

    def __init__(self, editor: str | None = None) -> None:
        self.editor = editor

    # ----------------------------------------------------------------- thinking

    def think(self, question: Question, ctl: ThinkController) -> None:
        show_hints = [False]

        def text() -> StyleAndTextTuples:
            frags: StyleAndTextTuples = []
            if ctl.label:
                frags.append(("class:think", f"{ctl.label} "))
            frags += [
                ("class:think", f"思考时间 剩余 {fmt_clock(ctl.remaining())}"),
                ("class:help", "   Enter 开始作答"),
            ]
            if question.hints:
                frags.append(("class:help", " · h 审题提示"))
            frags.append(("class:help", " · Ctrl-C 退出"))
            if show_hints[0]:
                for h in question.hints:
                    frags.append(("class:hint", f"\n  • {h}"))
            return frags

        kb = KeyBindings()

        @kb.add("enter")
        def _start(event) -> None:
            event.app.exit()

        @kb.add("h")
        def _hints(event) -> None:
            show_hints[0] = not show_hints[0]

        @kb.add("c-c")
        def _quit(event) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        app: Application[None] = Application(
            layout=Layout(
                Window(FormattedTextControl(text), wrap_lines=True, dont_extend_height=True)
            ),
            key_bindings=kb,
            style=STYLE,
            refresh_interval=TICK,
            erase_when_done=True,
        )

        async def ticker() -> None:
            while not ctl.expired:
                await asyncio.sleep(TICK / 2)
            app.exit()

        def start_ticker() -> None:
            app.create_background_task(ticker())

        app.run(pre_run=start_ticker)

    # ----------------------------------------------------------------- answering

    def answer(self, question: Question, ctl: AnswerController) -> AnswerOutcome:
        if self.editor:
            return self._external(ctl)
        area = TextArea(
            text=ctl.initial_text,
            multiline=True,
            wrap_lines=True,
            scrollbar=True,
            focus_on_click=True,
        )
        area.buffer.cursor_position = len(ctl.initial_text)

        def area_height() -> Dimension:
            # Grows with the text from MIN_ROWS up to what leaves the question visible.
            top = max(3, _rows(app) - RESERVED_ROWS)
            return Dimension(min=min(MIN_ROWS, top), max=top)

        area.window.height = area_height
        area.window.dont_extend_height = to_filter(True)

        def header() -> StyleAndTextTuples:
            frags: StyleAndTextTuples = []
            if ctl.label:
                frags.append(("class:think", f"{ctl.label} "))
            if _columns(app) >= 80:
                frags += [
                    ("class:think", "作答 "),
                    ("class:help", "Enter 换行 · "),
                    ("class:key", "Ctrl-D"),
                    ("class:help", " 或 "),
                    ("class:key", "Esc 再 Enter"),
                    ("class:help", " 提交 · "),
                    ("class:key", "Ctrl-C"),
                    ("class:help", " 保存草稿并退出"),
                ]
            else:  # the same keys in under 60 columns, nothing cut
                frags += [
                    ("class:think", "作答 "),
                    ("class:key", "Ctrl-D"),
                    ("class:help", " 提交 · "),
                    ("class:key", "Ctrl-C"),
                    ("class:help", " 存草稿退出"),
                ]
            return frags

        def status() -> StyleAndTextTuples:
            st = ctl.status(area.text)
            style = "class:status.urgent" if st.urgent else "class:status"
            if st.remaining is None:
                clock = f" 已用 {fmt_elapsed(st.elapsed)} "
            else:
                clock = f" 剩余 {fmt_clock(st.remaining)} "
            frags: StyleAndTextTuples = [(style, clock)]
            if st.remaining is not None and ctl.label:
                frags.append(("class:status", f"│ 本题用时 {fmt_elapsed(st.elapsed)} "))
            spoken = fmt_spoken(st.chars)  # the report's rule, from the same count
            frags.append(("class:status", f"│ {st.chars} 字 ≈ 口述 {spoken} "))
            if st.message:
                frags.append(("class:status.message", f" ⚠ {st.message} "))
            return frags

        def finish(end) -> None:
            # Only the first ending counts (a key may race the time-out tick).
            if not app.is_done:
                app.exit(result=end(area.text))

        kb = KeyBindings()

        @kb.add("c-d")
        def _submit(event) -> None:
            finish(ctl.submit)

        @kb.add("escape", "enter", eager=True)
        def _submit_meta(event) -> None:
            finish(ctl.submit)

        @kb.add("c-c")
        def _interrupt(event) -> None:
            finish(ctl.interrupt)

        root = HSplit(
            [
                Window(FormattedTextControl(header), height=1),
                area,
                Window(FormattedTextControl(status), height=1, style="class:status"),
            ]
        )
        app: Application[AnswerOutcome] = Application(
            layout=Layout(root, focused_element=area),
            key_bindings=kb,
            style=STYLE,
            refresh_interval=TICK,
            mouse_support=False,
        )

        async def ticker() -> None:
            while True:
                tick = ctl.tick(area.text)
                if tick.warning is not None:
                    app.output.bell()
                if tick.timed_out:
                    finish(ctl.time_out)
                    return
                app.invalidate()
                await asyncio.sleep(TICK)

        def start_ticker() -> None:
            app.create_background_task(ticker())

        with _save_on_hangup(ctl, lambda: area.text, app, lambda: finish(ctl.interrupt)):
            try:
                return app.run(pre_run=start_ticker)
            except EOFError:  # the terminal went away (input closed): keep the text
                return ctl.interrupt(area.text)
            except BaseException:
                ctl.autosave(area.text, force=True)
                raise

    def _external(self, ctl: AnswerController) -> AnswerOutcome:
        """Answer in ``$EDITOR``: the draft file itself is what the editor edits."""
        assert self.editor is not None
        if ctl.drafts is not None:
            path = ctl.drafts.save(ctl.question.id, ctl.initial_text)
        else:
            fd, name = tempfile.mkstemp(suffix=".txt")
            os.close(fd)
            path = Path(name)
            path.write_text(ctl.initial_text, encoding="utf-8")
        limit = ctl.budget.remaining()
        left = f"，剩余 {fmt_clock(limit)}，超时提交记为超时" if limit is not None else ""
        sys.stdout.write(f"用 {self.editor} 作答：保存并退出编辑器即提交{left}。\n")
        sys.stdout.flush()
        try:
            subprocess.run([*shlex.split(self.editor), str(path)], check=False)
        except KeyboardInterrupt:
            pass
        text = path.read_text(encoding="utf-8")
        ctl.tick(text)
        if ctl.budget.expired:
            return ctl.time_out(text)
        return ctl.submit(text)

    # ----------------------------------------------------------------- menus

    def confirm(self, message: str, default: bool = True) -> bool:
        keys = {"y": True, "n": False}
        hint = "[Y/n]" if default else "[y/N]"
        return _keypress(f"{message} {hint} ", keys, default)

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        import shutil

        from trainer.text import cell_width

        choices = "  ".join(f"[{k}] {label}" for k, label in options) + " "
        if cell_width(message + choices) > shutil.get_terminal_size().columns:
            message = message.rstrip() + "\n"  # the choices on a line of their own, never split
        return _keypress(message + choices, {k: k for k, _ in options}, None)

    def ask(self, message: str) -> str:
        from prompt_toolkit import prompt

        return prompt(message)


def _columns(app: Application) -> int:
    try:
        return app.output.get_size().columns
    except Exception:  # pragma: no cover - output without a size
        return 80


def _rows(app: Application) -> int:
    try:
        return app.output.get_size().rows
    except Exception:  # pragma: no cover - output without a size
        return 24


_T = TypeVar("_T")


def _keypress(message: str, keys: Mapping[str, _T], default: _T | None) -> _T:
    """Wait for one of ``keys`` (Enter gives ``default`` when there is one)."""
    kb = KeyBindings()
    chosen: list[str] = []

    def bind(key: str, value: _T) -> None:
        @kb.add(key)
        def _(event) -> None:
            chosen.append(key)
            event.app.exit(result=value)

    for k, v in keys.items():
        bind(k, v)
        if k.upper() != k:
            bind(k.upper(), v)
    if default is not None:

        @kb.add("enter")
        def _default(event) -> None:
            event.app.exit(result=default)

    @kb.add("c-c")
    def _quit(event) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    def text() -> StyleAndTextTuples:
        return [("class:think", message), ("class:key", chosen[0] if chosen else "")]

    app: Application[_T] = Application(
        layout=Layout(Window(FormattedTextControl(text), wrap_lines=True, dont_extend_height=True)),
        key_bindings=kb,
        style=STYLE,
    )
    return app.run()


class _save_on_hangup:
    """While the editor runs: SIGHUP saves the draft and exits; SIGTERM = Ctrl-C."""

    def __init__(self, ctl: AnswerController, text, app: Application, stop) -> None:
        self.ctl, self.text, self.app, self.stop = ctl, text, app, stop
        # What signal.signal returned: a Python handler, SIG_DFL/SIG_IGN, or None (set from C).
        self.old: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}

    def _hangup(self, signum, frame) -> None:
        try:
            self.ctl.autosave(self.text(), force=True)
        finally:
            os._exit(128 + signum)

    def _term(self, signum, frame) -> None:
        self.ctl.autosave(self.text(), force=True)
        loop = self.app.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.stop)  # end the app from the loop, not the handler

    def __enter__(self) -> _save_on_hangup:
        for sig, handler in (("SIGHUP", self._hangup), ("SIGTERM", self._term)):
            num = getattr(signal, sig, None)
            if num is not None:
                try:
                    self.old[num] = signal.signal(num, handler)
                except ValueError:  # not the main thread
                    pass
        return self

    def __exit__(self, *exc) -> None:
        for num, handler in self.old.items():
            signal.signal(num, handler)

"""Practice and mock-interview commands: practice, mock.

With a terminal (stdin and stdout are TTYs) answers are typed in the
prompt_toolkit editor under a live countdown; otherwise the answer is read from
stdin until EOF (mock: answers separated by ``---`` lines) and the same report
is printed, so scripts and tests can drive both commands.

``run_practice`` is the entry point other commands (``trainer review``) use to
run a practice session on one question.
"""

import os
import random
import sys
from typing import Annotated

import typer

from trainer.cli.app import app
from trainer.cli.common import bank, console, finite
from trainer.errors import ExitCode, InputError, TrainerError


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _score_fn():
    from trainer.cli.common import compiled
    from trainer.scoring.scorer import score

    def scored(answer, question, rubric, **kw):
        return score(answer, question, compiled(rubric), **kw)

    return scored


def _save_fn(view):
    """Writes an attempt to history (a locked or damaged database is reported by the session)."""
    from trainer.history.store import open_store

    def save(attempt):
        with open_store() as store:
            return store.add_attempt(attempt)

    return save


def _editor_command() -> str:
    cmd = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not cmd:
        raise InputError("--editor：未设置环境变量 EDITOR（例如 export EDITOR=vim）")
    return cmd


def make_env(b, *, editor: bool = False):
    """The real session environment: terminal or stdin input, rich view, scorer, history."""
    from trainer.render.session import RichView
    from trainer.session.drafts import DraftStore
    from trainer.session.flow import InputSource, SessionEnv, StreamSource

    score_fn = _score_fn()  # fail before the candidate types anything
    view = RichView(console())
    drafts = None  # piped answers are already in a file: never touch a pending draft
    source: InputSource
    if _interactive():
        from trainer.session.editor import TerminalSource

        source = TerminalSource(editor=_editor_command() if editor else None)
        drafts = DraftStore.default()
    else:
        # Read (and check) the piped answers before any question is shown: non-UTF-8,
        # binary or endless input is one line, exit 2, not a crash halfway through.
        import io

        from trainer.cli.common import stdin_bytes
        from trainer.fileio import ANSWER_LIMIT, read_answer

        text = read_answer(None, stdin_bytes("-"), limit=ANSWER_LIMIT * 5)
        source = StreamSource(io.StringIO(text))
    return SessionEnv(
        source=source,
        view=view,
        score_fn=score_fn,
        rubric_for=b.rubric,
        save_fn=_save_fn(view),
        drafts=drafts,
    )


def _interrupted(exc) -> SystemExit:
    """Ctrl-C while answering: say where the draft is and exit 130, asking nothing."""
    sys.stderr.write(f"\n{exc}\n")
    if exc.note:
        sys.stderr.write(f"{exc.note}\n")
    if exc.draft_path is not None:
        sys.stderr.write(f"下次运行 trainer practice {exc.question_id} 可继续作答。\n")
    sys.stderr.flush()
    # not typer.Exit: main() would add its generic "已中断。"
    return SystemExit(ExitCode.INTERRUPTED)


def _next_question(b, topic: str | None, rng: random.Random):
    """[n] 下一题: never the question just answered, and none answered this session
    until every question (of the topic) has been."""
    seen: set[str] = set()

    def pick(current):
        seen.add(current.id)
        every = b.drawable(topic)
        pool = [q for q in every if q.id not in seen]
        if not pool:
            seen.clear()
            seen.add(current.id)
            pool = [q for q in every if q.id != current.id] or every
        return rng.choice(pool)

    return pick


def run_practice(
    question_id: str,
    *,
    think: int = 90,
    answer: int = 300,
    mode: str = "practice",
    hints: bool = False,
    editor: bool = False,
    menu: bool = True,
    topic: str | None = None,
) -> None:
    """Run a practice session on ``question_id`` (``mode`` is recorded in history).

    With ``menu`` the candidate may then retry, read the model answer or move to
    another question (drawn from ``topic``, or from the whole bank). Ctrl-C while
    answering saves the draft and exits 130.
    """
    from trainer.session.flow import SessionInterrupted, practice_loop

    b = bank()
    question = b.get(question_id)
    env = make_env(b, editor=editor)
    try:
        results = practice_loop(
            env,
            question,
            next_question=_next_question(b, topic, random.Random()),
            think=think,
            answer=answer,
            mode=mode,
            hints=hints,
            menu=menu,
        )
    except SessionInterrupted as exc:
        raise _interrupted(exc) from None
    _exit_if_unsaved(results)


def _exit_if_unsaved(results) -> None:
    """Exit 1 when an attempt was scored but not saved (the session already said so)."""
    if any(r.unsaved for r in results):
        raise typer.Exit(ExitCode.FAILURE)


def _pick_question(b, topic: str | None) -> str | None:
    """Interactive chooser: a numbered list; Enter draws one at random."""
    from trainer.render.session import question_picker
    from trainer.session.editor import TerminalSource

    questions = b.filter(topic)
    out = console()
    question_picker(out, questions, {t.id: t.title for t in b.topics.values()})
    source = TerminalSource()
    while True:  # a typo re-asks instead of ending the session
        reply = source.ask("输入题号或序号（直接回车随机抽一题）：").strip()
        if not reply:
            return None
        if reply.isdigit():
            if 1 <= int(reply) <= len(questions):
                return questions[int(reply) - 1].id
            out.print(f"[err]没有序号 {reply}[/]；请输入 1–{len(questions)} 的序号或完整题号。")
            continue
        try:
            return b.get(reply).id
        except TrainerError as exc:
            out.print(str(exc), style="err", markup=False)


@app.command("practice")
def practice(
    qid: Annotated[
        str | None,
        typer.Argument(
            help="题号，如 trust-gap/phenomenon-1；不给则选题或随机抽题。", metavar="[QID]"
        ),
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只从该主题抽题。")] = None,
    random_: Annotated[bool, typer.Option("--random", "-r", help="随机抽一道题。")] = False,
    think: Annotated[
        int, typer.Option("--think", min=0, help="思考倒计时秒数（Enter 可跳过；0 = 不思考）。")
    ] = 90,
    answer: Annotated[
        int, typer.Option("--answer", min=0, help="作答限时秒数（0 = 不限时）。")
    ] = 300,
    hints: Annotated[bool, typer.Option("--hints", help="同时显示审题提示。")] = False,
    editor: Annotated[
        bool, typer.Option("--editor", help="用 $EDITOR 作答，而非内置编辑器。")
    ] = False,
) -> None:
    """练习一道题：看题、思考倒计时、限时作答（Ctrl-D 或 Esc 再 Enter 提交），随即评分并记入历史。

    没有终端时（管道、CI）从标准输入读取答案直到 EOF，不显示倒计时。
    """
    b = bank()
    if topic is not None:
        b.topic(topic)  # unknown topic: an error naming the close matches
    if qid and random_:
        raise InputError("--random：已指定题号，不能同时随机抽题")
    if qid is None and not random_:
        if not _interactive():  # a piped answer must say which question it answers
            raise InputError(
                "没有终端时要给出题号，如 trainer practice trust-gap/phenomenon-1 < 答案.txt"
                "（或加 --random 随机抽题）"
            )
        qid = _pick_question(b, topic)
    if qid is None:
        qid = b.draw(random.Random(), topic, 1)[0].id
    elif topic is not None and b.get(qid).topic != topic:
        raise InputError(f"--topic：题目 {b.get(qid).id} 不属于主题 {topic}")
    run_practice(qid, think=think, answer=answer, hints=hints, editor=editor, topic=topic)


@app.command("mock")
def mock(
    preset: Annotated[
        str,
        typer.Option(
            "--preset",
            "-p",
            help="国考（4 题/20 分钟，默认）、省考（3 题/15 分钟）或 drill（单题 90 秒思考 + 180 秒作答）。",
        ),
    ] = "国考",
    questions: Annotated[
        int | None, typer.Option("--questions", "-n", min=1, help="题数（国考可用 5 题/25 分钟）。")
    ] = None,
    minutes: Annotated[
        float | None,
        typer.Option(
            "--minutes",
            "-m",
            help="共用时钟的总分钟数（默认每题 5 分钟）。",
            callback=finite(600, "分钟"),
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="抽题随机种子（同一种子同一套题）。")
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", "-t", help="只从该主题抽题。")] = None,
    think: Annotated[
        int | None, typer.Option("--think", min=0, max=3600, help="drill：每题思考秒数。")
    ] = None,
    answer: Annotated[
        int | None, typer.Option("--answer", min=0, max=3600, help="drill：每题作答秒数。")
    ] = None,
    editor: Annotated[
        bool, typer.Option("--editor", help="用 $EDITOR 作答，而非内置编辑器。")
    ] = False,
) -> None:
    """模拟面试：多题共用一个考场时钟，剩 5 分钟、1 分钟、30 秒时提醒，时间到自动提交；最后给出每题得分、用时、总分与最弱环节。

    没有终端时从标准输入读取各题答案，题与题之间用单独一行 --- 分隔。
    """
    from trainer.session.flow import SessionInterrupted, mock_plan, offer_resume, run_mock

    plan = mock_plan(preset, questions=questions, minutes=minutes, think=think, answer=answer)
    b = bank()
    qs = b.draw(random.Random(seed), topic, plan.questions)
    env = make_env(b, editor=editor)
    # Offer saved drafts before any clock starts, so a mock never overwrites them unasked.
    resumes = {q.id: offer_resume(env, q) for q in qs}
    try:
        result = run_mock(env, qs, plan, resume=resumes)
    except SessionInterrupted as exc:
        raise _interrupted(exc) from None
    _exit_if_unsaved(result.results)

#!/usr/bin/env python3
"""Print pip constraints that pin every direct dependency to its pyproject floor.

Reads pyproject.toml: [project].dependencies, every [project.optional-dependencies]
group and [build-system].requires. Each ``name>=X`` (whatever else follows:
``<cap``, ``!=bad``) becomes ``name==X``; extras are dropped (constraints cannot
carry them) and an environment marker is kept. A requirement without a ``>=``
floor is an error: every direct dependency needs a floor that the lowest-versions
CI job installs and tests (``~=X`` and an exact ``==X`` count as floor X).

Usage: python3 .ci/lowest.py [pyproject.toml] > constraints.txt
Used with PIP_CONSTRAINT, so the isolated build environment gets the floor of
the build backend too.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REQ = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;]*?)\s*(?:;\s*(?P<marker>.+?))?\s*$"
)


def floors(pyproject: Path) -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data.get("project", {})
    reqs: list[str] = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        reqs.extend(group)
    reqs.extend(data.get("build-system", {}).get("requires", []))

    out: dict[str, str] = {}
    bad: list[str] = []
    for req in reqs:
        m = REQ.match(req)
        if not m:
            bad.append(f"{req!r}: cannot parse")
            continue
        specs = [s.strip() for s in m["spec"].split(",")]
        lows = [s[2:].strip() for s in specs if re.match(r"(>=|~=|==)(?!=)", s)]
        if len(lows) != 1 or not lows[0] or "*" in lows[0]:
            bad.append(f"{req!r}: needs exactly one floor ('>=X', or '~=X' / '==X')")
            continue
        name = re.sub(r"[-_.]+", "-", m["name"]).lower()
        line = f"{name}=={lows[0]}" + (f"; {m['marker']}" if m["marker"] else "")
        if out.get(name, line) != line:
            bad.append(f"{req!r}: a different floor for {name} is given elsewhere")
        out[name] = line
    if bad:
        sys.exit("lowest.py: " + "\n  ".join(["requirements without a usable floor:", *bad]))
    return list(out.values())


def main() -> None:
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "pyproject.toml"
    )
    print("\n".join(floors(path)))


if __name__ == "__main__":
    main()

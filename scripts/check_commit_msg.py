#!/usr/bin/env python3
"""Check commit messages: a subject of at most 72 characters, a blank line, the why.

As a git hook (`git config core.hooksPath .githooks`), `.githooks/commit-msg` runs
`check_commit_msg.py MESSAGE_FILE` on the message being written. `make lint` runs
`check_commit_msg.py --since BASE`: every commit after BASE on the current branch;
where BASE is not in the history (a shallow or partial clone) the last commit only.
A merge commit may keep git's default subject ("Merge branch 'x'") with no body.

Standard library only, so the hook runs with any Python 3.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

SUBJECT_MAX = 72
# The commit that started checked history ("Pin django-ratelimit, mkdocs-material
# and mutmut"); earlier history is left as it was written.
BASE = "a7c065b"
# The subjects git writes itself for a merge.
MERGE_SUBJECT = re.compile(
    r"^Merge (branch|branches|remote-tracking branch|tag|commit|pull request) .+"
)
SCISSORS = "# ------------------------ >8 ------------------------"


def clean(message: str) -> list[str]:
    """The message's lines as git stores them: no comments, nothing below the
    scissors line of `git commit -v`, no trailing blank lines."""
    lines = []
    for line in message.splitlines():
        if line == SCISSORS:
            break
        if not line.startswith("#"):
            lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def problems(message: str) -> list[str]:
    """What is wrong with one commit message (empty when nothing is)."""
    lines = clean(message)
    if not lines:
        return ["the message is empty"]
    subject = lines[0]
    if MERGE_SUBJECT.match(subject):
        return []
    found = []
    if len(subject) > SUBJECT_MAX:
        found.append(
            f"the subject has {len(subject)} characters (at most {SUBJECT_MAX})"
        )
    if len(lines) == 1:
        found.append("no body: add a blank line, then why the change is made")
    elif lines[1]:
        found.append("the second line must be blank (the subject is one line)")
    elif not any(lines[2:]):
        found.append("no body: add a blank line, then why the change is made")
    return found


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def commits_since(base: str) -> list[str]:
    """The commits after `base` on HEAD, oldest first; HEAD alone when `base` is
    not in this clone's history; none outside a git checkout or before a commit."""
    if _git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode:
        return []
    if _git("cat-file", "-e", f"{base}^{{commit}}").returncode:
        return [_git("rev-parse", "HEAD").stdout.strip()]
    if _git("merge-base", "--is-ancestor", base, "HEAD").returncode:
        return [_git("rev-parse", "HEAD").stdout.strip()]
    listed = _git("rev-list", "--reverse", f"{base}..HEAD").stdout.split()
    return listed


def check_commits(base: str) -> int:
    failures = 0
    for commit in commits_since(base):
        message = _git("log", "-1", "--format=%B", commit).stdout
        for problem in problems(message):
            subject = clean(message)[0] if clean(message) else ""
            print(f"{commit[:12]} {subject[:60]!r}: {problem}")
            failures += 1
    return 1 if failures else 0


def check_file(path: Path) -> int:
    found = problems(path.read_text(encoding="utf-8", errors="replace"))
    for problem in found:
        print(f"commit message: {problem}", file=sys.stderr)
    if found:
        print(
            f"Write a subject of at most {SUBJECT_MAX} characters, a blank line, "
            "then why. Your message is kept in .git/COMMIT_EDITMSG.",
            file=sys.stderr,
        )
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("message_file", nargs="?", type=Path)
    group.add_argument(
        "--since",
        metavar="BASE",
        nargs="?",
        const=BASE,
        help=f"check every commit after BASE (default {BASE})",
    )
    args = parser.parse_args(argv)
    if args.since:
        return check_commits(args.since)
    return check_file(args.message_file)


if __name__ == "__main__":
    sys.exit(main())

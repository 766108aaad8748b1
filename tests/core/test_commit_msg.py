"""scripts/check_commit_msg.py: the commit-msg hook and `make lint`'s check."""

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "check_commit_msg", ROOT / "scripts" / "check_commit_msg.py"
)
check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check)

WHY = "The second paragraph says why the change is made."


@pytest.mark.parametrize(
    "message",
    [
        f"Split the demo loader by what it does\n\n{WHY}\n",
        f"{'x' * 72}\n\n{WHY}",
        f"Subject\n\n{WHY}\n\nMore paragraphs.\n\nSigned-off-by: A <a@b.example>\n",
        # As the hook sees it: git's comments and the scissors are not the message.
        f"Subject\n\n{WHY}\n# Please enter the commit message\n#\n",
        f"Subject\n\n{WHY}\n{check.SCISSORS}\ndiff --git a/x b/x\n",
        "\n\nSubject after blank lines\n\nWhy.\n\n\n",
        "Merge branch 'h/docs'",
        "Merge branch 'h/docs' into main\n\n# Conflicts:\n#\tREADME.md\n",
        "Merge remote-tracking branch 'origin/main'",
    ],
)
def test_good_messages_pass(message):
    assert check.problems(message) == []


@pytest.mark.parametrize(
    ("message", "says"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        (f"{'x' * 73}\n\n{WHY}", "73 characters"),
        ("A subject alone", "no body"),
        ("A subject\n\n\n", "no body"),
        (f"A subject\n{WHY}", "second line must be blank"),
        (f"A subject that runs on\nover two lines\n\n{WHY}", "second line"),
        # A merge's subject is free only when git wrote it.
        ("Merge the docs work", "no body"),
    ],
)
def test_bad_messages_fail_saying_why(message, says):
    found = check.problems(message)
    assert found
    assert says in " ".join(found)


def test_a_long_subject_and_no_body_are_both_reported():
    assert len(check.problems("y" * 100)) == 2


def test_the_hook_mode_exit_status(tmp_path, capsys):
    good = tmp_path / "good"
    good.write_text(f"Subject\n\n{WHY}\n")
    bad = tmp_path / "bad"
    bad.write_text("z" * 80 + "\n")
    assert check.main([str(good)]) == 0
    assert check.main([str(bad)]) == 1
    assert "80 characters" in capsys.readouterr().err


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stdout.strip()


def _commit(repo: Path, message: str) -> str:
    _git(repo, "commit", "--allow-empty", "--no-verify", "-q", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path):
    """A repository: an old bad commit, the base, a good and a bad commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "an old subject from before the rule, long and with no body " * 2)
    base = _commit(repo, f"The base\n\n{WHY}")
    good = _commit(repo, f"A good one\n\n{WHY}")
    bad = _commit(repo, "A bad one with no body")
    return repo, base, good, bad


def test_every_commit_after_the_base_is_checked(history, monkeypatch, capsys):
    repo, base, good, bad = history
    monkeypatch.chdir(repo)
    assert check.commits_since(base) == [good, bad]
    assert check.main(["--since", base]) == 1
    out = capsys.readouterr().out
    assert bad[:12] in out
    assert "old subject" not in out


def test_a_merge_with_gits_subject_passes(history, monkeypatch):
    repo, base, good, bad = history
    _git(repo, "reset", "-q", "--hard", good)
    _git(repo, "checkout", "-q", "-b", "side")
    _commit(repo, f"On the side\n\n{WHY}")
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--no-ff", "--no-edit", "side")
    monkeypatch.chdir(repo)
    assert len(check.commits_since(base)) == 3
    assert check.main(["--since", base]) == 0


def test_without_the_base_only_the_last_commit_is_checked(
    history, tmp_path, monkeypatch
):
    repo, base, good, bad = history
    _git(repo, "reset", "-q", "--hard", good)
    shallow = tmp_path / "shallow"
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    monkeypatch.chdir(shallow)
    assert check.commits_since(base) == [good]
    assert check.main(["--since", base]) == 0


def test_outside_a_git_checkout_nothing_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert check.commits_since(check.BASE) == []

"""Attacks on a run over an untrusted pull request, each through the real command, and the safe outcome.

Repository content (file names, source text, configuration, reports to merge) is the
attacker's; what the tool prints reaches CI logs and PR comments, and what it writes must
stay inside the tree.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import ROOT

SECRET = "sk_live_51Hq2wXyZaBcDeFgHiJkLmNoPq"
STRIPE_CODE = b"import stripe\n\n\ndef show(cid):\n    return stripe.Customer.retrieve(cid).account_balance\n"
RENAMED = STRIPE_CODE.replace(b"account_balance", b"balance")
SHARED = ("text", "json", "markdown", "sarif", "github")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def codemod(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "codemod", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, timeout=120)


def output(done: subprocess.CompletedProcess[bytes]) -> str:
    return (done.stdout + done.stderr).decode("utf-8", "replace")


def no_workflow_command(text: str) -> bool:
    return not any(line.startswith("::") for line in text.splitlines())


# -- 1. workflow-command injection ------------------------------------------------------------------
def test_text_report_starts_no_workflow_command(tmp_path: Path) -> None:
    (tmp_path / "a\n::error::pwned.py").write_bytes(STRIPE_CODE)
    (tmp_path / "::stop-commands::x.py").write_bytes(STRIPE_CODE)
    (tmp_path / "pin.py").write_bytes(b'import stripe\nstripe.api_version = "2019-08-14\\n::add-mask::x"\n')
    done = codemod("--check", ".", cwd=tmp_path)
    assert done.returncode == 1
    text = output(done)
    assert "a\\n::error::pwned.py:5:" in text and "./::stop-commands::x.py:5:" in text
    assert no_workflow_command(text) and not CONTROL.search(text)


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    done = codemod("--check", "missing\n::error::x.py", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1 and no_workflow_command(output(done))


# -- 2. secrets -------------------------------------------------------------------------------------
def test_no_shared_output_holds_a_secret(tmp_path: Path) -> None:
    (tmp_path / f"{SECRET}.py").write_bytes(STRIPE_CODE)
    (tmp_path / "billing.py").write_bytes(
        b"import stripe\n\n\ndef credit(cid):\n"
        b'    customer = stripe.Customer.retrieve(cid, api_key="' + SECRET.encode() + b'")\n'
        b'    print("Bearer\\n' + SECRET.encode() + b'", "\\t' + SECRET.encode() + b'", "key%3D' + SECRET.encode() + b'")\n'
        b'    token = "sk_live_51Hq2wXyZa" "BcDeFgHiJkLmNoPq"\n'
        b"    customer.account_balance += 500\n    customer.save()\n"
    )
    for fmt in SHARED:
        done = codemod("--unsafe-fixes", "--check", "--format", fmt, ".", cwd=tmp_path)
        text = output(done)
        assert "sk_live_[redacted]" in text or "sk_live_%5Bredacted%5D" in text, fmt  # SARIF: in a URI
        assert SECRET not in text and "BcDeFgHiJkLmNoPq" not in text and "51Hq2wXyZa" not in text, fmt


# -- 3. option injection through the action's paths: see tests/test_action.py -----------------------

# -- 4. Markdown and HTML injection -----------------------------------------------------------------
def test_markdown_report_is_inert(tmp_path: Path) -> None:
    (tmp_path / "<details><img src=x>`.py").write_bytes(STRIPE_CODE)
    (tmp_path / "pin.py").write_bytes(
        b'import stripe\nstripe.api_version = "2019-08-14</details>@octocat\x1b[31m"\n'
        b"def f(c):\n    return c.account_balance  # </details> <img src=x> @octocat\n"
    )
    done = codemod("--format", "markdown", ".", cwd=tmp_path)
    text = done.stdout.decode()
    assert balanced_details(text)
    assert "<img" not in outside_fences(text) and "@octocat" not in text and "\x1b" not in text
    assert "&#60;details&#62;&#60;img src=x&#62;&#96;.py" in text


def outside_fences(markdown: str) -> str:
    """The Markdown that is rendered: what fenced blocks hold is shown as text."""
    kept, fence = [], ""
    for line in markdown.splitlines():
        match = re.match(r"(`{3,})", line)
        if match and (not fence or match.group(1) == fence):
            fence = "" if fence else match.group(1)
        elif not fence:
            kept.append(line)
    return "\n".join(kept)


def balanced_details(markdown: str) -> bool:
    """``<details>`` opened and closed in pairs outside fenced blocks (which show text as it is)."""
    depth = 0
    for line in outside_fences(markdown).splitlines():
        for tag in re.findall(r"</?details>", line):
            depth += -1 if tag.startswith("</") else 1
            if depth < 0:
                return False
    return depth == 0


_NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=30)
_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n\"\\"), max_size=40)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAME, line=_LINE, secret=st.sampled_from(["", SECRET]))
def test_hostile_names_and_lines_stay_inert(tmp_path_factory: pytest.TempPathFactory, name: str, line: str,
                                            secret: str) -> None:
    tree = tmp_path_factory.mktemp("hostile")
    if name in (".", ".."):
        name = name + "x"
    try:
        (tree / f"{name}{secret}.py").write_bytes(
            STRIPE_CODE + f'\n\ndef g(c):\n    return c.account_balance  # {line}{secret}\n'.encode()
            + f'\nPIN = stripe.api_version = "{line}{secret}"\n'.encode())
    except OSError:
        return  # a name this file system refuses
    for fmt in SHARED:
        text = output(codemod("--check", "--format", fmt, ".", cwd=tree))
        assert "Traceback" not in text, fmt
        assert not secret or secret not in text, fmt
        assert not CONTROL.search(text), fmt
        if fmt != "github":
            assert no_workflow_command(text), fmt
        else:
            assert all(re.match(r"::(warning|notice|error) ", row) for row in text.splitlines() if row), fmt
        if fmt == "markdown":
            assert balanced_details(text)


# -- 5. writes outside the tree ---------------------------------------------------------------------
def test_a_symlinked_folder_is_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "x.py").write_bytes(STRIPE_CODE)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "link_dir").symlink_to(tmp_path / "outside")
    done = codemod("--write", "link_dir/x.py", cwd=tree)
    assert done.returncode == 2
    assert "link_dir/x.py: error: link_dir is a symbolic link: not written through" in done.stderr.decode()
    assert (tmp_path / "outside" / "x.py").read_bytes() == STRIPE_CODE


def test_output_onto_a_checked_file_is_refused_before_any_write(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(STRIPE_CODE)
    (tmp_path / "b.py").write_bytes(STRIPE_CODE)
    for target, reason in (("b.py", "is one of the files checked"), ("missing/r.json", "no such folder"), (".", "is a folder")):
        done = codemod("--write", "--format", "json", "--output", target, ".", cwd=tmp_path)
        assert done.returncode == 2 and reason in done.stderr.decode(), target
        assert done.stderr.decode().count("\n") == 1
        assert (tmp_path / "a.py").read_bytes() == STRIPE_CODE and (tmp_path / "b.py").read_bytes() == STRIPE_CODE


def test_hard_links_are_left_alone_unless_asked(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(STRIPE_CODE)
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    done = codemod("--write", "a.py", cwd=tmp_path)
    assert done.returncode == 2 and "has 1 other hard link(s)" in done.stderr.decode()
    assert (tmp_path / "b.py").read_bytes() == STRIPE_CODE
    assert codemod("--write", "--write-hard-links", "a.py", cwd=tmp_path).returncode == 1
    assert (tmp_path / "a.py").read_bytes() == RENAMED and (tmp_path / "b.py").read_bytes() == STRIPE_CODE


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to own a file as another user")
def test_owner_and_mode_are_kept_when_running_as_root(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_bytes(STRIPE_CODE)
    os.chown(target, 1234, 5678)
    os.chmod(target, 0o4755)
    assert codemod("--write", "a.py", cwd=tmp_path).returncode == 1
    info = target.stat()
    assert target.read_bytes() == RENAMED
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o4755)


def test_a_name_near_the_length_limit_is_written(tmp_path: Path) -> None:
    name = "m" * 252 + ".py"
    (tmp_path / name).write_bytes(STRIPE_CODE)
    assert codemod("--write", name, cwd=tmp_path).returncode == 1
    assert (tmp_path / name).read_bytes() == RENAMED and os.listdir(tmp_path) == [name]


# -- 6. lost edits ----------------------------------------------------------------------------------
def test_a_second_write_run_on_the_tree_waits_its_turn(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_bytes(STRIPE_CODE)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        done = codemod("--write", ".", cwd=tmp_path)
    finally:
        os.close(fd)
    assert done.returncode == 2 and "another stripe-codemod --write is running" in done.stderr.decode()
    assert (tmp_path / "a.py").read_bytes() == STRIPE_CODE


def test_an_edit_during_the_write_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from codemod import files

    target = tmp_path / "a.py"
    target.write_bytes(STRIPE_CODE)
    snapshot = files.read(str(target))
    real_fsync = os.fsync

    def edit_meanwhile(fd: int) -> None:  # someone saves the file while ours is being flushed
        real_fsync(fd)
        target.write_bytes(STRIPE_CODE + b"# mine\n")

    monkeypatch.setattr(os, "fsync", edit_meanwhile)
    with pytest.raises(files.ChangedOnDisk):
        files.write_atomic(str(target), RENAMED, snapshot)
    assert target.read_bytes() == STRIPE_CODE + b"# mine\n" and os.listdir(tmp_path) == ["a.py"]


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "protocol.file.allow=always",
                    *args], cwd=cwd, check=True, capture_output=True)


def test_a_submodule_is_named_in_every_report_not_skipped_silently(tmp_path: Path) -> None:
    library, app = tmp_path / "library", tmp_path / "app"
    for tree in (library, app):
        tree.mkdir()
        git("init", "-q", cwd=tree)
        (tree / "billing.py").write_bytes(STRIPE_CODE)
    git("add", ".", cwd=library)
    git("commit", "-qm", "library", cwd=library)
    git("submodule", "add", "-q", str(library), "vendor/library", cwd=app)
    (app / "scratch").mkdir()
    git("init", "-q", cwd=app / "scratch")  # an untracked clone inside the tree
    note = "is a repository of its own (a git submodule or a nested clone): its files were not checked"

    done = codemod("--write", "--allow-dirty", ".", cwd=app)
    assert done.returncode == 1, done.stderr
    assert f"scratch {note}" in done.stderr.decode() and f"vendor/library {note}" in done.stderr.decode()
    assert (app / "billing.py").read_bytes() == RENAMED
    assert (app / "vendor" / "library" / "billing.py").read_bytes() == STRIPE_CODE  # another repository: not ours
    report = json.loads(codemod("--format", "json", ".", cwd=app).stdout)
    assert [n.split(" ")[0] for n in report["notes"]] == ["scratch", "vendor/library"]
    assert b"::notice title=stripe-codemod::vendor/library " + note.encode() in codemod(
        "--format", "github", ".", cwd=app).stdout
    sarif = json.loads(codemod("--format", "sarif", ".", cwd=app).stdout)
    assert any(note in n["message"]["text"] for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"])
    assert f"vendor/library {note}" in codemod("--format", "markdown", ".", cwd=app).stdout.decode()


# -- 7. crashes become one line and exit 2 ----------------------------------------------------------
def test_a_non_utf8_file_name_gets_a_report(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    Path(os.fsdecode(os.fsencode(tree) + b"/caf\xe9.py")).write_bytes(STRIPE_CODE)
    for fmt in ("json", "sarif"):
        done = codemod("--format", fmt, "--output", f"../report.{fmt}", ".", cwd=tree)
        assert done.returncode == 1, done.stderr
        written = {"json": "caf\\\\xe9.py", "sarif": "caf%5Cxe9.py"}[fmt]  # a URI is percent-encoded
        assert written in (tmp_path / f"report.{fmt}").read_text()
    assert Path(os.fsdecode(os.fsencode(tree) + b"/caf\xe9.py")).read_bytes() == STRIPE_CODE


@pytest.mark.parametrize("config", [b"[tool.stripe-codemod]\njobs = \"x\"\n", b"[tool]\nstripe-codemod = 5\n", b"tool = 5\n",
                                    b"\xff\xfe\x00binary"])
def test_a_broken_configuration_is_one_line(tmp_path: Path, config: bytes) -> None:
    (tmp_path / "pyproject.toml").write_bytes(config)
    (tmp_path / "a.py").write_bytes(STRIPE_CODE)
    done = codemod("--check", ".", cwd=tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr and done.stderr.count(b"\n") == 1


def _forged(document: object) -> str:
    return json.dumps(document)


@pytest.mark.parametrize("report", [
    _forged({"version": 1}),
    _forged({"version": 1, "summary": {"files_scanned": "many"}, "files": [], "errors": []}),
    _forged({"version": 1, "summary": {"files_scanned": 1}, "files": [{"path": "a.py", "changed": True, "diff": "",
             "findings": [{"code": "SB999"}]}], "errors": []}),
    '{"version": 1, "summary": {"files_scanned": 1}, "files": [{"path": "\\udc80", "changed": false, "diff": "",'
    ' "findings": []}], "errors": []}',
    '{"version": 1, "x": ' + "[" * 100000 + "]" * 100000 + "}",
])
def test_a_forged_report_to_merge_is_one_line(tmp_path: Path, report: str) -> None:
    (tmp_path / "r.json").write_text(report)
    for fmt in ("markdown", "json", "github"):
        done = codemod("--merge", "--format", fmt, "r.json", cwd=tmp_path)
        assert done.returncode == 2 and b"Traceback" not in done.stderr and done.stderr.count(b"\n") == 1, done.stderr


def test_a_run_whose_workers_cannot_be_forked_checks_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from codemod.cli import main

    for n in range(20):
        (tmp_path / f"m{n}.py").write_bytes(STRIPE_CODE)
    monkeypatch.chdir(tmp_path)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert main(["--check", "--jobs", "2", "."]) == 1
    assert "Would fix 20 sites in 20 files" in capsys.readouterr().err


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="finds the checking process through /proc")
def test_an_out_of_memory_kill_costs_its_own_file_in_a_pre_commit_sized_run(tmp_path: Path) -> None:
    """A few files (the in-process path): the large one is checked in a process of its own,
    which is killed as the kernel kills on out-of-memory; the run still reports everything."""
    (tmp_path / "small.py").write_bytes(STRIPE_CODE)
    lines = [f"v{n} = customer.account_balance + {n}" for n in range(30_000)]
    big = ("import stripe\ncustomer = stripe.Customer.retrieve('cus_1')\n" + "\n".join(lines) + "\n").encode()
    (tmp_path / "big.py").write_bytes(big)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    command = subprocess.Popen([sys.executable, "-m", "codemod", "--write", "big.py", "small.py"], cwd=tmp_path,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children = Path(f"/proc/{command.pid}/task/{command.pid}/children")
    killed = False
    for _ in range(600):  # up to a minute for the checking process to start
        pids = children.read_text().split() if children.exists() else []
        forked = [pid for pid in pids if b"codemod" in _command_line(pid)]  # not a git it runs
        if forked:
            os.kill(int(forked[0]), 9)
            killed = True
            break
        if command.poll() is not None:
            break
        time.sleep(0.1)
    out, err = command.communicate(timeout=120)
    assert killed, err
    assert command.returncode == 2, err
    assert b"big.py: error: the process checking this file died (out of memory?); file left as it is" in err
    assert (tmp_path / "small.py").read_bytes() == RENAMED and (tmp_path / "big.py").read_bytes() == big
    assert b"Traceback" not in err


def _command_line(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it has ended meanwhile
        return b""


def test_sarif_locations_are_uri_references_in_characters(tmp_path: Path) -> None:
    (tmp_path / "a b#1 é.py").write_bytes(STRIPE_CODE)
    run = json.loads(codemod("--format", "sarif", ".", cwd=tmp_path).stdout)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {
        "a%20b%231%20%C3%A9.py"}

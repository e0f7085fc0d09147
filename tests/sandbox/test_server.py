"""The sandbox server without a browser: where it listens, where it keeps data, how fast
it serves its page, and that the bot it runs is Perkbot's own HTTP app."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.fakeslack.records import Message
from bot.sandbox import people_steps
from bot.sandbox.demo import MAYA
from bot.sandbox.server import Sandbox
from tests.bot.harness import ROOT, free_port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_perkbot_sandbox_serves_its_page_within_3_seconds_on_localhost(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DATABASE_URL"] = "postgresql://prod.example.invalid/perkbot"  # must not be used
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(port), "--dir", "data"],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # printed once it listens
        cpu = cpu_seconds(proc.pid)
        assert f"http://127.0.0.1:{port}/" in line, line
        status, page = get(f"http://127.0.0.1:{port}/")
        elapsed = time.monotonic() - started
        assert status == 200 and b"Perkbot sandbox" in page
        # The CPU it took to listen holds on a shared machine; the wall clock only on a quiet
        # one (as CI's), where it must be under 3 s.
        assert cpu < 2.0, f"{cpu:.2f}s of CPU before listening"
        if os.getloadavg()[0] < (os.cpu_count() or 1):
            assert elapsed < 3.0, f"page served {elapsed:.2f}s after start"
        deadline = time.monotonic() + 30
        while not json.loads(get(f"http://127.0.0.1:{port}/sandbox/info")[1])["ready"]:
            assert time.monotonic() < deadline and proc.poll() is None, "never got ready"
            time.sleep(0.1)
        assert (tmp_path / "data" / "perkbot.db").is_file()  # its own SQLite, not DATABASE_URL
    finally:
        proc.terminate()
        assert proc.wait(20) == 0  # SIGTERM stops it cleanly...
    assert (tmp_path / "data" / "slack.json").is_file()  # ...after saving the conversations


def test_listens_on_127_0_0_1_only(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "box", port=0) as sandbox:
        sandbox.wait_ready()
        assert sandbox.fake.url.startswith("http://127.0.0.1:")
        assert sandbox.perkbot is not None and sandbox.perkbot.url.startswith("http://127.0.0.1:")
        # The listening sockets themselves: bound to loopback, so no other interface answers.
        assert sandbox.perkbot.server.effective_host == "127.0.0.1"
        assert sandbox.fake.bound_address[0] == "127.0.0.1"
        outside = _other_address()  # and, where the machine has a network, try it
        for port in (sandbox.fake.port, int(sandbox.perkbot.server.effective_port)):
            if outside is not None:
                with socket.socket() as s:
                    s.settimeout(1)
                    assert s.connect_ex((outside, port)) != 0, f"port {port} answers on {outside}"


def _other_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_static_files_are_the_shipped_ones_only(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "box", port=0) as sandbox:
        assert get(sandbox.url + "static/app.js")[0] == 200
        for bad in ("static/../server.py", "static/%2e%2e/server.py", "static/nope.js"):
            try:
                status = get(sandbox.url + bad)[0]
            except urllib.error.HTTPError as e:
                status = e.code
            assert status == 404, bad


def test_data_folder_keeps_database_clock_and_conversations_across_restarts(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "box"
    with Sandbox(folder, port=0, tick=None) as sandbox:
        sandbox.wait_ready()
        sandbox.sample_data()
        maya = sandbox.fake.dm(MAYA.id)
        request = sandbox.fake.wait_for(lambda: _with_text(sandbox, maya, "$60.00 for Ada"), 10)
        before = sandbox.clock()
        steps = sandbox.advance(days=1)
        assert steps >= 24 and sandbox.clock() - before >= 86_400
    kept = sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert kept == ["clock.json", "perkbot.db", "slack.json"]
    with Sandbox(folder, port=0, tick=None) as again:
        again.wait_ready()
        assert again.clock() - before >= 86_400  # the clock does not go back on restart
        shown = again.fake.message(maya, request.ts)
        assert shown is not None and shown.text == request.text
        assert again.slack is not None
        # Perkbot (same database) and the fake (same messages) still agree: approve it.
        people_steps.decide(again.slack, MAYA.id, "Ada Lovelace", "Approve")
        again.fake.wait_for(lambda: _with_text(again, maya, "Perk approved: Ada Lovelace"), 10)
        assert len([c for c in again.fake.state.channels_of(MAYA.id) if c.is_im]) == 1


def _with_text(sandbox: Sandbox, channel: str, part: str) -> Message | None:
    return next((m for m in sandbox.fake.messages(channel) if part in m.text), None)


def test_a_taken_port_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "sandbox", "--port", str(port), "--dir", "data"],
            cwd=tmp_path,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"perkbot sandbox: cannot listen on 127.0.0.1:{port} (Address already in use); try --port"
    ]


def test_page_answers_only_its_own_address_and_json_actions(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "box", port=0) as sandbox:

        def status(path: str, headers: dict[str, str], body: bytes | None = None) -> int:
            request = urllib.request.Request(sandbox.url + path, body, headers)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return int(response.status)
            except urllib.error.HTTPError as e:
                return e.code

        assert status("", {}) == 200
        assert status("", {"Host": f"localhost:{sandbox.fake.port}"}) == 200
        assert status("", {"Host": f"rebound.example:{sandbox.fake.port}"}) == 403
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert status("sandbox/clock", form, b"days=1") == 415
        json_ = {"Content-Type": "application/json"}
        assert status("sandbox/nothing", json_, b"{}") == 404


def test_an_unreadable_saved_workspace_starts_a_new_one(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    folder.mkdir()
    (folder / "slack.json").write_text('{"version": 99}')
    with Sandbox(folder, port=0, tick=None) as sandbox:
        sandbox.wait_ready()
        assert sandbox.channels is not None
        assert sandbox.fake.messages(sandbox.channels.stories)  # the demo's seed messages

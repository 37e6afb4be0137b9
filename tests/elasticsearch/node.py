"""Start a real Elasticsearch 8 node for tests, without Docker.

Needs only ``java`` (17+) and, the first time, ``mvn`` with Maven Central:
``mvn package`` on ``tests/elasticsearch/pom.xml`` unpacks Elastic's
``integ-test-zip`` distribution (Elasticsearch 8.14.3) into
``tests/elasticsearch/target/`` and adds a small test plugin (language
analyzers, ``GET /``); later runs reuse it.

    from tests.elasticsearch.node import start_node, NodeUnavailable
    node = start_node(tmp_path)          # blocks until the cluster is yellow
    try:
        Elasticsearch(node.url).indices.create(index="x")
    finally:
        node.stop()                      # kills the node's process group

``python tests/elasticsearch/node.py [--port N] [--workdir DIR]`` starts one,
prints ``ELASTICSEARCH READY <url>`` and runs until Ctrl-C / SIGTERM.

The node's files (config, data, logs) go in ``<workdir>/es-node-*/`` and its
console log in ``<workdir>/elasticsearch-es-node-*.log``. Elasticsearch refuses
to run as root: when this process is root the node runs as the unprivileged
user ``nobody`` (override with MATCHMAKER_ES_USER), and if that user cannot
reach `workdir` (e.g. pytest's 0700 tmp dirs) its files go in a private
``matchmaker-es-*`` dir in the system temp dir instead, removed by stop().
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ES_VERSION = "8.14.3"
HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
ES_HOME = TARGET / f"elasticsearch-{ES_VERSION}"
SHIMS_JAR = ES_HOME / "plugins" / "matchmaker-test-shims" / "matchmaker-test-shims.jar"
DEFAULT_HEAP = "1g"
FAST_START_OPTS = " -XX:TieredStopAtLevel=1 -XX:-AlwaysPreTouch"

# The guard wrapper: runs bin/elasticsearch in the background and reads its
# own stdin, a pipe from this Python process. When that pipe closes (stop(),
# or this process dies without stopping the node), or when Elasticsearch exits
# on its own, it sends SIGTERM to the whole process group, so no JVM outlives us.
_GUARD = r"""
exec 3<&0
"$@" </dev/null 3<&- &
es=$!
( cat <&3 >/dev/null; kill -TERM 0 ) &
exec 3<&-
wait "$es"
rc=$?
trap '' TERM
kill -TERM 0 2>/dev/null
exit "$rc"
"""


class NodeUnavailable(RuntimeError):
    """The node cannot be built or started here; the message says why."""


def _tail(path: Path, lines: int = 30) -> str:
    """The log's fatal lines (errors, "Caused by") followed by its last `lines` lines."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError as exc:
        return f"(no log: {exc})"
    tail = text[-lines:]
    head = text[:-lines] if len(text) > lines else []
    fatal = [
        ln for ln in head if "[ERROR]" in ln or ln.startswith(("Caused by:", "ERROR:", "Exception"))
    ]
    fatal = [ln[:500] for ln in fatal[:10]]
    return "\n".join(fatal + (["..."] if fatal else []) + tail)


def _java_home() -> Path:
    java = shutil.which("java")
    if not java:
        raise NodeUnavailable("`java` is not on PATH (Elasticsearch 8 needs Java 17 or newer)")
    home = Path(os.path.realpath(java)).parent.parent
    if not os.access(home / "bin" / "java", os.X_OK):
        raise NodeUnavailable(f"cannot derive JAVA_HOME from {java} (resolved to {home})")
    return home


def _needs_build() -> bool:
    if not (ES_HOME / "bin" / "elasticsearch").exists() or not SHIMS_JAR.exists():
        return True
    built = SHIMS_JAR.stat().st_mtime
    sources = [HERE / "pom.xml", *(p for p in (HERE / "src").rglob("*") if p.is_file())]
    return any(p.stat().st_mtime > built for p in sources)


def ensure_distribution(timeout: float = 900) -> Path:
    """Build target/elasticsearch-<version> with Maven if missing or stale; return it."""
    if not _needs_build():
        return ES_HOME
    mvn = shutil.which("mvn")
    if not mvn:
        raise NodeUnavailable(
            f"`mvn` is not on PATH and {ES_HOME.relative_to(HERE.parent.parent)} is not built "
            "(needs Maven 3 and access to Maven Central once)"
        )
    TARGET.mkdir(exist_ok=True)
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers build once
        if not _needs_build():
            return ES_HOME
        cmd = [mvn, "-B", "-q", "-f", str(HERE / "pom.xml"), "package"]
        try:
            done = subprocess.run(
                cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise NodeUnavailable(f"`{' '.join(cmd)}` took more than {timeout:.0f}s") from None
        if done.returncode != 0 or _needs_build():
            out = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise NodeUnavailable(f"`{' '.join(cmd)}` failed (exit {done.returncode}):\n{out}")
    return ES_HOME


def _node_user() -> tuple[int, int] | None:
    """(uid, gid) to run the node as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("MATCHMAKER_ES_USER", "nobody")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise NodeUnavailable(
            f"running as root and there is no user {name!r} to run Elasticsearch as "
            "(it refuses root; set MATCHMAKER_ES_USER)"
        ) from None
    return entry.pw_uid, entry.pw_gid


def _world_traversable(path: Path) -> bool:
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _http_get(url: str, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class ElasticNode:
    """A running node; ``url`` is http://127.0.0.1:PORT. Use stop() (or ``with``)."""

    def __init__(self, proc: subprocess.Popen, run_dir: Path, log_path: Path, remove_run_dir: bool):
        self.proc = proc
        self.run_dir = run_dir
        self.log_path = log_path
        self._remove_run_dir = remove_run_dir
        self.url = ""
        self.port = 0

    def __enter__(self) -> ElasticNode:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 30) -> None:
        """SIGTERM the node's process group, SIGKILL it after `grace` s; wait until all is gone."""
        pgid = self.proc.pid  # own session => group id == leader pid
        if self.proc.stdin and not self.proc.stdin.closed:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # the guard then terminates the group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        killed = False
        while True:
            self.proc.poll()  # reap the leader
            try:
                os.killpg(pgid, 0)  # anything left in the group?
            except ProcessLookupError:
                break
            if time.monotonic() > deadline and not killed:
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except ProcessLookupError:
                    break
                killed = True
                deadline = time.monotonic() + 10
            elif time.monotonic() > deadline:
                raise RuntimeError(f"Elasticsearch process group {pgid} survived SIGKILL")
            time.sleep(0.1)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        if self._remove_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            self._remove_run_dir = False


def _write_config(conf: Path, run_dir: Path, port: int | None) -> None:
    try:
        shutil.copytree(ES_HOME / "config", conf)
    except (OSError, shutil.Error) as exc:  # its config files are mode 660
        raise NodeUnavailable(
            f"cannot copy {ES_HOME / 'config'} (build it as this user, or delete "
            f"{TARGET} so it is rebuilt): {str(exc)[:300]}"
        ) from None
    # The stock jvm.options logs GC and dumps heaps into ES_HOME (read-only for us).
    (conf / "jvm.options").write_text(
        "-XX:+UseG1GC\n"
        "-Djava.io.tmpdir=${ES_TMPDIR}\n"
        "-XX:+ExitOnOutOfMemoryError\n"
        f"-XX:ErrorFile={run_dir}/logs/hs_err_pid%p.log\n"
        "20-:--add-modules=jdk.incubator.vector\n"
    )
    settings = {
        "cluster.name": "matchmaker-test",
        "node.name": "matchmaker-test",
        "discovery.type": "single-node",
        "network.host": "127.0.0.1",
        "http.port": port or 0,
        "transport.port": 0,
        "node.portsfile": True,  # logs/http.ports tells us the bound address
        "path.data": str(run_dir / "data"),
        "path.logs": str(run_dir / "logs"),
        "xpack.security.enabled": False,
        "cluster.routing.allocation.disk.threshold_enabled": False,
        "action.destructive_requires_name": False,
    }
    (conf / "elasticsearch.yml").write_text(
        "".join(f"{k}: {json.dumps(v)}\n" for k, v in settings.items())
    )


def start_node(
    workdir: Path,
    timeout: float = 180,
    port: int | None = None,
    heap: str = DEFAULT_HEAP,
    fast_start: bool = True,
) -> ElasticNode:
    """Start a one-node cluster on 127.0.0.1 and wait until it is yellow.

    `port` None lets the node pick a free HTTP port. `fast_start` runs the JVM
    with the C1 compiler only and no heap pre-touch: ~40% faster start, slower
    steady state (use False for benchmarks). Raises NodeUnavailable (with the
    tail of the node's log) if it cannot be built or started in time.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    java_home = _java_home()
    ensure_distribution()
    user = _node_user()

    if user and not _world_traversable(ES_HOME):
        raise NodeUnavailable(
            f"{ES_HOME} must be readable by the unprivileged node user (a parent directory "
            "lacks o+x); Elasticsearch refuses to run as root"
        )
    if user and not _world_traversable(workdir):
        run_dir = Path(tempfile.mkdtemp(prefix="matchmaker-es-"))
        remove_run_dir = True
    else:
        run_dir = Path(tempfile.mkdtemp(prefix="es-node-", dir=workdir))
        remove_run_dir = False
    log_path = workdir / f"elasticsearch-{run_dir.name}.log"

    try:
        _write_config(run_dir / "config", run_dir, port)
    except NodeUnavailable:
        if remove_run_dir:
            shutil.rmtree(run_dir, ignore_errors=True)
        raise
    for sub in ("data", "logs", "tmp"):
        (run_dir / sub).mkdir()
    if user:
        for p in [run_dir, *run_dir.rglob("*")]:
            os.chown(p, *user)

    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(run_dir),
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(run_dir / "config"),
        "ES_TMPDIR": str(run_dir / "tmp"),
        "ES_JAVA_OPTS": f"-Xms{heap} -Xmx{heap}" + (FAST_START_OPTS if fast_start else ""),
    }
    extra = {}
    if user:
        extra = {"user": user[0], "group": user[1], "extra_groups": []}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["/bin/sh", "-c", _GUARD, "es-guard", str(ES_HOME / "bin" / "elasticsearch")],
            cwd=run_dir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **extra,
        )
    node = ElasticNode(proc, run_dir, log_path, remove_run_dir)
    try:
        _wait_ready(node, timeout)
    except BaseException:
        node.stop(grace=10)
        raise
    return node


def _wait_ready(node: ElasticNode, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    ports_file = node.run_dir / "logs" / "http.ports"
    last = "no HTTP port yet"
    while time.monotonic() < deadline:
        if not node.alive():
            raise NodeUnavailable(
                f"Elasticsearch exited with {node.proc.returncode} while starting; "
                f"log {node.log_path}:\n{_tail(node.log_path)}"
            )
        if not node.url and ports_file.exists():
            addresses = ports_file.read_text().split()
            if addresses:
                node.url = f"http://{addresses[0]}"
                node.port = int(addresses[0].rsplit(":", 1)[1])
        if node.url:
            try:
                status, body = _http_get(
                    f"{node.url}/_cluster/health?wait_for_status=yellow&timeout=2s", timeout=5
                )
                if status == 200:
                    return
                last = f"health answered {status}: {body[:200]!r}"
            except OSError as exc:
                last = f"health request failed: {exc}"
        time.sleep(0.25)
    raise NodeUnavailable(
        f"Elasticsearch not ready after {timeout:.0f}s ({last}); "
        f"log {node.log_path}:\n{_tail(node.log_path)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=None, help="HTTP port (default: a free one)")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temp dir")
    parser.add_argument("--heap", default=DEFAULT_HEAP, help="JVM -Xms/-Xmx (default 1g)")
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument(
        "--fast-start",
        action="store_true",
        help="C1-only JIT, no heap pre-touch: quicker start, slower queries (not for benchmarks)",
    )
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="matchmaker-es-work-"))
    started = time.monotonic()
    try:
        node = start_node(
            workdir,
            timeout=args.timeout,
            port=args.port,
            heap=args.heap,
            fast_start=args.fast_start,
        )
    except NodeUnavailable as exc:
        print(f"ELASTICSEARCH UNAVAILABLE: {exc}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        took = time.monotonic() - started
        print(f"ELASTICSEARCH READY {node.url} (in {took:.1f}s, log {node.log_path})", flush=True)
        while node.alive():
            time.sleep(1)
        print(f"Elasticsearch exited with {node.proc.returncode}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        node.stop()


if __name__ == "__main__":
    sys.exit(main())

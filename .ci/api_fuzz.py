"""Fuzz API v1 with schemathesis (every check, stateful phase on) against a running server.

Starts the site on a throw-away instance with the demo data, makes an administrator's token,
and runs the schemathesis CLI with it. Exit status: schemathesis's (0: no failures).
Usage: python .ci/api_fuzz.py [--max-examples N] [extra schemathesis options]
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main(argv: list[str]) -> int:
    instance = tempfile.mkdtemp(prefix="matchmaker-fuzz-")
    os.environ["MATCHMAKER_INSTANCE_PATH"] = instance
    port = _free_port()
    os.environ["MATCHMAKER_BASE_URL"] = f"http://127.0.0.1:{port}"
    subprocess.run(["matchmaker", "demo", "--no-serve"], check=True)

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from matchmaker import create_app

    app = create_app()
    # Ten thousand requests: the request log would bury the fuzzer's report.
    logging.getLogger("matchmaker.request").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(50):
        try:
            urllib.request.urlopen(f"{base}/api/openapi.json", timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    command = [
        "schemathesis",
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--workers",
        "1",
        *argv,
    ]
    print("+", " ".join(command), flush=True)
    here = os.path.dirname(os.path.abspath(__file__))
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(command, env=env)
    server.shutdown()
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

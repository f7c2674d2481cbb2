"""Container health probe: `python -m reward_service.probe` exits 0 when `GET /readyz` answers 200.

Used by the image's HEALTHCHECK and the compose healthcheck (slim images have no curl). It asks the
service on this host at `CRPO_PORT` (default 8000), or the URL given as the first argument.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def probe(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """(ready, one line saying why) for the service at `url`."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/readyz", timeout=timeout) as response:
            return response.status == 200, f"{response.status} {response.read(200).decode(errors='replace')}"
    except urllib.error.HTTPError as exc:  # 503 while loading
        return False, f"{exc.code} {exc.read(200).decode(errors='replace')}"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"unreachable: {exc}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    url = args[0] if args else f"http://127.0.0.1:{os.environ.get('CRPO_PORT', '8000')}"
    ready, why = probe(url)
    print(f"{url}/readyz: {why}")
    return 0 if ready else 1


if __name__ == "__main__":
    sys.exit(main())

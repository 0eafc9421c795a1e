"""``python -m newsbot.sampleweb [--port N] [--redesign OUTLET]``: serve the sample web."""

from __future__ import annotations

import argparse

from .server import SampleWebServer


def main(argv: list[str] | None = None) -> None:
    """Serve in the foreground until interrupted, after printing the base URL."""
    parser = argparse.ArgumentParser(prog="python -m newsbot.sampleweb", description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="TCP port (0 = a free port)")
    parser.add_argument("--redesign", action="append", default=[], metavar="OUTLET",
                        help="serve OUTLET with its redesigned article markup (repeatable)")
    args = parser.parse_args(argv)
    try:
        server = SampleWebServer(args.port, redesigned=args.redesign)
    except (ValueError, OSError) as exc:
        parser.error(str(exc))
    print(server.base_url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

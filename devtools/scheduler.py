"""make run's stand-in for EventBridge: every sweep of chalicelib/sweeps.py run
on its own schedule in a background thread, so a local stack finishes moves,
imports and exports, escalates overdue cases and delivers hotline callbacks."""

import threading

from devtools.environment import add_functions_to_path


def start(stop: threading.Event) -> list[threading.Thread]:
    add_functions_to_path()
    from chalicelib import sweeps
    from chalicelib.observability import logger

    def loop(sweep) -> None:
        while not stop.wait(sweep.every_minutes * 60):
            try:
                sweeps.run(sweep.name)
            except Exception:  # noqa: BLE001 - a failed run is logged and tried again next time
                logger.exception("local sweep failed", extra={"sweep": sweep.name})

    threads = [threading.Thread(target=loop, args=(sweep,), name=f"sweep-{sweep.name}",
                                daemon=True) for sweep in sweeps.SWEEPS.values()]
    for thread in threads:
        thread.start()
    return threads

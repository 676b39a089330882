"""Reactions to what happened, in process (as cosmic python's message bus).

A change publishes its domain events before it commits, and each reaction
answers with the items it writes. They go into the change's own transaction:
a closed hotline case is never without its callback, and a change that fails
owes nothing. (An outbox, the event stored and delivered after the commit,
would need a table of its own; the items a reaction writes today are already
its outbox, as the callback sweep delivers them.)

Every reaction is listed in REACTIONS, here, not subscribed by the module that
holds it: a Lambda that never loaded the hotline still owes its callbacks.
"""

from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.domain import case_events
from chalicelib.usecases import hotline_callbacks

Reaction = Callable[[Any], Iterable[Any]]

REACTIONS: dict[type, list[Reaction]] = {
    case_events.CaseClosed: [hotline_callbacks.callback_owed],
}


def publish(events: Iterable[Any]) -> list[Any]:
    """The items the reactions to `events` write, with the change they come from."""
    return [item for event in events for reaction in REACTIONS.get(type(event), ())
            for item in reaction(event)]

"""Create every table and index from the PynamoDB models, idempotently."""


from concurrent.futures import ThreadPoolExecutor

from pynamodb.exceptions import TableError


def create(model) -> str | None:
    """Create one model's table unless it exists; returns its name when created."""
    if model.exists():
        return None
    try:
        model.create_table(wait=True)
    except TableError as exc:
        # On a loaded machine botocore sends a CreateTable again when its answer is
        # late, and the second finds the table the first one made.
        if exc.cause_response_code != "ResourceInUseException":
            raise
        model.create_table(wait=True)  # it exists now: this waits for it and sets its TTL
    return model.Meta.table_name


def create_all() -> list[str]:
    """Create the tables that are missing (several at once); returns the names created."""
    from chalicelib.store.tables import ALL_MODELS

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [name for name in pool.map(create, ALL_MODELS) if name]


def delete_all() -> None:
    from chalicelib.store.tables import ALL_MODELS

    for model in ALL_MODELS:
        if model.exists():
            model.delete_table()

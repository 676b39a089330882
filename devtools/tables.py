"""Create every table and index from the PynamoDB models, idempotently."""


def create_all() -> list[str]:
    """Create the tables that are missing; returns the names created."""
    from chalicelib.store.tables import ALL_MODELS

    created = []
    for model in ALL_MODELS:
        if not model.exists():
            model.create_table(wait=True)
            created.append(model.Meta.table_name)
    return created


def delete_all() -> None:
    from chalicelib.store.tables import ALL_MODELS

    for model in ALL_MODELS:
        if model.exists():
            model.delete_table()

"""Create every table and index from the PynamoDB models, idempotently."""


from concurrent.futures import ThreadPoolExecutor


def create_all() -> list[str]:
    """Create the tables that are missing (several at once); returns the names created."""
    from chalicelib.store.tables import ALL_MODELS

    def create(model) -> str | None:
        if model.exists():
            return None
        model.create_table(wait=True)
        return model.Meta.table_name

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [name for name in pool.map(create, ALL_MODELS) if name]


def delete_all() -> None:
    from chalicelib.store.tables import ALL_MODELS

    for model in ALL_MODELS:
        if model.exists():
            model.delete_table()

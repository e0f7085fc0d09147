"""Where does a piece of text still live? Every text column of every table, reflected."""

from sqlalchemy import Engine, MetaData, String, func, select


def text_columns_holding(engine: Engine, needle: str) -> list[str]:
    """`table.column` for each text column (of the live schema) holding `needle`, any case."""
    meta = MetaData()
    meta.reflect(bind=engine)
    found = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String):  # VARCHAR and TEXT alike
                    continue
                hits = conn.execute(
                    select(func.count())
                    .select_from(table)
                    .where(func.lower(column).contains(needle.lower(), autoescape=True))
                ).scalar_one()
                if hits:
                    found.append(f"{table.name}.{column.name}")
    return found

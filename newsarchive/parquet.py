"""Records as a Parquet file (pyarrow, the optional `parquet` extra): typed columns for pandas,
R's arrow and DuckDB, written in row groups as they come, whole or not at all."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

ROW_GROUP = 10_000
"""Records per row group: what is held in memory at once."""
INSTALL = "pip install 'newsarchive[parquet]'"


class ParquetUnavailableError(RuntimeError):
    """pyarrow is not installed."""


def require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ParquetUnavailableError(f"--format parquet needs pyarrow: {INSTALL}") from None


def _column_type(name: str, values: list[Any]) -> Any:
    import pyarrow as pa

    if name.endswith("_at"):
        return pa.timestamp("us", tz="UTC")
    sample = next((value for value in values if value is not None), None)
    if isinstance(sample, bool):
        return pa.bool_()
    if isinstance(sample, int):
        return pa.int64()
    if isinstance(sample, float):
        return pa.float64()
    if isinstance(sample, list) and all(
        isinstance(item, str) for value in values if value for item in value
    ):
        return pa.list_(pa.string())
    return pa.string()


def _cell(value: Any, kind: Any) -> Any:
    import pyarrow as pa

    if value is None:
        return None
    if kind == pa.timestamp("us", tz="UTC"):
        return datetime.fromisoformat(value).astimezone(UTC) if isinstance(value, str) else value
    if kind == pa.string() and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # objects and mixed lists as JSON text
    return value


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while batch := list(islice(iterator, ROW_GROUP)):
        yield batch


def write_parquet(records: Iterable[dict[str, Any]], fields: Sequence[str], path: Path) -> int:
    """Write the records' `fields` to `path` (a temporary file renamed over it at the end);
    returns how many. The column types are read off the first row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(handle)
    count = 0
    writer: Any = None
    try:
        for batch in _batches(records):
            columns = {name: [record.get(name) for record in batch] for name in fields}
            if writer is None:
                schema = pa.schema(
                    [(name, _column_type(name, values)) for name, values in columns.items()]
                )
                writer = pq.ParquetWriter(temporary, schema)
            arrays = [
                pa.array([_cell(value, field.type) for value in columns[field.name]], field.type)
                for field in writer.schema
            ]
            writer.write_table(pa.Table.from_arrays(arrays, schema=writer.schema))
            count += len(batch)
        if writer is None:  # no records: an empty file of string columns
            writer = pq.ParquetWriter(
                temporary, pa.schema([(name, pa.string()) for name in fields])
            )
        writer.close()
        os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    return count

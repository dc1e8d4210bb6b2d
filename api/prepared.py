"""Queries compiled once per process: the ORM writes a query's SQL once per shape, and each
request runs it with its own value. At one row, compiling a query costs more than running it.

A prepared query is the ORM's own (its joins, columns and the database's converters), made
with a stand-in value that is then swapped for the real one; nothing is written by hand.
"""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins for the value a query is prepared with: never a real identifier, never sent.
STAND_INS = {int: -7_317_046_211_950_013, str: "\x00stand-in\x00"}


@dataclass(frozen=True)
class Prepared:
    """A values() query's SQL and parameters, where its value goes, and what its rows hold."""

    sql: str
    params: tuple
    slot: int  # the index in `params` of the request's value
    names: tuple[str, ...]
    compiler: SQLCompiler
    converters: dict  # the ORM's, for the values it reads (dates on SQLite, ...)

    def rows(self, using: str, value) -> list[dict]:
        params = (*self.params[: self.slot], value, *self.params[self.slot + 1 :])
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            found = cursor.fetchall()
        if self.converters:
            found = self.compiler.apply_converters(found, self.converters)
        return [dict(zip(self.names, row, strict=True)) for row in found]


_PREPARED: dict[tuple, Prepared] = {}
KEPT = 512  # keys hold shapes that clients choose: a bounded number is kept


def rows(key: tuple, model, build, value, wrap=None) -> list[dict]:
    """The rows of the values() queryset of `model` that `build(value)` makes, its SQL compiled
    once per `key` (what, besides `value`, shapes the query) and database vendor; with `wrap`,
    of the query that `wrap(sql)` writes around it, with the parameters it puts before the
    query's and the names of its columns."""
    using = router.db_for_read(model)
    found = (key, connections[using].vendor, type(value))
    if (prepared := _PREPARED.get(found)) is None:
        if len(_PREPARED) >= KEPT:
            _PREPARED.clear()
        prepared = _PREPARED[found] = _prepare(build, STAND_INS[type(value)], key, wrap)
    return prepared.rows(using, value)


def _prepare(build, stand_in, key: tuple, wrap=None) -> Prepared:
    queryset: QuerySet = build(stand_in)
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    if list(params).count(stand_in) != 1:
        raise ValueError(f"A prepared query takes its value once: {key!r}")
    if wrap:
        sql, before, names = wrap(sql)
        slot = len(before) + list(params).index(stand_in)
        return Prepared(sql, (*before, *params), slot, names, compiler, {})
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    columns = [column for column, *_ in compiler.select[: compiler.col_count]]
    return Prepared(sql, tuple(params), list(params).index(stand_in), names, compiler,
                    compiler.get_converters(columns))  # fmt: skip

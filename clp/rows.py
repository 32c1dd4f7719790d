"""One row by its key, for the lookups every signed-in request makes.

Every signed-in page reads the session, the account, and usually a plan (or a survey with its
plan) before anything else. Built through the ORM, each of those is a query compiled afresh on
every request: on these machines compiling `Plan.objects.select_related("community").get(pk=…)`
took three times as long as PostgreSQL took to answer it, and the three lookups together cost
more than the whole page read from the cache (clp.freshness). Here the SQL for a model (with
the foreign keys to join) is built once, from the models' own metadata, and each call only runs
it: the same columns, the same values once the database's converters have run (SQLite's dates,
JSON), and the same instances, with each joined object cached on its relation exactly as
`select_related` caches it.

Only plain lookups belong here: by primary key or a unique field, forward foreign keys joined. Anything with a
filter that users choose goes through the ORM.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import connections, router


@functools.cache
def _plan(model, related: tuple[str, ...], by: str, alias: str):
    """For `model` by its column `by` with `related` (foreign-key paths, as select_related names them)
    LEFT JOINed: the SELECT; the converters to run on its columns; and for each model in the row,
    its class, its fields' names, the relation that holds it and the index of its holder."""
    quote = connections[alias].ops.quote_name
    parts = [(model, None, None)]  # (model, field that leads to it, index of the holder)
    joins = []
    for path in related:
        holder, current = 0, model
        for name in path.split("__"):
            field = current._meta.get_field(name)
            target = field.related_model
            found = next((i for i, (m, f, h) in enumerate(parts) if f is field and h == holder), None)
            if found is None:
                parts.append((target, field, holder))
                found = len(parts) - 1
                joins.append(f"LEFT JOIN {quote(target._meta.db_table)} t{found} ON "
                             f"t{found}.{quote(field.target_field.column)} = t{holder}.{quote(field.column)}")
            holder, current = found, target
    columns, shapes = [], []
    for index, (part, field, holder) in enumerate(parts):
        fields = part._meta.concrete_fields
        columns += [(index, f) for f in fields]
        shapes.append((part, [f.attname for f in fields], field, holder))
    select = ", ".join(f"t{index}.{quote(f.column)}" for index, f in columns)
    sql = (f"SELECT {select} FROM {quote(model._meta.db_table)} t0 {' '.join(joins)} "
           f"WHERE t0.{quote(by)} = %s")
    # The database's and the fields' own converters, as the ORM would apply them to these columns
    # (they depend on the backend and the fields, not on the connection they were read from).
    compiler = model._default_manager.none().query.get_compiler(using=alias)
    converters = compiler.get_converters([f.get_col(f"t{index}") for index, f in columns])
    return sql, tuple((pos, tuple(convs), col) for pos, (convs, col) in converters.items()), tuple(shapes)


def one(model, value, *related: str, by: str = "pk"):
    """The `model` whose primary key (or the unique field named `by`) is `value`, with the
    objects along each foreign-key path in `related` joined and cached; None when there is none
    (or `value` cannot be a key)."""
    target = model._meta.pk if by == "pk" else model._meta.get_field(by)
    if not (target.primary_key or target.unique):
        raise ValueError(f"{model.__name__}.{by} is not unique: clp.rows reads one row")
    try:
        value = target.get_prep_value(target.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return None
    alias = router.db_for_read(model)
    connection = connections[alias]
    if isinstance(value, int) and not _in_range(connection, target, value):
        return None  # as the ORM answers a key too long for its column: no such row
    sql, converters, shapes = _plan(model, related, target.column, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = list(row)
        for pos, convs, expression in converters:
            for convert in convs:
                row[pos] = convert(row[pos], expression, connection)
    instances, start = [], 0
    for part, names, field_to, holder in shapes:
        values = row[start:start + len(names)]
        start += len(names)
        if field_to is None:
            instances.append(part.from_db(alias, names, values))
            continue
        missing = values[names.index(part._meta.pk.attname)] is None  # an empty foreign key
        instance = None if missing else part.from_db(alias, names, values)
        holding = instances[holder]
        if holding is not None:
            field_to.set_cached_value(holding, instance)
        instances.append(instance)
    return instances[0]


def _in_range(connection, field, value: int) -> bool:
    ranges = connection.ops.integer_field_ranges
    low, high = ranges.get(field.get_internal_type(), (None, None))
    return (low is None or value >= low) and (high is None or value <= high)

"""`field__any=[...]`: a field among a list of values, as `__in`, but written on PostgreSQL as
`= ANY(%s)`: one SQL text for a list of any length, that the server plans once per connection
(prepared) instead of at every page of rows."""

from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class AnyArray:
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


@Field.register_lookup
class AnyOf(AnyArray, In):
    """Any of the values, on a field of the record's own."""


@ForeignObject.register_lookup
class RelatedAnyOf(AnyArray, RelatedIn):
    """Any of the values (keys), on a reference."""

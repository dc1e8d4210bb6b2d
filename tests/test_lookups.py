"""`__any`: the rows `__in` finds, in one SQL text for a list of any length on PostgreSQL (so
that the server plans a page's rows once per connection)."""

import pytest
from django.db import connection

from api import models as m

pytestmark = pytest.mark.django_db


def test_any_finds_what_in_finds_on_fields_and_references():
    ids = list(m.Statement.objects.order_by("pk").values_list("pk", flat=True)[:7])
    assert len(ids) == 7
    assert list(m.Statement.objects.filter(pk__any=ids).order_by("pk")) == list(
        m.Statement.objects.filter(pk__in=ids).order_by("pk")
    )
    links = m.Statement.topics.through.objects
    assert sorted(links.filter(statement_id__any=ids).values_list("pk", flat=True)) == sorted(
        links.filter(statement_id__in=ids).values_list("pk", flat=True)
    )
    assert not m.Statement.objects.filter(pk__any=[]).exists()
    assert not m.Statement.objects.filter(pk__any=[None]).exists()


@pytest.mark.postgresql
def test_any_is_one_sql_text_whatever_the_length_of_its_list():
    def sql(keys):
        return m.Statement.objects.filter(pk__any=keys).query.sql_with_params()[0]

    assert sql([1]) == sql([1, 2, 3, 4, 5]) == sql(list(range(1000)))
    assert connection.vendor == "postgresql" and "= ANY(%s)" in sql([1])

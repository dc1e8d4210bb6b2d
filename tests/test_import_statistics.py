"""`import_statistics`: a KP statistics table in, all or nothing, idempotent, bad lines named."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from api import models as m
from api.importers.participants import ParticipantNames
from api.reference.plan import distinct_slug, source_slug

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "import-statistics-sample.csv"
HEADER = "participant,year,carats,value_usd,source"
NAMIBIAN = "https://www.namibian.com.na/namibia-ranks-among-top-five-diamond-exporters-in-africa/"
TRADE_HEADER = "participant,year,flow,carats,value_usd,certificates"
# Namibia's 2022 trade as The Namibian reports it (kp-statistics.csv).
NAMIBIA_TRADE = ["NA,2022,export,1800000,942400000,241", "NA,2022,import,94000,145400000,51"]
# The 2014 production of the two Congos and Côte d'Ivoire, as kp-statistics.csv gives it.
CONGOS = [
    "Côte d'Ivoire,2014,1074.15,,http://roughdiamondbuyers.com/?paged=2",
    "Democratic Republic of the Congo,2014,15652014.63,,http://roughdiamondbuyers.com/?paged=2",
    "Republic of the Congo,2014,53162.7,,http://roughdiamondbuyers.com/?paged=2",
]


def sample_rows() -> list[str]:
    """The sample's rows without its header: real figures of the reference, with their sources."""
    header, *rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert header == HEADER
    return rows


def table(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "table.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import_statistics", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def state() -> dict[str, list]:
    """Everything an import may touch, timestamps included, to show that nothing moved."""
    figure = ("pk", "participant_id", "year", "carats", "value_usd", "confidence", "updated_at")
    report = ("pk", "production_id", "trade_id", "source_id", "carats", "value_usd", "updated_at")
    return {
        "production": list(m.Production.objects.order_by("pk").values_list(*figure)),
        "trade": list(m.Trade.objects.order_by("pk").values_list(*figure, "certificates")),
        "reports": list(m.StatisticReport.objects.order_by("pk").values_list(*report)),
        "sources": list(m.Source.objects.order_by("pk").values_list("pk", "slug", "updated_at")),
        "links": sorted(
            m.Production.sources.through.objects.values_list("production_id", "source_id")
        )
        + sorted(m.Trade.sources.through.objects.values_list("trade_id", "source_id")),
    }


def refused(path: Path, *options: str) -> str:
    """Run the import on a bad table: it must fail, change nothing and say why on stderr."""
    before = state()
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("import_statistics", str(path), *options, stdout=StringIO(), stderr=err)
    assert state() == before
    return err.getvalue()


def botswana_2021() -> m.Production:
    return m.Production.objects.get(participant__code="BW", year=2021)


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The sample with Botswana's 2021 carats changed and Angola's 2023 figure gone from the DB."""
    m.Production.objects.filter(participant__code="AO", year=2023).delete()
    rows = sample_rows()
    index = rows.index(next(row for row in rows if row.startswith("Botswana,2021,22878000,")))
    rows[index] = rows[index].replace(",22878000,", ",22900000,")
    return table(tmp_path, rows)


def test_the_sample_holds_only_figures_of_the_reference_and_changes_nothing():
    before = state()
    out = run(SAMPLE)
    assert out.splitlines() == ["production: 0 created, 0 updated, 25 unchanged."]
    assert state() == before


def test_a_table_creates_missing_figures_and_updates_a_changed_one(changed):
    canada = m.Production.objects.get(participant__code="CA", year=2021)
    before = botswana_2021().updated_at
    out = run(changed, "--confidence", "uncertain")
    lines = out.splitlines()
    assert "production 2021 BW: carats 22878000 -> 22900000" in lines
    assert any(line.startswith("production 2023 AO: created, carats 9754000, ") for line in lines)
    assert lines[-1] == "production: 1 created, 1 updated, 23 unchanged."

    botswana = botswana_2021()
    assert (botswana.carats, botswana.value_usd) == (Decimal(22900000), Decimal(4657000000))
    assert botswana.updated_at > before
    assert botswana.confidence == "uncertain"  # the grade goes with the values it grades
    report = botswana.reports.get(source__url__contains="diamonds.net")
    assert (report.carats, report.confidence) == (Decimal(22900000), "uncertain")
    angola = m.Production.objects.get(participant__code="AO", year=2023)
    assert (angola.carats, angola.value_usd) == (Decimal(9754000), Decimal(1532000000))
    url = "https://naturaldiamonds.com/resources/diamond-facts-and-statistics-that-matter"
    assert [source.url for source in angola.sources.all()] == [url]
    assert angola.reports.get().reported_as == "Angola"
    assert m.Production.objects.get(pk=canada.pk).updated_at == canada.updated_at
    assert m.Production.objects.get(pk=canada.pk).confidence == "verified"


def test_importing_a_table_twice_changes_nothing_the_second_time(changed):
    run(changed)
    after_first = state()
    out = run(changed)
    assert out.splitlines() == ["production: 0 created, 0 updated, 25 unchanged."]
    assert state() == after_first


def test_a_dry_run_reports_what_would_change_and_writes_nothing(changed):
    before = state()
    out = run(changed, "--dry-run")
    assert "production 2021 BW: carats 22878000 -> 22900000" in out
    assert out.splitlines()[-1] == (
        "production: 1 created, 1 updated, 23 unchanged (dry run: nothing was written)."
    )
    assert state() == before


def test_a_trade_table_creates_figures_and_their_new_source_as_the_reference_would(tmp_path):
    m.Trade.objects.filter(participant__code="NA", year=2022).delete()
    source = m.Source.objects.get(url=NAMIBIAN)
    slug = source.slug
    # Namibia's 2022 production cites the page too (as agreeing with its figures).
    m.Production.objects.get(participant__code="NA", year=2022).sources.remove(source)
    source.delete()
    out = run(table(tmp_path, NAMIBIA_TRADE, TRADE_HEADER), "--source", NAMIBIAN)
    assert f"source {slug} created: {NAMIBIAN}" in out
    assert out.splitlines()[-1] == "trade: 2 created, 0 updated, 0 unchanged."
    source = m.Source.objects.get(url=NAMIBIAN)
    assert (source.slug, source.kind) == (source_slug(NAMIBIAN), "news")
    export = m.Trade.objects.get(participant__code="NA", year=2022, flow="export")
    assert (export.carats, export.value_usd, export.certificates) == (1800000, 942400000, 241)
    assert list(export.sources.all()) == [source]
    assert export.reports.get().certificates == 241


def test_a_new_url_that_reads_like_a_stored_one_gets_a_distinct_slug(tmp_path):
    url = NAMIBIAN.rstrip("/")
    run(table(tmp_path, NAMIBIA_TRADE[:1], TRADE_HEADER), "--source", url)
    source = m.Source.objects.get(url=url)
    assert source.slug == distinct_slug(source_slug(url), url)
    assert source.slug != m.Source.objects.get(url=NAMIBIAN).slug
    export = m.Trade.objects.get(participant__code="NA", year=2022, flow="export")
    assert {source.url for source in export.sources.all()} == {NAMIBIAN, url}


def test_the_table_source_serves_the_rows_without_a_source_of_their_own(tmp_path):
    other = "https://naturaldiamonds.com/resources/diamond-facts-and-statistics-that-matter"
    out = run(table(tmp_path, CONGOS), "--source", other)
    assert out.splitlines() == ["production: 0 created, 0 updated, 3 unchanged."]
    rows = [*CONGOS[:2], CONGOS[2].rsplit(",", 1)[0] + ","]
    out = run(table(tmp_path, rows), "--source", "http://roughdiamondbuyers.com/?paged=2")
    assert out.splitlines() == ["production: 0 created, 0 updated, 3 unchanged."]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Congo, Dem. Rep.", "CD"),
        ("DRC", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo, Rep.", "CG"),
        ("Republic of the Congo", "CG"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("CÔTE D\u2019IVOIRE", "CI"),  # a typographic apostrophe
        ("Ivory Coast", "CI"),
        ("Russia", "RU"),
        ("russian federation", "RU"),
        ("UAE", "AE"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("EU", "EU"),
        ("European Community", "EU"),
        ("NA", "NA"),
        ("na", "NA"),
        ("NAM", "NA"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
    ],
)
def test_participants_are_found_by_code_name_or_alias_whatever_the_case_or_accents(name, code):
    names = ParticipantNames()
    assert names.errors == []
    assert names.find(name).code == code


def test_the_world_may_be_called_total_and_namibia_na(tmp_path):
    world, *_ = sample_rows()
    namibia = next(row for row in sample_rows() if row.startswith("Namibia,2023,"))
    rows = [world.replace("World,", "Total,"), namibia.replace("Namibia,", "NA,")]
    out = run(table(tmp_path, rows))
    assert out.splitlines() == ["production: 0 created, 0 updated, 2 unchanged."]


def test_an_unknown_country_is_refused_with_its_line(tmp_path):
    rows = sample_rows()
    rows[2] = rows[2].replace("Australia,", "Narnia,")
    err = refused(table(tmp_path, rows))
    assert "table.csv, line 4: participant 'Narnia' is not a known participant" in err


@pytest.mark.parametrize("carats", ["-17615000", "17.6 M", "17615000.125"])
def test_negative_or_non_numeric_carats_are_refused_with_their_line(tmp_path, carats):
    rows = sample_rows()
    rows[4] = rows[4].replace("Canada,2021,17615000,", f"Canada,2021,{carats},")
    err = refused(table(tmp_path, rows))
    reason = f"carats must be a non-negative number with at most two decimals, not '{carats}'"
    assert f"table.csv, line 6: {reason}" in err


def test_a_year_out_of_range_is_refused_with_its_line(tmp_path):
    rows = sample_rows()
    rows[1] = rows[1].replace(",2021,", ",2002,")
    err = refused(table(tmp_path, rows))
    assert "table.csv, line 3: year 2002 is out of range" in err


def test_a_duplicate_row_is_refused_naming_both_lines(tmp_path):
    rows = sample_rows()
    err = refused(table(tmp_path, [*rows, rows[3]]))
    reason = "duplicate row: production 2021 BW is also on line 5"
    assert f"table.csv, line {len(rows) + 2}: {reason}" in err


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes("\n".join([HEADER, *reversed(CONGOS)]).encode("latin-1"))
    err = refused(path)
    assert "table.csv, line 4: the file is not utf-8 text (see --encoding)" in err
    out = run(path, "--encoding", "latin-1")
    assert out.splitlines() == ["production: 0 created, 0 updated, 3 unchanged."]


def test_a_missing_column_is_refused(tmp_path):
    rows = [row.replace(",1626000000,", ",") for row in sample_rows()[1:2]]
    err = refused(table(tmp_path, rows, HEADER.replace("value_usd,", "")))
    assert "table.csv, line 1: missing column(s) value_usd" in err


def test_a_row_without_any_source_is_refused(tmp_path):
    rows = [row.rsplit(",", 1)[0] for row in sample_rows()[:2]]
    err = refused(table(tmp_path, rows, HEADER.removesuffix(",source")))
    assert "table.csv, line 2: source is empty and no --source was given" in err
    assert "table.csv, line 3: source is empty" in err


def test_every_bad_line_is_reported_not_only_the_first(tmp_path):
    rows = sample_rows()
    rows[2] = rows[2].replace("Australia,", "Atlantis,")
    rows[6] = rows[6].replace(",339000,", ",-339000,")
    err = refused(table(tmp_path, rows))
    assert "line 4: participant 'Atlantis'" in err
    assert "line 8: carats must be a non-negative number" in err


def test_a_production_table_read_as_trade_lacks_the_trade_columns(tmp_path):
    err = refused(table(tmp_path, sample_rows()[:1]), "--table", "trade")
    assert "table.csv, line 1: missing column(s) certificates, flow" in err

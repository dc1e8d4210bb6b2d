"""factory_boy factories for unit cases: records with their references and sources."""

import datetime
import itertools
import string

import factory

from api import models as m


def unused_code() -> str:
    """A two-letter participant code that no record uses yet."""
    taken = set(m.Participant.objects.values_list("code", flat=True))
    for letters in itertools.product(string.ascii_uppercase, repeat=2):
        if "".join(letters) not in taken:
            return "".join(letters)
    raise RuntimeError("all 676 two-letter codes are taken")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    slug = factory.Sequence(lambda n: f"factory-source-{n}")
    url = factory.Sequence(lambda n: f"https://example.org/news/{n}")
    kind = m.SourceKind.NEWS
    title = factory.Sequence(lambda n: f"Report number {n}")
    publisher = "Example News"
    published_on = datetime.date(2022, 7, 1)
    published_on_precision = m.DatePrecision.MONTH


class Sourced(factory.django.DjangoModelFactory):
    """Every record cites two sources, so that list endpoints have many-valued links to load."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    confidence = m.Confidence.SINGLE_SOURCE

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted or SourceFactory.create_batch(2))


class ParticipantFactory(Sourced):
    class Meta:
        model = m.Participant

    code = factory.LazyFunction(unused_code)
    iso3 = None
    name = factory.LazyAttribute(lambda o: f"Participant {o.code}")
    kind = m.ParticipantKind.STATE
    region = m.Region.AFRICA
    joined_on = datetime.date(2010, 1, 1)
    joined_on_precision = m.DatePrecision.YEAR

    @factory.post_generation
    def status_history(self, create, extracted, **kwargs):
        if create:
            period = m.StatusPeriod.objects.create(
                participant=self, status="suspended", start=datetime.date(2011, 1, 1),
                start_precision="day", end=datetime.date(2012, 1, 1), end_precision="day",
            )  # fmt: skip
            period.sources.set(SourceFactory.create_batch(1))


class OrganisationFactory(Sourced):
    class Meta:
        model = m.Organisation

    slug = factory.Sequence(lambda n: f"factory-organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = m.OrganisationKind.CIVIL_SOCIETY


class PersonFactory(Sourced):
    class Meta:
        model = m.Person

    slug = factory.Sequence(lambda n: f"factory-person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def affiliations(self, create, extracted, **kwargs):
        if create:
            affiliation = m.Affiliation.objects.create(
                person=self, organisation=OrganisationFactory(), role="researcher"
            )
            affiliation.sources.set(SourceFactory.create_batch(1))


class BlocFactory(Sourced):
    class Meta:
        model = m.Bloc

    slug = factory.Sequence(lambda n: f"factory-bloc-{n}")
    name = factory.Sequence(lambda n: f"Bloc {n}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create:
            self.members.set(extracted or ParticipantFactory.create_batch(2))


class ChairmanshipFactory(Sourced):
    class Meta:
        model = m.Chairmanship

    year = factory.Sequence(lambda n: 1000 + n % 800)  # clear of the real years
    chair = factory.SubFactory(ParticipantFactory)
    chair_person = factory.SubFactory(PersonFactory)
    vice_chair = factory.SubFactory(ParticipantFactory)


class MeetingFactory(Sourced):
    class Meta:
        model = m.Meeting

    slug = factory.Sequence(lambda n: f"2030-plenary-factory-{n}")
    kind = m.MeetingKind.PLENARY
    title = factory.Sequence(lambda n: f"2030 plenary, Factory {n}")
    year = 2030
    start_date = datetime.date(2030, 11, 1)
    start_date_precision = m.DatePrecision.DAY
    city = "Factory"
    host = factory.SubFactory(ParticipantFactory)
    chair = factory.SubFactory(ParticipantFactory)


class ProposalFactory(Sourced):
    class Meta:
        model = m.Proposal

    slug = factory.Sequence(lambda n: f"factory-proposal-{n}")
    title = factory.Sequence(lambda n: f"Proposal {n}")
    meeting = factory.SubFactory(MeetingFactory)
    tabled_on = datetime.date(2030, 11, 1)
    tabled_on_precision = m.DatePrecision.MONTH
    decision_rule = m.DecisionRule.CONSENSUS
    outcome = m.ProposalOutcome.NO_CONSENSUS

    @factory.post_generation
    def positions(self, create, extracted, **kwargs):
        """`positions=[supporter, opponent]` (participants); new ones by default."""
        if create:
            supporter, opponent = extracted or ParticipantFactory.create_batch(2)
            self.tabled_by.set([supporter])
            for participant, kind in ((supporter, "support"), (opponent, "oppose")):
                position = m.Position.objects.create(
                    proposal=self, participant=participant, position=kind
                )
                position.sources.set(SourceFactory.create_batch(1))


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Statement

    text = factory.Sequence(lambda n: f"Words said, number {n}.")
    date = datetime.date(2030, 11, 2)
    date_precision = m.DatePrecision.DAY
    speaker = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    participant = factory.SubFactory(ParticipantFactory)
    meeting = factory.SubFactory(MeetingFactory)
    source = factory.SubFactory(SourceFactory)
    confidence = m.Confidence.SINGLE_SOURCE


class ProductionFactory(Sourced):
    class Meta:
        model = m.Production

    participant = factory.SubFactory(ParticipantFactory)
    year = 2030
    carats = 1000
    value_usd = 2000

    @factory.post_generation
    def reports(self, create, extracted, **kwargs):
        if create:
            m.StatisticReport.objects.create(
                production=self, reported_as="Factory", carats=1000, source=SourceFactory()
            )


class TradeFactory(Sourced):
    class Meta:
        model = m.Trade

    participant = factory.SubFactory(ParticipantFactory)
    year = 2030
    flow = m.TradeFlow.EXPORT
    carats = 1000
    value_usd = 2000

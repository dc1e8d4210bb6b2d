"""The Django admin for editors: every model searchable and filterable, with inlines."""

from django.contrib import admin

from . import models as m
from .history import COLLECTIONS

admin.site.site_header = "KP Data editors"
admin.site.site_title = "KP Data"
admin.site.index_title = "The Kimberley Process record"

GRADED = ("confidence",)
GRADED_FIELDS = ("confidence", "note", "sources")


class ImmutableIdentifierMixin:
    """Public identifiers (codes, slugs) are set once, never change and are never reused."""

    identifier = "slug"

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, self.identifier) if obj else fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None or self.model not in COLLECTIONS:
            return form
        collection, identifier = COLLECTIONS[self.model][0], self.identifier

        class NewRecordForm(form):
            def clean(self):
                data = super().clean()
                value = data.get(identifier)
                used = m.Change.objects.filter(collection=collection, record_id=str(value))
                if value is not None and used.exists():
                    self.add_error(identifier, "A deleted record had it: restore that record.")
                return data

        return NewRecordForm


class SourcedAdmin(admin.ModelAdmin):
    autocomplete_fields = ("sources",)
    list_filter = GRADED
    readonly_fields = ("created_at", "updated_at")


class StatusPeriodInline(admin.TabularInline):
    model = m.StatusPeriod
    extra = 0
    autocomplete_fields = ("sources",)
    fields = ("status", "start", "start_precision", "end", "end_precision", *GRADED_FIELDS)


class RepresentedStateInline(admin.TabularInline):
    model = m.RepresentedState
    extra = 0
    autocomplete_fields = ("sources",)
    fields = ("code", "name", *GRADED_FIELDS)


@admin.register(m.Participant)
class ParticipantAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    identifier = "code"
    list_display = ("code", "name", "kind", "region", "joined_on", "confidence")
    list_filter = ("kind", "region", *GRADED)
    search_fields = ("code", "iso3", "name")
    inlines = (StatusPeriodInline, RepresentedStateInline)


@admin.register(m.StatusPeriod)
class StatusPeriodAdmin(SourcedAdmin):
    list_display = ("participant", "status", "start", "end", "confidence")
    list_filter = ("status", *GRADED)
    search_fields = ("participant__code", "participant__name", "note")
    autocomplete_fields = ("participant", "sources")


@admin.register(m.RepresentedState)
class RepresentedStateAdmin(SourcedAdmin):
    list_display = ("code", "name", "participant")
    search_fields = ("code", "name")
    autocomplete_fields = ("participant", "sources")


class AffiliationInline(admin.TabularInline):
    model = m.Affiliation
    extra = 0
    autocomplete_fields = ("organisation", "participant", "sources")
    fields = ("organisation", "participant", "role", "start", "start_precision", "end",
              "end_precision", *GRADED_FIELDS)  # fmt: skip


@admin.register(m.Organisation)
class OrganisationAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    list_display = ("slug", "name", "acronym", "kind", "kp_observer", "country")
    list_filter = ("kind", "kp_observer", *GRADED)
    search_fields = ("slug", "name", "acronym")


@admin.register(m.Person)
class PersonAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    list_display = ("slug", "name", "confidence")
    search_fields = ("slug", "name")
    inlines = (AffiliationInline,)


@admin.register(m.Affiliation)
class AffiliationAdmin(SourcedAdmin):
    list_display = ("person", "role", "organisation", "participant", "start", "end")
    search_fields = ("person__name", "role", "organisation__name", "participant__name")
    autocomplete_fields = ("person", "organisation", "participant", "sources")


@admin.register(m.Bloc)
class BlocAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name", "description")
    autocomplete_fields = ("members", "sources")


@admin.register(m.Chairmanship)
class ChairmanshipAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    identifier = "year"
    list_display = ("year", "chair", "chair_person", "vice_chair", "confidence")
    search_fields = ("=year", "chair__name", "chair_person__name")
    autocomplete_fields = ("chair", "chair_person", "vice_chair", "sources")


@admin.register(m.Meeting)
class MeetingAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    list_display = ("slug", "kind", "start_date", "end_date", "city", "host", "communique_adopted")
    list_filter = ("kind", "year", "communique_adopted", *GRADED)
    search_fields = ("slug", "title", "city", "outcome")
    autocomplete_fields = ("host", "chair", "sources")
    date_hierarchy = "start_date"


class PositionInline(admin.TabularInline):
    model = m.Position
    extra = 3
    autocomplete_fields = ("participant", "organisation", "sources")
    fields = ("participant", "organisation", "position", *GRADED_FIELDS)


@admin.register(m.Proposal)
class ProposalAdmin(ImmutableIdentifierMixin, SourcedAdmin):
    """A proposal is edited with its positions in one form."""

    list_display = ("slug", "title", "meeting", "decision_rule", "outcome", "confidence")
    list_filter = ("outcome", "decision_rule", "topics", *GRADED)
    search_fields = ("slug", "title", "summary")
    autocomplete_fields = ("meeting", "tabled_by", "tabled_by_organisations", "topics", "sources")
    inlines = (PositionInline,)


@admin.register(m.Position)
class PositionAdmin(SourcedAdmin):
    list_display = ("proposal", "participant", "organisation", "position", "confidence")
    list_filter = ("position", *GRADED)
    search_fields = ("proposal__slug", "proposal__title", "participant__code", "participant__name",
                     "organisation__slug", "organisation__name")  # fmt: skip
    autocomplete_fields = ("proposal", "participant", "organisation", "sources")


@admin.register(m.Topic)
class TopicAdmin(ImmutableIdentifierMixin, admin.ModelAdmin):
    search_fields = ("slug",)


@admin.register(m.Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "speaker",
        "speaker_description",
        "participant",
        "date",
        "confidence",
    )
    list_filter = ("language", "topics", *GRADED)
    search_fields = ("text", "speaker__name", "speaker_description", "organisation__name")
    autocomplete_fields = (
        "speaker", "organisation", "participant", "meeting", "proposal", "topics", "source",
    )  # fmt: skip
    readonly_fields = ("created_at", "updated_at")


@admin.register(m.Source)
class SourceAdmin(ImmutableIdentifierMixin, admin.ModelAdmin):
    list_display = ("slug", "kind", "title", "publisher", "published_on")
    list_filter = ("kind", *GRADED)
    search_fields = ("slug", "url", "title", "publisher", "author")
    readonly_fields = ("created_at", "updated_at")


class ReportInline(admin.TabularInline):
    model = m.StatisticReport
    extra = 0
    autocomplete_fields = ("source",)
    fields = ("reported_as", "carats", "value_usd", "certificates", "source", "confidence", "note")


@admin.register(m.Production)
class ProductionAdmin(SourcedAdmin):
    list_display = ("year", "participant", "carats", "value_usd", "confidence")
    list_filter = ("year", *GRADED)
    search_fields = ("participant__code", "participant__name")
    autocomplete_fields = ("participant", "sources")
    inlines = (ReportInline,)


@admin.register(m.Trade)
class TradeAdmin(ProductionAdmin):
    list_display = ("year", "flow", "participant", "carats", "value_usd", "certificates")
    list_filter = ("flow", "year", *GRADED)


@admin.register(m.StatisticReport)
class StatisticReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "reported_as", "carats", "value_usd", "certificates", "confidence")
    list_filter = GRADED
    search_fields = ("reported_as", "source__url", "source__publisher", "note")
    autocomplete_fields = ("production", "trade", "source")
    readonly_fields = ("created_at", "updated_at")


@admin.register(m.EditorName)
class EditorNameAdmin(admin.ModelAdmin):
    """Editors' public names: what the history and the feed show for their changes."""

    list_display = ("name", "user")
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)


@admin.register(m.Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history, for reading: it is written by the database and never edited."""

    list_display = ("id", "at", "actor", "action", "collection", "record_id", "part")
    list_filter = ("collection", "action", "part")
    search_fields = ("=record_id", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

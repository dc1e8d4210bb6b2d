"""The feed of changes as Atom (RFC 4287), written by Django's own feed generator."""

import datetime
from urllib.parse import urlsplit

from django.utils.feedgenerator import Atom1Feed
from rest_framework.renderers import BaseRenderer


class AtomRenderer(BaseRenderer):
    """Renders `{"title", "link", "feed_url", "entries"}`: one Atom entry per change, titled by
    its one-line summary, its author the editor's public name (or how it was made)."""

    media_type = "application/atom+xml"
    format = "atom"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        entries = data["entries"]
        host = urlsplit(data["link"]).hostname or "localhost"  # ids: RFC 4151 tag URIs
        feed = Atom1Feed(
            title=data["title"],
            link=data["link"],
            feed_url=data["feed_url"],
            description="Every change to the record, one entry per change a person made.",
            language="en",
            feed_guid=data["feed_url"],
        )
        for entry in entries:
            feed.add_item(
                title=entry["summary"],
                link=entry["url"],
                description=description(entry),
                unique_id=f"tag:{host},2026:changes/{entry['change']}",
                unique_id_is_permalink=False,
                updateddate=datetime.datetime.fromisoformat(entry["at"]),
                pubdate=datetime.datetime.fromisoformat(entry["at"]),
                author_name=entry["by"] or entry["via"],
                categories=[entry["collection"], entry["action"]],
            )
        return feed.writeString(self.charset).encode(self.charset)


def description(entry: dict) -> str:
    """The entry's text: its summary, then who made the change, how, and when."""
    by = f"{entry['by']} ({entry['via']})" if entry["by"] else entry["via"]
    return f"{entry['summary']}. Change {entry['change']} by {by} at {entry['at']}."

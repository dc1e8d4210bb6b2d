"""Conditional requests: every ETag, 304 and If-Match check, and the answers kept per version.

A list's ETag is the dataset's version (its key, the code's release and the request), so that
revalidating one costs one query. A detail's ETag comes from its body, as Django makes it; its
answer is kept per version, so that even revalidating a popular record costs one query.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, quote_etag
from rest_framework import exceptions, status

from . import dataset, metrics
from .renderers import JSONRenderer

# Details' JSON answers kept per dataset version (settings.CACHES); larger ones are made anew.
RESPONSES = "responses"
REMEMBERED_BYTES = 256 * 1024


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the record's current ETag: nothing is overwritten blindly."


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it: fetch it again, then retry."


def content_etag(data) -> str:
    """The ETag a GET of this representation carries (Django's, from the JSON bytes)."""
    content = JSONRenderer().render(data)
    return quote_etag(hashlib.md5(content, usedforsecurity=False).hexdigest())


def not_modified(request, etag: str) -> HttpResponseNotModified | None:
    """A 304 when the client's copy (If-None-Match) is `etag`, else None."""
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return HttpResponseNotModified(headers={"ETag": etag})
    return None


def request_etag(request, dataset_key: str) -> str:
    """The ETag of an answer made from the data at `dataset_key`, by this code, to this request."""
    key = f"{dataset_key} {dataset.RELEASE} {canonical_uri(request)} {request.accepted_media_type}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def canonical_uri(request) -> str:
    """The request's address with its parameters sorted and encoded one way: what the answer
    depends on (its links hold the host), and not how a client happened to write it."""
    params = sorted(
        (name, value) for name, values in request.query_params.lists() for value in values
    )
    query = f"?{urlencode(params)}" if params else ""
    return request.build_absolute_uri(request.path) + query


def check_if_match(request, current: str) -> None:
    """A write must name the record's current ETag in If-Match, or be `*` alone (any version);
    a tag that merely contains a `*` ("bogus*") is a tag like any other."""
    given = request.headers.get("If-Match")
    if not given:
        raise PreconditionRequired()
    tags = parse_etags(given)
    if tags != ["*"] and current not in tags:
        raise PreconditionFailed()


class ConditionalRequests:
    """ETags from the dataset's version, a 304 before any work, and details' answers kept."""

    etag: str | None = None  # the ETag this request's answer carries, once known
    answer_key: str | None = None  # where this request's answer is kept, while it is to be kept

    def version_etag(self) -> str:
        """An ETag from the dataset's key (`dataset.key`), the code's release and the request:
        no change, no new answer. Also read by the paginator (`dataset_key`)."""
        self.dataset_key = dataset.key()
        return request_etag(self.request, self.dataset_key)

    def not_modified(self) -> HttpResponseNotModified | None:
        """A 304 when the client's copy is current; checked before any work is done."""
        self.etag = self.version_etag()
        return not_modified(self.request, self.etag)

    def remembered(self) -> HttpResponse | None:
        """The answer kept for this request in this dataset version, or None (and then
        `finalize_response` keeps the one about to be made)."""
        self.answer_key = f"answer:{self.version_etag()}"
        kept = caches[RESPONSES].get(self.answer_key)
        metrics.kept("answer", hit=kept is not None)
        if kept is None:
            return None
        content, headers = kept
        self.answer_key = None
        return HttpResponse(content, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept"])  # CSV, NDJSON and JSON at one address
        if self.answer_key and response.status_code == 200:
            content = response.render().content
            if len(content) <= REMEMBERED_BYTES:
                kept = (content, dict(response.items()))
                caches[RESPONSES].set(self.answer_key, kept, timeout=None)
        return response

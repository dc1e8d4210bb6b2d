"""Whether the reference answers what the API answers: the same bodies, or where they differ."""

import json
import urllib.error
import urllib.request


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return 0, str(error).encode()


def head(url: str, lines: int = 2) -> tuple[int, list[bytes]]:
    """The first lines of a streamed body; the connection is closed without reading the rest."""
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            return answer.status, [answer.readline() for _ in range(lines)]
    except urllib.error.HTTPError as error:
        return error.code, []
    except OSError:
        return 0, []


def differences(api, ref, path: str = "") -> list[str]:
    """Where two JSON values differ, as paths such as `results[].citation`."""
    if isinstance(api, dict) and isinstance(ref, dict):
        found = [
            f"{path}.{key}".lstrip(".") + " (only one side)" for key in api.keys() ^ ref.keys()
        ]
        if list(api) != list(ref) and not found:
            found.append(f"{path or 'body'}: key order")
        for key in api.keys() & ref.keys():
            found += differences(api[key], ref[key], f"{path}.{key}".lstrip("."))
        return found
    if isinstance(api, list) and isinstance(ref, list):
        found = [] if len(api) == len(ref) else [f"{path}: {len(api)} vs {len(ref)} items"]
        for one, other in zip(api, ref, strict=False):
            found += differences(one, other, f"{path}[]")
        return found
    return [] if api == ref else [path or "body"]


def compare(api_base: str, ref_base: str, path: str) -> str:
    """`same`, or what differs between the two servers' answers to `path`."""
    (api_status, api_body), (ref_status, ref_body) = fetch(api_base + path), fetch(ref_base + path)
    if api_status != 200 or ref_status != 200:
        return f"not compared: API {api_status}, reference {ref_status}"
    api_body = api_body.replace(api_base.encode(), b"BASE")
    ref_body = ref_body.replace(ref_base.encode(), b"BASE")
    found = sorted(set(differences(json.loads(api_body), json.loads(ref_body))))
    if not found:
        size = "same bytes" if api_body == ref_body else f"{len(api_body)} vs {len(ref_body)} bytes"
        return f"same ({size})"
    return "differs in " + ", ".join(found[:8]) + (" …" if len(found) > 8 else "")


def compare_stream(api_base: str, ref_base: str, path: str) -> str:
    """The header and first row of an export, side by side."""
    (api_status, api_lines), (ref_status, ref_lines) = head(api_base + path), head(ref_base + path)
    if api_status != 200 or ref_status != 200:
        return f"not compared: API {api_status}, reference {ref_status}"
    api_lines = [line.replace(api_base.encode(), b"BASE") for line in api_lines]
    ref_lines = [line.replace(ref_base.encode(), b"BASE") for line in ref_lines]
    if api_lines == ref_lines:
        return "same first lines"
    if [line.rstrip(b"\r\n") for line in api_lines] == [line.rstrip(b"\r\n") for line in ref_lines]:
        return "same first lines but for line endings (API \\r\\n, COPY \\n)"
    if "ndjson" in path:
        try:
            api_rows = [json.loads(line) for line in api_lines]
            ref_rows = [json.loads(line) for line in ref_lines]
        except ValueError:
            return "first lines differ"
        found = sorted({d for a, r in zip(api_rows, ref_rows, strict=False)
                        for d in differences(a, r)})  # fmt: skip
        return "first rows differ in " + ", ".join(found) if found else "same first rows"
    return "first lines differ"

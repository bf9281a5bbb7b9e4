"""Schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

One semantic rule cannot be written in an OpenAPI schema: `commune` must name a commune of
the Pas-de-Calais (the forgiving lookup accepts accents, prefixes and a typo, so no `enum` or
`pattern` can list what it accepts). The document says so and declares the 400 that answers
an unknown commune. So in *positive* cases only, a generated `commune` is replaced by a real
one (an INSEE code, a postal code or a name from data/communes.json), picked from the
generated value so that a seed still gives the same run. Negative cases are left alone: an
empty or over-long `commune` must still be refused.
"""

import json
import pathlib
import zlib

import schemathesis

_DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "communes.json"


def _known_inputs():
    communes = json.loads(_DATA.read_text(encoding="utf-8"))["communes"]
    names = [c["nom"] for c in communes]
    unique_names = [n for n in names if names.count(n) == 1]
    values = set(unique_names)
    for c in communes:
        values.add(c["code"])
        values.update(c["codes_postaux"])
    return sorted(values)


_KNOWN = _known_inputs()


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    query = case.query
    if meta is None or not meta.generation.mode.is_positive or not isinstance(query, dict):
        return case
    value = query.get("commune")
    if isinstance(value, str):
        pick = zlib.crc32(value.encode("utf-8")) % len(_KNOWN)
        query["commune"] = _KNOWN[pick]
    return case

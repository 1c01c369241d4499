"""Schemathesis hooks of the API fuzz run (scripts/test-fuzz.sh).

Before the served /openapi.json is loaded, the advertisers and dates that exist in the fuzzed
snapshot ($FUZZ_ADVERTISERS, $FUZZ_DATES, comma-separated) and the accepted model spellings are
added as parameter examples: the examples phase then requests real 200 paths, while the coverage
and fuzzing phases still generate values from the schemas. Only annotations are added; the
schemas the responses are checked against are the served ones.
"""
import os

import schemathesis


def _examples(values):
    return {f"e{index}": {"value": value} for index, value in enumerate(values)}


def _add(parameter, values):
    if parameter is not None and values:
        parameter["examples"] = _examples(values)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    advertisers = [a for a in os.environ.get("FUZZ_ADVERTISERS", "").split(",") if a]
    dates = [d for d in os.environ.get("FUZZ_DATES", "").split(",") if d]
    if not advertisers or not dates:
        raise RuntimeError("FUZZ_ADVERTISERS and FUZZ_DATES must name committed advertisers and dates")
    components = raw_schema.get("components", {}).get("parameters", {})
    _add(components.get("Advertiser"), advertisers)
    for path in raw_schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "advertiser":
                    _add(parameter, advertisers)
                elif parameter.get("name") == "model":
                    _add(parameter, ["TopCTR", "TopProduct", "top_ctr", "topproduct"])
                elif parameter.get("name") == "date":
                    _add(parameter, dates)

#!/usr/bin/env python3
"""Reads a Prometheus text exposition with the reference Python client's parser and prints what it found, as JSON.

Usage: prometheus_parse.py FILE

Prints {"families": [{"name", "type", "help"}], "samples": [{"name", "labels", "value"}]} in the order the parser
yields them. A text the parser refuses exits 1 with its reason on stderr. The tests compare this reading with their
own strict parser's, so a scrape is checked against an implementation the project did not write.
"""

import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    # newline="": a carriage return inside a label value is data, not a line end to translate.
    with open(sys.argv[1], encoding="utf-8", newline="") as file:
        text = file.read()
    families, samples = [], []
    try:
        for family in text_string_to_metric_families(text):
            families.append({"name": family.name, "type": family.type, "help": family.documentation})
            for sample in family.samples:
                value = sample.value
                samples.append({
                    "name": sample.name,
                    "labels": sample.labels,
                    # JSON has no NaN or infinities; spell them as the exposition format does.
                    "value": value if math.isfinite(value) else ("NaN" if math.isnan(value) else
                                                                 ("+Inf" if value > 0 else "-Inf")),
                })
    except ValueError as error:
        print(f"not a valid exposition: {error}", file=sys.stderr)
        return 1
    json.dump({"families": families, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())

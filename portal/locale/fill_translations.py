"""Fill the English catalogue from locale/en/translations.tsv (zh-hans source<TAB>English), then report
what is still untranslated. Run by `make messages` after makemessages."""

import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
PO = HERE / "en" / "LC_MESSAGES" / "django.po"
TSV = HERE / "en" / "translations.tsv"


def main() -> int:
    pairs = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            zh, en = line.split("\t", 1)
            pairs[zh] = en
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.msgid in pairs:
            entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.metadata["Language"] = "en"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

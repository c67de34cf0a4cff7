"""Fill each app's English catalogue from <app>/locale/en/translations.tsv (zh-hans source<TAB>English),
then report what is still untranslated. Run by `make messages` after makemessages:
``python portal/locale/fill_translations.py portal filings ...``."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def fill(app: str) -> list[str]:
    po_path = ROOT / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
    tsv = ROOT / app / "locale" / "en" / "translations.tsv"
    if not po_path.exists():
        return []
    pairs = {}
    lines = tsv.read_text(encoding="utf-8").splitlines() if tsv.exists() else []
    for line in lines:
        if line and not line.startswith("#") and "\t" in line:
            zh, en = line.split("\t", 1)
            pairs[zh] = en
    po = polib.pofile(str(po_path))
    missing = []
    for entry in po:
        if entry.msgid in pairs:
            entry.msgstr = pairs[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr or "fuzzy" in entry.flags:  # a fuzzy guess counts as missing (the tests do)
            missing.append(entry.msgid)
    po.metadata["Language"] = "en"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    return [f"{app}: {msgid}" for msgid in missing]


def main() -> int:
    missing = []
    for app in sys.argv[1:] or ["portal"]:
        missing += fill(app)
    for line in missing:
        print(f"untranslated: {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

"""The Nu Html Checker (vnu.jar) in the tests (issue 40 item 3, valid HTML).

The jar comes from the npm package ``vnu-jar`` (``make vnu``: installed into the git-ignored
``.cache/vnu/``, never committed) or from the path in the environment variable ``VNU_JAR``; it runs on
the system's Java (``java`` on the PATH, 11 or later). One Java process checks a whole directory of
saved pages (the JVM's start costs more than the pages):

    jar = vnu_jar()            # None when the jar or Java is missing (the test skips, saying which)
    findings = check_dir(jar, directory)  # [HtmlError(file, line, column, message, extract), ...]
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHED_JAR = ROOT / ".cache" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@dataclass(frozen=True)
class HtmlError:
    file: str  # the saved page's file name
    line: int
    column: int
    message: str
    extract: str

    def __str__(self):
        return f"line {self.line}:{self.column}: {self.message} [{self.extract.strip()}]"


def java() -> str | None:
    return shutil.which("java")


def vnu_jar() -> Path | None:
    """The checker's jar: $VNU_JAR, else the one ``make vnu`` installs; None when it is not there."""
    jar = Path(os.environ["VNU_JAR"]) if os.environ.get("VNU_JAR") else CACHED_JAR
    return jar if jar.is_file() else None


def missing() -> str | None:
    """Why the checker cannot run here (a skip reason), or None when it can."""
    if not java():
        return "no java on the PATH (Debian: apt-get install default-jre-headless) for the Nu Html Checker"
    if not vnu_jar():
        return f"no vnu.jar at {os.environ.get('VNU_JAR') or CACHED_JAR} (run `make vnu`, or set VNU_JAR)"
    return None


def check_dir(jar: Path, directory: Path, timeout: int = 300) -> list[HtmlError]:
    """The errors (warnings left out) of every ``*.html`` file in ``directory``, by one Java process."""
    run = subprocess.run(
        [java(), "-Xss4m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    # The JSON report goes to stderr (stdout with --stdout); either way it is one object.
    report = run.stderr.strip() or run.stdout.strip()
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"vnu.jar said (exit {run.returncode}): {report[:2000]}") from error
    found = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):  # an info is a warning
            continue
        found.append(
            HtmlError(
                file=Path(m.get("url", "").removeprefix("file:")).name,
                line=m.get("lastLine", 0),
                column=m.get("firstColumn", m.get("lastColumn", 0)),
                message=m.get("message", ""),
                extract=m.get("extract", ""),
            )
        )
    return found

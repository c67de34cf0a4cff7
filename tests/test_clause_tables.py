"""Each app's README lists the clauses its code cites and the files that cite them (issue 33), kept in
step with the code: a new citation without its row fails here until `python tests/clauses.py --write`."""

import pytest

from tests import clauses


def test_citations_are_read_as_users_cite_them():
    text = "（seed 001 第十条(四)）和 seed 004 附件5 六; seed 002 综合评审工作流程 五(一). seed 000 二 (x"
    assert list(clauses.citations(text)) == [
        "seed 001 第十条(四)",
        "seed 004 附件5 六",
        "seed 002 综合评审工作流程 五(一)",
        "seed 000 二",
    ]


@pytest.mark.parametrize("app", clauses.apps())
def test_the_readme_lists_every_clause_the_code_cites(app):
    readme = (clauses.ROOT / app / "README.md").read_text(encoding="utf-8")
    assert clauses.table(app) in readme, f"{app}/README.md: run `python tests/clauses.py --write`"

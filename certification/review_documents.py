"""The comprehensive review's paperwork as PDFs, through the portal's one PDF helper (issue 38 item 4):
《天津市技师、高级技师综合评审工作流程》五(二) 高级技师论文答辩评分表, 五(三) 综合评审评分表, 五(四) the
技师/高级技师评审人员列表 with 通过/不通过, and 五(五) the 综合评审申报表 stamped 评审通过 for those who passed."""

from __future__ import annotations

from portal.notices import cite
from portal.pdf import render_pdf

from .constants import PERFORMANCE_PASS_MARK, REVIEW_LEVELS, THESIS_LEVEL
from .models import AssessmentPlan, ComprehensiveReview

# The kinds of one review's papers: (template, whether only a 高级技师's review has it).
REVIEW_PAPERS = {
    "application": ("certification/pdf/review_application.html", False),  # 五(五) 综合评审申报表
    "defence": ("certification/pdf/review_defence.html", True),  # 五(二) 高级技师论文答辩评分表
    "scores": ("certification/pdf/review_scores.html", False),  # 五(三) 综合评审评分表
}


def paper_applies(review: ComprehensiveReview, kind: str) -> bool:
    template, senior_only = REVIEW_PAPERS.get(kind, ("", False))
    return bool(template) and (not senior_only or review.candidate.level == THESIS_LEVEL)


def review_pdf(review: ComprehensiveReview, kind: str) -> tuple[bytes, str]:
    """(pdf bytes, html) of one review's paper of ``kind`` (see REVIEW_PAPERS)."""
    template, _senior_only = REVIEW_PAPERS[kind]
    candidate = review.candidate
    return render_pdf(
        template,
        {
            "review": review,
            "candidate": candidate,
            "plan": candidate.plan,
            "panelists": list(review.panelists.select_related("expert").order_by("pk")),
            "pass_mark": PERFORMANCE_PASS_MARK,
            "ref": cite("seed 002 综合评审工作流程 五"),
        },
    )


def review_list_pdf(plan: AssessmentPlan) -> tuple[bytes, str]:
    """(pdf bytes, html) of the plan's 技师/高级技师评审人员列表 (五(四)): each reviewed candidate's latest
    review, its panel and 通过/不通过."""
    reviews = (
        ComprehensiveReview.objects.filter(candidate__plan=plan, candidate__level__in=REVIEW_LEVELS)
        .select_related("candidate")
        .prefetch_related("panelists__expert")
        .order_by("candidate__level", "candidate__name", "candidate_id", "attempt")
    )
    latest = {}
    for review in reviews:
        latest[review.candidate_id] = review  # ordered by attempt: the last one stays
    return render_pdf(
        "certification/pdf/review_list.html",
        {"plan": plan, "reviews": list(latest.values()), "ref": cite("seed 002 综合评审工作流程 五(四)")},
    )

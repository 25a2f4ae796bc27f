"""Inter-coder agreement: pure-Python coefficients, span-based units and reports.

No Qt and no database here (an import-linter contract enforces it); numpy is the only
runtime dependency. See docs/agreement.md for definitions and examples.
"""

from annotator.agreement.bootstrap import bootstrap_alpha
from annotator.agreement.coefficients import (
    bennett_s,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.agreement.fields import (
    FieldAgreement,
    field_agreement,
    jaccard,
    masi,
    match_by_overlap,
    set_alpha,
)
from annotator.agreement.gamma import (
    GammaAlignment,
    GammaCancelledError,
    GammaResult,
    GammaUnit,
    best_alignment,
    gamma_agreement,
)
from annotator.agreement.render import (
    methods_paragraph,
    report_to_csv,
    report_to_html,
    report_to_json,
)
from annotator.agreement.report import (
    AgreementCancelledError,
    AgreementReport,
    ReportRow,
    ReportSettings,
    build_report,
)
from annotator.agreement.results import AgreementValue, BootstrapCI, UndefinedAgreementError
from annotator.agreement.segments import (
    Disagreement,
    SegmentTable,
    find_disagreements,
    match_segments,
)
from annotator.agreement.spans import (
    CodedSpan,
    UnitTable,
    character_units,
    text_units,
    unit_matrices,
)
from annotator.agreement.unitizing import (
    UnitizingResult,
    binary_u_alpha,
    cu_alpha,
    spans_to_units,
    u_alpha,
    unitizing_alpha,
)
from annotator.agreement.weighted import (
    distance_matrix,
    free_marginal_kappa,
    weighted_kappa,
)

__all__ = [
    "AgreementCancelledError",
    "AgreementReport",
    "AgreementValue",
    "BootstrapCI",
    "CodedSpan",
    "Disagreement",
    "FieldAgreement",
    "GammaAlignment",
    "GammaCancelledError",
    "GammaResult",
    "GammaUnit",
    "ReportRow",
    "ReportSettings",
    "SegmentTable",
    "UndefinedAgreementError",
    "UnitTable",
    "UnitizingResult",
    "bennett_s",
    "best_alignment",
    "binary_u_alpha",
    "bootstrap_alpha",
    "build_report",
    "character_units",
    "cohen_kappa",
    "cu_alpha",
    "distance_matrix",
    "field_agreement",
    "find_disagreements",
    "fleiss_kappa",
    "free_marginal_kappa",
    "gamma_agreement",
    "gwet_ac1",
    "jaccard",
    "krippendorff_alpha",
    "masi",
    "match_by_overlap",
    "match_segments",
    "methods_paragraph",
    "percent_agreement",
    "report_to_csv",
    "report_to_html",
    "report_to_json",
    "scott_pi",
    "set_alpha",
    "spans_to_units",
    "text_units",
    "u_alpha",
    "unit_matrices",
    "unitizing_alpha",
    "weighted_kappa",
]

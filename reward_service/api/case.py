"""`POST /v1/case`: the case facts (SCORING.md section 4) the scorers use for a question."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Depends

from reward_service.auth import check_api_key
from schemas.case import CaseFact, CaseRequest, CaseResponse

router = APIRouter(prefix="/v1", tags=["case"], dependencies=[Depends(check_api_key)])


def extract_case(request: CaseRequest) -> CaseResponse:
    from reward_service.nlp import get_clinical_nlp  # loads the NLP layer on first use

    nlp = get_clinical_nlp()
    case = nlp.case_facts(request.question, request.options)
    return CaseResponse(
        facts=[CaseFact(**fact.to_wire()) for fact in case.facts],
        describes_patient=case.describes_patient,
        lexicon_version=nlp.lexicon.version,
    )


@router.post(
    "/case",
    response_model=CaseResponse,
    summary="Case facts of a question (demographics, findings with assertion, measurements, medications)",
)
async def case(request: CaseRequest) -> CaseResponse:
    return await anyio.to_thread.run_sync(extract_case, request)

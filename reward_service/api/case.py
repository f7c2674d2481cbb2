"""`POST /v1/case`: the case facts (docs/scoring.md section 4) the scorers use for a question."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from reward_service.api.auth import check_api_key
from reward_service.api.body import ERROR_RESPONSES, openapi_body, parse_body
from reward_service.api.guard import Ticket, guarded
from schemas.case import CaseFact, CaseRequest, CaseResponse

router = APIRouter(prefix="/v1", tags=["case"], dependencies=[Depends(check_api_key)])


def extract_case(request: CaseRequest) -> CaseResponse:
    from reward_service.nlp import get_clinical_nlp  # loads the NLP layer on first use
    from reward_service.nlp.bounded_text import case_text

    nlp = get_clinical_nlp()
    case = nlp.case_facts(request.question, request.options)
    read = len(case_text(request.question))
    return CaseResponse(
        facts=[CaseFact(**fact.to_wire()) for fact in case.facts],
        describes_patient=case.describes_patient,
        lexicon_version=nlp.lexicon.version,
        question_chars_read=read,
        question_truncated=read < len(request.question),
    )


@router.post(
    "/case",
    response_model=CaseResponse,
    responses=ERROR_RESPONSES,
    openapi_extra=openapi_body(CaseRequest),
    summary="Case facts of a question (demographics, findings with assertion, measurements, medications)",
)
async def case(request: Request) -> Response:
    def work(body: bytes, ticket: Ticket) -> bytes:
        parsed = parse_body(CaseRequest, body)
        ticket.admit(1)
        return extract_case(parsed).model_dump_json().encode()

    return Response(await guarded(request, work), media_type="application/json")

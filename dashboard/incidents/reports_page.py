"""`/laporan`: the governor's morning reports, newest first, each with its message and its PDF
(`/laporan/<date>.pdf`), as the incident desk made them at 07.00 WIB. Analysts, executives and admins."""

from __future__ import annotations

import re

from dash import html
from fastapi import Response

from core.incidents.report import stored_reports
from core.redis import connect
from core.streams import incident_report_pdf
from dashboard.context import PageContext
from dashboard.incidents.words import REPORTS_PAGE
from dashboard.text.i18n import language_from_query

PATH = "/laporan"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def route(pathname: str, search: str, meta: dict | None, pc: PageContext):
    lang = language_from_query(search, pc.language)
    words = REPORTS_PAGE.in_language(lang)
    reports = stored_reports(pc.redis)
    items = [html.Article([html.H2(r["day"]), html.Pre(r["text"], className="lap-text"),
                           html.A(words["pdf"], href=f"{PATH}/{r['day']}.pdf", className="btn btn-sm btn-primary")],
                          className="lap-report", **{"data-day": r["day"]}) for r in reports]
    return (html.Div([html.H1(words["title"]), *(items or [html.P(words["none"])])], id="lap-page", lang=lang),
            {"wall": None, "page": "laporan", "lang": lang})


def register(app, pc: PageContext) -> None:
    binary = connect(pc.redis_url)  # the PDF is bytes; the pages' client decodes text

    @app.server.get(PATH + "/{day}.pdf", include_in_schema=False)
    def report_pdf(day: str):
        document = binary.get(incident_report_pdf(day)) if DAY.match(day) else None
        if document is None:
            return Response("Laporan tidak ditemukan", status_code=404, media_type="text/plain; charset=utf-8")
        return Response(document, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="laporan-pagi-{day}.pdf"'})

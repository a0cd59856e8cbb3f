"""`/admin/audit`: the newest entries of the audit trail for admins, filtered by who and by action.

    /admin/audit?who=budi&action=login_failed&lang=en

A plain HTML table (every value escaped), newest first. It reads at most SCAN_ENTRIES of the
newest entries, so a filter that matches nothing answers quickly however long the trail is. Only
admins reach it (PAGE_RULES "/admin/"); element ids start with "admin-".
"""

from __future__ import annotations

from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from core.audit import ACTIONS
from core.streams import AUDIT, as_text, from_iso
from dashboard.auth.plain_html import page
from dashboard.text import formatting
from dashboard.text.i18n import language_from_query, text

SHOWN = 200          # rows on the page
SCAN_ENTRIES = 5000  # newest entries searched for the filter
COLUMNS = ("at", "who", "action", "target", "outcome", "detail", "ip")



def when(iso: str, lang: str) -> str:
    """`28 Nov 2026 14.02.05 WIB`: audits need the seconds."""
    try:
        t = formatting.to_wib(from_iso(iso))
    except ValueError:
        return iso
    return f"{formatting.day(t.date(), lang)} {formatting.wib_time(t, lang, seconds=True)}"


async def newest_entries(client, who: str = "", action: str = "", limit: int = SHOWN) -> list[dict[str, str]]:
    """The newest audit entries matching `who` (exact username) and `action`, newest first."""
    raw = await client.xrevrange(AUDIT, count=SCAN_ENTRIES)
    out = []
    for _, fields in raw:
        entry = {as_text(k): as_text(v) for k, v in fields.items()}
        if (who and entry.get("who") != who) or (action and entry.get("action") != action):
            continue
        out.append(entry)
        if len(out) >= limit:
            break
    return out


def _table(entries: list[dict[str, str]], lang: str) -> str:
    head = "".join(f"<th>{escape(text('admin_' + c, lang))}</th>" for c in COLUMNS)
    rows = []
    for e in entries:
        cells = [when(e.get("at", ""), lang)] + [e.get(c, "") for c in COLUMNS[1:]]
        css = ' class="table-warning"' if e.get("outcome") == "refused" else ""
        rows.append(f"<tr{css}>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    if not rows:
        return f'<p id="admin-audit-empty">{escape(text("admin_none", lang))}</p>'
    return (f'<table class="table table-sm table-striped" id="admin-audit"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def mount(server: FastAPI, auth) -> None:
    """Add /admin/audit to the dashboard's FastAPI server (the gate lets admins only through)."""

    @server.get("/admin/audit", include_in_schema=False)
    async def audit_page(request: Request):
        lang = language_from_query(request.url.query, auth.config.site.language)
        who = request.query_params.get("who", "").strip()[:64]
        action = request.query_params.get("action", "")
        action = action if action in ACTIONS else ""
        entries = await newest_entries(auth.client(), who, action)
        t = lambda key, **kw: escape(text(key, lang, **kw))  # noqa: E731
        options = "".join(f'<option value="{a}"{" selected" if a == action else ""}>{a}</option>' for a in ACTIONS)
        body = f"""
<main class="auth-wide">
  <h1 class="auth-heading">{t("admin_audit_title")}</h1>
  <form method="get" action="/admin/audit" id="admin-filter" class="row g-2 mb-3">
    {'<input type="hidden" name="lang" value="en">' if lang == "en" else ""}
    <div class="col-auto"><input class="form-control" name="who" id="admin-who" value="{escape(who)}"
         placeholder="{t("admin_who")}"></div>
    <div class="col-auto"><select class="form-select" name="action" id="admin-action">
         <option value="">{t("admin_action")}: {t("admin_all")}</option>{options}</select></div>
    <div class="col-auto">
      <button class="btn btn-primary" type="submit" id="admin-submit">{t("admin_filter")}</button></div>
  </form>
  <p id="admin-count">{t("admin_shown", n=len(entries))}</p>
  {_table(entries, lang)}
</main>"""
        return HTMLResponse(page(text("admin_audit_title", lang), body, lang, auth.config.site.name, "admin-page"),
                            headers={"Cache-Control": "no-store"})

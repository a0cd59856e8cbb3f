"""The application pages' exports in the audit trail: who took which view away, as CSV or Excel.

The CSV export happens in the browser (dash-ag-grid) and the Excel one in the page's own callback;
this callback, beside both buttons, records each export with the view's URL (application, kab/kota,
unit, dates), so an admin reads at /admin/audit who exported what.
"""

from __future__ import annotations

from dash import Input, State, ctx


def register(app, auth) -> None:
    @app.callback(Input("app-csv", "n_clicks"), Input("app-xlsx", "n_clicks"),
                  State("app-loc", "pathname"), State("app-loc", "search"), prevent_initial_call=True)
    async def audit_export(csv_clicks, xlsx_clicks, pathname, search):
        if not (csv_clicks or xlsx_clicks):
            return
        kind = "csv" if ctx.triggered_id == "app-csv" else "xlsx"
        await auth.audit("export", target=f"{pathname or ''}{search or ''}", detail=kind)

"""Signing in and out: `/login` (a plain HTML form, Bahasa Indonesia, `?lang=en`) and `/logout`.

    GET  /login?next=/wall/command-center   the form, with a single-use CSRF token
    POST /login                             username, password, csrf, next -> session cookie, back to `next`
    GET  /logout                            asks "sign out?" (a link must not sign anyone out)
    POST /logout                            csrf -> the session ends, the cookie is dropped

A plain form rather than a Dash page: it works before any script loads, sets its cookie in the
answer itself, and every text on it is escaped. Wrong passwords, replayed forms and too many
attempts are answered here and audited (dashboard/auth/login_limits.py, dashboard/auth/csrf.py).
"""

from __future__ import annotations

import asyncio
from html import escape
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.users import verify_password, waste_a_check
from dashboard.auth.access import current_user
from dashboard.auth.csrf import (
    FORM_FIELD,
    HEADER,
    LOGIN_COOKIE,
    issue_login_token,
    new_browser_id,
    session_token_ok,
    take_login_token,
)
from dashboard.auth.plain_html import page
from dashboard.auth.sessions import COOKIE, current_session, password_fingerprint
from dashboard.text.i18n import language_from_query, text

NO_STORE = {"Cache-Control": "no-store"}


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path on this site only (never `//elsewhere`, never /login)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value \
            or any(ord(c) < 32 for c in value) or value.split("?")[0] in ("/login", "/logout"):
        return "/"
    return value


FORM_MAX_BYTES = 16 * 1024  # a sign-in or sign-out form is a few hundred bytes


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form body as {field: first value}; a body past FORM_MAX_BYTES is cut off unread."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > FORM_MAX_BYTES:
            return {}
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items()}


def _lang_query(lang: str) -> str:
    return "?lang=en" if lang == "en" else ""


def _login_page(auth, lang: str, token: str, next_path: str, message: str = "", username: str = "",
                notice: str = "") -> str:
    t = lambda key, **kw: escape(text(key, lang, **kw))  # noqa: E731
    alert = f'<div class="alert alert-danger" id="login-error" role="alert">{escape(message)}</div>' if message else ""
    info = f'<div class="alert alert-info" id="login-notice">{escape(notice)}</div>' if notice else ""
    body = f"""
<main class="auth-box">
  <div class="auth-kicker">{t("province")}</div>
  <h1 class="auth-heading">{t("auth_heading")}</h1>
  {info}{alert}
  <form method="post" action="/login{_lang_query(lang)}" id="login-form" autocomplete="on">
    <input type="hidden" name="{FORM_FIELD}" value="{escape(token)}">
    <input type="hidden" name="next" value="{escape(next_path)}">
    <label class="form-label" for="login-username">{t("auth_username")}</label>
    <input class="form-control mb-3" id="login-username" name="username" value="{escape(username)}"
           autocomplete="username" autocapitalize="none" required autofocus>
    <label class="form-label" for="login-password">{t("auth_password")}</label>
    <input class="form-control mb-4" id="login-password" name="password" type="password"
           autocomplete="current-password" required>
    <button class="btn btn-primary w-100" id="login-submit" type="submit">{t("auth_submit")}</button>
  </form>
  <p class="auth-public"><a href="/publik{_lang_query(lang)}" id="login-public">{t("auth_public_link")}</a></p>
</main>"""
    return page(text("auth_title", lang), body, lang, auth.config.site.name, "login-page")


def mount(server: FastAPI, auth) -> None:
    """Add /login and /logout to the dashboard's FastAPI server."""

    def lang_of(request: Request) -> str:
        return language_from_query(request.url.query, auth.config.site.language)

    async def fresh_form(request: Request, status: int, lang: str, next_path: str, message: str = "",
                         username: str = "", notice: str = "", headers: dict | None = None) -> Response:
        """The form with a new single-use token, bound to this browser's cc_login cookie."""
        browser = request.cookies.get(LOGIN_COOKIE) or new_browser_id()
        token = issue_login_token(auth.form_key, browser)
        response = HTMLResponse(_login_page(auth, lang, token, next_path, message, username, notice),
                                status_code=status, headers={**NO_STORE, **(headers or {})})
        response.set_cookie(LOGIN_COOKIE, browser, max_age=3600, path="/login", httponly=True, samesite="strict",
                            secure=auth.cookie_secure(request.scope))
        return response

    @server.get("/login", include_in_schema=False)
    async def login_form(request: Request):
        lang = lang_of(request)
        next_path = safe_next(request.query_params.get("next"))
        if current_user().signed_in:
            return RedirectResponse(next_path, status_code=303, headers=NO_STORE)
        notice = {"ended": text("auth_session_ended", lang), "out": text("auth_logged_out", lang)}.get(
            request.query_params.get("msg", ""), "")
        return await fresh_form(request, 200, lang, next_path, notice=notice)

    @server.post("/login", include_in_schema=False)
    async def login_submit(request: Request):
        lang = lang_of(request)
        form = await form_fields(request)
        username = form.get("username", "").strip().lower()[:64]
        password = form.get("password", "")
        next_path = safe_next(form.get("next"))
        ip = request.client.host if request.client else ""
        client = auth.client()
        wait = await auth.limiter.retry_after(client, ip, username)
        if wait:
            await auth.audit("rate_limited", target="login", outcome="refused", who=username, ip=ip,
                             detail=f"retry after {wait} s")
            return await fresh_form(request, 429, lang, next_path, text("auth_limited", lang, minutes=-(-wait // 60)),
                                    username, headers={"Retry-After": str(wait)})
        if not await take_login_token(client, auth.form_key, form.get(FORM_FIELD), request.cookies.get(LOGIN_COOKIE)):
            await auth.audit("csrf_refused", target="login", outcome="refused", who=username, ip=ip,
                             detail="missing, foreign or used sign-in form token")
            return await fresh_form(request, 403, lang, next_path, text("auth_form_stale", lang), username)
        account = auth.users.get(username)
        # The check takes ~0.4 s of one core: off the event loop, so walls keep their pushes meanwhile.
        if account is None:
            await asyncio.to_thread(waste_a_check, password)
            ok = False
        else:
            ok = await asyncio.to_thread(verify_password, password, account.password)
        if not ok:
            await auth.limiter.failed(client, ip, username)
            await auth.audit("login_failed", target="login", outcome="refused", who=username, ip=ip,
                             detail="unknown user" if account is None else "wrong password")
            return await fresh_form(request, 401, lang, next_path, text("auth_failed", lang), username)
        await auth.limiter.succeeded(client, ip, username)
        old = current_session()
        if old is not None:  # a new id at every sign-in: a planted cookie never becomes a session
            await auth.drop_session(old.id)
        session = await auth.sessions.create(username, auth.session_hours(username), ip,
                                             password_fingerprint(account.password))
        auth.remember(session)
        await auth.audit("login", target=next_path, who=username, ip=ip, detail=f"{account.role}")
        response = RedirectResponse(next_path, status_code=303, headers=NO_STORE)
        response.set_cookie(COOKIE, session.id, max_age=session.max_age, path="/", httponly=True, samesite="lax",
                            secure=auth.cookie_secure(request.scope))
        response.delete_cookie(LOGIN_COOKIE, path="/login")
        return response

    @server.get("/logout", include_in_schema=False)
    async def logout_question(request: Request):
        lang = lang_of(request)
        session = current_session()
        if session is None:
            return RedirectResponse("/login" + _lang_query(lang), status_code=303, headers=NO_STORE)
        user = current_user()
        t = lambda key, **kw: escape(text(key, lang, **kw))  # noqa: E731
        body = f"""
<main class="auth-box">
  <p id="logout-who">{t("auth_signed_in_as", name=user.display or user.name,
                        role=text(f"auth_role_{user.role}", lang))}</p>
  <h1 class="auth-heading">{t("auth_logout_question")}</h1>
  <form method="post" action="/logout{_lang_query(lang)}" id="logout-form">
    <input type="hidden" name="{FORM_FIELD}" value="{escape(session.csrf)}">
    <button class="btn btn-primary w-100" id="logout-submit" type="submit">{t("auth_logout")}</button>
  </form>
  <p class="auth-public"><a href="/">{t("auth_home")}</a></p>
</main>"""
        return HTMLResponse(page(text("auth_logout", lang), body, lang, auth.config.site.name, "logout-page"),
                            headers=NO_STORE)

    @server.post("/logout", include_in_schema=False)
    async def logout(request: Request):
        lang = lang_of(request)
        session = current_session()
        ip = request.client.host if request.client else ""
        form = await form_fields(request)
        presented = form.get(FORM_FIELD) or request.headers.get(HEADER)
        if session is None or not session_token_ok(session, presented):
            await auth.audit("csrf_refused", target="logout", outcome="refused", ip=ip,
                             detail="no session" if session is None else "wrong or missing form token")
            return HTMLResponse(page(text("auth_form_stale", lang), f'<main class="auth-box"><p id="logout-refused">'
                                     f'{escape(text("auth_form_stale", lang))}</p></main>', lang,
                                     auth.config.site.name, "logout-page"), status_code=403, headers=NO_STORE)
        await auth.drop_session(session.id)
        await auth.drop_all_sessions(session.user)  # every browser and wall PC of this account
        await auth.audit("logout", ip=ip)
        response = RedirectResponse(f"/login?msg=out{'&lang=en' if lang == 'en' else ''}", status_code=303,
                                    headers=NO_STORE)
        response.delete_cookie(COOKIE, path="/")
        return response


def logout_link(lang: str) -> str:
    """Where a page's "sign out" link goes (it asks first; the form there carries the CSRF token)."""
    return "/logout" + _lang_query(lang)


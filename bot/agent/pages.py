"""The agent area's HTML: the login form and the page shell that web/agent/agent.js fills.

Server-rendered with html.escape for every value; no inline script or style (the pages are
served with a Content-Security-Policy that forbids both).
"""

from __future__ import annotations

from html import escape

HEAD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>{title} · TEA agent assistant</title>
<link rel="stylesheet" href="/agent/static/agent.css">
{script}</head>
"""


def login_page(error: str | None = None, user: str = "") -> str:
    message = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return (
        HEAD.format(title="Sign in", script="")
        + f"""<body class="login">
<main class="login-box">
<h1>TEA agent assistant</h1>
<p class="muted">Internal tool for the support team.</p>
{message}
<form method="post" action="/agent/login">
<label for="user">User</label>
<input id="user" name="user" autocomplete="username" required value="{escape(user, quote=True)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"""
    )


def message_page(title: str, text: str) -> str:
    return (
        HEAD.format(title=escape(title), script="")
        + f'<body class="login"><main class="login-box"><h1>{escape(title)}</h1>'
        + f"<p>{escape(text)}</p></main></body></html>\n"
    )


def app_page(user: str) -> str:
    script = '<script src="/agent/static/agent.js" defer></script>\n'
    return (
        HEAD.format(title="Agent", script=script)
        + f"""<body data-user="{escape(user, quote=True)}">
<header class="top">
<span class="brand">TEA agent assistant</span>
<nav aria-label="Views">
<a href="#suggest" data-view="suggest">Suggest</a>
<a href="#handoffs" data-view="handoffs">Handoffs</a>
<a href="#analytics" data-view="analytics">Analytics</a>
</nav>
<span id="live" class="live" role="status" title="Live updates of handoffs and messages">Connecting…</span>
<span class="who">Signed in as <strong>{escape(user)}</strong></span>
<form method="post" action="/agent/logout"><button type="submit" class="link">Sign out</button></form>
</header>
<main>
<section id="view-suggest" class="view" aria-labelledby="suggest-title">
<h1 id="suggest-title">Suggest an answer</h1>
<form id="suggest-form">
<label for="q">The customer's message</label>
<textarea id="q" name="q" rows="3" maxlength="2000" required
 placeholder="e.g. защо кутията ми е пълна / what are the cons of POP3"></textarea>
<button type="submit">Suggest</button>
</form>
<p id="suggest-status" class="status" role="status"></p>
<div id="suggest-result"></div>
</section>

<section id="view-handoffs" class="view" aria-labelledby="handoffs-title" hidden>
<h1 id="handoffs-title">Handed-over conversations</h1>
<p class="toolbar"><button type="button" id="handoffs-refresh">Refresh</button>
<label><input type="checkbox" id="handoffs-open-only"> Open only</label>
<label for="handoffs-case">Case</label>
<input id="handoffs-case" type="search" maxlength="20" placeholder="TEA-482193" autocomplete="off"></p>
<p id="handoffs-status" class="status" role="status"></p>
<table id="handoffs-table" class="data">
<thead><tr><th>Handed over</th><th>Conversation</th><th>Channel</th><th>Language</th><th>Reason</th>
<th>Status</th><th>Case</th></tr></thead>
<tbody></tbody>
</table>
<h2 id="callbacks-title">Callback requests</h2>
<p id="callbacks-status" class="status" role="status"></p>
<table id="callbacks-table" class="data" aria-labelledby="callbacks-title">
<thead><tr><th>Requested</th><th>Case</th><th>Contact</th><th>Language</th><th>Conversation</th></tr></thead>
<tbody></tbody>
</table>
<p><button type="button" id="handoffs-more" hidden>Show more</button></p>
</section>

<section id="view-conversation" class="view" aria-labelledby="conversation-title" hidden>
<p><a href="#handoffs">← Handoffs</a></p>
<h1 id="conversation-title">Conversation</h1>
<dl id="conversation-meta" class="meta"></dl>
<p class="toolbar"><button type="button" id="resolve-button">Mark resolved</button></p>
<p id="conversation-status" class="status" role="status"></p>
<section id="takeover" class="card takeover" aria-labelledby="takeover-title">
<h2 id="takeover-title">Talk to the customer</h2>
<p id="takeover-state" class="status" role="status"></p>
<p class="toolbar"><button type="button" id="claim-button">Claim</button>
<button type="button" id="release-button">Release to the assistant</button></p>
<form id="reply-form">
<label for="reply-text">Your reply (sent to the customer's chat under your name)</label>
<textarea id="reply-text" rows="3" maxlength="2000"></textarea>
<button type="submit" id="reply-send">Send</button>
</form>
</section>
<ol id="transcript" class="transcript"></ol>
</section>

<section id="view-analytics" class="view" aria-labelledby="analytics-title" hidden>
<h1 id="analytics-title">Analytics</h1>
<p class="toolbar"><label for="analytics-days">Period</label>
<select id="analytics-days"><option value="">All time</option><option value="1">Last 24 hours</option>
<option value="7">Last 7 days</option><option value="30">Last 30 days</option></select>
<a id="analytics-csv" href="/agent/api/analytics.csv" download="analytics.csv">Download CSV</a></p>
<p id="analytics-status" class="status" role="status"></p>
<div id="analytics-body"></div>
</section>
</main>
</body>
</html>
"""
    )

"""The web panel: a second front end for the humas desk, under /panel on the HTTP server.

Thin routes: each reads the form, calls one service, renders a template. Everything that changes
something is a POST carrying the session's CSRF token; every page carries a strict
Content-Security-Policy and uses no asset from another host.
"""

from bot.panel.routes import panel_routes

__all__ = ["panel_routes"]

"""The service's HTTP face inside `humasbot run`: the Telegram webhook, health checks and
Prometheus metrics, on one small Starlette app served by uvicorn (see bot.http.server)."""

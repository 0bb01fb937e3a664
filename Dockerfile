FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HUMASBOT_CONFIG=/config/humasbot.yaml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config/docker.yaml /config/humasbot.yaml
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /data humasbot \
    && mkdir -p /data && chown -R humasbot /data

USER humasbot
WORKDIR /data
VOLUME ["/data"]
# The image's config listens on 8080: /healthz (liveness), /readyz, /metrics and the webhook.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
# The database lives on the volume: the config's default sqlite:///humasbot.db resolves to /data.
CMD ["humasbot", "run"]

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HUMASBOT_CONFIG=/config/humasbot.yaml

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /data humasbot \
    && mkdir -p /data /config && cp bot/data/humasbot.yaml /config/humasbot.yaml \
    && chown -R humasbot /data

USER humasbot
WORKDIR /data
VOLUME ["/data"]
# The database lives on the volume: the config's default sqlite:///humasbot.db resolves to /data.
CMD ["humasbot", "run"]

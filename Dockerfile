# Tandem in a container: `tandem serve` as a non-root user, healthy once Slack answered.
#   docker build -t tandem . && docker run --env-file .env -p 3000:3000 tandem
# compose.yaml runs it with PostgreSQL 15 and applies migrations once, before the app starts.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY devkit ./devkit
RUN pip install . \
    && useradd --create-home --uid 10001 tandem \
    && mkdir /data \
    && chown tandem:tandem /data

USER tandem
WORKDIR /data
# SQLite in the /data volume unless DATABASE_URL says otherwise (compose: PostgreSQL).
ENV PORT=3000 \
    DATABASE_URL=sqlite:////data/tandem.db
VOLUME ["/data"]
EXPOSE 3000

# /healthz answers 200 once Slack answered (auth.test; in Socket Mode, the open connection)
# and while the database answers. The slim image has no curl: Python asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

CMD ["tandem", "serve"]

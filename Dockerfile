# The search API and web UI. OpenSearch runs in its own container; see
# docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Install the dependencies first, so that a source change reuses this layer.
COPY pyproject.toml README.md ./
COPY skillbeacon ./skillbeacon
COPY indexer ./indexer
COPY search_api ./search_api
COPY ui ./ui
RUN pip install .

# A non-editable install puts the packages in site-packages, so point the
# settings at the index definitions and a writable state folder explicitly.
COPY mappings ./mappings
COPY schemas ./schemas
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin skillbeacon \
    && mkdir -p /var/lib/skillbeacon \
    && chown skillbeacon /var/lib/skillbeacon
ENV SKILLBEACON_MAPPINGS_DIR=/app/mappings \
    SKILLBEACON_STATE_DIR=/var/lib/skillbeacon \
    SKILLBEACON_LOG_FORMAT=json

USER skillbeacon
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["skillbeacon", "serve", "--host", "0.0.0.0", "--port", "8000"]

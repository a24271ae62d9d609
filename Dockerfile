# syntax=docker/dockerfile:1.7
# One image for both processes: `hrcore serve` (API) and `hrcore worker` (arq).
FROM python:3.12-slim AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
# What running needs only: neither the dev group's test and lint tools nor the embedded extra.
RUN uv sync --frozen --no-dev --no-install-project
COPY src ./src
RUN uv sync --frozen --no-dev --no-editable
# The message catalogs ship as .po files inside the package and are read at start (no .mo to
# compile); refuse to build an image whose catalogs do not load.
RUN .venv/bin/python -c "from hrcore.core import i18n; [i18n.translations(tag) for tag in i18n.SUPPORTED_LOCALES]"

FROM python:3.12-slim AS runtime
RUN groupadd --system hrcore && useradd --system --gid hrcore --home /app hrcore \
    && install -d -o hrcore -g hrcore /var/lib/hrcore/documents
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY migrations ./migrations
COPY alembic.ini ./
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    HRCORE_ENVIRONMENT=production \
    HRCORE_MIGRATIONS_DIR=/app/migrations \
    HRCORE_STORAGE_DIR=/var/lib/hrcore/documents
# Generated documents (local storage backend); mount a volume shared by API and worker, or
# set HRCORE_STORAGE_BACKEND=s3. The CJK font comes with the Python dependencies.
VOLUME ["/var/lib/hrcore/documents"]
USER hrcore
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Deploy: `hrcore migrate` once (as the schema owner), then scale these independently:
#   docker run IMAGE hrcore serve --host 0.0.0.0 --workers 4
#   docker run IMAGE hrcore worker
CMD ["hrcore", "serve", "--host", "0.0.0.0"]

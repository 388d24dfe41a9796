# The forum's production image: `docker compose build` (docker-compose.yml), or
# `docker build -t forum .`. Two stages: the first installs the dependencies
# into a virtualenv, the second copies that and the code, collects the static
# files and runs as an unprivileged user. Nothing is installed at start-up.
ARG PYTHON_VERSION=3.12

FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
WORKDIR /src
# Only what pip needs to resolve the dependencies, so a code change reuses
# this layer (pyproject.toml installs no package of its own: packages = []).
COPY pyproject.toml README.md ./
RUN /venv/bin/pip install .

FROM python:${PYTHON_VERSION}-slim AS app
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=forum.settings \
    GUNICORN_BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles
RUN groupadd --system --gid 10001 forum \
    && useradd --system --uid 10001 --gid forum --home-dir /app \
       --shell /usr/sbin/nologin forum
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
# Hashed, pre-compressed static files, served by whitenoise and cached a year.
# collectstatic needs settings but no database: a placeholder URL and key.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret \
      DATABASE_URL=postgres://collectstatic@localhost/none \
      python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/media /app/.cache \
    && chown forum:forum /app/media /app/.cache
USER forum
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/-/health', timeout=4)"]
# Workers from the CPU count (WEB_CONCURRENCY overrides), graceful timeouts and
# the JSON access log on stdout: gunicorn.conf.py.
CMD ["gunicorn", "--config", "gunicorn.conf.py"]

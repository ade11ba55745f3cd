# syntax=docker/dockerfile:1
# The ATMP explainer site: gunicorn serving Django, static files by whitenoise.

# The base image is pinned to a full Python version. Pin its digest too
# (python:3.13.5-slim-trixie@sha256:...) where a registry can be reached to read
# it; these machines reach none, so scripts/container-check builds on a stand-in.

# --- Build stage: dependencies into a virtual environment, static files collected.
FROM python:3.13.5-slim-trixie AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
COPY requirements.txt .
# pip is needed to build the environment, not to run it: out it goes.
# The site speaks Danish and English: the other ~90 languages' catalogues that
# Django and the packages ship are dead weight (about 28 MB).
RUN /opt/venv/bin/pip install --no-compile -r requirements.txt \
    && /opt/venv/bin/pip uninstall --yes --quiet pip \
    && find /opt/venv -type d -path '*/locale/*' -prune ! -name da ! -name en ! -name en_GB -exec rm -rf {} +
# GNU gettext compiles the Danish interface catalogue; it stays in this stage.
# Unpinned on purpose: Debian replaces old package versions in its archive, so a
# pin would break the build; the run stage never sees this package.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only /opt/venv/bin/python manage.py collectstatic --noinput \
    && DJANGO_SECRET_KEY=compilemessages-only /opt/venv/bin/python manage.py compilemessages -l da

# --- Run stage: no build tools, a non-root user.
FROM python:3.13.5-slim-trixie
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_MEDIA_ROOT=/app/media
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
RUN mkdir -p /app/media && chown 10001:10001 /app/media
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
# No gunicornc control socket: it would be written under $HOME (/app), which is
# read-only in production, and the container is managed by its engine instead.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--no-control-socket", "atmp_site.wsgi"]

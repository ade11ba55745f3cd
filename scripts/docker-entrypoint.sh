#!/bin/sh
# Container start: bring the database schema (and, on a fresh database, the
# seed pages) up to date, then hand the process over to the command (gunicorn).
set -eu
python manage.py migrate --noinput
python manage.py createcachetable
exec "$@"

# KP Data: gunicorn behind whitenoise, with the same settings as `make serve`.
# Pinned: a rebuild gives the same Python and Debian until this line changes.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORT=8000
WORKDIR /app

RUN useradd --create-home --uid 1000 kpdata
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to start; this throwaway one never serves a request.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R kpdata /app
USER kpdata

EXPOSE 8000
# /livez is answered before the Host is checked: it works whatever DJANGO_ALLOWED_HOSTS says.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/livez' % os.environ['PORT'], timeout=4)"
# Migrate and load the reference dataset (both idempotent, and safe when several containers
# start at once: they take turns on PostgreSQL locks), then serve.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_reference && exec gunicorn --config gunicorn.conf.py"]

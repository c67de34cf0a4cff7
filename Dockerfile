# The image behind docker-compose.yml: Debian with Python 3.11, the PDF fonts and the project.
FROM python:3.11-slim-bookworm
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-arphic-ukai fonts-noto-cjk fonts-hanazono gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir -e . && DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
ENV DEBUG=0 PYTHONUNBUFFERED=1
EXPOSE 8000
# gunicorn reads its worker count from WEB_CONCURRENCY, and so does the rate limit (portal/ratelimit.py).
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000"]

# One image for the web process and the Huey consumer. Build: docker build -t arms .
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=arms.settings.production ARMS_VAR_DIR=/var/lib/arms
WORKDIR /app
# Pango and a CJK font: WeasyPrint needs them to lay out Chinese letters and reports as PDF.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/arms arms \
    && mkdir -p /var/lib/arms && chown arms /var/lib/arms
USER arms
EXPOSE 8000
# `arms setup` migrates and collects the static files into /var/lib/arms/static, which WhiteNoise serves from
# gunicorn itself (hashed names, gzip and brotli): no proxy is needed for /static/.
CMD ["sh", "-c", "arms setup && exec gunicorn arms.wsgi:application --bind 0.0.0.0:8000 --workers ${ARMS_WEB_WORKERS:-4} --timeout 30 --access-logfile - --no-control-socket"]

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY processors processors
COPY streams streams
COPY sinks sinks
COPY seeds seeds
RUN pip install --no-cache-dir .
ENV TOLLS_DATA_DIR=/data
CMD ["tolls", "up"]

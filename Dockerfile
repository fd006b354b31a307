FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY models ./models
COPY etl ./etl
COPY indexer ./indexer
COPY search_api ./search_api
COPY matching ./matching
COPY marketplace ./marketplace
COPY opensearch ./opensearch
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["sh", "-c", "sidedecked db upgrade && sidedecked serve --host 0.0.0.0 --port 8000"]

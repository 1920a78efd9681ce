# One image for the API and the worker.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin govgraph

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
RUN useradd --system --home /srv/govgraph govgraph
WORKDIR /srv/govgraph
COPY --from=build /src/target/release/govgraph /usr/local/bin/govgraph
COPY config ./config
USER govgraph
ENV GOVGRAPH_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["govgraph"]
CMD ["up"]

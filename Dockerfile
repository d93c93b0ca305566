# syntax=docker/dockerfile:1
# Pollen: a static binary on a distroless base, running as a non-root user,
# with its data (SQLite file, if used) in the /data volume.

FROM golang:1.26-alpine AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN ldflags="-s -w"; \
    if [ -n "$VERSION" ]; then ldflags="$ldflags -X github.com/pollen-coop/pollen/federation.Version=$VERSION"; fi; \
    go build -ldflags "$ldflags" -o /out/pollen ./cmd/pollen && \
    mkdir -p /out/data

# The demo image (docker-compose.demo.yml): the same binary on distroless's
# debug variant, whose busybox wget lets the demo wait for /readyz. Build it
# with --target demo; the production image below has no shell at all.
FROM gcr.io/distroless/static-debian12:debug-nonroot AS demo
COPY --from=build /out/pollen /usr/local/bin/pollen
ENV POLLEN_LISTEN=0.0.0.0:8080 \
    POLLEN_DATA_DIR=/home/nonroot/data
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/pollen"]
CMD ["serve"]

# The production image: the default target.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pollen /usr/local/bin/pollen
COPY --from=build --chown=65532:65532 /out/data /data
ENV POLLEN_LISTEN=0.0.0.0:8080 \
    POLLEN_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/pollen"]
CMD ["serve"]

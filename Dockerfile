# Multi-stage build: a static, cgo-free binary (SQLite is pure Go) on a
# distroless base, running as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -tags nomsgpack -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/authd ./cmd/authd \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/authd /app/authd
# /app/data holds the embedded SQLite database, generated secrets and keys;
# it must belong to the non-root user (uid 65532) to be writable.
COPY --from=build --chown=65532:65532 /out/data /app/data
VOLUME ["/app/data"]
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/app/authd"]
CMD ["serve"]

# Production image: a static binary on a distroless base, run as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/minasidor ./cmd/minasidor

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/minasidor /minasidor
USER nonroot:nonroot
ENV APP_ENV=production LISTEN_ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/minasidor"]
CMD ["serve"]

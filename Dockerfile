# Push: one image for every role. The command picks the role:
#   docker run IMAGE            everything in one process (embedded store in /data)
#   docker run IMAGE silo       grains and storage (needs a Redis: db_dsn)
#   docker run IMAGE connect    the WebSocket frontend
#   docker run IMAGE endpoint   the WebPush API
#   docker run IMAGE keys       print a new crypto key and auth key
#   docker run IMAGE check      print the settings a role would start with, and what is wrong with them

# The SDK by exact version, so that a rebuild of the same commit compiles with the same compiler;
# global.json names its feature band. Raise both together.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
# Set by BuildKit for the platform being built (amd64 or arm64).
ARG TARGETARCH
WORKDIR /src
# Project files first, so that the restore layer is reused while only code changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Shared/Shared.csproj src/Shared/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/ConnectFrontend/ConnectFrontend.csproj src/ConnectFrontend/
COPY src/EndpointFrontend/EndpointFrontend.csproj src/EndpointFrontend/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/Silo/Silo.csproj -r linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64)
COPY src/ src/
# ReadyToRun: the code is compiled ahead of time for the image's platform, so a new pod starts
# (and answers its first WebSockets) without waiting for the JIT. With the runtime settings that
# src/Silo/Silo.csproj puts in the runtimeconfig (no dynamic PGO, no call-counting delay), a fresh
# container reaches 80 % of its steady push rate within 15 s (docs/benchmarks.md, "Start-up").
RUN dotnet publish src/Silo/Silo.csproj --no-restore -c Release -o /app -p:UseAppHost=false \
        -r linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64) --self-contained false -p:PublishReadyToRun=true \
    && mkdir -p /staging/data

# The runtime by minor version on purpose: each rebuild takes its latest patch (security fixes).
# Chiseled: no shell, no package manager, a non-root user. The "extra" flavour adds the time zone
# data, so that TZ (as in the autopush .env files) sets the time of readable log lines.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra
LABEL org.opencontainers.image.title="push" \
      org.opencontainers.image.description="Self-hostable WebPush push service, a drop-in successor to autopush-rs"
WORKDIR /app
COPY --from=build /app ./
# The embedded store and the generated crypto key of the all-in-one role live here.
# Owned by the image's non-root user (APP_UID, 1654), which the process runs as.
COPY --from=build --chown=1654:1654 /staging/data /data
VOLUME /data
ENV PUSH__DATA_DIR=/data \
    AUTOEND__HOST=0.0.0.0 \
    ASPNETCORE_HTTP_PORTS=
# Ports: WebSocket, connect internal (health, /metrics), push API, silo/endpoint internal
# (health, /metrics), Orleans silo-to-silo, Orleans gateway (frontends to silos).
EXPOSE 8080 8081 8000 8090 11111 30000
USER $APP_UID
# The image has no curl or shell: Push checks itself. Without a role, `healthcheck` asks
# /__lbheartbeat__ on router_port, then on health_port, so it serves whatever role the command runs.
# It takes the ports from the same settings as the process. Kubernetes ignores this and probes the
# same route itself.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --start-interval=2s --retries=3 CMD ["dotnet", "Push.Silo.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Push.Silo.dll"]
CMD ["all"]

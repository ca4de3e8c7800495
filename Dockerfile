# syntax=docker/dockerfile:1
# AnomalyApi image: docker build -t anomaly-api . && docker run -p 8080:8080 anomaly-api
# (docker/docker-compose.yml builds it for the whole stack). tests/AnomalyApi.Deployment.Tests runs the build
# stage's RUN lines as written here and starts the result as ENTRYPOINT does.

# ---- build: restore from the project files alone (a layer that survives source edits), then publish ----
# The SDK runs on the build machine's platform and publishes for the target's architecture (-a amd64/arm64),
# so the app carries ONNX Runtime's native library for that one platform (~30 MB) instead of all seven (~240 MB).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/AnomalyApi.Core/AnomalyApi.Core.csproj src/AnomalyApi.Core/
COPY src/AnomalyApi/AnomalyApi.csproj src/AnomalyApi/
RUN dotnet restore src/AnomalyApi/AnomalyApi.csproj -a $TARGETARCH
COPY src/AnomalyApi.Core/ src/AnomalyApi.Core/
COPY src/AnomalyApi/ src/AnomalyApi/
# The default model: AnomalyApi.csproj copies models/ into the publish output, so it lands in /app/models.
COPY models/ models/
RUN dotnet publish src/AnomalyApi/AnomalyApi.csproj -c Release -a $TARGETARCH --no-restore -o out

# ---- runtime: ASP.NET Core 10, non-root, the published app and its model, nothing fetched at run time ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
ENV ASPNETCORE_HTTP_PORTS=8080
# Inline I/O: requests run on the runtime's socket threads instead of being handed to the thread pool: 1.1 to 1.2
# times the /predict requests/s on 2 cores (README, Performance; src/AnomalyApi/Hosting/InlineIo.cs). Set it to 0
# to hand every request to the pool again.
ENV DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1
COPY --from=build /src/out .
# The image's built-in non-root user (uid 1654); the app only reads /app.
USER $APP_UID
EXPOSE 8080

# The aspnet image has neither curl nor wget, but it has bash (its Ubuntu base does; a chiseled image would
# not), and bash opens TCP connections through /dev/tcp. So: send GET /health/ready and pass on a 200 status
# line. The port is the first of ASPNETCORE_HTTP_PORTS, where Kestrel listens.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS%%[;,]*} && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == 'HTTP/1.1 200 '* ]]"]

ENTRYPOINT ["dotnet", "AnomalyApi.dll"]

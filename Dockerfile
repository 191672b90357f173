# SkateBot service image (see README "Running it in Docker").
#   docker build -t skatebot .
#   docker compose up -d            (docker-compose.yml: volumes, secrets from .env, health check, metrics port)
# GPU variant: docker build --build-arg VARIANT=gpu --build-arg RUNTIME_IMAGE=<an image with the ASP.NET Core 10 runtime,
#   CUDA 13 and cuDNN 9> -t skatebot:gpu .   (serving on ONNX Runtime's CUDA build, -p:OrtBackend=cuda; run with --gpus all)
# The build applies the GLIBCXX_3.4.32 fix to libLibTorchSharp.so when needed (build/TorchSharpElfFix.targets).
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG VARIANT=cpu
WORKDIR /src
# Restore first, from the project files only, so a source change does not re-download packages.
COPY SkateBot.sln Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY build/ build/
COPY src/SkateBot/SkateBot.csproj src/SkateBot/
COPY src/SkateBot.Vision/SkateBot.Vision.csproj src/SkateBot.Vision/
COPY src/SkateBot.Storage/SkateBot.Storage.csproj src/SkateBot.Storage/
COPY src/SkateBot.Discord/SkateBot.Discord.csproj src/SkateBot.Discord/
COPY src/SkateBot.Reddit/SkateBot.Reddit.csproj src/SkateBot.Reddit/
COPY src/SkateBot.KeyedOptions/SkateBot.KeyedOptions.csproj src/SkateBot.KeyedOptions/
COPY src/SkateBot.Sandbox/SkateBot.Sandbox.csproj src/SkateBot.Sandbox/
RUN if [ "$VARIANT" = gpu ]; then echo cuda; else echo cpu; fi > /tmp/ort-backend \
 && dotnet restore src/SkateBot/SkateBot.csproj -p:OrtBackend=$(cat /tmp/ort-backend)
COPY config/ config/
COPY src/ src/
RUN dotnet publish src/SkateBot/SkateBot.csproj -c Release --no-restore -p:OrtBackend=$(cat /tmp/ort-backend) -o /opt/skatebot

# The ASP.NET Core runtime: /healthz and /metrics run on Kestrel (the plain .NET runtime image lacks it).
FROM ${RUNTIME_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/* \
 && (id -u app >/dev/null 2>&1 || useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app)
# The program and its defaults (config/appsettings.json next to the binary) live in /opt/skatebot, out of the volumes;
# the working directory /app holds what an operator owns: data/ (database, models, runs) and config/ (overrides).
COPY --from=build /opt/skatebot /opt/skatebot
WORKDIR /app
COPY --chown=app:app data/sample data/sample
RUN mkdir -p data config && chown app:app data config
USER app
# Listen on every address inside the container (publish the port only where the scraper runs).
ENV SKATEBOT_Observability__Url=http://0.0.0.0:9464 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 9464
VOLUME ["/app/data", "/app/config"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=2m --retries=3 CMD ["dotnet", "/opt/skatebot/SkateBot.dll", "health", "--timeout", "8"]
# SIGTERM (docker stop) shuts serve down gracefully; give it the host's shutdown timeout (docker stop -t / stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/opt/skatebot/SkateBot.dll"]
CMD ["serve"]

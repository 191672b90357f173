# SkateBot service image. Build: docker build -t skatebot .   Run: docker run -v skatebot-data:/app/data -e SKATEBOT_Discord__Token=... skatebot
# The runtime image is Debian 12 based; the build applies the GLIBCXX_3.4.32 fix to libLibTorchSharp.so when needed.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SkateBot/SkateBot.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
COPY data/sample /app/data/sample
COPY config/appsettings.json /app/config/appsettings.json
VOLUME /app/data
ENTRYPOINT ["dotnet", "/app/SkateBot.dll"]
CMD ["serve"]

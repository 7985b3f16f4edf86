# syntax=docker/dockerfile:1
# p2pd container: docker build -t p2pd . && docker run -d --name p2pd -v p2pd-data:/var/lib/p2pd -p 4001:4001 -p 127.0.0.1:9480:9480 p2pd
# (docs/operations.md, "Docker").

# ---- build: publish the daemon (framework-dependent; the runtime image carries ASP.NET Core) ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props P2P.sln ./
COPY src/ src/
RUN dotnet publish src/Daemon/P2P.Daemon.csproj -c Release -o /app --nologo

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# LevelDB is P/Invoked from the system library; OpenBLAS speeds up float inference.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libleveldb1d libopenblas0-pthread \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system p2pd \
 && useradd --system --gid p2pd --home-dir /var/lib/p2pd --no-create-home --shell /usr/sbin/nologin p2pd \
 && install -d -m 0700 -o p2pd -g p2pd /var/lib/p2pd
COPY --from=build /app /usr/local/lib/p2pd
RUN ln -s /usr/local/lib/p2pd/p2pd /usr/local/bin/p2pd

# In a container the API must listen beyond loopback to be published; publish it on the host's loopback only
# (-p 127.0.0.1:9480:9480). State-changing calls still need the bearer token from the volume.
ENV P2PD_DATA_DIR=/var/lib/p2pd \
    DOTNET_ROOT=/usr/share/dotnet \
    P2PD__Api__BindAddress=0.0.0.0 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
USER p2pd
VOLUME ["/var/lib/p2pd"]
# 4001: libp2p (Network:ListenAddresses), 9480: HTTP API (Api:Port).
EXPOSE 4001 9480
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s CMD ["p2pd", "status"]
ENTRYPOINT ["p2pd"]
# --init creates the node key, API token and config in the volume on first start.
CMD ["run", "--init"]

# syntax=docker/dockerfile:1
# quota-herald as a container: Node 20, production dependencies only, run as
# the unprivileged `node` user. Build: `docker build -t quota-herald .`
# Run (docs/deploy.md): `docker compose up -d` (compose.yaml), or
#   docker run -d -v "$PWD/config:/app/config:ro" -v herald-data:/app/data quota-herald
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: TypeScript → dist/ (the `npm run build` that `prepare` runs on a checkout).
# tsc is plain JavaScript, so no install script is needed here (no compiler either).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin/copy-web-files.js ./bin/
RUN npm run build

# --- deps: `npm ci --omit=dev`, the production node_modules the final image gets.
# --ignore-scripts because the package's own `prepare` runs tsc, a dev dependency;
# then the one production install script that matters: better-sqlite3's native
# addon, compiled for this image's Node when no prebuilt binary can be fetched
# (headers from the image itself, so it works offline too).
FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
ENV npm_config_nodedir=/usr/local JOBS=max
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 \
 && rm -rf node_modules/better-sqlite3/build/Release/obj node_modules/better-sqlite3/build/Release/.deps node_modules/better-sqlite3/deps \
 && npm cache clean --force

# --- the image: no compiler, no TypeScript, no src/ (so bin/quota-herald.js has
# no newer source to compare its build with), code owned by root and read-only
# to the bot; only /app/data is the bot's to write.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HERALD_CONFIG_DIR=/app/config \
    HERALD_DATA_DIR=/app/data
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin/quota-herald.js ./bin/
COPY templates ./templates
# The sample office (outbox channels only): `docker run` works out of the box;
# a real deployment mounts its own config over it, read-only.
COPY config ./config
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# `health` exits 0 when this container's own `run` is alive: on PostgreSQL its
# instance heartbeat (renewed every 5 s), on SQLite the mark its schedule loop
# leaves on the data directory's lock (about once a minute), at most 5 minutes
# old. An idle bot stays healthy; a frozen one, or one cut off from its
# database, does not, even while other instances run.
HEALTHCHECK --interval=60s --timeout=30s --start-period=120s --retries=3 \
  CMD ["node", "bin/quota-herald.js", "health"]
# SIGTERM (docker stop) lets the post in flight finish, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "bin/quota-herald.js", "run"]

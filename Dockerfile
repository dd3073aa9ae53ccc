# One image for the three compose services (migrator, connector, demo-config);
# each runs it with its own command. Node 20, production dependencies only,
# runs as the unprivileged `node` user.

FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@10.34.8
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY migrations/package.json migrations/
COPY packages/storage/package.json packages/storage/
COPY packages/http/package.json packages/http/
COPY services/connector/package.json services/connector/
COPY services/demo-config/package.json services/demo-config/
RUN pnpm install --frozen-lockfile --prod
COPY tsconfig.base.json ./
COPY scripts scripts
COPY migrations migrations
COPY packages packages
COPY services services

FROM node:20-bookworm-slim
RUN npm install -g pnpm@10.34.8 && npm cache clean --force
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8022 8023
# A larger young generation: a request's garbage is collected in fewer scavenges
# (see bench/README.md, issue 18). Compose's commands inherit it.
ENV NODE_OPTIONS=--max-semi-space-size=32
# Node itself is PID 1's child (compose sets init: true), so SIGTERM reaches it directly.
CMD ["node", "--import", "tsx", "scripts/start.ts"]

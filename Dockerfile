# open2fa-server image: built in one stage, run as a non-root user with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY LICENSE ./
# Every dependency (the build needs TypeScript and esbuild), then dist/, then the production
# dependencies only (prune keeps the better-sqlite3 already compiled), as docs/deploy.md does.
RUN npm ci --no-audit --no-fund
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATABASE_URL=sqlite:/data/open2fa.db
WORKDIR /app
COPY --from=build /app/package.json /app/LICENSE ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN groupadd --system open2fa && useradd --system --gid open2fa --home /app open2fa \
  && mkdir -p /data && chown open2fa:open2fa /data && chmod 0700 /data
USER open2fa
VOLUME ["/data"]
EXPOSE 8000
# The exec form runs with the container's environment, so the check follows PORT (docker run -e PORT=…).
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||'8000')+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "bin/open2fa-server"]

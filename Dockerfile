# open2fa-server image: built in one stage, run as a non-root user with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
# Installs every dependency (the build needs TypeScript and esbuild) and runs `prepare`, which builds dist/.
RUN npm ci --no-audit --no-fund
# Then keep production dependencies only; --ignore-scripts so `prepare` does not rebuild without tsc.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000 DATABASE_URL=sqlite:/data/open2fa.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN groupadd --system open2fa && useradd --system --gid open2fa --home /app open2fa \
  && mkdir -p /data && chown open2fa:open2fa /data && chmod 0700 /data
USER open2fa
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8000/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/open2fa-server"]

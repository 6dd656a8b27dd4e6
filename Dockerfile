# The Lakebench runner image (chart value runner.image; tag = appVersion). No public registry serves it:
# build and push it to yours (README), or let .github/workflows/release-image.yml do it on a tag.
# It drives a run in the cluster (`lakebench run`), and is also the image of the datagen Indexed Job
# (`lakebench datagen-worker`). The CLI runs from its TypeScript sources through tsx, a production
# dependency, exactly as from a clone: no separate compiled tree that could drift from the sources.

ARG NODE_IMAGE=node:22-bookworm-slim

# Production dependencies only, at the lock file's versions. DuckDB's native bindings come as a platform
# package (@duckdb/node-bindings-linux-x64 or -arm64) for the architecture being built. `npm install`
# rather than `npm ci`: the lock file, written on linux-x64, lacks the other platforms' optional
# binding entries, and `npm ci` refuses such a lock file ("Missing: @duckdb/node-bindings-…").
FROM ${NODE_IMAGE} AS deps
WORKDIR /opt/lakebench
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
# Where the image is pushed, recorded in each datagen manifest (generator.image) through LAKEBENCH_IMAGE.
ARG IMAGE=ghcr.io/lakebench/lakebench-runner
LABEL org.opencontainers.image.title="lakebench-runner" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/lakebench/lakebench" \
      org.opencontainers.image.licenses="Apache-2.0"
# A fixed non-root user; the chart runs the pods as 10001 with a read-only root file system, HOME=/tmp.
RUN groupadd --gid 10001 lakebench \
 && useradd --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin lakebench
WORKDIR /opt/lakebench
COPY --from=deps /opt/lakebench/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin/ ./bin/
COPY runner/ ./runner/
COPY spark-scripts/*.py ./spark-scripts/
RUN ln -s /opt/lakebench/bin/lakebench.cjs /usr/local/bin/lakebench
ENV NODE_ENV=production \
    LAKEBENCH_IMAGE=${IMAGE}:${VERSION}
USER 10001:10001
ENTRYPOINT ["lakebench"]
CMD ["--help"]

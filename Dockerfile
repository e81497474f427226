# syntax=docker/dockerfile:1
# headroom: build the TypeScript once, ship only production dependencies on Node 24 LTS.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY alert-rules ./alert-rules
# The image's own unprivileged user "node", by number: the kubelet can verify runAsNonRoot only
# for a numeric user (the Deployment sets runAsNonRoot and runAsUser 1000 as well).
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]

# One image for the API and the workers (docker-compose.yml picks the command).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Not `npm ci`: chdb's lock lists macOS packages the registry lacks (README); install keeps to the lock.
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# UV_THREADPOOL_SIZE: for the embedded engine (server/src/warehouse/chdb-warehouse.ts, AT_ONCE).
ENV NODE_ENV=production UV_THREADPOOL_SIZE=8
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
COPY --from=build /app/sql ./sql
COPY --from=build /app/server/src/reference/local-authorities.json ./server/src/reference/
COPY --from=build /app/server/src/calendar/term-calendar.json ./server/src/calendar/
COPY package.json ./
USER node
EXPOSE 3000
CMD ["node", "dist/server/src/main.js"]

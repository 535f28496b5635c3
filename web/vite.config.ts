/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

/** The local server (`prepai-local`) the dev server forwards API, WebSocket and config requests to. */
const backend = process.env.PREPAI_BACKEND ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", target: "es2022", sourcemap: false, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      "/api": backend,
      "/config.json": backend,
      "/ws": { target: backend.replace(/^http/, "ws"), ws: true },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
  },
});

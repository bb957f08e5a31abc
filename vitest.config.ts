import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          // Unit and integration tests inside the Workers runtime, against the real DOs, D1 and Queues.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { TEST_MIGRATIONS: migrations, ADMIN_TOKEN: "test-admin-token" } },
            }),
          ],
          test: { name: "workers", include: ["test/*.test.ts"], setupFiles: ["./test/setup/apply-migrations.ts"] },
        },
        {
          // End to end: a real `wrangler dev` driven over HTTP and WebSockets from Node.
          test: { name: "e2e", include: ["test/e2e/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 120_000 },
        },
      ],
    },
  };
});
